//! Write: a site directory that appears whole or not at all, in the one place the user
//! may have it written.
//!
//! [`OutDir`] resolves and vets the output directory. A build then holds a lock beside it
//! (waiting for any other build of the same directory), removes what interrupted builds
//! left, and writes into a fresh staging directory beside it. Only when every file is
//! written does the staging directory take the output's place: in one atomic exchange
//! where the OS has one (Linux `renameat2`, macOS `renamex_np`), so that the output is at
//! every moment the old site or the new one, even if the build is killed; elsewhere by
//! moving the old site aside and the new one in, putting the old one back on failure. A
//! failed build removes its staging directory and the folders it created, and leaves an
//! existing output byte-identical.

mod out_dir;

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use out_dir::OutDir;

use crate::load::guard::{OrgRoot, ReadError, Vetted};
use out_dir::io_error;

/// The file that marks a directory as a site accord built, so a later build may
/// replace it (and no other non-empty directory).
pub const SITE_MARKER: &str = ".accord-site";

/// Why the output directory could not be written.
#[derive(Debug)]
pub enum OutputError {
    /// The output is not acceptable: replacing it would destroy or pollute data.
    Refused(String),
    Io(io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Refused(why) => f.write_str(why),
            OutputError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// What accord names the folders it creates beside an output `name`: staging folders
/// (`.NAME.accord-new-PID`), old sites moved aside (`.NAME.accord-old-PID`), and the
/// lock (`.NAME.accord-lock`). Hidden, so an org never reads them as sources.
fn beside_name(name: &std::ffi::OsStr, suffix: &str) -> OsString {
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(".accord-");
    hidden.push(suffix);
    hidden
}

/// Whether `entry` is a staging or moved-aside folder that a build of output `name` left
/// (a name accord gives, and a real folder, not a link).
fn is_debris(name: &std::ffi::OsStr, entry: &fs::DirEntry) -> bool {
    let entry_name = entry.file_name();
    let left = ["new-", "old-"].iter().any(|kind| {
        let prefix = beside_name(name, kind);
        entry_name
            .as_encoded_bytes()
            .strip_prefix(prefix.as_encoded_bytes())
            .is_some_and(|pid| !pid.is_empty() && pid.iter().all(u8::is_ascii_digit))
    });
    left && entry.file_type().is_ok_and(|t| t.is_dir())
}

/// A staging directory that becomes the output on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    out: OutDir,
    dir: PathBuf,
    /// The highest folder above the output that this build created, removed again
    /// if the site is never committed.
    created_parent: Option<PathBuf>,
    created: Mutex<HashSet<PathBuf>>,
    /// Held from before the staging directory exists until after it is gone.
    lock: Option<Lock>,
    committed: bool,
}

impl Staging {
    /// Resolves and vets `out` for the org at `org` ([`OutDir::resolve`]), takes the lock
    /// of that output (calling `waiting` first if another build holds it, then waiting
    /// for it), removes the staging and moved-aside folders of interrupted builds, and
    /// creates an empty staging directory beside the output.
    pub fn begin(org: &Path, out: &Path, waiting: &dyn Fn()) -> Result<Self, OutputError> {
        let out = OutDir::resolve(org, out)?;
        let created_parent = out
            .parent()
            .ancestors()
            .take_while(|p| !p.exists())
            .last()
            .map(Path::to_path_buf);
        let mut staging = Staging {
            dir: out.parent().join(beside_name(
                out.name(),
                &format!("new-{}", std::process::id()),
            )),
            out,
            created_parent,
            created: Mutex::new(HashSet::new()),
            lock: None,
            committed: false,
        };
        // From here on, dropping `staging` removes whatever this build created.
        let lock_path = staging
            .out
            .parent()
            .join(beside_name(staging.out.name(), "lock"));
        staging.lock = Some(Lock::acquire(lock_path, waiting)?);
        staging.remove_debris()?;
        fs::create_dir(&staging.dir).map_err(|e| io_error(&staging.dir, "create", e))?;
        Ok(staging)
    }

    /// Removes the staging and moved-aside folders of builds of this output that were
    /// interrupted (no other build of it runs: this one holds the lock).
    fn remove_debris(&self) -> Result<(), OutputError> {
        let parent = self.out.parent();
        let entries = fs::read_dir(parent).map_err(|e| io_error(parent, "read", e))?;
        for entry in entries.flatten() {
            if is_debris(self.out.name(), &entry) {
                let path = entry.path();
                fs::remove_dir_all(&path).map_err(|e| {
                    io_error(&path, "remove the folder an interrupted build left,", e)
                })?;
            }
        }
        Ok(())
    }

    /// Writes one file, `path` relative to the site root with forward slashes.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.prepare(path)?, bytes)
    }

    /// Copies a static file of the org to `path` through the gate's open handle, in the
    /// kernel or a chunk at a time: static files have no size limit, so one is never
    /// held whole.
    pub fn copy(&self, path: &str, file: &Vetted) -> io::Result<()> {
        let (mut source, _) = file.open().map_err(|e| match e {
            ReadError::Io(e) => e,
            refused => io::Error::other(refused.to_string()),
        })?;
        let mut staged = File::create(self.prepare(path)?)?;
        io::copy(&mut source, &mut staged)?;
        Ok(())
    }

    /// Where the file `path` goes in the staging directory, its folder created.
    fn prepare(&self, path: &str) -> io::Result<PathBuf> {
        let file = self.dir.join(path);
        if let Some(parent) = file.parent() {
            // Many pages share a folder: create each folder once. The folder is created
            // before it is recorded, so no other thread writes into it before it exists
            // (creating it twice is harmless).
            let known = self.created.lock().is_ok_and(|set| set.contains(parent));
            if !known {
                fs::create_dir_all(parent)?;
                if let Ok(mut set) = self.created.lock() {
                    set.insert(parent.to_path_buf());
                }
            }
        }
        Ok(file)
    }

    /// Marks the staged site as built by accord.
    pub fn mark(&self) -> io::Result<()> {
        self.write(
            SITE_MARKER,
            b"This directory was built by `accord build`; the next build replaces it whole.\n",
        )
    }

    /// Replaces the output with the staged site, after vetting the output once more.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.out.vet_again()?;
        let target = self.out.path().to_path_buf();
        if fs::symlink_metadata(&target).is_err() {
            // A first build: one rename, which fails rather than replace a folder that
            // someone filled meanwhile.
            fs::rename(&self.dir, &target).map_err(|e| io_error(&target, "create", e))?;
            self.committed = true;
            return Ok(());
        }
        let old = if exchange(&self.dir, &target).map_err(|e| io_error(&target, "replace", e))? {
            // The old site now sits at the staging path.
            self.dir.clone()
        } else {
            self.replace_by_renames()?
        };
        self.committed = true;
        // The new site is in place; an old one that cannot be removed now is removed by
        // the next build.
        let _ = fs::remove_dir_all(old);
        Ok(())
    }

    /// Where the OS has no atomic exchange: moves the old site aside, then the new one
    /// in, putting the old one back if that fails. Returns where the old site went.
    fn replace_by_renames(&self) -> Result<PathBuf, OutputError> {
        let target = self.out.path();
        let old = self.out.parent().join(beside_name(
            self.out.name(),
            &format!("old-{}", std::process::id()),
        ));
        fs::rename(target, &old).map_err(|e| io_error(target, "move aside", e))?;
        if let Err(e) = fs::rename(&self.dir, target) {
            // Put the previous site back rather than leave nothing.
            let _ = fs::rename(&old, target);
            return Err(io_error(target, "replace", e));
        }
        Ok(old)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
        // Release the lock (and remove its file) before the folders it may sit in.
        drop(self.lock.take());
        if !self.committed
            && let Some(top) = &self.created_parent
        {
            // Only folders this build created, and only while empty.
            for folder in self.out.parent().ancestors() {
                if fs::remove_dir(folder).is_err() || folder == top.as_path() {
                    break;
                }
            }
        }
    }
}

/// The right to replace one output directory, held by one build at a time: an advisory
/// lock on a hidden file beside the output, which the OS releases when the process ends
/// however it ends. The file is removed on release (on Unix), so a finished build leaves
/// nothing behind; a killed build leaves the empty file, which the next build reuses.
#[derive(Debug)]
struct Lock {
    #[cfg_attr(not(unix), allow(dead_code))]
    path: PathBuf,
    /// Dropped after `Drop::drop` removed the file: the lock is released last.
    _file: File,
}

impl Lock {
    /// Takes the lock at `path`, creating it and its folders. When another build holds
    /// it, calls `waiting` once and waits for it.
    fn acquire(path: PathBuf, waiting: &dyn Fn()) -> Result<Lock, OutputError> {
        let parent = path.parent().unwrap_or(Path::new("."));
        let mut told = false;
        // A build that held the lock removes its file when it ends, and a failed first
        // build removes the folders it created: then lock the new file, in new folders.
        // A few rounds suffice unless something keeps removing them.
        for _ in 0..100 {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, "create", e))?;
            let file = match fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
            {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_error(&path, "create the lock", e)),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !told {
                        waiting();
                        told = true;
                    }
                    file.lock().map_err(|e| io_error(&path, "lock", e))?;
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_error(&path, "lock", e)),
            }
            if is_still_at(&file, &path) {
                return Ok(Lock { path, _file: file });
            }
        }
        Err(OutputError::Io(io::Error::other(format!(
            "cannot lock {}: it keeps disappearing",
            path.display()
        ))))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked: a build waiting on this file then sees that it is
        // gone (`is_still_at`) and locks a new one, so two builds never both hold one.
        #[cfg(unix)]
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether the locked `file` is still the one at `path` (a build that held it may have
/// removed it while this one waited).
#[cfg(unix)]
fn is_still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    matches!(
        (file.metadata(), fs::metadata(path)),
        (Ok(locked), Ok(there)) if (locked.dev(), locked.ino()) == (there.dev(), there.ino())
    )
}

/// Elsewhere the lock file is never removed, so the locked file is the one at `path`.
#[cfg(not(unix))]
fn is_still_at(_file: &File, _path: &Path) -> bool {
    true
}

/// Swaps the directory entries `a` and `b` in one atomic step. `Ok(false)` when the OS
/// or the file system has no such step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    let (a, b) = (c_path(a)?, c_path(b)?);
    // SAFETY: both pointers are NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    exchanged(result)
}

#[cfg(target_os = "macos")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    let (a, b) = (c_path(a)?, c_path(b)?);
    // SAFETY: both pointers are NUL-terminated strings that outlive the call.
    let result = unsafe { libc::renamex_np(a.as_ptr(), b.as_ptr(), libc::RENAME_SWAP) };
    exchanged(result)
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(any(target_os = "linux", target_os = "macos"))]
fn c_path(path: &Path) -> io::Result<std::ffi::CString> {
    use std::os::unix::ffi::OsStrExt;
    Ok(std::ffi::CString::new(path.as_os_str().as_bytes())?)
}

/// The outcome of an exchange call: done, not supported here (an old kernel, or a file
/// system without it: fall back), or a real error.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn exchanged(result: libc::c_int) -> io::Result<bool> {
    if result == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP) => Ok(false),
        _ => Err(e),
    }
}

/// A file of the org's `static/`, vetted by the gate and not yet read: `build` copies
/// it, `serve` sends it from disk on each request.
#[derive(Debug)]
pub struct StaticFile {
    /// Its path in the site (relative to `static/`, with forward slashes).
    pub path: String,
    /// Its path in the org, for the gate to vet it again (`static/...`).
    pub source: String,
    pub file: Vetted,
}

/// Every file under the org's `static/` (none when it does not exist), skipping hidden
/// files and folders.
pub fn static_files(org: &OrgRoot) -> io::Result<Vec<StaticFile>> {
    let mut files = Vec::new();
    for found in org.walk("static")? {
        // `check` reports refusals as findings, so a build never gets here with one.
        let file = found
            .file
            .map_err(|refusal| io::Error::other(refusal.explain(&found.path).0))?;
        let path = found
            .path
            .strip_prefix("static/")
            .unwrap_or(&found.path)
            .to_owned();
        files.push(StaticFile {
            path,
            source: found.path,
            file,
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A fresh folder, removed when dropped.
    fn temp(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("accord-write-{name}-"))
            .tempdir()
            .unwrap()
    }

    /// An org folder and, apart from it, a folder for the output: `(org, out parent)`.
    fn org_and_site(name: &str) -> (tempfile::TempDir, tempfile::TempDir) {
        (temp(&format!("{name}-org")), temp(name))
    }

    fn old_site(out: &Path) {
        fs::create_dir_all(out.join("old")).unwrap();
        fs::write(out.join("old/page.html"), "old").unwrap();
        fs::write(out.join(SITE_MARKER), "").unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_committed_site_replaces_the_old_one_whole() {
        let (org, root) = org_and_site("commit");
        let (org, root) = (org.path(), root.path());
        let out = root.join("public");
        old_site(&out);
        let staging = Staging::begin(org, &out, &|| {}).unwrap();
        staging.write("teams/sales.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("teams/sales.html")).unwrap(),
            "new"
        );
        assert!(!out.join("old").exists());
        assert_eq!(
            names(root),
            ["public"],
            "no staging, old folder or lock left"
        );
    }

    #[test]
    fn an_abandoned_staging_leaves_the_output_untouched() {
        let (org, root) = org_and_site("abandon");
        let (org, root) = (org.path(), root.path());
        let out = root.join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "before").unwrap();
        fs::write(out.join(SITE_MARKER), "").unwrap();
        {
            let staging = Staging::begin(org, &out, &|| {}).unwrap();
            staging.write("index.html", b"half").unwrap();
        }
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "before"
        );
        assert_eq!(names(root), ["public"]);
    }

    #[test]
    fn the_next_build_removes_what_interrupted_builds_left_and_nothing_else() {
        let (org, root) = org_and_site("debris");
        let (org, root) = (org.path(), root.path());
        let out = root.join("public");
        old_site(&out);
        for debris in [".public.accord-new-123", ".public.accord-old-9"] {
            fs::create_dir_all(root.join(debris).join("teams")).unwrap();
        }
        let kept = [
            ".other.accord-new-1",
            ".public.accord-new-",
            ".public.accord-new-12x",
            ".public.accord-new-77",
            "public.accord-new-5",
        ];
        for name in &kept[..3] {
            fs::create_dir_all(root.join(name)).unwrap();
        }
        fs::write(root.join(kept[3]), "a file, not a staging folder").unwrap();
        fs::create_dir_all(root.join(kept[4])).unwrap();
        // A killed build leaves its (unlocked) lock file: the next build reuses it.
        fs::write(root.join(".public.accord-lock"), "").unwrap();
        let staging = Staging::begin(org, &out, &|| {}).unwrap();
        staging.write("index.html", b"new").unwrap();
        staging.commit().unwrap();
        let mut expected: Vec<_> = kept.iter().map(|n| n.to_string()).collect();
        expected.push("public".into());
        expected.sort();
        assert_eq!(names(root), expected);
    }

    #[test]
    fn a_second_build_of_the_same_output_waits_for_the_first() {
        let (org, root) = org_and_site("lock");
        let (org, root) = (org.path(), root.path());
        let out = root.join("public");
        let first = Staging::begin(org, &out, &|| panic!("nothing to wait for")).unwrap();
        assert!(root.join(".public.accord-lock").is_file());
        let waited = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                let second =
                    Staging::begin(org, &out, &|| waited.store(true, Ordering::SeqCst)).unwrap();
                second.write("index.html", b"second").unwrap();
                second.mark().unwrap();
                second.commit().unwrap();
            });
            std::thread::sleep(std::time::Duration::from_millis(300));
            first.write("index.html", b"first").unwrap();
            first.mark().unwrap();
            first.commit().unwrap();
            second.join().unwrap();
        });
        assert!(
            waited.load(Ordering::SeqCst),
            "the second build was told to wait"
        );
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "second"
        );
        assert_eq!(names(root), ["public"], "no lock file or staging left");
    }

    #[test]
    fn the_fallback_without_exchange_replaces_the_site_too() {
        let (org, root) = org_and_site("renames");
        let (org, root) = (org.path(), root.path());
        let out = root.join("public");
        old_site(&out);
        let staging = Staging::begin(org, &out, &|| {}).unwrap();
        staging.write("index.html", b"new").unwrap();
        let old = staging.replace_by_renames().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(old.join("old/page.html")).unwrap(),
            "old"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders_in_one_step() {
        let root = temp("exchange");
        let root = root.path();
        fs::create_dir_all(root.join("a/from-a")).unwrap();
        fs::create_dir_all(root.join("b/from-b")).unwrap();
        assert!(exchange(&root.join("a"), &root.join("b")).unwrap());
        assert!(root.join("a/from-b").is_dir() && root.join("b/from-a").is_dir());
    }

    /// The lock of a later build is taken only when the one before has let go, even
    /// when the earlier build removed its lock file while the later one waited on it:
    /// a third build then waits for the second, which holds the new file.
    #[test]
    fn a_lock_file_removed_while_waited_on_is_not_held() {
        let root = temp("relock");
        let path = root.path().join(".public.accord-lock");
        let first = Lock::acquire(path.clone(), &|| panic!("nothing to wait for")).unwrap();
        let second_waits = AtomicBool::new(false);
        let third_waits = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                Lock::acquire(path.clone(), &|| second_waits.store(true, Ordering::SeqCst)).unwrap()
            });
            while !second_waits.load(Ordering::SeqCst) {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            // Removes the file the second build waits on.
            drop(first);
            let second = second.join().unwrap();
            let third = scope.spawn(|| {
                Lock::acquire(path.clone(), &|| third_waits.store(true, Ordering::SeqCst)).unwrap()
            });
            std::thread::sleep(std::time::Duration::from_millis(200));
            assert!(
                third_waits.load(Ordering::SeqCst),
                "the third build took a lock the second one holds"
            );
            drop(second);
            drop(third.join().unwrap());
        });
    }

    #[test]
    fn a_lock_that_cannot_be_created_is_an_error_and_a_vanishing_one_is_retried() {
        let root = temp("badlock");
        // A folder where the lock file goes: an error at once, naming the lock.
        let folder = root.path().join(".public.accord-lock");
        fs::create_dir(&folder).unwrap();
        let error = Lock::acquire(folder, &|| {}).unwrap_err().to_string();
        assert!(error.contains("create the lock"), "{error}");
        // A link to a folder that does not exist: the file is not found however often
        // it is created, as when something keeps removing the folders.
        #[cfg(unix)]
        {
            let link = root.path().join(".site.accord-lock");
            std::os::unix::fs::symlink(root.path().join("gone/lock"), &link).unwrap();
            let error = Lock::acquire(link, &|| {}).unwrap_err().to_string();
            assert!(error.contains("it keeps disappearing"), "{error}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_exchange_the_file_system_refuses_falls_back_and_other_failures_are_errors() {
        let root = temp("exchange-fails");
        let root = root.path();
        fs::create_dir_all(root.join("a/inside")).unwrap();
        // A folder cannot swap with one inside it (EINVAL): the renames fallback decides.
        assert!(!exchange(&root.join("a"), &root.join("a/inside")).unwrap());
        // A folder that is not there is a real error.
        assert!(exchange(&root.join("a"), &root.join("missing")).is_err());
    }
}
