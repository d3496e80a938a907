//! `content/plan.yaml`: the plan's title, period and policies, and the glossary references
//! in its texts.

use std::collections::BTreeSet;

use super::context::FileCtx;
use super::glossary::{check_references, GlossaryNames};
use crate::diagnostics::{Code, Diagnostics};
use crate::load::raw::RawPlan;
use crate::load::{Parsed, SourceFile};
use crate::model::{Period, Plan, Policy};

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
    if raw.policies.is_empty() {
        diags.push(ctx.error(
            Code::InvalidValue,
            "policies",
            "基本方針が1つもありません",
            "policies: に方針を書いてください",
        ));
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
        revision: raw.revision.clone(),
        updated,
        philosophy: raw.philosophy.clone(),
        policies,
    })
}

/// Explicit glossary references in every Markdown text of the plan.
pub(super) fn check_plan_references(
    parsed: &Parsed<RawPlan>,
    names: &GlossaryNames,
    diags: &mut Diagnostics,
) {
    let ctx = FileCtx::new(&parsed.file);
    check_references(&ctx, "philosophy", &parsed.value.philosophy, names, diags);
    super::ruby::check_markdown(&ctx, "philosophy", &parsed.value.philosophy, diags);
    for (i, policy) in parsed.value.policies.iter().enumerate() {
        if let Some(summary) = &policy.summary {
            let path = format!("policies[{i}].summary");
            check_references(&ctx, &path, summary, names, diags);
            super::ruby::check_markdown(&ctx, &path, summary, diags);
        }
        super::ruby::check_text(&ctx, &format!("policies[{i}].title"), &policy.title, diags);
    }
}
