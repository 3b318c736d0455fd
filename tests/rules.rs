//! Every rule and every structural error class against the real binary, one fixture each.
//!
//! `tests/fixtures/clean` is a complete org with no finding on 2026-06-15. Every other
//! fixture is a copy of it with the smallest change that makes exactly the expected
//! findings appear (see tests/fixtures/README.md). Expectations are written as
//! `rule level file:line`, or `rule level file:line:column` where the column is fixed by
//! the contract (line 1, column 1 for findings about a whole file or a file's top-level
//! table, column 1 for a key).

mod common;

use common::{Finding, check_json, fixture};

const AGREEMENT: &str = "agreements/marketing-sales.toml";

/// Checks a fixture: its exact findings and exit code, then the same findings with
/// `--deny-warnings`, which only turns the exit code to 1 when anything was found.
fn assert_fixture(name: &str, expected_exit: i32, expected: &[&str]) -> Vec<Finding> {
    let dir = fixture(name);
    let (code, findings) = check_json(&dir, &[]);
    let with_column = |i: usize| expected.get(i).is_some_and(|e| e.matches(':').count() == 2);
    let actual: Vec<String> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| f.short(with_column(i)))
        .collect();
    assert_eq!(actual, expected, "findings of fixture {name}");
    assert_eq!(code, expected_exit, "exit code of fixture {name}");

    let (strict_code, strict_findings) = check_json(&dir, &["--deny-warnings"]);
    assert_eq!(
        strict_findings, findings,
        "--deny-warnings keeps findings and levels"
    );
    let strict_exit = if findings.is_empty() { 0 } else { 1 };
    assert_eq!(
        strict_code, strict_exit,
        "exit code of fixture {name} with --deny-warnings"
    );
    findings
}

/// One `#[test]` per fixture, named after it (`_` for `-`):
/// `name => exit [expected findings]`.
macro_rules! fixtures {
    ($($name:ident => $exit:literal [$($finding:expr),* $(,)?])*) => {$(
        #[test]
        fn $name() {
            let expected: &[String] = &[$($finding.to_string()),*];
            let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
            assert_fixture(&stringify!($name).replace('_', "-"), $exit, &expected);
        }
    )*};
}

/// `rule level agreements/marketing-sales.toml:at`
fn agreement(rule: &str, level: &str, at: &str) -> String {
    format!("{rule} {level} {AGREEMENT}:{at}")
}

fixtures! {
    clean => 0 []
    subfolders => 0 []
    unicode => 0 []
    // Actuals as a spreadsheet saves them: `;` and tab, `Period`, decimal commas, count.
    actuals_spreadsheet => 0 []

    // Rules with a level, each firing alone.
    unsigned_agreement => 1 [agreement("unsigned-agreement", "error", "3")]
    signer_outside_party => 1 [agreement("signer-outside-party", "error", "34")]
    // Dated tomorrow: at the date's value.
    signature_in_future => 1 [agreement("signature-in-future", "error", "35:8")]
    expired_agreement => 1 [agreement("expired-agreement", "error", "7")]
    expiring_agreement => 0 [agreement("expiring-agreement", "warning", "7")]
    agreement_too_long => 0 [agreement("agreement-too-long", "warning", "7")]
    no_sponsor => 0 [agreement("no-sponsor", "warning", "1:1")]
    no_referee => 0 [agreement("no-referee", "warning", "1:1")]
    unmeasured_term => 0 [agreement("unmeasured-term", "warning", "19")]
    owner_outside_provider => 0 [agreement("owner-outside-provider", "warning", "22")]
    persona_not_agreed => 0 ["persona-not-agreed warning personas/operations-olga.toml:3"]
    persona_without_qualification => 0 [
        "persona-without-qualification warning personas/operations-olga.toml:1:1"
    ]
    share_missing => 0 ["share-missing warning kpis/mql-delivered.toml:7"]
    kpi_off_target => 0 ["kpi-off-target warning actuals/leads-created.csv:4"]
    // A weekly KPI without its last complete week (at the latest row), and a KPI
    // without any actuals file (at the KPI's file).
    stale_actuals => 0 [
        "stale-actuals warning actuals/call-back-minutes.csv:3:1",
        "stale-actuals warning kpis/mql-delivered.toml:1:1",
    ]
    long_meeting => 0 ["long-meeting warning meetings/smarketing-weekly.toml:3"]
    meeting_missing_team => 0 ["meeting-missing-team warning meetings/smarketing-monthly.toml:4"]
    missing_cadence => 0 [agreement("missing-cadence", "warning", "3")]
    missing_cadence_both => 0 [
        agreement("missing-cadence", "warning", "3"),
        agreement("missing-cadence", "warning", "3"),
    ]
    overdue_action => 0 ["overdue-action warning meetings/smarketing-weekly.toml:12"]
    lead_outside_team => 0 ["lead-outside-team warning teams/sales.toml:2"]
    plan_shortfall => 0 ["plan-shortfall warning accord.toml:16"]
    // Leads of March to May, 11 + 9 + 12 = 32 of the 96 x 5 / 12 = 40 due by May: 80 %.
    plan_behind => 0 ["plan-behind warning accord.toml:16"]
    stray_file => 0 ["stray-file warning teams/notes.txt:1:1"]
    // A term target of 100 on a KPI whose target is 10: at the term's target.
    term_target_mismatch => 0 [agreement("term-target-mismatch", "warning", "16:10")]

    // Boundaries.
    expiring_agreement_today => 0 [agreement("expiring-agreement", "warning", "7")]
    expiring_agreement_31_days => 0 []
    agreement_too_long_366_days => 0 []
    long_meeting_60_minutes => 0 []
    overdue_action_due_today => 0 []
    missing_cadence_daily => 0 []
    plan_shortfall_exact => 0 []
    // 15 + 9 + 12 = 36 of 40: exactly 90 %, at risk but not behind.
    plan_behind_90_percent => 0 []
    // The latest period (not the last line) meets a "down" target exactly, and the latest
    // period of an "up" KPI meets its target exactly.
    kpi_off_target_boundary => 0 []

    // no-sponsor raised to deny, long-meeting allowed, unsigned-agreement lowered to warn.
    lints_override => 1 [
        agreement("no-sponsor", "error", "1:1"),
        agreement("unsigned-agreement", "warning", "3"),
    ]

    // Structural errors.
    error_toml_syntax => 1 [agreement("toml-syntax", "error", "8")]
    error_missing_key => 1 [
        "missing-key error accord.toml:7",
        agreement("missing-key", "error", "1:1"),
        agreement("missing-key", "error", "19"),
        "missing-key error people.toml:23",
    ]
    error_wrong_type => 1 [agreement("wrong-type", "error", "8")]
    error_invalid_value => 1 ["invalid-value error accord.toml:25"]
    error_bad_id => 1 [
        "bad-id error agreements/Marketing_Sales.toml:1:1",
        "bad-id error agreements/Marketing_Sales.toml:20",
    ]
    // A folder inside an entity folder whose name is not an id: at its file, 1:1.
    error_bad_id_subfolder => 1 [
        "bad-id error agreements/2026 Q1/marketing-sales.toml:1:1",
    ]
    // One-line text with a line break (a title) and a tab (a profile value), at the value.
    error_invalid_value_control_character => 1 [
        agreement("invalid-value", "error", "1:9"),
        "invalid-value error personas/operations-olga.toml:9:8",
    ]
    // 1.79e308 is finite but beyond 1e15, in a KPI target and in an actuals value.
    error_invalid_value_number_too_large => 1 [
        "invalid-value error actuals/leads-created.csv:3:9",
        "invalid-value error kpis/leads-created.toml:6:10",
    ]
    // `nan` and `-inf` are TOML floats, but not numbers accord can compare.
    error_invalid_value_not_finite => 1 [
        agreement("invalid-value", "error", "25:10"),
        "invalid-value error kpis/call-back-minutes.toml:6:10",
    ]
    // `@bruno-diaz` is none of a code-host user, an org/team or an e-mail address.
    error_invalid_value_handle => 1 ["invalid-value error people.toml:11:10"]
    // A team's `handle` is checked like a person's: `@clean/marketing` has an `@` in front.
    error_invalid_value_team_handle => 1 ["invalid-value error teams/marketing.toml:5:10"]
    // `day = "first mon"` on a weekly meeting, `time = "25:00"`, `day = "monday"` on a
    // monthly one: each at its value (the fixes are asserted below).
    error_invalid_value_meeting_schedule => 1 [
        "invalid-value error meetings/smarketing-monthly.toml:7:7",
        "invalid-value error meetings/smarketing-weekly.toml:8:7",
        "invalid-value error meetings/smarketing-weekly.toml:9:8",
    ]
    // A percent KPI with targets of 0.95 beside actuals of 93 to 97: the KPI's target and
    // the term's, each at the value, with `write 95, not 0.95` (asserted below).
    error_invalid_value_percent => 1 [
        agreement("invalid-value", "error", "25:10"),
        "invalid-value error kpis/call-back-minutes.toml:6:10",
    ]
    // Percents outside 0-100: an actual (100.5), a term target (-5), a KPI target (120).
    error_invalid_value_percent_range => 1 [
        "invalid-value error actuals/call-back-minutes.csv:3:10",
        agreement("invalid-value", "error", "25:10"),
        "invalid-value error kpis/call-back-minutes.toml:6:10",
    ]
    // 2027-05 in a file read on 2026-06-15: at the period.
    error_invalid_value_future_period => 1 ["invalid-value error actuals/leads-created.csv:5:1"]
    error_duplicate_id_term => 1 [agreement("duplicate-id", "error", "20")]
    error_dangling_reference => 1 [
        agreement("dangling-reference", "error", "17"),
        "dangling-reference error people.toml:25",
    ]
    error_bad_date => 1 [
        agreement("bad-date", "error", "6"),
        agreement("bad-date", "error", "7"),
    ]
    // expires not after effective: the finding is at `expires`.
    error_bad_date_order => 1 [agreement("bad-date", "error", "7")]
    error_bad_actuals_row => 1 [
        "bad-actuals-row error actuals/leads-created.csv:2",
        "bad-actuals-row error actuals/leads-created.csv:3",
    ]
    // A term provider and a signature party that are not parties.
    error_not_a_party => 1 [
        agreement("not-a-party", "error", "29"),
        agreement("not-a-party", "error", "45"),
    ]
    // unmeasured-term is allowed in this fixture, to leave the structural error alone.
    error_target_without_kpi => 1 [agreement("target-without-kpi", "error", "25")]
    error_missing_conversion => 1 ["missing-conversion error accord.toml:18"]
    error_missing_file => 1 ["missing-file error people.toml:1:1"]

    // The loader does not stop at the first error: one per file, all reported.
    error_several_files => 1 [
        "unknown-key error accord.toml:28:1",
        "bad-actuals-row error actuals/leads-created.csv:3",
        agreement("toml-syntax", "error", "8"),
        "missing-key error people.toml:23",
    ]
}

/// The misspelt `summery` is reported at the key, and the message suggests `summary`.
#[test]
fn error_unknown_key() {
    let findings = assert_fixture(
        "error-unknown-key",
        1,
        &[agreement("unknown-key", "error", "2:1").as_str()],
    );
    let message = &findings[0].message;
    assert!(message.contains("summery"), "names the key: {message}");
    assert!(
        message.contains("summary"),
        "suggests the known key: {message}"
    );
    assert_eq!(findings[0].end_column, 8, "the span is the key");
}

/// Ids come from file stems whatever the subfolder; the same stem in two subfolders is
/// reported at the second file in path order, and the message names both.
#[test]
fn error_duplicate_id() {
    let findings = assert_fixture(
        "error-duplicate-id",
        1,
        &[agreement("duplicate-id", "error", "1:1").as_str()],
    );
    let message = &findings[0].message;
    assert!(
        message.contains("agreements/2025/marketing-sales.toml"),
        "{message}"
    );
    assert!(message.contains(AGREEMENT), "{message}");
}

/// A person whose id is a team id. The contract does not say which of the two places the
/// finding points at, so either is accepted.
#[test]
fn error_duplicate_id_person_team() {
    let (code, findings) = check_json(&fixture("error-duplicate-id-person-team"), &[]);
    assert_eq!(code, 1);
    let places: Vec<String> = findings.iter().map(|f| f.short(false)).collect();
    assert!(
        places == ["duplicate-id error people.toml:28"]
            || places == ["duplicate-id error teams/leadership.toml:1"],
        "{places:?}"
    );
}

/// Columns count characters: `ń` and `Ł` before the dangling `"nobody"` are one column
/// each (the opening quote is column 48 in characters, 50 in bytes).
#[test]
fn unicode_columns() {
    let findings = assert_fixture(
        "unicode-columns",
        1,
        &["dangling-reference error meetings/smarketing-monthly.toml:7"],
    );
    let f = &findings[0];
    assert!(matches!(f.column, 48 | 49), "column in characters: {f:?}");
    assert_eq!(f.end_line, 7, "{f:?}");
    assert!(
        matches!(f.end_column - f.column, 6 | 8),
        "the span is `nobody`, with or without quotes: {f:?}"
    );
}

/// Every percent finding carries its fix: the fraction's value on the 0-100 scale, or
/// the scale itself; the mismatch names both targets and the likely scale error.
#[test]
fn percent_findings_propose_the_fix() {
    for (name, fixes) in [
        (
            "error-invalid-value-percent",
            &["write 95, not 0.95", "write 95, not 0.95"][..],
        ),
        (
            "error-invalid-value-percent-range",
            &["percent values are 0-100"; 3][..],
        ),
        ("term-target-mismatch", &["95, not 0.95"][..]),
    ] {
        let (_, findings) = check_json(&fixture(name), &[]);
        assert_eq!(findings.len(), fixes.len(), "{name}: {findings:?}");
        for (finding, fix) in findings.iter().zip(fixes) {
            assert!(finding.message.contains(fix), "{name}: {}", finding.message);
        }
    }
}

/// A meeting's `day` and `time` that do not fit get the fix that does.
#[test]
fn meeting_schedule_findings_propose_the_fix() {
    let dir = fixture("error-invalid-value-meeting-schedule");
    let out = common::output(&mut common::accord(&[
        "check".as_ref(),
        dir.as_os_str(),
        "--today".as_ref(),
        "2026-06-15".as_ref(),
    ]));
    let text = common::all_output(&out);
    for help in [
        "help: write \"first mon\" ... \"last mon\"",
        "help: write the weekday alone, e.g. \"mon\", or make the meeting monthly",
        "help: write the start as HH:MM on the 24-hour clock, e.g. \"09:30\" or \"16:00\"",
    ] {
        assert!(text.contains(help), "{help} not in:\n{text}");
    }
}
