//! One-line text: which characters it may not hold, and how output shows them escaped.
//!
//! Names, titles and other one-line values land in outputs whose structure is made of
//! lines: a terminal, a CI log (where a line starting with `::` is a command), a Markdown
//! list, a CODEOWNERS file. A line break or a control character inside them would let a
//! file's author change that structure, so the loader refuses them (SPEC 7.1) and every
//! message that quotes text from a file shows them escaped.

use std::borrow::Cow;

/// Whether one-line text may not hold `c`: every control character (C0 including tab,
/// line feed and carriage return, DEL, C1 including NEL), the Unicode line and paragraph
/// separators, and the bidirectional embeddings, overrides and isolates, which reorder how
/// the text around them is displayed (a review would read something else than what is
/// written). The marks that RTL scripts use (U+200E, U+200F, U+061C) stay allowed.
pub fn is_forbidden_in_line(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// [`is_forbidden_in_line`] as an ECMAScript regular expression, for the JSON Schemas.
pub const ONE_LINE_PATTERN: &str =
    "^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*$";

/// The first character one-line text may not hold, if any.
pub fn first_forbidden(text: &str) -> Option<char> {
    text.chars().find(|&c| is_forbidden_in_line(c))
}

/// `text` with every character [`is_forbidden_in_line`] written as its escape (`\n`,
/// `\t`, `\u{1b}`), so it stays on one line and shows what was there.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if first_forbidden(text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_forbidden_in_line(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// What kind of forbidden character `c` is, as a message names it: `line break`,
/// `tab`, `bidirectional control` or `control character`.
pub fn kind(c: char) -> &'static str {
    match c {
        '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => "line break",
        '\t' => "tab",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "bidirectional control",
        _ => "control character",
    }
}

/// The first sentence of a Markdown text as one line of plain text, at most `max` characters
/// (cut at a word and ended with `…` when longer): how a term without a title is named
/// wherever a line has room for a name but not for the whole commitment.
pub fn first_sentence(markdown: &str, max: usize) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut plain = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => plain.push_str(&text),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            // The first block is the sentence's home; a heading or list after it is not.
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
                if !plain.trim().is_empty() =>
            {
                break;
            }
            _ => {}
        }
    }
    let plain = escape_controls(
        plain
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
    )
    .into_owned();
    // A sentence ends at `.`, `!` or `?` followed by a space (so `3.5` and `e.g.x` stay).
    let end = plain
        .char_indices()
        .zip(plain.chars().skip(1))
        .find(|((_, c), next)| matches!(c, '.' | '!' | '?') && *next == ' ')
        .map_or(plain.len(), |((i, c), _)| i + c.len_utf8());
    let sentence = plain[..end].trim_end_matches('.');
    if sentence.chars().count() <= max {
        return sentence.to_owned();
    }
    // The first `max` characters: a space among them is where a word ends, leaving room
    // for the ellipsis; a single long word is cut one character short of `max`.
    let head: String = sentence.chars().take(max).collect();
    let cut = match head.rfind(' ') {
        Some(space) => head[..space].to_owned(),
        None => head.chars().take(max.saturating_sub(1)).collect(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sentence_is_plain_text_on_one_line() {
        let commitment = "Marketing creates at least **180 new leads a month** from its\nchannels. Each one is routed at once.";
        assert_eq!(
            first_sentence(commitment, 80),
            "Marketing creates at least 180 new leads a month from its channels"
        );
        assert_eq!(
            first_sentence("Reply within 3.5 hours!\n\nMore.", 80),
            "Reply within 3.5 hours!"
        );
        assert_eq!(first_sentence("# Heading\n\nBody.", 80), "Heading");
        assert_eq!(
            first_sentence(
                "Every lead reaches sales with name, email, phone and role",
                30
            ),
            "Every lead reaches sales with…"
        );
        assert_eq!(
            first_sentence("Ends `\u{1b}` here.", 80),
            "Ends \\u{1b} here"
        );
        // The mark that ends a sentence inside a paragraph stays.
        assert_eq!(
            first_sentence("Call them now! Then log it.", 80),
            "Call them now!"
        );
        // A first block without text (an empty heading) is no sentence: the next one is.
        assert_eq!(
            first_sentence("#\n\nSecond block. More.", 80),
            "Second block"
        );
    }

    #[test]
    fn each_forbidden_character_is_named_for_what_it_is() {
        for (c, kind_of) in [
            ('\n', "line break"),
            ('\r', "line break"),
            ('\u{85}', "line break"),
            ('\u{2028}', "line break"),
            ('\u{2029}', "line break"),
            ('\t', "tab"),
            ('\u{202E}', "bidirectional control"),
            ('\u{2066}', "bidirectional control"),
            ('\u{1b}', "control character"),
            ('\u{7f}', "control character"),
        ] {
            assert_eq!(kind(c), kind_of, "{c:?}");
        }
    }

    #[test]
    fn line_breaks_controls_and_bidi_overrides_are_forbidden() {
        for c in [
            '\n', '\r', '\t', '\0', '\u{1b}', '\u{7f}', '\u{85}', '\u{2028}', '\u{202e}',
            '\u{2066}',
        ] {
            assert!(is_forbidden_in_line(c), "{c:?}");
        }
        for c in ['a', 'ñ', 'Ł', 'ж', ' ', '\u{200f}', '\u{a0}', '😀'] {
            assert!(!is_forbidden_in_line(c), "{c:?}");
        }
    }

    #[test]
    fn escaping_keeps_text_on_one_line() {
        assert_eq!(escape_controls("Ana García"), "Ana García");
        assert_eq!(
            escape_controls("x\n::add-mask::y\t\u{1b}[31m"),
            "x\\n::add-mask::y\\t\\u{1b}[31m"
        );
    }
}
