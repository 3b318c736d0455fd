//! `persona-without-qualification`: a persona has no `qualification`.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};
use crate::source::Loc;

pub const RULE: Rule = Rule {
    id: "persona-without-qualification",
    default_level: LintLevel::Warn,
    summary: "a persona has no `qualification`",
    rationale: "A persona becomes useful to sales when it says what makes a lead qualified: size, budget, authority, need. Without criteria, \"qualified lead\" means whatever each side needs it to mean that week.",
    fix: "Add `qualification = [\"...\"]`: the criteria (size, budget, authority, need) that make a lead of this persona qualified.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for persona in org.personas.values().filter(|p| p.qualification.is_empty()) {
        hits.push(
            Loc::file_start(persona.file),
            format!("persona `{}` has no `qualification`", persona.id),
            "add `qualification = [...]`: what makes a lead of this persona a qualified lead",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_the_file_start() {
        let org = TestOrg::base().edit(
            "personas/olga.toml",
            "qualification = [\"50+ employees\"]\n",
            "",
        );
        assert_eq!(org.hit_lines("persona-without-qualification"), [1]);
    }

    #[test]
    fn quiet_with_criteria() {
        assert!(
            TestOrg::base()
                .hits("persona-without-qualification")
                .is_empty()
        );
    }
}
