//! The schedule (取組みスケジュール) of a measure as a simple Gantt chart: one row per task
//! (取組内容), a bar across the fiscal years it runs. The task name sits on its own line above
//! its bar, so long names wrap instead of being cut off at narrow widths. The schedule table on
//! the page is the chart's text alternative.

use crate::fiscal::words as years_in;
use crate::fiscal::FiscalYear;
use crate::interface::Ui;
use crate::kpi::sentence::{Said, Voice};
use crate::model::Task;

use super::kpi::year_label;
use super::svg::{Align, Canvas, Rendered, EMPTY_OUTLINE, INK, INK_SOFT, MIN_TEXT, SERIES, WIDTH};
use super::text;

pub(crate) fn render(
    ui: &Ui,
    tasks: &[Task],
    years: &[FiscalYear],
    id: &str,
    measure: &str,
) -> (Rendered, String, String) {
    let v = Voice::new(ui);
    let title_said = v.fill("chart.schedule_title", &[("measure", &v.content(measure))]);
    let title = title_said.plain.clone();
    let said = describe_said(&v, tasks, years);
    let desc = said.plain.clone();
    let mut canvas = Canvas::new(WIDTH, 10);
    canvas.set_language(ui.language());
    let w = canvas.width();
    let pad = 10.0;
    let slot = (w - 2.0 * pad) / years.len() as f64;
    let mut y = 10.0;
    for line in text::wrap(&title, 15.0, w - 2.0 * pad) {
        canvas.bold_text(&line, (pad, y), 15.0, INK, Align::Start);
        y += 21.0;
    }
    y += 6.0;
    for (i, fy) in years.iter().enumerate() {
        let label = year_label(ui, *fy, slot - 4.0, MIN_TEXT);
        canvas.text(
            &label,
            (pad + slot * (i as f64 + 0.5), y),
            MIN_TEXT,
            INK,
            Align::Middle,
        );
    }
    y += 22.0;
    for t in tasks {
        for line in text::wrap(&t.name, 14.0, w - 2.0 * pad) {
            canvas.text(&line, (pad, y), 14.0, INK, Align::Start);
            y += 19.0;
        }
        // Contiguous years become one bar; years without the task stay empty outlines.
        for (i, fy) in years.iter().enumerate() {
            if !t.years.contains(fy) {
                let x0 = pad + slot * i as f64 + 3.0;
                canvas.rect(
                    (x0, y + 2.0),
                    (x0 + slot - 6.0, y + 16.0),
                    plotters::style::WHITE,
                    Some((EMPTY_OUTLINE, 1)),
                );
            }
        }
        let mut i = 0;
        while i < years.len() {
            if t.years.contains(&years[i]) {
                let start = i;
                while i + 1 < years.len() && t.years.contains(&years[i + 1]) {
                    i += 1;
                }
                let x0 = pad + slot * start as f64 + 3.0;
                let x1 = pad + slot * (i + 1) as f64 - 3.0;
                canvas.rect((x0, y), (x1, y + 18.0), SERIES[0], Some((INK, 1)));
            }
            i += 1;
        }
        y += 30.0;
    }
    canvas.text(
        &ui.plain("chart.schedule_legend"),
        (pad, y),
        MIN_TEXT,
        INK_SOFT,
        Align::Start,
    );
    y += 24.0;
    canvas.set_height(y);
    let mut rendered = canvas.finish(id, &title, &desc);
    rendered.desc_html = Some(said.html);
    rendered.title_html = Some(title_said.html);
    (rendered, title, desc)
}

/// 「利用促進事業は令和4年度から令和7年度まで実施します。」 per task, in both forms; the task
/// names are the plan's text, marked Japanese in another language's tree.
fn describe_said(v: &Voice, tasks: &[Task], years: &[FiscalYear]) -> Said {
    let ui = v.ui();
    let label = |y: &FiscalYear| v.literal(&years_in::year(ui, *y));
    let gap = match ui.language() {
        crate::language::Language::English => v.literal(" "),
        _ => Said::default(),
    };
    let mut out: Vec<Said> = Vec::new();
    for t in tasks {
        let mut spans: Vec<(FiscalYear, FiscalYear)> = Vec::new();
        for y in years.iter().filter(|y| t.years.contains(y)) {
            match spans.last_mut() {
                Some((_, end)) if end.next() == *y => *end = *y,
                _ => spans.push((*y, *y)),
            }
        }
        if spans.is_empty() {
            out.push(v.fill("chart.schedule_none", &[("task", &v.content(&t.name))]));
            continue;
        }
        let parts: Vec<Said> = spans
            .iter()
            .map(|(a, b)| {
                if a == b {
                    label(a)
                } else {
                    v.fill(
                        "chart.schedule_span",
                        &[("from", &label(a)), ("to", &label(b))],
                    )
                }
            })
            .collect();
        let years = v.join(&parts, &v.word("chart.schedule_and"));
        out.push(v.fill(
            "chart.schedule_does",
            &[("task", &v.content(&t.name)), ("years", &years)],
        ));
    }
    v.join(&out, &gap)
}
