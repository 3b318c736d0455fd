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

/// The font sizes of the period labels in the stylesheet (`.chart .tick`), in the
/// chart's own units: on a desktop, and on a phone, where the chart is drawn at about
/// half its size and every other label (`minor`) is hidden so the rest can be larger.
const TICK_FONT: f64 = 12.0;
const TICK_FONT_PHONE: f64 = 20.0;
/// The widest a character of a period label can be, in ems: the digits and the `W` of
/// `2026-W07` in the widest common sans-serif (DejaVu Sans: 0.64 and 0.99) average
/// below this, so labels spaced by it never touch, whatever font the reader has.
const LABEL_EM: f64 = 0.7;
/// The least space between two labels, in ems.
const LABEL_GAP_EM: f64 = 0.5;

/// How far apart period labels `chars` long must be, at a font size: their width and
/// the gap.
fn label_spacing(chars: usize, font: f64) -> f64 {
    (chars as f64 * LABEL_EM + LABEL_GAP_EM) * font
}

/// A line of the latest actuals beside a number: no axes, the target dashed, the
/// latest point marked met or missed. Drawn in its own 0..100 x 0..24 box, stretched to
/// the width the stylesheet gives; decorative, since the numbers stand beside it.
pub fn sparkline(kpi: &Kpi, actuals: &[Actual], target: f64) -> String {
    const W: f64 = 100.0;
    const H: f64 = 24.0;
    const PAD: f64 = 3.0;
    let values = actuals.iter().map(|a| a.value).chain([target]);
    let max = values.clone().fold(f64::MIN, f64::max);
    let min = values.fold(f64::MAX, f64::min);
    let span = (max - min).max(f64::MIN_POSITIVE);
    let y = |v: f64| PAD + (H - 2.0 * PAD) * (max - v) / span;
    let step = W / (actuals.len().max(2) - 1) as f64;
    let mut points = String::with_capacity(actuals.len() * 12);
    for (i, actual) in actuals.iter().enumerate() {
        let _ = write!(points, "{:.1},{:.1} ", step * i as f64, y(actual.value));
    }
    let mut svg = format!(
        r#"<svg class="sparkline" viewBox="0 0 {W} {H}" preserveAspectRatio="none" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg"><line class="target-line" x1="0" y1="{0:.1}" x2="{W}" y2="{0:.1}"/><polyline class="spark" points="{1}"/>"#,
        y(target),
        points.trim_end()
    );
    if let Some(latest) = actuals.last() {
        let class = if kpi.meets(target, latest.value) {
            "dot-met"
        } else {
            "dot-missed"
        };
        let _ = write!(
            svg,
            r#"<circle class="{class}" cx="{:.1}" cy="{:.1}" r="2.5"/>"#,
            step * (actuals.len() - 1) as f64,
            y(latest.value)
        );
    }
    svg.push_str("</svg>");
    svg
}

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
    let periods: Vec<String> = actuals.iter().map(|a| a.period.to_string()).collect();
    let chars = periods.iter().map(|p| p.chars().count()).max().unwrap_or(0);
    // The first and last labels are centred on their bars: the margins leave room for
    // half of one at the phone's size, so that no label is cut at the chart's edge.
    let half_label = chars as f64 * LABEL_EM * TICK_FONT_PHONE / 2.0;
    let (left, right) = (LEFT.max(half_label), RIGHT.max(half_label));
    let plot_w = WIDTH - left - right;
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
        r#"<line class="axis" x1="{left:.1}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}"/>"#,
        y(0.0_f64.max(min)),
        WIDTH - right
    );
    // Every `label_every`-th period is labelled, counting back from the latest (the one
    // a reader looks for), spaced so that labels never overlap: on a desktop, and on a
    // phone, where they are larger and only every other one shows.
    let spacing = label_spacing(chars, TICK_FONT).max(label_spacing(chars, TICK_FONT_PHONE) / 2.0);
    let label_every = (spacing / slot).ceil().max(1.0) as usize;
    let last = actuals.len().saturating_sub(1);
    for (i, (actual, period)) in actuals.iter().zip(&periods).enumerate() {
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
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
            period,
            number(actual.value)
        );
        let back = last - i;
        if back.is_multiple_of(label_every) {
            let minor = if (back / label_every) % 2 == 1 {
                " minor"
            } else {
                ""
            };
            let _ = write!(
                svg,
                r#"<text class="tick period{minor}" x="{:.1}" y="{:.1}" text-anchor="middle">{period}</text>"#,
                x + bar_w / 2.0,
                HEIGHT - BOTTOM + 16.0,
            );
        }
    }
    let ty = y(target);
    let _ = write!(
        svg,
        r#"<line class="target-line" x1="{left:.1}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text></svg>"#,
        WIDTH - right,
        left - 4.0,
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
///
/// Unlike the actuals chart, the funnel has no `viewBox`: its bars are placed in
/// percentages of the chart's width and its text in CSS pixels, so the labels keep the
/// stylesheet's size on a phone instead of shrinking with the chart.
pub fn funnel(stages: &[FunnelStage], title: &str) -> String {
    /// Where the bars' area starts and how wide it is, in percent of the chart's width:
    /// the names take the left third, the numbers the right end.
    const AREA_LEFT: f64 = 34.0;
    const AREA: f64 = 50.0;
    const ROW: f64 = 36.0;
    let height = ROW * stages.len() as f64 + 8.0;
    let widest = stages
        .iter()
        .map(|s| s.need)
        .fold(f64::MIN_POSITIVE, f64::max);
    let mut svg = String::with_capacity(256 + stages.len() * 256);
    let _ = write!(
        svg,
        r#"<svg class="chart funnel" width="100%" height="{height}" style="height: {height}px" role="img" aria-labelledby="funnel-title" xmlns="http://www.w3.org/2000/svg"><title id="funnel-title">{}</title>"#,
        escape(title)
    );
    for (i, stage) in stages.iter().enumerate() {
        // A stage always shows a sliver, so a tiny need stays visible.
        let w = (AREA * stage.need / widest).max(0.6);
        let x = AREA_LEFT + (AREA - w) / 2.0;
        let y = 4.0 + ROW * i as f64;
        let middle = y + ROW / 2.0 + 1.0;
        let class = if stage.short { "bar-missed" } else { "bar-met" };
        let _ = write!(
            svg,
            r#"<text class="funnel-label" x="8" y="{middle:.1}">{}</text><rect class="{class}" x="{x:.2}%" y="{y:.1}" width="{w:.2}%" height="{:.1}" rx="3"/><text class="tick" x="{:.2}%" dx="6" y="{middle:.1}">{}</text>"#,
            escape(stage.name),
            ROW - 6.0,
            x + w,
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
