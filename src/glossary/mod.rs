//! The glossary (用語の説明) as a navigable part of the site: dictionary order and 五十音 rows
//! ([`collate`]), stable fragment ids ([`anchor`]), links from every page's text to the entries
//! ([`link`]), and the record of which pages use which entry ([`Usage`]) for back-links and
//! for the warning about unused entries.

pub(crate) mod anchor;
pub(crate) mod collate;
pub(crate) mod link;

pub(crate) use link::{Linker, PageTerms};

use std::collections::BTreeSet;

use crate::url::Route;

/// A page that uses a glossary entry, in the order back-links are listed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct UsedOn {
    /// Measures first (by ID), then policies, pages and the home page.
    pub order: (u8, String),
    pub label: String,
    pub route: Route,
}

impl UsedOn {
    pub(crate) fn measure(id: &str, title: &str) -> UsedOn {
        UsedOn {
            order: (0, id.to_string()),
            label: format!("{id} {title}"),
            route: Route::measure(id),
        }
    }

    pub(crate) fn policy(number: u32, title: &str) -> UsedOn {
        UsedOn {
            order: (1, format!("{number:010}")),
            label: format!("方針{number} {title}"),
            route: Route::policy(number),
        }
    }

    /// `position` is the page's place in the navigation.
    pub(crate) fn page(position: usize, slug: &str, title: &str) -> UsedOn {
        UsedOn {
            order: (2, format!("{position:010}")),
            label: title.to_string(),
            route: Route::page(slug),
        }
    }

    pub(crate) fn home() -> UsedOn {
        UsedOn {
            order: (3, String::new()),
            label: "ホーム（基本理念）".to_string(),
            route: Route::home(),
        }
    }
}

/// For each glossary entry (by index), the pages that use it. Pages are stored once and
/// entries keep page numbers, because a large site records hundreds of thousands of uses.
#[derive(Debug, Default)]
pub(crate) struct Usage {
    pages: Vec<UsedOn>,
    by_entry: Vec<Vec<u32>>,
}

impl Usage {
    pub(crate) fn new(entries: usize) -> Usage {
        Usage {
            pages: Vec::new(),
            by_entry: vec![Vec::new(); entries],
        }
    }

    /// Records every entry in `used` as used on the page `on` (each page is recorded once).
    /// `used` is what the page's [`PageTerms`] saw, or the set kept from an earlier render
    /// (`serve` re-renders only the measures that changed).
    pub(crate) fn record_used(&mut self, used: &BTreeSet<usize>, on: &UsedOn) {
        if used.is_empty() {
            return;
        }
        let page = u32::try_from(self.pages.len()).unwrap_or(u32::MAX);
        self.pages.push(on.clone());
        for &entry in used {
            if let Some(list) = self.by_entry.get_mut(entry) {
                list.push(page);
            }
        }
    }

    /// The pages that use `entry`, in back-link order.
    pub(crate) fn of(&self, entry: usize) -> Vec<&UsedOn> {
        let mut pages: Vec<&UsedOn> = self
            .by_entry
            .get(entry)
            .into_iter()
            .flatten()
            .filter_map(|&p| self.pages.get(p as usize))
            .collect();
        pages.sort();
        pages.dedup();
        pages
    }

    pub(crate) fn is_used(&self, entry: usize) -> bool {
        self.by_entry.get(entry).is_some_and(|s| !s.is_empty())
    }
}
