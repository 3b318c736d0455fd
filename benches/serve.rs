//! How long `accord serve` takes from a saved edit to the reload event open pages get.
//!
//! ```sh
//! cargo bench --bench serve
//! ```
//!
//! A plain program (`harness = false`): copies example-org into a fresh directory (under
//! /dev/shm when it exists), starts the release binary `accord serve --port 0`, holds
//! the event stream open like a page does, then 30 times rewrites one team file and
//! measures the time from the end of the write to the `data: reload` line (file
//! watching, the debounce, the rebuild in memory and the event), and to the edited page
//! received whole over a new connection, as the reloading browser fetches it. Then the
//! same in a copy of example-org made a git repository of 1,000 commits touching its
//! agreements (`support/history.rs`), where a rebuild also needs the signatures' history
//! (skipped without git, or with `ACCORD_BENCH_NO_HISTORY=1`). Prints a Markdown table.

#[path = "support/history.rs"]
mod history;
#[path = "support/measure.rs"]
mod measure;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EDITS: usize = 30;

/// Edits timed per org: [`EDITS`], or one in a smoke run.
fn edit_count() -> usize {
    measure::runs(EDITS)
}

/// Commits in the history of the git case.
const HISTORY_COMMITS: usize = 1_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = option_env!("CARGO_BIN_EXE_accord")
        .map_or_else(|| manifest.join("target/release/accord"), PathBuf::from);
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "| org | from save to | edits | median | p90 | max | min |\n|---|---|---:|---:|---:|---:|---:|"
    );
    let with_git = std::env::var_os("ACCORD_BENCH_NO_HISTORY").is_none()
        && Command::new("git").arg("--version").output().is_ok();
    for git in [false, true] {
        if git && !with_git {
            eprintln!("git case skipped");
            continue;
        }
        let dir = measure::fresh_dir("serve")?;
        let org = dir.join("org");
        measure::copy_dir(&manifest.join("example-org"), &org)?;
        let label = if git {
            history::commit_history(&org, HISTORY_COMMITS)?;
            format!("example-org, git history of {HISTORY_COMMITS} commits")
        } else {
            "example-org".to_owned()
        };
        let (mut times, mut page_times) = edits(&binary, &org)?;
        let _ = std::fs::remove_dir_all(&dir);
        for (what, times) in [
            ("`data: reload`", &mut times),
            ("the new page received", &mut page_times),
        ] {
            let middle = measure::median(times);
            let count = times.len();
            println!(
                "| {label} | {what} | {count} | {} | {} | {} | {} |",
                ms(middle),
                ms(times[count * 9 / 10]),
                ms(times[count - 1]),
                ms(times[0])
            );
        }
    }
    println!("(release build, 30 ms debounce included)");
    Ok(())
}

/// Serves `org` and times [`edit_count`] saves of a team file: to the reload event, and to
/// the edited page received.
fn edits(
    binary: &Path,
    org: &Path,
) -> Result<(Vec<Duration>, Vec<Duration>), Box<dyn std::error::Error>> {
    let mut server = Command::new(binary)
        .args(["serve", "--port", "0", "--today", "2026-10-15"])
        .arg(org)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(server.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .ok_or("no address")?
        .to_owned();
    let mut stream = TcpStream::connect(&address)?;
    write!(
        stream,
        "GET /__accord/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut events = BufReader::new(stream);
    let mut event = String::new();
    while !event.starts_with(": connected") {
        event.clear();
        events.read_line(&mut event)?;
    }
    let team = org.join("teams/commercial/marketing.toml");
    let original = std::fs::read_to_string(&team)?;
    let mut times = Vec::with_capacity(edit_count());
    let mut page_times = Vec::with_capacity(edit_count());
    for i in 0..edit_count() {
        // Let the watcher settle so each edit is measured on its own.
        std::thread::sleep(Duration::from_millis(150));
        let text = original.replace("name = \"Marketing\"", &format!("name = \"Marketing {i}\""));
        std::fs::write(&team, text)?;
        let saved = Instant::now();
        loop {
            event.clear();
            events.read_line(&mut event)?;
            if event.starts_with("data: reload") {
                break;
            }
        }
        times.push(saved.elapsed());
        let page = get(&address, "/teams/marketing.html")?;
        if !page.contains(&format!("Marketing {i}")) {
            return Err(format!("edit {i} is not in the reloaded page").into());
        }
        page_times.push(saved.elapsed());
    }
    std::fs::write(&team, original)?;
    let _ = server.kill();
    let _ = server.wait();
    Ok((times, page_times))
}

/// `GET target` on a new connection, as a reloading page does; the whole response.
fn get(address: &str, target: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address)?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}
