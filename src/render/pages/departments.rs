//! The departments page: each department with the measures it leads and those it helps with,
//! in pages of `page_size` measures (crate::render::paging).

use std::collections::BTreeMap;

use serde::Serialize;

use super::Page;
use crate::model::{Measure, Site};
use crate::render::paging::{self, Paging};
use crate::render::view::{period_label, Link};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct DepartmentsView {
    departments: Vec<DepartmentView>,
    paging: Paging,
}

/// A department and its measures, as the departments page and the search page list them.
#[derive(Serialize)]
pub(crate) struct DepartmentView {
    name: String,
    anchor: String,
    lead: Vec<Link>,
    related: Vec<Link>,
}

impl DepartmentView {
    /// Departments in name order, from (name, (measures led, measures helped with)).
    pub(crate) fn list(by_name: BTreeMap<&str, (Vec<Link>, Vec<Link>)>) -> Vec<DepartmentView> {
        by_name
            .into_iter()
            .map(|(name, (lead, related))| DepartmentView {
                name: name.to_string(),
                anchor: url::anchor(name),
                lead,
                related,
            })
            .collect()
    }
}

/// The pages of the departments: the measures in pages of `page_size`, each page showing
/// the departments of its measures. Made one at a time, as they are rendered.
pub(crate) fn pages(site: &Site) -> impl Iterator<Item = Page<DepartmentsView>> + '_ {
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
        page(chunk, paging)
    })
}

fn page(measures: &[Measure], paging: Paging) -> Page<DepartmentsView> {
    let route = paging.route(&Route::departments());
    let mut by_name: BTreeMap<&str, (Vec<Link>, Vec<Link>)> = BTreeMap::new();
    let link = |m: &Measure, note: Option<String>| Link {
        label: match note {
            Some(n) => format!("{} {}（{n}）", m.id, m.title),
            None => format!("{} {}", m.id, m.title),
        },
        href: url::relative(&route, Route::measure(&m.id).as_str()),
    };
    for m in measures {
        by_name
            .entry(&m.lead_department)
            .or_default()
            .0
            .push(link(m, None));
        for r in &m.related_departments {
            let note = period_label(r.since, r.until);
            by_name.entry(&r.name).or_default().1.push(link(m, note));
        }
    }
    let title = paging.title("担当部署");
    let view = DepartmentsView {
        departments: DepartmentView::list(by_name),
        paging,
    };
    Page::new(
        route,
        "departments.html",
        title,
        "施策を担当する部署（主管部署・関連部署）ごとの施策の一覧".into(),
        view,
    )
}
