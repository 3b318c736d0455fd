//! `kpi-off-target`: the latest actual of a KPI misses its target in its direction.

use crate::check::{Context, Hits, Rule};
use crate::model::{Direction, LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "kpi-off-target",
    default_level: LintLevel::Warn,
    summary: "the latest actual of a KPI misses its target in its direction",
    rationale: "Shared KPIs exist so a miss is seen early and discussed in the next shared meeting, not discovered at the end of the year. The latest measured period is what the teams should be talking about now.",
    fix: "Put the KPI on the agenda of the next shared meeting and record an `[[action]]` with an owner and a `due` date in that meeting's file.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for kpi in org.kpis.values() {
        let Some(latest) = org.latest_actual(&kpi.id) else {
            continue;
        };
        if !kpi.meets_target(latest.value) {
            let way = match kpi.direction {
                Direction::Up => "at least",
                Direction::Down => "at most",
            };
            hits.push(
                latest.loc,
                format!(
                    "KPI `{}` is off target: {} in {}, the target is {way} {}",
                    kpi.id, latest.value, latest.period, kpi.target.value
                ),
                "put it on the agenda of the next shared meeting, with an action and an owner",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_on_the_latest_period_not_the_last_line() {
        let org =
            TestOrg::base().with("actuals/leads.csv", "period,value\n2026-06,9\n2026-05,12\n");
        assert_eq!(org.hit_lines("kpi-off-target"), [2]);
    }

    #[test]
    fn follows_the_direction() {
        let org = TestOrg::base()
            .edit(
                "kpis/leads.toml",
                "direction = \"up\"",
                "direction = \"down\"",
            )
            .with("actuals/leads.csv", "period,value\n2026-05,10\n");
        assert!(org.hits("kpi-off-target").is_empty());
        assert!(TestOrg::base().hits("kpi-off-target").is_empty());
    }
}
