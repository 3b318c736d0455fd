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
//!
//! Then the preview at scale (issue 16): the generated org of 10,018 entities
//! (`support/generate.rs`, 572 teams; `ACCORD_BENCH_SERVE_TEAMS` sets another size), 20
//! saves (`ACCORD_BENCH_SAVES`) of four kinds in turn (a person's name in people.toml, a term's target, a row of
//! an actuals file, the text of a docs page), each timed to the reload event and to the
//! page that shows the edit received. After every save, out of the timing, `accord build`
//! writes the same files into a fresh directory and every file of that build is fetched
//! from the preview and compared byte for byte (the reload script taken out of pages): a
//! difference stops the benchmark with an error.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/history.rs"]
mod history;
#[path = "support/measure.rs"]
mod measure;

use std::collections::BTreeMap;
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
    println!("(release build, the watcher's 15 ms debounce included)");
    scale(&binary)
}

/// Serves `org` and times [`edit_count`] saves of a team file: to the reload event, and to
/// the edited page received.
fn edits(
    binary: &Path,
    org: &Path,
) -> Result<(Vec<Duration>, Vec<Duration>), Box<dyn std::error::Error>> {
    let (mut server, address) = serve(binary, org, "2026-10-15")?;
    let mut events = event_stream(&address)?;
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
        wait_for_reload(&mut events)?;
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
    let response = get_bytes(address, target)?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

/// `GET target` on a new connection; the whole response, as bytes.
fn get_bytes(address: &str, target: &str) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(address)?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(response)
}

/// The teams of the org at scale: 572 give 10,018 entities, 7,028 pages.
const SCALE_TEAMS: usize = 572;

/// Saves timed at scale, the four kinds in turn.
const SCALE_SAVES: usize = 20;

/// The date the scale case is served and built for (the generated org is quiet then).
const SCALE_TODAY: &str = "2026-06-15";

/// One kind of save at scale: the file it rewrites, how, and the page that shows it.
struct SaveKind {
    name: &'static str,
    file: &'static str,
    /// The file's text after save `i` (every save writes a text no save wrote before).
    edit: fn(&str, usize) -> String,
    page: &'static str,
    /// What the page holds after save `i`.
    shows: fn(usize) -> String,
}

fn save_kinds() -> [SaveKind; 4] {
    [
        SaveKind {
            name: "a person's name (people.toml)",
            file: "people.toml",
            edit: |text, i| {
                text.replacen(
                    "name = \"Óscar Ibáñez Echeverría\"",
                    &format!("name = \"Óscar Ibáñez Echeverría {i}\""),
                    1,
                )
            },
            page: "/people/oscar-ibanez-0003.html",
            shows: |i| format!("Óscar Ibáñez Echeverría {i}"),
        },
        SaveKind {
            name: "a term's target (agreement)",
            file: "agreements/region-000/marketing-sales-sla-2026-r000.toml",
            edit: |text, i| text.replacen("target = 70\n", &format!("target = {}\n", 71 + i), 1),
            page: "/agreements/marketing-sales-sla-2026-r000.html",
            shows: |i| format!("{}", 71 + i),
        },
        SaveKind {
            name: "an actuals row (CSV)",
            file: "actuals/region-000/leads-created-r000.csv",
            edit: |text, i| {
                text.lines()
                    .map(|line| match line.starts_with("2026-01,") {
                        true => format!("2026-01,{}\n", 1000 + i),
                        false => format!("{line}\n"),
                    })
                    .collect()
            },
            page: "/kpis/leads-created-r000.html",
            shows: |i| format!("{}", 1000 + i),
        },
        SaveKind {
            name: "a docs page (Markdown)",
            file: "docs/regions/region-000.md",
            edit: |text, i| {
                text.replacen(
                    "# Kick-off — Andalucía",
                    &format!("# Kick-off — Andalucía, take {i}"),
                    1,
                )
            },
            page: "/docs/regions/region-000.html",
            shows: |i| format!("take {i}"),
        },
    ]
}

/// The preview of the generated org: saves of each kind timed to the reload event and to
/// the page received, every page compared with a full build after each save.
fn scale(binary: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let teams = if measure::smoke() {
        generate::TEAMS_PER_REGION
    } else {
        std::env::var("ACCORD_BENCH_SERVE_TEAMS")
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(SCALE_TEAMS)
    };
    let saves = if measure::smoke() {
        4
    } else {
        std::env::var("ACCORD_BENCH_SAVES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(SCALE_SAVES)
    };
    let dir = measure::fresh_dir("serve-scale")?;
    let org = dir.join("org");
    let counts = generate::write_org(&org, teams)?;
    let (mut server, address) = serve(binary, &org, SCALE_TODAY)?;
    let mut events = event_stream(&address)?;
    let kinds = save_kinds();
    let originals: Vec<String> = kinds
        .iter()
        .map(|k| std::fs::read_to_string(org.join(k.file)))
        .collect::<Result<_, _>>()?;
    let mut to_reload: BTreeMap<usize, Vec<Duration>> = BTreeMap::new();
    let mut to_page: BTreeMap<usize, Vec<Duration>> = BTreeMap::new();
    let mut compared = 0;
    for save in 0..saves {
        let which = save % kinds.len();
        let kind = &kinds[which];
        let text = (kind.edit)(&originals[which], save);
        if text == originals[which] {
            return Err(format!("the save of {} changes nothing", kind.name).into());
        }
        std::thread::sleep(Duration::from_millis(150));
        std::fs::write(org.join(kind.file), text)?;
        let saved = Instant::now();
        wait_for_reload(&mut events)?;
        to_reload.entry(which).or_default().push(saved.elapsed());
        let page = get(&address, kind.page)?;
        if !page.starts_with("HTTP/1.1 200") || !page.contains(&(kind.shows)(save)) {
            return Err(format!("save {save} ({}) is not in {}", kind.name, kind.page).into());
        }
        to_page.entry(which).or_default().push(saved.elapsed());
        compared = compare_with_build(binary, &org, &dir.join(format!("built-{save}")), &address)?;
    }
    let _ = server.kill();
    let _ = server.wait();
    if std::env::var_os("ACCORD_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "\nThe preview at scale: {} entities, {compared} files compared with a full build after each of {saves} saves, all identical.\n",
        counts.entities()
    );
    println!(
        "| save | saves | to `data: reload`, median | max | to the page received, median | max |\n|---|---:|---:|---:|---:|---:|"
    );
    let mut all_reload = Vec::new();
    let mut all_page = Vec::new();
    for (which, reload) in &mut to_reload {
        let page = to_page.entry(*which).or_default();
        all_reload.extend_from_slice(reload);
        all_page.extend_from_slice(page);
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            kinds[*which].name,
            reload.len(),
            ms(measure::median(reload)),
            ms(*reload.iter().max().unwrap_or(&Duration::ZERO)),
            ms(measure::median(page)),
            ms(*page.iter().max().unwrap_or(&Duration::ZERO)),
        );
    }
    println!(
        "| **all** | {} | **{}** | {} | **{}** | {} |",
        all_reload.len(),
        ms(measure::median(&mut all_reload)),
        ms(*all_reload.iter().max().unwrap_or(&Duration::ZERO)),
        ms(measure::median(&mut all_page)),
        ms(*all_page.iter().max().unwrap_or(&Duration::ZERO)),
    );
    Ok(())
}

/// `accord serve` of `org` for `today` on a free port, and the address it listens on.
fn serve(
    binary: &Path,
    org: &Path,
    today: &str,
) -> Result<(std::process::Child, String), Box<dyn std::error::Error>> {
    let mut server = Command::new(binary)
        .args(["serve", "--port", "0", "--today", today])
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
    Ok((server, address))
}

/// An open event stream of the preview at `address`, past its greeting.
fn event_stream(address: &str) -> std::io::Result<BufReader<TcpStream>> {
    let mut stream = TcpStream::connect(address)?;
    write!(
        stream,
        "GET /__accord/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut events = BufReader::new(stream);
    let mut event = String::new();
    while !event.starts_with(": connected") {
        event.clear();
        if events.read_line(&mut event)? == 0 {
            return Err(std::io::Error::other("the event stream closed"));
        }
    }
    Ok(events)
}

fn wait_for_reload(events: &mut BufReader<TcpStream>) -> std::io::Result<()> {
    let mut event = String::new();
    loop {
        event.clear();
        if events.read_line(&mut event)? == 0 {
            return Err(std::io::Error::other("the event stream closed"));
        }
        if event.starts_with("data: reload") {
            return Ok(());
        }
    }
}

/// Builds `org` into `out` and compares every file of the build with what the preview at
/// `address` serves for it; the number of files compared.
fn compare_with_build(
    binary: &Path,
    org: &Path,
    out: &Path,
    address: &str,
) -> Result<usize, Box<dyn std::error::Error>> {
    let status = Command::new(binary)
        .args(["build", "--today", SCALE_TODAY, "-o"])
        .arg(out)
        .arg(org)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if !status.success() {
        return Err(format!("accord build of {} failed", org.display()).into());
    }
    let mut files = Vec::new();
    list_files(out, out, &mut files)?;
    for path in &files {
        let built = std::fs::read(out.join(path))?;
        let response = get_bytes(address, &format!("/{path}"))?;
        let at = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| format!("/{path}: no end of headers"))?;
        if !response.starts_with(b"HTTP/1.1 200") {
            return Err(format!("/{path}: {}", String::from_utf8_lossy(&response[..at])).into());
        }
        let mut served = response[at + 4..].to_vec();
        if path.ends_with(".html") {
            served = without_reload_script(&served);
        }
        if served != built {
            return Err(format!("/{path} served differs from the built file").into());
        }
    }
    std::fs::remove_dir_all(out)?;
    Ok(files.len())
}

/// A served page without the reload script the preview adds before `</body>`.
fn without_reload_script(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let start = text.rfind("<script>(function(){var s=new EventSource(\"/__accord/events");
    match start.and_then(|s| text[s..].find("</script>").map(|e| (s, s + e + 9))) {
        Some((start, end)) => format!("{}{}", &text[..start], &text[end..]).into_bytes(),
        None => page.to_vec(),
    }
}

/// Every file under `dir`, as paths from `root` with `/`, but the marker a build leaves
/// in its output (`.accord-site`), which is not part of the site.
fn list_files(root: &Path, dir: &Path, into: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if path.is_dir() {
            list_files(root, &path, into)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            into.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}
