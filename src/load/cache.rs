//! What a load keeps for the next load of the same org: the preview re-loads the org on
//! every save, and most files have not changed.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{FILE_BATCH, FileLoad, OrgFile, load_file};
use crate::parallel;
use crate::source::FileId;

/// What each file of the last load gave on its own ([`super::load_with`]), by path.
/// Only the files of the last load are kept, so the cache is never larger than the org.
#[derive(Debug, Default)]
pub struct LoadCache {
    files: HashMap<String, Cached>,
    /// Files loaded on their own (not taken from the cache), over every load.
    loaded: usize,
}

/// One file as it was last loaded.
#[derive(Debug)]
struct Cached {
    /// Its bytes then: what it gave holds only while they are the same.
    contents: Option<Vec<u8>>,
    load: Arc<FileLoad>,
}

impl LoadCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many files loads through this cache have parsed, in all: those that were
    /// new, changed, or numbered differently. The preview can log it; tests check that
    /// an unchanged file is not parsed again.
    pub fn files_loaded(&self) -> usize {
        self.loaded
    }

    /// What each of `numbered` gives on its own: the kept result when the file's bytes
    /// and id are those it had last time (its locations hold the id), else a new one.
    /// Keeps these, and only these, for the next load.
    pub(super) fn loads(&mut self, numbered: &[(&OrgFile, FileId)]) -> Vec<Arc<FileLoad>> {
        let mut last = std::mem::take(&mut self.files);
        let loaded = AtomicUsize::new(0);
        let loads = parallel::map(numbered, FILE_BATCH, |&(file, id)| {
            match last.get(&file.path) {
                Some(cached) if cached.load.id == id && cached.contents == file.contents => {
                    Arc::clone(&cached.load)
                }
                _ => {
                    loaded.fetch_add(1, Ordering::Relaxed);
                    Arc::new(load_file(file, id))
                }
            }
        });
        self.loaded += loaded.into_inner();
        self.files = numbered
            .iter()
            .zip(&loads)
            .map(|(&(file, _), load)| {
                // An unchanged file keeps the bytes already held rather than a copy.
                let contents = match last.remove(&file.path) {
                    Some(cached) if Arc::ptr_eq(&cached.load, load) => cached.contents,
                    _ => file.contents.clone(),
                };
                let cached = Cached {
                    contents,
                    load: Arc::clone(load),
                };
                (file.path.clone(), cached)
            })
            .collect();
        loads
    }
}

#[cfg(test)]
mod tests {
    use super::LoadCache;
    use crate::check::testing::TestOrg;
    use crate::load::{OrgFiles, load, load_with};

    /// Loads `files` through `cache`, checks the result is a fresh load's, and returns
    /// how many files the cache had to parse for it.
    fn reload(cache: &mut LoadCache, files: &OrgFiles, step: &str) -> usize {
        let today = jiff::civil::date(2026, 6, 15);
        let before = cache.files_loaded();
        let cached = load_with(files, today, cache);
        assert_eq!(
            format!("{cached:?}"),
            format!("{:?}", load(files, today)),
            "{step}: the cached load differs from a fresh one"
        );
        assert_eq!(cache.files.len(), files.len(), "{step}: one entry per file");
        cache.files_loaded() - before
    }

    #[test]
    fn a_cached_load_is_a_fresh_load_and_parses_only_what_changed() {
        let mut cache = LoadCache::new();
        // In load order: accord.toml, 3 teams, people.toml, a persona, a KPI, an
        // agreement, 2 meetings, an actuals file.
        let org = TestOrg::base();
        assert_eq!(reload(&mut cache, &org.files(), "first load"), 11);
        assert_eq!(reload(&mut cache, &org.files(), "nothing changed"), 0);

        let changed = org.edit("agreements/sla.toml", "target = 10", "target = 120");
        assert_eq!(reload(&mut cache, &changed.files(), "a value changed"), 1);
        // The KPI's unit changed: the agreement's target is checked against it again,
        // though the agreement was not parsed again.
        let percent = changed.edit("kpis/leads.toml", "unit = \"count\"", "unit = \"percent\"");
        assert_eq!(
            reload(&mut cache, &percent.files(), "a KPI's unit changed"),
            1
        );

        let broken = percent.edit("meetings/weekly.toml", "duration = 30", "duration = ");
        assert_eq!(reload(&mut cache, &broken.files(), "a file broken"), 1);
        let people = broken.edit("people.toml", "name = \"Ana\"", "name = Ana");
        assert_eq!(reload(&mut cache, &people.files(), "people.toml broken"), 1);
        let fixed = people
            .edit("meetings/weekly.toml", "duration = ", "duration = 30")
            .edit("people.toml", "name = Ana", "name = \"Ana\"");
        assert_eq!(reload(&mut cache, &fixed.files(), "both fixed"), 2);
        let rows = fixed.edit("actuals/leads.csv", "2026-05,12", "2026-05,x");
        assert_eq!(
            reload(&mut cache, &rows.files(), "an actuals row broken"),
            1
        );

        // A docs page comes last in load order: nothing else moves.
        let page = rows.with("docs/guide.md", "# Guide\n");
        assert_eq!(reload(&mut cache, &page.files(), "a page added"), 1);
        // A team after the 3 teams: every file after it in load order is numbered one
        // further on, so the 8 of them are loaded again, and the new team.
        let team = page.with(
            "teams/sub/events.toml",
            "name = \"Events\"\nlead = \"ana\"\n",
        );
        assert_eq!(reload(&mut cache, &team.files(), "a team added"), 9);
        // The first meeting removed: the other and the 2 files after it move back.
        let removed = team.without("meetings/monthly.toml");
        assert_eq!(reload(&mut cache, &removed.files(), "a meeting removed"), 3);
        assert!(!cache.files.contains_key("meetings/monthly.toml"));

        // A file that is not UTF-8, and the same bytes once more.
        let mut bytes: Vec<(String, Vec<u8>)> = removed
            .files()
            .iter()
            .map(|f| (f.path.clone(), f.contents.clone().unwrap_or_default()))
            .collect();
        bytes.push(("docs/latin1.md".into(), b"# Caf\xe9\n".to_vec()));
        let latin1 = OrgFiles::from_contents(bytes);
        assert_eq!(reload(&mut cache, &latin1, "a file not UTF-8"), 1);
        assert_eq!(reload(&mut cache, &latin1, "nothing changed"), 0);
    }
}
