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

use crate::fiscal::words::{self, japanese};
use crate::fiscal::FiscalYear;
use crate::interface::Ui;
use crate::kpi::achievement::{self, Basis, Judgement, Status};
use crate::kpi::cell::{Cell, CellValue};
pub use crate::kpi::words::{Said, Voice};
use crate::model::{Aggregation, Direction, Kpi, Rules};

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

    /// The key of [`Blank::word`] in the interface tables.
    pub fn key(self) -> &'static str {
        match self {
            Blank::NotReported => "kpi.blank_not_reported",
            Blank::NotApplicable => "kpi.blank_not_applicable",
            Blank::NoTarget => "kpi.blank_no_target",
        }
    }

    /// The key of [`Blank::explanation`] in the interface tables.
    pub fn explanation_key(self) -> &'static str {
        match self {
            Blank::NotReported => "kpi.blank_not_reported_explained",
            Blank::NotApplicable => "kpi.blank_not_applicable_explained",
            Blank::NoTarget => "kpi.blank_no_target_explained",
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
    status_said(&Voice::new(japanese()), kpi, year, j, rules).plain
}

/// [`status_word`] in the voice of a page.
pub fn status_said(v: &Voice, kpi: &Kpi, year: FiscalYear, j: &Judgement, rules: &Rules) -> Said {
    match j.status {
        Status::NoActual => v.word(
            Blank::of_actual(kpi.actual.get(&year))
                .unwrap_or(Blank::NotReported)
                .key(),
        ),
        Status::NoTarget => v.word(
            Blank::of_target(kpi.target.get(&year))
                .unwrap_or(Blank::NoTarget)
                .key(),
        ),
        _ => v.literal(&j.status.word(v.ui(), rules)),
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

/// [`summary_word`] in `ui`'s language.
pub fn summary_word_in(ui: &Ui, status: Status, rules: &Rules) -> String {
    match status {
        Status::NoActual => ui.plain(Blank::NotReported.key()),
        _ => status.word(ui, rules),
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

/// How a cell's value reads in a sentence, `None` for a blank cell. Text is quoted; an
/// estimate says so.
pub fn value_phrase(cell: &Cell, unit: Option<&str>) -> Option<String> {
    Voice::new(japanese())
        .value_phrase(cell, unit)
        .map(|s| s.plain)
}

/// A series label as a verdict names it: the author's (`小`), or keikaku's own for the
/// values of a `/` list (`2番目`), which the table words.
fn series_label(v: &Voice, label: &str) -> Said {
    match label.strip_suffix("番目") {
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            v.fill("kpi.nth", &[("n", &v.literal(n))])
        }
        _ => v.content(label),
    }
}

/// A rate as the verdict says it: 達成率107% / "107% of target".
fn rate_said(v: &Voice, rate: f64, met: bool) -> Said {
    let r = v.literal(&achievement::format_rate(rate, met));
    v.fill("kpi.say_rate", &[("rate", &r)])
}

/// The verdict of a judged year with its rates: 「未達成（達成率56%）」,
/// 「未達成（小は達成率82%で未達成、中は達成率105%で達成）」.
fn verdict(v: &Voice, j: &Judgement, rules: &Rules) -> Said {
    let status = v.literal(&j.status.word(v.ui(), rules));
    if j.basis == Basis::Declared {
        return v.fill("kpi.say_declared", &[("status", &status)]);
    }
    if !j.series.is_empty() {
        let mixed = j.series.iter().any(|s| s.status != j.status);
        let parts: Vec<Said> = j
            .series
            .iter()
            .map(|s| {
                let label = series_label(v, &s.label);
                let own = v.literal(&s.status.word(v.ui(), rules));
                match (s.rate, mixed) {
                    (Some(r), true) => v.fill(
                        "kpi.say_part_rate_status",
                        &[
                            ("label", &label),
                            ("rate", &rate_said(v, r, s.status == Status::Achieved)),
                            ("status", &own),
                        ],
                    ),
                    (Some(r), false) => v.fill(
                        "kpi.say_part_rate",
                        &[
                            ("label", &label),
                            ("rate", &rate_said(v, r, s.status == Status::Achieved)),
                        ],
                    ),
                    (None, _) => v.fill(
                        "kpi.say_part_status",
                        &[("label", &label), ("status", &own)],
                    ),
                }
            })
            .collect();
        let details = v.join(&parts, &v.word("format.list_separator"));
        return v.fill(
            "kpi.say_with",
            &[("status", &status), ("details", &details)],
        );
    }
    match j.rate {
        Some(r) => {
            let details = rate_said(v, r, j.status == Status::Achieved);
            v.fill(
                "kpi.say_with",
                &[("status", &status), ("details", &details)],
            )
        }
        None => status,
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
    year_said(&Voice::new(japanese()), kpi, year, rules).plain
}

/// [`year_sentence`] in the voice of a page: "In FY2024, the result was 33,474 thousand yen
/// against a target of 60,000 thousand yen: Not met (56% of target)."
pub fn year_said(v: &Voice, kpi: &Kpi, year: FiscalYear, rules: &Rules) -> Said {
    let unit = fallback_unit(kpi);
    let unit = unit.as_deref();
    let j = achievement::judge(kpi, year, rules);
    let y = v.literal(&words::year(v.ui(), year));
    let target_cell = kpi.target.get(&year);
    let actual_cell = kpi.actual.get(&year);
    let target = target_cell.and_then(|c| v.value_phrase(c, unit));
    let actual = actual_cell.and_then(|c| v.value_phrase(c, unit));
    let target_blank = Blank::of_target(target_cell);
    let actual_blank = Blank::of_actual(actual_cell);
    let only_year = |key: &str| v.fill(key, &[("year", &y)]);
    match (target, actual) {
        (Some(t), Some(a)) => {
            let plain = [target_cell, actual_cell]
                .into_iter()
                .all(|c| c.is_some_and(is_plain_number));
            let form = if plain {
                "kpi.say_values_numbers"
            } else {
                "kpi.say_values"
            };
            let values = v.fill(form, &[("target", &t), ("actual", &a)]);
            match j.status {
                Status::Undeterminable => match j.reason {
                    Some(why) => v.fill(
                        "kpi.say_undeterminable_because",
                        &[
                            ("year", &y),
                            ("values", &values),
                            ("reason", &v.literal(&achievement::reason_word(v.ui(), why))),
                        ],
                    ),
                    None => v.fill(
                        "kpi.say_undeterminable",
                        &[("year", &y), ("values", &values)],
                    ),
                },
                _ => {
                    // An approximate value (`約30%`) was judged as its number: say so.
                    let note = if j.approximate {
                        let n = v.literal(&achievement::approximate_word(v.ui()));
                        v.fill("kpi.say_note", &[("note", &n)])
                    } else {
                        Said::default()
                    };
                    v.fill(
                        "kpi.say_judged",
                        &[
                            ("year", &y),
                            ("values", &values),
                            ("verdict", &verdict(v, &j, rules)),
                            ("note", &note),
                        ],
                    )
                }
            }
        }
        (Some(t), None) => {
            let blank = v.word(actual_blank.unwrap_or(Blank::NotReported).key());
            v.fill(
                "kpi.say_target_only",
                &[("year", &y), ("target", &t), ("blank", &blank)],
            )
        }
        (None, Some(a)) => {
            let form = match target_blank {
                Some(Blank::NotApplicable) => "kpi.say_actual_only",
                _ => "kpi.say_actual_without_target",
            };
            v.fill(form, &[("year", &y), ("actual", &a)])
        }
        (None, None) => match (target_blank, actual_blank) {
            (Some(Blank::NotApplicable), Some(Blank::NotApplicable)) => {
                only_year("kpi.say_both_not_applicable")
            }
            (Some(Blank::NotApplicable), _) => only_year("kpi.say_target_not_applicable"),
            (_, Some(Blank::NotApplicable)) => only_year("kpi.say_actual_not_applicable"),
            _ => only_year("kpi.say_nothing"),
        },
    }
}

/// The revisions of one year's target, oldest first: 「令和6年度の目標は40,000千円から
/// 60,000千円に改訂されました（令和6年8月改訂）。」
pub fn revision_sentences(kpi: &Kpi, year: FiscalYear) -> Vec<String> {
    revisions_said(&Voice::new(japanese()), kpi, year)
        .into_iter()
        .map(|s| s.plain)
        .collect()
}

/// [`revision_sentences`] in the voice of a page. The revision's name (令和6年8月改訂) is the
/// plan's own text and stays as written.
pub fn revisions_said(v: &Voice, kpi: &Kpi, year: FiscalYear) -> Vec<Said> {
    let unit = fallback_unit(kpi);
    let unit = unit.as_deref();
    let y = v.literal(&words::year(v.ui(), year));
    kpi.target_history(year)
        .iter()
        .map(|c| {
            let before = v.value_phrase(c.before, unit);
            let after = v.value_phrase(c.after, unit);
            let rev = v.revision(c.revision);
            match (before, after) {
                (Some(b), Some(a)) => v.fill(
                    "kpi.say_revised",
                    &[
                        ("year", &y),
                        ("before", &b),
                        ("after", &a),
                        ("revision", &rev),
                    ],
                ),
                (None, Some(a)) => v.fill(
                    "kpi.say_set",
                    &[("year", &y), ("after", &a), ("revision", &rev)],
                ),
                (Some(b), None) => v.fill(
                    "kpi.say_withdrawn",
                    &[("year", &y), ("before", &b), ("revision", &rev)],
                ),
                (None, None) => v.fill(
                    "kpi.say_revised_unknown",
                    &[("year", &y), ("revision", &rev)],
                ),
            }
        })
        .collect()
}

/// Everything a listener needs instead of the chart: the KPI's direction and aggregation,
/// then for each year its target revisions and its result.
pub fn describe(kpi: &Kpi, years: &[FiscalYear], rules: &Rules) -> String {
    describe_said(&Voice::new(japanese()), kpi, years, rules).plain
}

/// [`describe`] in the voice of a page.
pub fn describe_said(v: &Voice, kpi: &Kpi, years: &[FiscalYear], rules: &Rules) -> Said {
    let mut parts: Vec<Said> = Vec::new();
    if kpi.direction == Direction::Lower {
        parts.push(v.word("kpi.say_lower"));
    }
    if let Some(a) = kpi.aggregation {
        let what = v.word(aggregation_key(a));
        parts.push(v.fill("kpi.say_aggregation", &[("aggregation", &what)]));
    }
    for y in years {
        parts.extend(revisions_said(v, kpi, *y));
        parts.push(year_said(v, kpi, *y, rules));
    }
    v.join(&parts, &sentence_gap(v))
}

/// What separates two sentences: nothing in Japanese (。 ends each), a space in English.
fn sentence_gap(v: &Voice) -> Said {
    match v.ui().language() {
        crate::language::Language::English => v.literal(" "),
        _ => Said::default(),
    }
}

/// The table key of the word for a KPI's aggregation (累計 / cumulative).
pub fn aggregation_key(a: Aggregation) -> &'static str {
    match a {
        Aggregation::Cumulative => "kpi.cumulative",
        Aggregation::SingleYear => "kpi.single_year",
    }
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
    key_message_said(&Voice::new(japanese()), kpi, years, rules).plain
}

/// [`key_message`] in the voice of a page.
pub fn key_message_said(v: &Voice, kpi: &Kpi, years: &[FiscalYear], rules: &Rules) -> Said {
    match latest_reported(kpi, years) {
        Some(y) => year_said(v, kpi, y, rules),
        None => v.word("kpi.say_not_reported_yet"),
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

    fn say_in(language: crate::language::Language, k: &Kpi, y: &str) -> Said {
        let ui = Ui::default_for(language);
        year_said(&Voice::new(&ui), k, year(y), &Rules::default())
    }

    #[test]
    fn the_same_result_reads_naturally_in_each_language() {
        use crate::language::Language;
        let k = kpi(Some("件"), &[("R6", "300")], &[("R6", "320")]);
        assert_eq!(
            say_in(Language::English, &k, "R6").plain,
            "In FY2024, the result was 320 cases against a target of 300 cases: Met (107% of target)."
        );
        assert_eq!(
            say_in(Language::EasyJapanese, &k, "R6").plain,
            "れいわ6ねんど（2024ねんど）は もくひょう 300けんに たいして けっかは 320けんで、たっせい（できた わりあい 107%）でした。"
        );
        assert_eq!(say_in(Language::Japanese, &k, "R6").plain, say(&k, "R6"));
        let k = kpi(None, &[("R6", "80%以上")], &[]);
        assert_eq!(
            say_in(Language::English, &k, "R6").plain,
            "The target for FY2024 is at least 80%. Result: Not reported."
        );
    }

    #[test]
    fn japanese_content_in_another_language_is_marked() {
        use crate::language::Language;
        let k = kpi(None, &[("R6", "整備完了")], &[("R6", "整備完了")]);
        let said = say_in(Language::English, &k, "R6");
        assert_eq!(
            said.html,
            "In FY2024, the target was &quot;<span lang=\"ja\">整備完了</span>&quot; and the result was &quot;<span lang=\"ja\">整備完了</span>&quot;. Whether the target was met cannot be judged: the target is written in words."
        );
        let ja = say_in(Language::Japanese, &k, "R6");
        assert!(!ja.html.contains("<span"), "{}", ja.html);
        let none = kpi(None, &[("R4", "5件")], &[]);
        let ui = Ui::default_for(Language::English);
        assert_eq!(
            key_message_said(&Voice::new(&ui), &none, &[year("R4")], &Rules::default()).plain,
            "No result has been reported yet."
        );
    }
}
