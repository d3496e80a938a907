#![no_main]
//! See keikaku::fuzzing::http_head for what this checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| keikaku::fuzzing::http_head(data));
