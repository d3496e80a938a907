//! The command-line side of keikaku: what `main.rs` hands each subcommand to. These modules
//! drive the pipeline stages (load → validate → render → output, at the top of `src/`) and talk
//! to the person at the terminal; the stages themselves know nothing of the command line.

pub(crate) mod browser;
pub mod commands;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod progress_bar;
pub(crate) mod scaffold;
pub mod serve;
pub(crate) mod terminal;
pub mod usage;
