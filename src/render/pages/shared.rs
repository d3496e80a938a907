//! View pieces that several page kinds show: the policies with their measures (home page,
//! measures index), the status summary of a set of KPIs (home and policy pages) and the
//! pager to the previous and next page of a kind.

use crate::interface::Ui;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::glossary::PageTerms;
use crate::kpi::achievement;
use crate::markdown;
use crate::model::{Kpi, Measure, Site};
use crate::output::Output;
use crate::render::charts;
use crate::render::view::{brief_card, measure_card, Link, MeasureCard, SummaryRow, SummaryView};
use crate::url::{self, Route};

/// The pages that gather every measure of the plan — the home page and the measures index —
/// show each measure's card with its latest results while the plan has at most this many
/// measures (a city's plan has 30–100). Beyond that the home page gives each policy's count
/// and a link to the policy page, and the index lists each measure by ID, title and
/// department only: at ten thousand measures the full cards were 16.6 MB per page, which a
/// phone must load before it shows anything. Policy and measure pages always show results.
pub const CARD_LIMIT: usize = 100;

/// How much of each measure a page that gathers them all shows (see [`CARD_LIMIT`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cards {
    /// Cards with the latest results of each KPI.
    Full,
    /// Cards without results.
    Brief,
    /// Only the number of measures per policy.
    Count,
}

impl Cards {
    /// [`Cards::Full`] up to [`CARD_LIMIT`] measures, `large` beyond.
    pub(crate) fn for_site(site: &Site, large: Cards) -> Cards {
        match site.measures.len() <= CARD_LIMIT {
            true => Cards::Full,
            false => large,
        }
    }
}

/// A policy with its measures, as the home page and the measures index list it.
#[derive(Serialize)]
pub(crate) struct PolicyBlock {
    number: u32,
    title: String,
    href: String,
    summary_html: String,
    measure_count: usize,
    /// Whether the policy has measures to link to where only the count is shown.
    has_measures: bool,
    /// Empty when the page shows only the count ([`Cards::Count`]).
    measures: Vec<MeasureCard>,
}

impl PolicyBlock {
    /// Whether the block lists any measure (a page of a long listing leaves out the rest).
    pub(crate) fn has_measures(&self) -> bool {
        self.has_measures
    }
}

/// Every policy of the plan for a page at `from`, its summary linked through `terms`.
pub(crate) fn policy_blocks(
    site: &Site,
    ui: &Ui,
    from: &Route,
    terms: &mut PageTerms,
    cards: Cards,
) -> Vec<PolicyBlock> {
    policy_blocks_of(site, ui, &site.measures, from, terms, cards)
}

/// The policies of the plan with those of `measures` that are theirs: one page of a listing
/// that runs to several.
pub(crate) fn policy_blocks_of(
    site: &Site,
    ui: &Ui,
    measures: &[Measure],
    from: &Route,
    terms: &mut PageTerms,
    cards: Cards,
) -> Vec<PolicyBlock> {
    let rules = &site.config.achievement;
    let card = |m: &Measure| match cards {
        Cards::Full => measure_card(ui, site, m, from, rules),
        Cards::Brief | Cards::Count => brief_card(ui, m, from),
    };
    site.plan
        .policies
        .iter()
        .map(|p| {
            let of_policy = || measures.iter().filter(|m| m.policy == Some(p.number));
            let measure_count = of_policy().count();
            PolicyBlock {
                number: p.number,
                title: p.title.clone(),
                href: url::relative(from, Route::policy(p.number).as_str()),
                summary_html: markdown::to_html_with_terms(
                    &p.summary,
                    4,
                    terms,
                    site.config.raw_html,
                ),
                measure_count,
                has_measures: measure_count > 0,
                measures: match cards {
                    Cards::Count => Vec::new(),
                    Cards::Full | Cards::Brief => of_policy().map(card).collect(),
                },
            }
        })
        .collect()
}

/// The measures of a plan without policies, listed directly (the home page and the measures
/// index); empty for a plan with policies, whose measures are in [`policy_blocks`].
pub(crate) fn unsorted_cards(site: &Site, ui: &Ui, from: &Route, cards: Cards) -> Vec<MeasureCard> {
    unsorted_cards_of(site, ui, &site.measures, from, cards)
}

/// [`unsorted_cards`] of `measures` only: one page of a listing that runs to several.
pub(crate) fn unsorted_cards_of(
    site: &Site,
    ui: &Ui,
    measures: &[Measure],
    from: &Route,
    cards: Cards,
) -> Vec<MeasureCard> {
    if !site.plan.policies.is_empty() {
        return Vec::new();
    }
    let rules = &site.config.achievement;
    match cards {
        Cards::Full => (measures.iter())
            .map(|m| measure_card(ui, site, m, from, rules))
            .collect(),
        Cards::Brief | Cards::Count => measures.iter().map(|m| brief_card(ui, m, from)).collect(),
    }
}

/// The status summary (chart and table) of the KPIs of `measures`, for a page at `route`,
/// and the chart's file; `None` when they have no KPIs.
pub(crate) fn summary<'a>(
    site: &Site,
    ui: &Ui,
    measures: impl Iterator<Item = &'a Measure>,
    scope: &str,
    route: &Route,
) -> Option<(SummaryView, Output)> {
    let kpis: Vec<&Kpi> = measures.flat_map(|m| m.kpis.iter()).collect();
    if kpis.is_empty() {
        return None;
    }
    let rules = &site.config.achievement;
    let counts: BTreeMap<_, _> = site
        .plan
        .period
        .years()
        .into_iter()
        .map(|y| (y, achievement::count(kpis.iter().copied(), y, rules)))
        .collect();
    let (rendered, title, _) =
        charts::summary::render(ui, &counts, kpis.len(), rules, "summary-chart", scope);
    let (chart, file) = charts::publish(ui, rendered, title, route.as_str(), "summary.svg");
    let rows = charts::summary::shown_statuses(&counts, rules)
        .into_iter()
        .map(|s| SummaryRow {
            key: s.key(),
            label: crate::kpi::sentence::summary_word_in(ui, s, rules),
            icon: charts::icons::html(s),
            counts: counts
                .values()
                .map(|c| c.get(&s).copied().unwrap_or(0))
                .collect(),
        })
        .collect();
    let view = SummaryView {
        chart,
        caption: ui.fill("kpi.summary_caption", &[("count", &kpis.len().to_string())]),
        total: kpis.len(),
        years: counts
            .keys()
            .map(|y| crate::fiscal::words::year(ui, *y))
            .collect(),
        rows,
    };
    Some((view, file))
}

/// Links to the previous and next page of a kind, flattened into the page's view.
#[derive(Serialize)]
pub(crate) struct Pager {
    prev: Option<Link>,
    next: Option<Link>,
    /// Whether there is either, and so a pager to show.
    has_pager: bool,
}

impl Pager {
    /// The pager of item `index` of a list, given the link to any item of it.
    pub(crate) fn of(index: usize, link: impl Fn(usize) -> Option<Link>) -> Pager {
        let prev = index.checked_sub(1).and_then(&link);
        let next = link(index + 1);
        Pager {
            has_pager: prev.is_some() || next.is_some(),
            prev,
            next,
        }
    }
}
