//! What a read of the history found, kept in the repository's git folder
//! (`.git/accord/`) between runs: a history depends only on its commit, so the next run
//! for the same `HEAD` needs no `git log`, and a run after new commits reads only those.
//!
//! The file is ours and can be deleted at any time. It is never trusted further than it
//! can be checked: a file written by another version of accord, for another org of the
//! repository, unreadable, too large or naming a commit it does not list is ignored, and
//! the history is read again.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Commit, Head, SignatureLog, SignedAs};

/// Changes whenever what a read finds can change (the walk, how signatures are read):
/// a file of another format is ignored.
const FORMAT: u32 = 1;

/// Larger than any real history kept (about 100 bytes a signature), small enough to read.
const MAX_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    accord: String,
    prefix: String,
    head: String,
    commits: Vec<Commit>,
    /// Per agreement file: its signatures, each with the index of its commit.
    files: BTreeMap<String, Vec<StoredSignature>>,
}

#[derive(Serialize, Deserialize)]
struct StoredSignature {
    party: String,
    by: String,
    date: String,
    commit: usize,
}

/// Where the history of the org of `head` is kept: one file per org of the repository.
fn path_of(head: &Head) -> PathBuf {
    let org: String = head
        .prefix
        .trim_end_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let name = if org.is_empty() {
        "signatures.json".to_owned()
    } else {
        format!("signatures-{org}.json")
    };
    head.git_dir.join("accord").join(name)
}

/// The history kept for the org of `head`, of whatever commit it was read for; `None`
/// when there is none this version of accord can use.
pub(super) fn load(head: &Head) -> Option<SignatureLog> {
    let mut text = Vec::new();
    fs::File::open(path_of(head))
        .ok()?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut text)
        .ok()?;
    if text.len() as u64 > MAX_BYTES {
        return None;
    }
    let stored: Stored = serde_json::from_slice(&text).ok()?;
    let usable = stored.format == FORMAT
        && stored.accord == env!("CARGO_PKG_VERSION")
        && stored.prefix == head.prefix;
    if !usable {
        return None;
    }
    let mut introduced = HashMap::with_capacity(stored.files.len());
    for (path, signatures) in stored.files {
        let mut of_file = HashMap::with_capacity(signatures.len());
        for signature in signatures {
            if signature.commit >= stored.commits.len() {
                return None;
            }
            let signed = SignedAs {
                party: signature.party,
                by: signature.by,
                date: signature.date,
            };
            of_file.insert(signed, signature.commit);
        }
        introduced.insert(path, of_file);
    }
    Some(SignatureLog {
        head: Head {
            commit: stored.head,
            ..head.clone()
        },
        commits: stored.commits,
        introduced,
    })
}

/// Keeps `log` for the next run, replacing what was kept: written beside and renamed,
/// so that a run reading it meanwhile sees the old file or the new one. Not synced to
/// disk: a file cut short by a crash does not parse, and the history is read again.
pub(super) fn save(log: &SignatureLog) -> io::Result<()> {
    let files = log
        .introduced
        .iter()
        .map(|(path, signatures)| {
            let mut signatures: Vec<StoredSignature> = signatures
                .iter()
                .map(|(signed, &commit)| StoredSignature {
                    party: signed.party.clone(),
                    by: signed.by.clone(),
                    date: signed.date.clone(),
                    commit,
                })
                .collect();
            signatures.sort_by(|a, b| (&a.party, &a.by, &a.date).cmp(&(&b.party, &b.by, &b.date)));
            (path.clone(), signatures)
        })
        .collect();
    let stored = Stored {
        format: FORMAT,
        accord: env!("CARGO_PKG_VERSION").to_owned(),
        prefix: log.head.prefix.clone(),
        head: log.head.commit.clone(),
        commits: log.commits.clone(),
        files,
    };
    let path = path_of(&log.head);
    let folder = path.parent().unwrap_or(&log.head.git_dir);
    fs::create_dir_all(folder)?;
    let temporary = folder.join(format!(".signatures-{}.tmp", std::process::id()));
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut file| {
            file.write_all(&serde_json::to_vec(&stored).map_err(io::Error::other)?)
        });
    if let Err(e) = written.and_then(|()| fs::rename(&temporary, &path)) {
        let _ = fs::remove_file(&temporary);
        return Err(e);
    }
    Ok(())
}
