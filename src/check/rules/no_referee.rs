//! `no-referee`: an agreement has no `referee`.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "no-referee",
    default_level: LintLevel::Warn,
    summary: "an agreement has no `referee`",
    rationale: "Someone has to own the interaction between the teams day to day: run the shared meetings, watch the numbers, and call out a missed term before it turns into blame. A referee who belongs to neither side keeps the agreement alive between signings.",
    fix: "Add `referee = \"person-id\"`: the person who runs the shared meetings and watches the terms, ideally on neither side.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    super::agreements_without(
        org,
        hits,
        |a| a.referee.is_some(),
        "referee",
        "add `referee = \"person-id\"`: the person who owns the interaction between the parties",
    );
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_the_file_start() {
        let org = TestOrg::base().edit("agreements/sla.toml", "referee = \"diego\"\n", "");
        assert_eq!(org.hit_lines("no-referee"), [1]);
    }

    #[test]
    fn quiet_with_a_referee() {
        assert!(TestOrg::base().hits("no-referee").is_empty());
    }
}
