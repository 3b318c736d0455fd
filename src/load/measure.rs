//! `[calendar]` and `[records.*]` of accord.toml and `[measure]` of a KPI: read into the
//! model with the same located findings as every other key. The record files themselves
//! are read by `accord measure` (crate::measure), never by the loader.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::Sink;
use super::table::Reader;
use crate::diagnostic::{DANGLING_REFERENCE, Finding, INVALID_VALUE, closest};
use crate::model::{
    Calendar, DurationSpec, Kpi, KpiId, Located, Measure, Opening, RecordSet, Settings, Statistic,
    TimeUnit, Unit,
};

/// `[calendar]`; the defaults (UTC, no hours) for whatever is absent or bad.
pub(super) fn calendar(table: &Reader, sink: &mut Sink) -> Calendar {
    let mut calendar = Calendar::default();
    if let Some(zone) = table.located_text("time_zone") {
        match TimeZone::get(&zone.value) {
            Ok(tz) => calendar.time_zone = tz,
            Err(_) => {
                let names: Vec<String> =
                    jiff::tz::db().available().map(|n| n.to_string()).collect();
                let help = match closest(&zone.value, names.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => {
                        "write an IANA time zone name such as Europe/Madrid or America/New_York"
                            .to_owned()
                    }
                };
                sink.block(
                    Finding::error(
                        &INVALID_VALUE,
                        zone.loc,
                        format!(
                            "`time_zone` of [calendar] is not a known time zone: `{}`",
                            zone.value
                        ),
                    )
                    .with_help(help),
                );
            }
        }
    }
    let hours = table.located_texts("hours");
    if !table.is_absent("hours") {
        calendar.hours_loc = Some(table.header());
    }
    for entry in hours {
        match parse_hours(&entry.value) {
            Ok(openings) => {
                for (day, opening) in openings {
                    calendar.week[day].push(opening);
                }
            }
            Err(why) => sink.block(
                Finding::error(
                    &INVALID_VALUE,
                    entry.loc,
                    format!("`{}` in `hours` of [calendar] {why}", entry.value),
                )
                .with_help("write days and times like \"mon-fri 08:00-19:00\" or \"sat 09:00-13:00, 16:00-20:00\""),
            ),
        }
    }
    for day in &mut calendar.week {
        *day = merged(std::mem::take(day));
    }
    calendar.holidays = table
        .dates("holidays")
        .into_iter()
        .map(|d| d.value)
        .collect();
    calendar
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// One `hours` entry, `DAYS TIMES`: days as `mon`, `mon-fri` or a comma list of these;
/// times as `HH:MM-HH:MM`, several separated by commas or spaces. Days are numbered
/// from Monday, 0.
fn parse_hours(entry: &str) -> Result<Vec<(usize, Opening)>, String> {
    let entry = entry.trim();
    let (days, times) = entry
        .split_once(char::is_whitespace)
        .ok_or("has no opening times")?;
    let day = |word: &str| {
        DAYS.iter()
            .position(|d| d.eq_ignore_ascii_case(word.trim()))
            .ok_or(format!(
                "names no day `{}` (mon, tue, wed, thu, fri, sat, sun)",
                word.trim()
            ))
    };
    let mut day_list = Vec::new();
    for part in days.split(',') {
        match part.split_once('-') {
            Some((first, last)) => {
                let (first, last) = (day(first)?, day(last)?);
                if last < first {
                    return Err(format!("has the day range `{part}` backwards"));
                }
                day_list.extend(first..=last);
            }
            None => day_list.push(day(part)?),
        }
    }
    let mut openings = Vec::new();
    for range in times.split([',', ' ']).filter(|t| !t.trim().is_empty()) {
        let (start, end) = range
            .split_once('-')
            .ok_or(format!("has `{range}` where times like 08:00-19:00 belong"))?;
        let (start, end) = (minute_of_day(start)?, minute_of_day(end)?);
        if start >= end {
            return Err(format!("has the opening `{range}` ending before it starts"));
        }
        openings.push(Opening { start, end });
    }
    if openings.is_empty() {
        return Err("has no opening times".to_owned());
    }
    Ok(day_list
        .into_iter()
        .flat_map(|d| openings.iter().map(move |o| (d, *o)))
        .collect())
}

/// `HH:MM` as minutes from midnight; `24:00` is the end of the day.
fn minute_of_day(text: &str) -> Result<u16, String> {
    let bad = || format!("has the time `{}`, not HH:MM", text.trim());
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m > 0) || h.to_string().len() > 2 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Openings sorted, overlapping ones joined: an hour written twice counts once.
fn merged(mut openings: Vec<Opening>) -> Vec<Opening> {
    openings.sort();
    let mut out: Vec<Opening> = Vec::new();
    for o in openings {
        match out.last_mut() {
            Some(last) if o.start <= last.end => last.end = last.end.max(o.end),
            _ => out.push(o),
        }
    }
    out
}

/// `[records.*]`, by name; a record set with a bad value is left out (reported).
pub(super) fn record_sets(root: &Reader, sink: &mut Sink) -> BTreeMap<String, RecordSet> {
    let mut sets = BTreeMap::new();
    for (name, table) in root.table_map("records", sink) {
        let before = sink.blocking();
        let delimiter = table.located_text("delimiter").and_then(|d| {
            match d.value.as_bytes() {
                [b] if b.is_ascii() && !b.is_ascii_alphanumeric() && !b"\"\r\n".contains(b) => Some(*b),
                _ => {
                    sink.block(
                        Finding::error(
                            &INVALID_VALUE,
                            d.loc,
                            format!("`delimiter` must be one character such as \",\", \";\" or \"\\t\", found `{}`", d.value.escape_default()),
                        )
                        .with_help("leave `delimiter` out to infer it from the header line"),
                    );
                    None
                }
            }
        });
        let date_format = table.located_text("date_format");
        if let Some(format) = &date_format {
            let sample = DateTime::constant(2026, 1, 31, 13, 45, 0, 0);
            if jiff::fmt::strtime::format(format.value.as_str(), sample).is_err() {
                sink.block(
                    Finding::error(
                        &INVALID_VALUE,
                        format.loc,
                        format!("`date_format` `{}` is not a strftime format", format.value),
                    )
                    .with_help("write the format with % directives, e.g. \"%d/%m/%Y %H:%M\" for 31/01/2026 13:45"),
                );
            }
        }
        let set = table.located_text("time").map(|time| RecordSet {
            name: name.clone(),
            file: table.located_text("file"),
            time,
            delimiter,
            decimal_comma: table.text("decimal").as_deref() == Some(","),
            date_format,
        });
        if let Some(set) = set.filter(|_| sink.blocking() == before) {
            sets.insert(name.value, set);
        }
    }
    sets
}

/// `[measure]` of a KPI of `unit`, when its parts fit together (else reported).
pub(super) fn measure(table: &Reader, unit: Option<Unit>, sink: &mut Sink) -> Option<Measure> {
    let before = sink.blocking();
    let duration = table.table("duration", sink).and_then(|d| {
        Some(DurationSpec {
            from: d.located_text("from")?,
            to: d.located_text("to")?,
            unit: d
                .word("in", TimeUnit::from_word)
                .unwrap_or(TimeUnit::Minutes),
            business_hours: d.boolean("business_hours").unwrap_or(false),
        })
    });
    let statistic = table
        .located_text("value")
        .and_then(|v| Some(Located::new(Statistic::from_word(&v.value)?, v.loc)));
    let measure = Measure {
        records: table.located_text("records")?,
        statistic: statistic?,
        duration,
        column: table.located_text("column"),
        filled: table.located_texts("filled"),
        within: table.number("within"),
        filter: table.texts_map("where"),
    };
    let mut invalid = |loc, message: String, help: &str| {
        sink.block(Finding::error(&INVALID_VALUE, loc, message).with_help(help.to_owned()));
    };
    let at = measure.statistic.loc;
    let stat = measure.statistic.value;
    let has_values = measure.duration.is_some() || measure.column.is_some();
    if measure.duration.is_some() && measure.column.is_some() {
        invalid(
            at,
            "`[measure]` has both `duration` and `column`".into(),
            "keep one: the values are either durations or a column's numbers",
        );
    }
    match stat {
        Statistic::Share => {
            if unit.is_some_and(|u| u != Unit::Percent) {
                invalid(
                    at,
                    "`value = \"share\"` is a percent, but the KPI's unit is not `percent`".into(),
                    "set `unit = \"percent\"` in the KPI",
                );
            }
            if measure.filled.is_empty() == measure.within.is_none() {
                invalid(
                    at,
                    "`value = \"share\"` needs one of `filled` or `within`".into(),
                    "`filled = [\"Email\"]` counts rows with every listed column non-empty; `within = 4` counts rows whose duration is at most 4",
                );
            }
        }
        Statistic::Count => {}
        _ if !has_values => invalid(
            at,
            format!(
                "`value = \"{}\"` needs the values: `duration` or `column`",
                stat.word()
            ),
            "add `duration = { from = \"Create Date\", to = \"First Call\" }` or `column = \"Amount\"`",
        ),
        _ => {}
    }
    if let Some(within) = &measure.within {
        if measure.duration.is_none() {
            invalid(
                within.loc,
                "`within` is a duration limit, but `[measure]` has no `duration`".into(),
                "add `duration = { from = \"...\", to = \"...\" }`",
            );
        }
        if stat != Statistic::Share {
            invalid(
                within.loc,
                "`within` only applies to `value = \"share\"`".into(),
                "remove it, or set `value = \"share\"`",
            );
        }
    }
    if let Some(first) = measure.filled.first().filter(|_| stat != Statistic::Share) {
        invalid(
            first.loc,
            "`filled` only applies to `value = \"share\"`".into(),
            "remove it, or set `value = \"share\"`",
        );
    }
    (sink.blocking() == before).then_some(measure)
}

/// What `[measure]` tables name in accord.toml: a record set that exists, and for
/// business hours, a calendar with `hours`.
pub(super) fn check_references(
    settings: &Settings,
    kpis: &BTreeMap<KpiId, Arc<Kpi>>,
    sink: &mut Sink,
) {
    for measure in kpis.values().filter_map(|k| k.measure.as_ref()) {
        let name = &measure.records;
        if !settings.records.contains_key(&name.value) {
            let help = match closest(&name.value, settings.records.keys().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "declare it in accord.toml: [records.{}] with `file` and `time`",
                    name.value
                ),
            };
            sink.note(
                Finding::error(
                    &DANGLING_REFERENCE,
                    name.loc,
                    format!(
                        "`records` names the record set `{}`, which accord.toml does not declare",
                        name.value
                    ),
                )
                .with_help(help),
            );
        }
        if let Some(duration) = &measure.duration
            && duration.business_hours
            && settings.calendar.hours_loc.is_none()
        {
            sink.note(
                Finding::error(
                    &INVALID_VALUE,
                    duration.from.loc,
                    "`business_hours = true` needs the opening hours: accord.toml has no [calendar] `hours`",
                )
                .with_help("add [calendar] with hours = [\"mon-fri 08:00-19:00\"] to accord.toml"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_day_ranges_with_openings() {
        let mon_fri = parse_hours("mon-fri 08:00-19:00").unwrap();
        assert_eq!(mon_fri.len(), 5);
        assert_eq!(
            mon_fri[0],
            (
                0,
                Opening {
                    start: 480,
                    end: 1140
                }
            )
        );
        assert_eq!(mon_fri[4].0, 4);
        let split = parse_hours("sat,sun 09:00-13:00, 16:00-24:00").unwrap();
        assert_eq!(
            split,
            [
                (
                    5,
                    Opening {
                        start: 540,
                        end: 780
                    }
                ),
                (
                    5,
                    Opening {
                        start: 960,
                        end: 1440
                    }
                ),
                (
                    6,
                    Opening {
                        start: 540,
                        end: 780
                    }
                ),
                (
                    6,
                    Opening {
                        start: 960,
                        end: 1440
                    }
                ),
            ]
        );
        for bad in [
            "mon-fri",
            "mo-fri 08:00-19:00",
            "fri-mon 08:00-19:00",
            "mon 19:00-08:00",
            "mon 8-19",
            "mon 08:60-09:00",
            "mon 24:30-25:00",
        ] {
            assert!(parse_hours(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn openings_written_twice_count_once() {
        let o = |start, end| Opening { start, end };
        assert_eq!(
            merged(vec![o(600, 700), o(480, 660), o(800, 900)]),
            [o(480, 700), o(800, 900)]
        );
    }
}

#[cfg(test)]
mod org_tests {
    use crate::check::testing::TestOrg;

    const RECORDS: &str = "\n[calendar]\ntime_zone = \"Europe/Madird\"\nhours = [\"mon-fri 08:00-19:00\", \"sat 9-13\"]\nholidays = [2026-01-06, \"2026-01-07\"]\n\n[records.leads]\nfile = \"records/leads.csv\"\ntime = \"Create Date\"\ndelimter = \";\"\ndelimiter = \";;\"\ndate_format = \"%d/%m/%Y %!\"\n\n[records.Bad_Name]\ntime = \"Created\"\n";

    /// A KPI of `unit` with a `[measure]` body.
    fn kpi(unit: &str, measure: &str) -> String {
        format!(
            "name = \"Speed\"\ndefinition = \"Minutes.\"\nunit = \"{unit}\"\ndirection = \"down\"\nperiod = \"month\"\ntarget = 4\nowners = [\"sales\"]\n\n[measure]\n{measure}"
        )
    }

    #[test]
    fn calendar_and_record_sets_are_checked_key_by_key() {
        let found = TestOrg::base()
            .edit(
                "accord.toml",
                "conversion = 0.1\n",
                &format!("conversion = 0.1\n{RECORDS}"),
            )
            .findings();
        assert_eq!(
            found,
            [
                // An unknown time zone (did you mean Europe/Madrid?), an opening without
                // minutes, a quoted holiday.
                ("invalid-value", "accord.toml".into(), 17),
                ("invalid-value", "accord.toml".into(), 18),
                ("bad-date", "accord.toml".into(), 19),
                // A misspelt key, a two-character delimiter, a format with no `%!`.
                ("unknown-key", "accord.toml".into(), 24),
                ("invalid-value", "accord.toml".into(), 25),
                ("invalid-value", "accord.toml".into(), 26),
                // A record set's name follows the id syntax; the others are still read.
                ("bad-id", "accord.toml".into(), 28),
            ]
        );
        let checked = crate::check_files(
            &TestOrg::base()
                .edit(
                    "accord.toml",
                    "conversion = 0.1\n",
                    &format!("conversion = 0.1\n{RECORDS}"),
                )
                .files(),
            &crate::check::testing::context(),
        );
        let help = |line_start: &str| {
            checked
                .findings
                .iter()
                .find(|f| f.message.starts_with(line_start))
                .and_then(|f| f.help.clone())
        };
        assert_eq!(
            help("`time_zone`").as_deref(),
            Some("did you mean `Europe/Madrid`?")
        );
        assert_eq!(
            help("unknown key `delimter`").as_deref(),
            Some("did you mean `delimiter`?")
        );
    }

    #[test]
    fn a_measure_fits_its_kpi_and_names_what_exists() {
        let org = |unit: &str, measure: &str| {
            TestOrg::base()
                .edit(
                    "accord.toml",
                    "conversion = 0.1\n",
                    "conversion = 0.1\n\n[records.leads]\ntime = \"Created\"\n",
                )
                .with("kpis/speed.toml", &kpi(unit, measure))
                .findings()
                .into_iter()
                // The new KPI has no actuals yet: that is `stale-actuals`, not this test.
                .filter(|(rule, _, _)| *rule != "stale-actuals")
                .collect::<Vec<_>>()
        };
        let duration = "duration = { from = \"Created\", to = \"Called\" }\n";
        assert_eq!(
            org(
                "minutes",
                &format!("records = \"leads\"\nvalue = \"median\"\n{duration}")
            ),
            []
        );
        // A record set accord.toml does not declare.
        assert_eq!(
            org(
                "minutes",
                &format!("records = \"lead\"\nvalue = \"median\"\n{duration}")
            ),
            [("dangling-reference", "kpis/speed.toml".into(), 10)]
        );
        // A median of nothing; a share of a KPI in minutes, with nothing to count.
        assert_eq!(
            org("minutes", "records = \"leads\"\nvalue = \"median\"\n"),
            [("invalid-value", "kpis/speed.toml".into(), 11)]
        );
        assert_eq!(
            org("minutes", "records = \"leads\"\nvalue = \"share\"\n"),
            [
                ("invalid-value", "kpis/speed.toml".into(), 11),
                ("invalid-value", "kpis/speed.toml".into(), 11)
            ]
        );
        // `within` without a duration; business hours without [calendar] hours.
        assert_eq!(
            org(
                "percent",
                "records = \"leads\"\nvalue = \"share\"\nwithin = 4\n"
            ),
            [("invalid-value", "kpis/speed.toml".into(), 12)]
        );
        assert_eq!(
            org(
                "minutes",
                "records = \"leads\"\nvalue = \"p95\"\nduration = { from = \"Created\", to = \"Called\", business_hours = true }\n"
            ),
            [("invalid-value", "kpis/speed.toml".into(), 12)]
        );
        // A misspelt key of the inline duration table, and a word that is no unit.
        assert_eq!(
            org(
                "minutes",
                "records = \"leads\"\nvalue = \"mean\"\nduration = { from = \"Created\", too = \"Called\", in = \"weeks\" }\n"
            ),
            // (and the mean, without its duration, has no values)
            [
                ("invalid-value", "kpis/speed.toml".into(), 11),
                ("missing-key", "kpis/speed.toml".into(), 12),
                ("unknown-key", "kpis/speed.toml".into(), 12),
                ("invalid-value", "kpis/speed.toml".into(), 12),
            ]
        );
    }
}
