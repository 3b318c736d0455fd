//! Signature provenance: which commit brought each signature, and who authored it.
//!
//! git history is read through git itself, in one pass per run whatever the number of
//! signatures: one `git log --raw` over the org's `agreements/` folder lists every version
//! of every agreement file (the blob each commit left), and one `git cat-file --batch`
//! reads those blobs. A signature (party, by, date) was introduced by the oldest commit of
//! the unbroken run of versions, newest first, that hold it: a signature removed and
//! added again counts from its last addition, and a renamed file starts a new history.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::git::{cat_blobs, git};
use crate::model::{Agreement, AgreementId, Org, Person, PersonId, Signature, TeamId};
use crate::source::Sources;

/// The folder whose history is read, relative to the org root.
const AGREEMENTS: &str = "agreements";

/// Hex digits of a commit id shown on pages and in findings: git's default abbreviation.
const SHORT_ID: usize = 7;

/// A commit that introduced a signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// The first digits of its id, as git shows it by default.
    pub short: String,
    pub author_name: String,
    pub author_email: String,
}

/// A signature as it stands in one version of a file.
#[derive(Debug, PartialEq, Eq)]
struct SignedAs {
    party: String,
    by: String,
    date: String,
}

/// One version of an agreement file: the commit that made it, and its signatures (none
/// when the commit deleted the file or left it unreadable).
#[derive(Debug)]
struct Version {
    commit: usize,
    blob: Option<usize>,
}

/// The signatures of every version of every agreement file in the history of `HEAD`.
#[derive(Debug, Default)]
pub struct SignatureLog {
    commits: Vec<Commit>,
    /// The signatures of each distinct blob.
    blobs: Vec<Vec<SignedAs>>,
    /// Per file, relative to the org root: its versions, newest first.
    files: HashMap<String, Vec<Version>>,
}

impl SignatureLog {
    /// Reads the history of the agreements of the org at `org_root`, or says why there is
    /// none to read: not in a git repository, a shallow clone, no commit yet.
    pub fn read(org_root: &Path) -> Result<SignatureLog, String> {
        // Outside any work tree, no git process is started: `check` stays as fast as it was.
        let in_work_tree = org_root
            .canonicalize()
            .ok()
            .and_then(|root| crate::git_root(&root))
            .is_some();
        if !in_work_tree {
            return Err("not in a git repository".to_owned());
        }
        let shallow = git(org_root, &["rev-parse", "--is-shallow-repository"])
            .map_err(|_| "not in a git repository".to_owned())?;
        if shallow.trim() == "true" {
            return Err(
                "the repository is a shallow clone without the history of its signatures (`git fetch --unshallow` fetches it)"
                    .to_owned(),
            );
        }
        let log = git(
            org_root,
            &[
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
                "--",
                AGREEMENTS,
            ],
        )
        .map_err(|e| {
            if e.contains("does not have any commits") {
                "the repository has no commits yet".to_owned()
            } else {
                format!("cannot read the git history: {e}")
            }
        })?;
        let mut history = SignatureLog::default();
        let mut blob_ids: HashMap<String, usize> = HashMap::new();
        for record in log.split('\x01').filter(|r| !r.is_empty()) {
            let (header, changes) = record.split_once('\0').unwrap_or((record, ""));
            let mut header = header.split('\x1f');
            let (Some(id), Some(name), Some(email)) = (header.next(), header.next(), header.next())
            else {
                continue;
            };
            let commit = history.commits.len();
            history.commits.push(Commit {
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
                    let next = blob_ids.len();
                    *blob_ids.entry(blob.to_owned()).or_insert(next)
                });
                history
                    .files
                    .entry(path.to_owned())
                    .or_default()
                    .push(Version { commit, blob });
            }
        }
        let mut ids: Vec<(&String, &usize)> = blob_ids.iter().collect();
        ids.sort_by_key(|(_, index)| **index);
        history.blobs = cat_blobs(org_root, ids.into_iter().map(|(id, _)| id.as_str()))?
            .iter()
            .map(|blob| signatures_in(blob))
            .collect();
        Ok(history)
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
        let mut introduced = None;
        for version in self.files.get(path)? {
            let holds = version
                .blob
                .is_some_and(|blob| self.blobs[blob].contains(&wanted));
            if !holds {
                break;
            }
            introduced = Some(version.commit);
        }
        introduced.map(|commit| &self.commits[commit])
    }
}

/// The `[[signature]]` entries of one version of an agreement file; a version that does
/// not parse has none (its signatures cannot have been read by anyone either).
fn signatures_in(blob: &[u8]) -> Vec<SignedAs> {
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
    let Ok(text) = std::str::from_utf8(blob) else {
        return Vec::new();
    };
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
