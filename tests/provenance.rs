//! `unverified-signature` and the provenance of signatures on agreement pages, on real git
//! repositories made in temporary directories with fixed authors and dates.

mod common;

use std::path::{Path, PathBuf};

use common::{TODAY, TempDir, copy_dir, fixture, git, git_as, temp_dir};

const AGREEMENT: &str = "agreements/marketing-sales.toml";
const MARKETING: &str =
    "\n[[signature]]\nparty = \"marketing\"\nby = \"ana-garcia\"\ndate = 2025-12-15\n";
const SALES: &str = "\n[[signature]]\nparty = \"sales\"\nby = \"bruno-diaz\"\ndate = 2025-12-16\n";

/// A repository whose first commit (by Test) holds `clean/` in `org/` without its two
/// signatures; returns the repository and the org.
fn unsigned_repo(name: &str) -> (TempDir, PathBuf) {
    let repo = temp_dir(name);
    let org = repo.join("org");
    copy_dir(&fixture("clean"), &org);
    let text = agreement(&org);
    let unsigned = text.replace(MARKETING, "").replace(SALES, "");
    assert_eq!(unsigned.len() + MARKETING.len() + SALES.len(), text.len());
    std::fs::write(org.join(AGREEMENT), unsigned).expect("write the agreement");
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "unsigned"]);
    (repo, org)
}

fn agreement(org: &Path) -> String {
    std::fs::read_to_string(org.join(AGREEMENT)).expect("read the agreement")
}

/// Appends `signature` to the agreement and commits it as `name <email>`.
fn sign_as(repo: &Path, org: &Path, signature: &str, name: &str, email: &str) {
    std::fs::write(org.join(AGREEMENT), agreement(org) + signature).expect("sign");
    git_as(repo, name, email, &["commit", "-q", "-a", "-m", "sign"]);
}

fn check_stderr(org: &Path) -> (i32, Vec<common::Finding>, String) {
    let out = common::output(&mut common::accord(&[
        "check".as_ref(),
        org.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (common::exit_code(&out), common::json_findings(&out), stderr)
}

#[test]
fn signatures_committed_by_their_signers_are_quiet() {
    // Ana commits with her `email` (in other case), Bruno with GitHub's no-reply address
    // of his `handle`, with and without the numeric id; a later change by someone else
    // does not make the signatures theirs.
    for bruno in [
        "4242+bruno-diaz@users.noreply.github.com",
        "Bruno-Diaz@users.noreply.github.com",
        "bruno-diaz@users.noreply.gitlab.com",
    ] {
        let (repo, org) = unsigned_repo("prov-own");
        sign_as(&repo, &org, MARKETING, "Ana", "ANA@Clean.Example");
        sign_as(&repo, &org, SALES, "Bruno", bruno);
        let text = agreement(&org).replace("Marketing-Sales SLA 2026", "Marketing-Sales SLA");
        std::fs::write(org.join(AGREEMENT), text).expect("retitle");
        git(&repo, &["commit", "-q", "-a", "-m", "retitle"]);
        let (code, findings, stderr) = check_stderr(&org);
        assert_eq!((code, findings), (0, vec![]), "{bruno}");
        assert!(!stderr.contains("note:"), "{stderr}");
    }
}

#[test]
fn a_signature_committed_by_someone_else_is_unverified() {
    let (repo, org) = unsigned_repo("prov-other");
    sign_as(&repo, &org, MARKETING, "Ana", "ana@clean.example");
    // Ana adds Bruno's signature too, and an address of someone else that only looks
    // like his handle.
    sign_as(&repo, &org, SALES, "Ana", "ana@clean.example");
    let (code, findings, _) = check_stderr(&org);
    let found: Vec<String> = findings.iter().map(|f| f.short(true)).collect();
    assert_eq!(
        found,
        [format!("unverified-signature warning {AGREEMENT}:34:6")]
    );
    let message = &findings[0].message;
    assert!(
        message.contains("Ana <ana@clean.example>") && message.contains("`bruno-diaz`"),
        "{message}"
    );
    assert_eq!(code, 0);

    let (repo, org) = unsigned_repo("prov-lookalike");
    sign_as(&repo, &org, SALES, "Eve", "bruno-diaz@example.com");
    let (_, findings, _) = check_stderr(&org);
    let unverified: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "unverified-signature")
        .collect();
    assert_eq!(unverified.len(), 1, "{findings:?}");
    assert!(
        unverified[0]
            .message
            .contains("Eve <bruno-diaz@example.com>")
    );
}

#[test]
fn an_uncommitted_signature_is_a_note_not_a_finding() {
    let (repo, org) = unsigned_repo("prov-uncommitted");
    sign_as(&repo, &org, MARKETING, "Ana", "ana@clean.example");
    std::fs::write(org.join(AGREEMENT), agreement(&org) + SALES).expect("sign");
    let (code, findings, stderr) = check_stderr(&org);
    assert_eq!((code, findings), (0, vec![]));
    assert!(
        stderr.contains("note: 1 signature is not committed yet"),
        "{stderr}"
    );
}

#[test]
fn without_history_the_rule_is_skipped_with_a_note() {
    // Both signatures committed by Test: findings with the history, none without.
    let repo = temp_dir("prov-full");
    copy_dir(&fixture("clean"), &repo.join("org"));
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "signed by Test"]);
    let (_, findings, _) = check_stderr(&repo.join("org"));
    assert_eq!(findings.len(), 2, "{findings:?}");

    let shallow = temp_dir("prov-shallow");
    let url = format!("file://{}", repo.display());
    git(&shallow, &["clone", "-q", "--depth", "1", &url, "clone"]);
    let (code, findings, stderr) = check_stderr(&shallow.join("clone/org"));
    assert_eq!((code, findings), (0, vec![]));
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("note:")).count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("note: unverified-signature skipped: the repository is a shallow clone"),
        "{stderr}"
    );

    let plain = temp_dir("prov-no-repo");
    copy_dir(&fixture("clean"), &plain);
    let (code, findings, stderr) = check_stderr(&plain);
    assert_eq!((code, findings), (0, vec![]));
    assert!(
        stderr.contains("note: unverified-signature skipped: not in a git repository"),
        "{stderr}"
    );
}

#[test]
fn agreement_pages_show_the_commit_and_who_added_each_signature() {
    let (repo, org) = unsigned_repo("prov-page");
    sign_as(&repo, &org, MARKETING, "Ana", "ana@clean.example");
    sign_as(&repo, &org, SALES, "Carmen", "carmen@clean.example");
    let out = repo.join("site");
    let built = common::output(&mut common::accord(&[
        "build".as_ref(),
        org.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_eq!(
        common::exit_code(&built),
        0,
        "{}",
        common::all_output(&built)
    );
    let page = std::fs::read_to_string(out.join("agreements/marketing-sales.html"))
        .expect("the agreement page");
    let short = |message: &str| {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(["log", "--format=%h", "--grep", message, "-1"])
            .output()
            .expect("git log");
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    };
    let commit = short("sign");
    assert!(!commit.is_empty());
    assert!(page.contains(&format!("<code>{commit}</code>")), "{page}");
    assert!(
        page.contains("Carmen <span class=\"on-behalf\">on behalf of</span> Bruno Díaz"),
        "{page}"
    );
    assert!(
        page.contains("<td data-label=\"Added by\">Ana</td>"),
        "{page}"
    );
}

#[test]
fn a_kept_history_is_read_again_once_head_moves() {
    // `serve` keeps the history from one rebuild to the next: a save reuses it, a commit
    // makes it read again.
    let (repo, org) = unsigned_repo("prov-cache");
    sign_as(&repo, &org, MARKETING, "Ana", "ana@clean.example");
    let history = accord::history::LogCache::default();
    let context = accord::check::Context::on(TODAY.parse().expect("a date"));
    let check = || accord::check_dir_with_history(&org, &context, &history).expect("check");
    let uncommitted = |checked: &accord::Checked| {
        checked
            .provenance
            .origins()
            .expect("the history is read")
            .uncommitted
    };
    assert_eq!(uncommitted(&check()), 0);
    let first = history.read(&org).expect("read");
    assert!(std::sync::Arc::ptr_eq(
        &first,
        &history.read(&org).expect("read")
    ));

    std::fs::write(org.join(AGREEMENT), agreement(&org) + SALES).expect("sign");
    assert_eq!(uncommitted(&check()), 1);
    git_as(
        &repo,
        "Eve",
        "eve@example.com",
        &["commit", "-q", "-a", "-m", "sign"],
    );
    let checked = check();
    assert_eq!(uncommitted(&checked), 0);
    let rules: Vec<&str> = checked.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["unverified-signature"]);
}

#[test]
fn what_a_read_found_is_kept_in_the_git_folder_and_completed_by_new_commits() {
    let (repo, org) = unsigned_repo("prov-kept");
    let kept = repo.join(".git/accord/signatures-org.json");
    // Before the sales signature, `unsigned-agreement` is the only other finding.
    let rules = |org: &Path| -> Vec<String> {
        let (_, findings, _) = check_stderr(org);
        findings
            .iter()
            .filter(|f| f.rule == "unverified-signature")
            .map(|f| f.short(true))
            .collect()
    };
    sign_as(&repo, &org, MARKETING, "Ana", "ana@clean.example");
    assert_eq!(rules(&org), Vec::<String>::new());
    let first = std::fs::read_to_string(&kept).expect("the history is kept");
    assert!(first.contains("ana@clean.example"), "{first}");

    // A new commit is read on top of what is kept: Eve's signature is hers, Ana's stays
    // Ana's although the kept history says nothing of Eve's commit.
    sign_as(&repo, &org, SALES, "Eve", "eve@example.com");
    let unverified_sales = format!("unverified-signature warning {AGREEMENT}:34:6");
    assert_eq!(rules(&org), std::slice::from_ref(&unverified_sales));

    // The kept history is what the next run for the same commit reads: a forged one is
    // believed (only someone who can write `.git` can forge it), a broken one is not.
    let second = std::fs::read_to_string(&kept).expect("the history is kept");
    std::fs::write(
        &kept,
        second.replace("ana@clean.example", "eve@example.com"),
    )
    .expect("forge");
    assert_eq!(rules(&org).len(), 2);
    for broken in [
        "",
        "{",
        "[]",
        &second.replace("\"commit\":0", "\"commit\":99"),
    ] {
        std::fs::write(&kept, broken).expect("break");
        assert_eq!(
            rules(&org),
            std::slice::from_ref(&unverified_sales),
            "{broken}"
        );
    }
    assert_eq!(std::fs::read_to_string(&kept).expect("kept again"), second);

    // A rewritten history is read whole: the kept commit is not an ancestor of `HEAD`.
    git_as(
        &repo,
        "Bruno",
        "bruno-diaz@users.noreply.github.com",
        &["commit", "-q", "--amend", "--reset-author", "-m", "sign"],
    );
    assert_eq!(rules(&org), Vec::<String>::new());
}
