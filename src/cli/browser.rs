//! `serve --open`: shows the preview in the desktop's default browser. The platform's own
//! opener is used (`xdg-open` on Linux and the BSDs, `open` on macOS, `start` on Windows), so
//! keikaku needs no browser-specific code. Failing to open is never fatal: the preview is
//! running and its URL is printed either way.

use std::process::{Command, Stdio};

/// Starts the opener for `url` and returns once it has been started, or why it could not be.
/// The opener's own output is discarded: it would interleave with the server's messages.
pub fn open(url: &str) -> Result<(), String> {
    let mut command = opener_command(url);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command.spawn().map_err(|e| format!("{program}: {e}"))?;
    // xdg-open exits at once with a failure status when no browser is configured; wait briefly
    // for that so the warning can say so, without holding up the server.
    std::thread::sleep(std::time::Duration::from_millis(300));
    match child.try_wait() {
        Ok(Some(status)) if !status.success() => Err(format!("{program}: {status}")),
        _ => {
            // Reap the opener whenever it ends, so no zombie process stays behind.
            std::thread::spawn(move || child.wait());
            Ok(())
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
