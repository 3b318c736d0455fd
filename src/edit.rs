//! Edits of agreement files that keep every byte they do not mean to change.
//!
//! `accord sign` and `accord renew` change a few values of a file people wrote by hand,
//! with comments, blank lines and their own key order. A TOML document model that
//! re-serialises the file would normalise some of that (toml_edit turns CRLF into LF and
//! adds a final newline), so the edits here are splices: toml_edit parses the text and
//! reports the byte span of every value, and only those spans (or a point where a block
//! is inserted) change. Everything outside them is copied through untouched.

use std::fs;
use std::io::{self, Write as _};
use std::ops::Range;
use std::path::Path;

use jiff::civil::Date;
use toml_edit::{ArrayOfTables, Document, InlineTable, Item, Table, Value};

/// Why a file could not be edited.
#[derive(Debug, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A signature to write: the ids are valid ids (checked against the org), so they need
/// no escaping inside quotes.
#[derive(Clone, Copy, Debug)]
pub struct NewSignature<'a> {
    pub party: &'a str,
    pub by: &'a str,
    pub date: Date,
}

/// What [`sign`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Signed {
    /// A new signature was inserted at this byte range of the result.
    Added(Range<usize>),
    /// The party's signature was rewritten in place.
    Replaced,
}

/// `text` with `signature` as its party's only signature: the party's existing signature
/// gets the new `by` and `date` in place, or a new one is added after the last signature
/// (at the end of the file when there is none), in the file's style: `[[signature]]`
/// tables, or one more inline table in a `signature = [...]` array. A party with two
/// signatures is refused: which one to keep is for a person to decide.
pub fn sign(text: &str, signature: NewSignature) -> Result<(String, Signed), EditError> {
    let doc = parse(text)?;
    let nl = newline(text);
    let fields = |sep: &str| {
        format!(
            "party = {}{sep}by = {}{sep}date = {}",
            quoted(signature.party),
            quoted(signature.by),
            signature.date
        )
    };
    let mut edits = Splices::default();
    match doc.get("signature") {
        None => {
            let block = format!("[[signature]]{nl}{}{nl}", fields(nl));
            edits.insert(
                text.len(),
                format!("{}{block}", blank_line_before_end(text, nl)),
            );
        }
        Some(Item::ArrayOfTables(tables)) => {
            let matching: Vec<&Table> = tables
                .iter()
                .filter(|t| t.get("party").and_then(Item::as_str) == Some(signature.party))
                .collect();
            match matching.as_slice() {
                [] => {
                    let end = tables
                        .iter()
                        .filter_map(table_end)
                        .max()
                        .unwrap_or(text.len());
                    let at = line_end(text, end);
                    let block = format!(
                        "{}{nl}[[signature]]{nl}{}{nl}",
                        if at == text.len() && !ends_with_newline(text) {
                            nl
                        } else {
                            ""
                        },
                        fields(nl)
                    );
                    edits.insert(at, block);
                }
                [table] => {
                    edits.replace(value_span(table.get("by"))?, quoted(signature.by));
                    edits.replace(value_span(table.get("date"))?, signature.date.to_string());
                }
                _ => return Err(two_signatures(signature.party)),
            }
        }
        Some(Item::Value(Value::Array(array))) => {
            let tables: Vec<&InlineTable> =
                array.iter().filter_map(Value::as_inline_table).collect();
            let matching: Vec<&&InlineTable> = tables
                .iter()
                .filter(|t| t.get("party").and_then(Value::as_str) == Some(signature.party))
                .collect();
            match matching.as_slice() {
                [] => {
                    let inline = format!("{{ {} }}", fields(", "));
                    match array.iter().last() {
                        Some(last) => edits.insert(span(last.span())?.end, format!(", {inline}")),
                        None => edits.insert(span(array.span())?.start + 1, inline),
                    }
                }
                [table] => {
                    edits.replace(
                        span(table.get("by").and_then(Value::span))?,
                        quoted(signature.by),
                    );
                    edits.replace(
                        span(table.get("date").and_then(Value::span))?,
                        signature.date.to_string(),
                    );
                }
                _ => return Err(two_signatures(signature.party)),
            }
        }
        Some(_) => {
            return Err(EditError(
                "`signature` is neither [[signature]] tables nor an array of tables".into(),
            ));
        }
    }
    let added = edits.inserted_range();
    let result = edits.apply(text);
    Ok((
        result,
        match added {
            Some(range) => Signed::Added(range),
            None => Signed::Replaced,
        },
    ))
}

/// What a renewal changes in the old agreement's text.
#[derive(Clone, Copy, Debug)]
pub struct Renewal<'a> {
    /// The id of the agreement renewed: the new one's `supersedes`.
    pub supersedes: &'a str,
    pub effective: Date,
    pub expires: Date,
    /// (old, new): a year to replace in the title, when it contains it.
    pub title_year: Option<(i16, i16)>,
}

/// The text of a renewal of the agreement written in `text`: the same file with new
/// dates, the title's year replaced, `supersedes` set, and every signature removed (a
/// `[[signature]]` table with the blank lines before it, a `signature = [...]` line);
/// comments, terms and layout stay as they were.
pub fn renew(text: &str, renewal: Renewal) -> Result<String, EditError> {
    let doc = parse(text)?;
    let nl = newline(text);
    let mut edits = Splices::default();
    edits.replace(
        value_span(doc.get("effective"))?,
        renewal.effective.to_string(),
    );
    let expires = value_span(doc.get("expires"))?;
    edits.replace(expires.clone(), renewal.expires.to_string());
    if let (Some((old, new)), Ok(title)) = (renewal.title_year, value_span(doc.get("title"))) {
        let raw = &text[title.clone()];
        let renamed = replace_year(raw, old, new);
        if renamed != raw {
            edits.replace(title, renamed);
        }
    }
    match doc.get("supersedes") {
        Some(item) => edits.replace(value_span(Some(item))?, quoted(renewal.supersedes)),
        None => {
            let at = line_end(text, expires.end);
            let line = format!("supersedes = {}", quoted(renewal.supersedes));
            edits.insert(
                at,
                if at == text.len() && !ends_with_newline(text) {
                    format!("{nl}{line}")
                } else {
                    format!("{line}{nl}")
                },
            );
        }
    }
    match doc.get("signature") {
        None => {}
        Some(Item::ArrayOfTables(tables)) => {
            for range in table_extents(text, tables)? {
                edits.replace(range, String::new());
            }
        }
        Some(Item::Value(value)) => {
            let (key, _) = doc
                .get_key_value("signature")
                .ok_or_else(|| EditError("`signature` has no key".into()))?;
            let start = line_start(text, span(key.span())?.start);
            edits.replace(
                start..line_end(text, span(value.span())?.end),
                String::new(),
            );
        }
        Some(_) => {
            return Err(EditError("`signature` is not an array of tables".into()));
        }
    }
    Ok(edits.apply(text))
}

/// `path` holding `text`, written so that no reader ever sees it half-written: into a
/// hidden file beside it, flushed to disk, then renamed over it (or, with `replace`
/// false, linked into place, which fails when `path` exists). The permissions of a
/// replaced file are kept; a replaced link is followed, so its target is what changes
/// and the link stays a link.
pub fn write_atomically(path: &Path, text: &str, replace: bool) -> io::Result<()> {
    let resolved;
    let path = if replace {
        resolved = fs::canonicalize(path)?;
        resolved.as_path()
    } else {
        path
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".accord-edit-{}", std::process::id()));
    let temp = dir.join(temp_name);
    let written = (|| {
        // A new file or nothing: a link planted at the temporary name is never followed.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        if replace {
            file.set_permissions(fs::metadata(path)?.permissions())?;
        }
        file.sync_all()?;
        if replace {
            fs::rename(&temp, path)
        } else {
            fs::hard_link(&temp, path).and_then(|()| fs::remove_file(&temp))
        }
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// `text` with every whole-number `old` replaced by `new` (`2026` in "SLA 2026", not in
/// "20261").
pub fn replace_year(text: &str, old: i16, new: i16) -> String {
    let old = old.to_string();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&old) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + old.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(|c| c.is_ascii_digit()) || after.is_some_and(|c| c.is_ascii_digit()) {
            out.push_str(&old);
        } else {
            out.push_str(&new.to_string());
        }
        rest = &rest[at + old.len()..];
    }
    out.push_str(rest);
    out
}

fn parse(text: &str) -> Result<Document<&str>, EditError> {
    Document::parse(text).map_err(|e| EditError(format!("not valid TOML: {e}")))
}

fn two_signatures(party: &str) -> EditError {
    EditError(format!(
        "`{party}` has more than one signature: remove all but one, then sign"
    ))
}

fn quoted(id: &str) -> String {
    format!("\"{id}\"")
}

fn span(span: Option<Range<usize>>) -> Result<Range<usize>, EditError> {
    span.ok_or_else(|| EditError("a value has no position".into()))
}

fn value_span(item: Option<&Item>) -> Result<Range<usize>, EditError> {
    span(item.and_then(Item::span))
}

/// The end of the last value of a `[[table]]` (its header when it has none).
fn table_end(table: &Table) -> Option<usize> {
    table
        .iter()
        .filter_map(|(_, item)| item.span())
        .map(|s| s.end)
        .max()
        .or_else(|| table.span().map(|s| s.end))
}

/// The byte ranges of the `[[signature]]` tables: from the blank lines before each
/// header to the end of the line of its last value. Comments above a header stay.
fn table_extents(text: &str, tables: &ArrayOfTables) -> Result<Vec<Range<usize>>, EditError> {
    tables
        .iter()
        .map(|table| {
            let header = span(table.span())?;
            let end = line_end(text, table_end(table).unwrap_or(header.end));
            Ok(blank_lines_start(text, line_start(text, header.start))..end)
        })
        .collect()
}

/// The start of the line holding `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Just past the newline ending the line that holds `at` (the end of the text on the
/// last line).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The start of the run of blank lines that ends at line start `at`.
fn blank_lines_start(text: &str, at: usize) -> usize {
    let mut start = at;
    while start > 0 {
        let previous = line_start(text, start - 1);
        if !text[previous..start].trim().is_empty() {
            break;
        }
        start = previous;
    }
    start
}

fn ends_with_newline(text: &str) -> bool {
    text.ends_with('\n')
}

/// What to write before a block appended to `text` so that one blank line separates it
/// from what is above (none at the start of an empty file).
fn blank_line_before_end(text: &str, nl: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    let ending = if ends_with_newline(text) { "" } else { nl };
    let last_line_start = line_start(text, text.trim_end_matches(['\r', '\n']).len());
    let blank = text[last_line_start..].matches('\n').count() >= 2;
    format!("{ending}{}", if blank { "" } else { nl })
}

/// The file's line ending: CRLF when its first line ends so, else LF.
fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// Byte-range replacements of one text, applied together.
#[derive(Default)]
struct Splices {
    edits: Vec<(Range<usize>, String)>,
}

impl Splices {
    fn replace(&mut self, range: Range<usize>, text: String) {
        self.edits.push((range, text));
    }

    fn insert(&mut self, at: usize, text: String) {
        self.edits.push((at..at, text));
    }

    /// Where the one insertion ends up in the result, when there is one.
    fn inserted_range(&self) -> Option<Range<usize>> {
        let (at, text) = self
            .edits
            .iter()
            .find(|(range, _)| range.is_empty())
            .map(|(range, text)| (range.start, text))?;
        let shift: isize = self
            .edits
            .iter()
            .filter(|(range, _)| range.end <= at && !range.is_empty())
            .map(|(range, new)| new.len() as isize - range.len() as isize)
            .sum();
        let start = at.checked_add_signed(shift)?;
        Some(start..start + text.len())
    }

    fn apply(mut self, text: &str) -> String {
        self.edits
            .sort_by_key(|(range, _)| (range.start, range.end));
        let mut out = String::with_capacity(text.len() + 256);
        let mut copied = 0;
        for (range, new) in self.edits {
            // Spans come from one parse and never overlap; a stray one is skipped rather
            // than corrupting the text.
            if range.start < copied {
                continue;
            }
            out.push_str(&text[copied..range.start]);
            out.push_str(&new);
            copied = range.end;
        }
        out.push_str(&text[copied..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const SIGNED: NewSignature = NewSignature {
        party: "sales",
        by: "bruno",
        date: date(2026, 6, 15),
    };

    /// `after` is `before` with `range` inserted: every other byte is the same.
    fn only_inserted(before: &str, after: &str, range: Range<usize>) {
        let mut without = after[..range.start].to_owned();
        without.push_str(&after[range.end..]);
        assert_eq!(without, before, "\ninserted: {:?}", &after[range]);
    }

    fn added(before: &str) -> String {
        let (after, signed) = sign(before, SIGNED).unwrap();
        let Signed::Added(range) = signed else {
            panic!("replaced instead of added: {after}");
        };
        only_inserted(before, &after, range);
        let doc = Document::parse(after.as_str()).unwrap();
        let count = match doc.get("signature").unwrap() {
            Item::ArrayOfTables(t) => t.len(),
            Item::Value(Value::Array(a)) => a.len(),
            other => panic!("{other:?}"),
        };
        assert!(count >= 1);
        after
    }

    #[test]
    fn adds_after_the_last_signature_in_the_files_style() {
        let text = "title = \"x\" # t\n\n[[term]]\nid = \"a\"\n\n# marketing\n[[signature]]\nparty = \"marketing\" # who\nby = \"ana\"\ndate = 2025-12-15 # when\n\n# the end\n";
        assert_eq!(
            added(text),
            "title = \"x\" # t\n\n[[term]]\nid = \"a\"\n\n# marketing\n[[signature]]\nparty = \"marketing\" # who\nby = \"ana\"\ndate = 2025-12-15 # when\n\n[[signature]]\nparty = \"sales\"\nby = \"bruno\"\ndate = 2026-06-15\n\n# the end\n"
        );
    }

    #[test]
    fn keeps_crlf_and_a_missing_final_newline() {
        let text = "title = \"x\"\r\n\r\n[[term]]\r\nid = \"a\"\r\n\r\n[[signature]]\r\nparty = \"marketing\"\r\nby = \"ana\"\r\ndate = 2025-12-15";
        let after = added(text);
        assert!(after.ends_with("\r\n\r\n[[signature]]\r\nparty = \"sales\"\r\nby = \"bruno\"\r\ndate = 2026-06-15\r\n"), "{after:?}");
        assert!(!after.replace("\r\n", "").contains('\n'), "{after:?}");
        let without = added("title = \"x\"\n[[term]]\nid = \"a\"");
        assert!(without.ends_with("id = \"a\"\n\n[[signature]]\nparty = \"sales\"\nby = \"bruno\"\ndate = 2026-06-15\n"), "{without:?}");
    }

    #[test]
    fn adds_to_an_inline_array() {
        assert_eq!(
            added(
                "signature = [\n  { party = \"marketing\", by = \"ana\", date = 2025-12-15 }, # m\n]\n"
            ),
            "signature = [\n  { party = \"marketing\", by = \"ana\", date = 2025-12-15 }, { party = \"sales\", by = \"bruno\", date = 2026-06-15 }, # m\n]\n"
        );
        assert_eq!(
            added("signature = [ ]\n"),
            "signature = [{ party = \"sales\", by = \"bruno\", date = 2026-06-15 } ]\n"
        );
    }

    #[test]
    fn replaces_the_partys_signature_in_place() {
        let text = "[[signature]] # s\nparty = 'sales'\nby   =   \"elena\"   # who\ndate = 2025-01-01\n\n[[signature]]\nparty = \"marketing\"\nby = \"ana\"\ndate = 2025-12-15\n";
        let (after, signed) = sign(text, SIGNED).unwrap();
        assert_eq!(signed, Signed::Replaced);
        assert_eq!(
            after,
            text.replace("\"elena\"", "\"bruno\"")
                .replace("2025-01-01", "2026-06-15")
        );
        let inline = "signature = [{ party = \"sales\", by = \"elena\", date = 2025-01-01 }]\n";
        assert_eq!(
            sign(inline, SIGNED).unwrap().0,
            inline
                .replace("\"elena\"", "\"bruno\"")
                .replace("2025-01-01", "2026-06-15")
        );
    }

    #[test]
    fn refuses_a_party_with_two_signatures() {
        let text = "[[signature]]\nparty = \"sales\"\nby = \"a\"\ndate = 2025-01-01\n[[signature]]\nparty = \"sales\"\nby = \"b\"\ndate = 2025-01-02\n";
        assert!(sign(text, SIGNED).is_err());
    }

    #[test]
    fn renew_sets_dates_title_and_supersedes_and_drops_signatures() {
        let text = "title = \"SLA 2026 (v20261)\"\neffective = 2026-01-01\nexpires = 2026-12-31 # a year\nreview = \"monthly\"\n\n[[term]]\nid = \"a\" # the term\n\n# signatures below\n\n[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2025-12-15\n\n[[signature]]\nparty = \"s\"\nby = \"bruno\"\ndate = 2025-12-16\n";
        let renewed = renew(
            text,
            Renewal {
                supersedes: "sla-2026",
                effective: date(2027, 1, 1),
                expires: date(2027, 12, 31),
                title_year: Some((2026, 2027)),
            },
        )
        .unwrap();
        assert_eq!(
            renewed,
            "title = \"SLA 2027 (v20261)\"\neffective = 2027-01-01\nexpires = 2027-12-31 # a year\nsupersedes = \"sla-2026\"\nreview = \"monthly\"\n\n[[term]]\nid = \"a\" # the term\n\n# signatures below\n"
        );
    }

    #[test]
    fn renew_replaces_an_earlier_supersedes_and_an_inline_signature_array() {
        let text = "title = \"T\"\neffective = 2026-01-01\r\nexpires = 2026-12-31\r\nsupersedes = \"old\"\r\nsignature = [\r\n { party = \"m\", by = \"a\", date = 2025-01-01 },\r\n]\r\nterm = [{ id = \"x\" }]";
        let renewed = renew(
            text,
            Renewal {
                supersedes: "new",
                effective: date(2027, 1, 1),
                expires: date(2027, 12, 31),
                title_year: Some((2026, 2027)),
            },
        )
        .unwrap();
        assert_eq!(
            renewed,
            "title = \"T\"\neffective = 2027-01-01\r\nexpires = 2027-12-31\r\nsupersedes = \"new\"\r\nterm = [{ id = \"x\" }]"
        );
    }

    /// An agreement-like file in one of many layouts: LF or CRLF, with or without a final
    /// newline, comments and blank lines between signatures, `[[signature]]` tables or an
    /// inline array, loose spacing. Party `i` (when present) signed as `old-i` in 200i.
    fn layout() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let parties = proptest::collection::vec(any::<bool>(), 3);
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            parties,
            proptest::collection::vec(0..4usize, 4),
        )
            .prop_map(|(crlf, final_newline, inline, present, filler)| {
                let fill = |i: usize| ["", "\n", "# note\n", "\n# a comment\n\n"][filler[i]];
                let mut text = format!("title = \"SLA\"   # t\n{}[[term]]\nid = \"a\"\n", fill(3));
                let signed: Vec<usize> = (0..3).filter(|i| present[*i]).collect();
                if inline {
                    let items: Vec<String> = signed
                        .iter()
                        .map(|i| format!("{{party='p{i}',by = \"old-{i}\", date=200{i}-01-01}}"))
                        .collect();
                    let close = match filler[1] {
                        _ if items.is_empty() => "",
                        0 => ",",
                        1 => ",\n",
                        2 => " # c\n",
                        _ => "",
                    };
                    text = format!("signature = [{}{close}] # s\n{text}", items.join(",\n  "));
                } else {
                    for i in signed {
                        text += fill(i);
                        text += &format!("[[signature]]\nparty = \"p{i}\"\nby  =  \"old-{i}\" # by\ndate = 200{i}-01-01\n");
                    }
                }
                text += fill(0);
                if !final_newline {
                    text = text.trim_end_matches('\n').to_owned();
                }
                if crlf {
                    text = text.replace('\n', "\r\n");
                }
                text
            })
    }

    proptest::proptest! {
        #[test]
        fn signing_changes_nothing_but_the_signature(text in layout(), party in 0..3usize) {
            let party_id = format!("p{party}");
            let signature = NewSignature { party: &party_id, by: "bruno", date: date(2026, 6, 15) };
            let (after, signed) = sign(&text, signature).unwrap();
            match signed {
                Signed::Replaced => proptest::prop_assert_eq!(
                    &after,
                    &text
                        .replace(&format!("\"old-{party}\""), "\"bruno\"")
                        .replace(&format!("200{party}-01-01"), "2026-06-15")
                ),
                Signed::Added(range) => {
                    let old = format!("old-{party}");
                    proptest::prop_assert!(!text.contains(&old));
                    only_inserted(&text, &after, range);
                }
            }
            let crlf = text.contains("\r\n");
            proptest::prop_assert!(!crlf || !after.replace("\r\n", "").contains('\n'), "{:?}", after);
            let doc = Document::parse(after.as_str()).unwrap();
            let count = match doc.get("signature").unwrap() {
                Item::ArrayOfTables(t) => t
                    .iter()
                    .filter(|t| t.get("party").and_then(Item::as_str) == Some(party_id.as_str())
                        && t.get("by").and_then(Item::as_str) == Some("bruno"))
                    .count(),
                Item::Value(Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_inline_table)
                    .filter(|t| t.get("party").and_then(Value::as_str) == Some(party_id.as_str())
                        && t.get("by").and_then(Value::as_str) == Some("bruno"))
                    .count(),
                other => panic!("{other:?}"),
            };
            proptest::prop_assert_eq!(count, 1);
        }
    }

    #[test]
    fn a_byte_order_mark_stays() {
        let text = "\u{feff}title = \"x\"\n[[term]]\nid = \"a\"\n";
        let after = added(text);
        assert!(after.starts_with("\u{feff}title"), "{after:?}");
    }

    #[cfg(unix)]
    #[test]
    fn writing_through_a_link_keeps_the_link() {
        let temp = tempfile::Builder::new()
            .prefix("accord-edit-link-")
            .tempdir()
            .unwrap();
        let dir = temp.path();
        fs::write(dir.join("real.toml"), "old").unwrap();
        std::os::unix::fs::symlink("real.toml", dir.join("link.toml")).unwrap();
        write_atomically(&dir.join("link.toml"), "new", true).unwrap();
        assert!(
            fs::symlink_metadata(dir.join("link.toml"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(dir.join("real.toml")).unwrap(), "new");
        assert!(write_atomically(&dir.join("real.toml"), "newer", false).is_err());
        assert_eq!(fs::read_to_string(dir.join("real.toml")).unwrap(), "new");
        let names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    }

    /// A link planted where the temporary file goes (a name anyone can predict) is
    /// refused, never written through.
    #[cfg(unix)]
    #[test]
    fn a_link_at_the_temporary_name_is_not_followed() {
        let temp = tempfile::Builder::new()
            .prefix("accord-edit-planted-")
            .tempdir()
            .unwrap();
        let dir = temp.path();
        fs::write(dir.join("outside.txt"), "precious").unwrap();
        fs::write(dir.join("a.toml"), "old").unwrap();
        let planted = dir.join(format!(".a.toml.accord-edit-{}", std::process::id()));
        std::os::unix::fs::symlink(dir.join("outside.txt"), &planted).unwrap();
        assert!(write_atomically(&dir.join("a.toml"), "new", true).is_err());
        assert_eq!(
            fs::read_to_string(dir.join("outside.txt")).unwrap(),
            "precious"
        );
        assert_eq!(fs::read_to_string(dir.join("a.toml")).unwrap(), "old");
    }

    #[test]
    fn years_are_replaced_only_as_whole_numbers() {
        assert_eq!(
            replace_year("SLA 2026-Q1 x20261", 2026, 2027),
            "SLA 2027-Q1 x20261"
        );
    }
}
