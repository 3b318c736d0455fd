//! actuals/<kpi-id>.csv: `period,value` rows of a KPI.
//!
//! Two fixed columns of plain values do not need a CSV crate; what matters is a located
//! error per bad row, which this reader gives directly from line spans.

use std::collections::BTreeMap;

use super::entities::out_of_unit_range;
use super::schema::{MAX_MAGNITUDE, is_in_range};
use super::{Loader, OrgFile, Sink};
use crate::diagnostic::{
    BAD_ACTUALS_ROW, DANGLING_REFERENCE, DUPLICATE_ID, Finding, INVALID_VALUE, closest,
};
use crate::model::{Actual, Kpi, KpiId, Located, Period, PeriodLabel, Unit};
use crate::source::{FileId, Loc};

pub(super) fn load(
    loader: &mut Loader,
    files: &[&OrgFile],
    kpis: &BTreeMap<KpiId, Kpi>,
) -> BTreeMap<KpiId, Vec<Actual>> {
    let mut actuals = BTreeMap::new();
    let mut first_path: BTreeMap<String, String> = BTreeMap::new();
    for file in files {
        let (id, text) = loader.add_source(file);
        let kpi_id = file.stem().to_owned();
        if !loader.known.kpis.contains(&kpi_id) {
            let mut finding = Finding::error(
                &DANGLING_REFERENCE,
                Loc::file_start(id),
                format!(
                    "{} holds actuals of KPI `{kpi_id}`, which does not exist",
                    file.path
                ),
            );
            if let Some(near) = closest(&kpi_id, loader.known.kpis.iter().map(String::as_str)) {
                finding = finding.with_help(format!(
                    "did you mean `{near}`? name the file after the KPI"
                ));
            }
            loader.sink.block(finding);
            continue;
        }
        let Some(text) = text else {
            continue;
        };
        let kpi = kpis.get(kpi_id.as_str());
        let before = loader.sink.blocking();
        let rows = rows(id, &text, kpi.map(|k| (k.period, k.unit)), &mut loader.sink);
        if let Some(first) = first_path.get(&kpi_id) {
            loader.sink.block(
                Finding::error(
                    &DUPLICATE_ID,
                    Loc::file_start(id),
                    format!(
                        "two actuals files for KPI `{kpi_id}`: {first} and {}",
                        file.path
                    ),
                )
                .with_help("keep one file per KPI: merge the rows"),
            );
            continue;
        }
        first_path.insert(kpi_id.clone(), file.path.clone());
        if loader.sink.blocking() == before && kpi.is_some() {
            actuals.insert(KpiId(kpi_id), rows);
        }
    }
    actuals
}

/// The rows of one actuals file; the KPI's period and unit (when it loaded) are those
/// of the labels and the values.
fn rows(file: FileId, text: &str, kpi: Option<(Period, Unit)>, sink: &mut Sink) -> Vec<Actual> {
    let period = kpi.map(|(period, _)| period);
    let mut rows: Vec<Actual> = Vec::new();
    let mut seen: BTreeMap<PeriodLabel, usize> = BTreeMap::new();
    let mut offset = 0;
    let mut header_seen = false;
    for (index, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_number = index + 1;
        let start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        // A byte-order mark is what spreadsheet exports put first; it is not data.
        let (line, start) = match line.strip_prefix('\u{feff}') {
            Some(rest) => (rest, start + 3),
            None => (line, start),
        };
        if line.trim().is_empty() {
            continue;
        }
        let loc = Loc::new(file, start..start + line.len());
        let mut bad = |message: String| {
            sink.block(
                Finding::error(&BAD_ACTUALS_ROW, loc, message)
                    .with_help("each row is `period,value`, for example `2026-10,118`"),
            );
        };
        let fields: Vec<&str> = line
            .split(',')
            .map(|f| f.trim().trim_matches('"'))
            .collect();
        if !header_seen {
            header_seen = true;
            if fields != ["period", "value"] {
                bad(format!(
                    "the first line must be the header `period,value`, found `{line}`"
                ));
            }
            continue;
        }
        let [label, value] = fields[..] else {
            bad(format!(
                "expected two fields, `period,value`, found {}",
                fields.len()
            ));
            continue;
        };
        let Some(label) = parse_label(label) else {
            bad(format!(
                "`{label}` is not a period label (2026-W07, 2026-10, 2026-Q4 or 2026)"
            ));
            continue;
        };
        if let Some(period) = period
            && label.period() != period
        {
            bad(format!(
                "`{label}` is a {} label but the KPI is measured per {}",
                label.period().word(),
                period.word()
            ));
            continue;
        }
        let Ok(number) = value.parse::<f64>() else {
            bad(format!("`{value}` is not a number"));
            continue;
        };
        // The row has its two fields (checked above): the value is after the comma.
        let value_start = start + line.find(',').map_or(0, |comma| comma + 1);
        let value_loc = Loc::new(file, value_start..start + line.len());
        if !is_in_range(number) {
            sink.block(Finding::error(
                &INVALID_VALUE,
                value_loc,
                format!("the value `{value}` must be a finite number of magnitude at most {MAX_MAGNITUDE:e}"),
            ));
            continue;
        }
        if let Some(finding) = kpi.and_then(|(_, unit)| {
            out_of_unit_range(unit, &Located::new(number, value_loc), "the value")
        }) {
            sink.block(finding);
            continue;
        }
        let value = number;
        if let Some(first) = seen.insert(label, line_number) {
            bad(format!(
                "period {label} appears twice (first on line {first})"
            ));
            continue;
        }
        rows.push(Actual {
            period: label,
            value,
            loc,
        });
    }
    rows.sort_by_key(|a| a.period);
    rows
}

/// Parses `2026-W07`, `2026-10`, `2026-Q4` or `2026`.
pub(crate) fn parse_label(label: &str) -> Option<PeriodLabel> {
    let year_of = |s: &str| {
        (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i16>().ok())
            .flatten()
    };
    let number_in = |s: &str, digits: usize, max: u8| {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u8>().ok())
            .flatten()
            .filter(|n| (1..=max).contains(n))
    };
    let Some((year, rest)) = label.split_once('-') else {
        return Some(PeriodLabel::Year {
            year: year_of(label)?,
        });
    };
    let year = year_of(year)?;
    if let Some(week) = rest.strip_prefix('W') {
        let week = number_in(week, 2, 53)?;
        // Only some ISO years have a week 53.
        jiff::civil::ISOWeekDate::new(year, i8::try_from(week).ok()?, jiff::civil::Weekday::Monday)
            .ok()?;
        Some(PeriodLabel::Week { year, week })
    } else if let Some(quarter) = rest.strip_prefix('Q') {
        Some(PeriodLabel::Quarter {
            year,
            quarter: number_in(quarter, 1, 4)?,
        })
    } else {
        Some(PeriodLabel::Month {
            year,
            month: number_in(rest, 2, 12)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    #[test]
    fn labels_of_every_period_parse_and_order() {
        assert_eq!(
            parse_label("2026-W07"),
            Some(PeriodLabel::Week {
                year: 2026,
                week: 7
            })
        );
        assert_eq!(
            parse_label("2026-10"),
            Some(PeriodLabel::Month {
                year: 2026,
                month: 10
            })
        );
        assert_eq!(
            parse_label("2026-Q4"),
            Some(PeriodLabel::Quarter {
                year: 2026,
                quarter: 4
            })
        );
        assert_eq!(parse_label("2026"), Some(PeriodLabel::Year { year: 2026 }));
        assert_eq!(
            parse_label("2026-W53"),
            Some(PeriodLabel::Week {
                year: 2026,
                week: 53
            })
        );
        for bad in [
            "2026-13", "2027-W53", "2026-W54", "2026-Q5", "26-01", "2026-1", "oct",
        ] {
            assert_eq!(parse_label(bad), None, "{bad}");
        }
    }

    #[test]
    fn bad_rows_are_located_and_good_rows_sorted() {
        let mut sources = Sources::default();
        let text =
            "\u{feff}period,value\r\n2026-10,118\r\n2026-09,97\r\n2026-Q3,5\r\nx\r\n2026-09,1\r\n";
        let file = sources.add("actuals/k.csv".into(), text.into());
        let mut sink = Sink::default();
        let rows = rows(file, text, Some((Period::Month, Unit::Count)), &mut sink);
        assert_eq!(
            rows.iter().map(|r| r.value).collect::<Vec<_>>(),
            [97.0, 118.0]
        );
        let lines: Vec<_> = sink
            .findings
            .iter()
            .map(|f| sources.span_positions(f.loc).0.line)
            .collect();
        assert_eq!(lines, [4, 5, 6]);
    }
}
