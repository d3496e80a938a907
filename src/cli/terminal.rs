//! Whether output to the terminal may be coloured. One rule for everything keikaku colours
//! itself (the diagnostics report): the `NO_COLOR` convention (no-color.org) turns colour off,
//! `CLICOLOR_FORCE` turns it on for a pipe (CI logs that render ANSI), and otherwise colour is
//! used only when stderr is a terminal. clap (through anstream) reads the same variables in the
//! same order, so its help and usage errors agree.

use std::io::IsTerminal;

/// Colour for what is written to stderr.
pub(crate) fn color_stderr() -> bool {
    decide(
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("CLICOLOR_FORCE").as_deref(),
        std::io::stderr().is_terminal(),
    )
}

/// `NO_COLOR` set to anything but the empty string wins; `CLICOLOR_FORCE` set to anything but
/// empty or `0` comes next.
fn decide(
    no_color: Option<&std::ffi::OsStr>,
    force: Option<&std::ffi::OsStr>,
    terminal: bool,
) -> bool {
    if no_color.is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if force.is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    terminal
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn no_color_wins_over_force_and_terminal() {
        let set = Some(OsStr::new("1"));
        assert!(!decide(set, set, true));
        assert!(!decide(set, None, true));
        assert!(decide(Some(OsStr::new("")), None, true));
        assert!(decide(None, set, false));
        assert!(!decide(None, Some(OsStr::new("0")), false));
        assert!(!decide(None, None, false));
    }
}
