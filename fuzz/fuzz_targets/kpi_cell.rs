#![no_main]
//! See keikaku::fuzzing::kpi_cell for what this checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| keikaku::fuzzing::kpi_cell(data));
