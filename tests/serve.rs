//! `accord serve` over real HTTP: pages, content types, traversal, live reload, the
//! error page and recovery.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{TODAY, accord, copy_dir, fixture, temp_dir};

/// A running `accord serve`, killed when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(org: &Path) -> Server {
    let mut child = accord(&[
        "serve".as_ref(),
        org.as_os_str(),
        "--port".as_ref(),
        "0".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .expect("accord serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the serving line");
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    Server { child, address }
}

/// A raw HTTP/1.1 GET of `target` exactly as written (no normalisation): status,
/// headers and body.
fn get(server: &Server, target: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address
    )
    .unwrap();
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .expect("read the response");
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// Polls `target` until `accept` holds, for up to 10 s.
fn wait_for(server: &Server, target: &str, accept: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _, body) = get(server, target);
        if accept(status, &body) {
            return (status, body);
        }
        assert!(
            Instant::now() < deadline,
            "{target} never became as expected; last: {status} {body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn org(name: &str) -> std::path::PathBuf {
    let org = temp_dir(name).join("org");
    copy_dir(&fixture("clean"), &org);
    org
}

#[test]
fn serves_the_site_with_content_types_and_the_reload_script() {
    let server = serve(&org("serve-pages"));
    let (status, head, body) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        body.contains("Clean Org") && body.contains("/__accord/events"),
        "{body}"
    );
    let (status, head, _) = get(&server, "/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    assert!(get(&server, "/data.json").1.contains("application/json"));
    let (status, _, body) = get(&server, "/teams/marketing.html?from=test");
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Marketing</h1>"));
    let (status, _, body) = get(&server, "/no-such-page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Not found"));
}

#[test]
fn requests_that_leave_the_site_get_404() {
    let org = org("serve-traversal");
    let server = serve(&org);
    for target in [
        "/../accord.toml",
        "/%2e%2e/accord.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/teams/..%2f..%2faccord.toml",
        "/..\\accord.toml",
        "//etc/passwd",
        "/accord.toml",
        "/teams/marketing.toml",
        "http://elsewhere/etc/passwd",
    ] {
        let (status, _, body) = get(&server, target);
        assert_eq!(status, 404, "{target}");
        assert!(
            !body.contains("[org]") && !body.contains("root:"),
            "{target} leaked a file"
        );
    }
}

#[test]
fn edits_rebuild_reload_show_errors_and_recover() {
    let org = org("serve-edit");
    let server = serve(&org);
    let mut events = TcpStream::connect(&server.address).expect("connect");
    write!(events, "GET /__accord/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut events = BufReader::new(events);
    let mut line = String::new();
    while !line.starts_with(": connected") {
        line.clear();
        events.read_line(&mut line).expect("the event stream opens");
    }

    let team = org.join("teams/marketing.toml");
    let original = std::fs::read_to_string(&team).unwrap();
    std::fs::write(
        &team,
        original.replace("name = \"Marketing\"", "name = \"Growth Marketing\""),
    )
    .unwrap();
    loop {
        line.clear();
        events
            .read_line(&mut line)
            .expect("a reload event after an edit");
        if line.starts_with("data: reload") {
            break;
        }
    }
    wait_for(&server, "/teams/marketing.html", |status, body| {
        status == 200 && body.contains("<h1>Growth Marketing</h1>")
    });

    std::fs::write(&team, format!("{original}\nnmae = \"typo\"\n")).unwrap();
    for page in [
        "/index.html",
        "/teams/marketing.html",
        "/people/ana-garcia.html",
    ] {
        let (status, body) = wait_for(&server, page, |_, body| body.contains("unknown-key"));
        assert_eq!(status, 500, "{page}");
        assert!(
            body.contains("teams/marketing.toml:"),
            "{page}: the location is shown"
        );
        assert!(
            body.contains("/__accord/events"),
            "the error page reloads too"
        );
    }

    std::fs::write(&team, &original).unwrap();
    wait_for(&server, "/teams/marketing.html", |status, body| {
        status == 200 && body.contains("<h1>Marketing</h1>")
    });
}

#[test]
fn the_reload_script_is_only_in_served_pages() {
    let org = org("serve-build-clean");
    let out = org.join("public");
    let result = common::output(&mut accord(&[
        "build".as_ref(),
        org.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_eq!(common::exit_code(&result), 0);
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !html.contains("<script"),
                "{} has a script",
                entry.path().display()
            );
        }
    }
}
