//! Hostile clients of `accord serve` (SPEC 7.2), over loopback: announced bodies and
//! headers that would exhaust memory, floods of connections and event streams, stalled
//! readers and silent connections. After each, the server must still answer others,
//! with its memory bounded.
//!
//! Most tests run the real binary with its default limits (64 connections, 16 event
//! streams, 32 KiB of headers, 10 s timeouts); the timeout tests run the preview in
//! this process with short ones.

#[path = "../common/serve.rs"]
mod served;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use accord::serve::{Limits, Options, Preview};

use crate::common::{TempPath, accord};
use served::{Server, connect, exchange, get, open_events, org, request, serve, wait_for};

/// Larger than what loopback socket buffers absorb, so a client that reads nothing
/// leaves the server with a write that cannot finish.
const BIG_FILE_BYTES: usize = 24 * 1024 * 1024;

/// A copy of the clean org with `static/big.bin`, served at `/big.bin`.
fn org_with_big_file(name: &str) -> TempPath {
    let org = org(name);
    std::fs::create_dir_all(org.join("static")).unwrap();
    std::fs::write(org.join("static/big.bin"), vec![b'x'; BIG_FILE_BYTES]).unwrap();
    org
}

/// `count` connections that ask for the big file and never read a byte of it.
fn stalled_readers(address: &str, count: usize) -> Vec<TcpStream> {
    (0..count)
        .map(|_| {
            let mut stream = connect(address);
            write!(stream, "GET /big.bin HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
            stream
        })
        .collect()
}

/// Announces a body of ~100 GB and sends a little of it.
fn huge_body(server: &Server, method: &str) -> served::Answer {
    exchange(
        &server.address,
        format!(
            "{method} / HTTP/1.1\r\nHost: {}\r\nContent-Length: 99999999999\r\n\r\n{}",
            server.address,
            "x".repeat(64 * 1024)
        )
        .as_bytes(),
    )
}

/// Sends one header of up to `bytes`, stopping when the server refuses more; returns
/// how much was sent and the answer, if any.
fn huge_header(server: &Server, bytes: usize) -> (usize, served::Answer) {
    let mut stream = connect(&server.address);
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut sent = 0;
    let start = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Big: ", server.address);
    let chunk = vec![b'a'; 64 * 1024];
    if stream.write_all(start.as_bytes()).is_ok() {
        while sent < bytes && stream.write_all(&chunk).is_ok() {
            sent += chunk.len();
        }
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    (sent, served::parse(&response))
}

#[test]
fn a_huge_announced_body_is_never_allocated() {
    let served_org = org("hostile-serve-body");
    let mut server = serve(&served_org);
    let post = huge_body(&server, "POST");
    server.assert_alive();
    // A GET with a body is answered, and the body is not taken for the next request.
    let get_with_body = huge_body(&server, "GET");
    server.assert_alive();
    assert_eq!(get(&server, "/").0, 200);
    assert_eq!(post.status, 405, "{}", post.head);
    assert!(post.head.contains("allow: get, head"), "{}", post.head);
    assert_eq!(get_with_body.status, 200);
    assert!(
        get_with_body.head.contains("connection: close"),
        "{}",
        get_with_body.head
    );
}

#[test]
fn only_get_and_head_are_answered() {
    let served_org = org("hostile-serve-methods");
    let server = serve(&served_org);
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"] {
        let answer = request(&server, method, "/");
        assert_eq!(answer.status, 405, "{method}");
        assert!(
            answer.head.contains("allow: get, head"),
            "{method}: {}",
            answer.head
        );
    }
    assert_eq!(request(&server, "HEAD", "/").status, 200);
}

#[test]
fn other_hosts_are_refused() {
    let served_org = org("hostile-serve-host");
    let server = serve(&served_org);
    let port = server.port().to_owned();
    for host in [
        "evil.example".to_owned(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.parse::<u32>().unwrap() + 1),
    ] {
        let answer = served::request_for(&server, "GET", "/data.json", &host);
        assert!(
            matches!(answer.status, 421 | 403),
            "{host}: {}",
            answer.status
        );
        assert!(!answer.body.contains("marketing"), "{host} read data.json");
    }
    // No Host at all (HTTP/1.0 allows it) names nothing either.
    let answer = exchange(&server.address, b"GET /data.json HTTP/1.0\r\n\r\n");
    assert!(matches!(answer.status, 421 | 403), "{}", answer.status);
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let answer = served::request_for(&server, "GET", "/data.json", &host);
        assert_eq!(answer.status, 200, "{host}");
    }
}

#[test]
fn an_oversized_header_is_refused_before_it_is_read() {
    let served_org = org("hostile-serve-header");
    let mut server = serve(&served_org);
    let (sent, answer) = huge_header(&server, 128 * 1024);
    assert!(
        matches!(answer.status, 431 | 0),
        "a 128 KiB header got {}",
        answer.status
    );
    let (sent_of_100_mb, _) = huge_header(&server, 100 * 1024 * 1024);
    assert!(
        sent_of_100_mb < 100 * 1024 * 1024,
        "the server read a 100 MB header (after {sent} bytes of the first)"
    );
    server.assert_alive();
    assert_eq!(get(&server, "/").0, 200);
}

#[test]
fn event_streams_beyond_the_bound_get_503_and_pages_are_still_served() {
    let served_org = org("hostile-serve-streams");
    let server = serve(&served_org);
    let mut streams: Vec<_> = (0..Limits::default().event_streams)
        .map(|_| open_events(&server))
        .collect();
    let events = format!(
        "GET /__accord/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    );
    assert_eq!(exchange(&server.address, events.as_bytes()).status, 503);
    assert_eq!(get(&server, "/").0, 200);
    // A page that goes away frees its place for the next one.
    streams.pop();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut stream = connect(&server.address);
        stream.write_all(events.as_bytes()).unwrap();
        let mut first = [0; 12];
        let read = stream.read(&mut first).unwrap_or(0);
        if String::from_utf8_lossy(&first[..read]).starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the closed stream's place never came back"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn connections_beyond_the_bound_get_503_and_service_recovers() {
    let served_org = org("hostile-serve-connections");
    let mut server = serve(&served_org);
    // Connections that say nothing hold their place until the header timeout.
    let silent: Vec<_> = (0..Limits::default().connections)
        .map(|_| connect(&server.address))
        .collect();
    let answer = served::request(&server, "GET", "/");
    assert_eq!(answer.status, 503, "{}", answer.head);
    assert!(answer.head.contains("retry-after"), "{}", answer.head);
    drop(silent);
    wait_for(&server, "/", |status, _| status == 200);
    server.assert_alive();
}

#[test]
fn running_out_of_file_descriptors_does_not_end_the_accept_loop() {
    // Few enough descriptors that the connections below exhaust them before the
    // connection bound is reached: accepting fails until some close.
    let org = org("hostile-serve-descriptors");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -n 48 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_accord"))
        .args(served::serve_args(&org));
    let mut server = served::serve_with(command);
    let silent: Vec<_> = (0..60).map(|_| connect(&server.address)).collect();
    std::thread::sleep(Duration::from_millis(300));
    drop(silent);
    wait_for(&server, "/", |status, _| status == 200);
    server.assert_alive();
}

#[test]
fn a_stalled_reader_of_a_large_file_does_not_block_other_clients() {
    let served_org = org_with_big_file("hostile-serve-stalled");
    let server = serve(&served_org);
    let _stalled = stalled_readers(&server.address, 8);
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (status, _, _) = get(&server, "/index.html");
    let took = started.elapsed();
    assert_eq!(status, 200);
    assert!(
        took < Duration::from_secs(1),
        "a GET behind 8 stalled readers took {took:?}"
    );
}

#[test]
fn memory_stays_bounded_under_every_attack() {
    let served_org = org_with_big_file("hostile-serve-memory");
    let mut server = serve(&served_org);
    assert_eq!(request(&server, "HEAD", "/big.bin").status, 200);
    let before = server.rss_kib();
    for _ in 0..3 {
        huge_body(&server, "POST");
        huge_header(&server, 100 * 1024 * 1024);
        let stalled = stalled_readers(&server.address, 8);
        let streams: Vec<_> = (0..8).map(|_| open_events(&server)).collect();
        std::thread::sleep(Duration::from_millis(300));
        drop((stalled, streams));
    }
    server.assert_alive();
    assert_eq!(get(&server, "/").0, 200);
    let after = server.rss_kib();
    // The org's site (the 24 MiB file included) is in `before`; what the attacks can
    // add is buffers, not copies of it.
    assert!(
        after < before + 48 * 1024,
        "resident memory grew from {before} KiB to {after} KiB"
    );
}

/// The preview of `org` in this process, with `limits`, and its address; it serves
/// until the tests end.
fn preview(org: &Path, limits: Limits) -> (Preview, String) {
    let options = Options {
        root: org.to_owned(),
        address: "127.0.0.1:0".parse().unwrap(),
        today: Some(common_today()),
        gate: accord::Gate::Structural,
        limits,
    };
    let (preview, first) = Preview::start(options, |_, _| {}).expect("the preview starts");
    assert!(first.ok, "{:?}", first.problem);
    preview.serve_in_background().expect("the preview serves");
    let address = preview.address().expect("an address").to_string();
    (preview, address)
}

fn common_today() -> jiff::civil::Date {
    crate::common::TODAY.parse().unwrap()
}

/// Reads until the server closes the connection; how long that took.
fn time_to_close(mut stream: TcpStream) -> Duration {
    let started = Instant::now();
    let mut sink = Vec::new();
    match stream.read_to_end(&mut sink) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the connection was not closed: {e}"),
    }
    started.elapsed()
}

#[test]
fn a_connection_that_never_sends_its_headers_is_closed_after_the_timeout() {
    let limits = Limits {
        header_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let served_org = org("hostile-serve-idle");
    let (_preview, address) = preview(&served_org, limits);
    let took = time_to_close(connect(&address));
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(3),
        "an idle connection closed after {took:?}"
    );
    // One byte at a time does not keep a connection open past the timeout either.
    let mut slow = connect(&address);
    let started = Instant::now();
    let mut refused = false;
    for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
        std::thread::sleep(Duration::from_millis(50));
        if slow.write_all(&[*byte]).is_err() {
            refused = true;
            break;
        }
    }
    let took = started.elapsed()
        + if refused {
            Duration::ZERO
        } else {
            time_to_close(slow)
        };
    assert!(
        took < Duration::from_secs(4),
        "a client sending a byte every 50 ms was served for {took:?}"
    );
}

#[test]
fn a_stalled_reader_is_dropped_after_the_write_timeout() {
    let limits = Limits {
        connections: 2,
        write_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let served_org = org_with_big_file("hostile-serve-write-timeout");
    let (_preview, address) = preview(&served_org, limits);
    let stalled = stalled_readers(&address, 2);
    let get_index = || {
        exchange(
            &address,
            format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .status
    };
    assert_eq!(get_index(), 503, "both places are taken by stalled readers");
    let deadline = Instant::now() + Duration::from_secs(5);
    while get_index() != 200 {
        assert!(
            Instant::now() < deadline,
            "the stalled readers were never dropped"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(stalled);
}

#[test]
fn a_request_with_two_host_headers_is_refused() {
    let served_org = org("hostile-serve-two-hosts");
    let server = serve(&served_org);
    let address = &server.address;
    for hosts in [
        format!("Host: {address}\r\nHost: evil.example"),
        format!("Host: evil.example\r\nHost: {address}"),
        format!("Host: {address}\r\nHost: {address}"),
    ] {
        let answer = exchange(
            address,
            format!("GET /data.json HTTP/1.1\r\n{hosts}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert!(
            matches!(answer.status, 400 | 421),
            "{hosts:?}: {}",
            answer.status
        );
        assert!(
            !answer.body.contains("marketing"),
            "{hosts:?} read data.json"
        );
    }
}

#[test]
fn a_static_file_of_a_gib_is_streamed_from_disk_not_held_in_memory() {
    let org = org("hostile-serve-gib");
    crate::robustness::org_with_sparse_static(&org, crate::robustness::GIB);
    let server = serve(&org);
    let idle = server.rss_kib();
    let head = request(&server, "HEAD", "/big.bin");
    assert_eq!(head.status, 200);
    assert!(
        head.head
            .contains(&format!("content-length: {}", crate::robustness::GIB)),
        "{}",
        head.head
    );
    let mut stream = connect(&server.address);
    write!(
        stream,
        "GET /big.bin HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut received = 0u64;
    let mut last = Vec::new();
    let mut peak = idle;
    let mut chunk = vec![0; 1024 * 1024];
    loop {
        let read = stream.read(&mut chunk).expect("the body");
        if read == 0 {
            break;
        }
        received += read as u64;
        last = chunk[..read].to_vec();
        if received % (64 * 1024 * 1024) < read as u64 {
            peak = peak.max(server.rss_kib());
        }
    }
    let _ = std::fs::remove_file(org.join("static/big.bin"));
    // The head of the response, then the whole file.
    assert!(
        received > crate::robustness::GIB && received < crate::robustness::GIB + 1024,
        "received {received} bytes"
    );
    assert!(last.ends_with(b"end\n"));
    assert!(
        idle < 128 * 1024 && peak < 128 * 1024,
        "resident memory was {idle} KiB before and up to {peak} KiB while serving a 1 GiB file"
    );
}

#[test]
fn a_template_that_writes_without_end_shows_the_error_and_the_next_save_rebuilds() {
    let org = org("hostile-serve-endless-template");
    std::fs::create_dir_all(org.join("templates")).unwrap();
    std::fs::write(
        org.join("templates/index.html"),
        crate::robustness::ENDLESS_TEMPLATE,
    )
    .unwrap();
    let command = crate::robustness::with_memory_cap(&accord(&served::serve_args(&org)), 1024);
    let mut server = served::serve_with(command);
    let (status, _, body) = get(&server, "/index.html");
    assert_eq!(status, 500, "{body}");
    assert!(
        body.contains("templates/index.html") && body.contains("more than 64 MiB"),
        "{body}"
    );
    std::fs::remove_file(org.join("templates/index.html")).unwrap();
    wait_for(&server, "/index.html", |status, _| status == 200);
    server.assert_alive();
}
