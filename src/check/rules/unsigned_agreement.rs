//! `unsigned-agreement`: a party of an agreement has no signature.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "unsigned-agreement",
    default_level: LintLevel::Deny,
    summary: "a party of an agreement has no signature",
    rationale: "An agreement binds a team only once that team has signed it. Alignment fails quietly when one side never committed: marketing keeps delivering leads to a standard sales never accepted. Every party signs, every year, so nobody can say later that they did not agree.",
    fix: "Have the party sign: `accord sign AGREEMENT --as PERSON`, or add a `[[signature]]` with `party`, `by` and `date`.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for agreement in org.agreements.values() {
        for party in agreement.unsigned_parties() {
            hits.push(
                party.loc,
                format!(
                    "`{}` has not signed agreement `{}`",
                    party.value, agreement.id
                ),
                format!(
                    "add a [[signature]] with party = \"{}\", by and date",
                    party.value
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_on_the_unsigned_party() {
        let org = TestOrg::base().edit(
            "agreements/sla.toml",
            "party = \"sales\"\nby = \"bruno\"",
            "party = \"marketing\"\nby = \"ana\"",
        );
        let hits = org.hits("unsigned-agreement");
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].0.as_str(), hits[0].1), ("agreements/sla.toml", 2));
        assert!(hits[0].2.contains("`sales`"));
    }

    #[test]
    fn quiet_when_every_party_signed() {
        assert!(TestOrg::base().hits("unsigned-agreement").is_empty());
    }
}
