//! The search index: every entity and doc of the site as `search.html` looks it up,
//! written as `search-index.js`.
//!
//! A script file that assigns a global, not JSON fetched at run time: a page opened from
//! `file://` may load a script beside it but not fetch a file (SPEC 7.8). The index keeps
//! each entry's title and text twice: as written, for the results to show, and folded
//! ([`fold`]), for the query (folded the same way in the browser) to match against. Long
//! texts are cut to their first [`TEXT_CHARS`] characters: the index stays small at
//! 10,000 pages, and a page's opening words are the ones a reader recognises it by.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::markdown::to_plain_text;
use super::views::doc_href;
use crate::model::Org;

/// How much of an entry's text the index keeps, in characters.
pub const TEXT_CHARS: usize = 300;

/// The global `search-index.js` assigns and the search script reads.
const GLOBAL: &str = "accordSearch";

/// Letters that folding maps by this table, not by Unicode decomposition: those with no
/// decomposition to a base letter (Ł, ø, đ, ß...), the Greek final sigma, and й, which
/// decomposes to и with a breve but is a letter of its own in Russian (мой is not мои).
/// Keys are lower case. The browser folds the query with the same table, which the index
/// carries ([`Index::letters`]).
const LETTERS: &[(char, &str)] = &[
    ('ł', "l"),
    ('ø', "o"),
    ('đ', "d"),
    ('ð', "d"),
    ('ħ', "h"),
    ('ŧ', "t"),
    ('ı', "i"),
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('þ', "th"),
    ('ς', "σ"),
    ('й', "й"),
];

/// Text as search compares it: each character lower-cased, then mapped by [`LETTERS`] or
/// decomposed (NFD) with its combining marks dropped. So `Peñalara` is `penalara`,
/// `Łucja` is `lucja`, `ЁЛКА` is `елка`. Character by character, so that the browser can
/// tell which characters of the shown text a match in the folded text covers.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        for lower in c.to_lowercase() {
            match LETTERS.iter().find(|(letter, _)| *letter == lower) {
                Some((_, to)) => folded.push_str(to),
                None => folded.extend(
                    std::iter::once(lower)
                        .nfd()
                        .filter(|&part| !is_combining_mark(part)),
                ),
            }
        }
    }
    folded
}

/// What `search-index.js` holds.
#[derive(Serialize)]
struct Index {
    /// The name of each kind of entry, in the site's language; an entry names its kind
    /// by position.
    kinds: Vec<String>,
    /// [`LETTERS`], for the browser to fold the query as the index was folded.
    letters: std::collections::BTreeMap<String, &'static str>,
    /// `[kind, href from the site root, title, text, folded title, folded text]`: arrays
    /// rather than objects, the keys would be a good part of the file.
    entries: Vec<(usize, String, String, String, String, String)>,
}

/// The kinds of entries, in the order results of equal rank are listed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Agreement,
    Term,
    Kpi,
    Persona,
    Team,
    Person,
    Meeting,
    Doc,
}

impl Kind {
    /// Every kind, in the order of the variants (an entry names its kind by position).
    const ALL: [Kind; 8] = [
        Kind::Agreement,
        Kind::Term,
        Kind::Kpi,
        Kind::Persona,
        Kind::Team,
        Kind::Person,
        Kind::Meeting,
        Kind::Doc,
    ];

    /// The key of the label that names the kind.
    fn label(self) -> &'static str {
        match self {
            Kind::Agreement => "agreement",
            Kind::Term => "term",
            Kind::Kpi => "kpi",
            Kind::Persona => "persona",
            Kind::Team => "team",
            Kind::Person => "person",
            Kind::Meeting => "meeting",
            Kind::Doc => "search_doc",
        }
    }
}

/// One entity or doc as the index lists it.
struct Entry {
    kind: Kind,
    href: String,
    title: String,
    /// Plain text, on one line, no markup.
    text: String,
}

/// Every entity and doc of `org`, once each: agreements and each of their terms (which
/// link to the term on the agreement's page), KPIs, personas, teams, people, meetings
/// and docs. Each with the plain text of what its page says about it in words.
fn entries(org: &Org) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut add = |kind, href: String, title: &str, parts: &[&str]| {
        let text = parts
            .iter()
            .map(|part| part.trim())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        entries.push(Entry {
            kind,
            href,
            title: title.to_owned(),
            text,
        });
    };
    let plain = |markdown: &Option<String>| markdown.as_deref().map(to_plain_text);
    for agreement in org.agreements.values() {
        let summary = plain(&agreement.summary).unwrap_or_default();
        add(
            Kind::Agreement,
            format!("agreements/{}.html", agreement.id),
            &agreement.title,
            &[&summary],
        );
        for term in &agreement.terms {
            let escalation = plain(&term.escalation).unwrap_or_default();
            add(
                Kind::Term,
                format!("agreements/{}.html#term-{}", agreement.id, term.id.value),
                &term.name(),
                &[&to_plain_text(&term.commitment), &escalation],
            );
        }
    }
    for kpi in org.kpis.values() {
        let shares: Vec<&str> = kpi.shares.iter().map(|s| s.does.as_str()).collect();
        add(
            Kind::Kpi,
            format!("kpis/{}.html", kpi.id),
            &kpi.name,
            &[
                &to_plain_text(&kpi.definition),
                kpi.source.as_deref().unwrap_or_default(),
                &shares.join(" · "),
            ],
        );
    }
    for persona in org.personas.values() {
        let summary = plain(&persona.summary).unwrap_or_default();
        add(
            Kind::Persona,
            format!("personas/{}.html", persona.id),
            &persona.name,
            &[
                &summary,
                &persona.qualification.join(" · "),
                &persona.pains.join(" · "),
                &persona.goals.join(" · "),
            ],
        );
    }
    for team in org.teams.values() {
        let description = plain(&team.description).unwrap_or_default();
        add(
            Kind::Team,
            format!("teams/{}.html", team.id),
            &team.name,
            &[&description],
        );
    }
    for person in org.people.values() {
        add(
            Kind::Person,
            format!("people/{}.html", person.id),
            &person.name,
            &[person.title.as_deref().unwrap_or_default()],
        );
    }
    for meeting in org.meetings.values() {
        let actions: Vec<&str> = meeting.actions.iter().map(|a| a.what.as_str()).collect();
        add(
            Kind::Meeting,
            format!("meetings/{}.html", meeting.id),
            &meeting.name,
            &[&meeting.agenda.join(" · "), &actions.join(" · ")],
        );
    }
    for doc in &org.docs {
        // A page's title is mostly its first heading: the text goes on after it.
        let body = to_plain_text(&doc.body);
        let body = body.strip_prefix(doc.title.as_str()).unwrap_or(&body);
        add(Kind::Doc, doc_href(&doc.path), &doc.title, &[body]);
    }
    entries
}

/// The first [`TEXT_CHARS`] characters of `text`, cut after a whole word and ended
/// with `…` when there was more.
fn opening(text: &str) -> String {
    match text.char_indices().nth(TEXT_CHARS) {
        None => text.to_owned(),
        Some((end, _)) => {
            let head = &text[..end];
            let cut = head.rfind(' ').unwrap_or(end);
            format!("{}…", head[..cut].trim_end())
        }
    }
}

/// `search-index.js`: one statement that assigns the index of `org` to
/// `window.accordSearch`, kinds named by `label` (the site's labels).
pub fn index_js(org: &Org, label: impl Fn(&str) -> String) -> Result<Vec<u8>, serde_json::Error> {
    let index = Index {
        kinds: Kind::ALL.iter().map(|kind| label(kind.label())).collect(),
        letters: LETTERS
            .iter()
            .map(|(letter, to)| (letter.to_string(), *to))
            .collect(),
        entries: entries(org)
            .into_iter()
            .map(|entry| {
                let text = opening(&entry.text);
                let (folded_title, folded_text) = (fold(&entry.title), fold(&text));
                let kind = entry.kind as usize;
                (
                    kind,
                    entry.href,
                    entry.title,
                    text,
                    folded_title,
                    folded_text,
                )
            })
            .collect(),
    };
    let mut js = format!("window.{GLOBAL} = ").into_bytes();
    serde_json::to_writer(&mut js, &index)?;
    js.extend_from_slice(b";\n");
    Ok(js)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents_in_latin_and_cyrillic() {
        assert_eq!(fold("Peñalara"), "penalara");
        assert_eq!(fold("Łucja Żurawska"), "lucja zurawska");
        assert_eq!(fold("ЁЛКА"), "елка");
        assert_eq!(fold("Лид"), "лид");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Ørsted Đorđe ÆSIR"), "orsted dorde aesir");
        assert_eq!(fold("Íñigo Muñoz Echeverría"), "inigo munoz echeverria");
        // A letter of its own in Russian, not и with a mark.
        assert_eq!(fold("Мой"), "мой");
    }

    #[test]
    fn entries_name_their_kind_by_its_position() {
        for (position, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, position, "{kind:?}");
        }
    }

    #[test]
    fn long_texts_are_cut_after_a_word() {
        let long = "word ".repeat(100);
        let cut = opening(long.trim());
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= TEXT_CHARS + 1);
        assert_eq!(opening("short text"), "short text");
    }
}
