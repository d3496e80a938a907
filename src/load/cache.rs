//! What `serve` keeps between loads, so that an edit re-reads only the files it touched.

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::limits::Limits;
use crate::diagnostics::Diagnostic;

/// What `serve` keeps between rebuilds: every file's parse result, keyed by path, with the
/// file's size and modification time. A file whose stamp is unchanged (and that the watcher
/// did not report) is not read or parsed again.
#[derive(Default)]
pub(crate) struct LoadCache {
    entries: HashMap<PathBuf, CacheEntry>,
    /// Files read and parsed by the last load (the rest came from the cache).
    pub last_parsed: Vec<PathBuf>,
}

struct CacheEntry {
    stamp: Stamp,
    /// The limits the file was checked against: a changed limit means reading it again.
    limits: Limits,
    value: Box<dyn Any + Send + Sync>,
    diagnostics: Vec<Diagnostic>,
}

/// A file's size and modification time, which say whether it may have changed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    pub(super) fn of(path: &Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().map(|m| Stamp {
            len: m.len(),
            modified: m.modified().ok(),
        })
    }
}

impl LoadCache {
    /// The kept parse result of `rel` and its diagnostics, if the file still has `stamp` and
    /// was read under the same `limits`.
    pub(super) fn get<T: 'static>(
        &self,
        rel: &Path,
        stamp: Option<Stamp>,
        limits: Limits,
    ) -> Option<(&Option<T>, &[Diagnostic])> {
        let entry = self.entries.get(rel)?;
        if Some(entry.stamp) != stamp || entry.limits != limits {
            return None;
        }
        let value = entry.value.downcast_ref::<Option<T>>()?;
        Some((value, &entry.diagnostics))
    }

    /// Keeps a file's parse result under its stamp; a file whose stamp could not be read (it
    /// vanished meanwhile) is forgotten, so that it is read again next time.
    pub(super) fn store<T: Clone + Send + Sync + 'static>(
        &mut self,
        rel: &Path,
        stamp: Option<Stamp>,
        limits: Limits,
        value: &Option<T>,
        diagnostics: Vec<Diagnostic>,
    ) {
        match stamp {
            Some(stamp) => {
                self.entries.insert(
                    rel.to_path_buf(),
                    CacheEntry {
                        stamp,
                        limits,
                        value: Box::new(value.clone()),
                        diagnostics,
                    },
                );
            }
            None => {
                self.entries.remove(rel);
            }
        }
    }

    /// Forgets `paths` (relative to the root), e.g. the files a watcher reported, so that they
    /// are read again even if their size and time look unchanged.
    pub(crate) fn invalidate<'a>(&mut self, paths: impl IntoIterator<Item = &'a Path>) {
        for p in paths {
            self.entries.remove(p);
        }
    }
}
