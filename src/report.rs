//! The pack for the monthly review (SPEC 7.8): `accord report` and the site's
//! `review.html`, ordered as the meeting runs: the numbers of the month against each
//! term's target and budget, the problems (KPIs off target, findings), the actions by
//! owner, then the decisions needed (agreements ending soon, signatures missing), and
//! what changed in the month.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::civil::Date;
use serde::Serialize;

use crate::Checked;
use crate::diagnostic::Level;
use crate::diff::{code, text};
use crate::history::Changes;
use crate::model::{
    ActionStatus, Actual, AgreementState, ErrorBudget, Kpi, Org, Period, PeriodLabel,
};

/// Agreements ending within this many days of the review need a decision there.
pub const ENDING_SOON_DAYS: i64 = 60;

/// The monthly review pack.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The month reviewed, `2026-09`.
    pub period: String,
    pub terms: Vec<TermLine>,
    pub kpis_off_target: Vec<KpiLine>,
    pub errors: Vec<String>,
    pub warnings: usize,
    /// Open actions by owner (the owner's name), overdue first.
    pub actions: Vec<(String, Vec<ActionLine>)>,
    pub ending_soon: Vec<(String, String, i64)>,
    /// (agreement, the parties that have not signed).
    pub signatures_needed: Vec<(String, Vec<String>)>,
    pub changes: Vec<ChangeLine>,
}

#[derive(Debug, Serialize)]
pub struct TermLine {
    pub agreement: String,
    pub term: String,
    pub provider: String,
    pub kpi: String,
    /// The KPI's unit (`percent`, `minutes`...).
    pub unit: &'static str,
    /// The actual of the month (or of the last period ended in it): its label and value,
    /// written as the pages write numbers.
    pub actual: Option<(String, String)>,
    pub target: String,
    pub met: Option<bool>,
    pub budget: Option<ErrorBudget>,
}

#[derive(Debug, Serialize)]
pub struct KpiLine {
    pub kpi: String,
    pub unit: &'static str,
    pub period: String,
    pub value: String,
    pub target: String,
}

#[derive(Debug, Serialize)]
pub struct ActionLine {
    pub what: String,
    pub meeting: String,
    pub due: Option<Date>,
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct ChangeLine {
    pub date: Date,
    pub author: String,
    pub subject: String,
    pub path: String,
}

/// The month `label` names (`2026-09`), or why it names none.
pub fn parse_month(label: &str) -> Result<PeriodLabel, String> {
    let bad = || format!("`{label}` is not a month: write it as 2026-09");
    let (year, month) = label.split_once('-').ok_or_else(bad)?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(month, 2) {
        return Err(bad());
    }
    match (year.parse::<i16>(), month.parse::<u8>()) {
        (Ok(year), Ok(month)) if (1..=12).contains(&month) => {
            Ok(PeriodLabel::Month { year, month })
        }
        _ => Err(bad()),
    }
}

/// The month reviewed by default: the last one complete before `today`.
pub fn last_complete_month(today: Date) -> PeriodLabel {
    PeriodLabel::last_complete(Period::Month, today)
}

impl Report {
    /// The pack for `month` of the checked org, with the history of its files when read.
    pub fn of(
        checked: &Checked,
        changes: Option<&Changes>,
        month: PeriodLabel,
        today: Date,
    ) -> Report {
        let org = &checked.org;
        let (first, last) = month_days(month);
        let name = |id: &str| org.display_name(id).to_owned();
        let mut terms = Vec::new();
        for agreement in org.agreements.values() {
            if matches!(
                agreement.state(last),
                AgreementState::Expired | AgreementState::Upcoming
            ) {
                continue;
            }
            for term in &agreement.terms {
                let Some(kpi) = term.kpi.as_ref().and_then(|k| org.kpis.get(&k.value)) else {
                    continue;
                };
                let target = term.target_on(kpi);
                let actual = actual_in(org, kpi, last);
                terms.push(TermLine {
                    agreement: agreement.title.clone(),
                    term: term.name(),
                    provider: name(term.provider.value.as_str()),
                    kpi: kpi.name.clone(),
                    unit: kpi.unit.word(),
                    actual: actual.map(|a| (a.period.to_string(), number(a.value))),
                    target: number(target),
                    met: actual.map(|a| kpi.meets(target, a.value)),
                    budget: actual.and_then(|a| ErrorBudget::of(kpi, target, a)),
                });
            }
        }
        let kpis_off_target = org
            .kpis
            .values()
            .filter_map(|kpi| {
                let actual = actual_in(org, kpi, last)?;
                (!kpi.meets_target(actual.value)).then(|| KpiLine {
                    kpi: kpi.name.clone(),
                    unit: kpi.unit.word(),
                    period: actual.period.to_string(),
                    value: number(actual.value),
                    target: number(kpi.target.value),
                })
            })
            .collect();
        let mut by_owner: BTreeMap<String, Vec<ActionLine>> = BTreeMap::new();
        for meeting in org.meetings.values() {
            for action in meeting
                .actions
                .iter()
                .filter(|a| a.status == ActionStatus::Open)
            {
                by_owner
                    .entry(name(action.owner.value.as_str()))
                    .or_default()
                    .push(ActionLine {
                        what: action.what.clone(),
                        meeting: meeting.name.clone(),
                        due: action.due.as_ref().map(|d| d.value),
                        overdue: action.is_overdue(today),
                    });
            }
        }
        for actions in by_owner.values_mut() {
            actions.sort_by_key(|a| (!a.overdue, a.due.is_none(), a.due));
        }
        let ending_soon = org
            .agreements
            .values()
            .filter(|a| (0..=ENDING_SOON_DAYS).contains(&a.days_left(today)))
            .map(|a| {
                (
                    a.title.clone(),
                    a.expires.value.to_string(),
                    a.days_left(today),
                )
            })
            .collect();
        let signatures_needed = org
            .agreements
            .values()
            .filter(|a| a.state(today) != AgreementState::Expired)
            .filter_map(|a| {
                let missing: Vec<String> = a
                    .parties
                    .value
                    .iter()
                    .filter(|p| a.signatures_of(&p.value).next().is_none())
                    .map(|p| name(p.value.as_str()))
                    .collect();
                (!missing.is_empty()).then(|| (a.title.clone(), missing))
            })
            .collect();
        let errors = checked
            .findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .map(|f| {
                let file = checked.sources.get(f.loc.file);
                let line = file.position(f.loc.start as usize).line;
                format!("{}:{line}: {} [{}]", file.path, f.message, f.rule)
            })
            .collect();
        let changes = changes
            .map(|c| {
                c.latest
                    .iter()
                    .filter(|c| (first..=last).contains(&c.date))
                    .map(|c| ChangeLine {
                        date: c.date,
                        author: c.author.clone(),
                        subject: c.subject.clone(),
                        path: c.path.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Report {
            period: month.to_string(),
            terms,
            kpis_off_target,
            errors,
            warnings: checked
                .findings
                .iter()
                .filter(|f| f.level == Level::Warning)
                .count(),
            actions: by_owner.into_iter().collect(),
            ending_soon,
            signatures_needed,
            changes,
        }
    }

    /// The pack as Markdown for an issue or a chat message: every text from the files
    /// escaped, so that none can add, hide or reshape a part of it.
    pub fn to_markdown(&self, org_name: &str) -> String {
        let mut md = String::new();
        let _ = writeln!(
            md,
            "## Monthly review {}: {}\n",
            self.period,
            text(org_name)
        );
        md.push_str("### Numbers\n\n");
        if self.terms.is_empty() {
            md.push_str("No term is measured by a KPI.\n");
        }
        for t in &self.terms {
            let actual = match &t.actual {
                Some((period, value)) => format!("{}{} ({period})", value, unit_suffix(t.unit)),
                None => "no data".to_owned(),
            };
            let verdict = match t.met {
                Some(true) => "met",
                Some(false) => "**missed**",
                None => "**no data**",
            };
            let budget = t.budget.as_ref().map_or(String::new(), |b| {
                format!(", {} misses of {} allowed", b.misses, b.allowed)
            });
            let _ = writeln!(
                md,
                "- {} / {} ({}): {actual} against {}{}: {verdict}{budget}",
                text(&t.agreement),
                text(&t.term),
                text(&t.provider),
                t.target,
                unit_suffix(t.unit)
            );
        }
        md.push_str("\n### Problems\n\n");
        for k in &self.kpis_off_target {
            let _ = writeln!(
                md,
                "- KPI {} off target: {}{unit} in {} against {}{unit}",
                text(&k.kpi),
                k.value,
                k.period,
                k.target,
                unit = unit_suffix(k.unit)
            );
        }
        for e in &self.errors {
            let _ = writeln!(md, "- error: {}", code(e));
        }
        if self.kpis_off_target.is_empty() && self.errors.is_empty() {
            md.push_str("- none\n");
        }
        let _ = writeln!(md, "\n{} warning(s) on the health page.\n", self.warnings);
        md.push_str("### Actions\n\n");
        if self.actions.is_empty() {
            md.push_str("No open action.\n");
        }
        for (owner, actions) in &self.actions {
            let _ = writeln!(md, "- {}", text(owner));
            for a in actions {
                let due = a.due.map_or("no due date".to_owned(), |d| d.to_string());
                let late = if a.overdue { " **overdue**" } else { "" };
                let _ = writeln!(
                    md,
                    "  - {} ({}, {due}){late}",
                    text(&a.what),
                    text(&a.meeting)
                );
            }
        }
        md.push_str("\n### Decisions needed\n\n");
        for (title, expires, days) in &self.ending_soon {
            let _ = writeln!(
                md,
                "- {} ends on {expires} (in {days} days): renew it?",
                text(title)
            );
        }
        for (title, parties) in &self.signatures_needed {
            let parties: Vec<String> = parties.iter().map(|p| text(p)).collect();
            let _ = writeln!(
                md,
                "- {} is not signed by {}",
                text(title),
                parties.join(", ")
            );
        }
        if self.ending_soon.is_empty() && self.signatures_needed.is_empty() {
            md.push_str("- none\n");
        }
        md.push_str("\n### Changes in the month\n\n");
        if self.changes.is_empty() {
            md.push_str("No committed change.\n");
        }
        for c in &self.changes {
            let _ = writeln!(
                md,
                "- {} {}: {} ({})",
                c.date,
                text(&c.author),
                text(&c.subject),
                code(&c.path)
            );
        }
        md
    }
}

/// The first and last day of `month`.
fn month_days(month: PeriodLabel) -> (Date, Date) {
    let last = month.last_day().unwrap_or(Date::MAX);
    (last.first_of_month(), last)
}

/// The latest actual of `kpi` whose period has ended by `last` (the end of the month).
fn actual_in<'o>(org: &'o Org, kpi: &Kpi, last: Date) -> Option<&'o Actual> {
    org.actuals
        .get(&kpi.id)?
        .iter()
        .rev()
        .find(|a| a.period.last_day().is_some_and(|end| end <= last))
}

/// A value's unit in the Markdown, which is in English like its headings: `96.94 %`,
/// `3 minutes`; counts and money as bare numbers.
fn unit_suffix(unit: &str) -> String {
    match unit {
        "percent" => " %".to_owned(),
        "count" | "currency" => String::new(),
        word => format!(" {word}"),
    }
}

fn number(value: f64) -> String {
    crate::render::number(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_written_as_year_dash_month() {
        assert_eq!(
            parse_month("2026-09"),
            Ok(PeriodLabel::Month {
                year: 2026,
                month: 9
            })
        );
        for bad in [
            "2026-13", "2026-00", "2026-9", "+026-09", "2026-+9", "2026", "09-2026", "",
        ] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
    }
}
