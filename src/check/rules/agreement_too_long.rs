//! `agreement-too-long`: `expires` is more than 366 days after `effective`.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

const MAX_DAYS: i64 = 366;

pub const RULE: Rule = Rule {
    id: "agreement-too-long",
    default_level: LintLevel::Warn,
    summary: "`expires` is more than 366 days after `effective`",
    rationale: "Agreements between marketing and sales are signed every year: markets, targets and people change, and a yearly renewal forces both sides to look at last year's numbers and agree again. A longer term lets an agreement drift out of touch with how the teams really work.",
    fix: "Set `expires` at most 366 days after `effective`; when the year ends, `accord renew` writes next year's agreement beside it.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        let days = i64::from((agreement.expires.value - agreement.effective.value).get_days());
        if days > MAX_DAYS {
            hits.push(
                agreement.expires.loc,
                format!("agreement `{}` runs {days} days, more than a year", agreement.id),
                "agreements are signed yearly: end it within 366 days of `effective` and renew it then",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    fn too_long(expires: &str) -> usize {
        TestOrg::base()
            .edit(
                "agreements/sla.toml",
                "expires = 2026-12-31",
                &format!("expires = {expires}"),
            )
            .hits("agreement-too-long")
            .len()
    }

    #[test]
    fn fires_past_366_days() {
        assert_eq!(too_long("2027-01-03"), 1);
    }

    #[test]
    fn quiet_at_exactly_366_days() {
        assert_eq!(too_long("2027-01-02"), 0);
    }
}
