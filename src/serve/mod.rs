//! Serve: the site from memory (its static files from disk) over HTTP, rebuilt on every
//! change, with live reload.
//!
//! Four parts: this module watches the org and, after each change, reads again the files
//! that changed, checks the org and plans its site; [`generation`] renders each file of
//! the site when it is first asked for (and keeps pages whose inputs did not change from
//! one rebuild to the next); [`site`] answers a request from the latest build (the only
//! place that decides what a URL shows, and which hosts and methods are refused);
//! [`http`] carries requests and answers over hyper and bounds what a client can hold. Open pages hold a
//! server-sent-events connection and reload when a rebuild finishes; the script that
//! does it is added to served pages only, never to `build` output. When a rebuild
//! fails, every page shows the findings until the next good edit.

mod generation;
mod http;
mod site;

use std::collections::BTreeSet;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::watch;

use crate::load::OrgFiles;
use crate::{BuildError, Checked, CheckedSite};
use generation::{Failed, Generation, Pages};
use site::{Answerer, Site, Snapshot};

/// How long the file watcher waits for a burst of saves to settle. An editor's save
/// (write a temporary file, rename it over the old one) is one burst well within it;
/// a burst that outlasts it costs a second rebuild, never a wrong page: the last
/// rebuild always reads the files as they ended up.
const DEBOUNCE: Duration = Duration::from_millis(15);

/// How often the watcher looks for bursts that have settled: a save waits for the
/// debounce and at most this much more (the default, a quarter of the debounce, left
/// bursts waiting up to 7 ms).
const DEBOUNCE_TICK: Duration = Duration::from_millis(3);

/// What `accord serve` needs.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub address: SocketAddr,
    /// `None`: the system date at each rebuild.
    pub today: Option<Date>,
    /// Which findings stop the build: then every page is the error page.
    pub gate: crate::Gate,
    pub limits: Limits,
}

/// What one client, or many, can hold of the server (SPEC 7.2). Beyond a bound a
/// client gets 503 (431 for headers) or is dropped; the others go on being served.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Connections served at once. As many again are answered 503 and closed; any
    /// more are closed at once.
    pub connections: usize,
    /// Event streams (open pages listening for reloads) at once; one more gets 503.
    pub event_streams: usize,
    /// Time a client has to send a request's line and headers, counted from the
    /// connection or the end of the previous response: it also closes idle connections.
    pub header_timeout: Duration,
    /// Time a response may wait on a client that reads nothing before the connection
    /// is dropped.
    pub write_timeout: Duration,
    /// Bytes of request line and headers; more gets 431 and the connection closes.
    pub header_bytes: usize,
}

impl Default for Limits {
    /// Generous for a browser on the same machine (which opens about six connections
    /// per host), small enough that a flood of clients cannot exhaust memory, file
    /// descriptors or the runtime.
    fn default() -> Self {
        Limits {
            connections: 64,
            event_streams: 16,
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            header_bytes: 32 * 1024,
        }
    }
}

/// One rebuild's result, for the command to report.
pub struct Rebuild {
    pub ok: bool,
    /// The HTML pages of the site (rendered when first asked for).
    pub pages: usize,
    pub took: Duration,
    /// What was read from disk.
    pub read: Read,
    /// The findings or error, when not ok (plain text).
    pub problem: Option<String>,
}

/// What a rebuild read of the org.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// Every file, as a build does.
    Whole,
    /// Only the files a burst of changes named, this many.
    Files(usize),
}

/// What changed in the org since the last rebuild, as the file watcher tells it.
#[derive(Debug)]
enum Change {
    /// Anything could have: the whole org is read again.
    Unclear,
    /// These files (relative to the org root) were written, created or removed.
    Files(BTreeSet<String>),
}

/// A preview: the bound address and the latest build. Serving runs on a thread of its
/// own that lives as long as the process.
pub struct Preview {
    listener: TcpListener,
    site: watch::Sender<Arc<Snapshot>>,
    options: Options,
    /// The signature history, read again only when `HEAD` moves: most saves change
    /// files, not commits.
    history: crate::history::LogCache,
    /// The org's files as the last rebuild read them, so the next reads only the files
    /// that changed; `None` until a read of the whole org succeeds.
    files: Mutex<Option<OrgFiles>>,
    /// What loading each file gave at the last rebuild: a file that did not change is
    /// not parsed again, even when the whole org was read.
    loads: Mutex<crate::load::LoadCache>,
    /// Pages kept from one generation of the site to the next.
    pages: Arc<Pages>,
    failed: Failed,
}

impl Preview {
    /// Binds the address and does the first build. Port 0 picks a free port. `failed`
    /// hears of every file of the site that fails to render (its path and why) when it is
    /// asked for.
    pub fn start(
        options: Options,
        failed: impl Fn(&str, &str) + Send + Sync + 'static,
    ) -> io::Result<(Self, Rebuild)> {
        let listener = TcpListener::bind(options.address).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot listen on {}: {e} (choose another with --port)",
                    options.address
                ),
            )
        })?;
        let (site, _) = watch::channel(Arc::new(Snapshot {
            site: Site::Failed(String::new()),
            generation: 0,
        }));
        let preview = Preview {
            listener,
            site,
            options,
            history: Default::default(),
            files: Mutex::new(None),
            loads: Mutex::default(),
            pages: Arc::default(),
            failed: Arc::new(failed),
        };
        let first = preview.rebuild(&Change::Unclear);
        Ok((preview, first))
    }

    /// The address actually bound.
    pub fn address(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Checks the org again after `change` and, when it passes the gate, plans its site,
    /// then swaps the snapshot and wakes every open page. No page is rendered here: each
    /// is rendered when it is asked for.
    fn rebuild(&self, change: &Change) -> Rebuild {
        let started = Instant::now();
        let today = crate::today_or_system(self.options.today);
        let (read, checked) = self.check(change, today);
        let (site, pages, problem) = match checked.and_then(|site| self.site_of(site, today)) {
            Ok((site, pages)) => (site, pages, None),
            Err(error) => (
                Site::Failed(site::error_page(&error, today)),
                0,
                Some(problem_text(&error)),
            ),
        };
        self.site.send_modify(|current| {
            *current = Arc::new(Snapshot {
                site,
                generation: current.generation + 1,
            });
        });
        Rebuild {
            ok: problem.is_none(),
            pages,
            took: started.elapsed(),
            read,
            problem,
        }
    }

    /// Reads what `change` calls for and checks the org: what was read, and the org or
    /// what stops its site.
    fn check(&self, change: &Change, today: Date) -> (Read, Result<CheckedSite, BuildError>) {
        let root = &self.options.root;
        let mut kept = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let read = match reread(kept.as_mut(), root, change) {
            Some(read) => read,
            None => {
                // Kept only once read whole: a failed read is tried again whole at the
                // next change.
                *kept = None;
                match OrgFiles::read_dir(root) {
                    Ok(files) => *kept = Some(files),
                    Err(e) => return (Read::Whole, Err(BuildError::Io(e))),
                }
                Read::Whole
            }
        };
        let mut loads = self.loads.lock().unwrap_or_else(|e| e.into_inner());
        let held = kept.as_ref().map(|files| (files, &mut *loads));
        let checked = crate::check_site(root, held, today, self.options.gate, &self.history);
        if read == Read::Whole && has_links(root) {
            *kept = None;
        }
        (read, checked)
    }

    /// The site of `checked`, planned on a generation of its own, with the org's static
    /// files beside it; and its page count.
    fn site_of(&self, checked: CheckedSite, today: Date) -> Result<(Site, usize), BuildError> {
        let root = &self.options.root;
        let CheckedSite { checked, changes } = checked;
        let renderer = crate::render::Renderer::new(root, &checked.org.settings.language)
            .map_err(BuildError::Render)?;
        let generation = Generation::start(
            checked,
            changes,
            renderer,
            today,
            Arc::clone(&self.pages),
            Arc::clone(&self.failed),
        )
        .map_err(BuildError::Io)?;
        // Static files stay on disk: each request opens its file through the gate.
        let statics = crate::static_files_beside(root, |path| generation.has(path))?
            .into_iter()
            .map(|file| (file.path, file.source))
            .collect();
        let pages = generation.pages;
        let site = Site::Built {
            generation,
            statics,
        };
        Ok((site, pages))
    }

    /// Starts serving requests on a thread of its own, until the process ends.
    pub fn serve_in_background(&self) -> io::Result<()> {
        let address = self.listener.local_addr()?;
        let answerer = Answerer {
            site: self.site.subscribe(),
            bound: address,
            org: crate::load::guard::OrgRoot::new(&self.options.root)?,
        };
        http::spawn(
            self.listener.try_clone()?,
            answerer,
            self.options.limits.clone(),
        )
    }

    /// Watches the org and rebuilds after each burst of changes, calling `report` with
    /// each result. `ready` runs once the watcher is in place (so an edit made after it
    /// is never missed). Blocks until the watcher stops.
    pub fn watch(
        &self,
        ready: impl FnOnce(),
        mut report: impl FnMut(&Rebuild),
    ) -> Result<(), String> {
        let (sender, events) = mpsc::channel::<DebounceEventResult>();
        let mut debouncer = new_debouncer(DEBOUNCE, Some(DEBOUNCE_TICK), sender)
            .map_err(|e| format!("cannot watch files: {e}"))?;
        // One resolved path for watching and for comparing the events' paths with, so a
        // root given through a symlink or with `..` still matches.
        let root = self
            .options
            .root
            .canonicalize()
            .map_err(|e| format!("cannot read {}: {e}", self.options.root.display()))?;
        debouncer
            .watch(&root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        ready();
        for result in events {
            // A watcher error may have lost events: only a read of everything is sure.
            let change = match result {
                Ok(events) => change_of(&root, events.iter().map(|e| &e.event)),
                Err(_) => Some(Change::Unclear),
            };
            if let Some(change) = change {
                report(&self.rebuild(&change));
            }
        }
        Ok(())
    }
}

/// Whether the org has a link anywhere outside its hidden folders and its build output.
/// A file there shows at two paths, its own and the link's, and the watcher names only
/// the one written: in such an org every change reads the whole org again. `true` when
/// the org cannot be walked.
fn has_links(root: &Path) -> bool {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_entry(|entry| affects_site(root, entry.path()))
        .any(|entry| entry.map_or(true, |entry| entry.path_is_symlink()))
}

/// Brings `files` up to date with `change` by reading the changed files again; `None`
/// when the whole org must be read instead: no files kept (none read yet, or the org has
/// links), a change the watcher could not pin to files, one a single file cannot tell
/// (see [`OrgFiles::reread`]), the settings or the templates changed, a link was made,
/// or a file could not be read.
fn reread(files: Option<&mut OrgFiles>, root: &Path, change: &Change) -> Option<Read> {
    let (Some(files), Change::Files(paths)) = (files, change) else {
        return None;
    };
    let is_link = |path: &str| {
        root.join(path)
            .symlink_metadata()
            .is_ok_and(|meta| meta.is_symlink())
    };
    if paths
        .iter()
        .any(|path| path == crate::ORG_FILE || path.starts_with("templates/") || is_link(path))
    {
        return None;
    }
    let org = crate::load::guard::OrgRoot::new(root).ok()?;
    for path in paths {
        if !files.reread(&org, path).ok()? {
            return None;
        }
    }
    Some(Read::Files(paths.len()))
}

/// What a burst of the watcher's events changed in the org: `None` when nothing that
/// can change the site, the files (relative to `root`) when every event names files
/// plainly, else [`Change::Unclear`]: an event on a folder, a rename whose two ends are
/// not both known, or an event of a kind that says nothing of what happened.
fn change_of<'e>(root: &Path, events: impl Iterator<Item = &'e notify::Event>) -> Option<Change> {
    use notify::event::{CreateKind, ModifyKind, RemoveKind, RenameMode};
    let mut files = BTreeSet::new();
    let mut unclear = false;
    for event in events {
        // Reading the files to rebuild is itself an event (access): only changes count,
        // or each rebuild would trigger the next.
        let plain = match event.kind {
            // What `Any` was is told below: a path that is a folder now is unclear, and
            // one that was (with files under it) is unclear to `OrgFiles::reread`.
            EventKind::Create(CreateKind::File | CreateKind::Any)
            | EventKind::Remove(RemoveKind::File | RemoveKind::Any)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_) | ModifyKind::Any) => {
                true
            }
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => event.paths.len() == 2,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => false,
            EventKind::Access(_) | EventKind::Any | EventKind::Other => continue,
        };
        for path in event.paths.iter().filter(|p| affects_site(root, p)) {
            match path.strip_prefix(root).ok().and_then(Path::to_str) {
                Some(relative) if plain && !path.is_dir() => {
                    files.insert(relative.replace(std::path::MAIN_SEPARATOR, "/"));
                }
                _ => unclear = true,
            }
        }
    }
    if unclear {
        Some(Change::Unclear)
    } else if files.is_empty() {
        None
    } else {
        Some(Change::Files(files))
    }
}

/// Whether a change at `path` can change the site: anything in the org except hidden
/// files (.git, editor swap files) and a `public/` build output.
fn affects_site(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next();
    if first.as_deref() == Some("public") {
        return false;
    }
    !first
        .into_iter()
        .chain(parts)
        .any(|part| part.starts_with('.') || part.ends_with('~'))
}

fn problem_text(error: &BuildError) -> String {
    match error {
        BuildError::Findings(checked) => findings_text(checked),
        other => other.to_string(),
    }
}

fn findings_text(checked: &Checked) -> String {
    checked
        .findings
        .iter()
        .map(|f| {
            let p = f.placed(&checked.sources);
            format!(
                "{}:{}:{}: {} [{}] {}",
                p.file,
                p.line,
                p.column,
                p.level.word(),
                p.rule,
                p.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_files_and_the_build_output_do_not_trigger_rebuilds() {
        let root = Path::new("/org");
        assert!(affects_site(root, Path::new("/org/teams/sales.toml")));
        assert!(affects_site(root, Path::new("/org/templates/base.html")));
        assert!(!affects_site(root, Path::new("/org/.git/index")));
        assert!(!affects_site(root, Path::new("/org/teams/.sales.toml.swp")));
        assert!(!affects_site(root, Path::new("/org/public/index.html")));
        assert!(!affects_site(root, Path::new("/elsewhere/x")));
    }

    #[test]
    fn only_events_that_name_files_plainly_are_read_file_by_file() {
        use notify::event::{AccessKind, CreateKind, DataChange, ModifyKind, RemoveKind};
        use notify::event::{RenameMode, RenameMode::Both};
        let root = Path::new("/org-that-is-not-on-disk");
        let event = |kind, paths: &[&str]| notify::Event {
            kind,
            paths: paths.iter().map(|p| root.join(p)).collect(),
            attrs: Default::default(),
        };
        let change = |events: &[notify::Event]| match change_of(root, events.iter()) {
            None => "none".to_owned(),
            Some(Change::Unclear) => "unclear".to_owned(),
            Some(Change::Files(files)) => files.into_iter().collect::<Vec<_>>().join(" "),
        };
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        let renamed = |mode| EventKind::Modify(ModifyKind::Name(mode));
        assert_eq!(
            change(&[
                event(written, &["teams/sales.toml"]),
                event(EventKind::Create(CreateKind::File), &["people.toml"]),
                event(EventKind::Remove(RemoveKind::File), &["kpis/old.toml"]),
                event(renamed(Both), &["teams/.x.swp", "teams/x.toml"]),
            ]),
            "kpis/old.toml people.toml teams/sales.toml teams/x.toml"
        );
        assert_eq!(
            change(&[
                event(EventKind::Access(AccessKind::Any), &["teams/sales.toml"]),
                event(written, &[".git/index"]),
                event(written, &["public/index.html"]),
            ]),
            "none"
        );
        for unclear in [
            event(EventKind::Create(CreateKind::Folder), &["drafts"]),
            event(EventKind::Remove(RemoveKind::Folder), &["teams/old"]),
            event(renamed(RenameMode::From), &["teams/sales.toml"]),
            event(renamed(RenameMode::To), &["teams/sales.toml"]),
            event(EventKind::Modify(ModifyKind::Other), &["teams/sales.toml"]),
        ] {
            assert_eq!(
                change(&[event(written, &["teams/sales.toml"]), unclear.clone()]),
                "unclear",
                "{unclear:?}"
            );
        }
    }
}
