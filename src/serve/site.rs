//! What the preview answers, whatever carries it: a request in (method, host, target),
//! a page or an event stream out. Nothing here knows the HTTP library.
//!
//! The generated files live in memory (path -> bytes) and the org's static files are
//! listed by path, so only files of the site can be served: a request is looked up in
//! those after decoding, and anything else (including every `..` trick) is a 404. A
//! static file is sent from disk, vetted again by the gate on each request (it may have
//! become a link out of the org since the build) and never held whole: it may be larger
//! than memory. Requests for another host (DNS rebinding) and methods other than GET
//! and HEAD are refused before the site is looked at (SPEC 7.2).

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use jiff::civil::Date;
use tokio::sync::watch;

use super::generation::Generation;
use crate::BuildError;
use crate::load::guard::{OrgRoot, ReadError};
use crate::render::escape_html;

/// Where the page's reload script listens.
pub(super) const EVENTS_PATH: &str = "/__accord/events";

/// How often an idle event stream sends a comment, so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The site as one rebuild left it; requests read the latest through a `watch` channel,
/// so a rebuild swaps it without waiting for any reader.
pub(super) struct Snapshot {
    pub(super) site: Site,
    /// Bumped on every rebuild; open pages reload when it changes.
    pub(super) generation: u64,
}

/// The current site, or why there is none.
pub(super) enum Site {
    Built {
        /// Every generated file of the site, rendered when first asked for.
        generation: Generation,
        /// The org's static files: the path in the org (`static/...`) by the path in
        /// the site.
        statics: HashMap<String, String>,
    },
    /// A full HTML page with the findings or the error.
    Failed(String),
}

/// A request, as far as the preview cares.
pub(super) struct Request<'a> {
    pub(super) method: &'a str,
    /// The `Host` header, when it is present and text.
    pub(super) host: Option<&'a str>,
    /// The authority of an absolute-form target (`GET http://host/path`), which must
    /// name this server too.
    pub(super) authority: Option<&'a str>,
    /// The path and query as sent.
    pub(super) target: &'a str,
}

/// What to send back.
pub(super) enum Reply {
    Page(Page),
    /// An endless stream of server-sent events for a page's reload script.
    Events(Events),
    /// A generated file, answered once it is rendered.
    Later(Pin<Box<dyn Future<Output = Page> + Send>>),
    /// A static file, opened and vetted, to send from disk a chunk at a time.
    File {
        content_type: &'static str,
        file: std::fs::File,
        length: u64,
    },
}

pub(super) struct Page {
    pub(super) status: u16,
    /// `Content-Type` and any header the status calls for (`Allow` on a 405).
    pub(super) headers: Vec<(&'static str, &'static str)>,
    pub(super) body: Bytes,
    /// For a generated file, the number of the render that made it (the
    /// `X-Accord-Render` header): equal numbers are one render, so a page kept from an
    /// earlier generation, or asked for by many at once, shows the same number.
    pub(super) render: Option<u64>,
}

impl Page {
    fn text(status: u16, text: &'static str) -> Self {
        Page {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8")],
            body: Bytes::from_static(text.as_bytes()),
            render: None,
        }
    }

    fn html(status: u16, page: &[u8], generation: u64) -> Self {
        Page {
            status,
            headers: vec![("Content-Type", "text/html; charset=utf-8")],
            body: with_reload(page, generation),
            render: None,
        }
    }
}

/// What every request of the site is answered from: the latest snapshot and the
/// address the server is bound to.
pub(super) struct Answerer {
    pub(super) site: watch::Receiver<Arc<Snapshot>>,
    pub(super) bound: SocketAddr,
    /// The org, whose gate vets each static file again when it is asked for.
    pub(super) org: OrgRoot,
}

impl Answerer {
    /// The reply to `request`: 421 for another host, 405 for a method other than GET
    /// or HEAD, else the site's file, the event stream, or a 404.
    pub(super) fn answer(&self, request: &Request) -> Reply {
        let ours = |host: &str| names_this_server(host, self.bound);
        if !request.host.is_some_and(ours) || !request.authority.is_none_or(ours) {
            return Reply::Page(Page::text(
                421,
                "421 Misdirected Request: this preview answers only to its own address (localhost, 127.0.0.1 or [::1] with its port)\n",
            ));
        }
        if !matches!(request.method, "GET" | "HEAD") {
            let mut page = Page::text(405, "405 Method Not Allowed: the preview is read-only\n");
            page.headers.push(("Allow", "GET, HEAD"));
            return Reply::Page(page);
        }
        let (path, query) = request
            .target
            .split_once('?')
            .unwrap_or((request.target, ""));
        if path == EVENTS_PATH {
            let since = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("since="))
                .and_then(|n| n.parse().ok());
            return Reply::Events(Events::new(self.site.clone(), since));
        }
        let snapshot = Arc::clone(&self.site.borrow());
        reply_of(&snapshot, &self.org, request.target)
    }
}

/// Whether a `Host` value (`name[:port]`, `[v6][:port]`) names this server: the bound
/// address, `localhost`, `127.0.0.1` or `[::1]`, with the bound port (80 when absent).
/// Any other name is how a DNS-rebinding page reaches a local server. A server bound
/// to every address (`0.0.0.0`, `::`) also answers to any IP literal, since an address
/// cannot be rebound.
fn names_this_server(host: &str, bound: SocketAddr) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some(split) => split,
            None => return false,
        },
        None => host.find(':').map_or((host, ""), |at| host.split_at(at)),
    };
    let port = match port.strip_prefix(':') {
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => digits.parse::<u16>().ok(),
        Some(_) => None,
        None if port.is_empty() => Some(80),
        None => None,
    };
    if port != Some(bound.port()) {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    // Only the bracketed form is an IPv6 literal; `::1:8080` is not a host.
    let address = if host.starts_with('[') {
        name.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        name.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
    };
    address.is_some_and(|ip| {
        ip == bound.ip()
            || ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
            || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
            || bound.ip().is_unspecified()
    })
}

/// The file of the site at `target`, the error page while the build is broken, or 404.
fn reply_of(snapshot: &Arc<Snapshot>, org: &OrgRoot, target: &str) -> Reply {
    let html = |status, page: &[u8]| Page::html(status, page, snapshot.generation);
    let path = site_path(target);
    let page = match (&snapshot.site, path) {
        (Site::Failed(page), Some(path)) if path.ends_with(".html") => html(500, page.as_bytes()),
        (Site::Failed(page), _) => html(404, page.as_bytes()),
        (Site::Built { generation, .. }, Some(path)) if generation.has(&path) => {
            return Reply::Later(Box::pin(generated(Arc::clone(snapshot), path)));
        }
        (Site::Built { statics, .. }, Some(path)) => match statics.get(&path) {
            Some(source) => return static_file(org, source, &path),
            None => html(404, NOT_FOUND.as_bytes()),
        },
        (Site::Built { .. }, None) => html(404, NOT_FOUND.as_bytes()),
    };
    Reply::Page(page)
}

/// The generated file at `path` of the site in `snapshot`, rendered if no one has asked
/// for it yet; a file that does not render is a 500 with the error.
async fn generated(snapshot: Arc<Snapshot>, path: String) -> Page {
    let Site::Built { generation, .. } = &snapshot.site else {
        return Page::html(404, NOT_FOUND.as_bytes(), snapshot.generation);
    };
    match generation.file(&path).await {
        None => Page::html(404, NOT_FOUND.as_bytes(), snapshot.generation),
        Some(Err(why)) => Page::html(
            500,
            failure_page(&why, generation.today).as_bytes(),
            snapshot.generation,
        ),
        Some(Ok(output)) if path.ends_with(".html") => Page {
            render: Some(output.render),
            ..Page::html(200, &output.bytes, snapshot.generation)
        },
        Some(Ok(output)) => Page {
            status: 200,
            headers: vec![("Content-Type", content_type(&path))],
            body: output.bytes,
            render: Some(output.render),
        },
    }
}

/// The static file at `source` in the org, served as `path`: opened through the gate
/// now, so a file replaced since the build by a link out of the org, a FIFO or a device
/// is refused as the build would refuse it.
fn static_file(org: &OrgRoot, source: &str, path: &str) -> Reply {
    let opened = match org.vet(source) {
        Ok(Some(Ok(file))) => file.open(),
        Ok(Some(Err(refusal))) => Err(ReadError::Refused(refusal)),
        Ok(None) => return Reply::Page(Page::text(404, "404 Not Found: the file was removed\n")),
        Err(e) => Err(ReadError::Io(e)),
    };
    match opened {
        Ok((file, length)) => Reply::File {
            content_type: content_type(path),
            file,
            length,
        },
        Err(ReadError::Refused(_)) => Reply::Page(Page::text(
            403,
            "403 Forbidden: the file is no longer a regular file inside the org (accord serve prints why on the next rebuild)\n",
        )),
        Err(ReadError::Io(_)) => Reply::Page(Page::text(
            500,
            "500 Internal Server Error: the file cannot be read\n",
        )),
    }
}

const NOT_FOUND: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body><main><h1>Not found</h1><p>This page is not part of the site. <a href=\"/index.html\">Back to the dashboard</a>.</p></main></body></html>";

/// A page's subscription to rebuilds: yields `reload` once the site is newer than the
/// page, and a comment every 15 s otherwise.
pub(super) struct Events {
    site: watch::Receiver<Arc<Snapshot>>,
    /// The build the page came from.
    seen: u64,
}

impl Events {
    /// The first bytes of every stream, sent before waiting for anything.
    pub(super) const OPENING: &'static str = ": connected\n\n";

    /// `since`: the build of the page; a page built before the latest rebuild (one that
    /// finished before the stream connected) reloads at once. `None`: the current one.
    fn new(mut site: watch::Receiver<Arc<Snapshot>>, since: Option<u64>) -> Self {
        let current = site.borrow_and_update().generation;
        Events {
            site,
            seen: since.unwrap_or(current),
        }
    }

    /// The next message, and the stream to wait on for the one after; `None` when the
    /// preview has stopped rebuilding. Takes `self` so the waiting future owns it.
    pub(super) async fn next(mut self) -> Option<(Self, &'static str)> {
        loop {
            let current = self.site.borrow_and_update().generation;
            if current != self.seen {
                self.seen = current;
                return Some((self, "data: reload\n\n"));
            }
            match tokio::time::timeout(KEEP_ALIVE, self.site.changed()).await {
                Err(_quiet) => return Some((self, ": keep-alive\n\n")),
                Ok(Ok(())) => continue,
                Ok(Err(_stopped)) => return None,
            }
        }
    }
}

/// The script added before `</body>` of every served page. It names the build it came
/// from, so a rebuild that finishes before the stream connects still reloads the page,
/// and it closes the stream when the page goes away (browsers allow few connections).
fn reload_script(generation: u64) -> String {
    format!(
        "<script>(function(){{var s=new EventSource(\"{EVENTS_PATH}?since={generation}\");s.onmessage=function(){{location.reload()}};addEventListener(\"pagehide\",function(){{s.close()}})}})();</script>"
    )
}

/// Adds the reload script of build `generation` to an HTML page.
fn with_reload(html: &[u8], generation: u64) -> Bytes {
    let text = String::from_utf8_lossy(html);
    let script = reload_script(generation);
    let page = match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]),
        None => format!("{text}{script}"),
    };
    Bytes::from(page)
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
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// The page every URL shows while the org does not build: the findings (rule,
/// file:line, message) or the template error. Built without templates, since a broken
/// template may be the very problem.
pub(super) fn error_page(error: &BuildError, today: Date) -> String {
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
        other => body = problem("The site does not build", &other.to_string()),
    }
    page_of(&body, today)
}

/// The page a file of the site shows when it alone does not render: `why`.
fn failure_page(why: &str, today: Date) -> String {
    page_of(&problem("This page does not render", why), today)
}

/// A heading and the error under it, escaped.
fn problem(heading: &str, why: &str) -> String {
    format!(
        "<h1>{heading}</h1><p>Fix this and save; this page reloads by itself.</p><pre>{}</pre>",
        escape_html(why)
    )
}

/// An error page around `body`, built without templates, since a broken template may
/// be the very problem.
fn page_of(body: &str, today: Date) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>accord: errors</title><style>body{{font-family:system-ui,sans-serif;margin:2rem;line-height:1.5}}table{{border-collapse:collapse}}td,th{{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ccc;vertical-align:top}}pre{{white-space:pre-wrap}}</style></head><body>{body}<p><small>accord serve, {today}</small></p></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

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
        let page = with_reload(b"<html><body><p>x</p></body></html>", 7);
        let page = std::str::from_utf8(&page).unwrap();
        assert!(
            page.ends_with(&format!("{}</body></html>", reload_script(7))),
            "{page}"
        );
        assert!(page.contains("/__accord/events?since=7"));
    }

    #[test]
    fn only_this_servers_own_names_are_answered() {
        let loopback: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LocalHost:1111",
            "[::1]:1111",
        ] {
            assert!(names_this_server(host, loopback), "{host}");
        }
        for host in [
            "evil.example:1111",
            "evil.example",
            "localhost",
            "localhost:80",
            "127.0.0.1:1112",
            "127.0.0.2:1111",
            "localhost.evil.example:1111",
            "::1:1111",
            "[::1]x:1111",
            "[::1:1111",
            "127.0.0.1:1111:1111",
            "127.0.0.1:+1111",
            "",
        ] {
            assert!(!names_this_server(host, loopback), "{host}");
        }
        let port_80: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert!(names_this_server("localhost", port_80));
        let everywhere: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert!(names_this_server("192.0.2.7:1111", everywhere));
        assert!(!names_this_server("rebound.example:1111", everywhere));
        let lan: SocketAddr = "192.0.2.7:1111".parse().unwrap();
        assert!(names_this_server("192.0.2.7:1111", lan));
        assert!(!names_this_server("192.0.2.8:1111", lan));
    }

    /// An answerer of the clean fixture's site.
    fn answerer() -> (watch::Sender<Arc<Snapshot>>, Answerer) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean");
        let today = "2026-06-15".parse().unwrap();
        let gate = crate::Gate::Structural;
        let site = crate::check_site(&root, None, today, gate, &Default::default()).unwrap();
        let renderer = crate::render::Renderer::new(&root, "en").unwrap();
        let generation = Generation::start(
            site.checked,
            site.changes,
            renderer,
            today,
            Arc::default(),
            Arc::new(|_: &str, _: &str| {}),
        )
        .unwrap();
        let (sender, site) = watch::channel(Arc::new(Snapshot {
            site: Site::Built {
                generation,
                statics: HashMap::new(),
            },
            generation: 3,
        }));
        let bound = "127.0.0.1:1111".parse().unwrap();
        let org = OrgRoot::new(&root).unwrap();
        (sender, Answerer { site, bound, org })
    }

    fn status(reply: Reply) -> u16 {
        match reply {
            Reply::Page(page) => page.status,
            Reply::Later(page) => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                runtime.block_on(page).status
            }
            Reply::Events(_) | Reply::File { .. } => 0,
        }
    }

    #[test]
    fn other_hosts_and_methods_are_refused_before_the_site_is_read() {
        let (_sender, answerer) = answerer();
        let request = |method, host, authority, target| Request {
            method,
            host,
            authority,
            target,
        };
        let ours = Some("localhost:1111");
        assert_eq!(
            status(answerer.answer(&request("GET", ours, None, "/"))),
            200
        );
        assert_eq!(
            status(answerer.answer(&request("HEAD", ours, None, "/data.json"))),
            200
        );
        assert_eq!(
            status(answerer.answer(&request("GET", ours, None, "/x.html"))),
            404
        );
        for (host, authority) in [
            (Some("evil.example:1111"), None),
            (None, None),
            (ours, Some("evil.example")),
        ] {
            assert_eq!(
                status(answerer.answer(&request("GET", host, authority, "/"))),
                421
            );
        }
        for method in [
            "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
        ] {
            let Reply::Page(page) = answerer.answer(&request(method, ours, None, "/")) else {
                panic!("{method} got an event stream");
            };
            assert_eq!(page.status, 405, "{method}");
            assert!(page.headers.contains(&("Allow", "GET, HEAD")), "{method}");
        }
        assert!(matches!(
            answerer.answer(&request("GET", ours, None, "/__accord/events?since=3")),
            Reply::Events(_)
        ));
    }

    #[test]
    fn an_event_stream_reloads_a_page_older_than_the_site() {
        let (_sender, answerer) = answerer();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let Reply::Events(events) = answerer.answer(&Request {
            method: "GET",
            host: Some("127.0.0.1:1111"),
            authority: None,
            target: "/__accord/events?since=2",
        }) else {
            panic!("no event stream");
        };
        let (_, message) = runtime.block_on(events.next()).unwrap();
        assert_eq!(message, "data: reload\n\n");
    }
}
