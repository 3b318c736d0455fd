//! `accord codeowners`: print CODEOWNERS, or check that a file is up to date.

use std::path::Path;
use std::process::ExitCode;

use accord::diagnostic;

pub fn run(dir: Option<&Path>, check: Option<&Path>) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    let checked = accord::check_dir(&root, super::today(None))
        .map_err(|e| format!("cannot read the org: {e}"))?;
    if checked.findings.iter().any(|f| f.is_structural()) {
        // stdout holds CODEOWNERS only (it is redirected into the file): the findings go
        // to stderr, and stdout stays empty.
        let findings = diagnostic::render_human(&checked.findings, &checked.sources, true);
        super::write_stderr(findings.trim_end());
        super::write_stderr(format_args!(
            "error: the org has structural errors, so CODEOWNERS would miss files; fix them first"
        ));
        return Ok(ExitCode::FAILURE);
    }
    let generated = accord::codeowners::codeowners(&checked, &accord::repo_prefix(&root));
    for (person, file) in &generated.without_handle {
        super::write_stderr(format_args!(
            "warning: {person} is bound by {file} but has no `handle` in people.toml; they are left out"
        ));
    }
    let Some(check) = check else {
        super::write_stdout(generated.text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    let regenerate = format!("accord codeowners {} > {}", root.display(), check.display());
    match std::fs::read_to_string(check) {
        Ok(current) if current == generated.text => {
            super::write_stderr(format_args!("{} is up to date", check.display()));
            Ok(ExitCode::SUCCESS)
        }
        Ok(_) => {
            super::write_stderr(format_args!(
                "error: {} is out of date; regenerate it with `{regenerate}`",
                check.display()
            ));
            Ok(ExitCode::FAILURE)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            super::write_stderr(format_args!(
                "error: {} does not exist; create it with `{regenerate}`",
                check.display()
            ));
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(format!("cannot read {}: {e}", check.display())),
    }
}
