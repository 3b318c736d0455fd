//! `expired-agreement`: `expires` is before today.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "expired-agreement",
    default_level: LintLevel::Deny,
    summary: "`expires` is before today",
    rationale: "An expired agreement still reads like a rule to everyone who opens it, yet nobody is bound by it any more. Agreements are renewed every year: sign the new one (or move the old file out of agreements/) so the repository only shows what is in force.",
    fix: "Renew it with `accord renew AGREEMENT --effective DATE --expires DATE` and have every party sign, or move the old file out of agreements/.",
    check,
};

fn check(org: &Org, context: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        let expires = &agreement.expires;
        if agreement.is_expired(context.today) {
            hits.push(
                expires.loc,
                format!(
                    "agreement `{}` expired on {} (today is {})",
                    agreement.id, expires.value, context.today
                ),
                "renew it: agree the terms for the new period, sign, and update the dates",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_the_day_after_expiry() {
        let org = TestOrg::base().edit(
            "agreements/sla.toml",
            "expires = 2026-12-31",
            "expires = 2026-06-14",
        );
        assert_eq!(org.hit_lines("expired-agreement"), [6]);
    }

    #[test]
    fn quiet_on_the_last_day() {
        let org = TestOrg::base().edit(
            "agreements/sla.toml",
            "expires = 2026-12-31",
            "expires = 2026-06-15",
        );
        assert!(org.hits("expired-agreement").is_empty());
    }
}
