//! `keikaku import` end to end, with workbooks written by rust_xlsxwriter in the test.

mod common;
use common as support;

use std::path::Path;

use rust_xlsxwriter::Workbook;

/// A cell to write: text, or a number as Excel stores it.
enum C<'a> {
    T(&'a str),
    N(f64),
}

fn workbook(path: &Path, sheets: &[(&str, &[&[C]])]) {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    C::T("") => {}
                    C::T(t) => {
                        sheet.write_string(r as u32, c as u16, *t).unwrap();
                    }
                    C::N(n) => {
                        sheet.write_number(r as u32, c as u16, *n).unwrap();
                    }
                }
            }
        }
    }
    book.save(path).unwrap();
}

use C::{N, T};

#[test]
fn a_workbook_updates_the_actuals_of_three_measures_and_keeps_comments() {
    let (tmp, root) = support::site();
    let xlsx = tmp.path().join("実績.xlsx");
    workbook(
        &xlsx,
        &[
            ("説明", &[&[T("このシートは読み込まれません")]]),
            (
                "成果目標",
                &[
                    &[T("令和6年度 成果目標の実績")],
                    &[
                        T("施策ID"),
                        T("成果目標"),
                        T("評価項目"),
                        T("区分"),
                        T("令和4年度"),
                        T("令和5年度"),
                        T("令和6年度"),
                        T("令和7年度"),
                        T("備考"),
                    ],
                    // Merged 施策ID cells: only the first row has the value.
                    &[
                        T("01-01"),
                        T("①"),
                        T(""),
                        T("実績"),
                        T(""),
                        T(""),
                        T("33,474千円"),
                    ],
                    &[T(""), T("②"), T(""), T("実績"), T(""), T(""), T("1,002件")],
                    &[
                        T("01-02"),
                        T("1"),
                        T(""),
                        T("実績"),
                        T(""),
                        T("1件"),
                        N(1.0),
                    ],
                    &[
                        T("01-03"),
                        T("成果目標①"),
                        T(""),
                        T("実績"),
                        T("607頭"),
                        T("798頭"),
                        T("584頭"),
                        T(""),
                        T("速報値"),
                    ],
                ],
            ),
        ],
    );
    let out = support::run(&[
        "import",
        xlsx.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    let stderr = support::text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("3ファイルの7セルを更新しました"),
        "{stderr}"
    );

    let m1 = support::read(&root, "content/measures/01-01.yaml");
    assert!(
        m1.contains(
            "      R5: 62,588千円\n      R6: 33,474千円\n  - indicator: らづポイント付与件数"
        ),
        "{m1}"
    );
    assert!(m1.contains("      R5: 762件\n      R6: 1,002件\n"), "{m1}");
    assert!(
        m1.contains("R6: 60,000千円   # 令和6年8月改訂で上方修正"),
        "{m1}"
    );
    assert!(m1.starts_with("# 施策 01-01（施策概要シートから転記）\n"));

    let m2 = support::read(&root, "content/measures/01-02.yaml");
    assert!(
        m2.contains("      R4: 2件\n      R5: 1件\n      R6: 1件\n"),
        "{m2}"
    );

    let m3 = support::read(&root, "content/measures/01-03.yaml");
    assert!(
        m3.ends_with("    actual:   # まだ報告がありません\n      R4: 607頭\n      R5: 798頭\n      R6: 584頭\n"),
        "{m3}"
    );

    // Only the changed lines differ from the originals.
    let original = std::fs::read_to_string(
        Path::new(support::SITE_FIXTURE).join("content/measures/01-01.yaml"),
    )
    .unwrap();
    let added: Vec<&str> = m1
        .lines()
        .filter(|l| !original.lines().any(|o| o == *l))
        .collect();
    assert_eq!(added, vec!["      R6: 33,474千円", "      R6: 1,002件"]);

    // The result is a valid site, and importing again changes nothing.
    let check = support::run(&["check", "--root", root.to_str().unwrap()]);
    assert!(check.status.success(), "{}", support::text(&check.stderr));
    let before = support::snapshot(&root);
    let again = support::run(&[
        "import",
        xlsx.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(again.status.success());
    assert!(support::text(&again.stderr).contains("変更はありません"));
    assert_eq!(before, support::snapshot(&root));
}

#[test]
fn bad_cells_are_reported_by_sheet_row_and_column_and_nothing_is_written() {
    let (tmp, root) = support::site();
    let xlsx = tmp.path().join("bad.xlsx");
    workbook(
        &xlsx,
        &[(
            "実績",
            &[
                &[T("施策ID"), T("成果目標"), T("区分"), T("R5"), T("R6")],
                // A good row: must not be written either, because other rows are bad.
                &[T("01-01"), T("1"), T("実績"), T(""), T("33,474千円")],
                &[T("01-02"), T("1"), T("実績"), T("30,,000千円"), T("")],
                &[T("01-03"), T("1"), T("見込"), T("1頭"), T("")],
                &[T("09-99"), T("1"), T("実績"), T("1件"), T("")],
            ],
        )],
    );
    let before = support::snapshot(&root);
    let out = support::run(&[
        "import",
        xlsx.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let found: Vec<(String, String, u64, u64)> = report
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"]["key"].as_str().unwrap().to_string(),
                d["field"].as_str().unwrap().to_string(),
                d["position"]["line"].as_u64().unwrap(),
                d["position"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("invalid_cell".into(), "実績!D3".into(), 3, 4),
            ("invalid_value".into(), "実績!C4".into(), 4, 3),
            ("invalid_value".into(), "実績!A5".into(), 5, 1),
        ]
    );
    let messages: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[0].starts_with("シート「実績」3行 D列"),
        "{messages:?}"
    );
    assert_eq!(before, support::snapshot(&root), "nothing may be written");
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let (tmp, root) = support::site();
    let csv = tmp.path().join("kpi.csv");
    std::fs::write(
        &csv,
        "施策ID,成果目標,区分,令和5年度,令和6年度\n01-01,1,目標,\"36,000千円\",\n",
    )
    .unwrap();
    let before = support::snapshot(&root);
    let out = support::run(&[
        "import",
        csv.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--dry-run",
    ]);
    let stderr = support::text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // What would change, in the words of the sheet, beside the diff.
    assert!(
        stderr.contains("施策01-01 成果目標① 令和5年度の目標: 35,000千円 → 36,000千円"),
        "{stderr}"
    );
    let diff = support::text(&out.stdout);
    assert!(diff.contains("--- a/content/measures/01-01.yaml"), "{diff}");
    assert!(
        diff.contains("-      R5: 35,000千円\n+      R5: 36,000千円\n"),
        "{diff}"
    );
    assert_eq!(before, support::snapshot(&root));
}

#[test]
fn the_shipped_template_imports_cleanly() {
    let (_tmp, root) = support::site();
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/import-template.csv");
    let out = support::run(&[
        "import",
        template,
        "--root",
        root.to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(out.status.success(), "{}", support::text(&out.stderr));
    let xlsx = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/import-template.xlsx");
    let out = support::run(&[
        "import",
        xlsx,
        "--root",
        root.to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(out.status.success(), "{}", support::text(&out.stderr));
}
