//! The page of each policy: its summary, the status summary of its KPIs and its measures.

use serde::Serialize;

use super::shared::{summary, Pager};
use super::{Page, TermUse};
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::markdown;
use crate::model::{Policy, Site};
use crate::render::view::{measure_card, Link, MeasureCard, SummaryView};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct PolicyView {
    policy_number: u32,
    policy_title: String,
    summary_html: String,
    measure_count: usize,
    measures: Vec<MeasureCard>,
    summary: Option<SummaryView>,
    #[serde(flatten)]
    pager: Pager,
}

/// The page of `p`, the policy at `index` in the plan.
pub(crate) fn page(site: &Site, index: usize, p: &Policy, linker: &Linker) -> Page<PolicyView> {
    let route = Route::policy(p.number);
    let mut terms = PageTerms::new(linker, &route);
    let summary_html =
        markdown::to_html_with_terms(&p.summary, 3, &mut terms, site.config.raw_html);
    let of_policy = || site.measures.iter().filter(|m| m.policy == Some(p.number));
    let measures: Vec<MeasureCard> = of_policy()
        .map(|m| measure_card(m, &route, &site.config.achievement))
        .collect();
    let (summary, file) = summary(site, of_policy(), &format!("方針{}", p.number), &route).unzip();
    let pager = Pager::of(index, |j| {
        site.plan.policies.get(j).map(|q| Link {
            label: format!("方針{} {}", q.number, q.title),
            href: url::relative(&route, Route::policy(q.number).as_str()),
        })
    });
    let view = PolicyView {
        policy_number: p.number,
        policy_title: p.title.clone(),
        summary_html,
        measure_count: measures.len(),
        measures,
        summary,
        pager,
    };
    Page::new(
        route,
        "policy.html",
        format!("方針{} {}", p.number, p.title),
        markdown::to_plain_text(&p.summary, 120),
        view,
    )
    .files(file.into_iter().collect())
    .uses(TermUse::of(UsedOn::policy(p.number, &p.title), &terms))
}
