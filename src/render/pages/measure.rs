//! The page of each measure: its facts, the sections of the measure sheet, the schedule,
//! the activity plans, the KPIs with their charts, and links to its data and its neighbours.

use crate::interface::Ui;
use serde::Serialize;

use super::shared::Pager;
use super::{Page, TermUse};
use crate::fiscal::FiscalYear;
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::kpi::sentence::Blank;
use crate::markdown;
use crate::model::{LinkedMeasure, Measure, Site};
use crate::output::Output;
use crate::render::charts::{self, ChartView};
use crate::render::data;
use crate::render::view::activity::{measure_activity, MeasureActivity};
use crate::render::view::{self, kpi_view, lifecycle_label, period_label, DateView, KpiView, Link};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct MeasureView {
    id: String,
    title: String,
    policy_label: Option<String>,
    /// Empty for a measure of a plan without policies.
    policy_href: String,
    /// The lead department and its link, empty when there is none: for themes written before
    /// `lead` and `responsible`.
    lead_department: String,
    lead_department_href: String,
    /// 主管部署, when the plan names one.
    lead: Option<DepartmentLink>,
    /// 担当課: the equally responsible departments, when the plan names no lead.
    responsible: Vec<DepartmentLink>,
    /// Whether the page has a 関連部署 row: when the plan's measures name related
    /// departments at all, so that 「なし」 is something the plan says.
    related_listed: bool,
    related: Vec<RelatedView>,
    /// The measures of other plans this one continues (「この施策は…を引き継いでいます」).
    predecessors: Vec<LineageView>,
    /// The measures of other plans that continue this one (「…に引き継がれました」).
    successors: Vec<LineageView>,
    lifecycle: Option<String>,
    lifecycle_note: Option<String>,
    /// The measure's `updated:` (else the plan's date).
    updated: DateView,
    /// The site's contact, shown on the page when it gives a phone number or an email
    /// address, so that a reader with a question need not look for the footer.
    contact: Option<crate::model::Contact>,
    /// The words tables and charts use for cells without a value, explained once per page.
    blank_legend: String,
    sections: Vec<SectionView>,
    year_labels: Vec<String>,
    schedule: Vec<TaskView>,
    schedule_chart: Option<ChartView>,
    activity: Option<MeasureActivity>,
    kpis: Vec<KpiView>,
    data_links: Vec<Link>,
    data_page_href: String,
    #[serde(flatten)]
    pager: Pager,
}

#[derive(Serialize)]
struct RelatedView {
    name: String,
    href: String,
    period: Option<String>,
    note: Option<String>,
}

/// A lineage link to a measure of another plan of the site.
#[derive(Serialize)]
struct LineageView {
    plan_title: String,
    id: String,
    title: String,
    href: String,
}

impl LineageView {
    fn of(site: &Site, route: &Route, linked: &[LinkedMeasure]) -> Vec<LineageView> {
        (linked.iter())
            .map(|l| LineageView {
                plan_title: l.plan_title.clone(),
                id: l.at.id.clone(),
                title: l.title.clone(),
                href: url::across_plans(
                    route,
                    &site.prefix,
                    &l.prefix,
                    Route::measure(&l.at.id).as_str(),
                ),
            })
            .collect()
    }
}

#[derive(Serialize)]
struct DepartmentLink {
    name: String,
    href: String,
}

#[derive(Serialize)]
struct SectionView {
    heading: String,
    id: String,
    html: String,
}

/// A row of the schedule table: the task and, for each year of the plan, whether it runs.
#[derive(Serialize)]
struct TaskView {
    name: String,
    years: Vec<bool>,
}

/// The page of `site.measures[index]`, its charts beside it.
pub(crate) fn page(site: &Site, ui: &Ui, index: usize, linker: &Linker) -> Page<MeasureView> {
    let m = &site.measures[index];
    let route = Route::measure(&m.id);
    let mut terms = PageTerms::new(linker, &route);
    let years = site.plan.period.years();
    let policy = m.policy.and_then(|n| site.plan.policy(n));
    let dept_href = |name: &str| {
        url::relative(
            &route,
            &format!("{}#{}", Route::departments().as_str(), url::anchor(name)),
        )
    };
    let mut files = Vec::new();
    // Sections before KPIs: a term is linked where the page first uses it.
    let sections = sections(site, m, &mut terms);
    let schedule_chart = schedule_chart(ui, m, &years, &route, &mut files);
    let kpis = kpis(site, ui, m, &years, &route, &mut terms, &mut files);
    let view = MeasureView {
        id: m.id.clone(),
        title: m.title.clone(),
        policy_label: policy.map(|p| format!("方針{} {}", p.number, p.title)),
        policy_href: (m.policy)
            .map(|n| url::relative(&route, Route::policy(n).as_str()))
            .unwrap_or_default(),
        lead_department: m.lead_department.clone().unwrap_or_default(),
        lead_department_href: (m.lead_department.as_deref())
            .map(dept_href)
            .unwrap_or_default(),
        lead: m.lead_department.as_deref().map(|name| DepartmentLink {
            name: name.to_string(),
            href: dept_href(name),
        }),
        responsible: (m.departments.iter())
            .map(|name| DepartmentLink {
                name: name.clone(),
                href: dept_href(name),
            })
            .collect(),
        related_listed: site.uses_related_departments(),
        predecessors: LineageView::of(site, &route, &m.predecessors),
        successors: LineageView::of(site, &route, &m.successors),
        related: m
            .related_departments
            .iter()
            .map(|r| RelatedView {
                name: r.name.clone(),
                href: dept_href(&r.name),
                period: period_label(ui, r.since, r.until),
                note: r.note.clone(),
            })
            .collect(),
        lifecycle: lifecycle_label(ui, m),
        lifecycle_note: m.lifecycle_note.clone(),
        updated: DateView::of(ui, site.measure_updated(m)),
        contact: site
            .config
            .contact
            .clone()
            .filter(|c| c.phone.is_some() || c.email.is_some()),
        blank_legend: blank_legend(),
        sections,
        year_labels: years.iter().map(|y| site.plan.year_label(*y)).collect(),
        schedule: m
            .schedule
            .iter()
            .map(|t| TaskView {
                name: t.name.clone(),
                years: years.iter().map(|y| t.years.contains(y)).collect(),
            })
            .collect(),
        schedule_chart,
        activity: measure_activity(site, m, &route),
        kpis,
        data_links: [("CSV", "csv")]
            .into_iter()
            .map(|(label, ext)| Link {
                label: label.to_string(),
                href: url::relative(&route, &data::measure_file(&m.id, ext)),
            })
            .collect(),
        data_page_href: url::relative(&route, Route::data().as_str()),
        pager: Pager::of(index, |j| {
            site.measures.get(j).map(|n| Link {
                label: format!("{} {}", n.id, n.title),
                href: url::relative(&route, Route::measure(&n.id).as_str()),
            })
        }),
    };
    let mut breadcrumbs = vec![("ホーム".to_string(), Route::home())];
    if let Some(p) = policy {
        breadcrumbs.push((
            format!("方針{} {}", p.number, p.title),
            Route::policy(p.number),
        ));
    }
    let description = m
        .sections
        .lead()
        .map(|t| markdown::to_plain_text(t, 120))
        .unwrap_or_else(|| m.title.clone());
    let used = TermUse::of(UsedOn::measure(&m.id, &m.title), &terms);
    Page::new(
        route,
        "measure.html",
        format!("{} {}", m.id, m.title),
        description,
        view,
    )
    .breadcrumbs(breadcrumbs)
    .files(files)
    .uses(used)
    .draft(&m.publication)
}

/// 「表の「未報告」は実績がまだ報告されていない年度、…を表します。」
fn blank_legend() -> String {
    let parts: Vec<String> = Blank::ALL
        .iter()
        .map(|b| format!("「{}」は{}", b.word(), b.explanation()))
        .collect();
    format!("表とグラフの{}を表します。", parts.join("、"))
}

/// The sections of the measure sheet that have text, in the order and with the headings the
/// plan declares.
fn sections(site: &Site, m: &Measure, terms: &mut PageTerms) -> Vec<SectionView> {
    site.plan
        .sections
        .iter()
        .filter_map(|d| {
            m.sections
                .get(&d.key)
                .filter(|t| !t.trim().is_empty())
                .map(|t| SectionView {
                    heading: d.heading.clone(),
                    id: d.anchor(),
                    html: markdown::to_html_with_terms(t, 3, terms, site.config.raw_html),
                })
        })
        .collect()
}

/// The schedule chart, its file added to `files`; `None` without a schedule.
fn schedule_chart(
    ui: &Ui,
    m: &Measure,
    years: &[FiscalYear],
    route: &Route,
    files: &mut Vec<Output>,
) -> Option<ChartView> {
    if m.schedule.is_empty() {
        return None;
    }
    let (rendered, title, _) =
        charts::schedule::render(ui, &m.schedule, years, "schedule-chart", &m.title);
    let (view, file) = charts::publish(ui, rendered, title, route.as_str(), "schedule.svg");
    files.push(file);
    Some(view)
}

/// Each KPI's table and chart, the charts' files added to `files`.
fn kpis(
    site: &Site,
    ui: &Ui,
    m: &Measure,
    years: &[FiscalYear],
    route: &Route,
    terms: &mut PageTerms,
    files: &mut Vec<Output>,
) -> Vec<KpiView> {
    let rules = &site.config.achievement;
    m.kpis
        .iter()
        .map(|k| {
            let label = view::kpi_number_label(ui, k.number);
            let id = format!("kpi-{}-chart", k.number);
            let chart = charts::kpi::render(ui, k, years, rules, &id, &label).map(|c| {
                let file_name = format!("kpi-{}.svg", k.number);
                let (view, file) =
                    charts::publish(ui, c.rendered, c.title, route.as_str(), &file_name);
                files.push(file);
                view
            });
            kpi_view(ui, site, m, k, years, rules, chart, terms)
        })
        .collect()
}
