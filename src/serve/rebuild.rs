//! The incremental part of `serve`. Between rebuilds it keeps
//!
//! - every input file's parse result ([`LoadCache`]): a file is read and parsed again only when
//!   the watcher reported it or its size/modification time changed;
//! - the parsed theme: templates are loaded again only when something under `themes/` changed
//!   or `config.yaml` names another theme;
//! - the previous outputs: only outputs whose bytes changed are reported, so an open browser
//!   reloads only when its own page (or a shared asset) changed.
//!
//! Validation and rendering run over the whole model on every change: cross-references (policy
//! numbers, glossary links, navigation, department index) make most pages depend on most
//! files, and both take milliseconds for a plan of this size (measured: see docs/authoring.md).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::{self, BuildReport};
use crate::diagnostics::Diagnostics;
use crate::load::{LoadCache, Loader};
use crate::output::Output;
use crate::render::templates::{self, Theme};
use crate::validate::{self, Overrides};

pub struct Rebuilder {
    root: PathBuf,
    overrides: Overrides,
    cache: LoadCache,
    theme: Option<(String, Theme)>,
}

/// A successful rebuild.
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
        }
    }

    /// Rebuilds after `changed` (paths relative to the root; empty for the first build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, Diagnostics> {
        let started = Instant::now();
        self.cache.invalidate(changed.iter().map(PathBuf::as_path));
        if changed.iter().any(|p| p.starts_with("themes")) {
            self.theme = None;
        }
        let mut diags = Diagnostics::default();
        let loaded = Loader::new(&self.root)
            .with_cache(&mut self.cache)
            .load(&mut diags);
        let reparsed = self.cache.last_parsed.clone();
        let site =
            validate::validate(loaded, &self.overrides, &mut diags).ok_or_else(|| diags.clone())?;
        let name = site.config.theme.clone();
        if self.theme.as_ref().map(|(n, _)| n) != Some(&name) {
            let theme =
                templates::load(&self.root, &name, &mut diags).ok_or_else(|| diags.clone())?;
            self.theme = Some((name, theme));
        }
        let theme = &self.theme.as_ref().expect("theme was just loaded").1;
        let outputs =
            build::generate_with(&site, theme, &mut diags).ok_or_else(|| diags.clone())?;
        let elapsed = started.elapsed();
        Ok(Rebuilt {
            report: BuildReport::of(&outputs, elapsed),
            outputs,
            reparsed,
            elapsed,
        })
    }
}

/// Paths whose bytes differ between `old` and `new` (added, removed or changed), sorted.
pub fn changed_paths(
    old: &HashMap<String, Vec<u8>>,
    new: &HashMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut out: Vec<String> = new
        .iter()
        .filter(|(p, b)| old.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    out.sort();
    out
}
