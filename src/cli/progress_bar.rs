//! Build progress for the terminal. A bar (indicatif) appears only when a build takes longer
//! than a moment, so quick builds stay quiet; when stderr is not a terminal (CI logs, pipes)
//! each stage is one plain line instead; `--quiet` shows nothing.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build::Stage;
use crate::i18n::{self, Lang, Msg};

/// How long a build runs before the bar is drawn.
const SHOW_AFTER: Duration = Duration::from_millis(300);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Bar,
    Lines,
    Quiet,
}

impl Mode {
    pub(crate) fn detect(quiet: bool) -> Mode {
        if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

pub(crate) struct Progress {
    mode: Mode,
    lang: Lang,
    bar: Option<ProgressBar>,
    /// Set when the build ends; locked while the bar is being revealed so it cannot appear after.
    done: Arc<Mutex<bool>>,
}

impl Progress {
    pub(crate) fn new(mode: Mode, lang: Lang) -> Progress {
        let done = Arc::new(Mutex::new(false));
        let bar = (mode == Mode::Bar).then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(Stage::ALL.len() as u64),
                ProgressDrawTarget::hidden(),
            );
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{bar:24}] {pos}/{len} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            let shown = bar.clone();
            let finished = done.clone();
            std::thread::spawn(move || {
                std::thread::sleep(SHOW_AFTER);
                let finished = finished.lock().unwrap_or_else(|e| e.into_inner());
                if !*finished {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
            bar
        });
        Progress {
            mode,
            lang,
            bar,
            done,
        }
    }

    /// A stage starts.
    pub(crate) fn stage(&mut self, stage: Stage) {
        let label = i18n::text(self.lang, label(stage));
        match self.mode {
            Mode::Quiet => {}
            Mode::Lines => eprintln!("[{}/{}] {label}", stage.index() + 1, Stage::ALL.len()),
            Mode::Bar => {
                if let Some(bar) = &self.bar {
                    bar.set_position(stage.index() as u64);
                    bar.set_message(label);
                }
            }
        }
    }

    /// The build ended (well or not): the bar disappears before the summary is printed.
    pub(crate) fn finish(&mut self) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done = true;
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn label(stage: Stage) -> Msg<'static> {
    match stage {
        Stage::Load => Msg::StageLoad,
        Stage::Validate => Msg::StageValidate,
        Stage::Render => Msg::StageRender,
        Stage::Write => Msg::StageWrite,
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
