//! Resolve: every reference checked against the ids that exist, then the org indexed.

use crate::diagnostic::closest;
use crate::diagnostic::{DANGLING_REFERENCE, Finding};
use crate::load::schema::RefKind;
use crate::load::{KnownIds, LintSettings, Loaded};
use crate::model::{Entities, Located, Org};
use crate::source::{Loc, Sources};

/// An org whose references have been checked.
#[derive(Debug)]
pub struct Resolved {
    pub sources: Sources,
    pub org: Org,
    pub lints: LintSettings,
    /// Load errors plus dangling references.
    pub findings: Vec<Finding>,
}

/// Checks every reference of `loaded` and builds the indexed [`Org`].
pub fn resolve(loaded: Loaded) -> Resolved {
    let Loaded {
        sources,
        entities,
        known,
        lints,
        mut findings,
    } = loaded;
    each_reference(&entities, &mut |kind, id, loc| {
        if let Some(finding) = dangling(&known, kind, id, loc) {
            findings.push(finding);
        }
    });
    Resolved {
        sources,
        org: Org::index(entities),
        lints,
        findings,
    }
}

fn dangling(known: &KnownIds, kind: RefKind, id: &str, loc: Loc) -> Option<Finding> {
    let people = || known.people.iter().map(String::as_str);
    let teams = || known.teams.iter().map(String::as_str);
    let person = || known.people_unread || known.people.contains(id);
    let exists = match kind {
        RefKind::Person => person(),
        RefKind::Team => known.teams.contains(id),
        RefKind::Owner => person() || known.teams.contains(id),
        RefKind::Persona => known.personas.contains(id),
        RefKind::Kpi => known.kpis.contains(id),
        RefKind::Agreement => known.agreements.contains(id),
    };
    if exists {
        return None;
    }
    let near = match kind {
        RefKind::Person => closest(id, people()),
        RefKind::Team => closest(id, teams()),
        RefKind::Owner => closest(id, people().chain(teams())),
        RefKind::Persona => closest(id, known.personas.iter().map(String::as_str)),
        RefKind::Kpi => closest(id, known.kpis.iter().map(String::as_str)),
        RefKind::Agreement => closest(id, known.agreements.iter().map(String::as_str)),
    };
    let finding = Finding::error(
        &DANGLING_REFERENCE,
        loc,
        format!("no {} has the id `{id}`", kind.noun()),
    );
    Some(match near {
        Some(near) => finding.with_help(format!("did you mean `{near}`?")),
        None => finding.with_help(format!("define the {} or fix the id", kind.noun())),
    })
}

/// Calls `visit` with every reference of the org: what kind it must name, the id, where.
fn each_reference(entities: &Entities, visit: &mut dyn FnMut(RefKind, &str, Loc)) {
    let mut one = |kind: RefKind, (id, loc): (&str, Loc)| visit(kind, id, loc);
    let codeowners = &entities.settings.codeowners;
    for owner in codeowners.default.iter().chain(&codeowners.also) {
        one(RefKind::Owner, r(owner));
    }
    if let Some(plan) = &entities.settings.plan {
        for kpi in plan.stages.iter().filter_map(|s| s.kpi.as_ref()) {
            one(RefKind::Kpi, r(kpi));
        }
    }
    for person in entities.people.values() {
        person.teams.iter().for_each(|t| one(RefKind::Team, r(t)));
    }
    for team in entities.teams.values() {
        one(RefKind::Person, r(&team.lead));
    }
    for persona in entities.personas.values() {
        one(RefKind::Owner, r(&persona.owner));
        persona
            .agreed_by
            .value
            .iter()
            .for_each(|t| one(RefKind::Team, r(t)));
    }
    for kpi in entities.kpis.values() {
        kpi.owners.iter().for_each(|o| one(RefKind::Owner, r(o)));
    }
    for agreement in entities.agreements.values() {
        agreement
            .parties
            .value
            .iter()
            .for_each(|t| one(RefKind::Team, r(t)));
        for person in [&agreement.sponsor, &agreement.referee]
            .into_iter()
            .flatten()
        {
            one(RefKind::Person, r(person));
        }
        if let Some(old) = &agreement.supersedes {
            one(RefKind::Agreement, r(old));
        }
        for term in &agreement.terms {
            one(RefKind::Person, r(&term.owner));
            term.kpi.iter().for_each(|k| one(RefKind::Kpi, r(k)));
            term.persona
                .iter()
                .for_each(|p| one(RefKind::Persona, r(p)));
        }
        for signature in &agreement.signatures {
            one(RefKind::Person, r(&signature.by));
        }
    }
    for meeting in entities.meetings.values() {
        meeting.teams.iter().for_each(|t| one(RefKind::Team, r(t)));
        one(RefKind::Person, r(&meeting.facilitator));
        meeting
            .attendees
            .iter()
            .for_each(|p| one(RefKind::Person, r(p)));
        meeting
            .actions
            .iter()
            .for_each(|a| one(RefKind::Owner, r(&a.owner)));
    }
}

fn r<T: AsRef<str>>(id: &Located<T>) -> (&str, Loc) {
    (id.value.as_ref(), id.loc)
}
