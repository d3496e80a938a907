//! Builds the example site (the Kisarazu City DX plan in content/) and checks it against facts
//! extracted once from the seed sheets into tests/fixtures (the suite never reads ../shared).

mod common;

use std::collections::BTreeMap;

use common::{html_escape, keikaku, read_tree, repo_root};
use keikaku::build::Pipeline;
use keikaku::validate::Overrides;

fn build_example(out: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let report = Pipeline::new(repo_root())
        .with_overrides(Overrides::default())
        .build(out)
        .unwrap_or_else(|d| {
            panic!(
                "example site must build:\n{}",
                keikaku::diagnostics::render(&d, keikaku::diagnostics::Format::Plain, false)
            )
        });
    assert!(report.pages > 31);
    read_tree(out)
}

fn page<'a>(tree: &'a BTreeMap<String, Vec<u8>>, path: &str) -> &'a str {
    std::str::from_utf8(tree.get(path).unwrap_or_else(|| panic!("{path} missing"))).unwrap()
}

#[test]
fn every_measure_has_a_page_with_its_id_title_lead_department_and_every_seed_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = build_example(&tmp.path().join("public"));

    let measures = include_str!("fixtures/seed_measures.tsv");
    let mut count = 0;
    for line in measures.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (id, title, lead) = (cols[0], cols[1], cols[2]);
        let html = page(&tree, &format!("measures/{id}/index.html"));
        for needle in [id, title, lead] {
            assert!(
                html.contains(&html_escape(needle)),
                "measures/{id}: missing {needle:?}"
            );
        }
        let home = page(&tree, "index.html");
        assert!(
            home.contains(&format!("measures/{id}/")),
            "home does not link {id}"
        );
        count += 1;
    }
    assert_eq!(count, 31, "the plan has 31 measures");

    let cells = include_str!("fixtures/seed_kpi_cells.tsv");
    let mut checked = 0;
    for line in cells.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (id, kpi, year, kind, text) = (cols[0], cols[1], cols[2], cols[3], cols[4]);
        let html = page(&tree, &format!("measures/{id}/index.html"));
        // Within the KPI's own table, in the row of its fiscal year.
        let section_start = html
            .find(&format!("id=\"kpi-{kpi}\""))
            .unwrap_or_else(|| panic!("{id}: no KPI {kpi} section"));
        let section = &html[section_start..];
        let section = &section[..section.find("</section>").unwrap()];
        let year_label = keikaku::fiscal::FiscalYear::parse(year).unwrap().label();
        let row_start = section
            .find(&format!("<th scope=\"row\">{year_label}</th>"))
            .unwrap_or_else(|| panic!("{id} KPI {kpi}: no row for {year_label}"));
        let row = &section[row_start..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.contains(&html_escape(text)),
            "{id} KPI {kpi} {year} {kind}: {text:?} not in row {row}"
        );
        checked += 1;
    }
    assert_eq!(checked, 430, "every target and actual cell of the seed");
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let a = build_example(&tmp.path().join("a"));
    let b = build_example(&tmp.path().join("b"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between builds");
    }
}

#[test]
fn pages_have_the_accessible_baseline() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = build_example(&tmp.path().join("public"));
    for (path, bytes) in tree.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = std::str::from_utf8(bytes).unwrap();
        // Every language tree (easy/, en/: config.yaml's languages) has the same pages.
        let (lang, in_tree) = match (path.strip_prefix("easy/"), path.strip_prefix("en/")) {
            (Some(rest), _) => ("ja", rest),
            (_, Some(rest)) => ("en", rest),
            _ => ("ja", path.as_str()),
        };
        assert!(
            html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")),
            "{path}"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{path}: exactly one h1");
        assert!(
            html.contains("<a class=\"skip-link\" href=\"#main\">"),
            "{path}: skip link"
        );
        assert!(html.contains("<main id=\"main\""), "{path}: main landmark");
        // The older plan's pages (ict-2018/…) are laid out as the current plan's.
        let (plan, in_plan) = match in_tree.strip_prefix("ict-2018/") {
            Some(rest) => ("ict-2018", rest),
            None => ("", in_tree),
        };
        if in_plan == "search/index.html" {
            // The one script of the site enhances the search form; without it the page
            // still lists every measure.
            assert_eq!(html.matches("<script").count(), 1, "{path}");
            let first = if plan.is_empty() { "01-01" } else { "1" };
            assert!(
                html.contains(&format!("../measures/{first}/")),
                "{path}: full list"
            );
        } else if in_plan == "data/index.html" {
            // The data page's one script element is data, not code: the schema.org Dataset
            // for dataset search engines (JSON-LD).
            assert_eq!(html.matches("<script").count(), 1, "{path}");
            assert!(
                html.contains("<script type=\"application/ld+json\">\n{"),
                "{path}: JSON-LD only"
            );
        } else {
            assert!(!html.contains("<script"), "{path}: no script needed");
        }
        for table in html.split("<table").skip(1) {
            assert!(
                table.trim_start_matches(|c| c != '>').contains("<caption"),
                "{path}: table without caption"
            );
        }
        // Headings never skip a level going down.
        let mut last = 1;
        for (i, _) in html.match_indices("<h") {
            if let Some(level) = html[i + 2..].chars().next().and_then(|c| c.to_digit(10)) {
                assert!(level <= last + 1, "{path}: h{last} followed by h{level}");
                last = level;
            }
        }
    }
}

#[test]
fn links_are_relative_so_the_site_works_under_a_sub_path() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sub");
    let run = keikaku(&[
        "build",
        "--root",
        repo_root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://www.city.example.lg.jp/shisei/dx",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let tree = read_tree(&out);
    let html = page(&tree, "measures/01-01/index.html");
    assert!(html.contains("href=\"../../assets/style.css?v="));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://www.city.example.lg.jp/shisei/dx/measures/01-01/\">"));
    // The 404 page is served from any depth, so it links from the base path.
    let not_found = page(&tree, "404.html");
    assert!(
        not_found.contains("href=\"/shisei/dx/assets/style.css?v="),
        "{not_found}"
    );
    for (path, bytes) in &tree {
        if path.ends_with(".html") && path != "404.html" {
            let html = std::str::from_utf8(bytes).unwrap();
            assert!(!html.contains("href=\"/"), "{path}: root-absolute link");
        }
    }
}

/// Both of the example's plans have titles that start with the city's name (木更津市DX推進計画,
/// 木更津市地域ICT推進プラン): no page or data file may then say the city twice, the way a
/// template that puts the city before the title would (「木更津市・木更津市…」,
/// 「木更津市の「木更津市…」」).
#[test]
fn no_page_names_the_city_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = build_example(&tmp.path().join("public"));
    let mut checked = 0;
    for (path, bytes) in &tree {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        for twice in [
            "木更津市・木更津市",
            "木更津市の「木更津市",
            "木更津市の木更津市",
            "木更津市 木更津市",
        ] {
            assert!(!text.contains(twice), "{path} says {twice}");
        }
        checked += 1;
    }
    assert!(checked > 100, "only {checked} text files");
}
