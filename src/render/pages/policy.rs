//! The page of each policy: its summary, the status summary of its KPIs and its measures.

use serde::Serialize;

use super::shared::{block, card, policy_heading, policy_heading_html, summary, Pager};
use super::{Page, TermUse};
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::interface::Ui;
use crate::markdown;
use crate::model::{Measure, Policy, Site};
use crate::render::paging::{self, Paging};
use crate::render::view::{lang_of, Link, MeasureCard, SummaryView};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct PolicyView {
    policy_number: u32,
    policy_title: String,
    /// `Some("ja")` when the policy's title is shown in Japanese on a page in another
    /// language: the heading is then followed by the note.
    title_lang: Option<&'static str>,
    /// The page's heading (「方針1 …」) as HTML: the title marked by its language, with its
    /// furigana in the やさしい日本語 tree.
    heading_html: String,
    /// 「この方針の施策（3件）」.
    measures_heading: String,
    /// The summary, with the note that it is in Japanese only where it is.
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
            &ui.fill("policy.pager_label", &[("number", &p.number.to_string())]),
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
    let summary_html = block(
        ui,
        markdown::to_html_with_terms(&p.summary, 3, &mut terms, site.config.raw_html),
        lang_of(site, &format!("policy.{}.summary", p.number)),
    );
    let of_policy = || site.measures.iter().filter(|m| m.policy == Some(p.number));
    let cards: Vec<MeasureCard> = (measures.iter())
        .map(|m| card(site, ui, m, &route, true))
        .collect();
    let label = ui.fill("policy.label", &[("number", &p.number.to_string())]);
    // The status summary of the whole policy, once: on its first page.
    let (summary, file) = if paging.number == 1 {
        summary(site, ui, of_policy(), &label, &route).unzip()
    } else {
        (None, None)
    };
    let pager = Pager::of(index, |j| {
        site.plan.policies.get(j).map(|q| {
            let link = Link {
                label: policy_heading(ui, q),
                href: url::relative(&route, Route::policy(q.number).as_str()),
            };
            (link, lang_of(site, &format!("policy.{}.title", q.number)))
        })
    });
    let title_lang = lang_of(site, &format!("policy.{}.title", p.number));
    let title = paging.title_in(ui, &policy_heading(ui, p));
    // On page 2 on, the heading says which page it is, as the `<title>` does.
    let heading_html = match paging.number {
        1 => policy_heading_html(site, ui, p),
        n => ui.fill_html_raw(
            "paging.title",
            &[
                ("title", &policy_heading_html(site, ui, p)),
                ("number", &n.to_string()),
                ("count", &paging.count.to_string()),
            ],
        ),
    };
    let first_page = paging.number == 1;
    let view = PolicyView {
        policy_number: p.number,
        policy_title: p.title.clone(),
        title_lang,
        heading_html,
        measures_heading: ui.fill(
            "policy.measures_heading",
            &[("count", &paging.total.to_string())],
        ),
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
    .breadcrumbs(vec![(ui.plain("nav.home"), Route::home())])
    .files(file.into_iter().collect());
    if first_page {
        // The policy's text is the same on every page: its use is recorded once, for the
        // glossary's back-link to the policy.
        page.uses(TermUse::of(UsedOn::policy(p.number, &p.title), &terms))
    } else {
        page
    }
}
