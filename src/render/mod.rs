//! Stage 3: the site model → [`Output`]s (pages and static files). Nothing here touches the
//! file system; [`crate::output`] writes what this returns.
//!
//! A build runs in three steps, each a flat set of independent jobs on every core:
//! 1. the measure pages (each handed to the sink as soon as it is rendered), the open data and
//!    the search index — each reads every measure once;
//! 2. every other page, by kind (`Job`), each written as soon as it is rendered;
//! 3. the glossary, whose back-links come from every other page, then the files that list
//!    every page (feed, sitemap) and the theme's static files.
//!
//! Each page kind builds its typed view in `pages`; this module only runs the jobs and
//! gathers what they report, in a fixed order.

pub(crate) mod charts;
pub mod data;
pub mod feeds;
mod pages;
pub mod paging;
pub(crate) mod reuse;
pub mod search;
pub(crate) mod templates;
pub(crate) mod view;

pub use pages::CARD_LIMIT;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::glossary::{Linker, Usage, UsedOn};
use crate::model::Site;
use crate::output::{Output, Sink, WriteError};
use crate::url::Route;
use pages::{Address, Frame, Page, TermUse};
use reuse::{PageStore, Reuse};
use templates::Theme;

/// Renders every file of the site into `sink`. Measure pages — nearly all of a large site — are
/// rendered in parallel and handed to the sink as soon as each is done, so memory does not grow
/// with the number of measures; diagnostics come back in a fixed order.
/// Returns the glossary entries each measure page used (see [`Renderer::rest`]).
/// `store`, in `serve`, is emptied and refilled with every page but the measure pages (see
/// [`Renderer::rest`]).
pub(crate) fn render_site(
    site: &Site,
    theme: &Theme,
    store: Option<&PageStore>,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Vec<BTreeSet<usize>> {
    if let Some(store) = store {
        store.clear();
    }
    let terms = render_plan(
        site,
        site,
        &site.plans(),
        theme,
        store.map(Reuse::Refill),
        sink,
        diags,
    );
    // Each further language of `languages:` is a whole tree of its own under its folder
    // (/en/…), with its own pages, charts, search index and sitemap.
    for &language in site
        .config
        .languages
        .iter()
        .filter(|l| **l != site.language)
    {
        let tree = crate::translate::localize(site, language, &site.translations);
        let mut found = Diagnostics::default();
        render_plan(
            &tree,
            site,
            &tree.plans(),
            theme,
            store.map(Reuse::Refill),
            sink,
            &mut found,
        );
        // A tree shows the Japanese content wherever it has no translation, and then finds
        // what the Japanese tree found (a glossary entry no page uses, a broken template):
        // each is reported once.
        let known: BTreeSet<String> = diags.iter().map(|d| format!("{d:?}")).collect();
        diags.extend((found.into_vec().into_iter()).filter(|d| !known.contains(&format!("{d:?}"))));
    }
    terms
}

/// [`render_site`] for one plan of the site; `plans` are all of them, which its search covers.
/// Every file goes to `root` under the plan's prefix (nothing for the Japanese tree's main
/// plan, `ict-2018/` or `en/ict-2018/` for the others). `japanese` is the same plan in the
/// Japanese tree (`site` itself there), whose open data every tree's data page lists.
fn render_plan(
    site: &Site,
    japanese: &Site,
    plans: &[&Site],
    theme: &Theme,
    reuse: Option<Reuse>,
    root: &dyn Sink,
    diags: &mut Diagnostics,
) -> Vec<BTreeSet<usize>> {
    let sink = &Prefixed {
        sink: root,
        prefix: &site.prefix,
    };
    let mut renderer = Renderer::new(site, theme).with_open_data_of(japanese);
    renderer.plans = plans.to_vec();
    renderer.reuse = reuse;
    let (measures, whole_site) = renderer.read_every_measure(true, sink);
    let mut terms = Vec::with_capacity(measures.len());
    for (errors, used) in measures {
        diags.extend(errors.into_iter().map(|d| *d));
        terms.push(used);
    }
    renderer.finish(&terms, whole_site, sink, diags);
    // The site's other plans: each a whole site of its own under its folder (/ict-2018/…),
    // with its own pages, open data, search index and glossary.
    for (other, japanese) in site.others.iter().zip(&japanese.others) {
        render_plan(other, japanese, plans, theme, reuse, root, diags);
    }
    terms
}

/// A sink that writes every file of one of the site's other plans under that plan's folder.
struct Prefixed<'s> {
    sink: &'s dyn Sink,
    prefix: &'s str,
}

impl Sink for Prefixed<'_> {
    fn put(&self, mut output: Output) -> Result<(), WriteError> {
        if !self.prefix.is_empty() {
            output.path = format!("{}{}", self.prefix, output.path);
        }
        self.sink.put(output)
    }

    fn stream<'t>(
        &'t self,
        path: &str,
    ) -> Result<Box<dyn crate::output::StreamWriter + 't>, WriteError> {
        self.sink.stream(&format!("{}{path}", self.prefix))
    }
}

/// A sink that keeps nothing but the size of what it is given: the open data of a language
/// tree is the Japanese tree's, written once at the root, and the tree's data page needs only
/// its catalogue (the files' names and sizes).
struct Discard;

impl Sink for Discard {
    fn put(&self, _output: Output) -> Result<(), WriteError> {
        Ok(())
    }

    fn stream<'t>(
        &'t self,
        _path: &str,
    ) -> Result<Box<dyn crate::output::StreamWriter + 't>, WriteError> {
        Ok(Box::new(Counted(0)))
    }
}

/// A streamed file of [`Discard`]: its size alone.
struct Counted(usize);

impl crate::output::StreamWriter for Counted {
    fn write(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.0 += bytes.len();
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<usize, WriteError> {
        Ok(self.0)
    }
}

/// One measure's own files (its page and charts) and the glossary entries its page uses.
pub(crate) struct MeasureFiles {
    pub outputs: Vec<Output>,
    pub terms: BTreeSet<usize>,
}

/// What a measure page's job reports: its write or template errors and the entries it used.
type MeasureResult = (Vec<Box<Diagnostic>>, BTreeSet<usize>);

/// The parts of the site that read every measure in one pass.
struct WholeSite {
    data: Result<data::Catalogue, WriteError>,
    search: search::SearchIndex,
}

/// What every page of one build shares: the site, the parsed theme, the glossary automaton
/// (built once; every page's text runs through it once) and the stylesheet's version.
/// A full build renders every measure and then the rest; `serve`, after one measure file
/// changed, renders that measure's page first and the pages that list it after.
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    /// The interface text of the site's language.
    ui: &'a crate::interface::Ui,
    css_version: String,
    /// [`Site::last_updated`], shown in every page's footer (see [`Frame::site_updated`]).
    site_updated: crate::date::Date,
    linker: Linker,
    /// Every plan of the site (this one among them), which the search index covers.
    plans: Vec<&'a Site>,
    /// The plan whose open data the data page lists: this one in the Japanese tree, which
    /// writes the files; the same plan of the Japanese tree in the others, which write none.
    open_data: &'a Site,
    /// How the pages after the measure pages use the pages kept by `serve` (not at all in a
    /// plain build).
    reuse: Option<Reuse<'a>>,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(site: &'a Site, theme: &'a Theme) -> Renderer<'a> {
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
            ui: theme.ui(site.language),
            css_version,
            site_updated: site.last_updated(),
            linker: Linker::new(&site.glossary),
            plans: site.plans(),
            open_data: site,
            reuse: None,
        }
    }

    /// Lists the open data of `japanese` (the same plan in the Japanese tree) on the data
    /// page instead of writing this tree's own.
    pub(crate) fn with_open_data_of(mut self, japanese: &'a Site) -> Renderer<'a> {
        self.open_data = japanese;
        self
    }

    /// Takes the pages after the measure pages from `store` wherever what they show did not
    /// change, and keeps there the ones rendered again.
    pub(crate) fn reusing(mut self, store: &'a PageStore) -> Renderer<'a> {
        self.reuse = Some(Reuse::Unchanged(store));
        self
    }

    /// The page and charts of `site.measures[index]`.
    pub(crate) fn measure(&self, index: usize) -> Result<MeasureFiles, Box<Diagnostic>> {
        let mut page = pages::measure::page(self.site, self.ui, index, &self.linker);
        let mut outputs = std::mem::take(&mut page.files);
        let terms = page.terms.take().map(|t| t.used).unwrap_or_default();
        outputs.push(self.render(&page, None)?);
        Ok(MeasureFiles { outputs, terms })
    }

    /// Every file except the measure pages and their charts, given the glossary entries each
    /// measure page used (in `site.measures` order).
    pub(crate) fn rest(
        &self,
        measure_terms: &[BTreeSet<usize>],
        sink: &dyn Sink,
        diags: &mut Diagnostics,
    ) {
        let (_, whole_site) = self.read_every_measure(false, sink);
        self.finish(measure_terms, whole_site, sink, diags);
    }

    /// Step 1: the open data and the search index, and every measure page if `with_pages`.
    /// Reports each measure page's result in `site.measures` order.
    fn read_every_measure(
        &self,
        with_pages: bool,
        sink: &dyn Sink,
    ) -> (Vec<MeasureResult>, WholeSite) {
        let site = self.site;
        let (mut measures, mut data, mut search) = (Vec::new(), None, None);
        rayon::scope(|s| {
            if with_pages {
                s.spawn(|_| measures = self.measure_pages(sink));
            }
            s.spawn(|_| {
                data = Some(match site.language == crate::language::Language::Japanese {
                    true => data::files(site, sink),
                    false => data::files(self.open_data, &Discard),
                })
            });
            s.spawn(|_| search = Some(search::build_for_plans(site, &self.plans, self.ui)));
        });
        let whole_site = WholeSite {
            data: data.expect("the open-data job ran"),
            search: search.expect("the search-index job ran"),
        };
        (measures, whole_site)
    }

    fn measure_pages(&self, sink: &dyn Sink) -> Vec<MeasureResult> {
        use rayon::prelude::*;
        (0..self.site.measures.len())
            .into_par_iter()
            .map(|i| match self.measure(i) {
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
    }

    /// Steps 2 and 3. Diagnostics are reported in a fixed order: the unused glossary entries,
    /// then each page's in [`Job`] order, then the files written last.
    fn finish(
        &self,
        measure_terms: &[BTreeSet<usize>],
        whole_site: WholeSite,
        sink: &dyn Sink,
        diags: &mut Diagnostics,
    ) {
        use rayon::prelude::*;

        let site = self.site;
        let WholeSite { data, search } = whole_site;
        let (catalogue, data_error) = match data {
            Ok(catalogue) => (Some(catalogue), None),
            Err(e) => (None, Some(Written::failed(write_error(e)))),
        };
        let mut done: Vec<(Job, Vec<Written>)> = Job::ALL
            .par_iter()
            .map(|&job| (job, self.run(job, catalogue.as_ref(), sink)))
            .collect();
        done.extend(data_error.map(|w| (Job::Data, vec![w])));

        let mut usage = Usage::new(site.glossary.len());
        for (used, m) in measure_terms.iter().zip(&site.measures) {
            usage.record_used(used, &UsedOn::measure(&m.id, &m.title));
        }
        for w in done.iter().flat_map(|(_, w)| w) {
            if let Some(t) = &w.terms {
                usage.record_used(&t.used, &t.on);
            }
        }
        let mut glossary = vec![self.emit(
            pages::glossary::page(site, self.ui, &self.linker, &usage),
            sink,
        )];
        glossary
            .extend(pages::glossary::uses_pages(site, self.ui, &usage).map(|p| self.emit(p, sink)));
        done.push((Job::Glossary, glossary));
        done.sort_by_key(|(job, _)| *job);
        // Whether an entry is used is a question about the content as written: a tree whose
        // translated texts no longer contain a Japanese term has not made it unused.
        if site.language == crate::language::Language::Japanese {
            pages::glossary::warn_unused(site, &usage, diags);
        }

        let written: Vec<Written> = done.into_iter().flat_map(|(_, w)| w).collect();
        let routes = page_routes(site, &written);
        let mut last: Vec<Output> = Vec::new();
        for w in written {
            last.extend(w.files);
            diags.extend(w.error.map(|d| *d));
        }
        // The theme's files are shared by every plan of the site, from its root.
        if site.prefix.is_empty() {
            last.extend(self.theme.statics.iter().cloned());
        }
        last.extend(search.outputs);
        last.extend(feeds::outputs(site, self.ui, &routes));
        for o in last {
            if let Err(e) = sink.put(o) {
                diags.push(write_error(e));
            }
        }
    }

    /// Makes, renders and writes the pages of `job`. The data page needs the `catalogue` of
    /// the open data, if they were written.
    fn run(&self, job: Job, catalogue: Option<&data::Catalogue>, sink: &dyn Sink) -> Vec<Written> {
        let (site, linker) = (self.site, &self.linker);
        match job {
            Job::Home => vec![self.emit(pages::home::page(site, self.ui, linker), sink)],
            Job::MeasuresIndex => pages::measures::pages(site, self.ui, linker)
                .map(|p| self.emit(p, sink))
                .collect(),
            Job::Policies => (site.plan.policies.iter().enumerate())
                .flat_map(|(i, p)| pages::policy::pages(site, self.ui, i, p, linker))
                .map(|p| self.emit(p, sink))
                .collect(),
            Job::Activity => {
                let index = pages::activity::index(site, self.ui).map(|p| self.emit(p, sink));
                (index.into_iter())
                    .chain(pages::activity::years(site, self.ui).map(|p| self.emit(p, sink)))
                    .collect()
            }
            // A plan that names no department has no departments page.
            Job::Departments => (site.has_departments())
                .then(|| pages::departments::pages(site, self.ui))
                .into_iter()
                .flatten()
                .map(|p| self.emit(p, sink))
                .collect(),
            Job::Data => (catalogue.into_iter())
                .map(|c| self.emit(pages::data::page(site, self.ui, c), sink))
                .collect(),
            Job::Search => pages::search::pages(site, self.ui)
                .map(|p| self.emit(p, sink))
                .collect(),
            Job::Narratives => (site.pages.iter().enumerate())
                .map(|(i, p)| self.emit(pages::narrative::page(site, self.ui, i, p, linker), sink))
                .collect(),
            // Made by `finish` once every other page has recorded the entries it uses.
            Job::Glossary => Vec::new(),
            // A server answers unknown paths with the site's one 404 page, at its root; the
            // site's other plans (under their folders) have none of their own.
            Job::NotFound if !site.prefix.is_empty() => Vec::new(),
            Job::NotFound => vec![self.emit(pages::not_found::page(self.ui), sink)],
            Job::ActivityPlans => self.activity_plans(sink),
        }
    }

    fn render<V: Serialize>(
        &self,
        page: &Page<V>,
        reuse: Option<Reuse>,
    ) -> Result<Output, Box<Diagnostic>> {
        let frame = Frame {
            site: self.site,
            theme: self.theme,
            ui: self.ui,
            css_version: &self.css_version,
            site_updated: self.site_updated,
            reuse,
        };
        pages::render(&frame, page)
    }

    /// Renders `page` and hands it to `sink`, keeping what the feeds, the sitemap and the
    /// glossary need and the files that go beside the page.
    fn emit<V: Serialize>(&self, page: Page<V>, sink: &dyn Sink) -> Written {
        let error = self
            .render(&page, self.reuse)
            .and_then(|o| sink.put(o).map_err(|e| Box::new(write_error(e))))
            .err();
        Written {
            listed: page.address == Address::Route,
            route: page.route,
            files: page.files,
            terms: page.terms,
            error,
        }
    }
}

impl Renderer<'_> {
    /// The page of every activity plan. On the fast path, a page that shows none of the
    /// edited measures is the one kept from the last run.
    fn activity_plans(&self, sink: &dyn Sink) -> Vec<Written> {
        use rayon::prelude::*;

        let site = self.site;
        let unchanged = match self.reuse {
            Some(Reuse::Unchanged(store)) => store.edited().map(|edited| (store, edited)),
            _ => None,
        };
        let Some((store, edited)) = unchanged else {
            return pages::activity::plans(site, self.ui)
                .map(|p| self.emit(p, sink))
                .collect();
        };
        site.activity
            .par_iter()
            .filter_map(|plan| {
                let m = site.measure(&plan.measure_id)?;
                let route = Route::activity_plan(plan.year, &m.id);
                let kept = (!pages::activity::plan_shows(plan, &edited))
                    .then(|| store.kept(&format!("{}{}", site.prefix, route.file())))
                    .flatten();
                Some(match kept {
                    Some(bytes) => Written {
                        error: (sink.put(Output::new(route.file(), bytes)).err())
                            .map(|e| Box::new(write_error(e))),
                        route,
                        listed: true,
                        files: Vec::new(),
                        terms: None,
                    },
                    None => self.emit(pages::activity::plan_page(site, self.ui, plan, m), sink),
                })
            })
            .collect()
    }
}

/// The pages after the measure pages, by kind, in the order the sitemap lists them and their
/// diagnostics are reported.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Job {
    Home,
    MeasuresIndex,
    Policies,
    /// The list of years and each year's page.
    Activity,
    Departments,
    Data,
    Search,
    Narratives,
    Glossary,
    NotFound,
    /// The page of each plan: more than the measures, on a large site.
    ActivityPlans,
}

impl Job {
    const ALL: [Job; 11] = [
        Job::Home,
        Job::MeasuresIndex,
        Job::Policies,
        Job::Activity,
        Job::Departments,
        Job::Data,
        Job::Search,
        Job::Narratives,
        Job::Glossary,
        Job::NotFound,
        Job::ActivityPlans,
    ];
}

/// A page once rendered and written: its route (for the feeds and the sitemap, if it is
/// `listed` there), the files that go beside it, the glossary entries it used, and what went
/// wrong.
struct Written {
    route: Route,
    listed: bool,
    files: Vec<Output>,
    terms: Option<TermUse>,
    error: Option<Box<Diagnostic>>,
}

impl Written {
    fn failed(error: Diagnostic) -> Written {
        Written {
            route: Route::home(),
            listed: false,
            files: Vec::new(),
            terms: None,
            error: Some(Box::new(error)),
        }
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

fn write_error(e: WriteError) -> Diagnostic {
    Diagnostic::error(Code::Output, "public", e.to_string())
        .hint("出力先フォルダの空き容量と書き込み権限を確認してください")
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
