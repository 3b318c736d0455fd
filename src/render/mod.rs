//! Render: the site's pages from the checked org, through tera templates.
//!
//! The templates and the stylesheet live in `templates/` and are embedded in the binary;
//! an org overrides any of them file by file from its own `templates/`. Views
//! (`views.rs`) decide what each page shows; templates only lay it out. Every file of
//! the site (pages, stylesheet, data.json, search index, calendars, feed) is one output
//! of a [`SitePlan`], rendered on its own: `build` renders them all on every core and
//! hands each to the caller as it is done, so a large site never sits in memory whole;
//! `serve` renders each when it is asked for.

mod abbr;
mod actions_page;
mod calendar;
mod changes_page;
mod chart;
mod dashboard;
mod ics;
pub mod markdown;
mod measure_words;
mod plan_page;
mod search;
mod views;

use std::collections::BTreeMap;
use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use jiff::civil::Date;
use serde::Serialize;
use tera::{Context, Tera};

use crate::Checked;
use crate::load::guard::{OrgRoot, ReadError};
use crate::model::Responsibility;
use views::SiteData;

/// The built-in templates, by the name an org's `templates/` overrides them with.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("owners.html", include_str!("../../templates/owners.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("persona.html", include_str!("../../templates/persona.html")),
    (
        "agreement.html",
        include_str!("../../templates/agreement.html"),
    ),
    ("kpi.html", include_str!("../../templates/kpi.html")),
    ("meeting.html", include_str!("../../templates/meeting.html")),
    ("plan.html", include_str!("../../templates/plan.html")),
    ("health.html", include_str!("../../templates/health.html")),
    ("actions.html", include_str!("../../templates/actions.html")),
    (
        "agreements.html",
        include_str!("../../templates/agreements.html"),
    ),
    ("kpis.html", include_str!("../../templates/kpis.html")),
    (
        "meetings.html",
        include_str!("../../templates/meetings.html"),
    ),
    (
        "personas.html",
        include_str!("../../templates/personas.html"),
    ),
    ("docs.html", include_str!("../../templates/docs.html")),
    ("doc.html", include_str!("../../templates/doc.html")),
    ("changes.html", include_str!("../../templates/changes.html")),
    ("review.html", include_str!("../../templates/review.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "partials/actions.html",
        include_str!("../../templates/partials/actions.html"),
    ),
    (
        "partials/agreements.html",
        include_str!("../../templates/partials/agreements.html"),
    ),
    (
        "partials/kpis.html",
        include_str!("../../templates/partials/kpis.html"),
    ),
    (
        "partials/links.html",
        include_str!("../../templates/partials/links.html"),
    ),
    (
        "partials/meetings.html",
        include_str!("../../templates/partials/meetings.html"),
    ),
    (
        "partials/plan_to_date.html",
        include_str!("../../templates/partials/plan_to_date.html"),
    ),
    (
        "partials/responsibilities.html",
        include_str!("../../templates/partials/responsibilities.html"),
    ),
    (
        "partials/own_actions.html",
        include_str!("../../templates/partials/own_actions.html"),
    ),
    (
        "partials/score.html",
        include_str!("../../templates/partials/score.html"),
    ),
    (
        "partials/status.html",
        include_str!("../../templates/partials/status.html"),
    ),
    (
        "partials/trend.html",
        include_str!("../../templates/partials/trend.html"),
    ),
    (
        "partials/unit.html",
        include_str!("../../templates/partials/unit.html"),
    ),
    (
        "partials/value.html",
        include_str!("../../templates/partials/value.html"),
    ),
];

/// The stylesheet, written to the site root as `style.css`.
const STYLESHEET: (&str, &str) = ("style.css", include_str!("../../templates/style.css"));

/// The search page's code, the site's only script, written to the site root; it reads
/// the index the build writes beside it (`search-index.js`).
const SEARCH_SCRIPT: (&str, &str) = ("search.js", include_str!("../../templates/search.js"));

/// Interface labels per language; English is the fallback for missing keys.
const LABELS: &[(&str, &str)] = &[
    ("en", include_str!("../../templates/i18n/en.toml")),
    ("es", include_str!("../../templates/i18n/es.toml")),
    ("pl", include_str!("../../templates/i18n/pl.toml")),
    ("ru", include_str!("../../templates/i18n/ru.toml")),
];

/// A problem that stops rendering: a template (built in or the org's) that does not
/// parse or render, a label file that is not valid TOML, or a file that cannot be read
/// or written.
#[derive(Debug)]
pub struct RenderError {
    message: String,
    io: bool,
}

impl RenderError {
    fn new(message: String) -> Self {
        RenderError { message, io: false }
    }

    fn io(message: String) -> Self {
        RenderError { message, io: true }
    }

    /// Whether a file could not be read or written (an I/O problem, exit 2), rather than
    /// a template or label file that is wrong (exit 1).
    pub fn is_io(&self) -> bool {
        self.io
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

fn template_error(what: &str, error: &tera::Error) -> RenderError {
    // tera's message names the template and line; its sources say what went wrong.
    let mut message = format!("{what}: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    RenderError::new(message)
}

/// The templates and labels of one org, ready to render pages.
pub struct Renderer {
    /// The templates, built in or the org's, by name.
    templates: Vec<(&'static str, String)>,
    stylesheet: String,
    search_script: String,
    /// The labels the Rust side needs too (chart titles).
    labels: toml::Table,
    /// The org's folder in its git work tree (`""` at its top, else ending in `/`), for
    /// links to the code host.
    folder_in_repository: String,
    /// A hash of the templates and labels, part of every page's inputs.
    templates_hash: u64,
}

impl Renderer {
    /// The built-in templates, each replaced by the org's `templates/<name>` when that
    /// file exists; labels for `language`, from the org's `templates/i18n/<language>.toml`
    /// or the built-in file, over English.
    pub fn new(org_root: &Path, language: &str) -> Result<Self, RenderError> {
        // The tag becomes part of a path below: only a valid tag may (check reports the
        // others, so a build never gets here with one).
        if !crate::load::is_language_tag(language) {
            return Err(RenderError::new(format!(
                "`{language}` is not a language tag"
            )));
        }
        let org = OrgRoot::new(org_root).map_err(|e| RenderError::io(e.to_string()))?;
        let read_override = |name: &str| -> Result<Option<String>, RenderError> {
            let path = format!("templates/{name}");
            match org.read_text_file(&path) {
                Ok(None) => Ok(None),
                Ok(Some(bytes)) => String::from_utf8(bytes).map(Some).map_err(|_| {
                    RenderError::new(format!("{path} is not valid UTF-8: save it as UTF-8"))
                }),
                Err(ReadError::Refused(refusal)) => Err(RenderError::new(refusal.explain(&path).0)),
                Err(ReadError::Io(e)) => Err(RenderError::io(format!("cannot read {e}"))),
            }
        };
        let mut sources = Vec::with_capacity(TEMPLATES.len());
        for (name, built_in) in TEMPLATES {
            let text = read_override(name)?.unwrap_or_else(|| (*built_in).to_owned());
            sources.push((*name, text));
        }
        let stylesheet = read_override(STYLESHEET.0)?.unwrap_or_else(|| STYLESHEET.1.to_owned());
        let search_script =
            read_override(SEARCH_SCRIPT.0)?.unwrap_or_else(|| SEARCH_SCRIPT.1.to_owned());
        let mut labels = parse_labels("en", LABELS[0].1)?;
        let built_in = LABELS
            .iter()
            .find(|(lang, _)| *lang == language)
            .map(|(_, text)| *text);
        let custom = read_override(&format!("i18n/{language}.toml"))?;
        if let Some(text) = custom.as_deref().or(built_in) {
            labels.extend(parse_labels(language, text)?);
        }
        let folder_in_repository = org_root
            .canonicalize()
            .ok()
            .and_then(|root| {
                let top = crate::git_root(&root)?;
                let inside = root.strip_prefix(&top).ok()?.to_str()?.replace('\\', "/");
                Some(if inside.is_empty() {
                    inside
                } else {
                    format!("{inside}/")
                })
            })
            .unwrap_or_default();
        let mut hasher = std::hash::DefaultHasher::new();
        sources.hash(&mut hasher);
        // A table iterates in the same order for the same files.
        for (key, value) in &labels {
            (key, value.to_string()).hash(&mut hasher);
        }
        let renderer = Renderer {
            templates: sources,
            stylesheet,
            search_script,
            labels,
            folder_in_repository,
            templates_hash: hasher.finish(),
        };
        // Parse once now so a broken template fails before anything is rendered.
        renderer.engine()?;
        Ok(renderer)
    }

    /// A tera instance with the templates and the labels (`t`), for one thread. Each
    /// rendering thread gets its own: tera's values share reference counts, and threads
    /// sharing one instance contend on them (two threads rendered no faster than one).
    pub fn engine(&self) -> Result<Engine, RenderError> {
        let mut tera = Tera::new();
        // Before the templates: they are checked against the filters they use.
        let glossary = abbr::Glossary::new(|key| self.label(key).to_owned());
        tera.register_filter(
            "explain",
            move |text: &str, _: tera::Kwargs, _: &tera::State| {
                tera::Value::safe_string(&glossary.explain(text))
            },
        );
        // All at once: templates include and extend each other.
        tera.add_raw_templates(
            self.templates
                .iter()
                .map(|(name, text)| (*name, text.as_str())),
        )
        .map_err(|e| template_error("templates", &e))?;
        tera.global_context().insert("t", &self.labels);
        Ok(Engine(tera))
    }

    /// The plan of the site of `checked`: every file it has, each renderable on its own.
    pub fn plan<'a>(
        &'a self,
        checked: &'a Checked,
        changes: Option<&'a crate::history::Changes>,
        today: Date,
    ) -> SitePlan<'a> {
        let mut data = SiteData::new(&checked.org, &checked.findings, &checked.sources, today);
        data.origins = checked.provenance.origins();
        data.labels = Some(&self.labels);
        data.changes = changes;
        let org = &checked.org;
        // The files that are not pages come first, so that `render` starts the slow
        // ones (data.json, the search index) beside the pages, not after them.
        let mut outputs = vec![
            Output::DataJson,
            Output::SearchIndex,
            Output::Stylesheet,
            Output::SearchScript,
            Output::Calendar(None),
        ];
        outputs.extend(org.teams.values().map(|team| Output::Calendar(Some(team))));
        if let (Some(changes), Some(url)) = (changes, &org.settings.url) {
            outputs.push(Output::ChangesFeed(changes, url));
        }
        outputs.extend(
            [
                Job::Index,
                Job::Agreements,
                Job::Kpis,
                Job::Meetings,
                Job::Personas,
                Job::Docs,
                Job::Owners,
                Job::Health,
                Job::Actions,
                Job::Search,
            ]
            .into_iter()
            .chain(changes.map(Job::Changes))
            .chain([Job::Review])
            .chain(org.settings.plan.iter().map(Job::Plan))
            .chain(org.teams.values().map(|t| Job::Team(t)))
            .chain(org.people.values().map(|p| Job::Person(p)))
            .chain(org.personas.values().map(|p| Job::Persona(p)))
            .chain(org.agreements.values().map(|a| Job::Agreement(a)))
            .chain(org.kpis.values().map(|k| Job::Kpi(k)))
            .chain(org.meetings.values().map(|m| Job::Meeting(m)))
            .chain(org.docs.iter().map(Job::Doc))
            .map(Output::Page),
        );
        SitePlan {
            renderer: self,
            site: site_info(checked, changes, today),
            checked,
            today,
            data,
            review: OnceLock::new(),
            calendars: OnceLock::new(),
            outputs,
        }
    }

    /// The review page of `report` alone, as `accord report --format html` prints it
    /// (its links lead into the site, as review.html's do).
    pub fn review_page(
        &self,
        checked: &Checked,
        changes: Option<&crate::history::Changes>,
        report: crate::report::Report,
        today: Date,
    ) -> Result<String, RenderError> {
        let mut plan = self.plan(checked, changes, today);
        plan.review = OnceLock::from(report);
        let page = plan.render_page(&self.engine()?, plan.page_context(&Job::Review)?)?;
        String::from_utf8(page).map_err(|e| RenderError::new(e.to_string()))
    }

    fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.labels.get(key).and_then(|v| v.as_str()).unwrap_or(key)
    }

    /// Renders every file of the site and hands each to `emit` (path from the site
    /// root, content), on every core. Returns the number of HTML pages and of other
    /// files.
    pub fn render(
        &self,
        checked: &Checked,
        changes: Option<&crate::history::Changes>,
        today: Date,
        emit: &(dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync),
    ) -> Result<(usize, usize), RenderError> {
        self.plan(checked, changes, today).render_all(emit)
    }
}

/// A renderer's templates, parsed, for one thread.
pub struct Engine(Tera);

/// Every file of one site and what they are made from, built once per checked org:
/// then any file is rendered on its own, from any thread, by its index.
pub struct SitePlan<'a> {
    renderer: &'a Renderer,
    checked: &'a Checked,
    today: Date,
    data: SiteData<'a>,
    site: SiteInfo<'a>,
    /// Made when first needed: only review.html shows it.
    review: OnceLock<crate::report::Report>,
    /// The events of every calendar, written once for all the calendar files.
    calendars: OnceLock<calendar::Calendars<'a>>,
    outputs: Vec<Output<'a>>,
}

/// One file of the site.
enum Output<'a> {
    Page(Job<'a>),
    Stylesheet,
    SearchScript,
    DataJson,
    SearchIndex,
    /// The org's calendar (`None`) or a team's.
    Calendar(Option<&'a crate::model::Team>),
    /// `changes.xml`, for the site at this URL.
    ChangesFeed(&'a crate::history::Changes, &'a str),
}

/// A file of the site ready to be written: a page's template and context, or the
/// bytes of any other file.
pub enum Prepared {
    Page(PageContext),
    File(Vec<u8>),
}

/// What a page is rendered from: its template and the values of its context.
pub struct PageContext {
    path: String,
    template: &'static str,
    values: Vec<(&'static str, tera::Value)>,
    /// The hash of the templates and labels it is rendered with.
    templates: u64,
}

impl PageContext {
    /// A hash of everything the page is rendered from (its context, which holds the
    /// site info, and the templates and labels): two pages with the same hash are the
    /// same bytes. The hash is keyed at random once per process: the pages' text comes
    /// from whoever edits the org, who could otherwise craft two inputs that collide and
    /// keep a stale page in the preview.
    pub fn inputs(&self) -> u64 {
        static KEYS: std::sync::OnceLock<std::hash::RandomState> = std::sync::OnceLock::new();
        let mut hasher = KEYS.get_or_init(std::hash::RandomState::new).build_hasher();
        hasher.write_u64(self.templates);
        self.template.hash(&mut hasher);
        for (key, value) in &self.values {
            key.hash(&mut hasher);
            hash_value(value, &mut hasher);
        }
        hasher.finish()
    }
}

/// Hashes a template value with its maps in key order: tera's maps iterate in no
/// fixed order, so equal values must not depend on it.
fn hash_value(value: &tera::Value, hasher: &mut impl Hasher) {
    value.name().hash(hasher);
    if let Some(map) = value.as_map() {
        let mut entries: Vec<_> = map.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries.len().hash(hasher);
        for (key, value) in entries {
            key.hash(hasher);
            hash_value(value, hasher);
        }
    } else if let Some(items) = value.as_array() {
        items.len().hash(hasher);
        for item in items {
            hash_value(item, hasher);
        }
    } else if let Some(text) = value.as_str() {
        // Safe strings are written as they are, the others escaped.
        (text, value.is_safe()).hash(hasher);
    } else if let Some(bytes) = value.as_bytes() {
        bytes.hash(hasher);
    } else {
        value.to_string().hash(hasher);
    }
}

impl<'a> SitePlan<'a> {
    /// Renders every file of the site and hands each to `emit` (path from the site
    /// root, content), on every core. Returns the number of HTML pages and of other
    /// files.
    pub fn render_all(
        &self,
        emit: &(dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync),
    ) -> Result<(usize, usize), RenderError> {
        let failure: Mutex<Option<RenderError>> = Mutex::new(None);
        let next = AtomicUsize::new(0);
        let outputs = self.len();
        // Rendering is CPU-bound and files are independent: one worker per core, taking
        // small batches so the slow files (owners, data.json) do not leave a core idle
        // at the end.
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(outputs / 32 + 1);
        const BATCH: usize = 16;
        let fail = |e: RenderError| {
            if let Ok(mut slot) = failure.lock() {
                slot.get_or_insert(e);
            }
        };
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    let engine = match self.renderer.engine() {
                        Ok(engine) => engine,
                        Err(e) => return fail(e),
                    };
                    loop {
                        let start = next.fetch_add(BATCH, Ordering::Relaxed);
                        if start >= outputs || failure.lock().map_or(true, |f| f.is_some()) {
                            break;
                        }
                        for index in start..(start + BATCH).min(outputs) {
                            let written = self.render(&engine, index).and_then(|bytes| {
                                let path = self.path(index);
                                emit(&path, &bytes).map_err(|e| {
                                    RenderError::io(format!("cannot write {path}: {e}"))
                                })
                            });
                            if let Err(e) = written {
                                return fail(e);
                            }
                        }
                    }
                });
            }
        });
        if let Some(error) = failure.into_inner().ok().flatten() {
            return Err(error);
        }
        let pages = (0..outputs).filter(|&index| self.is_page(index)).count();
        Ok((pages, outputs - pages))
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.outputs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.outputs.is_empty()
    }

    /// The path of file `index` from the site root.
    pub fn path(&self, index: usize) -> String {
        match &self.outputs[index] {
            Output::Page(job) => job.path(),
            Output::Stylesheet => STYLESHEET.0.to_owned(),
            Output::SearchScript => SEARCH_SCRIPT.0.to_owned(),
            Output::DataJson => "data.json".to_owned(),
            Output::SearchIndex => "search-index.js".to_owned(),
            Output::Calendar(team) => calendar::Calendars::path(*team),
            Output::ChangesFeed(..) => "changes.xml".to_owned(),
        }
    }

    /// Whether file `index` is an HTML page.
    pub fn is_page(&self, index: usize) -> bool {
        matches!(self.outputs[index], Output::Page(_))
    }

    /// File `index`, rendered.
    pub fn render(&self, engine: &Engine, index: usize) -> Result<Vec<u8>, RenderError> {
        match self.prepare(index)? {
            Prepared::Page(page) => self.render_page(engine, page),
            Prepared::File(bytes) => Ok(bytes),
        }
    }

    /// File `index` up to its template: a page's context, or another file whole.
    pub fn prepare(&self, index: usize) -> Result<Prepared, RenderError> {
        let renderer = self.renderer;
        let label = |key: &str| renderer.label(key).to_owned();
        let bytes = match &self.outputs[index] {
            Output::Page(job) => return self.page_context(job).map(Prepared::Page),
            Output::Stylesheet => renderer.stylesheet.as_bytes().to_vec(),
            Output::SearchScript => renderer.search_script.as_bytes().to_vec(),
            Output::DataJson => data_json(self.checked, self.today)?,
            Output::SearchIndex => search::index_js(&self.checked.org, label)
                .map_err(|e| RenderError::new(format!("search-index.js: {e}")))?,
            Output::Calendar(team) => self
                .calendars
                .get_or_init(|| calendar::Calendars::of(&self.checked.org, self.today, label))
                .file(*team),
            Output::ChangesFeed(changes, url) => {
                let title = format!("{} · {}", self.site.title, renderer.label("changes_title"));
                changes_page::atom(&self.data, changes, url, &title).into_bytes()
            }
        };
        Ok(Prepared::File(bytes))
    }

    fn review(&self) -> &crate::report::Report {
        self.review.get_or_init(|| {
            crate::report::Report::of(
                self.checked,
                self.data.changes,
                crate::report::last_complete_month(self.today),
                self.today,
            )
        })
    }

    fn page_context(&self, job: &Job) -> Result<PageContext, RenderError> {
        let renderer = self.renderer;
        let data = &self.data;
        let path = job.path();
        let (template, section, page) = match job {
            Job::Index => ("index.html", "index", to_value(&dashboard::index(data))),
            Job::Agreements => (
                "agreements.html",
                "agreements",
                to_value(&dashboard::agreements(data)),
            ),
            Job::Kpis => ("kpis.html", "kpis", to_value(&dashboard::kpis(data))),
            Job::Meetings => (
                "meetings.html",
                "meetings",
                to_value(&dashboard::meetings(data)),
            ),
            Job::Personas => (
                "personas.html",
                "personas",
                to_value(&dashboard::personas(data)),
            ),
            Job::Docs => ("docs.html", "docs", to_value(&dashboard::docs(data))),
            Job::Owners => ("owners.html", "owners", to_value(&views::owners(data))),
            Job::Health => ("health.html", "health", to_value(&views::health(data))),
            Job::Review => ("review.html", "review", to_value(self.review())),
            Job::Changes(changes) => (
                "changes.html",
                "changes",
                to_value(&changes_page::changes(data, changes)),
            ),
            Job::Search => ("search.html", "search", Ok(tera::Value::none())),
            Job::Actions => (
                "actions.html",
                "actions",
                to_value(&actions_page::actions(data)),
            ),
            Job::Plan(plan) => (
                "plan.html",
                "plan",
                to_value(&plan_page::plan(data, plan, renderer.label("funnel"))),
            ),
            Job::Team(team) => ("team.html", "teams", to_value(&views::team(data, team))),
            Job::Person(person) => (
                "person.html",
                "people",
                to_value(&views::person(data, person)),
            ),
            Job::Persona(persona) => (
                "persona.html",
                "personas",
                to_value(&views::persona(data, persona)),
            ),
            Job::Agreement(agreement) => (
                "agreement.html",
                "agreements",
                to_value(&views::agreement(data, agreement)),
            ),
            Job::Kpi(kpi) => (
                "kpi.html",
                "kpis",
                to_value(&views::kpi(
                    data,
                    kpi,
                    renderer.label("chart_title"),
                    renderer.label("target"),
                    kpi.measure
                        .as_ref()
                        .map(|m| measure_words::describe(m, |key| renderer.label(key).to_owned())),
                )),
            ),
            Job::Meeting(meeting) => (
                "meeting.html",
                "meetings",
                to_value(&views::meeting(data, meeting)),
            ),
            Job::Doc(doc) => ("doc.html", "docs", to_value(&views::doc(doc))),
        };
        let mut values = Vec::new();
        let mut insert = |key: &'static str, value: Result<tera::Value, String>| {
            value
                .map(|value| values.push((key, value)))
                .map_err(|e| RenderError::new(format!("{path}: {e}")))
        };
        if let Some(file) = job.source() {
            let source = &data.sources.get(file).path;
            if let Some(repository) = &data.org.settings.repository {
                insert(
                    "source",
                    to_value(&views::SourceLinks::of(
                        repository,
                        &renderer.folder_in_repository,
                        source,
                    )),
                )?;
            }
            if let Some(changes) = data.changes {
                let versions = changes.of(source);
                insert("last_change", to_value(&versions.first()))?;
                if matches!(job, Job::Agreement(_)) {
                    insert("history", to_value(versions))?;
                }
            }
        }
        insert("site", to_value(&self.site))?;
        insert("root", to_value(&"../".repeat(path.matches('/').count())))?;
        insert("section", to_value(&section))?;
        insert("page", page)?;
        Ok(PageContext {
            path,
            template,
            values,
            templates: renderer.templates_hash,
        })
    }

    /// The page of `context`, through its template.
    pub fn render_page(&self, engine: &Engine, page: PageContext) -> Result<Vec<u8>, RenderError> {
        let PageContext {
            path,
            template,
            values,
            ..
        } = page;
        let mut context = Context::new();
        for (key, value) in values {
            context.insert_value(key, value);
        }
        let mut html = Capped::default();
        if let Err(e) = engine.0.render_to(template, &context, &mut html) {
            if html.overflowed {
                return Err(RenderError::new(format!(
                    "templates/{template} rendered more than {} MiB for {path}; a loop in the template?",
                    PAGE_LIMIT / (1024 * 1024)
                )));
            }
            return Err(template_error(
                &format!("rendering {path} with template {template}"),
                &e,
            ));
        }
        Ok(html.bytes)
    }
}

/// The largest page a template may render. A template comes from whoever can open a
/// pull request, and a loop in it can write without end: past this the render stops
/// with an error, instead of exhausting the memory of CI or of `serve`.
const PAGE_LIMIT: usize = 64 * 1024 * 1024;

/// A page being rendered, which refuses to grow past [`PAGE_LIMIT`].
#[derive(Default)]
struct Capped {
    bytes: Vec<u8>,
    /// Whether a write was refused for the limit (tera keeps only the error's kind).
    overflowed: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > PAGE_LIMIT {
            self.overflowed = true;
            return Err(std::io::Error::other("the page is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn to_value<T: Serialize + ?Sized>(view: &T) -> Result<tera::Value, String> {
    tera::Value::try_from_serializable(view).map_err(|e| e.to_string())
}

fn parse_labels(language: &str, text: &str) -> Result<toml::Table, RenderError> {
    text.parse::<toml::Table>()
        .map_err(|e| RenderError::new(format!("labels for `{language}` are not valid TOML: {e}")))
}

/// What every page knows of the site.
#[derive(Serialize)]
struct SiteInfo<'a> {
    name: &'a str,
    title: &'a str,
    lang: &'a str,
    /// The date the site was built for, shown in the footer.
    today: String,
    has_plan: bool,
    /// `[site] start`: the page every header offers newcomers, from the site root.
    start: Option<String>,
    /// Whether the git history was read: the footer links `changes.html`.
    has_changes: bool,
    /// Error-level findings: while there are any, every page has a banner that leads to
    /// the health page (a build publishes them, SPEC 7.6).
    errors: usize,
}

/// What every page says of the site.
fn site_info<'a>(
    checked: &'a Checked,
    changes: Option<&crate::history::Changes>,
    today: Date,
) -> SiteInfo<'a> {
    SiteInfo {
        name: &checked.org.settings.name,
        title: &checked.org.settings.site_title,
        lang: &checked.org.settings.language,
        today: today.to_string(),
        has_plan: checked.org.settings.plan.is_some(),
        has_changes: changes.is_some(),
        start: checked
            .org
            .settings
            .start
            .as_ref()
            .map(|start| views::doc_href(&start.value)),
        errors: checked.count(crate::diagnostic::Level::Error),
    }
}

/// One page to render.
enum Job<'a> {
    Index,
    /// The full lists the dashboard shows the first rows of.
    Agreements,
    Kpis,
    Meetings,
    Personas,
    Docs,
    Owners,
    Health,
    Actions,
    Changes(&'a crate::history::Changes),
    /// The review of the last complete month.
    Review,
    Search,
    Plan(&'a crate::model::Plan),
    Team(&'a crate::model::Team),
    Person(&'a crate::model::Person),
    Persona(&'a crate::model::Persona),
    Agreement(&'a crate::model::Agreement),
    Kpi(&'a crate::model::Kpi),
    Meeting(&'a crate::model::Meeting),
    Doc(&'a crate::model::DocPage),
}

impl Job<'_> {
    /// The file the page shows, when it shows one.
    fn source(&self) -> Option<crate::source::FileId> {
        match self {
            Job::Index
            | Job::Agreements
            | Job::Kpis
            | Job::Meetings
            | Job::Personas
            | Job::Docs
            | Job::Owners
            | Job::Health
            | Job::Actions
            | Job::Changes(_)
            | Job::Review
            | Job::Search
            | Job::Plan(_) => None,
            Job::Team(team) => Some(team.file),
            Job::Person(person) => Some(person.loc.file),
            Job::Persona(persona) => Some(persona.file),
            Job::Agreement(agreement) => Some(agreement.file),
            Job::Kpi(kpi) => Some(kpi.file),
            Job::Meeting(meeting) => Some(meeting.file),
            Job::Doc(doc) => Some(doc.file),
        }
    }

    /// The page's path from the site root.
    fn path(&self) -> String {
        match self {
            Job::Index => "index.html".into(),
            Job::Agreements => "agreements.html".into(),
            Job::Kpis => "kpis.html".into(),
            Job::Meetings => "meetings.html".into(),
            Job::Personas => "personas.html".into(),
            Job::Docs => "docs.html".into(),
            Job::Owners => "owners.html".into(),
            Job::Health => "health.html".into(),
            Job::Actions => "actions.html".into(),
            Job::Changes(_) => "changes.html".into(),
            Job::Review => "review.html".into(),
            Job::Search => "search.html".into(),
            Job::Plan(_) => "plan.html".into(),
            Job::Team(t) => format!("teams/{}.html", t.id),
            Job::Person(p) => format!("people/{}.html", p.id),
            Job::Persona(p) => format!("personas/{}.html", p.id),
            Job::Agreement(a) => format!("agreements/{}.html", a.id),
            Job::Kpi(k) => format!("kpis/{}.html", k.id),
            Job::Meeting(m) => format!("meetings/{}.html", m.id),
            Job::Doc(d) => format!("docs/{}.html", d.path),
        }
    }
}

/// The format version of `data.json` (its top-level `version`): raised when a field
/// changes meaning or goes away, so that scripts reading it can refuse what they do not know.
pub const DATA_JSON_VERSION: u64 = 1;

/// `data.json`: the resolved model with ids and references as in the files, the
/// responsibility index, and the date the site was built for.
fn data_json(checked: &Checked, today: Date) -> Result<Vec<u8>, RenderError> {
    #[derive(Serialize)]
    struct Data<'a> {
        version: u64,
        today: String,
        org: crate::model::Entities,
        responsibilities: BTreeMap<&'a str, &'a [Responsibility]>,
    }
    let org = &checked.org;
    let responsibilities = org
        .people
        .keys()
        .map(|p| p.as_str())
        .chain(org.teams.keys().map(|t| t.as_str()))
        .map(|id| (id, org.responsibilities_of(id)))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let data = Data {
        version: DATA_JSON_VERSION,
        today: today.to_string(),
        org: views::published_entities(org),
        responsibilities,
    };
    let mut value =
        serde_json::to_value(&data).map_err(|e| RenderError::new(format!("data.json: {e}")))?;
    whole_numbers_as_integers(&mut value);
    let mut json = serde_json::to_vec_pretty(&value)
        .map_err(|e| RenderError::new(format!("data.json: {e}")))?;
    json.push(b'\n');
    Ok(json)
}

/// The model keeps every number as `f64`, which serde writes as `120.0`; a target of 120
/// in the file is an integer to whoever reads `data.json`, so whole numbers lose the
/// fraction (up to 2^53, where every integer is still exact).
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        Value::Number(number) => {
            if let Some(float) = number.as_f64().filter(|_| number.is_f64())
                && float.fract() == 0.0
                && float.abs() <= EXACT
            {
                // Exact: the value is whole and within the range of exact integers.
                *number = (float as i64).into();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers_as_integers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// Escapes text for an HTML or SVG text node or a quoted attribute.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number as people write it: no decimals when whole, else at most two; digits of
/// numbers from 10,000 up grouped by threes with a narrow no-break space, the SI way,
/// which reads right in every language (unlike `,` or `.`).
pub fn number(value: f64) -> String {
    let text = if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    if value.abs() < 10_000.0 {
        return text;
    }
    let (sign, rest) = text.split_at(usize::from(text.starts_with('-')));
    let (whole, decimals) = rest
        .split_once('.')
        .map_or((rest, None), |(w, d)| (w, Some(d)));
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3 * 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(digit);
    }
    match decimals {
        Some(d) => format!("{sign}{grouped}.{d}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_needless_decimals() {
        assert_eq!(number(120.0), "120");
        assert_eq!(number(3.10), "3.1");
        assert_eq!(number(0.333333), "0.33");
        assert_eq!(number(-2.0), "-2");
        assert_eq!(number(9999.0), "9999");
        assert_eq!(number(1_500_000.0), "1\u{202f}500\u{202f}000");
        assert_eq!(number(-12_345.5), "-12\u{202f}345.5");
    }

    #[test]
    fn every_language_has_every_label() {
        let english = parse_labels("en", LABELS[0].1).unwrap();
        for (language, text) in LABELS {
            let labels = parse_labels(language, text).unwrap();
            let missing: Vec<_> = english
                .keys()
                .filter(|k| !labels.contains_key(*k))
                .collect();
            let extra: Vec<_> = labels
                .keys()
                .filter(|k| !english.contains_key(*k))
                .collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{language}: missing {missing:?}, extra {extra:?}"
            );
        }
    }
}
