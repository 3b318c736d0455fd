//! The actions the meetings decided: `actions.html` with every open one by due date, and
//! the actions of one person or team for their pages (SPEC 7.9).

use std::cmp::Ordering;
use std::sync::Arc;

use serde::Serialize;

use super::views::{Link, SiteData};
use crate::model::{Action, ActionStatus, Meeting, OwnerKind};

/// One action, as every list of actions shows it.
#[derive(Serialize)]
pub struct ActionItem {
    what: String,
    owner: Link,
    /// The lead of the owning team: who answers for an action a team owns.
    lead: Option<Link>,
    meeting: Link,
    due: Option<String>,
    /// How the due date stands today, for an open action with one.
    when: Option<DueWords>,
}

/// "3 days overdue", "due today", "in 5 days": the label key and the number of days.
#[derive(Serialize)]
pub struct DueWords {
    /// `overdue`, `today` or `ahead`: also the row's status colour.
    state: &'static str,
    /// The label of the words, with `{n}` for the days (`days_overdue_few`).
    label: String,
    days: i64,
}

impl DueWords {
    fn of(days_left: i64, language: &str) -> Self {
        let (state, stem, days) = match days_left.cmp(&0) {
            Ordering::Less => ("overdue", "days_overdue", -days_left),
            Ordering::Equal => ("today", "due_today", 0),
            Ordering::Greater => ("ahead", "due_in_days", days_left),
        };
        let label = if days == 0 {
            stem.to_owned()
        } else {
            format!("{stem}_{}", plural(language, days))
        };
        DueWords { state, label, days }
    }
}

/// The plural form a count of days takes in `language`: `one`, `few` or `many` (the
/// labels of every language have all three; English and Spanish say the same for `few`
/// and `many`). Polish and Russian use `few` for 2-4, 22-24... but not 12-14; Russian
/// also says `one` for 21, 31...; every other language follows English.
fn plural(language: &str, n: i64) -> &'static str {
    let (units, tens) = (n % 10, n % 100);
    let few = (2..=4).contains(&units) && !(12..=14).contains(&tens);
    match language.split('-').next().unwrap_or(language) {
        "ru" if units == 1 && tens != 11 => "one",
        "pl" if n == 1 => "one",
        "ru" | "pl" if few => "few",
        "ru" | "pl" => "many",
        _ if n == 1 => "one",
        _ => "many",
    }
}

fn item(data: &SiteData, meeting: &Meeting, action: &Action) -> ActionItem {
    let owner = action.owner.value.as_str();
    let lead = match data.org.owner_kind(owner) {
        Some(OwnerKind::Team) => data
            .org
            .teams
            .get(owner)
            .map(|team| data.person(team.lead.value.as_str())),
        _ => None,
    };
    let open = action.status == ActionStatus::Open;
    ActionItem {
        what: action.what.clone(),
        owner: data.owner(owner),
        lead,
        meeting: data.meeting(&meeting.id),
        due: action.due.as_ref().map(|d| d.value.to_string()),
        when: action.due.as_ref().filter(|_| open).map(|due| {
            DueWords::of(
                i64::from((due.value - data.today).get_days()),
                &data.org.settings.language,
            )
        }),
    }
}

/// Earliest due date first, actions without one last; then by meeting and text, so the
/// order is stable.
fn by_due_date(list: &mut [(&Meeting, &Action)]) {
    list.sort_by(|(ma, a), (mb, b)| {
        let due = |action: &Action| action.due.as_ref().map(|d| d.value);
        match (due(a), due(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| ma.id.cmp(&mb.id))
        .then_with(|| a.what.cmp(&b.what))
    });
}

/// Open actions by due date, and done ones apart.
#[derive(Serialize)]
pub struct ActionLists {
    open: Vec<ActionItem>,
    done: Vec<ActionItem>,
    /// How many open actions are overdue.
    overdue: usize,
}

impl ActionLists {
    pub fn of<'a>(
        data: &SiteData,
        actions: impl Iterator<Item = (&'a Meeting, &'a Action)>,
    ) -> Self {
        let (mut open, mut done): (Vec<_>, Vec<_>) =
            actions.partition(|(_, a)| a.status == ActionStatus::Open);
        by_due_date(&mut open);
        by_due_date(&mut done);
        ActionLists {
            overdue: open
                .iter()
                .filter(|(_, a)| a.is_overdue(data.today))
                .count(),
            open: open.iter().map(|(m, a)| item(data, m, a)).collect(),
            done: done.iter().map(|(m, a)| item(data, m, a)).collect(),
        }
    }
}

/// `actions.html`: every open action of every meeting.
#[derive(Serialize)]
pub struct ActionsView {
    actions: ActionLists,
}

pub fn actions(data: &SiteData) -> ActionsView {
    // The page is the list of what is still to do.
    let open = data.org.meetings.values().map(Arc::as_ref).flat_map(|m| {
        m.actions
            .iter()
            .filter(|a| a.status == ActionStatus::Open)
            .map(move |a| (m, a))
    });
    ActionsView {
        actions: ActionLists::of(data, open),
    }
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn plural_forms_follow_the_language() {
        assert_eq!(plural("en", 1), "one");
        assert_eq!(plural("en", 3), "many");
        assert_eq!(plural("es", 21), "many");
        assert_eq!(plural("pl", 1), "one");
        assert_eq!(plural("pl", 3), "few");
        assert_eq!(plural("pl", 13), "many");
        assert_eq!(plural("pl", 21), "many");
        assert_eq!(plural("pl", 22), "few");
        assert_eq!(plural("ru", 21), "one");
        assert_eq!(plural("ru", 11), "many");
        assert_eq!(plural("ru", 4), "few");
        assert_eq!(plural("ru", 5), "many");
    }
}
