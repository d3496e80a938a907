//! `serve --open`: shows the preview in the desktop's default browser. The platform's own
//! opener is used (`xdg-open` on Linux and the BSDs, `open` on macOS, `start` on Windows), so
//! keikaku needs no browser-specific code. Failing to open is never fatal: the preview is
//! running and its URL is printed either way.

use std::process::{Command, Stdio};

/// Starts the opener for `url`. `failed` is called if it cannot be started, or later, from a
/// thread of its own, if it ends with a failure status (xdg-open does when no browser is
/// configured). Waiting for the status in the background, rather than for a fixed time, keeps
/// the server from being held up and still reports a failure however slowly the opener runs.
/// The opener's own output is discarded: it would interleave with the server's messages.
pub(crate) fn open(url: &str, failed: impl FnOnce(String) + Send + 'static) {
    let mut command = opener_command(url);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let program = command.get_program().to_string_lossy().into_owned();
    match command.spawn() {
        Err(e) => failed(format!("{program}: {}", crate::i18n::io_error_ja(&e))),
        Ok(mut child) => {
            std::thread::spawn(move || match child.wait() {
                Ok(status) if !status.success() => failed(format!("{program}: {status}")),
                Ok(_) => {}
                Err(e) => failed(format!("{program}: {}", crate::i18n::io_error_ja(&e))),
            });
        }
    }
}

#[cfg(target_os = "macos")]
fn opener_command(url: &str) -> Command {
    let mut c = Command::new("open");
    c.arg(url);
    c
}

#[cfg(target_os = "windows")]
fn opener_command(url: &str) -> Command {
    // `start`'s first quoted argument is the window title, hence the empty one.
    let mut c = Command::new("cmd");
    c.args(["/C", "start", ""]).arg(url);
    c
}

#[cfg(not(any(target_os = "macos", target_os = "windows")))]
fn opener_command(url: &str) -> Command {
    let mut c = Command::new("xdg-open");
    c.arg(url);
    c
}
