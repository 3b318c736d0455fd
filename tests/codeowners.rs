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
        lines.contains(&"org/agreements/marketing-sales.toml @bruno-diaz"),
        "{text}"
    );
    assert!(
        lines.contains(&"org/teams/sales.toml @bruno-diaz"),
        "{text}"
    );
    assert!(lines.contains(&"org/people.toml @bruno-diaz"), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("org/teams/marketing.toml")),
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
