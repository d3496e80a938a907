//! The search page: the form that JavaScript turns into a search, and — for everyone, and all
//! that a browser without JavaScript gets — every measure by policy and by department.

use crate::interface::Ui;
use std::collections::HashMap;

use serde::Serialize;

use super::departments::{responsible_term, ByDepartment, DepartmentView};
use super::Page;
use crate::model::{Measure, Site};
use crate::render::paging::{self, Paging};
use crate::render::search;
use crate::render::view::{brief_card, Link, MeasureCard};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct SearchView {
    /// The label of the search box: what can be searched in this plan, with one of its IDs
    /// as the example.
    search_label: String,
    policies: Vec<SearchPolicy>,
    /// Every measure of a plan without policies.
    measures: Vec<MeasureCard>,
    /// Every department with the measures it is responsible for.
    departments: Vec<DepartmentView>,
    responsible_term: &'static str,
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
pub(crate) fn pages<'a>(site: &'a Site, ui: &'a Ui) -> impl Iterator<Item = Page<SearchView>> + 'a {
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
        page(site, ui, chunk, paging)
    })
}

fn page(site: &Site, ui: &Ui, measures: &[Measure], paging: Paging) -> Page<SearchView> {
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
                .filter(|m| m.policy == Some(p.number))
                .map(|m| brief_card(ui, m, &route))
                .collect(),
        })
        .filter(|p| !paging.paged || !p.measures.is_empty())
        .collect();
    let mut by_department: ByDepartment = HashMap::new();
    for m in measures {
        for d in m.responsible() {
            by_department.entry(d).or_default().0.push(Link {
                label: format!("{} {}", m.id, m.title),
                href: rel(Route::measure(&m.id).as_str()),
            });
        }
    }
    let unsorted = match site.plan.policies.is_empty() {
        true => measures.iter().map(|m| brief_card(ui, m, &route)).collect(),
        false => Vec::new(),
    };
    let view = SearchView {
        search_label: search_label(site),
        policies,
        measures: unsorted,
        departments: DepartmentView::list(site, by_department),
        responsible_term: responsible_term(site),
        root: rel(""),
        search_action: "./",
        docs_src: rel(search::DOCS_FILE),
        shard_prefix: rel(&format!("{}shard-", search::DIR)),
        file_links: site.config.file_links,
        script_src: url::across_plans(&route, &site.prefix, "", "assets/search.js"),
        glossary_href: rel(Route::glossary().as_str()),
        data_href: rel(Route::data().as_str()),
        paging,
    };
    let title = view.paging.title("サイト内検索");
    Page::new(route, "search.html", title, search_description(site), view)
}

/// 「キーワード（施策名・成果目標・部署名・用語・施策ID。例: 01-01）」, naming KPIs and departments
/// only when the plan has them, and an ID of this plan as the example.
fn search_label(site: &Site) -> String {
    let mut what = vec!["施策名"];
    if site.has_kpis() {
        what.push("成果目標");
    }
    if site.has_departments() {
        what.push("部署名");
    }
    if !site.glossary.is_empty() {
        what.push("用語");
    }
    what.push("施策ID");
    match site.measures.first() {
        Some(m) => format!("キーワード（{}。例: {}）", what.join("・"), m.id),
        None => format!("キーワード（{}）", what.join("・")),
    }
}

/// The search page's description: 「施策・成果目標・部署・用語・ページを検索できます。…」 with
/// only what the plan has.
fn search_description(site: &Site) -> String {
    let mut what = vec!["施策"];
    if site.has_kpis() {
        what.push("成果目標");
    }
    if site.has_departments() {
        what.push("部署");
    }
    what.extend(["用語", "ページ"]);
    format!(
        "{}を検索できます。すべての施策の一覧もあります。",
        what.join("・")
    )
}
