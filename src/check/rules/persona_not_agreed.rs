//! `persona-not-agreed`: a persona's `agreed_by` names fewer than two teams.

use std::collections::BTreeSet;

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "persona-not-agreed",
    default_level: LintLevel::Warn,
    summary: "a persona's `agreed_by` names fewer than two teams",
    rationale: "The ideal customer is the one definition marketing and sales must share: marketing targets it, sales qualifies against it. A persona written by one team alone is exactly how the two end up arguing about lead quality.",
    fix: "List every team that agreed the definition in `agreed_by`: at least marketing and sales.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for persona in org.personas.values() {
        let teams: BTreeSet<_> = persona.agreed_by.value.iter().map(|t| &t.value).collect();
        if teams.len() < 2 {
            hits.push(
                persona.agreed_by.loc,
                format!(
                    "persona `{}` is agreed by {} team(s); it needs at least two",
                    persona.id,
                    teams.len()
                ),
                "agree the definition with both marketing and sales and list both in `agreed_by`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_with_one_team() {
        let org = TestOrg::base().edit(
            "personas/olga.toml",
            "[\"marketing\", \"sales\"]",
            "[\"marketing\", \"marketing\"]",
        );
        assert_eq!(org.hit_lines("persona-not-agreed"), [3]);
    }

    #[test]
    fn quiet_with_two() {
        assert!(TestOrg::base().hits("persona-not-agreed").is_empty());
    }
}
