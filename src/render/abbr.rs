//! The abbreviations a newcomer trips over (MQL, SLA) explained where a name holds them:
//! the `explain` template filter escapes a text and wraps each such word in
//! `<abbr title>`, with the explanation in the site's language.

use super::escape_html;

/// The abbreviations explained, longest first so `MQLs` is one word, with the label key
/// of their explanation.
const ABBREVIATIONS: [(&str, &str); 4] = [
    ("MQLs", "means_mql"),
    ("MQL", "means_mql"),
    ("SLAs", "means_sla"),
    ("SLA", "means_sla"),
];

/// Explanations of each abbreviation, looked up once from the labels.
#[derive(Clone)]
pub struct Glossary {
    entries: Vec<(&'static str, String)>,
}

impl Glossary {
    pub fn new(label: impl Fn(&str) -> String) -> Glossary {
        Glossary {
            entries: ABBREVIATIONS
                .iter()
                .map(|(word, key)| (*word, escape_html(&label(key))))
                .collect(),
        }
    }

    /// `text`, escaped, with every abbreviation that stands as a word (not inside a
    /// longer one, as `SLAM`) in `<abbr title>`.
    pub fn explain(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        let mut after_word_char = false;
        while let Some(c) = rest.chars().next() {
            let found = (!after_word_char)
                .then(|| {
                    self.entries.iter().find(|(word, _)| {
                        rest.strip_prefix(word).is_some_and(|tail| {
                            !tail.chars().next().is_some_and(char::is_alphanumeric)
                        })
                    })
                })
                .flatten();
            match found {
                Some((word, title)) => {
                    out.push_str(&format!("<abbr title=\"{title}\">{word}</abbr>"));
                    rest = &rest[word.len()..];
                    after_word_char = true;
                }
                None => {
                    out.push_str(&escape_html(&rest[..c.len_utf8()]));
                    rest = &rest[c.len_utf8()..];
                    after_word_char = c.is_alphanumeric();
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::new(|key| format!("<{key}>"))
    }

    #[test]
    fn abbreviations_that_stand_as_words_are_explained() {
        assert_eq!(
            glossary().explain("MQLs delivered under the SLA"),
            "<abbr title=\"&lt;means_mql&gt;\">MQLs</abbr> delivered under the <abbr title=\"&lt;means_sla&gt;\">SLA</abbr>"
        );
        assert_eq!(
            glossary().explain("Marketing-Sales SLA 2026"),
            "Marketing-Sales <abbr title=\"&lt;means_sla&gt;\">SLA</abbr> 2026"
        );
    }

    #[test]
    fn the_rest_is_escaped_and_longer_words_are_left_alone() {
        assert_eq!(
            glossary().explain("SLAM <b>MQLx</b> ÉSLA"),
            "SLAM &lt;b&gt;MQLx&lt;/b&gt; ÉSLA"
        );
        assert_eq!(glossary().explain(""), "");
    }
}
