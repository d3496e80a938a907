//! The page of each policy: its summary, the status summary of its KPIs and its measures.

use crate::interface::Ui;
use serde::Serialize;

use super::shared::{summary, Pager};
use super::{Page, TermUse};
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::markdown;
use crate::model::{Measure, Policy, Site};
use crate::render::paging::{self, Paging};
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
    paging: Paging,
}

/// The pages of `p`, the policy at `index` in the plan: its measures in pages of
/// `page_size`, the summary and its chart on the first page. Made one at a time, as they are
/// rendered.
pub(crate) fn pages<'a>(
    site: &'a Site,
    ui: &'a Ui,
    index: usize,
    p: &'a Policy,
    linker: &'a Linker,
) -> impl Iterator<Item = Page<PolicyView>> + 'a {
    let first = Route::policy(p.number);
    let size = site.config.page_size;
    let of_policy: Vec<&Measure> = site
        .measures
        .iter()
        .filter(|m| m.policy == Some(p.number))
        .collect();
    let count = paging::split(&of_policy, size).len();
    (0..count).map(move |i| {
        let chunk = paging::split(&of_policy, size)[i];
        let paging = Paging::new(
            &first,
            i,
            count,
            size,
            of_policy.len(),
            &format!("方針{}の施策のページ", p.number),
        );
        page(site, ui, index, p, linker, chunk, paging)
    })
}

#[allow(clippy::too_many_arguments)] // the page's parts, each needed once
fn page(
    site: &Site,
    ui: &Ui,
    index: usize,
    p: &Policy,
    linker: &Linker,
    measures: &[&Measure],
    paging: Paging,
) -> Page<PolicyView> {
    let first = Route::policy(p.number);
    let route = paging.route(&first);
    let mut terms = PageTerms::new(linker, &route);
    let summary_html =
        markdown::to_html_with_terms(&p.summary, 3, &mut terms, site.config.raw_html);
    let of_policy = || site.measures.iter().filter(|m| m.policy == Some(p.number));
    let cards: Vec<MeasureCard> = measures
        .iter()
        .map(|m| measure_card(ui, site, m, &route, &site.config.achievement))
        .collect();
    // The status summary of the whole policy, once: on its first page.
    let (summary, file) = if paging.number == 1 {
        summary(site, ui, of_policy(), &format!("方針{}", p.number), &route).unzip()
    } else {
        (None, None)
    };
    let pager = Pager::of(index, |j| {
        site.plan.policies.get(j).map(|q| Link {
            label: format!("方針{} {}", q.number, q.title),
            href: url::relative(&route, Route::policy(q.number).as_str()),
        })
    });
    let title = paging.title(&format!("方針{} {}", p.number, p.title));
    let first_page = paging.number == 1;
    let view = PolicyView {
        policy_number: p.number,
        policy_title: p.title.clone(),
        summary_html,
        measure_count: paging.total,
        measures: cards,
        summary,
        pager,
        paging,
    };
    let page = Page::new(
        route,
        "policy.html",
        title,
        markdown::to_plain_text(&p.summary, 120),
        view,
    )
    .files(file.into_iter().collect());
    if first_page {
        // The policy's text is the same on every page: its use is recorded once, for the
        // glossary's back-link to the policy.
        page.uses(TermUse::of(UsedOn::policy(p.number, &p.title), &terms))
    } else {
        page
    }
}
