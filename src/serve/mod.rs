//! Serve: the site from memory (its static files from disk) over HTTP, rebuilt on every
//! change, with live reload.
//!
//! Three parts: this module builds the site into memory and watches the org; [`site`]
//! answers a request from the latest build (the only place that decides what a URL
//! shows, and which hosts and methods are refused); [`http`] carries requests and
//! answers over hyper and bounds what a client can hold. Open pages hold a
//! server-sent-events connection and reload when a rebuild finishes; the script that
//! does it is added to served pages only, never to `build` output. When a rebuild
//! fails, every page shows the findings until the next good edit.

mod http;
mod site;

use std::collections::HashMap;
use std::io;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use jiff::civil::Date;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::watch;

use crate::{BuildError, Checked};
use site::{Answerer, Site, Snapshot};

/// How long the file watcher waits for a burst of saves to settle.
const DEBOUNCE: Duration = Duration::from_millis(30);

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
    pub pages: usize,
    pub took: Duration,
    /// The findings or error, when not ok (plain text).
    pub problem: Option<String>,
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
}

impl Preview {
    /// Binds the address and does the first build. Port 0 picks a free port.
    pub fn start(options: Options) -> io::Result<(Self, Rebuild)> {
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
        };
        let first = preview.rebuild();
        Ok((preview, first))
    }

    /// The address actually bound.
    pub fn address(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Renders the site again and wakes every open page.
    pub fn rebuild(&self) -> Rebuild {
        let started = Instant::now();
        let today = crate::today_or_system(self.options.today);
        let files = Mutex::new(HashMap::new());
        let statics = Mutex::new(HashMap::new());
        let result = crate::render_site(
            &self.options.root,
            today,
            self.options.gate,
            &self.history,
            &|path, bytes| {
                if let Ok(mut files) = files.lock() {
                    files.insert(path.to_owned(), Bytes::copy_from_slice(bytes));
                }
                Ok(())
            },
            // Static files stay on disk: each request opens its file through the gate.
            &|file| {
                if let Ok(mut statics) = statics.lock() {
                    statics.insert(file.path.clone(), file.source.clone());
                }
                Ok(())
            },
        );
        let (site, report) = match result {
            Ok(built) => (
                Site::Built {
                    files: files.into_inner().unwrap_or_default(),
                    statics: statics.into_inner().unwrap_or_default(),
                },
                Rebuild {
                    ok: true,
                    pages: built.pages,
                    took: started.elapsed(),
                    problem: None,
                },
            ),
            Err(error) => {
                let text = problem_text(&error);
                (
                    Site::Failed(site::error_page(&error, today)),
                    Rebuild {
                        ok: false,
                        pages: 0,
                        took: started.elapsed(),
                        problem: Some(text),
                    },
                )
            }
        };
        self.site.send_modify(|current| {
            *current = Arc::new(Snapshot {
                site,
                generation: current.generation + 1,
            });
        });
        report
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
    /// is never missed). Blocks until the watcher fails.
    pub fn watch(
        &self,
        ready: impl FnOnce(),
        mut report: impl FnMut(&Rebuild),
    ) -> Result<(), String> {
        let (sender, events) = mpsc::channel::<DebounceEventResult>();
        let mut debouncer = new_debouncer(DEBOUNCE, None, sender)
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
            let relevant = match result {
                // Reading the files to rebuild is itself an event (access): only
                // changes count, or each rebuild would trigger the next.
                Ok(events) => events
                    .iter()
                    .filter(|e| {
                        matches!(
                            e.kind,
                            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                        )
                    })
                    .flat_map(|e| e.paths.iter())
                    .any(|p| affects_site(&root, p)),
                Err(errors) => {
                    let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                    return Err(format!("file watching failed: {}", messages.join("; ")));
                }
            };
            if relevant {
                report(&self.rebuild());
            }
        }
        Ok(())
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
}
