//! What a load keeps for the next load of the same org: the preview re-loads the org on
//! every save, and most files have not changed.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{FileLoad, OrgFile, load_file, parallel};
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
        let loads = parallel::map(numbered, |&(file, id)| match last.get(&file.path) {
            Some(cached) if cached.load.id == id && cached.contents == file.contents => {
                Arc::clone(&cached.load)
            }
            _ => {
                loaded.fetch_add(1, Ordering::Relaxed);
                Arc::new(load_file(file, id))
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
