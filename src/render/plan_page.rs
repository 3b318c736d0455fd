//! The plan page, and the plan to date the dashboard shows too (SPEC 4 and 7.9).

use serde::Serialize;

use super::chart::{self, FunnelStage};
use super::number;
use super::views::{Link, SiteData};
use crate::model::Plan;
use crate::model::plan::{PlanStatus, Progress};

#[derive(Serialize)]
pub struct StageRow {
    name: String,
    conversion: Option<String>,
    need_total: String,
    need_month: String,
    kpi: Option<Link>,
    planned: Option<String>,
    shortfall: Option<String>,
}

#[derive(Serialize)]
pub struct PlanView {
    period: Option<String>,
    revenue_target: String,
    currency: Option<String>,
    average_deal: String,
    months: u32,
    customers_needed: String,
    funnel: String,
    stages: Vec<StageRow>,
    to_date: Option<PlanToDateView>,
}

pub fn plan(data: &SiteData, plan: &Plan, funnel_title: &str) -> PlanView {
    let needs = plan.needs();
    let months = f64::from(plan.months);
    let mut funnel = Vec::new();
    let stages = plan
        .stages
        .iter()
        .zip(&needs)
        .map(|(stage, &need)| {
            let kpi = stage.kpi.as_ref().and_then(|k| data.org.kpis.get(&k.value));
            let planned = kpi.map(|k| plan.over_plan(k.target.value, k.period));
            let short = planned.filter(|&p| p < need).map(|p| need - p);
            funnel.push(FunnelStage {
                name: &stage.name,
                need,
                short: short.is_some(),
            });
            StageRow {
                name: stage.name.clone(),
                conversion: stage.conversion.map(|c| format!("{} %", number(c * 100.0))),
                need_total: number(need),
                need_month: number(need / months),
                kpi: stage.kpi.as_ref().map(|k| data.kpi(&k.value)),
                planned: planned.map(number),
                shortfall: short.map(number),
            }
        })
        .collect();
    PlanView {
        period: plan.period.clone(),
        revenue_target: number(plan.revenue_target),
        currency: plan.currency.clone(),
        average_deal: number(plan.average_deal),
        months: plan.months,
        customers_needed: number(plan.customers_needed()),
        funnel: chart::funnel(&funnel, funnel_title),
        stages,
        to_date: plan_to_date(data, plan),
    }
}

/// One stage against the plan to date.
#[derive(Serialize)]
pub struct ProgressRow {
    stage: String,
    kpi: Link,
    /// `None` when the KPI has no actual in the months to date.
    progress: Option<ProgressNumbers>,
}

#[derive(Serialize)]
pub struct ProgressNumbers {
    actual: String,
    need: String,
    percent: String,
    status: PlanStatus,
    projection: String,
}

impl ProgressNumbers {
    /// Actual and need as computed (a quarter's third or a month's share of the need
    /// may be a fraction: `number` shows at most two decimals, as the rule does); the
    /// projection in whole units reached.
    fn of(progress: &Progress) -> Self {
        ProgressNumbers {
            actual: number(progress.actual),
            need: number(progress.need),
            percent: number(progress.percent()),
            status: progress.status(),
            projection: number(progress.projection.floor()),
        }
    }
}

/// The one sentence the plan opens with: the worst stage.
#[derive(Serialize)]
pub struct Headline {
    /// The worst status of any stage: the sentence's first words.
    status: PlanStatus,
    stage: String,
    actual: String,
    need: String,
    percent: String,
}

/// The revenue the customers to date bring, against the revenue target to date.
#[derive(Serialize)]
pub struct RevenueToDate {
    actual: String,
    target: String,
    percent: String,
    status: PlanStatus,
    projection: String,
}

#[derive(Serialize)]
pub struct PlanToDateView {
    /// Complete months of the plan before today.
    months: u32,
    /// The last complete month, 1 to 12 (for its name), and as `2026-09`.
    last_month: Option<u8>,
    last_month_label: Option<String>,
    headline: Option<Headline>,
    stages: Vec<ProgressRow>,
    revenue: Option<RevenueToDate>,
    currency: Option<String>,
}

impl PlanToDateView {
    /// The stages measured to date whose status is `status`, in the funnel's order: each
    /// stage's name and its actual's share of the need, in percent.
    pub fn stages_at(&self, status: PlanStatus) -> impl Iterator<Item = (&str, &str)> {
        self.stages.iter().filter_map(move |row| {
            let progress = row.progress.as_ref()?;
            (progress.status == status).then_some((row.stage.as_str(), progress.percent.as_str()))
        })
    }
}

/// The plan to date on the site's today; `None` when the plan has no first day
/// (`start`, or a `period` that is a year).
pub fn plan_to_date(data: &SiteData, plan: &Plan) -> Option<PlanToDateView> {
    let to_date = plan.to_date(data.today)?;
    let mut measured: Vec<(&str, Progress)> = Vec::new();
    let mut last_stage = None;
    let stages = plan
        .stages
        .iter()
        .zip(plan.needs())
        .enumerate()
        .filter_map(|(i, (stage, need))| {
            let kpi_ref = stage.kpi.as_ref()?;
            let kpi = data.org.kpis.get(&kpi_ref.value)?;
            let actuals = data.org.actuals.get(&kpi.id).map_or(&[][..], Vec::as_slice);
            let progress = plan.progress(to_date, need, kpi.period, actuals);
            if let Some(progress) = progress {
                measured.push((&stage.name, progress));
                if i + 1 == plan.stages.len() {
                    last_stage = Some(progress);
                }
            }
            Some(ProgressRow {
                stage: stage.name.clone(),
                kpi: data.kpi(&kpi.id),
                progress: progress.as_ref().map(ProgressNumbers::of),
            })
        })
        .collect();
    // The lowest ratio; the first stage of the funnel among equals.
    let worst = measured
        .iter()
        .min_by(|a, b| a.1.ratio().total_cmp(&b.1.ratio()));
    let headline = worst.map(|(stage, progress)| Headline {
        status: progress.status(),
        stage: (*stage).to_owned(),
        actual: number(progress.actual),
        need: number(progress.need),
        percent: number(progress.percent()),
    });
    // The last stage is the customers: each brings the average deal.
    let revenue = last_stage.map(|customers| {
        let revenue = Progress {
            actual: customers.actual * plan.average_deal,
            need: plan.revenue_target * f64::from(to_date.months) / f64::from(plan.months),
            projection: customers.projection * plan.average_deal,
        };
        RevenueToDate {
            actual: number(revenue.actual),
            target: number(revenue.need.round()),
            percent: number(revenue.percent()),
            status: revenue.status(),
            projection: number(revenue.projection.round()),
        }
    });
    let last_month = to_date.last_month();
    Some(PlanToDateView {
        months: to_date.months,
        last_month: last_month.map(|m| m.month()),
        last_month_label: last_month.map(|m| m.to_string()),
        headline,
        stages,
        revenue,
        currency: plan.currency.clone(),
    })
}
