//! `build -o OUT` under hostile spellings (SPEC 7.1): every way of naming the org, its
//! `.git` or someone's folder through `..`, `.`, trailing slashes and symbolic links is
//! refused with exit 2 and leaves every byte of the org (`.git` included) as it was;
//! builds of one OUT at once wait for each other; a build killed at any moment leaves
//! OUT the old or the new complete site, and the next build removes what it left.

#[path = "../../benches/support/generate.rs"]
mod generate;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TODAY, TempDir, accord, copy_dir, exit_code, fixture, git, output, temp_dir};

/// `accord build ORG -o OUT --today DATE`, run from `cwd`.
fn build_command(cwd: &Path, org: &OsStr, out: &OsStr, today: &str) -> Command {
    let mut cmd = accord(&[
        OsStr::new("build"),
        org,
        OsStr::new("-o"),
        out,
        OsStr::new("--today"),
        OsStr::new(today),
    ]);
    cmd.current_dir(cwd);
    cmd
}

fn build(cwd: &Path, org: impl AsRef<OsStr>, out: impl AsRef<OsStr>) -> Output {
    output(&mut build_command(cwd, org.as_ref(), out.as_ref(), TODAY))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What a tree holds, links not followed: each path with its file bytes, its link
/// target or `dir`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .map(|e| e.expect("walk the tree"))
        .map(|e| {
            let content = if e.file_type().is_symlink() {
                let target = fs::read_link(e.path()).expect("read the link");
                format!("-> {}", target.display()).into_bytes()
            } else if e.file_type().is_dir() {
                b"dir".to_vec()
            } else {
                fs::read(e.path()).expect("read the file")
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), content)
        })
        .collect()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .expect("read the folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A scene in a fresh folder `root`: `org/` (the clean fixture in a git repository),
/// `victim/` (someone's non-empty folder), `afile`, and links `orglink -> org`,
/// `gitlink -> org/.git`, `victimlink -> victim`, `dangling -> gone`.
fn scene(name: &str) -> TempDir {
    let root = temp_dir(name);
    let org = root.join("org");
    copy_dir(&fixture("clean"), &org);
    git(&org, &["init", "-q"]);
    git(&org, &["add", "."]);
    git(&org, &["commit", "-q", "-m", "org"]);
    fs::create_dir_all(root.join("victim/photos")).unwrap();
    fs::write(root.join("victim/photos/cat.jpg"), "meow").unwrap();
    fs::write(root.join("afile"), "a file").unwrap();
    #[cfg(unix)]
    for (link, target) in [
        ("orglink", "org"),
        ("gitlink", "org/.git"),
        ("victimlink", "victim"),
        ("dangling", "gone"),
    ] {
        std::os::unix::fs::symlink(root.join(target), root.join(link)).unwrap();
    }
    root
}

/// Builds the org spelled `org` into `out`, from `root`, and asserts a refusal (exit 2)
/// whose message holds `why`, with nothing in `root` changed: the org (`.git` included),
/// the victim, the links, and no folder created.
fn assert_refused(root: &Path, org: &str, out: &str, why: &str) {
    let before = snapshot(root);
    let result = build(root, org, out);
    let message = stderr(&result);
    assert_eq!(
        exit_code(&result),
        2,
        "`build {org} -o {out}` was not refused:\n{message}"
    );
    assert!(
        message.contains(why),
        "`build {org} -o {out}`: the message lacks `{why}`:\n{message}"
    );
    assert!(message.contains("error: "), "{message}");
    assert!(
        snapshot(root) == before,
        "`build {org} -o {out}` changed files under {}",
        root.display()
    );
}

#[test]
fn dot_dot_after_a_missing_folder_is_refused_and_nothing_is_created() {
    let root = scene("out-dotdot");
    let follows = "`..` follows";
    for out in [
        "nosuchdir/../org",
        "nosuchdir/../victim",
        "nosuchdir/../org/.git",
        "./nosuchdir/a/../../org/",
        "org/nosuchdir/../..",
        "org/public/../../org",
    ] {
        assert_refused(&root, "org", out, follows);
    }
    let absolute = root.join("nosuchdir/../org");
    assert_refused(&root, "org", absolute.to_str().unwrap(), follows);
}

#[test]
fn every_spelling_of_the_org_or_what_holds_it_is_refused() {
    let root = scene("out-org");
    let sources = "it is or contains the org's sources";
    let absolute = root.join("org");
    for out in [
        "org",
        "org/",
        "./org/.",
        "org//",
        "org/../org",
        "org/teams/..",
        ".",
        "..",
        "/",
        absolute.to_str().unwrap(),
    ] {
        assert_refused(&root, "org", out, sources);
    }
    #[cfg(unix)]
    {
        // OUT through a link to the org, and the org itself given through a link.
        for out in ["orglink", "orglink/", "orglink/.", "gitlink/.."] {
            assert_refused(&root, "org", out, sources);
        }
        for (org, out) in [("orglink", "org"), ("orglink/", "orglink/../org")] {
            assert_refused(&root, org, out, sources);
        }
    }
    // From inside the org, `.` is the org.
    let before = snapshot(&root);
    let inside = build(&root.join("org"), ".", ".");
    assert_eq!(exit_code(&inside), 2, "{}", stderr(&inside));
    assert!(stderr(&inside).contains(sources));
    assert!(snapshot(&root) == before);
}

#[test]
fn source_folders_and_git_are_refused_through_any_spelling() {
    let root = scene("out-inside");
    for (out, why) in [
        ("org/teams/site", "inside the org's teams/ folder"),
        (
            "org/teams/../agreements/",
            "inside the org's agreements/ folder",
        ),
        ("org/./kpis/new/deep", "inside the org's kpis/ folder"),
        ("org/.git", "inside the org's .git/ folder"),
        ("org/.git/", "inside the org's .git/ folder"),
        ("org/.git/refs/../site", "inside the org's .git/ folder"),
        ("org/.hidden/site", "inside a hidden folder of the org"),
        ("org/records/site", "inside the org's records/ folder"),
    ] {
        assert_refused(&root, "org", out, why);
    }
    #[cfg(unix)]
    {
        for (out, why) in [
            ("gitlink/public", "inside the org's .git/ folder"),
            ("gitlink", "inside the org's .git/ folder"),
            ("orglink/teams/", "inside the org's teams/ folder"),
            ("orglink/.git/hooks/..", "inside the org's .git/ folder"),
        ] {
            assert_refused(&root, "org", out, why);
        }
        // A source folder that is itself a link out of the org is protected where it
        // leads too.
        let elsewhere = root.join("elsewhere-docs");
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("org/docs")).unwrap();
        assert_refused(
            &root,
            "org",
            "elsewhere-docs/site",
            "inside the org's docs/ folder",
        );
        assert_refused(
            &root,
            "org",
            "elsewhere-docs",
            "inside the org's docs/ folder",
        );
        fs::remove_file(root.join("org/docs")).unwrap();
    }
}

#[test]
fn files_links_foreign_folders_and_mount_points_are_refused() {
    let root = scene("out-other");
    let file = "it is a file, not a directory";
    let foreign = "it is not empty and was not built by accord";
    for (out, why) in [
        ("afile", file),
        ("afile/", file),
        ("./afile/.", file),
        ("org/people.toml", file),
        ("afile/site", "Not a directory"),
        ("victim", foreign),
        ("victim/", foreign),
        ("victim/photos/..", foreign),
        ("org/../victim", foreign),
    ] {
        assert_refused(&root, "org", out, why);
    }
    #[cfg(unix)]
    {
        for (out, why) in [
            ("victimlink", foreign),
            ("victimlink/", foreign),
            (
                "dangling",
                "is a symbolic link to something that does not exist",
            ),
            (
                "dangling/site",
                "is a symbolic link to something that does not exist",
            ),
        ] {
            assert_refused(&root, "org", out, why);
        }
        let filelink = root.join("filelink");
        std::os::unix::fs::symlink(root.join("afile"), &filelink).unwrap();
        assert_refused(&root, "org", "filelink", file);
        fs::remove_file(filelink).unwrap();
    }
    #[cfg(target_os = "linux")]
    assert_refused(&root, "org", "/proc", "it is a mount point");
}

#[test]
fn other_spellings_of_the_default_output_build_into_it() {
    let root = scene("out-public");
    let org = root.join("org");
    let sources_before = snapshot(&org);
    let beside_before = names(&root);
    let mut spellings = vec!["org/public", "org/./public/", "org/teams/../public"];
    if cfg!(unix) {
        spellings.push("orglink/public");
    }
    for out in spellings {
        let result = build(&root, "org", out);
        assert_eq!(exit_code(&result), 0, "{out}: {}", stderr(&result));
        assert!(org.join("public/index.html").is_file(), "{out}");
        let mut now = snapshot(&org);
        // Besides the site, only what accord keeps of the git history it read.
        now.retain(|path, _| !path.starts_with("public") && !path.starts_with(".git/accord"));
        assert!(now == sources_before, "{out}: the sources changed");
        assert_eq!(
            names(&root),
            beside_before,
            "{out}: nothing was created beside the org"
        );
        let hidden: Vec<_> = names(&org)
            .into_iter()
            .filter(|n| n.starts_with(".public"))
            .collect();
        assert!(hidden.is_empty(), "{out}: left {hidden:?}");
    }
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_to_a_site_is_rebuilt_where_it_leads() {
    let root = scene("out-link");
    let first = build(&root, "org", "sites/real");
    assert_eq!(exit_code(&first), 0, "{}", stderr(&first));
    std::os::unix::fs::symlink(root.join("sites/real"), root.join("site")).unwrap();
    let second = build(&root, "org", "site");
    assert_eq!(exit_code(&second), 0, "{}", stderr(&second));
    assert!(
        fs::symlink_metadata(root.join("site"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays"
    );
    assert!(root.join("site/index.html").is_file());
    assert_eq!(
        names(&root.join("sites")),
        ["real"],
        "no staging or lock left"
    );
}

#[test]
fn an_output_on_another_file_system_is_built() {
    let shm = Path::new("/dev/shm");
    if !shm.is_dir() {
        return;
    }
    let root = scene("out-device");
    let parent = shm.join(format!("accord-test-{}-device", std::process::id()));
    let _ = fs::remove_dir_all(&parent);
    let out = parent.join("site");
    for _ in 0..2 {
        let result = build(&root, "org", &out);
        assert_eq!(exit_code(&result), 0, "{}", stderr(&result));
    }
    assert!(out.join("index.html").is_file());
    assert_eq!(names(&parent), ["site"]);
    fs::remove_dir_all(&parent).unwrap();
}

/// A generated org large enough that a debug build takes a few hundred milliseconds.
fn large_org(root: &Path) -> PathBuf {
    let org = root.join("org");
    generate::write_org(&org, 20).expect("generate an org");
    org
}

/// Every file of a site, by path relative to it.
fn site_files(site: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(site);
    files.retain(|_, content| content != b"dir");
    files
}

#[test]
fn builds_of_one_output_at_once_wait_for_each_other_and_leave_no_debris() {
    let root = temp_dir("out-concurrent");
    let org = large_org(&root);
    let out = root.join("site");
    let builds: Vec<_> = (0..3)
        .map(|_| {
            build_command(&root, org.as_os_str(), out.as_os_str(), TODAY)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a build")
        })
        .collect();
    let results: Vec<_> = builds
        .into_iter()
        .map(|b| b.wait_with_output().expect("the build ends"))
        .collect();
    for result in &results {
        assert_eq!(exit_code(result), 0, "{}", stderr(result));
    }
    let waited = results
        .iter()
        .filter(|r| stderr(r).contains("waiting for another build of"))
        .count();
    assert!(waited >= 1, "no build waited for another");
    assert!(out.join("index.html").is_file() && out.join(".accord-site").is_file());
    assert_eq!(
        names(&root),
        ["org", "site"],
        "no staging folder or lock left"
    );
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_site_and_the_next_build_cleans_up() {
    let root = temp_dir("out-killed");
    let org = large_org(&root);
    let out = root.join("site");
    // Two complete sites that differ (the date is in every footer): after a kill, OUT is
    // exactly one of them.
    let dates = ["2026-06-14", TODAY];
    let mut sites = Vec::new();
    let mut slowest = Duration::ZERO;
    for date in dates {
        let started = Instant::now();
        let result = output(&mut build_command(
            &root,
            org.as_os_str(),
            out.as_os_str(),
            date,
        ));
        slowest = slowest.max(started.elapsed());
        assert_eq!(exit_code(&result), 0, "{}", stderr(&result));
        sites.push(site_files(&out));
    }
    assert!(sites[0] != sites[1]);
    let rounds = 30;
    let mut interrupted = 0;
    for round in 0..rounds {
        // Kill points spread evenly over a whole build and a little beyond.
        let delay = slowest * 6 / 5 * round / rounds;
        let today = dates[(round % 2) as usize];
        let mut child = build_command(&root, org.as_os_str(), out.as_os_str(), today)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a build");
        std::thread::sleep(delay);
        child.kill().expect("kill -9 the build");
        child.wait().expect("reap the build");
        let now = site_files(&out);
        assert!(
            now == sites[0] || now == sites[1],
            "after a kill at {delay:?}, OUT is not a complete site ({} files)",
            now.len()
        );
        if names(&root)
            .iter()
            .any(|n| n.starts_with(".site.accord-new-"))
        {
            interrupted += 1;
        }
    }
    assert!(
        interrupted >= rounds / 5,
        "only {interrupted} of {rounds} kills interrupted a build"
    );
    let result = build(&root, &org, &out);
    assert_eq!(exit_code(&result), 0, "{}", stderr(&result));
    assert_eq!(
        names(&root),
        ["org", "site"],
        "the next build removed what kills left"
    );
    assert!(
        !names(&org).iter().any(|n| n.contains(".accord-")),
        "nothing in the org"
    );
}

#[test]
fn a_default_output_that_links_out_of_the_org_is_refused() {
    // The org's own files would choose a folder elsewhere on the machine for the build
    // to replace.
    let root = scene("out-default-link");
    fs::create_dir_all(root.join("elsewhere")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("elsewhere"), root.join("org/public")).unwrap();
    let before = snapshot(&root);
    let mut cmd = accord(&[
        OsStr::new("build"),
        OsStr::new("org"),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ]);
    cmd.current_dir(&root);
    let result = output(&mut cmd);
    assert_eq!(exit_code(&result), 2, "{}", stderr(&result));
    assert!(
        stderr(&result).contains("public/ is a link out of the org"),
        "{}",
        stderr(&result)
    );
    assert!(snapshot(&root) == before, "the build changed files");
}
