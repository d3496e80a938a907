//! Target revisions of a KPI (`kpis[].revisions`): the targets a plan revision replaced.

use super::context::{year_map, FileCtx};
use crate::diagnostics::{Code, Diagnostics};
use crate::fiscal::{ByYear, FiscalYear};
use crate::kpi::cell::{Cell, CellInput};
use crate::load::raw::RawRevision;
use crate::model::{Period, TargetRevision};

/// Reads the revisions of one KPI. Every revised year must still have a current target, and a
/// revision must change the value it replaces; either mistake would show citizens a change
/// that never happened.
pub(super) fn validate_revisions(
    ctx: &FileCtx,
    base: &str,
    raw: &[RawRevision],
    period: Period,
    target: &ByYear<Cell>,
    mut cell: impl FnMut(&CellInput, &str, &mut Diagnostics) -> Option<Cell>,
    diags: &mut Diagnostics,
) -> Vec<TargetRevision> {
    let mut out: Vec<TargetRevision> = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let path = format!("{base}.revisions[{i}]");
        ctx.not_empty(&r.revision, &format!("{path}.revision"), diags);
        let before = year_map(
            ctx,
            &r.before,
            &format!("{path}.before"),
            period,
            diags,
            &mut cell,
        );
        if r.before.0.is_empty() {
            diags.push(ctx.error(
                Code::InvalidValue,
                &format!("{path}.before"),
                "改訂前の目標が1つもありません",
                "before: に改訂前の目標を年度ごとに書いてください（例: R6: 40,000千円）",
            ));
        }
        for (key, _) in &r.before.0 {
            let Ok(year) = FiscalYear::parse(key) else {
                continue;
            };
            if target.get(&year).is_none_or(|c| c.is_blank()) {
                diags.push(ctx.key_error(
                    Code::InvalidValue,
                    &format!("{path}.before.{key}"),
                    format!(
                        "{}の目標がないのに改訂前の目標が書かれています",
                        year.label()
                    ),
                    "target: に改訂後の（現在の）目標を書いてください",
                ));
            }
        }
        out.push(TargetRevision {
            revision: r.revision.trim().to_string(),
            reason: r
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            before,
        });
    }
    // Each replaced value must differ from what replaced it.
    for (i, r) in out.iter().enumerate() {
        for (year, old) in &r.before {
            let new = out[i + 1..]
                .iter()
                .find_map(|later| later.before.get(year))
                .or_else(|| target.get(year));
            if new.is_some_and(|n| n.display() == old.display()) {
                let key = raw[i]
                    .before
                    .0
                    .iter()
                    .find(|(k, _)| FiscalYear::parse(k).ok() == Some(*year))
                    .map_or_else(|| year.key(), |(k, _)| k.clone());
                diags.push(ctx.error(
                    Code::InvalidValue,
                    &format!("{base}.revisions[{i}].before.{key}"),
                    format!(
                        "{}の目標は改訂の前後で同じ（{}）です",
                        year.label(),
                        old.display()
                    ),
                    "変わらなかった年度は before: から削除してください",
                ));
            }
        }
    }
    out
}
