//! The responsibility index: what each person and team owns (SPEC section 6).

use std::collections::HashMap;

use serde::Serialize;

use super::{
    ActionStatus, AgreementId, Entities, KpiId, MeetingId, Org, OwnerId, PersonaId, TeamId,
};

/// One thing a person or team is answerable for.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Responsibility {
    TeamLead {
        team: TeamId,
    },
    PersonaOwner {
        persona: PersonaId,
    },
    KpiOwner {
        kpi: KpiId,
    },
    KpiShare {
        kpi: KpiId,
        does: String,
    },
    AgreementSponsor {
        agreement: AgreementId,
    },
    AgreementReferee {
        agreement: AgreementId,
    },
    TermOwner {
        agreement: AgreementId,
        term: String,
    },
    TermProvider {
        agreement: AgreementId,
        term: String,
    },
    MeetingFacilitator {
        meeting: MeetingId,
    },
    ActionOwner {
        meeting: MeetingId,
        action: String,
        status: ActionStatus,
    },
}

impl Responsibility {
    /// One line saying what this is, each thing by its display name with its id beside
    /// it (for `who` and `diff`); a term by the first sentence of its commitment.
    pub fn describe(&self, org: &Org) -> String {
        let agreement_title = |id: &AgreementId| {
            org.agreements
                .get(id)
                .map_or(id.as_str(), |a| a.title.as_str())
                .to_owned()
        };
        let kpi_name = |id: &KpiId| {
            org.kpis
                .get(id)
                .map_or(id.as_str(), |k| k.name.as_str())
                .to_owned()
        };
        let term_name = |agreement: &AgreementId, term: &str| {
            org.agreements
                .get(agreement)
                .and_then(|a| a.terms.iter().find(|t| t.id.value == term))
                .map_or_else(
                    || format!("`{term}`"),
                    |t| format!("“{}” ({term})", t.name()),
                )
        };
        let meeting_name = |id: &MeetingId| {
            org.meetings
                .get(id)
                .map_or(id.as_str(), |m| m.name.as_str())
                .to_owned()
        };
        match self {
            Responsibility::TeamLead { team } => {
                format!("leads team {} ({team})", org.display_name(team.as_str()))
            }
            Responsibility::PersonaOwner { persona } => format!(
                "maintains persona {} ({persona})",
                org.personas
                    .get(persona)
                    .map_or(persona.as_str(), |p| p.name.as_str())
            ),
            Responsibility::KpiOwner { kpi } => format!("owns KPI {} ({kpi})", kpi_name(kpi)),
            Responsibility::KpiShare { kpi, does } => {
                format!("share of KPI {} ({kpi}): {does}", kpi_name(kpi))
            }
            Responsibility::AgreementSponsor { agreement } => {
                format!(
                    "sponsors agreement {} ({agreement})",
                    agreement_title(agreement)
                )
            }
            Responsibility::AgreementReferee { agreement } => {
                format!(
                    "referees agreement {} ({agreement})",
                    agreement_title(agreement)
                )
            }
            Responsibility::TermOwner { agreement, term } => {
                format!(
                    "owns term {} of {} ({agreement})",
                    term_name(agreement, term),
                    agreement_title(agreement)
                )
            }
            Responsibility::TermProvider { agreement, term } => {
                format!(
                    "provides term {} of {} ({agreement})",
                    term_name(agreement, term),
                    agreement_title(agreement)
                )
            }
            Responsibility::MeetingFacilitator { meeting } => {
                format!("facilitates meeting {} ({meeting})", meeting_name(meeting))
            }
            Responsibility::ActionOwner {
                meeting,
                action,
                status,
            } => {
                let done = match status {
                    ActionStatus::Done => "[done] ",
                    ActionStatus::Open => "",
                };
                format!(
                    "{done}action of meeting {} ({meeting}): {action}",
                    meeting_name(meeting)
                )
            }
        }
    }
}

/// Builds owner id -> responsibilities, in a stable order (by kind of entity, then id).
pub(super) fn index(entities: &Entities) -> HashMap<OwnerId, Vec<Responsibility>> {
    let mut index: HashMap<OwnerId, Vec<Responsibility>> = HashMap::new();
    let mut add = |owner: OwnerId, responsibility: Responsibility| {
        index.entry(owner).or_default().push(responsibility);
    };
    for team in entities.teams.values() {
        add(
            OwnerId::of_person(&team.lead.value),
            Responsibility::TeamLead {
                team: team.id.clone(),
            },
        );
    }
    for persona in entities.personas.values() {
        add(
            persona.owner.value.clone(),
            Responsibility::PersonaOwner {
                persona: persona.id.clone(),
            },
        );
    }
    for kpi in entities.kpis.values() {
        for owner in &kpi.owners {
            add(
                owner.value.clone(),
                Responsibility::KpiOwner {
                    kpi: kpi.id.clone(),
                },
            );
        }
        for share in &kpi.shares {
            add(
                share.owner.value.clone(),
                Responsibility::KpiShare {
                    kpi: kpi.id.clone(),
                    does: share.does.clone(),
                },
            );
        }
    }
    for agreement in entities.agreements.values() {
        let id = &agreement.id;
        if let Some(sponsor) = &agreement.sponsor {
            add(
                OwnerId::of_person(&sponsor.value),
                Responsibility::AgreementSponsor {
                    agreement: id.clone(),
                },
            );
        }
        if let Some(referee) = &agreement.referee {
            add(
                OwnerId::of_person(&referee.value),
                Responsibility::AgreementReferee {
                    agreement: id.clone(),
                },
            );
        }
        for term in &agreement.terms {
            add(
                OwnerId::of_person(&term.owner.value),
                Responsibility::TermOwner {
                    agreement: id.clone(),
                    term: term.id.value.clone(),
                },
            );
            add(
                OwnerId::of_team(&term.provider.value),
                Responsibility::TermProvider {
                    agreement: id.clone(),
                    term: term.id.value.clone(),
                },
            );
        }
    }
    for meeting in entities.meetings.values() {
        add(
            OwnerId::of_person(&meeting.facilitator.value),
            Responsibility::MeetingFacilitator {
                meeting: meeting.id.clone(),
            },
        );
        for action in &meeting.actions {
            add(
                action.owner.value.clone(),
                Responsibility::ActionOwner {
                    meeting: meeting.id.clone(),
                    action: action.what.clone(),
                    status: action.status,
                },
            );
        }
    }
    index
}
