//! `accord init DIR`: a starter org.

use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path) -> Result<ExitCode, String> {
    let written = accord::init::init(dir, super::today(None)).map_err(|e| e.to_string())?;
    eprintln!(
        "wrote a starter org ({} files) into {}\nnext: `accord check {1}` and `accord serve {1}`, then read {1}/README.md",
        written.len(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
