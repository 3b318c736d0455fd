//! `accord diff --base REV` on real git repositories made in temporary directories, with
//! the org in a subfolder.

mod common;

use std::path::Path;

use common::{
    TODAY, TempPath, accord, all_output, exit_code, fixture_in_repo, git, output, stdout,
};

const AGREEMENT: &str = "agreements/marketing-sales.toml";

/// A repository whose only commit holds the clean fixture in `org/`.
fn repo(name: &str) -> TempPath {
    fixture_in_repo("clean", name)
}

fn edit(org: &Path, file: &str, from: &str, to: &str) {
    let path = org.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn diff(org: &Path, format: &str) -> std::process::Output {
    output(&mut accord(&[
        "diff".as_ref(),
        "--base".as_ref(),
        "HEAD".as_ref(),
        org.as_os_str(),
        "--format".as_ref(),
        format.as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]))
}

fn json(org: &Path) -> serde_json::Value {
    let out = diff(org, "json");
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

#[test]
fn term_text_target_and_owner_changes_are_field_level_with_names() {
    let org = repo("diff-term");
    edit(
        &org,
        AGREEMENT,
        "At least **10 new leads** a month.",
        "At least **12 new leads** a month.",
    );
    edit(&org, AGREEMENT, "target = 10", "target = 12");
    edit(
        &org,
        AGREEMENT,
        "owner = \"ana-garcia\"",
        "owner = \"elena-mora\"",
    );
    let value = json(&org);
    let change = &value["entities"][0];
    assert_eq!(change["kind"], "agreement");
    assert_eq!(change["change"]["type"], "changed");
    let fields: Vec<(String, String, String)> = change["change"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().into(),
                f["old"].as_str().unwrap().into(),
                f["new"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        fields.contains(&("term[lead-volume].target".into(), "10".into(), "12".into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&(
            "term[lead-volume].owner".into(),
            "ana-garcia (Ana García)".into(),
            "elena-mora (Elena Mora)".into()
        )),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|f| f.0 == "term[lead-volume].commitment" && f.2.contains("12 new leads")),
        "{fields:?}"
    );

    let ownership = value["ownership"].as_array().unwrap();
    let ana = ownership
        .iter()
        .find(|o| o["owner"] == "ana-garcia")
        .expect("ana loses the term");
    assert!(ana["loses"][0].as_str().unwrap().contains("lead-volume"));
    let elena = ownership
        .iter()
        .find(|o| o["owner"] == "elena-mora")
        .expect("elena gains it");
    assert!(elena["gains"][0].as_str().unwrap().contains("lead-volume"));

    let needed = &value["signatures_needed"][0];
    assert_eq!(needed["agreement"], "marketing-sales");
    assert_eq!(
        needed["parties"].as_array().unwrap().len(),
        2,
        "both parties signed before the base commit"
    );

    let findings: Vec<&str> = value["new_findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        findings,
        ["owner-outside-provider"],
        "elena is not in marketing"
    );

    let markdown = stdout(&diff(&org, "markdown"));
    assert!(
        markdown.contains("`term[lead-volume].target`: `10` → `12`"),
        "{markdown}"
    );
    assert!(markdown.contains("### Signatures needed"), "{markdown}");
    assert!(markdown.contains("### Who owns what"), "{markdown}");
    assert!(markdown.contains("### New findings"), "{markdown}");
}

#[test]
fn a_party_that_signed_after_the_base_commit_need_not_sign_again() {
    let org = repo("diff-resigned");
    edit(&org, AGREEMENT, "target = 10", "target = 12");
    edit(&org, AGREEMENT, "date = 2025-12-15", "date = 2026-03-05");
    let value = json(&org);
    let parties = value["signatures_needed"][0]["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 1, "{parties:?}");
    assert_eq!(parties[0][0], "sales");
}

#[test]
fn added_and_removed_entities_are_listed() {
    let org = repo("diff-add-remove");
    std::fs::remove_file(org.join("meetings/smarketing-weekly.toml")).unwrap();
    std::fs::copy(
        org.join("kpis/leads-created.toml"),
        org.join("kpis/leads-qualified.toml"),
    )
    .unwrap();
    let value = json(&org);
    let changes: Vec<(String, String, String)> = value["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().into(),
                e["id"].as_str().unwrap().into(),
                e["change"]["type"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("kpi".into(), "leads-qualified".into(), "added".into()),
            (
                "meeting".into(),
                "smarketing-weekly".into(),
                "removed".into()
            ),
        ]
    );
    assert!(value["signatures_needed"].as_array().unwrap().is_empty());
}

#[test]
fn a_new_signature_is_an_addition_and_small_numbers_count() {
    let org = repo("diff-keys");
    edit(
        &org,
        AGREEMENT,
        "[[signature]]\nparty = \"marketing\"",
        "[[signature]]\nparty = \"marketing\"\nby = \"ana-garcia\"\ndate = 2026-03-05\n\n[[signature]]\nparty = \"marketing\"",
    );
    edit(
        &org,
        "accord.toml",
        "conversion = 0.25",
        "conversion = 0.2501",
    );
    let value = json(&org);
    let fields: Vec<String> = value["entities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            e["change"]["fields"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|f| {
            format!(
                "{} {} -> {}",
                f["field"].as_str().unwrap(),
                f["old"],
                f["new"]
            )
        })
        .collect();
    assert!(
        fields
            .iter()
            .any(|f| f.starts_with("signature[marketing#2].date null -> \"2025-12-15\"")),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|f| f.contains("conversion \"0.25\" -> \"0.2501\"")),
        "{fields:?}"
    );
}

#[test]
fn a_file_that_no_longer_loads_is_not_a_removal() {
    let org = repo("diff-broken");
    edit(&org, AGREEMENT, "title = ", "bogus = 1\ntitle = ");
    let value = json(&org);
    assert_eq!(
        value["entities"][0]["change"]["type"], "unreadable",
        "{value}"
    );
    assert_eq!(value["new_findings"][0]["rule"], "unknown-key");
}

/// A file that no longer loads shields only its own entity: another file of the same
/// folder that was deleted is still a removal.
#[test]
fn a_broken_file_does_not_hide_the_removal_of_its_neighbour() {
    let org = repo("diff-broken-neighbour");
    edit(
        &org,
        "meetings/smarketing-monthly.toml",
        "name = ",
        "bogus = 1\nname = ",
    );
    std::fs::remove_file(org.join("meetings/smarketing-weekly.toml")).unwrap();
    let value = json(&org);
    let changes: Vec<(&str, &str)> = value["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap(),
                e["change"]["type"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("smarketing-monthly", "unreadable"),
            ("smarketing-weekly", "removed")
        ],
        "{value}"
    );
}

#[test]
fn no_change_says_so() {
    let org = repo("diff-none");
    let out = diff(&org, "markdown");
    assert_eq!(exit_code(&out), 0);
    assert!(stdout(&out).contains("No change"));
}

#[test]
fn an_unreadable_revision_exits_2() {
    let org = repo("diff-bad-rev");
    let out = output(&mut accord(&[
        "diff".as_ref(),
        "--base".as_ref(),
        "no-such-branch".as_ref(),
        org.as_os_str(),
    ]));
    assert_eq!(exit_code(&out), 2);
    assert!(all_output(&out).contains("no-such-branch"));
}

#[test]
fn a_base_branch_that_does_not_exist_names_the_ones_that_do() {
    let org = repo("diff-which-branch");
    git(&org, &["branch", "-m", "trunk"]);
    git(&org, &["branch", "feature-x"]);
    let out = output(&mut accord(&[
        "diff".as_ref(),
        "--base".as_ref(),
        "main".as_ref(),
        org.as_os_str(),
    ]));
    assert_eq!(exit_code(&out), 2);
    let text = all_output(&out);
    assert!(
        text.contains("the branches here are `feature-x`, `trunk`"),
        "{text}"
    );
}

/// Files the comparison does not read field by field (templates, static files, actuals,
/// docs, accord.toml's settings, anything else) are listed, never summed up as "No change".
#[test]
fn every_changed_file_it_does_not_compare_is_listed() {
    let org = repo("diff-other-files");
    let write = |path: &str, text: &str| {
        let path = org.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("templates/page.html", "<html></html>");
    write("static/site.css", "body {}");
    write("docs/playbook.md", "# Playbook\n");
    edit(&org, "actuals/leads-created.csv", "\n", "\n2026-01,1\n");
    edit(
        &org,
        "accord.toml",
        "[org]",
        "[lints]\nno-sponsor = \"allow\"\n\n[org]",
    );
    let value = json(&org);
    let files: Vec<(String, String)> = value["other_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["change"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("accord.toml".into(), "changed".into()),
            ("actuals/leads-created.csv".into(), "changed".into()),
            ("docs/playbook.md".into(), "added".into()),
            ("static/site.css".into(), "added".into()),
            ("templates/page.html".into(), "added".into()),
        ]
    );
    let markdown = stdout(&diff(&org, "markdown"));
    assert!(!markdown.contains("No change"), "{markdown}");
    assert!(
        markdown.contains("- **added** `templates/page.html`"),
        "{markdown}"
    );

    let removed = repo("diff-removed-file");
    std::fs::remove_file(removed.join("actuals/leads-created.csv")).unwrap();
    let markdown = stdout(&diff(&removed, "markdown"));
    assert!(
        markdown.contains("- **removed** `actuals/leads-created.csv`"),
        "{markdown}"
    );
}

/// Names are escaped as Markdown text and values are code spans: a title that opens an
/// HTML comment or emphasis, and a commitment with a line that starts with `::`, cannot
/// hide the rest of the summary or become a workflow command.
#[test]
fn names_and_values_are_escaped_in_markdown() {
    let org = repo("diff-escaped");
    edit(
        &org,
        AGREEMENT,
        "title = \"",
        "title = \"<!-- *hidden* [x](javascript:y) ",
    );
    edit(
        &org,
        AGREEMENT,
        "commitment = \"At least",
        "commitment = \"\"\"\n::add-mask::secret\n<!--\n```\nAt least",
    );
    edit(&org, AGREEMENT, "a month.\"", "a month.\"\"\"");
    edit(&org, AGREEMENT, "target = 10", "target = 12");
    let out = diff(&org, "markdown");
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let markdown = stdout(&out);
    assert!(
        markdown.contains(": \\<!-- \\*hidden\\* \\[x\\](javascript:y) "),
        "{markdown}"
    );
    for line in markdown.lines() {
        assert!(!line.starts_with("::"), "{line}");
        assert!(!line.starts_with("<!--"), "{line}");
    }
    assert!(markdown.contains("### Signatures needed"), "{markdown}");
}

/// A file name that is not UTF-8, at the base revision and in the working tree, does not
/// make the revision unreadable: it is listed, read lossily.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_listed() {
    use std::os::unix::ffi::OsStrExt;
    let org = repo("diff-not-utf8");
    let name = std::ffi::OsStr::from_bytes(b"notes-\xff.md");
    std::fs::create_dir_all(org.join("docs")).unwrap();
    std::fs::write(org.join("docs").join(name), "# Notes\n").unwrap();
    git(org.parent().unwrap(), &["add", "-A"]);
    git(org.parent().unwrap(), &["commit", "-q", "-m", "notes"]);
    std::fs::write(org.join("teams").join(name), "x").unwrap();
    let out = diff(&org, "markdown");
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    assert!(
        stdout(&out).contains("- **added** `teams/notes-\u{fffd}.md`"),
        "{}",
        stdout(&out)
    );
}

/// The field changes of entity `id`, as (field, old, new).
fn fields_of(value: &serde_json::Value, id: &str) -> Vec<(String, Option<String>, Option<String>)> {
    let entity = value["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not among the changes: {value}"));
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    entity["change"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("{id} is not changed field by field: {entity}"))
        .iter()
        .map(|f| (text(&f["field"]).unwrap(), text(&f["old"]), text(&f["new"])))
        .collect()
}

/// A list that gains or loses an item (`parties`, `attendees`) is a change of that field,
/// and a key that is removed is a change from its value to nothing.
#[test]
fn changed_lists_and_removed_keys_are_listed() {
    let org = repo("diff-lists");
    edit(
        &org,
        AGREEMENT,
        "parties = [\"marketing\", \"sales\"]",
        "parties = [\"marketing\", \"sales\", \"leadership\"]",
    );
    edit(&org, AGREEMENT, "review = \"monthly\"\n", "");
    let meeting = "meetings/smarketing-weekly.toml";
    edit(
        &org,
        meeting,
        "attendees = [\"ana-garcia\", \"bruno-diaz\"]",
        "attendees = [\"ana-garcia\"]",
    );
    let value = json(&org);
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        fields_of(&value, "marketing-sales"),
        [
            (
                "parties".to_owned(),
                some("marketing (Marketing), sales (Sales)"),
                some("marketing (Marketing), sales (Sales), leadership (Leadership)")
            ),
            ("review".to_owned(), some("monthly"), None),
        ]
    );
    assert_eq!(
        fields_of(&value, "smarketing-weekly"),
        [(
            "attendees".to_owned(),
            some("ana-garcia (Ana García), bruno-diaz (Bruno Díaz)"),
            some("ana-garcia (Ana García)")
        ),]
    );
}

#[test]
fn a_reworded_commitment_or_a_renamed_agreement_moves_no_responsibility() {
    let org = repo("diff-reworded");
    edit(
        &org,
        AGREEMENT,
        "At least **10 new leads** a month.",
        "At least **12 new leads** a month, every month.",
    );
    edit(&org, AGREEMENT, "title = \"", "title = \"Renamed ");
    let value = json(&org);
    assert_eq!(value["entities"][0]["change"]["type"], "changed");
    assert_eq!(value["ownership"], serde_json::json!([]), "{value:#}");
    let markdown = stdout(&diff(&org, "markdown"));
    assert!(!markdown.contains("Who owns what"), "{markdown}");
    assert!(!markdown.contains("New findings"), "{markdown}");
}

/// A person taken out of a people.toml that still loads is removed, not unreadable, even
/// while another file has a structural error.
#[test]
fn a_person_taken_out_of_people_toml_is_a_removal() {
    let org = repo("diff-person-removed");
    let extra = "\n[zoe-extra]\nname = \"Zoe Extra\"\nteams = [\"sales\"]\n";
    let people = org.join("people.toml");
    let before = std::fs::read_to_string(&people).unwrap();
    std::fs::write(&people, before.clone() + extra).unwrap();
    let top = org.parent().unwrap();
    git(top, &["commit", "-q", "-a", "-m", "zoe joins"]);
    std::fs::write(&people, before).unwrap();
    // A structural error in another file changes nothing for people.toml.
    edit(&org, AGREEMENT, "title = ", "bogus = 1\ntitle = ");
    let value = json(&org);
    let changes: Vec<(&str, &str, &str)> = value["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["id"].as_str().unwrap(),
                e["change"]["type"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("agreement", "marketing-sales", "unreadable"),
            ("person", "zoe-extra", "removed")
        ],
        "{value}"
    );

    // A people.toml that no longer loads removes nobody: its people are unreadable.
    std::fs::write(&people, "[broken\n").unwrap();
    let value = json(&org);
    let kinds: Vec<&str> = value["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "person")
        .map(|e| e["change"]["type"].as_str().unwrap())
        .collect();
    assert!(
        !kinds.is_empty() && kinds.iter().all(|k| *k == "unreadable"),
        "{value}"
    );
}
