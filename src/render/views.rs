//! What each page shows, computed from the model: plain data for the templates.
//!
//! All decisions live here (which links, which state, what is short of target) so the
//! templates only lay the data out. Links are paths from the site root; templates put
//! the page's `root` (`""`, `"../"`...) in front, so every internal link is relative.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use super::actions_page::ActionLists;
use super::chart;
use super::{markdown, measure_words, number};
use crate::diagnostic::{Finding, Level, Placed};
use crate::history::{Origins, is_persons_address};
use crate::model::{
    Action, Actual, Agreement, AgreementId, AgreementState, Band, Direction, Distribution,
    Entities, ErrorBudget, Kpi, KpiId, Meeting, MeetingId, Org, OwnerKind, PeriodLabel, Persona,
    PersonaId, Repository, Responsibility, Signature, Team, Term, Unit,
};
use crate::source::Sources;

/// A link to a page of the site.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    /// From the site root, e.g. `people/ana.html`.
    pub href: String,
    pub text: String,
}

/// Everything the pages are made from.
pub struct SiteData<'a> {
    pub org: &'a Org,
    pub findings: &'a [Finding],
    pub sources: &'a Sources,
    pub today: Date,
    /// The commit that introduced each signature, when the git history was read.
    pub origins: Option<&'a Origins>,
    /// The interface labels, for what the pages say in words (targets).
    pub labels: Option<&'a toml::Table>,
    /// The git history of the org's files, when it was read.
    pub changes: Option<&'a crate::history::Changes>,
    links: Backlinks<'a>,
}

/// What points at each entity, indexed once so each page looks up its own instead of
/// scanning every agreement and meeting (which made large sites quadratic).
#[derive(Default)]
struct Backlinks<'a> {
    actions_of_owner: HashMap<&'a str, Vec<(&'a Meeting, &'a Action)>>,
    agreements_of_team: HashMap<&'a str, Vec<&'a Agreement>>,
    meetings_of_team: HashMap<&'a str, Vec<&'a Meeting>>,
    meetings_of_person: HashMap<&'a str, Vec<&'a Meeting>>,
    signatures_by: HashMap<&'a str, Vec<(&'a Agreement, &'a Signature)>>,
    /// The agreements that name each agreement in `supersedes`.
    superseded_by: HashMap<&'a str, Vec<&'a Agreement>>,
    teams_led_by: HashMap<&'a str, Vec<&'a Team>>,
    terms_of_kpi: HashMap<&'a str, Vec<(&'a Agreement, &'a Term)>>,
    terms_of_persona: HashMap<&'a str, Vec<(&'a Agreement, &'a Term)>>,
}

impl<'a> Backlinks<'a> {
    fn of(org: &'a Org) -> Self {
        let mut links = Backlinks::default();
        for agreement in org.agreements.values() {
            for party in &agreement.parties.value {
                links
                    .agreements_of_team
                    .entry(party.value.as_str())
                    .or_default()
                    .push(agreement);
            }
            if let Some(old) = &agreement.supersedes {
                links
                    .superseded_by
                    .entry(old.value.as_str())
                    .or_default()
                    .push(agreement);
            }
            for signature in &agreement.signatures {
                links
                    .signatures_by
                    .entry(signature.by.value.as_str())
                    .or_default()
                    .push((agreement, signature));
            }
            for term in &agreement.terms {
                if let Some(kpi) = &term.kpi {
                    links
                        .terms_of_kpi
                        .entry(kpi.value.as_str())
                        .or_default()
                        .push((agreement, term));
                }
                if let Some(persona) = &term.persona {
                    links
                        .terms_of_persona
                        .entry(persona.value.as_str())
                        .or_default()
                        .push((agreement, term));
                }
            }
        }
        for meeting in org.meetings.values() {
            for action in &meeting.actions {
                links
                    .actions_of_owner
                    .entry(action.owner.value.as_str())
                    .or_default()
                    .push((meeting, action));
            }
            for team in &meeting.teams {
                links
                    .meetings_of_team
                    .entry(team.value.as_str())
                    .or_default()
                    .push(meeting);
            }
            let mut people: Vec<&str> =
                meeting.attendees.iter().map(|a| a.value.as_str()).collect();
            people.push(meeting.facilitator.value.as_str());
            people.sort_unstable();
            people.dedup();
            for person in people {
                links
                    .meetings_of_person
                    .entry(person)
                    .or_default()
                    .push(meeting);
            }
        }
        for team in org.teams.values() {
            links
                .teams_led_by
                .entry(team.lead.value.as_str())
                .or_default()
                .push(team);
        }
        links
    }
}

fn linked<'v, T>(map: &'v HashMap<&str, Vec<T>>, id: &str) -> &'v [T] {
    map.get(id).map_or(&[], Vec::as_slice)
}

impl<'a> SiteData<'a> {
    pub fn new(org: &'a Org, findings: &'a [Finding], sources: &'a Sources, today: Date) -> Self {
        SiteData {
            org,
            findings,
            sources,
            today,
            origins: None,
            labels: None,
            changes: None,
            links: Backlinks::of(org),
        }
    }

    /// The actions of every meeting that `owner` (a person or a team) owns.
    pub fn actions_of(&self, owner: &str) -> &[(&'a Meeting, &'a Action)] {
        linked(&self.links.actions_of_owner, owner)
    }

    pub fn person(&self, id: &str) -> Link {
        Link {
            href: format!("people/{id}.html"),
            text: self.org.display_name(id).to_owned(),
        }
    }

    pub fn team(&self, id: &str) -> Link {
        Link {
            href: format!("teams/{id}.html"),
            text: self.org.display_name(id).to_owned(),
        }
    }

    /// A person or a team, whichever the id names.
    pub fn owner(&self, id: &str) -> Link {
        match self.org.owner_kind(id) {
            Some(OwnerKind::Team) => self.team(id),
            _ => self.person(id),
        }
    }

    pub fn kpi(&self, id: &KpiId) -> Link {
        entity_link(
            "kpis",
            id.as_str(),
            self.org.kpis.get(id).map(|e| e.name.as_str()),
        )
    }

    pub fn persona(&self, id: &PersonaId) -> Link {
        entity_link(
            "personas",
            id.as_str(),
            self.org.personas.get(id).map(|e| e.name.as_str()),
        )
    }

    pub fn agreement(&self, id: &AgreementId) -> Link {
        entity_link(
            "agreements",
            id.as_str(),
            self.org.agreements.get(id).map(|e| e.title.as_str()),
        )
    }

    pub fn meeting(&self, id: &MeetingId) -> Link {
        entity_link(
            "meetings",
            id.as_str(),
            self.org.meetings.get(id).map(|e| e.name.as_str()),
        )
    }

    fn responsibility(&self, responsibility: &Responsibility) -> ResponsibilityRow {
        let status = match responsibility {
            Responsibility::TermOwner { agreement, term }
            | Responsibility::TermProvider { agreement, term } => {
                self.term_status_in(agreement, term)
            }
            _ => None,
        };
        let (kind, subject, detail) = match responsibility {
            Responsibility::TeamLead { team } => ("resp_team_lead", self.team(team.as_str()), None),
            Responsibility::PersonaOwner { persona } => {
                ("resp_persona_owner", self.persona(persona), None)
            }
            Responsibility::KpiOwner { kpi } => ("resp_kpi_owner", self.kpi(kpi), None),
            Responsibility::KpiShare { kpi, does } => {
                ("resp_kpi_share", self.kpi(kpi), Some(does.clone()))
            }
            Responsibility::AgreementSponsor { agreement } => {
                ("resp_agreement_sponsor", self.agreement(agreement), None)
            }
            Responsibility::AgreementReferee { agreement } => {
                ("resp_agreement_referee", self.agreement(agreement), None)
            }
            Responsibility::TermOwner { agreement, term } => (
                "resp_term_owner",
                term_link(self.agreement(agreement), term),
                Some(self.term_name(agreement, term)),
            ),
            Responsibility::TermProvider { agreement, term } => (
                "resp_term_provider",
                term_link(self.agreement(agreement), term),
                Some(self.term_name(agreement, term)),
            ),
            Responsibility::MeetingFacilitator { meeting } => {
                ("resp_meeting_facilitator", self.meeting(meeting), None)
            }
            Responsibility::ActionOwner {
                meeting, action, ..
            } => (
                "resp_action_owner",
                self.meeting(meeting),
                Some(action.clone()),
            ),
        };
        ResponsibilityRow {
            kind,
            subject,
            detail,
            status,
        }
    }

    fn responsibilities(&self, owner: &str) -> Vec<ResponsibilityRow> {
        self.org
            .responsibilities_of(owner)
            .iter()
            .map(|r| self.responsibility(r))
            .collect()
    }

    /// How the terms of `agreement` stand, per providing party, in the parties' order.
    fn scorecard(&self, agreement: &Agreement) -> Vec<ScoreLine> {
        agreement
            .parties
            .value
            .iter()
            .filter_map(|party| {
                let provided = agreement
                    .terms
                    .iter()
                    .filter(|t| t.provider.value == party.value);
                let score = Score::of(provided.map(|t| self.term_status(t)));
                (score.total > 0).then(|| ScoreLine {
                    provider: self.team(party.value.as_str()),
                    to: agreement
                        .parties
                        .value
                        .iter()
                        .filter(|other| other.value != party.value)
                        .map(|other| self.team(other.value.as_str()))
                        .collect(),
                    score,
                })
            })
            .collect()
    }

    pub(super) fn agreement_row(&self, agreement: &Agreement) -> AgreementRow {
        let state = agreement.state(self.today);
        AgreementRow {
            health: Score::of(agreement.terms.iter().map(|t| self.term_status(t))),
            link: self.agreement(&agreement.id),
            state,
            parties: agreement
                .parties
                .value
                .iter()
                .map(|p| self.team(p.value.as_str()))
                .collect(),
            effective: agreement.effective.value.to_string(),
            expires: agreement.expires.value.to_string(),
            days_left: agreement.days_left(self.today),
        }
    }

    pub(super) fn kpi_status(&self, kpi: &Kpi) -> KpiStatus {
        self.status(kpi, kpi.target.value)
    }

    /// A term's status wherever it is shown: the latest actual of its KPI against the
    /// term's own `target` when it has one (a term may promise more than the KPI's
    /// target), else the KPI's; `None` for a term without a KPI in the model.
    fn term_status(&self, term: &Term) -> Option<KpiStatus> {
        let kpi = self.org.kpis.get(&term.kpi.as_ref()?.value)?;
        Some(self.status(kpi, term.target_on(kpi)))
    }

    /// The latest actual of `kpi` against `target`, in the KPI's direction, while it is
    /// the one of the last complete period (as `stale-actuals` asks).
    fn status(&self, kpi: &Kpi, target: f64) -> KpiStatus {
        let due = PeriodLabel::last_complete(kpi.period, self.today);
        match self.org.latest_actual(&kpi.id) {
            None => KpiStatus::None,
            Some(latest) if latest.period < due => KpiStatus::Stale {
                since: latest.period.to_string(),
            },
            Some(latest) if kpi.meets(target, latest.value) => KpiStatus::On,
            Some(_) => KpiStatus::Off,
        }
    }

    /// How `kpi`'s actuals moved, against `target`.
    fn trend(&self, kpi: &Kpi, target: f64) -> Trend {
        let actuals: &[Actual] = self.org.actuals.get(&kpi.id).map_or(&[], Vec::as_slice);
        let change = match actuals {
            [.., previous, latest] => Some(latest.value - previous.value),
            _ => None,
        };
        let recent = &actuals[actuals.len().saturating_sub(RECENT_PERIODS)..];
        let year = self.today.year();
        let adds_up = matches!(kpi.unit, Unit::Count | Unit::Currency);
        Trend {
            change: change.map(|c| {
                let sign = if c > 0.0 { "+" } else { "" };
                format!("{sign}{}", number(c))
            }),
            improving: change.filter(|c| *c != 0.0).map(|c| match kpi.direction {
                Direction::Up => c > 0.0,
                Direction::Down => c < 0.0,
            }),
            met: recent.iter().filter(|a| kpi.meets(target, a.value)).count(),
            recent: recent.len(),
            sparkline: (actuals.len() >= 2).then(|| {
                chart::sparkline(
                    kpi,
                    &actuals[actuals.len().saturating_sub(SPARKLINE_PERIODS)..],
                    target,
                )
            }),
            year_to_date: adds_up
                .then(|| {
                    actuals
                        .iter()
                        .filter(|a| a.period.year() == year)
                        .map(|a| a.value)
                        .reduce(|sum, v| sum + v)
                })
                .flatten()
                .map(number),
            year,
        }
    }

    /// A target of `kpi` as people say it, in the site's language.
    fn target_words(&self, kpi: &Kpi, target: f64) -> String {
        measure_words::target_words(kpi, target, |key| self.label(key))
    }

    fn label(&self, key: &str) -> String {
        self.labels
            .and_then(|labels| labels.get(key))
            .and_then(|v| v.as_str())
            .unwrap_or(key)
            .to_owned()
    }

    /// How term `term` of `agreement` is named ([`Term::name`]); its id only when the
    /// model has no such term.
    fn term_name(&self, agreement: &AgreementId, term: &str) -> String {
        self.org
            .agreements
            .get(agreement)
            .and_then(|a| a.terms.iter().find(|t| t.id.value == term))
            .map_or_else(|| term.to_owned(), Term::name)
    }

    /// The status of term `term` of `agreement`, for the owners of the term.
    fn term_status_in(&self, agreement: &AgreementId, term: &str) -> Option<KpiStatus> {
        let agreement = self.org.agreements.get(agreement)?;
        let term = agreement.terms.iter().find(|t| t.id.value == term)?;
        self.term_status(term)
    }

    pub(super) fn kpi_row(&self, kpi: &Kpi) -> KpiRow {
        let latest = self.org.latest_actual(&kpi.id);
        KpiRow {
            link: self.kpi(&kpi.id),
            target: number(kpi.target.value),
            target_words: self.target_words(kpi, kpi.target.value),
            trend: self.trend(kpi, kpi.target.value),
            unit: kpi.unit.word(),
            period: kpi.period.word(),
            direction: kpi.direction.word(),
            latest: latest.map(|a| number(a.value)),
            latest_period: latest.map(|a| a.period.to_string()),
            status: self.kpi_status(kpi),
            owners: kpi
                .owners
                .iter()
                .map(|o| self.owner(o.value.as_str()))
                .collect(),
        }
    }

    /// The roles a team holds, by itself and through its members: every responsibility
    /// of the team and of each member, and each signature a member gave; leading this
    /// very team does not count (every team has a lead), leading another one does.
    pub(super) fn roles_of_team(&self, team: &Team) -> usize {
        let own = self.org.responsibilities_of(team.id.as_str()).len();
        let members: usize = self
            .org
            .members(&team.id)
            .iter()
            .map(|person| {
                let roles = self
                    .org
                    .responsibilities_of(person.as_str())
                    .iter()
                    .filter(
                        |r| !matches!(r, Responsibility::TeamLead { team: led } if *led == team.id),
                    )
                    .count();
                roles + linked(&self.links.signatures_by, person.as_str()).len()
            })
            .sum();
        own + members
    }

    pub(super) fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }
}

/// Characters a path segment of a link keeps as they are; ids never need more, but
/// docs pages are named by their authors (`why?.md`, `q#1.md`).
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A relative path made safe for `href`: each segment percent-encoded.
fn url_path(path: &str) -> String {
    path.split('/')
        .map(|segment| percent_encoding::utf8_percent_encode(segment, PATH_SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The page of the doc at `path` (under `docs/`, without `.md`), from the site root.
pub fn doc_href(path: &str) -> String {
    format!("docs/{}.html", url_path(path))
}

/// Where a page's file is edited and its history read on the code host, for `path`
/// from the org root; `prefix` is the org's folder in the repository.
#[derive(Serialize)]
pub struct SourceLinks {
    edit: String,
    history: String,
}

impl SourceLinks {
    pub fn of(repository: &Repository, prefix: &str, path: &str) -> SourceLinks {
        let path = url_path(&format!("{prefix}{path}"));
        SourceLinks {
            edit: repository.edit(&path),
            history: repository.history(&path),
        }
    }
}

/// A link to `folder/id.html` named after the entity, or its id when it is missing.
fn entity_link(folder: &str, id: &str, name: Option<&str>) -> Link {
    Link {
        href: format!("{folder}/{id}.html"),
        text: name.unwrap_or(id).to_owned(),
    }
}

fn term_link(agreement: Link, term: &str) -> Link {
    Link {
        href: format!("{}#term-{term}", agreement.href),
        text: agreement.text,
    }
}

pub(super) fn markdown(text: &Option<String>) -> Option<String> {
    text.as_deref().map(markdown::to_html)
}

/// The entities as data.json publishes them: every Markdown field the pages render (the
/// same fields as above) without the raw HTML the pages drop.
pub fn published_entities(org: &Org) -> Entities {
    fn clean(text: &mut String) {
        *text = markdown::without_raw_html(text);
    }
    fn clean_optional(text: &mut Option<String>) {
        text.iter_mut().for_each(clean);
    }
    let mut entities = (**org).clone();
    clean_optional(&mut entities.settings.description);
    // `make_mut`: the published copy is changed, not the org's entities.
    for team in entities.teams.values_mut() {
        clean_optional(&mut Arc::make_mut(team).description);
    }
    for persona in entities.personas.values_mut() {
        clean_optional(&mut Arc::make_mut(persona).summary);
    }
    for kpi in entities.kpis.values_mut() {
        clean(&mut Arc::make_mut(kpi).definition);
    }
    for agreement in entities.agreements.values_mut() {
        let agreement = Arc::make_mut(agreement);
        clean_optional(&mut agreement.summary);
        for term in &mut agreement.terms {
            clean(&mut term.commitment);
            clean_optional(&mut term.escalation);
        }
    }
    for page in &mut entities.docs {
        clean(&mut page.body);
    }
    entities
}

#[derive(Serialize)]
pub struct ResponsibilityRow {
    /// Label key of the kind (`resp_term_owner`).
    kind: &'static str,
    subject: Link,
    detail: Option<String>,
    /// On or off target, for a term measured by a KPI.
    status: Option<KpiStatus>,
}

/// How many terms are met, missed, or have no numbers to tell.
#[derive(Serialize, Default)]
pub struct Score {
    met: usize,
    missed: usize,
    /// Terms without a KPI, without actuals, or whose actuals stopped.
    without_data: usize,
    total: usize,
}

impl Score {
    fn of(statuses: impl Iterator<Item = Option<KpiStatus>>) -> Score {
        let mut score = Score::default();
        for status in statuses {
            score.total += 1;
            match status {
                Some(KpiStatus::On) => score.met += 1,
                Some(KpiStatus::Off) => score.missed += 1,
                _ => score.without_data += 1,
            }
        }
        score
    }
}

/// The terms one party provides to the others, scored.
#[derive(Serialize)]
pub struct ScoreLine {
    provider: Link,
    to: Vec<Link>,
    score: Score,
}

#[derive(Serialize)]
pub struct AgreementRow {
    link: Link,
    health: Score,
    state: AgreementState,
    parties: Vec<Link>,
    effective: String,
    expires: String,
    days_left: i64,
}

/// Where a KPI (or a term measured by it) stands. Missing numbers are a state of their
/// own, shown in grey, never a blank: a measure nobody updates must not look met.
#[derive(Clone, Serialize)]
#[serde(rename_all = "lowercase", tag = "state")]
pub enum KpiStatus {
    On,
    Off,
    /// The last complete period has no actual; `since` is the latest period that has one.
    Stale {
        since: String,
    },
    /// No actual at all.
    None,
}

/// The number of latest periods "on target in N of the last ..." counts.
const RECENT_PERIODS: usize = 6;
/// The number of latest periods a sparkline draws.
const SPARKLINE_PERIODS: usize = 12;

/// A KPI's actuals read beyond the latest period.
#[derive(Serialize)]
pub struct Trend {
    /// The change of the latest value since the previous period's, signed ("+5", "-3").
    change: Option<String>,
    /// Whether that change goes the KPI's way (up for "up", down for "down").
    improving: Option<bool>,
    /// On target in `met` of the last `recent` periods that have an actual.
    met: usize,
    recent: usize,
    sparkline: Option<String>,
    /// The sum of this year's actuals, for units that add up (counts, money).
    year_to_date: Option<String>,
    year: i16,
}

#[derive(Serialize)]
pub struct KpiRow {
    link: Link,
    target: String,
    target_words: String,
    trend: Trend,
    unit: &'static str,
    period: &'static str,
    direction: &'static str,
    latest: Option<String>,
    latest_period: Option<String>,
    status: KpiStatus,
    owners: Vec<Link>,
}

#[derive(Serialize)]
pub struct MeetingRow {
    link: Link,
    cadence: &'static str,
    duration: u32,
    teams: Vec<Link>,
}

pub(super) fn meeting_row(data: &SiteData, meeting: &Meeting) -> MeetingRow {
    MeetingRow {
        link: data.meeting(&meeting.id),
        cadence: meeting.cadence.word(),
        duration: meeting.duration.value,
        teams: meeting
            .teams
            .iter()
            .map(|t| data.team(t.value.as_str()))
            .collect(),
    }
}

#[derive(Serialize)]
pub struct OwnerSection {
    link: Link,
    teams: Vec<Link>,
    responsibilities: Vec<ResponsibilityRow>,
}

#[derive(Serialize)]
pub struct OwnersView {
    people: Vec<OwnerSection>,
    teams: Vec<OwnerSection>,
}

pub fn owners(data: &SiteData) -> OwnersView {
    let org = data.org;
    let people = org
        .people
        .values()
        .map(|p| OwnerSection {
            link: data.person(p.id.as_str()),
            teams: p
                .teams
                .iter()
                .map(|t| data.team(t.value.as_str()))
                .collect(),
            responsibilities: data.responsibilities(p.id.as_str()),
        })
        .collect();
    let teams: Vec<OwnerSection> = org
        .teams
        .values()
        .map(|t| OwnerSection {
            link: data.team(t.id.as_str()),
            teams: Vec::new(),
            responsibilities: data.responsibilities(t.id.as_str()),
        })
        .collect();
    OwnersView { people, teams }
}

#[derive(Serialize)]
pub struct TeamView {
    /// The team's actions: open ones first, by due date.
    actions: ActionLists,
    name: String,
    id: String,
    function: Option<String>,
    description: Option<String>,
    lead: Link,
    members: Vec<Link>,
    responsibilities: Vec<ResponsibilityRow>,
    agreements: Vec<AgreementRow>,
    meetings: Vec<MeetingRow>,
}

pub fn team(data: &SiteData, team: &Team) -> TeamView {
    let org = data.org;
    TeamView {
        actions: ActionLists::of(data, data.actions_of(team.id.as_str()).iter().copied()),
        name: team.name.clone(),
        id: team.id.to_string(),
        function: team.function.clone(),
        description: markdown(&team.description),
        lead: data.person(team.lead.value.as_str()),
        members: org
            .members(&team.id)
            .iter()
            .map(|p| data.person(p.as_str()))
            .collect(),
        responsibilities: data.responsibilities(team.id.as_str()),
        agreements: linked(&data.links.agreements_of_team, team.id.as_str())
            .iter()
            .map(|a| data.agreement_row(a))
            .collect(),
        meetings: linked(&data.links.meetings_of_team, team.id.as_str())
            .iter()
            .map(|m| meeting_row(data, m))
            .collect(),
    }
}

#[derive(Serialize)]
pub struct LedTeam {
    team: Link,
    responsibilities: Vec<ResponsibilityRow>,
}

#[derive(Serialize)]
pub struct SignatureRow {
    agreement: Link,
    party: Link,
    date: String,
}

#[derive(Serialize)]
pub struct PersonView {
    /// The person's actions and those of the teams they lead: open ones first.
    actions: ActionLists,
    name: String,
    id: String,
    title: Option<String>,
    email: Option<String>,
    teams: Vec<Link>,
    responsibilities: Vec<ResponsibilityRow>,
    led_teams: Vec<LedTeam>,
    meetings: Vec<Link>,
    signatures: Vec<SignatureRow>,
}

pub fn person(data: &SiteData, person: &crate::model::Person) -> PersonView {
    let led = linked(&data.links.teams_led_by, person.id.as_str());
    let actions = ActionLists::of(
        data,
        data.actions_of(person.id.as_str())
            .iter()
            .chain(led.iter().flat_map(|t| data.actions_of(t.id.as_str())))
            .copied(),
    );
    PersonView {
        actions,
        name: person.name.clone(),
        id: person.id.to_string(),
        title: person.title.clone(),
        email: person.email.clone(),
        teams: person
            .teams
            .iter()
            .map(|t| data.team(t.value.as_str()))
            .collect(),
        responsibilities: data.responsibilities(person.id.as_str()),
        led_teams: linked(&data.links.teams_led_by, person.id.as_str())
            .iter()
            .map(|t| LedTeam {
                team: data.team(t.id.as_str()),
                responsibilities: data.responsibilities(t.id.as_str()),
            })
            .collect(),
        meetings: linked(&data.links.meetings_of_person, person.id.as_str())
            .iter()
            .map(|m| data.meeting(&m.id))
            .collect(),
        signatures: linked(&data.links.signatures_by, person.id.as_str())
            .iter()
            .map(|(a, s)| SignatureRow {
                agreement: data.agreement(&a.id),
                party: data.team(s.party.value.as_str()),
                date: s.date.value.to_string(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct TermRef {
    agreement: Link,
    /// The term's name ([`Term::name`]).
    term: String,
    target: Option<String>,
    status: Option<KpiStatus>,
}

#[derive(Serialize)]
pub struct PersonaView {
    name: String,
    summary: Option<String>,
    owner: Link,
    agreed_by: Vec<Link>,
    qualification: Vec<String>,
    goals: Vec<String>,
    pains: Vec<String>,
    channels: Vec<String>,
    profile: Vec<(String, String)>,
    terms: Vec<TermRef>,
}

pub fn persona(data: &SiteData, persona: &Persona) -> PersonaView {
    PersonaView {
        name: persona.name.clone(),
        summary: markdown(&persona.summary),
        owner: data.owner(persona.owner.value.as_str()),
        agreed_by: persona
            .agreed_by
            .value
            .iter()
            .map(|t| data.team(t.value.as_str()))
            .collect(),
        qualification: persona.qualification.clone(),
        goals: persona.goals.clone(),
        pains: persona.pains.clone(),
        channels: persona.channels.clone(),
        profile: persona
            .profile
            .iter()
            .map(|(k, v)| (key_as_words(k), v.clone()))
            .collect(),
        terms: term_refs(
            data,
            linked(&data.links.terms_of_persona, persona.id.as_str()),
        ),
    }
}

/// A free key as a reader says it: `company_size` and `company-size` read "Company size".
fn key_as_words(key: &str) -> String {
    let words = key.replace(['_', '-'], " ");
    let mut chars = words.trim().chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn term_refs(data: &SiteData, terms: &[(&Agreement, &Term)]) -> Vec<TermRef> {
    terms
        .iter()
        .map(|(a, t)| TermRef {
            agreement: term_link(data.agreement(&a.id), &t.id.value),
            term: t.name(),
            target: t.target.as_ref().map(|x| number(x.value)),
            status: data.term_status(t),
        })
        .collect()
}

#[derive(Serialize)]
pub struct TermView {
    id: String,
    /// The term's name ([`Term::name`]).
    name: String,
    provider: Link,
    owner: Link,
    commitment: String,
    kpi: Option<Link>,
    target: Option<String>,
    unit: Option<&'static str>,
    status: Option<KpiStatus>,
    /// The target the term is held to, as people say it.
    target_words: Option<String>,
    latest: Option<String>,
    latest_period: Option<String>,
    trend: Option<Trend>,
    /// The first term of its provider: the page starts the provider's group there.
    first_of_provider: bool,
    persona: Option<Link>,
    escalation: Option<String>,
    /// Per period with a record count, when the KPI is a percent: oldest first.
    budget: Vec<BudgetRow>,
    /// Whether the latest period's budget is spent: the escalation applies now.
    budget_spent: bool,
}

#[derive(Serialize)]
pub struct BudgetRow {
    period: String,
    count: u64,
    allowed: u64,
    misses: u64,
    spent: bool,
}

/// The error budget of `term` in every period of its KPI's actuals that has a count.
fn budget_rows(data: &SiteData, kpi: &Kpi, term: &Term) -> Vec<BudgetRow> {
    let target = term.target_on(kpi);
    data.org
        .actuals
        .get(&kpi.id)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|actual| {
            let budget = ErrorBudget::of(kpi, target, actual)?;
            Some(BudgetRow {
                period: actual.period.to_string(),
                count: actual.count?,
                allowed: budget.allowed,
                misses: budget.misses,
                spent: budget.spent(),
            })
        })
        .collect()
}

#[derive(Serialize)]
pub struct PartySignature {
    party: Link,
    by: Option<Link>,
    date: Option<String>,
    /// The short id of the commit that introduced the signature; none when it is not
    /// committed yet or the history was not read.
    commit: Option<String>,
    /// The author of that commit.
    added_by: Option<String>,
    /// Whether that author is someone else than the signer.
    on_behalf: bool,
}

#[derive(Serialize)]
pub struct AgreementView {
    title: String,
    id: String,
    summary: Option<String>,
    state: AgreementState,
    parties: Vec<Link>,
    sponsor: Option<Link>,
    referee: Option<Link>,
    effective: String,
    expires: String,
    days_left: i64,
    review: Option<String>,
    /// The earlier version this one renews.
    supersedes: Option<Link>,
    /// The later versions that renew this one.
    superseded_by: Vec<Link>,
    /// A line per providing party: "Marketing -> Sales: 3 of 3 met".
    scorecard: Vec<ScoreLine>,
    /// Grouped by provider, in the parties' order.
    terms: Vec<TermView>,
    signatures: Vec<PartySignature>,
    /// Whether the signatures' commits are known (the org's git history was read).
    provenance: bool,
}

pub fn agreement(data: &SiteData, agreement: &Agreement) -> AgreementView {
    let org = data.org;
    let party_rank = |term: &Term| {
        agreement
            .parties
            .value
            .iter()
            .position(|p| p.value == term.provider.value)
    };
    let mut by_provider: Vec<&Term> = agreement.terms.iter().collect();
    by_provider.sort_by_key(|term| party_rank(term));
    let terms = by_provider
        .iter()
        .enumerate()
        .map(|(index, &term)| {
            let kpi = term.kpi.as_ref().and_then(|k| org.kpis.get(&k.value));
            let budget = kpi.map_or_else(Vec::new, |kpi| budget_rows(data, kpi, term));
            // The latest actual decides, as for the term's status: a spent budget in an
            // older period is history.
            let latest = kpi.and_then(|kpi| org.latest_actual(&kpi.id));
            let latest_period = latest.map(|a| a.period.to_string());
            let budget_spent = budget
                .last()
                .is_some_and(|row| row.spent && Some(&row.period) == latest_period.as_ref());
            TermView {
                id: term.id.value.clone(),
                name: term.name(),
                provider: data.team(term.provider.value.as_str()),
                owner: data.person(term.owner.value.as_str()),
                commitment: markdown::to_html(&term.commitment),
                kpi: term.kpi.as_ref().map(|k| data.kpi(&k.value)),
                target: term.target.as_ref().map(|t| number(t.value)),
                unit: kpi.map(|k| k.unit.word()),
                status: data.term_status(term),
                target_words: kpi.map(|kpi| data.target_words(kpi, term.target_on(kpi))),
                latest: latest.map(|a| number(a.value)),
                latest_period,
                trend: kpi.map(|kpi| data.trend(kpi, term.target_on(kpi))),
                first_of_provider: index == 0
                    || by_provider[index - 1].provider.value != term.provider.value,
                persona: term.persona.as_ref().map(|p| data.persona(&p.value)),
                escalation: markdown(&term.escalation),
                budget,
                budget_spent,
            }
        })
        .collect();
    // One row per party, signed or not, then any extra signatures of the same party.
    let mut signatures: Vec<PartySignature> = Vec::new();
    for party in &agreement.parties.value {
        let mut signed = agreement.signatures_of(&party.value).peekable();
        if signed.peek().is_none() {
            signatures.push(PartySignature {
                party: data.team(party.value.as_str()),
                by: None,
                date: None,
                commit: None,
                added_by: None,
                on_behalf: false,
            });
        }
        for signature in signed {
            let commit = data
                .origins
                .and_then(|origins| origins.introduced(agreement, signature));
            let signer = org.people.get(&signature.by.value);
            signatures.push(PartySignature {
                party: data.team(party.value.as_str()),
                by: Some(data.person(signature.by.value.as_str())),
                date: Some(signature.date.value.to_string()),
                commit: commit.map(|c| c.short.clone()),
                added_by: commit.map(|c| c.author_name.clone()),
                on_behalf: commit.is_some_and(|c| {
                    signer.is_none_or(|person| !is_persons_address(person, &c.author_email))
                }),
            });
        }
    }
    AgreementView {
        title: agreement.title.clone(),
        id: agreement.id.to_string(),
        summary: markdown(&agreement.summary),
        state: agreement.state(data.today),
        parties: agreement
            .parties
            .value
            .iter()
            .map(|p| data.team(p.value.as_str()))
            .collect(),
        sponsor: agreement
            .sponsor
            .as_ref()
            .map(|p| data.person(p.value.as_str())),
        referee: agreement
            .referee
            .as_ref()
            .map(|p| data.person(p.value.as_str())),
        effective: agreement.effective.value.to_string(),
        expires: agreement.expires.value.to_string(),
        days_left: agreement.days_left(data.today),
        review: agreement.review.clone(),
        supersedes: agreement
            .supersedes
            .as_ref()
            .map(|old| data.agreement(&old.value)),
        superseded_by: linked(&data.links.superseded_by, agreement.id.as_str())
            .iter()
            .map(|newer| data.agreement(&newer.id))
            .collect(),
        scorecard: data.scorecard(agreement),
        terms,
        signatures,
        provenance: data.origins.is_some(),
    }
}

#[derive(Clone, Serialize)]
pub struct ActualRow {
    period: String,
    value: String,
    /// How many records the value was computed from, when the actuals file says.
    count: Option<u64>,
    met: bool,
}

#[derive(Serialize)]
pub struct ShareRow {
    owner: Link,
    does: String,
}

#[derive(Serialize)]
pub struct KpiView {
    name: String,
    id: String,
    definition: String,
    unit: &'static str,
    direction: &'static str,
    period: &'static str,
    target: String,
    owners: Vec<Link>,
    shares: Vec<ShareRow>,
    source: Option<String>,
    /// `[measure]` in words, when the actuals are computed from records.
    measured_as: Option<String>,
    target_words: String,
    status: KpiStatus,
    latest: Option<ActualRow>,
    trend: Trend,
    chart: Option<String>,
    actuals: Vec<ActualRow>,
    /// Whether any actual has a count: the table gets the column.
    counted: bool,
    /// How the durations of the latest measured period spread.
    spread: Option<SpreadView>,
    terms: Vec<TermRef>,
}

#[derive(Serialize)]
pub struct SpreadView {
    period: String,
    /// The unit of the durations (`minutes`...), which may not be the KPI's (a share).
    unit: &'static str,
    bands: Vec<BandRow>,
}

#[derive(Serialize)]
pub struct BandRow {
    /// `at_most`, `between`, `over` or `no_end`: how the template words it.
    kind: &'static str,
    above: String,
    to: String,
    count: u64,
    /// Of the period's rows, in percent (whole numbers, for the bar's width too).
    percent: u64,
    /// The band ends at the KPI's limit: its rows took no longer than the target.
    within_target: bool,
}

/// The spread `measure` wrote for `kpi`, in words for the page.
fn spread(kpi: &Kpi, distribution: &Distribution) -> Option<SpreadView> {
    let measure = kpi.measure.as_ref()?;
    let unit = measure.duration.as_ref()?.unit.word();
    let limit = measure.duration_limit(kpi.target.value);
    let total: u64 = distribution.bands.iter().map(|(_, n)| n).sum();
    let bands = distribution
        .bands
        .iter()
        .map(|&(band, count)| {
            let (kind, above, to) = match band {
                Band::Between { above: 0.0, to } => ("at_most", 0.0, to),
                Band::Between { above, to } => ("between", above, to),
                Band::Over(above) => ("over", above, 0.0),
                Band::NoEnd => ("no_end", 0.0, 0.0),
            };
            BandRow {
                kind,
                above: number(above),
                to: number(to),
                count,
                percent: if total == 0 {
                    0
                } else {
                    (count as f64 * 100.0 / total as f64).round() as u64
                },
                within_target: kind == "at_most" && limit == Some(to),
            }
        })
        .collect();
    Some(SpreadView {
        period: distribution.period.to_string(),
        unit,
        bands,
    })
}

/// `chart_title` and `target_label` are the interface labels the SVG needs;
/// `measured_as` is the KPI's `[measure]` in words, in the site's language.
pub fn kpi(
    data: &SiteData,
    kpi: &Kpi,
    chart_title: &str,
    target_label: &str,
    measured_as: Option<String>,
) -> KpiView {
    let actuals: &[Actual] = data.org.actuals.get(&kpi.id).map_or(&[], Vec::as_slice);
    // Newest first: the table answers "where are we now" before "how did we get here".
    let rows: Vec<ActualRow> = actuals
        .iter()
        .rev()
        .map(|a| ActualRow {
            period: a.period.to_string(),
            value: number(a.value),
            count: a.count,
            met: kpi.meets_target(a.value),
        })
        .collect();
    KpiView {
        name: kpi.name.clone(),
        id: kpi.id.to_string(),
        definition: markdown::to_html(&kpi.definition),
        unit: kpi.unit.word(),
        direction: match kpi.direction {
            Direction::Up => "up",
            Direction::Down => "down",
        },
        period: kpi.period.word(),
        target: number(kpi.target.value),
        owners: kpi
            .owners
            .iter()
            .map(|o| data.owner(o.value.as_str()))
            .collect(),
        shares: kpi
            .shares
            .iter()
            .map(|s| ShareRow {
                owner: data.owner(s.owner.value.as_str()),
                does: s.does.clone(),
            })
            .collect(),
        source: kpi.source.clone(),
        measured_as,
        target_words: data.target_words(kpi, kpi.target.value),
        status: data.kpi_status(kpi),
        latest: rows.first().cloned(),
        trend: data.trend(kpi, kpi.target.value),
        chart: (!actuals.is_empty())
            .then(|| chart::actuals(kpi, actuals, chart_title, target_label)),
        actuals: rows,
        counted: actuals.iter().any(|a| a.count.is_some()),
        spread: data
            .org
            .distributions
            .get(&kpi.id)
            .and_then(|d| spread(kpi, d)),
        terms: term_refs(data, linked(&data.links.terms_of_kpi, kpi.id.as_str())),
    }
}

#[derive(Serialize)]
pub struct ActionRow {
    what: String,
    owner: Link,
    due: Option<String>,
    done: bool,
    overdue: bool,
}

#[derive(Serialize)]
pub struct MeetingView {
    name: String,
    cadence: &'static str,
    duration: u32,
    teams: Vec<Link>,
    facilitator: Link,
    attendees: Vec<Link>,
    agenda: Vec<String>,
    actions: Vec<ActionRow>,
}

pub fn meeting(data: &SiteData, meeting: &Meeting) -> MeetingView {
    MeetingView {
        name: meeting.name.clone(),
        cadence: meeting.cadence.word(),
        duration: meeting.duration.value,
        teams: meeting
            .teams
            .iter()
            .map(|t| data.team(t.value.as_str()))
            .collect(),
        facilitator: data.person(meeting.facilitator.value.as_str()),
        attendees: meeting
            .attendees
            .iter()
            .map(|a| data.person(a.value.as_str()))
            .collect(),
        agenda: meeting.agenda.clone(),
        actions: meeting
            .actions
            .iter()
            .map(|a| {
                let done = a.status == crate::model::ActionStatus::Done;
                ActionRow {
                    what: a.what.clone(),
                    owner: data.owner(a.owner.value.as_str()),
                    due: a.due.as_ref().map(|d| d.value.to_string()),
                    done,
                    overdue: a.is_overdue(data.today),
                }
            })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct HealthView {
    findings: Vec<Placed>,
    /// Teams that hold no role, by themselves or through their members.
    idle_teams: Vec<Link>,
}

pub fn health(data: &SiteData) -> HealthView {
    HealthView {
        idle_teams: data
            .org
            .teams
            .values()
            .filter(|t| data.roles_of_team(t) == 0)
            .map(|t| data.team(t.id.as_str()))
            .collect(),
        findings: data
            .findings
            .iter()
            .map(|f| f.placed(data.sources))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn profile_keys_read_as_words() {
        assert_eq!(super::key_as_words("company_size"), "Company size");
        assert_eq!(super::key_as_words("decision-maker"), "Decision maker");
        assert_eq!(super::key_as_words("ámbito"), "Ámbito");
        assert_eq!(super::key_as_words("Role"), "Role");
    }

    #[test]
    fn docs_paths_are_encoded_for_links() {
        assert_eq!(
            super::url_path("workshop/2025-12_kick.off"),
            "workshop/2025-12_kick.off"
        );
        assert_eq!(
            super::url_path("faq/why?#1 100%"),
            "faq/why%3F%231%20100%25"
        );
        assert_eq!(super::url_path("ñandú"), "%C3%B1and%C3%BA");
    }
}

#[derive(Serialize)]
pub struct DocView {
    title: String,
    body: String,
}

pub fn doc(page: &crate::model::DocPage) -> DocView {
    DocView {
        title: page.title.clone(),
        body: markdown::to_html(&page.body),
    }
}
