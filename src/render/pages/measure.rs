//! The page of each measure: its facts, the sections of the measure sheet, the schedule,
//! the activity plans, the KPIs with their charts, and links to its data and its neighbours.

use serde::Serialize;

use super::shared::{
    block, date_view, department, escape, lang_in_plan, lifecycle, part_period, plan_year_label,
    policy_heading, policy_heading_html, ruby_title, text_html, untraced_lang, Pager,
};
use super::{Page, TermUse};
use crate::fiscal::FiscalYear;
use crate::glossary::{Linker, PageTerms, UsedOn};
use crate::interface::Ui;
use crate::kpi::sentence::Blank;
use crate::markdown;
use crate::model::{LinkedMeasure, Measure, SectionDef, Site};
use crate::output::Output;
use crate::render::charts::{self, ChartView};
use crate::render::data;
use crate::render::view::activity::{measure_activity_in, MeasureActivity};
use crate::render::view::{self, japanese_only, kpi_view, lang_of, DateView, KpiView, Link};
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct MeasureView {
    id: String,
    title: String,
    /// `Some("ja")` when the title is shown in Japanese on a page in another language: the
    /// heading is then followed by the note.
    title_lang: Option<&'static str>,
    /// The title with its furigana as `<ruby>` HTML, in the やさしい日本語 tree.
    title_ruby_html: Option<String>,
    policy_label: Option<String>,
    /// [`MeasureView::policy_label`] as HTML, the policy's title marked by its language.
    policy_html: Option<String>,
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
    /// The `lang` of what is never translated: the note on the lifecycle, the activity plans.
    japanese_only: Option<&'static str>,
    /// 「この施策は…を引き継いでいます。」 and 「この施策は…に引き継がれました。」 as HTML.
    predecessors_html: Option<String>,
    successors_html: Option<String>,
    /// The site's contact name, marked by its language.
    contact_name_html: Option<String>,
    /// 「列の説明とほかのデータはオープンデータのページにあります。」 with the link.
    data_more_html: String,
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
    name_lang: Option<&'static str>,
    href: String,
    /// When it takes part (「令和6年度から」), in the page's language.
    period: Option<String>,
    /// The same as shown after the name: 「（令和6年度から）」.
    period_shown: Option<String>,
    note: Option<String>,
}

/// A lineage link to a measure of another plan of the site.
#[derive(Serialize)]
struct LineageView {
    plan_title: String,
    id: String,
    title: String,
    href: String,
    /// 「木更津市地域ICT推進プランの「8 電子決裁の範囲の拡大」」 as HTML, each title marked
    /// by its language.
    label_html: String,
}

impl LineageView {
    fn of(site: &Site, ui: &Ui, route: &Route, linked: &[LinkedMeasure]) -> Vec<LineageView> {
        (linked.iter())
            .map(|l| {
                let plan_lang = lang_in_plan(site, &l.prefix, "plan.title", &l.plan_title);
                let path = format!("measure.{}.title", l.at.id);
                let title_lang = lang_in_plan(site, &l.prefix, &path, &l.title);
                LineageView {
                    plan_title: l.plan_title.clone(),
                    id: l.at.id.clone(),
                    title: l.title.clone(),
                    href: url::across_plans(
                        route,
                        &site.prefix,
                        &l.prefix,
                        Route::measure(&l.at.id).as_str(),
                    ),
                    label_html: ui.fill_html_raw(
                        "measure.lineage_item",
                        &[
                            ("plan", &text_html(&l.plan_title, plan_lang)),
                            ("id", &escape(&l.at.id)),
                            ("title", &text_html(&l.title, title_lang)),
                        ],
                    ),
                }
            })
            .collect()
    }
}

/// 「この施策は…と…を引き継いでいます。」: the sentence `key` naming each of `links`; `None`
/// without links.
fn lineage_html(ui: &Ui, key: &str, links: &[LineageView]) -> Option<String> {
    if links.is_empty() {
        return None;
    }
    let measures: Vec<String> = (links.iter())
        .map(|l| format!("<a href=\"{}\">{}</a>", escape(&l.href), l.label_html))
        .collect();
    let joint = ui.html("measure.lineage_joint");
    Some(ui.fill_html_raw(key, &[("measures", &measures.join(&joint))]))
}

#[derive(Serialize)]
struct DepartmentLink {
    name: String,
    /// `Some("ja")` when the name is shown in Japanese on a page in another language.
    lang: Option<&'static str>,
    href: String,
}

#[derive(Serialize)]
struct SectionView {
    heading: String,
    /// `Some("ja")` when the heading (one the plan declares) is shown in Japanese on a page
    /// in another language.
    heading_lang: Option<&'static str>,
    id: String,
    /// The section's text, with the note that it is in Japanese only where it is.
    html: String,
}

/// A row of the schedule table: the task and, for each year of the plan, whether it runs.
#[derive(Serialize)]
struct TaskView {
    name: String,
    /// `Some("ja")` when the task is shown in Japanese on a page in another language.
    name_lang: Option<&'static str>,
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
    let dept_link = |name: &str| {
        let (shown, lang) = department(site, name);
        DepartmentLink {
            name: shown,
            lang,
            href: dept_href(name),
        }
    };
    let predecessors = LineageView::of(site, ui, &route, &m.predecessors);
    let successors = LineageView::of(site, ui, &route, &m.successors);
    let contact = (site.config.contact.clone()).filter(|c| c.phone.is_some() || c.email.is_some());
    let mut files = Vec::new();
    // Sections before KPIs: a term is linked where the page first uses it.
    let sections = sections(site, ui, m, &mut terms);
    let schedule_chart = schedule_chart(ui, m, &years, &route, &mut files);
    let kpis = kpis(site, ui, m, &years, &route, &mut terms, &mut files);
    let view = MeasureView {
        id: m.id.clone(),
        title: m.title.clone(),
        title_lang: lang_of(site, &format!("measure.{}.title", m.id)),
        title_ruby_html: ruby_title(site, m.title_ruby.as_deref()),
        policy_label: policy.map(|p| policy_heading(ui, p)),
        policy_html: policy.map(|p| policy_heading_html(site, ui, p)),
        policy_href: (m.policy)
            .map(|n| url::relative(&route, Route::policy(n).as_str()))
            .unwrap_or_default(),
        lead_department: m.lead_department.clone().unwrap_or_default(),
        lead_department_href: (m.lead_department.as_deref())
            .map(dept_href)
            .unwrap_or_default(),
        lead: m.lead_department.as_deref().map(dept_link),
        responsible: (m.departments.iter()).map(|name| dept_link(name)).collect(),
        related_listed: site.uses_related_departments(),
        predecessors_html: lineage_html(ui, "measure.continues", &predecessors),
        successors_html: lineage_html(ui, "measure.continued_by", &successors),
        predecessors,
        successors,
        related: m
            .related_departments
            .iter()
            .map(|r| {
                let (name, name_lang) = department(site, &r.name);
                let period = part_period(ui, r.since, r.until);
                RelatedView {
                    name,
                    name_lang,
                    href: dept_href(&r.name),
                    period_shown: (period.as_ref())
                        .map(|p| ui.fill("measure.related_period", &[("period", p)])),
                    period,
                    note: r.note.clone(),
                }
            })
            .collect(),
        lifecycle: lifecycle(ui, m),
        lifecycle_note: m.lifecycle_note.clone(),
        japanese_only: japanese_only(site),
        contact_name_html: (contact.as_ref())
            .map(|c| text_html(&c.name, untraced_lang(site, &c.name))),
        data_more_html: ui.fill_html_raw(
            "measure.data_more",
            &[(
                "link",
                &format!(
                    "<a href=\"{}\">{}</a>",
                    escape(&url::relative(&route, Route::data().as_str())),
                    ui.html("nav.open_data")
                ),
            )],
        ),
        updated: date_view(ui, site.measure_updated(m)),
        contact,
        blank_legend: blank_legend(ui),
        sections,
        year_labels: years
            .iter()
            .map(|y| plan_year_label(site, ui, *y))
            .collect(),
        schedule: (m.schedule.iter().enumerate())
            .map(|(i, t)| TaskView {
                name: t.name.clone(),
                name_lang: lang_of(site, &format!("measure.{}.task.{i}", m.id)),
                years: years.iter().map(|y| t.years.contains(y)).collect(),
            })
            .collect(),
        schedule_chart,
        activity: measure_activity_in(site, ui, m, &route),
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
            site.measures.get(j).map(|n| {
                let link = Link {
                    label: format!("{} {}", n.id, n.title),
                    href: url::relative(&route, Route::measure(&n.id).as_str()),
                };
                (link, lang_of(site, &format!("measure.{}.title", n.id)))
            })
        }),
    };
    let mut breadcrumbs = vec![(ui.plain("nav.home"), Route::home())];
    if let Some(p) = policy {
        breadcrumbs.push((policy_heading(ui, p), Route::policy(p.number)));
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

/// 「表とグラフの「未報告」は実績がまだ報告されていないこと、…を表します。」, in the page's
/// language.
fn blank_legend(ui: &Ui) -> String {
    let parts: Vec<String> = Blank::ALL
        .iter()
        .map(|b| {
            ui.fill(
                "kpi.blank_legend_item",
                &[
                    ("word", &ui.plain(b.key())),
                    ("explanation", &ui.plain(b.explanation_key())),
                ],
            )
        })
        .collect();
    let marker = parts.join(&ui.plain("format.list_separator"));
    ui.fill("chart.series_note", &[("marker", &marker)])
}

/// The sections of the measure sheet that have text, in the order and with the headings the
/// plan declares.
fn sections(site: &Site, ui: &Ui, m: &Measure, terms: &mut PageTerms) -> Vec<SectionView> {
    let defaults = SectionDef::defaults();
    site.plan
        .sections
        .iter()
        .filter_map(|d| {
            m.sections
                .get(&d.key)
                .filter(|t| !t.trim().is_empty())
                .map(|t| {
                    let (heading, heading_lang) = section_heading(site, ui, &defaults, d);
                    let lang = lang_of(site, &format!("measure.{}.section.{}", m.id, d.key));
                    let html = markdown::to_html_with_terms(t, 3, terms, site.config.raw_html);
                    SectionView {
                        heading,
                        heading_lang,
                        id: d.anchor(),
                        html: block(ui, html, lang),
                    }
                })
        })
        .collect()
}

/// A section's heading and its `lang`. The four default sections are keikaku's own words,
/// from the interface table (`measure.current_state`, …); a heading the plan declares is
/// content, translated as `section.<key>.heading`. A declared heading that is the default's
/// (the same key and words) is the default: it reads the same in Japanese, and its
/// translation is the table's.
fn section_heading(
    site: &Site,
    ui: &Ui,
    defaults: &[SectionDef],
    d: &SectionDef,
) -> (String, Option<&'static str>) {
    let path = format!("section.{}.heading", d.key);
    let is_default = defaults
        .iter()
        .any(|x| x.key == d.key && x.heading == d.heading);
    match is_default && !site.translated.has(&path) {
        true => (ui.plain(&format!("measure.{}", d.key)), None),
        false => (d.heading.clone(), lang_of(site, &path)),
    }
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
