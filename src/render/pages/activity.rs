//! The activity plan pages: the list of years, the page of each year (all measures grouped by
//! status and by policy — plain sections and links, so it "filters" without JavaScript), and
//! the page of each plan.

use std::collections::HashSet;

use serde::Serialize;

use super::Page;
use crate::fiscal::FiscalYear;
use crate::markdown;
use crate::model::{compare_ids, ActivityPlan, Measure, Site};
use crate::render::paging::{self, Paging};
use crate::render::view::activity::{
    plan_title, status_counts, status_groups, task_statuses, StatusCount, StatusView, TaskStatus,
};
use crate::render::view::Link;
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct IndexView {
    years: Vec<YearEntry>,
}

#[derive(Serialize)]
struct YearEntry {
    label: String,
    href: String,
    total: usize,
    counts: Vec<StatusCount>,
}

/// The list of years; `None` on a site without activity plans.
pub(crate) fn index(site: &Site) -> Option<Page<IndexView>> {
    let years = site.activity_years();
    if years.is_empty() {
        return None;
    }
    let route = Route::activity();
    let years = years
        .iter()
        .rev()
        .map(|&y| YearEntry {
            label: plan_title(y),
            href: url::relative(&route, Route::activity_year(y).as_str()),
            total: site.activity.iter().filter(|a| a.year == y).count(),
            counts: status_counts(site, y, &route),
        })
        .collect();
    Some(Page::new(
        route,
        "activity_index.html",
        "年間活動計画".into(),
        "施策ごとの年間活動計画と進捗（年度別）".into(),
        IndexView { years },
    ))
}

#[derive(Serialize)]
pub(crate) struct YearView {
    year_label: String,
    year_long: String,
    total: usize,
    counts: Vec<StatusCount>,
    by_policy: Vec<PolicyGroup>,
    by_status: Vec<StatusGroup>,
    /// Measures running that year without a plan: listed so that a gap is visible.
    without_plan: Vec<Link>,
    paging: Paging,
}

/// A measure in a year's list.
#[derive(Serialize)]
struct PlanItem {
    id: String,
    title: String,
    href: String,
    department: String,
    /// 主管部署, or 担当課 for a measure with several equally responsible departments.
    department_label: &'static str,
    status: StatusView,
    /// The tasks that need attention, with their countermeasures.
    attention: Vec<TaskStatus>,
}

#[derive(Serialize)]
struct PolicyGroup {
    number: u32,
    title: String,
    count: usize,
    plans: Vec<PlanItem>,
}

#[derive(Serialize)]
struct StatusGroup {
    status: StatusView,
    count: usize,
    plans: Vec<PlanItem>,
}

/// The pages of each year that has plans, oldest first: the measures in pages of
/// `page_size`, each page listing the plans (and the gaps) of its measures. Each lists many
/// plans, so they are made one at a time, as they are rendered.
pub(crate) fn years(site: &Site) -> impl Iterator<Item = Page<YearView>> + '_ {
    let size = site.config.page_size;
    let chunks = paging::split(&site.measures, size);
    let count = chunks.len();
    site.activity_years().into_iter().flat_map(move |year| {
        let first = Route::activity_year(year);
        let label = format!("{}の年間活動計画のページ", year.label());
        let total = site.measures.len();
        chunks
            .clone()
            .into_iter()
            .enumerate()
            .map(move |(i, chunk)| {
                let paging = Paging::new(&first, i, count, size, total, &label);
                year_page(site, year, chunk, paging)
            })
    })
}

fn year_page(
    site: &Site,
    year: FiscalYear,
    measures: &[Measure],
    paging: Paging,
) -> Page<YearView> {
    let route = paging.route(&Route::activity_year(year));
    let on_page: HashSet<&str> = measures.iter().map(|m| m.id.as_str()).collect();
    let vocabulary = &site.config.progress;
    let item = |plan: &ActivityPlan, m: &Measure| PlanItem {
        id: m.id.clone(),
        title: m.title.clone(),
        href: url::relative(&route, Route::activity_plan(year, &m.id).as_str()),
        department: department(plan, m).0,
        department_label: department(plan, m).1,
        status: StatusView::of(site, plan.overall(vocabulary)),
        attention: task_statuses(site, plan, true),
    };
    let plans: Vec<(&ActivityPlan, &Measure)> = site
        .activity
        .iter()
        .filter(|a| a.year == year && on_page.contains(a.measure_id.as_str()))
        .filter_map(|a| site.measure(&a.measure_id).map(|m| (a, m)))
        .collect();
    let by_policy: Vec<PolicyGroup> = site
        .plan
        .policies
        .iter()
        .map(|p| {
            let plans: Vec<PlanItem> = plans
                .iter()
                .filter(|(_, m)| m.policy == Some(p.number))
                .map(|(a, m)| item(a, m))
                .collect();
            PolicyGroup {
                number: p.number,
                title: p.title.clone(),
                count: plans.len(),
                plans,
            }
        })
        .filter(|g| g.count > 0)
        .collect();
    let by_status: Vec<StatusGroup> = status_groups(site)
        .into_iter()
        .map(|g| {
            let plans: Vec<PlanItem> = plans
                .iter()
                .filter(|(a, _)| a.overall(vocabulary) == g)
                .map(|(a, m)| item(a, m))
                .collect();
            StatusGroup {
                status: StatusView::of(site, g),
                count: plans.len(),
                plans,
            }
        })
        .filter(|g| g.count > 0)
        .collect();
    let without_plan: Vec<Link> = measures
        .iter()
        .filter(|m| {
            // `plans` are in measure ID order (plans are sorted by year, then measure ID).
            m.active.contains(year)
                && plans
                    .binary_search_by(|(_, pm)| compare_ids(&pm.id, &m.id))
                    .is_err()
        })
        .map(|m| Link {
            label: format!("{} {}", m.id, m.title),
            href: url::relative(&route, Route::measure(&m.id).as_str()),
        })
        .collect();
    // The year's count, whichever page lists which of its plans.
    let year_total = site.activity.iter().filter(|a| a.year == year).count();
    let description = format!(
        "{}の全{}施策の年間活動計画と進捗（基本方針別・進捗別）",
        year.label(),
        year_total
    );
    let title = paging.title(&plan_title(year));
    let view = YearView {
        paging,
        year_label: year.label(),
        year_long: year.label_long(),
        total: year_total,
        counts: status_counts(site, year, &route),
        by_policy,
        by_status,
        without_plan,
    };
    Page::new(route, "activity_year.html", title, description, view).breadcrumbs(vec![
        ("ホーム".into(), Route::home()),
        ("年間活動計画".into(), Route::activity()),
    ])
}

#[derive(Serialize)]
pub(crate) struct PlanView {
    year_label: String,
    year_long: String,
    id: String,
    title: String,
    measure_href: String,
    year_href: String,
    department: String,
    /// 主管部署, or 担当課 for a measure with several equally responsible departments.
    department_label: &'static str,
    contact: Option<String>,
    /// Only ever set when the site allows it (see `model::ActivityPlan::staff`).
    staff: Option<String>,
    status: StatusView,
    related: Vec<Link>,
    goal_html: String,
    tasks: Vec<TaskView>,
    budget: Option<BudgetView>,
    other_years: Vec<Link>,
}

#[derive(Serialize)]
struct TaskView {
    number: usize,
    name: String,
    status: StatusView,
    quarters: Vec<QuarterView>,
    countermeasures_html: Option<String>,
}

#[derive(Serialize)]
struct QuarterView {
    label: &'static str,
    months: &'static str,
    work: Vec<String>,
}

#[derive(Serialize)]
struct BudgetView {
    planned: bool,
    details: Option<String>,
}

const QUARTERS: [(&str, &str); 4] = [
    ("第1四半期", "4月〜6月"),
    ("第2四半期", "7月〜9月"),
    ("第3四半期", "10月〜12月"),
    ("第4四半期", "1月〜3月"),
];

/// One page per plan, made one at a time as they are rendered: a large site has more plans
/// than measures, and holding every page's view at once would cost hundreds of megabytes.
pub(crate) fn plans(site: &Site) -> impl rayon::iter::ParallelIterator<Item = Page<PlanView>> + '_ {
    use rayon::prelude::*;
    site.activity.par_iter().filter_map(move |plan| {
        site.measure(&plan.measure_id)
            .map(|m| plan_page(site, plan, m))
    })
}

fn plan_page(site: &Site, plan: &ActivityPlan, m: &Measure) -> Page<PlanView> {
    let route = Route::activity_plan(plan.year, &m.id);
    let measure_link = |m: &Measure| Link {
        label: format!("{} {}", m.id, m.title),
        href: url::relative(&route, Route::measure(&m.id).as_str()),
    };
    let tasks = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| TaskView {
            number: i + 1,
            name: t.name.clone(),
            status: StatusView::of(site, t.progress),
            quarters: QUARTERS
                .iter()
                .zip(&t.quarters)
                .map(|((label, months), work)| QuarterView {
                    label,
                    months,
                    work: work.clone(),
                })
                .collect(),
            countermeasures_html: t
                .countermeasures
                .as_deref()
                .map(|c| markdown::to_html_from(c, 4, site.config.raw_html, &route)),
        })
        .collect();
    let view = PlanView {
        year_label: plan.year.label(),
        year_long: plan.year.label_long(),
        id: m.id.clone(),
        title: m.title.clone(),
        measure_href: url::relative(&route, Route::measure(&m.id).as_str()),
        year_href: url::relative(&route, Route::activity_year(plan.year).as_str()),
        department: department(plan, m).0,
        department_label: department(plan, m).1,
        contact: plan.contact.clone(),
        staff: plan.staff.clone(),
        status: StatusView::of(site, plan.overall(&site.config.progress)),
        related: plan
            .related_measures
            .iter()
            .filter_map(|id| site.measure(id))
            .map(measure_link)
            .collect(),
        goal_html: markdown::to_html_from(&plan.goal, 3, site.config.raw_html, &route),
        tasks,
        budget: plan.budget.as_ref().map(|b| BudgetView {
            planned: b.planned,
            details: b.details.clone(),
        }),
        other_years: site
            .activity_of(&m.id)
            .filter(|p| p.year != plan.year)
            .map(|p| Link {
                label: plan_title(p.year),
                href: url::relative(&route, Route::activity_plan(p.year, &m.id).as_str()),
            })
            .collect(),
    };
    Page::new(
        route,
        "activity_plan.html",
        format!("{} {} {}", plan_title(plan.year), m.id, m.title),
        markdown::to_plain_text(&plan.goal, 120),
        view,
    )
    .breadcrumbs(vec![
        ("ホーム".into(), Route::home()),
        ("年間活動計画".into(), Route::activity()),
        (plan_title(plan.year), Route::activity_year(plan.year)),
    ])
    .draft(&m.publication)
}

/// The department responsible for a plan — its own, or the measure's lead department, or
/// the measure's equally responsible departments — with what to call it (主管部署, 担当課).
/// Empty when neither names one.
fn department(plan: &ActivityPlan, m: &Measure) -> (String, &'static str) {
    match (&plan.department, &m.lead_department) {
        (Some(d), _) | (None, Some(d)) => (d.clone(), "主管部署"),
        (None, None) => (m.departments.join("、"), "担当課"),
    }
}
