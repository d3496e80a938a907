//! `keikaku serve`: a preview server for the people editing the content. It builds the site into
//! memory (nothing is written to `public/`), serves it on the loopback interface (under no
//! other name: see the `guard` module), watches `content/`, `themes/` and `config.yaml`,
//! rebuilds on every change (incrementally, see [`rebuild`]) and tells open pages to reload.
//! When a change breaks the site, the errors are printed in the terminal and shown over the
//! pages, and the last good site keeps being served.

mod endpoints;
mod guard;
mod http;
mod overlay;
pub mod rebuild;
mod server;
pub mod state;
mod wire;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::diagnostics::{Diagnostics, Format};
use crate::i18n::{self, Lang, Msg};
use crate::url;
use crate::validate::Overrides;
// For the `http_head` fuzz target (keikaku::fuzzing).
pub use endpoints::{EVENTS_PATH, STATUS_PATH};
pub(crate) use guard::HostGuard;
pub use guard::{MAX_CONNECTIONS, MAX_EVENT_STREAMS};

use rebuild::{Rebuilder, Update};
use state::{Scope, Shared};
pub(crate) use wire::{parse_head, Method};
pub use wire::{HEAD_TIMEOUT, MAX_HEAD_BYTES};

/// What `keikaku serve` was asked for.
pub struct ServeOptions {
    /// The site folder to build and watch.
    pub root: PathBuf,
    /// The address to listen on (`--bind`; `127.0.0.1`, this computer only, by default).
    pub bind: IpAddr,
    /// 0: any free port.
    pub port: u16,
    /// The language of the server's messages and of the error overlay.
    pub lang: Lang,
    /// `--quiet`: no rebuild messages; errors are still reported.
    pub quiet: bool,
    /// Overrides config.yaml's `base_url` (the absolute URLs in feeds, sitemaps, canonical links).
    pub base_url: Option<String>,
    /// Open the preview in the default browser once the server listens.
    pub open: bool,
    /// Drafts are shown (with a banner) unless `--no-drafts`.
    pub drafts: crate::build::Drafts,
}

/// A watch error in Japanese when the system's error is an I/O one (see [`i18n::io_error_ja`]).
fn watch_error(e: &notify::Error) -> String {
    match &e.kind {
        notify::ErrorKind::Io(io) => i18n::io_error_ja(io),
        _ => e.to_string(),
    }
}

#[derive(Debug)]
pub(crate) enum ServeError {
    /// The address could not be bound (port in use, no permission).
    Bind(SocketAddr, String),
    Watch(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Bind(addr, e) => f.write_str(&i18n::serve_cannot_bind(addr, e)),
            ServeError::Watch(e) => f.write_str(&i18n::serve_cannot_watch(e)),
        }
    }
}

/// Is `rel` (relative to the root) an input the site is built from?
fn is_input(rel: &Path) -> bool {
    rel.starts_with("content") || rel.starts_with("themes") || rel == Path::new("config.yaml")
}

/// Runs until the process is stopped (Ctrl+C).
pub(crate) fn run(options: ServeOptions) -> Result<(), ServeError> {
    let lang = options.lang;
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut watcher =
        new_debouncer(QUIET, None, tx).map_err(|e| ServeError::Watch(watch_error(&e)))?;
    for (dir, mode) in [
        (root.join("content"), RecursiveMode::Recursive),
        (root.join("themes"), RecursiveMode::Recursive),
        // config.yaml, and content/ or themes/ created later. Editors often replace a file by
        // renaming, which a watch on the file itself would lose.
        (root.clone(), RecursiveMode::NonRecursive),
    ] {
        if dir.is_dir() {
            watcher.watch(&dir, mode).map_err(|e| {
                ServeError::Watch(format!("{}: {}", dir.display(), watch_error(&e)))
            })?;
        }
    }

    // Watching starts before the first build, so that an edit saved while it runs (it takes
    // seconds on a large site) is seen and rebuilt right after it.
    let shared = Arc::new(Shared::default());
    let overrides = Overrides {
        base_url: options.base_url.clone(),
        ..Overrides::default()
    };
    let mut rebuilder = Rebuilder::new(&root, overrides).with_drafts(options.drafts);
    rebuild_and_publish(&mut rebuilder, &[], &shared, lang, options.quiet);

    let addr = SocketAddr::new(options.bind, options.port);
    let listener =
        TcpListener::bind(addr).map_err(|e| ServeError::Bind(addr, i18n::io_error_ja(&e)))?;
    let local = listener.local_addr().unwrap_or(addr);
    let url = format!("http://{local}/");
    // The URL goes to stdout (one line, first) so that scripts and tests can read it.
    println!("{url}");
    eprintln!("{}", i18n::text(lang, Msg::Serving { url: &url }));
    if guard::beyond_loopback(local.ip()) {
        let addr = local.to_string();
        eprintln!(
            "{}",
            i18n::text(lang, Msg::ServeBeyondLoopback { addr: &addr })
        );
    }
    eprintln!("{}", i18n::text(lang, Msg::Watching { root: &root }));
    eprintln!("{}", i18n::text(lang, Msg::ServeStopHint));

    let context = Arc::new(server::Context::new(
        shared.clone(),
        lang,
        HostGuard::new(local).with_base_url(options.base_url.as_deref()),
    ));
    std::thread::Builder::new()
        .name("serve-accept".into())
        .spawn(move || server::accept_loop(listener, context))
        .map_err(|e| ServeError::Bind(addr, i18n::io_error_ja(&e)))?;
    if options.open {
        let shown = url.clone();
        crate::cli::browser::open(&url, move |reason| {
            let reason = reason.as_str();
            eprintln!(
                "{}",
                i18n::text(
                    lang,
                    Msg::OpenBrowserFailed {
                        url: &shown,
                        reason
                    }
                )
            );
        });
    }

    while let Some(mut changed) = next_batch(&rx, &root) {
        changed.sort();
        changed.dedup();
        // A folder created after start (content/, themes/) is watched from now on.
        for dir in ["content", "themes"] {
            if changed.iter().any(|p| p == Path::new(dir)) && root.join(dir).is_dir() {
                let _ = watcher.watch(root.join(dir), RecursiveMode::Recursive);
            }
        }
        rebuild_and_publish(&mut rebuilder, &changed, &shared, lang, options.quiet);
    }
    shared.stop();
    Ok(())
}

/// How long a file must stay quiet before its change is rebuilt: an editor's save is often
/// several events (write, rename, attribute change) in quick succession, which the debouncer
/// folds into one.
const QUIET: Duration = Duration::from_millis(120);

/// Waits for the next changes to inputs, and takes every change already waiting with them
/// (those saved while the last rebuild ran), so that they make one rebuild. Reads are ignored
/// (the rebuild itself reads every changed file); so are the watcher's errors, which name no
/// file (the next change is seen all the same). `None` when the watcher has gone.
fn next_batch(rx: &mpsc::Receiver<DebounceEventResult>, root: &Path) -> Option<Vec<PathBuf>> {
    let relevant = |result: DebounceEventResult| -> Vec<PathBuf> {
        let Ok(events) = result else {
            return Vec::new();
        };
        events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| &e.paths)
            .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
            .filter(|p| is_input(p))
            .collect()
    };
    let mut changed = Vec::new();
    while changed.is_empty() {
        changed = relevant(rx.recv().ok()?);
    }
    while let Ok(more) = rx.try_recv() {
        changed.extend(relevant(more));
    }
    Some(changed)
}

fn rebuild_and_publish(
    rebuilder: &mut Rebuilder,
    changed: &[PathBuf],
    shared: &Shared,
    lang: Lang,
    quiet: bool,
) {
    let said = |files: usize, pages: usize, elapsed: Duration| {
        if !quiet {
            eprintln!(
                "{}",
                i18n::text(
                    lang,
                    Msg::Rebuilt {
                        files,
                        pages,
                        elapsed,
                    }
                )
            );
        }
    };
    let html = |paths: &[String]| paths.iter().filter(|p| p.ends_with(".html")).count();
    match rebuilder.rebuild(changed) {
        Ok(Update::Full(done)) => {
            let diff = shared.publish(done.outputs, Scope::All);
            said(done.reparsed.len(), html(&diff), done.report.elapsed);
        }
        Ok(Update::Measures(done)) => {
            let prefixes: Vec<String> = done
                .outputs
                .iter()
                .filter_map(|o| url::measure_dir_of(&o.path))
                .map(str::to_string)
                .collect();
            let diff = shared.publish(done.outputs, Scope::Measures(&prefixes));
            said(done.reparsed.len(), html(&diff), done.report.elapsed);
            match rebuilder.rest() {
                Ok(rest) => {
                    let is_measure_file = |p: &str| url::measure_dir_of(p).is_some();
                    let diff = shared.publish(rest.outputs, Scope::Rest(&is_measure_file));
                    if !quiet {
                        eprintln!(
                            "{}",
                            i18n::text(
                                lang,
                                Msg::RestRebuilt {
                                    pages: html(&diff),
                                    elapsed: done.report.elapsed + rest.report.elapsed,
                                }
                            )
                        );
                    }
                }
                Err(diags) => {
                    report(&diags, lang);
                    shared.fail(diags);
                }
            }
        }
        Err(diags) => {
            report(&diags, lang);
            shared.fail(diags);
        }
    }
}

/// Errors go to the terminal in full, whatever `--quiet` says.
fn report(diags: &Diagnostics, lang: Lang) {
    let color = crate::cli::terminal::color_stderr();
    eprint!("{}", i18n::report(diags, Format::Human, lang, color));
    eprintln!(
        "{}",
        i18n::text(
            lang,
            Msg::RebuildFailed {
                errors: diags.error_count()
            }
        )
    );
}
