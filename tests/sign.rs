//! `accord sign` and `accord renew` against the real binary, on copies of
//! `tests/fixtures/clean` (SPEC 7.3): byte-preserving edits, refusals that leave the file
//! untouched, and renewals whose pages link both ways.

mod common;

use std::fs;
use std::path::Path;

use common::{
    TODAY, TempPath, accord, all_output, check_json, copy_dir, exit_code, fixture, output, temp_dir,
};

const AGREEMENT: &str = "agreements/marketing-sales.toml";
const SALES_SIGNATURE: &str =
    "\n[[signature]]\nparty = \"sales\"\nby = \"bruno-diaz\"\ndate = 2025-12-16\n";

/// A copy of the clean org, in a fresh temporary directory.
fn org(name: &str) -> TempPath {
    let dir = temp_dir(name).child("org");
    copy_dir(&fixture("clean"), &dir);
    dir
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join(path)).expect("read a file of the org")
}

/// Replaces `from` by `to` in a file of the org.
fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let text = read(dir, path);
    assert!(text.contains(from), "`{from}` not in {path}");
    fs::write(dir.join(path), text.replacen(from, to, 1)).expect("write a file of the org");
}

/// Runs `accord ARGS... --today 2026-06-15 DIR`.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--today", TODAY, dir.to_str().expect("UTF-8 path")]);
    output(&mut accord(&all))
}

/// What `after` adds to `before`, when that is all it changes.
fn inserted<'a>(before: &str, after: &'a str) -> &'a str {
    let prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = before[prefix..]
        .bytes()
        .rev()
        .zip(after[prefix..].bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert_eq!(
        prefix + suffix,
        before.len(),
        "more than an insertion changed:\n{after}"
    );
    &after[prefix..after.len() - suffix]
}

#[test]
fn sign_adds_the_signature_and_keeps_every_other_byte() {
    let dir = org("sign-adds");
    edit(
        &dir,
        AGREEMENT,
        "by = \"ana-garcia\"\n",
        "by = \"ana-garcia\" # signed at the workshop\n",
    );
    edit(&dir, AGREEMENT, SALES_SIGNATURE, "\n# sales signs below\n");
    let before = read(&dir, AGREEMENT);
    let (code, findings) = check_json(&dir, &[]);
    assert_eq!(code, 1, "unsigned before: {findings:?}");

    let out = run(&dir, &["sign", "marketing-sales", "--as", "bruno-diaz"]);
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let after = read(&dir, AGREEMENT);
    // One blank line and the block; which side of the blank line the comparison puts
    // the insertion on is the same bytes.
    let block = "[[signature]]\nparty = \"sales\"\nby = \"bruno-diaz\"\ndate = 2026-06-15\n";
    assert!(
        [format!("\n{block}"), format!("{block}\n")]
            .contains(&inserted(&before, &after).to_owned()),
        "{after}"
    );
    let (code, findings) = check_json(&dir, &["--deny-warnings"]);
    assert_eq!(
        (code, findings),
        (0, vec![]),
        "check accepts the signed file"
    );
}

#[test]
fn sign_replaces_the_partys_signature_in_place() {
    let dir = org("sign-replaces");
    let before = read(&dir, AGREEMENT);
    let out = run(&dir, &["sign", "marketing-sales", "--as", "elena-mora"]);
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    assert_eq!(
        read(&dir, AGREEMENT),
        before.replace(
            "by = \"bruno-diaz\"\ndate = 2025-12-16",
            "by = \"elena-mora\"\ndate = 2026-06-15"
        )
    );
    assert_eq!(check_json(&dir, &[]).0, 0);
}

#[test]
fn sign_takes_the_date_from_date_or_accord_today() {
    let dir = org("sign-dates");
    let dir_arg = dir.to_str().unwrap();
    let out = output(
        accord(&["sign", "marketing-sales", "--as", "elena-mora", dir_arg])
            .env("ACCORD_TODAY", "2026-06-10"),
    );
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    assert!(read(&dir, AGREEMENT).contains("by = \"elena-mora\"\ndate = 2026-06-10\n"));
    let out = run(
        &dir,
        &[
            "sign",
            "marketing-sales",
            "--as",
            "ana-garcia",
            "--date",
            "2026-06-01",
        ],
    );
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    assert!(read(&dir, AGREEMENT).contains("by = \"ana-garcia\"\ndate = 2026-06-01\n"));
    // After today: signature-in-future would fire, so it is refused.
    let before = read(&dir, AGREEMENT);
    let out = run(
        &dir,
        &[
            "sign",
            "marketing-sales",
            "--as",
            "ana-garcia",
            "--date",
            "2026-06-16",
        ],
    );
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    assert_eq!(read(&dir, AGREEMENT), before);
}

#[test]
fn sign_refuses_a_non_member_with_a_located_finding() {
    let dir = org("sign-non-member");
    let before = read(&dir, AGREEMENT);
    let out = run(
        &dir,
        &[
            "sign",
            "marketing-sales",
            "--as",
            "ana-garcia",
            "--party",
            "sales",
        ],
    );
    let text = all_output(&out);
    assert_eq!(exit_code(&out), 1, "{text}");
    assert!(text.contains("error[signer-outside-party]"), "{text}");
    assert!(text.contains("people.toml:3:10"), "{text}");
    assert!(text.contains("`bruno-diaz`"), "names who may sign: {text}");
    // In no party at all.
    let out = run(&dir, &["sign", "marketing-sales", "--as", "carmen-ruiz"]);
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    assert!(all_output(&out).contains("people.toml:15:10"));
    assert_eq!(read(&dir, AGREEMENT), before, "the file is untouched");
}

#[test]
fn sign_asks_for_the_party_when_the_signer_is_in_two() {
    let dir = org("sign-ambiguous");
    edit(
        &dir,
        "people.toml",
        "teams = [\"marketing\"]",
        "teams = [\"marketing\", \"sales\"]",
    );
    let before = read(&dir, AGREEMENT);
    let out = run(&dir, &["sign", "marketing-sales", "--as", "ana-garcia"]);
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    assert!(all_output(&out).contains("--party"), "{}", all_output(&out));
    assert_eq!(read(&dir, AGREEMENT), before);
    let out = run(
        &dir,
        &[
            "sign",
            "marketing-sales",
            "--as",
            "ana-garcia",
            "--party",
            "sales",
        ],
    );
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    assert!(read(&dir, AGREEMENT).contains("party = \"sales\"\nby = \"ana-garcia\"\n"));
}

#[test]
fn sign_suggests_the_closest_id_for_an_unknown_one() {
    let dir = org("sign-unknown");
    let before = read(&dir, AGREEMENT);
    for (args, suggestion) in [
        (
            [
                "sign",
                "marketing-sale",
                "--as",
                "bruno-diaz",
                "--party",
                "sales",
            ],
            "`marketing-sales`",
        ),
        (
            [
                "sign",
                "marketing-sales",
                "--as",
                "bruno",
                "--party",
                "sales",
            ],
            "`bruno-diaz`",
        ),
        (
            [
                "sign",
                "marketing-sales",
                "--as",
                "bruno-diaz",
                "--party",
                "sale",
            ],
            "`sales`",
        ),
    ] {
        let out = run(&dir, &args);
        let text = all_output(&out);
        assert_eq!(exit_code(&out), 2, "{args:?}: {text}");
        assert!(
            text.contains(&format!("did you mean {suggestion}?")),
            "{text}"
        );
    }
    let out = run(
        &dir,
        &[
            "sign",
            "marketing-sales",
            "--as",
            "bruno-diaz",
            "--party",
            "leadership",
        ],
    );
    assert_eq!(exit_code(&out), 2);
    assert!(
        all_output(&out).contains("not a party"),
        "{}",
        all_output(&out)
    );
    assert_eq!(read(&dir, AGREEMENT), before);
}

#[test]
fn sign_and_renew_leave_an_org_with_structural_errors_untouched() {
    let dir = org("sign-structural");
    edit(&dir, "kpis/leads-created.toml", "name =", "nmae =");
    let before = read(&dir, AGREEMENT);
    let out = run(&dir, &["sign", "marketing-sales", "--as", "elena-mora"]);
    let text = all_output(&out);
    assert_eq!(exit_code(&out), 1, "{text}");
    assert!(text.contains("error[unknown-key]"), "{text}");
    assert!(text.contains("kpis/leads-created.toml:1:1"), "{text}");
    assert_eq!(read(&dir, AGREEMENT), before);
    let out = run(
        &dir,
        &[
            "renew",
            "marketing-sales",
            "--effective",
            "2027-01-01",
            "--expires",
            "2027-12-31",
        ],
    );
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    assert!(!dir.join("agreements/marketing-sales-2027.toml").exists());
}

#[test]
fn renew_writes_the_next_version_and_pages_link_both_ways() {
    let dir = org("renew");
    edit(
        &dir,
        AGREEMENT,
        "[[term]]\nid = \"lead-volume\"",
        "# The volume promise.\n[[term]]\nid = \"lead-volume\"",
    );
    let old = read(&dir, AGREEMENT);
    let renew = [
        "renew",
        "marketing-sales",
        "--effective",
        "2027-01-01",
        "--expires",
        "2027-12-31",
    ];
    let out = run(&dir, &renew);
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    assert_eq!(read(&dir, AGREEMENT), old, "the old agreement is untouched");
    let new_path = "agreements/marketing-sales-2027.toml";
    let expected = old
        .replace("SLA 2026", "SLA 2027")
        .replace("effective = 2026-01-01", "effective = 2027-01-01")
        .replace(
            "expires = 2026-12-31\n",
            "expires = 2027-12-31\nsupersedes = \"marketing-sales\"\n",
        )
        .replace(
            "\n\n[[signature]]\nparty = \"marketing\"\nby = \"ana-garcia\"\ndate = 2025-12-15\n",
            "\n",
        )
        .replace(SALES_SIGNATURE, "");
    assert_eq!(read(&dir, new_path), expected);
    let (code, findings) = check_json(&dir, &[]);
    assert_eq!(code, 1);
    let rules: Vec<String> = findings.iter().map(|f| f.short(false)).collect();
    assert_eq!(
        rules,
        [
            format!("unsigned-agreement error {new_path}:3"),
            format!("unsigned-agreement error {new_path}:3"),
        ],
        "no structural error, only the missing signatures"
    );

    // Never over an existing file or id.
    let out = run(&dir, &renew);
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    let mut with_id = renew.to_vec();
    with_id.extend(["--id", "marketing-sales"]);
    let out = run(&dir, &with_id);
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    assert_eq!(read(&dir, AGREEMENT), old);
    // A name taken by something that is not an agreement (here a folder) is not replaced.
    fs::create_dir(dir.join("agreements/sla-next.toml")).unwrap();
    let mut over_file = renew.to_vec();
    over_file.extend(["--id", "sla-next"]);
    let out = run(&dir, &over_file);
    assert_eq!(exit_code(&out), 2, "{}", all_output(&out));
    assert!(
        all_output(&out).contains("already exists"),
        "{}",
        all_output(&out)
    );
    assert!(dir.join("agreements/sla-next.toml").is_dir());
    fs::remove_dir(dir.join("agreements/sla-next.toml")).unwrap();

    // Both parties sign the renewal; then the site links the versions both ways.
    for person in ["ana-garcia", "bruno-diaz"] {
        let out = run(&dir, &["sign", "marketing-sales-2027", "--as", person]);
        assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    }
    assert_eq!(check_json(&dir, &[]).0, 0);
    let site = dir.parent().unwrap().join("site");
    let out = run(&dir, &["build", "-o", site.to_str().unwrap()]);
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let old_page = fs::read_to_string(site.join("agreements/marketing-sales.html")).unwrap();
    let new_page = fs::read_to_string(site.join("agreements/marketing-sales-2027.html")).unwrap();
    assert!(old_page.contains("Superseded by"), "{old_page}");
    assert!(
        old_page.contains("href=\"../agreements/marketing-sales-2027.html\""),
        "{old_page}"
    );
    assert!(new_page.contains("Supersedes"), "{new_page}");
    assert!(
        new_page.contains("href=\"../agreements/marketing-sales.html\""),
        "{new_page}"
    );
    let data = fs::read_to_string(site.join("data.json")).unwrap();
    assert!(
        data.contains("\"supersedes\":\"marketing-sales\"")
            || data.contains("\"supersedes\": \"marketing-sales\"")
    );
}

#[test]
fn renew_keeps_the_subfolder_and_takes_an_explicit_id() {
    let dir = org("renew-subfolder");
    fs::create_dir_all(dir.join("agreements/sales")).unwrap();
    fs::rename(
        dir.join(AGREEMENT),
        dir.join("agreements/sales/marketing-sales.toml"),
    )
    .unwrap();
    let out = run(
        &dir,
        &[
            "renew",
            "marketing-sales",
            "--effective",
            "2026-07-01",
            "--expires",
            "2027-06-30",
            "--id",
            "marketing-sales-h2",
        ],
    );
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let text = read(&dir, "agreements/sales/marketing-sales-h2.toml");
    assert!(
        text.contains("title = \"Marketing-Sales SLA 2026\""),
        "same year: {text}"
    );
    assert!(text.contains("supersedes = \"marketing-sales\""), "{text}");
    assert!(!text.contains("[[signature]]"), "{text}");
}
