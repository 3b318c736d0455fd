//! `accord build`: check, then render the site with its findings; a build stopped by its
//! gate (structural errors, or any error with `--strict`) writes nothing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use accord::diagnostic::{Format, Level};
use accord::{BuildError, Gate};

pub fn run(
    dir: Option<&Path>,
    out: Option<&Path>,
    today: Option<jiff::civil::Date>,
    gate: Gate,
) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    let out: PathBuf = match out {
        Some(out) => out.to_path_buf(),
        None => accord::write::OutDir::default_for(&root).map_err(|e| e.to_string())?,
    };
    let today = super::today(today);
    let started = Instant::now();
    let waiting = || {
        super::write_stderr(format_args!(
            "waiting for another build of {} to finish",
            out.display()
        ))
    };
    match accord::build(&root, &out, today, gate, &waiting) {
        Ok(built) => {
            if let Some(note) = built.checked.provenance.note() {
                super::write_stderr(format_args!("note: {note}"));
            }
            let (errors, warnings) = (
                built.checked.count(Level::Error),
                built.checked.count(Level::Warning),
            );
            if errors + warnings > 0 {
                super::print_findings(&built.checked, Format::Human, &root)?;
            }
            super::write_stderr(format_args!(
                "built {} pages and {} other files into {} in {} ms for {today}{}; open {}",
                built.pages,
                built.assets,
                out.display(),
                started.elapsed().as_millis(),
                if errors + warnings > 0 {
                    format!(" ({errors} error(s), {warnings} warning(s), listed on health.html)")
                } else {
                    String::new()
                },
                out.join("index.html").display()
            ));
            Ok(ExitCode::SUCCESS)
        }
        Err(BuildError::Findings(checked)) => {
            super::print_findings(&checked, Format::Human, &root)?;
            super::write_stderr(format_args!(
                "error: not building: {} error(s), {} warning(s){}; {} is untouched",
                checked.count(Level::Error),
                checked.count(Level::Warning),
                match gate {
                    Gate::Structural => " (structural errors: the org cannot be read whole)",
                    Gate::Errors => " (--strict)",
                    Gate::Warnings => " (warnings denied)",
                },
                out.display()
            ));
            Ok(ExitCode::FAILURE)
        }
        Err(BuildError::Render(e)) if e.is_io() => {
            Err(format!("{e}\n{} is untouched", out.display()))
        }
        Err(BuildError::Render(e)) => {
            super::write_stderr(format_args!("error: {e}\n{} is untouched", out.display()));
            Ok(ExitCode::FAILURE)
        }
        Err(e @ (BuildError::Refused(_) | BuildError::Io(_))) => Err(e.to_string()),
    }
}
