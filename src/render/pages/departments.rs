//! The departments page: each department with the measures it is responsible for (as the lead
//! or as one of several equally responsible departments) and those it helps with, in pages of
//! `page_size` measures (crate::render::paging).

use std::collections::HashMap;

use serde::Serialize;

use super::shared::{department, part_period, text_html};
use super::Page;
use crate::glossary::collate;
use crate::interface::Ui;
use crate::model::{Measure, Site};
use crate::render::paging::{self, Paging};
use crate::render::view::{lang_of, Link};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct DepartmentsView {
    departments: Vec<DepartmentView<MeasureLink>>,
    paging: Paging,
    /// What the plan calls a responsible department: 主管部署, or 担当課 when its measures
    /// have several equally responsible departments and no lead (in Japanese, for themes
    /// written before the interface tables; the default theme uses the sentences below).
    responsible_term: &'static str,
    /// The sentence under the heading, the heading of a department's own measures: HTML in
    /// the page's language, with the plan's word for a responsible department.
    explained: String,
    as_lead: String,
}

/// A measure as the departments page links it: `label` is its ID and title (and when the
/// department takes part), `label_html` the same with the title marked by its language.
#[derive(Serialize)]
pub(crate) struct MeasureLink {
    label: String,
    label_html: String,
    href: String,
}

/// A department and its measures, as the departments page and the search page list them.
#[derive(Serialize)]
pub(crate) struct DepartmentView<L = Link> {
    name: String,
    /// `Some("ja")` when the name is shown in Japanese on a page in another language.
    name_lang: Option<&'static str>,
    anchor: String,
    lead: Vec<L>,
    related: Vec<L>,
}

/// Measures by department name: (those it is responsible for, those it helps with).
pub(crate) type ByDepartment<'a, L = Link> = HashMap<&'a str, (Vec<L>, Vec<L>)>;

impl<L> DepartmentView<L> {
    /// Departments in 五十音 order like the glossary, by the readings the plan gives in
    /// `departments:`. A name without a reading cannot be put in that order (its kanji could
    /// be read several ways), so those come after, in code-point order — which is the whole
    /// order of a plan that gives no readings.
    pub(crate) fn list(site: &Site, by_name: ByDepartment<L>) -> Vec<DepartmentView<L>> {
        let readings = &site.plan.department_readings;
        let mut ordered: Vec<_> = by_name
            .into_iter()
            .map(|(name, links)| {
                let key = readings.get(name).map(|r| collate::sort_key(name, Some(r)));
                (key.is_none(), key, name, links)
            })
            .collect();
        ordered.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
        ordered
            .into_iter()
            .map(|(_, _, name, (lead, related))| DepartmentView {
                name: department(site, name).0,
                name_lang: department(site, name).1,
                anchor: url::anchor(name),
                lead,
                related,
            })
            .collect()
    }
}

/// 主管部署 when every responsible department in the plan leads its measure, 担当課 when the
/// plan has measures with several equally responsible departments.
pub(crate) fn responsible_term(site: &Site) -> &'static str {
    match site.measures.iter().any(|m| !m.departments.is_empty()) {
        false => "主管部署",
        true => "担当課",
    }
}

/// The pages of the departments: the measures in pages of `page_size`, each page showing
/// the departments of its measures. Made one at a time, as they are rendered.
pub(crate) fn pages<'a>(
    site: &'a Site,
    ui: &'a Ui,
) -> impl Iterator<Item = Page<DepartmentsView>> + 'a {
    let size = site.config.page_size;
    let chunks = paging::split(&site.measures, size);
    let count = chunks.len();
    chunks.into_iter().enumerate().map(move |(i, chunk)| {
        let first = Route::departments();
        let paging = Paging::new(
            &first,
            i,
            count,
            size,
            site.measures.len(),
            &ui.plain("departments.pager_label"),
        );
        page(site, ui, chunk, paging)
    })
}

fn page(site: &Site, ui: &Ui, measures: &[Measure], paging: Paging) -> Page<DepartmentsView> {
    let route = paging.route(&Route::departments());
    let mut by_name: ByDepartment<MeasureLink> = HashMap::new();
    let link = |m: &Measure, note: Option<String>| {
        let lang = lang_of(site, &format!("measure.{}.title", m.id));
        let measure = format!("{} {}", m.id, m.title);
        let measure_html = format!("{} {}", m.id, text_html(&m.title, lang));
        let (label, label_html) = match note {
            Some(n) => (
                ui.fill(
                    "departments.link_note",
                    &[("measure", &measure), ("note", &n)],
                ),
                ui.fill_html_raw(
                    "departments.link_note",
                    &[
                        ("measure", &measure_html),
                        ("note", &super::shared::escape(&n)),
                    ],
                ),
            ),
            None => (measure, measure_html),
        };
        MeasureLink {
            label,
            label_html,
            href: url::relative(&route, Route::measure(&m.id).as_str()),
        }
    };
    for m in measures {
        for d in m.responsible() {
            by_name.entry(d).or_default().0.push(link(m, None));
        }
        for r in &m.related_departments {
            let note = part_period(ui, r.since, r.until);
            by_name.entry(&r.name).or_default().1.push(link(m, note));
        }
    }
    let term = responsible_term(site);
    let term_here = ui.plain(responsible_key(site));
    let title = paging.title_in(ui, &ui.plain("departments.title"));
    let view = DepartmentsView {
        departments: DepartmentView::list(site, by_name),
        paging,
        responsible_term: term,
        explained: ui.fill_html("departments.explained", &[("term", &term_here)]),
        as_lead: ui.fill_html("departments.as_lead", &[("term", &term_here)]),
    };
    Page::new(
        route,
        "departments.html",
        title,
        ui.fill("departments.description", &[("term", &term_here)]),
        view,
    )
    .breadcrumbs(vec![(ui.plain("nav.home"), Route::home())])
}

/// The interface key of [`responsible_term`], as sentences use it.
fn responsible_key(site: &Site) -> &'static str {
    match responsible_term(site) {
        "主管部署" => "departments.term_lead",
        _ => "departments.term_responsible",
    }
}
