//! `accord report`: the pack for the monthly review, as Markdown or as the site's page.

use std::path::Path;
use std::process::ExitCode;

pub fn run(
    dir: Option<&Path>,
    period: Option<&str>,
    html: bool,
    today: Option<jiff::civil::Date>,
) -> Result<ExitCode, String> {
    let root = super::org_root(dir)?;
    let today = super::today(today);
    let month = match period {
        Some(label) => accord::report::parse_month(label)?,
        None => accord::report::last_complete_month(today),
    };
    let text = if html {
        accord::review_page(&root, month, today)?
    } else {
        let (checked, _, report) = accord::review(&root, month, today)?;
        report.to_markdown(&checked.org.settings.name)
    };
    super::write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
