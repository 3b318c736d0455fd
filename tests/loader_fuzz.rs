//! Property tests: random and mutated input never makes the loader, the rules or the
//! renderers panic, and every finding points inside its file. The orgs are random files,
//! mutations of `tests/fixtures/clean`, and that org with random docs pages or actuals
//! files. Failures found once are kept in `loader_fuzz.proptest-regressions` and replayed
//! first on every run.

use std::path::Path;

use accord::Checked;
use accord::diagnostic::{render_github, render_human, render_json};
use accord::load::OrgFiles;
use jiff::civil::date;
use proptest::prelude::*;

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
    // The default failure persistence replays loader_fuzz.proptest-regressions.
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

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
    // last case in loader_fuzz.proptest-regressions, replayed on every run).
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
