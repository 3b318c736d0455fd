//! When a meeting meets: its `day` and `time`, in the `[calendar]` time zone.

use std::fmt;

use jiff::civil::{Time, Weekday};
use serde::{Serialize, Serializer};

/// Day names as the files write them, Monday first.
const WEEKDAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

/// Which of a month's weekdays a monthly meeting takes.
const ORDINALS: [(&str, i8); 5] = [
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("last", -1),
];

/// A meeting's `day`: a weekday (`"mon"`), or one weekday of the month (`"first mon"`,
/// `"last fri"`) for meetings that meet monthly or less often.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingDay {
    Weekday(Weekday),
    /// The `n`th such weekday of the month, 1 to 4, or -1 for the last.
    OfMonth(i8, Weekday),
}

impl MeetingDay {
    /// The forms [`MeetingDay::parse`] reads, as a regular expression for the JSON Schemas.
    pub const PATTERN: &str = "^((first|second|third|fourth|last) )?(mon|tue|wed|thu|fri|sat|sun)$";

    /// Reads `day` as written; the error completes "`day` `...` ..." with what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let weekday = |word: &str| {
            WEEKDAYS
                .iter()
                .find(|(name, _)| *name == word)
                .map(|(_, day)| *day)
        };
        match text.split_once(' ') {
            None => weekday(text)
                .map(MeetingDay::Weekday)
                .ok_or_else(|| "names no weekday (mon, tue, wed, thu, fri, sat, sun)".to_owned()),
            Some((ordinal, day)) => {
                let n = ORDINALS
                    .iter()
                    .find(|(name, _)| *name == ordinal)
                    .map(|(_, n)| *n)
                    .ok_or_else(|| {
                        format!(
                            "has `{ordinal}` where first, second, third, fourth or last belongs"
                        )
                    })?;
                let day = weekday(day).ok_or_else(|| {
                    format!(
                        "has `{day}` where a weekday (mon, tue, wed, thu, fri, sat, sun) belongs"
                    )
                })?;
                Ok(MeetingDay::OfMonth(n, day))
            }
        }
    }

    /// The weekday whose name starts `text`'s last word ("Monday" -> mon), for a fix.
    pub fn weekday_meant(text: &str) -> Option<&'static str> {
        let last = text.rsplit(' ').next()?.to_lowercase();
        WEEKDAYS
            .iter()
            .map(|(name, _)| *name)
            .find(|name| last.starts_with(name))
    }

    /// The weekday the meeting falls on.
    pub fn weekday(self) -> Weekday {
        match self {
            MeetingDay::Weekday(day) | MeetingDay::OfMonth(_, day) => day,
        }
    }
}

impl fmt::Display for MeetingDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |day: Weekday| {
            WEEKDAYS
                .iter()
                .find(|(_, d)| *d == day)
                .map_or("", |(name, _)| *name)
        };
        match *self {
            MeetingDay::Weekday(day) => f.write_str(name(day)),
            MeetingDay::OfMonth(n, day) => {
                let ordinal = ORDINALS
                    .iter()
                    .find(|(_, m)| *m == n)
                    .map_or("", |(word, _)| *word);
                write!(f, "{ordinal} {}", name(day))
            }
        }
    }
}

impl Serialize for MeetingDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A meeting's `time`: a local time of day to the minute, written `HH:MM` (24 h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeetingTime(pub Time);

impl MeetingTime {
    /// The times [`MeetingTime::parse`] reads, as a regular expression for the JSON Schemas.
    pub const PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    /// Reads `HH:MM`, 00:00 to 23:59; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let digits = |part: &str| {
            (part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<i8>().ok())
                .flatten()
        };
        let (hour, minute) = text
            .split_once(':')
            .and_then(|(h, m)| Some((digits(h)?, digits(m)?)))
            .ok_or("is not a time written HH:MM")?;
        if hour > 23 || minute > 59 {
            return Err("is not a time of day (00:00 to 23:59)".to_owned());
        }
        Time::new(hour, minute, 0, 0)
            .map(MeetingTime)
            .map_err(|e| e.to_string())
    }
}

impl fmt::Display for MeetingTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl Serialize for MeetingTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_as_written_and_print_back() {
        for text in [
            "mon",
            "sun",
            "first mon",
            "second tue",
            "fourth thu",
            "last fri",
        ] {
            assert_eq!(MeetingDay::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            MeetingDay::parse("last fri"),
            Ok(MeetingDay::OfMonth(-1, Weekday::Friday))
        );
        for bad in [
            "monday",
            "Mon",
            "fifth mon",
            "first",
            "first  mon",
            "first monday",
            "",
        ] {
            assert!(MeetingDay::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_day_written_in_full_points_to_its_short_name() {
        assert_eq!(MeetingDay::weekday_meant("Monday"), Some("mon"));
        assert_eq!(MeetingDay::weekday_meant("last friday"), Some("fri"));
        assert_eq!(MeetingDay::weekday_meant("lunes"), None);
    }

    #[test]
    fn times_are_24_hour_hh_mm() {
        assert_eq!(MeetingTime::parse("09:05").unwrap().to_string(), "09:05");
        assert_eq!(
            MeetingTime::parse("23:59").unwrap().0,
            Time::constant(23, 59, 0, 0)
        );
        for bad in [
            "25:00", "24:00", "12:60", "9:00", "09:00:00", "0900", "ab:cd", "+9:00",
        ] {
            assert!(MeetingTime::parse(bad).is_err(), "{bad}");
        }
    }
}
