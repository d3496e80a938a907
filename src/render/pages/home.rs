//! The home page: the plan's philosophy, the status summary of every KPI, the latest year's
//! activity plans, and the policies with their measures (or only their counts, on a large
//! plan).

use serde::Serialize;

use super::shared::{policy_blocks, summary, Cards, PolicyBlock};
use super::{Page, TermUse};
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::markdown;
use crate::model::Site;
use crate::render::view::activity::{latest_summary, ActivitySummary};
use crate::render::view::SummaryView;
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct HomeView {
    philosophy_html: String,
    policies: Vec<PolicyBlock>,
    /// Whether each policy lists its measures' cards, or only their count.
    cards_listed: bool,
    measures_href: String,
    measure_count: usize,
    kpi_count: usize,
    activity: Option<ActivitySummary>,
    summary: Option<SummaryView>,
}

pub(crate) fn page(site: &Site, linker: &Linker) -> Page<HomeView> {
    let route = Route::home();
    let mut terms = PageTerms::new(linker, &route);
    let philosophy_html =
        markdown::to_html_with_terms(&site.plan.philosophy, 3, &mut terms, site.config.raw_html);
    // Back-links point at the philosophy only; policy summaries have their own pages.
    let used = TermUse::of(UsedOn::home(), &terms);
    let cards = Cards::for_site(site, Cards::Count);
    let policies = policy_blocks(site, &route, &mut terms, cards);
    let (summary, file) = summary(site, site.measures.iter(), "計画全体", &route).unzip();
    let view = HomeView {
        philosophy_html,
        policies,
        cards_listed: cards == Cards::Full,
        measures_href: url::relative(&route, Route::measures().as_str()),
        measure_count: site.measures.len(),
        kpi_count: site.measures.iter().map(|m| m.kpis.len()).sum(),
        activity: latest_summary(site, &route),
        summary,
    };
    let description = format!(
        "{}の{}（{}）の施策と成果目標の進み具合を公開しています。",
        site.config.city,
        site.plan.title,
        site.plan.revision.clone().unwrap_or_default()
    );
    Page::new(
        route,
        "index.html",
        site.config.title.clone(),
        description,
        view,
    )
    .breadcrumbs(Vec::new())
    .files(file.into_iter().collect())
    .uses(used)
}
