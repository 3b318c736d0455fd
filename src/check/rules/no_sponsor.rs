//! `no-sponsor`: an agreement has no `sponsor`.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "no-sponsor",
    default_level: LintLevel::Warn,
    summary: "an agreement has no `sponsor`",
    rationale: "Agreements between teams hold when an executive backs them: someone above both teams who expects the terms to be kept and settles what the teams cannot. Without a sponsor, the first conflict between marketing and sales has nowhere to go.",
    fix: "Add `sponsor = \"person-id\"`: the executive above both teams who backs the agreement.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    super::agreements_without(
        org,
        hits,
        |a| a.sponsor.is_some(),
        "sponsor",
        "add `sponsor = \"person-id\"`: the executive who backs the agreement",
    );
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_the_file_start() {
        let org = TestOrg::base().edit("agreements/sla.toml", "sponsor = \"carmen\"\n", "");
        assert_eq!(org.hit_lines("no-sponsor"), [1]);
    }

    #[test]
    fn quiet_with_a_sponsor() {
        assert!(TestOrg::base().hits("no-sponsor").is_empty());
    }
}
