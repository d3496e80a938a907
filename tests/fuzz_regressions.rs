//! Replays every input the fuzz targets (fuzz/, docs/hardening.md) ever crashed on, through
//! the same code the targets run (keikaku::fuzzing). A file in tests/fixtures/fuzz/<target>/
//! is one input, byte for byte.

mod common;

use common::fixtures;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = fixtures().join("fuzz").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        eprintln!("replaying {}", f.display());
        run(&data);
    }
}

#[test]
fn kpi_cell_regressions() {
    replay("kpi_cell", keikaku::fuzzing::kpi_cell);
}

#[test]
fn fiscal_year_regressions() {
    replay("fiscal_year", keikaku::fuzzing::fiscal_year);
}

#[test]
fn glossary_link_regressions() {
    replay("glossary_link", keikaku::fuzzing::glossary_link);
}

#[test]
fn site_yaml_regressions() {
    replay("site_yaml", keikaku::fuzzing::site_yaml);
}

#[test]
fn http_head_regressions() {
    replay("http_head", keikaku::fuzzing::http_head);
}
