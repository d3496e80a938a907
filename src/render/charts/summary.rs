//! The summary chart of the home page and the policy pages: for each fiscal year, how many
//! KPIs were 達成, 未達成, 判定不可, 未報告 (and 目標なし / 概ね達成 when there are any).
//! Each status is a labelled row — icon, name, bar, count — so the chart reads without a legend
//! and without colour.

use std::collections::BTreeMap;

use crate::fiscal::words as years_in;
use crate::fiscal::FiscalYear;
use crate::interface::Ui;
use crate::kpi::achievement::Status;
use crate::kpi::sentence::{summary_word_in, Voice};
use crate::model::Rules;

use super::icons;
use super::svg::{Align, Canvas, Rendered, GRID, INK, INK_SOFT, MIN_TEXT, WIDTH};
use super::text;

/// The statuses a summary shows: the four main ones always, the others when they occur.
pub(crate) fn shown_statuses(
    counts: &BTreeMap<FiscalYear, BTreeMap<Status, usize>>,
    rules: &Rules,
) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|s| match s {
            Status::Achieved | Status::NotAchieved | Status::Undeterminable | Status::NoActual => {
                true
            }
            Status::Near => rules.near.is_some(),
            Status::NoTarget => counts.values().any(|c| c.get(s).copied().unwrap_or(0) > 0),
        })
        .collect()
}

pub(crate) fn render(
    ui: &Ui,
    counts: &BTreeMap<FiscalYear, BTreeMap<Status, usize>>,
    total: usize,
    rules: &Rules,
    id: &str,
    scope: &str,
) -> (Rendered, String, String) {
    let statuses = shown_statuses(counts, rules);
    let total_text = total.to_string();
    let v = Voice::new(ui);
    let title_said = v.fill(
        "chart.summary_title",
        &[
            ("scope", &v.content(scope)),
            ("total", &v.literal(&total_text)),
        ],
    );
    let title = title_said.plain.clone();
    let desc = describe(ui, counts, total, &statuses, rules);
    let words: Vec<String> = statuses
        .iter()
        .map(|s| summary_word_in(ui, *s, rules))
        .collect();
    let count = |n: usize| ui.fill("chart.summary_count", &[("count", &n.to_string())]);
    let mut canvas = Canvas::new(WIDTH, 10);
    canvas.set_language(ui.language());
    let w = canvas.width();
    let pad = 10.0;
    let mut y = 10.0;
    for line in text::wrap(&title, 15.0, w - 2.0 * pad) {
        canvas.bold_text(&line, (pad, y), 15.0, INK, Align::Start);
        y += 21.0;
    }
    y += 4.0;
    let size = MIN_TEXT;
    let label_w = statuses
        .iter()
        .zip(&words)
        .map(|(_, word)| text::width(word, size))
        .fold(0.0, f64::max);
    let bar_left = pad + 20.0 + label_w + 8.0;
    let count_room = text::width(&count(total), size) + 8.0;
    let bar_max = w - pad - count_room - bar_left;
    for (year, c) in counts {
        canvas.bold_text(
            &years_in::year(ui, *year),
            (pad, y),
            14.0,
            INK,
            Align::Start,
        );
        y += 22.0;
        let top = y;
        for (s, word) in statuses.iter().zip(&words) {
            let n = c.get(s).copied().unwrap_or(0);
            icons::draw(&mut canvas, *s, pad, y + 1.0, 15.0);
            canvas.text(word, (pad + 20.0, y), size, INK, Align::Start);
            let len = if total == 0 {
                0.0
            } else {
                bar_max * n as f64 / total as f64
            };
            if n > 0 {
                canvas.rect(
                    (bar_left, y + 1.0),
                    (bar_left + len.max(2.0), y + 16.0),
                    icons::color(*s),
                    Some((INK, 1)),
                );
            }
            canvas.text(
                &count(n),
                (bar_left + len + 6.0, y),
                size,
                INK,
                Align::Start,
            );
            y += 22.0;
        }
        canvas.line(vec![(bar_left, top - 2.0), (bar_left, y - 4.0)], GRID, 1);
        y += 8.0;
    }
    canvas.text(
        &ui.plain("chart.summary_bars"),
        (pad, y),
        MIN_TEXT,
        INK_SOFT,
        Align::Start,
    );
    y += 24.0;
    canvas.set_height(y);
    let mut rendered = canvas.finish(id, &title, &desc);
    rendered.title_html = Some(title_said.html);
    // The summary opens the home and policy pages: loaded at once, not when scrolled to.
    rendered.lazy = false;
    (rendered, title, desc)
}

/// 「令和4年度は達成20件、未達成25件、判定不可10件、未報告0件。」 per year.
pub(crate) fn describe(
    ui: &Ui,
    counts: &BTreeMap<FiscalYear, BTreeMap<Status, usize>>,
    total: usize,
    statuses: &[Status],
    rules: &Rules,
) -> String {
    let gap = match ui.language() {
        crate::language::Language::English => " ",
        _ => "",
    };
    let mut out = ui.fill("chart.summary_total", &[("total", &total.to_string())]);
    for (year, c) in counts {
        let parts: Vec<String> = statuses
            .iter()
            .map(|s| {
                let count = c.get(s).copied().unwrap_or(0).to_string();
                ui.fill(
                    "chart.summary_part",
                    &[
                        ("status", &summary_word_in(ui, *s, rules)),
                        ("count", &count),
                    ],
                )
            })
            .collect();
        let parts = parts.join(&ui.plain("format.list_separator"));
        out.push_str(gap);
        out.push_str(&ui.fill(
            "chart.summary_year",
            &[("year", &years_in::year(ui, *year)), ("parts", &parts)],
        ));
    }
    out
}
