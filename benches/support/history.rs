//! A git history for a benchmark org: many commits touching its agreements, made by one
//! `git fast-import`. Used by the provenance case of `check` and the git case of `serve`;
//! each uses a part of it.
#![allow(dead_code)]

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

/// Makes `dir` (a generated org, or example-org) a git repository whose `HEAD` holds exactly its files,
/// after a history of `commits` commits touching its agreements, written by one
/// `git fast-import`; then checks the files out, so the agreements carry the comments of
/// the review commits and nothing is uncommitted.
pub fn commit_history(dir: &Path, commits: usize) -> io::Result<()> {
    let handles: toml::Table = toml::from_str(&std::fs::read_to_string(dir.join("people.toml"))?)
        .map_err(io::Error::other)?;
    let handle_of = |person: &str| {
        handles
            .get(person)
            .and_then(|p| p.get("handle"))
            .and_then(|h| h.as_str())
            .unwrap_or("nobody")
            .to_owned()
    };
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files)?;
    files.sort();
    // Each agreement: its text before the first signature, and its signature blocks.
    let mut agreements: Vec<(String, String, Vec<String>)> = Vec::new();
    for (path, text) in &files {
        if path.starts_with("agreements/") {
            let mut blocks = text.split("\n[[signature]]\n");
            let head = blocks.next().unwrap_or_default().to_owned();
            let signatures = blocks.map(|b| format!("\n[[signature]]\n{b}")).collect();
            agreements.push((path.clone(), head, signatures));
        }
    }
    let mut stream = Vec::new();
    let mut time = 1_767_225_600_u64; // 2026-01-01
    let mut commit = |stream: &mut Vec<u8>, who: &str, changes: &[(&str, &str)]| {
        time += 60;
        let mut header = format!(
            "commit refs/heads/main\nauthor {who} {time} +0000\ncommitter {who} {time} +0000\ndata 6\nchange\n"
        );
        for (path, text) in changes {
            header += &format!("M 100644 inline {path}\ndata {}\n", text.len());
            stream.extend_from_slice(header.as_bytes());
            stream.extend_from_slice(text.as_bytes());
            stream.push(b'\n');
            header.clear();
        }
        stream.extend_from_slice(header.as_bytes());
    };
    let mut current: Vec<String> = agreements.iter().map(|(_, head, _)| head.clone()).collect();
    let first: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| {
            let unsigned = agreements
                .iter()
                .position(|(p, _, _)| p == path)
                .map_or(text.as_str(), |i| current[i].as_str());
            (path.as_str(), unsigned)
        })
        .collect();
    commit(&mut stream, "Generator <generator@example.com>", &first);
    let mut made = 1;
    for (i, (path, _, signatures)) in agreements.iter().enumerate() {
        for block in signatures {
            current[i] += block;
            let by = block
                .lines()
                .find_map(|l| l.strip_prefix("by = \""))
                .and_then(|l| l.strip_suffix('"'))
                .unwrap_or_default();
            let who = format!("{by} <{}@users.noreply.github.com>", handle_of(by));
            commit(&mut stream, &who, &[(path, &current[i])]);
            made += 1;
        }
    }
    for n in 0..commits.saturating_sub(made) {
        let i = n % agreements.len();
        current[i] += &format!("# reviewed, note {n}\n");
        commit(
            &mut stream,
            "Reviewer <reviewer@example.com>",
            &[(&agreements[i].0, &current[i])],
        );
    }
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(dir).args(args).output();
    git(&["init", "-q", "-b", "main"])?;
    let mut import = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()?;
    {
        use std::io::Write;
        let mut stdin = import
            .stdin
            .take()
            .ok_or_else(|| io::Error::other("no stdin"))?;
        stdin.write_all(&stream)?;
    }
    if !import.wait()?.success() {
        return Err(io::Error::other("git fast-import failed"));
    }
    let reset = git(&["reset", "-q", "--hard", "main"])?;
    if !reset.status.success() {
        return Err(io::Error::other(format!(
            "git reset failed: {}",
            String::from_utf8_lossy(&reset.stderr)
        )));
    }
    Ok(())
}

/// Commits one more review of an agreement of the repository at `dir` (a comment
/// numbered `n` appended to its first agreement file by name), as the reviewer of
/// [`commit_history`].
pub fn commit_review(dir: &Path, n: usize) -> io::Result<()> {
    let first = walkdir::WalkDir::new(dir.join("agreements"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml"))
        .ok_or_else(|| io::Error::other("no agreement to review"))?;
    let first = first.path();
    let text = std::fs::read_to_string(first)? + &format!("# reviewed again, note {n}\n");
    std::fs::write(first, text)?;
    let committed = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["commit", "-q", "-a", "-m", "review"])
        .env("GIT_AUTHOR_NAME", "Reviewer")
        .env("GIT_AUTHOR_EMAIL", "reviewer@example.com")
        .env("GIT_COMMITTER_NAME", "Reviewer")
        .env("GIT_COMMITTER_EMAIL", "reviewer@example.com")
        .output()?;
    if !committed.status.success() {
        return Err(io::Error::other(format!(
            "git commit failed: {}",
            String::from_utf8_lossy(&committed.stderr)
        )));
    }
    Ok(())
}

/// Every file under `dir` but `.git` with its text, paths relative to `root` with `/`.
fn collect_files(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name() == ".git" {
            continue;
        }
        if entry.file_type()?.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let relative = path
                .strip_prefix(root)
                .map_err(io::Error::other)?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((relative, std::fs::read_to_string(&path)?));
        }
    }
    Ok(())
}

/// Copies the org at `from` to `to`, leaving its `.git` behind.
pub fn copy_without_git(from: &Path, to: &Path) -> io::Result<()> {
    let mut files = Vec::new();
    collect_files(from, from, &mut files)?;
    for (path, text) in files {
        let target = to.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, text)?;
    }
    Ok(())
}
