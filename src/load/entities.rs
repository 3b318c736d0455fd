//! From checked tables to model entities, one function per file kind.
//!
//! Each function returns `None` when a required value is missing or bad; the problem has
//! already been reported by the [`Reader`].

use std::collections::HashSet;

use super::table::Reader;
use crate::diagnostic::{
    BAD_DATE, BAD_ID, DUPLICATE_ID, Finding, INVALID_VALUE, MISSING_CONVERSION, NOT_A_PARTY,
    TARGET_WITHOUT_KPI,
};
use crate::model::{
    Action, ActionStatus, Agreement, AgreementId, Cadence, Direction, Kpi, KpiId, Located, Meeting,
    MeetingId, Period, Person, PersonId, Persona, PersonaId, Plan, Settings, Share, Signature,
    Stage, Team, TeamId, Term, Unit,
};

/// Whether `id` is a valid id: `^[a-z0-9]+(-[a-z0-9]+)*$`, at most 64 characters.
pub fn is_valid_id(id: &str) -> bool {
    id.len() <= 64
        && !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

pub const ID_HELP: &str = "ids are lowercase letters and digits in groups joined by single hyphens (`sales`, `q4-sla-2026`), at most 64 characters";

pub(super) fn settings(root: &Reader, sink: &mut Vec<Finding>) -> (Settings, super::LintSettings) {
    let defaults = Settings::default();
    let org = root.table("org", sink);
    let site = root.table("site", sink);
    let org_text = |key| org.as_ref().and_then(|o| o.text(key));
    let site_text = |key| site.as_ref().and_then(|s| s.text(key));
    let name = org_text("name").unwrap_or(defaults.name);
    let settings = Settings {
        description: org_text("description"),
        language: org_text("language").unwrap_or(defaults.language),
        site_title: site_text("title").unwrap_or_else(|| name.clone()),
        base_url: site_text("base_url").unwrap_or(defaults.base_url),
        name,
        plan: root.table("plan", sink).and_then(|p| plan(&p, sink)),
    };
    (settings, root.lint_map("lints"))
}

fn plan(plan: &Reader, sink: &mut Vec<Finding>) -> Option<Plan> {
    let stages: Vec<Stage> = plan
        .tables("stage", sink)
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            let conversion = stage.number("conversion").map(|c| c.value);
            if i > 0 && conversion.is_none() && stage.is_absent("conversion") {
                sink.push(
                    Finding::error(
                        &MISSING_CONVERSION,
                        stage.header(),
                        format!(
                            "plan stage {} has no `conversion`",
                            stage.text("name").map_or_else(|| (i + 1).to_string(), |n| format!("`{n}`"))
                        ),
                    )
                    .with_help("add `conversion = 0.4`: the fraction of the stage above that reaches this one"),
                );
            }
            Some(Stage {
                name: stage.text("name")?,
                conversion,
                kpi: stage.id("kpi"),
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Option<_>>()?;
    Some(Plan {
        period: plan.text("period"),
        revenue_target: plan.number("revenue_target")?.value,
        currency: plan.text("currency"),
        average_deal: plan.number("average_deal")?.value,
        months: plan
            .integer("months")
            .map_or(Some(12), |m| u32::try_from(m.value).ok())?,
        stages,
        loc: plan.header(),
    })
}

pub(super) fn person(id: &str, table: &Reader) -> Option<Person> {
    Some(Person {
        id: PersonId(id.to_owned()),
        name: table.text("name")?,
        teams: table.ids::<TeamId>("teams")?.value,
        title: table.text("title"),
        email: table.text("email"),
        handle: table.text("handle"),
        loc: table.header(),
    })
}

pub(super) fn team(id: &str, table: &Reader) -> Option<Team> {
    Some(Team {
        id: TeamId(id.to_owned()),
        name: table.text("name")?,
        lead: table.id("lead")?,
        function: table.text("function"),
        description: table.text("description"),
        file: table.file(),
    })
}

pub(super) fn persona(id: &str, table: &Reader) -> Option<Persona> {
    Some(Persona {
        id: PersonaId(id.to_owned()),
        name: table.text("name")?,
        summary: table.text("summary"),
        owner: table.id("owner")?,
        agreed_by: table.ids("agreed_by")?,
        qualification: table.texts("qualification"),
        goals: table.texts("goals"),
        pains: table.texts("pains"),
        channels: table.texts("channels"),
        profile: table.text_map("profile"),
        file: table.file(),
    })
}

pub(super) fn kpi(id: &str, table: &Reader, sink: &mut Vec<Finding>) -> Option<Kpi> {
    let owners = table.ids("owners")?.value;
    let shares = table
        .tables("share", sink)
        .iter()
        .map(|share| {
            let owner: Located<crate::model::OwnerId> = share.id("owner")?;
            if !owners.iter().any(|o| o.value == owner.value) {
                sink.push(
                    Finding::error(
                        &INVALID_VALUE,
                        owner.loc,
                        format!(
                            "share owner `{}` is not one of the KPI's owners",
                            owner.value
                        ),
                    )
                    .with_help("add it to `owners`, or give the share to one of them"),
                );
            }
            Some(Share {
                owner,
                does: share.text("does")?,
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Option<_>>()?;
    Some(Kpi {
        id: KpiId(id.to_owned()),
        name: table.text("name")?,
        definition: table.text("definition")?,
        unit: table.word("unit", Unit::from_word)?,
        direction: table.word("direction", Direction::from_word)?,
        period: table.word("period", Period::from_word)?,
        target: table.number("target")?,
        owners,
        source: table.text("source"),
        shares,
        file: table.file(),
    })
}

pub(super) fn agreement(id: &str, table: &Reader, sink: &mut Vec<Finding>) -> Option<Agreement> {
    let parties = table.ids::<TeamId>("parties")?;
    let mut seen = HashSet::new();
    for party in &parties.value {
        if !seen.insert(&party.value) {
            sink.push(Finding::error(
                &INVALID_VALUE,
                party.loc,
                format!("party `{}` is listed twice", party.value),
            ));
        }
    }
    if seen.len() < 2 {
        sink.push(Finding::error(
            &INVALID_VALUE,
            parties.loc,
            "an agreement needs at least two distinct parties",
        ));
    }
    let not_a_party = |team: &Located<TeamId>, what: &str, sink: &mut Vec<Finding>| {
        if !parties.value.iter().any(|p| p.value == team.value) {
            sink.push(
                Finding::error(
                    &NOT_A_PARTY,
                    team.loc,
                    format!(
                        "{what} `{}` is not one of the agreement's parties",
                        team.value
                    ),
                )
                .with_help(format!(
                    "the parties are: {}",
                    parties
                        .value
                        .iter()
                        .map(|p| p.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    };
    let mut term_ids = HashSet::new();
    let terms = table
        .tables("term", sink)
        .iter()
        .map(|term| {
            let id = term.located_text("id")?;
            if !is_valid_id(&id.value) {
                sink.push(
                    Finding::error(
                        &BAD_ID,
                        id.loc,
                        format!("term id `{}` is not a valid id", id.value),
                    )
                    .with_help(ID_HELP),
                );
            } else if !term_ids.insert(id.value.clone()) {
                sink.push(Finding::error(
                    &DUPLICATE_ID,
                    id.loc,
                    format!("term id `{}` is used twice in this agreement", id.value),
                ));
            }
            let provider = term.id("provider")?;
            not_a_party(&provider, "provider", sink);
            let kpi = term.id::<KpiId>("kpi");
            let target = term.number("target");
            if let (Some(target), None) = (&target, &kpi) {
                sink.push(
                    Finding::error(
                        &TARGET_WITHOUT_KPI,
                        target.loc,
                        "`target` needs a `kpi` to be measured in",
                    )
                    .with_help("add `kpi = \"...\"` to the term, or remove `target`"),
                );
            }
            Some(Term {
                id,
                provider,
                owner: term.id("owner")?,
                commitment: term.text("commitment")?,
                kpi,
                target,
                persona: term.id("persona"),
                escalation: term.text("escalation"),
                loc: term.header(),
            })
        })
        .collect::<Vec<_>>();
    let signatures = table
        .tables("signature", sink)
        .iter()
        .map(|signature| {
            let party = signature.id("party")?;
            not_a_party(&party, "signature party", sink);
            Some(Signature {
                party,
                by: signature.id("by")?,
                date: signature.date("date")?,
            })
        })
        .collect::<Vec<_>>();
    let effective = table.date("effective")?;
    let expires = table.date("expires")?;
    if expires.value <= effective.value {
        sink.push(Finding::error(
            &BAD_DATE,
            expires.loc,
            format!(
                "`expires` ({}) must be after `effective` ({})",
                expires.value, effective.value
            ),
        ));
    }
    Some(Agreement {
        id: AgreementId(id.to_owned()),
        title: table.text("title")?,
        summary: table.text("summary"),
        parties,
        sponsor: table.id("sponsor"),
        referee: table.id("referee"),
        effective,
        expires,
        review: table.text("review"),
        terms: terms.into_iter().collect::<Option<_>>()?,
        signatures: signatures.into_iter().collect::<Option<_>>()?,
        file: table.file(),
    })
}

pub(super) fn meeting(id: &str, table: &Reader, sink: &mut Vec<Finding>) -> Option<Meeting> {
    let actions = table
        .tables("action", sink)
        .iter()
        .map(|action| {
            Some(Action {
                what: action.text("what")?,
                owner: action.id("owner")?,
                due: action.date("due"),
                status: action
                    .word("status", ActionStatus::from_word)
                    .unwrap_or(ActionStatus::Open),
            })
        })
        .collect::<Vec<_>>();
    let duration = table.integer("duration")?;
    Some(Meeting {
        id: MeetingId(id.to_owned()),
        name: table.text("name")?,
        cadence: table.word("cadence", Cadence::from_word)?,
        duration: Located::new(u32::try_from(duration.value).ok()?, duration.loc),
        teams: table.ids("teams")?.value,
        facilitator: table.id("facilitator")?,
        attendees: table.ids("attendees")?.value,
        agenda: table.texts("agenda"),
        actions: actions.into_iter().collect::<Option<_>>()?,
        file: table.file(),
    })
}

/// Front matter of a docs page: (title, weight).
pub(super) fn front_matter(table: &Reader) -> (Option<String>, i64) {
    (
        table.text("title"),
        table.integer("weight").map_or(0, |w| w.value),
    )
}
