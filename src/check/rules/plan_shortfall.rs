//! `plan-shortfall`: a plan stage's KPI target, over the plan's months, is below what the
//! plan needs.

use crate::check::{Context, Hits, Rule};
use crate::model::plan::to_the_cent;
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "plan-shortfall",
    default_level: LintLevel::Warn,
    summary: "a plan stage's KPI target, over the plan's months, is below what the plan needs",
    rationale: "The growth plan only adds up if the targets the teams agreed to are enough to reach it: so many customers need so many meetings, which need so many qualified leads. A KPI target below the stage's need means the plan is missed even if every team hits its target.",
    fix: "Raise the target of the stage's KPI to at least the need shown, or change the plan (`revenue_target`, `average_deal`, conversions).",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    let Some(plan) = &org.settings.plan else {
        return;
    };
    for (stage, need) in plan.stages.iter().zip(plan.needs()) {
        let Some(kpi_ref) = &stage.kpi else { continue };
        let Some(kpi) = org.kpis.get(&kpi_ref.value) else {
            continue;
        };
        let planned = plan.over_plan(kpi.target.value, kpi.period);
        if planned < need {
            hits.push(
                kpi_ref.loc,
                format!(
                    "stage `{}` needs {need} over {} months, but KPI `{}` targets {} per {}, {} in all",
                    stage.name,
                    plan.months,
                    kpi.id,
                    kpi.target.value,
                    kpi.period.word(),
                    to_the_cent(planned)
                ),
                format!("raise the target of `{}`, or revise the plan", kpi.id),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_the_stage_kpi() {
        let org = TestOrg::base().edit("kpis/leads.toml", "target = 10", "target = 8");
        let hits = org.hits("plan-shortfall");
        assert_eq!((hits[0].0.as_str(), hits[0].1), ("accord.toml", 10));
        assert!(hits[0].2.contains("needs 100"), "{}", hits[0].2);
    }

    #[test]
    fn the_target_over_the_plan_is_shown_to_the_cent() {
        // 0.3 a week over the plan's 12 months: 0.3 x 52 / 12 x 12 = 15.6 (in floating
        // point 15.600000000000001, shown rounded to the cent).
        let org = TestOrg::base()
            .edit("kpis/leads.toml", "period = \"month\"", "period = \"week\"")
            .edit("kpis/leads.toml", "target = 10", "target = 0.3");
        let hits = org.hits("plan-shortfall");
        assert!(
            hits[0].2.contains("targets 0.3 per week, 15.6 in all"),
            "{}",
            hits[0].2
        );
    }

    #[test]
    fn quiet_when_targets_cover_the_plan() {
        assert!(TestOrg::base().hits("plan-shortfall").is_empty());
    }
}
