#![no_main]
//! See keikaku::fuzzing::site_yaml for what this checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| keikaku::fuzzing::site_yaml(data));
