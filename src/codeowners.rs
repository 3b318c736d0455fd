//! A CODEOWNERS file in which each entity file names the people bound by it, so the
//! code host asks them to review every change to it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::Checked;
use crate::load::BANDS_SUFFIX;
use crate::model::{Org, OwnerKind, PersonId, TeamId};
use crate::text::is_forbidden_in_line;

/// The generated file and the people who could not be listed.
#[derive(Debug)]
pub struct Codeowners {
    /// The CODEOWNERS text.
    pub text: String,
    /// Bound people without a `handle`: (person, a file they are bound by).
    pub without_handle: Vec<(PersonId, String)>,
}

/// Who reviews a file: a person through their `handle`, or a team through its own.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reviewer {
    Person(PersonId),
    Team(TeamId),
}

/// Folders of the org that shape the site or the docs: every team lead reviews them.
const SITE_FOLDERS: &[&str] = &["docs/", "static/", "templates/"];

/// Files of the repository that decide who reviews and what CI checks: every team lead
/// reviews them. They are at the repository root, where the code host reads them,
/// whatever folder the org is in.
const REPOSITORY_FILES: &[&str] = &["CODEOWNERS", ".github/", ".gitlab-ci.yml"];

/// A path written in accord.toml (`./records/leads.csv`, `records//x.csv`) as a path from
/// the org root with `/`; `None` when it leaves the org or names nothing.
fn org_relative(written: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in written.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    (!written.starts_with('/') && !parts.is_empty()).then(|| parts.join("/"))
}

/// Builds CODEOWNERS for a checked org; `prefix` turns org paths into repository paths.
///
/// Bound by a file: an agreement's party leads and signers; a KPI's owners, also for its
/// actuals (`actuals/<kpi>.csv`) and the record file it is measured from; a persona's owner and the leads of `agreed_by`; a
/// team's lead; a meeting's facilitator. Every team lead reviews people.toml, accord.toml
/// (its `[lints]` can turn a rule off for everyone), `docs/`, `static/`, `templates/`
/// and, at the repository root, CODEOWNERS, `.github/` and `.gitlab-ci.yml`, which
/// decide who reviews and what CI checks. A team named as an owner stands for its own
/// `handle` when it has one, else for its lead. `[codeowners] default` is a first `*`
/// line and `also` joins every line. Every path is anchored at the repository root and
/// escaped ([`pattern`]), so no file name can widen or narrow what a line matches.
pub fn codeowners(checked: &Checked, prefix: &str) -> Codeowners {
    let org = &checked.org;
    let path = |file| format!("{prefix}{}", checked.sources.get(file).path);
    let mut bound: BTreeMap<String, BTreeSet<Reviewer>> = BTreeMap::new();
    let mut bind = |file: String, reviewers: Vec<Reviewer>| {
        bound.entry(file).or_default().extend(reviewers);
    };
    for agreement in org.agreements.values() {
        let leads = agreement
            .parties
            .value
            .iter()
            .filter_map(|p| lead(org, &p.value));
        let signers = agreement
            .signatures
            .iter()
            .map(|s| Reviewer::Person(s.by.value.clone()));
        bind(path(agreement.file), leads.chain(signers).collect());
    }
    for kpi in org.kpis.values() {
        let owners: Vec<Reviewer> = kpi
            .owners
            .iter()
            .filter_map(|o| reviewer(org, o.value.as_str()))
            .collect();
        // Its actuals are owned like the KPI: where the format puts them, even before
        // the file exists, and where they are when they are in a subfolder.
        let actuals = org
            .actuals
            .get(&kpi.id)
            .and_then(|rows| rows.first())
            .map(|row| path(row.loc.file));
        let canonical = format!("{prefix}actuals/{}.csv", kpi.id);
        // And the spread `measure` writes beside them for what it times.
        let bands = kpi
            .measure
            .as_ref()
            .and_then(|m| m.duration.as_ref())
            .map(|_| format!("{prefix}actuals/{}{BANDS_SUFFIX}", kpi.id));
        // So is the export it is measured from, when the repository holds it.
        let records = kpi
            .measure
            .as_ref()
            .and_then(|m| org.settings.records.get(&m.records.value))
            .and_then(|set| set.file.as_ref())
            .and_then(|file| org_relative(&file.value))
            .map(|file| format!("{prefix}{file}"));
        for file in actuals
            .into_iter()
            .chain([canonical])
            .chain(bands)
            .chain(records)
        {
            bind(file, owners.clone());
        }
        bind(path(kpi.file), owners);
    }
    for persona in org.personas.values() {
        let owner = reviewer(org, persona.owner.value.as_str());
        let agreed = persona
            .agreed_by
            .value
            .iter()
            .filter_map(|t| lead(org, &t.value));
        bind(
            path(persona.file),
            owner.into_iter().chain(agreed).collect(),
        );
    }
    for team in org.teams.values() {
        bind(
            path(team.file),
            vec![Reviewer::Person(team.lead.value.clone())],
        );
    }
    for meeting in org.meetings.values() {
        bind(
            path(meeting.file),
            vec![Reviewer::Person(meeting.facilitator.value.clone())],
        );
    }
    let leads: Vec<Reviewer> = org
        .teams
        .values()
        .map(|t| Reviewer::Person(t.lead.value.clone()))
        .collect();
    if let Some(person) = org.people.values().next() {
        bind(path(person.loc.file), leads.clone());
    }
    let org_paths = [crate::ORG_FILE].iter().chain(SITE_FOLDERS);
    for file in org_paths.map(|p| format!("{prefix}{p}")) {
        bind(file, leads.clone());
    }
    for file in REPOSITORY_FILES {
        bind((*file).to_owned(), leads.clone());
    }

    let settings = &org.settings.codeowners;
    let named = |ids: &[crate::model::Located<crate::model::OwnerId>]| -> Vec<Reviewer> {
        ids.iter()
            .filter_map(|o| reviewer(org, o.value.as_str()))
            .collect()
    };
    let also = named(&settings.also);
    // (what the line covers, for messages; its pattern; its reviewers)
    let mut lines: Vec<(String, String, BTreeSet<Reviewer>)> = Vec::new();
    if !settings.default.is_empty() {
        let default = named(&settings.default).into_iter().collect();
        lines.push(("every other file".to_owned(), "*".to_owned(), default));
    }
    lines.extend(
        bound
            .into_iter()
            .map(|(file, reviewers)| (file.clone(), pattern(&file), reviewers)),
    );

    let mut text = String::from(
        "# Generated by `accord codeowners`: the people bound by each file review its changes.\n# Do not edit by hand; regenerate it after changing people, teams or agreements.\n",
    );
    let mut without_handle = BTreeMap::new();
    for (covered, line, mut reviewers) in lines {
        reviewers.extend(also.iter().cloned());
        let mut handles = BTreeSet::new();
        for reviewer in &reviewers {
            match handle_of(org, reviewer) {
                Some(handle) => {
                    handles.insert(owner_of(handle));
                }
                None => {
                    if let Reviewer::Person(person) = reviewer {
                        without_handle
                            .entry(person.clone())
                            .or_insert_with(|| covered.clone());
                    }
                }
            }
        }
        text.push_str(&line);
        for handle in handles {
            let _ = write!(text, " {handle}");
        }
        text.push('\n');
    }
    Codeowners {
        text,
        without_handle: without_handle.into_iter().collect(),
    }
}

/// A path relative to the repository root as a CODEOWNERS pattern that matches that one
/// file: anchored with `/` (an unanchored `people.toml` would also match
/// `kpis/people.toml`), and with every character the pattern syntax reads specially
/// escaped. A control character cannot be escaped (a line break would end the line), so
/// it becomes `?`, which matches it and nothing wider than one character; the loader
/// refuses such names in entity folders anyway.
pub fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 1);
    out.push('/');
    for c in path.chars() {
        match c {
            ' ' | '#' | '*' | '?' | '[' | ']' | '!' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_forbidden_in_line(c) => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// A `handle` as a CODEOWNERS owner: `@user` or `@org/team`; an e-mail address as is.
fn owner_of(handle: &str) -> String {
    if handle.contains('@') {
        handle.to_owned()
    } else {
        format!("@{handle}")
    }
}

/// A team's lead, for the files that bind the lead by name (a party's lead, the lead of
/// a team in `agreed_by`).
fn lead(org: &Org, team: &TeamId) -> Option<Reviewer> {
    org.teams
        .get(team)
        .map(|t| Reviewer::Person(t.lead.value.clone()))
}

/// A person owner as themselves; a team owner as itself when it has a `handle`, else as
/// its lead.
fn reviewer(org: &Org, owner: &str) -> Option<Reviewer> {
    match org.owner_kind(owner)? {
        OwnerKind::Person => Some(Reviewer::Person(PersonId(owner.to_owned()))),
        OwnerKind::Team => {
            let team = org.teams.get(owner)?;
            Some(match team.handle {
                Some(_) => Reviewer::Team(team.id.clone()),
                None => Reviewer::Person(team.lead.value.clone()),
            })
        }
    }
}

fn handle_of<'a>(org: &'a Org, reviewer: &Reviewer) -> Option<&'a str> {
    match reviewer {
        Reviewer::Person(person) => org.people.get(person)?.handle.as_deref(),
        Reviewer::Team(team) => org.teams.get(team)?.handle.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_anchored_and_escaped() {
        assert_eq!(pattern("people.toml"), "/people.toml");
        assert_eq!(
            pattern("org [x]/docs/a b#c*?!\\.md"),
            "/org\\ \\[x\\]/docs/a\\ b\\#c\\*\\?\\!\\\\.md"
        );
        assert_eq!(pattern("docs/a\nb\tc.md"), "/docs/a?b?c.md");
    }

    #[test]
    fn handles_become_owners() {
        assert_eq!(owner_of("ana-garcia"), "@ana-garcia");
        assert_eq!(owner_of("acme/marketing"), "@acme/marketing");
        assert_eq!(owner_of("ana@acme.example"), "ana@acme.example");
    }

    #[test]
    fn record_paths_are_read_from_the_org_root_and_never_leave_it() {
        let relative = |written| org_relative(written);
        assert_eq!(
            relative("./records//leads.csv").as_deref(),
            Some("records/leads.csv")
        );
        assert_eq!(
            relative("exports/../records/x.csv").as_deref(),
            Some("records/x.csv")
        );
        for outside in [
            "/srv/exports/leads.csv",
            "../leads.csv",
            "records/../../x.csv",
            ".",
            "",
        ] {
            assert_eq!(relative(outside), None, "{outside}");
        }
    }
}
