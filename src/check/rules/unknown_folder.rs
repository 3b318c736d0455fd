//! `unknown-folder`: a top-level folder that is not part of the format.

use crate::check::{Context, Hits, Rule};
use crate::diagnostic::closest;
use crate::load::format_folders;
use crate::model::{LintLevel, Org};

pub const RULE: Rule = Rule {
    id: "unknown-folder",
    default_level: LintLevel::Warn,
    summary: "a top-level folder that is not part of the format, not hidden and not a built site",
    rationale: "accord reads only its own folders (teams/, personas/, kpis/, agreements/, meetings/, actuals/, docs/, templates/, static/, records/). A folder named almost like one (`agreement/`, `Teams/`) is silently skipped, and every file in it with it: the agreements it holds are never checked nor published. Hidden folders and sites accord built are not reported; allow the rule if the repository keeps other folders on purpose.",
    fix: "Rename the folder to the one accord reads (the message suggests it), or make it hidden (`.drafts/`) if accord should skip it.",
    check,
};

fn check(org: &Org, _: &Context, hits: &mut Hits) {
    for folder in &org.unknown_folders {
        let name = &folder.value;
        let help = match suggestion(name) {
            Some(known) => format!("did you mean `{known}/`? rename the folder"),
            None => format!(
                "accord reads only {}; move what it should read there",
                format_folders()
                    .map(|f| format!("{f}/"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        hits.push(
            folder.loc,
            format!("folder `{name}/` is not part of the format: accord does not read it"),
            help,
        );
    }
}

/// The format folder `name` is probably meant to be: the same name in other case
/// (`Teams`), or a close spelling (`agreement`).
fn suggestion(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    format_folders()
        .find(|known| *known == lower)
        .or_else(|| closest(&lower, format_folders()))
}

#[cfg(test)]
mod tests {
    use super::suggestion;
    use crate::check::testing::TestOrg;

    #[test]
    fn fires_at_a_misnamed_folder_with_the_folder_it_means() {
        let org = TestOrg::base()
            .with("agreement/sla-2027.toml", "title = \"SLA\"\n")
            .with("Teams/events.toml", "name = \"Events\"\n");
        let hits = org.hits("unknown-folder");
        let places: Vec<_> = hits.iter().map(|h| (h.0.as_str(), h.1)).collect();
        assert_eq!(places, [("Teams", 1), ("agreement", 1)]);
        assert!(hits[1].2.contains("`agreement/`"), "{hits:?}");
    }

    #[test]
    fn suggests_by_case_and_by_spelling_only_when_close() {
        assert_eq!(suggestion("Teams"), Some("teams"));
        assert_eq!(suggestion("agreement"), Some("agreements"));
        assert_eq!(suggestion("KPI"), Some("kpis"));
        assert_eq!(suggestion("node_modules"), None);
        assert_eq!(suggestion("src"), None);
    }

    #[test]
    fn hidden_folders_built_sites_and_format_folders_are_not_reported() {
        let org = TestOrg::base()
            .with(".github/workflows/ci.yml", "on: push\n")
            .with("public/.accord-site", "")
            .with("public/index.html", "<html>")
            .with("templates/base.html", "{{ x }}")
            .with("static/logo.svg", "<svg/>")
            .with("records/leads.csv", "a,b\n");
        assert!(org.hits("unknown-folder").is_empty());
    }
}
