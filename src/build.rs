//! The pipeline, stage by stage: load → validate → render → write. `check` runs the first two
//! stages and the template loading; `build` runs all of them.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::Output;
use crate::render::{self, templates};
use crate::validate::{self, Overrides};

#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub overrides: Overrides,
}

/// What a successful build produced, for the summary line.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
}

/// Loads and validates the site; `None` when there were errors (all of them in `diags`).
pub fn load_site(root: &Path, overrides: &Overrides, diags: &mut Diagnostics) -> Option<Site> {
    let loaded = crate::load::load(root, diags);
    validate::validate(loaded, overrides, diags)
}

/// Everything the site consists of, in memory. Deterministic: sorted by path.
pub fn generate(root: &Path, site: &Site, diags: &mut Diagnostics) -> Option<Vec<Output>> {
    let theme = templates::load(root, &site.config.theme, diags)?;
    let mut outputs = render::render_site(site, &theme, diags);
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
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let Some(site) = load_site(&options.root, &options.overrides, &mut diags) else {
        return Err(diags);
    };
    let Some(outputs) = generate(&options.root, &site, &mut diags) else {
        return Err(diags);
    };
    if let Err(e) = crate::output::write_site(&outputs, &options.output, &options.root) {
        diags.push(Diagnostic::error(
            Code::Output,
            options.output.clone(),
            e.to_string(),
        ));
        return Err(diags);
    }
    Ok(BuildReport {
        pages: outputs.iter().filter(|o| o.path.ends_with(".html")).count(),
        files: outputs.len(),
        bytes: outputs.iter().map(|o| o.bytes.len()).sum(),
        elapsed: started.elapsed(),
    })
}
