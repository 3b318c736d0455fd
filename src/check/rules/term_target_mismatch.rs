//! `term-target-mismatch`: a term's target and its KPI's target differ by a factor of 10
//! or more.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "term-target-mismatch",
    default_level: LintLevel::Warn,
    summary: "a term's target and its KPI's target differ by a factor of 10 or more",
    rationale: "A term may hold a KPI to a stricter or looser threshold than the KPI's own target, but not to one ten times larger or smaller: that is almost always one of them written on another scale (0.95 for 95 %, thousands for units, hours for minutes), and every status on the site would then compare the actuals with the wrong number.",
    fix: "Write both targets on the same scale (95 for 95 %, minutes with minutes), or correct the one that is off.",
    check,
};

/// How far apart two targets may be before one of them is taken for a scale error.
const FACTOR: f64 = 10.0;

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        for term in &agreement.terms {
            let (Some(kpi_id), Some(target)) = (&term.kpi, &term.target) else {
                continue;
            };
            let Some(kpi) = org.kpis.get(&kpi_id.value) else {
                continue;
            };
            let (term_target, kpi_target) = (target.value, kpi.target.value);
            // A percent outside 0-100 is already an `invalid-value` at the same place.
            if !kpi.unit.admits(term_target) || !kpi.unit.admits(kpi_target) {
                continue;
            }
            let Some(factor) = factor(term_target, kpi_target) else {
                continue;
            };
            if factor >= FACTOR {
                let (term_shown, kpi_shown) = (number(term_target), number(kpi_target));
                hits.push(
                    target.loc,
                    format!(
                        "term `{}` of agreement `{}` has target {term_shown}, {} times {} than the target {kpi_shown} of KPI `{}`",
                        term.id.value,
                        agreement.id,
                        number(factor),
                        if term_target.abs() > kpi_target.abs() { "larger" } else { "smaller" },
                        kpi.id
                    ),
                    format!(
                        "write both in the KPI's unit ({}) and scale: percents are 0-100 (95, not 0.95); if the difference is meant, set the KPI's target nearer the term's",
                        kpi.unit.word()
                    ),
                );
            }
        }
    }
}

/// How many times the larger magnitude is the smaller one; `None` when either is zero
/// (a zero target, such as no complaints, has no scale to compare) or their signs
/// differ (no factor makes one the other).
fn factor(a: f64, b: f64) -> Option<f64> {
    if a == 0.0 || b == 0.0 || (a < 0.0) != (b < 0.0) {
        return None;
    }
    let (low, high) = if a.abs() < b.abs() {
        (a.abs(), b.abs())
    } else {
        (b.abs(), a.abs())
    };
    Some(high / low)
}

/// A factor or target as the message shows it: at most two decimals.
fn number(n: f64) -> String {
    let text = format!("{n:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::factor;
    use crate::check::testing::TestOrg;

    fn with_term_target(target: &str) -> TestOrg {
        TestOrg::base().edit(
            "agreements/sla.toml",
            "target = 10",
            &format!("target = {target}"),
        )
    }

    #[test]
    fn fires_at_the_term_target_from_a_factor_of_10_either_way() {
        assert_eq!(
            with_term_target("100").hit_lines("term-target-mismatch"),
            [14]
        );
        assert_eq!(
            with_term_target("1").hit_lines("term-target-mismatch"),
            [14]
        );
        let (_, _, message) = &with_term_target("0.1").hits("term-target-mismatch")[0];
        assert!(message.contains("100 times smaller"), "{message}");
    }

    #[test]
    fn quiet_below_the_factor_and_without_a_term_target() {
        for target in ["99.9", "1.01", "10", "25"] {
            assert!(
                with_term_target(target)
                    .hits("term-target-mismatch")
                    .is_empty(),
                "{target}"
            );
        }
        let no_target = TestOrg::base().edit("agreements/sla.toml", "target = 10\n", "");
        assert!(no_target.hits("term-target-mismatch").is_empty());
    }

    /// A percent out of 0-100 is an `invalid-value` at the same place: no second finding
    /// compares it, whichever of the two targets it is.
    #[test]
    fn quiet_when_a_target_is_no_percent_at_all() {
        let percent = |kpi_target: &str, term_target: &str| {
            with_term_target(term_target)
                .edit("kpis/leads.toml", "unit = \"count\"", "unit = \"percent\"")
                .edit(
                    "kpis/leads.toml",
                    "target = 10\n",
                    &format!("target = {kpi_target}\n"),
                )
        };
        assert!(
            percent("95", "1000")
                .hits("term-target-mismatch")
                .is_empty()
        );
        assert!(
            percent("1000", "95")
                .hits("term-target-mismatch")
                .is_empty()
        );
        // Both in range and a factor of 10 apart: the rule speaks.
        assert_eq!(percent("95", "9.5").hit_lines("term-target-mismatch"), [14]);
    }

    #[test]
    fn zero_and_opposite_signs_have_no_factor() {
        assert_eq!(factor(0.0, 5.0), None);
        assert_eq!(factor(5.0, 0.0), None);
        assert_eq!(factor(0.0, 0.0), None);
        assert_eq!(factor(-1.0, 10.0), None);
        assert_eq!(factor(-100.0, -10.0), Some(10.0));
        assert!(
            with_term_target("0")
                .hits("term-target-mismatch")
                .is_empty()
        );
    }
}
