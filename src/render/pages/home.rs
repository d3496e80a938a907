//! The home page: the plan's philosophy, the status summary of every KPI, the latest year's
//! activity plans, and the policies with their measures (or only their counts, on a large
//! plan).

use serde::Serialize;

use super::shared::{
    block, escape, lang_in_plan, period_label, policy_blocks, summary, text_html, unsorted_cards,
    untraced_lang, Cards, PolicyBlock,
};
use super::{Page, TermUse};
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::interface::Ui;
use crate::markdown;
use crate::model::Site;
use crate::render::view::activity::{latest_summary_in, ActivitySummary};
use crate::render::view::lang_of;
use crate::render::view::{MeasureCard, SummaryView};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct HomeView {
    /// Empty for a plan without a 基本理念; with the note that it is in Japanese only where
    /// it is.
    philosophy_html: String,
    /// `Some("ja")` when the page's heading (the site's title) is shown in Japanese on a page
    /// in another language: the note then follows it.
    title_lang: Option<&'static str>,
    /// The lead paragraph's sentence, in the page's language.
    lead_html: String,
    /// 「現在の計画は…です。」 when another plan is current.
    current_html: Option<String>,
    /// What an ended plan's status line says after its badge.
    ended_html: Option<String>,
    /// The sentence of a plan whose home page shows only each policy's count.
    counted_only_html: String,
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
    /// `Some("ja")` when the title is shown in Japanese on a page in another language.
    title_lang: Option<&'static str>,
    period_label: String,
    /// The period in the page's language, as HTML.
    period_html: String,
    /// 「（令和4年度〜令和8年度、31施策）」 in the page's language, as HTML.
    facts_html: String,
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
fn plan_links(site: &Site, ui: &Ui, route: &Route) -> Vec<PlanLink> {
    (site.plan_list.iter())
        .map(|p| {
            let period_html = plan_period_html(site, ui, &p.prefix, &p.period_label);
            PlanLink {
                title: p.title.clone(),
                title_lang: lang_in_plan(site, &p.prefix, "plan.title", &p.title),
                facts_html: ui.fill_html_raw(
                    "home.plan_entry",
                    &[
                        ("period", &period_html),
                        ("count", &p.measure_count.to_string()),
                    ],
                ),
                period_html,
                period_label: p.period_label.clone(),
                ended: p.ended,
                current: p.current,
                this: p.prefix == site.prefix,
                measure_count: p.measure_count,
                href: url::across_plans(route, &site.prefix, &p.prefix, ""),
            }
        })
        .collect()
}

/// The period of the plan at `prefix` in the page's language: this plan's or another's that
/// this plan holds, else the entry's Japanese label, marked as Japanese where it is.
fn plan_period_html(site: &Site, ui: &Ui, prefix: &str, label: &str) -> String {
    match site.plans().into_iter().find(|p| p.prefix == prefix) {
        Some(plan) => escape(&period_label(plan, ui)),
        None => text_html(label, untraced_lang(site, label)),
    }
}

/// An ended plan's final state: the last year with a reported result.
fn ended(site: &Site, ui: &Ui) -> Option<EndedView> {
    if !site.plan.ended {
        return None;
    }
    Some(EndedView {
        last_reported: last_reported(site).map(|y| super::shared::plan_year_label(site, ui, y)),
    })
}

/// The last fiscal year any KPI has a result for.
fn last_reported(site: &Site) -> Option<crate::fiscal::FiscalYear> {
    (site.measures.iter())
        .flat_map(|m| &m.kpis)
        .flat_map(|k| k.actual.iter())
        .filter(|(_, cell)| !cell.is_empty())
        .map(|(year, _)| *year)
        .max()
}

/// What the status line of an ended plan says after its badge: that the period ended, and
/// up to which year the results go.
fn ended_html(ui: &Ui, period: &str, ended: &EndedView) -> String {
    match &ended.last_reported {
        Some(year) => ui.fill_html(
            "home.ended_last_reported",
            &[("period", period), ("year", year)],
        ),
        None => ui.fill_html("home.ended_as_of_end", &[("period", period)]),
    }
}

/// The plan as the lead sentence names it: 「木更津市の「計画」」, or only 「「木更津市…計画」」
/// when the title names the city already; the title and the city marked by their language.
fn plan_quoted_html(site: &Site, ui: &Ui) -> String {
    let plan = text_html(&site.plan.title, lang_of(site, "plan.title"));
    match site.title_names_city() {
        true => ui.fill_html_raw("home.plan_quoted", &[("plan", &plan)]),
        false => {
            let city = text_html(&site.config.city, lang_of(site, "plan.city"));
            ui.fill_html_raw("home.plan_of_city", &[("city", &city), ("plan", &plan)])
        }
    }
}

/// The lead paragraph's sentence: what the site publishes of which plan, and its period.
fn lead_html(site: &Site, ui: &Ui) -> String {
    let plan = plan_quoted_html(site, ui);
    let period = escape(&period_label(site, ui));
    let measures = site.measures.len().to_string();
    match site.kpi_count() {
        0 => ui.fill_html_raw(
            "home.lead_no_kpis",
            &[
                ("plan", &plan),
                ("measures", &measures),
                ("period", &period),
            ],
        ),
        kpis => ui.fill_html_raw(
            "home.lead",
            &[
                ("plan", &plan),
                ("measures", &measures),
                ("kpis", &kpis.to_string()),
                ("period", &period),
            ],
        ),
    }
}

pub(crate) fn page(site: &Site, ui: &Ui, linker: &Linker) -> Page<HomeView> {
    let route = Route::home();
    let mut terms = PageTerms::new(linker, &route);
    let philosophy_html = (site.plan.philosophy.as_deref())
        .map(|p| markdown::to_html_with_terms(p, 3, &mut terms, site.config.raw_html))
        .map(|html| block(ui, html, lang_of(site, "plan.philosophy")))
        .unwrap_or_default();
    // Back-links point at the philosophy only; policy summaries have their own pages.
    let used = TermUse::of(UsedOn::home(), &terms);
    let cards = Cards::for_site(site, Cards::Count);
    let policies = policy_blocks(site, ui, &route, &mut terms, cards);
    // A plan without policies lists its measures here, as cards (brief on a large plan).
    let measures = unsorted_cards(site, ui, &route, Cards::for_site(site, Cards::Brief));
    let scope = ui.plain("nav.whole_plan");
    let (summary, file) = summary(site, ui, site.measures.iter(), &scope, &route).unzip();
    let measures_href = url::relative(&route, Route::measures().as_str());
    let plans = plan_links(site, ui, &route);
    let current = plan_links(site, ui, &route)
        .into_iter()
        .find(|p| p.current && !p.this);
    let ended = ended(site, ui);
    let period = period_label(site, ui);
    let view = HomeView {
        philosophy_html,
        title_lang: lang_of(site, "plan.site_title"),
        lead_html: lead_html(site, ui),
        current_html: current.as_ref().map(|c| {
            let link = format!(
                "<a href=\"{}\">{}</a>",
                escape(&c.href),
                text_html(&c.title, c.title_lang)
            );
            ui.fill_html_raw(
                "home.current_plan",
                &[("plan", &link), ("period", &c.period_html)],
            )
        }),
        ended_html: ended.as_ref().map(|e| ended_html(ui, &period, e)),
        counted_only_html: ui.fill_html_raw(
            "home.policies_counted_only",
            &[(
                "link",
                &format!(
                    "<a href=\"{}\">{}</a>",
                    escape(&measures_href),
                    ui.html("nav.measures")
                ),
            )],
        ),
        plan_quoted: match site.title_names_city() {
            true => format!("「{}」", site.plan.title),
            false => format!("{}の「{}」", site.config.city, site.plan.title),
        },
        policies,
        measures,
        cards_listed: cards == Cards::Full,
        measures_href,
        measure_count: site.measures.len(),
        kpi_count: site.kpi_count(),
        activity: latest_summary_in(site, ui, &route),
        summary,
        plans,
        current,
        ended,
    };
    let description = description(site, ui);
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
fn description(site: &Site, ui: &Ui) -> String {
    let plan = &site.plan;
    let mut named = match site.title_names_city() {
        true => plan.title.clone(),
        false => ui.fill(
            "home.description_plan",
            &[("city", &site.config.city), ("plan", &plan.title)],
        ),
    };
    if let Some(r) = plan.revision.as_deref().filter(|r| !r.trim().is_empty()) {
        named = ui.fill(
            "home.description_revision",
            &[("plan", &named), ("revision", r.trim())],
        );
    }
    match site.has_kpis() {
        true => ui.fill("home.description", &[("plan", &named)]),
        false => ui.fill("home.description_no_kpis", &[("plan", &named)]),
    }
}
