//! Where a build may write: the one place that turns the `-o OUT` a user typed into the
//! directory accord replaces, and refuses every directory whose replacement would destroy
//! or pollute data.
//!
//! The refusals are made on the path the OS would reach, never on the spelling: `..`,
//! `.`, trailing slashes and symbolic links of existing folders (OUT itself included) are
//! resolved on the real filesystem first, and the build then writes to exactly that
//! resolved path, so no second spelling is ever looked up between the check and the write.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{OutputError, SITE_MARKER};

/// An output directory that passed every refusal: its real path, with the org it was
/// vetted against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutDir {
    /// The org root, resolved.
    org: PathBuf,
    /// The output, resolved: absolute, without `.` or `..`, and with no symbolic link
    /// among the folders that exist.
    path: PathBuf,
    /// The folder the output sits in (where staging folders and the lock go).
    parent: PathBuf,
    /// The output's own name in `parent`.
    name: OsString,
}

impl OutDir {
    /// The output a build uses when none is given: `public/` in the org. The org's files
    /// decide where it leads, so a `public` that is a link out of the org is refused:
    /// whoever edits the repository must not choose a folder elsewhere on the machine
    /// for the build to replace.
    pub fn default_for(org: &Path) -> Result<PathBuf, OutputError> {
        let out = org.join("public");
        let (real_org, real_out) = (real_path(org)?, real_path(&out)?);
        if !real_out.starts_with(&real_org) {
            return Err(OutputError::Refused(format!(
                "refusing to build into {} (that is {}): the org's public/ is a link out of the org; remove the link, or give the folder with -o",
                out.display(),
                real_out.display()
            )));
        }
        Ok(out)
    }

    /// Resolves `out` and the org root `org` on the real filesystem and applies the
    /// refusals to the result: OUT may not be or contain the org, lie inside its source
    /// folders or a hidden folder such as `.git`, be a file, a mount point, or a non-empty
    /// directory that accord did not build. `..` after a folder that does not exist is
    /// refused too: where it leads would depend on the folders the build creates.
    pub fn resolve(org: &Path, out: &Path) -> Result<OutDir, OutputError> {
        let org = real_path(org)?;
        let path = real_path(out)?;
        let refuse = |why: String| {
            let resolved = if path == out {
                String::new()
            } else {
                format!(" (that is {})", path.display())
            };
            OutputError::Refused(format!(
                "refusing to build into {}{resolved}: {why}",
                out.display()
            ))
        };
        if org.starts_with(&path) {
            return Err(refuse(
                "it is or contains the org's sources (building replaces the whole directory); use the default DIR/public or another directory".into(),
            ));
        }
        for (folder, real) in protected_folders(&org) {
            if path.starts_with(&real) {
                return Err(refuse(format!("it is inside the org's {folder}/ folder")));
            }
            if real.starts_with(&path) {
                return Err(refuse(format!(
                    "it contains the org's {folder}/ folder (building replaces the whole directory)"
                )));
            }
        }
        if let Ok(inside) = path.strip_prefix(&org)
            && inside
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            return Err(refuse(
                "it is inside a hidden folder of the org (such as .git)".into(),
            ));
        }
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(refuse("it is the root of the file system".into()));
        };
        match fs::metadata(&path) {
            Ok(meta) if !meta.is_dir() => {
                return Err(refuse("it is a file, not a directory".into()));
            }
            Ok(_) if is_mount_point(&path, parent) => {
                return Err(refuse(
                    "it is a mount point, and a build replaces OUT by renaming a folder beside it; build into a folder inside it".into(),
                ));
            }
            // Building replaces OUT whole: only a directory that is empty or that accord
            // built before may be replaced, never someone's folder given by mistake.
            Ok(_) if !is_empty(&path) && !path.join(SITE_MARKER).is_file() => {
                return Err(refuse(format!(
                    "it is not empty and was not built by accord (no {SITE_MARKER}); empty it or choose another directory"
                )));
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&path, "read", e)),
        }
        Ok(OutDir {
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            org,
            path,
        })
    }

    /// Resolves and vets the output again, as the build is about to replace it: the
    /// directory may have changed while the site was rendered (filled by someone, or a
    /// folder on its path turned into a link).
    pub fn vet_again(&self) -> Result<(), OutputError> {
        let now = OutDir::resolve(&self.org, &self.path)?;
        if now == *self {
            Ok(())
        } else {
            Err(OutputError::Refused(format!(
                "not replacing {}: it now resolves to {} (a folder on its path changed during the build)",
                self.path.display(),
                now.path.display()
            )))
        }
    }

    /// The resolved output directory, the one path the build writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder the output sits in.
    pub fn parent(&self) -> &Path {
        &self.parent
    }

    /// The output's name in its parent folder.
    pub fn name(&self) -> &OsStr {
        &self.name
    }
}

/// `given` as the OS reaches it: absolute, each existing component resolved (symbolic
/// links followed, `..` taken to the real parent), the components that do not exist yet
/// appended as written. `..` or a link after a missing component cannot be resolved
/// before the folders exist, so `..` there is refused.
fn real_path(given: &Path) -> Result<PathBuf, OutputError> {
    let absolute = std::path::absolute(given).map_err(|e| io_error(given, "resolve", e))?;
    let mut real = PathBuf::new();
    let mut first_missing: Option<PathBuf> = None;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => real.push(component),
            Component::CurDir => {}
            Component::ParentDir => match &first_missing {
                Some(missing) => {
                    return Err(OutputError::Refused(format!(
                        "refusing to build into {}: `..` follows {}, which does not exist, so where it leads depends on the folders the build would create; write the path without it",
                        given.display(),
                        missing.display()
                    )));
                }
                // `real` has no links, so its parent is the real parent.
                None => {
                    real.pop();
                }
            },
            Component::Normal(name) => {
                real.push(name);
                if first_missing.is_some() {
                    continue;
                }
                match fs::symlink_metadata(&real) {
                    // Canonical form of an existing folder: its links followed, and on a
                    // case-insensitive file system its stored case.
                    Ok(meta) => {
                        real = fs::canonicalize(&real).map_err(|e| {
                            if meta.file_type().is_symlink() && e.kind() == io::ErrorKind::NotFound
                            {
                                OutputError::Refused(format!(
                                    "refusing to build into {}: {} is a symbolic link to something that does not exist",
                                    given.display(),
                                    real.display()
                                ))
                            } else {
                                io_error(&real, "resolve", e)
                            }
                        })?;
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        first_missing = Some(real.clone());
                    }
                    Err(e) => return Err(io_error(&real, "resolve", e)),
                }
            }
        }
    }
    Ok(real)
}

/// The folders of the org that a build must neither write into nor replace, with the
/// real path of each (a folder may be a link to elsewhere): the source folders and
/// `.git`. Other hidden folders are protected by name only.
fn protected_folders(org: &Path) -> Vec<(&'static str, PathBuf)> {
    crate::load::format_folders()
        .chain([".git"])
        .flat_map(|folder| {
            let path = org.join(folder);
            let real = fs::canonicalize(&path).ok();
            [Some((folder, path)), real.map(|real| (folder, real))]
        })
        .flatten()
        .collect()
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Whether `dir` is on another device than its parent: renaming it would fail.
#[cfg(unix)]
fn is_mount_point(dir: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    matches!(
        (fs::metadata(dir), fs::metadata(parent)),
        (Ok(dir), Ok(parent)) if dir.dev() != parent.dev()
    )
}

#[cfg(not(unix))]
fn is_mount_point(_dir: &Path, _parent: &Path) -> bool {
    false
}

/// An I/O error that names what was being done to which path.
pub(super) fn io_error(path: &Path, doing: &str, e: io::Error) -> OutputError {
    OutputError::Io(io::Error::new(
        e.kind(),
        format!("cannot {doing} {}: {e}", path.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder, removed when dropped, and its real path.
    fn temp(name: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::Builder::new()
            .prefix(&format!("accord-out-dir-{name}-"))
            .tempdir()
            .unwrap();
        let real = dir.path().canonicalize().unwrap();
        (dir, real)
    }

    fn refusal(org: &Path, out: &Path) -> String {
        match OutDir::resolve(org, out) {
            Err(OutputError::Refused(why)) => why,
            other => panic!("{} was not refused: {other:?}", out.display()),
        }
    }

    #[test]
    fn an_empty_folder_is_accepted_and_vetted_again_only_while_it_stays_so() {
        let (_dir, root) = temp("vet-again");
        let org = root.join("org");
        let out = root.join("site");
        fs::create_dir_all(&org).unwrap();
        fs::create_dir(&out).unwrap();
        let resolved = OutDir::resolve(&org, &out).expect("an empty folder may be built into");
        assert!(resolved.vet_again().is_ok(), "nothing changed");
        // Filled by someone while the site was rendered: no longer empty, no marker.
        fs::write(out.join("notes.txt"), "mine").unwrap();
        match resolved.vet_again() {
            Err(OutputError::Refused(why)) => assert!(why.contains("not empty"), "{why}"),
            other => panic!("a folder filled meanwhile was not refused: {other:?}"),
        }
    }

    #[test]
    fn dot_dot_after_a_missing_folder_is_refused_before_anything_is_created() {
        let (_dir, root) = temp("dotdot");
        let org = root.join("org");
        fs::create_dir_all(&org).unwrap();
        let why = refusal(&org, &root.join("nosuchdir/../org"));
        assert!(why.contains("`..` follows"), "{why}");
        assert!(!root.join("nosuchdir").exists());
    }

    #[test]
    fn existing_folders_resolve_as_the_os_reaches_them() {
        let (_dir, root) = temp("resolve");
        fs::create_dir_all(root.join("a/b")).unwrap();
        assert_eq!(
            real_path(&root.join("a/./b/../b/new/site/")).unwrap(),
            root.join("a/b/new/site")
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("a/b"), root.join("link")).unwrap();
            assert_eq!(
                real_path(&root.join("link/../site")).unwrap(),
                root.join("a/site"),
                "`..` after a link leads to the link target's parent, as the OS does"
            );
            std::os::unix::fs::symlink(root.join("gone"), root.join("dangling")).unwrap();
            assert!(matches!(
                real_path(&root.join("dangling/site")),
                Err(OutputError::Refused(_))
            ));
        }
    }

    /// A refusal names where OUT leads only when that is not where it was given.
    #[test]
    fn a_refusal_says_where_the_output_leads_when_a_link_moves_it() {
        let (_dir, root) = temp("refusal-words");
        let org = root.join("org");
        fs::create_dir_all(org.join("teams")).unwrap();
        let direct = refusal(&org, &org.join("teams"));
        assert!(
            direct.contains("inside the org's teams/ folder"),
            "{direct}"
        );
        assert!(!direct.contains("(that is"), "{direct}");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(org.join("teams"), root.join("link")).unwrap();
            let linked = refusal(&org, &root.join("link"));
            let expected = format!("(that is {})", org.join("teams").display());
            assert!(linked.contains(&expected), "{linked}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_mount_point_is_recognised() {
        assert!(is_mount_point(Path::new("/proc"), Path::new("/")));
        let (_dir, root) = temp("mount");
        assert!(!is_mount_point(&root, root.parent().unwrap()));
    }
}
