//! Reading the org (SPEC 7.1 "Links", values, docs front matter, `unknown-folder`): a link
//! out of the org, a FIFO, a huge file or a path-like language never gets read into the
//! site, its data.json or the terminal; each is a finding at the path, within seconds.

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{
    Finding, TODAY, TempDir, accord, all_output, copy_dir, exit_code, fixture, json_findings,
    temp_dir,
};

/// What the files outside the org hold: it must never appear in anything accord writes.
const SECRET: &str = "ACCORD-SECRET-4242";

/// How long any run may take: a run that reads a FIFO never ends.
const BOUND: Duration = Duration::from_secs(20);

/// A copy of the clean fixture at `<temp>/org`, next to `<temp>/secret.txt`.
struct Hostile {
    dir: TempDir,
    org: PathBuf,
    secret: PathBuf,
}

impl Hostile {
    fn new(name: &str) -> Self {
        let dir = temp_dir(&format!("reading-{name}"));
        let org = dir.join("org");
        copy_dir(&fixture("clean"), &org);
        let secret = dir.join("secret.txt");
        fs::write(&secret, format!("name = \"{SECRET}\"\n")).unwrap();
        Hostile { dir, org, secret }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.org.join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Makes `relative` a link to `target`, replacing what was there.
    fn link(&self, relative: &str, target: &Path) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = fs::remove_file(&path);
        symlink(target, path).unwrap();
    }

    /// Makes `relative` a FIFO, replacing what was there; false when mkfifo is missing.
    fn fifo(&self, relative: &str) -> bool {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = fs::remove_file(&path);
        Command::new("mkfifo")
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success())
    }

    /// `accord check ORG --format json --today TODAY`, bounded in time.
    fn check(&self) -> (Output, Vec<Finding>) {
        let out = bounded(accord(&[
            OsStr::new("check"),
            self.org.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
            OsStr::new("--today"),
            OsStr::new(TODAY),
        ]));
        let findings = json_findings(&out);
        (out, findings)
    }

    /// `accord build ORG -o <temp>/site --today TODAY`, bounded in time; the site folder.
    fn build(&self) -> (Output, PathBuf) {
        let site = self.dir.join("site");
        let out = bounded(accord(&[
            OsStr::new("build"),
            self.org.as_os_str(),
            OsStr::new("-o"),
            site.as_os_str(),
            OsStr::new("--today"),
            OsStr::new(TODAY),
        ]));
        (out, site)
    }
}

/// Runs `cmd` to its end, failing the test when it takes longer than [`BOUND`].
fn bounded(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the accord binary runs");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for accord") {
            let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
            child
                .stdout
                .take()
                .unwrap()
                .read_to_end(&mut stdout)
                .unwrap();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_end(&mut stderr)
                .unwrap();
            return Output {
                status,
                stdout,
                stderr,
            };
        }
        if started.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("accord ran for more than {BOUND:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The one finding of `rule` at `file`, line 1, column 1.
fn assert_at_start(findings: &[Finding], rule: &str, file: &str) {
    let hits: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == rule && f.file == file)
        .collect();
    assert_eq!(hits.len(), 1, "one {rule} at {file} in {findings:#?}");
    assert_eq!((hits[0].line, hits[0].column), (1, 1), "{:?}", hits[0]);
    assert_eq!(hits[0].level, "error");
}

/// Every file under `dir` that holds `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut holding = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return holding;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let path = entry.path();
        // Links are what the attack plants, not what accord wrote.
        if entry.file_type().unwrap().is_symlink() {
            continue;
        }
        if path.is_dir() {
            holding.extend(files_holding(&path, needle));
        } else if String::from_utf8_lossy(&fs::read(&path).unwrap()).contains(needle) {
            holding.push(path);
        }
    }
    holding
}

#[test]
fn a_link_out_of_any_folder_of_the_org_is_never_read() {
    let links = [
        "accord.toml",
        "people.toml",
        "teams/leak.toml",
        "personas/leak.toml",
        "kpis/leak.toml",
        "agreements/leak.toml",
        "meetings/leak.toml",
        "actuals/leak.csv",
        "docs/leak.md",
        "templates/base.html",
        "templates/i18n/en.toml",
        "static/leak.txt",
        "records/leak.csv",
    ];
    for (i, link) in links.iter().enumerate() {
        let org = Hostile::new(&format!("link-{i}"));
        org.link(link, &org.secret);
        let (out, findings) = org.check();
        assert_eq!(exit_code(&out), 1, "{link}: {}", all_output(&out));
        assert_at_start(&findings, "link-outside-org", link);
        let message = &findings
            .iter()
            .find(|f| f.rule == "link-outside-org")
            .unwrap()
            .message;
        assert!(
            message.contains(link) && message.contains("secret.txt") && message.contains("copy"),
            "{message}"
        );
        assert!(
            !all_output(&out).contains(SECRET),
            "{link}: check printed it"
        );
        let (out, site) = org.build();
        assert_eq!(exit_code(&out), 1, "{link}: {}", all_output(&out));
        assert!(
            !all_output(&out).contains(SECRET),
            "{link}: build printed it"
        );
        assert_eq!(
            files_holding(&org.dir, SECRET),
            std::slice::from_ref(&org.secret),
            "{link}"
        );
        assert!(!site.exists(), "{link}: a refused build writes nothing");
    }
}

#[test]
fn links_to_a_folder_the_git_config_a_device_or_proc_are_refused() {
    let org = Hostile::new("link-folder");
    fs::create_dir_all(org.dir.join("elsewhere")).unwrap();
    fs::copy(&org.secret, org.dir.join("elsewhere/leak.md")).unwrap();
    org.link("docs", &org.dir.join("elsewhere"));
    // Where actions/checkout keeps the job's token: inside the org root, but hidden.
    org.write(".git/config", &format!("token = \"{SECRET}\"\n"));
    org.link("static/config", Path::new("../.git/config"));
    // Endless, and the environment of the process reading it.
    org.link("people.toml", Path::new("/dev/zero"));
    org.link("templates/base.html", Path::new("/proc/self/environ"));
    let (out, findings) = org.check();
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    for link in [
        "docs",
        "people.toml",
        "static/config",
        "templates/base.html",
    ] {
        assert_at_start(&findings, "link-outside-org", link);
    }
    assert_eq!(findings.len(), 4, "{findings:#?}");
    let (out, site) = org.build();
    assert_eq!(exit_code(&out), 1);
    assert!(!site.exists());
}

#[test]
fn a_link_inside_the_org_is_read_normally() {
    let org = Hostile::new("link-inside");
    org.write("docs/real.md", "# Real page\n\nINSIDE-TEXT\n");
    org.link("docs/alias.md", Path::new("real.md"));
    org.write("docs/logo.svg", "<svg>INSIDE-LOGO</svg>");
    org.link("static/logo.svg", Path::new("../docs/logo.svg"));
    let (out, findings) = org.check();
    assert_eq!(exit_code(&out), 0, "{findings:#?}");
    assert_eq!(findings, []);
    let (out, site) = org.build();
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let alias = fs::read_to_string(site.join("docs/alias.html")).unwrap();
    assert!(alias.contains("INSIDE-TEXT"));
    let logo = fs::read_to_string(site.join("logo.svg")).unwrap();
    assert!(logo.contains("INSIDE-LOGO"));
}

#[test]
fn dangling_links_and_link_loops_are_errors_not_hangs() {
    let org = Hostile::new("link-broken");
    org.link("teams/gone.toml", Path::new("nowhere.toml"));
    org.link("docs/up", Path::new(".."));
    org.link("docs/a.md", Path::new("b.md"));
    org.link("docs/b.md", Path::new("a.md"));
    let (out, findings) = org.check();
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    for path in ["docs/a.md", "docs/b.md", "docs/up", "teams/gone.toml"] {
        assert_at_start(&findings, "broken-link", path);
    }
    assert_eq!(findings.len(), 4, "{findings:#?}");
}

#[test]
fn a_fifo_is_an_error_naming_it_and_nothing_waits_for_it() {
    for (i, path) in [
        "accord.toml",
        "people.toml",
        "docs/pipe.md",
        "templates/base.html",
        "static/pipe",
    ]
    .iter()
    .enumerate()
    {
        let org = Hostile::new(&format!("fifo-{i}"));
        if !org.fifo(path) {
            eprintln!("no mkfifo: skipped");
            return;
        }
        let (out, findings) = org.check();
        assert_eq!(exit_code(&out), 1, "{path}: {}", all_output(&out));
        assert_at_start(&findings, "special-file", path);
        assert!(
            findings
                .iter()
                .all(|f| f.rule == "special-file" && f.message.contains("FIFO")),
            "{findings:#?}"
        );
        let (out, site) = org.build();
        assert_eq!(exit_code(&out), 1, "{path}: {}", all_output(&out));
        assert!(!site.exists());
    }
}

#[test]
fn an_org_file_that_is_a_link_out_or_a_fifo_is_reported_not_passed_over() {
    // Were it passed over, `check` from inside the org would find an accord.toml
    // further up and check a different org.
    let org = Hostile::new("org-file-link");
    org.link("accord.toml", &org.secret);
    let (out, findings) = org.check();
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    assert_at_start(&findings, "link-outside-org", "accord.toml");
    let fifo = Hostile::new("org-file-fifo");
    fs::write(fifo.dir.join("accord.toml"), "[org]\nname = \"Parent\"\n").unwrap();
    if !fifo.fifo("accord.toml") {
        return;
    }
    let mut from_inside = accord(&[
        OsStr::new("check"),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ]);
    from_inside.current_dir(fifo.path("teams"));
    let out = bounded(from_inside);
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    assert!(
        all_output(&out).contains("special-file"),
        "{}",
        all_output(&out)
    );
}

#[test]
fn a_file_over_8_mib_is_too_large() {
    let nine_mib = 9 * 1024 * 1024;
    for (i, path) in ["teams/big.toml", "docs/big.md", "templates/base.html"]
        .iter()
        .enumerate()
    {
        let org = Hostile::new(&format!("large-{i}"));
        // A comment line: valid in each kind, so only its size is wrong.
        let text = format!("# {}\n", "x".repeat(nine_mib));
        org.write(path, &text);
        let (out, findings) = org.check();
        assert_eq!(exit_code(&out), 1, "{path}: {}", all_output(&out));
        assert_at_start(&findings, "file-too-large", path);
        assert_eq!(findings.len(), 1, "{findings:#?}");
    }
}

#[test]
fn a_language_that_is_no_tag_is_an_invalid_value_and_reads_nothing() {
    let org = Hostile::new("language");
    // The labels file the old path-building would have read, outside the org.
    fs::create_dir_all(org.dir.join("x")).unwrap();
    fs::write(
        org.dir.join("x/labels.toml"),
        format!("owners = \"{SECRET}\"\n"),
    )
    .unwrap();
    let settings = fs::read_to_string(org.path("accord.toml"))
        .unwrap()
        .replacen(
            "name = \"Clean Org\"\n",
            "name = \"Clean Org\"\nlanguage = \"../../x/labels\"\n",
            1,
        );
    org.write("accord.toml", &settings);
    let (out, findings) = org.check();
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    let short: Vec<_> = findings.iter().map(|f| f.short(true)).collect();
    assert_eq!(short, ["invalid-value error accord.toml:3:12"]);
    let (out, site) = org.build();
    assert_eq!(exit_code(&out), 1);
    assert!(!site.exists());
}

#[test]
fn a_page_starting_with_two_byte_order_marks_does_not_panic() {
    let org = Hostile::new("bom");
    org.write(
        "docs/bom.md",
        "\u{feff}\u{feff}+++\ntitle = \"Two marks\"\n+++\n# Page\n",
    );
    let (out, findings) = org.check();
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    assert_eq!(findings, []);
    let (out, _) = org.build();
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
}

#[test]
fn an_unclosed_front_matter_is_an_invalid_value_at_its_fence() {
    let org = Hostile::new("front-matter");
    org.write("docs/open.md", "+++\ntitle = \"Open\"\n\n# Open\n");
    let (out, findings) = org.check();
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    let short: Vec<_> = findings.iter().map(|f| f.short(true)).collect();
    assert_eq!(short, ["invalid-value error docs/open.md:1:1"]);
}

#[test]
fn misnamed_folders_are_unknown_folders_with_the_one_meant() {
    let org = Hostile::new("folders");
    org.write("agreement/sla-2027.toml", "title = \"SLA 2027\"\n");
    org.write("Teams/events.toml", "name = \"Events\"\n");
    org.write("scripts/report.sh", "echo\n");
    org.write(".github/workflows/ci.yml", "on: push\n");
    org.write("public/.accord-site", "");
    let (out, findings) = org.check();
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let short: Vec<_> = findings.iter().map(|f| f.short(true)).collect();
    assert_eq!(
        short,
        [
            "unknown-folder warning Teams:1:1",
            "unknown-folder warning agreement:1:1",
            "unknown-folder warning scripts:1:1",
        ]
    );
    assert!(findings[0].message.contains("did you mean `teams/`?"));
    assert!(findings[1].message.contains("did you mean `agreements/`?"));
    assert!(!findings[2].message.contains("did you mean"));
}

#[test]
fn an_unreadable_template_is_an_io_problem() {
    let org = Hostile::new("unreadable-template");
    // A folder where a template is expected cannot be read, even by root.
    fs::create_dir_all(org.path("templates/base.html")).unwrap();
    let (out, _) = org.build();
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    assert!(all_output(&out).contains("templates/base.html"));

    let org = Hostile::new("unreadable-template-mode");
    org.write("templates/base.html", "{{ page }}");
    let path = org.path("templates/base.html");
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&path).is_ok() {
        return; // root reads anything: the folder above is the check that counts
    }
    let (out, _) = org.build();
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    let (out, _) = org.check();
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
}
