//! `accord measure [DIR] [--records NAME=PATH]... [--check]`: writes the actuals of the
//! measured KPIs from their record sets (SPEC 7.7).
//!
//! Exit codes: 0 written (or, with --check, up to date); 1 findings (nothing written),
//! or with --check a file that would change; 2 a usage or I/O problem.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord::measure::RecordPaths;
use jiff::civil::Date;

/// What the command line asks for.
pub struct Request {
    pub records: Vec<(String, PathBuf)>,
    pub folder: Option<PathBuf>,
    pub check: bool,
    pub today: Option<Date>,
}

/// `NAME=PATH` of `--records`.
pub fn parse_records(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_owned(), PathBuf::from(path)))
        }
        _ => Err(format!(
            "`{text}` is not NAME=PATH: write the record set's name, `=`, and the export's path, e.g. leads=~/exports/leads.csv"
        )),
    }
}

pub fn run(request: Request, dir: Option<&Path>) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    let today = super::today(request.today);
    let paths = RecordPaths {
        files: request.records.into_iter().collect(),
        folder: request.folder,
    };
    let run = accord::measure_dir(&root, &paths, today)
        .map_err(|e| format!("cannot read the org: {e}"))?;
    if !run.findings.is_empty() {
        super::print_refusal(&run.findings, &run.sources);
        super::write_stderr(format_args!(
            "error: not measuring: {} problem(s) above; nothing was written",
            run.findings.len()
        ));
        return Ok(ExitCode::FAILURE);
    }
    let changed: Vec<_> = run.files.iter().filter(|f| f.changes()).collect();
    if request.check {
        for file in &changed {
            super::write_stderr(format_args!(
                "{} is out of date: run `accord measure`",
                file.path
            ));
        }
        return Ok(if changed.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    for file in &changed {
        let path = root.join(&file.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                accord::edit::write_atomically(&path, &file.after, file.before.is_some())
            });
        written.map_err(|e| format!("cannot write {}: {e}", file.path))?;
        super::write_stderr(format_args!(
            "wrote {} ({} measured period(s))",
            file.path, file.measured
        ));
    }
    if changed.is_empty() {
        super::write_stderr(format_args!(
            "{} actuals file(s) up to date",
            run.files.len()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
