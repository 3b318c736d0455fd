//! The shape of every file kind, as data.
//!
//! One description serves three purposes: the loader validates tables against it (closed
//! tables, required keys, types, allowed words), `accord schema` turns it into JSON Schema
//! for editors, and the format docs are checked against it by the tests.

/// The kind of a value a key holds.
#[derive(Debug, Clone, Copy)]
pub enum FieldType {
    /// One line of display text: no control character, line break or bidirectional
    /// override ([`crate::text::is_forbidden_in_line`]).
    Text,
    /// CommonMark text; raw HTML is removed when rendered.
    Markdown,
    /// One word of a closed set.
    Word(&'static [&'static str]),
    /// A TOML local date, unquoted: `2026-01-15`.
    Date,
    /// Any integer (of magnitude at most [`MAX_MAGNITUDE`], like every number).
    Integer,
    /// An integer greater than zero.
    PositiveInteger,
    /// Any number, integer or float.
    Number,
    /// A number greater than zero.
    PositiveNumber,
    /// A fraction in (0, 1].
    Fraction,
    /// An id the table declares (a term's `id`).
    Id,
    /// An id of the given kind (checked to exist when the org is resolved).
    Ref(RefKind),
    /// One line of text of the form `pattern` (a regular expression, for the JSON
    /// Schemas): the loader reads it as [`FieldType::Text`], and the entity that holds
    /// it checks the form in code, with a finding that says what is wrong.
    Pattern(&'static str),
    /// A list of one-line texts.
    Texts,
    /// A list of ids of the given kind.
    Refs(RefKind),
    /// A sub-table.
    Table(&'static TableSchema),
    /// An array of tables (`[[name]]`).
    Tables(&'static TableSchema),
    /// A table of free keys with one-line text values.
    TextMap,
    /// A code-host account: a user (`ana-garcia`), an `org/team`, or an e-mail address.
    Handle,
    /// A table of rule ids with the values `allow`, `warn` or `deny`.
    LintMap,
    /// `true` or `false`.
    Boolean,
    /// A list of TOML local dates.
    Dates,
    /// A table of tables keyed by free ids (`[records.leads]`), each checked against
    /// the schema.
    TableMap(&'static TableSchema),
    /// A table of free keys, each holding a list of one-line texts (`where`).
    TextsMap,
}

/// The largest magnitude of any number in the files: far above any real revenue or
/// count, and small enough that every integer up to it is exact as a float and renders
/// as digits, not as `inf`.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// Whether `n` is a number the files may hold: finite, of magnitude at most
/// [`MAX_MAGNITUDE`].
pub fn is_in_range(n: f64) -> bool {
    n.is_finite() && n.abs() <= MAX_MAGNITUDE
}

/// The forms of a [`FieldType::Handle`] as one regular expression, for the JSON Schemas:
/// a code-host user (`^[A-Za-z0-9](-?[A-Za-z0-9])*$`, at most 39 characters; the length
/// is checked in code), an `org/team`, or an e-mail address.
pub const HANDLE_PATTERN: &str = "^([A-Za-z0-9](-?[A-Za-z0-9])*(/[A-Za-z0-9][A-Za-z0-9_-]*)?|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+)$";

/// What an id refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Person,
    Team,
    /// A person or a team: they share one namespace.
    Owner,
    Persona,
    Kpi,
    Agreement,
}

impl RefKind {
    /// How the kind is named in messages.
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Person => "person",
            RefKind::Team => "team",
            RefKind::Owner => "person or team",
            RefKind::Persona => "persona",
            RefKind::Kpi => "KPI",
            RefKind::Agreement => "agreement",
        }
    }
}

/// One key of a table.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub ty: FieldType,
    pub required: bool,
    /// Fewest items a list or array of tables must hold.
    pub min_items: usize,
    pub doc: &'static str,
}

impl Field {
    const fn at_least(mut self, min_items: usize) -> Self {
        self.min_items = min_items;
        self
    }
}

/// A closed table: only its fields are allowed.
#[derive(Debug)]
pub struct TableSchema {
    /// How the table is named in messages ("agreement", "term").
    pub name: &'static str,
    pub fields: &'static [Field],
}

impl TableSchema {
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

const fn req(key: &'static str, ty: FieldType, doc: &'static str) -> Field {
    Field {
        key,
        ty,
        required: true,
        min_items: 0,
        doc,
    }
}

const fn opt(key: &'static str, ty: FieldType, doc: &'static str) -> Field {
    Field {
        key,
        ty,
        required: false,
        min_items: 0,
        doc,
    }
}

use FieldType::*;

use crate::model::{
    ActionStatus, Cadence, Direction, MeetingDay, MeetingTime, Period, Statistic, TimeUnit, Unit,
};

pub static ORG: TableSchema = TableSchema {
    name: "org",
    fields: &[
        req("name", Text, "The company's name."),
        opt(
            "description",
            Markdown,
            "What the org is, shown on the site's front page.",
        ),
        opt(
            "language",
            Text,
            "Language of the site: <html lang> and the interface labels (en, es, pl, ru built in). Default en.",
        ),
    ],
};

pub static SITE: TableSchema = TableSchema {
    name: "site",
    fields: &[
        opt("title", Text, "Title of the site. Default: org.name."),
        opt("base_url", Text, "Where the site is published. Default /."),
        opt(
            "repository",
            Text,
            "The repository's web address (https://github.com/acme/alignment or a GitLab one): pages link to its editor and history.",
        ),
        opt("branch", Text, "The branch the links open. Default main."),
        opt(
            "url",
            Text,
            "The site's own absolute address (https://intranet.acme.com/alignment/), for feeds.",
        ),
        opt(
            "start",
            Text,
            "The docs page a newcomer reads first (docs/start-here.md): every page's header links it.",
        ),
    ],
};

pub static STAGE: TableSchema = TableSchema {
    name: "plan stage",
    fields: &[
        req(
            "name",
            Text,
            "Name of the funnel stage (Lead, MQL, Customer...).",
        ),
        opt(
            "conversion",
            Fraction,
            "Fraction (0, 1] of the previous stage that reaches this one; required from the second stage on.",
        ),
        opt("kpi", Ref(RefKind::Kpi), "The KPI that counts this stage."),
    ],
};

pub static PLAN: TableSchema = TableSchema {
    name: "plan",
    fields: &[
        opt("period", Text, "Label of the plan's period, e.g. 2027."),
        opt(
            "start",
            Date,
            "First day of the plan; its months are calendar months from this day's. Default January 1 of `period` when it is a year.",
        ),
        req(
            "revenue_target",
            PositiveNumber,
            "Revenue the plan must bring.",
        ),
        opt("currency", Text, "Currency label, e.g. EUR."),
        req("average_deal", PositiveNumber, "Revenue per new customer."),
        opt(
            "months",
            PositiveInteger,
            "Length of the plan in months. Default 12.",
        ),
        req(
            "stage",
            Tables(&STAGE),
            "The funnel stages, from the top; at least two.",
        )
        .at_least(2),
    ],
};

pub static CODEOWNERS: TableSchema = TableSchema {
    name: "codeowners",
    fields: &[
        opt(
            "default",
            Refs(RefKind::Owner),
            "People or teams on a first `*` line of CODEOWNERS: they review any file no other line names.",
        ),
        opt(
            "also",
            Refs(RefKind::Owner),
            "People or teams added to every line of CODEOWNERS.",
        ),
    ],
};

pub static CALENDAR: TableSchema = TableSchema {
    name: "calendar",
    fields: &[
        opt(
            "time_zone",
            Text,
            "IANA time zone of the records' times and of the hours, e.g. Europe/Madrid. Default UTC.",
        ),
        opt(
            "hours",
            Texts,
            "Opening hours for business-hours durations: day ranges with times, e.g. \"mon-fri 08:00-19:00\".",
        ),
        opt("holidays", Dates, "Days closed all day."),
    ],
};

pub static RECORD_SET: TableSchema = TableSchema {
    name: "record set",
    fields: &[
        opt(
            "file",
            Text,
            "The export: .csv, .tsv or .xlsx (first sheet), relative to the org root; optional when given at run time (--records NAME=PATH, ACCORD_RECORDS).",
        ),
        req("time", Text, "The column that places a row in a period."),
        opt(
            "delimiter",
            Text,
            "Field delimiter of a CSV file. Default: inferred from the header line.",
        ),
        opt(
            "decimal",
            Word(&[".", ","]),
            "Decimal separator of numbers. Default \".\".",
        ),
        opt(
            "date_format",
            Text,
            "strftime-style format of the times, e.g. %d/%m/%Y %H:%M. Default ISO 8601; required when the dates are ambiguous.",
        ),
    ],
};

pub static DURATION: TableSchema = TableSchema {
    name: "duration",
    fields: &[
        req("from", Text, "The column of the start time."),
        req(
            "to",
            Text,
            "The column of the end time; an empty cell is no end yet.",
        ),
        opt(
            "in",
            Word(TimeUnit::WORDS),
            "Unit of the duration. Default minutes.",
        ),
        opt(
            "business_hours",
            Boolean,
            "Count only the hours of [calendar]. Default false.",
        ),
    ],
};

pub static MEASURE: TableSchema = TableSchema {
    name: "measure",
    fields: &[
        req(
            "records",
            Text,
            "The record set of accord.toml ([records.NAME]) the KPI is measured from.",
        ),
        req(
            "value",
            Word(Statistic::WORDS),
            "What one period's value is: count | sum | mean | median | p90 | p95 | share.",
        ),
        opt(
            "duration",
            Table(&DURATION),
            "The time between two columns of a row, the values of the statistic.",
        ),
        opt(
            "column",
            Text,
            "A numeric column, the values of the statistic (instead of duration).",
        ),
        opt(
            "filled",
            Texts,
            "share: the rows where every listed column is non-empty.",
        ),
        opt(
            "within",
            Number,
            "share: the rows whose duration is at most this.",
        ),
        opt(
            "where",
            TextsMap,
            "Only the rows whose column holds one of the listed values.",
        ),
    ],
};

pub static ACCORD: TableSchema = TableSchema {
    name: "accord.toml",
    fields: &[
        req("org", Table(&ORG), "The organisation."),
        opt("site", Table(&SITE), "Site settings."),
        opt(
            "lints",
            LintMap,
            "Rule levels: rule id = \"allow\" | \"warn\" | \"deny\".",
        ),
        opt("plan", Table(&PLAN), "The growth plan."),
        opt(
            "codeowners",
            Table(&CODEOWNERS),
            "Owners `accord codeowners` adds to its output.",
        ),
        opt(
            "calendar",
            Table(&CALENDAR),
            "Working time, for business-hours durations of `accord measure`.",
        ),
        opt(
            "records",
            TableMap(&RECORD_SET),
            "Record sets (CRM exports) that KPIs are measured from, by name.",
        ),
    ],
};

pub static PERSON: TableSchema = TableSchema {
    name: "person",
    fields: &[
        req("name", Text, "Full name."),
        req(
            "teams",
            Refs(RefKind::Team),
            "Teams the person belongs to; at least one.",
        )
        .at_least(1),
        opt("title", Text, "Job title."),
        opt("email", Text, "E-mail address."),
        opt(
            "handle",
            Handle,
            "Code-host user name (or org/team, or e-mail), used by `accord codeowners`.",
        ),
    ],
};

pub static TEAM: TableSchema = TableSchema {
    name: "team",
    fields: &[
        req("name", Text, "Display name."),
        req(
            "lead",
            Ref(RefKind::Person),
            "The person who leads the team.",
        ),
        opt(
            "function",
            Text,
            "Free word: marketing, sales, distribution, service...",
        ),
        opt("description", Markdown, "What the team does."),
        opt(
            "handle",
            Handle,
            "The team on the code host (`acme/marketing`): `accord codeowners` names it instead of the lead where the team is an owner.",
        ),
    ],
};

pub static PERSONA: TableSchema = TableSchema {
    name: "persona",
    fields: &[
        req("name", Text, "Display name of the buyer persona."),
        opt("summary", Markdown, "Who this customer is."),
        req(
            "owner",
            Ref(RefKind::Owner),
            "Team or person that maintains the definition.",
        ),
        req(
            "agreed_by",
            Refs(RefKind::Team),
            "Teams that agreed this definition.",
        ),
        opt(
            "qualification",
            Texts,
            "What makes a lead of this persona a qualified lead.",
        ),
        opt("goals", Texts, "What the persona wants to achieve."),
        opt("pains", Texts, "What troubles the persona."),
        opt("channels", Texts, "Where the persona is reached."),
        opt(
            "profile",
            TextMap,
            "Free attributes with text values (age, location, role...).",
        ),
    ],
};

pub static SHARE: TableSchema = TableSchema {
    name: "share",
    fields: &[
        req("owner", Ref(RefKind::Owner), "One of the KPI's owners."),
        req("does", Text, "That owner's part of the KPI."),
    ],
};

pub static KPI: TableSchema = TableSchema {
    name: "KPI",
    fields: &[
        req("name", Text, "Display name."),
        req("definition", Markdown, "What is counted, and how."),
        req("unit", Word(Unit::WORDS), "Unit of the values."),
        req(
            "direction",
            Word(Direction::WORDS),
            "up: higher is better; down: lower is better.",
        ),
        req("period", Word(Period::WORDS), "Period one value covers."),
        req("target", Number, "Target per period, in the KPI's unit."),
        req(
            "owners",
            Refs(RefKind::Owner),
            "Teams or people that own the KPI; at least one.",
        )
        .at_least(1),
        opt("source", Text, "Where the number comes from."),
        opt(
            "share",
            Tables(&SHARE),
            "Each owner's part of a shared KPI.",
        ),
        opt(
            "measure",
            Table(&MEASURE),
            "How `accord measure` computes the actuals from a record set.",
        ),
    ],
};

pub static TERM: TableSchema = TableSchema {
    name: "term",
    fields: &[
        req("id", Id, "Id of the term, unique within the agreement."),
        opt(
            "title",
            Text,
            "A short name of the term, shown wherever it is named. Default: the first sentence of its commitment.",
        ),
        req("provider", Ref(RefKind::Team), "The party that commits."),
        req(
            "owner",
            Ref(RefKind::Person),
            "The person accountable for the term.",
        ),
        req("commitment", Markdown, "What is promised."),
        opt("kpi", Ref(RefKind::Kpi), "The KPI that measures the term."),
        opt("target", Number, "Threshold in the KPI's unit (needs kpi)."),
        opt(
            "persona",
            Ref(RefKind::Persona),
            "The persona the term is about.",
        ),
        opt(
            "escalation",
            Markdown,
            "What happens when the term is missed.",
        ),
    ],
};

pub static SIGNATURE: TableSchema = TableSchema {
    name: "signature",
    fields: &[
        req("party", Ref(RefKind::Team), "The party that signs."),
        req(
            "by",
            Ref(RefKind::Person),
            "The signer, a member of that party's team.",
        ),
        req("date", Date, "When it was signed."),
    ],
};

pub static AGREEMENT: TableSchema = TableSchema {
    name: "agreement",
    fields: &[
        req("title", Text, "Title of the agreement."),
        opt("summary", Markdown, "What the agreement is about."),
        req(
            "parties",
            Refs(RefKind::Team),
            "The teams bound by it; at least two distinct.",
        )
        .at_least(2),
        opt(
            "sponsor",
            Ref(RefKind::Person),
            "The executive who backs it.",
        ),
        opt(
            "referee",
            Ref(RefKind::Person),
            "The person who owns the cross-team interaction.",
        ),
        req("effective", Date, "First day in force."),
        req("expires", Date, "Last day in force; after effective."),
        opt("review", Text, "How often it is reviewed."),
        opt(
            "supersedes",
            Ref(RefKind::Agreement),
            "The agreement this one renews or replaces (`accord renew` sets it).",
        ),
        req("term", Tables(&TERM), "The commitments; at least one.").at_least(1),
        opt("signature", Tables(&SIGNATURE), "One per party."),
    ],
};

pub static ACTION: TableSchema = TableSchema {
    name: "action",
    fields: &[
        req("what", Text, "What was decided."),
        req("owner", Ref(RefKind::Owner), "Team or person that does it."),
        opt("due", Date, "When it is due."),
        opt(
            "status",
            Word(ActionStatus::WORDS),
            "open (default) or done.",
        ),
    ],
};

pub static MEETING: TableSchema = TableSchema {
    name: "meeting",
    fields: &[
        req("name", Text, "Display name."),
        req("cadence", Word(Cadence::WORDS), "How often it meets."),
        req("duration", PositiveInteger, "Length in minutes."),
        opt(
            "day",
            Pattern(MeetingDay::PATTERN),
            "The day it meets: mon..sun, or for a monthly or quarterly meeting one weekday of the month (\"first mon\", \"second tue\", \"third wed\", \"fourth thu\", \"last fri\"). A daily meeting takes none: it meets every working day. With `time`, puts the meeting in calendar.ics.",
        ),
        opt(
            "time",
            Pattern(MeetingTime::PATTERN),
            "When it starts, HH:MM on the 24-hour clock, in the [calendar] time zone (default UTC).",
        ),
        req(
            "teams",
            Refs(RefKind::Team),
            "Teams that meet; at least one.",
        )
        .at_least(1),
        req("facilitator", Ref(RefKind::Person), "Who runs it."),
        req(
            "attendees",
            Refs(RefKind::Person),
            "Who attends; at least one.",
        )
        .at_least(1),
        opt("agenda", Texts, "The standing agenda."),
        opt("action", Tables(&ACTION), "What the meeting decided."),
    ],
};

pub static FRONT_MATTER: TableSchema = TableSchema {
    name: "front matter",
    fields: &[
        opt(
            "title",
            Text,
            "Page title. Default: the first heading, else the file stem.",
        ),
        opt("weight", Integer, "Sort order among pages."),
    ],
};

/// Every field called `key` in any table of any file kind, nested tables included: what
/// a key means where only its name is known (a line the TOML parser could not read).
pub fn fields_named(key: &str) -> impl Iterator<Item = &'static Field> {
    fn walk(table: &'static TableSchema, key: &str, found: &mut Vec<&'static Field>) {
        for field in table.fields {
            if field.key == key {
                found.push(field);
            }
            if let FieldType::Table(sub) | FieldType::Tables(sub) = field.ty {
                walk(sub, key, found);
            }
        }
    }
    let mut found = Vec::new();
    for (_, table) in FILE_KINDS {
        walk(table, key, &mut found);
    }
    found.into_iter()
}

/// Every file kind with the name of its JSON Schema file, in the order `accord schema`
/// lists them. people.toml is a table of person tables keyed by id.
pub const FILE_KINDS: &[(&str, &TableSchema)] = &[
    ("accord", &ACCORD),
    ("people", &PERSON),
    ("team", &TEAM),
    ("persona", &PERSONA),
    ("kpi", &KPI),
    ("agreement", &AGREEMENT),
    ("meeting", &MEETING),
    ("front-matter", &FRONT_MATTER),
];
