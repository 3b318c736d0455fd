//! `calendar.ics` and `teams/<id>.ics` of a built site (SPEC 7.8), read back as an
//! iCalendar client reads them: unfolded lines, events by UID. `.ci/run` also parses them
//! with ical.js and expands the recurrences over a month (tests/ical/).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::temp_dir;

/// Builds `org` for `today` into `out`.
fn build(org: &Path, out: &Path, today: &str) {
    common::build_site(org, out, today);
}

/// The content lines of an iCalendar file, unfolded, after checking the framing: every
/// line ends with CRLF and holds at most 75 octets.
fn unfold(bytes: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let body = text.strip_suffix("\r\n").expect("the file ends with CRLF");
    let mut lines: Vec<String> = Vec::new();
    for line in body.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        match line.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("a first line").push_str(rest),
            None => lines.push(line.to_owned()),
        }
    }
    lines
}

/// Each VEVENT's properties (name with parameters -> value), by UID.
fn events(lines: &[String]) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut events = BTreeMap::new();
    let mut current: Option<BTreeMap<String, String>> = None;
    for line in lines {
        match line.as_str() {
            "BEGIN:VEVENT" => current = Some(BTreeMap::new()),
            "END:VEVENT" => {
                let event = current.take().expect("END after BEGIN");
                let uid = event["UID"].clone();
                assert!(
                    events.insert(uid.clone(), event).is_none(),
                    "UID {uid} twice"
                );
            }
            _ => {
                if let Some(event) = current.as_mut() {
                    let (name, value) = line.split_once(':').expect("name:value");
                    event.insert(name.to_owned(), value.to_owned());
                }
            }
        }
    }
    events
}

fn uids(lines: &[String]) -> Vec<String> {
    events(lines).into_keys().collect()
}

#[test]
fn example_org_calendars_hold_meetings_actions_and_expiries() {
    let dir = temp_dir("calendar-example");
    let org = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-org");
    build(&org, &dir.join("a"), "2026-12-03");
    build(&org, &dir.join("b"), "2026-12-03");
    let calendar = fs::read(dir.join("a/calendar.ics")).expect("calendar.ics");
    assert_eq!(
        calendar,
        fs::read(dir.join("b/calendar.ics")).unwrap(),
        "two builds for one day write the same calendar"
    );
    let lines = unfold(&calendar);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.contains(&"TZID:Europe/Madrid".to_owned()));
    let events = events(&lines);
    let domain = "estanterías-peñalara";
    let weekly = &events[&format!("meeting-smarketing-weekly@{domain}")];
    assert_eq!(weekly["DTSTART;TZID=Europe/Madrid"], "20260105T090000");
    assert_eq!(weekly["RRULE"], "FREQ=WEEKLY;BYDAY=MO");
    assert_eq!(weekly["DURATION"], "PT35M");
    assert_eq!(weekly["DTSTAMP"], "20261203T000000Z");
    assert_eq!(weekly["SUMMARY"], "Smarketing weekly");
    let monthly = &events[&format!("meeting-revenue-monthly@{domain}")];
    assert_eq!(monthly["RRULE"], "FREQ=MONTHLY;BYDAY=-1FR");
    assert!(
        monthly["DESCRIPTION"].contains("every term\\, met or missed\\n- "),
        "TEXT escaped: {}",
        monthly["DESCRIPTION"]
    );
    // An open action with a due date, all day; a done one is not in the calendar.
    let action = &events[&format!("action-operations-weekly-1@{domain}")];
    assert_eq!(action["DTSTART;VALUE=DATE"], "20261030");
    assert_eq!(action["DTEND;VALUE=DATE"], "20261031");
    assert!(action["SUMMARY"].ends_with("Share the installation calendar with sales in the CRM"));
    assert!(!events.contains_key(&format!("action-customer-handover-weekly-1@{domain}")));
    // The expiry and the renewal reminder 30 days before it.
    let sla = "marketing-sales-sla-2026";
    assert_eq!(
        events[&format!("expiry-{sla}@{domain}")]["DTSTART;VALUE=DATE"],
        "20261231"
    );
    assert_eq!(
        events[&format!("renewal-{sla}@{domain}")]["DTSTART;VALUE=DATE"],
        "20261201"
    );

    // A team's file: its meetings, its and its members' actions, its agreements.
    let marketing = unfold(&fs::read(dir.join("a/teams/marketing.ics")).unwrap());
    let marketing = uids(&marketing);
    for uid in [
        "meeting-smarketing-weekly",
        "meeting-smarketing-monthly",
        "action-smarketing-monthly-2",
        "expiry-marketing-sales-sla-2026",
    ] {
        assert!(
            marketing.contains(&format!("{uid}@{domain}")),
            "{uid} in {marketing:?}"
        );
    }
    for uid in ["meeting-operations-weekly", "action-operations-weekly-1"] {
        assert!(
            !marketing.contains(&format!("{uid}@{domain}")),
            "{uid} in {marketing:?}"
        );
    }
    // The team page and the dashboard link them.
    let team_page = fs::read_to_string(dir.join("a/teams/marketing.html")).unwrap();
    assert!(team_page.contains("href=\"../teams/marketing.ics\""));
    let index = fs::read_to_string(dir.join("a/index.html")).unwrap();
    assert!(index.contains("href=\"calendar.ics\""));
}

#[test]
fn in_utc_meetings_start_at_utc_times_without_a_time_zone() {
    let dir = temp_dir("calendar-utc");
    let org = dir.join("org");
    common::copy_dir(&common::fixture("clean"), &org);
    let file = org.join("meetings/smarketing-weekly.toml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replace(
            "duration = 45\n",
            "duration = 45\nday = \"fri\"\ntime = \"16:30\"\n",
        ),
    )
    .unwrap();
    build(&org, &dir.join("site"), "2026-06-15");
    let lines = unfold(&fs::read(dir.join("site/calendar.ics")).unwrap());
    assert!(!lines.iter().any(|l| l.starts_with("BEGIN:VTIMEZONE")));
    let events = events(&lines);
    let weekly = &events["meeting-smarketing-weekly@clean-org"];
    assert_eq!(weekly["DTSTART"], "20260102T163000Z");
    assert_eq!(weekly["RRULE"], "FREQ=WEEKLY;BYDAY=FR");
    // The monthly meeting has no day and time: it is left out.
    assert!(!events.contains_key("meeting-smarketing-monthly@clean-org"));
}
