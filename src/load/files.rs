//! The set of files an org consists of, read from disk (or built in memory by tests and by
//! readers of other revisions), and the role of each path in the format.

use std::io;
use std::path::Path;

use walkdir::WalkDir;

use super::schema::{self, TableSchema};
use crate::model::Collection;

/// The entity folders: one entity per `.toml` file, subfolders allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntityKind {
    Team,
    Persona,
    Kpi,
    Agreement,
    Meeting,
}

impl EntityKind {
    pub const ALL: [EntityKind; 5] = [
        EntityKind::Team,
        EntityKind::Persona,
        EntityKind::Kpi,
        EntityKind::Agreement,
        EntityKind::Meeting,
    ];

    /// The folder the kind lives in.
    pub fn folder(self) -> &'static str {
        match self {
            EntityKind::Team => "teams",
            EntityKind::Persona => "personas",
            EntityKind::Kpi => "kpis",
            EntityKind::Agreement => "agreements",
            EntityKind::Meeting => "meetings",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            EntityKind::Team => "team",
            EntityKind::Persona => "persona",
            EntityKind::Kpi => "KPI",
            EntityKind::Agreement => "agreement",
            EntityKind::Meeting => "meeting",
        }
    }

    pub fn collection(self) -> Collection {
        match self {
            EntityKind::Team => Collection::Teams,
            EntityKind::Persona => Collection::Personas,
            EntityKind::Kpi => Collection::Kpis,
            EntityKind::Agreement => Collection::Agreements,
            EntityKind::Meeting => Collection::Meetings,
        }
    }

    pub fn schema(self) -> &'static TableSchema {
        match self {
            EntityKind::Team => &schema::TEAM,
            EntityKind::Persona => &schema::PERSONA,
            EntityKind::Kpi => &schema::KPI,
            EntityKind::Agreement => &schema::AGREEMENT,
            EntityKind::Meeting => &schema::MEETING,
        }
    }
}

/// What a path is in the format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum FileRole {
    Settings,
    People,
    Entity(EntityKind),
    Actuals,
    Doc,
    /// A file in an entity (or actuals) folder that the format does not read.
    Stray,
    /// Anything else: README, templates, static files, build output.
    Ignored,
}

fn role_of(path: &str) -> FileRole {
    if path.split('/').any(|part| part.starts_with('.')) {
        return FileRole::Ignored;
    }
    match path {
        "accord.toml" => return FileRole::Settings,
        "people.toml" => return FileRole::People,
        _ => {}
    }
    let Some((top, _)) = path.split_once('/') else {
        return FileRole::Ignored;
    };
    if let Some(kind) = EntityKind::ALL.into_iter().find(|k| k.folder() == top) {
        return if path.ends_with(".toml") {
            FileRole::Entity(kind)
        } else {
            FileRole::Stray
        };
    }
    match top {
        "actuals" if path.ends_with(".csv") => FileRole::Actuals,
        "actuals" => FileRole::Stray,
        "docs" if path.ends_with(".md") => FileRole::Doc,
        _ => FileRole::Ignored,
    }
}

/// Whether the format reads (or at least lists) the file at `path`, relative to the org
/// root.
pub fn is_org_path(path: &str) -> bool {
    role_of(path) != FileRole::Ignored
}

/// Whether the file at `path` (relative to the org root) holds people or entities, which
/// `diff` compares field by field.
pub fn is_entity_path(path: &str) -> bool {
    matches!(role_of(path), FileRole::People | FileRole::Entity(_))
}

/// One file of an org.
#[derive(Clone, Debug)]
pub struct OrgFile {
    /// Relative to the org root, forward slashes.
    pub path: String,
    /// The bytes, for files the format reads; `None` for stray files, which are only listed.
    pub contents: Option<Vec<u8>>,
}

impl OrgFile {
    pub(super) fn role(&self) -> FileRole {
        role_of(&self.path)
    }

    /// The file name without its extension: the id of an entity file.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
}

/// The files of an org, sorted by path.
#[derive(Clone, Debug, Default)]
pub struct OrgFiles {
    files: Vec<OrgFile>,
}

impl OrgFiles {
    /// Builds the set from (path, bytes) pairs; paths the format ignores are dropped and
    /// stray files keep only their path.
    pub fn from_contents(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        let mut files: Vec<OrgFile> = files
            .into_iter()
            .filter_map(|(path, bytes)| match role_of(&path) {
                FileRole::Ignored => None,
                FileRole::Stray => Some(OrgFile {
                    path,
                    contents: None,
                }),
                _ => Some(OrgFile {
                    path,
                    contents: Some(bytes),
                }),
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        OrgFiles { files }
    }

    /// Reads the org at `root`: the two root files and the format's folders. Hidden files
    /// and folders are skipped; stray files are listed without being read.
    pub fn read_dir(root: &Path) -> io::Result<Self> {
        let mut files = Vec::new();
        for name in ["accord.toml", "people.toml"] {
            match std::fs::read(root.join(name)) {
                Ok(bytes) => files.push(OrgFile {
                    path: name.into(),
                    contents: Some(bytes),
                }),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(with_path(e, &root.join(name))),
            }
        }
        let folders = EntityKind::ALL
            .iter()
            .map(|k| k.folder())
            .chain(["actuals", "docs"]);
        for folder in folders {
            let dir = root.join(folder);
            if !dir.is_dir() {
                continue;
            }
            for (path, full) in files_under(&dir, root)? {
                let contents = match role_of(&path) {
                    FileRole::Ignored => continue,
                    FileRole::Stray => None,
                    _ => Some(std::fs::read(&full).map_err(|e| with_path(e, &full))?),
                };
                files.push(OrgFile { path, contents });
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(OrgFiles { files })
    }

    pub fn iter(&self) -> impl Iterator<Item = &OrgFile> {
        self.files.iter()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Every file under `dir`, sorted, skipping hidden files and folders, as (path relative
/// to `base` with forward slashes, full path). Links are followed so a linked file is
/// read, not silently skipped; walkdir reports a link loop as an error.
pub fn files_under(dir: &Path, base: &Path) -> io::Result<Vec<(String, std::path::PathBuf)>> {
    let mut files = Vec::new();
    let walk = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = entry.map_err(io::Error::from)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(base).unwrap_or(entry.path());
        let path = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.push((path, entry.into_path()));
    }
    Ok(files)
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_follow_the_layout() {
        assert_eq!(role_of("accord.toml"), FileRole::Settings);
        assert_eq!(
            role_of("teams/sub/sales.toml"),
            FileRole::Entity(EntityKind::Team)
        );
        assert_eq!(role_of("teams/notes.md"), FileRole::Stray);
        assert_eq!(role_of("teams/.DS_Store"), FileRole::Ignored);
        assert_eq!(role_of("actuals/leads.csv"), FileRole::Actuals);
        assert_eq!(role_of("docs/a/b.md"), FileRole::Doc);
        assert_eq!(role_of("docs/img.png"), FileRole::Ignored);
        assert_eq!(role_of("public/index.html"), FileRole::Ignored);
        assert_eq!(role_of("README.md"), FileRole::Ignored);
    }

    #[test]
    fn stems_drop_folders_and_extension() {
        let file = OrgFile {
            path: "teams/commercial/sales.toml".into(),
            contents: None,
        };
        assert_eq!(file.stem(), "sales");
    }
}
