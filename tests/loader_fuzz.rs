//! Property tests: random and mutated input never makes the loader, the rules or the
//! renderers panic, and every finding points inside its file. The orgs are random files,
//! mutations of `tests/fixtures/clean`, and that org with random docs pages or actuals
//! files, and the site rendered from an org with a generated name. Failures found once are
//! kept in `proptest-regressions/loader_fuzz.txt` ([`REGRESSIONS`]) and replayed first on
//! every run.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use accord::Checked;
use accord::diagnostic::{render_github, render_human, render_json};
use accord::load::OrgFiles;
use jiff::civil::date;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// Where the failures found so far are kept and replayed from, beside those of the
/// property tests in src/: named outright, since proptest's default looks for a `lib.rs`
/// or `main.rs` above the test's source and finds none for a file in tests/.
const REGRESSIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/proptest-regressions/loader_fuzz.txt"
);

/// The configuration of every property here: `cases` cases after the kept failures.
fn fuzz_config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        ..ProptestConfig::default()
    }
}

/// The kept failures are read: the configured persistence loads one seed for each
/// `cc` line of the file.
#[test]
fn the_kept_failures_are_replayed() {
    let kept = std::fs::read_to_string(REGRESSIONS).expect("read the kept failures");
    let lines = kept.lines().filter(|l| l.starts_with("cc ")).count();
    assert!(lines > 0, "{REGRESSIONS} holds failures");
    let persistence = fuzz_config(1)
        .failure_persistence
        .expect("failures are persisted");
    assert_eq!(
        persistence.load_persisted_failures2(Some(file!())).len(),
        lines
    );
}

const PATHS: &[&str] = &[
    "accord.toml",
    "people.toml",
    "teams/sales.toml",
    "teams/sub/marketing.toml",
    "personas/olga.toml",
    "kpis/leads.toml",
    "actuals/leads.csv",
    "agreements/sla.toml",
    "meetings/weekly.toml",
    "docs/notes.md",
    "teams/readme.md",
];

/// The files of the clean fixture, as (path, bytes).
fn clean_files() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean");
    let files = OrgFiles::read_dir(&root).expect("the clean fixture is readable");
    files
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone().unwrap_or_default()))
        .collect()
}

/// Checks `files` and renders the findings in every format; returns the check for more
/// assertions. Panics, as the property tests want, when a finding points outside its file.
fn assert_sound(files: Vec<(String, Vec<u8>)>) -> Checked {
    let context = accord::check::Context::on(date(2026, 6, 15));
    let checked = accord::check_files(&OrgFiles::from_contents(files), &context);
    for finding in &checked.findings {
        let file = checked.sources.get(finding.loc.file);
        assert!(finding.loc.start <= finding.loc.end, "{finding:?}");
        assert!(
            finding.loc.end as usize <= file.text.len().max(1),
            "{finding:?} is past the end of {}",
            file.path
        );
        // A file of n newlines has n + 1 lines, the last one empty.
        let lines = file.text.split('\n').count();
        let placed = finding.placed(&checked.sources);
        assert!(
            placed.line >= 1 && placed.end_line <= lines,
            "{placed:?} is outside the {lines} lines of {}",
            file.path
        );
    }
    render_human(&checked.findings, &checked.sources, true);
    render_json(&checked.findings, &checked.sources);
    render_github(&checked.findings, &checked.sources, "org/");
    checked
}

/// The clean fixture with `extra` files added, or replacing the files of the same path
/// (the first of several with one path: a directory holds one).
fn clean_with(extra: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, bytes) in extra {
        if files.iter().all(|(p, _)| *p != path) {
            files.push((path, bytes));
        }
    }
    let replaced: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
    files.extend(
        clean_files()
            .into_iter()
            .filter(|(path, _)| !replaced.contains(path)),
    );
    files
}

/// Text made of the characters TOML and CSV give meaning to, so mutations reach deep
/// into the parser instead of failing on the first byte.
fn tomlish() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r#"[\[\]={}",.#\n a-z0-9_:+\-ñж]{0,40}"#).unwrap()
}

/// A docs page built from what gives Markdown pages structure: front matter fences
/// (opened and closed, or not), its keys right and wrong, byte-order marks anywhere,
/// headings, tables, raw HTML, links, line endings, and any text.
fn docs_page() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("+++\n".to_owned()),
        Just("+++".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("title = \"Notas de la reunión\"\n".to_owned()),
        Just("weight = 3\n".to_owned()),
        Just("weight = \"first\"\n".to_owned()),
        Just("colour = 1\n".to_owned()),
        Just("# Кикофф\n".to_owned()),
        Just("| team | lead |\n|---|---|\n| ventas | Łucja |\n".to_owned()),
        Just("<script>alert(1)</script><!-- x -->".to_owned()),
        Just("[a link](../agreements/marketing-sales.md)".to_owned()),
        Just("\r\n".to_owned()),
        Just("\n".to_owned()),
        tomlish(),
        proptest::string::string_regex(r"\PC{0,16}").unwrap(),
    ];
    // How a page begins decides whether it has front matter: give it its own draw.
    let start = proptest::collection::vec(
        proptest::sample::select(&["\u{feff}", "+++", "\n", " ", "\r\n"][..]),
        0..5,
    );
    (start, proptest::collection::vec(piece, 0..12))
        .prop_map(|(start, pieces)| start.concat() + &pieces.concat())
}

/// An actuals file built from rows that are right, nearly right and wrong: headers,
/// labels of every period (and impossible ones), numbers and words, extra and missing
/// fields, quotes, byte-order marks, with any line ending or none at the end.
fn actuals_csv() -> impl Strategy<Value = String> {
    let row = prop_oneof![
        Just("period,value".to_owned()),
        Just("\u{feff}period,value".to_owned()),
        proptest::string::string_regex(r"20[0-9]{2}-(0[0-9]|1[0-3]),-?[0-9]{1,4}(\.[0-9])?")
            .unwrap(),
        proptest::string::string_regex(r"20[0-9]{2}-W[0-9]{2},[0-9.e+\-]{0,6}").unwrap(),
        proptest::string::string_regex(r"20[0-9]{2}-Q[0-9], ?[0-9]{1,3}").unwrap(),
        proptest::string::string_regex(r"[0-9]{1,5}(,[0-9a-z]{0,4}){0,3}").unwrap(),
        proptest::string::string_regex(r#""?[a-z0-9,\- "]{0,12}"?"#).unwrap(),
        tomlish(),
    ];
    let ending = prop_oneof![Just("\n"), Just("\r\n"), Just("")];
    proptest::collection::vec((row, ending), 0..20).prop_map(|rows| {
        rows.into_iter()
            .map(|(row, ending)| row + ending)
            .collect::<String>()
    })
}

/// A file's bytes: built by `text`, or any bytes at all.
fn text_or_bytes(text: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => text.prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..200),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Insert { at: usize, text: String },
    Delete { at: usize, len: usize },
    DuplicateLine { at: usize },
    DropFile { index: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), tomlish()).prop_map(|(at, text)| Mutation::Insert { at, text }),
        (any::<usize>(), 0usize..30).prop_map(|(at, len)| Mutation::Delete { at, len }),
        any::<usize>().prop_map(|at| Mutation::DuplicateLine { at }),
        any::<usize>().prop_map(|index| Mutation::DropFile { index }),
    ]
}

fn apply(files: &mut Vec<(String, Vec<u8>)>, target: usize, mutation: &Mutation) {
    if files.is_empty() {
        return;
    }
    let index = target % files.len();
    let bytes = &mut files[index].1;
    match mutation {
        Mutation::Insert { at, text } => {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, text.bytes());
        }
        Mutation::Delete { at, len } => {
            let at = at % (bytes.len() + 1);
            let end = (at + len).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::DuplicateLine { at } => {
            let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
            if !lines.is_empty() {
                let line = lines[at % lines.len()].to_vec();
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, line);
            }
        }
        Mutation::DropFile { index } => {
            files.remove(index % files.len());
        }
    }
}

proptest! {
    #![proptest_config(fuzz_config(300))]

    #[test]
    fn random_files_never_panic(
        files in proptest::collection::vec(
            (proptest::sample::select(PATHS), proptest::collection::vec(any::<u8>(), 0..200)),
            0..8,
        )
    ) {
        assert_sound(files.into_iter().map(|(p, b)| (p.to_owned(), b)).collect());
    }

    #[test]
    fn random_tomlish_text_never_panics(
        files in proptest::collection::vec((proptest::sample::select(PATHS), tomlish()), 0..8)
    ) {
        assert_sound(files.into_iter().map(|(p, t)| (p.to_owned(), t.into_bytes())).collect());
    }

    #[test]
    fn mutated_clean_org_never_panics(
        mutations in proptest::collection::vec((any::<usize>(), mutation()), 1..6)
    ) {
        let mut files = clean_files();
        for (target, m) in &mutations {
            apply(&mut files, *target, m);
        }
        assert_sound(files);
    }

    // Found the panic on a page that begins with two byte-order marks before `+++` (the
    // last case in proptest-regressions/loader_fuzz.txt, replayed on every run).
    #[test]
    fn docs_pages_never_panic(
        pages in proptest::collection::vec(
            (
                proptest::sample::select(&["notes", "sub/kick-off", "Ñandú", "a.b"][..]),
                text_or_bytes(docs_page()),
            ),
            1..4,
        )
    ) {
        let pages = pages
            .into_iter()
            .map(|(name, bytes)| (format!("docs/{name}.md"), bytes))
            .collect();
        assert_sound(clean_with(pages));
    }

    #[test]
    fn actuals_files_never_panic_and_bad_rows_point_at_their_line(
        files in proptest::collection::vec(
            (
                proptest::sample::select(
                    &["leads-created", "mql-delivered", "call-back-minutes", "no-such-kpi"][..],
                ),
                text_or_bytes(actuals_csv()),
            ),
            1..4,
        )
    ) {
        let files = files
            .into_iter()
            .map(|(kpi, bytes)| (format!("actuals/{kpi}.csv"), bytes))
            .collect();
        let checked = assert_sound(clean_with(files));
        for finding in checked.findings.iter().filter(|f| f.rule == "bad-actuals-row") {
            let placed = finding.placed(&checked.sources);
            prop_assert_eq!(placed.line, placed.end_line, "{:?}", placed);
        }
    }
}

/// `html` with the character references an HTML escaper writes read back as the
/// characters they stand for (`&amp;` last, so `&amp;lt;` stays `&lt;`).
fn unescape(html: &str) -> String {
    [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#34;", "\""),
        ("&#x27;", "'"),
        ("&#39;", "'"),
        ("&#x2f;", "/"),
        ("&#47;", "/"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(html.to_owned(), |text, (reference, character)| {
        text.replace(reference, character)
    })
}

/// The generated files of the site of `files`, rendered in memory, by path.
fn rendered(files: Vec<(String, Vec<u8>)>) -> BTreeMap<String, String> {
    let checked = accord::check_files(
        &OrgFiles::from_contents(files),
        &accord::check::Context::on(date(2026, 6, 15)),
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean");
    let renderer = accord::render::Renderer::new(&root, "en").expect("the built-in templates");
    let pages = Mutex::new(BTreeMap::new());
    renderer
        .render(&checked, None, date(2026, 6, 15), &|path, bytes| {
            let text = String::from_utf8_lossy(bytes).into_owned();
            pages
                .lock()
                .expect("no writer panicked")
                .insert(path.to_owned(), text);
            Ok(())
        })
        .expect("the site renders");
    pages.into_inner().expect("no writer panicked")
}

proptest! {
    #![proptest_config(fuzz_config(64))]

    // A name made of the characters markup is written with shows as text: the team's page
    // has it as its heading, escaped (no `<`, `>` or quote of it left raw), and reading
    // the escapes back gives the name.
    #[test]
    fn a_generated_name_is_shown_escaped_on_its_page(
        name in "[A-Za-z<>&\"'/=éж]([A-Za-z0-9 <>&\"'/=éж]{0,24}[A-Za-z<>&\"'/=éж])?"
    ) {
        let team = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean/teams/marketing.toml"),
        )
        .expect("read the team");
        let quoted = name.replace('"', "\\\"");
        let renamed = team.replacen("name = \"Marketing\"", &format!("name = \"{quoted}\""), 1);
        prop_assert_ne!(&renamed, &team);
        let pages = rendered(clean_with(vec![("teams/marketing.toml".into(), renamed.into_bytes())]));
        let page = &pages["teams/marketing.html"];
        let heading = page
            .split("<h1>")
            .nth(1)
            .and_then(|rest| rest.split("</h1>").next())
            .expect("the team page has a heading");
        prop_assert!(!heading.contains(['<', '>', '"', '\'']), "{}", heading);
        prop_assert_eq!(unescape(heading), name);
    }
}
