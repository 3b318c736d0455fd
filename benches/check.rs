//! How long `accord check` takes on orgs of about 1,000, 10,000 and 60,000 entities.
//!
//! ```sh
//! cargo bench --bench check
//! ```
//!
//! A plain program (`harness = false`), not a test: it generates the orgs with
//! `benches/support/generate.rs` into a fresh directory (under /dev/shm when it exists, so
//! the disk is out of the picture), then for each size
//!
//! * runs `accord::check_dir` in this process (median and minimum of several runs),
//! * times its phases separately: reading the files, load, resolve, the rules (with the
//!   final sort),
//! * runs the release binary `accord check DIR --today 2026-06-15` as a whole process
//!   (median wall time), and once more under GNU time (`/usr/bin/time -f %M`), whose
//!   maximum resident set size is the peak RSS of the process,
//!
//! and prints Markdown tables, the first with the process's wall time and cost per entity
//! against the smallest org's. Set `ACCORD_BENCH_KEEP=1` to keep the generated orgs, and
//! `ACCORD_BENCH_SIZES=100,1000,10000,30000` to choose other sizes (entities).
//!
//! Then it breaks two generated orgs so that reporting the findings, not checking, is the
//! work: 20,000 bad rows in one actuals file (a source snippet per finding), and every
//! team of an 8,800-person org renamed, so that every team reference dangles and asks for
//! a "did you mean" (`BROKEN_ORGS`). It times the binary on each, in the human and the
//! JSON format, against the same org before it was broken.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/history.rs"]
mod history;
#[path = "support/measure.rs"]
mod measure;

use std::hint::black_box;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use accord::check::{self, Context, Hits};
use accord::load::{self, OrgFiles};
use accord::model::Org;
use accord::{diagnostic, resolve};
use jiff::civil::Date;

/// Entities asked for, unless `ACCORD_BENCH_SIZES` gives others (`100,1000,10000,30000`):
/// issue 16 asks for 60,000 in at most 0.5 s, with the cost per entity flat from 1,000.
const SIZES: [usize; 3] = [1_000, 10_000, 60_000];

/// Runs of each measurement at a size.
fn runs_for(entities: usize) -> usize {
    measure::runs(match entities {
        0..5_000 => 15,
        5_000..20_000 => 7,
        _ => 3,
    })
}

fn main() {
    if let Err(e) = run() {
        eprintln!("bench check: {e}");
        std::process::exit(1);
    }
}

struct Row {
    entities: usize,
    files: usize,
    bytes: usize,
    runs: usize,
    median: Duration,
    min: Duration,
    /// read_dir, load, resolve, rules + sort: medians.
    phases: [Duration; 4],
    /// The part of resolve that builds the indexed `Org` (the rest checks references).
    index: Duration,
    /// Each rule on its own: id and median.
    rules: Vec<(&'static str, Duration)>,
    process: Option<Duration>,
    /// Kilobytes.
    peak_rss: Option<u64>,
}

fn run() -> io::Result<()> {
    let today = jiff::civil::date(2026, 6, 15);
    let base = measure::fresh_dir("check")?;
    let binary = accord_binary();
    let gnu_time = Path::new("/usr/bin/time").is_file();
    eprintln!("generating into {}", base.display());

    let mut rows = Vec::new();
    for asked in measure::sizes(&SIZES)? {
        let runs = runs_for(asked);
        let dir = base.join(format!("org-{asked}"));
        let counts = generate::write_org(&dir, generate::teams_for_entities(asked))?;
        eprintln!(
            "{} entities, {} files: {runs} runs",
            counts.entities(),
            counts.files
        );

        // Warm-up, and the proof that the org is what the numbers claim: valid and quiet.
        let checked = accord::check_dir(&dir, today)?;
        if !checked.findings.is_empty() {
            return Err(io::Error::other(format!(
                "the generated org at {} has {} findings; the benchmark needs a quiet org",
                dir.display(),
                checked.findings.len()
            )));
        }
        drop(checked);

        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            let checked = black_box(accord::check_dir(black_box(&dir), today)?);
            times.push(start.elapsed());
            drop(checked);
        }

        let mut phases: [Vec<Duration>; 4] = Default::default();
        let mut index = Vec::with_capacity(runs);
        for _ in 0..runs {
            for (i, d) in phase_times(&dir, today)?.into_iter().enumerate() {
                phases[i].push(d);
            }
            index.push(index_time(&dir, today)?);
        }
        let rules = rule_times(&dir, today, runs)?;

        let (process, peak_rss) = match &binary {
            Some((bin, _)) => {
                let mut process = Vec::with_capacity(runs);
                for _ in 0..runs {
                    process.push(run_process(bin, &dir)?);
                }
                let rss = if gnu_time {
                    Some(peak_rss_kb(bin, &dir, &base)?)
                } else {
                    None
                };
                (Some(measure::median(&mut process)), rss)
            }
            None => (None, None),
        };

        rows.push(Row {
            entities: counts.entities(),
            files: counts.files,
            bytes: counts.bytes,
            runs,
            min: *times.iter().min().expect("at least one run"),
            median: measure::median(&mut times),
            phases: phases.map(|mut p| measure::median(&mut p)),
            index: measure::median(&mut index),
            rules,
            process,
            peak_rss,
        });
    }

    let broken = match &binary {
        Some((bin, _)) => broken_orgs(bin, &base)?,
        None => Vec::new(),
    };

    print_tables(&rows, binary.as_ref(), gnu_time, &base);
    print_broken(&broken);
    if std::env::var_os("ACCORD_BENCH_NO_HISTORY").is_none() {
        provenance_case(&base, binary.as_ref())?;
    }
    if std::env::var_os("ACCORD_BENCH_KEEP").is_none() {
        std::fs::remove_dir_all(&base)?;
    } else {
        eprintln!("kept {}", base.display());
    }
    Ok(())
}

/// The release binary, and where the path came from. Cargo builds the package's binaries
/// for its benchmarks (with the bench profile, which inherits release) and says where in
/// `CARGO_BIN_EXE_accord` at compile time; without it, `target/release/accord` of the
/// package (or of `CARGO_TARGET_DIR`), when it exists.
fn accord_binary() -> Option<(PathBuf, &'static str)> {
    if let Some(path) = option_env!("CARGO_BIN_EXE_accord") {
        return Some((
            PathBuf::from(path),
            "CARGO_BIN_EXE_accord, built by cargo bench",
        ));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let path = target.join("release").join("accord");
    if path.is_file() {
        Some((path, "may be stale: run `cargo build --release` first"))
    } else {
        eprintln!(
            "{} is missing: skipping the process timings (run `cargo build --release` first)",
            path.display()
        );
        None
    }
}

/// The phases of `accord::check_files` on their own (see `src/lib.rs`), plus reading.
fn phase_times(dir: &Path, today: Date) -> io::Result<[Duration; 4]> {
    let t0 = Instant::now();
    let files = OrgFiles::read_dir(dir)?;
    let t1 = Instant::now();
    let loaded = load::load(&files, today);
    let t2 = Instant::now();
    let resolved = resolve::resolve(loaded);
    let t3 = Instant::now();
    let mut findings = resolved.findings;
    findings.extend(check::run(
        &resolved.org,
        &resolved.lints,
        &Context::on(today),
    ));
    diagnostic::sort(&mut findings, &resolved.sources);
    let t4 = Instant::now();
    black_box(&findings);
    Ok([t1 - t0, t2 - t1, t3 - t2, t4 - t3])
}

/// `Org::index` alone, on a fresh load.
fn index_time(dir: &Path, today: Date) -> io::Result<Duration> {
    let loaded = load::load(&OrgFiles::read_dir(dir)?, today);
    let start = Instant::now();
    let org = black_box(Org::index(loaded.entities));
    let elapsed = start.elapsed();
    drop(org);
    Ok(elapsed)
}

/// Every rule's check on its own, on one resolved org: medians of `runs` runs.
fn rule_times(dir: &Path, today: Date, runs: usize) -> io::Result<Vec<(&'static str, Duration)>> {
    let resolved = resolve::resolve(load::load(&OrgFiles::read_dir(dir)?, today));
    let context = Context::on(today);
    let mut out = Vec::new();
    for rule in check::RULES {
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let mut hits = Hits::default();
            let start = Instant::now();
            (rule.check)(black_box(&resolved.org), &context, &mut hits);
            times.push(start.elapsed());
            black_box(hits);
        }
        out.push((rule.id, measure::median(&mut times)));
    }
    Ok(out)
}

/// An org broken so that the findings, not its size, make the work.
struct BrokenOrg {
    label: &'static str,
    /// Entities to generate before breaking it.
    entities: usize,
    break_org: fn(&Path) -> io::Result<()>,
}

const BROKEN_ORGS: [BrokenOrg; 2] = [
    BrokenOrg {
        label: "20,000 bad rows in one actuals file",
        entities: 100,
        break_org: bad_actuals_rows,
    },
    BrokenOrg {
        label: "every team renamed in an 8,800-person org: every team reference dangles",
        entities: 28_000,
        break_org: rename_every_team,
    },
];

/// Runs of each format on each broken org.
const BROKEN_RUNS: usize = 5;

/// The binary on one broken org: medians of `BROKEN_RUNS` runs.
struct BrokenRow {
    label: &'static str,
    entities: usize,
    findings: usize,
    /// `--format json` on the org before it was broken.
    clean: Duration,
    json: Duration,
    human: Duration,
}

fn broken_orgs(bin: &Path, base: &Path) -> io::Result<Vec<BrokenRow>> {
    let mut rows = Vec::new();
    for (i, broken) in BROKEN_ORGS.iter().enumerate() {
        let label = broken.label;
        let dir = base.join(format!("broken-{i}"));
        let counts = generate::write_org(&dir, generate::teams_for_entities(broken.entities))?;
        eprintln!(
            "{label}: {} runs of each format",
            measure::runs(BROKEN_RUNS)
        );
        let clean = median_process(bin, &dir, "json", 0)?;
        (broken.break_org)(&dir)?;
        let out = check_command(bin, &dir)
            .args(["--format", "json"])
            .stdout(Stdio::piped())
            .output()?;
        let findings = serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout)
            .map_err(|e| io::Error::other(format!("the JSON findings of {}: {e}", dir.display())))?
            .len();
        rows.push(BrokenRow {
            label,
            entities: counts.entities(),
            findings,
            clean,
            json: median_process(bin, &dir, "json", 1)?,
            human: median_process(bin, &dir, "human", 1)?,
        });
    }
    Ok(rows)
}

/// Replaces the actuals of the plan's first KPI with a header and 20,000 rows whose period
/// (month 13) does not exist: 20,000 `bad-actuals-row` findings in a 269 kB file.
fn bad_actuals_rows(dir: &Path) -> io::Result<()> {
    let mut csv = String::from("period,value\n");
    for i in 0..20_000 {
        csv += &format!("2026-13,{i}\n");
    }
    std::fs::write(dir.join("actuals/plan/leads-created.csv"), csv)
}

/// Renames every team file from `sales-r007.toml` to `team-sales-r007.toml`, leaving
/// every reference to the old ids, each with a near id to suggest.
fn rename_every_team(dir: &Path) -> io::Result<()> {
    let mut stack = vec![dir.join("teams")];
    while let Some(folder) = stack.pop() {
        // Listed before renaming, so no renamed file comes up again.
        let paths: Vec<PathBuf> = std::fs::read_dir(&folder)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<io::Result<_>>()?;
        for path in paths {
            if path.is_dir() {
                stack.push(path);
            } else if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                std::fs::rename(&path, folder.join(format!("team-{name}")))?;
            }
        }
    }
    Ok(())
}

/// The median wall time of `accord check DIR --format FORMAT`, which must exit with `code`.
fn median_process(bin: &Path, dir: &Path, format: &str, code: i32) -> io::Result<Duration> {
    let mut times = Vec::with_capacity(measure::runs(BROKEN_RUNS));
    for _ in 0..measure::runs(BROKEN_RUNS) {
        let mut command = check_command(bin, dir);
        command.args(["--format", format]);
        let start = Instant::now();
        let status = command.status()?;
        times.push(start.elapsed());
        if status.code() != Some(code) {
            return Err(io::Error::other(format!(
                "`{} check {} --format {format}` ended with {status}, not exit code {code}",
                bin.display(),
                dir.display()
            )));
        }
    }
    Ok(measure::median(&mut times))
}

fn check_command(bin: &Path, dir: &Path) -> Command {
    let mut command = Command::new(bin);
    command
        .arg("check")
        .arg(dir)
        .args(["--today", "2026-06-15"]);
    quiet(&mut command);
    command
}

/// No colour, no input, output discarded: only the time counts.
fn quiet(command: &mut Command) {
    command
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
}

fn run_process(bin: &Path, dir: &Path) -> io::Result<Duration> {
    let start = Instant::now();
    let status = check_command(bin, dir).status()?;
    let elapsed = start.elapsed();
    if !status.success() {
        return Err(io::Error::other(format!(
            "`{} check {}` failed: {status}",
            bin.display(),
            dir.display()
        )));
    }
    Ok(elapsed)
}

/// Peak RSS of one run of the binary, in kB: GNU time reports the `ru_maxrss` that
/// wait4(2) returns for its child, which is the child's own high-water mark (VmHWM).
fn peak_rss_kb(bin: &Path, dir: &Path, scratch: &Path) -> io::Result<u64> {
    let report = scratch.join("time.txt");
    // The same command `run_process` times, run through GNU time.
    let check = check_command(bin, dir);
    let mut command = Command::new("/usr/bin/time");
    command
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(check.get_program())
        .args(check.get_args());
    quiet(&mut command);
    let status = command.status()?;
    if !status.success() {
        return Err(io::Error::other(format!(
            "/usr/bin/time {} failed: {status}",
            bin.display()
        )));
    }
    let text = std::fs::read_to_string(&report)?;
    text.lines()
        .filter_map(|l| l.trim().parse().ok())
        .next_back()
        .ok_or_else(|| io::Error::other(format!("no number in {}: {text:?}", report.display())))
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 0.1 {
        format!("{:.1} µs", ms * 1e3)
    } else if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

fn us_per_entity(d: Duration, entities: usize) -> f64 {
    d.as_secs_f64() * 1e6 / entities as f64
}

fn print_broken(rows: &[BrokenRow]) {
    if rows.is_empty() {
        return;
    }
    println!();
    println!("Broken orgs: `accord check` as a process (medians of {BROKEN_RUNS} runs):");
    println!();
    println!(
        "| broken org | entities | findings | before breaking it (json) | --format json | --format human |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.label,
            measure::thousands(r.entities),
            measure::thousands(r.findings),
            ms(r.clean),
            ms(r.json),
            ms(r.human),
        );
    }
}

fn print_tables(
    rows: &[Row],
    binary: Option<&(PathBuf, &'static str)>,
    gnu_time: bool,
    base: &Path,
) {
    println!("orgs under {}", base.display());
    match binary {
        Some((bin, how)) => println!("binary: {} ({how})", bin.display()),
        None => println!("binary: missing, process columns empty"),
    }
    println!();
    println!(
        "| entities | files (MB) | runs | process median | µs/entity (process) | vs smallest | check_dir median | check_dir min | entities/s (in-process) | peak RSS (process) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let process_per_entity = |r: &Row| r.process.map(|p| us_per_entity(p, r.entities));
    for r in rows {
        let per = process_per_entity(r);
        println!(
            "| {} | {} ({:.2}) | {} | {} | {} | {} | {} | {} | {} | {} |",
            measure::thousands(r.entities),
            measure::thousands(r.files),
            r.bytes as f64 / 1e6,
            r.runs,
            r.process.map_or("n/a".into(), ms),
            per.map_or("n/a".into(), |p| format!("{p:.1}")),
            match (per, process_per_entity(&rows[0])) {
                (Some(here), Some(smallest)) => format!("×{:.2}", here / smallest),
                _ => "n/a".into(),
            },
            ms(r.median),
            ms(r.min),
            measure::thousands((r.entities as f64 / r.median.as_secs_f64()) as usize),
            match (r.peak_rss, gnu_time) {
                (Some(kb), _) => format!("{:.1} MB", kb as f64 / 1024.0),
                (None, false) => "n/a (no /usr/bin/time)".into(),
                (None, true) => "n/a".into(),
            },
        );
    }

    println!();
    println!("Phases (medians) and cost per entity:");
    println!();
    println!(
        "| entities | read files | load | resolve | rules + sort | µs/entity (check_dir) | vs smallest | µs/entity (process) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    let first = us_per_entity(rows[0].median, rows[0].entities);
    for r in rows {
        let per = us_per_entity(r.median, r.entities);
        println!(
            "| {} | {} | {} | {} | {} | {per:.1} | ×{:.2} | {} |",
            measure::thousands(r.entities),
            ms(r.phases[0]),
            ms(r.phases[1]),
            ms(r.phases[2]),
            ms(r.phases[3]),
            per / first,
            r.process.map_or("n/a".into(), |p| format!(
                "{:.1}",
                us_per_entity(p, r.entities)
            )),
        );
    }

    println!();
    println!("Resolve split: `Org::index` (membership and responsibility indexes) and the rest");
    println!("(every reference checked against the known ids):");
    println!();
    println!("| entities | resolve | of which Org::index | references |");
    println!("|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} |",
            measure::thousands(r.entities),
            ms(r.phases[2]),
            ms(r.index),
            ms(r.phases[2].saturating_sub(r.index)),
        );
    }

    let last = rows.len() - 1;
    let mut slowest: Vec<usize> = (0..rows[last].rules.len()).collect();
    slowest.sort_by_key(|&i| std::cmp::Reverse(rows[last].rules[i].1));
    println!();
    println!("The five slowest rules at the largest size, and their time at every size:");
    println!();
    let header: Vec<String> = rows
        .iter()
        .map(|r| measure::thousands(r.entities))
        .collect();
    println!(
        "| rule | {} | µs/entity, largest vs next size down |",
        header.join(" | ")
    );
    println!("|---|{}---:|", "---:|".repeat(rows.len()));
    for &i in slowest.iter().take(5) {
        let cells: Vec<String> = rows.iter().map(|r| ms(r.rules[i].1)).collect();
        let per = |r: &Row| us_per_entity(r.rules[i].1, r.entities);
        println!(
            "| `{}` | {} | ×{:.1} |",
            rows[last].rules[i].0,
            cells.join(" | "),
            per(&rows[last]) / per(&rows[last.saturating_sub(1)]),
        );
    }
    let all: Duration = rows[last].rules.iter().map(|(_, d)| *d).sum();
    println!();
    println!(
        "All {} rules at {} entities: {} in all.",
        rows[last].rules.len(),
        measure::thousands(rows[last].entities),
        ms(all)
    );

    println!();
    println!("Per-entity cost of each phase, relative to the smallest org:");
    println!();
    println!("| entities | read files | load | resolve | rules + sort |");
    println!("|---:|---:|---:|---:|---:|");
    for r in rows {
        let cells: Vec<String> = (0..4)
            .map(|i| {
                let here = us_per_entity(r.phases[i], r.entities);
                let there = us_per_entity(rows[0].phases[i], rows[0].entities);
                format!("{here:.2} µs (×{:.2})", here / there)
            })
            .collect();
        println!(
            "| {} | {} |",
            measure::thousands(r.entities),
            cells.join(" | ")
        );
    }
}

// --- Signature provenance: `check` in a git repository with 1,000 commits ---------------

/// Org sizes (entities) of the provenance case.
const HISTORY_SIZES: [usize; 2] = [1_000, 10_000];
/// Commits in the history of each of them, every one touching `agreements/`.
const HISTORY_COMMITS: usize = 1_000;

/// What reading the git history adds to `accord check`: each generated org is committed
/// in a git repository whose history has [`HISTORY_COMMITS`] commits, all touching
/// agreements (one that adds the org with unsigned agreements, one per signature authored
/// by its signer's no-reply address, and review commits appending a comment to one
/// agreement after another), made with one `git fast-import`. The binary checks the
/// repository (history read, `unverified-signature` on) and a copy without `.git`
/// (skipped, as before), alternately, and the overhead is the ratio of the medians.
/// Called from `main` after the size table; prints its own table.
fn provenance_case(base: &Path, binary: Option<&(PathBuf, &'static str)>) -> io::Result<()> {
    let Some((bin, _)) = binary else {
        eprintln!("provenance case skipped: no release binary");
        return Ok(());
    };
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("provenance case skipped: git is missing");
        return Ok(());
    }
    let today = jiff::civil::date(2026, 6, 15);
    println!();
    println!(
        "Signature provenance: `accord check` in a git repository with {HISTORY_COMMITS} commits touching agreements, against a copy without `.git` (process medians):"
    );
    println!();
    println!(
        "| entities | signatures | runs | without history | nothing kept | kept, same HEAD | kept, one new commit | overhead (nothing kept / same / new commit) | history alone (in process) | site history alone (in process) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
    for asked in measure::sizes(&HISTORY_SIZES)? {
        let runs = runs_for(asked);
        let repo = base.join(format!("history-{asked}"));
        let counts = generate::write_org(&repo, generate::teams_for_entities(asked))?;
        history::commit_history(&repo, HISTORY_COMMITS)?;
        let plain = base.join(format!("history-{asked}-plain"));
        history::copy_without_git(&repo, &plain)?;

        // The proof that the history is read and every signature verified: no findings,
        // nothing uncommitted.
        let checked =
            accord::check_dir_with_history(&repo, &Context::on(today), &Default::default())?;
        let read = checked
            .provenance
            .origins()
            .is_some_and(|o| o.uncommitted == 0);
        if !read || !checked.findings.is_empty() {
            return Err(io::Error::other(format!(
                "{}: history read: {read}, {} findings; the case needs a read history and a quiet org",
                repo.display(),
                checked.findings.len()
            )));
        }
        drop(checked);

        // What accord keeps of the history it read (`.git/accord/`): removed before the
        // first of each round of runs, kept for the second (same `HEAD`), and completed with
        // one new review commit by the third.
        let kept = repo.join(".git").join("accord");
        let (mut without, mut alone, mut site_history) = (Vec::new(), Vec::new(), Vec::new());
        let (mut nothing_kept, mut same_head, mut new_commit) =
            (Vec::new(), Vec::new(), Vec::new());
        for run in 0..runs {
            without.push(run_process(bin, &plain)?);
            match std::fs::remove_dir_all(&kept) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            nothing_kept.push(run_process(bin, &repo)?);
            same_head.push(run_process(bin, &repo)?);
            history::commit_review(&repo, run)?;
            new_commit.push(run_process(bin, &repo)?);
            let start = Instant::now();
            black_box(accord::history::SignatureLog::read(&repo).map_err(io::Error::other)?);
            alone.push(start.elapsed());
            // The history the site shows (every file's versions, agreements compared
            // field by field), as `build` reads it.
            let start = Instant::now();
            black_box(accord::history::Changes::read(&repo).map_err(io::Error::other)?);
            site_history.push(start.elapsed());
        }
        let without = measure::median(&mut without);
        let overhead = |with: Duration| (with.as_secs_f64() / without.as_secs_f64() - 1.0) * 100.0;
        let medians = [&mut nothing_kept, &mut same_head, &mut new_commit]
            .map(|times| measure::median(times));
        println!(
            "| {} | {} | {runs} | {} | {} | {} | {} | {:+.1} % / {:+.1} % / {:+.1} % | {} | {} |",
            measure::thousands(counts.entities()),
            measure::thousands(counts.signatures),
            ms(without),
            ms(medians[0]),
            ms(medians[1]),
            ms(medians[2]),
            overhead(medians[0]),
            overhead(medians[1]),
            overhead(medians[2]),
            ms(measure::median(&mut alone)),
            ms(measure::median(&mut site_history)),
        );
    }
    Ok(())
}
