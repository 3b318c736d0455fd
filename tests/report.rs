//! `accord report` and the site's `review.html`: the pack for the monthly review (SPEC
//! 7.8), checked against example-org's actuals by hand.

mod common;

use std::fs;
use std::path::Path;

use common::{accord, all_output, copy_dir, exit_code, fixture, output, stdout, temp_dir};

fn report(org: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "report".as_ref(),
        org.as_os_str(),
        "--today".as_ref(),
        "2026-10-15".as_ref(),
    ];
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    output(&mut accord(&args))
}

fn example_org() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-org")
}

/// September 2026, the last complete month on 2026-10-15. Complete leads: 96.94 % of
/// 196 leads against 95: misses round(3.06 % x 196) = 6, allowed floor(5 % x 196) = 9.
/// August: 94.15 % of 188, below 95: off target, 11 misses of 9 allowed.
#[test]
fn the_pack_has_the_month_s_numbers_problems_actions_and_decisions() {
    let out = report(&example_org(), &[]);
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let md = stdout(&out);
    assert!(
        md.starts_with("## Monthly review 2026-09: Estanterías Peñalara\n"),
        "{md}"
    );
    for line in [
        "- Marketing-Sales SLA 2026 / Complete lead data (Marketing): 96.94 % (2026-09) against 95 %: met, 6 misses of 9 allowed",
        "- Marketing-Sales SLA 2026 / 70 qualified MQLs a month (Marketing): 76 (2026-09) against 70: met",
        // A weekly KPI: the last week ended in September.
        "- Marketing-Sales SLA 2026 / Call every new lead within 4 minutes (Sales): 3 minutes (2026-W39) against 4 minutes: met",
        "  - Add a fixed list of rejection reasons to the MQL verdict in the CRM (Smarketing weekly, 2026-10-23)",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    let sections: Vec<&str> = md.lines().filter(|l| l.starts_with("### ")).collect();
    assert_eq!(
        sections,
        [
            "### Numbers",
            "### Problems",
            "### Actions",
            "### Decisions needed",
            "### Changes in the month"
        ]
    );

    let august = stdout(&report(&example_org(), &["--period", "2026-08"]));
    assert!(
        august.contains("- Marketing-Sales SLA 2026 / Complete lead data (Marketing): 94.15 % (2026-08) against 95 %: **missed**, 11 misses of 9 allowed"),
        "{august}"
    );
    assert!(
        august.contains("- KPI Complete leads off target: 94.15 % in 2026-08 against 95 %"),
        "{august}"
    );

    let bad = report(&example_org(), &["--period", "2026-13"]);
    assert_eq!(exit_code(&bad), 2);
    assert!(all_output(&bad).contains("`2026-13` is not a month"));
}

/// Text from the files cannot reshape the Markdown, and decisions name what is missing.
#[test]
fn text_from_the_files_stays_text_and_decisions_are_named() {
    let org = temp_dir("report-hostile").child("org");
    copy_dir(&fixture("clean"), &org);
    let meeting = org.join("meetings/smarketing-weekly.toml");
    let text = fs::read_to_string(&meeting).unwrap();
    fs::write(
        &meeting,
        text.replace(
            "Fix the phone field of the web form",
            "**Fix** [it](javascript:x) <b>now</b> | `now`",
        ),
    )
    .unwrap();
    let agreement = org.join("agreements/marketing-sales.toml");
    let text = fs::read_to_string(&agreement).unwrap();
    fs::write(
        &agreement,
        text.replace(
            "\n[[signature]]\nparty = \"sales\"\nby = \"bruno-diaz\"\ndate = 2025-12-16\n",
            "\n",
        ),
    )
    .unwrap();
    let md = stdout(&report(&org, &["--period", "2026-09"]));
    assert!(
        md.contains("\\*\\*Fix\\*\\* \\[it\\](javascript:x) \\<b\\>now\\</b\\> \\| \\`now\\`"),
        "{md}"
    );
    assert!(
        md.contains("- Marketing-Sales SLA 2026 is not signed by Sales"),
        "{md}"
    );
    // The agreement ends on 2026-12-31: within 60 days of 2026-11-15.
    let later = output(&mut accord(&[
        "report".as_ref(),
        org.as_os_str(),
        "--today".as_ref(),
        "2026-11-15".as_ref(),
    ]));
    assert!(
        stdout(&later)
            .contains("- Marketing-Sales SLA 2026 ends on 2026-12-31 (in 46 days): renew it?"),
        "{}",
        stdout(&later)
    );
}

/// The same pack as the site's page, and from `--format html`.
#[test]
fn the_pack_is_a_page_of_the_site_too() {
    let html = stdout(&report(&example_org(), &["--format", "html"]));
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(html.contains("<h1>Monthly review 2026-09</h1>"), "{html}");
    let site = temp_dir("report-site").child("public");
    common::build_site(&example_org(), &site, "2026-10-15");
    let page = fs::read_to_string(site.join("review.html")).unwrap();
    assert!(page.contains("<h1>Monthly review 2026-09</h1>"));
    assert!(
        page.contains("<span class=\"value\" data-unit=\"percent\">96.94 %</span> <span class=\"muted\">(2026-09)</span>"),
        "{page}"
    );
    assert!(
        fs::read_to_string(site.join("index.html"))
            .unwrap()
            .contains("<a href=\"review.html\">Monthly review</a>")
    );
}
