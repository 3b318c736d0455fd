//! `lead-outside-team`: a team's lead is not one of its members.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "lead-outside-team",
    default_level: LintLevel::Warn,
    summary: "a team's lead is not one of its members",
    rationale: "The lead signs for the team and answers for what it owns. A lead who is not listed as a member is usually a people.toml that was not updated after a change of roles, and it breaks every check of who may sign for the team.",
    fix: "Add the team's id to the lead's `teams` in people.toml, or name one of its members as `lead`.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for team in org.teams.values() {
        let lead = &team.lead.value;
        if org.membership(lead, &team.id) == Some(false) {
            hits.push(
                team.lead.loc,
                format!(
                    "`{lead}` leads team `{}` but is not a member of it",
                    team.id
                ),
                format!(
                    "add \"{}\" to the `teams` of `{lead}` in people.toml",
                    team.id
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_the_lead() {
        let org = TestOrg::base().edit("teams/sales.toml", "lead = \"bruno\"", "lead = \"ana\"");
        let hits = org.hits("lead-outside-team");
        assert_eq!((hits[0].0.as_str(), hits[0].1), ("teams/sales.toml", 2));
    }

    #[test]
    fn quiet_when_the_lead_is_a_member() {
        assert!(TestOrg::base().hits("lead-outside-team").is_empty());
    }
}
