//! One module per command. Each returns the exit code, or a usage / I/O error that
//! `main` prints and maps to exit code 2.

pub mod check;
pub mod rules;
pub mod schema;
pub mod who;

use std::path::{Path, PathBuf};

/// The org root: `dir` itself when given, else the nearest directory at or above the
/// current one with accord.toml.
pub fn org_root(dir: Option<&Path>) -> Result<PathBuf, String> {
    match dir {
        Some(dir) if dir.join(accord::ORG_FILE).is_file() => Ok(dir.to_path_buf()),
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
                    "no {} in {} or any parent directory: pass the org directory, e.g. `accord check example-org`",
                    accord::ORG_FILE,
                    cwd.display()
                )
            })
        }
    }
}

/// Today in the system's time zone, unless the user fixed it.
pub fn today(given: Option<jiff::civil::Date>) -> jiff::civil::Date {
    given.unwrap_or_else(|| jiff::ZonedDateTime::now().date())
}
