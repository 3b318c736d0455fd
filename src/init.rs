//! `accord init`: a small, valid org to start from, with its CI files.
//!
//! The starter files live in `starter/` and are embedded; dates and periods in them are
//! written relative to the day of `init`, so the new org passes `check --deny-warnings`
//! that day (its one open action falls due two weeks later, as real ones do, and its
//! sample actuals end with the last complete week and month).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use jiff::ToSpan;
use jiff::civil::Date;

use crate::model::{Period, PeriodLabel};

/// (path in the new org, content with `@TODAY@`-style placeholders).
const STARTER: &[(&str, &str)] = &[
    ("README.md", include_str!("../starter/README.md")),
    (".gitignore", include_str!("../starter/.gitignore")),
    (
        ".github/workflows/accord.yml",
        include_str!("../starter/.github/workflows/accord.yml"),
    ),
    (".gitlab-ci.yml", include_str!("../starter/.gitlab-ci.yml")),
    ("accord.toml", include_str!("../starter/accord.toml")),
    ("people.toml", include_str!("../starter/people.toml")),
    (
        "teams/leadership.toml",
        include_str!("../starter/teams/leadership.toml"),
    ),
    (
        "teams/marketing.toml",
        include_str!("../starter/teams/marketing.toml"),
    ),
    (
        "teams/sales.toml",
        include_str!("../starter/teams/sales.toml"),
    ),
    (
        "teams/revenue-operations.toml",
        include_str!("../starter/teams/revenue-operations.toml"),
    ),
    (
        "personas/ideal-customer.toml",
        include_str!("../starter/personas/ideal-customer.toml"),
    ),
    (
        "kpis/leads-created.toml",
        include_str!("../starter/kpis/leads-created.toml"),
    ),
    (
        "kpis/meetings-booked.toml",
        include_str!("../starter/kpis/meetings-booked.toml"),
    ),
    (
        "kpis/speed-to-call.toml",
        include_str!("../starter/kpis/speed-to-call.toml"),
    ),
    (
        "actuals/leads-created.csv",
        include_str!("../starter/actuals/leads-created.csv"),
    ),
    (
        "actuals/meetings-booked.csv",
        include_str!("../starter/actuals/meetings-booked.csv"),
    ),
    (
        "actuals/speed-to-call.csv",
        include_str!("../starter/actuals/speed-to-call.csv"),
    ),
    (
        "agreements/marketing-sales-sla.toml",
        include_str!("../starter/agreements/marketing-sales-sla.toml"),
    ),
    (
        "meetings/smarketing-weekly.toml",
        include_str!("../starter/meetings/smarketing-weekly.toml"),
    ),
    (
        "meetings/smarketing-monthly.toml",
        include_str!("../starter/meetings/smarketing-monthly.toml"),
    ),
    (
        "docs/how-we-work.md",
        include_str!("../starter/docs/how-we-work.md"),
    ),
];

/// The address of accord's repository, whose releases the CI files install: written
/// once, in Cargo.toml.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The CI files install the release of the accord that wrote them, so CI checks with
/// the same rules the team ran locally.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The values of the `@ACCORD_...@` placeholders in the CI files and the README.
fn release_placeholders() -> [(&'static str, String); 4] {
    // `owner/name`, as `uses:` names an action and raw.githubusercontent.com a file.
    let github_path = REPOSITORY.trim_start_matches("https://github.com/");
    [
        ("@ACCORD_VERSION@", VERSION.to_owned()),
        ("@ACCORD_REPOSITORY@", REPOSITORY.to_owned()),
        ("@ACCORD_ACTION@", github_path.to_owned()),
        (
            "@ACCORD_GITLAB_TEMPLATE@",
            format!(
                "https://raw.githubusercontent.com/{github_path}/v{VERSION}/ci/accord.gitlab-ci.yml"
            ),
        ),
    ]
}

/// Why `init` wrote nothing.
#[derive(Debug)]
pub enum InitError {
    /// The directory already holds an org (an `accord.toml`).
    AlreadyAnOrg(PathBuf),
    Io(io::Error),
}

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InitError::AlreadyAnOrg(dir) => write!(
                f,
                "{} already holds an org (accord.toml): `accord init` starts a new one; run `accord check {0}` instead",
                dir.display()
            ),
            InitError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// What `init` did.
#[derive(Debug)]
pub struct Initialized {
    /// The files written.
    pub written: Vec<PathBuf>,
    /// Starter files left alone because a file of that name was already there.
    pub skipped: Vec<PathBuf>,
    pub repository: Repository,
}

/// The git repository the new org lives in.
#[derive(Debug, PartialEq, Eq)]
pub enum Repository {
    /// DIR was already inside a git work tree.
    Existing,
    /// DIR was not: `git init -b main` started one.
    Started,
    /// DIR was not, and git could not start one (git missing, or too old for `-b`).
    NotStarted(String),
}

/// Writes the starter org into `dir` (created if needed) for `today`, with the JSON
/// Schemas its files point at, and starts a git repository on `main` when `dir` is
/// not in one. A file that already exists is never overwritten: a fresh clone's
/// README, LICENSE or .gitignore stays as it is, and is reported as skipped.
pub fn init(dir: &Path, today: Date) -> Result<Initialized, InitError> {
    if dir.join("accord.toml").exists() {
        return Err(InitError::AlreadyAnOrg(dir.to_path_buf()));
    }
    fs::create_dir_all(dir).map_err(InitError::Io)?;
    // The repository first, so that CODEOWNERS below is written relative to its root.
    let repository = if crate::git_root(&dir.canonicalize().map_err(InitError::Io)?).is_some() {
        Repository::Existing
    } else {
        match crate::git::git(dir, &["init", "-q", "-b", "main"]) {
            Ok(_) => Repository::Started,
            Err(why) => Repository::NotStarted(why),
        }
    };
    // An agreement of a year less a day, so `agreement-too-long` stays quiet.
    let expires = today.saturating_add(364.days());
    let due = today.saturating_add(14.days());
    let release = release_placeholders();
    // The sample actuals end with the last complete period, so `stale-actuals` is quiet
    // on the day of init and speaks up when the next number is due.
    let last = |period: Period, date: Date| PeriodLabel::last_complete(period, date);
    let last_month = last(Period::Month, today);
    let last_week = last(Period::Week, today);
    let month_before = last(Period::Month, today.saturating_sub(1.month()));
    let week_before = last(Period::Week, today.saturating_sub(7.days()));
    let fill = |text: &str| {
        let dated = text
            .replace("@TODAY@", &today.to_string())
            .replace("@EXPIRES@", &expires.to_string())
            .replace("@DUE@", &due.to_string())
            .replace("@YEAR@", &today.year().to_string())
            .replace("@LAST_MONTH@", &last_month.to_string())
            .replace("@MONTH_BEFORE@", &month_before.to_string())
            // The plan starts with the sample actuals, so its months to date have numbers.
            .replace("@PLAN_START@", &format!("{month_before}-01"))
            .replace("@LAST_WEEK@", &last_week.to_string())
            .replace("@WEEK_BEFORE@", &week_before.to_string());
        release.iter().fold(dated, |text, (placeholder, value)| {
            text.replace(placeholder, value)
        })
    };
    let schemas = crate::schema::json_schemas();
    let schema_files = schemas.iter().map(|(name, schema)| {
        let text = serde_json::to_string_pretty(schema).unwrap_or_default() + "\n";
        (format!(".schemas/{name}"), text)
    });
    let files = STARTER
        .iter()
        .map(|(path, text)| ((*path).to_owned(), fill(text)))
        .chain(schema_files);
    let mut done = Initialized {
        written: Vec::new(),
        skipped: Vec::new(),
        repository,
    };
    for (path, text) in files {
        write_new(dir, &path, &text, &mut done)?;
    }
    // CODEOWNERS is generated from the starter org itself, so CI's check of it passes
    // from the first pull request (paths relative to the repository, if DIR is in one).
    let checked = crate::check_dir(dir, today).map_err(InitError::Io)?;
    let owners = crate::codeowners::codeowners(&checked, &crate::repo_prefix(dir));
    write_new(dir, "CODEOWNERS", &owners.text, &mut done)?;
    Ok(done)
}

/// Writes `path` unless something of that name exists (checked by the create itself,
/// so not even a file that appears meanwhile, or a symbolic link, is overwritten).
fn write_new(dir: &Path, path: &str, text: &str, done: &mut Initialized) -> Result<(), InitError> {
    let target = dir.join(path);
    let named = |e: io::Error| {
        InitError::Io(io::Error::new(
            e.kind(),
            format!("{}: {e}", target.display()),
        ))
    };
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(named)?;
    }
    let created = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target);
    match created {
        Ok(mut file) => {
            file.write_all(text.as_bytes()).map_err(named)?;
            done.written.push(target);
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => done.skipped.push(target),
        Err(e) => return Err(named(e)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::OrgFiles;

    #[test]
    fn the_starter_org_is_clean_and_only_asks_for_new_numbers_until_its_action_is_due() {
        let today = jiff::civil::date(2026, 11, 25);
        let dir = std::env::temp_dir().join(format!("accord-init-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let done = init(&dir, today).unwrap();
        assert!(done.written.len() > 20);
        assert!(done.skipped.is_empty());
        let files = OrgFiles::read_dir(&dir).unwrap();
        let found_on = |day: Date| -> Vec<(&str, String)> {
            let checked = crate::check_files(&files, &crate::check::Context::on(day));
            checked
                .findings
                .iter()
                .map(|f| (f.rule, f.message.clone()))
                .collect()
        };
        assert_eq!(found_on(today), []);
        // Until the action falls due, the only news is the numbers that came due: the
        // weekly speed to call, and the months too once December began; without
        // November's numbers the plan to date (September to November) is behind, at both
        // of its stages.
        let later = today.saturating_add(14.days());
        let rules: Vec<&str> = found_on(later).into_iter().map(|(rule, _)| rule).collect();
        assert_eq!(
            rules,
            [
                "plan-behind",
                "plan-behind",
                "stale-actuals",
                "stale-actuals",
                "stale-actuals"
            ],
            "{later}"
        );
        assert!(matches!(init(&dir, today), Err(InitError::AlreadyAnOrg(_))));
        fs::remove_dir_all(&dir).unwrap();
    }

    /// One starter file of every kind explains its keys: each key written in it has a
    /// comment on its line, or just above it, at least once.
    #[test]
    fn every_file_kind_has_a_commented_example() {
        // Per file kind, the starter files that explain it together.
        let examples: [&[&str]; 8] = [
            &["accord.toml"],
            &["people.toml"],
            &["teams/marketing.toml"],
            &["personas/ideal-customer.toml"],
            &["kpis/speed-to-call.toml", "kpis/meetings-booked.toml"],
            &["agreements/marketing-sales-sla.toml"],
            &["meetings/smarketing-monthly.toml"],
            &["docs/how-we-work.md"],
        ];
        for paths in examples {
            let mut written = std::collections::BTreeSet::new();
            let mut explained = std::collections::BTreeSet::new();
            for path in paths {
                let (_, text) = STARTER.iter().find(|(p, _)| p == path).expect(path);
                // The TOML of a docs page is its front matter, between `+++` lines.
                let toml = match text.split("+++").nth(1) {
                    Some(front_matter) if path.ends_with(".md") => front_matter,
                    _ => text,
                };
                let mut in_string = false;
                let mut previous = "";
                for line in toml.lines() {
                    let was_in_string = in_string;
                    in_string ^= line.matches("\"\"\"").count() % 2 == 1;
                    let key = line
                        .split_once('=')
                        .map(|(key, _)| key.trim())
                        .filter(|key| {
                            !was_in_string
                                && !key.is_empty()
                                && key
                                    .bytes()
                                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                        });
                    // `#:schema` is a directive for editors, not an explanation.
                    let comment_above =
                        previous.trim_start().starts_with('#') && !previous.starts_with("#:");
                    if let Some(key) = key {
                        written.insert(key);
                        if line.contains(" # ") || comment_above {
                            explained.insert(key);
                        }
                    }
                    previous = line;
                }
            }
            let unexplained: Vec<_> = written.difference(&explained).collect();
            assert!(!written.is_empty(), "{paths:?}");
            assert_eq!(
                unexplained,
                Vec::<&&str>::new(),
                "{paths:?}: keys without a comment"
            );
        }
    }

    #[test]
    fn the_actuals_written_end_with_the_last_complete_periods() {
        let today = jiff::civil::date(2026, 1, 1);
        let dir = std::env::temp_dir().join(format!("accord-init-actuals-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        init(&dir, today).unwrap();
        let read = |kpi: &str| fs::read_to_string(dir.join(format!("actuals/{kpi}.csv"))).unwrap();
        assert_eq!(
            read("leads-created"),
            "period,value\n2025-11,41\n2025-12,47\n"
        );
        // 2026-01-01 is a Thursday of ISO week 2026-W01: the weeks before are 2025's.
        assert_eq!(
            read("speed-to-call"),
            "period,value,count\n2025-W51,4.5,11\n2025-W52,3.5,12\n"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
