//! Load: from the files of an org to its entities, collecting every structural problem.
//!
//! The loader never stops at the first problem and never panics on input: each file is
//! parsed on its own, every bad value is reported, and an entity whose file had an error
//! is left out of the model (its id stays known, so references to it do not cascade into
//! more errors).
//!
//! It works in two steps. Each file is first loaded on its own, on every core: its text
//! and line index, the TOML parse, the schema checks and the entity built from it, with
//! every finding that depends on that file alone ([`FileLoad`]). Then one thread puts the
//! files together in a fixed order, which numbers them ([`FileId`]) and runs every check
//! that involves several files (ids unique across subfolders, people against teams,
//! actuals against their KPI). A [`LoadCache`] keeps the first step's results for the
//! next load of the same files.

mod actuals;
mod cache;
mod docs;
mod entities;
mod files;
pub mod guard;
mod measure;
mod mistakes;
pub mod schema;
mod table;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use jiff::civil::Date;
use toml::de::DeTable;

pub use cache::LoadCache;
pub use entities::{ID_HELP, ID_PATTERN, is_language_tag, is_valid_id};
pub use files::{
    BANDS_SUFFIX, EntityKind, OrgFile, OrgFiles, RefusedFile, format_folders, is_entity_path,
    is_org_path,
};

use crate::diagnostic::{
    BAD_DATE, BAD_ID, BROKEN_LINK, DUPLICATE_ID, ErrorClass, FILE_TOO_LARGE, Finding,
    LINK_OUTSIDE_ORG, MISSING_FILE, SPECIAL_FILE, TOML_SYNTAX, WRONG_TYPE,
};
use crate::model::{
    Agreement, Collection, DocPage, Entities, Kpi, LintLevel, Located, Meeting, Person, PersonId,
    Persona, Settings, Team,
};
use crate::parallel;
use crate::source::{FileId, Loc, SourceFile, Sources};
use entities::TermTarget;
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
/// The same as [`load_with`] an empty cache, without keeping anything for a next load.
pub fn load(files: &OrgFiles, today: Date) -> Loaded {
    let numbered = numbered(files);
    let loads = parallel::map(&numbered, FILE_BATCH, |&(file, id)| {
        Arc::new(load_file(file, id))
    });
    assemble(files, &numbered, loads, today)
}

/// Loads every file of `files` as [`load`] does, taking from `cache` what each file gave
/// last time when its path, its bytes and its [`FileId`] are the same, and keeping what
/// this load gives for the next one. Only the work that involves several files is
/// always redone, so the result is the same as a fresh load's.
pub fn load_with(files: &OrgFiles, today: Date, cache: &mut LoadCache) -> Loaded {
    let numbered = numbered(files);
    let loads = cache.loads(&numbered);
    assemble(files, &numbered, loads, today)
}

/// Files a core loads (or reads) at a time: enough that the shared counter is seldom
/// touched, few enough that a core that drew large files does not hold up the end.
pub(crate) const FILE_BATCH: usize = 16;

/// The roles of the files loaded on their own, in the order they are put together (and
/// so numbered): teams before people.toml, which is checked against them; KPIs before
/// the agreements and actuals measured by them.
const LOAD_ORDER: [FileRole; 10] = [
    FileRole::Settings,
    FileRole::Entity(EntityKind::Team),
    FileRole::People,
    FileRole::Entity(EntityKind::Persona),
    FileRole::Entity(EntityKind::Kpi),
    FileRole::Entity(EntityKind::Agreement),
    FileRole::Entity(EntityKind::Meeting),
    FileRole::Actuals,
    FileRole::Distribution,
    FileRole::Doc,
];

/// The files loaded on their own, in [`LOAD_ORDER`] and by path, each with the
/// [`FileId`] [`assemble`] gives it: the refused paths are numbered first, and a missing
/// people.toml is reported at a file of its own, numbered where people.toml would be.
fn numbered(files: &OrgFiles) -> Vec<(&OrgFile, FileId)> {
    let rank = |role: FileRole| LOAD_ORDER.iter().position(|r| *r == role);
    let people_rank = rank(FileRole::People);
    let people_missing = !files.iter().any(|f| f.role() == FileRole::People)
        && !files
            .refused()
            .iter()
            .any(|r| files::role_of(&r.path) == FileRole::People);
    // Of accord.toml and people.toml only the first is read, should a caller of
    // [`OrgFiles::from_contents`] give one twice.
    let (mut settings, mut people) = (false, false);
    let mut loaded: Vec<(usize, &OrgFile)> = files
        .iter()
        .filter(|file| match file.role() {
            FileRole::Settings => !std::mem::replace(&mut settings, true),
            FileRole::People => !std::mem::replace(&mut people, true),
            _ => true,
        })
        .filter_map(|file| Some((rank(file.role())?, file)))
        .collect();
    // Stable: within a role, the files stay sorted by path.
    loaded.sort_by_key(|(rank, _)| *rank);
    let first = files.refused().len();
    loaded
        .into_iter()
        .enumerate()
        .map(|(n, (rank, file))| {
            let after_missing_people = people_missing && Some(rank) > people_rank;
            (
                file,
                Sources::nth_id(first + n + usize::from(after_missing_people)),
            )
        })
        .collect()
}

/// What one file gives on its own: its text, the findings about it alone, and what was
/// read from it. Made on any core, before the files are numbered, for the [`FileId`]
/// the file will get.
#[derive(Clone, Debug)]
struct FileLoad {
    id: FileId,
    role: FileRole,
    source: SourceFile,
    sink: Sink,
    read: Read,
}

/// What was read from one file, by its role.
#[derive(Clone, Debug)]
enum Read {
    /// Nothing to go on: the file is not UTF-8, or (a settings or entity file) it has a
    /// syntax error; reported.
    Nothing,
    /// The text is all there is to read on its own: the rows of an actuals file are read
    /// against its KPI, once the KPIs are known.
    Text,
    /// Boxed: the one settings file would make every file's result as large as it.
    Settings(Option<Box<(Settings, LintSettings)>>),
    People(PeopleRead),
    /// Each entity is `None` when a value of its file is missing or bad (reported).
    /// Shared, so a cached load and the models made from it hold one copy.
    Team(Option<Arc<Team>>),
    Persona(Option<Arc<Persona>>),
    Kpi(Option<Arc<Kpi>>),
    /// With the targets of its terms, checked against their KPI's unit once the KPIs are
    /// known (even when a value of the agreement is bad).
    Agreement(Option<Arc<Agreement>>, Vec<TermTarget>),
    Meeting(Option<Arc<Meeting>>),
    Doc(Option<DocPage>),
}

/// people.toml read on its own.
#[derive(Clone, Debug)]
enum PeopleRead {
    /// A syntax error: only the ids (its keys) are worth knowing, so that references to
    /// them are not all reported as dangling.
    Broken {
        ids: Vec<String>,
    },
    Sound(Vec<PersonEntry>),
}

/// One key of people.toml: the person's id, where it is written, and what was read.
#[derive(Clone, Debug)]
struct PersonEntry {
    id: String,
    key_loc: Loc,
    /// The findings of the person's table (or of its not being one).
    sink: Sink,
    /// `None` when the value is not a table (reported as such; nothing more is read).
    /// Otherwise the person, `None` when a value of it is missing or bad.
    person: Option<Option<Arc<Person>>>,
}

/// Loads one file on its own, for the id `id` it will have.
fn load_file(file: &OrgFile, id: FileId) -> FileLoad {
    let mut sink = Sink::default();
    let bytes = file.contents.as_deref().unwrap_or_default();
    let (source, read) = match std::str::from_utf8(bytes) {
        Ok(text) => {
            let source = SourceFile::new(file.path.clone(), text.to_owned());
            let read = read_text(file, id, &source.text, &mut sink);
            (source, read)
        }
        Err(e) => {
            // The text before `at` is valid, so offsets agree up to it; the bad bytes
            // became one replacement character. It is kept so its snippet can be shown.
            let at = e.valid_up_to();
            sink.block(
                Finding::error(
                    &TOML_SYNTAX,
                    Loc::new(id, at..at + char::REPLACEMENT_CHARACTER.len_utf8()),
                    format!("{} is not valid UTF-8 (byte {at})", file.path),
                )
                .with_help("save the file as UTF-8"),
            );
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            (SourceFile::new(file.path.clone(), lossy), Read::Nothing)
        }
    };
    FileLoad {
        id,
        role: file.role(),
        source,
        sink,
        read,
    }
}

/// What the UTF-8 `text` of `file` gives on its own.
fn read_text(file: &OrgFile, id: FileId, text: &str, sink: &mut Sink) -> Read {
    match file.role() {
        FileRole::Settings => Read::Settings(read_toml(id, text, sink, |table, sink| {
            let root = Reader::new(id, table, Loc::file_start(id), &schema::ACCORD, sink);
            Box::new(entities::settings(&root, sink))
        })),
        FileRole::People => Read::People(people(id, text, sink)),
        FileRole::Entity(kind) => entity(file, id, text, kind, sink),
        FileRole::Doc => Read::Doc(docs::page(file, id, text, sink)),
        FileRole::Actuals | FileRole::Distribution | FileRole::Stray | FileRole::Ignored => {
            Read::Text
        }
    }
}

/// Parses a TOML text, reporting every syntax error. Returns the table the parser
/// recovered and whether it is sound (no error).
fn parse<'i>(id: FileId, text: &'i str, sink: &mut Sink) -> (DeTable<'i>, bool) {
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
                sink.block(
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
        sink.block(Finding::error(
            class,
            Loc::new(id, span),
            format!("invalid TOML: {message}"),
        ));
    }
    (table.into_inner(), sound)
}

/// Parses a TOML text and hands its root table to `read`; `None` when it is not valid
/// TOML (reported).
fn read_toml<T>(
    id: FileId,
    text: &str,
    sink: &mut Sink,
    read: impl FnOnce(&DeTable, &mut Sink) -> T,
) -> Option<T> {
    let (table, sound) = parse(id, text, sink);
    sound.then(|| read(&table, sink))
}

/// An entity file on its own: the entity, and the problems of its path (a folder or a
/// file name that is no valid id).
fn entity(file: &OrgFile, id: FileId, text: &str, kind: EntityKind, sink: &mut Sink) -> Read {
    let stem = file.stem();
    let read = read_toml(id, text, sink, |table, sink| {
        let reader = Reader::new(id, table, Loc::file_start(id), kind.schema(), sink);
        match kind {
            EntityKind::Team => Read::Team(entities::team(stem, &reader).map(Arc::new)),
            EntityKind::Persona => Read::Persona(entities::persona(stem, &reader).map(Arc::new)),
            EntityKind::Kpi => Read::Kpi(entities::kpi(stem, &reader, sink).map(Arc::new)),
            EntityKind::Agreement => {
                let (agreement, targets) = entities::agreement(stem, &reader, sink);
                Read::Agreement(agreement.map(Arc::new), targets)
            }
            EntityKind::Meeting => {
                Read::Meeting(entities::meeting(stem, &reader, sink).map(Arc::new))
            }
        }
    });
    let start = Loc::file_start(id);
    if let Some(folder) = entities::bad_subfolder(&file.path) {
        sink.block(
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
    if !is_valid_id(stem) {
        sink.block(
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
    }
    read.unwrap_or(Read::Nothing)
}

/// people.toml on its own: every person's table read; whether an id is also a team's
/// is for [`Loader::people`].
fn people(id: FileId, text: &str, sink: &mut Sink) -> PeopleRead {
    let (table, sound) = parse(id, text, sink);
    if !sound {
        let ids = table.iter().map(|(key, _)| key.get_ref().to_string());
        return PeopleRead::Broken { ids: ids.collect() };
    }
    let entries = table.iter().map(|(key, value)| {
        let person_id = key.get_ref().to_string();
        let mut sink = Sink::default();
        let person = match value.get_ref().as_table() {
            None => {
                sink.block(Finding::error(
                    &WRONG_TYPE,
                    Loc::new(id, value.span()),
                    format!("`{person_id}` in people.toml must be a table: [{person_id}] with name and teams"),
                ));
                None
            }
            Some(person_table) => {
                let reader = Reader::new(
                    id,
                    person_table,
                    Loc::new(id, value.span()),
                    &schema::PERSON,
                    &mut sink,
                );
                Some(entities::person(&person_id, &reader).map(Arc::new))
            }
        };
        PersonEntry {
            id: person_id,
            key_loc: Loc::new(id, key.span()),
            sink,
            person,
        }
    });
    PeopleRead::Sound(entries.collect())
}

/// Puts the files loaded on their own together, in [`LOAD_ORDER`], with every check that
/// involves several files. `loads` are those of `numbered`, in its order.
fn assemble(
    files: &OrgFiles,
    numbered: &[(&OrgFile, FileId)],
    loads: Vec<Arc<FileLoad>>,
    today: Date,
) -> Loaded {
    let mut loader = Loader::default();
    let mut loads = InOrder {
        loads: numbered.iter().map(|(file, _)| *file).zip(loads).peekable(),
    };

    for refused in files.refused() {
        loader.refused(refused);
    }
    // None when accord.toml exists but could not be read: what it declares is unknown.
    let read_settings = match loads.take(FileRole::Settings).next() {
        Some((_, load)) => match loader.add(load) {
            (_, Read::Settings(settings)) => settings.map(|settings| *settings),
            _ => None,
        },
        None => Some(Default::default()),
    };
    let settings_known = read_settings.is_some();
    let (mut settings, lints) = read_settings.unwrap_or_default();
    // Teams first: people.toml is checked against them (a person id may not be a team id).
    let teams = loader.kind(
        loads.take(FileRole::Entity(EntityKind::Team)),
        EntityKind::Team,
        |read, _| match read {
            Read::Team(team) => team,
            _ => None,
        },
    );
    let people = loader.people(loads.take(FileRole::People).next().map(|(_, load)| load));
    let personas = loader.kind(
        loads.take(FileRole::Entity(EntityKind::Persona)),
        EntityKind::Persona,
        |read, _| match read {
            Read::Persona(persona) => persona,
            _ => None,
        },
    );
    let kpis = loader.kind(
        loads.take(FileRole::Entity(EntityKind::Kpi)),
        EntityKind::Kpi,
        |read, _| match read {
            Read::Kpi(kpi) => kpi,
            _ => None,
        },
    );
    // A broken accord.toml is its own finding; the record sets and calendar it may well
    // declare are not also reported missing from every KPI that measures with them.
    if settings_known {
        measure::check_references(&settings, &kpis, &mut loader.sink);
    }
    let agreements = loader.kind(
        loads.take(FileRole::Entity(EntityKind::Agreement)),
        EntityKind::Agreement,
        |read, sink| match read {
            Read::Agreement(agreement, targets) => {
                entities::check_term_units(&targets, &kpis, sink);
                agreement
            }
            _ => None,
        },
    );
    let meetings = loader.kind(
        loads.take(FileRole::Entity(EntityKind::Meeting)),
        EntityKind::Meeting,
        |read, _| match read {
            Read::Meeting(meeting) => meeting,
            _ => None,
        },
    );
    let actuals = actuals::load(&mut loader, loads.take(FileRole::Actuals), &kpis, today);
    let distributions = actuals::load_distributions(
        &mut loader,
        loads.take(FileRole::Distribution),
        &kpis,
        today,
    );
    entities::fraction_targets(&kpis, &agreements, &actuals, &mut loader.sink);
    let doc_loads: Vec<(&OrgFile, FileLoad)> = loads.take(FileRole::Doc).collect();
    debug_assert!(
        loads.loads.peek().is_none(),
        "every file loaded is put together"
    );
    let doc_files: Vec<&OrgFile> = doc_loads.iter().map(|(file, _)| *file).collect();
    let docs = loader.docs(doc_loads.into_iter());
    if let Some(start) = &mut settings.start {
        docs::resolve_start(start, &doc_files, &mut loader.sink);
    }
    // Stray files are not read (they may be large or binary); the `stray-file` rule
    // reports them at their first line.
    let stray_files = files
        .iter()
        .filter(|file| file.role() == FileRole::Stray)
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

/// The files loaded on their own, in [`LOAD_ORDER`], taken one role after the other.
struct InOrder<'f, I: Iterator<Item = (&'f OrgFile, Arc<FileLoad>)>> {
    loads: std::iter::Peekable<I>,
}

impl<'f, I: Iterator<Item = (&'f OrgFile, Arc<FileLoad>)>> InOrder<'f, I> {
    /// The next files while they have `role`: roles must be taken in [`LOAD_ORDER`].
    fn take(&mut self, role: FileRole) -> impl Iterator<Item = (&'f OrgFile, FileLoad)> + '_ {
        std::iter::from_fn(move || {
            let (file, load) = self.loads.next_if(|(_, load)| load.role == role)?;
            // Shared only when a cache keeps it too.
            Some((file, Arc::unwrap_or_clone(load)))
        })
    }
}

/// Where the loader reports. A *blocking* finding (a bad type, a missing or unknown key)
/// means a value could not be read, and the entity it belongs to is left out of the
/// model; other findings (a provider that is not a party) leave the entity in, so
/// resolve still checks its references and the user sees every problem in one run.
#[derive(Clone, Debug, Default)]
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

    /// Takes over the findings of `other`, after its own.
    fn append(&mut self, other: Sink) {
        self.blocking += other.blocking;
        self.findings.extend(other.findings);
    }
}

/// What the files put together so far make: the sources numbered in order, the ids
/// known, the findings.
#[derive(Default)]
struct Loader {
    sources: Sources,
    known: KnownIds,
    sink: Sink,
    incomplete: BTreeSet<Collection>,
}

impl Loader {
    /// Numbers a file loaded on its own and takes over its findings; returns its id and
    /// what was read from it.
    fn add(&mut self, load: FileLoad) -> (FileId, Read) {
        let id = self.sources.push(load.source);
        // `numbered` and the order of `assemble` must agree, or every location of the
        // file would point into another one.
        debug_assert_eq!(
            id,
            load.id,
            "{} numbered out of order",
            self.sources.get(id).path
        );
        self.sink.append(load.sink);
        (id, load.read)
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

    /// The people of people.toml (`None` when there is none), each id checked against
    /// the teams, which must be known by now.
    fn people(&mut self, load: Option<FileLoad>) -> BTreeMap<PersonId, Arc<Person>> {
        if load.is_none() && self.known.people_unread {
            // Reported as refused; "missing" would send the user looking for nothing.
            return BTreeMap::new();
        }
        let Some(load) = load else {
            let id = self.sources.add("people.toml".into(), String::new());
            self.sink.block(
                Finding::error(&MISSING_FILE, Loc::file_start(id), "people.toml is missing")
                    .with_help("create people.toml with one [person-id] table per person"),
            );
            self.incomplete.insert(Collection::People);
            return BTreeMap::new();
        };
        let entries = match self.add(load).1 {
            Read::People(PeopleRead::Sound(entries)) => entries,
            Read::People(PeopleRead::Broken { ids }) => {
                // Even from a table with syntax errors the ids are worth knowing:
                // references to them should not all be reported as dangling.
                self.known.people.extend(ids);
                self.incomplete.insert(Collection::People);
                return BTreeMap::new();
            }
            _ => {
                self.known.people_unread = true;
                self.incomplete.insert(Collection::People);
                return BTreeMap::new();
            }
        };
        // Built at once (sorted, then filled): cheaper than an insert per person.
        let mut people = Vec::new();
        let mut ids = Vec::new();
        for entry in entries {
            let person_id = entry.id;
            ids.push(person_id.clone());
            if !is_valid_id(&person_id) {
                self.sink.block(
                    Finding::error(
                        &BAD_ID,
                        entry.key_loc,
                        format!("person id `{person_id}` is not a valid id"),
                    )
                    .with_help(ID_HELP),
                );
            } else if self.known.teams.contains(&person_id) {
                self.sink.block(
                    Finding::error(
                        &DUPLICATE_ID,
                        entry.key_loc,
                        format!(
                            "`{person_id}` is both a person (people.toml) and a team (teams/): owner fields could not tell them apart"
                        ),
                    )
                    .with_help("rename the person or the team"),
                );
            }
            let read_cleanly = entry.sink.blocking() == 0;
            self.sink.append(entry.sink);
            match entry.person {
                Some(Some(person)) if read_cleanly => people.push((person.id.clone(), person)),
                Some(_) => {
                    self.incomplete.insert(Collection::People);
                }
                None => {}
            }
        }
        self.known.people.append(&mut ids.into_iter().collect());
        people.into_iter().collect()
    }

    /// Puts the files of one entity kind together: ids from file stems, unique across
    /// subfolders. `take` takes the entity out of what was read from a file (and may
    /// note what needs the entities of other kinds).
    fn kind<'f, K: Ord + From<String>, T>(
        &mut self,
        loads: impl Iterator<Item = (&'f OrgFile, FileLoad)>,
        kind: EntityKind,
        mut take: impl FnMut(Read, &mut Sink) -> Option<T>,
    ) -> BTreeMap<K, T> {
        let mut entities = Vec::new();
        let mut first_path: HashMap<&str, &str> = HashMap::new();
        // Every stem is known, valid or not, so references to it do not cascade.
        let mut stems = Vec::new();
        for (file, load) in loads {
            let stem = file.stem();
            let mut read_cleanly = load.sink.blocking() == 0;
            let (id, read) = self.add(load);
            let entity = take(read, &mut self.sink);
            stems.push(stem.to_owned());
            // A stem that is no valid id was reported with its file.
            if is_valid_id(stem) {
                if let Some(first) = first_path.get(stem) {
                    read_cleanly = false;
                    self.sink.block(
                        Finding::error(
                            &DUPLICATE_ID,
                            Loc::file_start(id),
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
                    first_path.insert(stem, &file.path);
                }
            }
            match entity {
                Some(entity) if read_cleanly => entities.push((K::from(stem.to_owned()), entity)),
                _ => {
                    self.incomplete.insert(kind.collection());
                }
            }
        }
        // Sets and maps built at once (sorted, then filled) cost less than an insert
        // per entity. The ids are unique, a duplicate having been left out above.
        if let Some(known) = self.known_set(kind) {
            known.append(&mut stems.into_iter().collect());
        }
        entities.into_iter().collect()
    }

    /// The docs pages, by weight, then path.
    fn docs<'f>(&mut self, loads: impl Iterator<Item = (&'f OrgFile, FileLoad)>) -> Vec<DocPage> {
        let mut pages: Vec<DocPage> = loads
            .filter_map(|(_, load)| match self.add(load).1 {
                Read::Doc(page) => page,
                _ => None,
            })
            .collect();
        pages.sort_by(|a, b| (a.weight, &a.path).cmp(&(b.weight, &b.path)));
        pages
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
    fn a_file_that_is_not_utf8_is_reported_at_its_first_bad_byte() {
        let files = super::OrgFiles::from_contents([(
            "teams/sales.toml".to_owned(),
            b"name = \"Ventas \xff\"\n".to_vec(),
        )]);
        let loaded = super::load(&files, jiff::civil::date(2026, 6, 15));
        let bad = loaded
            .findings
            .iter()
            .find(|f| f.message.contains("not valid UTF-8"))
            .expect("the bad byte is reported");
        // The bad byte became one replacement character: the span covers it alone.
        assert_eq!(
            bad.loc.range(),
            15..15 + char::REPLACEMENT_CHARACTER.len_utf8()
        );
        assert!(bad.message.contains("(byte 15)"), "{}", bad.message);
    }

    #[test]
    fn of_settings_or_people_given_twice_only_the_first_is_read() {
        let people = |name: &str| format!("[ana]\nname = \"{name}\"\nteams = [\"sales\"]\n");
        let files = super::OrgFiles::from_contents([
            ("people.toml".to_owned(), people("Ana").into_bytes()),
            ("people.toml".to_owned(), people("Ana Twice").into_bytes()),
            (
                "accord.toml".to_owned(),
                b"[org]\nname = \"One\"\n".to_vec(),
            ),
            (
                "accord.toml".to_owned(),
                b"[org]\nname = \"Two\"\n".to_vec(),
            ),
        ]);
        let loaded = super::load(&files, jiff::civil::date(2026, 6, 15));
        let read = |path: &str| {
            (0..loaded.sources.len())
                .filter(|&n| loaded.sources.get(crate::source::Sources::nth_id(n)).path == path)
                .count()
        };
        assert_eq!((read("people.toml"), read("accord.toml")), (1, 1));
        assert_eq!(
            loaded
                .entities
                .people
                .values()
                .next()
                .map(|p| p.name.as_str()),
            Some("Ana")
        );
        assert_eq!(loaded.entities.settings.name, "One");
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
