//! What `accord measure` is told: the working calendar, the record sets (CRM exports)
//! and each KPI's `[measure]`. These are definitions from the TOML files; no value of
//! a record is ever kept in the model.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::{Located, PeriodLabel};
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

impl Measure {
    /// The most a row's duration may take to count as good: `within` of a share, the
    /// target of a duration statistic (`target` is the KPI's). `None` when nothing is
    /// timed or no limit is set.
    pub fn duration_limit(&self, target: f64) -> Option<f64> {
        self.duration.as_ref()?;
        match self.statistic.value {
            Statistic::Share => self.within.as_ref().map(|w| w.value),
            Statistic::Median | Statistic::Mean | Statistic::P90 | Statistic::P95 => Some(target),
            Statistic::Count | Statistic::Sum => None,
        }
        .filter(|limit| *limit > 0.0)
    }
}

/// A range of durations on a KPI's page: how many rows of a period took that long.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Band {
    /// More than `above` (0: from zero on) and at most `to`, in the duration's unit.
    Between { above: f64, to: f64 },
    /// More than this.
    Over(f64),
    /// Rows with no end yet (a lead not called): no duration.
    NoEnd,
}

impl Band {
    /// The bands cut at `edges` (ascending): `0-e1`, `e1-e2`, ..., `eN+`, and no end.
    pub fn cut_at(edges: &[f64]) -> Vec<Band> {
        let mut above = 0.0;
        let mut bands = Vec::with_capacity(edges.len() + 2);
        for &to in edges {
            bands.push(Band::Between { above, to });
            above = to;
        }
        bands.push(Band::Over(above));
        bands.push(Band::NoEnd);
        bands
    }

    /// Whether a duration of `value` falls in the band.
    pub fn holds(self, value: f64) -> bool {
        match self {
            Band::Between { above: 0.0, to } => value <= to,
            Band::Between { above, to } => value > above && value <= to,
            Band::Over(above) => value > above,
            Band::NoEnd => false,
        }
    }

    /// Reads a band as [`Band`]'s `Display` writes it.
    pub fn parse(text: &str) -> Option<Band> {
        let number = |t: &str| t.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0);
        if text == "no end" {
            return Some(Band::NoEnd);
        }
        if let Some(above) = text.strip_suffix('+') {
            return number(above).map(Band::Over);
        }
        let (above, to) = text.split_once('-')?;
        let (above, to) = (number(above)?, number(to)?);
        (above < to).then_some(Band::Between { above, to })
    }
}

impl std::fmt::Display for Band {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Band::Between { above, to } => write!(f, "{above}-{to}"),
            Band::Over(above) => write!(f, "{above}+"),
            Band::NoEnd => f.write_str("no end"),
        }
    }
}

impl Serialize for Band {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How the rows of one period of a duration KPI spread over its bands, as `accord
/// measure` wrote it to `actuals/<kpi>.bands.csv`.
#[derive(Clone, Debug, Serialize)]
pub struct Distribution {
    pub period: PeriodLabel,
    pub bands: Vec<(Band, u64)>,
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

    #[test]
    fn bands_are_cut_at_their_edges_and_read_back_from_their_names() {
        use super::Band;
        let bands = Band::cut_at(&[4.0, 12.0, 60.0]);
        let names: Vec<String> = bands.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["0-4", "4-12", "12-60", "60+", "no end"]);
        for (band, name) in bands.iter().zip(&names) {
            assert_eq!(Band::parse(name), Some(*band));
        }
        // A value on an edge belongs to the band below it: "within 4" holds 4.
        let band_of = |v: f64| bands.iter().position(|b| b.holds(v));
        assert_eq!(
            [0.0, 4.0, 4.5, 12.0, 60.0, 60.5].map(band_of),
            [Some(0), Some(0), Some(1), Some(1), Some(2), Some(3)]
        );
        assert_eq!(
            Band::parse("0.5-1.5"),
            Some(Band::Between {
                above: 0.5,
                to: 1.5
            })
        );
        for bad in ["4-4", "12-4", "-1-4", "x+", "inf+", "NaN-4", "4", ""] {
            assert_eq!(Band::parse(bad), None, "{bad}");
        }
    }
}
