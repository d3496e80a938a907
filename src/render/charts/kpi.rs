//! The chart of one numeric KPI, laid out for a phone's column: each fiscal year is a block
//! with the year and its verdict (icon, word, 達成率) on a line of their own and under it one
//! horizontal bar per series (小・中 …), the value written at the bar's end. On every bar the
//! year's target is a diamond and a target replaced by a plan revision a hollow circle, so a
//! marker only ever sits on its own bar, never on another series' bar. A year without a
//! reported actual is left visibly empty with the word 未報告 (or 該当なし), never drawn as a
//! zero bar, and a year whose actual is text shows that text. The value axis runs along the
//! bottom. Stacking the years keeps every label at full size however many years a plan has.

use crate::fiscal::words as years_in;
use crate::fiscal::FiscalYear;
use crate::interface::Ui;
use crate::kpi::achievement::{self, Status};
use crate::kpi::cell::{Approximate, Cell, CellValue, Quantity, Range, SeriesValue};
use crate::kpi::sentence::{self, Blank, Voice};
use crate::model::{Direction, Kpi, Rules};

use super::icons;
use super::svg::{
    Align, Canvas, Point, Rendered, GRID, INK, INK_SOFT, MIN_TEXT, SERIES, WHITE, WIDTH,
};
use super::text;

/// Height of one bar's row: the bar and the gap under it.
const ROW: f64 = 21.0;
const BAR: f64 = 15.0;

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
    fn of_quantity(v: &Voice, q: &Quantity) -> Val {
        let number = q.number.text.clone();
        Val {
            low: q.number.value,
            high: q.number.value,
            text: match v.is_japanese() {
                true => Approximate::apply(q.approximate.as_ref(), number),
                false => about(v, q.approximate.as_ref(), fold(&number)),
            },
        }
    }

    fn of_range(v: &Voice, r: &Range) -> Val {
        let text = match v.is_japanese() {
            true => Approximate::apply(
                r.approximate.as_ref(),
                format!("{}~{}", r.low.text, r.high.text),
            ),
            false => {
                let low = v.content(&fold(&r.low.text));
                let high = v.content(&fold(&r.high.text));
                let range = v
                    .fill("format.range", &[("low", &low), ("high", &high)])
                    .plain;
                about(v, r.approximate.as_ref(), range)
            }
        };
        Val {
            low: r.low.value,
            high: r.high.value,
            text,
        }
    }

    fn mid(&self) -> f64 {
        (self.low + self.high) / 2.0
    }
}

/// A number as written, full-width digits folded (outside the Japanese tree).
fn fold(number: &str) -> String {
    crate::text::fold_width_str(number).into_owned()
}

/// `value` said to be approximate in the table's words ("about 30").
fn about(v: &Voice, approximate: Option<&Approximate>, value: String) -> String {
    match approximate {
        None => value,
        Some(_) => {
            v.fill("format.about", &[("value", &v.literal(&value))])
                .plain
        }
    }
}

/// The numeric reading of a cell: unlabelled (`None`) or per series label.
fn values(v: &Voice, cell: Option<&Cell>) -> Option<Values> {
    match &cell?.value {
        CellValue::Quantity(q) => Some(vec![(None, Val::of_quantity(v, q))]),
        CellValue::Range(r) => Some(vec![(None, Val::of_range(v, r))]),
        CellValue::Series(items) => Some(
            items
                .iter()
                .map(|i| {
                    let v = match &i.value {
                        SeriesValue::Quantity(q) => Val::of_quantity(v, q),
                        SeriesValue::Range(r) => Val::of_range(v, r),
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
    ui: &Ui,
    kpi: &Kpi,
    years: &[FiscalYear],
    rules: &Rules,
    id: &str,
    number_label: &str,
) -> Option<KpiChart> {
    let v = Voice::new(ui);
    let v = &v;
    let unit = chart_unit(kpi)?.map(|u| crate::kpi::words::unit_word(ui, &u));
    let indicator = kpi.current_indicator();
    let number = v.literal(number_label);
    let named = v.content(indicator);
    let title_said = match &unit {
        Some(u) => v.fill(
            "chart.kpi_title_unit",
            &[
                ("number", &number),
                ("indicator", &named),
                ("unit", &v.content(u)),
            ],
        ),
        None => v.fill(
            "chart.kpi_title",
            &[("number", &number), ("indicator", &named)],
        ),
    };
    let title = title_said.plain.clone();
    let said = sentence::describe_said(v, kpi, years, rules);
    let desc = said.plain;

    let actuals: Vec<Option<Values>> = years.iter().map(|y| values(v, kpi.actual.get(y))).collect();
    let targets: Vec<Option<Values>> = years.iter().map(|y| values(v, kpi.target.get(y))).collect();
    let mut labels: Vec<String> = Vec::new();
    for (l, _) in actuals.iter().chain(targets.iter()).flatten().flatten() {
        if let Some(l) = l {
            if !labels.contains(l) {
                labels.push(l.clone());
            }
        }
    }
    let series_mode = !labels.is_empty();
    let n_rows = if series_mode { labels.len() } else { 1 };
    // The bar row a labelled value belongs to; an unlabelled value belongs to every row.
    let row_of = |l: &Option<String>| -> Option<usize> {
        l.as_ref().and_then(|l| labels.iter().position(|x| x == l))
    };
    let on_row = |b: Option<usize>, r: usize| b.is_none() || b == Some(r);
    let marks = |cells: &[Option<Values>]| -> Vec<(usize, Option<usize>, Val)> {
        cells
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                c.iter()
                    .flatten()
                    .map(move |(l, v)| (i, l.clone(), v.clone()))
                    .collect::<Vec<_>>()
            })
            .map(|(i, l, v)| (i, row_of(&l), v))
            .collect()
    };
    let target_marks = marks(&targets);
    // Targets replaced by a plan revision, drawn as a hollow circle on each bar they applied
    // to, so the change is visible and not only described.
    let earlier_values: Vec<Option<Values>> = years
        .iter()
        .map(|y| {
            let first = kpi.target_history(*y).into_iter().next()?;
            values(v, Some(first.before))
        })
        .collect();
    // A series the revision left as it was (小 50冊 before and after) gets no marker.
    let earlier: Vec<(usize, Option<usize>, Val)> = marks(&earlier_values)
        .into_iter()
        .filter(|(i, b, v)| {
            !target_marks
                .iter()
                .any(|(ti, tb, tv)| ti == i && tb == b && tv.low == v.low && tv.high == v.high)
        })
        .collect();

    let mut canvas = Canvas::new(WIDTH, 10);
    canvas.set_language(ui.language());
    let w = canvas.width();
    let pad = 10.0;
    let size = MIN_TEXT;
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
                ui.fill("chart.legend_actual_of", &[("label", l)]),
            ));
        }
    } else {
        legend.push((LegendMark::Bar(SERIES[0]), ui.plain("chart.legend_actual")));
    }
    legend.push((LegendMark::Target, ui.plain("chart.legend_target")));
    if !earlier.is_empty() {
        legend.push((LegendMark::Earlier, ui.plain("chart.legend_earlier")));
    }
    if kpi.direction == Direction::Lower {
        legend.push((LegendMark::None, ui.plain("chart.legend_lower")));
    }
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
                diamond(&mut canvas, (x + 9.0, y + 8.5), 5.0);
                x += 22.0;
            }
            LegendMark::Earlier => {
                canvas.circle((x + 9.0, y + 8.5), 4.5, Some(WHITE), Some((INK, 2)));
                x += 22.0;
            }
            LegendMark::None => {}
        }
        if matches!(mark, LegendMark::None) {
            canvas.bold_text(label, (x, y), size, INK, Align::Start);
        } else {
            canvas.text(label, (x, y), size, INK_SOFT, Align::Start);
        }
        x += text::width(label, size) + 14.0;
    }
    y += 24.0;
    if let Some(u) = &unit {
        canvas.text(
            &ui.fill("chart.unit", &[("unit", u)]),
            (pad, y),
            size,
            INK_SOFT,
            Align::Start,
        );
        y += 20.0;
    }

    // Value axis, horizontal. Room is kept right of the bars for the longest value label,
    // written after the bar and its markers.
    let all: Vec<&Val> = actuals
        .iter()
        .chain(targets.iter())
        .chain(earlier_values.iter())
        .flatten()
        .flatten()
        .map(|(_, v)| v)
        .collect();
    let max = all.iter().map(|v| v.high).fold(0.0_f64, f64::max);
    let min = all.iter().map(|v| v.low).fold(0.0_f64, f64::min);
    let (ticks, axis_min, axis_max) = nice_ticks(min, max);
    let tick_labels: Vec<String> = ticks.iter().map(|t| format_tick(*t, &ticks)).collect();
    let label_col = if series_mode {
        labels
            .iter()
            .map(|l| text::width(l, size))
            .fold(0.0, f64::max)
            + 6.0
    } else {
        0.0
    };
    let value_room = actuals
        .iter()
        .flatten()
        .flatten()
        .map(|(_, v)| text::width(&v.text, size))
        .fold(0.0, f64::max)
        .min(w * 0.35);
    let tick_half = tick_labels
        .iter()
        .map(|l| text::width(l, size) / 2.0)
        .fold(0.0, f64::max);
    let left = pad + label_col + tick_half.min(12.0);
    let right = w - pad - (value_room + 12.0).max(tick_half);
    let scale = |v: f64| left + (v - axis_min) / (axis_max - axis_min) * (right - left);
    let zero = scale(0.0_f64.max(axis_min));

    // The vertical extent of each year's bar rows: grid lines run through them only, never
    // through the year and verdict lines.
    let mut bands: Vec<(f64, f64)> = Vec::new();
    let grid_at = canvas.mark();
    for (i, year) in years.iter().enumerate() {
        // The year and its verdict, the verdict moved to a line of its own when it does not fit.
        let j = achievement::judge(kpi, *year, rules);
        let mut verdict = sentence::status_said(v, kpi, *year, &j, rules).plain;
        if j.provisional {
            verdict = ui.fill("chart.provisional", &[("verdict", &verdict)]);
        }
        let rate = j.rate.map(|r| {
            let rate = achievement::format_rate(r, j.status == Status::Achieved);
            ui.fill("chart.rate", &[("rate", &rate)])
        });
        let year_text = years_in::year(ui, *year);
        canvas.bold_text(&year_text, (pad, y), 14.0, INK, Align::Start);
        let mut vx = pad + text::width(&year_text, 14.0) + 10.0;
        let verdict_w = 17.0 + text::width(&verdict, size);
        if vx + verdict_w > w - pad {
            vx = pad;
            y += 20.0;
        }
        icons::draw(&mut canvas, j.status, vx, y + 2.0, 13.0);
        canvas.text(&verdict, (vx + 17.0, y + 0.5), size, INK, Align::Start);
        if let Some(rate) = rate {
            let mut rx = vx + verdict_w + 8.0;
            if rx + text::width(&rate, size) > w - pad {
                rx = pad;
                y += 20.0;
            }
            canvas.text(&rate, (rx, y + 0.5), size, INK_SOFT, Align::Start);
        }
        y += 22.0;

        let cell = kpi.actual.get(year);
        let Some(items) = &actuals[i] else {
            // No number to draw: the text itself (整備完了) or the word for the blank, on
            // as many lines as it needs (at most three).
            let words = match cell.map(|c| &c.value) {
                Some(CellValue::Qualitative(t)) => t.clone(),
                _ => ui.plain(Blank::of_actual(cell).unwrap_or(Blank::NotReported).key()),
            };
            let lines = text::wrap(&words, size, w - pad - left);
            let shown = lines.len().min(3);
            for (k, line) in lines.iter().take(shown).enumerate() {
                let mut line = line.clone();
                if k + 1 == shown && lines.len() > shown {
                    line.pop();
                    line.push('…');
                }
                canvas.text(&line, (left, y), size, INK_SOFT, Align::Start);
                y += 19.0;
            }
            // Targets and earlier targets of a year without a numeric actual still show.
            let rows_with_marks: Vec<usize> = (0..n_rows)
                .filter(|r| {
                    target_marks
                        .iter()
                        .chain(&earlier)
                        .any(|(ti, tb, _)| *ti == i && on_row(*tb, *r))
                })
                .collect();
            let band_top = y;
            for r in rows_with_marks {
                let top = y;
                if series_mode {
                    canvas.text(&labels[r], (pad, top), size, INK, Align::Start);
                }
                let _ = row_markers(
                    &mut canvas,
                    &target_marks,
                    &earlier,
                    i,
                    r,
                    top,
                    &scale,
                    &on_row,
                );
                y += ROW;
            }
            if y > band_top {
                bands.push((band_top, y));
            }
            y += 8.0;
            continue;
        };
        let band_top = y;
        for r in 0..n_rows {
            let top = y;
            if series_mode {
                canvas.text(&labels[r], (pad, top), size, INK, Align::Start);
            }
            let value = items
                .iter()
                .find(|(l, _)| {
                    if series_mode {
                        row_of(l) == Some(r)
                    } else {
                        true
                    }
                })
                .map(|(_, v)| v);
            let end = match value {
                Some(v) => {
                    let color = SERIES[r % SERIES.len()];
                    let (x0, x1) = (zero.min(scale(v.high)), zero.max(scale(v.high)));
                    canvas.rect(
                        (x0, top + 1.0),
                        (x1, top + 1.0 + BAR),
                        color,
                        Some((INK, 1)),
                    );
                    if v.low != v.high {
                        // The range's lower end, marked across the bar.
                        canvas.line(
                            vec![(scale(v.low), top + 1.0), (scale(v.low), top + 1.0 + BAR)],
                            WHITE,
                            2,
                        );
                    }
                    x1
                }
                None => {
                    let word = Blank::NotReported.word();
                    canvas.text(word, (left + 2.0, top), size, INK_SOFT, Align::Start);
                    left + 2.0 + text::width(word, size)
                }
            };
            let spans = row_markers(
                &mut canvas,
                &target_marks,
                &earlier,
                i,
                r,
                top,
                &scale,
                &on_row,
            );
            if let Some(v) = value {
                // Right after the bar when no marker is in the way, else after the markers.
                let lw = text::width(&v.text, size);
                let near = end + 5.0;
                let clear = spans.iter().all(|(a, b)| *b < near || *a > near + lw);
                let lx = if clear {
                    near
                } else {
                    spans.iter().map(|(_, b)| *b).fold(end, f64::max) + 5.0
                };
                canvas.text(&v.text, (lx, top), size, INK, Align::Start);
            }
            y += ROW;
        }
        bands.push((band_top, y));
        y += 8.0;
    }
    let bottom = y - 6.0;
    if let Some(last) = bands.last_mut() {
        last.1 = bottom;
    }
    // Grid and zero line behind the bars.
    canvas.behind(grid_at, |c| {
        for (top, end) in &bands {
            let (top, end) = (top - 2.0, end - 3.0_f64.min(end - top));
            for t in &ticks {
                c.line(vec![(scale(*t), top), (scale(*t), end)], GRID, 1);
            }
            c.line(vec![(zero, top), (zero, end)], INK, 1);
        }
    });
    canvas.line(vec![(left, bottom), (right, bottom)], INK, 1);
    // Tick labels, every other one when they would touch.
    let spacing = if ticks.len() > 1 {
        (scale(ticks[1]) - scale(ticks[0])).max(1.0)
    } else {
        w
    };
    let widest = tick_labels
        .iter()
        .map(|l| text::width(l, size))
        .fold(0.0, f64::max);
    let every = ((widest + 8.0) / spacing).ceil().max(1.0) as usize;
    for (k, (t, l)) in ticks.iter().zip(&tick_labels).enumerate() {
        if k % every != 0 {
            continue;
        }
        canvas.line(vec![(scale(*t), bottom), (scale(*t), bottom + 4.0)], INK, 1);
        canvas.text(l, (scale(*t), bottom + 6.0), size, INK_SOFT, Align::Middle);
    }
    y = bottom + 30.0;
    canvas.set_height(y);
    let mut rendered = canvas.finish(id, &title, &desc);
    rendered.desc_html = Some(said.html);
    rendered.title_html = Some(title_said.html);
    Some(KpiChart { rendered, title })
}

/// Draws year `i`'s target diamonds and earlier-target circles on bar row `r` (top at `top`)
/// and returns the horizontal extent of each, so that the value label can avoid them.
#[allow(clippy::too_many_arguments)]
fn row_markers(
    canvas: &mut Canvas,
    targets: &[(usize, Option<usize>, Val)],
    earlier: &[(usize, Option<usize>, Val)],
    i: usize,
    r: usize,
    top: f64,
    scale: &dyn Fn(f64) -> f64,
    on_row: &dyn Fn(Option<usize>, usize) -> bool,
) -> Vec<(f64, f64)> {
    let cy = top + 1.0 + BAR / 2.0;
    let mut spans = Vec::new();
    for (_, _, v) in earlier
        .iter()
        .filter(|(ei, eb, _)| *ei == i && on_row(*eb, r))
    {
        let x = scale(v.mid());
        canvas.circle((x, cy), 4.5, Some(WHITE), Some((INK, 2)));
        spans.push((x - 6.0, x + 6.0));
    }
    for (_, _, v) in targets
        .iter()
        .filter(|(ti, tb, _)| *ti == i && on_row(*tb, r))
    {
        if v.low != v.high {
            canvas.line(vec![(scale(v.low), cy), (scale(v.high), cy)], INK, 2);
            diamond(canvas, (scale(v.low), cy), 5.0);
        }
        diamond(canvas, (scale(v.high), cy), 5.5);
        spans.push((scale(v.low) - 7.0, scale(v.high) + 7.0));
    }
    spans
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

/// 令和4年度, or R4 when the slot is too narrow (schedule charts of plans longer than about
/// six years).
pub(crate) fn year_label(ui: &Ui, y: FiscalYear, room: f64, size: f64) -> String {
    let long = years_in::year(ui, y);
    if text::width(&long, size) <= room {
        long
    } else if ui.language() == crate::language::Language::Japanese {
        y.key()
    } else {
        y.western().to_string()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interface::Ui;

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

    fn kpi(target: &[(&str, &str)], actual: &[(&str, &str)]) -> Kpi {
        use crate::fiscal::ByYear;
        let cells = |pairs: &[(&str, &str)]| {
            let mut by = ByYear::new();
            for (y, c) in pairs {
                by.insert(FiscalYear::parse(y).unwrap(), Cell::parse(c).unwrap());
            }
            by
        };
        let mut indicator = ByYear::new();
        indicator.insert(
            FiscalYear::parse("R4").unwrap(),
            "市内児童生徒の不読率（小学校・中学校）".to_string(),
        );
        Kpi {
            number: 1,
            indicator,
            unit: None,
            baseline: None,
            target: cells(target),
            actual: cells(actual),
            notes: None,
            revisions: vec![crate::model::TargetRevision {
                revision: "令和6年8月改訂".into(),
                reason: None,
                before: cells(&[("R6", "小 6.9% 中 10.8%")]),
            }],
            direction: Direction::Lower,
            aggregation: None,
            achieved: crate::fiscal::ByYear::new(),
        }
    }

    /// Each text of a chart as (left, top, right, bottom) in chart units, measured as the
    /// layout measures it.
    fn text_boxes(svg: &str) -> Vec<(String, (f64, f64, f64, f64))> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                let f = |a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
                let (x, y, size) = (f("x"), f("y"), f("font-size"));
                let t = n.text().unwrap_or("").to_string();
                let w = text::width(&t, size);
                let left = match n.attribute("text-anchor") {
                    Some("middle") => x - w / 2.0,
                    Some("end") => x - w,
                    _ => x,
                };
                (t, (left, y, left + w, y + size))
            })
            .collect()
    }

    #[test]
    fn english_labels_fit_the_width_and_never_overlap() {
        use crate::language::Language;
        let k = kpi(
            &[
                ("R4", "小 8.9% 中 12.8%"),
                ("R6", "小 7.9% 中 11.8%"),
                ("R7", "小 5%未満 中 10%未満"),
            ],
            &[("R4", "小 10.9%(見込み) 中 14.8%"), ("R5", "-")],
        );
        let years: Vec<FiscalYear> = (2022..=2026).map(FiscalYear::from_western).collect();
        for language in Language::ALL {
            let ui = Ui::default_for(language);
            let chart = render(&ui, &k, &years, &Rules::default(), "kpi-1-chart", "KPI ①")
                .expect("a numeric KPI has a chart");
            let boxes = text_boxes(&chart.rendered.file);
            assert!(boxes.len() > 10, "{language}");
            for (t, b) in &boxes {
                assert!(
                    b.0 >= 0.0 && b.2 <= 300.0,
                    "{language}: {t:?} at {b:?} leaves the chart"
                );
            }
            for (i, (ta, a)) in boxes.iter().enumerate() {
                for (tb, b) in &boxes[i + 1..] {
                    let overlap =
                        a.0 < b.2 - 0.5 && b.0 < a.2 - 0.5 && a.1 < b.3 - 0.5 && b.1 < a.3 - 0.5;
                    assert!(!overlap, "{language}: {ta:?} {a:?} overlaps {tb:?} {b:?}");
                }
            }
        }
    }
}
