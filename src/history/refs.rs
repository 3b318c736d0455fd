//! `HEAD` read from the files of the git folder, without starting git: enough to tell
//! that the history kept for a commit is still the one to use, which is most runs of
//! `check` and every save in `serve`.
//!
//! Only the plain layout is read (a `.git` folder or a `.git` file naming one, loose or
//! packed branch refs, no environment variable that moves the repository). Anything else,
//! and any answer that does not name the kept commit, goes to git itself: this reader
//! can only say "the same commit as before", never introduce one.

use std::fs;
use std::path::Path;

use super::Head;

/// The variables that can point git at another repository, another set of refs or
/// another configuration (which could move the work tree).
const MOVING: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_CONFIG",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_PARAMETERS",
];

/// The files of a git folder are a few hundred bytes; a larger one is not read.
const MAX_REF_FILE: u64 = 64 * 1024;
/// `packed-refs` holds every ref of the repository: a larger one is left to git.
const MAX_PACKED_REFS: u64 = 4 * 1024 * 1024;

/// `HEAD` of the repository whose work tree `work_tree` holds the org at `org_root` (both
/// canonical), when the git folder has the plain layout; `None` otherwise.
pub(super) fn head_from_files(work_tree: &Path, org_root: &Path) -> Option<Head> {
    if MOVING.iter().any(|name| std::env::var_os(name).is_some()) {
        return None;
    }
    let dot_git = work_tree.join(".git");
    let git_dir = if dot_git.is_dir() {
        dot_git
    } else {
        let text = read_small(&dot_git, MAX_REF_FILE)?;
        let named = text
            .strip_prefix("gitdir: ")?
            .trim_end_matches(['\n', '\r']);
        work_tree.join(named).canonicalize().ok()?
    };
    let common_dir = match read_small(&git_dir.join("commondir"), MAX_REF_FILE) {
        Some(text) => git_dir.join(text.trim_end_matches(['\n', '\r'])),
        None => git_dir.clone(),
    };
    // A shallow clone has no history to keep; reftable keeps refs in another format.
    let unusual = ["shallow", "reftable"]
        .iter()
        .any(|name| common_dir.join(name).exists() || git_dir.join(name).exists());
    if unusual {
        return None;
    }
    let head = read_small(&git_dir.join("HEAD"), MAX_REF_FILE)?;
    let head = head.trim_end_matches(['\n', '\r']);
    let commit = match head.strip_prefix("ref: ") {
        Some(branch) => branch_commit(&common_dir, branch)?,
        None => head.to_owned(),
    };
    if !is_object_id(&commit) {
        return None;
    }
    let prefix = org_root.strip_prefix(work_tree).ok()?;
    let mut prefix: String = prefix
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<_>>>()?
        .join("/");
    if !prefix.is_empty() {
        prefix.push('/');
    }
    Some(Head {
        commit,
        git_dir,
        prefix,
    })
}

/// The commit a branch ref names: its loose file, else its line in `packed-refs`.
fn branch_commit(common_dir: &Path, branch: &str) -> Option<String> {
    let plain = branch.starts_with("refs/heads/")
        && branch
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if !plain {
        return None;
    }
    if let Some(text) = read_small(&common_dir.join(branch), MAX_REF_FILE) {
        return Some(text.trim_end_matches(['\n', '\r']).to_owned());
    }
    let packed = read_small(&common_dir.join("packed-refs"), MAX_PACKED_REFS)?;
    packed
        .lines()
        .filter(|line| !line.starts_with(['#', '^']))
        .find_map(|line| {
            let (id, name) = line.split_once(' ')?;
            (name == branch).then(|| id.to_owned())
        })
}

/// A full object id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits.
fn is_object_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn read_small(path: &Path, limit: u64) -> Option<String> {
    let file = fs::File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() || file.metadata().ok()?.len() > limit {
        return None;
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(file, limit), &mut text).ok()?;
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::super::Head;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    }

    /// A repository with two commits and the org in `org/`, in a fresh folder removed
    /// with the first item; the second is its real path.
    fn repo(name: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::Builder::new()
            .prefix(&format!("accord-refs-{name}-"))
            .tempdir()
            .expect("a temporary folder");
        let path = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(path.join("org")).expect("mkdir");
        git(&path, &["init", "-q", "-b", "main"]);
        for n in ["1", "2"] {
            std::fs::write(path.join("org/accord.toml"), n).expect("write");
            git(&path, &["add", "-A"]);
            git(&path, &["commit", "-q", "-m", n]);
        }
        (dir, path)
    }

    /// What the files say, beside what git says.
    fn both(org: &Path) -> (Option<Head>, Head) {
        (
            Head::from_files(org),
            Head::read(org).expect("git reads HEAD"),
        )
    }

    #[test]
    fn head_from_the_files_is_what_git_says() {
        let (_dir, repo) = repo("plain");
        let org = repo.join("org");
        let (files, git_says) = both(&org);
        assert_eq!(files, Some(git_says.clone()));
        assert_eq!(git_says.prefix, "org/");
        // Packed refs, a detached HEAD, an org at the top of the work tree.
        git(&repo, &["pack-refs", "--all"]);
        let (files, git_says) = both(&org);
        assert_eq!(files, Some(git_says));
        git(&repo, &["checkout", "-q", "--detach", "HEAD~1"]);
        let (files, git_says) = both(&repo);
        assert_eq!(files, Some(git_says.clone()));
        assert_eq!(git_says.prefix, "");
        // A linked work tree: its own HEAD, the common folder's refs.
        git(&repo, &["checkout", "-q", "main"]);
        let linked = repo.join("linked");
        git(
            &repo,
            &[
                "worktree",
                "add",
                "-q",
                "-b",
                "side",
                linked.to_str().expect("utf-8"),
                "HEAD~1",
            ],
        );
        let (files, git_says) = both(&linked.join("org"));
        assert_eq!(files, Some(git_says));
    }

    #[test]
    fn an_unusual_layout_is_left_to_git() {
        let (_dir, repo) = repo("unusual");
        let org = repo.join("org");
        // A HEAD that names no branch, and a shallow marker.
        std::fs::write(repo.join(".git/HEAD"), "ref: refs/remotes/x\n").expect("write");
        assert_eq!(Head::from_files(&org), None);
        git(&repo, &["checkout", "-q", "main"]);
        assert!(Head::from_files(&org).is_some());
        std::fs::write(repo.join(".git/shallow"), "").expect("write");
        assert_eq!(Head::from_files(&org), None);
    }
}
