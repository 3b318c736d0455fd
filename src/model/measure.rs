//! What `accord measure` is told: the working calendar, the record sets (CRM exports)
//! and each KPI's `[measure]`. These are definitions from the TOML files; no value of
//! a record is ever kept in the model.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::Located;
use crate::source::Loc;

word_enum!(
    /// How one period's value is computed from its rows.
    Statistic { Count = "count", Sum = "sum", Mean = "mean", Median = "median", P90 = "p90", P95 = "p95", Share = "share" }
);
word_enum!(
    /// The unit a duration is expressed in.
    TimeUnit { Minutes = "minutes", Hours = "hours", Days = "days" }
);

impl TimeUnit {
    /// Seconds in one of this unit.
    pub fn seconds(self) -> f64 {
        match self {
            TimeUnit::Minutes => 60.0,
            TimeUnit::Hours => 3_600.0,
            TimeUnit::Days => 86_400.0,
        }
    }
}

/// One opening of a day, in minutes from local midnight: `start` < `end` <= 1440.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Opening {
    pub start: u16,
    pub end: u16,
}

/// `[calendar]` of accord.toml: working time in one time zone.
#[derive(Clone, Debug)]
pub struct Calendar {
    /// The zone the records' local times are in, and the hours.
    pub time_zone: TimeZone,
    /// Openings of each weekday, Monday first, sorted and without overlap.
    pub week: [Vec<Opening>; 7],
    /// Days closed all day.
    pub holidays: BTreeSet<Date>,
    /// Where `hours` is written, when it is: business hours need it.
    pub hours_loc: Option<Loc>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            time_zone: TimeZone::UTC,
            week: Default::default(),
            holidays: BTreeSet::new(),
            hours_loc: None,
        }
    }
}

impl Calendar {
    /// The openings of `date`: none on a holiday.
    pub fn openings(&self, date: Date) -> &[Opening] {
        if self.holidays.contains(&date) {
            return &[];
        }
        let monday_first = usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0);
        &self.week[monday_first]
    }
}

/// `[records.NAME]` of accord.toml: one export and how to read it.
#[derive(Clone, Debug)]
pub struct RecordSet {
    pub name: Located<String>,
    /// Relative to the org root; absent when the file is only given at run time.
    pub file: Option<Located<String>>,
    pub time: Located<String>,
    /// A CSV's delimiter; `None` to infer it from the header line.
    pub delimiter: Option<u8>,
    /// The decimal separator of numbers.
    pub decimal_comma: bool,
    /// strftime-style format of the times; `None` for ISO 8601.
    pub date_format: Option<Located<String>>,
}

/// `duration` of a `[measure]`: the time from one column to another of a row.
#[derive(Clone, Debug, Serialize)]
pub struct DurationSpec {
    pub from: Located<String>,
    pub to: Located<String>,
    #[serde(rename = "in")]
    pub unit: TimeUnit,
    pub business_hours: bool,
}

/// `[measure]` of a KPI: how its actuals are computed from a record set.
#[derive(Clone, Debug, Serialize)]
pub struct Measure {
    pub records: Located<String>,
    #[serde(rename = "value")]
    pub statistic: Located<Statistic>,
    pub duration: Option<DurationSpec>,
    pub column: Option<Located<String>>,
    pub filled: Vec<Located<String>>,
    pub within: Option<Located<f64>>,
    /// Column and the values a row must hold in it, all of them.
    #[serde(rename = "where")]
    pub filter: Vec<(Located<String>, Vec<String>)>,
}

#[cfg(test)]
mod tests {
    use crate::model::{Period, PeriodLabel};
    use jiff::civil::date;

    #[test]
    fn a_day_is_in_one_period_of_each_kind_and_each_period_ends_on_its_last_day() {
        // Thursday 2026-01-01 is in ISO week 1 of 2026; Sunday 2027-01-03 in week 53 of 2026.
        let cases = [
            (date(2026, 1, 1), Period::Week, "2026-W01", date(2026, 1, 4)),
            (date(2027, 1, 3), Period::Week, "2026-W53", date(2027, 1, 3)),
            (
                date(2024, 2, 10),
                Period::Month,
                "2024-02",
                date(2024, 2, 29),
            ),
            (
                date(2026, 8, 31),
                Period::Quarter,
                "2026-Q3",
                date(2026, 9, 30),
            ),
            (date(2026, 3, 31), Period::Year, "2026", date(2026, 12, 31)),
        ];
        for (day, period, label, last) in cases {
            let of = PeriodLabel::containing(period, day);
            assert_eq!(of.to_string(), label);
            assert_eq!(of.last_day(), Some(last), "{label}");
        }
    }
}
