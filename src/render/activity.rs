//! Annual activity plans: the page of each plan, the page of each year (all measures grouped by
//! policy and by status — plain sections and links, so it "filters" without JavaScript), the
//! list of years, and the progress summaries shown on measure pages and the home page.

use serde::Serialize;
use tera::Context;

use super::view::Link;
use super::PageJob;
use crate::fiscal::FiscalYear;
use crate::markdown;
use crate::model::{ActivityPlan, Measure, Site};
use crate::progress::{StatusId, NOT_RECORDED_ICON, NOT_RECORDED_KEY, NOT_RECORDED_LABEL};
use crate::url::{self, Route};

/// A status as pages show it: icon shape and words, never colour alone.
#[derive(Clone, Debug, Serialize)]
pub struct StatusView {
    pub key: String,
    pub label: String,
    pub icon: String,
    pub attention: bool,
}

impl StatusView {
    pub fn of(site: &Site, id: Option<StatusId>) -> StatusView {
        match id {
            Some(id) => {
                let s = site.config.progress.get(id);
                StatusView {
                    key: s.key.clone(),
                    label: s.label.clone(),
                    icon: s.icon.clone(),
                    attention: s.attention,
                }
            }
            None => StatusView {
                key: NOT_RECORDED_KEY.to_string(),
                label: NOT_RECORDED_LABEL.to_string(),
                icon: NOT_RECORDED_ICON.to_string(),
                attention: false,
            },
        }
    }
}

/// The statuses in page order, then "not recorded": every group a year page can have.
fn status_groups(site: &Site) -> Vec<Option<StatusId>> {
    site.config
        .progress
        .ordered()
        .into_iter()
        .map(Some)
        .chain(std::iter::once(None))
        .collect()
}

fn plan_title(year: FiscalYear) -> String {
    format!("{} 年間活動計画", year.label())
}

/// How many plans of a year have each status (only statuses that occur), with links to the
/// year page's section for that status.
#[derive(Serialize)]
pub struct StatusCount {
    pub status: StatusView,
    pub count: usize,
    pub href: String,
}

pub fn status_counts(site: &Site, year: FiscalYear, from: &Route) -> Vec<StatusCount> {
    let plans: Vec<&ActivityPlan> = site.activity.iter().filter(|a| a.year == year).collect();
    status_groups(site)
        .into_iter()
        .filter_map(|g| {
            let count = plans
                .iter()
                .filter(|p| p.overall(&site.config.progress) == g)
                .count();
            let status = StatusView::of(site, g);
            (count > 0).then(|| StatusCount {
                href: url::relative(
                    from,
                    &format!(
                        "{}#status-{}",
                        Route::activity_year(year).as_str(),
                        status.key
                    ),
                ),
                status,
                count,
            })
        })
        .collect()
}

/// The home page's summary: the latest year's counts.
#[derive(Serialize)]
pub struct ActivitySummary {
    pub year_label: String,
    pub title: String,
    pub href: String,
    pub total: usize,
    pub counts: Vec<StatusCount>,
}

pub fn latest_summary(site: &Site, from: &Route) -> Option<ActivitySummary> {
    let year = *site.activity_years().last()?;
    Some(ActivitySummary {
        year_label: year.label(),
        title: plan_title(year),
        href: url::relative(from, Route::activity_year(year).as_str()),
        total: site.activity.iter().filter(|a| a.year == year).count(),
        counts: status_counts(site, year, from),
    })
}

/// A task's status on a measure page or in a list.
#[derive(Serialize)]
pub struct TaskStatus {
    pub name: String,
    pub status: StatusView,
    pub countermeasures_html: Option<String>,
}

fn task_statuses(site: &Site, plan: &ActivityPlan, only_attention: bool) -> Vec<TaskStatus> {
    plan.tasks
        .iter()
        .map(|t| (t, StatusView::of(site, t.progress)))
        .filter(|(_, s)| !only_attention || s.attention)
        .map(|(t, status)| TaskStatus {
            name: t.name.clone(),
            status,
            countermeasures_html: t
                .countermeasures
                .as_deref()
                .map(|c| markdown::to_html(c, 5, site.config.raw_html)),
        })
        .collect()
}

/// The measure page's section: the latest year's progress and a link to every year's plan.
#[derive(Serialize)]
pub struct MeasureActivity {
    pub latest_year: String,
    pub latest_status: StatusView,
    pub latest_href: String,
    pub tasks: Vec<TaskStatus>,
    pub years: Vec<YearLink>,
}

#[derive(Serialize)]
pub struct YearLink {
    pub label: String,
    pub href: String,
    pub status: StatusView,
}

pub fn measure_activity(site: &Site, m: &Measure, from: &Route) -> Option<MeasureActivity> {
    let plans: Vec<&ActivityPlan> = site.activity_of(&m.id).collect();
    let latest = *plans.last()?;
    let href = |p: &ActivityPlan| url::relative(from, Route::activity_plan(p.year, &m.id).as_str());
    Some(MeasureActivity {
        latest_year: latest.year.label(),
        latest_status: StatusView::of(site, latest.overall(&site.config.progress)),
        latest_href: href(latest),
        tasks: task_statuses(site, latest, false),
        years: plans
            .iter()
            .rev()
            .map(|p| YearLink {
                label: plan_title(p.year),
                href: href(p),
                status: StatusView::of(site, p.overall(&site.config.progress)),
            })
            .collect(),
    })
}

/// A measure in a year's list.
#[derive(Serialize)]
struct PlanItem {
    id: String,
    title: String,
    href: String,
    department: String,
    status: StatusView,
    /// The tasks that need attention, with their countermeasures.
    attention: Vec<TaskStatus>,
}

#[derive(Serialize)]
struct PolicyGroup {
    number: u32,
    title: String,
    plans: Vec<PlanItem>,
}

#[derive(Serialize)]
struct StatusGroup {
    status: StatusView,
    plans: Vec<PlanItem>,
}

fn measure_of<'a>(site: &'a Site, id: &str) -> Option<&'a Measure> {
    site.measure(id)
}

fn department(plan: &ActivityPlan, m: &Measure) -> String {
    plan.department
        .clone()
        .unwrap_or_else(|| m.lead_department.clone())
}

pub(super) fn pages(site: &Site) -> impl Iterator<Item = PageJob> + '_ {
    let years = site.activity_years();
    let index = (!years.is_empty()).then(|| index(site, &years));
    // Each year page lists every plan of its year: made one at a time, as they are rendered.
    index
        .into_iter()
        .chain(years.into_iter().map(move |year| year_page(site, year)))
}

/// One page per plan, made one at a time as they are rendered: a large site has more plans
/// than measures, and holding every page's context at once would cost hundreds of megabytes.
pub(super) fn plan_pages(site: &Site) -> impl rayon::iter::ParallelIterator<Item = PageJob> + '_ {
    use rayon::prelude::*;
    site.activity.par_iter().filter_map(move |plan| {
        measure_of(site, &plan.measure_id).map(|m| plan_page(site, plan, m))
    })
}

fn index(site: &Site, years: &[FiscalYear]) -> PageJob {
    let route = Route::activity();
    #[derive(Serialize)]
    struct YearEntry {
        label: String,
        href: String,
        total: usize,
        counts: Vec<StatusCount>,
    }
    let entries: Vec<YearEntry> = years
        .iter()
        .rev()
        .map(|&y| YearEntry {
            label: plan_title(y),
            href: url::relative(&route, Route::activity_year(y).as_str()),
            total: site.activity.iter().filter(|a| a.year == y).count(),
            counts: status_counts(site, y, &route),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("years", &entries);
    PageJob {
        route,
        file: None,
        template: "activity_index.html",
        title: "年間活動計画".into(),
        description: "施策ごとの年間活動計画と進捗（年度別）".into(),
        breadcrumbs: vec![("ホーム".into(), Route::home())],
        context: ctx,
        files: Vec::new(),
    }
}

fn year_page(site: &Site, year: FiscalYear) -> PageJob {
    let route = Route::activity_year(year);
    let vocabulary = &site.config.progress;
    let item = |plan: &ActivityPlan, m: &Measure| PlanItem {
        id: m.id.clone(),
        title: m.title.clone(),
        href: url::relative(&route, Route::activity_plan(year, &m.id).as_str()),
        department: department(plan, m),
        status: StatusView::of(site, plan.overall(vocabulary)),
        attention: task_statuses(site, plan, true),
    };
    let plans: Vec<(&ActivityPlan, &Measure)> = site
        .activity
        .iter()
        .filter(|a| a.year == year)
        .filter_map(|a| measure_of(site, &a.measure_id).map(|m| (a, m)))
        .collect();
    let by_policy: Vec<PolicyGroup> = site
        .plan
        .policies
        .iter()
        .map(|p| PolicyGroup {
            number: p.number,
            title: p.title.clone(),
            plans: plans
                .iter()
                .filter(|(_, m)| m.policy == p.number)
                .map(|(a, m)| item(a, m))
                .collect(),
        })
        .filter(|g| !g.plans.is_empty())
        .collect();
    let by_status: Vec<StatusGroup> = status_groups(site)
        .into_iter()
        .map(|g| StatusGroup {
            status: StatusView::of(site, g),
            plans: plans
                .iter()
                .filter(|(a, _)| a.overall(vocabulary) == g)
                .map(|(a, m)| item(a, m))
                .collect(),
        })
        .filter(|g| !g.plans.is_empty())
        .collect();
    // Measures running that year without a plan: listed so that a gap is visible, not hidden.
    let without: Vec<Link> = site
        .measures
        .iter()
        .filter(|m| {
            // `plans` are in measure ID order (plans are sorted by year, then measure ID).
            m.active.contains(year)
                && plans
                    .binary_search_by(|(_, pm)| pm.id.as_str().cmp(&m.id))
                    .is_err()
        })
        .map(|m| Link {
            label: format!("{} {}", m.id, m.title),
            href: url::relative(&route, Route::measure(&m.id).as_str()),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("year_label", &year.label());
    ctx.insert("year_long", &year.label_long());
    ctx.insert("total", &plans.len());
    ctx.insert("counts", &status_counts(site, year, &route));
    ctx.insert("by_policy", &by_policy);
    ctx.insert("by_status", &by_status);
    ctx.insert("without_plan", &without);
    PageJob {
        title: plan_title(year),
        description: format!(
            "{}の全{}施策の年間活動計画と進捗（基本方針別・進捗別）",
            year.label(),
            plans.len()
        ),
        breadcrumbs: vec![
            ("ホーム".into(), Route::home()),
            ("年間活動計画".into(), Route::activity()),
        ],
        route,
        file: None,
        template: "activity_year.html",
        context: ctx,
        files: Vec::new(),
    }
}

#[derive(Serialize)]
struct QuarterView {
    label: &'static str,
    months: &'static str,
    work: Vec<String>,
}

#[derive(Serialize)]
struct TaskView {
    number: usize,
    name: String,
    status: StatusView,
    quarters: Vec<QuarterView>,
    countermeasures_html: Option<String>,
}

const QUARTERS: [(&str, &str); 4] = [
    ("第1四半期", "4月〜6月"),
    ("第2四半期", "7月〜9月"),
    ("第3四半期", "10月〜12月"),
    ("第4四半期", "1月〜3月"),
];

fn plan_page(site: &Site, plan: &ActivityPlan, m: &Measure) -> PageJob {
    let route = Route::activity_plan(plan.year, &m.id);
    let mut ctx = Context::new();
    ctx.insert("year_label", &plan.year.label());
    ctx.insert("year_long", &plan.year.label_long());
    ctx.insert("id", &m.id);
    ctx.insert("title", &m.title);
    ctx.insert(
        "measure_href",
        &url::relative(&route, Route::measure(&m.id).as_str()),
    );
    ctx.insert(
        "year_href",
        &url::relative(&route, Route::activity_year(plan.year).as_str()),
    );
    ctx.insert("department", &department(plan, m));
    ctx.insert("contact", &plan.contact);
    // `staff` is only ever set when the site allows it (see model::ActivityPlan::staff).
    ctx.insert("staff", &plan.staff);
    ctx.insert(
        "status",
        &StatusView::of(site, plan.overall(&site.config.progress)),
    );
    let related: Vec<Link> = plan
        .related_measures
        .iter()
        .filter_map(|id| measure_of(site, id))
        .map(|r| Link {
            label: format!("{} {}", r.id, r.title),
            href: url::relative(&route, Route::measure(&r.id).as_str()),
        })
        .collect();
    ctx.insert("related", &related);
    ctx.insert(
        "goal_html",
        &markdown::to_html(&plan.goal, 3, site.config.raw_html),
    );
    let tasks: Vec<TaskView> = plan
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
                .map(|c| markdown::to_html(c, 4, site.config.raw_html)),
        })
        .collect();
    ctx.insert("tasks", &tasks);
    ctx.insert(
        "budget",
        &plan.budget.as_ref().map(|b| {
            #[derive(Serialize)]
            struct BudgetView {
                planned: bool,
                details: Option<String>,
            }
            BudgetView {
                planned: b.planned,
                details: b.details.clone(),
            }
        }),
    );
    let others: Vec<Link> = site
        .activity_of(&m.id)
        .filter(|p| p.year != plan.year)
        .map(|p| Link {
            label: plan_title(p.year),
            href: url::relative(&route, Route::activity_plan(p.year, &m.id).as_str()),
        })
        .collect();
    ctx.insert("other_years", &others);
    PageJob {
        title: format!("{} {} {}", plan_title(plan.year), m.id, m.title),
        description: markdown::to_plain_text(&plan.goal, 120),
        breadcrumbs: vec![
            ("ホーム".into(), Route::home()),
            ("年間活動計画".into(), Route::activity()),
            (plan_title(plan.year), Route::activity_year(plan.year)),
        ],
        route,
        file: None,
        template: "activity_plan.html",
        context: ctx,
        files: Vec::new(),
    }
}
