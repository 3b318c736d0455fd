//! `accord init`: the new org passes `check --deny-warnings`, its CODEOWNERS is current,
//! its CI files pass values through the environment and read the history they need,
//! and it adds to a fresh clone (overwriting nothing) or starts a repository on `main`.

mod common;

use std::process::Command;

use common::{accord, all_output, exit_code, git, output, temp_dir};

#[test]
fn a_new_org_is_clean_with_current_codeowners_and_ci_files() {
    let dir = temp_dir("init").child("new-org");
    let init = output(&mut accord(&["init".as_ref(), dir.as_os_str()]));
    assert_eq!(exit_code(&init), 0, "{}", all_output(&init));
    for file in [
        "README.md",
        ".github/workflows/accord.yml",
        ".gitlab-ci.yml",
        "CODEOWNERS",
        ".schemas/agreement.json",
        ".gitignore",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/accord.yml")).unwrap();
    for step in [
        "accord check --format github",
        "accord diff --base",
        "gh pr comment",
        "accord codeowners --check CODEOWNERS",
        "accord build",
    ] {
        assert!(workflow.contains(step), "the workflow lacks {step}");
    }
    let check = output(&mut accord(&[
        "check".as_ref(),
        dir.as_os_str(),
        "--deny-warnings".as_ref(),
    ]));
    assert_eq!(exit_code(&check), 0, "{}", all_output(&check));
    let owners = output(&mut accord(&[
        "codeowners".as_ref(),
        dir.as_os_str(),
        "--check".as_ref(),
        dir.join("CODEOWNERS").as_os_str(),
    ]));
    assert_eq!(exit_code(&owners), 0, "{}", all_output(&owners));
    let build = output(&mut accord(&["build".as_ref(), dir.as_os_str()]));
    assert_eq!(exit_code(&build), 0, "{}", all_output(&build));
}

#[test]
fn a_fresh_clone_keeps_its_files_and_gets_the_rest() {
    let clone = temp_dir("init-clone");
    git(&clone, &["init", "-q", "-b", "trunk"]);
    let readme = "# Our alignment repository\n\nWritten by hand.\n";
    std::fs::write(clone.join("README.md"), readme).unwrap();
    std::fs::write(clone.join("LICENSE"), "All rights reserved.\n").unwrap();
    std::fs::write(clone.join(".gitignore"), "*.tmp\n").unwrap();
    let init = output(&mut accord(&["init".as_ref(), clone.as_os_str()]));
    assert_eq!(exit_code(&init), 0, "{}", all_output(&init));
    assert_eq!(
        std::fs::read_to_string(clone.join("README.md")).unwrap(),
        readme
    );
    assert_eq!(
        std::fs::read_to_string(clone.join(".gitignore")).unwrap(),
        "*.tmp\n"
    );
    let said = all_output(&init);
    for kept in ["README.md", ".gitignore"] {
        assert!(
            said.lines()
                .any(|l| l.contains("skipped") && l.contains(kept)),
            "{kept} not reported as skipped: {said}"
        );
    }
    assert!(!said.contains("started a git repository"), "{said}");
    for file in ["accord.toml", ".github/workflows/accord.yml", "CODEOWNERS"] {
        assert!(clone.join(file).is_file(), "{file} missing");
    }
    let check = output(&mut accord(&[
        "check".as_ref(),
        clone.as_os_str(),
        "--deny-warnings".as_ref(),
    ]));
    assert_eq!(exit_code(&check), 0, "{}", all_output(&check));
}

#[test]
fn a_new_directory_becomes_a_repository_on_main() {
    let dir = temp_dir("init-new-repo").child("org");
    let init = output(&mut accord(&["init".as_ref(), dir.as_os_str()]));
    assert_eq!(exit_code(&init), 0, "{}", all_output(&init));
    assert!(all_output(&init).contains("started a git repository on branch main"));
    let head = Command::new("git")
        .arg("-C")
        .arg(&dir)
        .args(["symbolic-ref", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&head.stdout).trim(),
        "refs/heads/main"
    );
}

#[test]
fn an_existing_org_is_refused_and_left_alone() {
    let dir = temp_dir("init-existing-org");
    std::fs::write(dir.join("accord.toml"), "mine").unwrap();
    let init = output(&mut accord(&["init".as_ref(), dir.as_os_str()]));
    assert_eq!(exit_code(&init), 2);
    assert!(all_output(&init).contains("already holds an org"));
    assert_eq!(
        std::fs::read_to_string(dir.join("accord.toml")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing was written"
    );
}

#[test]
fn the_ci_files_install_the_release_that_wrote_them() {
    let version = env!("CARGO_PKG_VERSION");
    let repository = env!("CARGO_PKG_REPOSITORY");
    let github_path = repository
        .strip_prefix("https://github.com/")
        .expect("the repository is on GitHub, where the action and the releases are");
    let dir = temp_dir("init-install").child("org");
    let init = output(&mut accord(&["init".as_ref(), dir.as_os_str()]));
    assert_eq!(exit_code(&init), 0, "{}", all_output(&init));
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).unwrap();
    let workflow = read(".github/workflows/accord.yml");
    let gitlab = read(".gitlab-ci.yml");
    let readme = read("README.md");

    // Every job (check, publish and the monthly review) installs with this
    // repository's action, pinned to this version.
    let action =
        format!("- uses: {github_path}@v{version}\n        with:\n          version: {version}\n");
    assert_eq!(workflow.matches(&action).count(), 3, "{workflow}");
    let template = format!(
        "- remote: https://raw.githubusercontent.com/{github_path}/v{version}/ci/accord.gitlab-ci.yml\n"
    );
    assert!(gitlab.contains(&template), "{gitlab}");
    assert!(
        gitlab.contains(&format!("ACCORD_VERSION: \"{version}\"")),
        "{gitlab}"
    );
    assert_eq!(gitlab.matches("extends: .accord").count(), 2, "{gitlab}");
    assert!(readme.contains(&format!("pip install accord-cli=={version}")));
    // cargo only as the documented fallback; nothing left to set up by hand.
    for (name, text) in [("workflow", &workflow), ("gitlab", &gitlab)] {
        assert!(text.contains(&format!(
            "cargo install --locked --git {repository} --tag v{version}"
        )));
        for line in text.lines().filter(|l| l.contains("cargo install")) {
            assert!(
                line.trim_start().starts_with('#'),
                "{name}: cargo outside a comment: {line}"
            );
        }
    }
    for text in [&workflow, &gitlab, &readme] {
        // ACCORD_GIT itself, not ACCORD_GITLAB_TOKEN.
        let needs_accord_git = text.match_indices("ACCORD_GIT").any(|(at, name)| {
            !text[at + name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        });
        assert!(!needs_accord_git, "{text}");
        assert!(!text.contains("@ACCORD_"), "a placeholder left: {text}");
    }

    // What they name exists here: the action at the root, the template at that path.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(root.join("action.yml").is_file());
    let template = std::fs::read_to_string(root.join("ci/accord.gitlab-ci.yml")).unwrap();
    assert!(template.contains("\n.accord:\n"), "{template}");
    // The template is a static file, so it repeats the address; it must be Cargo.toml's.
    let releases = format!("ACCORD_RELEASES: {repository}/releases/download\n");
    assert!(template.contains(&releases), "{template}");
    for address in template.split_whitespace().filter(|w| w.contains("github")) {
        assert!(
            address.starts_with(repository)
                || address
                    .starts_with(&format!("https://raw.githubusercontent.com/{github_path}/")),
            "the template names another repository: {address}"
        );
    }
}

/// The lines of each `run:` script in a workflow: the value after `run:` and, for a
/// block scalar, the lines indented deeper than the `run:` key.
fn run_scripts(workflow: &str) -> Vec<String> {
    let lines: Vec<&str> = workflow.lines().collect();
    let mut scripts = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let key = line.trim_start().trim_start_matches("- ");
        let Some(value) = key.strip_prefix("run:") else {
            continue;
        };
        let indent = line.len() - line.trim_start().len();
        let mut script = value.to_owned();
        for next in &lines[at + 1..] {
            if !next.trim().is_empty() && next.len() - next.trim_start().len() <= indent {
                break;
            }
            script.push('\n');
            script.push_str(next);
        }
        scripts.push(script);
    }
    scripts
}

#[test]
fn the_ci_files_keep_expressions_out_of_scripts_and_read_the_history() {
    let dir = temp_dir("init-ci-files").child("org");
    let init = output(&mut accord(&["init".as_ref(), dir.as_os_str()]));
    assert_eq!(exit_code(&init), 0, "{}", all_output(&init));
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/accord.yml")).unwrap();
    let scripts = run_scripts(&workflow);
    assert!(scripts.len() >= 6, "{scripts:?}");
    for script in &scripts {
        assert!(
            !script.contains("${{"),
            "an expression inside run: {script}"
        );
    }
    // Every job reads history (the diff and stale signatures; the signatures' commits;
    // the month's changes).
    assert_eq!(workflow.matches("fetch-depth: 0").count(), 3, "{workflow}");
    assert_eq!(
        workflow.matches("timeout-minutes:").count(),
        3,
        "{workflow}"
    );
    // The monthly review is off until its schedule is uncommented.
    assert!(
        workflow.contains("  # schedule:\n  #   - cron: \"0 7 2 * *\"\n"),
        "{workflow}"
    );
    assert!(
        workflow.contains("  review:\n    if: github.event_name == 'schedule'\n"),
        "{workflow}"
    );
    assert!(workflow.contains("concurrency:\n      group: pages\n      cancel-in-progress: false"));
    assert!(workflow.contains("accord check --format github --base"));
    // Majors whose runtime (Node.js 20, or an upload-artifact on it) GitHub retired.
    for retired in [
        "actions/checkout@v4",
        "actions/configure-pages@v5",
        "actions/upload-pages-artifact@v4",
        "actions/deploy-pages@v4",
    ] {
        assert!(!workflow.contains(retired), "{retired} runs on Node.js 20");
    }
    let gitlab = std::fs::read_to_string(dir.join(".gitlab-ci.yml")).unwrap();
    assert!(gitlab.contains("GIT_DEPTH: \"0\""));
    assert!(gitlab.contains("timeout: 30 minutes"));
    assert!(gitlab.contains("accord check --base"));
}
