//! iCalendar (RFC 5545) text: content lines, TEXT escaping, folding, and the VTIMEZONE
//! of a time zone. What goes into the calendars is decided in `calendar.rs`.

use jiff::ToSpan;
use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::{Offset, TimeZone};

/// The longest content line, in octets, without its CRLF (RFC 5545 §3.1).
const LINE_OCTETS: usize = 75;

/// iCalendar text being written: every line folded and ended with CRLF.
#[derive(Default)]
pub struct Ics {
    text: String,
}

impl Ics {
    /// A content line whose value is already in its iCalendar form (a date, a rule).
    pub fn line(&mut self, name: &str, value: &str) {
        fold(&format!("{name}:{value}"), &mut self.text);
    }

    /// A content line with a TEXT value, escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.line(name, &escape_text(value));
    }

    /// Lines written elsewhere, already folded.
    pub fn append(&mut self, other: &str) {
        self.text.push_str(other);
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped.
pub fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => escaped.push_str("\\n"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Appends `line` with CRLF, folded so that no line is longer than 75 octets: a fold is
/// a CRLF and a space, placed between characters, never inside a UTF-8 sequence.
fn fold(line: &str, out: &mut String) {
    let mut octets = 0;
    for c in line.chars() {
        if octets + c.len_utf8() > LINE_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A DATE value: `20261201`.
pub fn date(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// A local DATE-TIME value: `20261102T090000`.
pub fn date_time(at: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        date(at.date()),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A weekday as RRULE writes it: `MO`.
pub fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

/// A UTC offset as VTIMEZONE writes it: `+0100`, `-0330`, `+053328`.
fn offset(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// How many years after the first one the yearly rules of a zone are checked against
/// its real transitions before they are written as open-ended RRULEs.
const YEARS_CHECKED: i16 = 10;

/// One change of offset, as a VTIMEZONE component describes it.
#[derive(Clone, Debug, PartialEq)]
struct Observance {
    /// The local time at which it starts, in the offset before it.
    onset: DateTime,
    from: Offset,
    to: Offset,
    name: String,
    dst: bool,
}

impl Observance {
    /// The yearly rule that places this onset: its month and its weekday counted from
    /// the start of the month, or `-1` for the last one.
    fn rule(&self) -> (i8, i8, Weekday) {
        let day = self.onset.date();
        let nth = if day.day() + 7 > day.days_in_month() {
            -1
        } else {
            (day.day() - 1) / 7 + 1
        };
        (day.month(), nth, day.weekday())
    }

    /// The same rule's onset in `year`.
    fn in_year(&self, year: i16) -> Option<Observance> {
        let (month, nth, day) = self.rule();
        let date = Date::new(year, month, 1)
            .ok()?
            .nth_weekday_of_month(nth, day)
            .ok()?;
        Some(Observance {
            onset: date.to_datetime(self.onset.time()),
            ..self.clone()
        })
    }

    fn write(&self, rule: Option<&str>, ics: &mut Ics) {
        let kind = if self.dst { "DAYLIGHT" } else { "STANDARD" };
        ics.line("BEGIN", kind);
        ics.line("DTSTART", &date_time(self.onset));
        if let Some(rule) = rule {
            ics.line("RRULE", rule);
        }
        ics.line("TZOFFSETFROM", &offset(self.from));
        ics.line("TZOFFSETTO", &offset(self.to));
        if !self.name.is_empty() {
            ics.text("TZNAME", &self.name);
        }
        ics.line("END", kind);
    }
}

/// The VTIMEZONE of `tz`, valid from January 1 of `from_year`. A zone whose changes of
/// the first year repeat by the same weekday rule for the next ten years is written as
/// yearly RRULEs (open-ended, as the zone's rules are); another is written change by
/// change over those years. The first year's rules start a year early, so that the
/// offset in force on January 1 is defined.
pub fn vtimezone(tz: &TimeZone, tzid: &str, from_year: i16) -> Option<String> {
    let start = Date::new(from_year - 1, 1, 1).ok()?;
    let end = Date::new(from_year + YEARS_CHECKED, 1, 1).ok()?;
    let start_ts = tz
        .to_timestamp(start.to_datetime(jiff::civil::Time::midnight()))
        .ok()?;
    let end_ts = tz
        .to_timestamp(end.to_datetime(jiff::civil::Time::midnight()))
        .ok()?;
    let changes: Vec<Observance> = tz
        .following(start_ts)
        .take_while(|t| t.timestamp() < end_ts)
        .map(|t| {
            let before = tz.to_offset(
                t.timestamp()
                    .checked_sub(1.second())
                    .unwrap_or(t.timestamp()),
            );
            Observance {
                onset: before.to_datetime(t.timestamp()),
                from: before,
                to: t.offset(),
                name: t.abbreviation().to_owned(),
                dst: t.dst().is_dst(),
            }
        })
        .collect();
    let mut ics = Ics::default();
    ics.line("BEGIN", "VTIMEZONE");
    ics.line("TZID", tzid);
    let first_year: Vec<&Observance> = changes
        .iter()
        .filter(|c| c.onset.year() == start.year())
        .collect();
    let follows_rules = !first_year.is_empty()
        && (start.year()..end.year()).all(|year| {
            let expected: Vec<Option<Observance>> =
                first_year.iter().map(|c| c.in_year(year)).collect();
            let actual: Vec<Option<Observance>> = changes
                .iter()
                .filter(|c| c.onset.year() == year)
                .cloned()
                .map(Some)
                .collect();
            expected == actual
        });
    if follows_rules {
        for change in first_year {
            let (month, nth, day) = change.rule();
            let rule = format!("FREQ=YEARLY;BYMONTH={month};BYDAY={nth}{}", weekday(day));
            change.write(Some(&rule), &mut ics);
        }
    } else {
        // The offset in force before the first change (or always, in a zone without
        // changes), from the start of the epoch calendar clients count from.
        let info = tz.to_offset_info(start_ts);
        Observance {
            onset: DateTime::constant(1970, 1, 1, 0, 0, 0, 0),
            from: info.offset(),
            to: info.offset(),
            name: info.abbreviation().to_owned(),
            dst: info.dst().is_dst(),
        }
        .write(None, &mut ics);
        for change in &changes {
            change.write(None, &mut ics);
        }
    }
    ics.line("END", "VTIMEZONE");
    Some(ics.into_string())
}

/// The instant at midnight UTC that starts `day`, as a UTC DATE-TIME: `20261203T000000Z`.
pub fn utc_midnight(day: Date) -> String {
    format!("{}T000000Z", date(day))
}

/// Whether `tz` is UTC, which iCalendar writes as `Z` times without a VTIMEZONE.
pub fn is_utc(tz: &TimeZone) -> bool {
    *tz == TimeZone::UTC || matches!(tz.iana_name(), Some("UTC" | "Etc/UTC"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text.strip_suffix("\r\n").unwrap().split("\r\n").collect()
    }

    #[test]
    fn text_values_escape_backslash_semicolon_comma_and_line_breaks() {
        assert_eq!(escape_text("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
        assert_eq!(escape_text("Peñalara: 09:00"), "Peñalara: 09:00");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut ics = Ics::default();
        let value = "Ж".repeat(100); // 2 octets each
        ics.text("SUMMARY", &value);
        let text = ics.into_string();
        let lines = lines(&text);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        // SUMMARY: is 8 octets, then 33 letters fill 74 octets: the 34th would make 76.
        assert_eq!(lines[0], format!("SUMMARY:{}", "Ж".repeat(33)));
        assert!(lines[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, format!("SUMMARY:{value}"));
    }

    #[test]
    fn a_line_of_75_octets_is_not_folded() {
        let mut ics = Ics::default();
        ics.line("X", &"a".repeat(73));
        assert_eq!(ics.into_string(), format!("X:{}\r\n", "a".repeat(73)));
        let mut ics = Ics::default();
        ics.line("X", &"a".repeat(74));
        assert_eq!(ics.into_string(), format!("X:{}\r\n a\r\n", "a".repeat(73)));
    }

    #[test]
    fn europe_madrid_changes_by_yearly_rules() {
        let tz = TimeZone::get("Europe/Madrid").unwrap();
        let text = vtimezone(&tz, "Europe/Madrid", 2026).unwrap();
        assert_eq!(
            lines(&text),
            [
                "BEGIN:VTIMEZONE",
                "TZID:Europe/Madrid",
                "BEGIN:DAYLIGHT",
                "DTSTART:20250330T020000",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "TZOFFSETFROM:+0100",
                "TZOFFSETTO:+0200",
                "TZNAME:CEST",
                "END:DAYLIGHT",
                "BEGIN:STANDARD",
                "DTSTART:20251026T030000",
                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                "TZOFFSETFROM:+0200",
                "TZOFFSETTO:+0100",
                "TZNAME:CET",
                "END:STANDARD",
                "END:VTIMEZONE",
            ]
        );
    }

    #[test]
    fn new_york_counts_its_sundays_from_the_start_of_the_month() {
        let tz = TimeZone::get("America/New_York").unwrap();
        let text = vtimezone(&tz, "America/New_York", 2026).unwrap();
        assert!(
            text.contains("DTSTART:20250309T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n")
        );
        assert!(
            text.contains("DTSTART:20251102T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n")
        );
    }

    #[test]
    fn a_zone_without_changes_has_one_standard_offset() {
        let tz = TimeZone::get("Asia/Tokyo").unwrap();
        let text = vtimezone(&tz, "Asia/Tokyo", 2026).unwrap();
        assert_eq!(
            lines(&text),
            [
                "BEGIN:VTIMEZONE",
                "TZID:Asia/Tokyo",
                "BEGIN:STANDARD",
                "DTSTART:19700101T000000",
                "TZOFFSETFROM:+0900",
                "TZOFFSETTO:+0900",
                "TZNAME:JST",
                "END:STANDARD",
                "END:VTIMEZONE",
            ]
        );
        assert!(is_utc(&TimeZone::UTC));
        assert!(!is_utc(&tz));
    }
}
