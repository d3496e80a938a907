//! What each `keikaku` subcommand does once the command line is parsed: call the library,
//! print the outcome in the user's language, and choose the exit code.
//!
//! Exit codes (documented in docs/authoring.md): 0 success, 1 problems in the content or the
//! spreadsheet, 2 usage or I/O problems (clap also uses 2 for a bad command line).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::build::{self, BuildOptions};
use crate::cli::progress_bar::{Mode, Progress};
use crate::cli::scaffold::{self, ScaffoldError};
use crate::cli::serve::{self, ServeOptions};
use crate::diagnostics::{self, Code, Diagnostics, Format};
use crate::i18n::{self, Lang, Msg};
use crate::validate::Overrides;

/// Options every subcommand takes.
#[derive(Clone, Copy)]
pub struct Common {
    pub lang: Lang,
    pub quiet: bool,
}

pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE_IO: u8 = 2;

fn color() -> bool {
    std::io::stderr().is_terminal()
}

fn show(diags: &Diagnostics, format: Format, common: Common, to_stdout: bool) {
    let text = diagnostics::render(&i18n::localize(diags, common.lang), format, color());
    if to_stdout {
        print!("{text}");
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

pub fn build(options: BuildOptions, format: Format, common: Common) -> ExitCode {
    // JSON is for tools: no progress lines around it.
    let quiet = common.quiet || format == Format::Json;
    let mut progress = Progress::new(Mode::detect(quiet), common.lang);
    let result = build::build_observed(&options, &mut |s| progress.stage(s));
    progress.finish();
    match result {
        Ok(report) => {
            if !common.quiet {
                eprintln!(
                    "{}",
                    i18n::text(
                        common.lang,
                        Msg::Built {
                            report: &report,
                            out: &options.output
                        }
                    )
                );
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            // build's report goes to stderr whatever the format (stdout stays free for tools).
            show(&diags, format, common, false);
            eprintln!("{}", i18n::text(common.lang, Msg::SiteUnchanged));
            exit_code(&diags)
        }
    }
}

pub fn check(root: &Path, format: Format, common: Common) -> ExitCode {
    let diags = build::check(root, &Overrides::default());
    let quiet_and_clean = common.quiet && diags.is_empty();
    if !quiet_and_clean {
        show(&diags, format, common, format == Format::Json);
    }
    if diags.has_errors() {
        exit_code(&diags)
    } else {
        if format != Format::Json && !common.quiet && diags.is_empty() {
            eprintln!("{}", i18n::text(common.lang, Msg::CheckOk));
        }
        ExitCode::SUCCESS
    }
}

pub fn serve(options: ServeOptions) -> ExitCode {
    let lang = options.lang;
    match serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let text = e.to_string();
            eprintln!(
                "{}",
                if lang == Lang::En {
                    format!("cannot serve: {text}")
                } else {
                    text
                }
            );
            ExitCode::from(EXIT_USAGE_IO)
        }
    }
}

pub enum NewWhat {
    Measure { id: String, policy: Option<u32> },
    Page { slug: String },
}

pub fn new(root: &Path, what: NewWhat, common: Common) -> ExitCode {
    let result = match what {
        NewWhat::Measure { id, policy } => scaffold::new_measure(root, &id, policy),
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
            eprintln!("{e}");
            match e {
                ScaffoldError::Plan(diags) => {
                    show(&diags, Format::Human, common, false);
                    ExitCode::from(EXIT_CONTENT)
                }
                ScaffoldError::UnknownPolicy { .. } => ExitCode::from(EXIT_CONTENT),
                _ => ExitCode::from(EXIT_USAGE_IO),
            }
        }
    }
}

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
                eprintln!(
                    "  {} {}: {} → {}",
                    f.path.display(),
                    c.field,
                    c.old.as_deref().unwrap_or("—"),
                    c.new
                );
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
