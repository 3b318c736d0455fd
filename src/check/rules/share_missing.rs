//! `share-missing`: a KPI with two or more owners lacks a `share` for one of them.

use std::collections::BTreeSet;

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "share-missing",
    default_level: LintLevel::Warn,
    summary: "a KPI with two or more owners lacks a `share` for one of them",
    rationale: "A KPI owned by two teams is met only when each does its part: marketing captures complete lead data, sales calls within minutes. Unless each owner's part is written down, a miss is always the other side's fault.",
    fix: "Add a `[[share]]` with `owner` and `does` for every owner of the KPI.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for kpi in org.kpis.values() {
        let owners: BTreeSet<_> = kpi.owners.iter().map(|o| &o.value).collect();
        if owners.len() < 2 {
            continue;
        }
        for owner in &kpi.owners {
            if !kpi.shares.iter().any(|s| s.owner.value == owner.value) {
                hits.push(
                    owner.loc,
                    format!(
                        "`{}` owns KPI `{}` but has no [[share]] saying what it does for it",
                        owner.value, kpi.id
                    ),
                    format!(
                        "add a [[share]] with owner = \"{}\" and what it `does`",
                        owner.value
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
    fn fires_at_the_owner_without_share() {
        let org = TestOrg::base().edit(
            "kpis/leads.toml",
            "[[share]]\nowner = \"sales\"\ndoes = \"Call leads\"\n",
            "",
        );
        assert_eq!(org.hit_lines("share-missing"), [7]);
        // Both owners are on that line: the finding names the one without a share.
        let (_, _, message) = &org.hits("share-missing")[0];
        assert!(message.starts_with("`sales` owns KPI"), "{message}");
    }

    #[test]
    fn quiet_with_a_single_owner() {
        let org = TestOrg::base()
            .edit(
                "kpis/leads.toml",
                "owners = [\"marketing\", \"sales\"]",
                "owners = [\"marketing\"]",
            )
            .edit(
                "kpis/leads.toml",
                "[[share]]\nowner = \"sales\"\ndoes = \"Call leads\"\n",
                "",
            );
        assert!(org.hits("share-missing").is_empty());
    }
}
