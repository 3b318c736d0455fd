//! The resolved org: typed ids, entities, membership and the responsibility index.
//!
//! The model knows nothing of TOML or HTML. Every value a rule may point at keeps its
//! [`Loc`] so findings name the exact place in the files.

mod budget;
mod ids;
pub mod plan;
mod responsibility;
mod schedule;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

pub use budget::ErrorBudget;
pub use ids::{AgreementId, KpiId, MeetingId, OwnerId, PersonId, PersonaId, TeamId};
pub use plan::{Plan, Stage};
pub use responsibility::Responsibility;
pub use schedule::{MeetingDay, MeetingTime};

use crate::source::{FileId, Loc};

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Located<T> {
    pub value: T,
    #[serde(skip)]
    pub loc: Loc,
}

impl<T> Located<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        Located { value, loc }
    }
}

macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name { $(#[serde(rename = $word)] $variant),+ }

        impl $name {
            /// The words this value is written as, in declaration order.
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn from_word(word: &str) -> Option<Self> {
                match word { $($word => Some(Self::$variant),)+ _ => None }
            }

            pub fn word(self) -> &'static str {
                match self { $(Self::$variant => $word),+ }
            }
        }
    };
}

mod measure;
pub use measure::{
    Band, Calendar, Distribution, DurationSpec, Measure, Opening, RecordSet, Statistic, TimeUnit,
};

word_enum!(
    /// Unit of a KPI's values.
    Unit { Count = "count", Percent = "percent", Minutes = "minutes", Hours = "hours", Days = "days", Currency = "currency" }
);
impl Unit {
    /// Whether a KPI of this unit can take `value` (a target or an actual): a percent is
    /// on the 0-100 scale, so a 0.95 meant as 95 % is caught, not compared.
    pub fn admits(self, value: f64) -> bool {
        self != Unit::Percent || (0.0..=100.0).contains(&value)
    }
}

word_enum!(
    /// Which way a KPI improves.
    Direction { Up = "up", Down = "down" }
);
word_enum!(
    /// The period one value of a KPI covers.
    Period { Week = "week", Month = "month", Quarter = "quarter", Year = "year" }
);
word_enum!(
    /// How often a meeting meets.
    Cadence { Daily = "daily", Weekly = "weekly", Biweekly = "biweekly", Monthly = "monthly", Quarterly = "quarterly" }
);
word_enum!(
    /// Whether a meeting action is still to do.
    ActionStatus { Open = "open", Done = "done" }
);
word_enum!(
    /// A rule level as `[lints]` sets it.
    LintLevel { Allow = "allow", Warn = "warn", Deny = "deny" }
);

/// `accord.toml`: org settings and the growth plan.
#[derive(Clone, Debug, Serialize)]
pub struct Settings {
    pub name: String,
    pub description: Option<String>,
    pub language: String,
    pub site_title: String,
    pub base_url: String,
    /// `[site] repository` and `branch`: where pages link to propose a change.
    #[serde(skip)]
    pub repository: Option<Repository>,
    /// `[site] url`: the site's absolute address, ending in `/`.
    #[serde(skip)]
    pub url: Option<String>,
    /// `[site] start`: the docs page for newcomers, as its path under `docs/` without
    /// `.md` (a `DocPage` path), where it is written.
    #[serde(skip)]
    pub start: Option<Located<String>>,
    pub plan: Option<Plan>,
    /// `[codeowners]`: owners `accord codeowners` adds.
    #[serde(skip)]
    pub codeowners: CodeownersSettings,
    /// `[calendar]`: working time, for `accord measure`.
    #[serde(skip)]
    pub calendar: Calendar,
    /// `[records.*]`: the exports KPIs are measured from, by name.
    #[serde(skip)]
    pub records: BTreeMap<String, RecordSet>,
}

/// The code host an org's repository is on, and where pages link there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repository {
    /// `https://host/owner/name`, without a trailing `/`.
    pub url: String,
    pub branch: String,
    /// GitLab writes `/-/` before `edit` and `commits`; GitHub does not.
    pub gitlab: bool,
}

impl Repository {
    /// The host's web editor for `path` (from the repository's root, already encoded).
    pub fn edit(&self, path: &str) -> String {
        self.link("edit", path)
    }

    /// The commits that changed `path`.
    pub fn history(&self, path: &str) -> String {
        self.link("commits", path)
    }

    fn link(&self, what: &str, path: &str) -> String {
        let dash = if self.gitlab { "/-" } else { "" };
        format!("{}{dash}/{what}/{}/{path}", self.url, self.branch)
    }
}

/// `[codeowners]` of accord.toml: people or teams, by id.
#[derive(Clone, Debug, Default)]
pub struct CodeownersSettings {
    /// On a first `*` line: the reviewers of any file no other line names.
    pub default: Vec<Located<OwnerId>>,
    /// Added to every line.
    pub also: Vec<Located<OwnerId>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            name: String::new(),
            description: None,
            language: "en".into(),
            site_title: String::new(),
            base_url: "/".into(),
            start: None,
            repository: None,
            url: None,
            plan: None,
            codeowners: CodeownersSettings::default(),
            calendar: Calendar::default(),
            records: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub teams: Vec<Located<TeamId>>,
    pub title: Option<String>,
    pub email: Option<String>,
    pub handle: Option<String>,
    /// The person's `[id]` header in people.toml.
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Clone, Debug, Serialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub lead: Located<PersonId>,
    pub function: Option<String>,
    pub description: Option<String>,
    pub handle: Option<String>,
    #[serde(skip)]
    pub file: FileId,
}

#[derive(Clone, Debug, Serialize)]
pub struct Persona {
    pub id: PersonaId,
    pub name: String,
    pub summary: Option<String>,
    pub owner: Located<OwnerId>,
    pub agreed_by: Located<Vec<Located<TeamId>>>,
    pub qualification: Vec<String>,
    pub goals: Vec<String>,
    pub pains: Vec<String>,
    pub channels: Vec<String>,
    pub profile: BTreeMap<String, String>,
    #[serde(skip)]
    pub file: FileId,
}

/// One owner's part of a shared KPI.
#[derive(Clone, Debug, Serialize)]
pub struct Share {
    pub owner: Located<OwnerId>,
    pub does: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Kpi {
    pub id: KpiId,
    pub name: String,
    pub definition: String,
    pub unit: Unit,
    pub direction: Direction,
    pub period: Period,
    pub target: Located<f64>,
    pub owners: Vec<Located<OwnerId>>,
    pub source: Option<String>,
    #[serde(rename = "share")]
    pub shares: Vec<Share>,
    /// `[measure]`: how `accord measure` computes its actuals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    #[serde(skip)]
    pub file: FileId,
}

impl Kpi {
    /// Whether `value` meets the KPI's own target in its direction.
    pub fn meets_target(&self, value: f64) -> bool {
        self.meets(self.target.value, value)
    }

    /// Whether `value` meets `target` in the KPI's direction.
    pub fn meets(&self, target: f64, value: f64) -> bool {
        match self.direction {
            Direction::Up => value >= target,
            Direction::Down => value <= target,
        }
    }
}

/// A period label of an actuals row, ordered in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodLabel {
    Week { year: i16, week: u8 },
    Month { year: i16, month: u8 },
    Quarter { year: i16, quarter: u8 },
    Year { year: i16 },
}

impl PeriodLabel {
    /// The year the label names (an ISO week's year for a week).
    pub fn year(self) -> i16 {
        match self {
            PeriodLabel::Week { year, .. }
            | PeriodLabel::Month { year, .. }
            | PeriodLabel::Quarter { year, .. }
            | PeriodLabel::Year { year } => year,
        }
    }

    /// The last day of the period; `None` only for labels no date can have.
    pub fn last_day(self) -> Option<Date> {
        let month_end = |year: i16, month: u8| {
            Date::new(year, i8::try_from(month).ok()?, 1)
                .ok()
                .map(|first| first.last_of_month())
        };
        match self {
            PeriodLabel::Week { year, week } => jiff::civil::ISOWeekDate::new(
                year,
                i8::try_from(week).ok()?,
                jiff::civil::Weekday::Sunday,
            )
            .ok()
            .map(|d| d.date()),
            PeriodLabel::Month { year, month } => month_end(year, month),
            PeriodLabel::Quarter { year, quarter } => month_end(year, quarter * 3),
            PeriodLabel::Year { year } => month_end(year, 12),
        }
    }

    pub fn period(self) -> Period {
        match self {
            PeriodLabel::Week { .. } => Period::Week,
            PeriodLabel::Month { .. } => Period::Month,
            PeriodLabel::Quarter { .. } => Period::Quarter,
            PeriodLabel::Year { .. } => Period::Year,
        }
    }

    /// The period of kind `period` that `date` falls in (weeks are ISO weeks).
    pub fn containing(period: Period, date: Date) -> PeriodLabel {
        let year = date.year();
        // A month is 1..=12, so these casts cannot lose anything.
        let month = date.month() as u8;
        match period {
            Period::Week => {
                let iso = date.iso_week_date();
                PeriodLabel::Week {
                    year: iso.year(),
                    week: iso.week() as u8,
                }
            }
            Period::Month => PeriodLabel::Month { year, month },
            Period::Quarter => PeriodLabel::Quarter {
                year,
                quarter: (month - 1) / 3 + 1,
            },
            Period::Year => PeriodLabel::Year { year },
        }
    }

    /// The last period of kind `period` that ended before `date`: the one an actual
    /// should exist for by then.
    pub fn last_complete(period: Period, date: Date) -> PeriodLabel {
        let current = PeriodLabel::containing(period, date);
        match current {
            PeriodLabel::Week { .. } => {
                PeriodLabel::containing(period, date.saturating_sub(jiff::Span::new().days(7)))
            }
            PeriodLabel::Month { year, month: 1 } => PeriodLabel::Month {
                year: year - 1,
                month: 12,
            },
            PeriodLabel::Month { year, month } => PeriodLabel::Month {
                year,
                month: month - 1,
            },
            PeriodLabel::Quarter { year, quarter: 1 } => PeriodLabel::Quarter {
                year: year - 1,
                quarter: 4,
            },
            PeriodLabel::Quarter { year, quarter } => PeriodLabel::Quarter {
                year,
                quarter: quarter - 1,
            },
            PeriodLabel::Year { year } => PeriodLabel::Year { year: year - 1 },
        }
    }
}

impl std::fmt::Display for PeriodLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            PeriodLabel::Week { year, week } => write!(f, "{year}-W{week:02}"),
            PeriodLabel::Month { year, month } => write!(f, "{year}-{month:02}"),
            PeriodLabel::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            PeriodLabel::Year { year } => write!(f, "{year}"),
        }
    }
}

impl Serialize for PeriodLabel {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One measured value of a KPI.
#[derive(Clone, Debug, Serialize)]
pub struct Actual {
    pub period: PeriodLabel,
    pub value: f64,
    /// How many records the value was computed from (the optional `count` column); the
    /// error budget of a percent term is counted in them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// The CSV row.
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Clone, Debug, Serialize)]
pub struct Term {
    pub id: Located<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub provider: Located<TeamId>,
    pub owner: Located<PersonId>,
    pub commitment: String,
    pub kpi: Option<Located<KpiId>>,
    pub target: Option<Located<f64>>,
    pub persona: Option<Located<PersonaId>>,
    pub escalation: Option<String>,
    /// The `[[term]]` header.
    #[serde(skip)]
    pub loc: Loc,
}

impl Term {
    /// How pages and the terminal name the term: its `title`, else the first sentence of
    /// its commitment as plain text of at most 80 characters (its id means little to a
    /// reader).
    pub fn name(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| crate::text::first_sentence(&self.commitment, 80))
    }

    /// The threshold the term is held to on `kpi`: its own `target` when it has one,
    /// else the KPI's.
    pub fn target_on(&self, kpi: &Kpi) -> f64 {
        self.target.as_ref().map_or(kpi.target.value, |t| t.value)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Signature {
    pub party: Located<TeamId>,
    pub by: Located<PersonId>,
    pub date: Located<Date>,
}

impl Signature {
    /// The same party, signer and date, wherever it is written.
    pub fn same_as(&self, other: &Signature) -> bool {
        self.party.value == other.party.value
            && self.by.value == other.by.value
            && self.date.value == other.date.value
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Agreement {
    pub id: AgreementId,
    pub title: String,
    pub summary: Option<String>,
    pub parties: Located<Vec<Located<TeamId>>>,
    pub sponsor: Option<Located<PersonId>>,
    pub referee: Option<Located<PersonId>>,
    pub effective: Located<Date>,
    pub expires: Located<Date>,
    pub review: Option<String>,
    /// The agreement this one renews or replaces.
    pub supersedes: Option<Located<AgreementId>>,
    #[serde(rename = "term")]
    pub terms: Vec<Term>,
    #[serde(rename = "signature")]
    pub signatures: Vec<Signature>,
    #[serde(skip)]
    pub file: FileId,
}

/// How many days before `expires` an agreement counts as expiring.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;

/// Where an agreement stands on a given day, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AgreementState {
    /// A party has not signed: nobody is bound yet.
    Unsigned,
    /// Past `expires`.
    Expired,
    /// In force, ending within [`EXPIRY_NOTICE_DAYS`].
    Expiring,
    /// Signed, but `effective` is still ahead.
    Upcoming,
    /// Signed and in force.
    Active,
}

impl AgreementState {
    pub fn word(self) -> &'static str {
        match self {
            AgreementState::Unsigned => "unsigned",
            AgreementState::Expired => "expired",
            AgreementState::Expiring => "expiring",
            AgreementState::Upcoming => "upcoming",
            AgreementState::Active => "active",
        }
    }
}

impl Agreement {
    pub fn signatures_of<'a>(&'a self, party: &'a TeamId) -> impl Iterator<Item = &'a Signature> {
        self.signatures
            .iter()
            .filter(move |s| s.party.value == *party)
    }

    /// The parties with no signature, in the order of `parties`.
    pub fn unsigned_parties(&self) -> impl Iterator<Item = &Located<TeamId>> {
        self.parties
            .value
            .iter()
            .filter(|p| self.signatures_of(&p.value).next().is_none())
    }

    /// Days from `today` to `expires` (negative once expired).
    pub fn days_left(&self, today: Date) -> i64 {
        i64::from((self.expires.value - today).get_days())
    }

    pub fn is_expired(&self, today: Date) -> bool {
        self.days_left(today) < 0
    }

    /// In force and ending within the notice period (today and day 30 included).
    pub fn is_expiring(&self, today: Date) -> bool {
        (0..=EXPIRY_NOTICE_DAYS).contains(&self.days_left(today))
    }

    /// Whether the terms say something else than `before`'s, ignoring where they were
    /// written (spans are not serialized).
    pub fn terms_differ(&self, before: &Agreement) -> bool {
        serde_json::to_value(&self.terms).ok() != serde_json::to_value(&before.terms).ok()
    }

    /// The parties that have not signed since a base revision whose commit date is
    /// `since` and whose version of this agreement is `before`, each with its latest
    /// signature (if any): after a change of terms made since then, they have not signed
    /// what is now written. A signature counts as after the base when it is dated after
    /// `since`, or on that day and absent from `before`, so signing on the day works.
    pub fn unsigned_since(
        &self,
        before: &Agreement,
        since: Date,
    ) -> Vec<(&Located<TeamId>, Option<&Signature>)> {
        let after_base = |s: &Signature| {
            s.date.value > since
                || (s.date.value == since && !before.signatures.iter().any(|b| b.same_as(s)))
        };
        self.parties
            .value
            .iter()
            .filter(|party| !self.signatures_of(&party.value).any(after_base))
            .map(|party| {
                (
                    party,
                    self.signatures_of(&party.value)
                        .max_by_key(|s| s.date.value),
                )
            })
            .collect()
    }

    /// The agreement's state on `today`.
    pub fn state(&self, today: Date) -> AgreementState {
        if self.unsigned_parties().next().is_some() {
            AgreementState::Unsigned
        } else if self.is_expired(today) {
            AgreementState::Expired
        } else if self.effective.value > today {
            AgreementState::Upcoming
        } else if self.is_expiring(today) {
            AgreementState::Expiring
        } else {
            AgreementState::Active
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Action {
    pub what: String,
    pub owner: Located<OwnerId>,
    pub due: Option<Located<Date>>,
    pub status: ActionStatus,
}

impl Action {
    /// Open with a `due` date before `today`: overdue from the day after it is due.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status == ActionStatus::Open && self.due.as_ref().is_some_and(|due| due.value < today)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub name: String,
    pub cadence: Cadence,
    pub duration: Located<u32>,
    /// `day`: the weekday, or the weekday of the month, it meets on (none for daily
    /// meetings, which meet on every working day).
    pub day: Option<Located<MeetingDay>>,
    /// `time`: when it starts, in the `[calendar]` time zone.
    pub time: Option<Located<MeetingTime>>,
    pub teams: Vec<Located<TeamId>>,
    pub facilitator: Located<PersonId>,
    pub attendees: Vec<Located<PersonId>>,
    pub agenda: Vec<String>,
    #[serde(rename = "action")]
    pub actions: Vec<Action>,
    #[serde(skip)]
    pub file: FileId,
}

/// A free Markdown page from `docs/`.
#[derive(Clone, Debug, Serialize)]
pub struct DocPage {
    /// Path under `docs/` without the `.md` extension, forward slashes.
    pub path: String,
    pub title: String,
    pub weight: i64,
    pub body: String,
    #[serde(skip)]
    pub file: FileId,
}

/// What an owner id names: people and teams share one namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerKind {
    Person,
    Team,
}

/// The entities of an org, keyed by id. Entities whose files had structural errors are
/// left out.
#[derive(Clone, Debug, Serialize)]
/// Each entity is shared (`Arc`) with the load it came from: the preview's next load
/// reuses the entities of the files that did not change instead of copying them.
pub struct Entities {
    pub settings: Settings,
    pub people: BTreeMap<PersonId, Arc<Person>>,
    pub teams: BTreeMap<TeamId, Arc<Team>>,
    pub personas: BTreeMap<PersonaId, Arc<Persona>>,
    pub kpis: BTreeMap<KpiId, Arc<Kpi>>,
    /// Actuals per KPI, sorted by period.
    pub actuals: BTreeMap<KpiId, Vec<Actual>>,
    /// The spread of the latest measured period of duration KPIs.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub distributions: BTreeMap<KpiId, Distribution>,
    pub agreements: BTreeMap<AgreementId, Arc<Agreement>>,
    pub meetings: BTreeMap<MeetingId, Arc<Meeting>>,
    pub docs: Vec<DocPage>,
    /// Files in entity folders that are not entity files (the start of each).
    #[serde(skip)]
    pub stray_files: Vec<Loc>,
    /// Top-level folders that are not part of the format, not hidden and not a built
    /// site (the start of each).
    #[serde(skip)]
    pub unknown_folders: Vec<Located<String>>,
    /// Collections from which an entity was left out because of a structural error:
    /// rules that conclude from an absence (no shared meeting) stay quiet about them.
    #[serde(skip)]
    pub incomplete: BTreeSet<Collection>,
}

/// A collection of entities of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Collection {
    People,
    Teams,
    Personas,
    Kpis,
    Agreements,
    Meetings,
    /// The actuals files: one that could not be read may hold any KPI's numbers.
    Actuals,
}

/// The membership and responsibility indexes of an [`Org`].
#[derive(Debug)]
pub struct Indexes {
    members: BTreeMap<TeamId, Vec<PersonId>>,
    responsibilities: HashMap<OwnerId, Vec<Responsibility>>,
}

impl Indexes {
    /// The indexes over `entities`.
    pub fn of(entities: &Entities) -> Indexes {
        let mut members: BTreeMap<TeamId, Vec<PersonId>> = BTreeMap::new();
        for person in entities.people.values() {
            for team in &person.teams {
                members
                    .entry(team.value.clone())
                    .or_default()
                    .push(person.id.clone());
            }
        }
        Indexes {
            members,
            responsibilities: responsibility::index(entities),
        }
    }
}

/// The resolved org: its entities (reached through `Deref`) plus the membership and
/// responsibility indexes.
#[derive(Debug, Serialize)]
pub struct Org {
    #[serde(flatten)]
    entities: Entities,
    #[serde(skip)]
    members: BTreeMap<TeamId, Vec<PersonId>>,
    #[serde(skip)]
    responsibilities: HashMap<OwnerId, Vec<Responsibility>>,
}

impl std::ops::Deref for Org {
    type Target = Entities;

    fn deref(&self) -> &Entities {
        &self.entities
    }
}

impl Org {
    /// Builds the membership and responsibility indexes over `entities`.
    pub fn index(entities: Entities) -> Org {
        let indexes = Indexes::of(&entities);
        Org::with(entities, indexes)
    }

    /// `entities` with their indexes, built apart (while resolve checks the references).
    pub fn with(entities: Entities, indexes: Indexes) -> Org {
        Org {
            entities,
            members: indexes.members,
            responsibilities: indexes.responsibilities,
        }
    }

    /// The people whose `teams` list `team`, sorted by id.
    pub fn members(&self, team: &TeamId) -> &[PersonId] {
        self.members.get(team).map_or(&[], Vec::as_slice)
    }

    /// Whether `person` is a member of `team`; `None` when the person is not in the
    /// model (dangling, or left out for an error), so rules do not guess.
    pub fn membership(&self, person: &PersonId, team: &TeamId) -> Option<bool> {
        self.people
            .get(person)
            .map(|p| p.teams.iter().any(|t| t.value == *team))
    }

    /// Whether an owner id names a person or a team.
    pub fn owner_kind(&self, id: &str) -> Option<OwnerKind> {
        if self.people.contains_key(id) {
            Some(OwnerKind::Person)
        } else if self.teams.contains_key(id) {
            Some(OwnerKind::Team)
        } else {
            None
        }
    }

    /// Display name of a person or team, falling back to the id.
    pub fn display_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.people
            .get(id)
            .map(|p| p.name.as_str())
            .or_else(|| self.teams.get(id).map(|t| t.name.as_str()))
            .unwrap_or(id)
    }

    /// Everything a person or team owns directly, in file order.
    pub fn responsibilities_of(&self, owner: &str) -> &[Responsibility] {
        self.responsibilities.get(owner).map_or(&[], Vec::as_slice)
    }

    /// The latest actual of a KPI, by period.
    pub fn latest_actual(&self, kpi: &KpiId) -> Option<&Actual> {
        self.actuals.get(kpi).and_then(|rows| rows.last())
    }
}
