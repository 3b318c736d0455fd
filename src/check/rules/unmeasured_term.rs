//! `unmeasured-term`: a term has no `kpi`.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "unmeasured-term",
    default_level: LintLevel::Warn,
    summary: "a term has no `kpi`",
    rationale: "A promise nobody measures turns into an argument about impressions. Tie each term to a KPI, so both sides look at the same number when they ask whether it is kept.",
    fix: "Add `kpi = \"kpi-id\"` to the term (and a `target` if the term's threshold differs from the KPI's).",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        for term in agreement.terms.iter().filter(|t| t.kpi.is_none()) {
            hits.push(
                term.loc,
                format!(
                    "term `{}` of agreement `{}` has no `kpi`",
                    term.id.value, agreement.id
                ),
                "add `kpi = \"kpi-id\"` (and a `target`) so the term is measured",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_the_term_header() {
        let org = TestOrg::base().edit("agreements/sla.toml", "kpi = \"leads\"\ntarget = 10\n", "");
        assert_eq!(org.hit_lines("unmeasured-term"), [8]);
    }

    #[test]
    fn quiet_when_measured() {
        assert!(TestOrg::base().hits("unmeasured-term").is_empty());
    }
}
