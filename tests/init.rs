//! `accord init`: the new org passes `check --deny-warnings`, its CODEOWNERS is current,
//! and a non-empty directory is refused.

mod common;

use common::{accord, all_output, exit_code, output, temp_dir};

#[test]
fn a_new_org_is_clean_with_current_codeowners_and_ci_files() {
    let dir = temp_dir("init").join("new-org");
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
fn a_directory_that_is_not_empty_is_refused_but_a_fresh_repository_is_not() {
    let repo = temp_dir("init-fresh-repo");
    std::fs::create_dir(repo.join(".git")).unwrap();
    let fresh = output(&mut accord(&["init".as_ref(), repo.as_os_str()]));
    assert_eq!(
        exit_code(&fresh),
        0,
        "only hidden entries: {}",
        all_output(&fresh)
    );
    assert!(repo.join("accord.toml").is_file());

    let dir = temp_dir("init-not-empty");
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let init = output(&mut accord(&["init".as_ref(), dir.as_os_str()]));
    assert_eq!(exit_code(&init), 2);
    assert!(all_output(&init).contains("not empty"));
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing was written"
    );
}
