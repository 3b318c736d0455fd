//! `overdue-action`: an open action's `due` is before today.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "overdue-action",
    default_level: LintLevel::Warn,
    summary: "an open action's `due` is before today",
    rationale: "Every shared meeting ends with actions and owners; an action past its date that nobody closed is a promise between the teams that silently lapsed. Mark it done, or agree a new date in the next meeting.",
    fix: "Set `status = \"done\"` on the action if it is done, or agree a new `due` date in the next meeting.",
    check,
};

fn check(org: &Org, context: &Context, hits: &mut Hits) {
    for meeting in org.meetings.values() {
        for action in meeting
            .actions
            .iter()
            .filter(|a| a.is_overdue(context.today))
        {
            if let Some(due) = &action.due {
                hits.push(
                    due.loc,
                    format!(
                        "action \"{}\" of meeting `{}` (owner `{}`) was due on {}",
                        action.what, meeting.id, action.owner.value, due.value
                    ),
                    "set `status = \"done\"` if it is done, or agree a new `due` date",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_past_due() {
        let org = TestOrg::base().edit(
            "meetings/weekly.toml",
            "due = 2026-07-01",
            "due = 2026-06-14",
        );
        assert_eq!(org.hit_lines("overdue-action"), [11]);
    }

    #[test]
    fn quiet_when_done_or_not_yet_due() {
        let done = TestOrg::base().edit(
            "meetings/weekly.toml",
            "due = 2026-07-01",
            "due = 2026-06-14\nstatus = \"done\"",
        );
        assert!(done.hits("overdue-action").is_empty());
        let today = TestOrg::base().edit(
            "meetings/weekly.toml",
            "due = 2026-07-01",
            "due = 2026-06-15",
        );
        assert!(today.hits("overdue-action").is_empty());
    }
}
