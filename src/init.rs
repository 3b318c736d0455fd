//! `accord init`: a small, valid org to start from, with its CI files.
//!
//! The starter files live in `starter/` and are embedded; dates in them are written
//! relative to the day of `init`, so the new org passes `check --deny-warnings` that
//! day (its one open action falls due two weeks later, as real ones do).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::ToSpan;
use jiff::civil::Date;

/// (path in the new org, content with `@TODAY@`-style placeholders).
const STARTER: &[(&str, &str)] = &[
    ("README.md", include_str!("../starter/README.md")),
    (".gitignore", include_str!("../starter/.gitignore")),
    (
        ".github/workflows/accord.yml",
        include_str!("../starter/.github/workflows/accord.yml"),
    ),
    (".gitlab-ci.yml", include_str!("../starter/.gitlab-ci.yml")),
    ("accord.toml", include_str!("../starter/accord.toml")),
    ("people.toml", include_str!("../starter/people.toml")),
    (
        "teams/leadership.toml",
        include_str!("../starter/teams/leadership.toml"),
    ),
    (
        "teams/marketing.toml",
        include_str!("../starter/teams/marketing.toml"),
    ),
    (
        "teams/sales.toml",
        include_str!("../starter/teams/sales.toml"),
    ),
    (
        "teams/revenue-operations.toml",
        include_str!("../starter/teams/revenue-operations.toml"),
    ),
    (
        "personas/ideal-customer.toml",
        include_str!("../starter/personas/ideal-customer.toml"),
    ),
    (
        "kpis/leads-created.toml",
        include_str!("../starter/kpis/leads-created.toml"),
    ),
    (
        "kpis/meetings-booked.toml",
        include_str!("../starter/kpis/meetings-booked.toml"),
    ),
    (
        "kpis/speed-to-call.toml",
        include_str!("../starter/kpis/speed-to-call.toml"),
    ),
    (
        "agreements/marketing-sales-sla.toml",
        include_str!("../starter/agreements/marketing-sales-sla.toml"),
    ),
    (
        "meetings/smarketing-weekly.toml",
        include_str!("../starter/meetings/smarketing-weekly.toml"),
    ),
    (
        "meetings/smarketing-monthly.toml",
        include_str!("../starter/meetings/smarketing-monthly.toml"),
    ),
    (
        "docs/how-we-work.md",
        include_str!("../starter/docs/how-we-work.md"),
    ),
];

/// Why `init` wrote nothing.
#[derive(Debug)]
pub enum InitError {
    /// The directory exists and is not empty.
    NotEmpty(PathBuf),
    Io(io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::NotEmpty(dir) => write!(
                f,
                "{} is not empty: `accord init` only writes into a new or empty directory",
                dir.display()
            ),
            InitError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Writes the starter org into `dir` (created if needed; must be empty) for `today`,
/// with the JSON Schemas its files point at. Returns the files written.
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>, InitError> {
    if dir.exists() {
        // A fresh `git init` or clone of an empty repository holds only `.git`: still
        // empty for our purpose.
        let entries = fs::read_dir(dir).map_err(InitError::Io)?;
        for entry in entries {
            let entry = entry.map_err(InitError::Io)?;
            if !entry.file_name().to_string_lossy().starts_with('.') {
                return Err(InitError::NotEmpty(dir.to_path_buf()));
            }
        }
    }
    // An agreement of a year less a day, so `agreement-too-long` stays quiet.
    let expires = today.saturating_add(364.days());
    let due = today.saturating_add(14.days());
    let fill = |text: &str| {
        text.replace("@TODAY@", &today.to_string())
            .replace("@EXPIRES@", &expires.to_string())
            .replace("@DUE@", &due.to_string())
            .replace("@YEAR@", &today.year().to_string())
    };
    let schemas = crate::schema::json_schemas();
    let schema_files = schemas.iter().map(|(name, schema)| {
        let text = serde_json::to_string_pretty(schema).unwrap_or_default() + "\n";
        (format!(".schemas/{name}"), text)
    });
    let files = STARTER
        .iter()
        .map(|(path, text)| ((*path).to_owned(), fill(text)))
        .chain(schema_files);
    let mut written = Vec::new();
    for (path, text) in files {
        written.push(write(dir, &path, &text)?);
    }
    // CODEOWNERS is generated from the starter org itself, so CI's check of it passes
    // from the first pull request (paths relative to the repository, if DIR is in one).
    let checked = crate::check_dir(dir, today).map_err(InitError::Io)?;
    let owners = crate::codeowners::codeowners(&checked, &crate::repo_prefix(dir));
    written.push(write(dir, "CODEOWNERS", &owners.text)?);
    Ok(written)
}

fn write(dir: &Path, path: &str, text: &str) -> Result<PathBuf, InitError> {
    let target = dir.join(path);
    let named = |e: io::Error| {
        InitError::Io(io::Error::new(
            e.kind(),
            format!("{}: {e}", target.display()),
        ))
    };
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(named)?;
    }
    fs::write(&target, text).map_err(named)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::OrgFiles;

    #[test]
    fn the_starter_org_is_clean_until_its_first_action_is_due() {
        let today = jiff::civil::date(2026, 11, 25);
        let dir = std::env::temp_dir().join(format!("accord-init-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let written = init(&dir, today).unwrap();
        assert!(written.len() > 20);
        let files = OrgFiles::read_dir(&dir).unwrap();
        for day in [today, today.saturating_add(14.days())] {
            let checked = crate::check_files(&files, &crate::check::Context::on(day));
            let found: Vec<_> = checked
                .findings
                .iter()
                .map(|f| (f.rule, f.message.clone()))
                .collect();
            assert!(found.is_empty(), "{day}: {found:?}");
        }
        assert!(matches!(init(&dir, today), Err(InitError::NotEmpty(_))));
        fs::remove_dir_all(&dir).unwrap();
    }
}
