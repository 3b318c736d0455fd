//! Inline SVG charts: a KPI's actuals against its target, and the plan's funnel.
//!
//! Colours come from CSS classes (`.bar-met`, `.bar-missed`, `.target-line`...) so the
//! stylesheet, dark mode and print decide them; the SVG only draws shapes. Every chart
//! has a `<title>` and `<desc>`, and the pages show the same numbers in a table.

use std::fmt::Write as _;

use super::{escape_html as escape, number};
use crate::model::{Actual, Kpi};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// Bars of the actuals (met or missed) with the target as a dashed line.
pub fn actuals(kpi: &Kpi, actuals: &[Actual], title: &str, target_label: &str) -> String {
    let target = kpi.target.value;
    let max = actuals
        .iter()
        .map(|a| a.value)
        .fold(target, f64::max)
        .max(f64::MIN_POSITIVE);
    let min = actuals.iter().map(|a| a.value).fold(0.0, f64::min);
    let span = max - min;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h * (max - v) / span;
    let slot = plot_w / actuals.len().max(1) as f64;
    let bar_w = (slot * 0.7).min(48.0);
    let mut svg = String::with_capacity(512 + actuals.len() * 256);
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{}</title><desc id="chart-desc">{}: {}</desc>"#,
        escape(title),
        escape(target_label),
        number(target)
    );
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}"/>"#,
        y(0.0_f64.max(min)),
        WIDTH - RIGHT
    );
    // Label every period when they fit, else about a dozen of them; on a phone the
    // stylesheet hides every other label (`minor`) so the rest can be larger.
    let label_every = (actuals.len() / 12).max(1);
    for (i, actual) in actuals.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
        let (top, bottom) = (y(actual.value.max(0.0)), y(actual.value.min(0.0)));
        let class = if kpi.meets_target(actual.value) {
            "bar-met"
        } else {
            "bar-missed"
        };
        let _ = write!(
            svg,
            r#"<rect class="{class}" x="{x:.1}" y="{top:.1}" width="{bar_w:.1}" height="{:.1}"><title>{}: {}</title></rect>"#,
            (bottom - top).max(0.5),
            actual.period,
            number(actual.value)
        );
        if i % label_every == 0 {
            let minor = if (i / label_every) % 2 == 1 {
                " minor"
            } else {
                ""
            };
            let _ = write!(
                svg,
                r#"<text class="tick{minor}" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + bar_w / 2.0,
                HEIGHT - BOTTOM + 16.0,
                actual.period
            );
        }
    }
    let ty = y(target);
    let _ = write!(
        svg,
        r#"<line class="target-line" x1="{LEFT}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text></svg>"#,
        WIDTH - RIGHT,
        LEFT - 4.0,
        ty + 4.0,
        number(target)
    );
    svg
}

/// One stage of the funnel chart.
pub struct FunnelStage<'a> {
    pub name: &'a str,
    pub need: f64,
    pub short: bool,
}

/// One row per stage: its name on the left, a bar centred in the chart area with a width
/// proportional to the stage's need, and the need to the right of the bar.
pub fn funnel(stages: &[FunnelStage], title: &str) -> String {
    const NAMES: f64 = 160.0;
    const NUMBERS: f64 = 72.0;
    let row = 36.0;
    let height = row * stages.len() as f64 + 8.0;
    let area = WIDTH - NAMES - NUMBERS;
    let widest = stages
        .iter()
        .map(|s| s.need)
        .fold(f64::MIN_POSITIVE, f64::max);
    let mut svg = String::with_capacity(256 + stages.len() * 256);
    let _ = write!(
        svg,
        r#"<svg class="chart funnel" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="funnel-title" xmlns="http://www.w3.org/2000/svg"><title id="funnel-title">{}</title>"#,
        escape(title)
    );
    for (i, stage) in stages.iter().enumerate() {
        // A stage always shows a sliver, so a tiny need stays visible.
        let w = (area * stage.need / widest).max(4.0);
        let x = NAMES + (area - w) / 2.0;
        let y = 4.0 + row * i as f64;
        let middle = y + row / 2.0 + 1.0;
        let class = if stage.short { "bar-missed" } else { "bar-met" };
        let _ = write!(
            svg,
            r#"<text class="funnel-label" x="8" y="{middle:.1}">{}</text><rect class="{class}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{:.1}" rx="3"/><text class="tick" x="{:.1}" y="{middle:.1}">{}</text>"#,
            escape(stage.name),
            row - 6.0,
            x + w + 6.0,
            number(stage.need)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funnel_escapes_names_and_draws_each_stage() {
        let svg = funnel(
            &[
                FunnelStage {
                    name: "Lead <b>",
                    need: 1000.0,
                    short: false,
                },
                FunnelStage {
                    name: "Customer",
                    need: 10.0,
                    short: true,
                },
            ],
            "Funnel",
        );
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("Lead &lt;b&gt;"));
        assert!(svg.contains("bar-missed"));
    }
}
