//! The actuals files `measure` writes: `period,value,count`, sorted by period, with the
//! rows of periods that no record covers kept as the loader read them.

use std::collections::BTreeMap;

use crate::load::{BANDS_SUFFIX, OrgFiles};
use crate::model::{Actual, Distribution, KpiId, PeriodLabel};

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
/// rows of their periods, and its `kept` rows (as the loader read them) for the others.
pub(super) fn merge(
    files: &OrgFiles,
    kpi: &KpiId,
    kept: &[Actual],
    measured: Vec<(PeriodLabel, f64, u64)>,
) -> ActualsFile {
    let existing = files.iter().find(|f| {
        f.path.starts_with("actuals/") && f.path.ends_with(".csv") && f.stem() == kpi.as_str()
    });
    let path = existing.map_or_else(|| format!("actuals/{kpi}.csv"), |f| f.path.clone());
    let before = existing
        .and_then(|f| f.contents.as_deref())
        .map(|b| String::from_utf8_lossy(b).into_owned());
    let mut rows: BTreeMap<PeriodLabel, (String, String)> = kept
        .iter()
        .map(|actual| {
            let count = actual.count.map(|n| n.to_string()).unwrap_or_default();
            (actual.period, (format_value(actual.value), count))
        })
        .collect();
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

/// The bands file of `kpi`: the spread of its latest complete period.
pub(super) fn bands_file(
    files: &OrgFiles,
    kpi: &KpiId,
    distribution: &Distribution,
) -> ActualsFile {
    let path = format!("actuals/{kpi}{BANDS_SUFFIX}");
    let before = files
        .iter()
        .find(|f| f.path == path)
        .and_then(|f| f.contents.as_deref())
        .map(|b| String::from_utf8_lossy(b).into_owned());
    let mut after = String::from("period,band,count\n");
    for (band, count) in &distribution.bands {
        after.push_str(&format!("{},{band},{count}\n", distribution.period));
    }
    ActualsFile {
        path,
        before,
        after,
        measured: 1,
    }
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
}
