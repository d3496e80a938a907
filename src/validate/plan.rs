//! `content/plan.yaml`: the plan's title, period and policies, and the glossary references
//! in its texts.

use std::collections::{BTreeMap, BTreeSet};

use super::context::FileCtx;
use super::glossary::{check_references, GlossaryNames};
use crate::diagnostics::{Code, Diagnostics};
use crate::fiscal;
use crate::glossary::collate;
use crate::load::raw::RawPlan;
use crate::load::{Parsed, SourceFile};
use crate::model::{Period, Plan, Policy, SectionDef};

pub(super) fn validate_plan(
    file: &SourceFile,
    raw: &RawPlan,
    diags: &mut Diagnostics,
) -> Option<Plan> {
    let ctx = FileCtx::new(file);
    let before = diags.error_count();
    ctx.not_empty(&raw.title, "title", diags);
    let updated = ctx.date(raw.updated.as_ref(), "updated", diags);
    let start = ctx.year(&raw.period.start, "period.start", diags);
    let end = ctx.year(&raw.period.end, "period.end", diags);
    if let (Some(s), Some(e)) = (start, end) {
        if s > e {
            diags.push(ctx.error(
                Code::InvalidValue,
                "period.end",
                format!(
                    "終了年度（{}）が開始年度（{}）より前です",
                    e.label(),
                    s.label()
                ),
                "start と end を確認してください",
            ));
        }
    }
    let mut numbers = BTreeSet::new();
    for (i, p) in raw.policies.iter().enumerate() {
        if p.number == 0 {
            diags.push(ctx.error(
                Code::InvalidValue,
                &format!("policies[{i}].number"),
                "方針番号は1以上です",
                "1, 2, 3… と番号を付けてください",
            ));
        } else if !numbers.insert(p.number) {
            diags.push(ctx.error(
                Code::Duplicate,
                &format!("policies[{i}].number"),
                format!("方針番号 {} が重複しています", p.number),
                "番号を方針ごとに変えてください",
            ));
        }
        ctx.not_empty(&p.title, &format!("policies[{i}].title"), diags);
    }
    if let Some(id) = raw.id.as_deref().map(str::trim) {
        if !crate::url::is_valid_slug(id) {
            diags.push(ctx.error(
                Code::InvalidValue,
                "id",
                format!("計画の id「{id}」は使えません"),
                "半角英小文字・数字・ハイフンだけの名前にしてください（例: dx-2022）",
            ));
        }
    }
    if let Some(status) = raw.status.as_deref().map(str::trim) {
        if !matches!(status, "current" | "ended") {
            diags.push(ctx.error(
                Code::InvalidValue,
                "status",
                format!("status「{status}」は使えません"),
                "current（実施中、既定）か ended（計画期間終了）を書いてください",
            ));
        }
    }
    let sections = sections(&ctx, raw, diags);
    let department_readings = department_readings(&ctx, raw, diags);
    let listed_departments = (raw.departments.iter())
        .map(|d| d.name.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    if diags.error_count() > before {
        return None;
    }
    let mut policies: Vec<Policy> = raw
        .policies
        .iter()
        .map(|p| Policy {
            number: p.number,
            title: crate::ruby::base_text(p.title.trim()).into_owned(),
            title_ruby: super::ruby::written_with_ruby(p.title.trim()),
            summary: p.summary.clone().unwrap_or_default(),
        })
        .collect();
    policies.sort_by_key(|p| p.number);
    Some(Plan {
        title: raw.title.trim().to_string(),
        period: Period {
            start: start?,
            end: end?,
        },
        period_written: [
            fiscal::written_era(&raw.period.start.0),
            fiscal::written_era(&raw.period.end.0),
        ],
        revision: raw.revision.clone().filter(|r| !r.trim().is_empty()),
        updated,
        philosophy: raw.philosophy.clone().filter(|p| !p.trim().is_empty()),
        policies,
        sections,
        department_readings,
        listed_departments,
        id: (raw.id.as_deref())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        ended: raw.status.as_deref().map(str::trim) == Some("ended"),
    })
}

/// Fragment ids a measure page uses for its own parts (besides `kpi-…`, the KPIs' own), which
/// a section's anchor must not take.
const RESERVED_ANCHORS: &[&str] = &[
    "main",
    "footer-contact",
    "site-search-q",
    "schedule",
    "schedule-caption",
    "schedule-chart",
    "activity",
    "activity-years",
    "kpis",
];

/// The measure sections the plan declares (`sections:`), or the four default ones.
fn sections(ctx: &FileCtx, raw: &RawPlan, diags: &mut Diagnostics) -> Vec<SectionDef> {
    let Some(declared) = &raw.sections else {
        return SectionDef::defaults();
    };
    if declared.is_empty() {
        diags.push(ctx.error(
            Code::InvalidValue,
            "sections",
            "施策の項目（sections）が空です",
            "key と heading を1つ以上書くか、sections: を消して既定の4項目にしてください",
        ));
    }
    let mut keys = BTreeSet::new();
    let mut out = Vec::new();
    for (i, d) in declared.iter().enumerate() {
        let key = d.key.trim();
        let path = format!("sections[{i}].key");
        let valid = !key.is_empty()
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            diags.push(ctx.error(
                Code::InvalidValue,
                &path,
                format!("項目のキー「{key}」は使えません"),
                "半角英小文字で始め、英小文字・数字・_ だけで書いてください（例: current_state）",
            ));
        } else if RESERVED_ANCHORS.contains(&key.replace('_', "-").as_str())
            || key.starts_with("kpi_")
        {
            diags.push(ctx.error(
                Code::InvalidValue,
                &path,
                format!("項目のキー「{key}」は施策のページのほかの部分と同じ名前です"),
                format!(
                    "別のキーにしてください（使えないもの: kpi_ で始まるもの, {}）",
                    RESERVED_ANCHORS.join(", ")
                ),
            ));
        } else if !keys.insert(key.replace('_', "-")) {
            diags.push(ctx.error(
                Code::Duplicate,
                &path,
                format!("項目のキー「{key}」が重複しています"),
                "キーを項目ごとに変えてください",
            ));
        }
        ctx.not_empty(&d.heading, &format!("sections[{i}].heading"), diags);
        out.push(SectionDef {
            key: key.to_string(),
            heading: d.heading.trim().to_string(),
        });
    }
    out
}

/// The readings of the departments the plan lists (`departments:`).
fn department_readings(
    ctx: &FileCtx,
    raw: &RawPlan,
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut readings = BTreeMap::new();
    for (i, d) in raw.departments.iter().enumerate() {
        let base = format!("departments[{i}]");
        if !ctx.not_empty(&d.name, &format!("{base}.name"), diags) {
            continue;
        }
        let name = d.name.trim().to_string();
        if readings.contains_key(&name) {
            diags.push(ctx.error(
                Code::Duplicate,
                &format!("{base}.name"),
                format!("部署「{name}」が2回書かれています"),
                "部署ごとに1回だけ書いてください",
            ));
            continue;
        }
        let Some(reading) = d
            .reading
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        else {
            continue;
        };
        if let Some((_, c)) = collate::invalid_reading_char(reading) {
            diags.push(ctx.error(
                Code::InvalidValue,
                &format!("{base}.reading"),
                format!("読みに「{c}」は使えません"),
                "読みはひらがなかカタカナで書いてください",
            ));
            continue;
        }
        readings.insert(name, reading.to_string());
    }
    readings
}

/// Explicit glossary references in every Markdown text of the plan.
pub(super) fn check_plan_references(
    parsed: &Parsed<RawPlan>,
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) {
    let ctx = FileCtx::new(&parsed.file);
    if let Some(philosophy) = &parsed.value.philosophy {
        check_references(&ctx, "philosophy", philosophy, names, diags);
        super::ruby::check_markdown(&ctx, "philosophy", philosophy, diags);
    }
    for (i, policy) in parsed.value.policies.iter().enumerate() {
        if let Some(summary) = &policy.summary {
            let path = format!("policies[{i}].summary");
            check_references(&ctx, &path, summary, names, diags);
            super::ruby::check_markdown(&ctx, &path, summary, diags);
        }
        super::ruby::check_text(&ctx, &format!("policies[{i}].title"), &policy.title, diags);
    }
}
