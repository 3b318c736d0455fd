//! The growth plan: how many of each funnel stage the revenue target needs (SPEC section 4).

use jiff::civil::{Date, ISOWeekDate, Weekday};
use serde::Serialize;

use super::{Actual, KpiId, Located, Period, PeriodLabel};

/// `[plan]` of accord.toml.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub period: Option<String>,
    /// The first day of the plan, as written; see [`Plan::first_day`] for the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    pub revenue_target: f64,
    pub currency: Option<String>,
    pub average_deal: f64,
    pub months: u32,
    #[serde(rename = "stage")]
    pub stages: Vec<Stage>,
}

/// One `[[plan.stage]]`, from the top of the funnel.
#[derive(Clone, Debug, Serialize)]
pub struct Stage {
    pub name: String,
    /// Fraction of the stage above that reaches this one; `None` only for the first stage.
    pub conversion: Option<f64>,
    pub kpi: Option<Located<KpiId>>,
}

// Float division can land a hair above an integer (100 / 0.4 = 250.00000000000003);
// a plan needs whole leads, and such dust must not demand one more.
const DUST: f64 = 1e-9;

fn ceil_whole(x: f64) -> f64 {
    (x - DUST).ceil()
}

impl Plan {
    /// New customers the revenue target needs: ceil(revenue_target / average_deal).
    pub fn customers_needed(&self) -> f64 {
        ceil_whole(self.revenue_target / self.average_deal)
    }

    /// Each stage's need over the whole plan, top of the funnel first. The last stage
    /// needs the customers; each stage above needs ceil(need below / conversion below).
    pub fn needs(&self) -> Vec<f64> {
        let mut needs = vec![0.0; self.stages.len()];
        let mut below = self.customers_needed();
        for (i, stage) in self.stages.iter().enumerate().rev() {
            needs[i] = below;
            below = ceil_whole(below / stage.conversion.unwrap_or(1.0));
        }
        needs
    }

    /// A KPI target per `period`, converted to the plan's whole length.
    pub fn over_plan(&self, target: f64, period: Period) -> f64 {
        let per_month = match period {
            Period::Week => target * 52.0 / 12.0,
            Period::Month => target,
            Period::Quarter => target / 3.0,
            Period::Year => target / 12.0,
        };
        per_month * f64::from(self.months)
    }

    /// The first day of the plan: `start`, else January 1 of `period` when the period is
    /// a year (`"2026"`); `None` when neither says.
    pub fn first_day(&self) -> Option<Date> {
        self.start.or_else(|| {
            let period = self.period.as_deref()?;
            let year = period
                .parse::<i16>()
                .ok()
                .filter(|_| period.len() == 4 && period.bytes().all(|b| b.is_ascii_digit()))?;
            Date::new(year, 1, 1).ok()
        })
    }

    /// The plan to date on `today`: its complete months before today (none before the
    /// plan starts, all of them once it is over). The plan's months are calendar months,
    /// the first the one `first_day` falls in, because actuals are counted by calendar
    /// period. `None` when the plan has no first day.
    pub fn to_date(&self, today: Date) -> Option<PlanToDate> {
        let first = MonthIndex::of(self.first_day()?);
        let current = MonthIndex::of(today);
        // A month is complete once today is in a later one.
        let complete = (current.0 - first.0).clamp(0, i32::try_from(self.months).ok()?);
        Some(PlanToDate {
            first,
            months: u32::try_from(complete).ok()?,
        })
    }

    /// The progress of the stage with plan-wide `need`, measured by a KPI with `period`
    /// and `actuals`, over the plan to date. `None` before the first complete month, or
    /// when no actual falls in the months to date (no data is not zero: the stage is
    /// unknown, not behind).
    pub fn progress(
        &self,
        to_date: PlanToDate,
        need: f64,
        period: Period,
        actuals: &[Actual],
    ) -> Option<Progress> {
        if to_date.months == 0 {
            return None;
        }
        let mut counted = false;
        let mut actual = 0.0;
        for row in actuals.iter().filter(|a| a.period.period() == period) {
            let share = to_date.share_of(row.period);
            if share > 0.0 {
                counted = true;
                actual += row.value * share;
            }
        }
        counted.then(|| Progress {
            actual,
            need: need * f64::from(to_date.months) / f64::from(self.months),
            projection: actual / f64::from(to_date.months) * f64::from(self.months),
        })
    }
}

/// `x` rounded to the cent, as messages show computed numbers.
pub fn to_the_cent(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A calendar month as a count of months since year 0, so that months subtract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthIndex(i32);

impl MonthIndex {
    fn of(date: Date) -> Self {
        Self::new(date.year(), date.month())
    }

    fn new(year: i16, month: i8) -> Self {
        MonthIndex(i32::from(year) * 12 + i32::from(month) - 1)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// The month's number in its year, 1 to 12.
    pub fn month(self) -> u8 {
        // rem_euclid of 12 is 0..=11.
        (self.0.rem_euclid(12) + 1) as u8
    }
}

impl std::fmt::Display for MonthIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year(), self.month())
    }
}

/// The complete months of a plan before a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanToDate {
    /// The plan's first month.
    first: MonthIndex,
    /// How many months, from the first, are complete.
    pub months: u32,
}

impl PlanToDate {
    /// The last complete month; `None` when no month is complete yet.
    pub fn last_month(self) -> Option<MonthIndex> {
        let months = i32::try_from(self.months).ok()?;
        (months > 0).then(|| MonthIndex(self.first.0 + months - 1))
    }

    fn contains(self, month: MonthIndex) -> bool {
        i64::from(month.0) >= i64::from(self.first.0)
            && i64::from(month.0) < i64::from(self.first.0) + i64::from(self.months)
    }

    /// The part of a period's actual that falls in these months, converted by period as
    /// SPEC section 4 converts targets: a month counts whole, a quarter a third per
    /// month, a year a twelfth per month. A week counts whole in the month of its
    /// Thursday, the day that places an ISO week in its year.
    fn share_of(self, label: PeriodLabel) -> f64 {
        let months_in = |year: i16, first_month: u8, count: u8, parts: f64| {
            let inside = (0..count)
                .filter_map(|k| i8::try_from(first_month + k).ok())
                .filter(|&m| self.contains(MonthIndex::new(year, m)))
                .count();
            // At most 12 months: exact as a float.
            inside as f64 / parts
        };
        match label {
            PeriodLabel::Week { year, week } => i8::try_from(week)
                .ok()
                .and_then(|w| ISOWeekDate::new(year, w, Weekday::Thursday).ok())
                .map_or(0.0, |thursday| {
                    if self.contains(MonthIndex::of(thursday.date())) {
                        1.0
                    } else {
                        0.0
                    }
                }),
            PeriodLabel::Month { year, month } => months_in(year, month, 1, 1.0),
            PeriodLabel::Quarter { year, quarter } => {
                months_in(year, quarter.saturating_sub(1) * 3 + 1, 3, 3.0)
            }
            PeriodLabel::Year { year } => months_in(year, 1, 12, 12.0),
        }
    }
}

/// How a stage stands against the plan to date (SPEC 7.9).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// The stage's actuals over the months to date.
    pub actual: f64,
    /// The stage's need x months to date / months.
    pub need: f64,
    /// The actual at the end of the plan if the rate to date goes on.
    pub projection: f64,
}

/// The thresholds of [`PlanStatus`]: on plan from 100 % of the need to date, at risk
/// from 90 %.
const AT_RISK_FROM: f64 = 0.9;

impl Progress {
    /// actual / need; a stage that needs nothing yet is complete.
    pub fn ratio(&self) -> f64 {
        if self.need > 0.0 {
            self.actual / self.need
        } else {
            1.0
        }
    }

    /// The ratio in whole percent, rounded down so that the number shown agrees with
    /// the status (89.6 % is behind: it shows as 89, not 90).
    pub fn percent(&self) -> f64 {
        (self.ratio() * 100.0 + DUST).floor()
    }

    pub fn status(&self) -> PlanStatus {
        let ratio = self.ratio();
        if ratio >= 1.0 {
            PlanStatus::OnPlan
        } else if ratio >= AT_RISK_FROM {
            PlanStatus::AtRisk
        } else {
            PlanStatus::Behind
        }
    }
}

/// A stage's status against its need to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Behind,
    AtRisk,
    OnPlan,
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn plan(conversions: &[Option<f64>]) -> Plan {
        Plan {
            period: None,
            start: None,
            revenue_target: 1_500_000.0,
            currency: None,
            average_deal: 15_000.0,
            months: 12,
            stages: conversions
                .iter()
                .map(|&conversion| Stage {
                    name: "s".into(),
                    conversion,
                    kpi: None,
                })
                .collect(),
        }
    }

    #[test]
    fn needs_walk_up_the_funnel_with_ceilings() {
        let p = plan(&[None, Some(0.4), Some(0.3)]);
        assert_eq!(p.customers_needed(), 100.0);
        // 100 / 0.3 = 333.3 -> 334; 334 / 0.4 = 835
        assert_eq!(p.needs(), vec![835.0, 334.0, 100.0]);
    }

    #[test]
    fn float_dust_does_not_add_a_lead() {
        let p = plan(&[None, Some(0.4), Some(0.1)]);
        assert_eq!(p.needs(), vec![2500.0, 1000.0, 100.0]);
    }

    #[test]
    fn targets_convert_to_the_plan_length() {
        let p = plan(&[None, Some(0.5)]);
        assert_eq!(p.over_plan(10.0, Period::Month), 120.0);
        assert_eq!(p.over_plan(3.0, Period::Week), 156.0);
        assert_eq!(p.over_plan(30.0, Period::Quarter), 120.0);
        assert_eq!(p.over_plan(120.0, Period::Year), 120.0);
    }

    fn actuals(rows: &[(PeriodLabel, f64)]) -> Vec<Actual> {
        rows.iter()
            .map(|&(period, value)| Actual {
                period,
                value,
                count: None,
                loc: crate::source::Loc::file_start(
                    crate::source::Sources::default().add("a.csv".into(), String::new()),
                ),
            })
            .collect()
    }

    fn month(month: u8) -> PeriodLabel {
        PeriodLabel::Month { year: 2026, month }
    }

    fn year_plan() -> Plan {
        Plan {
            period: Some("2026".into()),
            ..plan(&[None, Some(0.5)])
        }
    }

    #[test]
    fn a_year_period_starts_the_plan_on_january_first() {
        assert_eq!(year_plan().first_day(), Some(date(2026, 1, 1)));
        let label = Plan {
            period: Some("FY26".into()),
            ..plan(&[None, Some(0.5)])
        };
        assert_eq!(label.first_day(), None);
        assert_eq!(label.to_date(date(2026, 10, 15)), None);
    }

    #[test]
    fn the_plan_to_date_is_its_complete_months_before_today() {
        let p = year_plan();
        let months = |today| p.to_date(today).map(|t| t.months);
        assert_eq!(months(date(2026, 10, 15)), Some(9));
        // On the 1st, the month before has just ended: complete.
        assert_eq!(months(date(2026, 10, 1)), Some(9));
        assert_eq!(months(date(2026, 9, 30)), Some(8));
        assert_eq!(months(date(2026, 1, 31)), Some(0));
        assert_eq!(months(date(2025, 6, 1)), Some(0));
        assert_eq!(months(date(2027, 3, 1)), Some(12));
    }

    #[test]
    fn a_plan_started_mid_year_counts_from_its_start() {
        let p = Plan {
            start: Some(date(2026, 7, 1)),
            ..year_plan()
        };
        let to_date = p.to_date(date(2026, 10, 15)).unwrap();
        assert_eq!(to_date.months, 3);
        assert_eq!(
            to_date.last_month().map(|m| m.to_string()).as_deref(),
            Some("2026-09")
        );
        // June is before the plan: only July to September count; need 120 x 3 / 12.
        let rows = actuals(&[
            (month(6), 50.0),
            (month(7), 8.0),
            (month(8), 9.0),
            (month(9), 10.0),
            (month(10), 70.0),
        ]);
        let progress = p.progress(to_date, 120.0, Period::Month, &rows).unwrap();
        assert_eq!((progress.actual, progress.need), (27.0, 30.0));
        assert_eq!(progress.projection, 108.0);
        assert_eq!(progress.status(), PlanStatus::AtRisk);
    }

    #[test]
    fn a_week_counts_in_the_month_of_its_thursday() {
        let p = year_plan();
        // 2026-W05 runs from Monday 26 January to Sunday 1 February, Thursday the 29th:
        // January's. 2026-W14 runs from Monday 30 March to 5 April, Thursday the 2nd:
        // April's, though it starts in March.
        let rows = actuals(&[
            (
                PeriodLabel::Week {
                    year: 2026,
                    week: 5,
                },
                4.0,
            ),
            (
                PeriodLabel::Week {
                    year: 2026,
                    week: 14,
                },
                7.0,
            ),
        ]);
        let first_quarter = p.to_date(date(2026, 4, 1)).unwrap();
        let progress = p
            .progress(first_quarter, 12.0, Period::Week, &rows)
            .unwrap();
        assert_eq!(progress.actual, 4.0);
        let to_april = p.to_date(date(2026, 5, 1)).unwrap();
        let progress = p.progress(to_april, 12.0, Period::Week, &rows).unwrap();
        assert_eq!(progress.actual, 11.0);
    }

    #[test]
    fn a_quarter_counts_a_third_per_complete_month() {
        let p = year_plan();
        let rows = actuals(&[
            (
                PeriodLabel::Quarter {
                    year: 2026,
                    quarter: 1,
                },
                19.0,
            ),
            (
                PeriodLabel::Quarter {
                    year: 2026,
                    quarter: 2,
                },
                24.0,
            ),
            (
                PeriodLabel::Quarter {
                    year: 2026,
                    quarter: 3,
                },
                27.0,
            ),
        ]);
        let to_date = p.to_date(date(2026, 8, 10)).unwrap();
        let progress = p.progress(to_date, 100.0, Period::Quarter, &rows).unwrap();
        // Q1 and Q2 whole, July's third of Q3.
        assert_eq!(progress.actual, 19.0 + 24.0 + 9.0);
        let progress = p
            .progress(
                p.to_date(date(2026, 10, 15)).unwrap(),
                100.0,
                Period::Quarter,
                &rows,
            )
            .unwrap();
        assert_eq!((progress.actual, progress.need), (70.0, 75.0));
        assert_eq!(progress.status(), PlanStatus::AtRisk);
    }

    #[test]
    fn no_progress_before_a_complete_month_or_without_data() {
        let p = year_plan();
        let rows = actuals(&[(month(1), 10.0)]);
        let none_complete = p.to_date(date(2026, 1, 20)).unwrap();
        assert_eq!(p.progress(none_complete, 12.0, Period::Month, &rows), None);
        let later = p.to_date(date(2026, 4, 2)).unwrap();
        assert_eq!(p.progress(later, 12.0, Period::Month, &[]), None);
        // A missing month inside the window counts as nothing: 10 of 3 due.
        let progress = p.progress(later, 12.0, Period::Month, &rows).unwrap();
        assert_eq!((progress.actual, progress.need), (10.0, 3.0));
    }

    #[test]
    fn status_thresholds_are_100_and_90_percent() {
        let at = |actual| {
            Progress {
                actual,
                need: 100.0,
                projection: 0.0,
            }
            .status()
        };
        assert_eq!(at(100.0), PlanStatus::OnPlan);
        assert_eq!(at(99.9), PlanStatus::AtRisk);
        assert_eq!(at(90.0), PlanStatus::AtRisk);
        assert_eq!(at(89.9), PlanStatus::Behind);
    }
}
