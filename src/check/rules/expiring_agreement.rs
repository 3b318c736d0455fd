//! `expiring-agreement`: `expires` is within 30 days of today.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

/// How far ahead an expiry is announced.
pub const NOTICE_DAYS: i32 = 30;

pub const RULE: Rule = Rule {
    id: "expiring-agreement",
    default_level: LintLevel::Warn,
    summary: "`expires` is within 30 days of today",
    rationale: "Renewing an agreement takes a meeting of both teams, a review of last year's numbers and new signatures. A month's notice leaves time for that before the old agreement lapses and the teams work without one.",
    check,
};

fn check(org: &Org, context: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        let expires = &agreement.expires;
        let days_left = i64::from((expires.value - context.today).get_days());
        if (0..=i64::from(NOTICE_DAYS)).contains(&days_left) {
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
