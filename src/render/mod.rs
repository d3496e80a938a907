//! Stage 3: the site model → [`Output`]s (pages and static files). Nothing here touches the
//! file system; [`crate::output`] writes what this returns.

pub mod activity;
pub mod charts;
pub mod data;
pub mod feeds;
mod glossary;
pub mod search;
pub mod templates;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::glossary::{Linker, PageTerms, Usage, UsedOn};
use crate::kpi::achievement;
use crate::markdown;
use crate::model::{Measure, Site};
use crate::output::{Output, Sink};
use crate::url::{self, Route};
use templates::Theme;
use view::{
    brief_card, kpi_view, lifecycle_label, measure_card, Chrome, Link, MeasureCard, SummaryRow,
    SummaryView,
};

/// A page to render: its route, template and page-specific context.
struct PageJob {
    route: Route,
    /// Written to this file instead of `route.file()` (the 404 page).
    file: Option<String>,
    template: &'static str,
    title: String,
    description: String,
    breadcrumbs: Vec<(String, Route)>,
    context: Context,
    /// Files written next to the page (its charts).
    files: Vec<Output>,
}

/// Renders every file of the site into `sink`. Measure pages — nearly all of a large site — are
/// prepared and rendered in parallel and handed to the sink as soon as each is done, so memory
/// does not grow with the number of measures; diagnostics come back in a fixed order.
/// Returns the glossary entries each measure page used (see [`Renderer::rest`]).
pub fn render_site(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Vec<BTreeSet<usize>> {
    use rayon::prelude::*;

    let renderer = Renderer::new(site, theme);
    // The open-data tables and the search index each read the whole site in one pass; they
    // are built on one side of a `join` while the measure pages fill the cores on the other.
    let (whole_site, measure_results) = rayon::join(
        || WholeSite::build(site, sink),
        || -> Vec<(Vec<Box<Diagnostic>>, BTreeSet<usize>)> {
            (0..site.measures.len())
                .into_par_iter()
                .map(|i| match renderer.measure(i) {
                    Ok(files) => {
                        let errors = files
                            .outputs
                            .into_iter()
                            .filter_map(|o| sink.put(o).err())
                            .map(|e| Box::new(write_error(e)))
                            .collect();
                        (errors, files.terms)
                    }
                    Err(d) => (vec![d], BTreeSet::new()),
                })
                .collect()
        },
    );
    let mut terms = Vec::with_capacity(measure_results.len());
    for (errors, used) in measure_results {
        diags.extend(errors.into_iter().map(|d| *d));
        terms.push(used);
    }
    renderer.finish(&terms, whole_site, sink, diags);
    terms
}

/// One measure's own files (its page and charts) and the glossary entries its page uses.
pub struct MeasureFiles {
    pub outputs: Vec<Output>,
    pub terms: BTreeSet<usize>,
}

/// The parts of the site that read every measure in one pass.
struct WholeSite {
    data: Result<data::Catalogue, crate::output::WriteError>,
    search: search::SearchIndex,
}

impl WholeSite {
    fn build(site: &Site, sink: &dyn Sink) -> WholeSite {
        let (data, search) = rayon::join(|| data::files(site, sink), || search::build(site));
        WholeSite { data, search }
    }
}

/// What every page of one build shares: the site, the parsed theme, the glossary automaton
/// (built once; every page's text runs through it once) and the stylesheet's version.
/// A full build renders every measure and then the rest; `serve`, after one measure file
/// changed, renders that measure's page first and the pages that list it after.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    css_version: String,
    linker: Linker,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme) -> Renderer<'a> {
        let css_version = short_hash(
            theme
                .statics
                .iter()
                .find(|o| o.path == "assets/style.css")
                .map_or(&[][..], |o| &o.bytes[..]),
        );
        Renderer {
            site,
            theme,
            css_version,
            linker: Linker::new(&site.glossary),
        }
    }

    /// The page and charts of `site.measures[index]`.
    pub fn measure(&self, index: usize) -> Result<MeasureFiles, Box<Diagnostic>> {
        let m = &self.site.measures[index];
        let (mut job, terms) = measure_page(self.site, m, index, &self.linker);
        let mut outputs = std::mem::take(&mut job.files);
        outputs.push(self.page(job)?);
        Ok(MeasureFiles {
            outputs,
            terms: terms.used().clone(),
        })
    }

    /// Every file except the measure pages and their charts, given the glossary entries each
    /// measure page used (in `site.measures` order).
    pub fn rest(
        &self,
        measure_terms: &[BTreeSet<usize>],
        sink: &dyn Sink,
        diags: &mut Diagnostics,
    ) {
        self.finish(
            measure_terms,
            WholeSite::build(self.site, sink),
            sink,
            diags,
        );
    }

    fn page(&self, job: PageJob) -> Result<Output, Box<Diagnostic>> {
        render_job(self.site, self.theme, &self.css_version, job)
    }

    fn finish(
        &self,
        measure_terms: &[BTreeSet<usize>],
        whole_site: WholeSite,
        sink: &dyn Sink,
        diags: &mut Diagnostics,
    ) {
        use rayon::prelude::*;

        let (site, linker) = (self.site, &self.linker);
        let mut usage = Usage::new(site.glossary.len());
        for (used, m) in measure_terms.iter().zip(&site.measures) {
            usage.record_used(used, &UsedOn::measure(&m.id, &m.title));
        }
        let emit = |job: PageJob| self.emit(job, sink);
        let WholeSite {
            data,
            search: search_index,
        } = whole_site;
        // Each listing page is rendered and written as soon as its context is made, and its
        // context dropped: on a large site each lists every measure, and holding all of them
        // at once cost hundreds of megabytes. The pages whose text may link glossary entries
        // record which they use, one after another; the other lists are made alongside.
        let ((home, policies, narratives), (index, activity, departments, data, search)) =
            rayon::join(
                || {
                    let home = emit(home(site, linker, &mut usage));
                    let policies: Vec<Written> = (site.plan.policies.iter().enumerate())
                        .map(|(i, p)| emit(policy_page(site, i, p, linker, &mut usage)))
                        .collect();
                    let narratives: Vec<Written> = (site.pages.iter().enumerate())
                        .map(|(i, p)| emit(narrative_page(site, i, p, linker, &mut usage)))
                        .collect();
                    (home, policies, narratives)
                },
                || {
                    let ((index, activity), ((departments, data), search)) = rayon::join(
                        || {
                            rayon::join(
                                || emit(measures_index(site, linker)),
                                || activity::pages(site).map(emit).collect::<Vec<_>>(),
                            )
                        },
                        || {
                            rayon::join(
                                || {
                                    let departments = emit(departments(site));
                                    let data = match data {
                                        Ok(catalogue) => emit(data_page(site, &catalogue)),
                                        Err(e) => Written::failed(write_error(e)),
                                    };
                                    (departments, data)
                                },
                                || emit(search_page(site)),
                            )
                        },
                    );
                    (index, activity, departments, data, search)
                },
            );
        let mut written = vec![home, index];
        written.extend(policies);
        written.extend(activity);
        written.extend([departments, data, search]);
        written.extend(narratives);
        // Last, because its back-links come from every other page.
        written.push(emit(glossary::page(site, linker, &usage)));
        glossary::warn_unused(site, &usage, diags);
        written.push(emit(PageJob {
            route: Route::home(),
            file: Some("404.html".into()),
            template: "404.html",
            title: "ページが見つかりません".into(),
            description: String::new(),
            breadcrumbs: Vec::new(),
            context: Context::new(),
            files: Vec::new(),
        }));

        // Plan pages (more than the measures, on a large site) are made, rendered and written
        // one by one, in parallel.
        let mut plans: Vec<Written> = activity::plan_pages(site).map(emit).collect();
        let mut routes = page_routes(site, &written);
        routes.extend(plans.iter().map(|w| w.route.clone()));

        let mut singles: Vec<Output> = Vec::new();
        for w in written.iter_mut().chain(plans.iter_mut()) {
            singles.append(&mut w.files);
        }
        let errors = written.into_iter().chain(plans).filter_map(|w| w.error);
        diags.extend(errors.map(|d| *d));
        singles.extend(self.theme.statics.iter().cloned());
        singles.extend(search_index.outputs);
        singles.extend(feeds::outputs(site, &routes));
        for o in singles {
            if let Err(e) = sink.put(o) {
                diags.push(write_error(e));
            }
        }
    }

    /// Renders `job` and hands the page to `sink`, keeping what the feeds and the sitemap
    /// need and the files that go beside the page.
    fn emit(&self, mut job: PageJob, sink: &dyn Sink) -> Written {
        let files = std::mem::take(&mut job.files);
        let route = job.route.clone();
        let listed = job.file.is_none();
        let error = self
            .page(job)
            .and_then(|o| sink.put(o).map_err(|e| Box::new(write_error(e))))
            .err();
        Written {
            route,
            listed,
            files,
            error,
        }
    }
}

/// A page once rendered and written: its route (for the feeds and the sitemap, if it is
/// `listed` there), the files that go beside it, and what went wrong.
struct Written {
    route: Route,
    listed: bool,
    files: Vec<Output>,
    error: Option<Box<Diagnostic>>,
}

impl Written {
    fn failed(error: Diagnostic) -> Written {
        Written {
            route: Route::home(),
            listed: false,
            files: Vec::new(),
            error: Some(Box::new(error)),
        }
    }
}

fn policy_page(
    site: &Site,
    i: usize,
    p: &crate::model::Policy,
    linker: &Linker,
    usage: &mut Usage,
) -> PageJob {
    let route = Route::policy(p.number);
    let mut terms = PageTerms::new(linker, &route);
    let mut ctx = Context::new();
    ctx.insert("policy_number", &p.number);
    ctx.insert("policy_title", &p.title);
    ctx.insert(
        "summary_html",
        &markdown::to_html_with_terms(&p.summary, 3, &mut terms, site.config.raw_html),
    );
    usage.record(&terms, &UsedOn::policy(p.number, &p.title));
    let cards: Vec<MeasureCard> = site
        .measures
        .iter()
        .filter(|m| m.policy == p.number)
        .map(|m| measure_card(m, &route, &site.config.achievement))
        .collect();
    ctx.insert("measures", &cards);
    let (summary, file) = summary_view(
        site,
        site.measures.iter().filter(|m| m.policy == p.number),
        &format!("方針{}", p.number),
        &route,
    );
    ctx.insert("summary", &summary);
    let neighbour = |j: Option<usize>| {
        j.and_then(|j| site.plan.policies.get(j)).map(|q| Link {
            label: format!("方針{} {}", q.number, q.title),
            href: url::relative(&route, Route::policy(q.number).as_str()),
        })
    };
    ctx.insert("prev", &neighbour(i.checked_sub(1)));
    ctx.insert("next", &neighbour(Some(i + 1)));
    PageJob {
        title: format!("方針{} {}", p.number, p.title),
        description: markdown::to_plain_text(&p.summary, 120),
        breadcrumbs: vec![("ホーム".into(), Route::home())],
        route,
        file: None,
        template: "policy.html",
        context: ctx,
        files: file.into_iter().collect(),
    }
}

fn narrative_page(
    site: &Site,
    i: usize,
    p: &crate::model::Page,
    linker: &Linker,
    usage: &mut Usage,
) -> PageJob {
    let route = Route::page(&p.slug);
    let mut terms = PageTerms::new(linker, &route);
    let mut ctx = Context::new();
    ctx.insert(
        "body_html",
        &markdown::to_html_with_terms(&p.body, 2, &mut terms, site.config.raw_html),
    );
    usage.record(&terms, &UsedOn::page(i, &p.slug, &p.title));
    PageJob {
        route,
        file: None,
        template: "page.html",
        title: p.title.clone(),
        description: p
            .description
            .clone()
            .unwrap_or_else(|| markdown::to_plain_text(&p.body, 120)),
        breadcrumbs: vec![("ホーム".into(), Route::home())],
        context: ctx,
        files: Vec::new(),
    }
}

/// Every page's route in site order (home, indexes, policies, measures, then the rest), for
/// the sitemap and feed. Measure pages are rendered separately, so their routes are slotted
/// in after the policy pages, where they were listed before.
fn page_routes(site: &Site, written: &[Written]) -> Vec<Route> {
    let mut routes = Vec::with_capacity(written.len() + site.measures.len());
    let mut measures_added = false;
    for w in written.iter().filter(|w| w.listed) {
        let is_lead = w.route == Route::home()
            || w.route == Route::measures()
            || w.route.as_str().starts_with("policies/");
        if !is_lead && !measures_added {
            routes.extend(site.measures.iter().map(|m| Route::measure(&m.id)));
            measures_added = true;
        }
        routes.push(w.route.clone());
    }
    if !measures_added {
        routes.extend(site.measures.iter().map(|m| Route::measure(&m.id)));
    }
    routes
}

fn write_error(e: crate::output::WriteError) -> Diagnostic {
    Diagnostic::error(Code::Output, "public", e.to_string())
        .hint("出力先フォルダの空き容量と書き込み権限を確認してください")
}

fn render_job(
    site: &Site,
    theme: &Theme,
    css_version: &str,
    job: PageJob,
) -> Result<Output, Box<Diagnostic>> {
    // The 404 page is served at arbitrary depths, so its links start from the site's base path.
    let (chrome, file) = match &job.file {
        Some(file) => {
            let mut chrome = Chrome::new(site, &job.route, 0, css_version);
            let base_path = base_path(&site.config.base_url);
            let absolute = |href: &str| format!("{base_path}{}", href.trim_start_matches("./"));
            chrome.home_href = absolute("");
            chrome.stylesheet = absolute(&chrome.stylesheet);
            for item in chrome.nav.iter_mut().chain(chrome.page_nav.iter_mut()) {
                item.href = absolute(&item.href);
                item.current = false;
            }
            chrome.canonical = None;
            chrome.search_href = chrome.search_href.map(|h| absolute(&h));
            chrome.feed_href = absolute(&chrome.feed_href);
            (chrome, file.clone())
        }
        None => (
            Chrome::new(site, &job.route, job.route.depth(), css_version),
            job.route.file(),
        ),
    };
    let mut ctx = job.context;
    let breadcrumbs: Vec<Link> = job
        .breadcrumbs
        .iter()
        .map(|(label, r)| Link {
            label: label.clone(),
            href: url::relative(&job.route, r.as_str()),
        })
        .collect();
    ctx.insert("chrome", &chrome);
    ctx.insert("page_title", &job.title);
    ctx.insert("description", &job.description);
    ctx.insert("breadcrumbs", &breadcrumbs);
    ctx.insert(
        "og_type",
        if job.route == Route::home() {
            "website"
        } else {
            "article"
        },
    );
    let file_links = site.config.file_links && job.file.is_none();
    theme
        .tera
        .render(job.template, &ctx)
        .map(|html| {
            if file_links {
                Output::new(file, url::file_system_links(&html))
            } else {
                Output::new(file, html)
            }
        })
        .map_err(|e| {
            Box::new(
                Diagnostic::error(
                    Code::Template,
                    format!("themes/{}/templates/{}", site.config.theme, job.template),
                    format!(
                        "テンプレートを描画できません: {}",
                        templates::error_chain(&e)
                    ),
                )
                .hint("テンプレートで使っている変数名を確認してください"),
            )
        })
}

/// The path part of the base URL (`https://a.jp/dx/` → `/dx/`).
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// The status summary (chart and table) of the KPIs of `measures`, for a page at `route`.
fn summary_view<'a>(
    site: &Site,
    measures: impl Iterator<Item = &'a Measure>,
    scope: &str,
    route: &Route,
) -> (Option<SummaryView>, Option<Output>) {
    let kpis: Vec<&crate::model::Kpi> = measures.flat_map(|m| m.kpis.iter()).collect();
    if kpis.is_empty() {
        return (None, None);
    }
    let rules = &site.config.achievement;
    let counts: BTreeMap<_, _> = site
        .plan
        .period
        .years()
        .into_iter()
        .map(|y| (y, achievement::count(kpis.iter().copied(), y, rules)))
        .collect();
    let (rendered, title, _) =
        charts::summary::render(&counts, kpis.len(), rules, "summary-chart", scope);
    let (chart, file) = charts::publish(rendered, title, route.as_str(), "summary.svg");
    let rows = charts::summary::shown_statuses(&counts, rules)
        .into_iter()
        .map(|s| SummaryRow {
            key: s.key(),
            label: s.label(rules).to_string(),
            icon: charts::icons::html(s),
            counts: counts
                .values()
                .map(|c| c.get(&s).copied().unwrap_or(0))
                .collect(),
        })
        .collect();
    let view = SummaryView {
        chart,
        total: kpis.len(),
        years: counts.keys().map(|y| y.label()).collect(),
        rows,
    };
    (Some(view), Some(file))
}

/// The pages that gather every measure of the plan — the home page and the measures index —
/// show each measure's card with its latest results while the plan has at most this many
/// measures (a city's plan has 30–100). Beyond that the home page gives each policy's count
/// and a link to the policy page, and the index lists each measure by ID, title and
/// department only: at ten thousand measures the full cards were 16.6 MB per page, which a
/// phone must load before it shows anything. Policy and measure pages always show results.
pub const CARD_LIMIT: usize = 100;

/// How much of each measure a page that gathers them all shows (see [`CARD_LIMIT`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cards {
    /// Cards with the latest results of each KPI.
    Full,
    /// Cards without results.
    Brief,
    /// Only the number of measures per policy.
    Count,
}

impl Cards {
    fn for_site(site: &Site, large: Cards) -> Cards {
        match site.measures.len() <= CARD_LIMIT {
            true => Cards::Full,
            false => large,
        }
    }
}

#[derive(Serialize)]
struct PolicyBlock {
    number: u32,
    title: String,
    href: String,
    summary_html: String,
    measure_count: usize,
    /// Empty when the page shows only the count ([`Cards::Count`]).
    measures: Vec<MeasureCard>,
}

fn policy_blocks(
    site: &Site,
    from: &Route,
    terms: &mut PageTerms,
    cards: Cards,
) -> Vec<PolicyBlock> {
    let rules = &site.config.achievement;
    let card = |m: &Measure| match cards {
        Cards::Full => measure_card(m, from, rules),
        Cards::Brief | Cards::Count => brief_card(m, from),
    };
    site.plan
        .policies
        .iter()
        .map(|p| {
            let of_policy = || site.measures.iter().filter(|m| m.policy == p.number);
            PolicyBlock {
                number: p.number,
                title: p.title.clone(),
                href: url::relative(from, Route::policy(p.number).as_str()),
                summary_html: markdown::to_html_with_terms(
                    &p.summary,
                    4,
                    terms,
                    site.config.raw_html,
                ),
                measure_count: of_policy().count(),
                measures: match cards {
                    Cards::Count => Vec::new(),
                    Cards::Full | Cards::Brief => of_policy().map(card).collect(),
                },
            }
        })
        .collect()
}

fn home(site: &Site, linker: &Linker, usage: &mut Usage) -> PageJob {
    let route = Route::home();
    let mut terms = PageTerms::new(linker, &route);
    let mut ctx = Context::new();
    ctx.insert(
        "philosophy_html",
        &markdown::to_html_with_terms(&site.plan.philosophy, 3, &mut terms, site.config.raw_html),
    );
    // Back-links point at the philosophy only; policy summaries have their own pages.
    usage.record(&terms, &UsedOn::home());
    let cards = Cards::for_site(site, Cards::Count);
    ctx.insert("policies", &policy_blocks(site, &route, &mut terms, cards));
    ctx.insert("cards_listed", &(cards == Cards::Full));
    ctx.insert(
        "measures_href",
        &url::relative(&route, Route::measures().as_str()),
    );
    ctx.insert("measure_count", &site.measures.len());
    ctx.insert("activity", &activity::latest_summary(site, &route));
    ctx.insert(
        "kpi_count",
        &site.measures.iter().map(|m| m.kpis.len()).sum::<usize>(),
    );
    let (summary, file) = summary_view(site, site.measures.iter(), "計画全体", &route);
    ctx.insert("summary", &summary);
    let files = file.into_iter().collect();
    PageJob {
        title: site.config.title.clone(),
        description: format!(
            "{}の{}（{}）の施策と成果目標の進み具合を公開しています。",
            site.config.city,
            site.plan.title,
            site.plan.revision.clone().unwrap_or_default()
        ),
        breadcrumbs: Vec::new(),
        route,
        file: None,
        template: "index.html",
        context: ctx,
        files,
    }
}

fn measures_index(site: &Site, linker: &Linker) -> PageJob {
    let route = Route::measures();
    let mut ctx = Context::new();
    let mut terms = PageTerms::new(linker, &route);
    let cards = Cards::for_site(site, Cards::Brief);
    ctx.insert("policies", &policy_blocks(site, &route, &mut terms, cards));
    ctx.insert("results_listed", &(cards == Cards::Full));
    PageJob {
        title: "施策一覧".into(),
        description: format!(
            "{}の全{}施策の一覧（基本方針別）",
            site.plan.title,
            site.measures.len()
        ),
        breadcrumbs: vec![("ホーム".into(), Route::home())],
        route,
        file: None,
        template: "measures.html",
        context: ctx,
        files: Vec::new(),
    }
}

#[derive(Serialize)]
struct RelatedView {
    name: String,
    href: String,
    period: Option<String>,
    note: Option<String>,
}

#[derive(Serialize)]
struct SectionView {
    heading: &'static str,
    id: &'static str,
    html: String,
}

#[derive(Serialize)]
struct TaskView {
    name: String,
    years: Vec<bool>,
}

fn measure_page<'a>(
    site: &Site,
    m: &Measure,
    index: usize,
    linker: &'a Linker,
) -> (PageJob, PageTerms<'a>) {
    let route = Route::measure(&m.id);
    let mut terms = PageTerms::new(linker, &route);
    let years = site.plan.period.years();
    let policy = site.plan.policies.iter().find(|p| p.number == m.policy);
    let dept_href = |name: &str| {
        url::relative(
            &route,
            &format!("{}#{}", Route::departments().as_str(), url::anchor(name)),
        )
    };
    let mut ctx = Context::new();
    ctx.insert("id", &m.id);
    ctx.insert("title", &m.title);
    ctx.insert(
        "policy_label",
        &policy.map(|p| format!("方針{} {}", p.number, p.title)),
    );
    ctx.insert(
        "policy_href",
        &url::relative(&route, Route::policy(m.policy).as_str()),
    );
    ctx.insert("lead_department", &m.lead_department);
    ctx.insert("lead_department_href", &dept_href(&m.lead_department));
    let related: Vec<RelatedView> = m
        .related_departments
        .iter()
        .map(|r| RelatedView {
            name: r.name.clone(),
            href: dept_href(&r.name),
            period: match (r.since, r.until) {
                (None, None) => None,
                (Some(s), None) => Some(format!("{}から", s.label())),
                (None, Some(u)) => Some(format!("{}まで", u.label())),
                (Some(s), Some(u)) => Some(format!("{}〜{}", s.label(), u.label())),
            },
            note: r.note.clone(),
        })
        .collect();
    ctx.insert("related", &related);
    ctx.insert("lifecycle", &lifecycle_label(m));
    ctx.insert("lifecycle_note", &m.lifecycle_note);
    let sections: Vec<SectionView> = [
        ("現状と課題", "current-state", &m.sections.current_state),
        ("施策内容詳細", "details", &m.sections.details),
        (
            "施策の実施により期待される効果",
            "expected-effects",
            &m.sections.expected_effects,
        ),
        (
            "今後の取組方針・取組内容",
            "future-policy",
            &m.sections.future_policy,
        ),
    ]
    .into_iter()
    .filter_map(|(heading, id, text)| {
        text.as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| SectionView {
                heading,
                id,
                html: markdown::to_html_with_terms(t, 3, &mut terms, site.config.raw_html),
            })
    })
    .collect();
    ctx.insert("sections", &sections);
    ctx.insert(
        "year_labels",
        &years.iter().map(|y| y.label()).collect::<Vec<_>>(),
    );
    let schedule: Vec<TaskView> = m
        .schedule
        .iter()
        .map(|t| TaskView {
            name: t.name.clone(),
            years: years.iter().map(|y| t.years.contains(y)).collect(),
        })
        .collect();
    ctx.insert("schedule", &schedule);
    ctx.insert("activity", &activity::measure_activity(site, m, &route));
    let mut files = Vec::new();
    let schedule_chart = (!m.schedule.is_empty()).then(|| {
        let (rendered, title, _) =
            charts::schedule::render(&m.schedule, &years, "schedule-chart", &m.title);
        let (view, file) = charts::publish(rendered, title, route.as_str(), "schedule.svg");
        files.push(file);
        view
    });
    ctx.insert("schedule_chart", &schedule_chart);
    let rules = &site.config.achievement;
    let kpis: Vec<_> = m
        .kpis
        .iter()
        .map(|k| {
            let label = format!("成果目標{}", view::circled(k.number));
            let chart =
                charts::kpi::render(k, &years, rules, &format!("kpi-{}-chart", k.number), &label)
                    .map(|c| {
                        let (view, file) = charts::publish(
                            c.rendered,
                            c.title,
                            route.as_str(),
                            &format!("kpi-{}.svg", k.number),
                        );
                        files.push(file);
                        view
                    });
            kpi_view(k, &years, rules, chart, &mut terms, site.config.raw_html)
        })
        .collect();
    ctx.insert("kpis", &kpis);
    ctx.insert(
        "data_links",
        &[("CSV", "csv"), ("JSON", "json")]
            .into_iter()
            .map(|(label, ext)| Link {
                label: label.to_string(),
                href: url::relative(&route, &data::measure_file(&m.id, ext)),
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "data_page_href",
        &url::relative(&route, Route::data().as_str()),
    );
    let neighbour = |j: Option<usize>| {
        j.and_then(|j| site.measures.get(j)).map(|n| Link {
            label: format!("{} {}", n.id, n.title),
            href: url::relative(&route, Route::measure(&n.id).as_str()),
        })
    };
    ctx.insert("prev", &neighbour(index.checked_sub(1)));
    ctx.insert("next", &neighbour(Some(index + 1)));
    let mut breadcrumbs = vec![("ホーム".to_string(), Route::home())];
    if let Some(p) = policy {
        breadcrumbs.push((
            format!("方針{} {}", p.number, p.title),
            Route::policy(p.number),
        ));
    }
    let job = PageJob {
        title: format!("{} {}", m.id, m.title),
        description: m
            .sections
            .lead()
            .map(|t| markdown::to_plain_text(t, 120))
            .unwrap_or_else(|| m.title.clone()),
        breadcrumbs,
        route,
        file: None,
        template: "measure.html",
        context: ctx,
        files,
    };
    (job, terms)
}

#[derive(Serialize)]
struct DepartmentView {
    name: String,
    anchor: String,
    lead: Vec<Link>,
    related: Vec<Link>,
}

fn departments(site: &Site) -> PageJob {
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
            let note = match (r.since, r.until) {
                (Some(s), Some(u)) => Some(format!("{}〜{}", s.label(), u.label())),
                (Some(s), None) => Some(format!("{}から", s.label())),
                (None, Some(u)) => Some(format!("{}まで", u.label())),
                (None, None) => None,
            };
            by_name.entry(&r.name).or_default().1.push(link(m, note));
        }
    }
    let list: Vec<DepartmentView> = by_name
        .into_iter()
        .map(|(name, (lead, related))| DepartmentView {
            name: name.to_string(),
            anchor: url::anchor(name),
            lead,
            related,
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("departments", &list);
    PageJob {
        title: "担当部署".into(),
        description: "施策を担当する部署（主管部署・関連部署）ごとの施策の一覧".into(),
        breadcrumbs: vec![("ホーム".into(), Route::home())],
        route,
        file: None,
        template: "departments.html",
        context: ctx,
        files: Vec::new(),
    }
}

#[derive(Serialize)]
struct SearchPolicy {
    number: u32,
    title: String,
    href: String,
    measures: Vec<MeasureCard>,
}

/// The search page: the form that JavaScript turns into a search, and — for everyone, and all
/// that a browser without JavaScript gets — every measure by policy and by department.
fn search_page(site: &Site) -> PageJob {
    let route = Route::search();
    let policies: Vec<SearchPolicy> = site
        .plan
        .policies
        .iter()
        .map(|p| SearchPolicy {
            number: p.number,
            title: p.title.clone(),
            href: url::relative(&route, Route::policy(p.number).as_str()),
            measures: site
                .measures
                .iter()
                .filter(|m| m.policy == p.number)
                .map(|m| brief_card(m, &route))
                .collect(),
        })
        .collect();
    let mut by_department: BTreeMap<&str, Vec<Link>> = BTreeMap::new();
    for m in &site.measures {
        by_department
            .entry(&m.lead_department)
            .or_default()
            .push(Link {
                label: format!("{} {}", m.id, m.title),
                href: url::relative(&route, Route::measure(&m.id).as_str()),
            });
    }
    let departments: Vec<DepartmentView> = by_department
        .into_iter()
        .map(|(name, lead)| DepartmentView {
            name: name.to_string(),
            anchor: url::anchor(name),
            lead,
            related: Vec::new(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("policies", &policies);
    ctx.insert("departments", &departments);
    ctx.insert("root", &url::relative(&route, ""));
    ctx.insert("search_action", "./");
    ctx.insert("docs_src", &url::relative(&route, search::DOCS_FILE));
    ctx.insert(
        "shard_prefix",
        &url::relative(&route, &format!("{}shard-", search::DIR)),
    );
    ctx.insert("file_links", &site.config.file_links);
    ctx.insert("script_src", &url::relative(&route, "assets/search.js"));
    ctx.insert(
        "glossary_href",
        &url::relative(&route, Route::glossary().as_str()),
    );
    ctx.insert("data_href", &url::relative(&route, Route::data().as_str()));
    PageJob {
        title: "サイト内検索".into(),
        description:
            "施策・成果目標・部署・用語・ページを検索できます。すべての施策の一覧もあります。"
                .into(),
        breadcrumbs: vec![("ホーム".into(), Route::home())],
        route,
        file: None,
        template: "search.html",
        context: ctx,
        files: Vec::new(),
    }
}

fn data_page(site: &Site, catalogue: &data::Catalogue) -> PageJob {
    let mut ctx = Context::new();
    ctx.insert("catalogue", catalogue);
    ctx.insert("has_activity", &!site.activity.is_empty());
    ctx.insert("license", &site.config.data_license);
    ctx.insert("package_href", "datapackage.json");
    PageJob {
        title: "オープンデータ".into(),
        description: format!(
            "{}の施策・成果目標・用語の説明などのデータ（CSV・JSON）のダウンロードと列の説明",
            site.plan.title
        ),
        breadcrumbs: vec![("ホーム".into(), Route::home())],
        route: Route::data(),
        file: None,
        template: "data.html",
        context: ctx,
        files: Vec::new(),
    }
}

/// A short, stable fingerprint for cache-busting the stylesheet URL (FNV-1a; not security).
fn short_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_urls() {
        assert_eq!(base_path("https://a.jp/dx/"), "/dx/");
        assert_eq!(base_path("https://a.jp/"), "/");
        assert_eq!(base_path("/x/"), "/x/");
    }
}
