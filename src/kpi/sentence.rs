//! KPI results as plain Japanese sentences: the one place that turns cells and verdicts into
//! words. The chart's description, the key message under each KPI heading, the measure cards
//! and the feed all call it, so a citizen who listens hears what one who looks reads.
//!
//! # How a cell reads
//!
//! * a number with its unit and qualifier, as written: `60,000千円`, `80%以上`; a bare number
//!   takes the KPI's unit (its `unit:`, or the one unit its other cells share), so that no
//!   sentence says 「目標300に対し」 when the table says 300件;
//! * a range with the unit on both ends, because 「~」 is read aloud as a symbol:
//!   `7~7.5俵` → 「7俵から7.5俵」;
//! * a series label by label: `小 8.9% 中 12.8%` → 「小8.9%・中12.8%」;
//! * text in 「」, so that its words are said and the sentence around it stays grammatical:
//!   「整備完了」;
//! * an estimate followed by 「（見込み）」;
//! * a note (`75% 第2次…に合わせて設定`) is not read: the sentence says the result, and the
//!   table beside it shows the cell as written, note included;
//! * a blank cell in the one [vocabulary](Blank) used on every page.
//!
//! # Revisions
//!
//! A revised target reads 「令和6年度の目標は40,000千円から60,000千円に改訂されました
//! （令和6年8月改訂）。」 and comes before that year's result, which is measured against the
//! revised target. Arrows (「→」) are never used: screen readers say 「右矢印」.

use crate::fiscal::FiscalYear;
use crate::kpi::achievement::{self, Basis, Judgement, Status};
use crate::kpi::cell::{Approximate, Cell, CellValue, Quantity, Range, SeriesValue};
use crate::model::{Direction, Kpi, Rules};

/// What a blank cell means, in the words every page uses for eyes and ears alike: the visible
/// cell text, what a screen reader hears, the status column, the chart and its description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blank {
    /// 未報告: nothing written yet for the actual.
    NotReported,
    /// 該当なし: `-` or `_`, the KPI does not apply in that year.
    NotApplicable,
    /// 目標なし: nothing written for the target.
    NoTarget,
}

impl Blank {
    /// Every word, in the order the legend explains them.
    pub const ALL: [Blank; 3] = [Blank::NotReported, Blank::NotApplicable, Blank::NoTarget];

    /// The word shown and read out for the blank cell.
    pub fn word(self) -> &'static str {
        match self {
            Blank::NotReported => "未報告",
            Blank::NotApplicable => "該当なし",
            Blank::NoTarget => "目標なし",
        }
    }

    /// One line of the legend on the measure page.
    pub fn explanation(self) -> &'static str {
        match self {
            Blank::NotReported => "実績がまだ報告されていないこと",
            Blank::NotApplicable => "その年度には当てはまらないこと（元の表の「-」や「_」）",
            Blank::NoTarget => "その年度の目標が書かれていないこと",
        }
    }

    /// The word for a target cell that holds no value, `None` when it holds one.
    pub fn of_target(cell: Option<&Cell>) -> Option<Blank> {
        match cell.map(|c| &c.value) {
            None | Some(CellValue::Empty) => Some(Blank::NoTarget),
            Some(CellValue::NotApplicable { .. }) => Some(Blank::NotApplicable),
            Some(_) => None,
        }
    }

    /// The word for an actual cell that holds no value, `None` when it holds one.
    pub fn of_actual(cell: Option<&Cell>) -> Option<Blank> {
        match cell.map(|c| &c.value) {
            None | Some(CellValue::Empty) => Some(Blank::NotReported),
            Some(CellValue::NotApplicable { .. }) => Some(Blank::NotApplicable),
            Some(_) => None,
        }
    }
}

/// The verdict's name as pages show it: the status label, except that a year without a
/// value says which of the [`Blank`] words applies (a `-` actual is 該当なし, not 未報告).
pub fn status_word(kpi: &Kpi, year: FiscalYear, j: &Judgement, rules: &Rules) -> String {
    match j.status {
        Status::NoActual => Blank::of_actual(kpi.actual.get(&year))
            .unwrap_or(Blank::NotReported)
            .word()
            .to_string(),
        Status::NoTarget => Blank::of_target(kpi.target.get(&year))
            .unwrap_or(Blank::NoTarget)
            .word()
            .to_string(),
        _ => j.status.label(rules).to_string(),
    }
}

/// The summary's name of a status, counted over many KPIs: a year without an actual is
/// 未報告 there, in the same word the tables use.
pub fn summary_word(status: Status, rules: &Rules) -> &str {
    match status {
        Status::NoActual => Blank::NotReported.word(),
        _ => status.label(rules),
    }
}

/// The unit a bare number of `kpi` stands in: the KPI's `unit:`, or the one unit all its
/// numeric cells share.
fn fallback_unit(kpi: &Kpi) -> Option<String> {
    if kpi.unit.is_some() {
        return kpi.unit.clone();
    }
    let mut found: Option<&str> = None;
    for cell in kpi.target.values().chain(kpi.actual.values()) {
        let units: Vec<Option<&str>> = match &cell.value {
            CellValue::Quantity(q) => vec![q.unit.as_deref()],
            CellValue::Range(r) => vec![r.unit.as_deref()],
            CellValue::Series(items) => items.iter().map(|i| i.value.unit()).collect(),
            _ => Vec::new(),
        };
        for u in units.into_iter().flatten() {
            match found {
                Some(f) if f != u => return None,
                _ => found = Some(u),
            }
        }
    }
    found.map(str::to_string)
}

fn quantity_phrase(q: &Quantity, unit: Option<&str>) -> String {
    let unit = q.unit.as_deref().or(unit).unwrap_or("");
    let qualifier = q.qualifier.map_or("", |x| x.as_str());
    let value = format!("{}{unit}{qualifier}", q.number.text);
    format!(
        "{}{}",
        q.label.as_deref().unwrap_or(""),
        Approximate::apply(q.approximate.as_ref(), value)
    )
}

fn range_phrase(r: &Range, unit: Option<&str>) -> String {
    let unit = r.unit.as_deref().or(unit).unwrap_or("");
    let value = format!("{}{unit}から{}{unit}", r.low.text, r.high.text);
    format!(
        "{}{}",
        r.label.as_deref().unwrap_or(""),
        Approximate::apply(r.approximate.as_ref(), value)
    )
}

/// How a cell's value reads in a sentence, `None` for a blank cell. Text is quoted; an
/// estimate says so.
pub fn value_phrase(cell: &Cell, unit: Option<&str>) -> Option<String> {
    let phrase = match &cell.value {
        CellValue::Empty | CellValue::NotApplicable { .. } => return None,
        CellValue::Quantity(q) => quantity_phrase(q, unit),
        CellValue::Range(r) => range_phrase(r, unit),
        CellValue::Series(items) => items
            .iter()
            .map(|i| {
                let v = match &i.value {
                    SeriesValue::Quantity(q) => quantity_phrase(q, unit),
                    SeriesValue::Range(r) => range_phrase(r, unit),
                };
                format!("{}{v}", i.label)
            })
            .collect::<Vec<_>>()
            .join("・"),
        // `700回/1/1`: the figures in order, 「700回と1と1」 (a slash would be read out).
        CellValue::List(list) => {
            let items: Vec<String> = list
                .items
                .iter()
                .map(|v| match v {
                    SeriesValue::Quantity(q) => quantity_phrase(q, unit),
                    SeriesValue::Range(r) => range_phrase(r, unit),
                })
                .collect();
            format!(
                "{}{}",
                list.label.as_deref().unwrap_or(""),
                items.join("と")
            )
        }
        CellValue::Qualitative(text) => format!("「{text}」"),
    };
    Some(if cell.provisional {
        format!("{phrase}（見込み）")
    } else {
        phrase
    })
}

/// The verdict of a judged year with its rates: 「未達成（達成率56%）」,
/// 「未達成（小は達成率82%で未達成、中は達成率105%で達成）」.
fn verdict(j: &Judgement, rules: &Rules) -> String {
    let status = j.status.label(rules);
    if j.basis == Basis::Declared {
        return format!("担当課の判断で{status}");
    }
    if !j.series.is_empty() {
        let mixed = j.series.iter().any(|s| s.status != j.status);
        let parts: Vec<String> = j
            .series
            .iter()
            .map(|s| {
                let rate = s.rate.map(|r| {
                    format!(
                        "達成率{}",
                        achievement::format_rate(r, s.status == Status::Achieved)
                    )
                });
                match (rate, mixed) {
                    (Some(r), true) => format!("{}は{r}で{}", s.label, s.status.label(rules)),
                    (Some(r), false) => format!("{}は{r}", s.label),
                    (None, _) => format!("{}は{}", s.label, s.status.label(rules)),
                }
            })
            .collect();
        return format!("{status}（{}）", parts.join("、"));
    }
    match j.rate {
        Some(r) => format!(
            "{status}（達成率{}）",
            achievement::format_rate(r, j.status == Status::Achieved)
        ),
        None => status.to_string(),
    }
}

/// Whether a cell is one bare number (`60,000千円`), which reads well in
/// 「目標60,000千円に対し33,474千円で」. Labels, ranges, series and text read better in
/// 「目標が反収7俵から7.5俵、実績が反収6俵から6.5俵で」, where each value stands on its own.
fn is_plain_number(cell: &Cell) -> bool {
    matches!(&cell.value, CellValue::Quantity(q) if q.label.is_none())
}

/// The result of one fiscal year in one sentence, e.g. 「令和6年度は目標60,000千円に対し
/// 33,474千円で、未達成（達成率56%）でした。」
pub fn year_sentence(kpi: &Kpi, year: FiscalYear, rules: &Rules) -> String {
    let unit = fallback_unit(kpi);
    let unit = unit.as_deref();
    let j = achievement::judge(kpi, year, rules);
    let y = year.label();
    let target_cell = kpi.target.get(&year);
    let actual_cell = kpi.actual.get(&year);
    let target = target_cell.and_then(|c| value_phrase(c, unit));
    let actual = actual_cell.and_then(|c| value_phrase(c, unit));
    let target_blank = Blank::of_target(target_cell);
    let actual_blank = Blank::of_actual(actual_cell);
    match (target, actual) {
        (Some(t), Some(a)) => {
            let plain = [target_cell, actual_cell]
                .into_iter()
                .all(|c| c.is_some_and(is_plain_number));
            let values = if plain {
                format!("目標{t}に対し{a}")
            } else {
                format!("目標が{t}、実績が{a}")
            };
            match j.status {
                Status::Undeterminable => {
                    let why = j.reason.unwrap_or("");
                    format!("{y}は{values}で、{why}達成状況は判定できません（判定不可）。")
                }
                _ => {
                    // An approximate value (`約30%`) was judged as its number: say so.
                    let note = if j.approximate {
                        format!("（{}）", achievement::APPROXIMATE_NOTE)
                    } else {
                        String::new()
                    };
                    format!("{y}は{values}で、{}でした{note}。", verdict(&j, rules))
                }
            }
        }
        (Some(t), None) => {
            let word = actual_blank.unwrap_or(Blank::NotReported).word();
            format!("{y}の目標は{t}で、実績は{word}です。")
        }
        (None, Some(a)) => match target_blank {
            Some(Blank::NotApplicable) => format!("{y}の実績は{a}で、目標は該当なしです。"),
            _ => format!("{y}の実績は{a}で、目標なしです。"),
        },
        (None, None) => match (target_blank, actual_blank) {
            (Some(Blank::NotApplicable), Some(Blank::NotApplicable)) => {
                format!("{y}は目標・実績とも該当なしです。")
            }
            (Some(Blank::NotApplicable), _) => {
                format!("{y}の目標は該当なしで、実績は未報告です。")
            }
            (_, Some(Blank::NotApplicable)) => {
                format!("{y}は目標なしで、実績は該当なしです。")
            }
            _ => format!("{y}は目標なしで、実績は未報告です。"),
        },
    }
}

/// The revisions of one year's target, oldest first: 「令和6年度の目標は40,000千円から
/// 60,000千円に改訂されました（令和6年8月改訂）。」
pub fn revision_sentences(kpi: &Kpi, year: FiscalYear) -> Vec<String> {
    let unit = fallback_unit(kpi);
    let unit = unit.as_deref();
    let y = year.label();
    kpi.target_history(year)
        .iter()
        .map(|c| {
            let before = value_phrase(c.before, unit);
            let after = value_phrase(c.after, unit);
            let rev = c.revision;
            match (before, after) {
                (Some(b), Some(a)) => {
                    format!("{y}の目標は{b}から{a}に改訂されました（{rev}）。")
                }
                (None, Some(a)) => format!("{y}の目標は{a}に新たに設定されました（{rev}）。"),
                (Some(b), None) => format!("{y}の目標{b}は取り下げられました（{rev}）。"),
                (None, None) => format!("{y}の目標は改訂されました（{rev}）。"),
            }
        })
        .collect()
}

/// Everything a listener needs instead of the chart: the KPI's direction and aggregation,
/// then for each year its target revisions and its result.
pub fn describe(kpi: &Kpi, years: &[FiscalYear], rules: &Rules) -> String {
    let mut out = String::new();
    if kpi.direction == Direction::Lower {
        out.push_str("少ないほど良い指標です。");
    }
    if let Some(a) = kpi.aggregation {
        out.push_str(&format!("{}の値です。", a.label()));
    }
    for y in years {
        for s in revision_sentences(kpi, *y) {
            out.push_str(&s);
        }
        out.push_str(&year_sentence(kpi, *y, rules));
    }
    out
}

/// The latest fiscal year with a reported actual (not blank), if any.
pub fn latest_reported(kpi: &Kpi, years: &[FiscalYear]) -> Option<FiscalYear> {
    years
        .iter()
        .rev()
        .find(|y| kpi.actual.get(y).is_some_and(|c| !c.is_blank()))
        .copied()
}

/// What a reader most wants to know, shown under the KPI's heading: how the latest reported
/// year went, or that nothing has been reported yet.
pub fn key_message(kpi: &Kpi, years: &[FiscalYear], rules: &Rules) -> String {
    match latest_reported(kpi, years) {
        Some(y) => year_sentence(kpi, y, rules),
        None => "実績はまだ報告されていません（未報告）。".to_string(),
    }
}

/// ①②③… as printed on the measure sheets, then (21) onward in parentheses.
pub fn circled(n: usize) -> String {
    match n {
        1..=20 => {
            char::from_u32(0x2460 + n as u32 - 1).map_or_else(|| format!("({n})"), String::from)
        }
        _ => format!("({n})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fiscal::ByYear;
    use crate::model::TargetRevision;

    fn year(s: &str) -> FiscalYear {
        FiscalYear::parse(s).unwrap()
    }

    fn cells(pairs: &[(&str, &str)]) -> ByYear<Cell> {
        let mut by = ByYear::new();
        for (y, c) in pairs {
            by.insert(year(y), Cell::parse(c).unwrap());
        }
        by
    }

    fn kpi(unit: Option<&str>, target: &[(&str, &str)], actual: &[(&str, &str)]) -> Kpi {
        let mut indicator = ByYear::new();
        indicator.insert(year("R4"), "指標".to_string());
        Kpi {
            number: 1,
            indicator,
            unit: unit.map(str::to_string),
            baseline: None,
            target: cells(target),
            actual: cells(actual),
            notes: None,
            revisions: Vec::new(),
            direction: Direction::Higher,
            aggregation: None,
            achieved: ByYear::new(),
        }
    }

    fn say(k: &Kpi, y: &str) -> String {
        year_sentence(k, year(y), &Rules::default())
    }

    #[test]
    fn a_bare_number_takes_the_kpi_unit() {
        let k = kpi(Some("件"), &[("R4", "300")], &[("R4", "320")]);
        assert_eq!(
            say(&k, "R4"),
            "令和4年度は目標300件に対し320件で、達成（達成率107%）でした。"
        );
        // Without `unit:`, the unit the other cells share.
        let k = kpi(None, &[("R4", "300"), ("R5", "310件")], &[("R4", "320件")]);
        assert!(
            say(&k, "R4").contains("目標300件に対し320件"),
            "{}",
            say(&k, "R4")
        );
    }

    #[test]
    fn notes_are_not_read_and_estimates_are_marked() {
        let k = kpi(
            None,
            &[("R4", "75% 振興計画に合わせて設定")],
            &[("R4", "80%(見込み)")],
        );
        assert_eq!(
            say(&k, "R4"),
            "令和4年度は目標75%に対し80%（見込み）で、達成（達成率107%）でした。"
        );
    }

    #[test]
    fn blanks_read_in_the_one_vocabulary() {
        let k = kpi(
            None,
            &[("R4", "-"), ("R6", "5件")],
            &[("R4", "-"), ("R5", "3件")],
        );
        assert_eq!(say(&k, "R4"), "令和4年度は目標・実績とも該当なしです。");
        assert_eq!(say(&k, "R5"), "令和5年度の実績は3件で、目標なしです。");
        assert_eq!(say(&k, "R6"), "令和6年度の目標は5件で、実績は未報告です。");
        assert_eq!(say(&k, "R7"), "令和7年度は目標なしで、実績は未報告です。");
        assert_eq!(
            key_message(&k, &[year("R4"), year("R5")], &Rules::default()),
            say(&k, "R5")
        );
        let none = kpi(None, &[("R4", "5件")], &[]);
        assert_eq!(
            key_message(&none, &[year("R4")], &Rules::default()),
            "実績はまだ報告されていません（未報告）。"
        );
    }

    #[test]
    fn text_is_quoted_and_declared_verdicts_say_who_judged() {
        let mut k = kpi(None, &[("R4", "整備完了")], &[("R4", "整備完了")]);
        assert_eq!(
            say(&k, "R4"),
            "令和4年度は目標が「整備完了」、実績が「整備完了」で、目標が文章のため達成状況は判定できません（判定不可）。"
        );
        k.achieved.insert(year("R4"), true);
        assert_eq!(
            say(&k, "R4"),
            "令和4年度は目標が「整備完了」、実績が「整備完了」で、担当課の判断で達成でした。"
        );
    }

    #[test]
    fn ranges_and_series_keep_their_units_on_every_number() {
        let k = kpi(None, &[("R4", "反収 7~7.5俵")], &[("R4", "反収 6~6.5俵")]);
        assert_eq!(
            say(&k, "R4"),
            "令和4年度は目標が反収7俵から7.5俵、実績が反収6俵から6.5俵で、未達成（達成率86%）でした。"
        );
        let k = kpi(None, &[("R4", "小 10% 中 20%")], &[("R4", "小 12% 中 10%")]);
        assert_eq!(
            say(&k, "R4"),
            "令和4年度は目標が小10%・中20%、実績が小12%・中10%で、未達成（小は達成率120%で達成、中は達成率50%で未達成）でした。"
        );
    }

    #[test]
    fn revisions_read_from_and_to_before_the_result() {
        let mut k = kpi(None, &[("R5", "60件")], &[("R5", "50件")]);
        k.revisions.push(TargetRevision {
            revision: "令和6年8月改訂".into(),
            reason: None,
            before: cells(&[("R5", "40件")]),
        });
        let d = describe(&k, &[year("R5")], &Rules::default());
        assert_eq!(
            d,
            "令和5年度の目標は40件から60件に改訂されました（令和6年8月改訂）。令和5年度は目標60件に対し50件で、未達成（達成率83%）でした。"
        );
        k.revisions[0].before = cells(&[("R5", "-")]);
        assert_eq!(
            revision_sentences(&k, year("R5")),
            ["令和5年度の目標は60件に新たに設定されました（令和6年8月改訂）。"]
        );
    }
}
