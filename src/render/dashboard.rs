//! The dashboard (`index.html`) and the full lists it links (SPEC 7.8): it opens with what
//! needs attention, one line per kind with its count, the first few named and linked;
//! then the plan to date and at most [`DASHBOARD_ROWS`] rows of each list, those needing
//! attention first, so that it stays small however large the org grows. The full lists
//! are `agreements.html`, `kpis.html`, `meetings.html`, `personas.html`, `docs.html`,
//! and `owners.html` for the teams.

use serde::Serialize;
use std::sync::Arc;

use super::plan_page::{PlanToDateView, plan_to_date};
use super::views::{
    AgreementRow, KpiRow, KpiStatus, Link, MeetingRow, SiteData, doc_href, markdown, meeting_row,
};
use crate::diagnostic::Level;
use crate::model::plan::PlanStatus;
use crate::model::{Action, ActionStatus, Agreement, AgreementState, DocPage, Kpi, Meeting, Team};

/// The rows of each list the dashboard shows; the rest are on the list's own page.
const DASHBOARD_ROWS: usize = 20;

/// The items an attention line names; its page lists them all.
const ATTENTION_ITEMS: usize = 3;

/// An agreement ending within this many days needs attention: time to renew it, or
/// agree to let it end (the monthly review looks as far ahead, SPEC 7.8).
const EXPIRY_ATTENTION_DAYS: i64 = 60;

/// One kind of thing that needs attention.
#[derive(Serialize)]
pub struct AttentionLine {
    /// The label key of the kind (`attention_kpis_off`).
    kind: &'static str,
    /// `bad` or `warn`: the line's colour.
    severity: &'static str,
    count: usize,
    /// The first [`ATTENTION_ITEMS`], named and linked.
    items: Vec<Link>,
    /// The page that lists them all, from the site root.
    all: &'static str,
}

impl AttentionLine {
    fn of(
        kind: &'static str,
        severity: &'static str,
        all: &'static str,
        items: impl Iterator<Item = Link>,
    ) -> Option<Self> {
        let mut count = 0;
        let mut named = Vec::new();
        for item in items {
            count += 1;
            if named.len() < ATTENTION_ITEMS {
                named.push(item);
            }
        }
        (count > 0).then_some(AttentionLine {
            kind,
            severity,
            count,
            items: named,
            all,
        })
    }
}

/// An agreement that needs attention today, as the dashboard's line names it; `None`
/// for one signed, in force or upcoming, and ending beyond [`EXPIRY_ATTENTION_DAYS`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum AgreementAttention {
    Expired,
    Unsigned,
    Expiring,
}

fn agreement_attention(agreement: &Agreement, data: &SiteData) -> Option<AgreementAttention> {
    match agreement.state(data.today) {
        AgreementState::Unsigned => Some(AgreementAttention::Unsigned),
        AgreementState::Expired => Some(AgreementAttention::Expired),
        _ if agreement.days_left(data.today) <= EXPIRY_ATTENTION_DAYS => {
            Some(AgreementAttention::Expiring)
        }
        _ => None,
    }
}

/// Off target first, then without recent data, then on target.
fn kpi_rank(status: &KpiStatus) -> u8 {
    match status {
        KpiStatus::Off => 0,
        KpiStatus::Stale { .. } | KpiStatus::None => 1,
        KpiStatus::On => 2,
    }
}

/// Every agreement, those needing attention first (most urgent first, then the soonest
/// to end), else in id order.
fn agreements_in_order<'a>(data: &SiteData<'a>) -> Vec<&'a Agreement> {
    let mut agreements: Vec<_> = data.org.agreements.values().map(Arc::as_ref).collect();
    agreements.sort_by_key(|a| match agreement_attention(a, data) {
        Some(attention) => (0, Some(attention), a.days_left(data.today)),
        None => (1, None, 0),
    });
    agreements
}

/// Every KPI with its status, off target first, then without recent data, else in id order.
fn kpis_in_order<'a>(data: &SiteData<'a>) -> Vec<(&'a Kpi, KpiStatus)> {
    let mut kpis: Vec<_> = data
        .org
        .kpis
        .values()
        .map(|kpi| (kpi.as_ref(), data.kpi_status(kpi)))
        .collect();
    kpis.sort_by_key(|(_, status)| kpi_rank(status));
    kpis
}

/// What needs attention, most severe first: errors, then what is already wrong (expired
/// or unsigned agreements, plan stages behind, KPIs off target, overdue actions), then
/// what is about to be (stages at risk, agreements ending soon, KPIs nobody updates).
fn attention(
    data: &SiteData,
    plan: Option<&PlanToDateView>,
    agreements: &[&Agreement],
    kpis: &[(&Kpi, KpiStatus)],
) -> Vec<AttentionLine> {
    let errors = data
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .map(|f| {
            let placed = f.placed(data.sources);
            Link {
                href: "health.html".to_owned(),
                text: format!("{} ({}:{})", placed.rule, placed.file, placed.line),
            }
        });
    let agreements_with = |wanted: AgreementAttention| {
        agreements
            .iter()
            .filter(move |a| agreement_attention(a, data) == Some(wanted))
            .map(move |a| {
                let mut link = data.agreement(&a.id);
                if wanted != AgreementAttention::Unsigned {
                    link.text = format!("{} ({})", link.text, a.expires.value);
                }
                link
            })
    };
    let stages_at = |status: PlanStatus| {
        plan.into_iter()
            .flat_map(move |plan| plan.stages_at(status))
            .map(|(stage, percent)| Link {
                href: "plan.html".to_owned(),
                text: format!("{stage} ({percent} %)"),
            })
    };
    let kpis_where = |wanted: fn(&KpiStatus) -> bool| {
        kpis.iter()
            .filter(move |(_, status)| wanted(status))
            .map(|(kpi, _)| data.kpi(&kpi.id))
    };
    let mut overdue: Vec<(&Meeting, &Action)> = data
        .org
        .meetings
        .values()
        .map(Arc::as_ref)
        .flat_map(|m| m.actions.iter().map(move |a| (m, a)))
        .filter(|(_, a)| a.is_overdue(data.today))
        .collect();
    // The longest overdue first.
    overdue.sort_by_key(|(_, a)| a.due.as_ref().map(|d| d.value));
    // Named with their meeting: actions of several meetings often say the same.
    let overdue = overdue.into_iter().map(|(meeting, action)| {
        let meeting = data.meeting(&meeting.id);
        Link {
            href: meeting.href,
            text: format!("{} ({})", action.what, meeting.text),
        }
    });
    [
        AttentionLine::of("attention_errors", "bad", "health.html", errors),
        AttentionLine::of(
            "attention_agreements_expired",
            "bad",
            "agreements.html",
            agreements_with(AgreementAttention::Expired),
        ),
        AttentionLine::of(
            "attention_agreements_unsigned",
            "bad",
            "agreements.html",
            agreements_with(AgreementAttention::Unsigned),
        ),
        AttentionLine::of(
            "attention_plan_behind",
            "bad",
            "plan.html",
            stages_at(PlanStatus::Behind),
        ),
        AttentionLine::of(
            "attention_kpis_off",
            "bad",
            "kpis.html",
            kpis_where(|s| matches!(s, KpiStatus::Off)),
        ),
        AttentionLine::of("attention_actions_overdue", "bad", "actions.html", overdue),
        AttentionLine::of(
            "attention_plan_at_risk",
            "warn",
            "plan.html",
            stages_at(PlanStatus::AtRisk),
        ),
        AttentionLine::of(
            "attention_agreements_expiring",
            "warn",
            "agreements.html",
            agreements_with(AgreementAttention::Expiring),
        ),
        AttentionLine::of(
            "attention_kpis_no_data",
            "warn",
            "kpis.html",
            kpis_where(|s| matches!(s, KpiStatus::Stale { .. } | KpiStatus::None)),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[derive(Serialize)]
pub struct TeamRow {
    link: Link,
    lead: Link,
    members: usize,
    responsibilities: usize,
}

/// The first [`DASHBOARD_ROWS`] of a list, and how long the whole list is.
#[derive(Serialize)]
pub struct Shown<T> {
    rows: Vec<T>,
    total: usize,
}

impl<T> Shown<T> {
    fn first<I: ExactSizeIterator>(items: I, row: impl FnMut(I::Item) -> T) -> Self {
        Shown {
            total: items.len(),
            rows: items.take(DASHBOARD_ROWS).map(row).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct IndexView {
    description: Option<String>,
    attention: Vec<AttentionLine>,
    /// [`EXPIRY_ATTENTION_DAYS`], for the words of the agreements' line.
    expiry_days: i64,
    /// The plan to date, when the plan has one.
    plan: Option<PlanToDateView>,
    open_actions: usize,
    overdue_actions: usize,
    agreements: Shown<AgreementRow>,
    kpis: Shown<KpiRow>,
    teams: Shown<TeamRow>,
    personas: Shown<Link>,
    meetings: Shown<MeetingRow>,
    docs: Shown<Link>,
    people: usize,
    errors: usize,
    warnings: usize,
}

pub fn index(data: &SiteData) -> IndexView {
    let org = data.org;
    let open_actions: Vec<&Action> = org
        .meetings
        .values()
        .flat_map(|m| &m.actions)
        .filter(|a| a.status == ActionStatus::Open)
        .collect();
    let plan = org
        .settings
        .plan
        .as_ref()
        .and_then(|plan| plan_to_date(data, plan));
    let agreements = agreements_in_order(data);
    let kpis = kpis_in_order(data);
    IndexView {
        description: markdown(&org.settings.description),
        attention: attention(data, plan.as_ref(), &agreements, &kpis),
        expiry_days: EXPIRY_ATTENTION_DAYS,
        plan,
        open_actions: open_actions.len(),
        overdue_actions: open_actions
            .iter()
            .filter(|a| a.is_overdue(data.today))
            .count(),
        agreements: Shown::first(agreements.into_iter(), |a| data.agreement_row(a)),
        kpis: Shown::first(kpis.into_iter(), |(k, _)| data.kpi_row(k)),
        teams: Shown::first(teams_in_order(data).into_iter(), |t| team_row(data, t)),
        personas: Shown::first(org.personas.keys(), |p| data.persona(p)),
        meetings: Shown::first(meetings_in_order(data).into_iter(), |m| {
            meeting_row(data, m)
        }),
        docs: Shown::first(org.docs.iter(), doc_link),
        people: org.people.len(),
        errors: data.count(Level::Error),
        warnings: data.count(Level::Warning),
    }
}

/// Teams that hold no role (the health page lists them) first, else in id order.
fn teams_in_order<'a>(data: &SiteData<'a>) -> Vec<&'a Team> {
    let mut teams: Vec<_> = data.org.teams.values().map(Arc::as_ref).collect();
    teams.sort_by_key(|t| data.roles_of_team(t) > 0);
    teams
}

/// Meetings with an overdue action first, else in id order.
fn meetings_in_order<'a>(data: &SiteData<'a>) -> Vec<&'a Meeting> {
    let mut meetings: Vec<_> = data.org.meetings.values().map(Arc::as_ref).collect();
    meetings.sort_by_key(|m| !m.actions.iter().any(|a| a.is_overdue(data.today)));
    meetings
}

fn doc_link(page: &DocPage) -> Link {
    Link {
        href: doc_href(&page.path),
        text: page.title.clone(),
    }
}

fn team_row(data: &SiteData, team: &Team) -> TeamRow {
    TeamRow {
        link: data.team(team.id.as_str()),
        lead: data.person(team.lead.value.as_str()),
        members: data.org.members(&team.id).len(),
        responsibilities: data.roles_of_team(team),
    }
}

/// `agreements.html`: every agreement, in the dashboard's order.
#[derive(Serialize)]
pub struct AgreementsView {
    agreements: Vec<AgreementRow>,
}

pub fn agreements(data: &SiteData) -> AgreementsView {
    AgreementsView {
        agreements: agreements_in_order(data)
            .into_iter()
            .map(|a| data.agreement_row(a))
            .collect(),
    }
}

/// `kpis.html`: every KPI against its target, in the dashboard's order.
#[derive(Serialize)]
pub struct KpisView {
    kpis: Vec<KpiRow>,
}

pub fn kpis(data: &SiteData) -> KpisView {
    KpisView {
        kpis: kpis_in_order(data)
            .into_iter()
            .map(|(k, _)| data.kpi_row(k))
            .collect(),
    }
}

/// `meetings.html`: every meeting, in the dashboard's order.
#[derive(Serialize)]
pub struct MeetingsView {
    meetings: Vec<MeetingRow>,
}

pub fn meetings(data: &SiteData) -> MeetingsView {
    MeetingsView {
        meetings: meetings_in_order(data)
            .into_iter()
            .map(|m| meeting_row(data, m))
            .collect(),
    }
}

/// `personas.html` and `docs.html`: every buyer persona, every docs page.
#[derive(Serialize)]
pub struct LinksView {
    links: Vec<Link>,
}

pub fn personas(data: &SiteData) -> LinksView {
    LinksView {
        links: data.org.personas.keys().map(|p| data.persona(p)).collect(),
    }
}

pub fn docs(data: &SiteData) -> LinksView {
    LinksView {
        links: data.org.docs.iter().map(doc_link).collect(),
    }
}
