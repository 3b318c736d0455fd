//! The mistakes people make most on their first day, recognised where the TOML parser
//! only sees bad syntax (`effective = 01.01.2027`, `conversion = 25%`, `[term]` written
//! twice), and answered with the fix: one finding at the value, not the parser's text.

use std::ops::Range;

use jiff::civil::Date;

use super::schema::{FieldType, fields_named};
use crate::diagnostic::{BAD_DATE, ErrorClass, INVALID_VALUE, TOML_SYNTAX};

/// What a syntax error most likely means, and where to say it.
pub(super) struct Diagnosis {
    pub class: &'static ErrorClass,
    /// Byte range in the file's text.
    pub range: Range<usize>,
    pub message: String,
    pub help: String,
}

/// The diagnosis of the syntax error `message` at byte `at` of `text`, when it is a
/// known mistake.
pub(super) fn diagnose(text: &str, at: usize, message: &str) -> Option<Diagnosis> {
    let line = line_at(text, at);
    value_mistake(text, line.clone()).or_else(|| {
        message
            .contains("duplicate")
            .then(|| single_bracket_tables(text, line))
            .flatten()
    })
}

/// The fix for a date written another way (`01.01.2027`, `2027/01/01`, quoted), if the
/// text looks like a date.
pub(super) fn date_help(text: &str) -> Option<String> {
    const FORM: &str = "dates are written YYYY-MM-DD, unquoted";
    let help = match read_date(text.trim())? {
        DateReading::One(date) => format!("{FORM}: {date}"),
        DateReading::Either(day_first, month_first) => {
            format!("{FORM}: {day_first} (or {month_first} if the month comes first)")
        }
    };
    Some(help)
}

/// The fix for a number written with `%` or quoted (`25%`, `"95%"`, `"95"`), for a field
/// of type `ty`: a fraction for a fraction field (0.25), else the bare number.
pub(super) fn number_help(ty: FieldType, text: &str) -> Option<String> {
    let trimmed = text.trim();
    let (digits, percent) = match trimmed.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (trimmed, false),
    };
    let n: f64 = digits.parse().ok().filter(|n: &f64| n.is_finite())?;
    Some(match ty {
        FieldType::Fraction if percent => {
            // Rounded to a millionth, as 0.07 is 7.000000000000001 / 100 in floats.
            let fraction = (n * 1e4).round() / 1e6;
            format!(
                "a conversion is a fraction of the stage above: write {fraction} for {digits} %"
            )
        }
        _ if percent => format!(
            "write the number unquoted, without `%`: {digits} (percent values are on the 0-100 scale)"
        ),
        _ => format!("write the number unquoted: {digits}"),
    })
}

/// The byte range of the line holding byte `at`, without its line break.
fn line_at(text: &str, at: usize) -> Range<usize> {
    // The parser's offsets are character boundaries; a stray one must not panic here.
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let end = if text[start..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end
}

/// `key = value` where the value is a date or a percent written as people write them.
fn value_mistake(text: &str, line: Range<usize>) -> Option<Diagnosis> {
    let content = &text[line.clone()];
    let (key, after) = content.split_once('=')?;
    let key = key.trim().rsplit('.').next()?.trim_matches(['"', '\'']);
    // A comment ends an unquoted value.
    let raw = after.split('#').next()?;
    let value = raw.trim();
    if value.is_empty() {
        return None;
    }
    let start = line.start + key_end(content) + (raw.len() - raw.trim_start().len());
    let range = start..start + value.len();
    // A date TOML reads is not the mistake, whatever else is wrong on its line.
    let toml_date = value.len() == 10 && value.parse::<Date>().is_ok();
    if let Some(help) = date_help(value).filter(|_| !toml_date) {
        return Some(Diagnosis {
            class: &BAD_DATE,
            range,
            message: format!("`{key} = {value}`: `{value}` is not a date TOML reads"),
            help,
        });
    }
    if value.ends_with('%') {
        let ty = fields_named(key)
            .map(|f| f.ty)
            .find(|ty| matches!(ty, FieldType::Fraction))
            .unwrap_or(FieldType::Number);
        let help = number_help(ty, value)?;
        return Some(Diagnosis {
            class: &INVALID_VALUE,
            range,
            message: format!("`{key} = {value}`: `%` cannot follow a number in TOML"),
            help,
        });
    }
    None
}

/// The offset just after the `=` of a `key = value` line.
fn key_end(line: &str) -> usize {
    line.find('=').map_or(0, |i| i + 1)
}

/// `[term]` where `[[term]]` is meant: an array-of-tables key (term, signature, share,
/// action, plan.stage) written as a table, which fails as a duplicate key as soon as a
/// second one follows. Reported once, at the first such header, with every line to fix.
fn single_bracket_tables(text: &str, line: Range<usize>) -> Option<Diagnosis> {
    let name = header_above(text, line.start)?;
    let last = name.rsplit('.').next()?;
    if !fields_named(last).any(|f| matches!(f.ty, FieldType::Tables(_))) {
        return None;
    }
    let single = format!("[{name}]");
    let mut offset = 0;
    let mut lines = Vec::new();
    let mut first: Option<Range<usize>> = None;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let trimmed = raw.trim();
        if trimmed == single {
            let start = offset + (raw.len() - raw.trim_start().len());
            first.get_or_insert(start..start + trimmed.len());
            lines.push((index + 1).to_string());
        }
        offset += raw.len();
    }
    let range = first?;
    let each = match last {
        "term" => "each term",
        "signature" => "each signature",
        "share" => "each share",
        "action" => "each action",
        _ => "each one",
    };
    Some(Diagnosis {
        class: &TOML_SYNTAX,
        range,
        message: format!(
            "`[{name}]` makes a single table, and there may be several: `[[{name}]]` is meant"
        ),
        help: format!(
            "write `[[{name}]]` (two brackets) on {}: {each} starts with its own `[[{name}]]`",
            line_list(&lines)
        ),
    })
}

/// "line 4", "lines 4 and 9", "lines 4, 9 and 12".
fn line_list(lines: &[String]) -> String {
    match lines {
        [one] => format!("line {one}"),
        [rest @ .., last] => format!("lines {} and {last}", rest.join(", ")),
        [] => String::new(),
    }
}

/// The name of the table header (`[a.b]` or `[[a.b]]`) at or above the line starting at
/// `line_start`.
fn header_above(text: &str, line_start: usize) -> Option<&str> {
    let end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    text[..end].lines().rev().find_map(|line| {
        let line = line.trim();
        let name = line
            .strip_prefix("[[")
            .and_then(|l| l.strip_suffix("]]"))
            .or_else(|| line.strip_prefix('[').and_then(|l| l.strip_suffix(']')))?;
        Some(name.trim())
    })
}

/// How a date written another way reads.
enum DateReading {
    One(Date),
    /// Day first, and month first: `01/02/2027` could be either.
    Either(Date, Date),
}

/// Reads `15.12.2026`, `15/12/2026`, `15-12-2026`, `2026/12/15`, `2026.12.15`,
/// `2026-1-5`, quoted or not. Dots and dashes put the day first; a slash with the year
/// last is read both ways, and is ambiguous when both readings are dates.
fn read_date(text: &str) -> Option<DateReading> {
    let text = text.trim_matches(['"', '\'']);
    let separator = ['.', '/', '-'].into_iter().find(|s| text.contains(*s))?;
    let parts: Vec<&str> = text.split(separator).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    if ![a, b, c]
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|d| d.is_ascii_digit()))
    {
        return None;
    }
    let date = |y: &str, m: &str, d: &str| -> Option<Date> {
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
    };
    if a.len() == 4 {
        return date(a, b, c).map(DateReading::One);
    }
    if c.len() != 4 {
        return None;
    }
    let day_first = date(c, b, a);
    if separator != '/' {
        return day_first.map(DateReading::One);
    }
    match (day_first, date(c, a, b)) {
        (Some(d), Some(m)) if d != m => Some(DateReading::Either(d, m)),
        (Some(d), _) => Some(DateReading::One(d)),
        (None, Some(m)) => Some(DateReading::One(m)),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_written_other_ways_are_read_when_they_can_be() {
        let help = |text: &str| date_help(text).unwrap_or_default();
        for text in [
            "01.01.2027",
            "2027/01/01",
            "2027.1.1",
            "1-1-2027",
            "\"2027-01-01\"",
        ] {
            assert_eq!(
                help(text),
                "dates are written YYYY-MM-DD, unquoted: 2027-01-01",
                "{text}"
            );
        }
        assert_eq!(
            help("15/12/2026"),
            "dates are written YYYY-MM-DD, unquoted: 2026-12-15"
        );
        assert_eq!(
            help("12/15/2026"),
            "dates are written YYYY-MM-DD, unquoted: 2026-12-15"
        );
        assert_eq!(
            help("01/02/2027"),
            "dates are written YYYY-MM-DD, unquoted: 2027-02-01 (or 2027-01-02 if the month comes first)"
        );
        for not_a_date in ["1.5", "25%", "0.25", "31.02.2027", "a.b.c", "2027"] {
            assert_eq!(date_help(not_a_date), None, "{not_a_date}");
        }
    }

    #[test]
    fn any_offset_of_any_text_is_diagnosed_without_panicking() {
        let text = "title = \"Peñalara\"\n[term]\nid = \"a\"\n[term]\ndue = 1.1.2027 # ж\n";
        for at in 0..=text.len() + 1 {
            let _ = diagnose(text, at, "duplicate key");
        }
        let dates = diagnose(text, text.len() - 3, "invalid float").map(|d| d.help);
        assert_eq!(
            dates.as_deref(),
            Some("dates are written YYYY-MM-DD, unquoted: 2027-01-01")
        );
    }

    #[test]
    fn percents_become_the_number_the_field_takes() {
        assert_eq!(
            number_help(FieldType::Fraction, "25%").as_deref(),
            Some("a conversion is a fraction of the stage above: write 0.25 for 25 %")
        );
        assert_eq!(
            number_help(FieldType::Fraction, "7 %").as_deref(),
            Some("a conversion is a fraction of the stage above: write 0.07 for 7 %")
        );
        assert_eq!(
            number_help(FieldType::Number, "95%").as_deref(),
            Some(
                "write the number unquoted, without `%`: 95 (percent values are on the 0-100 scale)"
            )
        );
        assert_eq!(
            number_help(FieldType::Number, "95").as_deref(),
            Some("write the number unquoted: 95")
        );
        assert_eq!(number_help(FieldType::Number, "lots"), None);
    }
}
