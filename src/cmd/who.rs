//! `accord who ID`: every responsibility of a person or team, in the terminal.

use std::path::Path;
use std::process::ExitCode;

use accord::model::{ActionStatus, Org, OwnerKind, Responsibility};

pub fn run(id: &str, dir: Option<&Path>) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    // Dates do not matter for who owns what, and findings are `check`'s business.
    let checked = accord::check_dir(&root, super::today(None))
        .map_err(|e| format!("cannot read the org: {e}"))?;
    let org = &checked.org;
    let Some(kind) = org.owner_kind(id) else {
        return Err(unknown_id(org, id));
    };
    let mut out = String::new();
    match kind {
        OwnerKind::Person => {
            let Some(person) = org.people.get(id) else {
                return Err(format!("no person `{id}`"));
            };
            out += &format!("{} ({id})", person.name);
            if let Some(title) = &person.title {
                out += &format!(", {title}");
            }
            out += "\n";
            let teams: Vec<String> = person
                .teams
                .iter()
                .map(|t| named(org, t.value.as_str()))
                .collect();
            out += &format!("teams: {}\n", teams.join(", "));
        }
        OwnerKind::Team => {
            let Some(team) = org.teams.get(id) else {
                return Err(format!("no team `{id}`"));
            };
            out += &format!("{} ({id}), team\n", team.name);
            out += &format!("lead: {}\n", named(org, team.lead.value.as_str()));
            let members: Vec<String> = org
                .members(&team.id)
                .iter()
                .map(|p| named(org, p.as_str()))
                .collect();
            out += &format!("members: {}\n", members.join(", "));
            let agreements: Vec<String> = org
                .agreements
                .values()
                .filter(|a| a.parties.value.iter().any(|p| p.value == team.id))
                .map(|a| format!("{} ({})", a.title, a.id))
                .collect();
            out += &format!(
                "party to: {}\n",
                if agreements.is_empty() {
                    "no agreement".into()
                } else {
                    agreements.join(", ")
                }
            );
        }
    }
    let responsibilities = org.responsibilities_of(id);
    if responsibilities.is_empty() {
        out += "owns: nothing\n";
    } else {
        out += &format!("owns ({}):\n", responsibilities.len());
        // What is still to do first; done actions stay listed, marked, at the end.
        let (done, to_do): (Vec<_>, Vec<_>) = responsibilities.iter().partition(|r| {
            matches!(
                r,
                Responsibility::ActionOwner {
                    status: ActionStatus::Done,
                    ..
                }
            )
        });
        for responsibility in to_do.into_iter().chain(done) {
            out += &format!("  - {}\n", responsibility.describe(org));
        }
    }
    if kind == OwnerKind::Person {
        for team in org.teams.values().filter(|t| t.lead.value == *id) {
            out += &format!(
                "as lead of {}, answers for the team's {} responsibilities (`accord who {}`)\n",
                named(org, team.id.as_str()),
                org.responsibilities_of(team.id.as_str()).len(),
                team.id
            );
        }
    }
    super::write_stdout(out.as_bytes())?;
    let errors = checked
        .findings
        .iter()
        .filter(|f| f.is_structural())
        .count();
    if errors > 0 {
        super::write_stderr(format_args!(
            "note: the org has {errors} error(s) and entities in files with errors are left out; `accord check` lists them"
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// The error for an id that is no person or team, with whom the user probably meant:
/// people are looked up by a part of their name (`lucia`, `fernandez` or `Lucía` for
/// `lucia-fernandez`, named Lucía Fernández Peña), so the ids and names with a word that
/// starts with it come first, each with its name; else the closest id, as for a typo.
fn unknown_id(org: &Org, id: &str) -> String {
    let wanted = id.to_lowercase();
    let owners = org
        .people
        .iter()
        .map(|(p, person)| (p.as_str(), person.name.as_str()))
        .chain(
            org.teams
                .iter()
                .map(|(t, team)| (t.as_str(), team.name.as_str())),
        );
    let by_word: Vec<String> = owners
        .clone()
        .filter(|(owner, name)| {
            let name = name.to_lowercase();
            owner
                .split('-')
                .chain(name.split(|c: char| !c.is_alphanumeric()))
                .any(|word| !wanted.is_empty() && word.starts_with(&wanted))
        })
        .map(|(owner, name)| format!("`{owner}` ({name})"))
        .collect();
    if let Some(kind) = other_kind(org, id) {
        format!(
            "`{id}` is {kind}, not a person or team; `accord who` takes the id of a person or team"
        )
    } else if by_word.is_empty() {
        let ids: Vec<&str> = owners.map(|(owner, _)| owner).collect();
        super::unknown("person or team", id, &ids)
    } else {
        format!(
            "no person or team `{id}`; did you mean {}?",
            by_word.join(" or ")
        )
    }
}

/// What else than a person or team `id` names, if anything: people paste the id they see
/// in a file name.
fn other_kind(org: &Org, id: &str) -> Option<&'static str> {
    [
        (org.agreements.contains_key(id), "an agreement"),
        (org.kpis.contains_key(id), "a KPI"),
        (org.meetings.contains_key(id), "a meeting"),
        (org.personas.contains_key(id), "a persona"),
    ]
    .into_iter()
    .find_map(|(named, kind)| named.then_some(kind))
}

fn named(org: &Org, id: &str) -> String {
    format!("{} ({id})", org.display_name(id))
}
