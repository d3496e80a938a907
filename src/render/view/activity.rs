//! Annual activity plans as other pages show them: a status with its icon and words, the
//! counts of a year's statuses, the home page's summary of the latest year, and the measure
//! page's section on its plans.

use serde::Serialize;

use crate::fiscal::FiscalYear;
use crate::markdown;
use crate::model::{ActivityPlan, Measure, Site};
use crate::progress::{StatusId, NOT_RECORDED_ICON, NOT_RECORDED_KEY, NOT_RECORDED_LABEL};
use crate::url::{self, Route};

/// A status as pages show it: icon shape and words, never colour alone.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct StatusView {
    pub key: String,
    pub label: String,
    pub icon: String,
    pub attention: bool,
}

impl StatusView {
    pub(crate) fn of(site: &Site, id: Option<StatusId>) -> StatusView {
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
pub(crate) fn status_groups(site: &Site) -> Vec<Option<StatusId>> {
    site.config
        .progress
        .ordered()
        .into_iter()
        .map(Some)
        .chain(std::iter::once(None))
        .collect()
}

/// 「令和6年度 年間活動計画」: the title of a year's plans and of their pages.
pub(crate) fn plan_title(year: FiscalYear) -> String {
    format!("{} 年間活動計画", year.label())
}

/// How many plans of a year have each status (only statuses that occur), with links to the
/// year page's section for that status.
#[derive(Serialize)]
pub(crate) struct StatusCount {
    pub status: StatusView,
    pub count: usize,
    pub href: String,
}

pub(crate) fn status_counts(site: &Site, year: FiscalYear, from: &Route) -> Vec<StatusCount> {
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
pub(crate) struct ActivitySummary {
    pub year_label: String,
    pub title: String,
    pub href: String,
    pub total: usize,
    pub counts: Vec<StatusCount>,
}

pub(crate) fn latest_summary(site: &Site, from: &Route) -> Option<ActivitySummary> {
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
pub(crate) struct TaskStatus {
    pub name: String,
    pub status: StatusView,
    pub countermeasures_html: Option<String>,
}

pub(crate) fn task_statuses(
    site: &Site,
    plan: &ActivityPlan,
    only_attention: bool,
) -> Vec<TaskStatus> {
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
pub(crate) struct MeasureActivity {
    pub latest_year: String,
    pub latest_status: StatusView,
    pub latest_href: String,
    pub tasks: Vec<TaskStatus>,
    pub years: Vec<YearLink>,
}

#[derive(Serialize)]
pub(crate) struct YearLink {
    pub label: String,
    pub href: String,
    pub status: StatusView,
}

pub(crate) fn measure_activity(site: &Site, m: &Measure, from: &Route) -> Option<MeasureActivity> {
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
