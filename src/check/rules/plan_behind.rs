//! `plan-behind`: a plan stage's actual to date is below 90 % of its need to date.

use crate::check::{Context, Hits, Rule};
use crate::model::plan::{PlanStatus, to_the_cent};
use crate::model::{Collection, LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "plan-behind",
    default_level: LintLevel::Warn,
    summary: "a plan stage's actual to date is below 90 % of its need to date",
    rationale: "Targets that add up do not make a plan that is met. Summed over the complete months of the plan, a stage's actuals show whether the funnel delivers what the plan needs by now; below 90 % of that need the year is being lost, however green the latest month looks, and the teams that own the stage should know it before the next monthly review.",
    fix: "Agree in the next review how the stage catches up (more leads, better conversion), or revise the plan (`revenue_target`, conversions) if it no longer holds.",
    check,
};

fn check(org: &Org, context: &Context, hits: &mut Hits) {
    // An actuals file left out for an error may hold the missing numbers.
    if org.incomplete.contains(&Collection::Actuals) {
        return;
    }
    let Some(plan) = &org.settings.plan else {
        return;
    };
    let Some(to_date) = plan.to_date(context.today) else {
        return;
    };
    let Some(last_month) = to_date.last_month() else {
        return;
    };
    for (stage, need) in plan.stages.iter().zip(plan.needs()) {
        let Some(kpi_ref) = &stage.kpi else { continue };
        let Some(kpi) = org.kpis.get(&kpi_ref.value) else {
            continue;
        };
        let actuals = org.actuals.get(&kpi.id).map_or(&[][..], Vec::as_slice);
        let Some(progress) = plan.progress(to_date, need, kpi.period, actuals) else {
            continue;
        };
        if progress.status() == PlanStatus::Behind {
            hits.push(
                kpi_ref.loc,
                format!(
                    "stage `{}` is behind plan: {} of {} due by the end of {last_month} ({} %), counted by KPI `{}`",
                    stage.name,
                    to_the_cent(progress.actual),
                    to_the_cent(progress.need),
                    progress.percent(),
                    kpi.id,
                ),
                format!(
                    "at this rate the stage reaches {} of the {need} the plan needs",
                    progress.projection.floor()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    /// The base org with a plan for 2026: by 2026-06-15 five months are complete, and the
    /// Lead stage needs 100 x 5 / 12 = 41.67 leads.
    fn dated() -> TestOrg {
        TestOrg::base().edit("accord.toml", "[plan]\n", "[plan]\nperiod = \"2026\"\n")
    }

    #[test]
    fn fires_at_the_stage_kpi_below_90_percent() {
        // April 8 + May 12 = 20 of 41.67: 48 %.
        let hits = dated().hits("plan-behind");
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!((hits[0].0.as_str(), hits[0].1), ("accord.toml", 11));
        assert!(
            hits[0].2.contains("`Lead` is behind plan: 20 of 41.67 due by the end of 2026-05 (48 %), counted by KPI `leads`"),
            "{}",
            hits[0].2
        );
    }

    #[test]
    fn quiet_from_90_percent_on() {
        // 8 + 12 + 18 = 38 of 41.67: 91 %, at risk but not behind.
        let org = dated().edit("actuals/leads.csv", "2026-04,8", "2026-03,18\n2026-04,8");
        assert!(org.hits("plan-behind").is_empty());
    }

    #[test]
    fn quiet_without_a_first_day_or_a_complete_month() {
        assert!(TestOrg::base().hits("plan-behind").is_empty());
        let later = dated().edit("accord.toml", "period = \"2026\"", "start = 2026-06-01");
        assert!(later.hits("plan-behind").is_empty());
    }
}
