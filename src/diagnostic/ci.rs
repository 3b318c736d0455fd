//! Findings as CI systems read them (SPEC 7.6): SARIF 2.1.0 (GitHub code scanning and
//! other SARIF viewers), JUnit XML (test report panels) and GitLab Code Quality JSON.
//! Paths are relative to the repository root: `path_prefix` (empty or ending in `/`) is
//! the org root's place in the repository, as for GitHub annotations.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Finding, Level, Placed};
use crate::source::Sources;
use crate::text::escape_controls;

/// Renders findings as a SARIF 2.1.0 log with one run. Its rules are those the results
/// name, each described by `describe` (the rule's one-line summary). With `check --base`
/// every result has a `baselineState`: `new`, or `unchanged` for a pre-existing finding.
pub fn render_sarif(
    findings: &[Finding],
    sources: &Sources,
    path_prefix: &str,
    describe: &dyn Fn(&str) -> String,
) -> String {
    let mut rule_index: HashMap<&str, usize> = HashMap::new();
    let mut rules = Vec::new();
    let mut results = Vec::new();
    for (finding, fingerprint) in findings.iter().zip(fingerprints(findings, sources)) {
        let index = *rule_index.entry(finding.rule).or_insert_with(|| {
            rules.push(json!({
                "id": finding.rule,
                "shortDescription": { "text": describe(finding.rule) },
            }));
            rules.len() - 1
        });
        let placed = finding.placed(sources);
        let mut result = json!({
            "ruleId": finding.rule,
            "ruleIndex": index,
            "level": placed.level.word(),
            "message": { "text": placed.message },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri_path(&format!("{path_prefix}{}", placed.file)) },
                    // SARIF's end column is one past the region, as ours.
                    "region": {
                        "startLine": placed.line,
                        "startColumn": placed.column,
                        "endLine": placed.end_line,
                        "endColumn": placed.end_column,
                    },
                },
            }],
            "partialFingerprints": { "accordIdentity/v1": fingerprint },
        });
        if let (Some(new), Value::Object(fields)) = (placed.new, &mut result) {
            fields.insert(
                "baselineState".into(),
                Value::from(if new { "new" } else { "unchanged" }),
            );
        }
        results.push(result);
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "accord",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                },
            },
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// Renders findings as a JUnit XML report: one test case with one failure per finding,
/// or a single passing test case when there is none, so the report always shows the
/// check ran.
pub fn render_junit(findings: &[Finding], sources: &Sources, path_prefix: &str) -> String {
    let count = findings.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"accord\" tests=\"{count}\" failures=\"{}\" errors=\"0\">",
        findings.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"accord check\" tests=\"{count}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
        findings.len()
    );
    if findings.is_empty() {
        out.push_str("    <testcase name=\"no findings\" classname=\"accord\"/>\n");
    }
    for placed in findings.iter().map(|f| f.placed(sources)) {
        let path = format!("{path_prefix}{}", placed.file);
        let position = format!("{path}:{}:{}", placed.line, placed.column);
        let note = if placed.new == Some(false) {
            " (pre-existing)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">",
            xml_escape(&format!("{} at {position}", placed.rule)),
            xml_escape(&path),
            xml_escape(&path),
            placed.line
        );
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{}</failure>",
            xml_escape(&format!("{}{note}", placed.message)),
            xml_escape(placed.rule),
            xml_escape(&format!(
                "{position}: {}[{}] {}{note}",
                placed.level.word(),
                placed.rule,
                placed.message
            ))
        );
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// One issue of GitLab's Code Quality report.
#[derive(serde::Serialize)]
struct CodeQualityIssue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: CodeQualityLocation,
}

#[derive(serde::Serialize)]
struct CodeQualityLocation {
    path: String,
    lines: CodeQualityLines,
}

#[derive(serde::Serialize)]
struct CodeQualityLines {
    begin: usize,
}

/// Renders findings as a GitLab Code Quality report: a JSON array of issues with a
/// fingerprint that stays the same across runs and line shifts (see [`fingerprints`]).
pub fn render_gitlab(findings: &[Finding], sources: &Sources, path_prefix: &str) -> String {
    let issues: Vec<CodeQualityIssue> = findings
        .iter()
        .zip(fingerprints(findings, sources))
        .map(|(finding, fingerprint)| {
            let placed: Placed = finding.placed(sources);
            CodeQualityIssue {
                description: placed.message,
                check_name: placed.rule,
                fingerprint,
                severity: match placed.level {
                    Level::Error => "major",
                    Level::Warning => "minor",
                },
                location: CodeQualityLocation {
                    path: format!("{path_prefix}{}", placed.file),
                    lines: CodeQualityLines { begin: placed.line },
                },
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// A fingerprint for each finding: the 128-bit FNV-1a hash (hex) of its identity (rule,
/// file, message: [`Finding::identity`]) and of how many findings before it share that
/// identity, so that it is stable across runs and line shifts, yet two findings of one
/// report never share one. FNV-1a is a fixed published function, written out here in a
/// few lines: no dependency, and no change of value with a library's version.
pub fn fingerprints(findings: &[Finding], sources: &Sources) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .iter()
        .map(|finding| {
            let identity = finding.identity(sources);
            let occurrence = seen.entry(identity.clone()).or_insert(0);
            *occurrence += 1;
            format!(
                "{:032x}",
                fnv1a_128(format!("{identity}\0{occurrence}").as_bytes())
            )
        })
        .collect()
}

fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    bytes.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u128::from(byte)).wrapping_mul(PRIME)
    })
}

/// `path` as a relative URI reference: every byte outside the unreserved set and `/`
/// percent-encoded, so that a space, `#` or `%` in a file name keeps the path whole.
fn uri_path(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

/// `text` fit for XML 1.0 text and attribute values: markup characters as entities, the
/// characters XML 1.0 cannot hold at all (most C0 controls, U+FFFE, U+FFFF) and every
/// other control or bidi override written as its escape (`\u{1b}`), as in the other
/// formats. With `>` escaped, no `]]>` can appear.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_controls(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::UNKNOWN_KEY;
    use crate::source::Loc;

    fn hostile() -> (Sources, Vec<Finding>) {
        let mut sources = Sources::default();
        let file = sources.add(
            "docs/a <b>&\"c\"\u{1b}\u{ffff}.toml".into(),
            "x = 1\n".into(),
        );
        let finding = Finding::error(
            &UNKNOWN_KEY,
            Loc::new(file, 0..1),
            "`<x>` & \"y\" ]]> 'z' \u{7}\u{202e}",
        );
        (sources, vec![finding])
    }

    #[test]
    fn xml_escapes_markup_controls_and_cdata_ends() {
        let (sources, findings) = hostile();
        let xml = render_junit(&findings, &sources, "org/");
        assert!(!xml.contains("]]>"), "{xml}");
        assert!(!xml.contains('\u{1b}') && !xml.contains('\u{7}') && !xml.contains('\u{ffff}'));
        assert!(!xml.contains('\u{202e}'), "{xml}");
        assert!(
            xml.contains("`&lt;x&gt;` &amp; &quot;y&quot; ]]&gt; &apos;z&apos;"),
            "{xml}"
        );
        assert!(xml.contains("org/docs/a &lt;b&gt;&amp;&quot;c&quot;\\u{1b}\\u{ffff}.toml:1:1"));
    }

    #[test]
    fn sarif_uris_are_percent_encoded_and_regions_exact() {
        let (sources, findings) = hostile();
        let log: Value =
            serde_json::from_str(&render_sarif(&findings, &sources, "org/", &|id| id.into()))
                .unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "org/docs/a%20%3Cb%3E%26%22c%22%1B%EF%BF%BF.toml"
        );
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (region["startLine"].as_u64(), region["endColumn"].as_u64()),
            (Some(1), Some(2))
        );
        assert!(result.get("baselineState").is_none(), "only with --base");
    }

    #[test]
    fn fingerprints_ignore_positions_but_tell_repeats_apart() {
        let mut sources = Sources::default();
        let file = sources.add("a.toml".into(), "x = 1\ny = 2\n".into());
        let at = |range| Finding::error(&UNKNOWN_KEY, Loc::new(file, range), "same");
        let once = fingerprints(&[at(0..1)], &sources);
        assert_eq!(
            once,
            fingerprints(&[at(6..7)], &sources),
            "a line shift keeps it"
        );
        let twice = fingerprints(&[at(0..1), at(6..7)], &sources);
        assert_eq!(twice[0], once[0]);
        assert_ne!(twice[0], twice[1]);
        // FNV-1a 128 of the empty input is its offset basis: the function is the published one.
        assert_eq!(fnv1a_128(b""), 0x6c62272e07bb014262b821756295c58d);
    }
}
