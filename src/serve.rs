//! Serve: the site from memory over HTTP, rebuilt on every change, with live reload.
//!
//! The site is rendered into a map (path -> bytes), never to disk, so only files of the
//! site can be served: a request is looked up in the map after decoding, and anything
//! else (including every `..` trick) is a 404. Open pages hold a server-sent-events
//! connection and reload when a rebuild finishes; the script that does it is added to
//! served pages only, never to `build` output. When a rebuild fails, every page shows
//! the findings until the next good edit.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tiny_http::{Header, Request, Response, Server};

use crate::render::escape_html;
use crate::{BuildError, Checked};

/// Where the page's reload script listens.
const EVENTS_PATH: &str = "/__accord/events";

/// The script added before `</body>` of every served page. It names the build it came
/// from, so a rebuild that finishes before the stream connects still reloads the page,
/// and it closes the stream when the page goes away (browsers allow few connections).
fn reload_script(generation: u64) -> String {
    format!(
        "<script>(function(){{var s=new EventSource(\"{EVENTS_PATH}?since={generation}\");s.onmessage=function(){{location.reload()}};addEventListener(\"pagehide\",function(){{s.close()}})}})();</script>"
    )
}

/// How long the file watcher waits for a burst of saves to settle.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// What `accord serve` needs.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub address: SocketAddr,
    /// `None`: the system date at each rebuild.
    pub today: Option<Date>,
    pub deny_warnings: bool,
}

/// The current site, or why there is none.
enum Site {
    Built(HashMap<String, Vec<u8>>),
    /// A full HTML page with the findings or the error.
    Failed(String),
}

struct State {
    site: Site,
    /// Bumped on every rebuild; open pages reload when it changes.
    generation: u64,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

/// One rebuild's result, for the command to report.
pub struct Rebuild {
    pub ok: bool,
    pub pages: usize,
    pub took: Duration,
    /// The findings or error, when not ok (plain text).
    pub problem: Option<String>,
}

/// A running preview server; dropping it does not stop the threads (the process ends).
pub struct Preview {
    server: Arc<Server>,
    shared: Arc<Shared>,
    options: Options,
}

impl Preview {
    /// Binds the address and does the first build. Port 0 picks a free port.
    pub fn start(options: Options) -> io::Result<(Self, Rebuild)> {
        let server = Server::http(options.address).map_err(|e| {
            io::Error::new(
                io::ErrorKind::AddrInUse,
                format!(
                    "cannot listen on {}: {e} (choose another with --port)",
                    options.address
                ),
            )
        })?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                site: Site::Failed(String::new()),
                generation: 0,
            }),
            changed: Condvar::new(),
        });
        let preview = Preview {
            server: Arc::new(server),
            shared,
            options,
        };
        let first = preview.rebuild();
        Ok((preview, first))
    }

    /// The address actually bound.
    pub fn address(&self) -> Option<SocketAddr> {
        self.server.server_addr().to_ip()
    }

    /// Renders the site again and wakes every open page.
    pub fn rebuild(&self) -> Rebuild {
        let started = Instant::now();
        let today = crate::today_or_system(self.options.today);
        let files = Mutex::new(HashMap::new());
        let result = crate::render_site(
            &self.options.root,
            today,
            self.options.deny_warnings,
            &|path, bytes| {
                if let Ok(mut files) = files.lock() {
                    files.insert(path.to_owned(), bytes.to_vec());
                }
                Ok(())
            },
        );
        let (site, report) = match result {
            Ok(built) => (
                Site::Built(files.into_inner().unwrap_or_default()),
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
                    Site::Failed(error_page(&error, today)),
                    Rebuild {
                        ok: false,
                        pages: 0,
                        took: started.elapsed(),
                        problem: Some(text),
                    },
                )
            }
        };
        if let Ok(mut state) = self.shared.state.lock() {
            state.site = site;
            state.generation += 1;
        }
        self.shared.changed.notify_all();
        report
    }

    /// Serves requests on a pool of threads until the process ends.
    pub fn serve_in_background(&self, threads: usize) {
        for _ in 0..threads.max(1) {
            let server = Arc::clone(&self.server);
            let shared = Arc::clone(&self.shared);
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    if request.url().split('?').next() == Some(EVENTS_PATH) {
                        let shared = Arc::clone(&shared);
                        // An event stream stays open: give it its own thread.
                        std::thread::spawn(move || stream_events(request, &shared));
                    } else {
                        respond(request, &shared);
                    }
                }
            });
        }
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

/// The page every URL shows while the org does not build: the findings (rule,
/// file:line, message) or the template error. Built without templates, since a broken
/// template may be the very problem.
fn error_page(error: &BuildError, today: Date) -> String {
    let mut body = String::new();
    match error {
        BuildError::Findings(checked) => {
            body.push_str("<h1>The org does not build</h1><p>Fix these and save; this page reloads by itself.</p><table><thead><tr><th>Level</th><th>Rule</th><th>Location</th><th>Message</th></tr></thead><tbody>");
            for f in &checked.findings {
                let p = f.placed(&checked.sources);
                body.push_str(&format!(
                    "<tr><td>{}</td><td><code>{}</code></td><td><code>{}:{}:{}</code></td><td>{}</td></tr>",
                    p.level.word(),
                    escape_html(p.rule),
                    escape_html(&p.file),
                    p.line,
                    p.column,
                    escape_html(&p.message)
                ));
            }
            body.push_str("</tbody></table>");
        }
        other => {
            body.push_str("<h1>The site does not build</h1><p>Fix this and save; this page reloads by itself.</p><pre>");
            body.push_str(&escape_html(&other.to_string()));
            body.push_str("</pre>");
        }
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>accord: errors</title><style>body{{font-family:system-ui,sans-serif;margin:2rem;line-height:1.5}}table{{border-collapse:collapse}}td,th{{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ccc;vertical-align:top}}pre{{white-space:pre-wrap}}</style></head><body>{body}<p><small>accord serve, {today}</small></p></body></html>"
    )
}

/// The path of the site a request asks for, or `None` for anything that is not a plain
/// path inside the site (`..`, absolute or encoded tricks, backslashes, NUL).
fn site_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let trimmed = decoded.strip_prefix('/')?;
    if trimmed.contains(['\\', '\0']) {
        return None;
    }
    let is_folder = trimmed.is_empty() || trimmed.ends_with('/');
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let mut parts = Vec::new();
    if !trimmed.is_empty() {
        for part in trimmed.split('/') {
            if matches!(part, "" | "." | "..") {
                return None;
            }
            parts.push(part);
        }
    }
    if is_folder {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

fn content_type(path: &str) -> &'static str {
    match path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// Adds the reload script of build `generation` to an HTML page.
fn with_reload(html: &[u8], generation: u64) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let script = reload_script(generation);
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

fn respond(request: Request, shared: &Shared) {
    let (status, content_type, body) = answer(request.url(), shared);
    let mut response = Response::from_data(body).with_status_code(status);
    for (name, value) in [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
    ] {
        // Both are fixed ASCII, so this cannot fail; a header is skipped if it did.
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // A client that went away is not our problem.
    let _ = request.respond(response);
}

fn answer(url: &str, shared: &Shared) -> (u16, &'static str, Vec<u8>) {
    let Ok(state) = shared.state.lock() else {
        return (500, "text/plain; charset=utf-8", b"internal error".to_vec());
    };
    let Some(path) = site_path(url) else {
        return not_found(&state);
    };
    match &state.site {
        Site::Failed(page) if path.ends_with(".html") => (
            500,
            "text/html; charset=utf-8",
            with_reload(page.as_bytes(), state.generation),
        ),
        Site::Failed(_) => not_found(&state),
        Site::Built(files) => match files.get(&path) {
            Some(bytes) if path.ends_with(".html") => (
                200,
                content_type(&path),
                with_reload(bytes, state.generation),
            ),
            Some(bytes) => (200, content_type(&path), bytes.clone()),
            None => not_found(&state),
        },
    }
}

fn not_found(state: &State) -> (u16, &'static str, Vec<u8>) {
    if let Site::Failed(page) = &state.site {
        return (
            404,
            "text/html; charset=utf-8",
            with_reload(page.as_bytes(), state.generation),
        );
    }
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><main><h1>Not found</h1><p>This page is not part of the site. <a href=\"/index.html\">Back to the dashboard</a>.</p></main></body></html>";
    (
        404,
        "text/html; charset=utf-8",
        with_reload(page.as_bytes(), state.generation),
    )
}

/// Holds an event stream open and sends `reload` after each rebuild, with a comment
/// every 15 s so proxies keep the connection.
fn stream_events(request: Request, shared: &Shared) {
    let since: Option<u64> = request
        .url()
        .split_once("since=")
        .and_then(|(_, rest)| rest.split('&').next())
        .and_then(|n| n.parse().ok());
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    let Ok(mut state) = shared.state.lock() else {
        return;
    };
    // A page built before the latest rebuild reloads at once (the first turn below).
    let mut seen = since.unwrap_or(state.generation);
    loop {
        let message = if state.generation != seen {
            seen = state.generation;
            "data: reload\n\n"
        } else {
            let Ok((next, timeout)) = shared.changed.wait_timeout(state, Duration::from_secs(15))
            else {
                return;
            };
            state = next;
            if state.generation != seen || !timeout.timed_out() {
                continue;
            }
            ": keep-alive\n\n"
        };
        // Write without holding the lock: a slow client must not block rebuilds.
        drop(state);
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
        let Ok(relocked) = shared.state.lock() else {
            return;
        };
        state = relocked;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_site_are_served() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/teams/sales.html?x=1").as_deref(),
            Some("teams/sales.html")
        );
        assert_eq!(site_path("/docs/").as_deref(), Some("docs/index.html"));
        assert_eq!(
            site_path("/people/%C3%B1o.html").as_deref(),
            Some("people/ño.html")
        );
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/accord.toml",
            "/teams/..%2f..%2faccord.toml",
            "//etc/passwd",
            "/a//b",
            "/.%2e/x",
            "/x%5c..%5cy",
            "/x%00.html",
            "relative",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_body() {
        let page =
            String::from_utf8(with_reload(b"<html><body><p>x</p></body></html>", 7)).unwrap();
        assert!(
            page.ends_with(&format!("{}</body></html>", reload_script(7))),
            "{page}"
        );
        assert!(page.contains("/__accord/events?since=7"));
    }

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
