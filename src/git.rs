//! Reading an org as it was at a git revision, through git's object database only: the
//! working tree and the index are never touched.
//!
//! git is driven as a process (`rev-parse`, `ls-tree`, `cat-file --batch`) instead of
//! linking a git library: every machine that has the repository has git, and the three
//! plumbing commands are stable.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use jiff::civil::Date;

use crate::load::OrgFiles;

/// The org's files at a revision, with the commit they come from.
#[derive(Debug)]
pub struct Revision {
    /// The revision as the user wrote it.
    pub name: String,
    /// The commit it names.
    pub commit: String,
    /// The commit's date (committer date, in the committer's time zone).
    pub date: Date,
    pub files: OrgFiles,
}

/// Reads the org whose root is `org_root` (a directory inside a git work tree) as it was
/// at revision `rev`.
pub fn read_revision(org_root: &Path, rev: &str) -> Result<Revision, String> {
    let commit = git(
        org_root,
        &[
            "rev-parse",
            "--verify",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| {
        format!(
            "cannot read revision `{rev}`: {e}{}",
            known_branches(org_root)
        )
    })?
    .trim()
    .to_owned();
    let date_text = git(org_root, &["show", "-s", "--format=%cs", &commit])?;
    let date: Date = date_text.trim().parse().map_err(|e| {
        format!(
            "git gave an unreadable commit date `{}`: {e}",
            date_text.trim()
        )
    })?;
    // Paths relative to the current directory (the org root), limited to it.
    let listing = git(org_root, &["ls-tree", "-r", "-z", &commit, "--", "."])?;
    let mut blobs = Vec::new();
    for entry in listing.split('\0').filter(|e| !e.is_empty()) {
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (_mode, kind, object) = (meta.next(), meta.next(), meta.next());
        if let (Some("blob"), Some(object)) = (kind, object)
            && crate::load::is_org_path(path)
        {
            blobs.push((path.to_owned(), object.to_owned()));
        }
    }
    let contents =
        CatFile::start(org_root)?.read(blobs.iter().map(|(_, object)| object.as_str()))?;
    Ok(Revision {
        name: rev.to_owned(),
        commit,
        date,
        files: OrgFiles::from_contents(blobs.into_iter().map(|(path, _)| path).zip(contents)),
    })
}

/// The branches the repository has, as a hint after a revision that names nothing
/// (`--base main` in a repository whose default branch is `master`): empty when git
/// lists none.
fn known_branches(dir: &Path) -> String {
    /// Enough to find the one meant; a repository with hundreds would flood the message.
    const SHOWN: usize = 10;
    let Ok(listing) = git(
        dir,
        &[
            "for-each-ref",
            "--format=%(refname:short)",
            "refs/heads",
            "refs/remotes",
        ],
    ) else {
        return String::new();
    };
    let branches: Vec<&str> = listing
        .lines()
        .filter(|b| !b.is_empty() && !b.ends_with("/HEAD"))
        .collect();
    if branches.is_empty() {
        return String::new();
    }
    let more = branches.len().saturating_sub(SHOWN);
    let shown = branches[..branches.len().min(SHOWN)]
        .iter()
        .map(|b| format!("`{b}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        format!("; the branches here include {shown} and {more} more")
    } else {
        format!("; the branches here are {shown}")
    }
}

/// How a file differs between a commit and the working tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileChange {
    Added,
    Removed,
    Changed,
}

impl FileChange {
    /// The change in one word, as JSON writes it.
    pub fn word(self) -> &'static str {
        match self {
            FileChange::Added => "added",
            FileChange::Removed => "removed",
            FileChange::Changed => "changed",
        }
    }
}

/// Every file under `org_root` that differs between `commit` and the working tree, as
/// git sees it (tracked files changed or deleted, and new files it does not ignore), with
/// paths relative to `org_root`, sorted.
pub fn changed_files(org_root: &Path, commit: &str) -> Result<Vec<(String, FileChange)>, String> {
    let tracked = git(
        org_root,
        &[
            "diff",
            "--name-status",
            "--no-renames",
            "--relative",
            "-z",
            commit,
            "--",
            ".",
        ],
    )?;
    let mut fields = tracked.split('\0');
    let mut changed = Vec::new();
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        let change = match status {
            "A" => FileChange::Added,
            "D" => FileChange::Removed,
            _ => FileChange::Changed,
        };
        changed.push((path.to_owned(), change));
    }
    let untracked = git(
        org_root,
        &[
            "ls-files",
            "-z",
            "--others",
            "--exclude-standard",
            "--",
            ".",
        ],
    )?;
    changed.extend(
        untracked
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(|p| (p.to_owned(), FileChange::Added)),
    );
    changed.sort();
    changed.dedup_by(|a, b| a.0 == b.0);
    Ok(changed)
}

/// Runs git in `dir` and returns its stdout, or its stderr as the error.
pub(crate) fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        // A file name that is not UTF-8 (a stray file) must not make the whole revision
        // unreadable: it is read lossily, as the walk of the working tree reads it.
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.lines().next().unwrap_or("git failed").to_owned())
    }
}

/// The size of each of `blobs` that the repository has, by one `git cat-file
/// --batch-check`.
pub(crate) fn blob_sizes(dir: &Path, blobs: &[&str]) -> Result<HashMap<String, u64>, String> {
    let mut sizes = HashMap::with_capacity(blobs.len());
    if blobs.is_empty() {
        return Ok(sizes);
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch-check"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err("git cat-file has no pipes".to_owned());
    };
    let mut answers = BufReader::new(stdout);
    let mut read = || -> Result<(), String> {
        for chunk in blobs.chunks(REQUESTS_AT_ONCE) {
            let request: String = chunk.iter().map(|b| format!("{b}\n")).collect();
            stdin
                .write_all(request.as_bytes())
                .map_err(|e| format!("cannot write to git cat-file: {e}"))?;
            for _ in chunk {
                let mut line = String::new();
                answers.read_line(&mut line).map_err(|e| e.to_string())?;
                // `<id> <type> <size>`, or `<id> missing`.
                let mut words = line.split_whitespace();
                if let (Some(id), Some(_), Some(size)) = (words.next(), words.next(), words.next())
                    && let Ok(size) = size.parse()
                {
                    sizes.insert(id.to_owned(), size);
                }
            }
        }
        Ok(())
    };
    let result = read();
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
    result.map(|()| sizes)
}

/// Requests written to `git cat-file` before their answers are read: few enough that
/// they fit in any pipe's buffer (4 KiB on some systems), so the write never blocks
/// while git waits for its answers to be read.
const REQUESTS_AT_ONCE: usize = 64;

/// One `git cat-file --batch` process, asked for blobs as they are needed: a caller
/// reads what it needs, decides, and asks again, without starting another process.
pub(crate) struct CatFile {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    pub(crate) fn start(dir: &Path) -> Result<Self, String> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let stdin = child.stdin.take().ok_or("git cat-file has no stdin")?;
        let stdout = child.stdout.take().ok_or("git cat-file has no stdout")?;
        Ok(CatFile {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    /// The contents of `objects`, in order.
    pub(crate) fn read<'a>(
        &mut self,
        objects: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<Vec<u8>>, String> {
        let objects: Vec<&str> = objects.into_iter().collect();
        let mut contents = Vec::with_capacity(objects.len());
        for chunk in objects.chunks(REQUESTS_AT_ONCE) {
            let request: String = chunk.iter().map(|o| format!("{o}\n")).collect();
            self.stdin
                .write_all(request.as_bytes())
                .map_err(|e| format!("cannot write to git cat-file: {e}"))?;
            for _ in chunk {
                contents.push(self.answer()?);
            }
        }
        Ok(contents)
    }

    /// One answer: a header `<id> blob <size>`, the contents and a newline.
    fn answer(&mut self) -> Result<Vec<u8>, String> {
        let mut header = String::new();
        self.stdout
            .read_line(&mut header)
            .map_err(|e| e.to_string())?;
        let size: usize = header
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| {
                format!(
                    "unexpected answer from git cat-file: `{}`",
                    header.trim_end()
                )
            })?;
        let mut blob = vec![0; size + 1];
        self.stdout
            .read_exact(&mut blob)
            .map_err(|e| e.to_string())?;
        blob.truncate(size);
        Ok(blob)
    }
}

impl Drop for CatFile {
    /// Nothing more is asked: git is ended (it only reads, and may be blocked writing an
    /// answer nobody will read), and waited for so that no zombie stays behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
