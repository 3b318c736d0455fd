//! The growth plan: how many of each funnel stage the revenue target needs (SPEC section 4).

use serde::Serialize;

use super::{KpiId, Located, Period};

/// `[plan]` of accord.toml.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub period: Option<String>,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(conversions: &[Option<f64>]) -> Plan {
        Plan {
            period: None,
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
}
