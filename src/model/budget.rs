//! The error budget of a term measured by a percent KPI (SPEC §7.7): how many of a
//! period's records may miss the promise, and how many did.

use super::{Actual, Direction, Kpi, Unit};

/// One period's budget: misses allowed = floor((100 - target) / 100 x count), misses =
/// round((100 - value) / 100 x count).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ErrorBudget {
    pub allowed: u64,
    pub misses: u64,
}

/// Targets and values are written with a few decimals (97.5, 94.15): their binary
/// approximations may land a hair under a whole number of records, which `floor` would
/// drop. Far below one record, far above a float's error.
const RECORD_FRACTION_TOLERANCE: f64 = 1e-6;

impl ErrorBudget {
    /// The budget of `actual` under `target`, when the KPI is a percent of records that
    /// kept the promise (higher is better; the formula counts 100 - value as misses) and
    /// the actual says how many records it was computed from.
    pub fn of(kpi: &Kpi, target: f64, actual: &Actual) -> Option<ErrorBudget> {
        let count = actual
            .count
            .filter(|_| kpi.unit == Unit::Percent && kpi.direction == Direction::Up)?;
        Some(ErrorBudget::counted(target, actual.value, count))
    }

    fn counted(target: f64, value: f64, count: u64) -> ErrorBudget {
        let records = count as f64;
        let allowed = ((100.0 - target) * records / 100.0 + RECORD_FRACTION_TOLERANCE).floor();
        let misses = ((100.0 - value) * records / 100.0).round();
        ErrorBudget {
            allowed: whole(allowed, count),
            misses: whole(misses, count),
        }
    }

    /// Whether more records missed than the budget allows: the term's escalation applies.
    pub fn spent(self) -> bool {
        self.misses > self.allowed
    }
}

/// A count of records between 0 and `count`: a target or value outside 0-100 (which
/// check reports) must not turn into a negative or impossible number of misses.
fn whole(records: f64, count: u64) -> u64 {
    if records <= 0.0 {
        0
    } else {
        (records as u64).min(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(target: f64, value: f64, count: u64) -> (u64, u64) {
        let b = ErrorBudget::counted(target, value, count);
        (b.allowed, b.misses)
    }

    #[test]
    fn misses_are_rounded_and_the_allowance_rounded_down() {
        // 5 % of 188 = 9.4 allowed; 100 - 94.15 = 5.85 % of 188 = 10.998 misses.
        assert_eq!(budget(95.0, 94.15, 188), (9, 11));
        assert!(ErrorBudget::counted(95.0, 94.15, 188).spent());
        // 2 % of 196 = 3.92 allowed; 3.06 % of 196 = 5.9976 misses.
        assert_eq!(budget(98.0, 96.94, 196), (3, 6));
        // 3 % of 100 is 3 records, though 0.03 has no exact binary form.
        assert_eq!(budget(97.0, 97.0, 100), (3, 3));
        assert!(!ErrorBudget::counted(97.0, 97.0, 100).spent());
        // 0.1 % of 1000 is 1 record, though 100 - 99.9 is a hair under 0.1 in binary.
        assert_eq!(budget(99.9, 100.0, 1000), (1, 0));
    }

    #[test]
    fn values_outside_a_percent_never_count_impossible_records() {
        assert_eq!(budget(95.0, 101.0, 10), (0, 0));
        assert_eq!(budget(-20.0, -50.0, 10), (10, 10));
    }
}
