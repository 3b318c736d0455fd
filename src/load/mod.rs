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
pub mod guard;
mod measure;
mod mistakes;
pub mod schema;
mod table;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use toml::de::DeTable;

pub use entities::{ID_HELP, ID_PATTERN, is_language_tag, is_valid_id};
pub use files::{
    BANDS_SUFFIX, EntityKind, OrgFile, OrgFiles, RefusedFile, format_folders, is_entity_path,
    is_org_path,
};

use crate::diagnostic::{
    BAD_DATE, BAD_ID, BROKEN_LINK, DUPLICATE_ID, ErrorClass, FILE_TOO_LARGE, Finding,
    LINK_OUTSIDE_ORG, MISSING_FILE, SPECIAL_FILE, TOML_SYNTAX, WRONG_TYPE,
};
use crate::model::{Collection, Entities, LintLevel, Located, Person, PersonId};
use crate::source::{FileId, Loc, Sources};
use files::FileRole;
use table::Reader;

/// Every id that has a file (or a people.toml key), valid or not: references are checked
/// against these, so a broken team file does not also make every mention of it dangle.
#[derive(Debug, Default)]
pub struct KnownIds {
    pub people: BTreeSet<String>,
    /// people.toml exists but could not be read (refused, or not UTF-8): its ids are
    /// unknown, so no reference to a person can be said to dangle.
    pub people_unread: bool,
    pub teams: BTreeSet<String>,
    pub personas: BTreeSet<String>,
    pub kpis: BTreeSet<String>,
    pub agreements: BTreeSet<String>,
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

/// Loads every file of `files`; `today` bounds the periods an actuals file may hold.
pub fn load(files: &OrgFiles, today: Date) -> Loaded {
    let mut loader = Loader::default();
    let mut by_role: BTreeMap<FileRole, Vec<&OrgFile>> = BTreeMap::new();
    for file in files.iter() {
        by_role.entry(file.role()).or_default().push(file);
    }
    let take = |role: FileRole| by_role.get(&role).cloned().unwrap_or_default();
    let entity_files = |kind: EntityKind| take(FileRole::Entity(kind));

    for refused in files.refused() {
        loader.refused(refused);
    }
    // None when accord.toml exists but could not be read: what it declares is unknown.
    let read_settings = match take(FileRole::Settings).first() {
        Some(file) => loader.settings(file),
        None => Some(Default::default()),
    };
    let settings_known = read_settings.is_some();
    let (mut settings, lints) = read_settings.unwrap_or_default();
    // Teams first: people.toml is checked against them (a person id may not be a team id).
    let teams = loader.kind(
        &entity_files(EntityKind::Team),
        EntityKind::Team,
        |id, t, _| entities::team(id, t),
    );
    let people = loader.people(take(FileRole::People).first().copied());
    let personas = loader.kind(
        &entity_files(EntityKind::Persona),
        EntityKind::Persona,
        |id, t, _| entities::persona(id, t),
    );
    let kpis = loader.kind(
        &entity_files(EntityKind::Kpi),
        EntityKind::Kpi,
        entities::kpi,
    );
    // A broken accord.toml is its own finding; the record sets and calendar it may well
    // declare are not also reported missing from every KPI that measures with them.
    if settings_known {
        measure::check_references(&settings, &kpis, &mut loader.sink);
    }
    let agreements = loader.kind(
        &entity_files(EntityKind::Agreement),
        EntityKind::Agreement,
        |id, t, sink| entities::agreement(id, t, sink, &kpis),
    );
    let meetings = loader.kind(
        &entity_files(EntityKind::Meeting),
        EntityKind::Meeting,
        entities::meeting,
    );
    let actuals = actuals::load(&mut loader, &take(FileRole::Actuals), &kpis, today);
    let distributions =
        actuals::load_distributions(&mut loader, &take(FileRole::Distribution), &kpis, today);
    entities::fraction_targets(&kpis, &agreements, &actuals, &mut loader.sink);
    let doc_files = take(FileRole::Doc);
    let docs = docs::load(&mut loader, &doc_files);
    if let Some(start) = &mut settings.start {
        docs::resolve_start(start, &doc_files, &mut loader.sink);
    }
    // Stray files are not read (they may be large or binary); the `stray-file` rule
    // reports them at their first line.
    let stray_files = take(FileRole::Stray)
        .iter()
        .map(|file| Loc::file_start(loader.sources.add(file.path.clone(), String::new())))
        .collect();
    // The `unknown-folder` rule reports these, at the folder.
    let unknown_folders = files
        .unknown_folders()
        .iter()
        .map(|name| {
            let loc = Loc::file_start(loader.sources.add(name.clone(), String::new()));
            Located::new(name.clone(), loc)
        })
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
            distributions,
            agreements,
            meetings,
            docs,
            stray_files,
            unknown_folders,
            incomplete: loader.incomplete,
        },
        known: loader.known,
        lints,
        findings: loader.sink.findings,
    }
}

/// Where the loader reports. A *blocking* finding (a bad type, a missing or unknown key)
/// means a value could not be read, and the entity it belongs to is left out of the
/// model; other findings (a provider that is not a party) leave the entity in, so
/// resolve still checks its references and the user sees every problem in one run.
#[derive(Default)]
pub(crate) struct Sink {
    findings: Vec<Finding>,
    blocking: usize,
}

impl Sink {
    pub fn block(&mut self, finding: Finding) {
        self.blocking += 1;
        self.findings.push(finding);
    }

    pub fn note(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// How many blocking findings so far: compare before and after reading an entity.
    pub fn blocking(&self) -> usize {
        self.blocking
    }
}

#[derive(Default)]
struct Loader {
    sources: Sources,
    known: KnownIds,
    sink: Sink,
    incomplete: BTreeSet<Collection>,
}

impl Loader {
    /// Registers a file's text and returns it when it is UTF-8; a file that is not is
    /// reported and registered lossily so its snippet can still be shown.
    fn add_source(&mut self, file: &OrgFile) -> (FileId, Option<String>) {
        let bytes = file.contents.as_deref().unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(text) => (
                self.sources.add(file.path.clone(), text.to_owned()),
                Some(text.to_owned()),
            ),
            Err(e) => {
                let id = self.sources.add(
                    file.path.clone(),
                    String::from_utf8_lossy(bytes).into_owned(),
                );
                // The text before `at` is valid, so offsets agree up to it; the bad bytes
                // became one replacement character.
                let at = e.valid_up_to();
                self.sink.block(
                    Finding::error(
                        &TOML_SYNTAX,
                        Loc::new(id, at..at + char::REPLACEMENT_CHARACTER.len_utf8()),
                        format!("{} is not valid UTF-8 (byte {at})", file.path),
                    )
                    .with_help("save the file as UTF-8"),
                );
                (id, None)
            }
        }
    }

    /// Parses a TOML text, reporting every syntax error. Returns the table the parser
    /// recovered and whether it is sound (no error).
    fn parse<'i>(&mut self, id: FileId, text: &'i str) -> (DeTable<'i>, bool) {
        let (table, errors) = DeTable::parse_recoverable(text);
        let sound = errors.is_empty();
        // Where a known mistake was reported: the parser's other errors about it add
        // nothing (`01.01.2027` is two errors to it, `[term]` one per key below it).
        let mut diagnosed = BTreeSet::new();
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            let message = error.message().trim_end();
            if let Some(mistake) = mistakes::diagnose(text, span.start, message) {
                if diagnosed.insert(mistake.range.start) {
                    self.sink.block(
                        Finding::error(mistake.class, Loc::new(id, mistake.range), mistake.message)
                            .with_help(mistake.help),
                    );
                }
                continue;
            }
            // The parser checks calendar dates itself (2026-02-30); SPEC calls that a
            // bad date, not a syntax error.
            let class = if message.contains("date") {
                &BAD_DATE
            } else {
                &TOML_SYNTAX
            };
            self.sink.block(Finding::error(
                class,
                Loc::new(id, span),
                format!("invalid TOML: {message}"),
            ));
        }
        (table.into_inner(), sound)
    }

    /// Reads a TOML file and hands its root table to `read`; `None` when the file is not
    /// UTF-8 or not valid TOML (reported).
    fn read_toml<T>(
        &mut self,
        file: &OrgFile,
        read: impl FnOnce(&mut Self, FileId, &DeTable) -> T,
    ) -> (FileId, Option<T>) {
        let (id, text) = self.add_source(file);
        let Some(text) = text else {
            return (id, None);
        };
        let (table, sound) = self.parse(id, &text);
        (id, sound.then(|| read(self, id, &table)))
    }

    fn settings(&mut self, file: &OrgFile) -> Option<(crate::model::Settings, LintSettings)> {
        self.read_toml(file, |loader, id, table| {
            let root = Reader::new(
                id,
                table,
                Loc::file_start(id),
                &schema::ACCORD,
                &mut loader.sink,
            );
            entities::settings(&root, &mut loader.sink)
        })
        .1
    }

    /// Reports a path the gate refused, at its start. What the file would have held is
    /// unknown: its kind is marked incomplete and an entity's id (its stem) stays known,
    /// so the refusal is one finding, not one per reference.
    fn refused(&mut self, refused: &RefusedFile) {
        let class: &ErrorClass = match refused.refusal {
            guard::Refusal::OutsideOrg { .. } => &LINK_OUTSIDE_ORG,
            guard::Refusal::BrokenLink { .. } | guard::Refusal::LinkLoop { .. } => &BROKEN_LINK,
            guard::Refusal::SpecialFile { .. } => &SPECIAL_FILE,
            guard::Refusal::TooLarge { .. } => &FILE_TOO_LARGE,
        };
        let (message, help) = refused.refusal.explain(&refused.path);
        let id = self.sources.add(refused.path.clone(), String::new());
        self.sink
            .block(Finding::error(class, Loc::file_start(id), message).with_help(help));
        let file = OrgFile {
            path: refused.path.clone(),
            contents: None,
        };
        match file.role() {
            FileRole::People => {
                self.known.people_unread = true;
                self.incomplete.insert(Collection::People);
            }
            FileRole::Entity(kind) => {
                if let Some(known) = self.known_set(kind) {
                    known.insert(file.stem().to_owned());
                }
                self.incomplete.insert(kind.collection());
            }
            FileRole::Actuals => {
                self.incomplete.insert(Collection::Actuals);
            }
            _ => {}
        }
    }

    fn people(&mut self, file: Option<&OrgFile>) -> BTreeMap<PersonId, Person> {
        let mut people = BTreeMap::new();
        if file.is_none() && self.known.people_unread {
            // Reported as refused; "missing" would send the user looking for nothing.
            return people;
        }
        let Some(file) = file else {
            let id = self.sources.add("people.toml".into(), String::new());
            self.sink.block(
                Finding::error(&MISSING_FILE, Loc::file_start(id), "people.toml is missing")
                    .with_help("create people.toml with one [person-id] table per person"),
            );
            self.incomplete.insert(Collection::People);
            return people;
        };
        let (id, text) = self.add_source(file);
        let Some(text) = text else {
            self.known.people_unread = true;
            self.incomplete.insert(Collection::People);
            return people;
        };
        let (table, sound) = self.parse(id, &text);
        for (key, value) in table.iter() {
            let person_id = key.get_ref().to_string();
            let key_loc = Loc::new(id, key.span());
            // Even from a table with syntax errors the ids are worth knowing: references
            // to them should not all be reported as dangling.
            self.known.people.insert(person_id.clone());
            if !sound {
                continue;
            }
            if !is_valid_id(&person_id) {
                self.sink.block(
                    Finding::error(
                        &BAD_ID,
                        key_loc,
                        format!("person id `{person_id}` is not a valid id"),
                    )
                    .with_help(ID_HELP),
                );
            } else if self.known.teams.contains(&person_id) {
                self.sink.block(
                    Finding::error(
                        &DUPLICATE_ID,
                        key_loc,
                        format!(
                            "`{person_id}` is both a person (people.toml) and a team (teams/): owner fields could not tell them apart"
                        ),
                    )
                    .with_help("rename the person or the team"),
                );
            }
            let Some(person_table) = value.get_ref().as_table() else {
                self.sink.block(Finding::error(
                    &WRONG_TYPE,
                    Loc::new(id, value.span()),
                    format!("`{person_id}` in people.toml must be a table: [{person_id}] with name and teams"),
                ));
                continue;
            };
            let before = self.sink.blocking();
            let reader = Reader::new(
                id,
                person_table,
                Loc::new(id, value.span()),
                &schema::PERSON,
                &mut self.sink,
            );
            match entities::person(&person_id, &reader) {
                Some(person) if self.sink.blocking() == before => {
                    people.insert(person.id.clone(), person);
                }
                _ => {
                    self.incomplete.insert(Collection::People);
                }
            }
        }
        if !sound {
            self.incomplete.insert(Collection::People);
        }
        people
    }

    /// Loads every file of one entity kind; ids from file stems, unique across subfolders.
    fn kind<K: Ord + From<String>, T>(
        &mut self,
        files: &[&OrgFile],
        kind: EntityKind,
        build: impl Fn(&str, &Reader, &mut Sink) -> Option<T>,
    ) -> BTreeMap<K, T> {
        let mut entities = BTreeMap::new();
        let mut first_path: BTreeMap<String, String> = BTreeMap::new();
        for file in files {
            let stem = file.stem().to_owned();
            let before = self.sink.blocking();
            let (id, entity) = self.read_toml(file, |loader, id, table| {
                let reader = Reader::new(
                    id,
                    table,
                    Loc::file_start(id),
                    kind.schema(),
                    &mut loader.sink,
                );
                build(&stem, &reader, &mut loader.sink)
            });
            // Every stem is known, valid or not, so references to it do not cascade.
            if let Some(known) = self.known_set(kind) {
                known.insert(stem.clone());
            }
            let start = Loc::file_start(id);
            if let Some(folder) = entities::bad_subfolder(&file.path) {
                self.sink.block(
                    Finding::error(
                        &BAD_ID,
                        start,
                        format!(
                            "the folder `{folder}` of {} is not a valid folder name",
                            file.path
                        ),
                    )
                    .with_help(format!("rename the folder: {ID_HELP}")),
                );
            }
            if !is_valid_id(&stem) {
                self.sink.block(
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
            } else if let Some(first) = first_path.get(&stem) {
                self.sink.block(
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
            } else {
                first_path.insert(stem.clone(), file.path.clone());
            }
            match entity.flatten() {
                Some(entity) if self.sink.blocking() == before => {
                    entities.insert(K::from(stem), entity);
                }
                _ => {
                    self.incomplete.insert(kind.collection());
                }
            }
        }
        entities
    }

    /// The ids of a kind that other files may reference.
    fn known_set(&mut self, kind: EntityKind) -> Option<&mut BTreeSet<String>> {
        match kind {
            EntityKind::Team => Some(&mut self.known.teams),
            EntityKind::Persona => Some(&mut self.known.personas),
            EntityKind::Kpi => Some(&mut self.known.kpis),
            EntityKind::Agreement => Some(&mut self.known.agreements),
            EntityKind::Meeting => None,
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
    fn supersedes_names_another_existing_agreement() {
        let renewal = |supersedes: &str| {
            TestOrg::base().with(
                "agreements/sla-2027.toml",
                &format!(
                    "title = \"SLA 2027\"\nparties = [\"marketing\", \"sales\"]\nsponsor = \"carmen\"\nreferee = \"diego\"\neffective = 2026-06-01\nexpires = 2026-12-31\nsupersedes = \"{supersedes}\"\n\n[[term]]\nid = \"leads\"\nprovider = \"marketing\"\nowner = \"ana\"\ncommitment = \"Leads.\"\nkpi = \"leads\"\n\n[[signature]]\nparty = \"marketing\"\nby = \"ana\"\ndate = 2026-05-01\n\n[[signature]]\nparty = \"sales\"\nby = \"bruno\"\ndate = 2026-05-01\n"
                ),
            )
        };
        assert_eq!(renewal("sla").findings(), []);
        assert_eq!(
            renewal("slaa").findings(),
            [("dangling-reference", "agreements/sla-2027.toml".into(), 7)]
        );
        assert_eq!(
            renewal("sla-2027").findings(),
            [("invalid-value", "agreements/sla-2027.toml".into(), 7)]
        );
        // Two agreements that renew each other: one finding, at the first id's `supersedes`.
        let looped = renewal("sla").edit(
            "agreements/sla.toml",
            "referee = \"diego\"\n",
            "referee = \"diego\"\nsupersedes = \"sla-2027\"\n",
        );
        assert_eq!(
            looped.findings(),
            [("invalid-value", "agreements/sla.toml".into(), 5)]
        );
        let checked = crate::check_files(&looped.files(), &crate::check::testing::context());
        assert_eq!(
            checked.findings[0].message,
            "agreements supersede each other in a loop: `sla` -> `sla-2027` -> `sla`"
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
                // The agreement stays in the model: its rules still run.
                ("unmeasured-term", "agreements/sla.toml".into(), 8),
                ("not-a-party", "agreements/sla.toml".into(), 10),
                ("owner-outside-provider", "agreements/sla.toml".into(), 11),
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
    fn a_single_term_written_as_a_table_is_told_to_use_two_brackets() {
        let org = TestOrg::base().edit("agreements/sla.toml", "[[term]]", "[term]");
        assert_eq!(
            org.findings(),
            [("wrong-type", "agreements/sla.toml".into(), 8)]
        );
        let checked = crate::check_files(&org.files(), &crate::check::testing::context());
        assert_eq!(
            checked.findings[0].help.as_deref(),
            Some("write `[[term]]` (two brackets): each one starts with its own `[[term]]`")
        );
    }

    #[test]
    fn a_quoted_date_is_told_its_unquoted_form() {
        let org = TestOrg::base().edit(
            "agreements/sla.toml",
            "effective = 2026-01-01",
            "effective = \"01.01.2026\"",
        );
        let checked = crate::check_files(&org.files(), &crate::check::testing::context());
        let found: Vec<_> = checked
            .findings
            .iter()
            .map(|f| (f.rule, f.help.as_deref()))
            .collect();
        assert_eq!(
            found,
            [(
                "bad-date",
                Some("dates are written YYYY-MM-DD, unquoted: 2026-01-01")
            )]
        );
    }

    #[test]
    fn a_stage_without_conversion_is_reported_at_its_header() {
        let found = TestOrg::base()
            .edit("accord.toml", "conversion = 0.1\n", "")
            .findings();
        assert_eq!(found, [("missing-conversion", "accord.toml".into(), 12)]);
    }

    #[test]
    fn a_broken_people_file_does_not_make_every_person_dangle() {
        let found = TestOrg::base()
            .edit("people.toml", "name = \"Ana\"", "name = Ana")
            .findings();
        assert_eq!(found, [("toml-syntax", "people.toml".into(), 2)]);
    }

    #[test]
    fn language_is_a_tag_and_never_a_path() {
        for tag in ["en", "es", "pt-BR", "sr-Latn", "zh-Hant-TW", "gsw"] {
            assert!(super::is_language_tag(tag), "{tag}");
        }
        for tag in [
            "",
            "e",
            "EN",
            "english",
            "../../x/labels",
            "en/../x",
            "en-",
            "en--us",
            "en-toolongpart",
            "en_US",
            "en.toml",
        ] {
            assert!(!super::is_language_tag(tag), "{tag}");
        }
        let found = TestOrg::base()
            .edit(
                "accord.toml",
                "name = \"Test Org\"",
                "name = \"Test Org\"\nlanguage = \"../../x/labels\"",
            )
            .findings();
        assert_eq!(found, [("invalid-value", "accord.toml".into(), 3)]);
    }

    /// The base org with `site` as its [site] table.
    fn site(site: &str) -> TestOrg {
        TestOrg::base().edit(
            "accord.toml",
            "name = \"Test Org\"\n",
            &format!("name = \"Test Org\"\n\n[site]\n{site}\n"),
        )
    }

    #[test]
    fn repository_and_url_are_plain_https_addresses_of_a_repository_and_a_site() {
        for good in [
            "repository = \"https://github.com/acme/alignment\"",
            "repository = \"https://gitlab.example.com/group/sub/alignment/\"\nbranch = \"release/2026\"",
            "url = \"https://intranet.acme.com/alignment/\"",
        ] {
            assert_eq!(site(good).findings(), [], "{good}");
        }
        for bad in [
            "repository = \"javascript:alert(1)//github.com/a/b\"",
            "repository = \"http://github.com/acme/alignment\"",
            "repository = \"https://github.com/acme\"",
            "repository = \"https://github.com/acme/x\\\" onmouseover=\\\"alert(1)\"",
            "repository = \"https://github.com/acme/a?tab=1\"",
            "branch = \"../main\"",
            "branch = \"-x\"",
            "url = \"https://intranet acme.com/\"",
            "url = \"//intranet.acme.com/\"",
        ] {
            assert_eq!(
                site(bad).findings(),
                [("invalid-value", "accord.toml".into(), 5)],
                "{bad}"
            );
        }
        let read = |text: &str| {
            let files = site(text).files();
            let loaded = super::load(&files, jiff::civil::date(2026, 6, 15));
            loaded.entities.settings.repository
        };
        let github = read("repository = \"https://github.com/acme/alignment/\"").unwrap();
        assert_eq!(
            (github.url.as_str(), github.branch.as_str(), github.gitlab),
            ("https://github.com/acme/alignment", "main", false)
        );
        assert_eq!(
            github.edit("org/teams/sales.toml"),
            "https://github.com/acme/alignment/edit/main/org/teams/sales.toml"
        );
        let gitlab =
            read("repository = \"https://gitlab.com/acme/alignment\"\nbranch = \"prod\"").unwrap();
        assert_eq!(
            gitlab.history("people.toml"),
            "https://gitlab.com/acme/alignment/-/commits/prod/people.toml"
        );
    }

    #[test]
    fn a_bad_file_name_is_one_finding_not_one_per_reference() {
        let found = TestOrg::base()
            .with(
                "teams/Events_Team.toml",
                "name = \"Events\"\nlead = \"ana\"\n",
            )
            .edit(
                "people.toml",
                "teams = [\"marketing\"]",
                "teams = [\"marketing\", \"Events_Team\"]",
            )
            .findings();
        assert_eq!(found, [("bad-id", "teams/Events_Team.toml".into(), 1)]);
    }

    #[test]
    fn one_bad_lint_entry_keeps_the_others() {
        let found = TestOrg::base()
            .edit(
                "accord.toml",
                "[plan]",
                "[lints]\nlong-meeting = \"deny\"\nno-referee = \"nope\"\nno-sponsr = \"deny\"\nunknown-key = \"allow\"\n\n[plan]",
            )
            .edit("meetings/monthly.toml", "duration = 60", "duration = 61")
            .findings();
        let rules: Vec<&str> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            rules,
            [
                "invalid-value",
                "unknown-key",
                "unknown-key",
                "long-meeting"
            ],
            "{found:?}"
        );
        let checked = crate::check_files(
            &crate::load::OrgFiles::from_contents([
                ("accord.toml".to_owned(), b"[org]\nname = \"x\"\n[lints]\nlong-meeting = \"deny\"\nno-referee = \"nope\"\n".to_vec()),
                ("people.toml".to_owned(), Vec::new()),
                ("meetings/m.toml".to_owned(), b"name = \"M\"\ncadence = \"weekly\"\nduration = 90\nteams = []\nfacilitator = \"x\"\nattendees = []\n".to_vec()),
            ]),
            &crate::check::testing::context(),
        );
        assert!(
            checked.findings.iter().all(|f| f.rule != "long-meeting"),
            "the meeting has errors, so it is left out"
        );
    }

    #[test]
    fn one_bad_value_does_not_hide_the_others() {
        let found = TestOrg::base()
            .edit(
                "agreements/sla.toml",
                "parties = [\"marketing\", \"sales\"]",
                "parties = \"marketing\"",
            )
            .edit("agreements/sla.toml", "id = \"leads\"", "id = \"Leads\"")
            .edit("agreements/sla.toml", "kpi = \"leads\"\n", "")
            .findings();
        let rules: Vec<&str> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            rules,
            ["wrong-type", "bad-id", "target-without-kpi"],
            "{found:?}"
        );
    }

    #[test]
    fn impossible_dates_are_bad_dates() {
        let found = TestOrg::base()
            .edit(
                "agreements/sla.toml",
                "effective = 2026-01-01",
                "effective = 2026-02-30",
            )
            .findings();
        assert_eq!(found, [("bad-date", "agreements/sla.toml".into(), 5)]);
    }

    #[test]
    fn two_actuals_files_for_one_kpi_are_duplicates() {
        let found = TestOrg::base()
            .with("actuals/old/leads.csv", "period,value\n2026-01,1\n")
            .findings();
        assert_eq!(found, [("duplicate-id", "actuals/old/leads.csv".into(), 1)]);
    }

    #[test]
    fn a_broken_meeting_does_not_make_cadences_look_missing() {
        let found = TestOrg::base()
            .edit("meetings/weekly.toml", "duration = 30", "duration = \"30\"")
            .findings();
        assert_eq!(found, [("wrong-type", "meetings/weekly.toml".into(), 3)]);
    }

    /// The base org with `leads` in percent, its targets and actuals replaced.
    fn percent_org(kpi_target: &str, term_target: &str, actuals: &str) -> TestOrg {
        TestOrg::base()
            .edit("kpis/leads.toml", "unit = \"count\"", "unit = \"percent\"")
            .edit(
                "kpis/leads.toml",
                "target = 10",
                &format!("target = {kpi_target}"),
            )
            .edit(
                "agreements/sla.toml",
                "target = 10",
                &format!("target = {term_target}"),
            )
            .with("actuals/leads.csv", &format!("period,value\n{actuals}"))
    }

    fn invalid_values(org: &TestOrg) -> Vec<(String, usize)> {
        org.findings()
            .into_iter()
            .filter(|(rule, _, _)| *rule == "invalid-value")
            .map(|(_, file, line)| (file, line))
            .collect()
    }

    #[test]
    fn percents_outside_0_to_100_are_invalid_wherever_written() {
        let org = percent_org("120", "-1", "2026-04,100.5\n2026-05,50\n");
        assert_eq!(
            invalid_values(&org),
            [
                ("actuals/leads.csv".into(), 2),
                ("agreements/sla.toml".into(), 14),
                ("kpis/leads.toml".into(), 6),
            ]
        );
        let bounds = percent_org("100", "0", "2026-04,0\n2026-05,100\n");
        assert_eq!(invalid_values(&bounds), []);
    }

    #[test]
    fn fraction_targets_beside_percent_actuals_are_invalid() {
        let org = percent_org("0.95", "0.95", "2026-04,93\n2026-05,97\n");
        assert_eq!(
            invalid_values(&org),
            [
                ("agreements/sla.toml".into(), 14),
                ("kpis/leads.toml".into(), 6),
            ]
        );
        // An actual at most 1 leaves the scale open: 0.95 % may be meant.
        let small = percent_org("0.95", "0.95", "2026-04,0.5\n2026-05,97\n");
        assert_eq!(invalid_values(&small), []);
        // A count may be 0.95 beside 93 (a ratio KPI in count is not on a percent scale).
        let count = percent_org("0.95", "0.95", "2026-04,93\n").edit(
            "kpis/leads.toml",
            "unit = \"percent\"",
            "unit = \"count\"",
        );
        assert_eq!(invalid_values(&count), []);
    }

    #[test]
    fn fraction_actuals_beside_a_percent_target_are_invalid() {
        let org = percent_org("95", "95", "2026-04,0.93\n2026-05,0.97\n");
        assert_eq!(invalid_values(&org), [("actuals/leads.csv".into(), 2)]);
        let checked = crate::check_files(&org.files(), &crate::check::testing::context());
        let finding = checked
            .findings
            .iter()
            .find(|f| f.rule == "invalid-value")
            .expect("a finding");
        assert_eq!(
            finding.help.as_deref(),
            Some("percent values are 0-100: write 97, not 0.97")
        );
        // A hundred times below the target is no fraction of it: a real 0.5 % against 95.
        let low = percent_org("95", "95", "2026-04,0.003\n2026-05,0.005\n");
        assert_eq!(invalid_values(&low), []);
        // Nor are zeros, or a count.
        assert_eq!(invalid_values(&percent_org("95", "95", "2026-04,0\n")), []);
        let count = percent_org("95", "95", "2026-04,0.93\n").edit(
            "kpis/leads.toml",
            "unit = \"percent\"",
            "unit = \"count\"",
        );
        assert_eq!(invalid_values(&count), []);
    }
}
