//! `accord measure`: KPI actuals computed from a CRM export (SPEC 7.7), checked against
//! values computed by hand from the fixture's rows.
//!
//! tests/fixtures/measure-speed-to-call/records/leads.csv is a semicolon-separated
//! export with `dd/mm/yyyy HH:MM` times in Europe/Madrid, decimal commas, a CRLF header,
//! and a calendar of mon-fri 08:00-19:00 with 2026-03-19 a holiday. Business minutes of
//! each row, from `Create Date` to `First Call`:
//!
//! | row | created          | first call       | business minutes                       |
//! |-----|------------------|------------------|----------------------------------------|
//! | 100 | Fri 27/02 18:00  | Mon 02/03 08:30  | 60 (Fri 18-19) + 30 (Mon 8-8:30) = 90  |
//! | 101 | Mon 02/03 09:00  | Mon 02/03 09:03  | 3                                      |
//! | 102 | Mon 02/03 07:30  | Mon 02/03 08:06  | 6: before hours, starts at 08:00       |
//! | 103 | Fri 06/03 18:50  | Mon 09/03 08:10  | 10 + 10 = 20 (weekend closed)          |
//! | 104 | Wed 18/03 18:30  | Fri 20/03 08:15  | 30 + 15 = 45 (Thu 19 holiday)          |
//! | 105 | Fri 27/03 18:45  | Mon 30/03 08:02  | 15 + 2 = 17 (DST change on Sun 29/03)  |
//! | 106 | Tue 10/03 10:00  | (empty)          | none: excluded, a miss for `within`    |
//! | 107 | Tue 10/03 11:00  | Tue 10/03 11:02  | 2, but `Customer`: filtered by `where` |
//! | 108 | Thu 12/03 12:00  | Thu 12/03 12:04  | 4                                      |
//! | 109 | Sat 14/03 10:00  | Mon 16/03 08:01  | 1: created on Saturday                 |
//! | 110 | Wed 01/04 09:00  | Wed 01/04 09:05  | April: not complete on 2026-04-15      |

mod common;

use std::fs;
use std::path::Path;

use common::{accord, all_output, copy_dir, exit_code, fixture, output, temp_dir};

const TODAY: &str = "2026-04-15";

fn org(name: &str) -> common::TempPath {
    let dir = temp_dir(name).child("org");
    copy_dir(&fixture("measure-speed-to-call"), &dir);
    dir
}

fn measure(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<std::ffi::OsString> = vec!["measure".into(), dir.as_os_str().to_owned()];
    args.extend(extra.iter().map(std::ffi::OsString::from));
    args.extend(["--today".into(), TODAY.into()]);
    output(&mut accord(&args))
}

/// Replaces `from` with `to` in the file at `path` (from the org root), which must hold it.
fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let file = dir.join(path);
    let text = fs::read_to_string(&file).expect("a file of the fixture");
    assert!(text.contains(from), "`{from}` is not in {path}");
    fs::write(&file, text.replace(from, to)).expect("edit");
}

fn actuals(dir: &Path, kpi: &str) -> String {
    fs::read_to_string(dir.join("actuals").join(format!("{kpi}.csv"))).expect("actuals written")
}

#[test]
fn median_p95_and_shares_agree_with_the_arithmetic_by_hand() {
    let dir = org("measure-by-hand");
    let out = measure(&dir, &[]);
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    // March rows that pass `where` (Lead or MQL): 101-106, 108, 109 = 8 (count).
    // Their durations, without 106 (no first call): 3, 6, 20, 45, 17, 4, 1;
    // sorted 1, 3, 4, 6, 17, 20, 45: the median is the 4th of 7, 6.
    // February: row 100 alone, 90 minutes. The January row (hand-typed, no record
    // covers it) is kept; the stale March 99 is replaced.
    assert_eq!(
        actuals(&dir, "speed-to-call"),
        "period,value,count\n2026-01,12,\n2026-02,90,1\n2026-03,6,8\n"
    );
    // p95, nearest rank: ceil(0.95 x 7) = ceil(6.65) = 7, the largest: 45.
    assert_eq!(
        actuals(&dir, "speed-to-call-p95"),
        "period,value,count\n2026-02,90,1\n2026-03,45,8\n"
    );
    // Within 4 business minutes: 101 (3), 108 (4), 109 (1) = 3 of 8 rows (106, never
    // called, is a miss): 37.5 %. February: 90 > 4, 0 of 1.
    assert_eq!(
        actuals(&dir, "called-within-4"),
        "period,value,count\n2026-02,0,1\n2026-03,37.5,8\n"
    );
    // Email and Phone both filled: all but 102 (no phone) and 105 (no e-mail): 6 of 8,
    // 75 %.
    assert_eq!(
        actuals(&dir, "complete-leads"),
        "period,value,count\n2026-02,100,1\n2026-03,75,8\n"
    );
    // Amounts with decimal commas (105 has none): 10,5 + 20,25 + 5 + 1.000,75 + 7,25 +
    // 2 + 4,25 = 1050 over 7 rows: a mean of 150. (107's 999 is a Customer's.)
    assert_eq!(
        actuals(&dir, "lead-amount"),
        "period,value,count\n2026-02,3.5,1\n2026-03,150,8\n"
    );

    // The spread of March, the latest complete month, cut at the limit (the target 4,
    // or `within = 4`) and 3 and 15 times it: at most 4: 1, 3, 4 (rows 109, 101, 108);
    // 4-12: 6; 12-60: 17, 20, 45; over 60: none; 106 has no first call.
    let march_in_bands = "period,band,count\n2026-03,0-4,3\n2026-03,4-12,1\n2026-03,12-60,3\n2026-03,60+,0\n2026-03,no end,1\n";
    assert_eq!(bands(&dir, "speed-to-call"), march_in_bands);
    assert_eq!(bands(&dir, "called-within-4"), march_in_bands);
    // The p95's target is 60: bands at 60, 180 and 900 minutes.
    assert_eq!(
        bands(&dir, "speed-to-call-p95"),
        "period,band,count\n2026-03,0-60,7\n2026-03,60-180,0\n2026-03,180-900,0\n2026-03,900+,0\n2026-03,no end,1\n"
    );
    // Nothing is timed for a share of filled rows or a mean of amounts.
    for kpi in ["complete-leads", "lead-amount"] {
        assert!(
            !dir.join(format!("actuals/{kpi}.bands.csv")).exists(),
            "{kpi}"
        );
    }
}

fn bands(dir: &Path, kpi: &str) -> String {
    fs::read_to_string(dir.join("actuals").join(format!("{kpi}.bands.csv"))).expect("bands written")
}

#[test]
fn check_fails_when_a_record_changes_and_writes_nothing() {
    let dir = org("measure-check");
    let before = actuals(&dir, "speed-to-call");
    let stale = measure(&dir, &["--check"]);
    assert_eq!(exit_code(&stale), 1, "{}", all_output(&stale));
    assert!(all_output(&stale).contains("actuals/speed-to-call.csv is out of date"));
    assert_eq!(
        actuals(&dir, "speed-to-call"),
        before,
        "--check writes nothing"
    );
    assert_eq!(exit_code(&measure(&dir, &[])), 0);
    let fresh = measure(&dir, &["--check"]);
    assert_eq!(exit_code(&fresh), 0, "{}", all_output(&fresh));
    // Row 108 is called a minute later, at 12:05: 5 business minutes, now a miss for
    // `within = 4` (the median, 6, and the p95, 45, do not move).
    edit(
        &dir,
        "records/leads.csv",
        "12/03/2026 12:04",
        "12/03/2026 12:05",
    );
    let changed = measure(&dir, &["--check"]);
    assert_eq!(exit_code(&changed), 1, "{}", all_output(&changed));
    assert!(
        all_output(&changed).contains("actuals/called-within-4.csv is out of date"),
        "{}",
        all_output(&changed)
    );
}

#[test]
fn records_may_stay_outside_the_repository() {
    let dir = org("measure-outside");
    let outside = temp_dir("measure-outside-exports").child("exports");
    fs::create_dir_all(&outside).expect("folder");
    fs::rename(dir.join("records/leads.csv"), outside.join("leads.csv")).expect("move");
    let missing = measure(&dir, &[]);
    assert_eq!(exit_code(&missing), 1);
    assert!(all_output(&missing).contains("records/leads.csv, does not exist"));
    let path = outside.join("leads.csv");
    let given = format!("leads={}", path.display());
    let out = measure(&dir, &["--records", &given]);
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    assert_eq!(
        actuals(&dir, "speed-to-call"),
        "period,value,count\n2026-01,12,\n2026-02,90,1\n2026-03,6,8\n"
    );
    let by_env = output(
        accord(&[
            "measure".as_ref(),
            dir.as_os_str(),
            "--check".as_ref(),
            "--today".as_ref(),
            TODAY.as_ref(),
        ])
        .env("ACCORD_RECORDS", &outside),
    );
    assert_eq!(exit_code(&by_env), 0, "{}", all_output(&by_env));
}

#[test]
fn an_xlsx_export_gives_the_same_actuals_as_the_csv() {
    let from_csv = org("measure-from-csv");
    assert_eq!(exit_code(&measure(&from_csv, &[])), 0);
    let dir = org("measure-from-xlsx");
    fs::remove_file(dir.join("records/leads.csv")).expect("remove the CSV");
    let workbook = fixture("measure-xlsx").join("leads.xlsx");
    let given = format!("leads={}", workbook.display());
    let out = measure(&dir, &["--records", &given]);
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    for kpi in [
        "speed-to-call",
        "speed-to-call-p95",
        "called-within-4",
        "complete-leads",
        "lead-amount",
    ] {
        assert_eq!(actuals(&dir, kpi), actuals(&from_csv, kpi), "{kpi}");
    }
}

#[test]
fn no_record_value_reaches_the_site() {
    let dir = org("measure-site");
    let site = temp_dir("measure-site-out").child("public");
    let out = output(&mut accord(&[
        "build".as_ref(),
        dir.as_os_str(),
        "-o".as_ref(),
        site.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let mut pending = vec![site.to_path_buf()];
    let mut files = 0;
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).expect("site folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files += 1;
                let bytes = fs::read(&path).expect("site file");
                let text = String::from_utf8_lossy(&bytes);
                // A marker e-mail from row 102 of the records, and a phone number.
                assert!(
                    !text.contains("marker-7f3a"),
                    "{} holds a record value",
                    path.display()
                );
                assert!(
                    !text.contains("600000101"),
                    "{} holds a record value",
                    path.display()
                );
            }
        }
    }
    assert!(files > 10, "the site was built: {files} files");
}

/// The first `-->` location of the output: `file:line`.
fn first_location(out: &std::process::Output) -> String {
    let text = all_output(out);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("-->"))
        .unwrap_or_default();
    let place = line.trim_start().trim_start_matches("-->").trim();
    place
        .rsplit_once(':')
        .map_or(place, |(file_line, _)| file_line)
        .to_owned()
}

#[test]
fn an_unknown_column_names_the_columns_and_the_closest() {
    let dir = org("measure-column");
    edit(
        &dir,
        "kpis/speed-to-call.toml",
        "to = \"First Call\"",
        "to = \"First call\"",
    );
    let out = measure(&dir, &[]);
    assert_eq!(exit_code(&out), 1);
    let text = all_output(&out);
    assert!(
        text.contains(
            "error[dangling-reference]: there is no column `First call` in records/leads.csv"
        ),
        "{text}"
    );
    assert!(text.contains("did you mean `First Call`? the columns of records/leads.csv are `Record ID`, `Create Date`, `First Call`,"), "{text}");
    assert_eq!(first_location(&out), "kpis/speed-to-call.toml:12");
    assert_eq!(
        actuals(&dir, "speed-to-call"),
        "period,value\n2026-01,12\n2026-03,99\n",
        "nothing written"
    );
}

#[test]
fn times_that_cannot_be_read_name_the_row_and_the_format() {
    let dir = org("measure-time");
    edit(
        &dir,
        "records/leads.csv",
        "104;18/03/2026 18:30",
        "104;2026-03-18 18:30",
    );
    let out = measure(&dir, &[]);
    assert_eq!(exit_code(&out), 1);
    let output_text = all_output(&out);
    assert!(
        output_text.contains(
            "`Create Date` holds `2026-03-18 18:30`, not a time in the format \"%d/%m/%Y %H:%M\""
        ),
        "{output_text}"
    );
    assert_eq!(first_location(&out), "records/leads.csv:6");
}

#[test]
fn an_ambiguous_date_asks_for_date_format() {
    let dir = org("measure-ambiguous");
    edit(
        &dir,
        "accord.toml",
        "date_format = \"%d/%m/%Y %H:%M\"\n",
        "",
    );
    let out = measure(&dir, &[]);
    assert_eq!(exit_code(&out), 1);
    let text = all_output(&out);
    assert!(text.contains("`Create Date` holds `27/02/2026 18:00`, which is not ISO 8601 and whose day and month order only you know"), "{text}");
    assert!(text.contains("set `date_format` in [records.leads] of accord.toml, e.g. date_format = \"%d/%m/%Y %H:%M\""), "{text}");
    assert_eq!(first_location(&out), "records/leads.csv:2");
}

#[test]
fn measure_keys_are_checked_like_every_other_key() {
    let dir = org("measure-keys");
    edit(&dir, "kpis/complete-leads.toml", "filled = ", "filed = ");
    edit(
        &dir,
        "kpis/complete-leads.toml",
        "records = \"leads\"",
        "records = \"lead\"",
    );
    let out = output(&mut accord(&[
        "check".as_ref(),
        dir.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    let findings = common::json_findings(&out);
    let shown: Vec<(String, usize)> = findings
        .iter()
        .filter(|f| f.file == "kpis/complete-leads.toml")
        .map(|f| (f.rule.clone(), f.line))
        .collect();
    assert_eq!(
        shown,
        // The misspelt key, and the share that lost its `filled`.
        [
            ("invalid-value".to_owned(), 11),
            ("unknown-key".to_owned(), 12)
        ],
        "{}",
        all_output(&out)
    );
    assert!(all_output(&out).contains("did you mean `filled`?"));
    // With the key fixed, the record set's name is checked.
    edit(&dir, "kpis/complete-leads.toml", "filed = ", "filled = ");
    let out = output(&mut accord(&[
        "check".as_ref(),
        dir.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    let findings = common::json_findings(&out);
    assert!(
        findings.iter().any(|f| f.rule == "dangling-reference"
            && f.file == "kpis/complete-leads.toml"
            && f.line == 10),
        "{}",
        all_output(&out)
    );
}

#[test]
fn an_actuals_link_out_of_the_org_stops_measure() {
    let dir = org("measure-link");
    let outside = temp_dir("measure-link-target").child("elsewhere.csv");
    fs::create_dir_all(outside.parent().expect("parent")).expect("folder");
    fs::write(&outside, "period,value\n2026-01,1\n").expect("target");
    let link = dir.join("actuals/speed-to-call.csv");
    fs::remove_file(&link).expect("remove");
    std::os::unix::fs::symlink(&outside, &link).expect("symlink");
    let out = measure(&dir, &[]);
    assert_eq!(exit_code(&out), 1, "{}", all_output(&out));
    assert!(
        all_output(&out).contains("error[link-outside-org]"),
        "{}",
        all_output(&out)
    );
    assert_eq!(
        fs::read_to_string(&outside).expect("target"),
        "period,value\n2026-01,1\n",
        "nothing written through the link"
    );
}

#[test]
fn init_keeps_raw_exports_out_of_the_repository() {
    let dir = temp_dir("measure-init").child("org");
    let out = output(&mut accord(&["init".as_ref(), dir.as_os_str()]));
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let ignored = fs::read_to_string(dir.join(".gitignore")).expect(".gitignore");
    assert!(ignored.lines().any(|l| l == "/records/"), "{ignored}");
    let readme = fs::read_to_string(dir.join("README.md")).expect("README.md");
    assert!(
        readme.contains("ACCORD_RECORDS=FOLDER"),
        "the org README says where exports may stay"
    );
}

/// What `measure` writes is what `check` reads: no structural error and no error-level
/// finding in the actuals it wrote.
#[test]
fn check_reads_what_measure_writes() {
    let dir = org("measure-then-check");
    assert_eq!(exit_code(&measure(&dir, &[])), 0);
    let out = output(&mut accord(&[
        "check".as_ref(),
        dir.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]));
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let findings = common::json_findings(&out);
    assert!(findings.iter().all(|f| f.level != "error"), "{findings:?}");
}

/// The text of the HTML element that opens with `opening` (to its matching close tag of
/// the same name), tags removed and white space collapsed.
fn element_text(html: &str, opening: &str) -> String {
    let start = html
        .find(opening)
        .unwrap_or_else(|| panic!("`{opening}` is not in the page"));
    let tag = opening[1..]
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut depth = 0;
    let mut at = start;
    let end = loop {
        let next_open = html[at + 1..].find(&open).map(|i| i + at + 1);
        let next_close = html[at..].find(&close).map(|i| i + at).expect("closed");
        match next_open {
            Some(o) if o < next_close => {
                depth += 1;
                at = o;
            }
            _ if depth == 0 => break next_close,
            _ => {
                depth -= 1;
                at = next_close + 1;
            }
        }
    };
    common::visible_text(&html[start..end])
}

/// Each measured KPI page says in words what `[measure]` computes and shows the count of
/// each period; a term on a percent KPI shows its error budget per period (SPEC 7.7),
/// with its escalation flagged when the latest period's budget is spent.
#[test]
fn the_site_says_how_each_kpi_is_measured_and_what_each_term_may_miss() {
    let dir = org("measure-words");
    let agreement = dir.join("agreements/marketing-sales.toml");
    let mut text = fs::read_to_string(&agreement).expect("agreement");
    text.push_str(
        r#"
[[term]]
id = "complete-leads"
provider = "marketing"
owner = "ana-garcia"
commitment = "Leads come with an e-mail and a phone."
kpi = "complete-leads"
target = 70
escalation = "Marketing reviews the form."

[[term]]
id = "called-within-4"
provider = "sales"
owner = "bruno-diaz"
commitment = "Nine leads in ten are called within 4 minutes."
kpi = "called-within-4"
target = 90
escalation = "The sales lead explains the misses."
"#,
    );
    fs::write(&agreement, text).expect("agreement written");
    assert_eq!(exit_code(&measure(&dir, &[])), 0);
    let site = temp_dir("measure-words-out").child("public");
    let out = output(&mut accord(&[
        "build".as_ref(),
        dir.as_os_str(),
        "-o".as_ref(),
        site.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_eq!(exit_code(&out), 0, "{}", all_output(&out));
    let page = |path: &str| fs::read_to_string(site.join(path)).expect("page");

    let words = |kpi: &str| {
        element_text(
            &page(&format!("kpis/{kpi}.html")),
            "<dd class=\"measured-as\"",
        )
    };
    assert_eq!(
        words("speed-to-call"),
        "median time from Create Date to First Call, in business minutes, of rows where Lifecycle Stage is Lead or MQL"
    );
    assert_eq!(
        words("called-within-4"),
        "share of rows whose time from Create Date to First Call is at most 4 business minutes, of rows where Lifecycle Stage is Lead or MQL"
    );
    assert_eq!(
        words("complete-leads"),
        "share of rows with Email and Phone filled, of rows where Lifecycle Stage is Lead or MQL"
    );
    assert!(
        !page("kpis/leads-created.html").contains("measured-as"),
        "a KPI without [measure] is typed by hand: nothing to say"
    );

    // The counts `measure` wrote (see the first test): none for the hand-typed January.
    let actuals = element_text(&page("kpis/speed-to-call.html"), "<section id=\"actuals\"");
    assert!(actuals.contains("Period Value Rows Status"), "{actuals}");
    assert!(
        actuals.contains("2026-01 12 minutes Off target"),
        "{actuals}"
    );
    assert!(
        actuals.contains("2026-02 90 minutes 1 Off target"),
        "{actuals}"
    );
    assert!(
        actuals.contains("2026-03 6 minutes 8 Off target"),
        "{actuals}"
    );

    // How long March's calls took, in the bands `measure` wrote; the band within the
    // target is marked.
    let spread_html = page("kpis/speed-to-call.html");
    assert_eq!(
        element_text(&spread_html, "<section id=\"spread\""),
        "How long it took, 2026-03 Took Rows Share at most 4 minutes 3 38 % 4–12 minutes 1 13 % 12–60 minutes 3 38 % over 60 minutes 0 0 % no end time yet 1 13 %"
    );
    assert!(spread_html.contains("<tr class=\"within\"><th scope=\"row\">at most 4 minutes"));
    assert!(
        !page("kpis/complete-leads.html").contains("id=\"spread\""),
        "nothing is timed: no spread"
    );

    let sla = page("agreements/marketing-sales.html");
    // complete-leads, target 70: March 6 of 8 rows complete (75 %). Allowed: 30 % of 8 =
    // 2.4, 2 rows; misses: 25 % of 8 = 2. February: 1 row, 100 %: 30 % of 1 = 0.3,
    // 0 allowed, 0 missed.
    let complete = element_text(&sla, "<section class=\"term\" id=\"term-complete-leads\"");
    assert!(
        complete.contains(
            "Error budget Period Rows Misses allowed Misses Status \
             2026-02 1 0 0 Within budget 2026-03 8 2 2 Within budget"
        ),
        "{complete}"
    );
    assert!(
        complete.contains("If missed Marketing reviews"),
        "{complete}"
    );
    // called-within-4, target 90: March 3 of 8 within 4 minutes (37.5 %). Allowed: 10 % of
    // 8 = 0.8, 0 rows; misses: 62.5 % of 8 = 5. February: 0 % of 1 row, 1 miss, 0 allowed.
    let called = element_text(&sla, "<section class=\"term\" id=\"term-called-within-4\"");
    assert!(
        called.contains(
            "2026-02 1 0 1 Budget spent 2026-03 8 0 5 Budget spent \
             If missed · Budget spent The sales lead explains"
        ),
        "{called}"
    );
    // A minutes KPI has no error budget.
    let speed = element_text(&sla, "<section class=\"term\" id=\"term-speed-to-call\"");
    assert!(!speed.contains("Error budget"), "{speed}");
}
