//! `accord sign AGREEMENT --as PERSON`: adds or replaces a party's signature, keeping
//! every other byte of the agreement's file.
//!
//! Exit codes: 0 signed; 1 a finding stops it (the org has structural errors, or the
//! person is not a member of the party), printed in the usual form; 2 the command line
//! names no such agreement, person or party, the party is ambiguous, or the date is after
//! today.

use std::path::Path;
use std::process::ExitCode;

use accord::check::Context;
use accord::diagnostic::{Finding, Level};
use accord::edit::{self, NewSignature, Signed};
use accord::load::OrgFiles;
use accord::model::{Agreement, Org, PersonId, TeamId};
use jiff::civil::Date;

/// What the command line asks for.
pub struct Request<'a> {
    pub agreement: &'a str,
    pub person: &'a str,
    pub party: Option<&'a str>,
    pub date: Option<Date>,
    pub today: Option<Date>,
}

pub fn run(request: &Request, dir: Option<&Path>) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    let today = super::today(request.today);
    let date = request.date.unwrap_or(today);
    if date > today {
        return Err(format!(
            "--date {date} is after today ({today}): a signature is dated the day it is given"
        ));
    }
    let files = OrgFiles::read_dir(&root).map_err(|e| format!("cannot read the org: {e}"))?;
    let checked = accord::check_files(&files, &Context::on(today));
    if let Some(code) = super::refuse_structural(&checked, "not signing") {
        return Ok(code);
    }
    let org = &checked.org;
    let agreement = find_agreement(org, request.agreement)?;
    let person = org.people.get(request.person).ok_or_else(|| {
        let ids: Vec<&str> = org.people.keys().map(PersonId::as_str).collect();
        super::unknown("person", request.person, &ids)
    })?;
    let party = match party(org, agreement, &person.id, request.party)? {
        Ok(party) => party,
        Err(finding) => {
            super::print_refusal(&[finding], &checked.sources);
            super::write_stderr(format_args!(
                "error: not signing: {} would sign for a team they are not a member of; {} is untouched",
                person.id,
                checked.sources.get(agreement.file).path
            ));
            return Ok(ExitCode::FAILURE);
        }
    };
    let file = checked.sources.get(agreement.file);
    let (text, signed) = edit::sign(
        &file.text,
        NewSignature {
            party: party.as_str(),
            by: person.id.as_str(),
            date,
        },
    )
    .map_err(|e| format!("cannot sign {}: {e}", file.path))?;
    let after = accord::check_files(
        &accord::with_file(&files, &file.path, &text),
        &Context::on(today),
    );
    let signs = after.org.agreements.get(&agreement.id).is_some_and(|a| {
        a.signatures
            .iter()
            .any(|s| s.party.value == party && s.by.value == person.id && s.date.value == date)
    });
    if !signs || after.findings.iter().any(Finding::is_structural) {
        // The edit is wrong, not the user's file: say so instead of writing it.
        return Err(format!(
            "signing would make {} unreadable; nothing was written (please report this)",
            file.path
        ));
    }
    edit::write_atomically(&root.join(&file.path), &text, true)
        .map_err(|e| format!("cannot write {}: {e}", file.path))?;
    super::write_stderr(format_args!(
        "{} {} for {} as {} on {date}; commit it and push it to the pull request",
        match signed {
            Signed::Added(_) => "signed",
            Signed::Replaced => "re-signed",
        },
        file.path,
        party,
        person.id,
    ));
    let remaining = after
        .findings
        .iter()
        .filter(|f| f.level == Level::Error && f.loc.file == agreement.file)
        .count();
    if remaining > 0 {
        super::write_stderr(format_args!(
            "note: {} still has {remaining} error(s); `accord check` lists them",
            file.path
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// The agreement with this id, or the error suggesting the closest ones.
pub fn find_agreement<'o>(org: &'o Org, id: &str) -> Result<&'o Agreement, String> {
    org.agreements.get(id).map(AsRef::as_ref).ok_or_else(|| {
        let ids: Vec<&str> = org.agreements.keys().map(|a| a.as_str()).collect();
        super::unknown("agreement", id, &ids)
    })
}

/// The party `person` signs for: `given` when it is a party, else the one party they are
/// a member of. The inner `Err` is the finding for a person who is not a member of it.
fn party(
    org: &Org,
    agreement: &Agreement,
    person: &PersonId,
    given: Option<&str>,
) -> Result<Result<TeamId, Finding>, String> {
    let parties: Vec<&str> = agreement
        .parties
        .value
        .iter()
        .map(|p| p.value.as_str())
        .collect();
    let party = match given {
        Some(given) if parties.contains(&given) => TeamId(given.to_owned()),
        Some(given) => {
            return Err(if org.teams.contains_key(given) {
                format!(
                    "team `{given}` is not a party of agreement `{}`; its parties are: {}",
                    agreement.id,
                    parties.join(", ")
                )
            } else {
                super::unknown(
                    &format!("party of agreement `{}`", agreement.id),
                    given,
                    &parties,
                )
            });
        }
        None => {
            let of_person: Vec<&str> = parties
                .iter()
                .copied()
                .filter(|p| org.membership(person, &TeamId((*p).to_owned())) == Some(true))
                .collect();
            match of_person.as_slice() {
                [one] => TeamId((*one).to_owned()),
                [] => {
                    return Ok(Err(not_a_member(org, agreement, person, &parties)));
                }
                several => {
                    return Err(format!(
                        "`{person}` is a member of {} parties of agreement `{}` ({}): pass --party to say which one signs",
                        several.len(),
                        agreement.id,
                        several.join(", ")
                    ));
                }
            }
        }
    };
    if org.membership(person, &party) == Some(true) {
        Ok(Ok(party))
    } else {
        Ok(Err(not_a_member(org, agreement, person, &[party.as_str()])))
    }
}

/// The finding for `person` signing for `parties` (one or all of the agreement's) while
/// a member of none: `signer-outside-party`, where their teams are written.
fn not_a_member(org: &Org, agreement: &Agreement, person: &PersonId, parties: &[&str]) -> Finding {
    let loc = org
        .people
        .get(person)
        .map(|p| p.teams.first().map_or(p.loc, |t| t.loc));
    let members: Vec<String> = parties
        .iter()
        .flat_map(|p| org.members(&TeamId((*p).to_owned())))
        .map(|m| format!("`{m}`"))
        .collect();
    let (what, team) = match parties {
        [one] => (format!("party `{one}`"), format!("`{one}`")),
        _ => (
            format!("any party ({})", parties.join(", ")),
            "one of them".to_owned(),
        ),
    };
    Finding::new(
        "signer-outside-party",
        Level::Error,
        loc.unwrap_or(accord::source::Loc::file_start(agreement.file)),
        format!(
            "`{person}` cannot sign agreement `{}`: not a member of {what}",
            agreement.id
        ),
    )
    .with_help(if members.is_empty() {
        format!("add {team} to `{person}`'s teams in people.toml if they belong to it")
    } else {
        format!(
            "have a member sign ({}), or add {team} to `{person}`'s teams if they belong to it",
            members.join(", ")
        )
    })
}
