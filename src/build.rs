//! The pipeline, stage by stage: load → validate → render → write. `check` runs the first two
//! stages and the template loading; `build` runs all of them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::{Collect, Counts, Output, Staging};
use crate::render;
use crate::render::templates::{self, Theme};
use crate::validate::{self, Overrides};

#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub overrides: Overrides,
    /// `--force`: replace an output folder that keikaku did not write.
    pub force: bool,
}

/// What a successful build produced, for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildReport {
    pub pages: usize,
    /// SVG charts.
    pub charts: usize,
    /// Open-data downloads (CSV, JSON) under `data/`.
    pub data_files: usize,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
}

impl BuildReport {
    pub fn of(outputs: &[Output], elapsed: Duration) -> BuildReport {
        BuildReport::from_counts(crate::output::Tally::of(outputs), elapsed)
    }

    pub fn from_counts(c: Counts, elapsed: Duration) -> BuildReport {
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
    Load,
    Validate,
    Render,
    Write,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::Load, Stage::Validate, Stage::Render, Stage::Write];

    pub fn index(self) -> usize {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Loads and validates the site; `None` when there were errors (all of them in `diags`).
pub fn load_site(root: &Path, overrides: &Overrides, diags: &mut Diagnostics) -> Option<Site> {
    let loaded = crate::load::load(root, diags);
    validate::validate(loaded, overrides, diags)
}

/// Everything the site consists of, in memory. Deterministic: sorted by path.
pub fn generate(root: &Path, site: &Site, diags: &mut Diagnostics) -> Option<Vec<Output>> {
    let theme = templates::load(root, &site.config.theme, diags)?;
    generate_with(site, &theme, diags)
}

/// [`generate`] with a theme loaded earlier (`serve` keeps it until a theme file changes).
pub fn generate_with(site: &Site, theme: &Theme, diags: &mut Diagnostics) -> Option<Vec<Output>> {
    let sink = Collect::default();
    render::render_site(site, theme, &sink, diags);
    if diags.has_errors() {
        return None;
    }
    Some(sink.into_sorted())
}

/// `keikaku check`: every stage except writing.
pub fn check(root: &Path, overrides: &Overrides) -> Diagnostics {
    let mut diags = Diagnostics::default();
    if let Some(site) = load_site(root, overrides, &mut diags) {
        generate(root, &site, &mut diags);
    }
    diags
}

/// `keikaku build`: the site is replaced only if every stage succeeded.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    build_observed(options, &mut |_| {})
}

/// [`build`], telling `stage` when each stage starts (for a progress display).
pub fn build_observed(
    options: &BuildOptions,
    stage: &mut dyn FnMut(Stage),
) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    stage(Stage::Load);
    let loaded = crate::load::load(&options.root, &mut diags);
    stage(Stage::Validate);
    let Some(site) = validate::validate(loaded, &options.overrides, &mut diags) else {
        return Err(diags);
    };
    stage(Stage::Render);
    let Some(theme) = templates::load(&options.root, &site.config.theme, &mut diags) else {
        return Err(diags);
    };
    let output_error = |e: crate::output::WriteError| {
        Diagnostic::error(e.code(), options.output.clone(), e.to_string())
    };
    // Pages are written into the staging folder as they are rendered; the previous site is
    // replaced only after everything succeeded (dropping `staging` otherwise removes it).
    let staging = match Staging::begin(&options.output, &options.root, options.force) {
        Ok(s) => s,
        Err(e) => {
            diags.push(output_error(e));
            return Err(diags);
        }
    };
    render::render_site(&site, &theme, &staging, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    drop(site);
    stage(Stage::Write);
    match staging.commit() {
        Ok(counts) => Ok(BuildReport::from_counts(counts, started.elapsed())),
        Err(e) => {
            diags.push(output_error(e));
            Err(diags)
        }
    }
}
