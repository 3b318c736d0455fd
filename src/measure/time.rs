//! Reading the times of a record: ISO 8601 by default, or the record set's
//! strftime-style `date_format`; local times are in the calendar's zone.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::fmt::strtime;
use jiff::tz::TimeZone;

/// How the times of one record set are written.
pub struct TimeFormat<'a> {
    /// The record set's `date_format`, if it has one.
    pub format: Option<&'a str>,
    pub zone: &'a TimeZone,
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

impl TimeFormat<'_> {
    /// The instant `text` names: with an offset (`Z`, `+01:00`) as written, else as a
    /// local time of the zone (a date alone is its midnight).
    pub fn parse(&self, text: &str) -> Result<Timestamp, TimeError> {
        let text = text.trim();
        match self.format {
            Some(format) => self.parse_with(format, text),
            None => self.parse_iso(text),
        }
    }

    fn parse_iso(&self, text: &str) -> Result<Timestamp, TimeError> {
        if let Ok(instant) = text.parse::<Timestamp>() {
            return Ok(instant);
        }
        if let Ok(local) = text.parse::<DateTime>() {
            return self.local(local);
        }
        if let Ok(date) = text.parse::<Date>() {
            return self.local(date.to_datetime(jiff::civil::Time::midnight()));
        }
        Err(ambiguity(text).map_or(TimeError::Unreadable, TimeError::Ambiguous))
    }

    fn parse_with(&self, format: &str, text: &str) -> Result<Timestamp, TimeError> {
        let parts = strtime::parse(format, text).map_err(|_| TimeError::Unreadable)?;
        if parts.offset().is_some() {
            return parts.to_timestamp().map_err(|_| TimeError::Unreadable);
        }
        match parts.to_datetime() {
            Ok(local) => self.local(local),
            Err(_) => {
                let date = parts.to_date().map_err(|_| TimeError::Unreadable)?;
                self.local(date.to_datetime(jiff::civil::Time::midnight()))
            }
        }
    }

    fn local(&self, local: DateTime) -> Result<Timestamp, TimeError> {
        self.zone
            .to_ambiguous_timestamp(local)
            .compatible()
            .map_err(|_| TimeError::Unreadable)
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

    #[test]
    fn iso_times_are_local_to_the_zone_unless_they_carry_an_offset() {
        let zone = madrid();
        let iso = TimeFormat {
            format: None,
            zone: &zone,
        };
        let winter: Timestamp = "2026-01-15T08:00:00Z".parse().unwrap();
        assert_eq!(iso.parse("2026-01-15T09:00"), Ok(winter));
        assert_eq!(iso.parse("2026-01-15 09:00:00"), Ok(winter));
        assert_eq!(iso.parse("2026-01-15T08:00:00Z"), Ok(winter));
        assert_eq!(iso.parse("2026-01-15T10:00:00+02:00"), Ok(winter));
        // Summer time: two hours ahead of UTC.
        assert_eq!(
            iso.parse("2026-07-15 10:00"),
            Ok("2026-07-15T08:00:00Z".parse().unwrap())
        );
        assert_eq!(
            iso.parse("2026-01-15"),
            Ok("2026-01-14T23:00:00Z".parse().unwrap())
        );
        assert_eq!(iso.parse("yesterday"), Err(TimeError::Unreadable));
    }

    #[test]
    fn a_day_month_date_without_date_format_is_never_guessed() {
        let zone = madrid();
        let iso = TimeFormat {
            format: None,
            zone: &zone,
        };
        assert_eq!(
            iso.parse("01/02/2026 09:15"),
            Err(TimeError::Ambiguous("%d/%m/%Y %H:%M"))
        );
        assert_eq!(
            iso.parse("02/13/2026"),
            Err(TimeError::Ambiguous("%m/%d/%Y"))
        );
        assert_eq!(
            iso.parse("13.02.2026"),
            Err(TimeError::Ambiguous("%d.%m.%Y"))
        );
    }

    #[test]
    fn a_declared_format_reads_european_and_us_dates() {
        let zone = madrid();
        let eu = TimeFormat {
            format: Some("%d/%m/%Y %H:%M"),
            zone: &zone,
        };
        let us = TimeFormat {
            format: Some("%m/%d/%Y %I:%M %p"),
            zone: &zone,
        };
        let expected: Timestamp = "2026-02-01T08:15:00Z".parse().unwrap();
        assert_eq!(eu.parse("01/02/2026 09:15"), Ok(expected));
        assert_eq!(us.parse("02/01/2026 09:15 AM"), Ok(expected));
        assert_eq!(eu.parse("2026-02-01 09:15"), Err(TimeError::Unreadable));
        let day_only = TimeFormat {
            format: Some("%d/%m/%Y"),
            zone: &zone,
        };
        assert_eq!(
            day_only.parse("01/02/2026"),
            Ok("2026-01-31T23:00:00Z".parse().unwrap())
        );
    }
}
