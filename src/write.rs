//! Write: a site directory that appears whole or not at all.
//!
//! Files go into a fresh staging directory beside the output; only when every file is
//! written is the old output moved aside and the staging directory renamed into its
//! place (a rename within one parent directory). A failed build removes the staging
//! directory and leaves an existing output byte-identical.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file that marks a directory as a site accord built, so a later build may
/// replace it (and no other non-empty directory).
pub const SITE_MARKER: &str = ".accord-site";

/// A staging directory that becomes the output on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// The highest folder above the target that this staging created, removed again
    /// if the site is never committed.
    created_parent: Option<PathBuf>,
    created: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging directory beside `target` (same parent, hidden name).
    pub fn beside(target: &Path) -> io::Result<Self> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let created_parent = parent
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
            .last()
            .map(Path::to_path_buf);
        fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.accord-new-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            created_parent,
            created: Mutex::new(HashSet::new()),
            committed: false,
        })
    }

    /// Writes one file, `path` relative to the site root with forward slashes.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
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
        fs::write(file, bytes)
    }

    /// Marks the staged site as built by accord.
    pub fn mark(&self) -> io::Result<()> {
        self.write(
            SITE_MARKER,
            b"This directory was built by `accord build`; the next build replaces it whole.\n",
        )
    }

    /// Replaces the output with the staged site.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.accord-old-{}",
            self.target
                .file_name()
                .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_output = self.target.exists();
        if had_output {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_output {
                // Put the previous site back rather than leave nothing.
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_output {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
            // Only folders this staging created, and only while empty.
            if let (Some(top), Some(parent)) = (&self.created_parent, self.dir.parent()) {
                for folder in parent.ancestors() {
                    if fs::remove_dir(folder).is_err() || folder == top.as_path() {
                        break;
                    }
                }
            }
        }
    }
}

/// Every file under `dir` (none when it does not exist), as (path relative to `dir`
/// with forward slashes, bytes), skipping hidden files and folders.
pub fn static_files(dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
    // `dir` is the org's `static/`: its parent is the org root the gate confines reads to.
    let (Some(root), Some(folder)) = (dir.parent(), dir.file_name()) else {
        return Ok(Vec::new());
    };
    let folder = folder.to_string_lossy();
    let org = crate::load::guard::OrgRoot::new(root)?;
    let mut files = Vec::new();
    for found in org.walk(&folder)? {
        let path = found
            .path
            .strip_prefix(&format!("{folder}/"))
            .unwrap_or(&found.path)
            .to_owned();
        // `check` reports refusals as findings, so a build never gets here with one;
        // a file swapped since is still refused, not read.
        let bytes = found
            .file
            .map_err(crate::load::guard::ReadError::Refused)
            .and_then(|file| file.read(None))
            .map_err(|e| io::Error::other(format!("{}: {e}", found.path)))?;
        files.push((path, bytes));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("accord-write-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_committed_site_replaces_the_old_one_whole() {
        let root = temp("commit");
        let out = root.join("public");
        fs::create_dir_all(out.join("old")).unwrap();
        fs::write(out.join("old/page.html"), "old").unwrap();
        let staging = Staging::beside(&out).unwrap();
        staging.write("teams/sales.html", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("teams/sales.html")).unwrap(),
            "new"
        );
        assert!(!out.join("old").exists());
        assert_eq!(
            fs::read_dir(&root).unwrap().count(),
            1,
            "no staging or old folder left"
        );
    }

    #[test]
    fn an_abandoned_staging_leaves_the_output_untouched() {
        let root = temp("abandon");
        let out = root.join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "before").unwrap();
        {
            let staging = Staging::beside(&out).unwrap();
            staging.write("index.html", b"half").unwrap();
        }
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "before"
        );
        assert_eq!(fs::read_dir(&root).unwrap().count(), 1);
    }
}
