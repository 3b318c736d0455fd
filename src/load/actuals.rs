//! actuals/<kpi-id>.csv: `period,value[,count]` rows of a KPI, as spreadsheets write them.
//!
//! Three fixed columns of plain values do not need a CSV crate; what matters is a located
//! error per bad row, which this reader gives directly from line spans, and reading what
//! a spreadsheet exports as it is (`;` or tab, `Period`, `3,5`, `55%`).

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::Date;

use super::entities::out_of_unit_range;
use super::schema::{MAX_MAGNITUDE, is_in_range};
use super::{FileLoad, Loader, OrgFile, Read, Sink};
use crate::diagnostic::{
    BAD_ACTUALS_ROW, DANGLING_REFERENCE, DUPLICATE_ID, Finding, INVALID_VALUE, closest,
};
use crate::model::{
    Actual, Band, Collection, Distribution, Kpi, KpiId, Located, Period, PeriodLabel, Unit,
};
use crate::source::{FileId, Loc};

pub(super) fn load<'f>(
    loader: &mut Loader,
    files: impl Iterator<Item = (&'f OrgFile, FileLoad)>,
    kpis: &BTreeMap<KpiId, Arc<Kpi>>,
    today: Date,
) -> BTreeMap<KpiId, Vec<Actual>> {
    per_kpi(loader, files, kpis, "actuals", |file, text, kpi, sink| {
        rows(file, text, kpi.map(|k| (k.period, k.unit)), today, sink)
    })
}

/// `actuals/<kpi-id>.bands.csv`: the spread of a duration KPI's latest measured period,
/// as `accord measure` writes it.
pub(super) fn load_distributions<'f>(
    loader: &mut Loader,
    files: impl Iterator<Item = (&'f OrgFile, FileLoad)>,
    kpis: &BTreeMap<KpiId, Arc<Kpi>>,
    today: Date,
) -> BTreeMap<KpiId, Distribution> {
    let read = per_kpi(
        loader,
        files,
        kpis,
        "the spread",
        |file, text, kpi, sink| distribution(file, text, kpi.map(|k| k.period), today, sink),
    );
    read.into_iter()
        .filter_map(|(kpi, distribution)| Some((kpi, distribution?)))
        .collect()
}

/// Reads each file of a KPI with `read`: the file must be named after a KPI and be the
/// only one of its kind for it. `what` names the contents in messages.
fn per_kpi<'f, T>(
    loader: &mut Loader,
    files: impl Iterator<Item = (&'f OrgFile, FileLoad)>,
    kpis: &BTreeMap<KpiId, Arc<Kpi>>,
    what: &str,
    mut read: impl FnMut(FileId, &str, Option<&Kpi>, &mut Sink) -> T,
) -> BTreeMap<KpiId, T> {
    let mut read_files = BTreeMap::new();
    let mut first_path: BTreeMap<String, &str> = BTreeMap::new();
    for (file, load) in files {
        let (id, text_read) = loader.add(load);
        let kpi_id = file.kpi_of_actuals().to_owned();
        if !loader.known.kpis.contains(&kpi_id) {
            let mut finding = Finding::error(
                &DANGLING_REFERENCE,
                Loc::file_start(id),
                format!(
                    "{} holds {what} of KPI `{kpi_id}`, which does not exist",
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
        // Not UTF-8 (reported): no row could be read.
        if !matches!(text_read, Read::Text) {
            loader.incomplete.insert(Collection::Actuals);
            continue;
        }
        let kpi = kpis.get(kpi_id.as_str()).map(Arc::as_ref);
        let before = loader.sink.blocking();
        let text = &loader.sources.get(id).text;
        let contents = read(id, text, kpi, &mut loader.sink);
        if let Some(first) = first_path.get(&kpi_id) {
            loader.sink.block(
                Finding::error(
                    &DUPLICATE_ID,
                    Loc::file_start(id),
                    format!(
                        "two files of {what} of KPI `{kpi_id}`: {first} and {}",
                        file.path
                    ),
                )
                .with_help("keep one file per KPI: merge the rows"),
            );
            continue;
        }
        first_path.insert(kpi_id.clone(), &file.path);
        if loader.sink.blocking() != before {
            loader.incomplete.insert(Collection::Actuals);
        } else if kpi.is_some() {
            read_files.insert(KpiId(kpi_id), contents);
        }
    }
    read_files
}

/// The header of a bands file, and what each row must look like.
const BANDS_HEADER: &str = "period,band,count";
const BANDS_HELP: &str = "`accord measure` writes this file: run it again rather than editing it; each row is `period,band,count`, for example `2026-10,0-4,118`";

/// The rows of one bands file: one period, each band once, with its count of rows.
fn distribution(
    file: FileId,
    text: &str,
    period: Option<Period>,
    today: Date,
    sink: &mut Sink,
) -> Option<Distribution> {
    let mut read: Option<Distribution> = None;
    let mut header_seen = false;
    let mut offset = 0;
    for raw_line in text.split_inclusive('\n') {
        let start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let loc = Loc::new(file, start..start + line.len());
        let mut bad = |message: String| {
            sink.block(Finding::error(&BAD_ACTUALS_ROW, loc, message).with_help(BANDS_HELP));
        };
        if !header_seen {
            header_seen = true;
            if !line.eq_ignore_ascii_case(BANDS_HEADER) {
                bad(format!(
                    "the first line must be `{BANDS_HEADER}`, found `{line}`"
                ));
                return None;
            }
            continue;
        }
        let [label, band, count] = fields(line, ',')
            .into_iter()
            .map(|(field, _)| field)
            .collect::<Vec<_>>()[..]
        else {
            bad("expected 3 fields: period, band and count".to_owned());
            continue;
        };
        let Some(label) = parse_label(label).filter(|l| period.is_none_or(|p| l.period() == p))
        else {
            bad(format!(
                "`{label}` is not a period label of the KPI's period"
            ));
            continue;
        };
        if label > PeriodLabel::containing(label.period(), today) {
            sink.block(Finding::error(
                &INVALID_VALUE,
                loc,
                format!("the period {label} is after today's (today is {today})"),
            ));
            continue;
        }
        let Some(band) = Band::parse(band) else {
            bad(format!(
                "`{band}` is not a band: write `0-4` (at most 4), `4-12`, `60+` (over 60) or `no end`"
            ));
            continue;
        };
        let Ok(count) = count.parse::<u64>() else {
            bad(format!(
                "the count `{count}` must be a whole number, 0 or more"
            ));
            continue;
        };
        let distribution = read.get_or_insert_with(|| Distribution {
            period: label,
            bands: Vec::new(),
        });
        if distribution.period != label {
            bad(format!(
                "every row is of one period, {}; this one is of {label}",
                distribution.period
            ));
        } else if distribution.bands.iter().any(|(b, _)| *b == band) {
            bad(format!("band `{band}` appears twice"));
        } else {
            distribution.bands.push((band, count));
        }
    }
    read
}

/// The delimiters a spreadsheet may export with, inferred from the header line.
const DELIMITERS: [char; 3] = ['\t', ';', ','];

/// The header a spreadsheet may write: `period,value`, optionally `count`, in any case.
const COLUMNS: [&str; 3] = ["period", "value", "count"];

/// What every row must look like, for the help of a bad one.
const ROW_HELP: &str =
    "each row is `period,value` (optionally `,count`), for example `2026-10,118`";

/// The rows of one actuals file; the KPI's period and unit (when it loaded) are those
/// of the labels and the values. A period after the one holding `today` has not
/// happened yet, so its row is an invalid value.
fn rows(
    file: FileId,
    text: &str,
    kpi: Option<(Period, Unit)>,
    today: Date,
    sink: &mut Sink,
) -> Vec<Actual> {
    let period = kpi.map(|(period, _)| period);
    let unit = kpi.map(|(_, unit)| unit);
    let mut rows: Vec<Actual> = Vec::new();
    let mut seen: BTreeMap<PeriodLabel, usize> = BTreeMap::new();
    let mut offset = 0;
    let mut layout: Option<Layout> = None;
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
            sink.block(Finding::error(&BAD_ACTUALS_ROW, loc, message).with_help(ROW_HELP));
        };
        let Some(layout) = layout else {
            let header = Layout::of(line);
            if header.is_none() {
                bad(format!(
                    "the first line must be the header `period,value` (or `period,value,count`), found `{line}`"
                ));
            }
            // A bad header still fixes the delimiter, so the rows are read and reported.
            layout = Some(header.unwrap_or(Layout {
                delimiter: Layout::delimiter_of(line),
                with_count: false,
            }));
            continue;
        };
        let fields = fields(line, layout.delimiter);
        let expected = if layout.with_count { 3 } else { 2 };
        if fields.len() != expected {
            bad(format!(
                "expected {expected} fields, as the header says, found {}",
                fields.len()
            ));
            continue;
        }
        let at =
            |range: &std::ops::Range<usize>| Loc::new(file, start + range.start..start + range.end);
        let (label_text, label_range) = fields[0].clone();
        let (value_text, value_range) = fields[1].clone();
        let Some(label) = parse_label(label_text) else {
            bad(format!(
                "`{label_text}` is not a period label (2026-W07, 2026-10, 2026-Q4 or 2026)"
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
        let current = PeriodLabel::containing(label.period(), today);
        if label > current {
            sink.block(
                Finding::error(
                    &INVALID_VALUE,
                    at(&label_range),
                    format!("the period {label} is after today's ({current}, today is {today})"),
                )
                .with_help("an actual is measured once its period has begun: check the year, or remove the row"),
            );
            continue;
        }
        let number = match read_number(value_text, layout.delimiter, unit) {
            Ok(number) => number,
            Err(help) => {
                sink.block(
                    Finding::error(
                        &BAD_ACTUALS_ROW,
                        at(&value_range),
                        format!("`{value_text}` is not a number"),
                    )
                    .with_help(help),
                );
                continue;
            }
        };
        let value_loc = at(&value_range);
        if !is_in_range(number) {
            sink.block(Finding::error(
                &INVALID_VALUE,
                value_loc,
                format!("the value `{value_text}` must be a finite number of magnitude at most {MAX_MAGNITUDE:e}"),
            ));
            continue;
        }
        if let Some(finding) = unit
            .and_then(|unit| out_of_unit_range(unit, &Located::new(number, value_loc), "the value"))
        {
            sink.block(finding);
            continue;
        }
        let count = match fields.get(2) {
            None => None,
            Some(("", _)) => None,
            Some((text, range)) => match text.parse::<u64>() {
                Ok(count) => Some(count),
                Err(_) => {
                    sink.block(
                        Finding::error(
                            &INVALID_VALUE,
                            at(range),
                            format!("the count `{text}` must be a whole number, 0 or more"),
                        )
                        .with_help("count is how many records the value was measured on: write it as digits, like 42"),
                    );
                    continue;
                }
            },
        };
        if let Some(first) = seen.insert(label, line_number) {
            bad(format!(
                "period {label} appears twice (first on line {first})"
            ));
            continue;
        }
        rows.push(Actual {
            period: label,
            value: number,
            count,
            loc,
        });
    }
    rows.sort_by_key(|a| a.period);
    rows
}

/// How the rows of a file are laid out, as its header says.
#[derive(Clone, Copy)]
struct Layout {
    delimiter: char,
    with_count: bool,
}

impl Layout {
    /// The layout a header line declares, if it is one accord reads.
    fn of(header: &str) -> Option<Layout> {
        let delimiter = Layout::delimiter_of(header);
        let names: Vec<String> = fields(header, delimiter)
            .into_iter()
            .map(|(name, _)| name.to_lowercase())
            .collect();
        let with_count = match names.len() {
            2 => false,
            3 => true,
            _ => return None,
        };
        names
            .iter()
            .zip(COLUMNS)
            .all(|(name, column)| name == column)
            .then_some(Layout {
                delimiter,
                with_count,
            })
    }

    /// The first of tab, semicolon and comma the header holds: a spreadsheet that writes
    /// decimal commas separates fields with one of the first two.
    fn delimiter_of(header: &str) -> char {
        DELIMITERS
            .into_iter()
            .find(|d| header.contains(*d))
            .unwrap_or(',')
    }
}

/// The fields of a line, trimmed and unquoted, each with its byte range in the line.
fn fields(line: &str, delimiter: char) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut fields = Vec::new();
    let mut from = 0;
    for part in line.split(delimiter) {
        let trimmed = part.trim();
        let lead = part.len() - part.trim_start().len();
        let field = trimmed.trim_matches('"');
        let quote = trimmed.len() - trimmed.trim_start_matches('"').len();
        let start = from + lead + quote;
        fields.push((field, start..start + field.len()));
        from += part.len() + delimiter.len_utf8();
    }
    fields
}

/// A value as a spreadsheet writes it: with a decimal comma when the fields are not
/// separated by commas, and `%` after a percent. The error is the fix to show.
fn read_number(text: &str, delimiter: char, unit: Option<Unit>) -> Result<f64, String> {
    let (digits, percent_sign) = match text.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    };
    if percent_sign && unit.is_some_and(|u| u != Unit::Percent) {
        return Err(format!(
            "`%` follows only the values of a percent KPI; write {digits}"
        ));
    }
    let decimal_comma = delimiter != ',' && digits.contains(',');
    let normal = if decimal_comma {
        digits.replacen(',', ".", 1)
    } else {
        digits.to_owned()
    };
    normal.parse::<f64>().map_err(|_| {
        if delimiter == ',' && digits.contains(',') {
            "a decimal comma needs `;` or tab between the fields: write the value with a decimal point (3.5)".to_owned()
        } else {
            "write a number, like 118 or 3.5".to_owned()
        }
    })
}

/// Parses `2026-W07`, `2026-10`, `2026-Q4` or `2026`.
fn parse_label(label: &str) -> Option<PeriodLabel> {
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

    const TODAY: Date = jiff::civil::date(2026, 6, 15);

    /// (rule, line, column, help) of a finding.
    type Placed = (&'static str, usize, usize, String);

    /// The rows read from `text` for a monthly KPI of `unit`, and each finding, placed.
    fn read(text: &str, unit: Unit) -> (Vec<Actual>, Vec<Placed>) {
        let mut sources = Sources::default();
        let file = sources.add("actuals/k.csv".into(), text.into());
        let mut sink = Sink::default();
        let rows = rows(file, text, Some((Period::Month, unit)), TODAY, &mut sink);
        let findings = sink
            .findings
            .iter()
            .map(|f| {
                let at = sources.span_positions(f.loc).0;
                (
                    f.rule,
                    at.line,
                    at.column,
                    f.help.clone().unwrap_or_default(),
                )
            })
            .collect();
        (rows, findings)
    }

    #[test]
    fn spreadsheet_exports_are_read_as_written() {
        for text in [
            "Period;Value;Count\n2026-04;97,5%;40\n2026-05;98%;\n",
            "PERIOD\tVALUE\tCOUNT\n2026-04\t97,5 %\t40\n2026-05\t98\t\n",
            "period,value,count\n2026-04,97.5,40\n\"2026-05\",\"98\",\n",
        ] {
            let (rows, findings) = read(text, Unit::Percent);
            assert_eq!(findings, [], "{text:?}");
            let read: Vec<_> = rows.iter().map(|r| (r.value, r.count)).collect();
            assert_eq!(read, [(97.5, Some(40)), (98.0, None)], "{text:?}");
        }
    }

    #[test]
    fn what_a_spreadsheet_cannot_mean_is_located_with_its_fix() {
        let (_, findings) = read(
            "period,value,count\n2026-04,3,5,1\n2026-05,55%,1\n2026-06,5,-1\n2026-07,5,1\n",
            Unit::Count,
        );
        let located: Vec<_> = findings.iter().map(|f| (f.0, f.1, f.2)).collect();
        assert_eq!(
            located,
            [
                ("bad-actuals-row", 2, 1),
                ("bad-actuals-row", 3, 9),
                ("invalid-value", 4, 11),
                ("invalid-value", 5, 1),
            ]
        );
        assert_eq!(
            findings[1].3,
            "`%` follows only the values of a percent KPI; write 55"
        );
        // A decimal comma in a comma-separated file is a field too many, not a number.
        let (_, commas) = read("period;value\n2026-04;3.5\n2026-05;x\n", Unit::Count);
        assert_eq!(commas[0].3, "write a number, like 118 or 3.5");
    }

    #[test]
    fn the_period_holding_today_may_be_measured_but_not_a_later_one() {
        let (rows, findings) = read("period,value\n2026-06,5\n", Unit::Count);
        assert_eq!((rows.len(), findings.len()), (1, 0));
        let (_, later) = read("period,value\n2027-01,5\n", Unit::Count);
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].0, "invalid-value");
    }

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
            "\u{feff}period,value\r\n2026-05,118\r\n2026-04,97\r\n2026-Q1,5\r\nx\r\n2026-04,1\r\n";
        let file = sources.add("actuals/k.csv".into(), text.into());
        let mut sink = Sink::default();
        let rows = rows(
            file,
            text,
            Some((Period::Month, Unit::Count)),
            TODAY,
            &mut sink,
        );
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

    /// The spread read from a bands file of a monthly KPI, and each finding's (rule, line).
    fn read_bands(text: &str) -> (Option<Distribution>, Vec<(&'static str, usize)>) {
        let mut sources = Sources::default();
        let file = sources.add("actuals/k.bands.csv".into(), text.into());
        let mut sink = Sink::default();
        let read = distribution(file, text, Some(Period::Month), TODAY, &mut sink);
        let findings = sink
            .findings
            .iter()
            .map(|f| (f.rule, sources.span_positions(f.loc).0.line))
            .collect();
        (read, findings)
    }

    #[test]
    fn a_bands_file_is_read_back_as_measure_writes_it() {
        let (read, findings) = read_bands(
            "period,band,count\r\n2026-05,0-4,3\r\n2026-05,4-12,1\r\n2026-05,12-60,0\r\n2026-05,60+,2\r\n2026-05,no end,1\r\n",
        );
        assert_eq!(findings, []);
        let read = read.expect("a spread");
        assert_eq!(read.period.to_string(), "2026-05");
        assert_eq!(
            read.bands,
            [
                (
                    Band::Between {
                        above: 0.0,
                        to: 4.0
                    },
                    3
                ),
                (
                    Band::Between {
                        above: 4.0,
                        to: 12.0
                    },
                    1
                ),
                (
                    Band::Between {
                        above: 12.0,
                        to: 60.0
                    },
                    0
                ),
                (Band::Over(60.0), 2),
                (Band::NoEnd, 1),
            ]
        );
    }

    #[test]
    fn an_edited_bands_file_is_located_row_by_row() {
        let (_, findings) = read_bands(
            "period,band,count\n2026-05,0-4,3\n2026-04,4-12,1\n2026-05,0-4,1\n2026-05,12-4,1\n2026-05,60+,-2\n2026-W05,60+,1\n2027-01,60+,1\n2026-05,60+\n",
        );
        assert_eq!(
            findings,
            [
                ("bad-actuals-row", 3),
                ("bad-actuals-row", 4),
                ("bad-actuals-row", 5),
                ("bad-actuals-row", 6),
                ("bad-actuals-row", 7),
                ("invalid-value", 8),
                ("bad-actuals-row", 9),
            ]
        );
        let (read, header) = read_bands("period,value\n2026-05,0-4,3\n");
        assert!(read.is_none());
        assert_eq!(header, [("bad-actuals-row", 1)]);
    }
}
