//! The set of files an org consists of, read from disk (or built in memory by tests and by
//! readers of other revisions), and the role of each path in the format.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use super::FILE_BATCH;
use super::guard::{OrgRoot, ReadError, Refusal, TEXT_LIMIT, Vetted};
use super::schema::{self, TableSchema};
use crate::model::Collection;
use crate::parallel;
use crate::write::SITE_MARKER;

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

/// The end of the name of a KPI's bands file, `actuals/<kpi>.bands.csv`.
pub const BANDS_SUFFIX: &str = ".bands.csv";

/// What a path is in the format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum FileRole {
    Settings,
    People,
    Entity(EntityKind),
    Actuals,
    /// `actuals/<kpi>.bands.csv`, written by `measure`.
    Distribution,
    Doc,
    /// A file in an entity (or actuals) folder that the format does not read.
    Stray,
    /// Anything else: README, templates, static files, build output.
    Ignored,
}

pub(super) fn role_of(path: &str) -> FileRole {
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
        // A KPI id holds no dot, so no actuals file of a KPI is named like this.
        "actuals" if path.ends_with(BANDS_SUFFIX) => FileRole::Distribution,
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

    /// The KPI an actuals (or bands) file is of, from its name.
    pub fn kpi_of_actuals(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.strip_suffix(BANDS_SUFFIX)
            .unwrap_or_else(|| self.stem())
    }

    /// The file name without its extension: the id of an entity file.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
}

/// The top-level folders of the format besides the entity folders (SPEC 1 and 7.7).
const OTHER_FOLDERS: [&str; 5] = ["actuals", "docs", "templates", "static", "records"];

/// Every top-level folder of the format: anything else at the top is not read.
pub fn format_folders() -> impl Iterator<Item = &'static str> {
    EntityKind::ALL
        .iter()
        .map(|k| k.folder())
        .chain(OTHER_FOLDERS)
}

/// Whether a top-level folder is one the format does not know: not one of its folders
/// and not hidden (a built site is told apart by its marker, see [`OrgFiles`]).
fn is_unknown_folder(name: &str) -> bool {
    !name.starts_with('.') && !format_folders().any(|folder| folder == name)
}

/// A path of the org the gate refused to read (a link out of the org, a FIFO, a file
/// over the size limit): a structural error located at the path.
#[derive(Clone, Debug)]
pub struct RefusedFile {
    /// Relative to the org root, forward slashes.
    pub path: String,
    pub refusal: Refusal,
}

/// A file the walk found and vetted, to be read; `keep` false when only a refusal of it
/// matters (a template, which the renderer reads itself).
struct ToRead {
    path: String,
    file: Vetted,
    keep: bool,
}

/// The files of an org, sorted by path.
#[derive(Clone, Debug, Default)]
pub struct OrgFiles {
    files: Vec<OrgFile>,
    refused: Vec<RefusedFile>,
    /// Top-level folders that are not part of the format, not hidden and not a site
    /// accord built, sorted.
    unknown_folders: Vec<String>,
}

impl OrgFiles {
    /// Builds the set from (path, bytes) pairs; paths the format ignores are dropped and
    /// stray files keep only their path.
    pub fn from_contents(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        let mut tops = BTreeSet::new();
        let mut sites = BTreeSet::new();
        let mut files: Vec<OrgFile> = files
            .into_iter()
            .filter_map(|(path, bytes)| {
                if let Some((top, rest)) = path.split_once('/') {
                    tops.insert(top.to_owned());
                    if rest == SITE_MARKER {
                        sites.insert(top.to_owned());
                    }
                }
                match role_of(&path) {
                    FileRole::Ignored => None,
                    FileRole::Stray => Some(OrgFile {
                        path,
                        contents: None,
                    }),
                    _ => Some(OrgFile {
                        path,
                        contents: Some(bytes),
                    }),
                }
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        OrgFiles {
            files,
            refused: Vec::new(),
            unknown_folders: tops
                .into_iter()
                .filter(|top| is_unknown_folder(top) && !sites.contains(top))
                .collect(),
        }
    }

    /// Reads the org at `root` through the gate ([`OrgRoot`]): the two root files and
    /// the format's folders, hidden files and folders skipped. A path the gate refuses
    /// is kept as a [`RefusedFile`]; an I/O problem (permissions) is the error.
    pub fn read_dir(root: &Path) -> io::Result<Self> {
        let org = OrgRoot::new(root)?;
        let mut read = OrgFiles::default();
        // The walk finds the files; their contents are read afterwards on every core.
        let mut to_read: Vec<ToRead> = Vec::new();
        for name in ["accord.toml", "people.toml"] {
            match org.vet(name)? {
                None => {}
                Some(Err(refusal)) => read.refuse(name.to_owned(), refusal),
                Some(Ok(file)) => to_read.push(ToRead {
                    path: name.to_owned(),
                    file,
                    keep: true,
                }),
            }
        }
        for folder in format_folders() {
            for found in org.walk(folder)? {
                let file = match found.file {
                    Ok(file) => file,
                    Err(refusal) => {
                        read.refuse(found.path, refusal);
                        continue;
                    }
                };
                match role_of(&found.path) {
                    FileRole::Stray => read.files.push(OrgFile {
                        path: found.path,
                        contents: None,
                    }),
                    // The renderer reads the templates; reading them here too reports
                    // one too large as a finding of `check`, before any build.
                    FileRole::Ignored if folder == "templates" => to_read.push(ToRead {
                        path: found.path,
                        file,
                        keep: false,
                    }),
                    // Static files, records and docs images: vetted, not read here.
                    FileRole::Ignored => {}
                    _ => to_read.push(ToRead {
                        path: found.path,
                        file,
                        keep: true,
                    }),
                }
            }
        }
        let contents = parallel::map(&to_read, FILE_BATCH, |file| file.file.read(TEXT_LIMIT));
        for (file, contents) in to_read.into_iter().zip(contents) {
            read.add(file, contents)?;
        }
        read.files.sort_by(|a, b| a.path.cmp(&b.path));
        read.refused.sort_by(|a, b| a.path.cmp(&b.path));
        read.unknown_folders = unknown_folders(root)?;
        Ok(read)
    }

    /// Keeps the bytes read of a vetted file under the size limit (with `keep` false,
    /// only a refusal); the first I/O problem, in the order of the walk, is the error.
    fn add(&mut self, file: ToRead, contents: Result<Vec<u8>, ReadError>) -> io::Result<()> {
        match contents {
            Ok(bytes) if file.keep => self.files.push(OrgFile {
                path: file.path,
                contents: Some(bytes),
            }),
            Ok(_) => {}
            Err(ReadError::Refused(refusal)) => self.refuse(file.path, refusal),
            Err(ReadError::Io(e)) => {
                return Err(io::Error::new(e.kind(), format!("{}: {e}", file.path)));
            }
        }
        Ok(())
    }

    /// Reads the file at `path` (relative to the org root) again through the gate, as
    /// [`read_dir`](Self::read_dir) would: its bytes replaced or added, or the file
    /// dropped when it is gone. `false`, with nothing changed, when one file cannot tell
    /// what `read_dir` would find, so the caller reads the whole org again: the path is
    /// or was a folder, it is or was refused, or it lies outside the format's folders
    /// and root files, or in `templates/` (read for its size alone).
    pub fn reread(&mut self, org: &OrgRoot, path: &str) -> io::Result<bool> {
        let top = path.split('/').next().unwrap_or_default();
        let in_format = match path.split_once('/') {
            None => matches!(path, "accord.toml" | "people.toml"),
            Some(_) => top != "templates" && format_folders().any(|folder| folder == top),
        };
        let folder = format!("{path}/");
        if !in_format
            || self.refused.iter().any(|r| r.path == path)
            || self.files.iter().any(|f| f.path.starts_with(&folder))
        {
            return Ok(false);
        }
        let at = self.files.binary_search_by(|f| f.path.as_str().cmp(path));
        let vetted = match org.vet(path) {
            Ok(vetted) => vetted,
            Err(e) if e.kind() == io::ErrorKind::IsADirectory => return Ok(false),
            Err(e) => return Err(e),
        };
        let contents = match (vetted, role_of(path)) {
            (None, _) => {
                if let Ok(at) = at {
                    self.files.remove(at);
                }
                return Ok(true);
            }
            (Some(Err(_)), _) => return Ok(false),
            (Some(Ok(_)), FileRole::Ignored) => return Ok(true),
            (Some(Ok(_)), FileRole::Stray) => None,
            (Some(Ok(file)), _) => match file.read(TEXT_LIMIT) {
                Ok(bytes) => Some(bytes),
                Err(ReadError::Refused(_)) => return Ok(false),
                Err(ReadError::Io(e)) => {
                    return Err(io::Error::new(e.kind(), format!("{path}: {e}")));
                }
            },
        };
        let file = OrgFile {
            path: path.to_owned(),
            contents,
        };
        match at {
            Ok(at) => self.files[at] = file,
            Err(at) => self.files.insert(at, file),
        }
        Ok(true)
    }

    fn refuse(&mut self, path: String, refusal: Refusal) {
        self.refused.push(RefusedFile { path, refusal });
    }

    pub fn iter(&self) -> impl Iterator<Item = &OrgFile> {
        self.files.iter()
    }

    /// The paths the gate refused, sorted.
    pub fn refused(&self) -> &[RefusedFile] {
        &self.refused
    }

    /// Top-level folders that are not part of the format, not hidden and not a site
    /// accord built, sorted.
    pub fn unknown_folders(&self) -> &[String] {
        &self.unknown_folders
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The top-level folders of `root` that [`is_unknown_folder`], except the sites accord
/// built (they hold its marker).
fn unknown_folders(root: &Path) -> io::Result<Vec<String>> {
    let mut unknown = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // `is_dir` follows a link: a linked folder is a folder of the org too.
        if !is_unknown_folder(&name) || !entry.path().is_dir() {
            continue;
        }
        let built = std::fs::symlink_metadata(entry.path().join(SITE_MARKER)).is_ok();
        if !built {
            unknown.push(name);
        }
    }
    unknown.sort();
    Ok(unknown)
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
