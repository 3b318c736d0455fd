//! The mistakes people make most on their first day (issue 12), each made in a copy of
//! example-org: one finding, at the value, whose help is the fix.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Finding, accord, exit_code, json_findings, output, temp_dir};

/// The date example-org is written for (its actuals run to September 2026).
const EXAMPLE_TODAY: &str = "2026-10-15";

/// A copy of example-org in a temporary directory, removed when dropped.
struct Copy(common::TempDir);

impl Copy {
    fn new(name: &str) -> Copy {
        let dir = temp_dir(name);
        common::copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("example-org"),
            &dir.join("org"),
        );
        Copy(dir)
    }

    fn org(&self) -> PathBuf {
        self.0.join("org")
    }

    /// Replaces every `from` in the file at `path` (relative to the org) with `to`.
    fn edit(self, path: &str, from: &str, to: &str) -> Self {
        let file = self.org().join(path);
        let text = fs::read_to_string(&file).expect("an example-org file");
        assert!(text.contains(from), "`{from}` is not in {path}");
        fs::write(&file, text.replace(from, to)).expect("write the file");
        self
    }

    /// `accord check --format json` of the copy: the exit code and the findings.
    fn check(&self) -> (i32, Vec<Finding>) {
        let out = output(&mut accord(&[
            "check".as_ref(),
            self.org().as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
            "--today".as_ref(),
            EXAMPLE_TODAY.as_ref(),
        ]));
        (exit_code(&out), json_findings(&out))
    }
}

/// The mistake made by `edit` gives exactly one finding: `rule` at `file:line:column`,
/// exit 1, with `help` as its fix (JSON appends the help to the message after `; `).
fn one_finding(copy: Copy, rule: &str, at: &str, help: &str) {
    let (code, findings) = copy.check();
    let found: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}:{}:{}", f.rule, f.file, f.line, f.column))
        .collect();
    assert_eq!(found, [format!("{rule} {at}")], "{findings:#?}");
    assert_eq!(code, 1);
    let message = &findings[0].message;
    assert!(
        message.ends_with(&format!("; {help}")),
        "the help of `{message}` is not `{help}`"
    );
}

const SLA: &str = "agreements/marketing-sales-sla-2026.toml";

#[test]
fn a_day_first_date_with_dots() {
    one_finding(
        Copy::new("date-dots").edit(SLA, "effective = 2026-01-01", "effective = 01.01.2027"),
        "bad-date",
        &format!("{SLA}:15:13"),
        "dates are written YYYY-MM-DD, unquoted: 2027-01-01",
    );
}

#[test]
fn a_due_date_with_dots() {
    one_finding(
        Copy::new("date-due").edit(
            "meetings/operations-weekly.toml",
            "due = 2026-10-30",
            "due = 15.12.2026",
        ),
        "bad-date",
        "meetings/operations-weekly.toml:19:7",
        "dates are written YYYY-MM-DD, unquoted: 2026-12-15",
    );
}

#[test]
fn a_date_with_slashes() {
    one_finding(
        Copy::new("date-slashes").edit(SLA, "expires = 2026-12-31", "expires = 2027/01/01"),
        "bad-date",
        &format!("{SLA}:16:11"),
        "dates are written YYYY-MM-DD, unquoted: 2027-01-01",
    );
}

#[test]
fn a_conversion_written_as_a_percent() {
    one_finding(
        Copy::new("conversion-percent").edit(
            "accord.toml",
            "conversion = 0.25",
            "conversion = 25%",
        ),
        "invalid-value",
        "accord.toml:74:14",
        "a conversion is a fraction of the stage above: write 0.25 for 25 %",
    );
}

#[test]
fn a_target_quoted_with_a_percent_sign() {
    one_finding(
        Copy::new("target-percent").edit(
            "kpis/customer-satisfaction.toml",
            "target = 90",
            "target = \"90%\"",
        ),
        "wrong-type",
        "kpis/customer-satisfaction.toml:10:10",
        "write the number unquoted, without `%`: 90 (percent values are on the 0-100 scale)",
    );
}

#[test]
fn terms_written_as_single_tables() {
    one_finding(
        Copy::new("single-term").edit(SLA, "[[term]]", "[term]"),
        "toml-syntax",
        &format!("{SLA}:19:1"),
        "write `[[term]]` (two brackets) on lines 19, 35, 51, 64, 80 and 92: each term starts with its own `[[term]]`",
    );
}

#[test]
fn signatures_written_as_single_tables() {
    one_finding(
        Copy::new("single-signature").edit(SLA, "[[signature]]", "[signature]"),
        "toml-syntax",
        &format!("{SLA}:105:1"),
        "write `[[signature]]` (two brackets) on lines 105 and 110: each signature starts with its own `[[signature]]`",
    );
}

#[test]
fn a_kpi_period_written_as_an_adverb() {
    one_finding(
        Copy::new("period-monthly").edit(
            "kpis/customer-satisfaction.toml",
            "period = \"month\"",
            "period = \"monthly\"",
        ),
        "invalid-value",
        "kpis/customer-satisfaction.toml:9:10",
        "did you mean `month`?",
    );
}

#[test]
fn a_meeting_cadence_written_as_a_noun() {
    one_finding(
        Copy::new("cadence-month").edit(
            "meetings/operations-weekly.toml",
            "cadence = \"weekly\"",
            "cadence = \"month\"",
        ),
        "invalid-value",
        "meetings/operations-weekly.toml:3:11",
        "did you mean `monthly`?",
    );
}

#[test]
fn a_unit_written_in_full() {
    one_finding(
        Copy::new("unit-percentage").edit(
            "kpis/customer-satisfaction.toml",
            "unit = \"percent\"",
            "unit = \"percentage\"",
        ),
        "invalid-value",
        "kpis/customer-satisfaction.toml:7:8",
        "did you mean `percent`?",
    );
}

#[test]
fn members_listed_in_a_team_file() {
    one_finding(
        Copy::new("team-members").edit(
            "teams/leadership.toml",
            "lead = \"carmen-nunez\"",
            "lead = \"carmen-nunez\"\nmembers = [\"carmen-nunez\"]",
        ),
        "unknown-key",
        "teams/leadership.toml:4:1",
        "a team's members are listed in people.toml, not in the team's file: give each member the team's id (this file's name) in `teams`, e.g. `teams = [\"sales\"]`",
    );
}

#[test]
fn check_outside_an_org_suggests_init() {
    let empty = temp_dir("no-org");
    let out = output(accord(&["check"]).current_dir(&empty));
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    let _ = fs::remove_dir_all(&empty);
    assert_eq!(exit_code(&out), 2, "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.starts_with("error: no accord.toml in ")
            && said.contains("run `accord init` to start an org here"),
        "{said}"
    );
}
