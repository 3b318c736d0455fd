//! `accord diff --base REV`: the review summary of a change.

use std::path::Path;
use std::process::ExitCode;

pub fn run(
    base: &str,
    dir: Option<&Path>,
    json: bool,
    today: Option<jiff::civil::Date>,
) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    let diff = accord::diff_against(&root, base, super::today(today))?;
    let text = if json {
        serde_json::to_string_pretty(&diff).map_err(|e| e.to_string())? + "\n"
    } else {
        diff.to_markdown()
    };
    super::write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
