//! The pipeline: load → validate → render → write, in one type, [`Pipeline`], that every
//! command runs. `keikaku build` writes the site into the output folder
//! ([`Pipeline::build`]); `keikaku check` runs every stage but keeps nothing
//! ([`Pipeline::check`]); `keikaku serve` keeps the parsed files, the theme and the last good
//! site between runs ([`Pipeline::incremental`]) and, when only measure files changed, renders
//! just those measures first ([`Pipeline::rerun_measures`]; the `incremental` submodule tells
//! what is kept and when the fast path applies).
//!
//! The stages themselves live in their modules (`crate::load`, [`crate::validate`],
//! [`crate::render`], [`crate::output`]); this one only chains them, reports each stage as it
//! starts, and decides where the files go.

pub mod drafts;
mod incremental;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::limits::Limits;
use crate::load::{self, Loader};
use crate::model::Site;
use crate::output::{Collect, Counts, Output, Sink, Staging, Tally, WriteError};
use crate::render;
use crate::render::templates::{self, Theme};
use crate::validate::{self, links, GlossaryNames, Overrides};
pub use drafts::Drafts;
pub use incremental::Partial;

/// What a successful build produced, for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// HTML pages, the 404 page included.
    pub pages: usize,
    /// SVG charts.
    pub charts: usize,
    /// Open-data downloads (CSV, JSON) under `data/`.
    pub data_files: usize,
    /// Every file written, pages, charts and data files included.
    pub files: usize,
    /// Their total size.
    pub bytes: usize,
    /// From the start of loading to the finished output folder.
    pub elapsed: Duration,
}

impl BuildReport {
    pub(crate) fn of(outputs: &[Output], elapsed: Duration) -> BuildReport {
        BuildReport::from_counts(Tally::of(outputs), elapsed)
    }

    pub(crate) fn from_counts(c: Counts, elapsed: Duration) -> BuildReport {
        BuildReport {
            pages: c.pages,
            charts: c.charts,
            data_files: c.data_files,
            files: c.files,
            bytes: c.bytes,
            elapsed,
        }
    }
}

/// The stages of a build, reported to a progress display as each one starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading `config.yaml`, `content/` and the theme.
    Load,
    /// Checking the content and building the site model.
    Validate,
    /// Making the pages, charts, data files and search index.
    Render,
    /// Replacing the output folder with the finished site.
    Write,
}

impl Stage {
    pub(crate) const ALL: [Stage; 4] = [Stage::Load, Stage::Validate, Stage::Render, Stage::Write];

    pub(crate) fn index(self) -> usize {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Where a run's files go.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// Written into a working folder beside this output folder as they are rendered, which
    /// replaces the output folder only once every stage succeeded (`Staging`).
    Folder(&'a Path),
    /// Kept in memory and returned in [`Outcome::outputs`] (`check`, `serve`, tests).
    Memory,
}

/// A run that succeeded.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The files made, sorted by path; empty when they went to a [`Target::Folder`].
    pub outputs: Vec<Output>,
    /// What the run produced, counted.
    pub report: BuildReport,
    /// Input files read and parsed by this run (the others came from the cache of an
    /// [`incremental`](Pipeline::incremental) pipeline); empty for a pipeline without one.
    pub reparsed: Vec<PathBuf>,
}

/// One site folder run through the stages. Made with [`Pipeline::new`] and the `with_…`
/// options; each run reads the folder afresh (through its cache, when it keeps one).
pub struct Pipeline<'o> {
    root: PathBuf,
    overrides: Overrides,
    /// `--force`: replace an output folder that keikaku did not write (see [`Staging::begin`]).
    force: bool,
    /// Told when each stage starts (the progress bar).
    observer: Box<dyn FnMut(Stage) + 'o>,
    /// The parsed theme and the name `config.yaml` gave it. A plain pipeline loads it again
    /// on every run; an incremental one keeps it until [`Pipeline::invalidate`] is told that
    /// something under `themes/` changed, or `config.yaml` names another theme.
    theme: Option<(String, Theme)>,
    /// What an incremental pipeline keeps between runs; `None` for a plain one.
    memory: Option<incremental::Memory>,
    /// Whether drafts and pages scheduled for later are kept (see [`drafts`]).
    drafts: Drafts,
    /// What the last run held back as drafts, for the link check.
    held: links::Held,
}

/// The site after stage 2, with what the fast path of an incremental pipeline needs from the
/// loaded files before validation consumes them.
struct Validated {
    site: Site,
    names: GlossaryNames,
    limits: Limits,
}

impl Pipeline<'static> {
    /// A plain pipeline for the site folder `root`, with no overrides, no observer and no cache.
    pub fn new(root: impl Into<PathBuf>) -> Pipeline<'static> {
        Pipeline {
            root: root.into(),
            overrides: Overrides::default(),
            force: false,
            observer: Box::new(|_| {}),
            theme: None,
            memory: None,
            drafts: Drafts::published(),
            held: links::Held::default(),
        }
    }
}

impl<'o> Pipeline<'o> {
    /// The command line's settings over `config.yaml`'s (`--base-url`, `--file-links`).
    pub fn with_overrides(mut self, overrides: Overrides) -> Self {
        self.overrides = overrides;
        self
    }

    /// Lets a build replace an output folder that keikaku did not write (`--force`).
    pub fn with_force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Calls `observer` as each stage starts (for a progress display).
    pub fn with_observer<'p>(self, observer: impl FnMut(Stage) + 'p) -> Pipeline<'p> {
        Pipeline {
            root: self.root,
            overrides: self.overrides,
            force: self.force,
            observer: Box::new(observer),
            theme: self.theme,
            memory: self.memory,
            drafts: self.drafts,
            held: links::Held::default(),
        }
    }

    /// Keeps drafts and pages scheduled for later (`build --drafts`, `serve`), or compares
    /// `publish_date:` with another build date (`--now`).
    pub fn with_drafts(mut self, drafts: Drafts) -> Self {
        self.drafts = drafts;
        self
    }

    /// Keeps every file's parse result, the theme and the last good site between runs, for
    /// `serve`: see [`Pipeline::invalidate`], [`Pipeline::rerun_measures`] and
    /// [`Pipeline::rest`].
    pub fn incremental(mut self) -> Self {
        self.memory = Some(incremental::Memory::default());
        self
    }

    /// Every stage: the site is read, checked and rendered into `target`. `None` when there
    /// were errors (all of them in `diags`); a folder target is then left as it was.
    /// Warnings are in `diags` either way.
    pub fn run(&mut self, target: Target<'_>, diags: &mut Diagnostics) -> Option<Outcome> {
        let started = Instant::now();
        match &mut self.memory {
            // Until this run succeeds there is no good site to take the fast path from.
            Some(memory) => memory.last = None,
            None => self.theme = None,
        }
        let validated = self.validated(diags)?;
        (self.observer)(Stage::Render);
        // The theme is loaded before the output folder is touched: a broken template leaves
        // no working folder behind.
        self.theme(&validated.site.config.theme, diags)?;
        let (outputs, counts) = match target {
            Target::Folder(out) => {
                let staging = match Staging::begin(out, &self.root, self.force) {
                    Ok(s) => s,
                    Err(e) => {
                        diags.push(output_error(out, e));
                        return None;
                    }
                };
                let terms = self.render(&validated.site, &staging, diags)?;
                self.keep(validated, terms);
                (self.observer)(Stage::Write);
                match staging.commit() {
                    Ok(counts) => (Vec::new(), counts),
                    Err(e) => {
                        diags.push(output_error(out, e));
                        return None;
                    }
                }
            }
            Target::Memory => {
                let sink = Collect::default();
                let terms = self.render(&validated.site, &sink, diags)?;
                self.keep(validated, terms);
                let outputs = sink.into_sorted();
                let counts = Tally::of(&outputs);
                (outputs, counts)
            }
        };
        let reparsed =
            (self.memory.as_ref()).map_or_else(Vec::new, |m| m.cache.last_parsed.clone());
        Some(Outcome {
            outputs,
            report: BuildReport::from_counts(counts, started.elapsed()),
            reparsed,
        })
    }

    /// `keikaku build`: every stage, into `output`, which is replaced only if all of them
    /// succeeded.
    pub fn build(&mut self, output: &Path) -> Result<BuildReport, Diagnostics> {
        let mut diags = Diagnostics::default();
        match self.run(Target::Folder(output), &mut diags) {
            Some(outcome) => Ok(outcome.report),
            None => Err(diags),
        }
    }

    /// `keikaku check`: every stage, nothing kept; what was found.
    pub fn check(&mut self) -> Diagnostics {
        let mut diags = Diagnostics::default();
        self.run(Target::Memory, &mut diags);
        diags
    }

    /// Stages 1 and 2 alone: the site model, or `None` when there were errors.
    pub fn site(&mut self, diags: &mut Diagnostics) -> Option<Site> {
        self.validated(diags).map(|v| v.site)
    }

    /// Stage 3 alone, for a site from [`Pipeline::site`]: every file, in memory, sorted by
    /// path. For callers that need the model beside the files (tests).
    pub fn outputs(&mut self, site: &Site, diags: &mut Diagnostics) -> Option<Vec<Output>> {
        let sink = Collect::default();
        self.render(site, &sink, diags)?;
        Some(sink.into_sorted())
    }

    fn validated(&mut self, diags: &mut Diagnostics) -> Option<Validated> {
        (self.observer)(Stage::Load);
        let loaded = match &mut self.memory {
            Some(memory) => Loader::new(&self.root)
                .with_cache(&mut memory.cache)
                .load(diags),
            None => load::load(&self.root, diags),
        };
        (self.observer)(Stage::Validate);
        let names = match self.memory {
            Some(_) => validate::glossary_names(&loaded),
            None => GlossaryNames::default(),
        };
        let limits = loaded.limits;
        let mut site = validate::validate(loaded, &self.overrides, diags)?;
        // After validation (which checks drafts like everything else), before rendering.
        self.held = drafts::apply(&mut site, &self.drafts);
        Some(Validated {
            site,
            names,
            limits,
        })
    }

    /// The theme `config.yaml` names, loaded unless it already is.
    fn theme(&mut self, name: &str, diags: &mut Diagnostics) -> Option<&Theme> {
        if self.theme.as_ref().map(|(n, _)| n.as_str()) != Some(name) {
            let theme = templates::load(&self.root, name, diags)?;
            self.theme = Some((name.to_string(), theme));
        }
        self.theme.as_ref().map(|(_, theme)| theme)
    }

    /// Renders `site` into `sink`; the glossary entries each measure page used, or `None`
    /// when a page could not be made or written.
    fn render(
        &mut self,
        site: &Site,
        sink: &dyn Sink,
        diags: &mut Diagnostics,
    ) -> Option<Vec<BTreeSet<usize>>> {
        self.theme(&site.config.theme, diags)?;
        let (_, theme) = self.theme.as_ref()?;
        let store = self.memory.as_ref().map(|m| &m.pages);
        // The links are checked against what was rendered (validate::links).
        let recorder = links::Recorder::new(sink);
        let terms = render::render_site(site, theme, store, &recorder, diags);
        let paths = recorder.into_paths();
        links::check_links(site, &self.root, &paths, &self.held, diags);
        (!diags.has_errors()).then_some(terms)
    }

    /// After a successful run: an incremental pipeline keeps the site for the fast path; a
    /// plain one lets it go before the files are published (a large site's model is hundreds
    /// of megabytes).
    fn keep(&mut self, validated: Validated, terms: Vec<BTreeSet<usize>>) {
        if let Some(memory) = &mut self.memory {
            memory.keep(validated, terms);
        }
    }
}

fn output_error(out: &Path, e: WriteError) -> Diagnostic {
    Diagnostic::error(e.code(), out.to_path_buf(), e.to_string())
}
