//! `check --base REV` and the `stale-signature` rule, on real git repositories made in
//! temporary directories.

mod common;

use common::{Finding, TempPath, copy_dir, fixture, git, temp_dir};

const AGREEMENT: &str = "agreements/marketing-sales.toml";

/// `common::check_json` without `unverified-signature`: these repositories are committed
/// by Test, not by the signers (that rule is tests/provenance.rs's).
fn check_json(dir: &std::path::Path, extra: &[&str]) -> (i32, Vec<Finding>) {
    let (code, findings) = common::check_json(dir, extra);
    let findings = findings
        .into_iter()
        .filter(|f| f.rule != "unverified-signature")
        .collect();
    (code, findings)
}

/// A repository whose commit holds `clean/` in `org/`; the work tree then holds `after`.
fn repo_with_change(name: &str, after: &str) -> TempPath {
    let repo = temp_dir(name);
    let org = repo.join("org");
    copy_dir(&fixture("clean"), &org);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    std::fs::remove_dir_all(&org).expect("remove the committed org");
    copy_dir(&fixture(after), &org);
    repo.child("org")
}

#[test]
fn fires_for_each_party_when_terms_changed_since_base() {
    let org = repo_with_change("stale", "stale-signature");
    let (code, findings) = check_json(&org, &["--base", "HEAD"]);
    let found: Vec<String> = findings.iter().map(|f| f.short(false)).collect();
    assert_eq!(
        found,
        [
            format!("stale-signature warning {AGREEMENT}:30"),
            format!("stale-signature warning {AGREEMENT}:35"),
        ]
    );
    assert!(
        findings[0].message.contains("2026-03-01"),
        "{}",
        findings[0].message
    );
    assert_eq!(code, 0);
    let (strict, _) = check_json(&org, &["--base", "HEAD", "--deny-warnings"]);
    assert_eq!(strict, 1);
}

#[test]
fn quiet_without_base_or_without_change() {
    let org = repo_with_change("stale-quiet", "stale-signature");
    assert_eq!(check_json(&org, &[]), (0, vec![]));
    let unchanged = repo_with_change("stale-unchanged", "clean");
    assert_eq!(check_json(&unchanged, &["--base", "HEAD"]), (0, vec![]));
}

#[test]
fn quiet_once_every_party_signs_again() {
    let org = repo_with_change("stale-resigned", "stale-signature");
    let path = org.join(AGREEMENT);
    let text = std::fs::read_to_string(&path).expect("read the agreement");
    let resigned = text
        .replace("date = 2025-12-15", "date = 2026-03-02")
        .replace("date = 2025-12-16", "date = 2026-03-02");
    assert_ne!(text, resigned);
    std::fs::write(&path, resigned).expect("write the agreement");
    assert_eq!(check_json(&org, &["--base", "HEAD"]), (0, vec![]));
}

#[test]
fn an_unknown_revision_is_a_usage_error() {
    let org = repo_with_change("stale-bad-rev", "stale-signature");
    let out = common::output(&mut common::accord(&[
        "check".as_ref(),
        org.as_os_str(),
        "--base".as_ref(),
        "no-such-rev".as_ref(),
    ]));
    assert_eq!(common::exit_code(&out), 2);
    assert!(common::all_output(&out).contains("no-such-rev"));
}

#[test]
fn signing_on_the_day_of_the_base_commit_counts() {
    // The base commit is dated 2026-03-01 (tests/common `git`): both parties re-sign the
    // new terms that day.
    let org = repo_with_change("stale-same-day", "stale-signature");
    let path = org.join(AGREEMENT);
    let text = std::fs::read_to_string(&path).expect("read the agreement");
    let resigned = text
        .replace("date = 2025-12-15", "date = 2026-03-01")
        .replace("date = 2025-12-16", "date = 2026-03-01");
    assert_ne!(text, resigned);
    std::fs::write(&path, resigned).expect("write the agreement");
    assert_eq!(check_json(&org, &["--base", "HEAD"]), (0, vec![]));
}

#[test]
fn a_signature_already_at_the_base_on_its_date_is_stale() {
    // The base itself holds signatures dated on its commit's day; the terms change after.
    let repo = temp_dir("stale-base-day");
    let org = repo.join("org");
    copy_dir(&fixture("clean"), &org);
    let path = org.join(AGREEMENT);
    let signed_that_day = std::fs::read_to_string(&path)
        .expect("read the agreement")
        .replace("date = 2025-12-15", "date = 2026-03-01")
        .replace("date = 2025-12-16", "date = 2026-03-01");
    std::fs::write(&path, &signed_that_day).expect("write the agreement");
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    let changed = signed_that_day.replace("within 4 minutes", "within 5 minutes");
    assert_ne!(changed, signed_that_day);
    std::fs::write(&path, changed).expect("change the terms");
    let (_, findings) = check_json(&org, &["--base", "HEAD"]);
    let stale: Vec<String> = findings
        .iter()
        .filter(|f| f.rule == "stale-signature")
        .map(|f| f.short(false))
        .collect();
    assert_eq!(
        stale,
        [
            format!("stale-signature warning {AGREEMENT}:30"),
            format!("stale-signature warning {AGREEMENT}:35"),
        ]
    );
}
