//! The `accord` command line: parses arguments and hands each command to `cmd`.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

/// Alignment as code: the agreements between marketing, sales and the other
/// customer-facing teams, kept as TOML in git, checked in CI.
#[derive(Parser)]
#[command(name = "accord", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load and validate an org; print findings. Exit 0 when no error, 1 when any, 2 on a
    /// usage or I/O problem.
    Check {
        /// The org directory (default: the nearest directory at or above the current one
        /// that holds accord.toml).
        dir: Option<PathBuf>,
        #[command(flatten)]
        checks: CheckArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Compare with the org at this git revision: enables `stale-signature`, and a
        /// finding already there (same rule, file and entity) is pre-existing: reported,
        /// but it fails the run only with --strict.
        #[arg(long, value_name = "REV")]
        base: Option<String>,
    },
    /// Check, then render the site into OUT (default DIR/public), with the findings on
    /// its health page. Only structural errors (and, with --strict, any error) stop it:
    /// then nothing is written. An existing OUT is replaced only by a complete site.
    Build {
        /// The org directory (default: searched upward from the current directory).
        dir: Option<PathBuf>,
        /// Where to write the site (default: DIR/public).
        #[arg(short, long, value_name = "OUT")]
        out: Option<PathBuf>,
        #[command(flatten)]
        checks: CheckArgs,
    },
    /// Build the site in memory, serve it on 127.0.0.1:1111, rebuild on every change and
    /// reload open pages; while the org does not build (structural errors, or any error
    /// with --strict), every page shows why.
    Serve {
        /// The org directory (default: searched upward from the current directory).
        dir: Option<PathBuf>,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the agreements.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the browser `$BROWSER` names, else the desktop's default one.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        checks: CheckArgs,
    },
    /// Write a small, valid org to start from into DIR (new or empty), with a README on
    /// changing agreements by pull request and CI files for GitHub and GitLab.
    Init {
        /// The directory to create.
        dir: PathBuf,
    },
    /// Print a shell completion script: `accord completions bash > ~/.local/share/bash-completion/completions/accord`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `accord man > accord.1`; with `-o DIR`, write one page
    /// per command into DIR (`accord.1`, `accord-check.1`, ...).
    Man {
        /// The directory to write every page into.
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
    /// What changed in the agreements between git revision REV and the working tree, as
    /// a review summary (Markdown fit for a pull-request comment, or JSON).
    Diff {
        /// The base revision: a branch, tag or commit (e.g. origin/main).
        #[arg(long, value_name = "REV")]
        base: String,
        /// The org directory (default: searched upward from the current directory).
        dir: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
        /// The date both sides are checked for (default: the system date).
        #[arg(long, env = "ACCORD_TODAY", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
    },
    /// Print a CODEOWNERS file in which each entity file names the code-host handles of
    /// the people bound by it; with --check FILE, exit 1 when FILE is out of date.
    Codeowners {
        /// The org directory (default: searched upward from the current directory).
        dir: Option<PathBuf>,
        /// Compare with this file instead of printing.
        #[arg(long, value_name = "FILE")]
        check: Option<PathBuf>,
    },
    /// The pack for the monthly review: each term's actual of the month against its target
    /// and budget, KPIs off target and findings, open actions by owner, agreements ending
    /// soon and signatures needed, and what changed in the month.
    Report {
        /// The org directory (default: searched upward from the current directory).
        dir: Option<PathBuf>,
        /// The month reviewed, as 2026-09 (default: the last complete month).
        #[arg(long, value_name = "MONTH")]
        period: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
        format: ReportFormat,
        /// The date the review is for (default: the system date).
        #[arg(long, env = "ACCORD_TODAY", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
    },
    /// Every responsibility of a person or team.
    Who {
        /// A person id or team id.
        id: String,
        /// The org directory (default: searched upward from the current directory).
        dir: Option<PathBuf>,
    },
    /// Sign an agreement for a party: add (or replace) the party's [[signature]], keeping
    /// every other byte of the file. Exit 1 with a finding when PERSON is not a member of
    /// the party; 2 when an id names nothing or the party is ambiguous.
    Sign {
        /// The agreement id (its file stem).
        agreement: String,
        /// The person who signs (a person id).
        #[arg(long = "as", value_name = "PERSON")]
        person: String,
        /// The party signed for (default: the one party PERSON is a member of).
        #[arg(long, value_name = "TEAM")]
        party: Option<String>,
        /// The date of the signature (default: today).
        #[arg(long, value_parser = parse_date)]
        date: Option<jiff::civil::Date>,
        /// The date taken as today, YYYY-MM-DD (default: the system date).
        #[arg(long, env = "ACCORD_TODAY", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
        /// The org directory (default: searched upward from the current directory).
        dir: Option<PathBuf>,
    },
    /// Write the next version of an agreement beside it: same parties, sponsor, referee and
    /// terms, new dates, no signatures, `supersedes` naming the old one.
    Renew {
        /// The agreement to renew.
        agreement: String,
        /// First day in force of the new version.
        #[arg(long, value_parser = parse_date)]
        effective: jiff::civil::Date,
        /// Last day in force of the new version.
        #[arg(long, value_parser = parse_date)]
        expires: jiff::civil::Date,
        /// The new agreement's id (default: the old id with its year replaced by the
        /// effective date's year, else OLD-YEAR).
        #[arg(long, value_name = "NEW")]
        id: Option<String>,
        /// The date taken as today, YYYY-MM-DD (default: the system date).
        #[arg(long, env = "ACCORD_TODAY", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
        /// The org directory (default: searched upward from the current directory).
        dir: Option<PathBuf>,
    },
    /// Compute the actuals of the KPIs with [measure] from their record sets (CRM
    /// exports) and write actuals/<kpi>.csv as period,value,count for every complete
    /// period, keeping the rows of periods no record covers. Exit 1 on a record that
    /// cannot be read (nothing is written), or with --check when a file would change.
    Measure {
        /// The org directory (default: searched upward from the current directory).
        dir: Option<PathBuf>,
        /// The file of a record set, NAME=PATH, instead of its `file` (repeatable): raw
        /// exports hold personal data and may stay outside the repository.
        #[arg(long, value_name = "NAME=PATH", value_parser = cmd::measure::parse_records)]
        records: Vec<(String, PathBuf)>,
        /// A folder holding the record files, by the file names of their `file` (or
        /// NAME.csv, NAME.tsv, NAME.xlsx); --records takes precedence.
        #[arg(long, value_name = "DIR", env = "ACCORD_RECORDS")]
        records_dir: Option<PathBuf>,
        /// Write nothing; exit 1 when an actuals file would change.
        #[arg(long)]
        check: bool,
        /// The date taken as today, YYYY-MM-DD: periods ending before it are complete
        /// (default: the system date).
        #[arg(long, env = "ACCORD_TODAY", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
    },
    /// List the rules with their levels.
    Rules,
    /// Explain why a rule (or a structural error class) exists and what to do, or print
    /// the format reference (`accord explain format`).
    Explain {
        /// A rule id such as `unsigned-agreement`, an error class such as `unknown-key`,
        /// or `format` for the reference of every file kind.
        rule: String,
    },
    /// Write JSON Schemas of the file kinds, for editor completion (Taplo, Even Better TOML).
    Schema {
        /// Directory to write the schemas into; without it, the schemas are listed.
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
}

/// Options shared by the commands that check an org.
#[derive(clap::Args)]
struct CheckArgs {
    /// The date rules take as today, YYYY-MM-DD (default: the system date).
    #[arg(long, env = "ACCORD_TODAY", value_parser = parse_date)]
    today: Option<jiff::civil::Date>,
    /// Fail on every error-level finding: pre-existing ones too (`check --base`), and
    /// no site while any exists (`build`, `serve`; by default only structural errors stop
    /// them and the site shows the findings).
    #[arg(long)]
    strict: bool,
    /// Count warnings as errors; implies --strict.
    #[arg(long)]
    deny_warnings: bool,
}

impl CheckArgs {
    fn gate(&self) -> accord::Gate {
        accord::Gate::of(self.strict, self.deny_warnings)
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// Markdown for an issue or a chat message.
    Markdown,
    /// The site's review page, as HTML.
    Html,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    /// A Markdown summary for a pull-request comment.
    Markdown,
    /// The same as JSON.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style, with a source snippet.
    Human,
    /// A JSON array of findings.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0 (GitHub code scanning, other SARIF viewers).
    Sarif,
    /// JUnit XML, one failure per finding (test report panels).
    Junit,
    /// GitLab Code Quality JSON (merge request widget).
    Gitlab,
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a date: use YYYY-MM-DD, for example 2026-10-15"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(usage) => return print_usage(&usage),
    };
    let result = match cli.command {
        Command::Check {
            dir,
            checks,
            format,
            base,
        } => cmd::check::run(
            dir.as_deref(),
            checks.today,
            base.as_deref(),
            checks.strict,
            checks.deny_warnings,
            match format {
                Format::Human => accord::diagnostic::Format::Human,
                Format::Json => accord::diagnostic::Format::Json,
                Format::Github => accord::diagnostic::Format::Github,
                Format::Sarif => accord::diagnostic::Format::Sarif,
                Format::Junit => accord::diagnostic::Format::Junit,
                Format::Gitlab => accord::diagnostic::Format::Gitlab,
            },
        ),
        Command::Build { dir, out, checks } => {
            cmd::build::run(dir.as_deref(), out.as_deref(), checks.today, checks.gate())
        }
        Command::Serve {
            dir,
            port,
            bind,
            open,
            checks,
        } => cmd::serve::run(
            dir.as_deref(),
            bind,
            port,
            open,
            checks.today,
            checks.gate(),
        ),
        Command::Init { dir } => cmd::init::run(&dir),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "accord", &mut script);
            cmd::write_stdout(&script).map(|()| ExitCode::SUCCESS)
        }
        Command::Man { out } => cmd::man::run(Cli::command(), out.as_deref()),
        Command::Diff {
            base,
            dir,
            format,
            today,
        } => cmd::diff::run(
            &base,
            dir.as_deref(),
            matches!(format, DiffFormat::Json),
            today,
        ),
        Command::Codeowners { dir, check } => {
            cmd::codeowners::run(dir.as_deref(), check.as_deref())
        }
        Command::Who { id, dir } => cmd::who::run(&id, dir.as_deref()),
        Command::Report {
            dir,
            period,
            format,
            today,
        } => cmd::report::run(
            dir.as_deref(),
            period.as_deref(),
            matches!(format, ReportFormat::Html),
            today,
        ),
        Command::Sign {
            agreement,
            person,
            party,
            date,
            today,
            dir,
        } => cmd::sign::run(
            &cmd::sign::Request {
                agreement: &agreement,
                person: &person,
                party: party.as_deref(),
                date,
                today,
            },
            dir.as_deref(),
        ),
        Command::Renew {
            agreement,
            effective,
            expires,
            id,
            today,
            dir,
        } => cmd::renew::run(
            &cmd::renew::Request {
                agreement: &agreement,
                effective,
                expires,
                id: id.as_deref(),
                today,
            },
            dir.as_deref(),
        ),
        Command::Measure {
            dir,
            records,
            records_dir,
            check,
            today,
        } => cmd::measure::run(
            cmd::measure::Request {
                records,
                folder: records_dir,
                check,
                today,
            },
            dir.as_deref(),
        ),
        Command::Rules => cmd::rules::list(),
        Command::Explain { rule } => cmd::rules::explain(&rule),
        Command::Schema { out } => cmd::schema::run(out.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            cmd::write_stderr(format_args!("error: {error}"));
            ExitCode::from(2)
        }
    }
}

/// Prints what clap has to say (help and version on stdout, with exit code 0; a usage
/// error on stderr, exit code 2) through the same output path as every command, so that
/// `accord --help > /dev/full` is an I/O error rather than a silent success.
fn print_usage(usage: &clap::Error) -> ExitCode {
    let text = usage.render().ansi().to_string();
    if usage.use_stderr() {
        cmd::write_stderr(text.trim_end());
    } else if let Err(error) = cmd::write_stdout(text.as_bytes()) {
        cmd::write_stderr(format_args!("error: {error}"));
        return ExitCode::from(2);
    }
    ExitCode::from(u8::try_from(usage.exit_code()).unwrap_or(2))
}
