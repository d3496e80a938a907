//! Understanding a KPI sheet: which column is which, and what each row asks to change. The
//! layout is the one staff already keep (the 成果目標 block of the 施策概要 sheet, one row per
//! KPI and 目標/実績, one column per fiscal year); docs/authoring.md describes it. Every cell is
//! checked here with the KPI cell grammar, and every problem is reported with its sheet, row and
//! column — all of them in one run.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::fiscal::FiscalYear;
use crate::kpi::cell::CellInput;
use crate::model::Period;
use crate::url;

use super::sheet::{column_letter, Sheet, Value};

/// Which series of a KPI a row holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Target,
    Actual,
}

impl Kind {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::Target => "target",
            Kind::Actual => "actual",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Target => "目標",
            Kind::Actual => "実績",
        }
    }
}

/// `成果目標②`: the KPI as staff number it (circled up to ⑳).
pub(crate) fn kpi_label(kpi: usize) -> String {
    match char::from_u32(0x2460 + kpi as u32 - 1) {
        Some(c) if (1..=20).contains(&kpi) => format!("成果目標{c}"),
        _ => format!("成果目標{kpi}"),
    }
}

/// `施策01-01 成果目標② 令和7年度の実績`: one cell, in the words of the 施策概要 sheet.
pub(crate) fn describe_cell(measure: &str, kpi: usize, kind: Kind, year: FiscalYear) -> String {
    format!(
        "施策{measure} {} {}の{}",
        kpi_label(kpi),
        year.label(),
        kind.label()
    )
}

/// Where a value came from in the spreadsheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Origin {
    pub sheet: String,
    pub row: usize,
    pub col: usize,
}

impl Origin {
    /// `シート「KPI」12行 D列`
    pub(crate) fn describe(&self) -> String {
        format!(
            "シート「{}」{}行 {}列",
            self.sheet,
            self.row,
            column_letter(self.col)
        )
    }

    /// `KPI!D12`, the reference a spreadsheet program accepts.
    pub(crate) fn reference(&self) -> String {
        format!("{}!{}{}", self.sheet, column_letter(self.col), self.row)
    }

    pub(crate) fn diagnostic(
        &self,
        file: &Path,
        code: Code,
        message: impl AsRef<str>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(
            code,
            file,
            format!("{}: {}", self.describe(), message.as_ref()),
        )
        .at(Some(Position {
            line: self.row,
            column: self.col,
        }))
        .field(self.reference())
        .hint(hint)
    }
}

/// One value to write: a target or actual of one KPI in one year.
#[derive(Clone, Debug)]
pub(crate) struct CellChange {
    pub measure: String,
    /// 1-based, as in 成果目標①.
    pub kpi: usize,
    pub kind: Kind,
    pub year: FiscalYear,
    pub text: String,
    /// The number, when the cell held one shown as it is (no format, no unit): its unit may
    /// have to come from the KPI.
    pub number: Option<f64>,
    pub origin: Origin,
}

impl CellChange {
    /// `施策01-01 成果目標② 令和7年度の実績`
    pub(crate) fn describe(&self) -> String {
        describe_cell(&self.measure, self.kpi, self.kind, self.year)
    }
}

/// Facts for creating what does not exist yet (a new KPI, a new measure file).
#[derive(Clone, Debug, Default)]
pub(crate) struct MeasureFacts {
    pub title: Option<(String, Origin)>,
    pub policy: Option<(u32, Origin)>,
    pub department: Option<(String, Origin)>,
    /// The 評価項目 of each KPI number.
    pub indicators: BTreeMap<usize, (String, Origin)>,
    /// Where the measure was first mentioned.
    pub first: Option<Origin>,
}

#[derive(Debug, Default)]
pub(crate) struct Table {
    pub changes: Vec<CellChange>,
    pub measures: BTreeMap<String, MeasureFacts>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Measure,
    Kpi,
    Kind,
    Indicator,
    Title,
    Policy,
    Department,
    /// Columns staff keep beside the values (備考); read by people, not by the import.
    Ignored,
    Year(FiscalYear),
}

/// Header texts accepted for each column (compared after [`normalize`]).
const HEADERS: &[(Column, &[&str])] = &[
    (
        Column::Measure,
        &[
            "施策id",
            "施策番号",
            "施策no",
            "id",
            "measure",
            "measure_id",
        ],
    ),
    (
        Column::Kpi,
        &[
            "成果目標",
            "成果目標番号",
            "成果目標no",
            "kpi",
            "kpi番号",
            "番号",
        ],
    ),
    (Column::Kind, &["区分", "種別", "目標/実績", "kind"]),
    (Column::Indicator, &["評価項目", "indicator"]),
    (Column::Title, &["施策名", "title"]),
    (Column::Policy, &["基本方針", "方針", "policy"]),
    (
        Column::Department,
        &["主管部署", "担当課", "lead_department"],
    ),
    (Column::Ignored, &["備考", "メモ", "notes", "note"]),
];

const LAYOUT_HINT: &str =
    "見出し行に「施策ID」「成果目標」「区分」と年度（令和4年度 など）の列を置いてください（docs/authoring.md と docs/import-template.csv 参照）";

/// A header as a match key: NFKC ([`crate::text::fold_compat`]: half-width, and half-width
/// katakana read as full-width), lower-case, without spaces: `施策　ＩＤ` → `施策id`,
/// `ﾒﾓ` → `メモ`.
fn normalize(s: &str) -> String {
    crate::text::fold_compat(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn classify(header: &str) -> Option<Column> {
    let n = normalize(header);
    if n.is_empty() {
        return None;
    }
    for (col, names) in HEADERS {
        if names.contains(&n.as_str()) {
            return Some(*col);
        }
    }
    FiscalYear::parse(header.trim()).ok().map(Column::Year)
}

/// `1`, `①`, `成果目標①`, `(2)`, `KPI3`, `３` → the KPI number.
fn kpi_number(text: &str) -> Option<usize> {
    let circled = text.chars().find_map(|c| {
        ('\u{2460}'..='\u{2473}')
            .contains(&c)
            .then(|| c as usize - 0x2460 + 1)
    });
    if circled.is_some() {
        return circled;
    }
    let digits: String = normalize(text)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|n| *n > 0)
}

fn kind_of(text: &str) -> Option<Option<Kind>> {
    match normalize(text).as_str() {
        "目標" | "目標値" | "target" => Some(Some(Kind::Target)),
        "実績" | "実績値" | "actual" => Some(Some(Kind::Actual)),
        // An 評価項目 row (as in the 施策概要 sheet) names the KPI; it is not a value row.
        "評価項目" | "indicator" => Some(None),
        _ => None,
    }
}

/// Reads the change requests of every sheet that has the expected header row. `period` is the
/// plan period (years outside it are refused at their header cell).
pub(crate) fn interpret(
    sheets: &[Sheet],
    file: &Path,
    period: Option<Period>,
    diags: &mut Diagnostics,
) -> Table {
    let mut table = Table::default();
    let mut seen: BTreeMap<(String, usize, Kind, FiscalYear), Origin> = BTreeMap::new();
    let mut any_sheet = false;
    for sheet in sheets {
        // The header is the first row (of the first 20) that names the measure-ID column.
        let Some(h) = sheet.rows.iter().take(20).position(|row| {
            row.iter()
                .any(|v| matches!(v, Value::Text(t) if classify(t) == Some(Column::Measure)))
        }) else {
            continue;
        };
        any_sheet = true;
        let origin = |i: usize, j: usize| Origin {
            sheet: sheet.name.clone(),
            row: sheet.row_number(i),
            col: sheet.col_number(j),
        };
        let mut columns: Vec<(usize, Column)> = Vec::new();
        for (j, v) in sheet.rows[h].iter().enumerate() {
            let text = v.text();
            if text.is_empty() {
                continue;
            }
            match classify(&text) {
                Some(Column::Ignored) => {}
                Some(col) => {
                    if let Some((first, _)) = columns.iter().find(|(_, c)| *c == col) {
                        diags.push(origin(h, j).diagnostic(
                            file,
                            Code::Duplicate,
                            format!(
                                "見出し「{text}」の列が {}列 と重複しています",
                                column_letter(sheet.col_number(*first))
                            ),
                            "同じ列（同じ年度）は1つにしてください",
                        ));
                        continue;
                    }
                    if let (Column::Year(y), Some(p)) = (col, period) {
                        if !p.contains(y) {
                            diags.push(origin(h, j).diagnostic(
                                file,
                                Code::YearOutsidePeriod,
                                format!(
                                    "{}は計画期間（{}〜{}）の外です",
                                    y.label(),
                                    p.start.label(),
                                    p.end.label()
                                ),
                                "計画期間内の年度の列だけにしてください",
                            ));
                            continue;
                        }
                    }
                    columns.push((j, col));
                }
                None => {
                    let mut d = origin(h, j).diagnostic(
                        file,
                        Code::UnknownField,
                        format!("見出し「{text}」の列は読み込みません"),
                        "年度の列なら「令和4年度」「R4」のように書いてください",
                    );
                    d.severity = crate::diagnostics::Severity::Warning;
                    diags.push(d);
                }
            }
        }
        let find = |c: Column| columns.iter().find(|(_, k)| *k == c).map(|(j, _)| *j);
        let years: Vec<(usize, FiscalYear)> = columns
            .iter()
            .filter_map(|(j, c)| match c {
                Column::Year(y) => Some((*j, *y)),
                _ => None,
            })
            .collect();
        let (Some(c_measure), Some(c_kpi), Some(c_kind)) =
            (find(Column::Measure), find(Column::Kpi), find(Column::Kind))
        else {
            let missing: Vec<&str> = [(Column::Kpi, "成果目標"), (Column::Kind, "区分")]
                .iter()
                .filter(|(c, _)| find(*c).is_none())
                .map(|(_, n)| *n)
                .collect();
            diags.push(origin(h, 0).diagnostic(
                file,
                Code::MissingField,
                format!("見出し行に「{}」の列がありません", missing.join("」「")),
                LAYOUT_HINT,
            ));
            continue;
        };
        if years.is_empty() {
            diags.push(origin(h, 0).diagnostic(
                file,
                Code::MissingField,
                "見出し行に年度の列がありません",
                LAYOUT_HINT,
            ));
            continue;
        }

        // Merged cells (施策ID, 成果目標 spanning several rows) are empty below their first row.
        let mut carried: Option<(String, Option<usize>)> = None;
        for (i, row) in sheet.rows.iter().enumerate().skip(h + 1) {
            if row.iter().all(Value::is_empty) {
                continue;
            }
            let cell =
                |j: Option<usize>| j.and_then(|j| row.get(j)).cloned().unwrap_or(Value::Empty);
            let measure_text = cell(Some(c_measure)).text();
            let measure = if measure_text.is_empty() {
                match &carried {
                    Some((m, _)) => m.clone(),
                    None => {
                        diags.push(origin(i, c_measure).diagnostic(
                            file,
                            Code::MissingField,
                            "施策IDが空です",
                            "施策ID（例: 01-01）を書いてください",
                        ));
                        continue;
                    }
                }
            } else {
                if !url::is_valid_id(&measure_text) {
                    diags.push(origin(i, c_measure).diagnostic(
                        file,
                        Code::InvalidId,
                        format!("施策ID「{measure_text}」は使えません"),
                        "半角英数字とハイフン（例: 01-01）で書いてください",
                    ));
                    carried = None;
                    continue;
                }
                if carried.as_ref().map(|(m, _)| m) != Some(&measure_text) {
                    carried = Some((measure_text.clone(), None));
                }
                measure_text
            };
            let facts = table.measures.entry(measure.clone()).or_default();
            facts.first.get_or_insert_with(|| origin(i, c_measure));
            for (col, slot) in [
                (Column::Title, &mut facts.title),
                (Column::Department, &mut facts.department),
            ] {
                if let Some(j) = find(col) {
                    let t = cell(Some(j)).text();
                    if !t.is_empty() && slot.is_none() {
                        *slot = Some((t, origin(i, j)));
                    }
                }
            }
            if let Some(j) = find(Column::Policy) {
                let t = cell(Some(j)).text();
                if !t.is_empty() && facts.policy.is_none() {
                    match kpi_number(&t) {
                        Some(n) => facts.policy = Some((n as u32, origin(i, j))),
                        None => diags.push(origin(i, j).diagnostic(
                            file,
                            Code::InvalidValue,
                            format!("基本方針「{t}」を番号として読めません"),
                            "1、2 のように方針の番号を書いてください",
                        )),
                    }
                }
            }

            let kpi_text = cell(Some(c_kpi)).text();
            let kpi = if kpi_text.is_empty() {
                carried.as_ref().and_then(|(_, k)| *k)
            } else {
                kpi_number(&kpi_text)
            };
            let Some(kpi) = kpi else {
                diags.push(origin(i, c_kpi).diagnostic(
                    file,
                    Code::InvalidValue,
                    if kpi_text.is_empty() {
                        "成果目標の番号が空です".to_string()
                    } else {
                        format!("成果目標「{kpi_text}」を番号として読めません")
                    },
                    "1、2、①、成果目標② のように書いてください",
                ));
                continue;
            };
            if let Some((_, k)) = carried.as_mut() {
                *k = Some(kpi);
            }
            if let Some(j) = find(Column::Indicator) {
                let t = cell(Some(j)).text();
                if !t.is_empty() {
                    facts.indicators.entry(kpi).or_insert((t, origin(i, j)));
                }
            }
            let kind_text = cell(Some(c_kind)).text();
            let kind = match kind_of(&kind_text) {
                Some(Some(k)) => k,
                Some(None) => {
                    // An 評価項目 row: its first text names the KPI (used for a new KPI).
                    if let Some((j, t)) = years
                        .iter()
                        .map(|(j, _)| (*j, cell(Some(*j)).text()))
                        .find(|(_, t)| !t.is_empty())
                    {
                        facts.indicators.entry(kpi).or_insert((t, origin(i, j)));
                    }
                    continue;
                }
                None => {
                    diags.push(origin(i, c_kind).diagnostic(
                        file,
                        Code::InvalidValue,
                        format!("区分「{kind_text}」は使えません"),
                        "「目標」か「実績」（または 評価項目）を書いてください",
                    ));
                    continue;
                }
            };
            for (j, year) in &years {
                let value = cell(Some(*j));
                let at = origin(i, *j);
                let text = match &value {
                    _ if value.is_empty() => continue,
                    Value::Unreadable(shown) => {
                        diags.push(at.diagnostic(
                            file,
                            Code::InvalidCell,
                            format!("{}のセル「{shown}」は値として読めません", year.label()),
                            "計算式のエラーや日付ではなく、「40,529千円」のような文字を入れてください",
                        ));
                        continue;
                    }
                    Value::Formatted {
                        text,
                        rounded: Some(rounded),
                        code,
                        ..
                    } => {
                        let mut d = at.diagnostic(
                            file,
                            Code::ImportRoundedCell,
                            format!(
                                "{}: Excelでは「{rounded}」と表示されますが、セルの値は「{text}」です。「{text}」として読み込みます",
                                describe_cell(&measure, kpi, kind, *year)
                            ),
                            format!("表示どおりの値にするには、セルの値を「{rounded}」にしてください（表示形式 {code}）"),
                        );
                        d.severity = crate::diagnostics::Severity::Warning;
                        diags.push(d);
                        text.clone()
                    }
                    v => v.text(),
                };
                if let Err(e) = CellInput::Text(text.clone()).into_cell() {
                    diags.push(at.diagnostic(
                        file,
                        Code::InvalidCell,
                        format!("{}のセル「{text}」を読めません: {e}", year.label()),
                        "「30,000千円」「80%以上」「7~7.5俵」「整備完了」「-」のように書いてください（docs/content.md 参照）",
                    ));
                    continue;
                }
                let key = (measure.clone(), kpi, kind, *year);
                if let Some(first) = seen.get(&key) {
                    diags.push(at.diagnostic(
                        file,
                        Code::Duplicate,
                        format!(
                            "施策{measure} 成果目標{kpi} の{}{}は {} にも書かれています",
                            year.label(),
                            if kind == Kind::Target {
                                "目標"
                            } else {
                                "実績"
                            },
                            first.describe()
                        ),
                        "どちらか一方にしてください",
                    ));
                    continue;
                }
                seen.insert(key, at.clone());
                table.changes.push(CellChange {
                    measure: measure.clone(),
                    kpi,
                    kind,
                    year: *year,
                    text,
                    number: match value {
                        Value::Number(n) => Some(n),
                        _ => None,
                    },
                    origin: at,
                });
            }
        }
    }
    if !any_sheet {
        diags.push(
            Diagnostic::error(
                Code::MissingField,
                file,
                "「施策ID」の見出しがある表が見つかりません",
            )
            .hint(LAYOUT_HINT),
        );
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: "KPI".into(),
            first_row: 1,
            first_col: 1,
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|t| {
                            if t.is_empty() {
                                Value::Empty
                            } else {
                                Value::Text(t.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn headers_numbers_and_kinds_are_read_generously() {
        assert_eq!(classify("施策 ＩＤ"), Some(Column::Measure));
        assert_eq!(
            classify("令和4年度"),
            Some(Column::Year(FiscalYear::parse("R4").unwrap()))
        );
        assert_eq!(classify("備考"), Some(Column::Ignored));
        assert_eq!(classify("ﾒﾓ"), Some(Column::Ignored));
        assert_eq!(classify("担当者"), None);
        assert_eq!(kpi_number("成果目標②"), Some(2));
        assert_eq!(kpi_number("(3)"), Some(3));
        assert_eq!(kpi_number("１"), Some(1));
        assert_eq!(kpi_number("なし"), None);
        assert_eq!(kind_of(" 実績 "), Some(Some(Kind::Actual)));
    }

    #[test]
    fn merged_cells_carry_down_and_empty_cells_change_nothing() {
        let s = sheet(&[
            &["木更津市DX推進計画 成果目標", "", "", "", ""],
            &["施策ID", "成果目標", "区分", "令和5年度", "令和6年度"],
            &["01-01", "①", "目標", "35,000千円", ""],
            &["", "", "実績", "62,588千円", "33,474千円"],
            &["", "②", "実績", "", "1,002件"],
        ]);
        let mut diags = Diagnostics::default();
        let t = interpret(&[s], Path::new("k.csv"), None, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let got: Vec<(String, usize, Kind, String, String)> = t
            .changes
            .iter()
            .map(|c| {
                (
                    c.measure.clone(),
                    c.kpi,
                    c.kind,
                    c.year.key(),
                    c.text.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "01-01".into(),
                    1,
                    Kind::Target,
                    "R5".into(),
                    "35,000千円".into()
                ),
                (
                    "01-01".into(),
                    1,
                    Kind::Actual,
                    "R5".into(),
                    "62,588千円".into()
                ),
                (
                    "01-01".into(),
                    1,
                    Kind::Actual,
                    "R6".into(),
                    "33,474千円".into()
                ),
                (
                    "01-01".into(),
                    2,
                    Kind::Actual,
                    "R6".into(),
                    "1,002件".into()
                ),
            ]
        );
        assert_eq!(t.changes[2].origin.reference(), "KPI!E4");
    }

    #[test]
    fn every_problem_is_reported_with_sheet_row_and_column() {
        let s = sheet(&[
            &["施策ID", "成果目標", "区分", "R4", "R9"],
            &["01 01", "1", "実績", "1件", ""],
            &["01-02", "x", "実績", "1件", ""],
            &["01-02", "1", "予定", "1件", ""],
            &["01-02", "1", "実績", "2件", ""],
            &["01-02", "1", "実績", "3件", ""],
        ]);
        let period = Period {
            start: FiscalYear::parse("R4").unwrap(),
            end: FiscalYear::parse("R7").unwrap(),
        };
        let mut diags = Diagnostics::default();
        interpret(&[s], Path::new("k.csv"), Some(period), &mut diags);
        let found: Vec<(Code, String)> = diags
            .sorted()
            .iter()
            .map(|d| (d.code, d.field.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Code::YearOutsidePeriod, "KPI!E1".into()),
                (Code::InvalidId, "KPI!A2".into()),
                (Code::InvalidValue, "KPI!B3".into()),
                (Code::InvalidValue, "KPI!C4".into()),
                (Code::Duplicate, "KPI!D6".into()),
            ]
        );
        assert!(diags.sorted()[1]
            .message
            .starts_with("シート「KPI」2行 A列"));
    }
}
