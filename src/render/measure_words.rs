//! A KPI's `[measure]` told in words on its page ("median time from Create Date to First
//! Call, in business minutes, of rows where Lifecycle Stage is Lead or MQL"), and its
//! target as people say it ("weekly median at most 4 minutes"), so that readers see what
//! the number is without reading TOML. The sentence patterns are interface labels
//! (`measure_*`, `target_words*` in templates/i18n/): each language orders its words
//! itself.

use crate::model::{Direction, Kpi, Measure, Statistic, Unit};
use crate::render::number;

/// `target` of `kpi` as people say it: "weekly median at most 4 minutes" for a measured
/// statistic, else "at least 120 per month".
pub fn target_words(kpi: &Kpi, target: f64, label: impl Fn(&str) -> String) -> String {
    let comparison = label(match kpi.direction {
        Direction::Up => "compare_up",
        Direction::Down => "compare_down",
    });
    let value = match kpi.unit {
        Unit::Count => number(target),
        Unit::Percent => format!("{} %", number(target)),
        unit => format!(
            "{} {}",
            number(target),
            label(&format!("unit_{}", unit.word()))
        ),
    };
    let statistic = kpi
        .measure
        .as_ref()
        .map(|m| m.statistic.value)
        .filter(|s| !matches!(s, Statistic::Count | Statistic::Share));
    match statistic {
        Some(statistic) => fill(
            &label("target_words_statistic"),
            &[
                ("period", &label(&format!("every_{}", kpi.period.word()))),
                (
                    "statistic",
                    &label(&format!("statistic_{}", statistic.word())),
                ),
                ("comparison", &comparison),
                ("value", &value),
            ],
        ),
        None => fill(
            &label("target_words"),
            &[
                ("period", &label(&format!("period_{}", kpi.period.word()))),
                ("comparison", &comparison),
                ("value", &value),
            ],
        ),
    }
}

/// The sentence for `measure`, from the labels `label` looks up.
pub fn describe(measure: &Measure, label: impl Fn(&str) -> String) -> String {
    let statistic = measure.statistic.value;
    let unit = measure.duration.as_ref().map(|duration| {
        let unit = label(&format!("unit_{}", duration.unit.word()));
        if duration.business_hours {
            fill(&label("business_unit"), &[("unit", &unit)])
        } else {
            unit
        }
    });
    let what = match (
        statistic,
        &measure.duration,
        &measure.within,
        &measure.column,
    ) {
        (Statistic::Count, ..) => None,
        (Statistic::Share, Some(duration), Some(within), _) => Some(fill(
            &label("measure_within"),
            &[
                ("from", &duration.from.value),
                ("to", &duration.to.value),
                ("within", &crate::render::number(within.value)),
                ("unit", unit.as_deref().unwrap_or_default()),
            ],
        )),
        (Statistic::Share, ..) => {
            let columns: Vec<&str> = measure.filled.iter().map(|c| c.value.as_str()).collect();
            Some(fill(
                &label("measure_filled"),
                &[("columns", &listed(&columns, &label("list_and")))],
            ))
        }
        (_, Some(duration), ..) => Some(fill(
            &label("measure_duration"),
            &[
                (
                    "statistic",
                    &label(&format!("statistic_{}", statistic.word())),
                ),
                ("from", &duration.from.value),
                ("to", &duration.to.value),
                ("unit", unit.as_deref().unwrap_or_default()),
            ],
        )),
        (_, None, _, column) => Some(fill(
            &label("measure_column"),
            &[
                (
                    "statistic",
                    &label(&format!("statistic_{}", statistic.word())),
                ),
                ("column", column.as_ref().map_or("", |c| c.value.as_str())),
            ],
        )),
    };
    let conditions: Vec<String> = measure
        .filter
        .iter()
        .map(|(column, values)| {
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            fill(
                &label("measure_condition"),
                &[
                    ("column", &column.value),
                    ("values", &listed(&values, &label("list_or"))),
                ],
            )
        })
        .collect();
    let conditions: Vec<&str> = conditions.iter().map(String::as_str).collect();
    let conditions = listed(&conditions, &label("list_and"));
    match (what, conditions.is_empty()) {
        (None, true) => label("measure_count"),
        (None, false) => fill(
            &label("measure_count_where"),
            &[("conditions", &conditions)],
        ),
        (Some(what), true) => what,
        (Some(what), false) => fill(
            &label("measure_where"),
            &[("measure", &what), ("conditions", &conditions)],
        ),
    }
}

/// `pattern` with each `{name}` of `slots` replaced by its value, in one pass: a value
/// (a column name from the org's files) is never read as a pattern itself.
fn fill(pattern: &str, slots: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let slot = after.find('}').and_then(|close| {
            let name = &after[..close];
            let value = slots.iter().find(|(n, _)| *n == name)?.1;
            Some((value, close))
        });
        match slot {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// "A", "A and B", "A, B and C" with the language's `conjunction`.
fn listed(items: &[&str], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_that_looks_like_a_slot_is_not_filled_again() {
        assert_eq!(
            fill("from {from} to {to}", &[("from", "{to}"), ("to", "Call")]),
            "from {to} to Call"
        );
        assert_eq!(fill("{unknown} {", &[]), "{unknown} {");
    }

    #[test]
    fn lists_join_the_last_item_with_the_conjunction() {
        assert_eq!(listed(&["Lead"], "or"), "Lead");
        assert_eq!(listed(&["Lead", "MQL"], "or"), "Lead or MQL");
        assert_eq!(listed(&["A", "B", "C"], "and"), "A, B and C");
    }
}
