//! Signature provenance: which commit brought each signature, and who authored it.
//!
//! git history is read through git itself, with two processes per run whatever the number
//! of signatures: one `git log --raw` over the org's `agreements/` folder lists every
//! version of every agreement file (the blob each commit left), and one `git cat-file
//! --batch` reads the versions that are needed. A signature (party, by, date) was
//! introduced by the oldest commit of the unbroken run of versions, newest first, that hold
//! it: a signature removed and added again counts from its last addition, and a renamed
//! file starts a new history. So each file is read newest first only until the run of every
//! signature of its newest version is broken: the versions before are never read.
//!
//! What a read found is kept in the repository's git folder ([`store`]): the next run for
//! the same commit reads nothing but `HEAD`, and a run after new commits reads only them.

mod changes;
mod refs;
mod store;

pub use changes::{Changes, ChangesCache, FileCommit};

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::git::{CatFile, git};
use crate::model::{Agreement, AgreementId, Org, Person, PersonId, Signature, TeamId};
use crate::source::Sources;

/// The folder whose history is read, relative to the org root.
const AGREEMENTS: &str = "agreements";

/// Hex digits of a commit id shown on pages and in findings: git's default abbreviation.
const SHORT_ID: usize = 7;

/// A commit that introduced a signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    /// The first digits of its id, as git shows it by default.
    pub short: String,
    pub author_name: String,
    pub author_email: String,
}

/// A signature as it stands in one version of a file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct SignedAs {
    party: String,
    by: String,
    date: String,
}

/// One version of an agreement file: the commit that made it, and its blob (none when the
/// commit deleted the file).
#[derive(Clone, Debug)]
struct Version {
    commit: usize,
    blob: Option<usize>,
}

/// The commit whose history is read: all a history depends on, so a history read for it
/// stays true as long as `HEAD` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    commit: String,
    /// The repository's git folder (of this work tree), where the history read is kept.
    git_dir: PathBuf,
    /// The org root's path in the repository (`""` at its top, else ending in `/`).
    prefix: String,
}

impl Head {
    /// `HEAD` of the org's repository read from its git folder's files, when they have the
    /// plain layout ([`refs`]): it can confirm a commit already read, never replace git.
    fn from_files(org_root: &Path) -> Option<Head> {
        let root = org_root.canonicalize().ok()?;
        let work_tree = crate::git_root(&root)?;
        refs::head_from_files(&work_tree, &root)
    }

    /// The commit `HEAD` names in the repository of the org at `org_root`, or why its
    /// history cannot be read: not in a git repository, a shallow clone, no commit yet.
    pub fn read(org_root: &Path) -> Result<Head, String> {
        // Outside any work tree, no git process is started: `check` stays as fast as it was.
        let in_work_tree = org_root
            .canonicalize()
            .ok()
            .and_then(|root| crate::git_root(&root))
            .is_some();
        if !in_work_tree {
            return Err("not in a git repository".to_owned());
        }
        // One process for every question; it answers a line each, in this order.
        let answer = git(
            org_root,
            &[
                "rev-parse",
                "--is-shallow-repository",
                "--absolute-git-dir",
                "--show-prefix",
                "--verify",
                "HEAD^{commit}",
            ],
        )
        .map_err(|e| {
            if e.contains("Needed a single revision") {
                "the repository has no commits yet".to_owned()
            } else {
                "not in a git repository".to_owned()
            }
        })?;
        let mut lines = answer.lines();
        if lines.next() == Some("true") {
            return Err(
                "the repository is a shallow clone without the history of its signatures (`git fetch --unshallow` fetches it)"
                    .to_owned(),
            );
        }
        match (lines.next(), lines.next(), lines.next()) {
            (Some(git_dir), Some(prefix), Some(commit)) if !commit.is_empty() => Ok(Head {
                commit: commit.to_owned(),
                git_dir: PathBuf::from(git_dir),
                prefix: prefix.to_owned(),
            }),
            _ => Err("the repository has no commits yet".to_owned()),
        }
    }
}

/// Where each signature of the newest committed version of every agreement file comes
/// from, in the history of one commit.
#[derive(Debug)]
pub struct SignatureLog {
    head: Head,
    commits: Vec<Commit>,
    /// Per file, relative to the org root: the commit (an index in `commits`) that
    /// introduced each signature of its newest version.
    introduced: Introduced,
}

/// Per file, the commit (an index in a list of commits) that introduced each signature of
/// its newest version.
type Introduced = HashMap<String, HashMap<SignedAs, usize>>;

/// What an earlier read of the history before the commits being read found, for a walk
/// to complete its own with.
struct Earlier<'a> {
    introduced: &'a Introduced,
    /// Where its commits start in the list of the new read's commits.
    offset: usize,
}

impl SignatureLog {
    /// Reads the whole history of the agreements of the org at `org_root`, or says why
    /// there is none to read; what was kept of earlier reads is not used.
    pub fn read(org_root: &Path) -> Result<SignatureLog, String> {
        SignatureLog::read_since(org_root, Head::read(org_root)?, None)
    }

    /// The history of the agreements of the org at `org_root` that leads to `head`: what
    /// the repository keeps of an earlier read, completed with the commits made since
    /// (read again whole when that read is not of an ancestor of `head`), and kept anew.
    fn read_kept(org_root: &Path, head: Head) -> Result<SignatureLog, String> {
        let kept = store::load(&head);
        let log = match kept {
            Some(kept) if kept.head.commit == head.commit => return Ok(kept),
            Some(kept) if is_ancestor(org_root, &kept.head.commit, &head.commit) => {
                SignatureLog::read_since(org_root, head, Some(&kept))?
            }
            _ => SignatureLog::read_since(org_root, head, None)?,
        };
        // Keeping it only saves time: a git folder that cannot be written costs nothing else.
        let _ = store::save(&log);
        Ok(log)
    }

    /// Reads the history of the agreements of the org at `org_root` that leads to `head`,
    /// from the commits after `earlier`'s (an ancestor of `head`) when given, else whole.
    fn read_since(
        org_root: &Path,
        head: Head,
        earlier_log: Option<&SignatureLog>,
    ) -> Result<SignatureLog, String> {
        // Started first, so that it gets ready while `git log` runs.
        let mut cat_file = CatFile::start(org_root)?;
        let excluded = earlier_log.map(|log| format!("^{}", log.head.commit));
        let mut args = vec![
            "log",
            "-z",
            "--topo-order",
            "--no-renames",
            "--no-show-signature",
            "--raw",
            "--no-abbrev",
            "--relative",
            // `%h` would be unabbreviated too (`--no-abbrev` is for the blob ids).
            "--format=%x01%H%x1f%an%x1f%ae",
            &head.commit,
        ];
        args.extend(excluded.as_deref());
        args.extend(["--", AGREEMENTS]);
        let log = git(org_root, &args).map_err(|e| format!("cannot read the git history: {e}"))?;
        let mut commits = Vec::new();
        let mut blob_ids: Vec<String> = Vec::new();
        let mut blob_index: HashMap<String, usize> = HashMap::new();
        let mut files: HashMap<String, Vec<Version>> = HashMap::new();
        for record in log.split('\x01').filter(|r| !r.is_empty()) {
            let (header, changes) = record.split_once('\0').unwrap_or((record, ""));
            let mut header = header.split('\x1f');
            let (Some(id), Some(name), Some(email)) = (header.next(), header.next(), header.next())
            else {
                continue;
            };
            let commit = commits.len();
            commits.push(Commit {
                short: id.get(..SHORT_ID).unwrap_or(id).to_owned(),
                author_name: name.to_owned(),
                author_email: email.to_owned(),
            });
            let mut fields = changes.trim_start_matches('\n').split('\0');
            while let (Some(meta), Some(path)) = (fields.next(), fields.next()) {
                // `:old-mode new-mode old-blob new-blob status`
                let mut meta = meta.split(' ').skip(3);
                let (Some(blob), Some(status)) = (meta.next(), meta.next()) else {
                    continue;
                };
                if !path.ends_with(".toml") {
                    continue;
                }
                let blob = (!status.starts_with('D')).then(|| {
                    *blob_index.entry(blob.to_owned()).or_insert_with(|| {
                        blob_ids.push(blob.to_owned());
                        blob_ids.len() - 1
                    })
                });
                files
                    .entry(path.to_owned())
                    .or_default()
                    .push(Version { commit, blob });
            }
        }
        // The commits of `earlier` follow the new ones.
        let earlier = earlier_log.map(|log| Earlier {
            introduced: &log.introduced,
            offset: commits.len(),
        });
        let introduced = walk(
            &files,
            |blobs| {
                let contents = cat_file.read(blobs.iter().map(|&blob| blob_ids[blob].as_str()))?;
                Ok(contents.iter().map(|blob| signatures_in(blob)).collect())
            },
            earlier.as_ref(),
        )?;
        if let Some(log) = earlier_log {
            commits.extend(log.commits.iter().cloned());
        }
        Ok(SignatureLog::new(head, commits, introduced))
    }

    /// A log that keeps only the commits that introduced a signature.
    fn new(head: Head, commits: Vec<Commit>, mut introduced: Introduced) -> SignatureLog {
        // In the order of `commits` (newest first), so that the same history is kept the
        // same way.
        let mut used: Vec<usize> = introduced
            .values()
            .flat_map(HashMap::values)
            .copied()
            .collect();
        used.sort_unstable();
        used.dedup();
        for commit in introduced.values_mut().flat_map(HashMap::values_mut) {
            *commit = used.binary_search(commit).unwrap_or_default();
        }
        SignatureLog {
            head,
            commits: used.iter().map(|&commit| commits[commit].clone()).collect(),
            introduced,
        }
    }

    /// The commit that introduced this signature of the file at `path` (relative to the
    /// org root), or `None` when the last commit of the file does not hold it: it is not
    /// committed yet.
    fn introduced(&self, path: &str, signature: &Signature) -> Option<&Commit> {
        let wanted = SignedAs {
            party: signature.party.value.to_string(),
            by: signature.by.value.to_string(),
            date: signature.date.value.to_string(),
        };
        let commit = self.introduced.get(path)?.get(&wanted)?;
        self.commits.get(*commit)
    }
}

/// Signature logs kept from one rebuild of `serve` to the next: the history is read again
/// only when `HEAD` names another commit (a commit, a checkout, a pull), not on every save.
#[derive(Debug, Default)]
pub struct LogCache {
    last: Mutex<Option<Arc<SignatureLog>>>,
    /// The history of every file, which the site shows.
    pub changes: ChangesCache,
}

impl LogCache {
    /// The signature log of the org at `org_root`: the last one read when `HEAD` has not
    /// moved since, else read now.
    pub fn read(&self, org_root: &Path) -> Result<Arc<SignatureLog>, String> {
        let mut last = self
            .last
            .lock()
            .map_err(|_| "the history cache is poisoned")?;
        // Without starting git: `HEAD`, read from the git folder's files, still names the
        // commit of the history in memory or kept.
        if let Some(head) = Head::from_files(org_root) {
            if let Some(log) = last.as_ref().filter(|log| log.head == head) {
                return Ok(Arc::clone(log));
            }
            if let Some(kept) = store::load(&head).filter(|kept| kept.head == head) {
                let log = Arc::new(kept);
                *last = Some(Arc::clone(&log));
                return Ok(log);
            }
        }
        let head = Head::read(org_root)?;
        if let Some(log) = last.as_ref().filter(|log| log.head == head) {
            return Ok(Arc::clone(log));
        }
        let log = Arc::new(SignatureLog::read_kept(org_root, head)?);
        *last = Some(Arc::clone(&log));
        Ok(log)
    }
}

/// Whether commit `ancestor` is in the history of commit `descendant`.
fn is_ancestor(dir: &Path, ancestor: &str, descendant: &str) -> bool {
    git(dir, &["merge-base", "--is-ancestor", ancestor, descendant]).is_ok()
}

/// Per file, the commit that introduced each signature of its newest version, from its
/// versions (newest first); `signatures_of` gives the signatures of the blobs asked for.
/// With an `earlier` read of the history before these versions, a signature still held
/// by a file's oldest version has the commit `earlier` found, and a file without versions
/// here keeps what `earlier` found.
///
/// A file is read only as far back as needed: its versions are asked for in rounds, one
/// then two, four... at a time (so the blobs read beyond the end of the last run are at
/// most as many as those before), and every file's round goes to `signatures_of` at once,
/// each blob once in a run.
fn walk(
    files: &HashMap<String, Vec<Version>>,
    mut signatures_of: impl FnMut(&[usize]) -> Result<Vec<Vec<SignedAs>>, String>,
    earlier: Option<&Earlier>,
) -> Result<Introduced, String> {
    let mut known: HashMap<usize, Vec<SignedAs>> = HashMap::new();
    let mut walks: Vec<FileWalk> = files
        .iter()
        .map(|(path, versions)| FileWalk::new(path, versions))
        .collect();
    let mut introduced = HashMap::new();
    while !walks.is_empty() {
        let mut wanted: Vec<usize> = walks
            .iter()
            .flat_map(FileWalk::next_versions)
            .filter_map(|version| version.blob)
            .filter(|blob| !known.contains_key(blob))
            .collect::<HashSet<usize>>()
            .into_iter()
            .collect();
        wanted.sort_unstable();
        let signatures = signatures_of(&wanted)?;
        known.extend(wanted.into_iter().zip(signatures));
        let mut unfinished = Vec::with_capacity(walks.len());
        for mut walk in walks {
            if walk.advance(&known, earlier) {
                introduced.insert(walk.path.to_owned(), walk.introduced);
            } else {
                unfinished.push(walk);
            }
        }
        walks = unfinished;
    }
    if let Some(earlier) = earlier {
        for (path, signatures) in earlier.introduced {
            if !files.contains_key(path) {
                let signatures = signatures
                    .iter()
                    .map(|(signature, commit)| (signature.clone(), earlier.offset + commit))
                    .collect();
                introduced.insert(path.clone(), signatures);
            }
        }
    }
    Ok(introduced)
}

/// One file's walk through its versions, newest first.
struct FileWalk<'a> {
    path: &'a str,
    versions: &'a [Version],
    /// Versions looked at so far.
    seen: usize,
    /// Versions the next round looks at.
    step: usize,
    /// The signatures whose unbroken run goes on, with the oldest commit of it so far;
    /// `None` until the newest version is looked at.
    following: Option<Vec<(SignedAs, usize)>>,
    introduced: HashMap<SignedAs, usize>,
}

impl<'a> FileWalk<'a> {
    fn new(path: &'a str, versions: &'a [Version]) -> Self {
        FileWalk {
            path,
            versions,
            seen: 0,
            step: 1,
            following: None,
            introduced: HashMap::new(),
        }
    }

    fn next_versions(&self) -> &'a [Version] {
        let end = self.versions.len().min(self.seen + self.step);
        &self.versions[self.seen..end]
    }

    /// Looks at the next round's versions, whose blobs are in `known`; whether the walk
    /// is over.
    fn advance(
        &mut self,
        known: &HashMap<usize, Vec<SignedAs>>,
        earlier: Option<&Earlier>,
    ) -> bool {
        const NONE: &[SignedAs] = &[];
        for version in self.next_versions() {
            self.seen += 1;
            let held = version
                .blob
                .and_then(|blob| known.get(&blob))
                .map_or(NONE, Vec::as_slice);
            let following = self.following.get_or_insert_with(|| {
                let mut newest: Vec<(SignedAs, usize)> = Vec::with_capacity(held.len());
                for signature in held {
                    if !newest.iter().any(|(s, _)| s == signature) {
                        newest.push((signature.clone(), version.commit));
                    }
                }
                newest
            });
            let introduced = &mut self.introduced;
            following.retain_mut(|(signature, since)| {
                if held.contains(signature) {
                    *since = version.commit;
                    true
                } else {
                    introduced.insert(signature.clone(), *since);
                    false
                }
            });
            if following.is_empty() {
                return true;
            }
        }
        self.step *= 2;
        if self.seen < self.versions.len() {
            return false;
        }
        // The oldest version holds them still: the file's first commit read introduced
        // them, unless an earlier read of the history before it says otherwise.
        for (signature, since) in self.following.take().unwrap_or_default() {
            let introduced = earlier
                .and_then(|earlier| {
                    let commit = earlier.introduced.get(self.path)?.get(&signature)?;
                    Some(earlier.offset + commit)
                })
                .unwrap_or(since);
            self.introduced.insert(signature, introduced);
        }
        true
    }
}

/// The `[[signature]]` entries of one version of an agreement file, from its signature
/// tables alone when [`signature_tables`] finds them, else from the whole file. Tables
/// that do not parse have no signatures (nobody can have read them either).
fn signatures_in(blob: &[u8]) -> Vec<SignedAs> {
    let Ok(text) = std::str::from_utf8(blob) else {
        return Vec::new();
    };
    let tables = signature_tables(text);
    parse_signatures(tables.as_deref().unwrap_or(text))
}

/// The `[[signature]]` entries of a TOML text; none when it does not parse.
fn parse_signatures(text: &str) -> Vec<SignedAs> {
    #[derive(Deserialize)]
    struct File {
        #[serde(default)]
        signature: Vec<Entry>,
    }
    #[derive(Deserialize)]
    struct Entry {
        party: String,
        by: String,
        date: toml::value::Datetime,
    }
    toml::from_str::<File>(text)
        .map(|file| {
            file.signature
                .into_iter()
                .map(|entry| SignedAs {
                    party: entry.party,
                    by: entry.by,
                    date: entry.date.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `[[signature]]` tables of a TOML text, each from its header to the next table
/// header, so that only they are parsed (parsing every version of every agreement whole
/// was most of the time provenance took). `None` when the rest of the text could say
/// something about signatures, and the whole text must be parsed: any other mention of
/// `signature` (a quoted or dotted key, an inline array, a sub-table, a word in a text)
/// or a backslash (an escape could spell it).
///
/// Headers are told from text by a lexer that follows strings (basic, literal, multi-line),
/// comments and the brackets of values: a line that opens with `[` inside a multi-line
/// string or a multi-line array is not a header.
fn signature_tables(text: &str) -> Option<String> {
    // Byte ranges of the tables, in order.
    let mut tables: Vec<std::ops::Range<usize>> = Vec::new();
    let mut lexer = Lexer::default();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let header = lexer.at_top_level() && line.trim_start_matches([' ', '\t']).starts_with('[');
        if header {
            if is_signature_header(line.trim_start_matches([' ', '\t'])) {
                tables.push(start..end);
            }
            // A header fills its line: nothing in it opens a string or a value.
        } else {
            match tables.last_mut() {
                Some(table) if table.end == start => table.end = end,
                _ => {}
            }
            lexer.line(line.as_bytes());
        }
        start = end;
    }
    // Looked for once in the whole text rather than line by line: most texts have none
    // outside the tables.
    let outside = |at: usize| {
        let next = tables.partition_point(|table| table.end <= at);
        tables.get(next).is_none_or(|table| !table.contains(&at))
    };
    let elsewhere = text
        .match_indices("signature")
        .chain(text.match_indices('\\'))
        .any(|(at, _)| outside(at));
    (!elsewhere).then(|| tables.into_iter().map(|table| &text[table]).collect())
}

/// Whether a header line is `[[signature]]` (spaces allowed, a comment after it).
fn is_signature_header(line: &str) -> bool {
    let Some((name, after)) = line
        .strip_prefix("[[")
        .and_then(|rest| rest.split_once("]]"))
    else {
        return false;
    };
    let after = after.trim_start_matches([' ', '\t']);
    name.trim_matches([' ', '\t']) == "signature"
        && (after.trim_end_matches(['\r', '\n']).is_empty() || after.starts_with('#'))
}

/// Where a TOML text stands between lines: inside a multi-line string or not, and how
/// deep in the brackets of a value.
#[derive(Default)]
struct Lexer {
    /// The delimiter that closes the string the text is in.
    string: Option<&'static [u8]>,
    depth: usize,
}

impl Lexer {
    /// At the start of a line where a table header may begin.
    fn at_top_level(&self) -> bool {
        self.string.is_none() && self.depth == 0
    }

    /// Follows one line (with its newline), jumping from one byte that matters to the
    /// next.
    fn line(&mut self, line: &[u8]) {
        let mut i = 0;
        while let Some(rest) = line.get(i..).filter(|rest| !rest.is_empty()) {
            match self.string {
                Some(close) => {
                    let quote = close[0];
                    let escapes = quote == b'"';
                    let Some(at) = rest
                        .iter()
                        .position(|&b| b == quote || (escapes && b == b'\\'))
                    else {
                        // A one-line string does not go on past its line.
                        if close.len() == 1 {
                            self.string = None;
                        }
                        return;
                    };
                    let rest = &rest[at..];
                    i += at;
                    if rest[0] == b'\\' {
                        i += 2;
                    } else if close.len() == 1 {
                        self.string = None;
                        i += 1;
                    } else if rest.starts_with(close) {
                        // Up to two more quotes before the closing three are the string's.
                        i += rest.iter().take_while(|&&b| b == quote).count().min(5);
                        self.string = None;
                    } else {
                        i += 1;
                    }
                }
                None => {
                    let Some(at) = rest.iter().position(|b| b"#\"'[]{}".contains(b)) else {
                        return;
                    };
                    let rest = &rest[at..];
                    i += at + 1;
                    match rest[0] {
                        b'#' => return,
                        b'[' | b'{' => self.depth += 1,
                        b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                        quote => {
                            let triple: &'static [u8] =
                                if quote == b'"' { b"\"\"\"" } else { b"'''" };
                            if rest.starts_with(triple) {
                                self.string = Some(triple);
                                i += 2;
                            } else {
                                self.string = Some(&triple[..1]);
                            }
                        }
                    }
                }
            }
        }
    }
}

type SignatureKey = (AgreementId, TeamId, PersonId, Date);

fn key(agreement: &Agreement, signature: &Signature) -> SignatureKey {
    (
        agreement.id.clone(),
        signature.party.value.clone(),
        signature.by.value.clone(),
        signature.date.value,
    )
}

/// The commit that introduced each committed signature of an org.
#[derive(Debug, Default)]
pub struct Origins {
    introduced: HashMap<SignatureKey, Commit>,
    /// Signatures of the working tree that no commit holds yet.
    pub uncommitted: usize,
}

impl Origins {
    /// Looks every signature of `org` up in `log`.
    pub fn of(org: &Org, sources: &Sources, log: &SignatureLog) -> Self {
        let mut origins = Origins::default();
        for agreement in org.agreements.values() {
            let path = &sources.get(agreement.file).path;
            for signature in &agreement.signatures {
                match log.introduced(path, signature) {
                    Some(commit) => {
                        origins
                            .introduced
                            .insert(key(agreement, signature), commit.clone());
                    }
                    None => origins.uncommitted += 1,
                }
            }
        }
        origins
    }

    /// The commit that introduced `signature` of `agreement`; `None` when it is not
    /// committed yet.
    pub fn introduced(&self, agreement: &Agreement, signature: &Signature) -> Option<&Commit> {
        self.introduced.get(&key(agreement, signature))
    }
}

/// What is known of where the signatures of a checked org come from.
#[derive(Debug, Default)]
pub enum Provenance {
    /// The history was not asked for (library calls, `who`, `sign`...).
    #[default]
    NotRead,
    /// There is no history to read, and why.
    Unavailable(String),
    Read(Origins),
}

impl Provenance {
    pub fn origins(&self) -> Option<&Origins> {
        match self {
            Provenance::Read(origins) => Some(origins),
            _ => None,
        }
    }

    /// The one-line note for stderr when `unverified-signature` could not look at every
    /// signature: no history at all, or signatures not committed yet.
    pub fn note(&self) -> Option<String> {
        match self {
            Provenance::NotRead => None,
            Provenance::Unavailable(why) => Some(format!("unverified-signature skipped: {why}")),
            Provenance::Read(origins) => match origins.uncommitted {
                0 => None,
                1 => Some(
                    "1 signature is not committed yet: unverified-signature checks it once it is"
                        .to_owned(),
                ),
                n => Some(format!(
                    "{n} signatures are not committed yet: unverified-signature checks them once they are"
                )),
            },
        }
    }
}

/// Whether a commit authored with `email` was authored by `person`: the address is their
/// `email`, or a no-reply address of their `handle` on GitHub (`[ID+]HANDLE@users.
/// noreply.github.com`) or GitLab (`HANDLE@users.noreply.gitlab.com`). Case does not count.
pub fn is_persons_address(person: &Person, email: &str) -> bool {
    let email = email.trim().to_ascii_lowercase();
    if person
        .email
        .as_deref()
        .is_some_and(|own| own.trim().eq_ignore_ascii_case(&email))
    {
        return true;
    }
    let Some(handle) = person.handle.as_deref().map(str::to_ascii_lowercase) else {
        return false;
    };
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    match domain {
        "users.noreply.github.com" => {
            let user = match local.split_once('+') {
                Some((id, user)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
                    user
                }
                _ => local,
            };
            user == handle
        }
        "users.noreply.gitlab.com" => local == handle,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Loc, Sources};

    fn person(email: Option<&str>, handle: Option<&str>) -> Person {
        Person {
            id: PersonId::from("ana".to_owned()),
            name: "Ana".into(),
            teams: Vec::new(),
            title: None,
            email: email.map(Into::into),
            handle: handle.map(Into::into),
            loc: Loc::file_start(Sources::default().add("people.toml".into(), String::new())),
        }
    }

    #[test]
    fn a_persons_addresses_are_their_email_and_the_no_reply_forms_of_their_handle() {
        let ana = person(Some("Ana@Example.com"), Some("Ana-G"));
        for own in [
            "ana@example.com",
            "ANA@example.COM",
            "ana-g@users.noreply.github.com",
            "12345+ana-g@users.noreply.github.com",
            "Ana-G@users.noreply.gitlab.com",
        ] {
            assert!(is_persons_address(&ana, own), "{own}");
        }
        for other in [
            "bruno@example.com",
            "ana-g@example.com",
            "x+ana-g@users.noreply.github.com",
            "+ana-g@users.noreply.github.com",
            "1+ana-g@users.noreply.gitlab.com",
            "ana-gx@users.noreply.github.com",
            "",
        ] {
            assert!(!is_persons_address(&ana, other), "{other}");
        }
        assert!(!is_persons_address(&person(None, None), "ana@example.com"));
    }

    #[test]
    fn signatures_of_a_version_that_does_not_parse_are_none() {
        let text =
            "title = \"x\"\n[[signature]]\nparty = \"sales\"\nby = \"ana\"\ndate = 2026-03-01\n";
        assert_eq!(
            signatures_in(text.as_bytes()),
            [SignedAs {
                party: "sales".into(),
                by: "ana".into(),
                date: "2026-03-01".into()
            }]
        );
        assert!(signatures_in(b"title = ").is_empty());
        assert!(signatures_in(&[0xff, 0xfe]).is_empty());
    }
}

#[cfg(test)]
mod walk_tests {
    use super::*;
    use proptest::prelude::*;

    fn signed(n: u8) -> SignedAs {
        SignedAs {
            party: format!("team-{n}"),
            by: format!("person-{n}"),
            date: "2026-03-01".to_owned(),
        }
    }

    /// The rule as the module states it, one signature at a time over every version:
    /// what the walk that stops early must give.
    fn full_walk(files: &HashMap<String, Vec<Version>>, blobs: &[Vec<SignedAs>]) -> Introduced {
        let held = |version: &Version| version.blob.map_or(&[][..], |b| blobs[b].as_slice());
        files
            .iter()
            .map(|(path, versions)| {
                let newest = versions.first().map_or(&[][..], held);
                let introduced = newest
                    .iter()
                    .map(|signature| {
                        let run = versions
                            .iter()
                            .take_while(|v| held(v).contains(signature))
                            .last()
                            .map(|v| v.commit);
                        (signature.clone(), run.expect("the newest version holds it"))
                    })
                    .collect();
                (path.clone(), introduced)
            })
            .collect()
    }

    /// Walks `files` over `blobs`, with every blob asked for.
    fn walk_counting(
        files: &HashMap<String, Vec<Version>>,
        blobs: &[Vec<SignedAs>],
    ) -> (Introduced, Vec<usize>) {
        let mut asked = Vec::new();
        let introduced = walk(
            files,
            |wanted| {
                asked.extend_from_slice(wanted);
                Ok(wanted.iter().map(|&b| blobs[b].clone()).collect())
            },
            None,
        )
        .expect("no reading error");
        (introduced, asked)
    }

    /// Up to 4 files of up to 40 versions each (commits numbered newest first across the
    /// files, deletions included), over 6 blobs holding subsets of 4 signatures.
    fn histories() -> impl Strategy<Value = (HashMap<String, Vec<Version>>, Vec<Vec<SignedAs>>)> {
        let blobs = proptest::collection::vec(proptest::collection::vec(0u8..4, 0..5), 6);
        let version = proptest::option::weighted(0.9, 0usize..6);
        let files = proptest::collection::vec(proptest::collection::vec(version, 1..40), 1..4);
        (files, blobs).prop_map(|(files, blobs)| {
            let mut commit = 0;
            let files = files
                .into_iter()
                .enumerate()
                .map(|(i, versions)| {
                    let versions = versions
                        .into_iter()
                        .map(|blob| {
                            commit += 1;
                            Version { commit, blob }
                        })
                        .collect();
                    (format!("agreements/a{i}.toml"), versions)
                })
                .collect();
            let blobs = blobs
                .into_iter()
                .map(|held| held.into_iter().map(signed).collect())
                .collect();
            (files, blobs)
        })
    }

    proptest! {
        #[test]
        fn stopping_early_gives_what_reading_every_version_gives((files, blobs) in histories()) {
            let (introduced, asked) = walk_counting(&files, &blobs);
            prop_assert_eq!(introduced, full_walk(&files, &blobs));
            let mut once = asked.clone();
            once.sort_unstable();
            once.dedup();
            prop_assert_eq!(once.len(), asked.len(), "a blob was read twice: {:?}", asked);
        }
    }

    proptest! {
        /// A read of the commits after an earlier read, completed by it, gives what one
        /// read of the whole history gives (commits are numbered newest first: the newer
        /// ones are those below `split`).
        #[test]
        fn a_read_completed_by_an_earlier_one_gives_the_whole_read(
            (files, blobs) in histories(),
            split in 0usize..120,
        ) {
            let part = |newer: bool| -> HashMap<String, Vec<Version>> {
                files
                    .iter()
                    .map(|(path, versions)| {
                        let kept = versions.iter().filter(|v| (v.commit < split) == newer);
                        (path.clone(), kept.cloned().collect::<Vec<_>>())
                    })
                    .filter(|(_, versions)| !versions.is_empty())
                    .collect()
            };
            let (earlier, _) = walk_counting(&part(false), &blobs);
            let newer = part(true);
            let completed = walk(
                &newer,
                |wanted| Ok(wanted.iter().map(|&b| blobs[b].clone()).collect()),
                Some(&Earlier { introduced: &earlier, offset: 0 }),
            )
            .expect("no reading error");
            prop_assert_eq!(completed, full_walk(&files, &blobs));
        }
    }

    #[test]
    fn versions_before_every_run_broke_are_not_read() {
        // 100 versions, each its own blob: the newest 3 hold the signature, the 4th does
        // not; the 96 before it must not all be read.
        let mut blobs = vec![vec![signed(1)]; 3];
        blobs.extend((3..100).map(|_| Vec::new()));
        let versions = (0..100)
            .map(|i| Version {
                commit: i,
                blob: Some(i),
            })
            .collect();
        let files = HashMap::from([("agreements/a.toml".to_owned(), versions)]);
        let (introduced, asked) = walk_counting(&files, &blobs);
        assert_eq!(introduced["agreements/a.toml"][&signed(1)], 2);
        // Rounds of 1, 2 and 4 versions: at most twice the 4 that had to be read.
        assert_eq!(asked.len(), 7, "{asked:?}");
    }

    /// Valid TOML texts that a careless line scan would read wrong, each with whether its
    /// signature tables can be told apart without parsing the whole file.
    const TEXTS: &[(&str, bool)] = &[
        (
            "title = \"a\"\n[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n\n[[signature]]\nparty = \"s\"\nby = \"bruno\"\ndate = 2026-03-02\n# reviewed\n",
            true,
        ),
        (
            "[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n[[term]]\nid = \"t\"\n[[ signature ]] # spaced\nparty = \"s\"\nby = \"bruno\"\ndate = 2026-03-02\n",
            true,
        ),
        // A line opening with `[` in a multi-line string, or an array of arrays, is no
        // header: the signature table goes on past it.
        (
            "[[signature]]\nparty = \"m\"\nnote = \"\"\"\n[see](x)\n[[term]]\n\"\"\"\nby = \"ana\"\nextra = [\n  [1, 2],\n]\ndate = 2026-03-01\n",
            true,
        ),
        (
            "summary = '''\n[a] it's ''''\n[[term]]\nx = 1\n[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n",
            true,
        ),
        (
            "summary = \"\"\"\n[a] \"quoted\" \"\"\"\"\n[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n",
            true,
        ),
        (
            "title = \"a # [b\" # it's \"open\n[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n",
            true,
        ),
        (
            "meta = { a = [1,\n  2] }\n[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n",
            true,
        ),
        // Anything else that could hold a signature: the whole file is parsed.
        (
            "summary = \"\"\"\n[[signature]]\nparty = \"x\"\nby = \"eve\"\ndate = 2026-01-01\n[x]\n\"\"\"\n",
            false,
        ),
        (
            "signature = [{ party = \"m\", by = \"ana\", date = 2026-03-01 }]\n",
            false,
        ),
        (
            "[[\"signature\"]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n",
            false,
        ),
        (
            "\"sign\\u0061ture\" = [{ party = \"m\", by = \"ana\", date = 2026-03-01 }]\n",
            false,
        ),
        (
            "[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n[signature.extra]\nx = 1\n",
            false,
        ),
        (
            "summary = \"both signatures\"\n[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n",
            false,
        ),
    ];

    #[test]
    fn the_signature_tables_give_what_the_whole_file_gives() {
        for (text, told_apart) in TEXTS {
            let whole = parse_signatures(text);
            assert!(toml::from_str::<toml::Table>(text).is_ok(), "{text}");
            assert_eq!(signature_tables(text).is_some(), *told_apart, "{text}");
            assert_eq!(signatures_in(text.as_bytes()), whole, "{text}");
        }
        assert_eq!(signatures_in(TEXTS[0].0.as_bytes()).len(), 2);
        assert_eq!(signatures_in(TEXTS[2].0.as_bytes()).len(), 1);
    }

    #[test]
    fn a_version_holds_the_signatures_of_its_tables_even_when_another_part_is_broken() {
        // The one case where reading the tables alone answers otherwise than parsing the
        // whole file: a commit that broke a term does not take the signatures away.
        let text =
            "[[term]]\nid = \n[[signature]]\nparty = \"m\"\nby = \"ana\"\ndate = 2026-03-01\n";
        assert!(parse_signatures(text).is_empty());
        assert_eq!(signatures_in(text.as_bytes()).len(), 1);
        // Broken signature tables have none.
        assert!(signatures_in(b"[[signature]]\nparty = \"m\"\nby = \n").is_empty());
    }
}
