//! The command-line side of keikaku: what `main.rs` hands each subcommand to. These modules
//! drive the pipeline stages (load → validate → render → output, at the top of `src/`) and talk
//! to the person at the terminal; the stages themselves know nothing of the command line.

pub mod browser;
pub mod commands;
pub mod import;
pub mod init;
pub mod progress_bar;
pub mod scaffold;
pub mod serve;
pub mod terminal;
pub mod usage;
