//! What changed in the org, and who changed it: the history the site shows (SPEC 7.8).
//!
//! One `git log --raw` over the org lists, newest first, every commit with the files it
//! touched and their blobs before and after; one `git cat-file --batch-check` sizes the
//! blobs of the agreement versions shown, and one `git cat-file --batch` reads them, so
//! that each agreement's history says what changed in `diff`'s own terms
//! (`term[lead-data].target: 90 -> 95`). Three processes whatever the number of commits.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use serde::Serialize;

use super::Head;
use crate::diff::{FieldChange, toml_changes};
use crate::git::{CatFile, FileChange, blob_sizes, git};
use crate::load::is_org_path;

/// Commits read, newest first: enough for years of an org's history, and a bound on the
/// time and memory a repository with a long unrelated history can cost.
const COMMITS_READ: &str = "--max-count=10000";
/// Versions listed per file (an agreement's history on its page).
pub const PER_FILE: usize = 50;
/// Changes across the org on `changes.html` and in the feed.
pub const LATEST: usize = 100;
/// The largest agreement version compared field by field: a real one is a few KiB; a
/// huge blob committed once must not be read into memory by every build.
const COMPARED_LIMIT: u64 = 1 << 20;

/// One commit's change to one file of the org.
#[derive(Clone, Debug, Serialize)]
pub struct FileCommit {
    /// The first digits of the commit's id.
    pub commit: String,
    /// When it was committed.
    #[serde(serialize_with = "rfc3339")]
    pub time: Timestamp,
    /// Its day, in UTC.
    pub date: jiff::civil::Date,
    pub author: String,
    /// The first line of the commit message.
    pub subject: String,
    /// Relative to the org root.
    pub path: String,
    pub change: FileChange,
    /// What changed, field by field, for agreement files (empty when not compared).
    pub fields: Vec<FieldChange>,
}

fn rfc3339<S: serde::Serializer>(time: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(time)
}

/// The history of an org's files as the site shows it.
#[derive(Debug, Default)]
pub struct Changes {
    head: Option<Head>,
    /// Per file, its latest versions, newest first (at most [`PER_FILE`]).
    by_path: HashMap<String, Vec<FileCommit>>,
    /// The latest changes across the org, newest first (at most [`LATEST`]).
    pub latest: Vec<FileCommit>,
}

impl Changes {
    /// The latest versions of the file at `path` (from the org root), newest first.
    pub fn of(&self, path: &str) -> &[FileCommit] {
        self.by_path.get(path).map_or(&[], Vec::as_slice)
    }

    /// Reads the history of the org at `org_root` that leads to `HEAD`.
    pub fn read(org_root: &Path) -> Result<Changes, String> {
        Changes::read_at(org_root, Head::read(org_root)?)
    }

    /// Reads the history of the org at `org_root` that leads to `head`.
    fn read_at(org_root: &Path, head: Head) -> Result<Changes, String> {
        let log = git(
            org_root,
            &[
                "log",
                "-z",
                "--no-renames",
                "--no-show-signature",
                "--raw",
                "--no-abbrev",
                "--relative",
                COMMITS_READ,
                "--format=%x01%H%x1f%ct%x1f%an%x1f%s",
                &head.commit,
                "--",
                ".",
            ],
        )
        .map_err(|e| format!("cannot read the git history: {e}"))?;
        let mut changes = Changes {
            head: Some(head),
            ..Changes::default()
        };
        // (old blob, new blob) of each agreement version listed, by (path, index).
        let mut to_compare: Vec<(String, usize, Option<String>, Option<String>)> = Vec::new();
        for record in log.split('\x01').filter(|r| !r.is_empty()) {
            let (header, files) = record.split_once('\0').unwrap_or((record, ""));
            let mut header = header.splitn(4, '\x1f');
            let (Some(id), Some(seconds), Some(author), Some(subject)) =
                (header.next(), header.next(), header.next(), header.next())
            else {
                continue;
            };
            let Some(time) = seconds
                .parse::<i64>()
                .ok()
                .and_then(|s| Timestamp::from_second(s).ok())
            else {
                continue;
            };
            let mut fields = files.trim_start_matches('\n').split('\0');
            while let (Some(meta), Some(path)) = (fields.next(), fields.next()) {
                // `:old-mode new-mode old-blob new-blob status`
                let mut meta = meta.split(' ').skip(2);
                let (Some(old), Some(new), Some(status)) = (meta.next(), meta.next(), meta.next())
                else {
                    continue;
                };
                if !is_org_path(path) {
                    continue;
                }
                let change = match status.chars().next() {
                    Some('A') => FileChange::Added,
                    Some('D') => FileChange::Removed,
                    _ => FileChange::Changed,
                };
                let entry = FileCommit {
                    commit: id.get(..super::SHORT_ID).unwrap_or(id).to_owned(),
                    time,
                    date: jiff::tz::TimeZone::UTC.to_datetime(time).date(),
                    author: printable(author),
                    subject: printable(subject),
                    path: path.to_owned(),
                    change,
                    fields: Vec::new(),
                };
                if changes.latest.len() < LATEST {
                    changes.latest.push(entry.clone());
                }
                let versions = changes.by_path.entry(path.to_owned()).or_default();
                if versions.len() < PER_FILE {
                    if path.starts_with("agreements/") && path.ends_with(".toml") {
                        let blob = |b: &str| (!b.bytes().all(|c| c == b'0')).then(|| b.to_owned());
                        to_compare.push((path.to_owned(), versions.len(), blob(old), blob(new)));
                    }
                    versions.push(entry);
                }
            }
        }
        changes.compare_agreements(org_root, &to_compare)?;
        Ok(changes)
    }

    /// Fills in the field changes of the agreement versions listed.
    fn compare_agreements(
        &mut self,
        org_root: &Path,
        versions: &[(String, usize, Option<String>, Option<String>)],
    ) -> Result<(), String> {
        let mut blobs: Vec<&str> = versions
            .iter()
            .flat_map(|(_, _, old, new)| [old.as_deref(), new.as_deref()])
            .flatten()
            .collect();
        blobs.sort_unstable();
        blobs.dedup();
        let sizes = blob_sizes(org_root, &blobs)?;
        let readable: Vec<&str> = blobs
            .into_iter()
            .filter(|b| sizes.get(*b).is_some_and(|&size| size <= COMPARED_LIMIT))
            .collect();
        let contents = CatFile::start(org_root)?.read(readable.iter().copied())?;
        let text: HashMap<&str, String> = readable
            .iter()
            .zip(contents)
            .map(|(blob, bytes)| (*blob, String::from_utf8_lossy(&bytes).into_owned()))
            .collect();
        for (path, index, old, new) in versions {
            let side = |blob: &Option<String>| match blob {
                None => Some(None),
                // A version too large to compare is listed without its fields.
                Some(blob) => text.get(blob.as_str()).map(|t| Some(t.as_str())),
            };
            let (Some(old), Some(new)) = (side(old), side(new)) else {
                continue;
            };
            if let Some(entry) = self.by_path.get_mut(path).and_then(|v| v.get_mut(*index)) {
                entry.fields = toml_changes(old, new);
            }
        }
        Ok(())
    }
}

/// `text` with every control character replaced: a commit message is anyone's text, and
/// neither a page nor an XML feed may carry one.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// The history kept from one rebuild of `serve` to the next: read again only when `HEAD`
/// names another commit.
#[derive(Debug, Default)]
pub struct ChangesCache {
    last: Mutex<Option<Arc<Changes>>>,
}

impl ChangesCache {
    /// The history of the org at `org_root`: the last one read while `HEAD` has not moved.
    pub fn read(&self, org_root: &Path) -> Result<Arc<Changes>, String> {
        let mut last = self
            .last
            .lock()
            .map_err(|_| "the history cache is poisoned")?;
        let held = |head: &Head| {
            last.as_ref()
                .filter(|c| c.head.as_ref() == Some(head))
                .map(Arc::clone)
        };
        // `HEAD` from the git folder's files (no process) may confirm the commit held; only
        // git says which commit to read (as for the signature log).
        if let Some(changes) = Head::from_files(org_root).as_ref().and_then(held) {
            return Ok(changes);
        }
        let head = Head::read(org_root)?;
        if let Some(changes) = held(&head) {
            return Ok(changes);
        }
        let changes = Arc::new(Changes::read_at(org_root, head)?);
        *last = Some(Arc::clone(&changes));
        Ok(changes)
    }
}
