//! accord: alignment as code.
//!
//! The data flows one way: [`load`] reads the files of an org into entities with spans,
//! [`resolve`] checks every reference and indexes the org, [`check`] runs the rules, and
//! [`diagnostic`] renders the findings. `main.rs` only parses the command line.

pub mod check;
pub mod codeowners;
pub mod diagnostic;
pub mod diff;
pub mod edit;
pub mod git;
pub mod history;
pub mod init;
pub mod load;
pub mod measure;
pub mod model;
mod parallel;
pub mod render;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod serve;
pub mod source;
pub mod text;
pub mod write;

use std::io;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use diagnostic::{Finding, Level};
use load::OrgFiles;
use model::Org;
use source::Sources;

/// The file that marks the root of an org.
pub const ORG_FILE: &str = "accord.toml";

/// An org after load, resolve and check.
#[derive(Debug)]
pub struct Checked {
    pub sources: Sources,
    pub org: Org,
    /// Every finding, sorted by file, then position.
    pub findings: Vec<Finding>,
    /// Where the signatures come from, when the git history was read.
    pub provenance: history::Provenance,
}

impl Checked {
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether `check` fails: any error, or any warning when warnings are denied,
    /// counting findings that were already at the base revision only when `strict`.
    pub fn fails(&self, strict: bool, deny_warnings: bool) -> bool {
        self.findings
            .iter()
            .filter(|f| strict || !f.is_pre_existing())
            .any(|f| f.level == Level::Error || deny_warnings)
    }

    /// Findings that are new, or all when no base revision was compared.
    pub fn count_new(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| !f.is_pre_existing())
            .count()
    }

    /// Whether `gate` stops a build of this org.
    pub fn stops(&self, gate: Gate) -> bool {
        match gate {
            Gate::Structural => self.findings.iter().any(Finding::is_structural),
            Gate::Errors => self.fails(true, false),
            Gate::Warnings => self.fails(true, true),
        }
    }
}

/// Which findings stop `build` and `serve` (SPEC 7.6): by default only structural errors,
/// since a site that shows the rule findings (health page, banner) is more use than none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Structural errors only: the org could not be read as the format says.
    Structural,
    /// Any error (`--strict`, the v1 behaviour).
    Errors,
    /// Any error or warning (`--deny-warnings`, which implies `--strict`).
    Warnings,
}

impl Gate {
    /// The gate the command-line flags ask for.
    pub fn of(strict: bool, deny_warnings: bool) -> Gate {
        if deny_warnings {
            Gate::Warnings
        } else if strict {
            Gate::Errors
        } else {
            Gate::Structural
        }
    }
}

/// Loads, resolves and checks the files of an org.
pub fn check_files(files: &OrgFiles, context: &check::Context) -> Checked {
    check_resolved(
        load_org(files, context.today),
        context,
        history::Provenance::NotRead,
    )
}

/// Reads the org at `root` from disk and its signature history from git (through
/// `history`, which keeps it while `HEAD` stays), and checks both (`unverified-signature`
/// needs the history). The history is read on a second thread, started first, while the
/// files are loaded and resolved, so it costs little time.
pub fn check_dir_with_history(
    root: &Path,
    context: &check::Context,
    history: &history::LogCache,
) -> io::Result<Checked> {
    check_beside_history(root, context, history, || {
        OrgFiles::read_dir(root).map(|files| load_org(&files, context.today))
    })
}

/// [`check_dir_with_history`] of the org's files as the caller holds them (`serve` keeps
/// them from one rebuild to the next), loaded through `cache`: a file whose bytes did
/// not change since the last check through it is not parsed again.
pub fn check_files_with_history(
    root: &Path,
    files: &OrgFiles,
    cache: &mut load::LoadCache,
    context: &check::Context,
    history: &history::LogCache,
) -> Checked {
    let checked = check_beside_history(root, context, history, || {
        Ok::<_, std::convert::Infallible>(resolve::resolve(load::load_with(
            files,
            context.today,
            cache,
        )))
    });
    match checked {
        Ok(checked) => checked,
        Err(never) => match never {},
    }
}

/// Loads and resolves the files of an org.
fn load_org(files: &OrgFiles, today: Date) -> resolve::Resolved {
    resolve::resolve(load::load(files, today))
}

/// Checks what `resolve` makes of the org, with the signature history read beside it.
fn check_beside_history<E: Send>(
    root: &Path,
    context: &check::Context,
    history: &history::LogCache,
    resolve: impl FnOnce() -> Result<resolve::Resolved, E> + Send,
) -> Result<Checked, E> {
    let (log, resolved) = std::thread::scope(|scope| {
        let log = scope.spawn(|| history.read(root));
        let resolved = resolve();
        (log.join(), resolved)
    });
    let resolved = resolved?;
    let provenance = match log {
        Ok(Ok(log)) => {
            history::Provenance::Read(history::Origins::of(&resolved.org, &resolved.sources, &log))
        }
        Ok(Err(why)) => history::Provenance::Unavailable(why),
        Err(_) => history::Provenance::Unavailable("reading the git history failed".to_owned()),
    };
    Ok(check_resolved(resolved, context, provenance))
}

fn check_resolved(
    resolved: resolve::Resolved,
    context: &check::Context,
    provenance: history::Provenance,
) -> Checked {
    let context = check::Context {
        origins: provenance.origins(),
        ..*context
    };
    let mut findings = resolved.findings;
    findings.extend(check::run(&resolved.org, &resolved.lints, &context));
    diagnostic::sort(&mut findings, &resolved.sources);
    Checked {
        sources: resolved.sources,
        org: resolved.org,
        findings,
        provenance,
    }
}

/// Reads the org at `root` from disk and checks it for `today`.
pub fn check_dir(root: &Path, today: Date) -> io::Result<Checked> {
    Ok(check_files(
        &OrgFiles::read_dir(root)?,
        &check::Context::on(today),
    ))
}

/// `files` with the file at `path` (relative to the org root) holding `contents`
/// instead, or added: what an edit would make of the org, checked before it is written.
pub fn with_file(files: &OrgFiles, path: &str, contents: &str) -> OrgFiles {
    OrgFiles::from_contents(
        files
            .iter()
            .filter(|f| f.path != path)
            .map(|f| (f.path.clone(), f.contents.clone().unwrap_or_default()))
            .chain([(path.to_owned(), contents.as_bytes().to_vec())]),
    )
}

/// The org at a base revision (`check --base REV`), for the rules that compare with it
/// and for telling new findings from pre-existing ones.
#[derive(Debug)]
pub struct BaseRevision {
    pub base: check::Base,
    pub baseline: diagnostic::Baseline,
}

/// The org at `root` as it was at git revision `rev`, checked for `today`. Its findings
/// come from the rules that need only the files: those that read the git history or
/// compare with a further base (`unverified-signature`, `stale-signature`) have none
/// there, so theirs always count as new.
pub fn read_base(root: &Path, rev: &str, today: Date) -> Result<BaseRevision, String> {
    let revision = git::read_revision(root, rev)?;
    let checked = check_files(&revision.files, &check::Context::on(today));
    Ok(BaseRevision {
        baseline: diagnostic::Baseline::of(&checked.findings, &checked.sources),
        base: check::Base {
            revision: revision.name,
            date: revision.date,
            org: checked.org,
        },
    })
}

/// What changed in the org at `root` between git revision `rev` and the working tree,
/// with both sides checked for `today`.
pub fn diff_against(root: &Path, rev: &str, today: Date) -> Result<diff::OrgDiff, String> {
    let revision = git::read_revision(root, rev)?;
    let context = check::Context::on(today);
    let base = check_files(&revision.files, &context);
    let head = check_dir(root, today).map_err(|e| format!("cannot read the org: {e}"))?;
    let files = git::changed_files(root, &revision.commit)?;
    Ok(diff::diff(
        &base,
        &head,
        &revision.name,
        revision.date,
        files,
    ))
}

/// What `accord measure` found for the org at a root: the actuals files as they would
/// be, or the findings that stop it, with the sources they point into.
#[derive(Debug)]
pub struct MeasureRun {
    pub sources: Sources,
    /// Structural errors of the org (outside `actuals/`, which `measure` rewrites), or
    /// problems of the record sets: while there are any, nothing is written.
    pub findings: Vec<Finding>,
    pub files: Vec<measure::ActualsFile>,
}

/// Loads the org at `root` and computes the actuals of its measured KPIs from their
/// record sets, for the periods complete before `today`.
pub fn measure_dir(
    root: &Path,
    paths: &measure::RecordPaths,
    today: Date,
) -> io::Result<MeasureRun> {
    let files = OrgFiles::read_dir(root)?;
    let mut loaded = load::load(&files, today);
    // Every structural error stops it, those of actuals files too: the rows it keeps are
    // the ones the loader read, and a row it could not read would be lost.
    let mut findings: Vec<Finding> = loaded
        .findings
        .into_iter()
        .filter(Finding::is_structural)
        .collect();
    let mut actuals = Vec::new();
    if findings.is_empty() {
        let measured = measure::measure(
            root,
            &files,
            &loaded.entities,
            paths,
            today,
            &mut loaded.sources,
        );
        findings = measured.findings;
        actuals = measured.files;
    }
    diagnostic::sort(&mut findings, &loaded.sources);
    Ok(MeasureRun {
        sources: loaded.sources,
        findings,
        files: actuals,
    })
}

/// `given`, or today's date in the system's time zone.
pub fn today_or_system(given: Option<Date>) -> Date {
    given.unwrap_or_else(|| jiff::ZonedDateTime::now().date())
}

/// Whether `dir` has an entry named `accord.toml` that is not a folder. A link or a
/// special file counts, so that the loader's gate reports it (`link-outside-org`,
/// `special-file`) instead of the search passing over it to a parent's org.
pub fn holds_org_file(dir: &Path) -> bool {
    dir.join(ORG_FILE)
        .symlink_metadata()
        .is_ok_and(|meta| !meta.is_dir())
}

/// The nearest directory at or above `start` that holds `accord.toml`.
pub fn find_org_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| holds_org_file(dir))
        .map(Path::to_path_buf)
}

/// Why a build produced no site.
#[derive(Debug)]
pub enum BuildError {
    /// The org has findings that stop the build at its [`Gate`]; nothing was written.
    Findings(Box<Checked>),
    /// The output directory is not acceptable: replacing it could destroy or pollute
    /// data ([`write::OutDir::resolve`] lists why), or a static file clashes with a page.
    Refused(String),
    /// A template (built in or the org's) failed.
    Render(render::RenderError),
    Io(io::Error),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Findings(checked) => write!(
                f,
                "the org has {} error(s) and {} warning(s)",
                checked.count(Level::Error),
                checked.count(Level::Warning)
            ),
            BuildError::Refused(why) => f.write_str(why),
            BuildError::Render(e) => write!(f, "{e}"),
            BuildError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<write::OutputError> for BuildError {
    fn from(e: write::OutputError) -> Self {
        match e {
            write::OutputError::Refused(why) => BuildError::Refused(why),
            write::OutputError::Io(e) => BuildError::Io(e),
        }
    }
}

/// A site that was built.
#[derive(Debug)]
pub struct Built {
    /// HTML pages written.
    pub pages: usize,
    /// Other files written: the stylesheet, data.json and the org's static files.
    pub assets: usize,
    pub checked: Checked,
}

/// Checks the org at `root` and, unless `gate` stops it, renders its site into `out`
/// (resolved and vetted by [`write::OutDir`]), replacing an existing `out` only once the
/// new site is complete. Builds of one `out` run one at a time: `waiting` is called when
/// this one has to wait for another.
pub fn build(
    root: &Path,
    out: &Path,
    today: Date,
    gate: Gate,
    waiting: &dyn Fn(),
) -> Result<Built, BuildError> {
    let staging = write::Staging::begin(root, out, waiting)?;
    let history = history::LogCache::default();
    let CheckedSite { checked, changes } = check_site(root, None, today, gate, &history)?;
    let renderer =
        render::Renderer::new(root, &checked.org.settings.language).map_err(BuildError::Render)?;
    let plan = renderer.plan(&checked, changes.as_deref(), today);
    let generated: std::collections::HashSet<String> =
        (0..plan.len()).map(|index| plan.path(index)).collect();
    // The clash is refused before anything is rendered.
    let statics = static_files_beside(root, |path| generated.contains(path))?;
    let (pages, others) = plan
        .render_all(&|path, bytes| staging.write(path, bytes))
        .map_err(BuildError::Render)?;
    for file in &statics {
        staging.copy(&file.path, &file.file).map_err(|e| {
            BuildError::Io(io::Error::new(e.kind(), format!("{}: {e}", file.source)))
        })?;
    }
    staging.mark().map_err(BuildError::Io)?;
    staging.commit()?;
    Ok(Built {
        pages,
        assets: others + statics.len(),
        checked,
    })
}

/// An org that passed the gate of a build, with the history of its files when it is
/// in git.
pub struct CheckedSite {
    pub checked: Checked,
    pub changes: Option<std::sync::Arc<history::Changes>>,
}

/// Checks the org at `root` (its `files` when the caller holds them, with what loading
/// each gave last time, else read from disk) with the history its site shows, read
/// beside it through `history`: the org, or the findings that stop a build at `gate`.
pub fn check_site(
    root: &Path,
    files: Option<(&OrgFiles, &mut load::LoadCache)>,
    today: Date,
    gate: Gate,
    history: &history::LogCache,
) -> Result<CheckedSite, BuildError> {
    let context = check::Context::on(today);
    // The history the pages show is read beside the check; without git the site has none.
    let (checked, changes) = std::thread::scope(|scope| {
        let changes = scope.spawn(|| history.changes.read(root));
        let checked = match files {
            Some((files, cache)) => Ok(check_files_with_history(
                root, files, cache, &context, history,
            )),
            None => check_dir_with_history(root, &context, history),
        };
        (checked, changes.join())
    });
    let checked = checked.map_err(BuildError::Io)?;
    if checked.stops(gate) {
        return Err(BuildError::Findings(Box::new(checked)));
    }
    Ok(CheckedSite {
        checked,
        changes: changes.ok().and_then(Result::ok),
    })
}

/// The org's static files, which go beside the generated files of its site (the paths
/// `is_generated` holds): refused when one would replace a generated file.
pub fn static_files_beside(
    root: &Path,
    is_generated: impl Fn(&str) -> bool,
) -> Result<Vec<write::StaticFile>, BuildError> {
    let org = load::guard::OrgRoot::new(root).map_err(BuildError::Io)?;
    let files = write::static_files(&org).map_err(BuildError::Io)?;
    match files.iter().find(|file| is_generated(&file.path)) {
        Some(file) => Err(BuildError::Refused(format!(
            "{} would replace the generated {}: rename it",
            file.source, file.path
        ))),
        None => Ok(files),
    }
}

/// The monthly review of the org at `root` for `month`, with the checked org it was made
/// from and, in git, the history of its files.
pub fn review(
    root: &Path,
    month: model::PeriodLabel,
    today: Date,
) -> Result<
    (
        Checked,
        Option<std::sync::Arc<history::Changes>>,
        report::Report,
    ),
    String,
> {
    let history = history::LogCache::default();
    let checked = check_dir_with_history(root, &check::Context::on(today), &history)
        .map_err(|e| format!("cannot read the org: {e}"))?;
    let changes = history.changes.read(root).ok();
    let report = report::Report::of(&checked, changes.as_deref(), month, today);
    Ok((checked, changes, report))
}

/// [`review`] as the site's review page.
pub fn review_page(root: &Path, month: model::PeriodLabel, today: Date) -> Result<String, String> {
    let (checked, changes, report) = review(root, month, today)?;
    let renderer =
        render::Renderer::new(root, &checked.org.settings.language).map_err(|e| e.to_string())?;
    renderer
        .review_page(&checked, changes.as_deref(), report, today)
        .map_err(|e| e.to_string())
}

/// The org root's path relative to its git repository's root, as a prefix for paths
/// that must be relative to the repository (GitHub annotations, CODEOWNERS): empty
/// when the org is the repository root or not in one, else ending in `/`.
pub fn repo_prefix(root: &Path) -> String {
    let Ok(root) = root.canonicalize() else {
        return String::new();
    };
    let Some(repo) = git_root(&root) else {
        return String::new();
    };
    root.strip_prefix(&repo)
        .unwrap_or(Path::new(""))
        .components()
        .map(|c| format!("{}/", c.as_os_str().to_string_lossy()))
        .collect()
}

/// The root of the git work tree that contains `dir`, if any.
pub fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}
