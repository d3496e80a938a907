//! The departments page: each department with the measures it is responsible for (as the lead
//! or as one of several equally responsible departments) and those it helps with, in pages of
//! `page_size` measures (crate::render::paging).

use crate::interface::Ui;
use std::collections::HashMap;

use serde::Serialize;

use super::Page;
use crate::glossary::collate;
use crate::model::{Measure, Site};
use crate::render::paging::{self, Paging};
use crate::render::view::{period_label, Link};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct DepartmentsView {
    departments: Vec<DepartmentView>,
    paging: Paging,
    /// What the plan calls a responsible department: 主管部署, or 担当課 when its measures
    /// have several equally responsible departments and no lead.
    responsible_term: &'static str,
}

/// A department and its measures, as the departments page and the search page list them.
#[derive(Serialize)]
pub(crate) struct DepartmentView {
    name: String,
    anchor: String,
    lead: Vec<Link>,
    related: Vec<Link>,
}

/// Measures by department name: (those it is responsible for, those it helps with).
pub(crate) type ByDepartment<'a> = HashMap<&'a str, (Vec<Link>, Vec<Link>)>;

impl DepartmentView {
    /// Departments in 五十音 order like the glossary, by the readings the plan gives in
    /// `departments:`. A name without a reading cannot be put in that order (its kanji could
    /// be read several ways), so those come after, in code-point order — which is the whole
    /// order of a plan that gives no readings.
    pub(crate) fn list(site: &Site, by_name: ByDepartment) -> Vec<DepartmentView> {
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
                name: name.to_string(),
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
            "担当部署の一覧のページ",
        );
        page(site, ui, chunk, paging)
    })
}

fn page(site: &Site, ui: &Ui, measures: &[Measure], paging: Paging) -> Page<DepartmentsView> {
    let route = paging.route(&Route::departments());
    let mut by_name: ByDepartment = HashMap::new();
    let link = |m: &Measure, note: Option<String>| Link {
        label: match note {
            Some(n) => format!("{} {}（{n}）", m.id, m.title),
            None => format!("{} {}", m.id, m.title),
        },
        href: url::relative(&route, Route::measure(&m.id).as_str()),
    };
    for m in measures {
        for d in m.responsible() {
            by_name.entry(d).or_default().0.push(link(m, None));
        }
        for r in &m.related_departments {
            let note = period_label(ui, r.since, r.until);
            by_name.entry(&r.name).or_default().1.push(link(m, note));
        }
    }
    let term = responsible_term(site);
    let title = paging.title("担当部署");
    let view = DepartmentsView {
        departments: DepartmentView::list(site, by_name),
        paging,
        responsible_term: term,
    };
    Page::new(
        route,
        "departments.html",
        title,
        format!("施策を担当する部署（{term}・関連部署）ごとの施策の一覧"),
        view,
    )
}
