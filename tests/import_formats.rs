//! `keikaku import` reads numbers as staff see them: each cell's number format (percent,
//! thousands, 千円), the KPI's unit for a bare number, warnings at the cell for what stays
//! ambiguous, changes reported in the words of the sheet, and Excel's 「Unicode テキスト」.

mod common;
use common as support;

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

/// A cell: text, a number in General format, or a number with a format code.
enum C<'a> {
    T(&'a str),
    N(f64),
    F(f64, &'a str),
}
use C::{F, N, T};

fn workbook(path: &Path, name: &str, rows: &[&[C]]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                T("") => {}
                T(t) => {
                    sheet.write_string(r, c, *t).unwrap();
                }
                N(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                F(n, code) => {
                    let format = Format::new().set_num_format(*code);
                    sheet.write_number_with_format(r, c, *n, &format).unwrap();
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// The diagnostics of a `--format json` run (printed on stderr before the summary lines).
fn diagnostics(stderr: &str) -> Vec<serde_json::Value> {
    let start = stderr.find('[').expect("JSON report on stderr");
    let mut stream = serde_json::Deserializer::from_str(&stderr[start..]).into_iter();
    let value: serde_json::Value = stream.next().unwrap().unwrap();
    value.as_array().unwrap().clone()
}

fn warnings(report: &[serde_json::Value]) -> Vec<(String, String)> {
    report
        .iter()
        .filter(|d| d["severity"] == "warning" && d["code"]["id"].as_str() >= Some("E0905"))
        .map(|d| {
            (
                d["code"]["id"].as_str().unwrap().to_string(),
                d["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn number_formats_and_the_kpis_units_give_what_staff_see() {
    let (tmp, root) = support::site();
    // A KPI in percent, as a satisfaction survey is kept.
    let m2 = root.join("content/measures/01-02.yaml");
    let mut text = std::fs::read_to_string(&m2).unwrap();
    text.push_str("  - indicator: 満足度\n    target:\n      R4: 75%\n      R5: 75%\n");
    std::fs::write(&m2, text).unwrap();

    let xlsx = tmp.path().join("実績.xlsx");
    workbook(
        &xlsx,
        "成果目標",
        &[
            &[
                T("施策ID"),
                T("成果目標"),
                T("評価項目"),
                T("区分"),
                T("令和4年度"),
                T("令和5年度"),
                T("令和6年度"),
                T("令和7年度"),
            ],
            // Stored in yen, shown in thousands: `#,##0,"千円"`.
            &[
                T("01-01"),
                T("①"),
                T(""),
                T("実績"),
                T(""),
                T(""),
                F(33_474_000.0, "#,##0,\"千円\""),
                // In yen where the KPI is in thousands: written, and warned about.
                F(35_000_000.0, "#,##0\"円\""),
            ],
            // Bare numbers take the KPI's unit; thousands separators as the format shows.
            &[
                T(""),
                T("②"),
                T(""),
                T("実績"),
                T(""),
                T(""),
                N(1002.0),
                F(1120.0, "#,##0"),
            ],
            // 72 % stored as 0.72; a plain 0.8 for a KPI in % is ambiguous; 0.725 shown as 73%.
            &[
                T("01-02"),
                T("③"),
                T(""),
                T("実績"),
                F(0.72, "0%"),
                N(0.8),
                F(0.725, "0%"),
            ],
            // A new KPI with a bare number: no unit to carry.
            &[T("01-03"), T("②"), T("新規就農者数"), T("実績"), N(3.0)],
        ],
    );
    let out = support::run(&[
        "import",
        xlsx.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let stderr = support::text(&out.stderr);
    assert!(out.status.success(), "{stderr}");

    let m1 = support::read(&root, "content/measures/01-01.yaml");
    assert!(
        m1.contains("      R5: 62,588千円\n      R6: 33,474千円\n      R7: 35,000,000円\n"),
        "{m1}"
    );
    assert!(
        m1.contains("      R5: 762件\n      R6: 1,002件\n      R7: 1,120件\n"),
        "{m1}"
    );
    let m2 = support::read(&root, "content/measures/01-02.yaml");
    assert!(
        m2.ends_with(
            "  - indicator: 満足度\n    target:\n      R4: 75%\n      R5: 75%\n    actual:\n      R4: 72%\n      R5: \"0.8\"\n      R6: \"72.5%\"\n"
        ),
        "{m2}"
    );
    let m3 = support::read(&root, "content/measures/01-03.yaml");
    assert!(
        m3.ends_with("  - indicator: 新規就農者数\n    actual:\n      R4: \"3\"\n"),
        "{m3}"
    );

    // Each warning at its cell, naming the measure and the KPI.
    let report = diagnostics(&stderr);
    assert_eq!(
        warnings(&report),
        vec![
            ("E0909".to_string(), "成果目標!H2".to_string()),
            ("E0907".to_string(), "成果目標!F4".to_string()),
            ("E0905".to_string(), "成果目標!G4".to_string()),
            ("E0906".to_string(), "成果目標!E5".to_string()),
        ],
        "{stderr}"
    );
    let message = |id: &str| {
        report
            .iter()
            .find(|d| d["code"]["id"] == id)
            .and_then(|d| d["message"].as_str())
            .unwrap()
            .to_string()
    };
    assert!(
        message("E0907").contains("施策01-02 成果目標③ 令和5年度の実績「0.8」"),
        "{}",
        message("E0907")
    );
    assert!(
        message("E0909")
            .contains("「35,000,000円」の単位「円」が、この成果目標の単位「千円」と違います"),
        "{}",
        message("E0909")
    );
    assert!(
        message("E0905").contains("Excelでは「73%」と表示されますが、セルの値は「72.5%」です"),
        "{}",
        message("E0905")
    );
    assert!(
        message("E0906").starts_with(
            "シート「成果目標」5行 E列: 施策01-03 成果目標② 令和4年度の実績「3」に単位がなく"
        ),
        "{}",
        message("E0906")
    );

    // The changes in the words of the sheet, not as YAML paths.
    for line in [
        "  施策01-01 成果目標① 令和6年度の実績: 未記入 → 33,474千円",
        "  施策01-01 成果目標② 令和7年度の実績: 未記入 → 1,120件",
        "  施策01-02 成果目標③ 令和4年度の実績: 未記入 → 72%",
    ] {
        assert!(stderr.contains(line), "{line}\n{stderr}");
    }
    let changes: Vec<&str> = stderr.lines().filter(|l| l.contains(" → ")).collect();
    assert_eq!(changes.len(), 8, "{stderr}");
    assert!(!changes.iter().any(|l| l.contains("kpis[")), "{stderr}");
}

#[test]
fn a_changed_value_is_reported_with_its_old_value() {
    let (tmp, root) = support::site();
    let csv = tmp.path().join("kpi.csv");
    // A CSV has no formats: a bare number still takes the KPI's unit.
    std::fs::write(&csv, "施策ID,成果目標,区分,令和5年度\n01-01,2,実績,770\n").unwrap();
    let out = support::run(&[
        "import",
        csv.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    let stderr = support::text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("  施策01-01 成果目標② 令和5年度の実績: 762件 → 770件"),
        "{stderr}"
    );
    let m1 = support::read(&root, "content/measures/01-01.yaml");
    assert!(m1.contains("      R5: 770件\n"), "{m1}");
}

#[test]
fn excels_unicode_text_is_read_as_tab_separated_utf16() {
    for (name, big_endian) in [
        ("実績.txt", false),
        ("実績be.txt", true),
        ("実績.csv", false),
    ] {
        let (tmp, root) = support::site();
        let file = tmp.path().join(name);
        let text = "施策ID\t成果目標\t区分\t令和6年度\r\n01-01\t2\t実績\t1,002件\r\n";
        let mut bytes: Vec<u8> = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        std::fs::write(&file, bytes).unwrap();
        let out = support::run(&[
            "import",
            file.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
        ]);
        let stderr = support::text(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        let m1 = support::read(&root, "content/measures/01-01.yaml");
        assert!(
            m1.contains("      R5: 762件\n      R6: 1,002件\n"),
            "{name}: {m1}"
        );
    }
}

#[test]
fn os_errors_are_explained_in_japanese_with_the_systems_text_kept() {
    let (tmp, root) = support::site();
    let missing = tmp.path().join("ありません.xlsx");
    let out = support::run(&[
        "import",
        missing.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
    ]);
    let stderr = support::text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("ファイルを読めません: ファイルまたはフォルダがありません（"),
        "{stderr}"
    );
    // The system's own words stay, as the detail, inside the brackets.
    assert!(stderr.contains("(os error"), "{stderr}");
}
