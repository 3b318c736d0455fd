//! A client for `accord serve` over real loopback sockets, shared by tests/serve.rs and
//! tests/hostile/serve.rs: start the binary, send raw requests, read raw answers.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TODAY, TempPath, accord, copy_dir, fixture, temp_dir};

/// A running `accord serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    /// `127.0.0.1:PORT`, as printed on the serving line.
    pub address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn port(&self) -> &str {
        self.address.rsplit(':').next().unwrap_or_default()
    }

    /// Fails the test if the process has ended.
    pub fn assert_alive(&mut self) {
        let status = self.child.try_wait().expect("the server's status");
        assert!(status.is_none(), "accord serve ended: {status:?}");
    }

    /// The server's resident memory in KiB (Linux).
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("a VmRSS line")
    }
}

/// A copy of the clean fixture in a fresh temp dir.
pub fn org(name: &str) -> TempPath {
    let org = temp_dir(name).child("org");
    copy_dir(&fixture("clean"), &org);
    org
}

/// The arguments of `accord serve ORG --port 0 --today TODAY`.
pub fn serve_args(org: &Path) -> Vec<&OsStr> {
    vec![
        "serve".as_ref(),
        org.as_os_str(),
        "--port".as_ref(),
        "0".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]
}

/// Starts `accord serve ORG --port 0` and waits for its serving line.
pub fn serve(org: &Path) -> Server {
    serve_with(accord(&serve_args(org)))
}

/// Starts `command`, an `accord serve` that prints its serving line on stdout, and
/// waits for that line.
pub fn serve_with(mut command: Command) -> Server {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("accord serve starts");
    let address = serving_address(&mut child);
    Server { child, address }
}

/// Waits for the serving line a started `accord serve` prints on stdout: its address.
fn serving_address(child: &mut std::process::Child) -> String {
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the serving line");
    line.split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned()
}

/// An answer: status (0 when there was none), lower-cased head, body.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// A connection to `address` that gives up reading after 10 s.
pub fn connect(address: &str) -> TcpStream {
    let stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    stream
}

/// Sends `request` exactly as written and reads the answer until the server closes the
/// connection (or 10 s pass). A connection the server closes or resets without an
/// answer gives status 0.
pub fn exchange(address: &str, request: &[u8]) -> Answer {
    let mut stream = connect(address);
    // The server may answer and close before it has read everything (a body it will
    // not read): what it answered is still there to read.
    let _ = stream.write_all(request);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    parse(&response)
}

pub fn parse(response: &[u8]) -> Answer {
    let response = String::from_utf8_lossy(response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_owned(),
    }
}

/// A raw HTTP/1.1 request of `target` exactly as written (no normalisation), for the
/// server's own address, closing the connection after the answer.
pub fn request(server: &Server, method: &str, target: &str) -> Answer {
    request_for(server, method, target, &server.address)
}

/// The same with a chosen `Host` header.
pub fn request_for(server: &Server, method: &str, target: &str, host: &str) -> Answer {
    exchange(
        &server.address,
        format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
}

/// `GET target`: status, lower-cased head and body.
pub fn get(server: &Server, target: &str) -> (u16, String, String) {
    let answer = request(server, "GET", target);
    (answer.status, answer.head, answer.body)
}

/// Polls `target` until `accept` holds, for up to 10 s.
pub fn wait_for(
    server: &Server,
    target: &str,
    accept: impl Fn(u16, &str) -> bool,
) -> (u16, String) {
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

/// Opens the page's event stream and waits for its first line.
pub fn open_events(server: &Server) -> BufReader<TcpStream> {
    let mut stream = connect(&server.address);
    write!(
        stream,
        "GET /__accord/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    )
    .expect("send");
    let mut events = BufReader::new(stream);
    let mut line = String::new();
    while !line.starts_with(": connected") {
        line.clear();
        let read = events.read_line(&mut line).expect("the event stream opens");
        assert!(read > 0, "the event stream closed before it opened");
    }
    events
}

/// Starts `accord serve ORG --port 0` with its terminal (stderr) read line by line
/// into the receiver.
pub fn serve_with_terminal(org: &Path) -> (Server, std::sync::mpsc::Receiver<String>) {
    let mut command = accord(&serve_args(org));
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("accord serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let (lines, terminal) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let address = serving_address(&mut child);
    (Server { child, address }, terminal)
}

/// The next terminal line that `accept`s, waiting up to 10 s.
pub fn terminal_line(
    terminal: &std::sync::mpsc::Receiver<String>,
    accept: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match terminal.recv_timeout(left) {
            Ok(line) if accept(&line) => return line,
            Ok(_) => continue,
            Err(e) => panic!("no such terminal line: {e}"),
        }
    }
}

/// The render number of a generated file's answer (`X-Accord-Render`).
pub fn render_number(head: &str) -> u64 {
    head.lines()
        .find_map(|line| line.strip_prefix("x-accord-render: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no render number in {head}"))
}

/// A served page as `build` writes it: without the reload script.
pub fn without_reload_script(page: &str) -> String {
    match page.find("<script>(function(){var s=new EventSource(\"/__accord/events") {
        Some(start) => {
            let end = start + page[start..].find("</script>").expect("the script ends") + 9;
            format!("{}{}", &page[..start], &page[end..])
        }
        None => page.to_owned(),
    }
}

/// Waits for the next `data: reload` of an event stream.
pub fn wait_for_reload(events: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        let read = events
            .read_line(&mut line)
            .expect("a reload event after an edit");
        assert!(read > 0, "the event stream closed");
        if line.starts_with("data: reload") {
            return;
        }
    }
}
