//! Rendered pages kept between `serve`'s runs, so that after one measure file changes only the
//! listing pages that show it are rendered again.
//!
//! A page's HTML is a pure function of its template and the document handed to it (the
//! templates call no functions of ours, and the icon sprite and file-system links are made
//! from the HTML alone). So each page is kept with a fingerprint of that document, serialised
//! as JSON: when the fast path builds the same document again for the same file, the kept
//! bytes are what rendering would make. Building the documents of every listing still costs
//! something, but far less than running Tera on them: at 10,000 measures the listings are
//! thousands of pages of cards, of which one measure's edit changes a handful.
//!
//! A full run renders every page and refills the store (the theme may have changed, and with
//! it what a template makes of the same document); only the fast path reuses it.
//!
//! The activity plans' pages (more than there are measures) go further: a plan page shows
//! nothing of a measure file but its own measure and its related measures, so on the fast
//! path the pages that show none of the edited measures are taken as kept without even
//! building their documents ([`PageStore::edited`]) — as long as what every page shows (the
//! footer's date of the last change, the navigation's departments page) stayed the same.

use std::collections::{BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hasher};
use std::io;
use std::sync::Mutex;

use serde::Serialize;

/// The fingerprint of one page's document: a hash of its JSON and the JSON's length.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    hash: u64,
    len: u64,
}

/// Pages by output path (with the plan's folder), each with the fingerprint it was made from.
#[derive(Default)]
pub(crate) struct PageStore {
    pages: Mutex<HashMap<String, (Fingerprint, Vec<u8>)>>,
    /// The IDs of the measures the fast path just changed, while the pages' common parts
    /// stayed as they were; `None` otherwise (see [`PageStore::set_edited`]).
    edited: Mutex<Option<BTreeSet<String>>>,
}

/// How a render uses the [`PageStore`].
#[derive(Clone, Copy)]
pub(crate) enum Reuse<'a> {
    /// A full run: every page is rendered, and kept for the next fast path.
    Refill(&'a PageStore),
    /// The fast path: a page whose document did not change is taken from the store.
    Unchanged(&'a PageStore),
}

impl PageStore {
    /// Forgets every page (before a full run refills the store).
    pub(crate) fn clear(&self) {
        self.lock().clear();
        self.set_edited(None);
    }

    /// Before the fast path's [`Renderer::rest`]: the measures it changed, if every page's
    /// common parts stayed the same (`None` when they did not: then every page's document is
    /// built again). Cleared after that run.
    pub(crate) fn set_edited(&self, edited: Option<BTreeSet<String>>) {
        *self.edited.lock().unwrap_or_else(|e| e.into_inner()) = edited;
    }

    pub(super) fn edited(&self) -> Option<BTreeSet<String>> {
        self.edited
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The bytes kept for `path`, whatever they were made from.
    pub(super) fn kept(&self, path: &str) -> Option<Vec<u8>> {
        self.lock().get(path).map(|(_, bytes)| bytes.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Fingerprint, Vec<u8>)>> {
        self.pages.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The bytes kept for `path` if they were made from a document with `fingerprint`.
    pub(crate) fn get(&self, path: &str, fingerprint: Fingerprint) -> Option<Vec<u8>> {
        let pages = self.lock();
        let (kept, bytes) = pages.get(path)?;
        (*kept == fingerprint).then(|| bytes.clone())
    }

    pub(crate) fn put(&self, path: String, fingerprint: Fingerprint, bytes: Vec<u8>) {
        self.lock().insert(path, (fingerprint, bytes));
    }
}

impl<'a> Reuse<'a> {
    pub(crate) fn store(self) -> &'a PageStore {
        match self {
            Reuse::Refill(store) | Reuse::Unchanged(store) => store,
        }
    }
}

/// The fingerprint of what `template` renders from `document` (`file_links`: whether the
/// links are rewritten for opening the files from disk). `None` if the document cannot be
/// serialised, which rendering will then report.
pub(crate) fn fingerprint<D: Serialize>(
    template: &str,
    file_links: bool,
    document: &D,
) -> Option<Fingerprint> {
    let mut writer = HashWriter {
        hasher: DefaultHasher::new(),
        len: 0,
    };
    writer.hasher.write(template.as_bytes());
    writer.hasher.write_u8(u8::from(file_links));
    serde_json::to_writer(&mut writer, document).ok()?;
    Some(Fingerprint {
        hash: writer.hasher.finish(),
        len: writer.len,
    })
}

/// Feeds serialised JSON into a hasher without keeping it.
struct HashWriter {
    hasher: DefaultHasher,
    len: u64,
}

impl io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.hasher.write(buf);
        self.len += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_reused_only_for_the_same_template_and_document() {
        let doc = serde_json::json!({"title": "施策", "cards": [1, 2, 3]});
        let print = |template, file_links, doc| fingerprint(template, file_links, doc).unwrap();
        let kept = print("list.html", false, &doc);
        let store = PageStore::default();
        store.put("measures/index.html".into(), kept, b"<p>1</p>".to_vec());
        assert_eq!(
            store.get("measures/index.html", print("list.html", false, &doc)),
            Some(b"<p>1</p>".to_vec())
        );
        let edited = serde_json::json!({"title": "施策", "cards": [1, 2, 4]});
        for other in [
            print("list.html", false, &edited),
            print("home.html", false, &doc),
            print("list.html", true, &doc),
        ] {
            assert!(store.get("measures/index.html", other).is_none());
        }
        assert!(store.get("index.html", kept).is_none());
        store.clear();
        assert!(store.get("measures/index.html", kept).is_none());
    }
}
