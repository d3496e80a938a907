#![no_main]
//! See keikaku::fuzzing::fiscal_year for what this checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| keikaku::fuzzing::fiscal_year(data));
