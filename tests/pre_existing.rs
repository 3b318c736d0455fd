//! `check --base REV` tells new findings from pre-existing ones (SPEC 7.6): a finding
//! already at REV (same rule, file and entity) is reported but fails the run only with
//! `--strict`. Real git repositories made in temporary directories.

mod common;

use std::path::Path;

use common::{Finding, accord, exit_code, fixture_in_repo, output, stdout};

const PERSONA: &str = "personas/operations-olga.toml";
const AGREEMENT: &str = "agreements/marketing-sales.toml";

fn edit(org: &Path, path: &str, edit: impl Fn(&str) -> String) {
    let file = org.join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, edit(&text)).unwrap();
}

/// The findings of `check --base HEAD`, without the history rule (these commits are not
/// the signers').
fn check_base(org: &Path, extra: &[&str]) -> (i32, Vec<Finding>) {
    let (code, findings) = common::check_json(org, &[&["--base", "HEAD"], extra].concat());
    let findings = findings
        .into_iter()
        .filter(|f| f.rule != "unverified-signature")
        .collect();
    (code, findings)
}

fn check_text(org: &Path, format: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "check",
        org.to_str().unwrap(),
        "--today",
        common::TODAY,
        "--base",
        "HEAD",
        "--format",
        format,
    ];
    args.extend(extra);
    let out = output(&mut accord(&args));
    (exit_code(&out), stdout(&out))
}

#[test]
fn a_pull_request_that_touches_nothing_but_a_persona_passes_on_an_org_with_a_pre_existing_error() {
    let org = fixture_in_repo("unsigned-agreement", "pre-existing");
    edit(&org, PERSONA, |text| {
        text.replace("Operations Olga", "Operations Olga (COO)")
    });
    // Lines above the unsigned agreement's finding move: it keeps its identity.
    edit(&org, AGREEMENT, |text| {
        format!("# Reviewed.\n# Twice.\n{text}")
    });

    let (code, findings) = check_base(&org, &[]);
    let unsigned: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule == "unsigned-agreement")
        .collect();
    assert!(!unsigned.is_empty(), "{findings:?}");
    assert!(
        findings.iter().all(|f| f.new == Some(false)),
        "every finding was already at the base: {findings:?}"
    );
    assert_eq!(code, 0, "pre-existing errors do not fail the run");

    let (strict, _) = check_base(&org, &["--strict"]);
    assert_eq!(strict, 1, "--strict counts them");

    let (code, github) = check_text(&org, "github", &[]);
    assert_eq!(code, 0);
    assert!(
        github.lines().any(
            |l| l.starts_with("::notice file=org/agreements/marketing-sales.toml,")
                && l.contains("title=unsigned-agreement")
        ),
        "{github}"
    );
    assert!(!github.contains("::error"), "{github}");

    let (_, human) = check_text(&org, "human", &[]);
    assert!(human.contains("(pre-existing)"), "{human}");

    // Without --base, the v1 shape: no `new`, and the error fails the run.
    let (code, findings) = common::check_json(&org, &[]);
    assert_eq!(code, 1);
    assert!(findings.iter().all(|f| f.new.is_none()));
    let raw = stdout(&output(&mut accord(&[
        "check",
        org.to_str().unwrap(),
        "--format",
        "json",
    ])));
    assert!(!raw.contains("\"new\""), "{raw}");
}

#[test]
fn a_new_finding_fails_the_run_beside_pre_existing_ones() {
    let org = fixture_in_repo("unsigned-agreement", "pre-existing-and-new");
    edit(&org, PERSONA, |text| {
        text.replace("owner = \"marketing\"", "owner = \"nobody\"")
    });
    let (code, findings) = check_base(&org, &[]);
    assert_eq!(code, 1, "{findings:?}");
    let new: Vec<String> = findings
        .iter()
        .filter(|f| f.new == Some(true))
        .map(|f| f.short(false))
        .collect();
    assert_eq!(new, [format!("dangling-reference error {PERSONA}:2")]);
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "unsigned-agreement" && f.new == Some(false))
    );
}
