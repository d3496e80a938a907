//! A page of the site's own Markdown (background, policies, about, accessibility…).

use serde::Serialize;

use super::{Page, TermUse};
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::interface::Ui;
use crate::markdown;
use crate::model::Site;
use crate::render::view::{fallback_block, lang_of};
use crate::url::Route;

#[derive(Serialize)]
pub(crate) struct NarrativeView {
    /// The body; in another language's tree, when no translation gives it, the Japanese body
    /// with the note that it is in Japanese only ([`fallback_block`]).
    body_html: String,
    /// `Some("ja")` when the title is shown in Japanese in another language's tree.
    title_lang: Option<&'static str>,
}

/// The page of `p`, the page at `index` in the site's navigation.
pub(crate) fn page(
    site: &Site,
    ui: &Ui,
    index: usize,
    p: &crate::model::Page,
    linker: &Linker,
) -> Page<NarrativeView> {
    let route = Route::page(&p.slug);
    let mut terms = PageTerms::new(linker, &route);
    let body_html = markdown::to_html_with_terms(&p.body, 2, &mut terms, site.config.raw_html);
    let body_html = match lang_of(site, &format!("page.{}.body", p.slug)) {
        Some(_) => fallback_block(ui, &body_html),
        None => body_html,
    };
    let description = p
        .description
        .clone()
        .unwrap_or_else(|| markdown::to_plain_text(&p.body, 120));
    Page::new(
        route,
        "page.html",
        p.title.clone(),
        description,
        NarrativeView {
            body_html,
            title_lang: lang_of(site, &format!("page.{}.title", p.slug)),
        },
    )
    .breadcrumbs(vec![(ui.plain("nav.home"), Route::home())])
    .uses(TermUse::of(UsedOn::page(index, &p.slug, &p.title), &terms))
    .draft(&p.publication)
}
