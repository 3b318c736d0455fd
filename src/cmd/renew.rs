//! `accord renew AGREEMENT --effective DATE --expires DATE [--id NEW]`: writes the next
//! version of an agreement beside it, unsigned, with `supersedes` naming the old one.
//!
//! Exit codes: 0 written; 1 the org has structural errors (printed); 2 the command line
//! names no such agreement, the dates or the new id are not acceptable, or the new file
//! or id already exists.

use std::path::Path;
use std::process::ExitCode;

use accord::check::Context;
use accord::diagnostic::Finding;
use accord::edit::{self, Renewal};
use accord::load::{ID_HELP, OrgFiles, is_valid_id};
use jiff::civil::Date;

/// What the command line asks for.
pub struct Request<'a> {
    pub agreement: &'a str,
    pub effective: Date,
    pub expires: Date,
    pub id: Option<&'a str>,
    pub today: Option<Date>,
}

pub fn run(request: &Request, dir: Option<&Path>) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    let today = super::today(request.today);
    if request.expires <= request.effective {
        return Err(format!(
            "--expires {} must be after --effective {}",
            request.expires, request.effective
        ));
    }
    let files = OrgFiles::read_dir(&root).map_err(|e| format!("cannot read the org: {e}"))?;
    let checked = accord::check_files(&files, &Context::on(today));
    if let Some(code) = super::refuse_structural(&checked, "not renewing") {
        return Ok(code);
    }
    let old = super::sign::find_agreement(&checked.org, request.agreement)?;
    let (old_year, new_year) = (old.effective.value.year(), request.effective.year());
    let id = match request.id {
        Some(id) if !is_valid_id(id) => {
            return Err(format!("--id `{id}` is not a valid id: {ID_HELP}"));
        }
        Some(id) => id.to_owned(),
        None => next_id(old.id.as_str(), old_year, new_year),
    };
    if checked.org.agreements.contains_key(id.as_str()) {
        return Err(format!(
            "agreement `{id}` already exists: pass --id with a new id"
        ));
    }
    let old_file = checked.sources.get(old.file);
    let path = match old_file.path.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{id}.toml"),
        None => format!("{id}.toml"),
    };
    let target = root.join(&path);
    if target.symlink_metadata().is_ok() {
        return Err(format!(
            "{path} already exists: pass --id with a new id, or remove it"
        ));
    }
    let text = edit::renew(
        &old_file.text,
        Renewal {
            supersedes: old.id.as_str(),
            effective: request.effective,
            expires: request.expires,
            title_year: Some((old_year, new_year)),
        },
    )
    .map_err(|e| format!("cannot renew {}: {e}", old_file.path))?;
    let after = accord::check_files(
        &accord::with_file(&files, &path, &text),
        &Context::on(today),
    );
    let renewed = after
        .org
        .agreements
        .get(id.as_str())
        .is_some_and(|a| a.supersedes.as_ref().is_some_and(|s| s.value == old.id));
    if !renewed || after.findings.iter().any(Finding::is_structural) {
        return Err(format!(
            "the renewal of {} would not load; nothing was written (please report this)",
            old_file.path
        ));
    }
    edit::write_atomically(&target, &text, false)
        .map_err(|e| format!("cannot write {path}: {e}"))?;
    super::write_stderr(format_args!(
        "wrote {path}: agreement `{id}` supersedes `{}`, from {} to {}, unsigned; agree the terms, then each party signs (`accord sign {id} --as PERSON`)",
        old.id, request.effective, request.expires
    ));
    Ok(ExitCode::SUCCESS)
}

/// The id of the renewal of `old`: its year `old_year` (or else its last year) replaced
/// by `new_year` (`marketing-sales-2026` -> `marketing-sales-2027`), else `OLD-NEWYEAR`.
fn next_id(old: &str, old_year: i16, new_year: i16) -> String {
    let parts: Vec<&str> = old.split('-').collect();
    let is_year = |p: &&str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit());
    let at = parts
        .iter()
        .rposition(|p| *p == old_year.to_string())
        .or_else(|| parts.iter().rposition(is_year));
    match at {
        Some(at) => {
            let new_year = new_year.to_string();
            let mut parts = parts;
            parts[at] = &new_year;
            parts.join("-")
        }
        None => format!("{old}-{new_year}"),
    }
}

#[cfg(test)]
mod tests {
    use super::next_id;

    #[test]
    fn the_next_id_takes_the_new_year() {
        assert_eq!(
            next_id("marketing-sales-2026", 2026, 2027),
            "marketing-sales-2027"
        );
        assert_eq!(next_id("sla-2025-q4", 2026, 2027), "sla-2027-q4");
        assert_eq!(next_id("2026-sla-2026", 2026, 2027), "2026-sla-2027");
        assert_eq!(
            next_id("marketing-sales", 2026, 2027),
            "marketing-sales-2027"
        );
    }
}
