//! Reading one TOML table against its [`TableSchema`].
//!
//! [`Reader::new`] reports every unknown key, missing key and badly typed value of the
//! table at once; the getters then hand out only values that passed, so extraction code
//! never re-checks types and a bad value is reported exactly once.

use std::collections::BTreeMap;

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Sink;
use super::mistakes;
use super::schema::{Field, FieldType, MAX_MAGNITUDE, TableSchema, is_in_range};
use crate::diagnostic::{
    BAD_DATE, Finding, INVALID_VALUE, MISSING_KEY, UNKNOWN_KEY, WRONG_TYPE, closest, closest_word,
};
use crate::model::{LintLevel, Located};
use crate::source::{FileId, Loc};
use crate::text::{self, first_forbidden};

pub(super) type Value<'i> = Spanned<DeValue<'i>>;

/// A table whose keys have been checked against its schema.
pub(super) struct Reader<'t, 'i> {
    file: FileId,
    schema: &'static TableSchema,
    header: Loc,
    table: &'t DeTable<'i>,
    valid: Vec<(&'static str, &'t Value<'i>)>,
}

impl<'t, 'i> Reader<'t, 'i> {
    /// Checks `table` against `schema`, pushing every problem to `sink`. `header` is where
    /// the table starts (its `[header]`, or the file start for a top-level table).
    pub fn new(
        file: FileId,
        table: &'t DeTable<'i>,
        header: Loc,
        schema: &'static TableSchema,
        sink: &mut Sink,
    ) -> Self {
        let mut valid = Vec::new();
        for (key, value) in table.iter() {
            let key_loc = Loc::new(file, key.span());
            match schema.field(key.get_ref()) {
                None => sink.block(unknown_key(key.get_ref(), key_loc, schema)),
                Some(field) => {
                    if check_value(file, field, schema, value, sink) {
                        valid.push((field.key, value));
                    }
                }
            }
        }
        for field in schema.fields.iter().filter(|f| f.required) {
            if table.get(field.key).is_none() {
                sink.block(
                    Finding::error(
                        &MISSING_KEY,
                        header,
                        format!("missing key `{}` in {}", field.key, schema.name),
                    )
                    .with_help(format!("add `{}`: {}", field.key, field.doc)),
                );
            }
        }
        Reader {
            file,
            schema,
            header,
            table,
            valid,
        }
    }

    /// Whether the key is not written at all (as opposed to written with a bad value).
    pub fn is_absent(&self, key: &str) -> bool {
        self.table.get(key).is_none()
    }

    /// Where the table starts.
    pub fn header(&self) -> Loc {
        self.header
    }

    pub fn file(&self) -> FileId {
        self.file
    }

    fn value(&self, key: &str) -> Option<&'t Value<'i>> {
        debug_assert!(
            self.schema.field(key).is_some(),
            "`{key}` is not in the {} schema",
            self.schema.name
        );
        self.valid.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn loc(&self, value: &Value) -> Loc {
        Loc::new(self.file, value.span())
    }

    pub fn text(&self, key: &str) -> Option<String> {
        self.located_text(key).map(|t| t.value)
    }

    pub fn located_text(&self, key: &str) -> Option<Located<String>> {
        let value = self.value(key)?;
        let text = value.get_ref().as_str()?;
        Some(Located::new(text.to_owned(), self.loc(value)))
    }

    /// An id reference, typed.
    pub fn id<T: From<String>>(&self, key: &str) -> Option<Located<T>> {
        self.located_text(key)
            .map(|t| Located::new(T::from(t.value), t.loc))
    }

    /// A word of a closed set, parsed into its enum.
    pub fn word<T>(&self, key: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        self.text(key).and_then(|w| parse(&w))
    }

    pub fn date(&self, key: &str) -> Option<Located<Date>> {
        let value = self.value(key)?;
        let date = local_date(value.get_ref())?;
        Some(Located::new(date, self.loc(value)))
    }

    pub fn number(&self, key: &str) -> Option<Located<f64>> {
        let value = self.value(key)?;
        Some(Located::new(number(value.get_ref())?, self.loc(value)))
    }

    pub fn integer(&self, key: &str) -> Option<Located<i64>> {
        let value = self.value(key)?;
        Some(Located::new(integer(value.get_ref())?, self.loc(value)))
    }

    /// A list of texts; empty when absent.
    pub fn texts(&self, key: &str) -> Vec<String> {
        self.items(key)
            .iter()
            .filter_map(|v| v.get_ref().as_str().map(str::to_owned))
            .collect()
    }

    /// A list of ids with the span of the whole list and of each item.
    pub fn ids<T: From<String>>(&self, key: &str) -> Option<Located<Vec<Located<T>>>> {
        let value = self.value(key)?;
        let items = self
            .items(key)
            .iter()
            .filter_map(|v| {
                let id = v.get_ref().as_str()?;
                Some(Located::new(T::from(id.to_owned()), self.loc(v)))
            })
            .collect();
        Some(Located::new(items, self.loc(value)))
    }

    fn items(&self, key: &str) -> &'t [Value<'i>] {
        self.value(key)
            .and_then(|v| v.get_ref().as_array())
            .map_or(&[], |a| &a[..])
    }

    /// A table of free text values.
    pub fn text_map(&self, key: &str) -> BTreeMap<String, String> {
        self.value(key)
            .and_then(|v| v.get_ref().as_table())
            .map(|t| {
                t.iter()
                    .filter_map(|(k, v)| {
                        Some((k.get_ref().to_string(), v.get_ref().as_str()?.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `[lints]`: (rule id, level) pairs with their spans.
    pub fn lint_map(&self, key: &str) -> Vec<(Located<String>, Located<LintLevel>)> {
        let Some(table) = self.value(key).and_then(|v| v.get_ref().as_table()) else {
            return Vec::new();
        };
        table
            .iter()
            .filter_map(|(k, v)| {
                let level = LintLevel::from_word(v.get_ref().as_str()?)?;
                Some((
                    Located::new(k.get_ref().to_string(), Loc::new(self.file, k.span())),
                    Located::new(level, self.loc(v)),
                ))
            })
            .collect()
    }

    pub fn boolean(&self, key: &str) -> Option<bool> {
        match self.value(key)?.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    /// A list of dates with their spans; empty when absent.
    pub fn dates(&self, key: &str) -> Vec<Located<Date>> {
        self.items(key)
            .iter()
            .filter_map(|v| Some(Located::new(local_date(v.get_ref())?, self.loc(v))))
            .collect()
    }

    /// A list of texts with their spans; empty when absent.
    pub fn located_texts(&self, key: &str) -> Vec<Located<String>> {
        self.items(key)
            .iter()
            .filter_map(|v| Some(Located::new(v.get_ref().as_str()?.to_owned(), self.loc(v))))
            .collect()
    }

    /// A table of free keys holding lists of texts, each key with its span.
    pub fn texts_map(&self, key: &str) -> Vec<(Located<String>, Vec<String>)> {
        let Some(table) = self.value(key).and_then(|v| v.get_ref().as_table()) else {
            return Vec::new();
        };
        table
            .iter()
            .map(|(k, v)| {
                let texts = v.get_ref().as_array().map_or_else(Vec::new, |items| {
                    items
                        .iter()
                        .filter_map(|i| i.get_ref().as_str().map(str::to_owned))
                        .collect()
                });
                (
                    Located::new(k.get_ref().to_string(), Loc::new(self.file, k.span())),
                    texts,
                )
            })
            .collect()
    }

    /// A table of named tables (`[records.leads]`), each checked against its schema,
    /// with its name and where it is written.
    pub fn table_map(&self, key: &str, sink: &mut Sink) -> Vec<(Located<String>, Reader<'t, 'i>)> {
        let Some(FieldType::TableMap(schema)) = self.schema.field(key).map(|f| f.ty) else {
            return Vec::new();
        };
        let Some(table) = self.value(key).and_then(|v| v.get_ref().as_table()) else {
            return Vec::new();
        };
        table
            .iter()
            .filter(|(name, _)| crate::load::is_valid_id(name.get_ref()))
            .filter_map(|(name, value)| {
                let inner = value.get_ref().as_table()?;
                let loc = self.loc(value);
                Some((
                    Located::new(name.get_ref().to_string(), Loc::new(self.file, name.span())),
                    Reader::new(self.file, inner, loc, schema, sink),
                ))
            })
            .collect()
    }

    /// A sub-table, checked against its own schema.
    pub fn table(&self, key: &str, sink: &mut Sink) -> Option<Reader<'t, 'i>> {
        let value = self.value(key)?;
        let FieldType::Table(schema) = self.schema.field(key)?.ty else {
            return None;
        };
        let table = value.get_ref().as_table()?;
        Some(Reader::new(self.file, table, self.loc(value), schema, sink))
    }

    /// An array of tables, each checked against its own schema.
    pub fn tables(&self, key: &str, sink: &mut Sink) -> Vec<Reader<'t, 'i>> {
        let Some(FieldType::Tables(schema)) = self.schema.field(key).map(|f| f.ty) else {
            return Vec::new();
        };
        self.items(key)
            .iter()
            .filter_map(|v| {
                let table = v.get_ref().as_table()?;
                Some(Reader::new(self.file, table, self.loc(v), schema, sink))
            })
            .collect()
    }
}

/// Keys people write where the format keeps the fact elsewhere: (table, keys, where).
const KEPT_ELSEWHERE: &[(&str, &[&str], &str)] = &[(
    "team",
    &["members", "member", "people"],
    "a team's members are listed in people.toml, not in the team's file: give each member the team's id (this file's name) in `teams`, e.g. `teams = [\"sales\"]`",
)];

fn unknown_key(key: &str, loc: Loc, schema: &TableSchema) -> Finding {
    let known = schema.fields.iter().map(|f| f.key);
    let finding = Finding::error(
        &UNKNOWN_KEY,
        loc,
        format!("unknown key `{key}` in {}", schema.name),
    );
    let elsewhere = KEPT_ELSEWHERE
        .iter()
        .find(|(table, keys, _)| *table == schema.name && keys.contains(&key));
    if let Some((_, _, help)) = elsewhere {
        return finding.with_help(*help);
    }
    match closest(key, known.clone()) {
        Some(suggestion) => finding.with_help(format!("did you mean `{suggestion}`?")),
        None => finding.with_help(format!(
            "the keys of {} are: {}",
            schema.name,
            known.collect::<Vec<_>>().join(", ")
        )),
    }
}

fn type_name(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn expected(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Text
        | FieldType::Pattern(_)
        | FieldType::Markdown
        | FieldType::Word(_)
        | FieldType::Handle => "text (a quoted string)",
        FieldType::Id | FieldType::Ref(_) => "an id (a quoted string)",
        FieldType::Date => "a date like 2026-01-15",
        FieldType::Integer | FieldType::PositiveInteger => "an integer",
        FieldType::Number | FieldType::PositiveNumber | FieldType::Fraction => "a number",
        FieldType::Texts => "an array of texts",
        FieldType::Refs(_) => "an array of ids",
        FieldType::Table(_)
        | FieldType::TextMap
        | FieldType::LintMap
        | FieldType::TableMap(_)
        | FieldType::TextsMap => "a table",
        FieldType::Tables(_) => "an array of tables",
        FieldType::Boolean => "true or false",
        FieldType::Dates => "an array of dates",
    }
}

/// Checks one value against its field, reporting every problem. Returns whether the
/// value can be read: a table of free entries stays readable when some entries are bad
/// (the getters skip those), so one bad `[lints]` entry does not void the others.
fn check_value(
    file: FileId,
    field: &Field,
    schema: &TableSchema,
    value: &Value,
    sink: &mut Sink,
) -> bool {
    let loc = Loc::new(file, value.span());
    let what = format!("`{}` of {}", field.key, schema.name);
    let mut usable = true;
    let mut fail = |finding: Finding| {
        usable = false;
        sink.block(finding);
    };
    let v = value.get_ref();
    let wrong = |v: &DeValue| {
        format!(
            "{what} must be {}, found {}",
            expected(field.ty),
            type_name(v)
        )
    };
    match field.ty {
        FieldType::Markdown | FieldType::Id | FieldType::Ref(_) => {
            if !v.is_str() {
                fail(Finding::error(&WRONG_TYPE, loc, wrong(v)));
            }
        }
        FieldType::Text | FieldType::Pattern(_) => match v.as_str() {
            None => fail(Finding::error(&WRONG_TYPE, loc, wrong(v))),
            Some(text) => {
                if let Some(finding) = not_one_line(text, loc, &what) {
                    fail(finding);
                }
            }
        },
        FieldType::Handle => match v.as_str() {
            None => fail(Finding::error(&WRONG_TYPE, loc, wrong(v))),
            Some(handle) if !is_valid_handle(handle) => {
                fail(
                    Finding::error(
                        &INVALID_VALUE,
                        loc,
                        format!("{what} must be a code-host user, an org/team or an e-mail address, found `{handle}`"),
                    )
                    .with_help("write the user name without `@` (`ana-garcia`: letters, digits and single hyphens, at most 39 characters), `acme/marketing`, or `ana@acme.example`"),
                );
            }
            Some(_) => {}
        },
        FieldType::Word(words) => match v.as_str() {
            None => fail(Finding::error(&WRONG_TYPE, loc, wrong(v))),
            Some(word) if !words.contains(&word) => {
                let mut finding = Finding::error(
                    &INVALID_VALUE,
                    loc,
                    format!("{what} must be one of {}, found `{word}`", words.join(", ")),
                );
                if let Some(s) = closest_word(word, words.iter().copied()) {
                    finding = finding.with_help(format!("did you mean `{s}`?"));
                }
                fail(finding);
            }
            Some(_) => {}
        },
        FieldType::Date => {
            if local_date(v).is_none() {
                let class = if v.is_str() || v.is_datetime() {
                    &BAD_DATE
                } else {
                    &WRONG_TYPE
                };
                fail(
                    Finding::error(
                        class,
                        loc,
                        format!(
                            "{what} must be a date like 2026-01-15, found {}",
                            type_name(v)
                        ),
                    )
                    .with_help(
                        v.as_str().and_then(mistakes::date_help).unwrap_or_else(|| {
                            "write the date unquoted, without time or offset: 2026-01-15".to_owned()
                        }),
                    ),
                );
            }
        }
        FieldType::Integer | FieldType::PositiveInteger => match v {
            DeValue::Integer(_) => match integer(v) {
                None => fail(Finding::error(&INVALID_VALUE, loc, out_of_range(&what))),
                Some(n) if !is_in_range(n as f64) => {
                    fail(Finding::error(&INVALID_VALUE, loc, out_of_range(&what)))
                }
                Some(n)
                    if matches!(field.ty, FieldType::PositiveInteger)
                        && !(1..=i64::from(u32::MAX)).contains(&n) =>
                {
                    fail(Finding::error(
                        &INVALID_VALUE,
                        loc,
                        format!("{what} must be between 1 and {}, found {n}", u32::MAX),
                    ))
                }
                Some(_) => {}
            },
            _ => fail(Finding::error(&WRONG_TYPE, loc, wrong(v))),
        },
        FieldType::Number | FieldType::PositiveNumber | FieldType::Fraction => match number(v) {
            None if matches!(v, DeValue::Integer(_) | DeValue::Float(_)) => {
                fail(Finding::error(&INVALID_VALUE, loc, out_of_range(&what)))
            }
            None => {
                let finding = Finding::error(&WRONG_TYPE, loc, wrong(v));
                let fix = v
                    .as_str()
                    .and_then(|text| mistakes::number_help(field.ty, text));
                fail(match fix {
                    Some(help) => finding.with_help(help),
                    None => finding,
                })
            }
            Some(n) if !is_in_range(n) => {
                fail(Finding::error(&INVALID_VALUE, loc, out_of_range(&what)))
            }
            Some(n) => match field.ty {
                FieldType::PositiveNumber if n <= 0.0 => fail(Finding::error(
                    &INVALID_VALUE,
                    loc,
                    format!("{what} must be greater than zero, found {n}"),
                )),
                FieldType::Fraction if !(n > 0.0 && n <= 1.0) => fail(Finding::error(
                    &INVALID_VALUE,
                    loc,
                    format!("{what} must be a fraction greater than 0 and at most 1, found {n}"),
                )),
                _ => {}
            },
        },
        FieldType::Texts | FieldType::Refs(_) | FieldType::Tables(_) => match v.as_array() {
            None if v.is_table() && matches!(field.ty, FieldType::Tables(_)) => fail(
                Finding::error(&WRONG_TYPE, loc, wrong(v)).with_help(format!(
                    "write `[[{}]]` (two brackets): each one starts with its own `[[{}]]`",
                    field.key, field.key
                )),
            ),
            None => fail(Finding::error(&WRONG_TYPE, loc, wrong(v))),
            Some(items) => {
                let item_ok: fn(&DeValue) -> bool = match field.ty {
                    FieldType::Tables(_) => |v| v.is_table(),
                    _ => |v| v.is_str(),
                };
                for item in items.iter().filter(|i| !item_ok(i.get_ref())) {
                    fail(Finding::error(
                        &WRONG_TYPE,
                        Loc::new(file, item.span()),
                        format!(
                            "each item of {what} must be {}, found {}",
                            item_expected(field.ty),
                            type_name(item.get_ref())
                        ),
                    ));
                }
                if matches!(field.ty, FieldType::Texts) {
                    for item in items {
                        let item_loc = Loc::new(file, item.span());
                        let text = item.get_ref().as_str().unwrap_or_default();
                        if let Some(finding) =
                            not_one_line(text, item_loc, &format!("an item of {what}"))
                        {
                            fail(finding);
                        }
                    }
                }
                if items.len() < field.min_items {
                    fail(Finding::error(
                        &INVALID_VALUE,
                        loc,
                        format!(
                            "{what} needs at least {} item(s), found {}",
                            field.min_items,
                            items.len()
                        ),
                    ));
                }
            }
        },
        FieldType::Table(_) => {
            if !v.is_table() {
                fail(Finding::error(&WRONG_TYPE, loc, wrong(v)));
            }
        }
        FieldType::Boolean => {
            if !matches!(v, DeValue::Boolean(_)) {
                fail(Finding::error(&WRONG_TYPE, loc, wrong(v)));
            }
        }
        FieldType::Dates => match v.as_array() {
            None => fail(Finding::error(&WRONG_TYPE, loc, wrong(v))),
            Some(items) => {
                for item in items.iter().filter(|i| local_date(i.get_ref()).is_none()) {
                    fail(
                        Finding::error(
                            &BAD_DATE,
                            Loc::new(file, item.span()),
                            format!(
                                "each item of {what} must be a date like 2026-01-15, found {}",
                                type_name(item.get_ref())
                            ),
                        )
                        .with_help("write the date unquoted, without time or offset: 2026-01-15"),
                    );
                }
            }
        },
        FieldType::TableMap(_) => match v.as_table() {
            None => sink.block(Finding::error(&WRONG_TYPE, loc, wrong(v))),
            // A bad entry is reported and skipped by the getter; the others are read.
            Some(table) => {
                for (key, item) in table.iter() {
                    if !crate::load::is_valid_id(key.get_ref()) {
                        sink.block(
                            Finding::error(
                                &crate::diagnostic::BAD_ID,
                                Loc::new(file, key.span()),
                                format!("`{}` in {what} is not a valid name", key.get_ref()),
                            )
                            .with_help(crate::load::ID_HELP),
                        );
                    }
                    if !item.get_ref().is_table() {
                        sink.block(Finding::error(
                            &WRONG_TYPE,
                            Loc::new(file, item.span()),
                            format!(
                                "`{}` in {what} must be a table, found {}",
                                key.get_ref(),
                                type_name(item.get_ref())
                            ),
                        ));
                    }
                }
            }
        },
        FieldType::TextsMap => match v.as_table() {
            None => fail(Finding::error(&WRONG_TYPE, loc, wrong(v))),
            Some(table) => {
                for (key, item) in table.iter() {
                    let item_loc = Loc::new(file, item.span());
                    let texts = item
                        .get_ref()
                        .as_array()
                        .filter(|items| items.iter().all(|i| i.get_ref().is_str()));
                    if texts.is_none() {
                        fail(Finding::error(
                            &WRONG_TYPE,
                            item_loc,
                            format!(
                                "`{}` in {what} must be an array of texts, found {}",
                                key.get_ref(),
                                type_name(item.get_ref())
                            ),
                        ));
                    }
                }
            }
        },
        FieldType::TextMap | FieldType::LintMap => match v.as_table() {
            None => fail(Finding::error(&WRONG_TYPE, loc, wrong(v))),
            Some(table) => {
                for (key, item) in table.iter() {
                    let item_loc = Loc::new(file, item.span());
                    // The free keys of a text map are shown as labels beside their values.
                    if matches!(field.ty, FieldType::TextMap) {
                        let key_loc = Loc::new(file, key.span());
                        let problems = [
                            not_one_line(key.get_ref(), key_loc, &format!("a key of {what}")),
                            item.get_ref().as_str().and_then(|text| {
                                not_one_line(
                                    text,
                                    item_loc,
                                    &format!("`{}` in {what}", key.get_ref()),
                                )
                            }),
                        ];
                        for finding in problems.into_iter().flatten() {
                            sink.block(finding);
                        }
                    }
                    match (field.ty, item.get_ref().as_str()) {
                        (_, None) => sink.block(Finding::error(
                            &WRONG_TYPE,
                            item_loc,
                            format!(
                                "`{}` in {what} must be text, found {}",
                                key.get_ref(),
                                type_name(item.get_ref())
                            ),
                        )),
                        (FieldType::LintMap, Some(level))
                            if LintLevel::from_word(level).is_none() =>
                        {
                            sink.block(Finding::error(
                                &INVALID_VALUE,
                                item_loc,
                                format!(
                                    "the level of `{}` must be allow, warn or deny, found `{level}`",
                                    key.get_ref()
                                ),
                            ))
                        }
                        _ => {}
                    }
                }
            }
        },
    }
    usable
}

/// The finding for one-line text that holds a character it may not, if it does.
fn not_one_line(text: &str, loc: Loc, what: &str) -> Option<Finding> {
    let c = first_forbidden(text)?;
    let kind = text::kind(c);
    Some(
        Finding::error(
            &INVALID_VALUE,
            loc,
            format!("{what} holds a {kind} ({})", c.escape_default()),
        )
        .with_help(format!(
            "names are one line without control characters; remove the {kind}"
        )),
    )
}

fn out_of_range(what: &str) -> String {
    format!("{what} must be a finite number of magnitude at most {MAX_MAGNITUDE:e}")
}

/// Whether `handle` has one of the forms of [`HANDLE_PATTERN`].
fn is_valid_handle(handle: &str) -> bool {
    let user = |name: &str| {
        !name.is_empty()
            && name.len() <= 39
            && name
                .split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
    };
    if let Some((local, domain)) = handle.split_once('@') {
        let labels: Vec<&str> = domain.split('.').collect();
        return !local.is_empty()
            && local
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b))
            && labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
    }
    match handle.split_once('/') {
        Some((org, team)) => {
            user(org)
                && team
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphanumeric())
                && team
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        None => user(handle),
    }
}

fn item_expected(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Tables(_) => "a table",
        FieldType::Refs(_) => "an id (a quoted string)",
        _ => "text",
    }
}

/// A TOML local date (no time, no offset) as a calendar date.
fn local_date(value: &DeValue) -> Option<Date> {
    let DeValue::Datetime(dt) = value else {
        return None;
    };
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => Date::new(
            i16::try_from(d.year).ok()?,
            i8::try_from(d.month).ok()?,
            i8::try_from(d.day).ok()?,
        )
        .ok(),
        _ => None,
    }
}

fn integer(value: &DeValue) -> Option<i64> {
    let int = value.as_integer()?;
    i64::from_str_radix(int.as_str(), int.radix()).ok()
}

/// A number as a float; `None` for another type, a float that is not finite (`inf`,
/// `nan`) and an integer beyond i64 (both far beyond [`MAX_MAGNITUDE`]).
fn number(value: &DeValue) -> Option<f64> {
    let n = match value {
        DeValue::Integer(_) => integer(value)? as f64,
        DeValue::Float(f) => f.as_str().parse::<f64>().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::schema::{MEETING, TEAM};
    use crate::source::Sources;

    fn read(schema: &'static TableSchema, text: &str) -> Vec<(&'static str, String)> {
        let mut sources = Sources::default();
        let file = sources.add("x.toml".into(), text.into());
        let table = DeTable::parse(text).unwrap();
        let mut sink = Sink::default();
        Reader::new(
            file,
            table.get_ref(),
            Loc::file_start(file),
            schema,
            &mut sink,
        );
        sink.findings
            .into_iter()
            .map(|f| (f.rule, f.message))
            .collect()
    }

    #[test]
    fn every_problem_of_a_table_is_reported() {
        let found = read(&TEAM, "nmae = \"Sales\"\nlead = 3\n");
        let rules: Vec<_> = found.iter().map(|(r, _)| *r).collect();
        assert_eq!(
            rules,
            ["wrong-type", "unknown-key", "missing-key"],
            "{found:?}"
        );
    }

    #[test]
    fn words_ranges_and_dates_are_checked() {
        let found = read(
            &MEETING,
            "name = \"W\"\ncadence = \"weekley\"\nduration = 0\nteams = []\nfacilitator = \"a\"\nattendees = [1]\n[[action]]\nwhat = \"x\"\nowner = \"a\"\ndue = \"2026-01-01\"\n",
        );
        let rules: Vec<_> = found.iter().map(|(r, _)| *r).collect();
        assert_eq!(
            rules,
            [
                "wrong-type",
                "invalid-value",
                "invalid-value",
                "invalid-value"
            ],
            "{found:?}"
        );
    }
}
