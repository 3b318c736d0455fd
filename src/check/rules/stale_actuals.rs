//! `stale-actuals`: a KPI has no actual for its last complete period.

use crate::check::{Context, Hits, Rule};
use crate::model::{Collection, LintLevel, Org, PeriodLabel};
use crate::source::Loc;

pub const RULE: Rule = Rule {
    id: "stale-actuals",
    default_level: LintLevel::Warn,
    summary: "a KPI has no actual for its last complete period (a KPI with no actuals at all included)",
    rationale: "A KPI is only watched while its numbers come in. Without the last period's actual, `kpi-off-target` has nothing to compare and the dashboard shows no finding in green, so a measure nobody updates looks like a measure that is met. The period holding today is not complete yet, so it is not asked for.",
    fix: "Add a row for the last complete period to actuals/<kpi>.csv (`period,value`), or allow the rule in [lints] while the KPI is not measured yet.",
    check,
};

fn check(org: &Org, context: &Context, hits: &mut Hits) {
    // An actuals file left out for an error may hold the missing row.
    if org.incomplete.contains(&Collection::Actuals) {
        return;
    }
    for kpi in org.kpis.values() {
        let due = PeriodLabel::last_complete(kpi.period, context.today);
        let rows = org.actuals.get(&kpi.id).map_or(&[][..], Vec::as_slice);
        if rows.iter().any(|actual| actual.period == due) {
            continue;
        }
        let file = format!("actuals/{}.csv", kpi.id);
        match rows.last() {
            Some(latest) => hits.push(
                latest.loc,
                format!(
                    "KPI `{}` has no actual for {due}, its last complete {} (the latest is {})",
                    kpi.id,
                    kpi.period.word(),
                    latest.period
                ),
                format!("add the row `{due},<value>` to {file}"),
            ),
            None => hits.push(
                Loc::file_start(kpi.file),
                format!(
                    "KPI `{}` has no actuals: {file} is missing, so it is not measured",
                    kpi.id
                ),
                format!("create {file} with the lines `period,value` and `{due},<value>`"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_the_latest_row_when_the_last_complete_period_is_missing() {
        let org = TestOrg::base().with(
            "actuals/leads.csv",
            "period,value\n2026-03,12\n2026-04,12\n",
        );
        assert_eq!(
            org.hits("stale-actuals"),
            [(
                "actuals/leads.csv".into(),
                3,
                "KPI `leads` has no actual for 2026-05, its last complete month (the latest is 2026-04)".into()
            )]
        );
        assert!(TestOrg::base().hits("stale-actuals").is_empty());
    }

    #[test]
    fn an_unreadable_actuals_file_may_hold_the_row_so_nothing_is_concluded() {
        let org =
            TestOrg::base().with("actuals/leads.csv", "period,value\n2026-04,x\n2026-05,12\n");
        assert!(org.hits("stale-actuals").is_empty());
    }

    #[test]
    fn a_kpi_without_actuals_is_reported_at_its_file() {
        let org = TestOrg::base().without("actuals/leads.csv");
        assert_eq!(
            org.hits("stale-actuals"),
            [(
                "kpis/leads.toml".into(),
                1,
                "KPI `leads` has no actuals: actuals/leads.csv is missing, so it is not measured"
                    .into()
            )]
        );
    }

    #[test]
    fn the_current_period_is_not_asked_for_and_each_period_kind_steps_back() {
        // On the first day of July, June has just become the last complete month.
        let july = TestOrg::base();
        assert_eq!(july.hit_lines_on("stale-actuals", date(2026, 7, 1)), [3]);
        assert!(
            july.hit_lines_on("stale-actuals", date(2026, 6, 30))
                .is_empty()
        );
        let weekly = |rows: &str| {
            TestOrg::base()
                .edit("kpis/leads.toml", "period = \"month\"", "period = \"week\"")
                .with("actuals/leads.csv", &format!("period,value\n{rows}"))
        };
        // 2026-01-04 is the Sunday that ends ISO week 2026-W01; 2025-W52 ends 2025-12-28.
        assert!(
            weekly("2025-W52,12\n")
                .hit_lines_on("stale-actuals", date(2026, 1, 4))
                .is_empty()
        );
        assert_eq!(
            weekly("2025-W52,12\n").hit_lines_on("stale-actuals", date(2026, 1, 5)),
            [2]
        );
        let yearly = TestOrg::base()
            .edit("kpis/leads.toml", "period = \"month\"", "period = \"year\"")
            .with("actuals/leads.csv", "period,value\n2025,120\n");
        assert!(
            yearly
                .hit_lines_on("stale-actuals", date(2026, 12, 31))
                .is_empty()
        );
        assert_eq!(yearly.hit_lines_on("stale-actuals", date(2027, 1, 1)), [2]);
        let quarterly = TestOrg::base()
            .edit(
                "kpis/leads.toml",
                "period = \"month\"",
                "period = \"quarter\"",
            )
            .with("actuals/leads.csv", "period,value\n2025-Q4,30\n");
        assert!(
            quarterly
                .hit_lines_on("stale-actuals", date(2026, 3, 31))
                .is_empty()
        );
        assert_eq!(
            quarterly.hit_lines_on("stale-actuals", date(2026, 4, 1)),
            [2]
        );
    }
}
