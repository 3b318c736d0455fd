//! Reading the times of a record: ISO 8601 by default, or the record set's
//! strftime-style `date_format`; local times are in the calendar's zone.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::fmt::strtime;
use jiff::tz::TimeZone;

/// How the times of one record set are written: its `date_format`, if it has one.
pub struct TimeFormat<'a> {
    pub format: Option<&'a str>,
}

/// Why a time could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum TimeError {
    /// No `date_format`, and the text is a day-month or month-day date: which one is
    /// only the user can say. Holds an example format for the text.
    Ambiguous(&'static str),
    /// The text does not have the expected format.
    Unreadable,
}

/// A time as written: an instant (it carried an offset) or a local time of the zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Instant(Timestamp),
    Local(DateTime),
}

impl Written {
    /// The instant, in `zone` for a local time. A local time the clocks skip (02:30 on
    /// a spring-forward night) is read after the gap; one they pass twice (02:30 on a
    /// fall-back night) is the first pass, unless that is before `not_before`: an end
    /// written in the repeated hour after a start in its first pass is the second pass.
    pub fn instant(self, zone: &TimeZone, not_before: Option<Timestamp>) -> Option<Timestamp> {
        match self {
            Written::Instant(t) => Some(t),
            Written::Local(local) => {
                let ambiguous = zone.to_ambiguous_timestamp(local);
                let first = ambiguous.compatible().ok()?;
                match not_before {
                    Some(start) if first < start => ambiguous.later().ok(),
                    _ => Some(first),
                }
            }
        }
    }
}

impl TimeFormat<'_> {
    /// `text` as written, before any time zone is applied: with an offset (`Z`,
    /// `+01:00`) an instant, else a local time (a date alone is its midnight).
    pub fn read(&self, text: &str) -> Result<Written, TimeError> {
        let text = text.trim();
        match self.format {
            Some(format) => read_with(format, text),
            None => read_iso(text),
        }
    }
}

fn read_iso(text: &str) -> Result<Written, TimeError> {
    if let Ok(instant) = text.parse::<Timestamp>() {
        return Ok(Written::Instant(instant));
    }
    if let Ok(local) = text.parse::<DateTime>() {
        return Ok(Written::Local(local));
    }
    if let Ok(date) = text.parse::<Date>() {
        return Ok(Written::Local(
            date.to_datetime(jiff::civil::Time::midnight()),
        ));
    }
    Err(ambiguity(text).map_or(TimeError::Unreadable, TimeError::Ambiguous))
}

fn read_with(format: &str, text: &str) -> Result<Written, TimeError> {
    let parts = strtime::parse(format, text).map_err(|_| TimeError::Unreadable)?;
    if parts.offset().is_some() {
        return parts
            .to_timestamp()
            .map(Written::Instant)
            .map_err(|_| TimeError::Unreadable);
    }
    match parts.to_datetime() {
        Ok(local) => Ok(Written::Local(local)),
        Err(_) => {
            let date = parts.to_date().map_err(|_| TimeError::Unreadable)?;
            Ok(Written::Local(
                date.to_datetime(jiff::civil::Time::midnight()),
            ))
        }
    }
}

/// The format a `dd/mm/yyyy`-like text most likely has, when it is one: `01/02/2026`
/// may be the first of February or the second of January, so it is never guessed.
fn ambiguity(text: &str) -> Option<&'static str> {
    let date = text.split([' ', 'T']).next()?;
    let parts: Vec<&str> = date.split(['/', '.', '-']).collect();
    let numeric = |p: &&str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !parts.iter().all(numeric) || parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    let separator = if date.contains('/') {
        '/'
    } else if date.contains('.') {
        '.'
    } else {
        '-'
    };
    let with_time = text.len() > date.len();
    let month_first = parts[0].parse::<u8>().is_ok_and(|n| n <= 12)
        && parts[1].parse::<u8>().is_ok_and(|n| n > 12);
    Some(match (separator, month_first, with_time) {
        ('/', true, true) => "%m/%d/%Y %H:%M",
        ('/', true, false) => "%m/%d/%Y",
        ('/', false, true) => "%d/%m/%Y %H:%M",
        ('/', false, false) => "%d/%m/%Y",
        ('.', _, true) => "%d.%m.%Y %H:%M",
        ('.', _, false) => "%d.%m.%Y",
        (_, _, true) => "%d-%m-%Y %H:%M",
        _ => "%d-%m-%Y",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn madrid() -> TimeZone {
        TimeZone::get("Europe/Madrid").expect("bundled zone")
    }

    /// The instant of `text` in Madrid, read with `format`.
    fn parse(format: Option<&str>, text: &str) -> Result<Timestamp, TimeError> {
        let written = TimeFormat { format }.read(text)?;
        written
            .instant(&madrid(), None)
            .ok_or(TimeError::Unreadable)
    }

    fn utc(text: &str) -> Timestamp {
        text.parse().expect("an instant")
    }

    #[test]
    fn iso_times_are_local_to_the_zone_unless_they_carry_an_offset() {
        let winter = utc("2026-01-15T08:00:00Z");
        assert_eq!(parse(None, "2026-01-15T09:00"), Ok(winter));
        assert_eq!(parse(None, "2026-01-15 09:00:00"), Ok(winter));
        assert_eq!(parse(None, "2026-01-15T08:00:00Z"), Ok(winter));
        assert_eq!(parse(None, "2026-01-15T10:00:00+02:00"), Ok(winter));
        // Summer time: two hours ahead of UTC.
        assert_eq!(
            parse(None, "2026-07-15 10:00"),
            Ok(utc("2026-07-15T08:00:00Z"))
        );
        assert_eq!(parse(None, "2026-01-15"), Ok(utc("2026-01-14T23:00:00Z")));
        assert_eq!(parse(None, "yesterday"), Err(TimeError::Unreadable));
    }

    #[test]
    fn an_end_in_the_repeated_hour_of_a_fall_back_night_is_its_second_pass() {
        let zone = madrid();
        let eu = TimeFormat {
            format: Some("%d/%m/%Y %H:%M"),
        };
        let read = |text: &str, start| eu.read(text).unwrap().instant(&zone, start).unwrap();
        // 25/10/2026: 02:00-03:00 happens twice. A start at 02:50 (first pass, UTC+2)
        // and an end at 02:10 (second pass, UTC+1) are 20 minutes apart.
        let start = read("25/10/2026 02:50", None);
        assert_eq!(start, utc("2026-10-25T00:50:00Z"));
        assert_eq!(
            read("25/10/2026 02:10", Some(start)),
            utc("2026-10-25T01:10:00Z")
        );
        // An end that is plainly later keeps its first pass.
        assert_eq!(
            read("25/10/2026 02:55", Some(start)),
            utc("2026-10-25T00:55:00Z")
        );
    }

    #[test]
    fn a_day_month_date_without_date_format_is_never_guessed() {
        assert_eq!(
            parse(None, "01/02/2026 09:15"),
            Err(TimeError::Ambiguous("%d/%m/%Y %H:%M"))
        );
        assert_eq!(
            parse(None, "02/13/2026"),
            Err(TimeError::Ambiguous("%m/%d/%Y"))
        );
        assert_eq!(
            parse(None, "13.02.2026"),
            Err(TimeError::Ambiguous("%d.%m.%Y"))
        );
    }

    #[test]
    fn a_declared_format_reads_european_and_us_dates() {
        let expected = utc("2026-02-01T08:15:00Z");
        assert_eq!(
            parse(Some("%d/%m/%Y %H:%M"), "01/02/2026 09:15"),
            Ok(expected)
        );
        assert_eq!(
            parse(Some("%m/%d/%Y %I:%M %p"), "02/01/2026 09:15 AM"),
            Ok(expected)
        );
        assert_eq!(
            parse(Some("%d/%m/%Y %H:%M"), "2026-02-01 09:15"),
            Err(TimeError::Unreadable)
        );
        assert_eq!(
            parse(Some("%d/%m/%Y"), "01/02/2026"),
            Ok(utc("2026-01-31T23:00:00Z"))
        );
    }
}
