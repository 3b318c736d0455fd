//! `accord codeowners` on an org in a subfolder of a real git repository.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{accord, all_output, copy_dir, exit_code, fixture, output, stdout, temp_dir};

/// A git repository with the clean fixture in `org/`.
fn repo(name: &str) -> (PathBuf, PathBuf) {
    let repo = temp_dir(name);
    let org = repo.join("org");
    copy_dir(&fixture("clean"), &org);
    let status = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&repo)
        .status()
        .expect("git runs");
    assert!(status.success());
    (repo, org)
}

fn codeowners(org: &Path, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["codeowners".as_ref(), org.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    output(&mut accord(&args))
}

#[test]
fn each_file_lists_the_handles_of_the_people_bound_by_it() {
    let (_repo, org) = repo("codeowners");
    let result = codeowners(&org, &[]);
    assert_eq!(exit_code(&result), 0);
    let text = stdout(&result);
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "one line per file, sorted");
    // bruno-diaz is the only person with a handle: the sales lead and signer.
    assert!(
        lines.contains(&"/org/agreements/marketing-sales.toml @bruno-diaz"),
        "{text}"
    );
    assert!(
        lines.contains(&"/org/teams/sales.toml @bruno-diaz"),
        "{text}"
    );
    assert!(lines.contains(&"/org/people.toml @bruno-diaz"), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("/org/teams/marketing.toml")),
        "{text}"
    );
    let warnings = all_output(&result);
    assert!(
        warnings.contains("ana-garcia is bound by org/"),
        "people without a handle are reported: {warnings}"
    );
}

#[test]
fn check_tells_whether_the_file_is_up_to_date_and_how_to_regenerate_it() {
    let (repo, org) = repo("codeowners-check");
    let file = repo.join("CODEOWNERS");
    let missing = codeowners(&org, &["--check", file.to_str().unwrap()]);
    assert_eq!(exit_code(&missing), 1);
    std::fs::write(&file, stdout(&codeowners(&org, &[]))).unwrap();
    assert_eq!(
        exit_code(&codeowners(&org, &["--check", file.to_str().unwrap()])),
        0
    );

    let people = org.join("people.toml");
    let text = std::fs::read_to_string(&people).unwrap();
    std::fs::write(
        &people,
        text.replacen("[ana-garcia]\n", "[ana-garcia]\nhandle = \"ana-g\"\n", 1),
    )
    .unwrap();
    let stale = codeowners(&org, &["--check", file.to_str().unwrap()]);
    assert_eq!(exit_code(&stale), 1);
    let message = all_output(&stale);
    assert!(
        message.contains("out of date") && message.contains("accord codeowners"),
        "{message}"
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every path is anchored, so `/org/people.toml` does not also match a KPI file named
/// `people.toml`, and the characters a pattern reads specially in the folder the org
/// lives in are escaped.
#[test]
fn paths_are_anchored_and_escaped() {
    let repo = temp_dir("codeowners-escaped");
    let org = repo.join("my org [x]#1");
    copy_dir(&fixture("clean"), &org);
    let status = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&repo)
        .status()
        .expect("git runs");
    assert!(status.success());
    let kpi = std::fs::read_to_string(org.join("kpis/leads-created.toml")).unwrap();
    write(&org.join("kpis/people.toml"), &kpi);
    let result = codeowners(&org, &[]);
    assert_eq!(exit_code(&result), 0, "{}", all_output(&result));
    let text = stdout(&result);
    let prefix = "/my\\ org\\ \\[x\\]\\#1/";
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        assert!(line.starts_with(prefix), "anchored and escaped: {line}");
    }
    assert!(
        text.lines()
            .any(|l| l == format!("{prefix}people.toml @bruno-diaz")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("{prefix}kpis/people.toml"))),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l == format!("{prefix}accord.toml @bruno-diaz")),
        "{text}"
    );
}

/// A subfolder whose name is not an id (`[abc]` would be a pattern, a tab or a newline
/// would break the line) is a located `bad-id`: no CODEOWNERS is written, stdout stays
/// empty and the finding goes to stderr.
#[test]
fn a_subfolder_that_is_not_an_id_is_refused_with_an_empty_stdout() {
    for folder in ["[abc]", "a\tb", "a\nb", "*"] {
        let (_repo, org) = repo("codeowners-subfolder");
        let team = std::fs::read_to_string(org.join("teams/sales.toml")).unwrap();
        write(&org.join("teams").join(folder).join("extra.toml"), &team);
        let result = codeowners(&org, &[]);
        assert_eq!(exit_code(&result), 1, "{folder:?}: {}", all_output(&result));
        assert_eq!(
            stdout(&result),
            "",
            "{folder:?}: stdout holds the file only"
        );
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(stderr.contains("error[bad-id]"), "{folder:?}: {stderr}");
        assert!(stderr.contains("extra.toml:1:1"), "{folder:?}: {stderr}");
    }
}

/// A handle is a code-host user, an org/team or an e-mail address (SPEC 7.5); an e-mail
/// is written without `@` in front.
#[test]
fn handles_are_validated_and_emails_written_as_is() {
    let (_repo, org) = repo("codeowners-handles");
    let people = org.join("people.toml");
    let text = std::fs::read_to_string(&people).unwrap();
    for bad in ["@bruno", "bruno diaz", "* @evil", "bruno--diaz", "-bruno"] {
        std::fs::write(
            &people,
            text.replacen("handle = \"bruno-diaz\"", &format!("handle = \"{bad}\""), 1),
        )
        .unwrap();
        let result = codeowners(&org, &[]);
        assert_eq!(exit_code(&result), 1, "{bad}: {}", all_output(&result));
        assert!(
            String::from_utf8_lossy(&result.stderr).contains("error[invalid-value]"),
            "{bad}: {}",
            all_output(&result)
        );
    }
    std::fs::write(
        &people,
        text.replacen(
            "handle = \"bruno-diaz\"",
            "handle = \"bruno@acme.example\"",
            1,
        ),
    )
    .unwrap();
    let result = codeowners(&org, &[]);
    assert_eq!(exit_code(&result), 0, "{}", all_output(&result));
    assert!(
        stdout(&result).contains("/org/teams/sales.toml bruno@acme.example\n"),
        "{}",
        stdout(&result)
    );
}
