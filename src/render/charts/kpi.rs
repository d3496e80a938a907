//! The chart of one numeric KPI: the actual of each fiscal year as a bar (one bar per label
//! for series such as 小・中), the target as a line with diamond markers, the unit above the
//! axis, and under each year the verdict as icon and text. A year without a reported actual
//! is left visibly empty with the word 未報告 (or 該当なし), never drawn as a zero bar, and a
//! year whose actual is text shows that text.

use crate::fiscal::FiscalYear;
use crate::kpi::achievement::{self, Status};
use crate::kpi::cell::{Approximate, Cell, CellValue, Quantity, Range, SeriesValue};
use crate::kpi::sentence::{self, Blank};
use crate::model::{Direction, Kpi, Rules};

use super::icons;
use super::svg::{Align, Canvas, Point, Rendered, GRID, INK, INK_SOFT, SERIES, WHITE};
use super::text;

const WIDTH: u32 = 360;
const PLOT_HEIGHT: f64 = 200.0;

/// The numeric values of one cell: unlabelled (`None`) or one per series label.
type Values = Vec<(Option<String>, Val)>;

/// A numeric value in a cell, with the number as the author wrote it.
#[derive(Clone, Debug)]
struct Val {
    low: f64,
    high: f64,
    /// `33,474`, `7~7.5`, `約30`: the bar's label.
    text: String,
}

impl Val {
    fn of_quantity(q: &Quantity) -> Val {
        Val {
            low: q.number.value,
            high: q.number.value,
            text: Approximate::apply(q.approximate.as_ref(), q.number.text.clone()),
        }
    }

    fn of_range(r: &Range) -> Val {
        Val {
            low: r.low.value,
            high: r.high.value,
            text: Approximate::apply(
                r.approximate.as_ref(),
                format!("{}~{}", r.low.text, r.high.text),
            ),
        }
    }

    fn mid(&self) -> f64 {
        (self.low + self.high) / 2.0
    }
}

/// The numeric reading of a cell: unlabelled (`None`) or per series label.
fn values(cell: Option<&Cell>) -> Option<Values> {
    match &cell?.value {
        CellValue::Quantity(q) => Some(vec![(None, Val::of_quantity(q))]),
        CellValue::Range(r) => Some(vec![(None, Val::of_range(r))]),
        CellValue::Series(items) => Some(
            items
                .iter()
                .map(|i| {
                    let v = match &i.value {
                        SeriesValue::Quantity(q) => Val::of_quantity(q),
                        SeriesValue::Range(r) => Val::of_range(r),
                    };
                    (Some(i.label.clone()), v)
                })
                .collect(),
        ),
        _ => None,
    }
}

fn units(cell: &Cell) -> Vec<Option<String>> {
    match &cell.value {
        CellValue::Quantity(q) => vec![q.unit.clone()],
        CellValue::Range(r) => vec![r.unit.clone()],
        CellValue::Series(items) => items
            .iter()
            .map(|i| i.value.unit().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a KPI gets a chart: some year has a numeric target or actual, and all numeric
/// cells share one unit (a chart with two units on one axis would mislead).
pub(crate) fn chart_unit(kpi: &Kpi) -> Option<Option<String>> {
    let cells: Vec<&Cell> = kpi.target.values().chain(kpi.actual.values()).collect();
    if !cells.iter().any(|c| c.is_numeric()) {
        return None;
    }
    // The values of a list (`700回/1/1`) measure different things; one axis would mislead.
    if cells.iter().any(|c| matches!(c.value, CellValue::List(_))) {
        return None;
    }
    let mut found: Option<String> = None;
    for u in cells.iter().flat_map(|c| units(c)).flatten() {
        match &found {
            Some(f) if *f != u => return None,
            _ => found = Some(u),
        }
    }
    Some(kpi.unit.clone().or(found))
}

pub(crate) struct KpiChart {
    pub rendered: Rendered,
    pub title: String,
}

/// Draws the chart of `kpi`, or `None` when it has no chartable numbers (see [`chart_unit`]).
pub(crate) fn render(
    kpi: &Kpi,
    years: &[FiscalYear],
    rules: &Rules,
    id: &str,
    number_label: &str,
) -> Option<KpiChart> {
    let unit = chart_unit(kpi)?;
    let indicator = kpi.current_indicator();
    let title = match &unit {
        Some(u) => format!("{number_label} {indicator}の目標と実績（単位: {u}）"),
        None => format!("{number_label} {indicator}の目標と実績"),
    };
    let desc = describe(kpi, years, rules);

    let actuals: Vec<Option<Values>> = years.iter().map(|y| values(kpi.actual.get(y))).collect();
    let targets: Vec<Option<Values>> = years.iter().map(|y| values(kpi.target.get(y))).collect();
    let mut labels: Vec<String> = Vec::new();
    for (l, _) in actuals.iter().chain(targets.iter()).flatten().flatten() {
        if let Some(l) = l {
            if !labels.contains(l) {
                labels.push(l.clone());
            }
        }
    }
    let series_mode = !labels.is_empty();
    // Targets replaced by a plan revision: drawn as a hollow circle where the target used to
    // be, joined to the current target by a dotted line, so the change is visible and not
    // only described.
    let earlier: Vec<(usize, Val)> = if series_mode {
        Vec::new()
    } else {
        years
            .iter()
            .enumerate()
            .filter_map(|(i, y)| {
                let first = kpi.target_history(*y).into_iter().next()?;
                let (_, v) = values(Some(first.before))?.into_iter().next()?;
                Some((i, v))
            })
            .collect()
    };

    let mut canvas = Canvas::new(WIDTH, 10);
    let w = canvas.width();
    let pad = 12.0;
    let mut y = 10.0;
    for line in text::wrap(&title_line(number_label, indicator), 15.0, w - 2.0 * pad) {
        canvas.bold_text(&line, (pad, y), 15.0, INK, Align::Start);
        y += 21.0;
    }
    y += 4.0;

    // Legend: flowed onto as many lines as needed.
    let mut legend: Vec<(LegendMark, String)> = Vec::new();
    if series_mode {
        for (i, l) in labels.iter().enumerate() {
            legend.push((
                LegendMark::Bar(SERIES[i % SERIES.len()]),
                format!("実績（{l}）"),
            ));
        }
    } else {
        legend.push((LegendMark::Bar(SERIES[0]), "実績（棒）".into()));
    }
    legend.push((LegendMark::Target, "目標（◆）".into()));
    if !earlier.is_empty() {
        legend.push((LegendMark::Earlier, "改訂前の目標（○）".into()));
    }
    if kpi.direction == Direction::Lower {
        legend.push((LegendMark::None, "少ないほど良い指標".into()));
    }
    let size = 13.0;
    let mut x = pad;
    for (mark, label) in &legend {
        let item_w = 22.0 + text::width(label, size) + 14.0;
        if x + item_w > w - pad && x > pad {
            x = pad;
            y += 20.0;
        }
        match mark {
            LegendMark::Bar(c) => {
                canvas.rect((x, y + 2.0), (x + 14.0, y + 15.0), *c, Some((INK, 1)));
                x += 20.0;
            }
            LegendMark::Target => {
                canvas.line(vec![(x, y + 8.5), (x + 18.0, y + 8.5)], INK, 2);
                diamond(&mut canvas, (x + 9.0, y + 8.5), 5.0);
                x += 22.0;
            }
            LegendMark::Earlier => {
                canvas.circle((x + 9.0, y + 8.5), 4.5, Some(WHITE), Some((INK, 2)));
                x += 22.0;
            }
            LegendMark::None => {}
        }
        let color = if matches!(mark, LegendMark::None) {
            INK
        } else {
            INK_SOFT
        };
        if matches!(mark, LegendMark::None) {
            canvas.bold_text(label, (x, y), size, color, Align::Start);
        } else {
            canvas.text(label, (x, y), size, color, Align::Start);
        }
        x += text::width(label, size) + 14.0;
    }
    y += 26.0;

    // Value axis.
    let all: Vec<&Val> = actuals
        .iter()
        .chain(targets.iter())
        .flatten()
        .flatten()
        .map(|(_, v)| v)
        .chain(earlier.iter().map(|(_, v)| v))
        .collect();
    let max = all.iter().map(|v| v.high).fold(0.0_f64, f64::max);
    let min = all.iter().map(|v| v.low).fold(0.0_f64, f64::min);
    let (ticks, axis_min, axis_max) = nice_ticks(min, max * 1.12);
    let tick_size = 12.0;
    let tick_labels: Vec<String> = ticks.iter().map(|t| format_tick(*t, &ticks)).collect();
    let label_w = tick_labels
        .iter()
        .map(|l| text::width(l, tick_size))
        .fold(0.0, f64::max);
    if let Some(u) = &unit {
        canvas.text(&format!("（{u}）"), (pad, y), 12.0, INK_SOFT, Align::Start);
        y += 18.0;
    }
    let top = y + 6.0;
    let bottom = top + PLOT_HEIGHT;
    let left = pad + label_w + 8.0;
    let right = w - pad;
    let scale = |v: f64| bottom - (v - axis_min) / (axis_max - axis_min) * PLOT_HEIGHT;
    for (t, l) in ticks.iter().zip(&tick_labels) {
        let ty = scale(*t);
        canvas.line(vec![(left, ty), (right, ty)], GRID, 1);
        canvas.text(
            l,
            (left - 6.0, ty - tick_size * 0.6),
            tick_size,
            INK_SOFT,
            Align::End,
        );
    }

    let slot = (right - left) / years.len() as f64;
    let centre = |i: usize| left + slot * (i as f64 + 0.5);
    let n_bars = if series_mode { labels.len() } else { 1 };
    let bar_w = if series_mode {
        ((slot * 0.8) / n_bars as f64).min(40.0)
    } else {
        (slot * 0.5).min(48.0)
    };
    let bar_x = |i: usize, b: usize| centre(i) - bar_w * n_bars as f64 / 2.0 + bar_w * b as f64;

    // Target positions, needed before the bar labels so labels can avoid the markers.
    let mut target_marks: Vec<(usize, Option<usize>, Val)> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        for (l, v) in t.iter().flatten() {
            let b = l.as_ref().and_then(|l| labels.iter().position(|x| x == l));
            target_marks.push((i, b, v.clone()));
        }
    }

    // Bars.
    for (i, a) in actuals.iter().enumerate() {
        let cell = kpi.actual.get(&years[i]);
        let provisional = cell.is_some_and(|c| c.provisional);
        match a {
            Some(items) => {
                for (l, v) in items {
                    let b = match l {
                        Some(l) => labels.iter().position(|x| x == l).unwrap_or(0),
                        None => 0,
                    };
                    let color = SERIES[b % SERIES.len()];
                    let x0 = bar_x(i, b);
                    let x1 = x0 + bar_w;
                    let base = scale(0.0_f64.max(axis_min));
                    canvas.rect((x0, scale(v.high)), (x1, base), color, Some((INK, 1)));
                    if v.low != v.high {
                        // The range's lower end, marked across the bar.
                        canvas.line(
                            vec![(x0, scale(v.low)), (x1, scale(v.low))],
                            plotters::style::WHITE,
                            2,
                        );
                    }
                    let mut lines = vec![v.text.clone()];
                    if provisional {
                        lines.push("（見込み）".to_string());
                    }
                    let room = if series_mode { bar_w + 4.0 } else { slot - 4.0 };
                    let Some(ls) = lines
                        .iter()
                        .map(|t| text::fit(t, room, &[12.0, 11.0, 10.0]))
                        .try_fold(12.0_f64, |acc, s| s.map(|s| acc.min(s)))
                    else {
                        continue;
                    };
                    let block = ls * 1.25 * lines.len() as f64;
                    let mut label_bottom = scale(v.high) - 3.0;
                    // Move the label above a target marker that would cover it.
                    for (ti, tb, tv) in &target_marks {
                        let hits = *ti == i && (tb.is_none() || *tb == Some(b));
                        let ty = scale(tv.high);
                        if hits && ty > label_bottom - block - 7.0 && ty < label_bottom + 7.0 {
                            label_bottom = label_bottom.min(ty - 7.0);
                        }
                    }
                    let cx = (x0 + x1) / 2.0;
                    for (k, line) in lines.iter().enumerate() {
                        let ly = label_bottom - block + ls * 1.25 * k as f64;
                        canvas.text(line, (cx, ly), ls, INK, Align::Middle);
                    }
                }
            }
            None => {
                // No number to draw: the text itself (整備完了) or the word for the blank.
                let (words, size) = match cell.map(|c| &c.value) {
                    Some(CellValue::Qualitative(t)) => (t.clone(), 12.0),
                    _ => (
                        Blank::of_actual(cell)
                            .unwrap_or(Blank::NotReported)
                            .word()
                            .to_string(),
                        12.0,
                    ),
                };
                let lines = text::wrap(&words, size, slot - 6.0);
                let shown = lines.len().min(4);
                for (k, line) in lines.iter().take(shown).enumerate() {
                    let mut line = line.clone();
                    if k + 1 == shown && lines.len() > shown {
                        line.pop();
                        line.push('…');
                    }
                    let ly = bottom - size * 1.3 * (shown - k) as f64 - 4.0;
                    canvas.text(&line, (centre(i), ly), size, INK_SOFT, Align::Middle);
                }
            }
        }
    }

    // Target: a line through unlabelled targets, a tick across each labelled bar.
    let mut run: Vec<Point> = Vec::new();
    let mut runs: Vec<Vec<Point>> = Vec::new();
    let mut last = None;
    for (i, b, v) in &target_marks {
        if b.is_none() && !series_mode {
            if last.is_some_and(|l| l + 1 != *i) && !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
            run.push((centre(*i), scale(v.mid())));
            last = Some(*i);
        }
    }
    runs.push(run);
    for r in runs.into_iter().filter(|r| r.len() > 1) {
        canvas.line(r, INK, 2);
    }
    for (i, b, v) in &target_marks {
        let (x0, x1) = match b {
            Some(b) => (bar_x(*i, *b) - 3.0, bar_x(*i, *b) + bar_w + 3.0),
            None if series_mode => (bar_x(*i, 0) - 3.0, bar_x(*i, n_bars) + 3.0),
            None => (centre(*i) - 6.0, centre(*i) + 6.0),
        };
        let cx = (x0 + x1) / 2.0;
        if series_mode {
            canvas.line(vec![(x0, scale(v.high)), (x1, scale(v.high))], INK, 2);
        }
        if v.low != v.high {
            canvas.line(vec![(cx, scale(v.low)), (cx, scale(v.high))], INK, 2);
            diamond(&mut canvas, (cx, scale(v.low)), 5.0);
        }
        diamond(&mut canvas, (cx, scale(v.high)), 5.5);
    }
    for (i, old) in &earlier {
        // Beside the bar, clear of its value label.
        let x = centre(*i) + (bar_w / 2.0 + 7.0).min(slot * 0.45);
        if let Some(now) = target_marks
            .iter()
            .find(|(j, _, _)| j == i)
            .map(|(_, _, v)| v)
        {
            canvas.dotted_line(vec![(x, scale(old.mid())), (x, scale(now.mid()))], INK, 1);
        }
        canvas.circle((x, scale(old.mid())), 4.5, Some(WHITE), Some((INK, 2)));
    }

    // Axis and the rows under it: series labels, years, verdicts.
    canvas.line(vec![(left, bottom), (right, bottom)], INK, 1);
    canvas.line(vec![(left, top), (left, bottom)], INK, 1);
    let mut row = bottom + 5.0;
    if series_mode {
        for i in 0..years.len() {
            for (b, l) in labels.iter().enumerate() {
                let s = text::fit(l, bar_w + 2.0, &[12.0, 11.0, 10.0]);
                if let Some(s) = s {
                    canvas.text(l, (bar_x(i, b) + bar_w / 2.0, row), s, INK, Align::Middle);
                }
            }
        }
        row += 17.0;
    }
    let year_size = 13.0;
    for (i, y) in years.iter().enumerate() {
        let label = year_label(*y, slot - 4.0, year_size);
        canvas.text(&label, (centre(i), row), year_size, INK, Align::Middle);
    }
    row += 20.0;
    for (i, y) in years.iter().enumerate() {
        let j = achievement::judge(kpi, *y, rules);
        let mut label = sentence::status_word(kpi, *y, &j, rules);
        if j.provisional {
            label.push_str("（見込み）");
        }
        let s = text::fit(&label, slot - 17.0, &[12.0, 11.0, 10.0]).unwrap_or(10.0);
        let total = 15.0 + text::width(&label, s);
        let x0 = centre(i) - total / 2.0;
        icons::draw(&mut canvas, j.status, x0, row, 12.0);
        canvas.text(&label, (x0 + 15.0, row - 0.5), s, INK, Align::Start);
        if let Some(r) = j.rate {
            let rate = format!(
                "達成率{}",
                achievement::format_rate(r, j.status == Status::Achieved)
            );
            if let Some(rs) = text::fit(&rate, slot - 4.0, &[11.0, 10.0]) {
                canvas.text(&rate, (centre(i), row + 17.0), rs, INK_SOFT, Align::Middle);
            }
        }
    }
    row += 36.0;
    canvas.set_height(row);
    let rendered = canvas.finish(id, &title, &desc);
    Some(KpiChart { rendered, title })
}

enum LegendMark {
    Bar(plotters::style::RGBColor),
    Target,
    Earlier,
    None,
}

fn title_line(number_label: &str, indicator: &str) -> String {
    format!("{number_label} {indicator}")
}

/// 令和4年度, or R4 when the slot is too narrow (plans longer than about six years).
pub(crate) fn year_label(y: FiscalYear, room: f64, size: f64) -> String {
    let long = y.label();
    if text::width(&long, size) <= room {
        long
    } else {
        y.key()
    }
}

fn diamond(canvas: &mut Canvas, (x, y): Point, r: f64) {
    canvas.polygon(
        vec![
            (x, y - r - 1.5),
            (x + r + 1.5, y),
            (x, y + r + 1.5),
            (x - r - 1.5, y),
        ],
        plotters::style::WHITE,
    );
    canvas.polygon(vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)], INK);
}

/// Round tick values covering `min..max` (about four intervals: 1, 2, 2.5 or 5 × 10ⁿ).
fn nice_ticks(min: f64, max: f64) -> (Vec<f64>, f64, f64) {
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    let raw = span / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let lo = (min / step).floor() * step;
    let hi = (max / step).ceil() * step;
    let n = ((hi - lo) / step).round() as usize;
    let ticks = (0..=n).map(|k| lo + step * k as f64).collect();
    (ticks, lo, hi)
}

fn format_tick(v: f64, ticks: &[f64]) -> String {
    let step = if ticks.len() > 1 {
        ticks[1] - ticks[0]
    } else {
        1.0
    };
    let decimals = (0..6)
        .find(|d| {
            let scaled = step * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6) as usize;
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// The chart's description: the KPI's sentences, one per fiscal year (see
/// [`crate::kpi::sentence`]).
pub(crate) fn describe(kpi: &Kpi, years: &[FiscalYear], rules: &Rules) -> String {
    sentence::describe(kpi, years, rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        let (t, lo, hi) = nice_ticks(0.0, 62588.0 * 1.12);
        assert_eq!(lo, 0.0);
        assert!(hi >= 62588.0 * 1.12);
        assert_eq!(t[1] - t[0], 20000.0);
        assert_eq!(format_tick(20000.0, &t), "20,000");
        let (t, _, _) = nice_ticks(0.0, 8.4);
        assert_eq!(format_tick(t[1], &t), "2.5");
    }
}
