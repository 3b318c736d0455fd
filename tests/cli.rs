//! The command line contract: output formats, exit codes, the date, finding the org, and
//! the `rules`, `explain` and `who` commands.

mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use common::{
    ERROR_CLASSES, Finding, RULES, TODAY, accord, all_output, check_json, copy_dir, exit_code,
    fixture, json_findings, output, stdout, temp_dir,
};

/// Fixtures with errors, warnings, several files and non-ASCII text.
const MIXED_FIXTURES: &[&str] = &[
    "lints-override",
    "error-several-files",
    "unicode-columns",
    "no-sponsor",
];

/// `accord check DIR --today 2026-06-15 ARGS...`
fn check(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = accord(&[OsStr::new("check"), dir.as_os_str()]);
    cmd.args(["--today", TODAY]).args(args);
    cmd
}

#[test]
fn human_output_points_at_file_line_column_and_rule() {
    for name in MIXED_FIXTURES {
        let dir = fixture(name);
        let (json_code, findings) = check_json(&dir, &[]);
        assert!(!findings.is_empty(), "{name}");
        let out = output(&mut check(&dir, &[]));
        let text = all_output(&out);
        assert_eq!(
            exit_code(&out),
            json_code,
            "same exit code as json for {name}"
        );
        for f in &findings {
            let place = format!("{}:{}:{}", f.file, f.line, f.column);
            assert!(text.contains(&place), "{name}: no `{place}` in\n{text}");
            assert!(text.contains(&f.rule), "{name}: no `{}` in\n{text}", f.rule);
        }
    }
}

#[test]
fn human_output_shows_the_source_line_unchanged() {
    let out = output(&mut check(
        &fixture("unicode-columns"),
        &["--format", "human"],
    ));
    let text = all_output(&out);
    assert!(
        text.contains(r#"action = [{ what = "Zadzwoń do Łucji", owner = "nobody" }]"#),
        "{text}"
    );
}

#[test]
fn human_output_suggests_the_known_key() {
    let out = output(&mut check(&fixture("error-unknown-key"), &[]));
    assert_eq!(exit_code(&out), 1);
    let text = all_output(&out);
    assert!(
        text.contains("summery") && text.contains("summary"),
        "{text}"
    );
}

#[test]
fn no_ansi_escapes_when_not_a_terminal_or_no_color() {
    for no_color in [false, true] {
        let mut cmd = check(&fixture("lints-override"), &["--format", "human"]);
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let text = all_output(&output(&mut cmd));
        assert!(!text.is_empty());
        assert!(!text.contains('\u{1b}'), "NO_COLOR={no_color}: {text:?}");
    }
}

/// `::error file=PATH,line=L,endLine=E,col=C,endColumn=F,title=RULE::message`, escaped as
/// GitHub parses it.
fn github_line(f: &Finding, prefix: &str) -> String {
    let message = f
        .message
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    // GitHub's end column is the span's last character, JSON's one past it.
    let end_column = if f.end_line == f.line {
        (f.end_column - 1).max(f.column)
    } else {
        (f.end_column - 1).max(1)
    };
    format!(
        "::{} file={prefix}{},line={},endLine={},col={},endColumn={end_column},title={}::{message}",
        f.level, f.file, f.line, f.end_line, f.column, f.rule
    )
}

/// Checks `--format github` for the org at `org` against its JSON findings, with paths
/// prefixed by `prefix`, when run in `cwd` with `args`.
fn assert_github(org: &Path, cwd: &Path, args: &[&str], prefix: &str) {
    let (json_code, findings) = check_json(org, &[]);
    let expected: Vec<String> = findings.iter().map(|f| github_line(f, prefix)).collect();
    assert!(expected.iter().any(|l| l.starts_with("::error ")));
    assert!(expected.iter().any(|l| l.starts_with("::warning ")));
    let mut cmd = accord(&["check"]);
    cmd.args(args)
        .args(["--format", "github", "--today", TODAY])
        .current_dir(cwd)
        .env("GIT_CEILING_DIRECTORIES", std::env::temp_dir());
    let out = output(&mut cmd);
    assert_eq!(exit_code(&out), json_code);
    assert_eq!(stdout(&out).lines().collect::<Vec<_>>(), expected);
}

#[test]
fn github_paths_are_relative_to_the_git_repository() {
    let repo = temp_dir("github-git");
    let org = repo.join("org");
    copy_dir(&fixture("lints-override"), &org);
    let git = Command::new("git")
        .args(["init", "-q"])
        .arg(&repo)
        .status()
        .expect("git is installed");
    assert!(git.success());
    let org_arg = org.to_str().expect("UTF-8 temp path");
    assert_github(&org, &repo, &[org_arg], "org/");
    // The same from a subfolder of the org, found by searching upward.
    assert_github(&org, &org.join("agreements"), &[], "org/");
    std::fs::remove_dir_all(&repo).ok();
}

#[test]
fn github_paths_outside_git_are_relative_to_the_org() {
    let org = temp_dir("github-no-git");
    copy_dir(&fixture("lints-override"), &org);
    assert_github(&org, &org, &[], "");
    std::fs::remove_dir_all(&org).ok();
}

#[test]
fn deny_warnings_fails_on_warnings_but_keeps_their_level() {
    let dir = fixture("no-sponsor");
    let (code, findings) = check_json(&dir, &[]);
    assert_eq!(code, 0);
    let (strict_code, strict_findings) = check_json(&dir, &["--deny-warnings"]);
    assert_eq!(strict_code, 1);
    assert_eq!(strict_findings, findings);
    assert_eq!(strict_findings.len(), 1);
    assert_eq!(strict_findings[0].level, "warning");
}

#[test]
fn accord_today_sets_the_date() {
    let dir = fixture("overdue-action");
    let run = |today: &str| {
        let mut cmd = accord(&[OsStr::new("check"), dir.as_os_str()]);
        cmd.args(["--format", "json"]).env("ACCORD_TODAY", today);
        let out = output(&mut cmd);
        let rules: Vec<String> = json_findings(&out).into_iter().map(|f| f.rule).collect();
        (exit_code(&out), rules)
    };
    // The action is due 2026-06-14.
    assert_eq!(run("2026-06-15"), (0, vec!["overdue-action".to_string()]));
    assert_eq!(run("2026-06-14"), (0, vec![]));
}

#[test]
fn check_searches_upward_for_accord_toml() {
    let cases = [
        (
            "no-sponsor",
            "agreements",
            vec!["no-sponsor warning agreements/marketing-sales.toml:1"],
        ),
        ("subfolders", "teams/commercial", vec![]),
    ];
    for (name, subfolder, expected) in cases {
        let mut cmd = accord(&["check", "--format", "json", "--today", TODAY]);
        let out = output(cmd.current_dir(fixture(name).join(subfolder)));
        assert_eq!(exit_code(&out), 0, "{name}: {}", all_output(&out));
        let found: Vec<String> = json_findings(&out).iter().map(|f| f.short(false)).collect();
        assert_eq!(found, expected, "{name}");
    }
}

#[test]
fn no_accord_toml_is_a_usage_error() {
    let empty = temp_dir("no-org");
    let out = output(&mut check(&empty, &[]));
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    let out = output(accord(&["check"]).current_dir(&empty));
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    let out = output(&mut check(&empty.join("does-not-exist"), &[]));
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    std::fs::remove_dir_all(&empty).ok();
}

#[test]
fn bad_arguments_are_usage_errors() {
    let clean = fixture("clean");
    for args in [
        &["--today", "2026-13-01"][..],
        &["--today", "15.06.2026"],
        &["--format", "xml"],
    ] {
        let out = output(&mut check(&clean, args));
        assert_eq!(exit_code(&out), 2, "{args:?}: {}", all_output(&out));
    }
    let out =
        output(accord(&[OsStr::new("check"), clean.as_os_str()]).env("ACCORD_TODAY", "someday"));
    assert_eq!(
        exit_code(&out),
        2,
        "ACCORD_TODAY=someday: {}",
        all_output(&out)
    );
}

/// The default level of each rule, from the table "Rules with a level" of
/// docs/format.md.
fn documented_levels() -> Vec<(String, String)> {
    let format =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
            .expect("read docs/format.md");
    let table = format
        .split("### Rules with a level")
        .nth(1)
        .expect("docs/format.md has the table of rules");
    table
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let id = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((id.to_owned(), cells.get(2)?.to_string()))
        })
        .collect()
}

/// `accord rules` lists every rule once with the level docs/format.md documents for it.
#[test]
fn rules_lists_every_rule_at_its_documented_level() {
    let out = output(&mut accord(&["rules"]));
    assert_eq!(exit_code(&out), 0);
    let text = stdout(&out);
    let documented = documented_levels();
    let mut ids: Vec<&str> = documented.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    let mut rules = RULES.to_vec();
    rules.sort_unstable();
    assert_eq!(ids, rules, "docs/format.md documents every rule, once");
    for (id, level) in &documented {
        let listed: Vec<Vec<&str>> = text
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>())
            .filter(|words| words.first() == Some(&id.as_str()))
            .collect();
        assert_eq!(listed.len(), 1, "`{id}` listed once in\n{text}");
        assert_eq!(
            listed[0].get(1),
            Some(&level.as_str()),
            "the level of `{id}`"
        );
    }
}

/// The explanation of `id` ends with what to do: a last paragraph "What to do: ...".
fn assert_explained_with_what_to_do(id: &str) {
    let out = output(&mut accord(&["explain", id]));
    assert_eq!(exit_code(&out), 0, "explain {id}");
    let text = stdout(&out);
    let last = text.trim_end().rsplit("\n\n").next().unwrap_or_default();
    assert!(
        last.starts_with("What to do: ") && last.len() > "What to do: ".len() + 20,
        "explain {id} does not end with what to do:\n{text}"
    );
}

#[test]
fn explain_every_rule_ends_with_what_to_do() {
    for rule in RULES {
        assert_explained_with_what_to_do(rule);
    }
}

/// `accord explain RULE` prints that rule's own level, summary and rationale, from the
/// registry, and no other rule's.
#[test]
fn explain_prints_each_rule_s_own_text() {
    let registry = accord::check::RULES;
    let mut ids: Vec<&str> = registry.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    let mut rules = RULES.to_vec();
    rules.sort_unstable();
    assert_eq!(ids, rules);
    let documented = documented_levels();
    for rule in registry {
        let out = output(&mut accord(&["explain", rule.id]));
        assert_eq!(exit_code(&out), 0, "explain {}", rule.id);
        let text = stdout(&out);
        let level = &documented.iter().find(|(id, _)| id == rule.id).unwrap().1;
        assert!(
            text.starts_with(&format!("{} (default level: {level})", rule.id)),
            "{text}"
        );
        assert!(text.contains(rule.summary), "{}: {text}", rule.id);
        assert!(text.contains(rule.rationale), "{}: {text}", rule.id);
        for other in registry.iter().filter(|other| other.id != rule.id) {
            assert!(
                !text.contains(other.rationale),
                "explain {} prints the text of {}",
                rule.id,
                other.id
            );
        }
    }
}

/// `accord explain CLASS` prints that structural error class's own text.
#[test]
fn explain_prints_each_structural_error_class_s_own_text() {
    let registry = accord::diagnostic::ERROR_CLASSES;
    let mut ids: Vec<&str> = registry.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    let mut classes = ERROR_CLASSES.to_vec();
    classes.sort_unstable();
    assert_eq!(ids, classes);
    for class in registry {
        let out = output(&mut accord(&["explain", class.id]));
        assert_eq!(exit_code(&out), 0, "explain {}", class.id);
        let text = stdout(&out);
        assert!(text.starts_with(class.id), "{text}");
        assert!(text.contains(class.doc), "{}: {text}", class.id);
        for other in registry.iter().filter(|other| other.id != class.id) {
            assert!(
                !text.contains(other.doc),
                "explain {} prints the text of {}",
                class.id,
                other.id
            );
        }
    }
}

#[test]
fn explain_every_structural_error_class_ends_with_what_to_do() {
    for class in ERROR_CLASSES {
        assert_explained_with_what_to_do(class);
    }
}

/// The reference the binary prints is docs/format.md itself, byte for byte.
#[test]
fn explain_format_prints_the_format_reference() {
    let out = output(&mut accord(&["explain", "format"]));
    assert_eq!(exit_code(&out), 0);
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md"))
        .expect("docs/format.md");
    assert!(stdout(&out) == docs, "explain format is not docs/format.md");
}

#[test]
fn explain_unknown_rule_is_a_usage_error() {
    let out = output(&mut accord(&["explain", "no-such-rule"]));
    assert_eq!(exit_code(&out), 2);
}

#[test]
fn who_lists_what_a_person_owns() {
    // bruno-diaz owns the term `speed-to-call` and the KPI "Call-back time".
    for (name, kpi) in [("clean", "Call-back time"), ("unicode", "Время перезвона")] {
        let mut cmd = accord(&[
            OsStr::new("who"),
            OsStr::new("bruno-diaz"),
            fixture(name).as_os_str(),
        ]);
        let out = output(&mut cmd);
        assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
        let text = stdout(&out);
        assert!(text.contains("speed-to-call"), "{name}: {text}");
        assert!(text.contains(kpi), "{name}: {text}");
    }
}

/// `accord who ID tests/fixtures/clean`: exit code, stdout and stderr.
fn who(id: &str) -> (i32, String, String) {
    let out = output(&mut accord(&[
        OsStr::new("who"),
        OsStr::new(id),
        fixture("clean").as_os_str(),
    ]));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (exit_code(&out), stdout(&out), stderr)
}

#[test]
fn who_names_terms_and_meetings_and_marks_done_actions_last() {
    let (code, text, _) = who("sales");
    assert_eq!(code, 0);
    // A term by its commitment, in plain text; a meeting by its name.
    assert!(
        text.contains(
            "provides term “Every new lead is called back within 4 minutes” (speed-to-call) of "
        ),
        "{text}"
    );
    let done = "  - [done] action of meeting Smarketing weekly (smarketing-weekly): Share the call-back report every Monday\n";
    assert!(
        text.ends_with(done),
        "the done action is marked and listed last: {text}"
    );
    let (_, text, _) = who("ana-garcia");
    let open = "  - action of meeting Smarketing weekly (smarketing-weekly): Fix the phone field of the web form\n";
    assert!(
        text.contains(open),
        "an open action is not marked done: {text}"
    );
}

#[test]
fn who_suggests_people_by_a_word_of_their_id_or_name() {
    for (asked, suggested) in [
        ("garcia", "`ana-garcia` (Ana García)"),
        ("García", "`ana-garcia` (Ana García)"),
        ("ana", "`ana-garcia` (Ana García)"),
        ("garc", "`ana-garcia` (Ana García)"),
        ("Dí", "`bruno-diaz` (Bruno Díaz)"),
        ("ana-garcya", "`ana-garcia`"),
    ] {
        let (code, text, stderr) = who(asked);
        assert_eq!(code, 2, "{asked}: {text}");
        assert!(
            stderr.contains(&format!(
                "no person or team `{asked}`; did you mean {suggested}?"
            )),
            "{asked}: {stderr}"
        );
    }
    let (code, _, stderr) = who("marketing-sales");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`marketing-sales` is an agreement, not a person or team"),
        "{stderr}"
    );
}

#[test]
fn who_unknown_id_is_a_usage_error() {
    let out = output(&mut accord(&[
        OsStr::new("who"),
        OsStr::new("nobody"),
        fixture("clean").as_os_str(),
    ]));
    assert_eq!(exit_code(&out), 2);
}

/// `[lints]` names only rules: a structural error class there says it cannot be changed,
/// a near miss gets the rule meant, anything else the command that lists them.
#[test]
fn lints_that_name_no_rule_say_what_they_name() {
    let org = temp_dir("lints-unknown").child("org");
    copy_dir(&fixture("clean"), &org);
    let settings = org.join("accord.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        text + "\n[lints]\nunknown-key = \"allow\"\nno-sponsr = \"warn\"\nwhatever = \"warn\"\n",
    )
    .unwrap();
    let out = output(&mut accord(&[
        "check".as_ref(),
        org.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The json format joins the help to the message after "; ".
    let messages: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .filter(|m| m.contains("in [lints]"))
        .collect();
    assert_eq!(
        messages,
        [
            "unknown rule `unknown-key` in [lints]; `unknown-key` is a structural error: always an error, it cannot be changed",
            "unknown rule `no-sponsr` in [lints]; did you mean `no-sponsor`?",
            "unknown rule `whatever` in [lints]; `accord rules` lists the rule ids",
        ]
    );
}
