//! `accord rules` and `accord explain`.

use std::fmt::Write as _;
use std::process::ExitCode;

use accord::check::RULES;
use accord::diagnostic::ERROR_CLASSES;
use accord::diagnostic::closest;

pub fn list() -> Result<ExitCode, String> {
    let mut out = String::new();
    let width = RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let _ = writeln!(out, "Rules (level changeable in [lints] of accord.toml):\n");
    for rule in RULES {
        let _ = writeln!(
            out,
            "  {:width$}  {:5}  {}",
            rule.id,
            rule.default_level.word(),
            rule.summary
        );
    }
    let width = ERROR_CLASSES.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let _ = writeln!(out, "\nStructural errors (always errors):\n");
    for class in ERROR_CLASSES {
        let _ = writeln!(
            out,
            "  {:width$}  {}",
            class.id,
            super::first_sentence(class.doc)
        );
    }
    let _ = writeln!(
        out,
        "\n`accord explain RULE` tells why a rule exists and what to do; `accord explain format` prints the format reference."
    );
    super::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The format reference, docs/format.md itself: one text for the repository and the
/// binary, so `accord explain format` never tells another story than the docs.
const FORMAT_REFERENCE: &str = include_str!("../../docs/format.md");

/// What `accord explain` takes, besides rule ids, for the format reference.
const FORMAT_TOPIC: &str = "format";

/// What starts the last paragraph of every explanation: what to do.
const FIX: &str = "What to do: ";

pub fn explain(id: &str) -> Result<ExitCode, String> {
    if id == FORMAT_TOPIC {
        super::write_stdout(FORMAT_REFERENCE.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    if let Some(rule) = accord::check::rule(id) {
        let _ = writeln!(
            out,
            "{} (default level: {})\n\nFires when {}.\n\n{}\n\n{FIX}{}",
            rule.id,
            rule.default_level.word(),
            rule.summary,
            rule.rationale,
            rule.fix
        );
        super::write_stdout(out.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(class) = ERROR_CLASSES.iter().find(|c| c.id == id) {
        let _ = writeln!(
            out,
            "{} (structural error, always an error)\n\n{}\n\n{FIX}{}",
            class.id, class.doc, class.fix
        );
        super::write_stdout(out.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let ids = RULES
        .iter()
        .map(|r| r.id)
        .chain(ERROR_CLASSES.iter().map(|c| c.id))
        .chain([FORMAT_TOPIC]);
    Err(match closest(id, ids) {
        Some(near) => format!("no rule `{id}`; did you mean `{near}`?"),
        None => format!("no rule `{id}`; `accord rules` lists them"),
    })
}
