//! The measures index: every measure by policy, as cards (without results on a large plan),
//! in pages of `page_size` measures (crate::render::paging).

use serde::Serialize;

use super::shared::{policy_blocks_of, unsorted_cards_of, Cards, PolicyBlock};
use super::Page;
use crate::glossary::{Linker, PageTerms};
use crate::interface::Ui;
use crate::model::Site;
use crate::render::paging::{self, Paging};
use crate::render::view::MeasureCard;
use crate::url::Route;

#[derive(Serialize)]
pub(crate) struct MeasuresView {
    policies: Vec<PolicyBlock>,
    /// The measures of a plan without policies, listed directly.
    measures: Vec<MeasureCard>,
    /// Whether the cards show each KPI's latest result.
    results_listed: bool,
    paging: Paging,
}

/// The pages of the index, made one at a time as they are rendered.
pub(crate) fn pages<'a>(
    site: &'a Site,
    ui: &'a Ui,
    linker: &'a Linker,
) -> impl Iterator<Item = Page<MeasuresView>> + 'a {
    let size = site.config.page_size;
    let chunks = paging::split(&site.measures, size);
    let count = chunks.len();
    let first = Route::measures();
    chunks.into_iter().enumerate().map(move |(i, chunk)| {
        let paging = Paging::new(
            &first,
            i,
            count,
            size,
            site.measures.len(),
            &ui.plain("measure.list_pager"),
        );
        let route = paging.route(&first);
        let mut terms = PageTerms::new(linker, &route);
        let cards = Cards::for_site(site, Cards::Brief);
        let mut policies = policy_blocks_of(site, ui, chunk, &route, &mut terms, cards);
        if paging.paged {
            // A page lists the policies of its own measures only.
            policies.retain(PolicyBlock::has_measures);
        }
        let key = match site.plan.policies.is_empty() {
            false => "measure.list_description",
            true => "measure.list_description_unsorted",
        };
        let description = ui.fill(
            key,
            &[
                ("plan", &site.plan.title),
                ("count", &site.measures.len().to_string()),
            ],
        );
        let title = paging.title_in(ui, &ui.plain("nav.measures"));
        let view = MeasuresView {
            policies,
            measures: unsorted_cards_of(site, ui, chunk, &route, cards),
            results_listed: cards == Cards::Full,
            paging,
        };
        Page::new(route, "measures.html", title, description, view)
            .breadcrumbs(vec![(ui.plain("nav.home"), Route::home())])
    })
}
