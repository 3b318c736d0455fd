//! Shared by the integration tests: runs the real `accord` binary and reads its JSON
//! findings. Each test crate uses a different part of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;

/// The date every fixture is written for.
pub const TODAY: &str = "2026-06-15";

/// The rules with a level (SPEC section 3).
pub const RULES: &[&str] = &[
    "unsigned-agreement",
    "signer-outside-party",
    "signature-in-future",
    "expired-agreement",
    "expiring-agreement",
    "agreement-too-long",
    "no-sponsor",
    "no-referee",
    "unmeasured-term",
    "owner-outside-provider",
    "persona-not-agreed",
    "persona-without-qualification",
    "share-missing",
    "kpi-off-target",
    "stale-actuals",
    "long-meeting",
    "meeting-missing-team",
    "missing-cadence",
    "overdue-action",
    "lead-outside-team",
    "plan-shortfall",
    "plan-behind",
    "stray-file",
    "unknown-folder",
    "stale-signature",
    "term-target-mismatch",
    "unverified-signature",
];

/// The classes of structural errors, the `rule` of a structural finding.
pub const ERROR_CLASSES: &[&str] = &[
    "toml-syntax",
    "unknown-key",
    "missing-key",
    "wrong-type",
    "invalid-value",
    "bad-id",
    "duplicate-id",
    "dangling-reference",
    "bad-date",
    "bad-actuals-row",
    "bad-record",
    "not-a-party",
    "target-without-kpi",
    "missing-conversion",
    "missing-file",
    "link-outside-org",
    "broken-link",
    "special-file",
    "file-too-large",
];

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The binary with `args`, in an environment that cannot change its output.
pub fn accord<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.args(args);
    for var in [
        "ACCORD_TODAY",
        "CLICOLOR_FORCE",
        "FORCE_COLOR",
        "CLICOLOR",
        "NO_COLOR",
    ] {
        cmd.env_remove(var);
    }
    // The fixtures and example-org sit in accord's own repository, whose commits are not
    // their people's: git must not find that history (`unverified-signature`). Tests that
    // need a history make their own repository in a temporary directory.
    cmd.env("GIT_CEILING_DIRECTORIES", env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Runs the command to its end.
pub fn output(cmd: &mut Command) -> Output {
    cmd.output().expect("the accord binary runs")
}

pub fn exit_code(out: &Output) -> i32 {
    out.status.code().expect("accord exits with a code")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// stdout and stderr together, for output whose stream the contract leaves open.
pub fn all_output(out: &Output) -> String {
    format!("{}{}", stdout(out), String::from_utf8_lossy(&out.stderr))
}

/// One element of `accord check --format json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub level: String,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Only with `--base REV`: whether the finding is absent at REV.
    #[serde(default)]
    pub new: Option<bool>,
}

impl Finding {
    /// `rule level file:line`, or `rule level file:line:column`: the form expectations
    /// are written in.
    pub fn short(&self, with_column: bool) -> String {
        let mut s = format!("{} {} {}:{}", self.rule, self.level, self.file, self.line);
        if with_column {
            s += &format!(":{}", self.column);
        }
        s
    }
}

/// Parses the JSON findings on stdout and checks what every JSON output must meet: known
/// levels, 1-based positions, an end not before the start, org-relative forward-slash
/// paths, and the order by file, line, column.
pub fn json_findings(out: &Output) -> Vec<Finding> {
    let text = stdout(out);
    let findings: Vec<Finding> = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "stdout is not a JSON array of findings ({e}):\n{text}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    for f in &findings {
        assert!(f.level == "error" || f.level == "warning", "{f:?}");
        assert!(f.line >= 1 && f.column >= 1, "{f:?}");
        assert!((f.end_line, f.end_column) >= (f.line, f.column), "{f:?}");
        assert!(!f.message.is_empty(), "{f:?}");
        assert!(
            !f.file.is_empty()
                && !f.file.contains('\\')
                && !f.file.starts_with('/')
                && !f.file.starts_with("./"),
            "{f:?}"
        );
    }
    let keys: Vec<_> = findings
        .iter()
        .map(|f| (&f.file, f.line, f.column))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "findings are sorted by file, line, column");
    findings
}

/// `accord check DIR --format json --today 2026-06-15 EXTRA...`: the exit code and the
/// findings.
pub fn check_json(dir: &Path, extra: &[&str]) -> (i32, Vec<Finding>) {
    let mut args: Vec<&OsStr> = vec![OsStr::new("check"), dir.as_os_str()];
    for arg in ["--format", "json", "--today", TODAY].iter().chain(extra) {
        args.push(OsStr::new(*arg));
    }
    let out = output(&mut accord(&args));
    (exit_code(&out), json_findings(&out))
}

/// A fresh, empty directory outside the project (and outside its git repository),
/// removed with everything in it when dropped: at the end of the test that holds it,
/// whether the test passed or failed (a failing assertion unwinds through it), so that
/// `cargo test` leaves no folder behind. Keep it in a variable for as long as the test
/// uses the folder; `child` gives a path inside it that keeps it alive.
pub fn temp_dir(name: &str) -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("accord-test-{name}-"))
        .tempdir()
        .expect("create a temporary directory");
    // Its real path (`/tmp` may be a link, as on macOS), which tests compare with what
    // accord resolves.
    let path = dir
        .path()
        .canonicalize()
        .expect("resolve the temporary directory");
    TempDir { path, _dir: dir }
}

/// See [`temp_dir`].
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl TempDir {
    /// `relative` inside this directory (not created), holding the directory until the
    /// path is dropped.
    pub fn child(self, relative: &str) -> TempPath {
        TempPath {
            path: self.path.join(relative),
            _dir: self,
        }
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<OsStr> for TempDir {
    fn as_ref(&self) -> &OsStr {
        self.path.as_os_str()
    }
}

/// A path inside a [`TempDir`], which lives as long as the path.
#[derive(Debug)]
pub struct TempPath {
    path: PathBuf,
    _dir: TempDir,
}

impl std::ops::Deref for TempPath {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for TempPath {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<OsStr> for TempPath {
    fn as_ref(&self) -> &OsStr {
        self.path.as_os_str()
    }
}

/// Copies the directory tree `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create directory");
    for entry in fs::read_dir(from).expect("read directory") {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Runs git in `repo` with a fixed identity and commit date (2026-03-01), so commit
/// dates in tests do not depend on the day they run.
pub fn git(repo: &Path, args: &[&str]) {
    git_as(repo, "Test", "test@example.com", args);
}

/// A fresh repository (a temp dir named after `name`) whose one commit holds the fixture
/// `fixture_name` in `org/`; returns the org's path.
pub fn fixture_in_repo(fixture_name: &str, name: &str) -> TempPath {
    let repo = temp_dir(name);
    copy_dir(&fixture(fixture_name), &repo.join("org"));
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    repo.child("org")
}

/// [`git`] with the author (and committer) `name <email>`.
pub fn git_as(repo: &Path, name: &str, email: &str, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_COMMITTER_DATE", "2026-03-01T10:00:00+01:00")
        .env("GIT_AUTHOR_DATE", "2026-03-01T10:00:00+01:00")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// The text of `html` as a reader sees it: every tag a space, narrow no-break spaces as
/// spaces, white space collapsed (`Sales</a>: 3` reads `Sales : 3`).
#[allow(dead_code)] // not every test target reads pages
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace('\u{202f}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `accord build ORG -o OUT --today TODAY`, which must succeed.
#[allow(dead_code)] // not every test target builds a site
pub fn build_site(org: &Path, out: &Path, today: &str) {
    let result = output(&mut accord(&[
        "build".as_ref(),
        org.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--today".as_ref(),
        today.as_ref(),
    ]));
    assert_eq!(exit_code(&result), 0, "{}", all_output(&result));
}
