//! `accord init DIR`: a starter org.

use std::path::Path;
use std::process::ExitCode;

use accord::init::Repository;

pub fn run(dir: &Path) -> Result<ExitCode, String> {
    let done = accord::init::init(dir, super::today(None)).map_err(|e| e.to_string())?;
    match &done.repository {
        Repository::Started => super::write_stderr(format_args!(
            "started a git repository on branch main in {}",
            dir.display()
        )),
        Repository::NotStarted(why) => super::write_stderr(format_args!(
            "note: {} is not in a git repository and none was started ({why}): run `git init -b main` there",
            dir.display()
        )),
        Repository::Existing => {}
    }
    for skipped in &done.skipped {
        super::write_stderr(format_args!(
            "skipped {}: it already exists (left as it was)",
            skipped.display()
        ));
    }
    let prefix = accord::repo_prefix(dir);
    if !prefix.is_empty() {
        super::write_stderr(format_args!(
            "note: {} is inside a git repository (as {prefix}); GitHub and GitLab read CI files and CODEOWNERS only at the repository root: move .github/, .gitlab-ci.yml and CODEOWNERS there",
            dir.display()
        ));
    }
    super::write_stderr(format_args!(
        "wrote a starter org ({} files) into {}\nnext: `accord check {1}` and `accord serve {1}`, then read {1}/README.md",
        done.written.len(),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
