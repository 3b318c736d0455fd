//! `accord check`: findings in one of three formats, and the exit code.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use accord::check::Context;
use accord::diagnostic::{self, Format, Level};
use accord::load::OrgFiles;

pub fn run(
    dir: Option<&Path>,
    today: Option<jiff::civil::Date>,
    base: Option<&str>,
    deny_warnings: bool,
    format: Format,
) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    let started = Instant::now();
    let today = super::today(today);
    let base = base.map(|rev| accord::read_base(&root, rev)).transpose()?;
    let context = Context {
        today,
        base: base.as_ref(),
    };
    let files = OrgFiles::read_dir(&root).map_err(|e| format!("cannot read the org: {e}"))?;
    let checked = accord::check_files(&files, &context);
    let output = match format {
        Format::Human => diagnostic::render_human(&checked.findings, &checked.sources, true),
        Format::Json => diagnostic::render_json(&checked.findings, &checked.sources),
        Format::Github => {
            diagnostic::render_github(&checked.findings, &checked.sources, &repo_prefix(&root))
        }
    };
    // anstream strips the colours when stdout is not a terminal or NO_COLOR is set.
    let mut stdout = anstream::stdout().lock();
    stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write the findings: {e}"))?;
    if format == Format::Human {
        let (errors, warnings) = (checked.count(Level::Error), checked.count(Level::Warning));
        eprintln!(
            "{}: {} checked in {} ms for {today}: {}",
            root.display(),
            plural(checked.sources.len(), "file"),
            started.elapsed().as_millis(),
            if errors + warnings == 0 {
                "no findings".to_owned()
            } else {
                format!(
                    "{}, {}",
                    plural(errors, "error"),
                    plural(warnings, "warning")
                )
            }
        );
    }
    Ok(if checked.fails(deny_warnings) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The org root's path relative to its git repository's root, as a prefix for paths in
/// GitHub annotations (empty when the org is the repository root or not in one).
fn repo_prefix(root: &Path) -> String {
    let Ok(root) = root.canonicalize() else {
        return String::new();
    };
    let Some(repo) = accord::git_root(&root) else {
        return String::new();
    };
    let relative = root.strip_prefix(&repo).unwrap_or(Path::new(""));
    relative
        .components()
        .map(|c| format!("{}/", c.as_os_str().to_string_lossy()))
        .collect()
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
