//! `serve`'s rebuilds: the [`Pipeline`], kept [`incremental`](Pipeline::incremental), tries its
//! fast path for every change and runs everything when that does not apply (the fast path and
//! what the pipeline keeps are described in `build::incremental`).

use std::path::{Path, PathBuf};

use crate::build::{Outcome, Partial, Pipeline, Target};
use crate::diagnostics::Diagnostics;
use crate::validate::Overrides;

/// Rebuilds the served site after files change, through an incremental pipeline that keeps what did not.
pub struct Rebuilder {
    pipeline: Pipeline<'static>,
}

/// A successful rebuild.
pub enum Update {
    /// Everything was rebuilt: `outputs` is the whole site.
    Full(Outcome),
    /// Only measure files changed: `outputs` are the pages and charts of those measures and
    /// their neighbours; everything else comes from [`Rebuilder::rest`].
    Measures(Outcome),
}

impl Rebuilder {
    /// A rebuilder for the site at `root`; its first rebuild is a full build.
    pub fn new(root: &Path, overrides: Overrides) -> Rebuilder {
        Rebuilder {
            pipeline: Pipeline::new(root).with_overrides(overrides).incremental(),
        }
    }

    /// Shows or leaves out drafts (see [`crate::build::drafts`]); a new rebuilder shows none.
    pub fn with_drafts(self, drafts: crate::build::Drafts) -> Rebuilder {
        Rebuilder {
            pipeline: self.pipeline.with_drafts(drafts),
        }
    }

    /// Rebuilds after `changed` (paths relative to the root; empty for the first build).
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        self.pipeline.invalidate(changed);
        let mut diags = Diagnostics::default();
        match self.pipeline.rerun_measures(changed, &mut diags) {
            Partial::Done(outcome) => return Ok(Update::Measures(outcome)),
            Partial::Failed => return Err(diags),
            Partial::Unsuitable => {}
        }
        match self.pipeline.run(Target::Memory, &mut diags) {
            Some(outcome) => Ok(Update::Full(outcome)),
            None => Err(diags),
        }
    }

    /// After [`Update::Measures`]: every file that is not a measure page or chart, made from
    /// the site as it is now. The error case is a template error in one of those pages.
    pub fn rest(&mut self) -> Result<Outcome, Diagnostics> {
        let mut diags = Diagnostics::default();
        self.pipeline.rest(&mut diags).ok_or(diags)
    }
}
