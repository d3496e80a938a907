//! The departments page: each department with the measures it leads and those it helps with.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Page;
use crate::model::{Measure, Site};
use crate::render::view::{period_label, Link};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct DepartmentsView {
    departments: Vec<DepartmentView>,
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

pub(crate) fn page(site: &Site) -> Page<DepartmentsView> {
    let route = Route::departments();
    let mut by_name: BTreeMap<&str, (Vec<Link>, Vec<Link>)> = BTreeMap::new();
    let link = |m: &Measure, note: Option<String>| Link {
        label: match note {
            Some(n) => format!("{} {}（{n}）", m.id, m.title),
            None => format!("{} {}", m.id, m.title),
        },
        href: url::relative(&route, Route::measure(&m.id).as_str()),
    };
    for m in &site.measures {
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
    let view = DepartmentsView {
        departments: DepartmentView::list(by_name),
    };
    Page::new(
        route,
        "departments.html",
        "担当部署".into(),
        "施策を担当する部署（主管部署・関連部署）ごとの施策の一覧".into(),
        view,
    )
}
