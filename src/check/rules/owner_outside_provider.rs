//! `owner-outside-provider`: a term's owner is not a member of its provider team.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "owner-outside-provider",
    default_level: LintLevel::Warn,
    summary: "a term's owner is not a member of its provider team",
    rationale: "The owner of a term answers for the team that made the promise. Someone outside that team cannot make it deliver, so a missed term would have an owner with no power over it.",
    fix: "Make the term's `owner` a member of its `provider` team (people.toml `teams`), or change the provider.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        for term in &agreement.terms {
            let (owner, provider) = (&term.owner.value, &term.provider.value);
            if org.membership(owner, provider) == Some(false) {
                hits.push(
                    term.owner.loc,
                    format!(
                        "`{owner}` owns term `{}` but is not a member of its provider `{provider}`",
                        term.id.value
                    ),
                    format!("give the term to a member of `{provider}`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_the_owner() {
        let org = TestOrg::base().edit(
            "agreements/sla.toml",
            "owner = \"ana\"",
            "owner = \"bruno\"",
        );
        assert_eq!(org.hit_lines("owner-outside-provider"), [11]);
    }

    #[test]
    fn quiet_for_a_member() {
        assert!(TestOrg::base().hits("owner-outside-provider").is_empty());
    }
}
