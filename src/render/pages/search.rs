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
use crate::render::view::activity::{department_lang, escape};
use crate::render::view::{brief_card, lang_of, Link, MeasureCard};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct SearchView {
    /// The label of the search box: what can be searched in this plan, with one of its IDs
    /// as the example.
    search_label: String,
    policies: Vec<SearchPolicy>,
    /// Every measure of a plan without policies.
    measures: Vec<SearchCard>,
    /// Every department with the measures it is responsible for, each with the `lang` of its
    /// name (`lang`: `Some("ja")` when it is shown in Japanese in another language's tree).
    departments: Vec<serde_json::Value>,
    responsible_term: &'static str,
    /// The heading of the list by policy (or of the whole list, without policies).
    all_heading: String,
    /// The heading of the list by department.
    by_department_heading: String,
    /// 「用語は用語の説明、データはオープンデータのページにあります。」 with its links (HTML).
    see_also_html: String,
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
    title_lang: Option<&'static str>,
    /// 「方針1」, "Policy 1".
    label: String,
    href: String,
    measures: Vec<SearchCard>,
}

/// A measure in the list, with the `lang` of its words and its departments in brackets.
#[derive(Serialize)]
struct SearchCard {
    #[serde(flatten)]
    card: MeasureCard,
    title_lang: Option<&'static str>,
    department_lang: Option<&'static str>,
    /// 「（情報政策課）」, " (ICT Policy Division)"; `None` when the plan names none.
    departments_shown: Option<String>,
}

impl SearchCard {
    fn of(site: &Site, ui: &Ui, m: &Measure, from: &Route) -> SearchCard {
        let card = brief_card(ui, m, from);
        SearchCard {
            title_lang: lang_of(site, &format!("measure.{}.title", m.id)),
            department_lang: m.responsible().find_map(|d| department_lang(site, d)),
            departments_shown: card.department_names.as_ref().map(|_| {
                let names: Vec<&str> = m.responsible().map(|d| site.department_name(d)).collect();
                let names = names.join(&ui.plain("format.list_separator"));
                ui.fill("search.departments_shown", &[("names", &names)])
            }),
            card,
        }
    }
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
            &ui.plain("search.pages"),
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
            title_lang: lang_of(site, &format!("policy.{}.title", p.number)),
            label: ui.fill("policy.label", &[("number", &p.number.to_string())]),
            href: rel(Route::policy(p.number).as_str()),
            measures: measures
                .iter()
                .filter(|m| m.policy == Some(p.number))
                .map(|m| SearchCard::of(site, ui, m, &route))
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
        true => measures
            .iter()
            .map(|m| SearchCard::of(site, ui, m, &route))
            .collect(),
        false => Vec::new(),
    };
    let departments = DepartmentView::list(site, by_department)
        .iter()
        .filter_map(|d| serde_json::to_value(d).ok())
        .map(|mut d| {
            // The view names the department as written in Japanese; the page shows its name in
            // the page's language, marked Japanese where it is still Japanese.
            if let Some(name) = d["name"].as_str().map(str::to_string) {
                let shown = site.department_name(&name).to_string();
                let lang = department_lang(site, &name)
                    .filter(|_| shown.chars().any(super::glossary::is_japanese_letter));
                d["name"] = serde_json::json!(shown);
                d["lang"] = serde_json::json!(lang);
            }
            // The links are 「01-01 施策名」: Japanese, on an English page, where no translation
            // gave the title.
            for l in d["lead"].as_array_mut().into_iter().flatten() {
                let label = l["label"].as_str().unwrap_or_default();
                let japanese = ui.language() == crate::language::Language::English
                    && label.chars().any(super::glossary::is_japanese_letter);
                l["lang"] = serde_json::json!(japanese.then_some("ja"));
            }
            d
        })
        .collect();
    let glossary_href = rel(Route::glossary().as_str());
    let data_href = rel(Route::data().as_str());
    let link = |href: &str, key: &str| format!("<a href=\"{}\">{}</a>", escape(href), ui.html(key));
    let view = SearchView {
        search_label: search_label(site, ui),
        all_heading: match site.plan.policies.is_empty() {
            true => ui.plain("search.all"),
            false => ui.plain("search.all_by_policy"),
        },
        by_department_heading: match responsible_term(site) {
            "主管部署" => ui.plain("search.all_by_department"),
            _ => ui.plain("search.all_by_responsible"),
        },
        see_also_html: ui.fill_html_raw(
            "search.see_also",
            &[
                ("glossary", &link(&glossary_href, "glossary.title")),
                ("data", &link(&data_href, "data.title")),
            ],
        ),
        policies,
        measures: unsorted,
        departments,
        responsible_term: responsible_term(site),
        root: rel(""),
        search_action: "./",
        docs_src: rel(search::DOCS_FILE),
        shard_prefix: rel(&format!("{}shard-", search::DIR)),
        file_links: site.config.file_links,
        script_src: url::across_plans(&route, &site.prefix, "", "assets/search.js"),
        glossary_href,
        data_href,
        paging,
    };
    let title = view.paging.title(&ui.plain("search.title"));
    Page::new(
        route,
        "search.html",
        title,
        search_description(site, ui),
        view,
    )
    .breadcrumbs(vec![(ui.plain("nav.home"), Route::home())])
}

/// 「キーワード（施策名・成果目標・部署名・用語・施策ID。例: 01-01）」, naming KPIs and departments
/// only when the plan has them, and an ID of this plan as the example.
fn search_label(site: &Site, ui: &Ui) -> String {
    let mut what = vec![ui.plain("search.what_measures")];
    if site.has_kpis() {
        what.push(ui.plain("search.what_kpis"));
    }
    if site.has_departments() {
        what.push(ui.plain("search.what_departments"));
    }
    if !site.glossary.is_empty() {
        what.push(ui.plain("search.what_terms"));
    }
    what.push(ui.plain("search.what_ids"));
    let what = what.join(&ui.plain("search.what_separator"));
    match site.measures.first() {
        Some(m) => ui.fill(
            "search.label_with_example",
            &[("what", &what), ("example", &m.id)],
        ),
        None => ui.fill("search.label_without_example", &[("what", &what)]),
    }
}

/// The search page's description: 「施策・成果目標・部署・用語・ページを検索できます。…」 with
/// only what the plan has.
fn search_description(site: &Site, ui: &Ui) -> String {
    let mut what = vec![ui.plain("search.find_measures")];
    if site.has_kpis() {
        what.push(ui.plain("search.find_kpis"));
    }
    if site.has_departments() {
        what.push(ui.plain("search.find_departments"));
    }
    what.extend([ui.plain("search.find_terms"), ui.plain("search.find_pages")]);
    ui.fill(
        "search.description_of",
        &[("what", &what.join(&ui.plain("search.what_separator")))],
    )
}
