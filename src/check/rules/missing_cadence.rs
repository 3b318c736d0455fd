//! `missing-cadence`: the parties of an agreement share no weekly (or daily) meeting, or
//! no monthly one.

use std::collections::HashMap;

use crate::check::{Context, Hits, Rule};
use crate::model::{Cadence, Collection, LintLevel, Meeting, Org, TeamId};

pub const RULE: Rule = Rule {
    id: "missing-cadence",
    default_level: LintLevel::Warn,
    summary: "the parties of an agreement share no weekly (or daily) meeting, or no monthly one",
    rationale: "An agreement is kept in meetings: a short weekly one on the leads of the week and what blocked them, and a monthly one on the KPIs and the actions. A meeting is shared when its `teams` include every party of the agreement.",
    fix: "Add a meeting file in meetings/ whose `teams` include every party, with `cadence = \"weekly\"` (and another with `\"monthly\"`), or add the parties to an existing one.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    let needed: [(&[Cadence], &str); 2] = [
        (&[Cadence::Daily, Cadence::Weekly], "weekly (or daily)"),
        (&[Cadence::Monthly], "monthly"),
    ];
    // A meeting left out for an error may be the shared one.
    if org.incomplete.contains(&Collection::Meetings) {
        return;
    }
    // Indexed once, so each agreement looks only at its first party's meetings instead
    // of every meeting of the org (agreements x meetings grew quadratically).
    let mut meetings_of: HashMap<&TeamId, Vec<&Meeting>> = HashMap::new();
    for meeting in org.meetings.values() {
        for team in &meeting.teams {
            meetings_of.entry(&team.value).or_default().push(meeting);
        }
    }
    for agreement in org.agreements.values() {
        let parties = &agreement.parties.value;
        let Some(first) = parties.first() else {
            continue;
        };
        let shared: Vec<Cadence> = meetings_of
            .get(&first.value)
            .into_iter()
            .flatten()
            .filter(|m| {
                parties
                    .iter()
                    .all(|p| m.teams.iter().any(|t| t.value == p.value))
            })
            .map(|m| m.cadence)
            .collect();
        for (cadences, label) in needed {
            if !shared.iter().any(|c| cadences.contains(c)) {
                let names: Vec<&str> = parties.iter().map(|p| p.value.as_str()).collect();
                hits.push(
                    agreement.parties.loc,
                    format!(
                        "the parties of agreement `{}` ({}) share no {label} meeting",
                        agreement.id,
                        names.join(", ")
                    ),
                    format!(
                        "add a {label} meeting whose `teams` include {}",
                        names.join(" and ")
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
    fn fires_once_per_missing_cadence() {
        let org = TestOrg::base()
            .edit(
                "meetings/weekly.toml",
                "cadence = \"weekly\"",
                "cadence = \"biweekly\"",
            )
            .edit(
                "meetings/monthly.toml",
                "teams = [\"marketing\", \"sales\"]",
                "teams = [\"marketing\"]",
            );
        let hits = org.hits("missing-cadence");
        assert_eq!(hits.iter().map(|h| h.1).collect::<Vec<_>>(), [2, 2]);
        assert!(hits[0].2.contains("weekly (or daily)") && hits[1].2.contains("monthly"));
    }

    #[test]
    fn a_meeting_with_one_party_and_another_team_is_not_shared() {
        let org = TestOrg::base().edit(
            "meetings/monthly.toml",
            "teams = [\"marketing\", \"sales\"]",
            "teams = [\"marketing\", \"leadership\"]",
        );
        let hits = org.hits("missing-cadence");
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(hits[0].2.contains("monthly"), "{hits:?}");
    }

    #[test]
    fn quiet_with_both_meetings() {
        assert!(TestOrg::base().hits("missing-cadence").is_empty());
    }
}
