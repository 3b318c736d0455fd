//! `accord who ID`: every responsibility of a person or team, in the terminal.

use std::path::Path;
use std::process::ExitCode;

use accord::model::{Org, OwnerKind};

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
        for responsibility in responsibilities {
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

/// The error for an id that names nobody, with the ids the user probably meant.
/// The error for an id that is no person or team: the ids starting with it (people are
/// often looked up by first name: `lucia` for `lucia-fernandez`), else the closest.
fn unknown_id(org: &Org, id: &str) -> String {
    let ids: Vec<&str> = org
        .people
        .keys()
        .map(|p| p.as_str())
        .chain(org.teams.keys().map(|t| t.as_str()))
        .collect();
    super::unknown("person or team", id, &ids)
}

fn named(org: &Org, id: &str) -> String {
    format!("{} ({id})", org.display_name(id))
}
