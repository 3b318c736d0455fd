//! `accord serve`: build in memory, serve over HTTP, rebuild and reload on every change.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;

use accord::serve::{Limits, Options, Preview, Read, Rebuild};

pub fn run(
    dir: Option<&Path>,
    bind: IpAddr,
    port: u16,
    open: bool,
    today: Option<jiff::civil::Date>,
    gate: accord::Gate,
) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    if !bind.is_loopback() {
        super::write_stderr(format_args!(
            "warning: serving on {bind}, beyond this machine: anyone who can reach it can read every agreement"
        ));
    }
    let options = Options {
        root: root.clone(),
        address: SocketAddr::new(bind, port),
        today,
        gate,
        limits: Limits::default(),
    };
    let (preview, first) = Preview::start(options, |path, why| {
        super::write_stderr(format_args!(
            "{path} answers 500, it does not render: {why}"
        ))
    })
    .map_err(|e| e.to_string())?;
    let address = preview.address().ok_or("the server has no IP address")?;
    let url = format!("http://{address}/");
    report_first(&first);
    preview
        .serve_in_background()
        .map_err(|e| format!("cannot serve on {address}: {e}"))?;
    preview.watch(
        || {
            // A line that scripts and tests can wait for: from now on edits are seen.
            let ready = format!("serving {} at {url} (Ctrl-C to stop)\n", root.display());
            if let Err(e) = super::write_stdout(ready.as_bytes()) {
                super::write_stderr(format_args!("warning: {e}"));
            }
            if open {
                open_browser(&url);
            }
        },
        report,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The terminal line of the first build: the size of the site.
fn report_first(rebuild: &Rebuild) {
    match &rebuild.problem {
        None => super::write_stderr(format_args!(
            "checked in {} ms: {} pages, each rendered when first asked for",
            rebuild.took.as_millis(),
            rebuild.pages
        )),
        Some(_) => report(rebuild),
    }
}

/// The terminal line of a rebuild: how long it took and what it read.
fn report(rebuild: &Rebuild) {
    let took = rebuild.took.as_millis();
    let read = match rebuild.read {
        Read::Whole => "the whole org read".to_owned(),
        Read::Files(1) => "1 file changed".to_owned(),
        Read::Files(n) => format!("{n} files changed"),
    };
    match &rebuild.problem {
        None => super::write_stderr(format_args!("reloaded in {took} ms: {read}")),
        Some(problem) => super::write_stderr(format_args!(
            "build failed in {took} ms ({read}); every page shows why:\n{problem}"
        )),
    }
}

/// Opens `url` in the user's browser: `$BROWSER` when set (the first of its
/// `:`-separated commands, as xdg-utils read it), else the desktop's opener. Without a
/// browser this is one warning line, never the opener's own chatter; the opener is
/// waited for on a thread of its own, so it never lingers as a zombie process.
fn open_browser(url: &str) {
    let from_env = std::env::var("BROWSER").ok().and_then(|browsers| {
        browsers
            .split(':')
            .map(str::trim)
            .find(|b| !b.is_empty())
            .map(str::to_owned)
    });
    let (program, args): (String, Vec<&str>) = match from_env {
        Some(browser) => (browser, vec![url]),
        None if cfg!(target_os = "macos") => ("open".into(), vec![url]),
        None if cfg!(windows) => ("cmd".into(), vec!["/C", "start", "", url]),
        None => ("xdg-open".into(), vec![url]),
    };
    let spawned = std::process::Command::new(&program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return cannot_open(&program, &e, url),
    };
    let url = url.to_owned();
    let waiter = std::thread::Builder::new()
        .name("browser opener".into())
        .spawn(move || match child.wait() {
            Ok(status) if status.success() => {}
            Ok(status) => cannot_open(&program, &status, &url),
            Err(e) => cannot_open(&program, &e, &url),
        });
    if let Err(e) = waiter {
        super::write_stderr(format_args!("warning: cannot wait for the browser: {e}"));
    }
}

fn cannot_open(program: &str, why: &dyn std::fmt::Display, url: &str) {
    super::write_stderr(format_args!(
        "warning: cannot open a browser ({program}: {why}); open {url} yourself"
    ));
}
