//! The measures index: every measure by policy, as cards (without results on a large plan).

use serde::Serialize;

use super::shared::{policy_blocks, unsorted_cards, Cards, PolicyBlock};
use super::Page;
use crate::glossary::{Linker, PageTerms};
use crate::model::Site;
use crate::render::view::MeasureCard;
use crate::url::Route;

#[derive(Serialize)]
pub(crate) struct MeasuresView {
    policies: Vec<PolicyBlock>,
    /// The measures of a plan without policies, listed directly.
    measures: Vec<MeasureCard>,
    /// Whether the cards show each KPI's latest result.
    results_listed: bool,
}

pub(crate) fn page(site: &Site, linker: &Linker) -> Page<MeasuresView> {
    let route = Route::measures();
    let mut terms = PageTerms::new(linker, &route);
    let cards = Cards::for_site(site, Cards::Brief);
    let view = MeasuresView {
        policies: policy_blocks(site, &route, &mut terms, cards),
        measures: unsorted_cards(site, &route, cards),
        results_listed: cards == Cards::Full,
    };
    let description = match site.plan.policies.is_empty() {
        false => format!(
            "{}の全{}施策の一覧（基本方針別）",
            site.plan.title,
            site.measures.len()
        ),
        true => format!("{}の全{}施策の一覧", site.plan.title, site.measures.len()),
    };
    Page::new(route, "measures.html", "施策一覧".into(), description, view)
}
