//! Long listings split into pages of `page_size` entries (`config.yaml`, default
//! [`DEFAULT_PAGE_SIZE`]), so that no page grows with the plan: at ten thousand measures the
//! glossary was 12 MB and each activity year page 8.5 MB, more than a phone should load.
//! Page 1 keeps the listing's address; page `n` is at `page_<n>/` below it
//! (`Route::paged`). A listing that fits on one page has no pager and is rendered exactly
//! as it was before pages existed: a city's plan (up to 100 measures) looks the same.
//!
//! Each page carries a pager (`Paging`, the template `partials/paging.html`): a `nav` with
//! its own `aria-label`, every page's number with the current one marked `aria-current`,
//! and `rel="prev"`/`rel="next"` links.

use std::ops::RangeInclusive;
use std::sync::OnceLock;

use serde::Serialize;

use crate::interface::Ui;
use crate::language::Language;
use crate::url::{self, Route};

/// Entries per page unless `config.yaml` sets `page_size`: 100 measure cards of a policy
/// page are about 250 KB, so a page stays well below 1 MB, and a city's plan fits on one.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// The page sizes `config.yaml` may set: below 10 a listing is mostly pager; above 500 the
/// pages with full measure cards pass 1 MB.
pub const PAGE_SIZES: RangeInclusive<usize> = 10..=500;

/// `items` in pages of `size` (at least 1): always one page, empty if there are no items.
pub(crate) fn split<T>(items: &[T], size: usize) -> Vec<&[T]> {
    if items.is_empty() {
        return vec![items];
    }
    items.chunks(size.max(1)).collect()
}

/// The pager of one page of a listing, for the page's view (`paging`).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Paging {
    /// Whether the listing has more than one page, and so a pager to show.
    pub paged: bool,
    /// This page's number, from 1, and how many pages there are.
    pub number: usize,
    pub count: usize,
    /// The pager's accessible name (`施策一覧のページ`).
    pub label: String,
    /// The listing's entries on every page, and the first and last on this one (from 1).
    pub total: usize,
    pub first_item: usize,
    pub last_item: usize,
    pub pages: Vec<PageLink>,
    /// Links to the previous and next page, if any.
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

impl Paging {
    /// The pager of page `index` (from 0) of `count` pages of the listing at `first`, whose
    /// pages hold `size` of its `total` entries each; `label` names the pager.
    pub(crate) fn new(
        first: &Route,
        index: usize,
        count: usize,
        size: usize,
        total: usize,
        label: &str,
    ) -> Paging {
        let count = count.max(1);
        let here = first.paged(index + 1);
        let href = |n: usize| url::relative(&here, first.paged(n).as_str());
        let number = index + 1;
        Paging {
            paged: count > 1,
            number,
            count,
            label: label.to_string(),
            total,
            first_item: (index * size + 1).min(total),
            last_item: ((index + 1) * size).min(total),
            pages: (1..=count)
                .map(|n| PageLink {
                    number: n,
                    href: href(n),
                    current: n == number,
                })
                .collect(),
            prev: (number > 1).then(|| href(number - 1)),
            next: (number < count).then(|| href(number + 1)),
        }
    }

    /// The route of this page of the listing at `first`.
    pub(crate) fn route(&self, first: &Route) -> Route {
        first.paged(self.number)
    }

    /// A page's title: the listing's, with the page number from page 2 on
    /// (`施策一覧（2/5ページ）`, `All measures (page 2 of 5)`), so that each page of a
    /// listing has its own `<title>`.
    pub(crate) fn title_in(&self, ui: &Ui, title: &str) -> String {
        if self.number > 1 {
            ui.fill(
                "paging.title",
                &[
                    ("title", title),
                    ("number", &self.number.to_string()),
                    ("count", &self.count.to_string()),
                ],
            )
        } else {
            title.to_string()
        }
    }

    /// [`Paging::title_in`] in Japanese, for the pages that do not have their language's
    /// table at hand.
    pub(crate) fn title(&self, title: &str) -> String {
        static JAPANESE: OnceLock<Ui> = OnceLock::new();
        let ui = JAPANESE.get_or_init(|| Ui::default_for(Language::Japanese));
        self.title_in(ui, title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_page_has_no_pager_and_keeps_the_address() {
        let first = Route::measures();
        let p = Paging::new(&first, 0, 1, 100, 31, "施策一覧のページ");
        assert!(!p.paged);
        assert_eq!(p.route(&first), first);
        assert_eq!(p.title("施策一覧"), "施策一覧");
        assert_eq!((p.prev, p.next), (None, None));
        assert_eq!(split(&[1, 2, 3], 100), vec![&[1, 2, 3][..]]);
        let none: &[u8] = &[];
        assert_eq!(split(none, 100), vec![none]);
    }

    #[test]
    fn later_pages_live_below_the_first_and_link_each_other() {
        let first = Route::measures();
        assert_eq!(split(&[1, 2, 3, 4, 5], 2).len(), 3);
        let p = Paging::new(&first, 1, 3, 2, 5, "施策一覧のページ");
        assert!(p.paged);
        assert_eq!(p.route(&first).as_str(), "measures/page_2/");
        assert_eq!(p.title("施策一覧"), "施策一覧（2/3ページ）");
        let en = Ui::default_for(Language::English);
        assert_eq!(
            p.title_in(&en, "All measures"),
            "All measures (page 2 of 3)"
        );
        assert_eq!((p.first_item, p.last_item), (3, 4));
        assert_eq!(p.prev.as_deref(), Some("../../measures/"));
        assert_eq!(p.next.as_deref(), Some("../../measures/page_3/"));
        let current: Vec<usize> = p
            .pages
            .iter()
            .filter(|l| l.current)
            .map(|l| l.number)
            .collect();
        assert_eq!(current, [2]);
        assert_eq!(p.pages[0].href, "../../measures/");
        let last = Paging::new(&first, 2, 3, 2, 5, "x");
        assert_eq!((last.first_item, last.last_item), (5, 5));
        assert_eq!(
            (last.prev.as_deref(), last.next),
            (Some("../../measures/page_2/"), None)
        );
        let one = Paging::new(&first, 0, 3, 2, 5, "x");
        assert_eq!(
            (one.prev, one.next.as_deref()),
            (None, Some("../measures/page_2/"))
        );
        // No measure ID holds `_`: a page of the index is never taken for a measure.
        assert_eq!(url::measure_dir_of("measures/page_2/index.html"), None);
        assert!(!url::is_valid_id("page_2"));
    }
}
