//! `stale-signature`: with `check --base REV`, an agreement's terms changed since REV and
//! a party has not signed since:
//! no signature dated after REV's commit date, or on that date and absent at REV.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "stale-signature",
    default_level: LintLevel::Warn,
    summary: "with `check --base REV`: an agreement's terms changed since REV and a party has no signature dated after REV's commit date (or on that date and absent at REV)",
    rationale: "A signature covers the terms that were on the page when it was given. When a pull request changes what a team promises, the team has not agreed to the new text until it signs again; otherwise the repository shows a commitment nobody made. Only checked with `--base`, against the revision the change started from. A signature dated on the day of that revision's commit counts when the revision did not have it, so a team can sign on the day the change is made.",
    fix: "Have each party sign the changed agreement again: `accord sign AGREEMENT --as PERSON` adds a signature dated today.",
    check,
};

fn check(org: &Org, context: &Context, hits: &mut Hits) {
    let Some(base) = context.base else {
        return;
    };
    for agreement in org.agreements.values() {
        let Some(before) = base.org.agreements.get(&agreement.id) else {
            continue;
        };
        if !agreement.terms_differ(before) {
            continue;
        }
        // A party that never signed is `unsigned-agreement`'s finding.
        for (party, latest) in agreement.unsigned_since(before, base.date) {
            let Some(latest) = latest else { continue };
            hits.push(
                latest.date.loc,
                format!(
                    "the terms of agreement `{}` changed since {} ({}), but `{}` last signed on {}",
                    agreement.id, base.revision, base.date, party.value, latest.date.value
                ),
                format!(
                    "`{}` must sign the new terms: add a new [[signature]] dated {} or later",
                    party.value, base.date
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use crate::check::testing::TestOrg;

    const NEW_TERMS: (&str, &str) = (
        "commitment = \"Deliver leads.\"",
        "commitment = \"Deliver 20 leads.\"",
    );

    #[test]
    fn fires_for_each_party_that_did_not_sign_the_new_terms() {
        let changed = TestOrg::base().edit("agreements/sla.toml", NEW_TERMS.0, NEW_TERMS.1);
        let hits = changed.hits_against(&TestOrg::base(), date(2026, 3, 1), "stale-signature");
        assert_eq!(hits.iter().map(|h| h.1).collect::<Vec<_>>(), [19, 24]);
    }

    #[test]
    fn quiet_when_re_signed_or_unchanged() {
        let resigned = TestOrg::base()
            .edit("agreements/sla.toml", NEW_TERMS.0, NEW_TERMS.1)
            .edit(
                "agreements/sla.toml",
                "date = 2025-12-15",
                "date = 2026-03-02",
            )
            .edit(
                "agreements/sla.toml",
                "date = 2025-12-15",
                "date = 2026-03-02",
            );
        assert!(
            resigned
                .hits_against(&TestOrg::base(), date(2026, 3, 1), "stale-signature")
                .is_empty()
        );
        let moved = TestOrg::base().edit(
            "agreements/sla.toml",
            "title = \"SLA\"",
            "title = \"SLA\"\n# moved",
        );
        assert!(
            moved
                .hits_against(&TestOrg::base(), date(2026, 3, 1), "stale-signature")
                .is_empty()
        );
    }

    #[test]
    fn a_signature_on_the_base_date_counts_only_when_the_base_lacks_it() {
        let base_date = date(2026, 3, 1);
        let signed_on_the_day = TestOrg::base()
            .edit("agreements/sla.toml", NEW_TERMS.0, NEW_TERMS.1)
            .edit(
                "agreements/sla.toml",
                "date = 2025-12-15",
                "date = 2026-03-01",
            );
        let hits = signed_on_the_day.hits_against(&TestOrg::base(), base_date, "stale-signature");
        assert_eq!(hits.iter().map(|h| h.1).collect::<Vec<_>>(), [24]);
        // The same signature already at the base is older than the change.
        let base_signed_that_day = TestOrg::base().edit(
            "agreements/sla.toml",
            "date = 2025-12-15",
            "date = 2026-03-01",
        );
        let hits =
            signed_on_the_day.hits_against(&base_signed_that_day, base_date, "stale-signature");
        assert_eq!(hits.iter().map(|h| h.1).collect::<Vec<_>>(), [19, 24]);
    }
}
