//! No input, closed pipe or full device ends accord with a panic (SPEC 7.1): exit codes
//! stay 0, 1 and 2. A reader that goes away (`accord check | head -1`) leaves the exit
//! code the run would have had; a stdout that cannot take the output (`> /dev/full`) is an
//! I/O error, exit 2; a stderr that cannot is ignored. And orgs full of findings are
//! reported in time linear in their size.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::{BufRead, BufReader, PipeReader, PipeWriter};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TODAY, accord, copy_dir, exit_code, fixture, git, json_findings, temp_dir};

/// The clean fixture with an unknown key, a dangling reference and a bad actuals row, so
/// that every format has findings to write.
fn broken_org(dir: &Path) {
    copy_dir(&fixture("clean"), dir);
    let agreement = dir.join("agreements/marketing-sales.toml");
    let text = fs::read_to_string(&agreement).expect("read the agreement");
    fs::write(&agreement, text.replacen("title =", "tittle =", 1)).expect("write");
    let people = dir.join("people.toml");
    let text = fs::read_to_string(&people).expect("read people.toml");
    fs::write(&people, text.replacen("[\"sales\"]", "[\"saless\"]", 1)).expect("write");
    fs::write(
        dir.join("actuals/leads-created.csv"),
        "period,value\n2026-13,4\n",
    )
    .expect("write");
}

/// A git repository holding the clean fixture, with one agreement changed since HEAD, so
/// that `diff --base HEAD` has something to say.
fn changed_repo(dir: &Path) {
    copy_dir(&fixture("clean"), dir);
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    let agreement = dir.join("agreements/marketing-sales.toml");
    let text = fs::read_to_string(&agreement).expect("read the agreement");
    fs::write(&agreement, text.replacen("title = \"", "title = \"New ", 1)).expect("write");
}

/// Every command that writes something, on orgs that give it something to write.
fn commands(scratch: &Path) -> Vec<Vec<OsString>> {
    let broken = scratch.join("broken");
    broken_org(&broken);
    let repo = scratch.join("repo");
    changed_repo(&repo);
    let clean = fixture("clean");
    let os = |parts: &[&OsStr]| parts.iter().map(|p| p.to_os_string()).collect::<Vec<_>>();
    let s = OsStr::new;
    let mut commands = Vec::new();
    for format in ["human", "json", "github"] {
        commands.push(os(&[
            s("check"),
            broken.as_os_str(),
            s("--today"),
            s(TODAY),
            s("--format"),
            s(format),
        ]));
    }
    commands.extend([
        os(&[s("check"), clean.as_os_str(), s("--today"), s(TODAY)]),
        os(&[s("rules")]),
        os(&[s("explain"), s("unsigned-agreement")]),
        os(&[s("explain"), s("unsigned-agreemnt")]),
        os(&[s("who"), s("bruno-diaz"), clean.as_os_str()]),
        os(&[s("who"), s("nobody"), clean.as_os_str()]),
        os(&[
            s("diff"),
            s("--base"),
            s("HEAD"),
            repo.as_os_str(),
            s("--today"),
            s(TODAY),
        ]),
        os(&[
            s("diff"),
            s("--format"),
            s("json"),
            s("--base"),
            s("HEAD"),
            repo.as_os_str(),
        ]),
        os(&[s("codeowners"), clean.as_os_str()]),
        os(&[s("codeowners"), broken.as_os_str()]),
        os(&[s("schema")]),
        os(&[
            s("build"),
            clean.as_os_str(),
            s("-o"),
            scratch.join("site").as_os_str(),
            s("--today"),
            s(TODAY),
        ]),
        os(&[
            s("build"),
            broken.as_os_str(),
            s("-o"),
            scratch.join("not-built").as_os_str(),
            s("--today"),
            s(TODAY),
        ]),
        os(&[s("completions"), s("bash")]),
        os(&[s("man")]),
        os(&[s("--help")]),
        os(&[s("--version")]),
        os(&[s("check"), s("--no-such-flag")]),
    ]);
    commands
}

fn pipe() -> (PipeReader, PipeWriter) {
    std::io::pipe().expect("a pipe")
}

/// Runs `args` with stdout (and, with `both`, stderr) writing into a pipe whose reader
/// is already gone, as after `| head -0`; stderr otherwise captured.
fn with_closed_pipe(args: &[OsString], both: bool) -> Output {
    let (reader, writer) = pipe();
    drop(reader);
    let mut cmd = accord(args);
    if both {
        cmd.stderr(writer.try_clone().expect("clone the pipe"));
    } else {
        cmd.stderr(Stdio::piped());
    }
    cmd.stdout(writer).stdin(Stdio::null());
    cmd.output().expect("accord runs")
}

/// `accord ARGS 2>&1 | head -1`: the first line is read, then the reader goes away.
fn first_line_only(args: &[OsString]) -> (String, i32) {
    let (reader, writer) = pipe();
    let mut cmd = accord(args);
    cmd.stderr(writer.try_clone().expect("clone the pipe"))
        .stdout(writer)
        .stdin(Stdio::null());
    let mut child = cmd.spawn().expect("accord runs");
    // Our copies of the writer must go, or the pipe never reports its end.
    drop(cmd);
    let mut line = String::new();
    BufReader::new(reader)
        .read_line(&mut line)
        .expect("read the first line");
    let status = child.wait().expect("accord ends");
    (line, status.code().expect("accord exits with a code"))
}

/// Runs `args` with stdout (or stderr) writing to /dev/full; None where there is none.
fn into_full_device(args: &[OsString], stdout: bool) -> Option<Output> {
    let full = fs::OpenOptions::new().write(true).open("/dev/full").ok()?;
    let mut cmd = accord(args);
    cmd.stdin(Stdio::null());
    if stdout {
        cmd.stdout(full).stderr(Stdio::piped());
    } else {
        cmd.stderr(full).stdout(Stdio::piped());
    }
    Some(cmd.output().expect("accord runs"))
}

fn assert_no_panic(label: &str, out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(exit_code(out), 101, "{label}: exit code 101\n{stderr}");
    assert!(!stderr.contains("panicked"), "{label}: {stderr}");
}

#[test]
fn closed_pipes_and_full_devices_never_end_accord_with_a_panic() {
    let scratch = temp_dir("robust-pipes");
    for args in commands(&scratch) {
        let label = format!("accord {}", args.join(OsStr::new(" ")).to_string_lossy());
        let normal = accord(&args).output().expect("accord runs");
        let code = exit_code(&normal);
        assert!([0, 1, 2].contains(&code), "{label}: exit code {code}");
        assert_no_panic(&label, &normal);

        let out = with_closed_pipe(&args, false);
        assert_no_panic(&format!("{label} | head -0"), &out);
        assert_eq!(exit_code(&out), code, "{label} | head -0");

        let out = with_closed_pipe(&args, true);
        assert_eq!(exit_code(&out), code, "{label} 2>&1 | head -0");

        let (line, closed_code) = first_line_only(&args);
        assert_eq!(closed_code, code, "{label} 2>&1 | head -1 gave {line:?}");

        let Some(out) = into_full_device(&args, true) else {
            continue;
        };
        let label_full = format!("{label} > /dev/full");
        assert_no_panic(&label_full, &out);
        if normal.stdout.is_empty() {
            assert_eq!(exit_code(&out), code, "{label_full}");
        } else {
            assert_eq!(exit_code(&out), 2, "{label_full}: an I/O error");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("cannot write to standard output"),
                "{label_full}: {stderr}"
            );
        }

        let out = into_full_device(&args, false).expect("/dev/full opened once already");
        assert_eq!(exit_code(&out), code, "{label} 2> /dev/full");
        if !args.iter().any(|a| a == "build" || a == "diff") {
            // Everything but build and diff prints the same twice.
            assert_eq!(out.stdout, normal.stdout, "{label} 2> /dev/full");
        }
    }
    let _ = fs::remove_dir_all(&scratch);
}

/// The clean fixture with `rows` rows of a month that does not exist in one actuals file.
fn org_with_bad_rows(dir: &Path, rows: usize) {
    copy_dir(&fixture("clean"), dir);
    let mut csv = String::from("period,value\n");
    for i in 0..rows {
        csv += &format!("2026-13,{i}\n");
    }
    fs::write(dir.join("actuals/leads-created.csv"), csv).expect("write the actuals");
}

/// Runs `accord check DIR --today TODAY --format FORMAT`, timed.
fn timed_check(dir: &Path, format: &str) -> (Output, Duration) {
    let mut cmd = accord(&[
        OsStr::new("check"),
        dir.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
        OsStr::new("--format"),
        OsStr::new(format),
    ]);
    let start = Instant::now();
    let out = cmd.output().expect("accord runs");
    (out, start.elapsed())
}

#[test]
fn thousands_of_bad_rows_are_shown_in_linear_time() {
    let rows = 5_000;
    let dir = temp_dir("robust-bad-rows");
    org_with_bad_rows(&dir, rows);
    // JSON has no snippets: the same findings, without what made human output quadratic.
    let (_, json) = timed_check(&dir, "json");
    let (out, human) = timed_check(&dir, "human");
    assert_eq!(exit_code(&out), 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("error[bad-actuals-row]").count(), rows);
    // Each finding shows its own line, numbered as in the file.
    let last = format!("{} | 2026-13,{}", rows + 1, rows - 1);
    assert!(text.contains(&last), "no `{last}` in the output");
    assert_linear(&format!("{rows} bad rows in human format"), human, json);
    let _ = fs::remove_dir_all(&dir);
}

/// The clean fixture plus `teams` teams, `team-0000x`…, and `members` people in each
/// who name it without the `x` when `renamed`, as if every team had just been renamed.
fn org_with_teams(dir: &Path, teams: usize, members: usize, renamed: bool) {
    copy_dir(&fixture("clean"), dir);
    let mut people = fs::read_to_string(dir.join("people.toml")).expect("read people.toml");
    let old_name = if renamed { "" } else { "x" };
    for t in 0..teams {
        fs::write(
            dir.join(format!("teams/team-{t:04}x.toml")),
            format!("name = \"Team {t}\"\nlead = \"ana-garcia\"\n"),
        )
        .expect("write a team");
        for p in 0..members {
            people += &format!(
                "\n[person-{t:04}-{p:02}]\nname = \"Person {t} {p}\"\nteams = [\"team-{t:04}{old_name}\"]\n"
            );
        }
    }
    fs::write(dir.join("people.toml"), people).expect("write people.toml");
}

/// How much longer than a linear baseline a run may take: a few times, where quadratic
/// work (the code before) took 20 to 65 times as long. Both runs are timed in the same
/// build on the same machine, and the margin is wide because other tests (and other
/// jobs) may load the machine during one run and not the other.
fn assert_linear(what: &str, took: Duration, baseline: Duration) {
    assert!(
        took < baseline * 8 + Duration::from_secs(3),
        "{what} took {took:?}, against {baseline:?} for the baseline"
    );
}

#[test]
fn thousands_of_dangling_references_are_resolved_in_linear_time() {
    let (teams, members) = (500, 10);
    let sound_dir = temp_dir("robust-teams");
    org_with_teams(&sound_dir, teams, members, false);
    let (out, sound) = timed_check(&sound_dir, "json");
    assert!(
        json_findings(&out)
            .iter()
            .all(|f| f.rule != "dangling-reference")
    );

    let dir = temp_dir("robust-renamed-teams");
    org_with_teams(&dir, teams, members, true);
    let (out, took) = timed_check(&dir, "json");
    assert_eq!(exit_code(&out), 1);
    let dangling: Vec<_> = json_findings(&out)
        .into_iter()
        .filter(|f| f.rule == "dangling-reference")
        .collect();
    assert_eq!(dangling.len(), teams * members);
    for f in &dangling {
        let id = f.message.split('`').nth(1).expect("the id in backticks");
        assert!(
            f.message.contains(&format!("did you mean `{id}x`?")),
            "{f:?}"
        );
    }
    assert_linear(
        &format!("{} dangling references", dangling.len()),
        took,
        sound,
    );
    let _ = fs::remove_dir_all(&dir);
    let _ = fs::remove_dir_all(&sound_dir);
}

/// `command` run through `sh` with its address space capped at `mib` MiB: a run that
/// tries to hold more fails (an allocation error) instead of eating the machine.
pub(crate) fn with_memory_cap(command: &Command, mib: u64) -> Command {
    let mut capped = Command::new("sh");
    capped
        .arg("-c")
        .arg(format!("ulimit -v {} && exec \"$@\"", mib * 1024))
        .arg("sh")
        .arg(command.get_program())
        .args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => capped.env(name, value),
            None => capped.env_remove(name),
        };
    }
    capped
}

/// The clean fixture at `dir` with a sparse `static/big.bin` of `bytes` that ends in
/// `end\n` (so a copy of the hole alone does not pass).
pub(crate) fn org_with_sparse_static(dir: &Path, bytes: u64) {
    use std::io::{Seek, SeekFrom, Write};
    copy_dir(&fixture("clean"), dir);
    fs::create_dir_all(dir.join("static")).expect("create static/");
    let mut big = fs::File::create(dir.join("static/big.bin")).expect("create big.bin");
    big.set_len(bytes - 4).expect("a sparse file");
    big.seek(SeekFrom::End(0)).expect("seek");
    big.write_all(b"end\n").expect("write");
}

pub(crate) const GIB: u64 = 1024 * 1024 * 1024;

#[test]
fn a_static_file_larger_than_the_memory_cap_is_copied_without_being_held() {
    use std::io::{Read, Seek, SeekFrom};
    let dir = temp_dir("hostile-static-huge");
    let org = dir.join("org");
    org_with_sparse_static(&org, GIB);
    let site = dir.join("site");
    let build = accord(&[
        OsStr::new("build"),
        org.as_os_str(),
        OsStr::new("-o"),
        site.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ]);
    let out = with_memory_cap(&build, 600).output().expect("sh runs");
    let copied = site.join("big.bin");
    let length = fs::metadata(&copied).map(|m| m.len());
    let mut head = vec![1; 4096];
    let mut tail = Vec::new();
    if let Ok(mut file) = fs::File::open(&copied) {
        file.read_exact(&mut head).expect("read the head");
        file.seek(SeekFrom::End(-4)).expect("seek");
        file.read_to_end(&mut tail).expect("read the tail");
    }
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a 1 GiB static file under a 600 MiB cap: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(length.ok(), Some(GIB));
    assert!(
        head.iter().all(|&b| b == 0),
        "the copy begins with the hole"
    );
    assert_eq!(tail, b"end\n");
}

/// A template whose loops would write ~100 TB.
pub(crate) const ENDLESS_TEMPLATE: &str = "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{{ a }} and {{ b }}: a line that a loop repeats without end, long enough to fill the memory soon. ........................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................\n{% endfor %}{% endfor %}";

#[test]
fn a_template_that_writes_without_end_is_stopped_with_an_error_naming_it() {
    let dir = temp_dir("hostile-template-loop");
    let org = dir.join("org");
    copy_dir(&fixture("clean"), &org);
    fs::create_dir_all(org.join("templates")).expect("create templates/");
    fs::write(org.join("templates/index.html"), ENDLESS_TEMPLATE).expect("write");
    let site = dir.join("site");
    let build = accord(&[
        OsStr::new("build"),
        org.as_os_str(),
        OsStr::new("-o"),
        site.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ]);
    let out = with_memory_cap(&build, 1024).output().expect("sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("templates/index.html") && stderr.contains("more than 64 MiB"),
        "{stderr}"
    );
    assert!(!site.exists(), "no site is left from a failed build");
    let _ = fs::remove_dir_all(&dir);
}
