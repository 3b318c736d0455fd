//! `signature-in-future`: a signature dated after today.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "signature-in-future",
    default_level: LintLevel::Deny,
    summary: "a signature is dated after today",
    rationale: "A signature records that a party agreed, on that day. One dated in the future records an agreement that has not happened yet, yet it already counts: the agreement reads as signed and `stale-signature` takes it as newer than any change of terms. It is a typo in the year or a signature written in advance; date it the day it is given (`accord sign` does).",
    fix: "Correct the `date` to the day the party signed (check the year), or remove the signature until it is given.",
    check,
};

fn check(org: &Org, context: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        for signature in &agreement.signatures {
            let date = &signature.date;
            if date.value > context.today {
                hits.push(
                    date.loc,
                    format!(
                        "`{}` signs agreement `{}` for `{}` on {}, after today ({})",
                        signature.by.value,
                        agreement.id,
                        signature.party.value,
                        date.value,
                        context.today
                    ),
                    "date the signature the day it is given",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_on_a_signature_dated_tomorrow() {
        let org = TestOrg::base().edit(
            "agreements/sla.toml",
            "date = 2025-12-15\n\n",
            "date = 2026-06-16\n\n",
        );
        assert_eq!(org.hit_lines("signature-in-future"), [19]);
    }

    #[test]
    fn quiet_for_a_signature_dated_today() {
        let org = TestOrg::base().edit(
            "agreements/sla.toml",
            "date = 2025-12-15\n\n",
            "date = 2026-06-15\n\n",
        );
        assert!(org.hits("signature-in-future").is_empty());
        assert!(TestOrg::base().hits("signature-in-future").is_empty());
    }
}
