#![no_main]
//! See keikaku::fuzzing::glossary_link for what this checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| keikaku::fuzzing::glossary_link(data));
