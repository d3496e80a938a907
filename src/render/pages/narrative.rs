//! A page of the site's own Markdown (background, policies, about, accessibility…).

use serde::Serialize;

use super::{Page, TermUse};
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::markdown;
use crate::model::Site;
use crate::url::Route;

#[derive(Serialize)]
pub(crate) struct NarrativeView {
    body_html: String,
}

/// The page of `p`, the page at `index` in the site's navigation.
pub(crate) fn page(
    site: &Site,
    index: usize,
    p: &crate::model::Page,
    linker: &Linker,
) -> Page<NarrativeView> {
    let route = Route::page(&p.slug);
    let mut terms = PageTerms::new(linker, &route);
    let body_html = markdown::to_html_with_terms(&p.body, 2, &mut terms, site.config.raw_html);
    let description = p
        .description
        .clone()
        .unwrap_or_else(|| markdown::to_plain_text(&p.body, 120));
    Page::new(
        route,
        "page.html",
        p.title.clone(),
        description,
        NarrativeView { body_html },
    )
    .uses(TermUse::of(UsedOn::page(index, &p.slug, &p.title), &terms))
    .draft(&p.publication)
}
