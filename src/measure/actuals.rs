//! The actuals files `measure` writes: `period,value,count`, sorted by period, with the
//! rows of periods that no record covers kept as they were.

use std::collections::BTreeMap;

use super::records::{infer_delimiter, parse_number};
use crate::diagnostic::{BAD_ACTUALS_ROW, Finding};
use crate::load::{OrgFiles, parse_label};
use crate::model::{KpiId, PeriodLabel};
use crate::source::{Loc, Sources};

/// One actuals file: where it is (relative to the org root), what it holds now, and
/// what `measure` makes of it.
#[derive(Debug)]
pub struct ActualsFile {
    pub path: String,
    pub before: Option<String>,
    pub after: String,
    /// Periods written from the records.
    pub measured: usize,
}

impl ActualsFile {
    /// Whether writing it changes the file.
    pub fn changes(&self) -> bool {
        self.before.as_deref() != Some(self.after.as_str())
    }
}

/// The actuals file of `kpi` with `measured` (period, value, count) rows replacing the
/// rows of their periods. A kept row that cannot be read is a finding.
pub(super) fn merge(
    files: &OrgFiles,
    kpi: &KpiId,
    measured: Vec<(PeriodLabel, f64, u64)>,
    findings: &mut Vec<Finding>,
    sources: &mut Sources,
) -> ActualsFile {
    let existing = files.iter().find(|f| {
        f.path.starts_with("actuals/") && f.path.ends_with(".csv") && f.stem() == kpi.as_str()
    });
    let path = existing.map_or_else(|| format!("actuals/{kpi}.csv"), |f| f.path.clone());
    let before = existing
        .and_then(|f| f.contents.as_deref())
        .map(|b| String::from_utf8_lossy(b).into_owned());
    let mut rows: BTreeMap<PeriodLabel, Row> = BTreeMap::new();
    if let Some(text) = &before {
        match kept_rows(text) {
            Ok(kept) => rows.extend(kept),
            Err((line, why)) => {
                let id = sources.add(path.clone(), text.clone());
                let start: usize = text
                    .split_inclusive('\n')
                    .take(line - 1)
                    .map(str::len)
                    .sum();
                let end = start
                    + text[start..]
                        .find(['\r', '\n'])
                        .unwrap_or(text.len() - start);
                findings.push(
                    Finding::error(&BAD_ACTUALS_ROW, Loc::new(id, start..end), why).with_help(
                        "fix the row: `measure` keeps the rows of periods no record covers",
                    ),
                );
            }
        }
    }
    let count = measured.len();
    for (label, value, n) in measured {
        rows.insert(label, (format_value(value), n.to_string()));
    }
    let mut after = String::from("period,value,count\n");
    for (label, (value, n)) in rows {
        after.push_str(&format!("{label},{value},{n}\n"));
    }
    ActualsFile {
        path,
        before,
        after,
        measured: count,
    }
}

/// A row as written: value and count, as text.
type Row = (String, String);

/// The rows of an actuals file: label, value (with a decimal point, no `%`) and count
/// (empty when the file has none). Fails with the line and reason of a bad row.
fn kept_rows(text: &str) -> Result<Vec<(PeriodLabel, Row)>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = infer_delimiter(text.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| (1, format!("the header cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(period), Some(value)) = (column("period"), column("value")) else {
        return Err((
            1,
            "the header must name the columns `period` and `value`".to_owned(),
        ));
    };
    let count = column("count");
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            (
                e.position().map_or(1, |p| p.line() as usize),
                format!("the row cannot be read: {e}"),
            )
        })?;
        let line = record.position().map_or(1, |p| p.line() as usize);
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or_default().trim();
        let label = parse_label(field(Some(period))).ok_or((
            line,
            format!("`{}` is not a period label", field(Some(period))),
        ))?;
        let raw = field(Some(value));
        let number = parse_number(raw.trim_end_matches('%').trim_end(), delimiter != b',')
            .ok_or((line, format!("`{raw}` is not a number")))?;
        rows.push((label, (format_value(number), field(count).to_owned())));
    }
    Ok(rows)
}

/// A value as written to an actuals file: at most two decimals, no trailing zeros.
pub fn format_value(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    // -0.0 prints as "-0".
    format!("{}", if rounded == 0.0 { 0.0 } else { rounded })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_two_decimals_at_most() {
        assert_eq!(format_value(7.5), "7.5");
        assert_eq!(format_value(83.333_333), "83.33");
        assert_eq!(format_value(4.0), "4");
        assert_eq!(format_value(-0.001), "0");
    }

    #[test]
    fn kept_rows_are_read_in_any_delimiter_with_or_without_count() {
        let rows = kept_rows("Period;Value\n2026-01;93,5 %\n2026-02;97\n").unwrap();
        assert_eq!(rows[0].1, ("93.5".to_owned(), String::new()));
        let rows = kept_rows("period,value,count\n2026-01,12,40\n").unwrap();
        assert_eq!(rows[0].1, ("12".to_owned(), "40".to_owned()));
        assert_eq!(kept_rows("period,value\n2026-13,1\n").err().unwrap().0, 2);
    }
}
