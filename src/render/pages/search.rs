//! The search page: the form that JavaScript turns into a search, and — for everyone, and all
//! that a browser without JavaScript gets — every measure by policy and by department.

use std::collections::BTreeMap;

use serde::Serialize;

use super::departments::DepartmentView;
use super::Page;
use crate::model::{Measure, Site};
use crate::render::paging::{self, Paging};
use crate::render::search;
use crate::render::view::{brief_card, Link, MeasureCard};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct SearchView {
    policies: Vec<SearchPolicy>,
    /// Every department with the measures it leads.
    departments: Vec<DepartmentView>,
    /// What the script needs: the site's root, the index's files and how links are written.
    root: String,
    search_action: &'static str,
    docs_src: String,
    shard_prefix: String,
    file_links: bool,
    script_src: String,
    glossary_href: String,
    data_href: String,
    paging: Paging,
}

#[derive(Serialize)]
struct SearchPolicy {
    number: u32,
    title: String,
    href: String,
    measures: Vec<MeasureCard>,
}

/// The search page and, when its list of every measure runs beyond `page_size`, the further
/// pages of that list (each with the form). Made one at a time, as they are rendered.
pub(crate) fn pages(site: &Site) -> impl Iterator<Item = Page<SearchView>> + '_ {
    let size = site.config.page_size;
    let chunks = paging::split(&site.measures, size);
    let count = chunks.len();
    chunks.into_iter().enumerate().map(move |(i, chunk)| {
        let paging = Paging::new(
            &Route::search(),
            i,
            count,
            size,
            site.measures.len(),
            "すべての施策の一覧のページ",
        );
        page(site, chunk, paging)
    })
}

fn page(site: &Site, measures: &[Measure], paging: Paging) -> Page<SearchView> {
    let route = paging.route(&Route::search());
    let rel = |to: &str| url::relative(&route, to);
    let policies = site
        .plan
        .policies
        .iter()
        .map(|p| SearchPolicy {
            number: p.number,
            title: p.title.clone(),
            href: rel(Route::policy(p.number).as_str()),
            measures: measures
                .iter()
                .filter(|m| m.policy == p.number)
                .map(|m| brief_card(m, &route))
                .collect(),
        })
        .filter(|p| !paging.paged || !p.measures.is_empty())
        .collect();
    let mut by_department: BTreeMap<&str, (Vec<Link>, Vec<Link>)> = BTreeMap::new();
    for m in measures {
        by_department
            .entry(&m.lead_department)
            .or_default()
            .0
            .push(Link {
                label: format!("{} {}", m.id, m.title),
                href: rel(Route::measure(&m.id).as_str()),
            });
    }
    let view = SearchView {
        policies,
        departments: DepartmentView::list(by_department),
        root: rel(""),
        search_action: "./",
        docs_src: rel(search::DOCS_FILE),
        shard_prefix: rel(&format!("{}shard-", search::DIR)),
        file_links: site.config.file_links,
        script_src: rel("assets/search.js"),
        glossary_href: rel(Route::glossary().as_str()),
        data_href: rel(Route::data().as_str()),
        paging,
    };
    let title = view.paging.title("サイト内検索");
    Page::new(
        route,
        "search.html",
        title,
        "施策・成果目標・部署・用語・ページを検索できます。すべての施策の一覧もあります。".into(),
        view,
    )
}
