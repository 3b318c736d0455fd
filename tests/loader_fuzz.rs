//! Property tests: random and mutated input never makes the loader, the rules or the
//! renderers panic, and every finding points inside its file.

use std::path::Path;

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

fn assert_sound(files: Vec<(String, Vec<u8>)>) {
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
    }
    render_human(&checked.findings, &checked.sources, true);
    render_json(&checked.findings, &checked.sources);
    render_github(&checked.findings, &checked.sources, "org/");
}

/// Text made of the characters TOML and CSV give meaning to, so mutations reach deep
/// into the parser instead of failing on the first byte.
fn tomlish() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r#"[\[\]={}",.#\n a-z0-9_:+\-ñж]{0,40}"#).unwrap()
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
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

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
}
