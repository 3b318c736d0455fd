//! `calendar.ics` and `teams/<id>.ics`: the org's meetings as recurring events, open
//! action due dates, agreement expiries and the renewal reminder before each, for
//! calendar clients to subscribe to (RFC 5545).
//!
//! Everything in the files follows from the org and the build's date, so two builds for
//! the same day write the same bytes: DTSTAMP is that day at 00:00 UTC, each UID is made
//! of ids, and recurrences start in that day's year.

use std::collections::BTreeSet;

use jiff::ToSpan;
use jiff::civil::{Date, DateTime, Weekday};

use super::ics::{self, Ics};
use crate::model::{
    ActionStatus, Agreement, Cadence, Calendar, EXPIRY_NOTICE_DAYS, Meeting, MeetingDay, Org,
    OwnerKind, Team, TeamId,
};

/// The site's calendars: `calendar.ics` with every event, and `teams/<id>.ics` for
/// every team, holding the events that involve it. The events are written once; each
/// file is then made on its own from them.
pub struct Calendars<'a> {
    events: Vec<Event<'a>>,
    /// The VTIMEZONE of the calendar's zone, when events are at a time of day there.
    timezone: Option<String>,
    site_title: &'a str,
}

impl<'a> Calendars<'a> {
    pub fn of(org: &'a Org, today: Date, label: impl Fn(&str) -> String) -> Self {
        let settings = &org.settings;
        let zone = &settings.calendar.time_zone;
        let tzid = (!ics::is_utc(zone)).then(|| zone.iana_name().unwrap_or("UTC"));
        let events = events(org, today, tzid, &label);
        let timezone = tzid
            .filter(|_| events.iter().any(|e| e.timed))
            .and_then(|tzid| ics::vtimezone(zone, tzid, today.year()));
        Calendars {
            events,
            timezone,
            site_title: &settings.site_title,
        }
    }

    /// The path of the calendar of `team`, or of the org's, from the site root.
    pub fn path(team: Option<&Team>) -> String {
        match team {
            None => "calendar.ics".to_owned(),
            Some(team) => format!("teams/{}.ics", team.id),
        }
    }

    /// The calendar of `team` (the events that involve it), or the org's (every event).
    pub fn file(&self, team: Option<&Team>) -> Vec<u8> {
        let name = match team {
            None => self.site_title.to_owned(),
            Some(team) => format!("{} · {}", team.name, self.site_title),
        };
        let mut ics = Ics::default();
        ics.line("BEGIN", "VCALENDAR");
        ics.line("VERSION", "2.0");
        ics.line("PRODID", "-//accord//accord//EN");
        ics.line("CALSCALE", "GREGORIAN");
        ics.line("METHOD", "PUBLISH");
        ics.text("NAME", &name);
        ics.text("X-WR-CALNAME", &name);
        let chosen: Vec<&Event> = self
            .events
            .iter()
            .filter(|e| team.is_none_or(|team| e.teams.contains(&team.id)))
            .collect();
        if let Some(timezone) = self
            .timezone
            .as_deref()
            .filter(|_| chosen.iter().any(|e| e.timed))
        {
            ics.append(timezone);
        }
        for event in chosen {
            ics.append(&event.text);
        }
        ics.line("END", "VCALENDAR");
        ics.into_string().into_bytes()
    }
}

/// One VEVENT, written, and the teams it involves.
struct Event<'a> {
    text: String,
    teams: BTreeSet<&'a TeamId>,
    /// At a time of day in the calendar's zone (needs the VTIMEZONE), not all day.
    timed: bool,
}

fn events<'a>(
    org: &'a Org,
    today: Date,
    tzid: Option<&str>,
    label: &impl Fn(&str) -> String,
) -> Vec<Event<'a>> {
    let domain = uid_domain(&org.settings.name);
    let stamp = ics::utc_midnight(today);
    let begin = |uid: String| {
        let mut ics = Ics::default();
        ics.line("BEGIN", "VEVENT");
        ics.text("UID", &format!("{uid}@{domain}"));
        ics.line("DTSTAMP", &stamp);
        ics
    };
    let all_day = |uid: String, day: Date, summary: String, description: String| {
        let mut ics = begin(uid);
        ics.line("DTSTART;VALUE=DATE", &ics::date(day));
        ics.line("DTEND;VALUE=DATE", &ics::date(day.saturating_add(1.day())));
        ics.text("SUMMARY", &summary);
        ics.text("DESCRIPTION", &description);
        // A reminder, not a busy time.
        ics.line("TRANSP", "TRANSPARENT");
        ics.line("END", "VEVENT");
        ics.into_string()
    };
    let mut events = Vec::new();
    for meeting in org.meetings.values() {
        let Some(recurrence) = recurrence(meeting, &org.settings.calendar, today.year()) else {
            continue;
        };
        let mut ics = begin(format!("meeting-{}", meeting.id));
        let start = ics::date_time(recurrence.start);
        match tzid {
            Some(tzid) => ics.line(&format!("DTSTART;TZID={tzid}"), &start),
            None => ics.line("DTSTART", &format!("{start}Z")),
        }
        ics.line("DURATION", &format!("PT{}M", meeting.duration.value));
        ics.line("RRULE", &recurrence.rule);
        ics.text("SUMMARY", &meeting.name);
        if !meeting.agenda.is_empty() {
            let agenda: Vec<String> = meeting.agenda.iter().map(|a| format!("- {a}")).collect();
            ics.text("DESCRIPTION", &agenda.join("\n"));
        }
        ics.line("END", "VEVENT");
        events.push(Event {
            text: ics.into_string(),
            teams: meeting.teams.iter().map(|t| &t.value).collect(),
            timed: true,
        });
    }
    for meeting in org.meetings.values() {
        for (n, action) in meeting.actions.iter().enumerate() {
            let Some(due) = action
                .due
                .as_ref()
                .filter(|_| action.status == ActionStatus::Open)
            else {
                continue;
            };
            let owner = action.owner.value.as_str();
            let teams: BTreeSet<&TeamId> = match org.owner_kind(owner) {
                Some(OwnerKind::Team) => org
                    .teams
                    .get_key_value(owner)
                    .map(|(id, _)| id)
                    .into_iter()
                    .collect(),
                _ => org
                    .people
                    .get(owner)
                    .into_iter()
                    .flat_map(|p| p.teams.iter().map(|t| &t.value))
                    .collect(),
            };
            events.push(Event {
                text: all_day(
                    format!("action-{}-{}", meeting.id, n + 1),
                    due.value,
                    format!("{}: {}", label("ics_action_due"), action.what),
                    format!(
                        "{}: {}\n{}: {}",
                        label("owner"),
                        org.display_name(owner),
                        label("meeting"),
                        meeting.name
                    ),
                ),
                teams,
                timed: false,
            });
        }
    }
    for agreement in org.agreements.values() {
        let teams: BTreeSet<&TeamId> = agreement.parties.value.iter().map(|p| &p.value).collect();
        let expires = agreement.expires.value;
        let description = parties(org, agreement);
        events.push(Event {
            text: all_day(
                format!("expiry-{}", agreement.id),
                expires,
                format!("{}: {}", label("ics_agreement_expires"), agreement.title),
                description.clone(),
            ),
            teams: teams.clone(),
            timed: false,
        });
        events.push(Event {
            text: all_day(
                format!("renewal-{}", agreement.id),
                expires.saturating_sub(EXPIRY_NOTICE_DAYS.days()),
                format!("{}: {}", label("ics_renew_agreement"), agreement.title),
                format!("{} {expires}\n{description}", label("expires")),
            ),
            teams,
            timed: false,
        });
    }
    events
}

/// The parties of an agreement by name, one line.
fn parties(org: &Org, agreement: &Agreement) -> String {
    let names: Vec<&str> = agreement
        .parties
        .value
        .iter()
        .map(|p| org.display_name(p.value.as_str()))
        .collect();
    names.join(", ")
}

/// When a meeting recurs: its first start and its RRULE.
#[derive(Debug, PartialEq)]
struct Recurrence {
    start: DateTime,
    rule: String,
}

/// The recurrence of a meeting with a `time` (and a `day`, unless it is daily), from
/// its first meeting on or after January 1 of `year`:
/// * daily: every day the calendar's `hours` open, Monday to Friday without `hours`;
/// * weekly: every week on its day;
/// * biweekly: every other week on its day, in the weeks an even number of weeks after
///   the week of January 5, 1970 (a Monday), so that a build in another year keeps the
///   same weeks;
/// * monthly and quarterly: on the day of the month (`first mon`, `last fri`), every
///   month, or every three months from January.
fn recurrence(meeting: &Meeting, calendar: &Calendar, year: i16) -> Option<Recurrence> {
    let time = meeting.time.as_ref()?.value.0;
    let january = Date::new(year, 1, 1).ok()?;
    let (start, rule) = match (meeting.cadence, meeting.day.as_ref().map(|d| d.value)) {
        (Cadence::Daily, _) => {
            let mut days: Vec<Weekday> = WEEK
                .into_iter()
                .filter(|day| !calendar.week[day_index(*day)].is_empty())
                .collect();
            if days.is_empty() {
                days = WEEK[..5].to_vec();
            }
            let first = first_of(&days, january)?;
            let byday: Vec<&str> = days.into_iter().map(ics::weekday).collect();
            (first, format!("FREQ=WEEKLY;BYDAY={}", byday.join(",")))
        }
        (Cadence::Weekly, Some(MeetingDay::Weekday(day))) => (
            first_of(&[day], january)?,
            format!("FREQ=WEEKLY;BYDAY={}", ics::weekday(day)),
        ),
        (Cadence::Biweekly, Some(MeetingDay::Weekday(day))) => {
            let first = first_of(&[day], january)?;
            let epoch = Date::constant(1970, 1, 5);
            let monday =
                first.saturating_sub(i64::from(first.weekday().to_monday_zero_offset()).days());
            let weeks = (monday - epoch).get_days() / 7;
            let first = if weeks % 2 == 0 {
                first
            } else {
                first.saturating_add(7.days())
            };
            (
                first,
                format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={}", ics::weekday(day)),
            )
        }
        (Cadence::Monthly | Cadence::Quarterly, Some(MeetingDay::OfMonth(nth, day))) => {
            let interval = if meeting.cadence == Cadence::Quarterly {
                ";INTERVAL=3"
            } else {
                ""
            };
            (
                january.nth_weekday_of_month(nth, day).ok()?,
                format!("FREQ=MONTHLY{interval};BYDAY={nth}{}", ics::weekday(day)),
            )
        }
        // A day that does not fit the cadence was reported when the file was read.
        _ => return None,
    };
    Some(Recurrence {
        start: start.to_datetime(time),
        rule,
    })
}

/// The first date on or after `from` that falls on one of `days`.
fn first_of(days: &[Weekday], from: Date) -> Option<Date> {
    (0..7)
        .map(|n| from.saturating_add(n.days()))
        .find(|date| days.contains(&date.weekday()))
}

const WEEK: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

fn day_index(day: Weekday) -> usize {
    usize::try_from(day.to_monday_zero_offset()).unwrap_or(0)
}

/// The part of every UID after `@`: the org's name in lower case, letters and digits
/// kept (any script), every other run of characters one `-`; `accord` for a name with
/// no letter or digit.
fn uid_domain(name: &str) -> String {
    let mut domain = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            domain.push(c);
        } else if !domain.is_empty() && !domain.ends_with('-') {
            domain.push('-');
        }
    }
    let domain = domain.trim_end_matches('-');
    if domain.is_empty() {
        "accord".to_owned()
    } else {
        domain.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Located, MeetingId, MeetingTime, Opening, PersonId};
    use crate::source::{Loc, Sources};

    fn meeting(cadence: Cadence, day: Option<&str>, time: &str) -> Meeting {
        let loc = Loc::new(Sources::default().add("m.toml".into(), String::new()), 0..0);
        Meeting {
            id: MeetingId("m".to_owned()),
            name: "M".to_owned(),
            cadence,
            duration: Located::new(40, loc),
            day: day.map(|d| Located::new(MeetingDay::parse(d).unwrap(), loc)),
            time: Some(Located::new(MeetingTime::parse(time).unwrap(), loc)),
            teams: Vec::new(),
            facilitator: Located::new(PersonId("p".to_owned()), loc),
            attendees: Vec::new(),
            agenda: Vec::new(),
            actions: Vec::new(),
            file: loc.file,
        }
    }

    fn rule(cadence: Cadence, day: Option<&str>) -> (String, String) {
        let r = recurrence(&meeting(cadence, day, "09:30"), &Calendar::default(), 2026).unwrap();
        (r.start.to_string(), r.rule)
    }

    #[test]
    fn each_cadence_has_its_rule_from_its_first_meeting_of_the_year() {
        // 2026-01-01 is a Thursday.
        assert_eq!(
            rule(Cadence::Daily, None),
            (
                "2026-01-01T09:30:00".into(),
                "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".into()
            )
        );
        assert_eq!(
            rule(Cadence::Weekly, Some("mon")),
            ("2026-01-05T09:30:00".into(), "FREQ=WEEKLY;BYDAY=MO".into())
        );
        assert_eq!(
            rule(Cadence::Weekly, Some("thu")),
            ("2026-01-01T09:30:00".into(), "FREQ=WEEKLY;BYDAY=TH".into())
        );
        assert_eq!(
            rule(Cadence::Monthly, Some("first mon")),
            (
                "2026-01-05T09:30:00".into(),
                "FREQ=MONTHLY;BYDAY=1MO".into()
            )
        );
        assert_eq!(
            rule(Cadence::Monthly, Some("last fri")),
            (
                "2026-01-30T09:30:00".into(),
                "FREQ=MONTHLY;BYDAY=-1FR".into()
            )
        );
        assert_eq!(
            rule(Cadence::Quarterly, Some("second tue")),
            (
                "2026-01-13T09:30:00".into(),
                "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU".into()
            )
        );
    }

    #[test]
    fn biweekly_meetings_keep_their_weeks_from_one_year_to_the_next() {
        let start = |year| {
            recurrence(
                &meeting(Cadence::Biweekly, Some("mon"), "10:00"),
                &Calendar::default(),
                year,
            )
            .unwrap()
            .start
            .date()
        };
        let (this, next) = (start(2026), start(2027));
        assert_eq!((next - this).get_days() % 14, 0, "{this} {next}");
        assert_eq!(
            recurrence(
                &meeting(Cadence::Biweekly, Some("mon"), "10:00"),
                &Calendar::default(),
                2026
            )
            .unwrap()
            .rule,
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
        );
        // Weeks since the Monday 1970-01-05 are even.
        assert_eq!((this - Date::constant(1970, 1, 5)).get_days() % 14, 0);
    }

    #[test]
    fn daily_meetings_meet_on_the_days_the_calendar_opens() {
        let mut calendar = Calendar::default();
        for day in [1, 2, 5] {
            calendar.week[day].push(Opening {
                start: 480,
                end: 1140,
            });
        }
        let r = recurrence(&meeting(Cadence::Daily, None, "08:15"), &calendar, 2026).unwrap();
        assert_eq!(r.rule, "FREQ=WEEKLY;BYDAY=TU,WE,SA");
        assert_eq!(r.start.to_string(), "2026-01-03T08:15:00");
    }

    #[test]
    fn a_meeting_without_time_or_with_a_day_of_the_wrong_kind_is_left_out() {
        let mut untimed = meeting(Cadence::Weekly, Some("mon"), "09:00");
        untimed.time = None;
        assert_eq!(recurrence(&untimed, &Calendar::default(), 2026), None);
        let dayless = meeting(Cadence::Weekly, None, "09:00");
        assert_eq!(recurrence(&dayless, &Calendar::default(), 2026), None);
    }

    #[test]
    fn uid_domains_keep_letters_of_any_script() {
        assert_eq!(
            uid_domain("Estanterías Peñalara S.L."),
            "estanterías-peñalara-s-l"
        );
        assert_eq!(uid_domain("  Łódź & Москва "), "łódź-москва");
        assert_eq!(uid_domain("***"), "accord");
    }
}
