//! The one gate between accord and the files of an org: whether a path may be read, and
//! the reading itself.
//!
//! An org comes from whoever can open a pull request, and CI runs accord next to the job's
//! secrets, so a path is read only when:
//! * it resolves inside the org root and outside its hidden folders: a link to
//!   `../.git/config` (where CI keeps its token), `/proc/self/environ` or `/etc/passwd`
//!   would otherwise be published in the site;
//! * it is a regular file: opening a FIFO blocks for ever and a device never ends;
//! * it holds at most [`TEXT_LIMIT`] bytes, for the files accord parses; the limit is
//!   enforced on the bytes read, never taken from the file's reported length.
//!
//! Every reader of org files (the loader's walk, the template overrides and labels, the
//! static files) goes through [`OrgRoot`].

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// The largest TOML, Markdown, CSV or template file accord reads (SPEC 7.1: 8 MiB).
pub const TEXT_LIMIT: u64 = 8 * 1024 * 1024;

/// Why a path of the org is not read. Each is a structural error located at the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A link whose target resolves outside the org root, or into one of its hidden
    /// folders; `target` is the link as written (for a linked folder on the way to a
    /// path, where that folder resolves).
    OutsideOrg { target: PathBuf },
    /// A link to nothing, or a chain of links that never ends.
    BrokenLink { target: PathBuf, why: String },
    /// A link to a folder above it (following it would never end), or to a folder that
    /// another link already leads into (nested links could multiply the walk).
    LinkLoop { target: PathBuf },
    /// A FIFO, socket or device.
    SpecialFile { kind: &'static str },
    /// More than `limit` bytes.
    TooLarge { limit: u64 },
}

impl Refusal {
    /// What is wrong with `path` (relative to the org root), in one sentence, and what to
    /// do about it.
    pub fn explain(&self, path: &str) -> (String, String) {
        match self {
            Refusal::OutsideOrg { target } => (
                format!(
                    "{path} is a link to {}, which is outside the org (or in a hidden folder): accord does not read it",
                    target.display()
                ),
                "copy the file into the org instead of linking to it".into(),
            ),
            Refusal::BrokenLink { target, why } => (
                format!(
                    "{path} is a link to {} that cannot be followed: {why}",
                    target.display()
                ),
                "fix the link's target, or remove the link".into(),
            ),
            Refusal::LinkLoop { target } => (
                format!(
                    "{path} is a link to {}, a folder above the link or one another link already leads into: following it would loop or read the same files again",
                    target.display()
                ),
                "link to each folder once, and never to a folder above the link".into(),
            ),
            Refusal::SpecialFile { kind } => (
                format!("{path} is a {kind}, not a regular file: accord does not read it"),
                "replace it with a regular file, or remove it".into(),
            ),
            Refusal::TooLarge { limit } => (
                format!(
                    "{path} is larger than {} MiB, the most accord reads from one file",
                    limit / (1024 * 1024)
                ),
                "split it into smaller files".into(),
            ),
        }
    }
}

/// Why a file could not be read: refused by the gate (the org's fault, reported as a
/// finding), or an I/O problem (permissions, a folder where a file was expected).
#[derive(Debug)]
pub enum ReadError {
    Refused(Refusal),
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Refused(refusal) => f.write_str(&refusal.explain("the file").0),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// A regular file inside the org, found by the gate and ready to read. Only [`OrgRoot`]
/// makes these.
#[derive(Debug)]
pub struct Vetted {
    real: PathBuf,
}

impl Vetted {
    /// The open file and its length, to stream it (static files have no size limit, so
    /// they are copied a chunk at a time, never read whole).
    pub fn open(&self) -> Result<(File, u64), ReadError> {
        let file = File::open(&self.real)?;
        // The file was a regular file when it was judged; checking the open handle too
        // means a file swapped in between is still never read as a device.
        let meta = file.metadata()?;
        if let Some(refusal) = refusal_for_type(&meta.file_type()) {
            return Err(ReadError::Refused(refusal));
        }
        Ok((file, meta.len()))
    }

    /// The file's bytes, at most `limit` of them.
    pub fn read(&self, limit: u64) -> Result<Vec<u8>, ReadError> {
        let (file, length) = self.open()?;
        // Room for the whole file and one byte more up front: the read fills it and the
        // next one meets the end, where an empty buffer took five or six reads of
        // growing sizes (the length is a hint: the file may change while read).
        let room = usize::try_from(length.min(limit).saturating_add(1)).unwrap_or(0);
        let mut bytes = Vec::with_capacity(room);
        // One byte past the limit tells a file of exactly `limit` bytes from a larger
        // one without reading the rest.
        file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::Refused(Refusal::TooLarge { limit }));
        }
        Ok(bytes)
    }
}

/// One path found by [`OrgRoot::walk`]: a file that may be read, or a refusal.
#[derive(Debug)]
pub struct Found {
    /// Relative to the org root, with forward slashes; for a refused link, the link's
    /// own path.
    pub path: String,
    pub file: Result<Vetted, Refusal>,
}

/// The org root, resolved once on the real file system.
#[derive(Clone, Debug)]
pub struct OrgRoot {
    real: PathBuf,
}

impl OrgRoot {
    pub fn new(root: &Path) -> io::Result<Self> {
        let real = root
            .canonicalize()
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", root.display())))?;
        Ok(OrgRoot { real })
    }

    /// Whether a resolved path lies inside the org and outside its hidden folders.
    fn contains(&self, real: &Path) -> bool {
        real.strip_prefix(&self.real).is_ok_and(|inside| {
            inside.components().all(|c| match c {
                Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
                _ => false,
            })
        })
    }

    /// The file at `relative` (forward slashes, from the org root): `None` when nothing
    /// is there, the refusal when the gate refuses it.
    pub fn vet(&self, relative: &str) -> io::Result<Option<Result<Vetted, Refusal>>> {
        let path = self.real.join(relative);
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Ok(None);
        };
        // Any folder on the way may be a link (`templates/` itself): resolve them first,
        // so [`OrgRoot::judge`] sees the path as the walk would.
        let real_parent = match fs::canonicalize(parent) {
            Ok(real) => real,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(with_path(e, relative)),
        };
        if !self.contains(&real_parent) {
            return Ok(Some(Err(Refusal::OutsideOrg {
                target: real_parent,
            })));
        }
        let path = real_parent.join(name);
        let kind = match fs::symlink_metadata(&path) {
            Ok(meta) => meta.file_type(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(with_path(e, relative)),
        };
        match self.judge(&path, kind, relative)? {
            Judged::File(real) => Ok(Some(Ok(Vetted { real }))),
            Judged::Refused(refusal) => Ok(Some(Err(refusal))),
            Judged::Folder(_) | Judged::LinkedFolder { .. } => Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("{relative} is a folder, not a file"),
            )),
        }
    }

    /// Reads the file at `relative`, at most [`TEXT_LIMIT`] bytes: `None` when nothing
    /// is there.
    pub fn read_text_file(&self, relative: &str) -> Result<Option<Vec<u8>>, ReadError> {
        match self.vet(relative)? {
            None => Ok(None),
            Some(Err(refusal)) => Err(ReadError::Refused(refusal)),
            Some(Ok(file)) => file.read(TEXT_LIMIT).map(Some).map_err(|e| match e {
                ReadError::Io(e) => ReadError::Io(with_path(e, relative)),
                refused => refused,
            }),
        }
    }

    /// Every file under the folder `relative` (none when it does not exist), sorted by
    /// path, skipping hidden files and folders. Links are followed when they resolve
    /// inside the org; every other link, and every special file, is a refusal.
    pub fn walk(&self, relative: &str) -> io::Result<Vec<Found>> {
        let mut walk = Walk {
            org: self,
            found: Vec::new(),
            stack: Vec::new(),
            linked: Vec::new(),
        };
        let start = self.real.join(relative);
        let kind = match fs::symlink_metadata(&start) {
            Ok(meta) => meta.file_type(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(with_path(e, relative)),
        };
        // A file where the folder should be holds no files of the folder.
        if !kind.is_file() {
            walk.entry(relative.to_owned(), &start, kind)?;
        }
        walk.found.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(walk.found)
    }

    /// The one decision: what the entry at `path` (its folder already resolved inside
    /// the org), of type `kind` as listed (a link not followed), is to a reader.
    /// `relative` names it in errors.
    fn judge(&self, path: &Path, kind: fs::FileType, relative: &str) -> io::Result<Judged> {
        if kind.is_dir() {
            return Ok(Judged::Folder(path.to_path_buf()));
        }
        if !kind.is_symlink() {
            return Ok(match refusal_for_type(&kind) {
                None => Judged::File(path.to_path_buf()),
                Some(refusal) => Judged::Refused(refusal),
            });
        }
        let target = fs::read_link(path).unwrap_or_default();
        let real = match fs::canonicalize(path) {
            Ok(real) => real,
            Err(e) => {
                let why = match e.kind() {
                    io::ErrorKind::NotFound => "it does not exist".to_owned(),
                    _ => e.to_string(),
                };
                return Ok(Judged::Refused(Refusal::BrokenLink { target, why }));
            }
        };
        if !self.contains(&real) {
            return Ok(Judged::Refused(Refusal::OutsideOrg { target }));
        }
        let meta = fs::metadata(&real).map_err(|e| with_path(e, relative))?;
        if meta.is_dir() {
            return Ok(Judged::LinkedFolder { real, target });
        }
        Ok(match refusal_for_type(&meta.file_type()) {
            None => Judged::File(real),
            Some(refusal) => Judged::Refused(refusal),
        })
    }
}

/// What an entry of the org is to a reader.
enum Judged {
    /// A regular file inside the org, by its real path.
    File(PathBuf),
    /// A folder, by its real path.
    Folder(PathBuf),
    /// A link to a folder inside the org: its real path and the link as written.
    LinkedFolder {
        real: PathBuf,
        target: PathBuf,
    },
    Refused(Refusal),
}

/// The state of one [`OrgRoot::walk`].
struct Walk<'a> {
    org: &'a OrgRoot,
    found: Vec<Found>,
    /// The real paths of the folders from the start down to the current one.
    stack: Vec<PathBuf>,
    /// The real targets of the folder links followed so far. Each link leads to a part
    /// of the org no other link reaches, so a walk reads each folder at most twice (once
    /// by its own path) however the links are nested.
    linked: Vec<PathBuf>,
}

impl Walk<'_> {
    /// Visits `path` (its folder real) found as `relative`, of type `kind` as the folder
    /// listing gives it.
    fn entry(&mut self, relative: String, path: &Path, kind: fs::FileType) -> io::Result<()> {
        let file = match self.org.judge(path, kind, &relative)? {
            Judged::Folder(real) => return self.folder(relative, real),
            Judged::LinkedFolder { real, target } => {
                let loops = self.stack.iter().any(|folder| folder.starts_with(&real));
                let overlaps = self
                    .linked
                    .iter()
                    .any(|folder| folder.starts_with(&real) || real.starts_with(folder));
                if loops || overlaps {
                    Err(Refusal::LinkLoop { target })
                } else {
                    self.linked.push(real.clone());
                    return self.folder(relative, real);
                }
            }
            Judged::File(real) => Ok(Vetted { real }),
            Judged::Refused(refusal) => Err(refusal),
        };
        self.found.push(Found {
            path: relative,
            file,
        });
        Ok(())
    }

    fn folder(&mut self, relative: String, real: PathBuf) -> io::Result<()> {
        let mut entries = fs::read_dir(&real)
            .and_then(|entries| entries.collect::<io::Result<Vec<_>>>())
            .map_err(|e| with_path(e, &relative))?;
        // Sorted, so which of two links to one folder is refused never changes.
        entries.sort_by_key(|entry| entry.file_name());
        self.stack.push(real);
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let kind = entry.file_type().map_err(|e| with_path(e, &relative))?;
            self.entry(format!("{relative}/{name}"), &entry.path(), kind)?;
        }
        self.stack.pop();
        Ok(())
    }
}

/// The refusal for a file of this type, `None` for a regular file.
fn refusal_for_type(kind: &fs::FileType) -> Option<Refusal> {
    if kind.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let special = if kind.is_fifo() {
            "FIFO (named pipe)"
        } else if kind.is_socket() {
            "socket"
        } else if kind.is_block_device() || kind.is_char_device() {
            "device"
        } else {
            "special file"
        };
        Some(Refusal::SpecialFile { kind: special })
    }
    #[cfg(not(unix))]
    Some(Refusal::SpecialFile {
        kind: "special file",
    })
}

fn with_path(error: io::Error, relative: &str) -> io::Error {
    io::Error::new(error.kind(), format!("{relative}: {error}"))
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    /// A fresh org root `org/` inside a fresh folder that also holds `secret.txt`; the
    /// folder is removed when the first item is dropped.
    fn org(name: &str) -> (tempfile::TempDir, PathBuf, OrgRoot) {
        let dir = tempfile::Builder::new()
            .prefix(&format!("accord-guard-{name}-"))
            .tempdir()
            .unwrap();
        fs::create_dir_all(dir.path().join("org/docs")).unwrap();
        fs::write(dir.path().join("secret.txt"), "TOKEN").unwrap();
        let root = dir.path().join("org");
        let gate = OrgRoot::new(&root).unwrap();
        (dir, root, gate)
    }

    fn walked(gate: &OrgRoot, folder: &str) -> Vec<(String, Result<(), Refusal>)> {
        gate.walk(folder)
            .unwrap()
            .into_iter()
            .map(|found| (found.path, found.file.map(|_| ())))
            .collect()
    }

    #[test]
    fn a_link_inside_the_org_is_read() {
        let (_dir, root, gate) = org("inside");
        fs::write(root.join("docs/real.md"), "# Real").unwrap();
        symlink("real.md", root.join("docs/alias.md")).unwrap();
        let file = gate.vet("docs/alias.md").unwrap().unwrap().unwrap();
        assert_eq!(file.read(TEXT_LIMIT).unwrap(), b"# Real");
        assert_eq!(
            walked(&gate, "docs"),
            [
                ("docs/alias.md".into(), Ok(())),
                ("docs/real.md".into(), Ok(()))
            ]
        );
    }

    #[test]
    fn links_out_of_the_org_or_into_a_hidden_folder_are_refused() {
        let (_dir, root, gate) = org("outside");
        fs::create_dir(root.join(".git")).unwrap();
        fs::write(root.join(".git/config"), "TOKEN").unwrap();
        symlink("../../secret.txt", root.join("docs/secret.md")).unwrap();
        symlink("../.git/config", root.join("docs/config.md")).unwrap();
        symlink("/etc", root.join("docs/etc")).unwrap();
        let outside = |target: &str| {
            Err(Refusal::OutsideOrg {
                target: target.into(),
            })
        };
        assert_eq!(
            walked(&gate, "docs"),
            [
                ("docs/config.md".into(), outside("../.git/config")),
                ("docs/etc".into(), outside("/etc")),
                ("docs/secret.md".into(), outside("../../secret.txt")),
            ]
        );
        assert!(matches!(
            gate.read_text_file("docs/secret.md"),
            Err(ReadError::Refused(Refusal::OutsideOrg { .. }))
        ));
    }

    #[test]
    fn a_linked_folder_out_of_the_org_refuses_every_path_through_it() {
        let (_dir, root, gate) = org("through");
        symlink("..", root.join("templates")).unwrap();
        assert!(matches!(
            gate.read_text_file("templates/secret.txt"),
            Err(ReadError::Refused(Refusal::OutsideOrg { .. }))
        ));
        assert!(matches!(
            walked(&gate, "templates").as_slice(),
            [(path, Err(Refusal::OutsideOrg { .. }))] if path == "templates"
        ));
    }

    #[test]
    fn dangling_links_and_endless_chains_are_broken() {
        let (_dir, root, gate) = org("broken");
        symlink("nowhere.md", root.join("docs/dangling.md")).unwrap();
        symlink("b.md", root.join("docs/a.md")).unwrap();
        symlink("a.md", root.join("docs/b.md")).unwrap();
        let found = walked(&gate, "docs");
        assert_eq!(found.len(), 3);
        assert!(
            found
                .iter()
                .all(|(_, f)| matches!(f, Err(Refusal::BrokenLink { .. }))),
            "{found:?}"
        );
        assert!(matches!(
            gate.vet("docs/dangling.md").unwrap(),
            Some(Err(Refusal::BrokenLink { .. }))
        ));
    }

    #[test]
    fn folder_links_that_loop_or_overlap_are_refused_not_walked() {
        let (_dir, root, gate) = org("loop");
        fs::create_dir_all(root.join("shared/deep")).unwrap();
        fs::write(root.join("shared/deep/a.md"), "a").unwrap();
        symlink("..", root.join("docs/up")).unwrap();
        symlink(".", root.join("docs/self")).unwrap();
        symlink("../shared", root.join("docs/one")).unwrap();
        symlink("../shared/deep", root.join("docs/two")).unwrap();
        symlink("../../docs", root.join("shared/deep/back")).unwrap();
        let found = walked(&gate, "docs");
        let looped = |path: &str| {
            found
                .iter()
                .any(|(p, f)| p == path && matches!(f, Err(Refusal::LinkLoop { .. })))
        };
        assert!(looped("docs/up") && looped("docs/self"), "{found:?}");
        assert!(
            looped("docs/one/deep/back") && looped("docs/two"),
            "{found:?}"
        );
        assert!(found.contains(&("docs/one/deep/a.md".into(), Ok(()))));
        assert_eq!(found.len(), 5, "{found:?}");
    }

    #[test]
    fn a_fifo_is_refused_without_being_opened() {
        let (_dir, root, gate) = org("fifo");
        let fifo = root.join("docs/pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here: nothing to test
        }
        let special = Err(Refusal::SpecialFile {
            kind: "FIFO (named pipe)",
        });
        assert_eq!(walked(&gate, "docs"), [("docs/pipe.md".into(), special)]);
        assert!(matches!(
            gate.read_text_file("docs/pipe.md"),
            Err(ReadError::Refused(Refusal::SpecialFile { .. }))
        ));
        symlink("/dev/zero", root.join("docs/zero.md")).unwrap();
        assert!(matches!(
            gate.read_text_file("docs/zero.md"),
            Err(ReadError::Refused(Refusal::OutsideOrg { .. }))
        ));
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        let (_dir, root, gate) = org("large");
        let exact = File::create(root.join("docs/exact.md")).unwrap();
        exact.set_len(TEXT_LIMIT).unwrap();
        let over = File::create(root.join("docs/over.md")).unwrap();
        over.set_len(TEXT_LIMIT + 1).unwrap();
        let read = |path| gate.read_text_file(path).map(|b| b.map(|b| b.len() as u64));
        assert_eq!(read("docs/exact.md").unwrap(), Some(TEXT_LIMIT));
        assert!(matches!(
            read("docs/over.md"),
            Err(ReadError::Refused(Refusal::TooLarge { limit: TEXT_LIMIT }))
        ));
        assert_eq!(read("docs/none.md").unwrap(), None);
    }

    #[test]
    fn a_folder_where_a_file_is_expected_is_an_io_error() {
        let (_dir, root, gate) = org("folder");
        fs::create_dir(root.join("docs/page.md")).unwrap();
        assert!(matches!(
            gate.read_text_file("docs/page.md"),
            Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::IsADirectory
        ));
    }
}
