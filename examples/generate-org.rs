//! Writes a large, valid org for trying accord at scale:
//!
//! ```sh
//! cargo run --release --example generate-org -- OUT_DIR TEAMS
//! ```
//!
//! TEAMS is rounded up to whole regions of four teams. The org gives no findings with
//! `accord check OUT_DIR --deny-warnings --today 2026-06-15`.

#[path = "../benches/support/generate.rs"]
mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(teams), 2) = (args.first(), args.get(1), args.len()) else {
        eprintln!("usage: generate-org OUT_DIR TEAMS");
        return ExitCode::from(2);
    };
    let Ok(teams) = teams.parse::<usize>() else {
        eprintln!("generate-org: TEAMS must be a whole number, not `{teams}`");
        return ExitCode::from(2);
    };
    let out = PathBuf::from(out);
    if out.join("accord.toml").exists() {
        eprintln!(
            "generate-org: {} already holds an org; give an empty or new directory",
            out.display()
        );
        return ExitCode::from(2);
    }
    match generate::write_org(&out, teams) {
        Ok(c) => {
            println!("wrote {} ({} regions)", out.display(), c.regions);
            println!(
                "entities: {} = {} people + {} teams + {} personas + {} KPIs + {} agreements + {} terms + {} meetings + {} actions",
                c.entities(),
                c.people,
                c.teams,
                c.personas,
                c.kpis,
                c.agreements,
                c.terms,
                c.meetings,
                c.actions
            );
            println!(
                "also: {} signatures, {} actuals rows, {} docs pages",
                c.signatures, c.actual_rows, c.docs
            );
            println!("files: {} ({} bytes)", c.files, c.bytes);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate-org: {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}
