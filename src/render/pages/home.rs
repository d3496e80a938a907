//! The home page: the plan's philosophy, the status summary of every KPI, the latest year's
//! activity plans, and the policies with their measures (or only their counts, on a large
//! plan).

use crate::interface::Ui;
use serde::Serialize;

use super::shared::{policy_blocks, summary, unsorted_cards, Cards, PolicyBlock};
use super::{Page, TermUse};
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::markdown;
use crate::model::Site;
use crate::render::view::activity::{latest_summary, ActivitySummary};
use crate::render::view::{MeasureCard, SummaryView};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct HomeView {
    /// Empty for a plan without a 基本理念.
    philosophy_html: String,
    /// The plan as the lead sentence names it: 「木更津市の「計画」」, or only 「「木更津市…計画」」
    /// when the title names the city already.
    plan_quoted: String,
    policies: Vec<PolicyBlock>,
    /// The measures of a plan without policies, listed directly.
    measures: Vec<MeasureCard>,
    /// Whether each policy lists its measures' cards, or only their count.
    cards_listed: bool,
    measures_href: String,
    measure_count: usize,
    kpi_count: usize,
    activity: Option<ActivitySummary>,
    summary: Option<SummaryView>,
    /// Every plan of a site of several plans (this one included); empty otherwise.
    plans: Vec<PlanLink>,
    /// The plan the site presents as current, when it is not this one.
    current: Option<PlanLink>,
    /// Set for an ended plan: what its final state is (計画期間終了).
    ended: Option<EndedView>,
}

/// One plan in the home page's list of the site's plans.
#[derive(Serialize)]
struct PlanLink {
    title: String,
    period_label: String,
    ended: bool,
    current: bool,
    /// Whether it is the plan of this home page.
    this: bool,
    measure_count: usize,
    href: String,
}

/// The final state of an ended plan, said at the top of its home page.
#[derive(Serialize)]
struct EndedView {
    /// The last fiscal year any KPI has a result for, as the plan writes it.
    last_reported: Option<String>,
}

/// The site's plans as `site`'s home page lists them, each linked from there.
fn plan_links(site: &Site, route: &Route) -> Vec<PlanLink> {
    (site.plan_list.iter())
        .map(|p| PlanLink {
            title: p.title.clone(),
            period_label: p.period_label.clone(),
            ended: p.ended,
            current: p.current,
            this: p.prefix == site.prefix,
            measure_count: p.measure_count,
            href: url::across_plans(route, &site.prefix, &p.prefix, ""),
        })
        .collect()
}

/// An ended plan's final state: the last year with a reported result.
fn ended(site: &Site) -> Option<EndedView> {
    if !site.plan.ended {
        return None;
    }
    let last = (site.measures.iter())
        .flat_map(|m| &m.kpis)
        .flat_map(|k| k.actual.iter())
        .filter(|(_, cell)| !cell.is_empty())
        .map(|(year, _)| *year)
        .max();
    Some(EndedView {
        last_reported: last.map(|y| site.plan.year_label(y)),
    })
}

pub(crate) fn page(site: &Site, ui: &Ui, linker: &Linker) -> Page<HomeView> {
    let route = Route::home();
    let mut terms = PageTerms::new(linker, &route);
    let philosophy_html = (site.plan.philosophy.as_deref())
        .map(|p| markdown::to_html_with_terms(p, 3, &mut terms, site.config.raw_html))
        .unwrap_or_default();
    // Back-links point at the philosophy only; policy summaries have their own pages.
    let used = TermUse::of(UsedOn::home(), &terms);
    let cards = Cards::for_site(site, Cards::Count);
    let policies = policy_blocks(site, ui, &route, &mut terms, cards);
    // A plan without policies lists its measures here, as cards (brief on a large plan).
    let measures = unsorted_cards(site, ui, &route, Cards::for_site(site, Cards::Brief));
    let (summary, file) = summary(site, ui, site.measures.iter(), "計画全体", &route).unzip();
    let view = HomeView {
        philosophy_html,
        plan_quoted: match site.title_names_city() {
            true => format!("「{}」", site.plan.title),
            false => format!("{}の「{}」", site.config.city, site.plan.title),
        },
        policies,
        measures,
        cards_listed: cards == Cards::Full,
        measures_href: url::relative(&route, Route::measures().as_str()),
        measure_count: site.measures.len(),
        kpi_count: site.kpi_count(),
        activity: latest_summary(site, &route),
        summary,
        plans: plan_links(site, &route),
        current: plan_links(site, &route)
            .into_iter()
            .find(|p| p.current && !p.this),
        ended: ended(site),
    };
    let description = description(site);
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

/// The home page's description: what the plan is and what the site shows of it — its
/// revision only when it has one, the city only when the title does not already name it,
/// and KPIs only when the plan has them.
fn description(site: &Site) -> String {
    let plan = &site.plan;
    let mut named = site.plan_with_city("の");
    if let Some(r) = plan.revision.as_deref().filter(|r| !r.trim().is_empty()) {
        named.push_str(&format!("（{}）", r.trim()));
    }
    match site.has_kpis() {
        true => format!("{named}の施策と成果目標の進み具合を公開しています。"),
        false => format!("{named}の施策を公開しています。"),
    }
}
