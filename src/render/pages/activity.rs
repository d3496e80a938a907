//! The activity plan pages: the list of years, the page of each year (all measures grouped by
//! status and by policy — plain sections and links, so it "filters" without JavaScript), and
//! the page of each plan.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Page;
use crate::fiscal::FiscalYear;
use crate::interface::Ui;
use crate::markdown;
use crate::model::{compare_ids, ActivityPlan, Measure, Site};
use crate::progress::StatusId;
use crate::render::paging::{self, Paging};
use crate::render::view::activity::{
    department_lang, marked, plan_title, sentence_html, status_counts, status_counts_from,
    status_groups, status_tally, task_statuses, year_label, year_label_long, StatusCount,
    StatusView, TaskStatus,
};
use crate::render::view::{japanese_only, lang_of};
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
    /// 「（12施策）」 in the page's language.
    total_label: String,
    counts: Vec<StatusCount>,
}

/// The home breadcrumb and the list of years, the first steps above every activity page.
fn crumbs(ui: &Ui) -> Vec<(String, Route)> {
    vec![
        (ui.plain("nav.home"), Route::home()),
        (ui.plain("activity.title"), Route::activity()),
    ]
}

/// The list of years; `None` on a site without activity plans.
pub(crate) fn index(site: &Site, ui: &Ui) -> Option<Page<IndexView>> {
    let years = site.activity_years();
    if years.is_empty() {
        return None;
    }
    let route = Route::activity();
    let years = years
        .iter()
        .rev()
        .map(|&y| {
            let total = site.activity_in(y).len();
            YearEntry {
                label: plan_title(ui, y),
                href: url::relative(&route, Route::activity_year(y).as_str()),
                total,
                total_label: count_in_brackets(ui, total),
                counts: status_counts(site, ui, y, &route),
            }
        })
        .collect();
    Some(
        Page::new(
            route,
            "activity_index.html",
            ui.plain("activity.title"),
            ui.plain("activity.index_description"),
            IndexView { years },
        )
        .breadcrumbs(vec![(ui.plain("nav.home"), Route::home())]),
    )
}

#[derive(Serialize)]
pub(crate) struct YearView {
    year_label: String,
    year_long: String,
    total: usize,
    /// The lead paragraph in the page's language (HTML).
    lead_html: String,
    /// The heading of the measures without a plan that year.
    without_plan_heading: String,
    /// Where the activity plans are not in the page's language, the note that says so
    /// (HTML); `None` in the Japanese tree.
    japanese_note: Option<String>,
    counts: Vec<StatusCount>,
    by_policy: Vec<PolicyGroup>,
    by_status: Vec<StatusGroup>,
    /// Measures running that year without a plan: listed so that a gap is visible.
    without_plan: Vec<LangLink>,
    paging: Paging,
}

/// A measure in a year's list.
#[derive(Serialize)]
struct PlanItem {
    id: String,
    title: String,
    /// `Some("ja")` when the measure's title is shown in Japanese in another language's tree.
    title_lang: Option<&'static str>,
    href: String,
    department: String,
    department_lang: Option<&'static str>,
    /// 主管部署, or 担当課 for a measure with several equally responsible departments.
    department_label: String,
    status: StatusView,
    /// The tasks that need attention, with their countermeasures.
    attention: Vec<TaskStatus>,
}

#[derive(Serialize)]
struct PolicyGroup {
    number: u32,
    title: String,
    title_lang: Option<&'static str>,
    /// 「方針1」, "Policy 1".
    label: String,
    /// 「（3施策）」 in the page's language.
    count_label: String,
    count: usize,
    plans: Vec<PlanItem>,
}

#[derive(Serialize)]
struct StatusGroup {
    status: StatusView,
    count_label: String,
    count: usize,
    plans: Vec<PlanItem>,
}

/// The pages of each year that has plans, oldest first: the measures in pages of
/// `page_size`, each page listing the plans (and the gaps) of its measures. Each lists many
/// plans, so they are made one at a time, as they are rendered.
pub(crate) fn years<'a>(site: &'a Site, ui: &'a Ui) -> impl Iterator<Item = Page<YearView>> + 'a {
    let size = site.config.page_size;
    let chunks = paging::split(&site.measures, size);
    let count = chunks.len();
    site.activity_years().into_iter().flat_map(move |year| {
        let first = Route::activity_year(year);
        let label = ui.fill("activity.year_pages", &[("year", &year_label(ui, year))]);
        let total = site.measures.len();
        // Counted once per year, not once per page: every page of the year shows the counts.
        let tally = status_tally(site, year);
        chunks
            .clone()
            .into_iter()
            .enumerate()
            .map(move |(i, chunk)| {
                let paging = Paging::new(&first, i, count, size, total, &label);
                year_page(site, ui, year, chunk, &tally, paging)
            })
    })
}

fn year_page(
    site: &Site,
    ui: &Ui,
    year: FiscalYear,
    measures: &[Measure],
    tally: &[(Option<StatusId>, usize)],
    paging: Paging,
) -> Page<YearView> {
    let route = paging.route(&Route::activity_year(year));
    let vocabulary = &site.config.progress;
    let item = |plan: &ActivityPlan, m: &Measure| {
        let (department, department_label, department_lang) = department(site, ui, plan, m);
        PlanItem {
            id: m.id.clone(),
            title: m.title.clone(),
            title_lang: lang_of(site, &format!("measure.{}.title", m.id)),
            href: url::relative(&route, Route::activity_plan(year, &m.id).as_str()),
            department,
            department_lang,
            department_label,
            status: StatusView::of(site, ui, plan.overall(vocabulary)),
            attention: task_statuses(site, ui, plan, true),
        }
    };
    // The year's plans are in measure ID order, as the page's measures are: each measure's
    // plans are found by binary search, so a page costs its own measures, not the year's.
    let year_plans = site.activity_in(year);
    let plans: Vec<(&ActivityPlan, &Measure)> = measures
        .iter()
        .flat_map(|m| {
            let start = year_plans.partition_point(|a| compare_ids(&a.measure_id, &m.id).is_lt());
            let end = year_plans.partition_point(|a| compare_ids(&a.measure_id, &m.id).is_le());
            year_plans[start..end].iter().map(move |a| (a, m))
        })
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
                title_lang: lang_of(site, &format!("policy.{}.title", p.number)),
                label: ui.fill("policy.label", &[("number", &p.number.to_string())]),
                count_label: count_in_brackets(ui, plans.len()),
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
                status: StatusView::of(site, ui, g),
                count_label: count_in_brackets(ui, plans.len()),
                count: plans.len(),
                plans,
            }
        })
        .filter(|g| g.count > 0)
        .collect();
    let without_plan: Vec<LangLink> = measures
        .iter()
        .filter(|m| {
            // `plans` are in measure ID order (plans are sorted by year, then measure ID).
            m.active.contains(year)
                && plans
                    .binary_search_by(|(_, pm)| compare_ids(&pm.id, &m.id))
                    .is_err()
        })
        .map(|m| measure_link(site, &route, m))
        .collect();
    // The year's count, whichever page lists which of its plans.
    let year_total = year_plans.len();
    let (year_name, total_text) = (year_label(ui, year), year_total.to_string());
    let description = ui.fill(
        "activity.year_description",
        &[("year", &year_name), ("count", &total_text)],
    );
    let title = paging.title(&plan_title(ui, year));
    let view = YearView {
        paging,
        year_label: year_name.clone(),
        year_long: year_label_long(ui, year),
        total: year_total,
        lead_html: sentence_html(
            ui,
            "activity.year_explained",
            &[("year", &year_label_long(ui, year)), ("count", &total_text)],
        ),
        without_plan_heading: ui.fill("activity.without_plan", &[("year", &year_name)]),
        japanese_note: japanese_note(site, ui),
        counts: status_counts_from(site, ui, year, tally, &route),
        by_policy,
        by_status,
        without_plan,
    };
    Page::new(route, "activity_year.html", title, description, view).breadcrumbs(crumbs(ui))
}

/// 「01-01 施策名」 as a link to the measure, its title marked when it is in Japanese.
fn measure_link(site: &Site, from: &Route, m: &Measure) -> LangLink {
    LangLink {
        label: format!("{} {}", m.id, m.title),
        href: url::relative(from, Route::measure(&m.id).as_str()),
        lang: lang_of(site, &format!("measure.{}.title", m.id)),
    }
}

/// A link whose words may be in Japanese on a page in another language.
#[derive(Serialize)]
struct LangLink {
    label: String,
    href: String,
    /// `Some("ja")` when the label is shown in Japanese in another language's tree.
    lang: Option<&'static str>,
}

/// 「（3施策）」, " (3 measures)", " (1 measure)".
fn count_in_brackets(ui: &Ui, count: usize) -> String {
    let key = match count {
        1 => "activity.year_count_one",
        _ => "activity.year_count",
    };
    ui.fill(key, &[("count", &count.to_string())])
}

/// The note 「この部分は日本語のみです」 in the page's language, once per page, for the content of
/// the activity plans, which no translation gives; `None` in the Japanese tree.
fn japanese_note(site: &Site, ui: &Ui) -> Option<String> {
    japanese_only(site).map(|_| ui.html("activity.only_japanese"))
}

#[derive(Serialize)]
pub(crate) struct PlanView {
    year_label: String,
    year_long: String,
    id: String,
    title: String,
    title_lang: Option<&'static str>,
    /// 「令和6年度 年間活動計画 ・ 施策ID」 above the title, before the ID.
    id_line: String,
    measure_href: String,
    year_href: String,
    /// 「令和6年度 年間活動計画の一覧へ」.
    year_link: String,
    department: String,
    department_lang: Option<&'static str>,
    /// 主管部署, or 担当課 for a measure with several equally responsible departments.
    department_label: String,
    contact: Option<String>,
    /// Only ever set when the site allows it (see `model::ActivityPlan::staff`).
    staff: Option<String>,
    status: StatusView,
    related: Vec<LangLink>,
    goal_html: String,
    /// `Some("ja")` outside the Japanese tree: what the plan says (goal, actions, quarters'
    /// work, countermeasures, procurement) is never translated.
    content_lang: Option<&'static str>,
    /// The note that says so, once on the page (HTML); `None` in the Japanese tree.
    japanese_note: Option<String>,
    tasks: Vec<TaskView>,
    budget: Option<BudgetView>,
    other_years: Vec<LangLink>,
}

#[derive(Serialize)]
struct TaskView {
    number: usize,
    name: String,
    /// 「取組内容1: 」 before the name, in the page's language.
    heading: String,
    /// 「「…」の四半期ごとの作業予定」: the table's caption (HTML).
    caption_html: String,
    status: StatusView,
    quarters: Vec<QuarterView>,
    countermeasures_html: Option<String>,
}

#[derive(Serialize)]
struct QuarterView {
    label: String,
    months: String,
    /// The months as the row shows them after the quarter: 「（4月〜6月）」, " (April to June)".
    months_shown: String,
    work: Vec<String>,
}

#[derive(Serialize)]
struct BudgetView {
    planned: bool,
    details: Option<String>,
    /// 「調達内容: 」 before the details.
    details_label: String,
}

/// The interface keys of each quarter's name and months.
const QUARTERS: [(&str, &str); 4] = [
    ("activity.quarter_1", "activity.months_1"),
    ("activity.quarter_2", "activity.months_2"),
    ("activity.quarter_3", "activity.months_3"),
    ("activity.quarter_4", "activity.months_4"),
];

/// One page per plan, made one at a time as they are rendered: a large site has more plans
/// than measures, and holding every page's view at once would cost hundreds of megabytes.
pub(crate) fn plans<'a>(
    site: &'a Site,
    ui: &'a Ui,
) -> impl rayon::iter::ParallelIterator<Item = Page<PlanView>> + 'a {
    use rayon::prelude::*;
    site.activity.par_iter().filter_map(move |plan| {
        site.measure(&plan.measure_id)
            .map(|m| plan_page(site, ui, plan, m))
    })
}

/// Whether the page of `plan` shows a measure in `edited`: its own measure, or one of its
/// related measures (by ID and title). Nothing else on the page comes from a measure file.
pub(crate) fn plan_shows(plan: &ActivityPlan, edited: &BTreeSet<String>) -> bool {
    edited.contains(&plan.measure_id) || plan.related_measures.iter().any(|id| edited.contains(id))
}

pub(crate) fn plan_page(site: &Site, ui: &Ui, plan: &ActivityPlan, m: &Measure) -> Page<PlanView> {
    let route = Route::activity_plan(plan.year, &m.id);
    let quarters: Vec<(String, String)> = QUARTERS
        .iter()
        .map(|(label, months)| (ui.plain(label), ui.plain(months)))
        .collect();
    let tasks = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| TaskView {
            number: i + 1,
            name: t.name.clone(),
            heading: ui.fill(
                "activity.item_numbered",
                &[("number", &(i + 1).to_string())],
            ),
            caption_html: ui.fill_html_raw(
                "activity.quarters_caption",
                &[("item", &marked(site, &t.name))],
            ),
            status: StatusView::of(site, ui, t.progress),
            quarters: quarters
                .iter()
                .zip(&t.quarters)
                .map(|((label, months), work)| QuarterView {
                    label: label.clone(),
                    months: months.clone(),
                    months_shown: ui.fill("activity.quarter_months", &[("months", months)]),
                    work: work.clone(),
                })
                .collect(),
            countermeasures_html: t
                .countermeasures
                .as_deref()
                .map(|c| markdown::to_html_from(c, 4, site.config.raw_html, &route)),
        })
        .collect();
    let (department, department_label, department_lang) = department(site, ui, plan, m);
    let year_name = plan_title(ui, plan.year);
    let view = PlanView {
        year_label: year_label(ui, plan.year),
        year_long: year_label_long(ui, plan.year),
        id: m.id.clone(),
        title: m.title.clone(),
        title_lang: lang_of(site, &format!("measure.{}.title", m.id)),
        id_line: ui.fill("activity.id_line", &[("plan", &year_name)]),
        measure_href: url::relative(&route, Route::measure(&m.id).as_str()),
        year_href: url::relative(&route, Route::activity_year(plan.year).as_str()),
        year_link: ui.fill(
            "activity.back_to_index",
            &[("year", &year_label(ui, plan.year))],
        ),
        department,
        department_lang,
        department_label,
        contact: plan.contact.clone(),
        staff: plan.staff.clone(),
        status: StatusView::of(site, ui, plan.overall(&site.config.progress)),
        related: plan
            .related_measures
            .iter()
            .filter_map(|id| site.measure(id))
            .map(|m| measure_link(site, &route, m))
            .collect(),
        goal_html: markdown::to_html_from(&plan.goal, 3, site.config.raw_html, &route),
        content_lang: japanese_only(site),
        japanese_note: japanese_note(site, ui),
        tasks,
        budget: plan.budget.as_ref().map(|b| BudgetView {
            planned: b.planned,
            details: b.details.clone(),
            details_label: ui.fill("activity.procurement", &[("what", "")]),
        }),
        other_years: site
            .activity_of(&m.id)
            .filter(|p| p.year != plan.year)
            .map(|p| LangLink {
                label: plan_title(ui, p.year),
                href: url::relative(&route, Route::activity_plan(p.year, &m.id).as_str()),
                lang: None,
            })
            .collect(),
    };
    let mut breadcrumbs = crumbs(ui);
    breadcrumbs.push((year_name.clone(), Route::activity_year(plan.year)));
    Page::new(
        route,
        "activity_plan.html",
        format!("{year_name} {} {}", m.id, m.title),
        markdown::to_plain_text(&plan.goal, 120),
        view,
    )
    .breadcrumbs(breadcrumbs)
    .draft(&m.publication)
}

/// The department responsible for a plan — its own, or the measure's lead department, or
/// the measure's equally responsible departments — by the names of the page's language, with
/// what to call it (主管部署, 担当課) and the `lang` of its name. Empty when neither names one.
fn department(
    site: &Site,
    ui: &Ui,
    plan: &ActivityPlan,
    m: &Measure,
) -> (String, String, Option<&'static str>) {
    let lang = |names: &[&String]| names.iter().find_map(|d| department_lang(site, d));
    match (&plan.department, &m.lead_department) {
        (Some(d), _) | (None, Some(d)) => (
            site.department_name(d).to_string(),
            ui.plain("activity.lead_department"),
            lang(&[d]),
        ),
        (None, None) => (
            (m.departments.iter())
                .map(|d| site.department_name(d))
                .collect::<Vec<_>>()
                .join(&ui.plain("format.list_separator")),
            ui.plain("activity.responsible_departments"),
            lang(&m.departments.iter().collect::<Vec<_>>()),
        ),
    }
}
