//! Diff: what a change to the org means, for the review of a pull request.
//!
//! Two checked orgs (the base revision and the working tree) are compared entity by
//! entity, field by field in the files' own terms (`term[lead-data].target`), with
//! display names beside ids; then who gains and loses which responsibility, which
//! parties must sign changed terms again, and which findings are new. Files the
//! comparison does not read field by field (templates, static files, actuals, docs,
//! accord.toml's settings) are listed as changed files, so nothing changes unseen.
//!
//! Every name and value is text from the files: the Markdown escapes it (names as
//! text, values and ids as code spans), so no file can add, hide or reshape a part of
//! the summary, and no line of it starts with anything but the summary's own markup.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

use crate::Checked;
use crate::git::FileChange;
use crate::load::is_entity_path;
use crate::model::Org;
use crate::text::is_forbidden_in_line;

/// The review summary of a change.
#[derive(Debug, Serialize)]
pub struct OrgDiff {
    /// The base revision as named, and its commit date.
    pub base: String,
    pub base_date: Date,
    pub entities: Vec<EntityChange>,
    pub ownership: Vec<OwnershipChange>,
    pub signatures_needed: Vec<SignaturesNeeded>,
    pub new_findings: Vec<crate::diagnostic::Placed>,
    /// Changed files that are not compared field by field above, relative to the org
    /// root.
    pub other_files: Vec<ChangedFile>,
}

/// A file that changed, by path.
#[derive(Debug, Serialize)]
pub struct ChangedFile {
    pub path: String,
    pub change: FileChange,
}

#[derive(Debug, Serialize)]
pub struct EntityChange {
    /// `agreement`, `kpi`, `person`... or `plan`.
    pub kind: &'static str,
    pub id: String,
    /// The display name (title or name), from the side that has the entity.
    pub name: String,
    pub change: Change,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase", tag = "type", content = "fields")]
pub enum Change {
    Added,
    Removed,
    /// Its file is still there but did not load (a structural error, listed among the
    /// new findings): not a removal.
    Unreadable,
    Changed(Vec<FieldChange>),
}

/// One value that differs; `None` where the field is absent on that side.
#[derive(Clone, Debug, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OwnershipChange {
    pub owner: String,
    pub name: String,
    pub gains: Vec<String>,
    pub loses: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct SignaturesNeeded {
    pub agreement: String,
    pub title: String,
    /// (party, display name, date of its latest signature if any).
    pub parties: Vec<(String, String, Option<Date>)>,
}

/// Compares `base` (the org at revision `revision`, committed on `base_date`) with
/// `head` (the working tree); `changed_files` are the files that differ between the two
/// (as git lists them), of which those not compared field by field are listed as such.
pub fn diff(
    base: &Checked,
    head: &Checked,
    revision: &str,
    base_date: Date,
    changed_files: Vec<(String, FileChange)>,
) -> OrgDiff {
    let (old, new) = (&base.org, &head.org);
    let names = |id: &str| {
        let in_org = |org: &Org| {
            org.people
                .get(id)
                .map(|p| p.name.clone())
                .or_else(|| org.teams.get(id).map(|t| t.name.clone()))
                .or_else(|| org.kpis.get(id).map(|k| k.name.clone()))
                .or_else(|| org.personas.get(id).map(|p| p.name.clone()))
        };
        in_org(new).or_else(|| in_org(old))
    };
    let mut entities = Vec::new();
    // (kind, where its files are, its entities)
    let kinds: [(&'static str, &str, EntriesOf); 6] = [
        ("agreement", "agreements/", |o| {
            collect(&o.agreements, |a| &a.title)
        }),
        ("kpi", "kpis/", |o| collect(&o.kpis, |k| &k.name)),
        ("persona", "personas/", |o| {
            collect(&o.personas, |p| &p.name)
        }),
        ("team", "teams/", |o| collect(&o.teams, |t| &t.name)),
        ("person", "people.toml", |o| collect(&o.people, |p| &p.name)),
        ("meeting", "meetings/", |o| {
            collect(&o.meetings, |m| &m.name)
        }),
    ];
    for (kind, place, entities_of) in kinds {
        let unreadable = |id: &str| still_there_but_broken(head, place, id);
        compare(
            kind,
            entities_of(old),
            entities_of(new),
            &names,
            &unreadable,
            &mut entities,
        );
    }
    let plan = |org: &Org| {
        org.settings
            .plan
            .as_ref()
            .map(|p| ("plan".to_owned(), "Growth plan".to_owned(), to_value(p)))
            .into_iter()
            .collect()
    };
    let plan_broken = |_: &str| has_structural_error(head, "accord.toml");
    compare(
        "plan",
        plan(old),
        plan(new),
        &names,
        &plan_broken,
        &mut entities,
    );

    OrgDiff {
        base: revision.to_owned(),
        base_date,
        entities,
        ownership: ownership(old, new),
        signatures_needed: signatures_needed(old, new, base_date),
        new_findings: new_findings(base, head),
        other_files: changed_files
            .into_iter()
            .filter(|(path, _)| !is_entity_path(path))
            .map(|(path, change)| ChangedFile { path, change })
            .collect(),
    }
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// (id, display name, value) of every entity of a collection.
type Entries = Vec<(String, String, Value)>;
type EntriesOf = fn(&Org) -> Entries;

fn collect<K: ToString, T: Serialize>(map: &BTreeMap<K, T>, name: fn(&T) -> &String) -> Entries {
    map.iter()
        .map(|(id, entity)| (id.to_string(), name(entity).clone(), to_value(entity)))
        .collect()
}

/// Whether the entity `id` is missing from `head` only because its file has a
/// structural error: `place` is its folder (`agreements/`) or file (`people.toml`).
fn still_there_but_broken(head: &Checked, place: &str, id: &str) -> bool {
    if !place.ends_with('/') {
        return has_structural_error(head, place);
    }
    head.findings.iter().filter(|f| f.is_structural()).any(|f| {
        let path = &head.sources.get(f.loc.file).path;
        path.starts_with(place)
            && path
                .rsplit('/')
                .next()
                .and_then(|name| name.rsplit_once('.'))
                .is_some_and(|(stem, _)| stem == id)
    })
}

fn has_structural_error(head: &Checked, path: &str) -> bool {
    head.findings
        .iter()
        .any(|f| f.is_structural() && head.sources.get(f.loc.file).path == path)
}

fn compare(
    kind: &'static str,
    old: Entries,
    new: Entries,
    names: &dyn Fn(&str) -> Option<String>,
    unreadable: &dyn Fn(&str) -> bool,
    out: &mut Vec<EntityChange>,
) {
    let old: BTreeMap<_, _> = old
        .into_iter()
        .map(|(id, name, v)| (id, (name, v)))
        .collect();
    let new: BTreeMap<_, _> = new
        .into_iter()
        .map(|(id, name, v)| (id, (name, v)))
        .collect();
    let ids: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for id in ids {
        let change = match (old.get(id), new.get(id)) {
            (None, Some((name, _))) => Some((name, Change::Added)),
            (Some((name, _)), None) if unreadable(id) => Some((name, Change::Unreadable)),
            (Some((name, _)), None) => Some((name, Change::Removed)),
            (Some((_, before)), Some((name, after))) => {
                let fields = field_changes(before, after, names);
                (!fields.is_empty()).then_some((name, Change::Changed(fields)))
            }
            (None, None) => None,
        };
        if let Some((name, change)) = change {
            out.push(EntityChange {
                kind,
                id: id.clone(),
                name: name.clone(),
                change,
            });
        }
    }
}

/// What changed between two versions of an entity file, field by field as `diff` names
/// fields (`term[lead-data].target`); nothing when a side is missing (the file was added
/// or removed: that is the change) or is not TOML.
pub fn toml_changes(old: Option<&str>, new: Option<&str>) -> Vec<FieldChange> {
    let parse = |text: &str| {
        toml::from_str::<toml::Table>(text)
            .ok()
            .map(|table| json_of(toml::Value::Table(table)))
    };
    match (old.and_then(parse), new.and_then(parse)) {
        (Some(before), Some(after)) => field_changes(&before, &after, &|_| None),
        _ => Vec::new(),
    }
}

/// A TOML value as JSON, dates as the text the file has (serde would wrap them).
fn json_of(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(json_of).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.into_iter().map(|(k, v)| (k, json_of(v))).collect())
        }
    }
}

fn field_changes(
    before: &Value,
    after: &Value,
    names: &dyn Fn(&str) -> Option<String>,
) -> Vec<FieldChange> {
    let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
    flatten("", before, names, &mut old);
    flatten("", after, names, &mut new);
    let fields: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    fields
        .into_iter()
        .filter(|f| old.get(*f) != new.get(*f))
        .map(|f| FieldChange {
            field: f.clone(),
            old: old.get(f).cloned(),
            new: new.get(f).cloned(),
        })
        .collect()
}

/// Flattens a value into `path -> text`: tables by key, arrays of tables by their
/// natural key (`id`, `party`, `owner`, `name`, else position), other arrays as one
/// comma-separated value. Ids get their display name beside them.
fn flatten(
    path: &str,
    value: &Value,
    names: &dyn Fn(&str) -> Option<String>,
    out: &mut BTreeMap<String, String>,
) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, v) in map {
                flatten(&join(key), v, names, out);
            }
        }
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for (i, item) in items.iter().enumerate() {
                let key = ["id", "what", "party", "owner", "name"]
                    .iter()
                    .find_map(|k| item.get(*k).and_then(Value::as_str))
                    .map_or_else(|| i.to_string(), str::to_owned);
                // A second signature of the same party is its own entry, not an edit
                // of the first.
                let count = seen.entry(key.clone()).or_default();
                *count += 1;
                let key = if *count > 1 {
                    format!("{key}#{count}")
                } else {
                    key
                };
                flatten(&format!("{path}[{key}]"), item, names, out);
            }
        }
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().map(|v| scalar(v, names)).collect();
            out.insert(path.to_owned(), texts.join(", "));
        }
        other => {
            out.insert(path.to_owned(), scalar(other, names));
        }
    }
}

fn scalar(value: &Value, names: &dyn Fn(&str) -> Option<String>) -> String {
    match value {
        Value::String(s) => match names(s) {
            Some(name) if name != *s => format!("{s} ({name})"),
            _ => s.clone(),
        },
        // Full precision: a change from 0.125 to 0.12 must show.
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

fn ownership(old: &Org, new: &Org) -> Vec<OwnershipChange> {
    // Responsibilities are compared as values, not as their descriptions: a reworded
    // commitment or a renamed meeting moves nothing from one owner to another. Each is
    // described in the org that holds it.
    let only_in = |org: &Org, other: &Org, owner: &str| -> Vec<String> {
        let theirs = other.responsibilities_of(owner);
        let described: BTreeSet<String> = org
            .responsibilities_of(owner)
            .iter()
            .filter(|r| !theirs.contains(r))
            .map(|r| r.describe(org))
            .collect();
        described.into_iter().collect()
    };
    let owners: BTreeSet<&str> = [old, new]
        .iter()
        .flat_map(|org| {
            org.people
                .keys()
                .map(|p| p.as_str())
                .chain(org.teams.keys().map(|t| t.as_str()))
        })
        .collect();
    owners
        .into_iter()
        .filter_map(|owner| {
            let gains = only_in(new, old, owner);
            let loses = only_in(old, new, owner);
            let name = if new.owner_kind(owner).is_some() {
                new.display_name(owner)
            } else {
                old.display_name(owner)
            };
            (!gains.is_empty() || !loses.is_empty()).then(|| OwnershipChange {
                owner: owner.to_owned(),
                name: name.to_owned(),
                gains,
                loses,
            })
        })
        .collect()
}

fn signatures_needed(old: &Org, new: &Org, base_date: Date) -> Vec<SignaturesNeeded> {
    new.agreements
        .values()
        .filter_map(|agreement| {
            let before = old.agreements.get(&agreement.id)?;
            if !agreement.terms_differ(before) {
                return None;
            }
            let parties: Vec<_> = agreement
                .unsigned_since(before, base_date)
                .into_iter()
                .map(|(party, latest)| {
                    (
                        party.value.to_string(),
                        new.display_name(party.value.as_str()).to_owned(),
                        latest.map(|s| s.date.value),
                    )
                })
                .collect();
            (!parties.is_empty()).then(|| SignaturesNeeded {
                agreement: agreement.id.to_string(),
                title: agreement.title.clone(),
                parties,
            })
        })
        .collect()
}

/// Findings of `head` that `base` does not have (same rule, file and message; lines
/// may have moved).
fn new_findings(base: &Checked, head: &Checked) -> Vec<crate::diagnostic::Placed> {
    let key = |checked: &Checked, f: &crate::diagnostic::Finding| {
        (
            f.rule,
            checked.sources.get(f.loc.file).path.clone(),
            f.full_message(),
        )
    };
    let known: BTreeSet<_> = base.findings.iter().map(|f| key(base, f)).collect();
    head.findings
        .iter()
        .filter(|f| !known.contains(&key(head, f)))
        .map(|f| f.placed(&head.sources))
        .collect()
}

impl OrgDiff {
    /// Whether nothing changed that a reviewer needs to see.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
            && self.ownership.is_empty()
            && self.signatures_needed.is_empty()
            && self.new_findings.is_empty()
            && self.other_files.is_empty()
    }

    /// The summary as Markdown, fit to post as a pull-request comment.
    pub fn to_markdown(&self) -> String {
        let mut md = format!(
            "## accord: what this change means\n\nCompared with {} (committed {}).\n",
            code(&self.base),
            self.base_date
        );
        if self.is_empty() {
            md.push_str(
                "\nNo change to agreements, KPIs, personas, teams, people, meetings, the plan or any other file.\n",
            );
            return md;
        }
        if !self.entities.is_empty() {
            md.push_str("\n### Changes\n\n");
            for entity in &self.entities {
                let what = match entity.change {
                    Change::Added => "added",
                    Change::Removed => "removed",
                    Change::Unreadable => "does not load (see new findings)",
                    Change::Changed(_) => "changed",
                };
                let _ = writeln!(
                    md,
                    "- **{what}** {} {}: {}",
                    entity.kind,
                    code(&entity.id),
                    text(&entity.name)
                );
                if let Change::Changed(fields) = &entity.change {
                    for field in fields {
                        let show =
                            |v: &Option<String>| v.as_deref().map_or("(none)".to_owned(), code);
                        let _ = writeln!(
                            md,
                            "  - {}: {} → {}",
                            code(&field.field),
                            show(&field.old),
                            show(&field.new)
                        );
                    }
                }
            }
        }
        if !self.ownership.is_empty() {
            md.push_str("\n### Who owns what\n\n");
            for change in &self.ownership {
                let _ = writeln!(md, "- **{}** ({})", text(&change.name), code(&change.owner));
                for gain in &change.gains {
                    let _ = writeln!(md, "  - gains: {}", text(gain));
                }
                for loss in &change.loses {
                    let _ = writeln!(md, "  - loses: {}", text(loss));
                }
            }
        }
        if !self.signatures_needed.is_empty() {
            md.push_str("\n### Signatures needed\n\n");
            for needed in &self.signatures_needed {
                let parties: Vec<String> = needed
                    .parties
                    .iter()
                    .map(|(id, name, date)| match date {
                        Some(date) => format!("{} ({}, last signed {date})", text(name), code(id)),
                        None => format!("{} ({}, never signed)", text(name), code(id)),
                    })
                    .collect();
                let _ = writeln!(
                    md,
                    "- {} ({}): the terms changed since {}, so these parties must sign again: {}",
                    code(&needed.agreement),
                    text(&needed.title),
                    self.base_date,
                    parties.join(", ")
                );
            }
        }
        if !self.new_findings.is_empty() {
            md.push_str("\n### New findings\n\n");
            for f in &self.new_findings {
                let level = f.level.word();
                let _ = writeln!(
                    md,
                    "- {level} {} at {}: {}",
                    code(f.rule),
                    code(&format!("{}:{}:{}", f.file, f.line, f.column)),
                    text(&f.message)
                );
            }
        }
        if !self.other_files.is_empty() {
            md.push_str(
                "\n### Other changed files\n\nNot compared field by field above: review them directly.\n\n",
            );
            for file in &self.other_files {
                let _ = writeln!(md, "- **{}** {}", file.change.word(), code(&file.path));
            }
        }
        md
    }
}

/// Text from the files as Markdown text that reads as itself: every character that could
/// open inline markup (emphasis, code, links, raw HTML, entities, strikethrough, table
/// cells) is backslash-escaped, and control characters are written as escapes. The text
/// never starts a line, so block markup (`#`, `-`, `::`) cannot arise from it.
pub(crate) fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if is_forbidden_in_line(c) {
            out.extend(c.escape_default());
        } else {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// A value or id as a Markdown code span, which shows any text literally: the fence is
/// one backtick longer than the longest run of backticks inside, and line breaks (of a
/// Markdown field) become spaces and other control characters escapes, so the span stays
/// on its line.
pub(crate) fn code(value: &str) -> String {
    let mut inner = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => inner.push(' '),
            c if is_forbidden_in_line(c) => inner.extend(c.escape_default()),
            c => inner.push(c),
        }
    }
    if inner.trim().is_empty() {
        return "(empty)".to_owned();
    }
    let longest_run = inner.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A span that starts or ends with a backtick needs a space to keep it off the fence.
    let pad = if inner.starts_with('`') || inner.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{inner}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two versions of an agreement file compare field by field in `diff`'s own names,
    /// dates as written; an added or removed file, or one that is not TOML, has no
    /// fields to list.
    #[test]
    fn two_versions_of_a_file_compare_field_by_field() {
        let before = "title = \"SLA\"\n[[term]]\nid = \"calls\"\ntarget = 10\n[[signature]]\nparty = \"sales\"\ndate = 2025-12-16\n";
        let after = before
            .replace("target = 10", "target = 12")
            .replace("2025-12-16", "2026-02-28");
        let changes: Vec<(String, Option<String>, Option<String>)> =
            toml_changes(Some(before), Some(&after))
                .into_iter()
                .map(|c| (c.field, c.old, c.new))
                .collect();
        assert_eq!(
            changes,
            [
                (
                    "signature[sales].date".to_owned(),
                    Some("2025-12-16".to_owned()),
                    Some("2026-02-28".to_owned())
                ),
                (
                    "term[calls].target".to_owned(),
                    Some("10".to_owned()),
                    Some("12".to_owned())
                ),
            ]
        );
        assert!(toml_changes(None, Some(before)).is_empty());
        assert!(toml_changes(Some(before), None).is_empty());
        assert!(toml_changes(Some("not = [toml"), Some(before)).is_empty());
    }

    #[test]
    fn an_id_is_shown_with_its_name_unless_they_are_the_same() {
        let named = |name: &'static str| move |_: &str| Some(name.to_owned());
        let id = Value::String("sales".to_owned());
        assert_eq!(scalar(&id, &named("Sales")), "sales (Sales)");
        assert_eq!(scalar(&id, &named("sales")), "sales");
        assert_eq!(scalar(&id, &|_| None), "sales");
        assert_eq!(scalar(&serde_json::json!(0.125), &|_| None), "0.125");
        assert_eq!(scalar(&serde_json::json!(12.0), &|_| None), "12");
    }

    #[test]
    fn names_cannot_open_markup() {
        assert_eq!(
            text("<!-- *x* [a](b) `c` & d_e ~f~ | \\"),
            "\\<!-- \\*x\\* \\[a\\](b) \\`c\\` \\& d\\_e \\~f\\~ \\| \\\\"
        );
        assert_eq!(text("a\n::error::b"), "a\\n::error::b");
    }

    #[test]
    fn code_spans_hold_any_text_on_one_line() {
        assert_eq!(code("10"), "`10`");
        assert_eq!(code("a `b` c"), "``a `b` c``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(
            code("one\n<!--\r\n::add-mask::x"),
            "`one <!--  ::add-mask::x`"
        );
        assert_eq!(code(""), "(empty)");
        // Other control characters are escaped; a backtick at either end alone pads.
        assert_eq!(code("a\u{1b}[31mb"), "`a\\u{1b}[31mb`");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("x`"), "`` x` ``");
    }
}
