//! English names of the open-data tables and columns, for readers of the Data Package and
//! the Table Schema files who do not read Japanese. `title` and `description` stay Japanese
//! (the city publishes in Japanese, and every Frictionless tool shows `title`); the English
//! name is added beside them as `title_translated: {"ja": …, "en": …}`, the form CKAN's
//! multilingual extension (ckanext-fluent) uses for translated titles, which Frictionless
//! keeps as an extra property. Why: docs/open-data.md.
//!
//! Keyed by the Japanese name, which is what a column means to people: the same machine name
//! can mean two things (`title` is 方針名 in `policies` and 施策名 in `measures`).

use serde_json::{json, Value as Json};

/// The English name of a column or table called `japanese`.
pub(super) fn title(japanese: &str) -> Option<&'static str> {
    Some(match japanese {
        // Tables.
        "基本方針" => "Basic policies",
        "施策" => "Measures",
        "施策の担当部署" => "Departments of measures",
        "取組みスケジュール" => "Schedule of measures",
        "成果目標" => "Key performance indicators (KPIs)",
        "成果目標の目標値・実績値" => "KPI targets and results",
        "目標値の改訂履歴" => "Revisions of KPI targets",
        "用語の説明" => "Glossary",
        "用語の別名" => "Glossary aliases",
        "年間活動計画" => "Annual action plans",
        "施策の内容" => "Sections of measures",
        "施策の引き継ぎ" => "Lineage of measures",
        "年間活動計画の取組" => "Actions of annual action plans",
        "年間活動計画の四半期ごとの予定" => "Quarterly work of annual action plans",
        "年間活動計画の関連施策" => "Related measures of annual action plans",
        // The city's identity, first in every table.
        "全国地方公共団体コード" => "Local government code",
        "地方公共団体名" => "Local government name",
        // Policies and measures.
        "施策ID" => "Measure ID",
        "計画ID" => "Plan ID",
        "項目キー" => "Section key",
        "項目名" => "Section heading",
        "本文" => "Text",
        "本文（Markdown）" => "Text (Markdown)",
        "方針番号" => "Policy number",
        "方針名" => "Policy title",
        "概要" => "Summary",
        "概要（Markdown）" => "Summary (Markdown)",
        "施策名" => "Measure title",
        "主管部署" => "Lead department",
        "開始年度（西暦）" => "First fiscal year",
        "開始年度（和暦）" => "First fiscal year (Japanese era)",
        "終了年度（西暦）" => "Last fiscal year",
        "終了年度（和暦）" => "Last fiscal year (Japanese era)",
        "事業完了" => "Completed",
        "期間の備考" => "Note on the period",
        "現状と課題" => "Current state and issues",
        "現状と課題（Markdown）" => "Current state and issues (Markdown)",
        "施策内容詳細" => "Details",
        "施策内容詳細（Markdown）" => "Details (Markdown)",
        "期待される効果" => "Expected effects",
        "期待される効果（Markdown）" => "Expected effects (Markdown)",
        "今後の取組方針・取組内容" => "Next steps",
        "今後の取組方針・取組内容（Markdown）" => "Next steps (Markdown)",
        "成果目標の数" => "Number of KPIs",
        "更新日" => "Updated",
        "ページ" => "Page",
        "順番" => "Order",
        "部署" => "Department",
        "役割" => "Role",
        "役割（日本語）" => "Role (Japanese)",
        "関与開始年度（西暦）" => "Involved from fiscal year",
        "関与終了年度（西暦）" => "Involved until fiscal year",
        "備考" => "Remarks",
        "取組番号" => "Action number",
        "取組内容" => "Action",
        "年度（西暦）" => "Fiscal year",
        "年度（和暦）" => "Fiscal year (Japanese era)",
        // KPIs.
        "成果目標番号" => "KPI number",
        "評価項目" => "Indicator",
        "評価項目の変更" => "Indicator changed",
        "単位" => "Unit",
        "単位（正規化）" => "Base unit",
        "倍率" => "Unit scale",
        "基準値（記載どおり）" => "Baseline (as written)",
        "基準値" => "Baseline",
        "備考（Markdown）" => "Remarks (Markdown)",
        "目標の改訂回数" => "Number of target revisions",
        "区分" => "Kind",
        "区分（日本語）" => "Kind (Japanese)",
        "改訂番号" => "Revision number",
        "改訂" => "Revision",
        "改訂理由" => "Reason for the revision",
        "改訂の年月" => "Revision date",
        "改訂前（記載どおり）" => "Before (as written)",
        "改訂前の値" => "Value before",
        "改訂後（記載どおり）" => "After (as written)",
        "改訂後の値" => "Value after",
        "系列番号" => "Series number",
        "値の種類" => "Value type",
        "系列名" => "Series label",
        "数値の前の語" => "Label before the number",
        "値" => "Value",
        "範囲の下限" => "Range low",
        "範囲の上限" => "Range high",
        "条件" => "Qualifier",
        "記載どおり" => "As written",
        "注記" => "Note",
        "見込み" => "Provisional",
        "達成状況" => "Achievement",
        "達成状況（コード）" => "Achievement (code)",
        // Glossary.
        "用語" => "Term",
        "よみがな" => "Reading",
        "説明" => "Explanation",
        "説明（Markdown）" => "Explanation (Markdown)",
        "別名" => "Alias",
        // Annual action plans.
        "進捗" => "Progress",
        "進捗（コード）" => "Progress (code)",
        "担当部署" => "Department in charge",
        "連絡先" => "Contact",
        "主担当者" => "Staff in charge",
        "到達目標" => "Goal",
        "到達目標（Markdown）" => "Goal (Markdown)",
        "次年度予算化予定" => "Budget planned for next fiscal year",
        "調達内容" => "Procurement",
        "対応策" => "Countermeasures",
        "対応策（Markdown）" => "Countermeasures (Markdown)",
        "四半期" => "Quarter",
        "項目番号" => "Item number",
        "予定" => "Planned work",
        "関連施策ID" => "Related measure ID",
        _ => return None,
    })
}

/// `{"ja": japanese, "en": english}`, or `None` when there is no English name.
pub(super) fn translated(japanese: &str, english: Option<String>) -> Option<Json> {
    english.map(|en| json!({ "ja": japanese, "en": en }))
}

/// Adds `title_translated` to each resource of the package, from the table it describes:
/// `kpis` and `kpis-json` (the JSON twin), and `kpi_values-01-01` (a measure's own file).
pub(super) fn add_resource_titles(resources: &mut [Json], tables: &[super::Table]) {
    for r in resources {
        let (Some(name), Some(ja)) = (r["name"].as_str(), r["title"].as_str()) else {
            continue;
        };
        let (base, json) = match name.strip_suffix("-json") {
            Some(base) => (base, true),
            None => (name, false),
        };
        let english = tables.iter().find_map(|t| {
            let en = title(t.title)?;
            if base == t.name {
                return Some(en.to_string());
            }
            // A measure's own file: its ID as the Japanese title gives it (`…（施策 01-01）`).
            base.strip_prefix(t.name)?.strip_prefix('-')?;
            let id = ja.rsplit_once("（施策 ")?.1.strip_suffix('）')?;
            Some(format!("{en} (measure {id})"))
        });
        let english = english.map(|en| if json { format!("{en} (JSON)") } else { en });
        if let Some(t) = translated(ja, english) {
            r["title_translated"] = t;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table and column the example site publishes (it has annual action plans, so all
    /// tables are there) has an English name, in Latin letters only, and every resource and
    /// field of its Data Package carries it.
    #[test]
    fn every_table_and_column_has_an_english_name() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = crate::diagnostics::Diagnostics::default();
        let site = crate::build::Pipeline::new(root)
            .site(&mut diags)
            .expect("the example site loads");
        assert!(!site.activity.is_empty());
        let tables = super::super::tables(&site);
        for t in &tables {
            let names = std::iter::once(t.title).chain(t.fields.iter().map(|f| f.title));
            for ja in names {
                let en = title(ja).unwrap_or_else(|| panic!("{}: no English for {ja}", t.name));
                assert!(en.is_ascii(), "{ja}: {en}");
            }
        }
        let rows = vec![1; tables.len()];
        let package: Json =
            serde_json::from_slice(&super::super::datapackage(&site, &tables, &rows)).unwrap();
        let resources = package["resources"].as_array().unwrap();
        assert!(resources.len() > tables.len() * 2);
        for r in resources {
            let en = r["title_translated"]["en"].as_str();
            assert!(en.is_some_and(str::is_ascii), "{}", r["name"]);
            assert_eq!(r["title_translated"]["ja"], r["title"]);
            for f in r["schema"]["fields"].as_array().into_iter().flatten() {
                assert!(
                    f["title_translated"]["en"].is_string(),
                    "{} {}",
                    r["name"],
                    f["name"]
                );
            }
        }
        let measure_file = resources
            .iter()
            .find(|r| r["name"] == "kpi_values-01-01")
            .expect("a measure's own CSV file");
        assert_eq!(
            measure_file["title_translated"]["en"],
            "KPI targets and results (measure 01-01)"
        );
    }
}
