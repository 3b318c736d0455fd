//! `accord codeowners` on an org in a subfolder of a real git repository.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TempDir, accord, all_output, copy_dir, exit_code, fixture, output, stdout, temp_dir};

/// A git repository with the clean fixture in `org/`.
fn repo(name: &str) -> (TempDir, PathBuf) {
    let repo = temp_dir(name);
    let org = repo.join("org");
    copy_dir(&fixture("clean"), &org);
    let status = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&repo)
        .status()
        .expect("git runs");
    assert!(status.success());
    (repo, org)
}

fn codeowners(org: &Path, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["codeowners".as_ref(), org.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    output(&mut accord(&args))
}

#[test]
fn each_file_lists_the_handles_of_the_people_bound_by_it() {
    let (_repo, org) = repo("codeowners");
    let result = codeowners(&org, &[]);
    assert_eq!(exit_code(&result), 0);
    let text = stdout(&result);
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "one line per file, sorted");
    // bruno-diaz is the only person with a handle: the sales lead and signer.
    assert!(
        lines.contains(&"/org/agreements/marketing-sales.toml @bruno-diaz"),
        "{text}"
    );
    assert!(
        lines.contains(&"/org/teams/sales.toml @bruno-diaz"),
        "{text}"
    );
    assert!(lines.contains(&"/org/people.toml @bruno-diaz"), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("/org/teams/marketing.toml")),
        "{text}"
    );
    let warnings = all_output(&result);
    assert!(
        warnings.contains("ana-garcia is bound by "),
        "people without a handle are reported: {warnings}"
    );
}

#[test]
fn check_tells_whether_the_file_is_up_to_date_and_how_to_regenerate_it() {
    let (repo, org) = repo("codeowners-check");
    let file = repo.join("CODEOWNERS");
    let missing = codeowners(&org, &["--check", file.to_str().unwrap()]);
    assert_eq!(exit_code(&missing), 1);
    std::fs::write(&file, stdout(&codeowners(&org, &[]))).unwrap();
    assert_eq!(
        exit_code(&codeowners(&org, &["--check", file.to_str().unwrap()])),
        0
    );

    let people = org.join("people.toml");
    let text = std::fs::read_to_string(&people).unwrap();
    std::fs::write(
        &people,
        text.replacen("[ana-garcia]\n", "[ana-garcia]\nhandle = \"ana-g\"\n", 1),
    )
    .unwrap();
    let stale = codeowners(&org, &["--check", file.to_str().unwrap()]);
    assert_eq!(exit_code(&stale), 1);
    let message = all_output(&stale);
    assert!(
        message.contains("out of date") && message.contains("accord codeowners"),
        "{message}"
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every path is anchored, so `/org/people.toml` does not also match a KPI file named
/// `people.toml`, and the characters a pattern reads specially in the folder the org
/// lives in are escaped.
#[test]
fn paths_are_anchored_and_escaped() {
    let repo = temp_dir("codeowners-escaped");
    let org = repo.join("my org [x]#1");
    copy_dir(&fixture("clean"), &org);
    let status = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&repo)
        .status()
        .expect("git runs");
    assert!(status.success());
    let kpi = std::fs::read_to_string(org.join("kpis/leads-created.toml")).unwrap();
    write(&org.join("kpis/people.toml"), &kpi);
    let result = codeowners(&org, &[]);
    assert_eq!(exit_code(&result), 0, "{}", all_output(&result));
    let text = stdout(&result);
    let prefix = "/my\\ org\\ \\[x\\]\\#1/";
    // The files that decide review and CI are at the repository root, where the code
    // host reads them; everything else is in the org's folder.
    let root_files = ["/.github/ ", "/.gitlab-ci.yml ", "/CODEOWNERS "];
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        assert!(
            line.starts_with(prefix) || root_files.iter().any(|f| line.starts_with(f)),
            "anchored and escaped: {line}"
        );
    }
    assert!(
        text.lines()
            .any(|l| l == format!("{prefix}people.toml @bruno-diaz")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("{prefix}kpis/people.toml"))),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l == format!("{prefix}accord.toml @bruno-diaz")),
        "{text}"
    );
}

/// A subfolder whose name is not an id (`[abc]` would be a pattern, a tab or a newline
/// would break the line) is a located `bad-id`: no CODEOWNERS is written, stdout stays
/// empty and the finding goes to stderr.
#[test]
fn a_subfolder_that_is_not_an_id_is_refused_with_an_empty_stdout() {
    for folder in ["[abc]", "a\tb", "a\nb", "*"] {
        let (_repo, org) = repo("codeowners-subfolder");
        let team = std::fs::read_to_string(org.join("teams/sales.toml")).unwrap();
        write(&org.join("teams").join(folder).join("extra.toml"), &team);
        let result = codeowners(&org, &[]);
        assert_eq!(exit_code(&result), 1, "{folder:?}: {}", all_output(&result));
        assert_eq!(
            stdout(&result),
            "",
            "{folder:?}: stdout holds the file only"
        );
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(stderr.contains("error[bad-id]"), "{folder:?}: {stderr}");
        assert!(stderr.contains("extra.toml:1:1"), "{folder:?}: {stderr}");
    }
}

/// A handle is a code-host user, an org/team or an e-mail address (SPEC 7.5); an e-mail
/// is written without `@` in front.
#[test]
fn handles_are_validated_and_emails_written_as_is() {
    let (_repo, org) = repo("codeowners-handles");
    let people = org.join("people.toml");
    let text = std::fs::read_to_string(&people).unwrap();
    for bad in ["@bruno", "bruno diaz", "* @evil", "bruno--diaz", "-bruno"] {
        std::fs::write(
            &people,
            text.replacen("handle = \"bruno-diaz\"", &format!("handle = \"{bad}\""), 1),
        )
        .unwrap();
        let result = codeowners(&org, &[]);
        assert_eq!(exit_code(&result), 1, "{bad}: {}", all_output(&result));
        assert!(
            String::from_utf8_lossy(&result.stderr).contains("error[invalid-value]"),
            "{bad}: {}",
            all_output(&result)
        );
    }
    std::fs::write(
        &people,
        text.replacen(
            "handle = \"bruno-diaz\"",
            "handle = \"bruno@acme.example\"",
            1,
        ),
    )
    .unwrap();
    let result = codeowners(&org, &[]);
    assert_eq!(exit_code(&result), 0, "{}", all_output(&result));
    assert!(
        stdout(&result).contains("/org/teams/sales.toml bruno@acme.example\n"),
        "{}",
        stdout(&result)
    );
}

/// A git repository that is the clean fixture itself, with a handle for everyone (the
/// person's id) and `edit` applied to it.
fn org_repo(name: &str, edit: impl FnOnce(&Path)) -> TempDir {
    let repo = temp_dir(name);
    copy_dir(&fixture("clean"), &repo);
    let people = repo.join("people.toml");
    let text = std::fs::read_to_string(&people).unwrap();
    let mut handled = String::new();
    for line in text.lines() {
        handled.push_str(line);
        handled.push('\n');
        if let Some(id) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']'))
            && id != "bruno-diaz"
        {
            handled.push_str(&format!("handle = \"{id}\"\n"));
        }
    }
    std::fs::write(&people, handled).unwrap();
    edit(&repo);
    let status = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&repo)
        .status()
        .expect("git runs");
    assert!(status.success());
    repo
}

/// The owners of each pattern, from the text of a CODEOWNERS file.
fn owners_by_pattern(text: &str) -> Vec<(String, Vec<String>)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|line| {
            let mut words = line.split(' ').map(str::to_owned);
            let pattern = words.next().unwrap();
            (pattern, words.collect())
        })
        .collect()
}

fn owners_of(text: &str, pattern: &str) -> Vec<String> {
    owners_by_pattern(text)
        .into_iter()
        .find(|(p, _)| p == pattern)
        .unwrap_or_else(|| panic!("no line for {pattern} in:\n{text}"))
        .1
}

fn generated(repo: &Path) -> String {
    let result = codeowners(repo, &[]);
    assert_eq!(exit_code(&result), 0, "{}", all_output(&result));
    stdout(&result)
}

fn append(path: &Path, text: &str) {
    let mut old = std::fs::read_to_string(path).unwrap();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

/// Actuals are owned like their KPI, also before the file exists; the folders and files
/// that shape the site, the docs, review and CI are reviewed by every team lead (SPEC 7.5).
#[test]
fn actuals_are_owned_like_their_kpi_and_the_rest_by_every_lead() {
    let repo = org_repo("codeowners-kinds", |_| {});
    let text = generated(&repo);
    for kpi in ["leads-created", "mql-delivered", "call-back-minutes"] {
        assert_eq!(
            owners_of(&text, &format!("/actuals/{kpi}.csv")),
            owners_of(&text, &format!("/kpis/{kpi}.toml")),
            "{kpi}"
        );
    }
    assert_eq!(
        owners_of(&text, "/actuals/leads-created.csv"),
        ["@ana-garcia"]
    );
    assert_eq!(
        owners_of(&text, "/actuals/mql-delivered.csv"),
        ["@ana-garcia", "@bruno-diaz"],
        "no file yet: owned before it is added"
    );
    let leads = ["@ana-garcia", "@bruno-diaz", "@carmen-ruiz"];
    for pattern in [
        "/accord.toml",
        "/people.toml",
        "/docs/",
        "/static/",
        "/templates/",
        "/CODEOWNERS",
        "/.github/",
        "/.gitlab-ci.yml",
    ] {
        assert_eq!(owners_of(&text, pattern), leads, "{pattern}");
    }
}

/// A team with a `handle` is named by it where the team is an owner (a KPI and its
/// actuals, a persona); files that bind its lead by name keep the lead.
#[test]
fn a_team_with_a_handle_owns_as_itself() {
    let repo = org_repo("codeowners-team-handle", |repo| {
        append(
            &repo.join("teams/marketing.toml"),
            "handle = \"clean/marketing\"\n",
        );
    });
    let text = generated(&repo);
    assert_eq!(
        owners_of(&text, "/kpis/leads-created.toml"),
        ["@clean/marketing"]
    );
    assert_eq!(
        owners_of(&text, "/actuals/leads-created.csv"),
        ["@clean/marketing"]
    );
    assert_eq!(
        owners_of(&text, "/kpis/mql-delivered.toml"),
        ["@bruno-diaz", "@clean/marketing"]
    );
    assert_eq!(
        owners_of(&text, "/personas/operations-olga.toml"),
        ["@ana-garcia", "@bruno-diaz", "@clean/marketing"],
        "the owner team by its handle, the leads of agreed_by by theirs"
    );
    assert_eq!(owners_of(&text, "/teams/marketing.toml"), ["@ana-garcia"]);

    // The same validation as a person's handle: a located invalid-value, stdout empty.
    let bad = org_repo("codeowners-team-handle-bad", |repo| {
        append(
            &repo.join("teams/marketing.toml"),
            "handle = \"@clean/marketing\"\n",
        );
    });
    let result = codeowners(&bad, &[]);
    assert_eq!(exit_code(&result), 1, "{}", all_output(&result));
    assert_eq!(stdout(&result), "");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("error[invalid-value]"), "{stderr}");
    assert!(stderr.contains("teams/marketing.toml:5:10"), "{stderr}");
}

/// `[codeowners] default` is a first `*` line; `also` joins every line, `*` included;
/// a team there stands for its handle or lead like any team owner.
#[test]
fn codeowners_settings_add_a_default_line_and_owners_to_every_line() {
    let repo = org_repo("codeowners-settings", |repo| {
        append(
            &repo.join("accord.toml"),
            "\n[codeowners]\ndefault = [\"diego-lopez\"]\nalso = [\"leadership\"]\n",
        );
    });
    let text = generated(&repo);
    let lines = owners_by_pattern(&text);
    assert_eq!(lines[0].0, "*", "the default line comes first: {text}");
    assert_eq!(lines[0].1, ["@carmen-ruiz", "@diego-lopez"]);
    assert!(lines.len() > 10, "{text}");
    for (pattern, owners) in &lines {
        assert!(
            owners.contains(&"@carmen-ruiz".to_owned()),
            "{pattern}: {owners:?}"
        );
    }
    assert_eq!(
        owners_of(&text, "/teams/sales.toml"),
        ["@bruno-diaz", "@carmen-ruiz"]
    );

    // An id that names no one is a located dangling-reference; nothing is printed.
    let dangling = org_repo("codeowners-settings-dangling", |repo| {
        append(
            &repo.join("accord.toml"),
            "\n[codeowners]\nalso = [\"nobody\"]\n",
        );
    });
    let result = codeowners(&dangling, &[]);
    assert_eq!(exit_code(&result), 1, "{}", all_output(&result));
    assert_eq!(stdout(&result), "");
    assert!(
        String::from_utf8_lossy(&result.stderr).contains("error[dangling-reference]"),
        "{}",
        all_output(&result)
    );
}

/// `--check` accepts exactly the output: a byte more or less, or another line ending,
/// is out of date.
#[test]
fn check_compares_with_exactly_the_output() {
    let repo = org_repo("codeowners-check-exact", |repo| {
        append(
            &repo.join("accord.toml"),
            "\n[codeowners]\ndefault = [\"diego-lopez\"]\n",
        );
    });
    let text = generated(&repo);
    let file = repo.join("CODEOWNERS");
    let check = |contents: &str| {
        std::fs::write(&file, contents).unwrap();
        exit_code(&codeowners(&repo, &["--check", file.to_str().unwrap()]))
    };
    assert_eq!(check(&text), 0);
    assert_eq!(check(&format!("{text}\n")), 1, "an extra line");
    assert_eq!(check(&text.replace('\n', "\r\n")), 1, "CRLF line endings");
    assert_eq!(check(text.trim_end()), 1, "no final line break");
    let without_default: String = text
        .lines()
        .filter(|l| !l.starts_with("* "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(check(&without_default), 1, "the default line is part of it");
}

/// Every owner of a KPI reviews it and its actuals: the first, the middle and the last
/// of three (a person, a team and a team, each standing for someone else).
#[test]
fn every_owner_of_a_kpi_reviews_it() {
    let repo = org_repo("codeowners-three-owners", |repo| {
        let kpi = repo.join("kpis/mql-delivered.toml");
        let text = std::fs::read_to_string(&kpi).unwrap();
        let three = text.replacen(
            "owners = [\"marketing\", \"sales\"]",
            "owners = [\"carmen-ruiz\", \"sales\", \"marketing\"]",
            1,
        );
        assert_ne!(text, three);
        std::fs::write(&kpi, three).unwrap();
    });
    let text = generated(&repo);
    for pattern in ["/kpis/mql-delivered.toml", "/actuals/mql-delivered.csv"] {
        assert_eq!(
            owners_of(&text, pattern),
            ["@ana-garcia", "@bruno-diaz", "@carmen-ruiz"],
            "{pattern}"
        );
    }
}

/// The export a KPI is measured from is owned like the KPI (by the owners of every KPI
/// measured from it); an export outside the org, or given only at run time, has no line.
#[test]
fn a_record_file_is_owned_like_the_kpis_measured_from_it() {
    let repo = org_repo("codeowners-records", |org| {
        append(
            &org.join("accord.toml"),
            "\n[records.leads]\nfile = \"./records//leads.csv\"\ntime = \"Created\"\n\n[records.calls]\nfile = \"../exports/calls.csv\"\ntime = \"Created\"\n\n[records.runtime]\ntime = \"Created\"\n",
        );
        for (kpi, set) in [
            ("leads-created", "leads"),
            ("mql-delivered", "leads"),
            ("call-back-minutes", "calls"),
        ] {
            let value = if kpi == "call-back-minutes" {
                "value = \"median\"\nduration = { from = \"Created\", to = \"Called\" }\n"
            } else {
                "value = \"count\"\n"
            };
            append(
                &org.join(format!("kpis/{kpi}.toml")),
                &format!("\n[measure]\nrecords = \"{set}\"\n{value}"),
            );
        }
    });
    let text = generated(&repo);
    assert_eq!(
        owners_of(&text, "/records/leads.csv"),
        ["@ana-garcia", "@bruno-diaz"]
    );
    assert!(!text.contains("calls.csv"), "{text}");
    assert!(!text.contains("runtime"), "{text}");
    // The spread `measure` writes for a timed KPI is owned like its actuals; a count
    // times nothing and has none.
    assert_eq!(
        owners_of(&text, "/actuals/call-back-minutes.bands.csv"),
        owners_of(&text, "/actuals/call-back-minutes.csv")
    );
    assert!(!owners_of(&text, "/actuals/call-back-minutes.bands.csv").is_empty());
    assert!(!text.contains("leads-created.bands.csv"), "{text}");
}
