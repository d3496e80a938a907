//! What each `keikaku` subcommand does once the command line is parsed: call the library,
//! print the outcome in the user's language, and choose the exit code.
//!
//! Exit codes (documented in docs/authoring.md): 0 success, 1 problems in the content or the
//! spreadsheet, 2 usage or I/O problems (clap also uses 2 for a bad command line).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::build::{Pipeline, Target};
use crate::cli::init::{self, InitError};
use crate::cli::progress_bar::{Mode, Progress};
use crate::cli::scaffold::{self, ScaffoldError};
use crate::cli::serve::{self, ServeOptions};
use crate::diagnostics::{Code, Diagnostics, Format};
use crate::i18n::{self, Lang, Msg};
use crate::validate::Overrides;

/// Options every subcommand takes.
#[derive(Clone, Copy)]
pub struct Common {
    /// The language of messages (`--lang`, else `LANG`).
    pub lang: Lang,
    /// `--quiet`: no progress and no success message; problems are still reported.
    pub quiet: bool,
}

pub(crate) const EXIT_CONTENT: u8 = 1;
/// The exit code for a usage error or a file that could not be read or written, as opposed to
/// a problem in the content (1).
pub const EXIT_USAGE_IO: u8 = 2;

fn show(diags: &Diagnostics, format: Format, common: Common, to_stdout: bool) {
    // Colour only where it is read in a terminal: never in what goes to stdout for tools.
    let color = !to_stdout && crate::cli::terminal::color_stderr();
    let text = i18n::report(diags, format, common.lang, color);
    if to_stdout {
        print!("{text}");
        if format == Format::Json && !common.quiet {
            eprintln!("{}", i18n::text_summary(common.lang, diags));
        }
    } else {
        eprint!("{text}");
    }
}

/// 2 when nothing could be read or written at all (I/O), 1 for content errors.
pub fn exit_code(diags: &Diagnostics) -> ExitCode {
    let io_only = diags.iter().filter(|d| d.is_error()).all(|d| {
        matches!(
            d.code,
            Code::Io
                | Code::Output
                | Code::OutputOverlapsSources
                | Code::OutputNotGenerated
                | Code::OutputNotFolder
        )
    });
    ExitCode::from(if io_only { EXIT_USAGE_IO } else { EXIT_CONTENT })
}

/// What `keikaku build` was asked for.
pub struct BuildOptions {
    /// The site folder (`config.yaml` and `content/`).
    pub root: PathBuf,
    /// The folder the site replaces, only once every stage succeeded.
    pub output: PathBuf,
    /// What the command line overrides in `config.yaml` (`--base-url`, `--file-links`).
    pub overrides: Overrides,
    /// `--force`: replace an output folder that keikaku did not write.
    pub force: bool,
    /// `--drafts`, `--now`: whether drafts and pages scheduled for later are built.
    pub drafts: crate::build::Drafts,
}

/// `keikaku build`: builds the site into the output folder and reports what it wrote, or
/// every problem found (the old site is then left as it was). Warnings are reported either
/// way; `--format json` writes the diagnostics (an empty array when there are none) to stdout
/// so that CI can read them, and the progress and the human summary stay on stderr.
pub fn build(options: BuildOptions, format: Format, common: Common) -> ExitCode {
    let json = format == Format::Json;
    // JSON is for tools: no progress lines around it.
    let quiet = common.quiet || json;
    let mut progress = Progress::new(Mode::detect(quiet), common.lang);
    // Whether there is a site to keep is known only before the build replaces it.
    let had_site = options.output.join(crate::output::MARKER).is_file();
    let mut diags = Diagnostics::default();
    let outcome = Pipeline::new(&options.root)
        .with_overrides(options.overrides)
        .with_force(options.force)
        .with_drafts(options.drafts)
        .with_observer(|s| progress.stage(s))
        .run(Target::Folder(&options.output), &mut diags);
    progress.finish();
    if json || !diags.is_empty() {
        show(&diags, format, common, json);
    }
    match outcome {
        Some(outcome) => {
            if !common.quiet {
                let r = outcome.report;
                let built = Msg::Built {
                    pages: r.pages,
                    charts: r.charts,
                    data_files: r.data_files,
                    files: r.files,
                    bytes: r.bytes,
                    elapsed: r.elapsed,
                    out: &options.output,
                };
                eprintln!("{}", i18n::text(common.lang, built));
            }
            ExitCode::SUCCESS
        }
        None => {
            let unchanged = if had_site {
                Msg::SiteUnchanged
            } else {
                Msg::NothingPublished {
                    out: &options.output,
                }
            };
            eprintln!("{}", i18n::text(common.lang, unchanged));
            exit_code(&diags)
        }
    }
}

/// `keikaku check`: validates and renders in memory, writes nothing, reports every problem
/// (to stdout for `--format json`). With `deny_warnings` (for CI) a warning fails it too.
pub fn check(root: &Path, format: Format, deny_warnings: bool, common: Common) -> ExitCode {
    let diags = Pipeline::new(root).check();
    let json = format == Format::Json;
    let quiet_and_clean = common.quiet && diags.is_empty();
    if json || !quiet_and_clean {
        show(&diags, format, common, json);
    }
    if diags.has_errors() {
        exit_code(&diags)
    } else if deny_warnings && !diags.is_empty() {
        if !common.quiet {
            eprintln!("{}", i18n::text(common.lang, Msg::WarningsDenied));
        }
        ExitCode::from(EXIT_CONTENT)
    } else {
        if !json && !common.quiet && diags.is_empty() {
            eprintln!("{}", i18n::text(common.lang, Msg::CheckOk));
        }
        ExitCode::SUCCESS
    }
}

/// `keikaku serve`: the preview server, until it is stopped.
pub fn serve(options: ServeOptions) -> ExitCode {
    let lang = options.lang;
    match serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let detail = e.to_string();
            eprintln!("{}", i18n::text(lang, Msg::CannotServe { detail: &detail }));
            ExitCode::from(EXIT_USAGE_IO)
        }
    }
}

/// What `keikaku new` creates.
pub enum NewWhat {
    /// `content/measures/<id>.yaml`, a measure sheet to fill in.
    Measure {
        /// The measure ID, which is also its file name and URL.
        id: String,
        /// The policy it belongs to; `None` guesses from the ID (`02-05` → 2).
        policy: Option<u32>,
        /// The plan of `content/plans/<slug>/` it belongs to; `None` for the plan at content/.
        plan: Option<String>,
    },
    /// `content/pages/<slug>.md`, a page to write.
    Page {
        /// The page's file name and URL.
        slug: String,
    },
}

/// `keikaku new`: creates one content file from a template and says what to do next.
pub fn new(root: &Path, what: NewWhat, common: Common) -> ExitCode {
    let result = match what {
        NewWhat::Measure { id, policy, plan } => {
            scaffold::new_measure(root, &id, policy, plan.as_deref())
        }
        NewWhat::Page { slug } => scaffold::new_page(root, &slug),
    };
    match result {
        Ok(rel) => {
            let shown: PathBuf = root.join(&rel);
            if !common.quiet {
                eprintln!("{}", i18n::text(common.lang, Msg::Created { path: &shown }));
                eprintln!(
                    "{}",
                    i18n::text(common.lang, Msg::NextStep { path: &shown })
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", e.message(common.lang));
            match e {
                ScaffoldError::Plan(diags) => {
                    show(&diags, Format::Human, common, false);
                    ExitCode::from(EXIT_CONTENT)
                }
                ScaffoldError::UnknownPolicy { .. } | ScaffoldError::PolicyFromId { .. } => {
                    ExitCode::from(EXIT_CONTENT)
                }
                _ => ExitCode::from(EXIT_USAGE_IO),
            }
        }
    }
}

/// `keikaku import`: reads a KPI spreadsheet into the measure files, all of them or none;
/// `dry_run` prints the changes as diffs instead.
pub fn import(root: &Path, file: &Path, dry_run: bool, format: Format, common: Common) -> ExitCode {
    let plan = match crate::cli::import::plan(root, file) {
        Ok(p) => p,
        Err(diags) => {
            show(&diags, format, common, format == Format::Json);
            eprintln!("{}", i18n::text(common.lang, Msg::ImportNothingWritten));
            return exit_code(&diags);
        }
    };
    if !plan.warnings.is_empty() {
        show(&plan.warnings, format, common, false);
    }
    if plan.files.is_empty() {
        eprintln!("{}", i18n::text(common.lang, Msg::ImportNoChange));
        return ExitCode::SUCCESS;
    }
    if dry_run {
        for f in &plan.files {
            print!("{}", crate::cli::import::diff(f));
            if !common.quiet {
                for c in &f.cells {
                    eprintln!("  {}", c.describe());
                }
            }
        }
        eprintln!("{}", i18n::text(common.lang, Msg::ImportDryRun));
        return ExitCode::SUCCESS;
    }
    if let Err(e) = crate::cli::import::write(root, &plan) {
        eprintln!("{e}");
        return ExitCode::from(EXIT_USAGE_IO);
    }
    if !common.quiet {
        for f in &plan.files {
            for c in &f.cells {
                eprintln!("  {}", c.describe());
            }
        }
        eprintln!(
            "{}",
            i18n::text(
                common.lang,
                Msg::ImportWrote {
                    files: plan.files.len(),
                    cells: plan.cell_count()
                }
            )
        );
    }
    ExitCode::SUCCESS
}

/// `keikaku init [DIR]`. A refused folder is a usage problem (exit 2): nothing was written.
pub fn init(dir: &Path, common: Common) -> ExitCode {
    match init::init(dir) {
        Ok(files) => {
            if !common.quiet {
                let created = Msg::InitCreated { dir, files: &files };
                eprintln!("{}", i18n::text(common.lang, created));
                eprintln!("{}", i18n::text(common.lang, Msg::InitNextSteps { dir }));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let msg = match &e {
                InitError::NotEmpty {
                    dir,
                    entries,
                    total,
                } => Msg::InitNotEmpty {
                    dir,
                    entries,
                    total: *total,
                },
                InitError::NotADirectory(path) => Msg::InitNotADirectory { path },
                InitError::Io(path, error) => Msg::InitIo { path, error },
            };
            eprintln!("{}", i18n::text(common.lang, msg));
            ExitCode::from(EXIT_USAGE_IO)
        }
    }
}
