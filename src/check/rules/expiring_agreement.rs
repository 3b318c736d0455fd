//! `expiring-agreement`: `expires` is within 30 days of today.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "expiring-agreement",
    default_level: LintLevel::Warn,
    summary: "`expires` is within 30 days of today",
    rationale: "Renewing an agreement takes a meeting of both teams, a review of last year's numbers and new signatures. A month's notice leaves time for that before the old agreement lapses and the teams work without one.",
    fix: "Put the renewal on the next shared meeting's agenda, then run `accord renew` and collect the signatures before `expires`.",
    check,
};

fn check(org: &Org, context: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        let expires = &agreement.expires;
        if agreement.is_expiring(context.today) {
            let days_left = agreement.days_left(context.today);
            hits.push(
                expires.loc,
                format!("agreement `{}` expires on {} ({days_left} days from {})", agreement.id, expires.value, context.today),
                "schedule the renewal: review the terms with both parties and sign the next agreement",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    fn expiring(expires: &str) -> usize {
        TestOrg::base()
            .edit(
                "agreements/sla.toml",
                "expires = 2026-12-31",
                &format!("expires = {expires}"),
            )
            .hits("expiring-agreement")
            .len()
    }

    #[test]
    fn fires_within_thirty_days_inclusive() {
        assert_eq!(expiring("2026-07-15"), 1);
        assert_eq!(expiring("2026-06-15"), 1);
    }

    #[test]
    fn quiet_further_out_or_already_expired() {
        assert_eq!(expiring("2026-07-16"), 0);
        assert_eq!(expiring("2026-06-14"), 0);
    }
}
