//! The pipeline, stage by stage: load → validate → render → write. `check` runs the first two
//! stages and the template loading; `build` runs all of them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::Output;
use crate::render;
use crate::render::templates::{self, Theme};
use crate::validate::{self, Overrides};

#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub overrides: Overrides,
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
        let ext = |o: &&Output, e: &str| o.path.rsplit('.').next() == Some(e);
        BuildReport {
            pages: outputs.iter().filter(|o| ext(o, "html")).count(),
            charts: outputs.iter().filter(|o| ext(o, "svg")).count(),
            data_files: outputs
                .iter()
                .filter(|o| o.path.starts_with("data/") && (ext(o, "csv") || ext(o, "json")))
                .count(),
            files: outputs.len(),
            bytes: outputs.iter().map(|o| o.bytes.len()).sum(),
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
    let mut outputs = render::render_site(site, theme, diags);
    if diags.has_errors() {
        return None;
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Some(outputs)
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
    let Some(outputs) = generate(&options.root, &site, &mut diags) else {
        return Err(diags);
    };
    stage(Stage::Write);
    if let Err(e) = crate::output::write_site(&outputs, &options.output, &options.root) {
        diags.push(Diagnostic::error(
            Code::Output,
            options.output.clone(),
            e.to_string(),
        ));
        return Err(diags);
    }
    Ok(BuildReport::of(&outputs, started.elapsed()))
}
