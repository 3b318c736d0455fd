//! `signer-outside-party`: a signature's `by` is not a member of its `party`.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "signer-outside-party",
    default_level: LintLevel::Deny,
    summary: "a signature's `by` is not a member of its `party`",
    rationale: "A signature commits a team only when someone of that team gives it. A sales manager signing for marketing commits nobody in marketing, and the commitment the agreement records does not exist. The signer must be listed as a member of the party in people.toml.",
    fix: "Have a member of the party sign (`by`), or add the signer's team to `teams` in people.toml if they belong to it.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        for signature in &agreement.signatures {
            let by = &signature.by.value;
            if org.membership(by, &signature.party.value) == Some(false) {
                hits.push(
                    signature.by.loc,
                    format!(
                        "`{by}` signs for `{}` but is not a member of it",
                        signature.party.value
                    ),
                    format!(
                        "have a member of `{}` sign, or add the team to `{by}`'s teams",
                        signature.party.value
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_on_a_signer_of_another_team() {
        let org = TestOrg::base().edit("agreements/sla.toml", "by = \"bruno\"", "by = \"carmen\"");
        let hits = org.hits("signer-outside-party");
        assert_eq!(hits.iter().map(|h| h.1).collect::<Vec<_>>(), [23]);
    }

    #[test]
    fn quiet_for_members() {
        assert!(TestOrg::base().hits("signer-outside-party").is_empty());
    }
}
