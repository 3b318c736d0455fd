//! `check --format sarif | junit | gitlab` (SPEC 7.6), read back by parsers: serde_json
//! for SARIF and GitLab Code Quality, with the fields their consumers require, and
//! roxmltree, a strict XML 1.0 parser, for JUnit. `.ci/run` also validates SARIF against
//! the official JSON Schema and JUnit with an npm JUnit parser.

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::{accord, copy_dir, exit_code, fixture, fixture_in_repo, output, stdout, temp_dir};
use serde_json::Value;

fn check(org: &Path, format: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "check",
        org.to_str().unwrap(),
        "--today",
        common::TODAY,
        "--format",
        format,
    ];
    args.extend(extra);
    let out = output(&mut accord(&args));
    (exit_code(&out), stdout(&out))
}

fn findings(org: &Path) -> Vec<common::Finding> {
    common::check_json(org, &[]).1
}

#[test]
fn sarif_has_described_rules_and_located_results() {
    let org = fixture_in_repo("unsigned-agreement", "sarif");
    let expected = findings(&org);
    let (code, text) = check(&org, "sarif", &[]);
    assert_eq!(code, 1, "the exit code does not depend on the format");
    let log: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "accord");
    assert_eq!(
        run["tool"]["driver"]["informationUri"],
        env!("CARGO_PKG_REPOSITORY")
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        assert!(rule["id"].is_string(), "{rule}");
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty(),
            "{rule}"
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), expected.len());
    for (result, finding) in results.iter().zip(&expected) {
        assert_eq!(result["ruleId"], finding.rule.as_str());
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], finding.rule.as_str());
        assert_eq!(result["level"], finding.level.as_str());
        assert_eq!(result["message"]["text"], finding.message.as_str());
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            format!("org/{}", finding.file),
            "relative to the repository root"
        );
        let region = &location["region"];
        assert_eq!(region["startLine"], finding.line);
        assert_eq!(region["startColumn"], finding.column);
        assert_eq!(region["endLine"], finding.end_line);
        assert_eq!(region["endColumn"], finding.end_column);
        assert!(result.get("baselineState").is_none());
    }

    let (code, text) = check(&org, "sarif", &["--base", "HEAD"]);
    assert_eq!(code, 0, "every finding is pre-existing");
    let log: Value = serde_json::from_str(&text).unwrap();
    let states: HashSet<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert!(states.contains("unchanged"), "{states:?}");
}

#[test]
fn junit_has_one_failure_per_finding_and_parses_as_xml() {
    let org = fixture_in_repo("unsigned-agreement", "junit");
    let expected = findings(&org);
    let (code, text) = check(&org, "junit", &[]);
    assert_eq!(code, 1);
    let document = roxmltree::Document::parse(&text).expect("well-formed XML 1.0");
    let suite = document
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(
        suite.attribute("failures"),
        Some(expected.len().to_string().as_str())
    );
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), expected.len());
    for (case, finding) in cases.iter().zip(&expected) {
        let failures: Vec<_> = case
            .children()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].attribute("type"), Some(finding.rule.as_str()));
        assert_eq!(
            failures[0].attribute("message"),
            Some(finding.message.as_str())
        );
        assert!(
            failures[0]
                .text()
                .unwrap()
                .starts_with(&format!("org/{}:{}:", finding.file, finding.line))
        );
    }

    // Outside any repository, the clean fixture has no findings at all.
    let clean = temp_dir("junit-clean").child("org");
    copy_dir(&fixture("clean"), &clean);
    assert!(findings(&clean).is_empty());
    let (code, text) = check(&clean, "junit", &[]);
    assert_eq!(code, 0);
    let document = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(
        document
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        1,
        "a report without findings still shows the check ran"
    );
}

#[test]
fn gitlab_issues_have_code_quality_fields_and_stable_fingerprints() {
    let org = fixture_in_repo("unsigned-agreement", "gitlab");
    let expected = findings(&org);
    let (code, text) = check(&org, "gitlab", &[]);
    assert_eq!(code, 1);
    let issues: Vec<Value> = serde_json::from_str(&text).expect("a JSON array");
    assert_eq!(issues.len(), expected.len());
    let mut fingerprints = HashSet::new();
    for (issue, finding) in issues.iter().zip(&expected) {
        assert_eq!(issue["description"], finding.message.as_str());
        assert_eq!(issue["check_name"], finding.rule.as_str());
        let severity = issue["severity"].as_str().unwrap();
        assert!(
            ["info", "minor", "major", "critical", "blocker"].contains(&severity),
            "{severity}"
        );
        assert_eq!(severity == "major", finding.level == "error");
        assert_eq!(issue["location"]["path"], format!("org/{}", finding.file));
        assert_eq!(issue["location"]["lines"]["begin"], finding.line);
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_owned()));
    }

    // Lines inserted above every finding: the same fingerprints.
    let agreement = org.join("agreements/marketing-sales.toml");
    let text = std::fs::read_to_string(&agreement).unwrap();
    std::fs::write(&agreement, format!("# One.\n# Two.\n{text}")).unwrap();
    let (_, shifted) = check(&org, "gitlab", &[]);
    let shifted: Vec<Value> = serde_json::from_str(&shifted).unwrap();
    let again: HashSet<String> = shifted
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(again, fingerprints);
    assert_ne!(
        shifted[0]["location"]["lines"]["begin"],
        issues[0]["location"]["lines"]["begin"]
    );
}

#[test]
fn github_annotations_give_the_end_of_the_span() {
    let org = fixture_in_repo("unsigned-agreement", "github-end");
    let expected = findings(&org);
    let (_, text) = check(&org, "github", &[]);
    let first = text.lines().next().unwrap();
    let f = &expected[0];
    assert!(
        first.starts_with(&format!(
            "::{} file=org/{},line={},endLine={},col={},endColumn={},",
            f.level,
            f.file,
            f.line,
            f.end_line,
            f.column,
            f.end_column - 1
        )),
        "{first}"
    );
}
