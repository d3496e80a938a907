//! The incremental part of `serve`. Between rebuilds it keeps
//!
//! - every input file's parse result ([`LoadCache`]): a file is read and parsed again only when
//!   the watcher reported it or its size/modification time changed;
//! - the parsed theme: templates are loaded again only when something under `themes/` changed
//!   or `config.yaml` names another theme;
//! - the last good site model, with the glossary entries each measure page used.
//!
//! The common edit — staff changing one or a few measure files — takes a fast path
//! ([`Update::Measures`]): only those files are read and validated (a measure's validity
//! depends on nothing but its file, the plan and the glossary's names), and only their pages
//! and their neighbours' (whose pager links name them) are rendered. What lists every measure
//! (home, indexes, open data, search, feeds, glossary back-links) depends on all of them; it
//! is rendered next, by [`Rebuilder::rest`], while the server already serves the new measure
//! page and holds back requests for the pages still being made. Any other change — config,
//! plan, glossary, pages, activity plans, themes, a measure file added, removed or given
//! another ID or period — rebuilds everything from the cached parses.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::BuildReport;
use crate::diagnostics::Diagnostics;
use crate::load::limits::Limits;
use crate::load::{LoadCache, Loader, MEASURES_DIR};
use crate::model::Site;
use crate::output::{Collect, Output};
use crate::render::templates::{self, Theme};
use crate::render::Renderer;
use crate::validate::{self, GlossaryNames, Overrides};

pub struct Rebuilder {
    root: PathBuf,
    overrides: Overrides,
    cache: LoadCache,
    theme: Option<(String, Theme)>,
    last: Option<LastGood>,
}

/// The last site that built without errors, and what the fast path needs to change one
/// measure of it.
struct LastGood {
    site: Site,
    names: GlossaryNames,
    limits: Limits,
    /// Measure file (relative to the root) → its index in `site.measures`.
    files: HashMap<PathBuf, usize>,
    /// The glossary entries each measure page used, in `site.measures` order.
    terms: Vec<BTreeSet<usize>>,
    /// Measure files of a fast update that failed: they are validated again with every
    /// later change until they pass, so that their errors stay shown whatever is edited next.
    unsettled: BTreeSet<PathBuf>,
}

/// A successful rebuild.
pub enum Update {
    /// Everything was rebuilt: `outputs` is the whole site.
    Full(Rebuilt),
    /// Only measure files changed: `outputs` are the pages and charts of those measures and
    /// their neighbours; everything else comes from [`Rebuilder::rest`].
    Measures(Rebuilt),
}

pub struct Rebuilt {
    pub outputs: Vec<Output>,
    pub report: BuildReport,
    /// Input files that were read and parsed (the others came from the cache).
    pub reparsed: Vec<PathBuf>,
    pub elapsed: Duration,
}

impl Rebuilder {
    pub fn new(root: &Path, overrides: Overrides) -> Rebuilder {
        Rebuilder {
            root: root.to_path_buf(),
            overrides,
            cache: LoadCache::default(),
            theme: None,
            last: None,
        }
    }

    /// Rebuilds after `changed` (paths relative to the root; empty for the first build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        let started = Instant::now();
        self.cache.invalidate(changed.iter().map(PathBuf::as_path));
        if changed.iter().any(|p| p.starts_with("themes")) {
            self.theme = None;
        }
        if let Some(result) = self.measures_only(changed, started) {
            return result.map(Update::Measures);
        }
        self.full(started).map(Update::Full)
    }

    fn full(&mut self, started: Instant) -> Result<Rebuilt, Diagnostics> {
        self.last = None;
        let mut diags = Diagnostics::default();
        let loaded = Loader::new(&self.root)
            .with_cache(&mut self.cache)
            .load(&mut diags);
        let reparsed = self.cache.last_parsed.clone();
        let names = validate::glossary_names(&loaded);
        let limits = loaded.limits;
        let site =
            validate::validate(loaded, &self.overrides, &mut diags).ok_or_else(|| diags.clone())?;
        let name = site.config.theme.clone();
        if self.theme.as_ref().map(|(n, _)| n) != Some(&name) {
            let theme =
                templates::load(&self.root, &name, &mut diags).ok_or_else(|| diags.clone())?;
            self.theme = Some((name, theme));
        }
        let theme = &self.theme.as_ref().expect("theme was just loaded").1;
        let sink = Collect::default();
        let terms = crate::render::render_site(&site, theme, &sink, &mut diags);
        if diags.has_errors() {
            return Err(diags);
        }
        let outputs = sink.into_sorted();
        let elapsed = started.elapsed();
        let files = site
            .measures
            .iter()
            .enumerate()
            .map(|(i, m)| (m.source.clone(), i))
            .collect();
        self.last = Some(LastGood {
            site,
            names,
            limits,
            files,
            terms,
            unsettled: BTreeSet::new(),
        });
        Ok(Rebuilt {
            report: BuildReport::of(&outputs, elapsed),
            outputs,
            reparsed,
            elapsed,
        })
    }

    /// The fast path, when every changed path is a measure file the last good site was built
    /// from; `None` when it does not apply (a full rebuild follows).
    fn measures_only(
        &mut self,
        changed: &[PathBuf],
        started: Instant,
    ) -> Option<Result<Rebuilt, Diagnostics>> {
        let last = self.last.as_mut()?;
        let theme = &self.theme.as_ref()?.1;
        if changed.is_empty() {
            return None;
        }
        let mut todo: BTreeSet<&Path> = last.unsettled.iter().map(PathBuf::as_path).collect();
        for rel in changed {
            if rel.parent() != Some(Path::new(MEASURES_DIR)) {
                return None;
            }
            let exists = self.root.join(rel).is_file();
            let read = rel.extension().is_some_and(|e| e == "yaml" || e == "yml");
            match last.files.get(rel) {
                Some(_) if exists => {
                    todo.insert(rel);
                }
                // A measure file removed.
                Some(_) => return None,
                // Not a file the site is built from: an editor's or `sed -i`'s temporary
                // file, already gone, or one the loader does not read.
                None if !exists || !read => {}
                // A new measure file.
                None => return None,
            }
        }
        let mut indexes = Vec::new();
        for rel in todo {
            if !self.root.join(rel).is_file() {
                return None;
            }
            indexes.push((rel.to_path_buf(), *last.files.get(rel)?));
        }
        if indexes.is_empty() {
            return None;
        }
        let mut diags = Diagnostics::default();
        let mut replaced = Vec::new();
        for (rel, i) in &indexes {
            let i = *i;
            let parsed = Loader::new(&self.root)
                .with_cache(&mut self.cache)
                .measure_file(rel, last.limits, &mut diags);
            let Some(parsed) = parsed else { continue };
            let Some(m) = validate::measure(&parsed, &last.site.plan, &last.names, &mut diags)
            else {
                continue;
            };
            let old = &last.site.measures[i];
            // Another ID moves the measure in the order and may clash with another file's;
            // another period can change what the activity plans may say. Both are rare
            // edits, left to the full rebuild.
            if m.id != old.id || m.active != old.active {
                return None;
            }
            replaced.push((i, m));
        }
        let reparsed: Vec<PathBuf> = indexes.into_iter().map(|(rel, _)| rel).collect();
        if diags.has_errors() {
            last.unsettled = reparsed.into_iter().collect();
            return Some(Err(diags));
        }
        last.unsettled.clear();
        let mut pages: BTreeSet<usize> = BTreeSet::new();
        for (i, m) in replaced {
            last.site.measures[i] = m;
            pages.extend(i.saturating_sub(1)..=(i + 1).min(last.site.measures.len() - 1));
        }
        let renderer = Renderer::new(&last.site, theme);
        let mut outputs = Vec::new();
        for i in pages {
            match renderer.measure(i) {
                Ok(files) => {
                    outputs.extend(files.outputs);
                    last.terms[i] = files.terms;
                }
                Err(d) => diags.push(*d),
            }
        }
        if diags.has_errors() {
            return Some(Err(diags));
        }
        outputs.sort_by(|a, b| a.path.cmp(&b.path));
        let elapsed = started.elapsed();
        Some(Ok(Rebuilt {
            report: BuildReport::of(&outputs, elapsed),
            outputs,
            reparsed,
            elapsed,
        }))
    }

    /// After [`Update::Measures`]: every file that is not a measure page or chart, made from
    /// the site as it is now. The error case is a template error in one of those pages.
    pub fn rest(&mut self) -> Result<Rebuilt, Diagnostics> {
        let started = Instant::now();
        let mut diags = Diagnostics::default();
        let (Some(last), Some((_, theme))) = (&self.last, &self.theme) else {
            return Ok(Rebuilt {
                outputs: Vec::new(),
                report: BuildReport::default(),
                reparsed: Vec::new(),
                elapsed: started.elapsed(),
            });
        };
        let sink = Collect::default();
        Renderer::new(&last.site, theme).rest(&last.terms, &sink, &mut diags);
        if diags.has_errors() {
            return Err(diags);
        }
        let outputs = sink.into_sorted();
        let elapsed = started.elapsed();
        Ok(Rebuilt {
            report: BuildReport::of(&outputs, elapsed),
            outputs,
            reparsed: Vec::new(),
            elapsed,
        })
    }
}
