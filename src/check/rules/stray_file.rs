//! `stray-file`: a file that is not `.toml` in an entity folder.

use crate::check::{Context, Hits, Rule};
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "stray-file",
    default_level: LintLevel::Warn,
    summary: "a file that is not `.toml` in an entity folder",
    rationale: "Entity folders hold one TOML file per entity; anything else there is ignored, which is rarely what its author meant: an agreement saved as .tml or .md never reaches the site or the checks. Move notes to docs/.",
    fix: "Rename the file to `.toml` if it is an entity, or move it to docs/ (notes) or out of the org.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for &loc in &org.stray_files {
        hits.push(
            loc,
            "this file is not read: entity folders hold only .toml files (actuals/ only .csv)",
            "rename it to .toml if it is an entity, or move it to docs/",
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_on_a_markdown_file_in_agreements() {
        let org = TestOrg::base().with("agreements/notes.md", "# notes\n");
        let hits = org.hits("stray-file");
        assert_eq!((hits[0].0.as_str(), hits[0].1), ("agreements/notes.md", 1));
    }

    #[test]
    fn hidden_files_are_ignored() {
        let org = TestOrg::base().with("agreements/.DS_Store", "x");
        assert!(org.hits("stray-file").is_empty());
    }
}
