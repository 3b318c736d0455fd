//! One module per command. Each returns the exit code, or a usage / I/O error that
//! `main` prints and maps to exit code 2.
//!
//! All output goes through [`write_stdout`] and [`write_stderr`], never `println!` or
//! `eprintln!`, which panic (exit 101) when the stream is closed or the disk is full.

pub mod build;
pub mod check;
pub mod codeowners;
pub mod diff;
pub mod init;
pub mod man;
pub mod measure;
pub mod renew;
pub mod report;
pub mod rules;
pub mod schema;
pub mod serve;
pub mod sign;
pub mod who;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use accord::Checked;
use accord::diagnostic::{self, Format};

/// The org root: `dir` itself when given, else the nearest directory at or above the
/// current one with accord.toml.
pub fn org_root(dir: Option<&Path>) -> Result<PathBuf, String> {
    match dir {
        Some(dir) if accord::holds_org_file(dir) => Ok(dir.to_path_buf()),
        Some(dir) if !dir.is_dir() => Err(format!("{} is not a directory", dir.display())),
        Some(dir) => Err(format!(
            "{} has no {}: point at the org's root directory, or run `accord init` to start one",
            dir.display(),
            accord::ORG_FILE
        )),
        None => {
            let cwd = std::env::current_dir()
                .map_err(|e| format!("cannot read the current directory: {e}"))?;
            accord::find_org_root(&cwd).ok_or_else(|| {
                format!(
                    "no {} in {} or any folder above it: run `accord init` to start an org here, or run accord inside an org (or pass its folder)",
                    accord::ORG_FILE,
                    cwd.display()
                )
            })
        }
    }
}

/// Today in the system's time zone, unless the user fixed it.
pub fn today(given: Option<jiff::civil::Date>) -> jiff::civil::Date {
    accord::today_or_system(given)
}

/// Writes `text` to stdout. A reader that went away (`accord check | head -1`) is not an
/// error: the rest of the output was not wanted, and the exit code stays the one the run
/// has earned (1 for an org with errors), as it would without the pipe. Any other
/// failure, a full disk for one, loses output the user asked for: an I/O error, exit 2.
pub fn write_stdout(text: &[u8]) -> Result<(), String> {
    let mut stdout = anstream::stdout().lock();
    match stdout.write_all(text).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Writes `line` and a newline to stderr: progress, notes, warnings, error messages.
/// When stderr is closed or full the line is lost, since there is nowhere left to say
/// so; the exit code still tells how the run went.
pub fn write_stderr(line: impl std::fmt::Display) {
    let _ = writeln!(anstream::stderr().lock(), "{line}");
}

/// Prints the findings to stdout in `format`; colours only reach a terminal (anstream
/// strips them otherwise, and honours NO_COLOR).
pub fn print_findings(checked: &Checked, format: Format, root: &Path) -> Result<(), String> {
    let (findings, sources) = (&checked.findings, &checked.sources);
    let output = match format {
        Format::Human => diagnostic::render_human(findings, sources, true),
        Format::Json => diagnostic::render_json(findings, sources),
        Format::Github => diagnostic::render_github(findings, sources, &accord::repo_prefix(root)),
        Format::Sarif => {
            diagnostic::render_sarif(findings, sources, &accord::repo_prefix(root), &summary)
        }
        Format::Junit => diagnostic::render_junit(findings, sources, &accord::repo_prefix(root)),
        Format::Gitlab => diagnostic::render_gitlab(findings, sources, &accord::repo_prefix(root)),
    };
    write_stdout(output.as_bytes())
}

/// A rule's or error class's description in one line, as `accord rules` lists it.
pub fn summary(id: &str) -> String {
    if let Some(rule) = accord::check::rule(id) {
        return format!("Fires when {}.", rule.summary);
    }
    diagnostic::ERROR_CLASSES
        .iter()
        .find(|c| c.id == id)
        .map_or_else(
            || id.to_owned(),
            |class| first_sentence(class.doc).to_owned(),
        )
}

/// The first sentence of an error class's documentation, without its full stop.
pub fn first_sentence(doc: &str) -> &str {
    doc.split(". ").next().unwrap_or(doc).trim_end_matches('.')
}

/// Prints findings that stop a command from writing, rustc-style, to stderr (colours only
/// reach a terminal).
pub fn print_refusal(findings: &[accord::diagnostic::Finding], sources: &accord::source::Sources) {
    let text = diagnostic::render_human(findings, sources, true);
    let _ = anstream::stderr().lock().write_all(text.as_bytes());
}

/// The org's structural errors, printed with `what` (the command that will not write),
/// or `None` when it has none: an edit is only made to an org that loads whole.
pub fn refuse_structural(checked: &Checked, what: &str) -> Option<ExitCode> {
    let errors: Vec<_> = checked
        .findings
        .iter()
        .filter(|f| f.is_structural())
        .cloned()
        .collect();
    if errors.is_empty() {
        return None;
    }
    print_refusal(&errors, &checked.sources);
    write_stderr(format_args!(
        "error: {what}: the org has {} structural error(s); fix them first (`accord check`), nothing was written",
        errors.len()
    ));
    Some(ExitCode::FAILURE)
}

/// The error for an id that names nothing of its kind (`noun`), with the ids the user
/// probably meant: those starting with it (people are looked up by first name), else
/// the closest.
pub fn unknown(noun: &str, id: &str, candidates: &[&str]) -> String {
    let starting: Vec<String> = candidates
        .iter()
        .filter(|c| c.starts_with(id))
        .map(|c| format!("`{c}`"))
        .collect();
    let near = if starting.is_empty() {
        diagnostic::closest(id, candidates.iter().copied()).map(|n| format!("`{n}`"))
    } else {
        Some(starting.join(" or "))
    };
    match near {
        Some(near) => format!("no {noun} `{id}`; did you mean {near}?"),
        None => format!("no {noun} `{id}`"),
    }
}
