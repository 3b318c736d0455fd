//! `meeting-missing-team`: no attendee of a meeting belongs to one of its `teams`.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "meeting-missing-team",
    default_level: LintLevel::Warn,
    summary: "no attendee of a meeting belongs to one of its `teams`",
    rationale: "A meeting between teams where one team sends nobody is a meeting about that team, not with it. Decisions taken there have no one on that side to carry them out.",
    fix: "Add someone of each of the meeting's `teams` to its `attendees`, or remove the team from `teams`.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for meeting in org.meetings.values() {
        for team in &meeting.teams {
            // Only a definite "no" for every attendee: an attendee missing from the
            // model (left out for an error) might be the member.
            let none_belongs = meeting
                .attendees
                .iter()
                .all(|a| org.membership(&a.value, &team.value) == Some(false));
            if none_belongs {
                hits.push(
                    team.loc,
                    format!(
                        "no attendee of meeting `{}` belongs to `{}`",
                        meeting.id, team.value
                    ),
                    format!("add a member of `{}` to `attendees`", team.value),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_the_unrepresented_team() {
        let org = TestOrg::base().edit(
            "meetings/weekly.toml",
            "attendees = [\"ana\", \"bruno\"]",
            "attendees = [\"ana\"]",
        );
        assert_eq!(org.hit_lines("meeting-missing-team"), [4]);
    }

    #[test]
    fn quiet_when_every_team_attends() {
        assert!(TestOrg::base().hits("meeting-missing-team").is_empty());
    }
}
