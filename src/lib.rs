//! accord: alignment as code.
//!
//! The data flows one way: [`load`] reads the files of an org into entities with spans,
//! [`resolve`] checks every reference and indexes the org, [`check`] runs the rules, and
//! [`diagnostic`] renders the findings. `main.rs` only parses the command line.

pub mod check;
pub mod diagnostic;
pub mod git;
pub mod load;
pub mod model;
pub mod resolve;
pub mod schema;
pub mod source;

use std::io;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use diagnostic::{Finding, Level};
use load::OrgFiles;
use model::Org;
use source::Sources;

/// The file that marks the root of an org.
pub const ORG_FILE: &str = "accord.toml";

/// An org after load, resolve and check.
#[derive(Debug)]
pub struct Checked {
    pub sources: Sources,
    pub org: Org,
    /// Every finding, sorted by file, then position.
    pub findings: Vec<Finding>,
}

impl Checked {
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether the run fails: any error, or any warning when warnings are denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.count(Level::Error) > 0 || (deny_warnings && self.count(Level::Warning) > 0)
    }
}

/// Loads, resolves and checks the files of an org.
pub fn check_files(files: &OrgFiles, context: &check::Context) -> Checked {
    let resolved = resolve::resolve(load::load(files));
    let mut findings = resolved.findings;
    findings.extend(check::run(&resolved.org, &resolved.lints, context));
    diagnostic::sort(&mut findings, &resolved.sources);
    Checked {
        sources: resolved.sources,
        org: resolved.org,
        findings,
    }
}

/// Reads the org at `root` from disk and checks it for `today`.
pub fn check_dir(root: &Path, today: Date) -> io::Result<Checked> {
    Ok(check_files(
        &OrgFiles::read_dir(root)?,
        &check::Context::on(today),
    ))
}

/// The org at `root` as it was at git revision `rev`, resolved, to compare with.
pub fn read_base(root: &Path, rev: &str) -> Result<check::Base, String> {
    let revision = git::read_revision(root, rev)?;
    Ok(check::Base {
        revision: revision.name,
        date: revision.date,
        org: resolve::resolve(load::load(&revision.files)).org,
    })
}

/// The nearest directory at or above `start` that holds `accord.toml`.
pub fn find_org_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(ORG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// The root of the git work tree that contains `dir`, if any.
pub fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}
