//! `long-meeting`: a meeting's `duration` is over 60 minutes.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

const MAX_MINUTES: u32 = 60;

pub const RULE: Rule = Rule {
    id: "long-meeting",
    default_level: LintLevel::Warn,
    summary: "a meeting's `duration` is over 60 minutes",
    rationale: "Shared marketing and sales meetings work when they are short and regular: 30 to 40 minutes on the numbers, the problems and who does what next. Long meetings get skipped, and a skipped meeting is where alignment quietly ends.",
    fix: "Cut the meeting to 60 minutes or less (`duration`), or split it into a short weekly and a monthly one.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for meeting in org.meetings.values() {
        let minutes = meeting.duration.value;
        if minutes > MAX_MINUTES {
            hits.push(
                meeting.duration.loc,
                format!(
                    "meeting `{}` lasts {minutes} minutes, over {MAX_MINUTES}",
                    meeting.id
                ),
                "keep it to 30-40 minutes: leads of the period, problems, ideas, owners",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_over_an_hour() {
        let org = TestOrg::base().edit("meetings/monthly.toml", "duration = 60", "duration = 61");
        assert_eq!(org.hit_lines("long-meeting"), [3]);
    }

    #[test]
    fn quiet_at_exactly_an_hour() {
        assert!(TestOrg::base().hits("long-meeting").is_empty());
    }
}
