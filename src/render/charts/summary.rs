//! The summary chart of the home page and the policy pages: for each fiscal year, how many
//! KPIs were 達成, 未達成, 判定不可, 未報告 (and 目標なし / 概ね達成 when there are any).
//! Each status is a labelled row — icon, name, bar, count — so the chart reads without a legend
//! and without colour.

use std::collections::BTreeMap;

use crate::fiscal::FiscalYear;
use crate::kpi::achievement::Status;
use crate::kpi::sentence::summary_word;
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
    counts: &BTreeMap<FiscalYear, BTreeMap<Status, usize>>,
    total: usize,
    rules: &Rules,
    id: &str,
    scope: &str,
) -> (Rendered, String, String) {
    let statuses = shown_statuses(counts, rules);
    let title = format!("{scope}の成果目標{total}件の達成状況（年度別）");
    let desc = describe(counts, total, &statuses, rules);
    let mut canvas = Canvas::new(WIDTH, 10);
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
        .map(|s| text::width(summary_word(*s, rules), size))
        .fold(0.0, f64::max);
    let bar_left = pad + 20.0 + label_w + 8.0;
    let count_room = text::width(&format!("{total}件"), size) + 8.0;
    let bar_max = w - pad - count_room - bar_left;
    for (year, c) in counts {
        canvas.bold_text(&year.label(), (pad, y), 14.0, INK, Align::Start);
        y += 22.0;
        let top = y;
        for s in &statuses {
            let n = c.get(s).copied().unwrap_or(0);
            icons::draw(&mut canvas, *s, pad, y + 1.0, 15.0);
            canvas.text(
                summary_word(*s, rules),
                (pad + 20.0, y),
                size,
                INK,
                Align::Start,
            );
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
                &format!("{n}件"),
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
        "棒の長さは成果目標の件数です。",
        (pad, y),
        MIN_TEXT,
        INK_SOFT,
        Align::Start,
    );
    y += 24.0;
    canvas.set_height(y);
    let mut rendered = canvas.finish(id, &title, &desc);
    // The summary opens the home and policy pages: loaded at once, not when scrolled to.
    rendered.lazy = false;
    (rendered, title, desc)
}

/// 「令和4年度は達成20件、未達成25件、判定不可10件、未報告0件。」 per year.
pub(crate) fn describe(
    counts: &BTreeMap<FiscalYear, BTreeMap<Status, usize>>,
    total: usize,
    statuses: &[Status],
    rules: &Rules,
) -> String {
    let mut out = format!("成果目標は全{total}件です。");
    for (year, c) in counts {
        let parts: Vec<String> = statuses
            .iter()
            .map(|s| {
                format!(
                    "{}{}件",
                    summary_word(*s, rules),
                    c.get(s).copied().unwrap_or(0)
                )
            })
            .collect();
        out.push_str(&format!("{}は{}。", year.label(), parts.join("、")));
    }
    out
}
