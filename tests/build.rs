//! `accord build` on fixture orgs: every page kind, links, safety, atomic output,
//! refusals, determinism, languages and template overrides.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Output;

use common::{TODAY, TempPath, accord, all_output, copy_dir, exit_code, fixture, output, temp_dir};

/// The date example-org is written for: its actuals run to September 2026 (the month
/// before is complete, and no period is after today), as `.ci/run` builds it.
const EXAMPLE_TODAY: &str = "2026-10-15";

/// `accord build ORG -o OUT --today 2026-06-15 EXTRA...`.
fn build(org: &Path, out: &Path, extra: &[&str]) -> Output {
    build_on(org, out, TODAY, extra)
}

/// `accord build ORG -o OUT --today TODAY EXTRA...`.
fn build_on(org: &Path, out: &Path, today: &str, extra: &[&str]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "build".as_ref(),
        org.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ];
    args.extend(
        ["--today", today]
            .iter()
            .chain(extra)
            .map(|a| std::ffi::OsStr::new(*a)),
    );
    output(&mut accord(&args))
}

fn built(org: &Path, name: &str) -> TempPath {
    built_on(org, name, TODAY)
}

/// example-org, built on the date it is written for.
fn built_example(name: &str) -> TempPath {
    let org = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-org");
    built_on(&org, name, EXAMPLE_TODAY)
}

fn built_on(org: &Path, name: &str, today: &str) -> TempPath {
    let out = temp_dir(name).child("site");
    let result = build_on(org, &out, today, &[]);
    assert_eq!(
        exit_code(&result),
        0,
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

/// Every file under `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk the site"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (path, fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn page(site: &Path, path: &str) -> String {
    fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The values of `attribute="..."` in an HTML text.
fn attributes<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!("{attribute}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn example_org_has_every_page_kind() {
    let org = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-org");
    let site = built_example("example-pages");
    let files = files(&site);
    for path in [
        "index.html",
        "owners.html",
        "plan.html",
        "health.html",
        "style.css",
        "data.json",
    ] {
        assert!(files.contains_key(path), "{path} missing");
    }
    let people: toml::Table = fs::read_to_string(org.join("people.toml"))
        .unwrap()
        .parse()
        .unwrap();
    for id in people.keys() {
        assert!(
            files.contains_key(&format!("people/{id}.html")),
            "people/{id}.html missing"
        );
    }
    for (folder, count) in [
        ("teams", 6),
        ("personas", 2),
        ("kpis", 13),
        ("agreements", 3),
        ("meetings", 5),
        ("docs", 5),
    ] {
        let pages = files
            .keys()
            .filter(|p| p.starts_with(&format!("{folder}/")) && p.ends_with(".html"))
            .count();
        assert_eq!(pages, count, "{folder}");
    }

    let index = page(&site, "index.html");
    assert!(index.contains("<html lang=\"en\">"));
    assert!(
        index.contains("state-active")
            && index.contains("Marketing-Sales <abbr title=\"Service level agreement"),
        "agreements with their state, the abbreviation explained"
    );
    // Every page offers newcomers the start page ([site] start).
    assert!(
        index.contains("<a class=\"start\" href=\"docs/start-here.html\">New here? Start here</a>")
    );
    assert!(
        page(&site, "kpis/mql-delivered.html")
            .contains("<a class=\"start\" href=\"../docs/start-here.html\">")
    );
    assert!(index.contains("On target"), "KPIs against target");
    assert!(
        index.contains(&format!("<time datetime=\"{EXAMPLE_TODAY}\">")),
        "the date used is in the footer"
    );

    let agreement = page(&site, "agreements/marketing-sales-sla-2026.html");
    for expected in [
        "id=\"term-lead-data\"",
        "../teams/marketing.html",
        "../kpis/",
        "Signatures",
        "2025-12-15",
        "Executive sponsor",
    ] {
        assert!(
            agreement.contains(expected),
            "agreement page lacks {expected}"
        );
    }
    let kpi = page(&site, "kpis/meetings-booked.html");
    assert!(
        kpi.contains("<svg class=\"chart\"") && kpi.contains("class=\"target-line\""),
        "chart"
    );
    assert!(kpi.contains("Each owner&#39;s part"), "shares");
    let plan = page(&site, "plan.html");
    assert!(plan.contains("class=\"chart funnel\"") && plan.contains("<table>"));
    let owners = page(&site, "owners.html");
    assert!(owners.contains("id=\"by-person\"") && owners.contains("id=\"by-team\""));
    assert!(page(&site, "health.html").contains("No findings"));

    let data: serde_json::Value =
        serde_json::from_slice(&files["data.json"]).expect("data.json is JSON");
    assert_eq!(data["today"], EXAMPLE_TODAY);
    assert_eq!(
        data["org"]["agreements"]["marketing-sales-sla-2026"]["parties"][0],
        "marketing"
    );
    assert!(data["responsibilities"]["lucia-fernandez"].is_array());
}

/// The entries of a site's `search-index.js`: `[kind, href, title, text, folded title,
/// folded text]`, after its kinds.
fn search_index(site: &Path) -> (Vec<String>, Vec<serde_json::Value>) {
    let script = page(site, "search-index.js");
    let json = script
        .strip_prefix("window.accordSearch = ")
        .and_then(|rest| rest.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("search-index.js assigns one global: {script:.80}"));
    let index: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
    let kinds = index["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| k.as_str().expect("a kind's name").to_owned())
        .collect();
    (kinds, index["entries"].as_array().expect("entries").clone())
}

/// The search index lists every entity page of the site and every term of every
/// agreement (at its anchor), each once, under its kind; its text is what the page says,
/// folded beside it (`Peñalara` as `penalara`, Russian included), in a file small enough
/// to load on a phone.
#[test]
fn the_search_index_holds_each_entity_once() {
    let site = built_example("example-search");
    let files = files(&site);
    let (kinds, entries) = search_index(&site);
    let hrefs: Vec<&str> = entries
        .iter()
        .map(|e| e[1].as_str().expect("an href"))
        .collect();
    let data: serde_json::Value =
        serde_json::from_slice(&files["data.json"]).expect("data.json is JSON");
    let mut expected: Vec<String> = files
        .keys()
        .filter(|path| {
            [
                "agreements/",
                "kpis/",
                "personas/",
                "teams/",
                "people/",
                "meetings/",
                "docs/",
            ]
            .iter()
            .any(|folder| path.starts_with(folder))
                && path.ends_with(".html")
        })
        .cloned()
        .collect();
    for (id, agreement) in data["org"]["agreements"].as_object().expect("agreements") {
        for term in agreement["term"].as_array().expect("terms") {
            expected.push(format!(
                "agreements/{id}.html#term-{}",
                term["id"].as_str().unwrap()
            ));
        }
    }
    expected.sort();
    let mut listed: Vec<String> = hrefs.iter().map(|h| h.to_string()).collect();
    listed.sort();
    assert_eq!(listed, expected, "each entity page and term once");
    let kind_of = |href: &str| {
        let entry = entries.iter().find(|e| e[1] == href).expect(href);
        kinds[entry[0].as_u64().expect("a kind") as usize].clone()
    };
    assert_eq!(kind_of("people/lucja-zurawska.html"), "Person");
    assert_eq!(kind_of("docs/glossary-ru.html"), "Page");
    assert_eq!(
        kind_of("agreements/marketing-sales-sla-2026.html#term-lead-data"),
        "Term"
    );
    let entry = |href: &str| entries.iter().find(|e| e[1] == href).expect(href);
    let lucja = entry("people/lucja-zurawska.html");
    assert_eq!(
        (lucja[2].as_str(), lucja[4].as_str()),
        (Some("Łucja Żurawska"), Some("lucja zurawska"))
    );
    let start = entry("docs/start-here.html");
    assert!(
        start[3]
            .as_str()
            .unwrap()
            .starts_with("Welcome to Peñalara."),
        "{start}"
    );
    assert!(
        start[5]
            .as_str()
            .unwrap()
            .starts_with("welcome to penalara."),
        "{start}"
    );
    let glossary = entry("docs/glossary-ru.html");
    assert!(
        glossary[5].as_str().unwrap().contains("лид (lead)"),
        "{glossary}"
    );
    // Long texts are cut: no entry's text passes 300 characters and an ellipsis.
    for e in &entries {
        assert!(e[3].as_str().unwrap().chars().count() <= 301, "{e}");
    }
    let size = files["search-index.js"].len();
    assert!(size < 64 * 1024, "search-index.js is {size} bytes");
}

/// The index carries text, never markup: the raw HTML of Markdown fields is dropped as
/// the pages drop it (the payloads' tags and attributes never reach it, the words around
/// them do), and one-line fields are kept as the text they are (the search page inserts
/// them as text).
#[test]
fn the_search_index_has_no_raw_html() {
    let site = built(&fixture("site-hostile"), "hostile-search");
    let index = page(&site, "search-index.js");
    // JSON escapes the quotes of attributes: the payloads are named by what is unique.
    for markup in [
        "<svg",
        "onmouseover",
        "alert(6)",
        "<script>alert(12)",
        "alert(13)",
        "alert(14)",
        "alert(15)",
        "alert(42)",
        "<script>alert(48)",
        "alert(49)",
        "alert(50)",
    ] {
        assert!(!index.contains(markup), "{markup} in {index}");
    }
    for words in [
        "hover",
        "raw link",
        "Notes",
        "New contacts",
        "At least 10 new leads",
    ] {
        assert!(index.contains(words), "{words} missing from {index}");
    }
    let (_, entries) = search_index(&site);
    let bruno = entries
        .iter()
        .find(|e| e[1] == "people/bruno-diaz.html")
        .expect("Bruno");
    assert_eq!(bruno[2], "Bruno <img src=x onerror=alert(9)> Díaz");
}

/// data.json carries its format version, and the numbers the files wrote as integers
/// stay integers (the model holds them as `f64`, which serde writes as `1500000.0`).
/// Its JSON Schema (`accord schema`) is checked against it by ajv in `.ci/run`.
#[test]
fn data_json_has_a_version_and_integers_stay_integers() {
    let site = built_example("example-data-json");
    let text = fs::read_to_string(site.join("data.json")).expect("data.json");
    let data: serde_json::Value = serde_json::from_str(&text).expect("data.json is JSON");
    assert_eq!(data["version"], 1);
    let plan = &data["org"]["settings"]["plan"];
    assert!(
        plan["revenue_target"].is_i64(),
        "{}",
        plan["revenue_target"]
    );
    assert_eq!(plan["revenue_target"], 1_500_000);
    assert!(plan["average_deal"].is_i64());
    assert!(data["org"]["kpis"]["handover-completeness"]["target"].is_i64());
    assert_eq!(data["org"]["meetings"]["operations-weekly"]["duration"], 30);
    assert!(data["org"]["actuals"]["handover-completeness"][0]["value"].is_i64());
    assert!(
        !text.contains(".0,") && !text.contains(".0\n"),
        "a whole number kept .0"
    );
    // Fractions stay fractions.
    let stages = text.matches("\"conversion\": 0.").count();
    assert!(stages >= 3, "{stages} fractional conversions");
}

#[test]
fn every_relative_link_resolves_and_nothing_is_fetched_from_elsewhere() {
    let site = built_example("example-links");
    let mut checked = 0;
    for (path, bytes) in files(&site).iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).expect("UTF-8");
        let dir = Path::new(path).parent().unwrap_or(Path::new(""));
        for src in attributes(&html, "src") {
            assert!(!src.contains("//"), "{path} loads {src} from another host");
        }
        for link in html.split("<link ").skip(1) {
            let href = attributes(link, "href")[0];
            assert!(
                !href.contains("//"),
                "{path} links a stylesheet from {href}"
            );
        }
        for target in attributes(&html, "href")
            .into_iter()
            .chain(attributes(&html, "src"))
        {
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            assert!(!target.starts_with('/'), "{path}: {target} is not relative");
            let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
            let resolved = if file.is_empty() {
                site.join(path)
            } else {
                site.join(dir).join(file)
            };
            assert!(resolved.is_file(), "{path}: {target} does not resolve");
            if !fragment.is_empty() && resolved.extension().is_some_and(|e| e == "html") {
                let target_html = fs::read_to_string(&resolved).unwrap();
                assert!(
                    target_html.contains(&format!("id=\"{fragment}\"")),
                    "{path}: no #{fragment} in {file}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let first = files(&built_example("same-1"));
    let second = files(&built_example("same-2"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between two builds");
    }
}

/// The tags of an HTML text: each `<name ...>` (lowercased), skipping escaped text.
fn tags(html: &str) -> Vec<String> {
    html.match_indices('<')
        .filter_map(|(i, _)| {
            let rest = &html[i + 1..];
            rest.starts_with(|c: char| c.is_ascii_alphabetic())
                .then(|| rest[..rest.find('>').unwrap_or(rest.len())].to_ascii_lowercase())
        })
        .collect()
}

/// The attribute names of a tag as [`tags`] gives it (`a href="x y" onclick=z` gives
/// `href`, `onclick`), reading quoted values whole, as a browser does.
fn attribute_names(tag: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = tag
        .trim_start_matches(|c: char| !c.is_whitespace())
        .trim_start();
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        names.push(rest[..end].to_ascii_lowercase());
        rest = rest[end..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            rest = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => value[1..]
                    .find(quote)
                    .map_or("", |close| &value[close + 2..]),
                _ => value
                    .find(char::is_whitespace)
                    .map_or("", |space| &value[space..]),
            }
            .trim_start();
        }
    }
    names
}

/// The payloads of `site-hostile/` in one-line text fields (names, titles, e-mail,
/// function, labels of the plan, the persona's lists and profile, sources, shares,
/// review, agenda, actions, the docs page's title), each `alert(N)` with its own N: each
/// must reach the site, as text. The Markdown fields (descriptions, summaries,
/// definitions, commitments, escalations, the docs page) carry more, whose raw HTML the
/// Markdown renderer drops.
const HOSTILE_TEXT_FIELDS: &[u32] = &[
    9, 10, 11, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 43, 44, 45, 46, 47, 51, 52, 53, 54, 55, 56,
];

/// Every text field of every entity kind in `site-hostile/` holds a script or an
/// attribute break-out (`"><img onerror=...>`): no page of the built site has a tag
/// from it, and the one-line fields show on some page as escaped text.
#[test]
fn hostile_text_never_becomes_markup() {
    let site = built(&fixture("site-hostile"), "hostile");
    let mut pages = 0;
    let mut shown = std::collections::BTreeSet::new();
    for (path, bytes) in files(&site) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).expect("UTF-8");
        for n in HOSTILE_TEXT_FIELDS {
            if html.contains(&format!("alert({n})")) {
                shown.insert(*n);
            }
        }
        // The templates' own: the search form (the header's, or search.html's) and the
        // search page's two scripts, from files. Any other is the payload's.
        let root = "../".repeat(path.matches('/').count());
        let expected: Vec<String> = if path == "search.html" {
            vec![
                "form search.html".into(),
                "input q".into(),
                "script search-index.js".into(),
                "script search.js".into(),
            ]
        } else {
            vec![
                format!("form {root}search.html"),
                "input site-search".into(),
            ]
        };
        let mut active = Vec::new();
        for tag in tags(&html) {
            let name = tag.split_whitespace().next().unwrap_or_default();
            match name {
                "form" => active.push(format!("form {}", attributes(&tag, "action").join(" "))),
                "input" => active.push(format!("input {}", attributes(&tag, "id").join(" "))),
                "script" => active.push(format!("script {}", attributes(&tag, "src").join(" "))),
                _ => {}
            }
            assert!(
                !["iframe", "object", "embed", "style"].contains(&name),
                "{path}: <{tag}>"
            );
            let handler = attribute_names(&tag)
                .iter()
                .any(|attribute| attribute.starts_with("on"));
            assert!(!handler, "{path}: event handler in <{tag}>");
            assert!(
                !tag.contains("javascript:") && !tag.contains("data:"),
                "{path}: <{tag}>"
            );
        }
        assert_eq!(active, expected, "{path}: forms, fields and scripts");
    }
    assert!(pages > 10);
    let missing: Vec<_> = HOSTILE_TEXT_FIELDS
        .iter()
        .filter(|n| !shown.contains(n))
        .collect();
    assert!(missing.is_empty(), "alert(N) shown on no page: {missing:?}");
    // The text itself is kept, escaped, where it is plain text (a name, a title).
    let person = page(&site, "people/bruno-diaz.html");
    assert!(
        person.contains("Bruno &lt;img src=x onerror=alert(9)&gt; Díaz"),
        "{person}"
    );
    assert!(page(&site, "index.html").contains("Evil &lt;script&gt;"));
    assert!(
        page(&site, "docs/raw.html").contains("href=\"../index.html\""),
        "safe links survive"
    );
}

/// A period label of actuals cannot carry markup to the site: a label that is not one of
/// the KPI's period is a `bad-actuals-row` at its row, and the build stops there.
#[test]
fn a_hostile_period_label_stops_the_build_at_its_row() {
    let org = temp_dir("hostile-period").child("org");
    copy_dir(&fixture("clean"), &org);
    fs::write(
        org.join("actuals/leads-created.csv"),
        "period,value\n2026-03,11\n<script>alert(57)</script>,9\n\"><img src=x onerror=alert(58)>,12\n",
    )
    .unwrap();
    let out = temp_dir("hostile-period-site").child("site");
    let result = build(&org, &out, &[]);
    assert_eq!(exit_code(&result), 1, "{}", all_output(&result));
    let text = all_output(&result);
    for row in [3, 4] {
        assert!(
            text.contains("error[bad-actuals-row]")
                && text.contains(&format!("actuals/leads-created.csv:{row}:")),
            "row {row}: {text}"
        );
    }
    assert!(!out.exists());
}

#[test]
fn the_tag_scanner_sees_markup_and_skips_escaped_text() {
    let found = tags("<p onclick=\"x\">a &lt;script&gt; <img src=x></p>");
    assert_eq!(found, ["p onclick=\"x\"", "img src=x"]);
    assert_eq!(
        attribute_names("a href=\"mailto:a onerror=x\" title='b onload' ONCLICK=y hidden"),
        ["href", "title", "onclick", "hidden"]
    );
}

/// Every entry under `dir` (folders as `None`, files with their bytes), by path relative
/// to it: the whole tree, so a file or folder added, removed or changed shows.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk the tree"))
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().to_string_lossy().into();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| fs::read(e.path()).expect("read"));
            (path, bytes)
        })
        .collect()
}

/// A build that fails leaves OUT byte for byte as it was and nothing beside it: when the
/// check stops it, and when it fails after every page was rendered and written (a static
/// file that would replace a generated page, a template that fails on one page), with
/// every page of the new site different from the old one.
#[test]
fn a_failed_build_leaves_the_output_byte_identical() {
    let renamed = |name: &str| {
        let org = temp_dir(name).child("org");
        copy_dir(&fixture("clean"), &org);
        let settings = org.join("accord.toml");
        let text = fs::read_to_string(&settings).unwrap();
        let text = text.replacen("name = \"Clean Org\"", "name = \"Renamed Org\"", 1);
        fs::write(&settings, text).unwrap();
        org
    };
    let static_clash = renamed("failed-build-static");
    fs::create_dir_all(static_clash.join("static")).unwrap();
    fs::write(static_clash.join("static/index.html"), "mine").unwrap();
    let template_fails = renamed("failed-build-template");
    fs::create_dir_all(template_fails.join("templates")).unwrap();
    fs::write(
        template_fails.join("templates/meeting.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.name | no_such_filter }}{% endblock content %}",
    )
    .unwrap();
    let unknown_key = fixture("error-unknown-key");
    let cases = [
        (unknown_key.as_path(), 1, "unknown-key"),
        (&*static_clash, 2, "static/index.html"),
        (&*template_fails, 1, "meeting.html"),
    ];
    for (org, code, named) in cases {
        let out = built(&fixture("clean"), "failed-build");
        let before = tree(out.parent().unwrap());
        let result = build(org, &out, &[]);
        assert_eq!(exit_code(&result), code, "{}", all_output(&result));
        assert!(
            all_output(&result).contains(named),
            "{}",
            all_output(&result)
        );
        assert!(
            tree(out.parent().unwrap()) == before,
            "{named}: the previous site and its folder are untouched"
        );
    }
}

#[test]
fn warnings_are_listed_on_health_and_fail_only_when_denied() {
    let out = temp_dir("warnings").child("site");
    let denied = build(&fixture("no-sponsor"), &out, &["--deny-warnings"]);
    assert_eq!(exit_code(&denied), 1);
    assert!(
        !out.exists(),
        "nothing is written when the build is refused"
    );
    let allowed = build(&fixture("no-sponsor"), &out, &[]);
    assert_eq!(exit_code(&allowed), 0);
    let health = page(&out, "health.html");
    assert!(
        health.contains("no-sponsor") && health.contains("agreements/marketing-sales.toml:1:1"),
        "{health}"
    );
}

#[test]
fn an_output_that_holds_the_sources_is_refused() {
    let org = temp_dir("refuse").child("org");
    copy_dir(&fixture("clean"), &org);
    let before = files(&org);
    for out in [
        org.to_path_buf(),
        org.join(".."),
        org.join("teams/site"),
        org.join("templates"),
    ] {
        let result = build(&org, &out, &[]);
        assert_eq!(exit_code(&result), 2, "{} was not refused", out.display());
        assert!(String::from_utf8_lossy(&result.stderr).contains("refusing"));
    }
    assert_eq!(files(&org), before, "the org is untouched");
}

#[test]
fn an_output_that_is_a_file_a_foreign_folder_or_hidden_is_refused() {
    let org = temp_dir("refuse-foreign").child("org");
    copy_dir(&fixture("clean"), &org);
    fs::create_dir_all(org.join(".git")).unwrap();
    fs::write(org.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let foreign = org.parent().unwrap().join("photos");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("cat.jpg"), "meow").unwrap();
    let before = (files(&org), files(&foreign));
    for out in [org.join(".git"), org.join("people.toml"), foreign.clone()] {
        let result = build(&org, &out, &[]);
        assert_eq!(exit_code(&result), 2, "{} was not refused", out.display());
    }
    assert_eq!(
        (files(&org), files(&foreign)),
        before,
        "nothing was touched"
    );

    let nested = org.parent().unwrap().join("new/deep/site");
    let failed = build(&fixture("error-unknown-key"), &nested, &[]);
    assert_eq!(exit_code(&failed), 1);
    assert!(
        !org.parent().unwrap().join("new").exists(),
        "a failed build leaves no folder behind"
    );
    // ... and removes only the folders it created: an empty folder that was there
    // before stays.
    let empty = org.parent().unwrap().join("empty");
    fs::create_dir(&empty).unwrap();
    let failed = build(
        &fixture("error-unknown-key"),
        &empty.join("new/deep/site"),
        &[],
    );
    assert_eq!(exit_code(&failed), 1);
    assert!(!empty.join("new").exists());
    assert!(
        empty.is_dir(),
        "a folder the build did not create was removed"
    );
}

#[test]
fn the_default_output_is_public_in_the_org_and_is_not_read_back() {
    let org = temp_dir("default-out").child("org");
    copy_dir(&fixture("clean"), &org);
    let result = output(&mut accord(&[
        "build".as_ref(),
        org.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_eq!(exit_code(&result), 0);
    assert!(org.join("public/index.html").is_file());
    let (code, findings) = common::check_json(&org, &[]);
    assert_eq!(
        (code, findings),
        (0, vec![]),
        "the built site is not mistaken for sources"
    );
}

#[test]
fn labels_follow_the_org_language() {
    for (language, label) in [("es", "Acuerdos"), ("pl", "Umowy"), ("ru", "Соглашения")] {
        let org = temp_dir(&format!("lang-{language}")).child("org");
        copy_dir(&fixture("clean"), &org);
        let settings = fs::read_to_string(org.join("accord.toml")).unwrap();
        fs::write(
            org.join("accord.toml"),
            settings.replacen("[org]\n", &format!("[org]\nlanguage = \"{language}\"\n"), 1),
        )
        .unwrap();
        let site = built(&org, &format!("lang-{language}-site"));
        let index = page(&site, "index.html");
        assert!(
            index.contains(&format!("<html lang=\"{language}\">")),
            "{language}"
        );
        assert!(index.contains(label), "{language}: no {label}");
    }
}

#[test]
fn org_templates_and_static_files_override_and_extend_the_site() {
    let org = temp_dir("override").child("org");
    copy_dir(&fixture("clean"), &org);
    fs::create_dir_all(org.join("templates")).unwrap();
    fs::write(
        org.join("templates/doc.html"),
        "{% extends \"base.html\" %}{% block content %}<p>CUSTOM {{ page.title }}</p>{% endblock content %}",
    )
    .unwrap();
    fs::write(org.join("templates/style.css"), "body { color: red }").unwrap();
    fs::create_dir_all(org.join("static/img")).unwrap();
    fs::write(org.join("static/img/logo.svg"), "<svg/>").unwrap();
    fs::create_dir_all(org.join("docs")).unwrap();
    fs::write(org.join("docs/page.md"), "# Hello\n").unwrap();
    let site = built(&org, "override-site");
    assert!(page(&site, "docs/page.html").contains("<p>CUSTOM Hello</p>"));
    assert_eq!(page(&site, "style.css"), "body { color: red }");
    assert_eq!(page(&site, "img/logo.svg"), "<svg/>");

    fs::write(org.join("static/index.html"), "mine").unwrap();
    let clash = build(&org, &site, &[]);
    assert_eq!(exit_code(&clash), 2);
    assert!(
        String::from_utf8_lossy(&clash.stderr).contains("would replace the generated index.html")
    );
    assert!(
        page(&site, "index.html").contains("<!doctype html>"),
        "the previous site is kept"
    );
}

#[test]
fn a_broken_template_fails_the_build_and_names_the_template() {
    let org = temp_dir("broken-template").child("org");
    copy_dir(&fixture("clean"), &org);
    fs::create_dir_all(org.join("templates")).unwrap();
    fs::write(
        org.join("templates/team.html"),
        "{% extends \"base.html\" %}{% block content %}{{ page.name {% endblock content %}",
    )
    .unwrap();
    let out = org.join("public");
    let result = build(&org, &out, &[]);
    assert_eq!(exit_code(&result), 1);
    assert!(String::from_utf8_lossy(&result.stderr).contains("team.html"));
    assert!(!out.exists());
}

#[test]
fn a_dot_dot_after_a_missing_folder_cannot_reach_the_org_or_someone_s_folder() {
    // Issue 8: `-o nosuchdir/../ORG` was resolved as ORG for the checks but written
    // after `nosuchdir` was created, so it replaced the org (or any folder) with the site.
    let root = temp_dir("dotdot-missing");
    let org = root.join("org");
    copy_dir(&fixture("clean"), &org);
    common::git(&org, &["init", "-q"]);
    common::git(&org, &["add", "."]);
    common::git(&org, &["commit", "-q", "-m", "org"]);
    let victim = root.join("victim");
    fs::create_dir_all(&victim).unwrap();
    fs::write(victim.join("thesis.tex"), "years of work").unwrap();
    let before = (files(&org), files(&victim));
    for out in ["nosuchdir/../org", "nosuchdir/../victim"] {
        let result =
            output(accord(&["build", "org", "-o", out, "--today", TODAY]).current_dir(&root));
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(exit_code(&result), 2, "{out} was not refused: {stderr}");
        assert!(
            stderr.contains("refusing to build into nosuchdir/../")
                && stderr.contains("`..` follows"),
            "{stderr}"
        );
    }
    assert_eq!((files(&org), files(&victim)), before, "nothing was touched");
    assert!(!root.join("nosuchdir").exists(), "no folder was created");
}

#[test]
fn the_next_build_removes_the_folders_of_interrupted_builds() {
    // Issue 8: a build killed before its swap left `.public.accord-new-PID` in the org,
    // and nothing ever removed it.
    let org = temp_dir("interrupted").child("org");
    copy_dir(&fixture("clean"), &org);
    for left in [".public.accord-new-4242", ".public.accord-old-4243"] {
        fs::create_dir_all(org.join(left).join("teams")).unwrap();
        fs::write(org.join(left).join("teams/sales.html"), "half").unwrap();
    }
    let result = output(&mut accord(&[
        "build".as_ref(),
        org.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]));
    assert_eq!(exit_code(&result), 0);
    let hidden: Vec<_> = fs::read_dir(&org)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "left in the org: {hidden:?}");
}

/// A term with its own `target` is judged by it on every page that shows the term
/// (SPEC 7.4): the KPI `leads-created` meets its target of 10 with 12, but the term
/// `lead-volume` promises 15, so the term is off target on its card, on the owners page
/// (its owner and provider), on the persona and KPI pages; the dashboard's row of the
/// KPI itself stays on target.
#[test]
fn a_term_is_judged_by_its_own_target_on_every_page() {
    let org = temp_dir("term-target-status").child("org");
    copy_dir(&fixture("clean"), &org);
    let agreement = org.join("agreements/marketing-sales.toml");
    let text = fs::read_to_string(&agreement).unwrap();
    fs::write(
        &agreement,
        text.replacen("target = 10\n", "target = 15\n", 1),
    )
    .unwrap();
    let site = built(&org, "term-target-status-site");
    // The lines (or list items) that show the term, each with its status.
    let term_lines = |path: &str| -> Vec<String> {
        page(&site, path)
            .split(['\n'])
            .flat_map(|line| line.split("<li>"))
            .filter(|line| line.contains("lead-volume") && line.contains("status"))
            .map(str::to_owned)
            .collect()
    };
    let card = page(&site, "agreements/marketing-sales.html");
    assert!(
        card.contains(
            "status bad\"><abbr title=\"The latest complete period misses the target\">Off target"
        ),
        "term card: {card}"
    );
    // The card of the term alone: the agreement's other terms have their own status.
    let term_card = card
        .split("id=\"term-")
        .find(|part| part.starts_with("lead-volume\""))
        .expect("the term's card");
    assert!(!term_card.contains("On target"), "term card: {term_card}");
    for path in [
        "owners.html",
        "personas/operations-olga.html",
        "kpis/leads-created.html",
    ] {
        let lines = term_lines(path);
        assert!(!lines.is_empty(), "{path} shows the term's status");
        for line in lines {
            assert!(
                line.contains("Off target") && !line.contains("On target"),
                "{path}: {line}"
            );
        }
    }
    // ana-garcia owns the term, marketing provides it: both on the owners page.
    assert_eq!(term_lines("owners.html").len(), 2);
    let dashboard = page(&site, "index.html");
    let kpi_row = kpi_section(&dashboard)
        .split("<tr>")
        .find(|row| row.contains("kpis/leads-created.html"))
        .expect("the dashboard lists the KPI");
    assert!(
        kpi_row.contains("On target"),
        "the KPI meets its own target: {kpi_row}"
    );
}

#[test]
fn rule_errors_are_published_with_a_banner_and_stop_the_build_only_when_strict() {
    // Dated after every agreement's expiry: `expired-agreement` (an error) on each one.
    let org = fixture("clean");
    let late = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "build",
            org.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--today",
            "2099-01-01",
        ];
        args.extend(extra);
        output(&mut accord(&args))
    };
    let out = temp_dir("late").child("site");
    let strict = late(&out, &["--strict"]);
    assert_eq!(exit_code(&strict), 1, "{}", all_output(&strict));
    assert!(!out.exists(), "nothing is written when --strict refuses");
    let denied = late(&out, &["--deny-warnings"]);
    assert_eq!(exit_code(&denied), 1, "--deny-warnings implies --strict");

    let published = late(&out, &[]);
    assert_eq!(exit_code(&published), 0, "{}", all_output(&published));
    assert!(
        all_output(&published).contains("expired-agreement"),
        "the findings are printed too"
    );
    let index = page(&out, "index.html");
    assert!(index.contains("Expired"), "{index}");
    let agreement = page(&out, "agreements/marketing-sales.html");
    assert!(agreement.contains("Expired"), "{agreement}");
    for html in [&index, &agreement, &page(&out, "health.html")] {
        assert!(
            html.contains("class=\"errors-banner\"")
                && html.contains("health.html\">These agreements have errors"),
            "every page has the banner: {html}"
        );
    }
    assert!(page(&out, "health.html").contains("expired-agreement"));

    let current = built(&fixture("no-sponsor"), "no-banner");
    assert!(
        !page(&current, "index.html").contains("errors-banner"),
        "no banner for warnings alone"
    );
}

/// The first status badge (`good` or `bad`) of `html` after `anchor`.
fn status_after<'a>(html: &'a str, anchor: &str) -> &'a str {
    let from = html
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor} not on the page"));
    let rest = &html[from..];
    let badge = rest
        .find("class=\"status ")
        .unwrap_or_else(|| panic!("no status after {anchor}"));
    let rest = &rest[badge + "class=\"status ".len()..];
    &rest[..rest.find('"').expect("a closed class attribute")]
}

/// The dashboard's table of KPIs (the plan to date above it links the stages' KPIs too).
fn kpi_section(dashboard: &str) -> &str {
    dashboard
        .split("<section id=\"kpis\">")
        .nth(1)
        .expect("the dashboard has a section of KPIs")
}

/// A latest actual exactly at target is on target in both directions (an "up" KPI at
/// 10 of 10, a "down" one at 4 of 4), on every page that shows the status: the KPI's
/// page and its row of actuals, the dashboard and the agreement's term cards.
#[test]
fn a_kpi_exactly_at_its_target_is_on_target_everywhere() {
    let site = built(&fixture("kpi-off-target-boundary"), "status-at-target");
    for (kpi, latest) in [
        ("leads-created", "2026-05"),
        ("call-back-minutes", "2026-W24"),
    ] {
        let kpi_page = page(&site, &format!("kpis/{kpi}.html"));
        assert_eq!(status_after(&kpi_page, "class=\"kicker\""), "good", "{kpi}");
        assert_eq!(
            status_after(&kpi_page, &format!("<th scope=\"row\">{latest}</th>")),
            "good",
            "{kpi}: the row of {latest}"
        );
        let link = format!("kpis/{kpi}.html\"");
        assert_eq!(
            status_after(kpi_section(&page(&site, "index.html")), &link),
            "good",
            "{kpi} on the dashboard"
        );
        assert_eq!(
            status_after(&page(&site, "agreements/marketing-sales.html"), &link),
            "good",
            "the term measured by {kpi}"
        );
    }
}

/// An agreement's state on the site at each of its boundaries (effective 2026-01-01,
/// expires 2026-12-31): not yet in force the day before it starts, in force on its
/// first day and 31 days before its end, expiring 30 days before and on its last day,
/// expired the day after.
#[test]
fn an_agreement_changes_state_exactly_at_its_boundaries() {
    // Without actuals: those of 2026 would be periods after the earliest day tested.
    let org = temp_dir("state-org").child("org");
    copy_dir(&fixture("clean"), &org);
    fs::remove_dir_all(org.join("actuals")).unwrap();
    for (today, state) in [
        ("2025-12-31", "upcoming"),
        ("2026-01-01", "active"),
        ("2026-11-30", "active"),
        ("2026-12-01", "expiring"),
        ("2026-12-31", "expiring"),
        ("2027-01-01", "expired"),
    ] {
        let out = temp_dir(&format!("state-{today}")).child("site");
        let result = build_on(&org, &out, today, &[]);
        assert_eq!(exit_code(&result), 0, "{today}: {}", all_output(&result));
        let card = page(&out, "agreements/marketing-sales.html");
        assert!(
            card.contains(&format!("class=\"state state-{state}\"")),
            "{today}: expected {state} in {card}"
        );
    }
}

/// The row of the table of `html` that holds `text`.
fn row_with<'a>(html: &'a str, text: &str) -> &'a str {
    html.split("<tr")
        .find(|row| row.contains(text))
        .unwrap_or_else(|| panic!("no row with {text}"))
}

/// An open action is overdue from the day after its `due` (2026-07-01), not on it; a
/// plan stage whose KPI target covers exactly what the plan needs is covered, one below
/// it is short.
#[test]
fn actions_and_plan_stages_change_status_exactly_at_their_boundaries() {
    let action = "Fix the phone field of the web form";
    for (today, overdue) in [("2026-07-01", false), ("2026-07-02", true)] {
        let out = temp_dir(&format!("action-{today}")).child("site");
        let result = build_on(&fixture("clean"), &out, today, &[]);
        assert_eq!(exit_code(&result), 0, "{today}: {}", all_output(&result));
        let row = row_with(&page(&out, "meetings/smarketing-weekly.html"), action).to_owned();
        assert_eq!(row.contains("status bad"), overdue, "{today}: {row}");
    }
    for (fixture_name, status) in [("plan-shortfall-exact", "good"), ("plan-shortfall", "bad")] {
        let site = built(&fixture(fixture_name), fixture_name);
        let plan = page(&site, "plan.html");
        let targets = plan
            .split("<section id=\"targets\">")
            .nth(1)
            .expect("the plan page has the table of targets");
        let row = row_with(targets, "kpis/leads-created.html");
        assert!(
            row.contains(&format!("class=\"status {status}\"")),
            "{fixture_name}: {row}"
        );
    }
}

#[test]
fn a_term_without_a_kpi_says_not_measured() {
    let site = built(&fixture("unmeasured-term"), "not-measured-site");
    let card = page(&site, "agreements/marketing-sales.html");
    let term = card
        .split("<section class=\"term\"")
        .find(|section| section.contains("id=\"term-speed-to-call\""))
        .expect("the unmeasured term has a card");
    assert!(term.contains(">Not measured<"), "{term}");
    assert!(!term.contains("Measured by"), "{term}");
    // The measured term still names its KPI.
    assert!(card.contains("Measured by</dt><dd><a href="), "{card}");
}

#[test]
fn values_carry_their_unit_and_table_cells_their_column_name() {
    let org = temp_dir("units-labels").child("org");
    copy_dir(&fixture("clean"), &org);
    fs::write(
        org.join("actuals/call-back-minutes.csv"),
        "period,value\n2026-W22,5\n2026-W23,3.5\n",
    )
    .unwrap();
    let site = built(&org, "units-labels-site");
    let dashboard = page(&site, "index.html");
    // In the KPIs' table (the stale KPI is named among what needs attention too).
    let row = dashboard
        .split("<section id=\"kpis\">")
        .nth(1)
        .expect("the dashboard has a table of KPIs")
        .split("<tr>")
        .find(|row| row.contains("kpis/call-back-minutes.html"))
        .expect("the dashboard lists the KPI");
    // "Latest 3.5 minutes", beside its target as people say it.
    assert!(
        row.contains("<td data-label=\"Latest\"><span class=\"value\" data-unit=\"minutes\">3.5 minutes</span>"),
        "{row}"
    );
    assert!(
        row.contains("<td data-label=\"Target\">at most 4 minutes per week</td>"),
        "{row}"
    );
    let kpi = page(&site, "kpis/call-back-minutes.html");
    assert!(
        kpi.contains("<td data-label=\"Value\"><span class=\"value\" data-unit=\"minutes\">5 minutes</span></td>"),
        "{kpi}"
    );
    // Every cell of every table with a header names its column, for phones.
    for path in [
        "index.html",
        "agreements.html",
        "kpis.html",
        "meetings.html",
        "kpis/call-back-minutes.html",
        "meetings/smarketing-weekly.html",
        "plan.html",
        "agreements/marketing-sales.html",
    ] {
        let html = page(&site, path);
        assert!(html.contains("<td"), "{path} has a table");
        assert_eq!(
            html.matches("<td").count(),
            html.matches(" data-label=\"").count(),
            "{path}"
        );
    }
}

/// example-org on its date, read beyond the latest period. From its actuals by hand:
/// MQLs delivered (at least 70 a month) April to September are 58, 66, 72, 64, 71, 76,
/// on target in 3 of those 6 (and so missed in 3); January to September add up to 568, and September's 76
/// is 5 more than August's 71. Speed to call is a measured weekly median.
#[test]
fn kpis_are_read_beyond_their_latest_period() {
    let site = built_example("trend");
    let whole_dashboard = page(&site, "index.html");
    let dashboard = kpi_section(&whole_dashboard);
    let mql = common::visible_text(row_with(dashboard, "kpis/mql-delivered.html\""));
    assert!(
        mql.contains("at least 70 per month 76 +5 (2026-09) Year to date 2026: 568"),
        "{mql}"
    );
    assert!(
        mql.contains("On target on target in 3 of the last 6"),
        "{mql}"
    );
    assert!(row_with(dashboard, "kpis/mql-delivered.html\"").contains("<svg class=\"sparkline\""));
    // CSAT (at least 90) April to September: 90, 91, 89, 92, 93, 94: met in 5 of 6.
    let csat = common::visible_text(row_with(dashboard, "kpis/customer-satisfaction.html\""));
    assert!(csat.contains("on target in 5 of the last 6"), "{csat}");
    let speed = common::visible_text(row_with(dashboard, "kpis/speed-to-call.html\""));
    assert!(speed.contains("weekly median at most 4 minutes"), "{speed}");
    // A percent does not add up over a year.
    let complete = common::visible_text(row_with(dashboard, "kpis/complete-leads.html\""));
    assert!(!complete.contains("Year to date"), "{complete}");

    // The KPI's page: the latest value first, then the table newest first.
    let kpi = page(&site, "kpis/mql-delivered.html");
    let latest = kpi.find("class=\"latest\"").expect("the latest value");
    assert!(latest < kpi.find("id=\"actuals\"").expect("the actuals"));
    let rows: Vec<&str> = kpi
        .match_indices("<th scope=\"row\">2026-")
        .map(|(at, _)| &kpi[at + 16..at + 23])
        .collect();
    assert_eq!(rows.first(), Some(&"2026-09"), "{rows:?}");
    assert_eq!(rows.last(), Some(&"2026-01"), "{rows:?}");

    // The SLA: a line per direction, and each term's latest value against its target.
    let sla = page(&site, "agreements/marketing-sales-sla-2026.html");
    let sla_text = common::visible_text(&sla);
    assert!(
        sla_text.contains("Marketing → Sales : 3 of 3 met"),
        "{sla_text}"
    );
    assert!(
        sla_text.contains("Sales → Marketing : 3 of 3 met"),
        "{sla_text}"
    );
    assert!(
        sla_text.contains("Latest 76 +5 (2026-09; on target in 3 of the last 6)"),
        "{sla_text}"
    );
}

/// Numbers that stopped coming are a state of their own: on 2026-09-15 the clean org's
/// leads-created last has May, so its last complete month (August) is missing.
#[test]
fn a_kpi_whose_numbers_stopped_says_since_when_on_every_page() {
    let site = built_on(&fixture("clean"), "stale-site", "2026-09-15");
    let link = "kpis/leads-created.html\"";
    let whole_dashboard = page(&site, "index.html");
    let dashboard = kpi_section(&whole_dashboard);
    assert_eq!(status_after(dashboard, link), "none");
    assert!(
        common::visible_text(row_with(dashboard, link)).contains("No data since 2026-05"),
        "{dashboard}"
    );
    let sla = page(&site, "agreements/marketing-sales.html");
    assert_eq!(status_after(&sla, link), "none");
    let sla_text = common::visible_text(&sla);
    assert!(
        sla_text.contains("Marketing → Sales : 0 of 1 met, 1 without data"),
        "{sla_text}"
    );
    // The agreements table of the dashboard counts it too.
    let agreement = common::visible_text(row_with(
        &whole_dashboard,
        "agreements/marketing-sales.html\"",
    ));
    assert!(agreement.contains("without data"), "{agreement}");
    assert_eq!(
        status_after(&page(&site, "kpis/leads-created.html"), "class=\"kicker\""),
        "none"
    );
}

/// With `[site] repository`, every page of one file links the host's editor and history
/// of that file, under the org's folder in its git work tree (`org/` in a repository made
/// here); pages of no one file (the dashboard) and sites without a repository have no
/// such links.
#[test]
fn pages_link_their_file_on_the_code_host() {
    let repo = temp_dir("source-links-repo");
    let org = repo.join("org");
    copy_dir(&fixture("clean"), &org);
    let settings = org.join("accord.toml");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(
        &settings,
        format!("{text}\n[site]\nrepository = \"https://github.com/acme/alignment\"\n"),
    )
    .unwrap();
    common::git(&repo, &["init", "-q"]);
    common::git(&repo, &["add", "-A"]);
    common::git(&repo, &["commit", "-q", "-m", "base"]);
    let site = built(&org, "source-links-site");
    let sla = page(&site, "agreements/marketing-sales.html");
    assert!(sla.contains("<p class=\"source-links\"><a href=\"https://github.com/acme/alignment/edit/main/org/agreements/marketing-sales.toml\">Propose a change</a> · <a href=\"https://github.com/acme/alignment/commits/main/org/agreements/marketing-sales.toml\">History</a></p>"), "{sla}");
    assert!(page(&site, "people/ana-garcia.html").contains("/edit/main/org/people.toml\""));
    assert!(!page(&site, "index.html").contains("source-links"));

    // A GitLab repository whose root is the org (a copy outside any git work tree).
    let org = temp_dir("source-links-gitlab").child("org");
    copy_dir(&fixture("clean"), &org);
    let settings = org.join("accord.toml");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(
        &settings,
        format!("{text}\n[site]\nrepository = \"https://gitlab.com/acme/alignment\"\nbranch = \"prod\"\n"),
    )
    .unwrap();
    let gitlab = built(&org, "source-links-gitlab-site");
    assert!(
        page(&gitlab, "teams/sales.html")
            .contains("href=\"https://gitlab.com/acme/alignment/-/edit/prod/teams/sales.toml\"")
    );
    assert!(
        !page(
            &built(&fixture("clean"), "no-source-links"),
            "teams/sales.html"
        )
        .contains("source-links")
    );
}
