//! The KPI tables: one row per KPI (`kpis`), and the tidy table of every target and actual
//! (`kpi_values`): one row per measure × KPI × fiscal year × target/actual (× series item, ×
//! superseded target), with the number alone in its own column and everything the cell said
//! around it in columns of their own. The cell text as written is always kept (`text`).

use super::table::{Field, ForeignKey, Kind, Rows, Source, Table, Value, MEASURE_KEY};
use super::text::normalise_unit;
use super::{fiscal_year, wareki};
use crate::date::Date;
use crate::fiscal::FiscalYear;
use crate::kpi::achievement;
use crate::kpi::cell::{Cell, CellValue, Number, Quantity, Range, SeriesValue};
use crate::model::{Kpi, Measure, Site};

pub(super) fn kpis() -> Table {
    Table {
        name: "kpis",
        title: "成果目標",
        description: "成果目標（KPI）の一覧。1行が1成果目標",
        fields: vec![
            Field::new("measure_id", "施策ID", Kind::String, "成果目標が属する施策").required(),
            Field::new("kpi_number", "成果目標番号", Kind::Integer, "施策の中での番号（成果目標①なら1）").required(),
            Field::new("indicator", "評価項目", Kind::String, "成果目標の評価項目（最新の年度の表記）").required(),
            Field::new("indicator_changed", "評価項目の変更", Kind::Boolean, "計画期間の途中で評価項目の表記が変わった場合 true（年度ごとの表記は kpi_values.csv の indicator）").required(),
            Field::new("unit", "単位", Kind::String, "成果目標の単位（記載がある場合。記載どおり）"),
            base_unit_field(),
            unit_scale_field(),
            Field::new("baseline_text", "基準値（記載どおり）", Kind::String, "基準値のセルの記載そのまま"),
            Field::new("baseline_value", "基準値", Kind::Number, "基準値の数値（数値として読めた場合）"),
            Field::new("notes", "備考", Kind::String, "成果目標についての注記（書式なしの1行の文章）"),
            Field::new("notes_markdown", "備考（Markdown）", Kind::String, "注記の Markdown（JSON のみ）").json_only(),
            Field::new("revision_count", "目標の改訂回数", Kind::Integer, "目標値が改訂された回数（改訂前の値は kpi_values.csv の revision_index が1以上の行）").required(),
        ],
        primary_key: &["measure_id", "kpi_number"],
        foreign_keys: vec![MEASURE_KEY],
        source: Source::Measure(kpi_rows),
        published: None,
    }
}

fn kpi_rows(_: &Site, m: &Measure, rows: &mut Rows) {
    for k in &m.kpis {
        let baseline_value = match k.baseline.as_ref().map(|c| &c.value) {
            Some(CellValue::Quantity(q)) => number(&q.number),
            _ => Value::Null,
        };
        let [base_unit, scale] = unit_cells(k.unit.as_deref());
        rows.push(&[
            Value::str(&m.id),
            Value::int(k.number as i64),
            Value::str(k.current_indicator()),
            Value::Bool(k.indicator_changed()),
            Value::text(k.unit.as_deref()),
            base_unit,
            scale,
            Value::text(k.baseline.as_ref().map(|c| c.raw.as_str())),
            baseline_value,
            Value::plain(k.notes.as_deref()),
            Value::markdown(k.notes.as_deref()),
            Value::int(k.revisions.len() as i64),
        ]);
    }
}

const VALUE_TYPES: &[&str] = &[
    "empty",
    "not_applicable",
    "quantity",
    "range",
    "series",
    "qualitative",
];

pub(super) fn kpi_values() -> Table {
    Table {
        name: "kpi_values",
        title: "成果目標の目標値・実績値",
        description: "成果目標の年度ごとの目標値と実績値（縦持ち）。1行が1施策・1成果目標・1年度・目標または実績（系列のあるセルは系列ごと、改訂された目標は改訂前の値も1行）",
        fields: vec![
            Field::new("measure_id", "施策ID", Kind::String, "成果目標が属する施策").required(),
            Field::new("kpi_number", "成果目標番号", Kind::Integer, "施策の中での番号（成果目標①なら1）").required(),
            Field::new("fiscal_year", "年度（西暦）", Kind::Integer, "年度を西暦で（2022 = 令和4年度 = 2022年4月〜2023年3月）").required(),
            Field::new("fiscal_year_wareki", "年度（和暦）", Kind::String, "年度の和暦表記").required(),
            Field::new("kind", "区分", Kind::String, "target（目標）または actual（実績）").required().one_of(&["target", "actual"]),
            Field::new("kind_label", "区分（日本語）", Kind::String, "目標 または 実績").required(),
            Field::new("revision_index", "改訂番号", Kind::Integer, "0 は現在の値。1以上は目標の改訂で置き換えられる前の値（1が最初の改訂）").required(),
            Field::new("superseded_by", "改訂", Kind::String, "この値を置き換えた改訂（計画の書き方のまま）。現在の値では空"),
            Field::new("revision_reason", "改訂理由", Kind::String, "改訂の理由（記載がある場合）"),
            Field::new("item", "系列番号", Kind::Integer, "1つのセルに複数の値（系列）があるときの順番。それ以外は1").required(),
            Field::new("indicator", "評価項目", Kind::String, "その年度の評価項目の表記"),
            Field::new("value_type", "値の種類", Kind::String, "empty（未記入）, not_applicable（該当なし: - や _）, quantity（数値）, range（範囲）, series（系列の1項目）, qualitative（文章）").required().one_of(VALUE_TYPES),
            Field::new("series_label", "系列名", Kind::String, "系列の項目名（例: 小, 中）"),
            Field::new("label", "数値の前の語", Kind::String, "数値の前に書かれた語（例: 協定締結数）"),
            Field::new("value", "値", Kind::Number, "数値（単位・桁区切りなし）。範囲・文章・未記入では空。0 は 0 と書かれる"),
            Field::new("range_low", "範囲の下限", Kind::Number, "範囲（例: 7~7.5）の小さい方"),
            Field::new("range_high", "範囲の上限", Kind::Number, "範囲の大きい方"),
            Field::new("unit", "単位", Kind::String, "セルに書かれた単位。書かれていなければ成果目標の単位（記載どおり）"),
            base_unit_field(),
            unit_scale_field(),
            Field::new("qualifier", "条件", Kind::String, "以上・以下・未満・超（値に付く場合）").one_of(&["以上", "以下", "未満", "超"]),
            Field::new("text", "記載どおり", Kind::String, "セルの記載そのまま（空のセルでは空）"),
            Field::new("note", "注記", Kind::String, "値の後に書かれた説明"),
            Field::new("provisional", "見込み", Kind::Boolean, "見込み値（確定値でない）なら true").required(),
            Field::new("achievement", "達成状況", Kind::String, "実績の行のみ: その年度の現在の目標に対する達成状況（達成・未達成・判定不可・実績なし・目標なし。サイトの設定により概ね達成）"),
            Field::new("achievement_key", "達成状況（コード）", Kind::String, "達成状況の英字コード: achieved（達成）, near（概ね達成）, not-achieved（未達成）, undeterminable（判定不可）, no-actual（実績なし）, no-target（目標なし）。サイトの表記が変わっても変わらない").one_of(ACHIEVEMENT_KEYS),
        ],
        primary_key: &["measure_id", "kpi_number", "fiscal_year", "kind", "revision_index", "item"],
        foreign_keys: vec![ForeignKey {
            fields: &["measure_id", "kpi_number"],
            table: "kpis",
            reference: &["measure_id", "kpi_number"],
        }],
        source: Source::Measure(kpi_value_rows),
        published: None,
    }
}

fn kpi_value_rows(site: &Site, m: &Measure, rows: &mut Rows) {
    for k in &m.kpis {
        for y in site.plan.period.years() {
            let key = RowKey {
                measure_id: &m.id,
                kpi: k,
                year: y,
            };
            key.push(rows, "target", 0, None, None, k.target.get(&y), NO_VERDICT);
            for (i, r) in k.revisions.iter().enumerate() {
                if let Some(before) = r.before.get(&y) {
                    key.push(
                        rows,
                        "target",
                        i + 1,
                        Some(&r.revision),
                        r.reason.as_deref(),
                        Some(before),
                        NO_VERDICT,
                    );
                }
            }
            let achieved = achievement(site, k, y);
            key.push(rows, "actual", 0, None, None, k.actual.get(&y), achieved);
        }
    }
}

pub(super) fn kpi_target_revisions() -> Table {
    Table {
        name: "kpi_target_revisions",
        title: "目標値の改訂履歴",
        description: "計画の改訂で変わった成果目標の目標値（変更履歴）。1行が1成果目標・1年度の1回の改訂",
        fields: vec![
            Field::new("measure_id", "施策ID", Kind::String, "成果目標が属する施策").required(),
            Field::new("kpi_number", "成果目標番号", Kind::Integer, "施策の中での番号").required(),
            Field::new("fiscal_year", "年度（西暦）", Kind::Integer, "目標値が変わった年度（西暦）").required(),
            Field::new("fiscal_year_wareki", "年度（和暦）", Kind::String, "年度の和暦表記").required(),
            Field::new("revision_index", "改訂番号", Kind::Integer, "成果目標の何回目の改訂か（1から。kpi_values.csv の revision_index と同じ番号の行が改訂前の値）").required(),
            Field::new("revision", "改訂", Kind::String, "改訂の名前（例: 令和6年8月改訂）").required(),
            Field::new("revision_date", "改訂の年月", Kind::Date, "改訂の名前が示す月の1日（例: 令和6年8月改訂 → 2024-08-01）。名前から読めなければ空"),
            Field::new("reason", "改訂理由", Kind::String, "改訂の理由（記載がある場合）"),
            Field::new("before_text", "改訂前（記載どおり）", Kind::String, "改訂前の目標値のセルの記載").required(),
            Field::new("before_value", "改訂前の値", Kind::Number, "改訂前の目標値（数値として読めた場合）"),
            Field::new("after_text", "改訂後（記載どおり）", Kind::String, "改訂後の目標値のセルの記載（次の改訂の改訂前、または現在の目標値）"),
            Field::new("after_value", "改訂後の値", Kind::Number, "改訂後の目標値（数値として読めた場合）"),
        ],
        primary_key: &["measure_id", "kpi_number", "fiscal_year", "revision_index"],
        foreign_keys: vec![ForeignKey {
            fields: &["measure_id", "kpi_number"],
            table: "kpis",
            reference: &["measure_id", "kpi_number"],
        }],
        source: Source::Measure(revision_rows),
        published: None,
    }
}

/// One row per changed target: what each revision replaced, and by what (the value the next
/// revision replaced, or the current target), as [`Kpi::target_history`] pairs them.
fn revision_rows(_: &Site, m: &Measure, rows: &mut Rows) {
    for k in &m.kpis {
        let mut years: Vec<FiscalYear> = k
            .revisions
            .iter()
            .flat_map(|r| r.before.keys().copied())
            .collect();
        years.sort();
        years.dedup();
        for y in years {
            for (i, r) in k.revisions.iter().enumerate() {
                let Some(before) = r.before.get(&y) else {
                    continue;
                };
                let after = k.revisions[i + 1..]
                    .iter()
                    .find_map(|later| later.before.get(&y))
                    .or_else(|| k.target.get(&y));
                rows.push(&[
                    Value::str(&m.id),
                    Value::int(k.number as i64),
                    fiscal_year(y),
                    wareki(y),
                    Value::int(i as i64 + 1),
                    Value::str(&r.revision),
                    Date::from_revision(&r.revision).map_or(Value::Null, Value::Date),
                    Value::text(r.reason.as_deref()),
                    Value::str(&before.raw),
                    quantity_value(before),
                    Value::text(after.map(|c| c.raw.as_str())),
                    after.map_or(Value::Null, quantity_value),
                ]);
            }
        }
    }
}

/// The number of a cell that holds one quantity; empty for anything else.
fn quantity_value(cell: &Cell) -> Value<'static> {
    match &cell.value {
        CellValue::Quantity(q) => number(&q.number),
        _ => Value::Null,
    }
}

/// The achievement status of a KPI in a year (達成, 未達成, 判定不可, 実績なし, 目標なし …)
/// and its key, for the `achievement` columns of actual rows: the verdict of
/// [`achievement::judge`], the same one pages and charts show.
fn achievement<'a>(site: &'a Site, kpi: &Kpi, year: FiscalYear) -> [Value<'a>; 2] {
    let rules = &site.config.achievement;
    let status = achievement::judge(kpi, year, rules).status;
    [Value::str(status.label(rules)), Value::str(status.key())]
}

/// The achievement cells of a target row: empty.
const NO_VERDICT: [Value<'static>; 2] = [Value::Null, Value::Null];

/// Every achievement key ([`achievement::Status::key`]), the allowed values of `achievement_key`.
const ACHIEVEMENT_KEYS: &[&str] = &[
    "achieved",
    "near",
    "not-achieved",
    "undeterminable",
    "no-actual",
    "no-target",
];

fn base_unit_field() -> Field {
    Field::new(
        "base_unit",
        "単位（正規化）",
        Kind::String,
        "unit を比べられる形にしたもの: 全角の英数字・記号を半角に（％ → %）、先頭の千・万・百万・億などを unit_scale に分けた単位（千円 → 円）",
    )
}

fn unit_scale_field() -> Field {
    Field::new(
        "unit_scale",
        "倍率",
        Kind::Integer,
        "unit の値を base_unit の値にするために掛ける数（千円 → 1000、単位に倍率がなければ 1）。単位がなければ空",
    )
}

/// The `base_unit` and `unit_scale` cells of a unit as written.
fn unit_cells(unit: Option<&str>) -> [Value<'static>; 2] {
    match unit.and_then(normalise_unit) {
        Some(u) => [Value::string(u.base), Value::int(u.scale as i64)],
        None => [Value::Null, Value::Null],
    }
}

struct RowKey<'a> {
    measure_id: &'a str,
    kpi: &'a Kpi,
    year: FiscalYear,
}

impl RowKey<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        rows: &mut Rows,
        kind: &str,
        revision_index: usize,
        superseded_by: Option<&str>,
        reason: Option<&str>,
        cell: Option<&Cell>,
        achievement: [Value; 2],
    ) {
        let kind_label = if kind == "target" { "目標" } else { "実績" };
        for (item, reading) in readings(cell, self.kpi.unit.as_deref())
            .into_iter()
            .enumerate()
        {
            let [base_unit, scale] = unit_cells(reading.unit);
            rows.push(&[
                Value::str(self.measure_id),
                Value::int(self.kpi.number as i64),
                fiscal_year(self.year),
                wareki(self.year),
                Value::str(kind),
                Value::str(kind_label),
                Value::int(revision_index as i64),
                Value::text(superseded_by),
                Value::text(reason),
                Value::int(item as i64 + 1),
                Value::text(self.kpi.indicator.get(&self.year).map(String::as_str)),
                Value::str(reading.value_type),
                Value::text(reading.series_label),
                Value::text(reading.label),
                reading.value,
                reading.low,
                reading.high,
                Value::text(reading.unit),
                base_unit,
                scale,
                Value::text(reading.qualifier),
                Value::text(cell.map(|c| c.raw.as_str())),
                Value::text(cell.and_then(|c| c.note.as_deref())),
                Value::Bool(cell.is_some_and(|c| c.provisional)),
                achievement[0].clone(),
                achievement[1].clone(),
            ]);
        }
    }
}

/// One value read from a cell: a cell gives one, or one per series item.
struct Reading<'a> {
    value_type: &'static str,
    series_label: Option<&'a str>,
    label: Option<&'a str>,
    value: Value<'a>,
    low: Value<'a>,
    high: Value<'a>,
    unit: Option<&'a str>,
    qualifier: Option<&'static str>,
}

impl<'a> Reading<'a> {
    fn bare(value_type: &'static str) -> Reading<'a> {
        Reading {
            value_type,
            series_label: None,
            label: None,
            value: Value::Null,
            low: Value::Null,
            high: Value::Null,
            unit: None,
            qualifier: None,
        }
    }

    fn quantity(q: &'a Quantity, kpi_unit: Option<&'a str>) -> Reading<'a> {
        Reading {
            label: q.label.as_deref(),
            value: number(&q.number),
            unit: q.unit.as_deref().or(kpi_unit),
            qualifier: q.qualifier.map(|q| q.as_str()),
            ..Reading::bare("quantity")
        }
    }

    fn range(r: &'a Range, kpi_unit: Option<&'a str>) -> Reading<'a> {
        Reading {
            label: r.label.as_deref(),
            low: number(&r.low),
            high: number(&r.high),
            unit: r.unit.as_deref().or(kpi_unit),
            ..Reading::bare("range")
        }
    }
}

fn readings<'a>(cell: Option<&'a Cell>, kpi_unit: Option<&'a str>) -> Vec<Reading<'a>> {
    let Some(cell) = cell else {
        return vec![Reading::bare("empty")];
    };
    match &cell.value {
        CellValue::Empty => vec![Reading::bare("empty")],
        CellValue::NotApplicable { .. } => vec![Reading::bare("not_applicable")],
        CellValue::Qualitative(_) => vec![Reading::bare("qualitative")],
        CellValue::Quantity(q) => vec![Reading::quantity(q, kpi_unit)],
        CellValue::Range(r) => vec![Reading::range(r, kpi_unit)],
        CellValue::Series(items) => items
            .iter()
            .map(|s| {
                let r = match &s.value {
                    SeriesValue::Quantity(q) => Reading::quantity(q, kpi_unit),
                    SeriesValue::Range(r) => Reading::range(r, kpi_unit),
                };
                Reading {
                    value_type: "series",
                    series_label: Some(&s.label),
                    ..r
                }
            })
            .collect(),
        // A list (`700回/1/1`) is exported as a series whose items have no label: one row per
        // value, in order (the `item` column), each with the list's label.
        CellValue::List(list) => list
            .items
            .iter()
            .map(|v| {
                let r = match v {
                    SeriesValue::Quantity(q) => Reading::quantity(q, kpi_unit),
                    SeriesValue::Range(r) => Reading::range(r, kpi_unit),
                };
                Reading {
                    value_type: "series",
                    label: list.label.as_deref(),
                    ..r
                }
            })
            .collect(),
    }
}

fn number(n: &Number) -> Value<'static> {
    Value::Number {
        value: n.value,
        decimals: n.decimals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::achievement::Status;

    #[test]
    fn the_allowed_achievement_keys_are_every_status_key() {
        let keys: Vec<&str> = Status::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(keys, ACHIEVEMENT_KEYS);
    }
}
