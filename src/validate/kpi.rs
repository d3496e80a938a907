//! One KPI of a measure (`kpis[]`): its indicator, cells by year, direction, aggregation and
//! the years whose achievement is declared rather than computed.

use super::context::{year_map, FileCtx};
use super::revision;
use crate::diagnostics::{Code, Diagnostics};
use crate::fiscal::FiscalYear;
use crate::kpi::achievement::{self, KpiFacts};
use crate::kpi::cell::{Cell, CellInput};
use crate::load::raw::{RawIndicator, RawKpi};
use crate::model::{Aggregation, Direction};
use crate::model::{Kpi, Period};

pub(super) fn validate_kpi(
    ctx: &FileCtx,
    index: usize,
    raw: &RawKpi,
    period: Period,
    diags: &mut Diagnostics,
) -> Option<Kpi> {
    let before = diags.error_count();
    let base = format!("kpis[{index}]");
    let indicator = match &raw.indicator {
        RawIndicator::Same(text) => {
            ctx.not_empty(text, &format!("{base}.indicator"), diags);
            period
                .years()
                .into_iter()
                .map(|y| (y, text.trim().to_string()))
                .collect()
        }
        RawIndicator::PerYear(map) => {
            let per_year = year_map(
                ctx,
                map,
                &format!("{base}.indicator"),
                period,
                diags,
                |t, path, diags| ctx.not_empty(t, path, diags).then(|| t.trim().to_string()),
            );
            if map.0.is_empty() {
                diags.push(ctx.error(
                    Code::InvalidValue,
                    &format!("{base}.indicator"),
                    "評価項目が空です",
                    "評価項目を書いてください",
                ));
            }
            per_year
        }
    };
    let cell = |input: &CellInput, path: &str, diags: &mut Diagnostics| -> Option<Cell> {
        match input.clone().into_cell() {
            Ok(c) => Some(c),
            Err(e) => {
                diags.push(ctx.error_in_scalar(
                    Code::InvalidCell,
                    path,
                    e.offset,
                    e.to_string(),
                    "「30,000千円」「80%以上」「7~7.5俵」「整備完了」「-」のように書いてください（docs/content.md 参照）",
                ));
                None
            }
        }
    };
    let baseline = raw
        .baseline
        .as_ref()
        .and_then(|b| cell(b, &format!("{base}.baseline"), diags));
    let target = year_map(
        ctx,
        &raw.target,
        &format!("{base}.target"),
        period,
        diags,
        |c, p, d| cell(c, p, d),
    );
    let actual = year_map(
        ctx,
        &raw.actual,
        &format!("{base}.actual"),
        period,
        diags,
        |c, p, d| cell(c, p, d),
    );
    let revisions =
        revision::validate_revisions(ctx, &base, &raw.revisions, period, &target, cell, diags);
    let direction = match raw.direction.as_deref() {
        None => Direction::Higher,
        Some(text) => Direction::parse(text).unwrap_or_else(|| {
            diags.push(ctx.error(
                Code::InvalidValue,
                &format!("{base}.direction"),
                format!("direction「{text}」は使えません"),
                "多いほど良い指標は higher、少ないほど良い指標（被害額・作業時間など）は lower と書いてください",
            ));
            Direction::Higher
        }),
    };
    let aggregation = raw.aggregation.as_deref().and_then(|text| {
        let parsed = Aggregation::parse(text);
        if parsed.is_none() {
            diags.push(ctx.error(
                Code::InvalidValue,
                &format!("{base}.aggregation"),
                format!("aggregation「{text}」は使えません"),
                "累計の指標は cumulative、単年度の指標は single_year と書いてください",
            ));
        }
        parsed
    });
    let achieved = year_map(
        ctx,
        &raw.achieved,
        &format!("{base}.achieved"),
        period,
        diags,
        |v, _, _| Some(*v),
    );
    // A declaration is only for years keikaku cannot judge; elsewhere it would either repeat
    // the computed verdict or silently contradict the numbers.
    for year in achieved.keys() {
        let facts = KpiFacts {
            direction,
            baseline: baseline.as_ref(),
            target: target.get(year),
            actual: actual.get(year),
            declared: None,
        };
        if achievement::is_computable(&facts) {
            let key = raw
                .achieved
                .0
                .iter()
                .find(|(k, _)| FiscalYear::parse(k).ok() == Some(*year))
                .map_or_else(|| year.key(), |(k, _)| k.clone());
            diags.push(ctx.key_error(
                Code::InvalidValue,
                &format!("{base}.achieved.{key}"),
                format!(
                    "{}は目標と実績から自動で判定できる（または目標・実績がない）ため、achieved は書けません",
                    year.label()
                ),
                "achieved は、目標か実績が文章（「整備完了」など）の年度にだけ書いてください",
            ));
        }
    }
    let cells = super::kpi_cells::KpiCells {
        direction,
        target: &target,
        actual: &actual,
        achieved: &achieved,
    };
    super::kpi_cells::warn_about_cells(ctx, &base, raw, &cells, diags);
    if diags.error_count() > before {
        return None;
    }
    Some(Kpi {
        number: index + 1,
        indicator,
        unit: raw.unit.clone().filter(|u| !u.trim().is_empty()),
        baseline,
        target,
        actual,
        notes: raw.notes.clone(),
        revisions,
        direction,
        aggregation,
        achieved,
    })
}
