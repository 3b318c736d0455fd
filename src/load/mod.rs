//! Load: from the files of an org to its entities, collecting every structural problem.
//!
//! The loader never stops at the first problem and never panics on input: each file is
//! parsed on its own, every bad value is reported, and an entity whose file had an error
//! is left out of the model (its id stays known, so references to it do not cascade into
//! more errors).

mod actuals;
mod docs;
mod entities;
mod files;
pub mod schema;
mod table;

use std::collections::{BTreeMap, HashSet};

use toml::de::DeTable;

pub use entities::{ID_HELP, is_valid_id};
pub use files::{EntityKind, OrgFile, OrgFiles, is_org_path};
pub use table::closest;

use crate::diagnostic::{BAD_ID, DUPLICATE_ID, Finding, MISSING_FILE, TOML_SYNTAX, WRONG_TYPE};
use crate::model::{Entities, LintLevel, Located};
use crate::source::{FileId, Loc, Sources};
use files::FileRole;
use table::Reader;

/// Every id that has a file (or a people.toml key), valid or not: references are checked
/// against these, so a broken team file does not also make every mention of it dangle.
#[derive(Debug, Default)]
pub struct KnownIds {
    pub people: HashSet<String>,
    pub teams: HashSet<String>,
    pub personas: HashSet<String>,
    pub kpis: HashSet<String>,
}

/// `[lints]` as written: rule id and level, each with its span.
pub type LintSettings = Vec<(Located<String>, Located<LintLevel>)>;

/// The result of loading: entities that are free of structural errors, and the errors.
#[derive(Debug)]
pub struct Loaded {
    pub sources: Sources,
    pub entities: Entities,
    pub known: KnownIds,
    /// Checked against the rule registry by `check`, which owns the rule ids.
    pub lints: LintSettings,
    pub findings: Vec<Finding>,
}

/// Loads every file of `files`.
pub fn load(files: &OrgFiles) -> Loaded {
    let mut loader = Loader::default();
    let mut by_role: BTreeMap<FileRole, Vec<&OrgFile>> = BTreeMap::new();
    for file in files.iter() {
        by_role.entry(file.role()).or_default().push(file);
    }
    let take = |role: FileRole| by_role.get(&role).cloned().unwrap_or_default();

    let (settings, lints) = match take(FileRole::Settings).first() {
        Some(file) => loader.settings(file),
        None => (Default::default(), Vec::new()),
    };
    let people = loader.people(take(FileRole::People).first().copied());
    let teams = loader.kind(
        &take(FileRole::Entity(EntityKind::Team)),
        EntityKind::Team,
        |id, t, _| entities::team(id, t),
    );
    let personas = loader.kind(
        &take(FileRole::Entity(EntityKind::Persona)),
        EntityKind::Persona,
        |id, t, _| entities::persona(id, t),
    );
    let kpis = loader.kind(
        &take(FileRole::Entity(EntityKind::Kpi)),
        EntityKind::Kpi,
        entities::kpi,
    );
    let agreements = loader.kind(
        &take(FileRole::Entity(EntityKind::Agreement)),
        EntityKind::Agreement,
        entities::agreement,
    );
    let meetings = loader.kind(
        &take(FileRole::Entity(EntityKind::Meeting)),
        EntityKind::Meeting,
        entities::meeting,
    );
    for person in people.values() {
        if loader.known.teams.contains(person.id.as_str()) {
            loader.findings.push(Finding::error(
                &DUPLICATE_ID,
                person.loc,
                format!(
                    "`{}` is both a person (people.toml) and a team (teams/): owner fields could not tell them apart",
                    person.id
                ),
            ).with_help("rename the person or the team"));
        }
    }
    let actuals = actuals::load(&mut loader, &take(FileRole::Actuals), &kpis);
    let docs = docs::load(&mut loader, &take(FileRole::Doc));
    // Stray files are not read (they may be large or binary); the `stray-file` rule
    // reports them at their first line.
    let stray_files = take(FileRole::Stray)
        .iter()
        .map(|file| Loc::file_start(loader.sources.add(file.path.clone(), String::new())))
        .collect();

    Loaded {
        sources: loader.sources,
        entities: Entities {
            settings,
            people,
            teams,
            personas,
            kpis,
            actuals,
            agreements,
            meetings,
            docs,
            stray_files,
        },
        known: loader.known,
        lints,
        findings: loader.findings,
    }
}

#[derive(Default)]
struct Loader {
    sources: Sources,
    known: KnownIds,
    findings: Vec<Finding>,
}

impl Loader {
    /// Registers a file's text; a file that is not UTF-8 is reported and read lossily so
    /// its snippet can still be shown.
    fn add_source(&mut self, file: &OrgFile) -> (FileId, bool) {
        let bytes = file.contents.as_deref().unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(text) => (self.sources.add(file.path.clone(), text.to_owned()), true),
            Err(e) => {
                let id = self.sources.add(
                    file.path.clone(),
                    String::from_utf8_lossy(bytes).into_owned(),
                );
                let at = e.valid_up_to();
                self.findings.push(
                    Finding::error(
                        &TOML_SYNTAX,
                        Loc::new(id, at..at + 1),
                        format!("{} is not valid UTF-8 (byte {at})", file.path),
                    )
                    .with_help("save the file as UTF-8"),
                );
                (id, false)
            }
        }
    }

    /// Parses a TOML text, reporting every syntax error; `None` when there was any.
    fn parse<'i>(&mut self, id: FileId, text: &'i str) -> Option<DeTable<'i>> {
        let (table, errors) = DeTable::parse_recoverable(text);
        if errors.is_empty() {
            return Some(table.into_inner());
        }
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            self.findings.push(Finding::error(
                &TOML_SYNTAX,
                Loc::new(id, span),
                format!("invalid TOML: {}", error.message().trim_end()),
            ));
        }
        None
    }

    fn settings(&mut self, file: &OrgFile) -> (crate::model::Settings, LintSettings) {
        let (id, utf8) = self.add_source(file);
        let text = self.sources.get(id).text.clone();
        let table = if utf8 { self.parse(id, &text) } else { None };
        let Some(table) = table else {
            return Default::default();
        };
        let root = Reader::new(
            id,
            &table,
            Loc::file_start(id),
            &schema::ACCORD,
            &mut self.findings,
        );
        entities::settings(&root, &mut self.findings)
    }

    fn people(
        &mut self,
        file: Option<&OrgFile>,
    ) -> BTreeMap<crate::model::PersonId, crate::model::Person> {
        let mut people = BTreeMap::new();
        let Some(file) = file else {
            let id = self.sources.add("people.toml".into(), String::new());
            self.findings.push(
                Finding::error(&MISSING_FILE, Loc::file_start(id), "people.toml is missing")
                    .with_help("create people.toml with one [person-id] table per person"),
            );
            return people;
        };
        let (id, utf8) = self.add_source(file);
        let text = self.sources.get(id).text.clone();
        let Some(table) = (if utf8 { self.parse(id, &text) } else { None }) else {
            return people;
        };
        for (key, value) in table.iter() {
            let person_id = key.get_ref().to_string();
            let key_loc = Loc::new(id, key.span());
            self.known.people.insert(person_id.clone());
            if !is_valid_id(&person_id) {
                self.findings.push(
                    Finding::error(
                        &BAD_ID,
                        key_loc,
                        format!("person id `{person_id}` is not a valid id"),
                    )
                    .with_help(ID_HELP),
                );
                continue;
            }
            let Some(person_table) = value.get_ref().as_table() else {
                self.findings.push(Finding::error(
                    &WRONG_TYPE,
                    Loc::new(id, value.span()),
                    format!("`{person_id}` in people.toml must be a table: [{person_id}] with name and teams"),
                ));
                continue;
            };
            let before = self.findings.len();
            let reader = Reader::new(
                id,
                person_table,
                Loc::new(id, value.span()),
                &schema::PERSON,
                &mut self.findings,
            );
            if let Some(person) = entities::person(&person_id, &reader)
                && self.findings.len() == before
            {
                people.insert(person.id.clone(), person);
            }
        }
        people
    }

    /// Loads every file of one entity kind; ids from file stems, unique across subfolders.
    fn kind<K: Ord + From<String>, T>(
        &mut self,
        files: &[&OrgFile],
        kind: EntityKind,
        build: impl Fn(&str, &Reader, &mut Vec<Finding>) -> Option<T>,
    ) -> BTreeMap<K, T> {
        let mut entities = BTreeMap::new();
        let mut first_path: BTreeMap<String, String> = BTreeMap::new();
        for file in files {
            let (id, utf8) = self.add_source(file);
            let stem = file.stem().to_owned();
            let start = Loc::file_start(id);
            let mut register = true;
            if !is_valid_id(&stem) {
                self.findings.push(
                    Finding::error(
                        &BAD_ID,
                        start,
                        format!(
                            "`{stem}` (from the file name) is not a valid {} id",
                            kind.noun()
                        ),
                    )
                    .with_help(format!("rename the file: {ID_HELP}")),
                );
                register = false;
            } else if let Some(first) = first_path.get(&stem) {
                self.findings.push(
                    Finding::error(
                        &DUPLICATE_ID,
                        start,
                        format!(
                            "duplicate {} id `{stem}`: {first} and {}",
                            kind.noun(),
                            file.path
                        ),
                    )
                    .with_help(
                        "ids come from file names and must be unique across subfolders: rename one",
                    ),
                );
                register = false;
            } else {
                first_path.insert(stem.clone(), file.path.clone());
                if let Some(known) = self.known_set(kind) {
                    known.insert(stem.clone());
                }
            }
            let text = self.sources.get(id).text.clone();
            let Some(table) = (if utf8 { self.parse(id, &text) } else { None }) else {
                continue;
            };
            let before = self.findings.len();
            let reader = Reader::new(id, &table, start, kind.schema(), &mut self.findings);
            let entity = build(&stem, &reader, &mut self.findings);
            if let Some(entity) = entity
                && register
                && self.findings.len() == before
            {
                entities.insert(K::from(stem), entity);
            }
        }
        entities
    }

    /// The ids of a kind that other files may reference.
    fn known_set(&mut self, kind: EntityKind) -> Option<&mut HashSet<String>> {
        match kind {
            EntityKind::Team => Some(&mut self.known.teams),
            EntityKind::Persona => Some(&mut self.known.personas),
            EntityKind::Kpi => Some(&mut self.known.kpis),
            EntityKind::Agreement | EntityKind::Meeting => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn a_missing_people_file_is_reported_and_everything_else_still_checked() {
        let found = TestOrg::base()
            .without("people.toml")
            .edit("teams/sales.toml", "name", "nmae")
            .findings();
        assert!(found.contains(&("missing-file", "people.toml".into(), 1)));
        assert!(found.contains(&("unknown-key", "teams/sales.toml".into(), 1)));
        assert!(found.contains(&("dangling-reference", "agreements/sla.toml".into(), 3)));
    }

    #[test]
    fn ids_are_unique_across_subfolders_and_between_people_and_teams() {
        let found = TestOrg::base()
            .with(
                "teams/sub/sales.toml",
                "name = \"Sales 2\"\nlead = \"bruno\"\n",
            )
            .with("teams/ana.toml", "name = \"Ana's team\"\nlead = \"ana\"\n")
            .findings();
        assert!(
            found.contains(&("duplicate-id", "teams/sub/sales.toml".into(), 1)),
            "{found:?}"
        );
        assert!(
            found.contains(&("duplicate-id", "people.toml".into(), 1)),
            "{found:?}"
        );
    }

    #[test]
    fn agreement_structure_errors_point_at_the_value() {
        let found = TestOrg::base()
            .edit(
                "agreements/sla.toml",
                "provider = \"marketing\"",
                "provider = \"leadership\"",
            )
            .edit("agreements/sla.toml", "kpi = \"leads\"\n", "")
            .findings();
        assert_eq!(
            found,
            [
                ("not-a-party", "agreements/sla.toml".into(), 10),
                ("target-without-kpi", "agreements/sla.toml".into(), 13),
            ]
        );
    }

    #[test]
    fn every_syntax_error_of_every_file_is_reported() {
        let found = TestOrg::base()
            .edit("teams/sales.toml", "name = \"Sales\"", "name = Sales")
            .edit("kpis/leads.toml", "target = 10", "target = ")
            .findings();
        let syntax: Vec<_> = found
            .iter()
            .filter(|f| f.0 == "toml-syntax")
            .map(|f| f.1.as_str())
            .collect();
        assert_eq!(syntax, ["kpis/leads.toml", "teams/sales.toml"], "{found:?}");
    }

    #[test]
    fn a_stage_without_conversion_is_reported_at_its_header() {
        let found = TestOrg::base()
            .edit("accord.toml", "conversion = 0.1\n", "")
            .findings();
        assert_eq!(found, [("missing-conversion", "accord.toml".into(), 12)]);
    }
}
