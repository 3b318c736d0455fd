//! How long `accord measure` takes over 1,000,000 generated CRM rows, and its peak RSS.
//!
//! ```sh
//! cargo bench --bench measure
//! ```
//!
//! A plain program (`harness = false`), not a test. It copies the fixture org
//! `tests/fixtures/measure-speed-to-call` (five KPIs measured from one record set:
//! median and p95 of business-hours durations, two shares, a mean of a decimal-comma
//! column) into a fresh directory (under /dev/shm when it exists, so the disk is out of
//! the picture), replaces its `records/leads.csv` with generated rows ([`generate`]:
//! semicolons, `dd/mm/yyyy HH:MM` times in Europe/Madrid over 15 months, 5 % of rows
//! never called, a third of them Customers filtered out by `where`, decimal commas),
//! then runs the release binary `accord measure DIR --today 2026-04-15` several times
//! (median and minimum wall time, the actuals removed before each run so every run
//! writes them), and once more under GNU time (`/usr/bin/time -f %M`) for the peak RSS.
//! `ACCORD_BENCH_ROWS` chooses another number of rows; `ACCORD_BENCH_KEEP=1` keeps the
//! directory.

#[path = "support/measure.rs"]
mod support;

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jiff::{Timestamp, ToSpan};

const RUNS: usize = 5;
const TODAY: &str = "2026-04-15";
const MEASURED: [&str; 5] = [
    "speed-to-call",
    "speed-to-call-p95",
    "called-within-4",
    "complete-leads",
    "lead-amount",
];

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> io::Result<()> {
    let rows: usize = std::env::var("ACCORD_BENCH_ROWS")
        .ok()
        .and_then(|n| n.replace('_', "").parse().ok())
        .unwrap_or(if support::smoke() { 1_000 } else { 1_000_000 });
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_accord"));
    let dir = support::fresh_dir("measure")?;
    let org = dir.join("org");
    support::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/measure-speed-to-call"),
        &org,
    )?;
    let started = Instant::now();
    let bytes = generate(&org.join("records/leads.csv"), rows)?;
    eprintln!(
        "generated {} rows ({:.1} MiB) in {:.1} s into {}",
        support::thousands(rows),
        bytes as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64(),
        org.display()
    );
    let mut times = Vec::new();
    for _ in 0..support::runs(RUNS) {
        reset_actuals(&org)?;
        let start = Instant::now();
        let status = measure_command(&bin, &org).status()?;
        times.push(start.elapsed());
        if !status.success() {
            return Err(io::Error::other(format!("accord measure failed: {status}")));
        }
    }
    let fastest = *times.iter().min().unwrap_or(&Duration::ZERO);
    let median = support::median(&mut times);
    reset_actuals(&org)?;
    let rss_kb = peak_rss_kb(&bin, &org, &dir)?;
    println!("| rows | median | min | peak RSS |");
    println!("|---:|---:|---:|---:|");
    println!(
        "| {} | {:.2} s | {:.2} s | {:.0} MiB |",
        support::thousands(rows),
        median.as_secs_f64(),
        fastest.as_secs_f64(),
        rss_kb as f64 / 1024.0
    );
    println!(
        "\nspeed-to-call written:\n{}",
        std::fs::read_to_string(org.join("actuals/speed-to-call.csv"))?
    );
    if std::env::var_os("ACCORD_BENCH_KEEP").is_none() {
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}

/// Writes `rows` rows of a CRM export to `path`; returns its size in bytes. The rows
/// come from a fixed-seed generator, so every run measures the same file.
fn generate(path: &Path, rows: usize) -> io::Result<u64> {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: u64| {
        // xorshift64*: fast, and the same sequence on every machine.
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound
    };
    // Instants, written as the local times of Madrid a CRM shows: so no time falls in a
    // spring-forward gap, and the fall-back hour is written twice, as CRMs do.
    let zone = jiff::tz::TimeZone::get("Europe/Madrid").map_err(io::Error::other)?;
    let start: Timestamp = "2025-01-01T00:00:00Z".parse().map_err(io::Error::other)?;
    // 15 months of minutes: 2025-01-01 to 2026-03-31.
    let minutes_in_range: u64 = 455 * 24 * 60;
    let stages = ["Lead", "MQL", "Customer"];
    let mut text = String::with_capacity(rows * 90);
    text.push_str("Record ID;Create Date;First Call;Lifecycle Stage;Email;Phone;Amount\r\n");
    let stamp = |t: Timestamp| zone.to_datetime(t).strftime("%d/%m/%Y %H:%M").to_string();
    for id in 0..rows {
        let created = start
            .checked_add((next(minutes_in_range) as i64).minutes())
            .map_err(io::Error::other)?;
        let first_call = match next(100) {
            0..5 => String::new(),
            _ => stamp(
                created
                    .checked_add((next(600) as i64).minutes())
                    .map_err(io::Error::other)?,
            ),
        };
        let stage = stages[next(3) as usize];
        let email = if next(10) == 0 {
            ""
        } else {
            "lead@example.invalid"
        };
        let phone = if next(5) == 0 { "" } else { "600000000" };
        let _ = write!(
            text,
            "{id};{};{first_call};{stage};{email};{phone};{},{:02}\r\n",
            stamp(created),
            next(5000),
            next(100)
        );
    }
    std::fs::write(path, &text)?;
    Ok(text.len() as u64)
}

fn measure_command(bin: &Path, org: &Path) -> Command {
    let mut command = Command::new(bin);
    command
        .arg("measure")
        .arg(org)
        .args(["--today", TODAY])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn reset_actuals(org: &Path) -> io::Result<()> {
    for kpi in MEASURED {
        match std::fs::remove_file(org.join(format!("actuals/{kpi}.csv"))) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Peak RSS of one run, in kB, from GNU time (the child's `ru_maxrss`).
fn peak_rss_kb(bin: &Path, org: &Path, scratch: &Path) -> io::Result<u64> {
    let report = scratch.join("time.txt");
    let measure = measure_command(bin, org);
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(measure.get_program())
        .args(measure.get_args())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if !status.success() {
        return Err(io::Error::other(format!("/usr/bin/time failed: {status}")));
    }
    let text = std::fs::read_to_string(&report)?;
    text.lines()
        .filter_map(|l| l.trim().parse().ok())
        .next_back()
        .ok_or_else(|| io::Error::other(format!("no number in {text:?}")))
}
