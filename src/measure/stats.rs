//! The statistics of one period's rows, as SPEC 7.7 defines them.

use crate::model::Statistic;

/// What one period accumulated from its rows.
#[derive(Debug, Default, Clone)]
pub struct PeriodRows {
    /// Rows of the period that passed `where`.
    pub count: u64,
    /// The values of the statistic (durations or a column), for those rows that have one.
    pub values: Vec<f64>,
    /// For `share`: rows that are filled, or within the limit.
    pub hits: u64,
    /// Rows per band of the KPI's spread (see `Band`), when it times something.
    pub bands: Vec<u64>,
}

impl PeriodRows {
    /// The period's value of `statistic`; `None` when the period has no value to give
    /// (a median of no durations).
    pub fn value(&mut self, statistic: Statistic) -> Option<f64> {
        let values = &mut self.values;
        match statistic {
            Statistic::Count => Some(self.count as f64),
            Statistic::Share => {
                (self.count > 0).then(|| self.hits as f64 * 100.0 / self.count as f64)
            }
            Statistic::Sum => (!values.is_empty()).then(|| values.iter().sum()),
            Statistic::Mean => {
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            }
            Statistic::Median => {
                values.sort_unstable_by(f64::total_cmp);
                median(values)
            }
            Statistic::P90 => {
                values.sort_unstable_by(f64::total_cmp);
                nearest_rank(values, 90)
            }
            Statistic::P95 => {
                values.sort_unstable_by(f64::total_cmp);
                nearest_rank(values, 95)
            }
        }
    }
}

/// The middle value of `sorted`, or the mean of the two middle ones.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The nearest-rank percentile: the smallest value with at least `percent` % of the
/// values at or below it, the value of rank ceil(percent / 100 x n). The rank is
/// computed in integers, so 95 % of 20 is rank 19, never 20 by rounding.
pub fn nearest_rank(sorted: &[f64], percent: u64) -> Option<f64> {
    let n = sorted.len() as u64;
    let rank = (percent * n).div_ceil(100).max(1);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 9.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 9.0]), Some(3.0));
    }

    #[test]
    fn nearest_rank_percentiles() {
        let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        // ceil(0.95 x 20) = 19; ceil(0.9 x 20) = 18.
        assert_eq!(nearest_rank(&twenty, 95), Some(19.0));
        assert_eq!(nearest_rank(&twenty, 90), Some(18.0));
        // ceil(0.95 x 7) = ceil(6.65) = 7: the largest.
        let seven: Vec<f64> = (1..=7).map(f64::from).collect();
        assert_eq!(nearest_rank(&seven, 95), Some(7.0));
        // ceil(0.9 x 7) = ceil(6.3) = 7.
        assert_eq!(nearest_rank(&seven, 90), Some(7.0));
        assert_eq!(nearest_rank(&[5.0], 95), Some(5.0));
        assert_eq!(nearest_rank(&[], 95), None);
    }

    #[test]
    fn share_counts_every_row_that_passed() {
        let mut rows = PeriodRows {
            count: 8,
            values: vec![],
            hits: 6,
            bands: vec![],
        };
        assert_eq!(rows.value(Statistic::Share), Some(75.0));
        assert_eq!(rows.value(Statistic::Count), Some(8.0));
        assert_eq!(rows.value(Statistic::Median), None);
    }
}
