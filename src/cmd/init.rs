//! `accord init DIR`: a starter org.

use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path) -> Result<ExitCode, String> {
    let written = accord::init::init(dir, super::today(None)).map_err(|e| e.to_string())?;
    let prefix = accord::repo_prefix(dir);
    if !prefix.is_empty() {
        super::write_stderr(format_args!(
            "note: {} is inside a git repository (as {prefix}); GitHub and GitLab read CI files and CODEOWNERS only at the repository root: move .github/, .gitlab-ci.yml and CODEOWNERS there",
            dir.display()
        ));
    }
    super::write_stderr(format_args!(
        "wrote a starter org ({} files) into {}\nnext: `accord check {1}` and `accord serve {1}`, then read {1}/README.md",
        written.len(),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
