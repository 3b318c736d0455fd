//! `accord man`: the man pages, one per command as git and cargo have them.

use std::path::Path;
use std::process::ExitCode;

/// Prints the main page without `out`; with it, writes `accord.1` and one
/// `accord-<command>.1` per subcommand into that directory.
pub fn run(cli: clap::Command, out: Option<&Path>) -> Result<ExitCode, String> {
    let Some(out) = out else {
        super::write_stdout(&render(cli)?)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let pages = pages(cli);
    for (name, command) in &pages {
        let path = out.join(format!("{name}.1"));
        let page = render(command.clone())?;
        std::fs::write(&path, page).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    super::write_stderr(format_args!(
        "wrote {} man pages to {}",
        pages.len(),
        out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// (page name, command) for the main page and every subcommand: `accord-check` is
/// titled so and shows `accord check` in its synopsis.
pub fn pages(cli: clap::Command) -> Vec<(String, clap::Command)> {
    let main = cli.get_name().to_owned();
    let subcommands: Vec<_> = cli
        .get_subcommands()
        .map(|sub| {
            let name = format!("{main}-{}", sub.get_name());
            let command = sub
                .clone()
                .display_name(name.clone())
                .bin_name(format!("{main} {}", sub.get_name()));
            (name, command)
        })
        .collect();
    std::iter::once((main, cli)).chain(subcommands).collect()
}

/// The date in the pages' title line: when the command line last changed. A fixed date
/// keeps the pages reproducible; without one, `man` shows the version where the date goes.
const PAGES_DATE: &str = "2026-12-03";

fn render(command: clap::Command) -> Result<Vec<u8>, String> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .source(concat!("accord ", env!("CARGO_PKG_VERSION")))
        .date(PAGES_DATE)
        .render(&mut page)
        .map_err(|e| format!("cannot write the man page: {e}"))?;
    let page = String::from_utf8(page).map_err(|e| format!("the man page is not UTF-8: {e}"))?;
    // clap_mangen separates an option's help from its list of values with a line break,
    // an empty line and a line break, which mandoc -Tlint flags (`.br` around a paragraph
    // break): one paragraph break shows the same.
    Ok(page.replace("\n.br\n\n.br\n", "\n.sp\n").into_bytes())
}
