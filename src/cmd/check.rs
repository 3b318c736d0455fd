//! `accord check`: findings in one of three formats, and the exit code.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use accord::check::Context;
use accord::diagnostic::{Format, Level};

pub fn run(
    dir: Option<&Path>,
    today: Option<jiff::civil::Date>,
    base: Option<&str>,
    strict: bool,
    deny_warnings: bool,
    format: Format,
) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    let started = Instant::now();
    let today = super::today(today);
    let base = base
        .map(|rev| accord::read_base(&root, rev, today))
        .transpose()?;
    let context = Context {
        today,
        base: base.as_ref().map(|b| &b.base),
        origins: None,
    };
    let mut checked = accord::check_dir_with_history(&root, &context, &Default::default())
        .map_err(|e| format!("cannot read the org: {e}"))?;
    if let Some(base) = &base {
        base.baseline.mark(&mut checked.findings, &checked.sources);
    }
    super::print_findings(&checked, format, &root)?;
    if let Some(note) = checked.provenance.note() {
        super::write_stderr(format_args!("note: {note}"));
    }
    if format == Format::Human {
        let (errors, warnings) = (checked.count(Level::Error), checked.count(Level::Warning));
        super::write_stderr(format_args!(
            "{}: {} checked in {} ms for {today}: {}",
            root.display(),
            plural(checked.sources.len(), "file"),
            started.elapsed().as_millis(),
            if errors + warnings == 0 {
                "no findings".to_owned()
            } else {
                format!(
                    "{}, {}{}",
                    plural(errors, "error"),
                    plural(warnings, "warning"),
                    match errors + warnings - checked.count_new() {
                        0 => String::new(),
                        old => format!(" ({old} pre-existing)"),
                    }
                )
            }
        ));
    }
    let code = if checked.fails(strict, deny_warnings) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    };
    // The process ends when this returns, and the operating system takes its memory back
    // whole: freeing the model one allocation at a time first is some 6 % of a check of a
    // large org. Nothing in it needs its drop to run (no file, lock or buffer to flush;
    // everything was printed above).
    std::mem::forget((checked, base));
    Ok(code)
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
