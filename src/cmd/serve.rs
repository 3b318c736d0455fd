//! `accord serve`: build in memory, serve over HTTP, rebuild and reload on every change.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;

use accord::serve::{Limits, Options, Preview, Rebuild};

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
    let (preview, first) = Preview::start(options).map_err(|e| e.to_string())?;
    let address = preview.address().ok_or("the server has no IP address")?;
    let url = format!("http://{address}/");
    report(&first);
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

fn report(rebuild: &Rebuild) {
    match &rebuild.problem {
        None => super::write_stderr(format_args!(
            "built {} pages in {} ms",
            rebuild.pages,
            rebuild.took.as_millis()
        )),
        Some(problem) => super::write_stderr(format_args!(
            "build failed in {} ms; every page shows why:\n{problem}",
            rebuild.took.as_millis()
        )),
    }
}

/// Opens `url` in the desktop's browser; a failure is only a warning.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(opener.0).args(&opener.1).spawn() {
        super::write_stderr(format_args!(
            "warning: cannot open a browser ({}: {e}); open {url} yourself",
            opener.0
        ));
    }
}
