//! Warnings about KPI cells that keikaku reads, but that would otherwise only show as a quiet
//! 判定不可 (issue #20): a cell that looks like figures but is read as text (`R5: 50件` pasted
//! into a cell, `7~千円`), and a year whose target and actual are in different units (`70%`
//! against `70件`). They are warnings, not errors: the page is still right — it shows the cell
//! as written and says 判定不可 — but the author almost certainly meant something keikaku could
//! judge.

use super::context::FileCtx;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Severity};
use crate::fiscal::{ByYear, FiscalYear};
use crate::kpi::achievement::{self, KpiFacts, UnitConflict};
use crate::kpi::cell::{parse_cell, Cell, CellInput};
use crate::load::raw::RawKpi;
use crate::model::Direction;

/// The cells of one KPI as read, for [`warn_about_cells`].
pub(super) struct KpiCells<'a> {
    pub(super) direction: Direction,
    pub(super) target: &'a ByYear<Cell>,
    pub(super) actual: &'a ByYear<Cell>,
    pub(super) achieved: &'a ByYear<bool>,
}

/// Warns about the number-like text cells of the KPI `raw` at `base` (`kpis[0]`) and about
/// every year whose target and actual are in different units — unless `achieved:` declares
/// that year's result, since then the author has judged it.
pub(super) fn warn_about_cells(
    ctx: &FileCtx,
    base: &str,
    raw: &RawKpi,
    cells: &KpiCells,
    diags: &mut Diagnostics,
) {
    if let Some(input) = &raw.baseline {
        warn_if_number_like(ctx, &format!("{base}.baseline"), input, diags);
    }
    let in_period = |key: &str, read: &ByYear<Cell>| {
        FiscalYear::parse(key).is_ok_and(|y| read.contains_key(&y))
    };
    for (key, input) in &raw.target.0 {
        if in_period(key, cells.target) {
            warn_if_number_like(ctx, &format!("{base}.target.{key}"), input, diags);
        }
    }
    for (key, input) in &raw.actual.0 {
        if in_period(key, cells.actual) {
            warn_if_number_like(ctx, &format!("{base}.actual.{key}"), input, diags);
        }
    }
    for (i, revision) in raw.revisions.iter().enumerate() {
        for (key, input) in &revision.before.0 {
            if FiscalYear::parse(key).is_ok() {
                let path = format!("{base}.revisions[{i}].before.{key}");
                warn_if_number_like(ctx, &path, input, diags);
            }
        }
    }
    for (key, input) in &raw.actual.0 {
        let Ok(year) = FiscalYear::parse(key) else {
            continue;
        };
        if cells.achieved.contains_key(&year) {
            continue;
        }
        let (Some(target), Some(actual)) = (cells.target.get(&year), cells.actual.get(&year))
        else {
            continue;
        };
        let facts = KpiFacts {
            direction: cells.direction,
            baseline: None,
            target: Some(target),
            actual: Some(actual),
            declared: None,
        };
        if let Some(conflict) = achievement::unit_conflict(&facts) {
            let path = format!("{base}.actual.{key}");
            let offset = unit_offset(input, &conflict);
            diags.push(warning(ctx.error_in_scalar(
                Code::UnitMismatch,
                &path,
                offset,
                unit_message(year, target, actual, &conflict),
                "目標と実績の単位をそろえてください。単位が違うまま担当課で判定するときは、achieved: にその年度の達成（true）・未達成（false）を書いてください",
            )));
        }
    }
}

fn warn_if_number_like(ctx: &FileCtx, path: &str, input: &CellInput, diags: &mut Diagnostics) {
    // Only text as written: `{text: …}` says on purpose that the cell is text.
    let CellInput::Text(text) = input else {
        return;
    };
    if !parse_cell(text).is_ok_and(|cell| cell.is_number_like()) {
        return;
    }
    let leading = text.chars().take_while(|c| c.is_whitespace()).count();
    diags.push(warning(ctx.error_in_scalar(
        Code::NumberLikeText,
        path,
        leading,
        format!(
            "「{}」は数値として読めないため文章として扱います（達成状況は判定不可になり、グラフやオープンデータの数値にもなりません）",
            text.trim()
        ),
        "数値なら「50件」「80%以上」「7~7.5千円」のように数値と単位だけを書いてください（年度はキーの R5: に書きます）。文章のままでよいときは {text: …} と書くとこの警告は出ません（docs/content.md 参照）",
    )));
}

fn unit_message(year: FiscalYear, target: &Cell, actual: &Cell, c: &UnitConflict) -> String {
    let of = c
        .label
        .as_deref()
        .map_or_else(String::new, |l| format!("の「{l}」"));
    format!(
        "{}の目標「{}」と実績「{}」{of}は単位が違う（目標は{}、実績は{}）ため、達成状況を判定できません（判定不可と表示されます）",
        year.label(),
        target.display(),
        actual.display(),
        c.target,
        c.actual
    )
}

/// Where the actual's unit is in its text, in characters (0 when it cannot be found, or for a
/// structured cell): after the series label when there is one.
fn unit_offset(input: &CellInput, conflict: &UnitConflict) -> usize {
    let CellInput::Text(text) = input else {
        return 0;
    };
    let folded = crate::text::fold_width_str(text);
    let from = conflict
        .label
        .as_deref()
        .map(crate::text::fold_width_str)
        .and_then(|l| folded.find(&*l).map(|at| at + l.len()))
        .unwrap_or(0);
    folded[from..]
        .find(conflict.actual.as_str())
        .map_or(0, |at| folded[..from + at].chars().count())
}

fn warning(d: Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        ..d
    }
}
