//! `accord schema`: the schemas example-org points its files at are the ones the binary
//! writes, and every TOML file of example-org names an existing schema.

mod common;

use std::fs;
use std::path::Path;

use common::{accord, exit_code, output, temp_dir};

fn example_org() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/example-org"))
}

#[test]
fn example_org_schemas_are_the_current_ones() {
    let out_dir = temp_dir("schemas");
    let out = output(&mut accord(&[
        "schema".as_ref(),
        "-o".as_ref(),
        out_dir.as_os_str(),
    ]));
    assert_eq!(exit_code(&out), 0);
    let committed = example_org().join(".schemas");
    let mut names: Vec<_> = fs::read_dir(&out_dir)
        .expect("schemas written")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    assert_eq!(names.len(), 9, "{names:?}");
    for name in names {
        let fresh = fs::read_to_string(out_dir.join(&name)).expect("read fresh schema");
        let old = fs::read_to_string(committed.join(&name)).unwrap_or_default();
        assert!(
            fresh == old,
            "example-org/.schemas/{} is stale: run `cargo run -- schema -o example-org/.schemas`",
            name.to_string_lossy()
        );
        let json: serde_json::Value = serde_json::from_str(&fresh).expect("valid JSON");
        assert_eq!(json["$schema"], "http://json-schema.org/draft-07/schema#");
    }
}

#[test]
fn every_example_file_names_an_existing_schema() {
    let mut checked = 0;
    let files = walkdir::WalkDir::new(example_org())
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.expect("walk example-org").into_path());
    for entry in files {
        if entry.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = fs::read_to_string(&entry).expect("read");
        let first = text.lines().next().unwrap_or_default();
        let target = first
            .strip_prefix("#:schema ")
            .unwrap_or_else(|| panic!("{} does not start with #:schema", entry.display()));
        let schema = entry.parent().expect("parent").join(target);
        assert!(
            schema.is_file(),
            "{} points at missing {}",
            entry.display(),
            schema.display()
        );
        checked += 1;
    }
    assert!(checked > 20, "only {checked} files checked");
}
