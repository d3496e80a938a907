//! What an [`incremental`](Pipeline::incremental) pipeline (`serve`'s) keeps between runs:
//!
//! - every input file's parse result ([`LoadCache`]): a file is read and parsed again only when
//!   the watcher reported it ([`Pipeline::invalidate`]) or its size/modification time changed;
//! - the parsed theme: templates are loaded again only when something under `themes/` changed
//!   or `config.yaml` names another theme;
//! - the last good site model, with the glossary entries each measure page used.
//!
//! The common edit — staff changing one or a few measure files — takes a fast path
//! ([`Pipeline::rerun_measures`]): only those files are read and validated (a measure's
//! validity depends on nothing but its file, the plan and the glossary's names), and only their
//! pages and their neighbours' (whose pager links name them) are rendered. What lists every
//! measure (home, indexes, open data, search, feeds, glossary back-links) depends on all of
//! them; it is made next, by [`Pipeline::rest`], while the server already serves the new
//! measure page. Every such page's document is built again, but only those whose document
//! changed — the few that show the edited measure — go through the templates; the others
//! are taken as the last run rendered them (`render::reuse`). Any other change — config, plan, glossary, pages, activity plans, themes, a
//! measure file added, removed or given another ID or period — is left to a full
//! [`Pipeline::run`], which reads only what changed from the cache. So is every change to a
//! site published in several languages (`languages:`), whose every tree shows the measure.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{BuildReport, Outcome, Pipeline, Validated};
use crate::diagnostics::Diagnostics;
use crate::load::limits::Limits;
use crate::load::{LoadCache, Loader, MEASURES_DIR};
use crate::model::Site;
use crate::output::Collect;
use crate::render::reuse::PageStore;
use crate::render::Renderer;
use crate::validate::{self, GlossaryNames};

#[derive(Default)]
pub(super) struct Memory {
    pub(super) cache: LoadCache,
    /// Every page but the measure pages as last rendered, for [`Pipeline::rest`].
    pub(super) pages: PageStore,
    pub(super) last: Option<LastGood>,
}

/// The last site that built without errors, and what the fast path needs to change one
/// measure of it.
pub(super) struct LastGood {
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

impl Memory {
    pub(super) fn keep(&mut self, validated: Validated, terms: Vec<BTreeSet<usize>>) {
        let Validated {
            site,
            names,
            limits,
        } = validated;
        let files = (site.measures.iter().enumerate())
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
    }
}

/// The outcome of [`Pipeline::rerun_measures`].
#[derive(Debug)]
pub enum Partial {
    /// The fast path does not apply to this change: run everything ([`Pipeline::run`]).
    Unsuitable,
    /// The pages and charts of the changed measures and of their neighbours; everything else
    /// comes from [`Pipeline::rest`].
    Done(Outcome),
    /// There were errors (in `diags`); the last good site stays as it was.
    Failed,
}

impl Pipeline<'_> {
    /// `changed` (paths relative to the root) were reported by the watcher: their parse
    /// results are forgotten, and the theme with them if one of them is under `themes/`.
    pub fn invalidate(&mut self, changed: &[PathBuf]) {
        if let Some(memory) = &mut self.memory {
            memory
                .cache
                .invalidate(changed.iter().map(PathBuf::as_path));
        }
        if changed.iter().any(|p| p.starts_with("themes")) {
            self.theme = None;
        }
    }

    /// The fast path, when every changed path is a measure file the last good site was built
    /// from (or an editor's temporary file beside them).
    pub fn rerun_measures(&mut self, changed: &[PathBuf], diags: &mut Diagnostics) -> Partial {
        let started = Instant::now();
        let (Some(memory), Some((_, theme))) = (&mut self.memory, &self.theme) else {
            return Partial::Unsuitable;
        };
        let Some(last) = &mut memory.last else {
            return Partial::Unsuitable;
        };
        // A site in several languages shows each measure in every tree (and each tree's lists
        // name it): the full run renders them all, where the fast path knows one tree only.
        if last.site.config.languages.len() > 1 {
            return Partial::Unsuitable;
        }
        // Likewise a site of several plans: the fast path remakes one plan's pages and data,
        // and publishing them alone would drop the other plans' files from what is served
        // (52 files of `ict-2018/` went missing after one edit in the example).
        if !last.site.others.is_empty() {
            return Partial::Unsuitable;
        }
        let root = self.root.as_path();
        let Some(reparsed) = measure_files(root, last, changed) else {
            return Partial::Unsuitable;
        };
        let mut found = Diagnostics::default();
        let mut replaced = Vec::new();
        let today = self.drafts.today();
        for rel in &reparsed {
            let i = last.files[rel];
            let parsed = Loader::new(root)
                .with_cache(&mut memory.cache)
                .measure_file(rel, last.limits, &mut found);
            let Some(parsed) = parsed else { continue };
            let Some(mut m) = validate::measure(&parsed, &last.site.plan, &last.names, &mut found)
            else {
                continue;
            };
            super::drafts::settle(&mut m.publication, today);
            let old = &last.site.measures[i];
            // Another ID moves the measure in the order and may clash with another file's;
            // another period can change what the activity plans may say. Both are rare
            // edits, left to the full rebuild.
            // A measure that becomes (or stops being) a draft appears in or leaves every
            // list: also the full rebuild's.
            if m.id != old.id || m.active != old.active || m.publication != old.publication {
                return Partial::Unsuitable;
            }
            // Links are checked against the whole site's files, which only a full run has.
            if validate::links::has_links(&m) {
                return Partial::Unsuitable;
            }
            // Lineage (`continues:`) shows a measure on another plan's pages, which only a full
            // run renders: a measure with lineage before or after the edit takes it.
            let linked = |m: &crate::model::Measure| {
                !(m.continues.is_empty() && m.predecessors.is_empty() && m.successors.is_empty())
            };
            if linked(&m) || linked(old) {
                return Partial::Unsuitable;
            }
            replaced.push((i, m));
        }
        if found.has_errors() {
            last.unsettled = reparsed.into_iter().collect();
            diags.extend(found.into_vec());
            return Partial::Failed;
        }
        last.unsettled.clear();
        // What every page shows of the measures: when it stays, `rest` may keep the pages
        // that show none of the edited measures without building them (`render::reuse`).
        let common = |site: &Site| (site.last_updated(), site.has_departments());
        let common_before = common(&last.site);
        let edited: BTreeSet<String> = replaced.iter().map(|(_, m)| m.id.clone()).collect();
        let mut pages: BTreeSet<usize> = BTreeSet::new();
        for (i, m) in replaced {
            last.site.measures[i] = m;
            pages.extend(i.saturating_sub(1)..=(i + 1).min(last.site.measures.len() - 1));
        }
        memory
            .pages
            .set_edited((common(&last.site) == common_before).then_some(edited));
        let renderer = Renderer::new(&last.site, theme);
        let mut outputs = Vec::new();
        for i in pages {
            match renderer.measure(i) {
                Ok(files) => {
                    outputs.extend(files.outputs);
                    last.terms[i] = files.terms;
                }
                Err(d) => found.push(*d),
            }
        }
        let failed = found.has_errors();
        diags.extend(found.into_vec());
        if failed {
            return Partial::Failed;
        }
        outputs.sort_by(|a, b| a.path.cmp(&b.path));
        Partial::Done(Outcome {
            report: BuildReport::of(&outputs, started.elapsed()),
            outputs,
            reparsed,
        })
    }

    /// After [`Partial::Done`]: every file that is not a measure page or chart, made from the
    /// site as it is now. `None` when one of those pages could not be made (a template
    /// error); an empty outcome when there is no good site to make them from.
    pub fn rest(&mut self, diags: &mut Diagnostics) -> Option<Outcome> {
        let started = Instant::now();
        let (
            Some(Memory {
                last: Some(last),
                pages,
                ..
            }),
            Some((_, theme)),
        ) = (&self.memory, &self.theme)
        else {
            return Some(Outcome::default());
        };
        let sink = Collect::default();
        Renderer::new(&last.site, theme)
            .reusing(pages)
            .rest(&last.terms, &sink, diags);
        pages.set_edited(None);
        if diags.has_errors() {
            // What was kept may no longer be what the site shows: the next run renders all.
            pages.clear();
            return None;
        }
        let outputs = sink.into_sorted();
        Some(Outcome {
            report: BuildReport::of(&outputs, started.elapsed()),
            outputs,
            reparsed: Vec::new(),
        })
    }
}

/// The measure files to read again after `changed`: the changed ones and those still
/// unsettled. `None` when the fast path does not apply — nothing changed, or a change is not
/// to a measure file of `last` (another input, a measure file added or removed — in a site
/// of several plans, a measure file of another plan is another input too; a measure with
/// lineage is left to the full run by the caller).
fn measure_files(root: &Path, last: &LastGood, changed: &[PathBuf]) -> Option<Vec<PathBuf>> {
    if changed.is_empty() {
        return None;
    }
    let mut todo: BTreeSet<&Path> = last.unsettled.iter().map(PathBuf::as_path).collect();
    for rel in changed {
        if rel.parent() != Some(Path::new(MEASURES_DIR)) {
            return None;
        }
        let exists = root.join(rel).is_file();
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
    let mut files = Vec::new();
    for rel in todo {
        if !root.join(rel).is_file() || !last.files.contains_key(rel) {
            return None;
        }
        files.push(rel.to_path_buf());
    }
    (!files.is_empty()).then_some(files)
}
