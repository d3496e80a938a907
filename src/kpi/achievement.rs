//! Achievement (達成状況): the one place that decides whether a KPI met its target in a fiscal
//! year, and by how much. Pages, charts and data exports all call [`judge`]; none of them
//! compares numbers on its own, so a citizen sees the same verdict everywhere.
//!
//! # Statuses
//!
//! | status | when |
//! | --- | --- |
//! | 目標なし (no target) | the year's target is missing, empty or `-`/`_` |
//! | 実績なし (no actual) | there is a target but no actual yet (missing, empty, `-`) |
//! | 判定不可 (cannot be judged) | target or actual is text, their units, series labels or numbers of `/` values differ, or an actual is only a bound the rule cannot use — unless the author declared the result with `achieved:` |
//! | 達成 / 未達成 | decided by the rules below |
//! | 概ね達成 (optional) | 未達成, but the achievement rate reaches the configured band (`achievement.near_band` in `config.yaml`; off by default) |
//!
//! # When is a numeric target met?
//!
//! * A target with a qualifier is met exactly as it reads: `80%以上` — actual ≥ 80; `3件超` —
//!   actual > 3; `10件以下` — actual ≤ 10; `5%未満` — actual < 5. The qualifier wins over the
//!   KPI's direction, because it is what the plan literally promised.
//! * A target without a qualifier is met when the actual is at least the target for a
//!   higher-is-better KPI (the default) and at most the target for a lower-is-better one
//!   (`direction: lower`: 被害額, 作業時間, 不読率, 配布枚数).
//! * **Ranges** (`7~7.5俵`) are met when the *whole* actual has reached the target range: for
//!   higher-is-better, the actual's lower end is at least the target's lower end; for
//!   lower-is-better, the actual's upper end is at most the target's upper end. A single number
//!   counts as a range of one point, so `7俵` against `7~7.5俵` is met and `6~7.2俵` is not
//!   (part of that harvest fell short).
//! * An actual that is itself only a bound (`10件以上`) is used when its known end is the end
//!   the rule looks at (`10件以上` for a higher-is-better KPI), and is 判定不可 otherwise.
//! * **Labelled series** (`小 8.9% 中 12.8%`) are judged label by label; the year is 達成 only
//!   when every label is, 概ね達成 when every label is at least 概ね達成, and 未達成 otherwise.
//!   Target and actual must carry the same labels, or the year is 判定不可.
//! * **Lists** (`700回/1/1`) are judged position by position against a list of the same
//!   length, like a series whose labels are 1番目, 2番目 …; a list against a single value, or
//!   against a list of another length, is 判定不可.
//! * Units must agree when both cells have one; a bare number takes the other cell's unit.
//!   When they differ, the year is 判定不可 and `keikaku check` warns ([`unit_conflict`]).
//! * **Approximate values** (`約30%`, `30%程度`) are judged as their number; the judgement is
//!   marked [`Judgement::approximate`] and pages add [`APPROXIMATE_NOTE`] to the verdict, so a
//!   reader sees that 達成 of `約30%` against `30%以上` rests on an approximate figure.
//!
//! # Achievement rate (達成率)
//!
//! With *a* the actual and *t* the target at the end the rule compares (the lower end of a
//! range for higher-is-better, the upper end for lower-is-better):
//!
//! * higher-is-better (and `以上`/`超` targets): rate = *a* / *t*
//! * lower-is-better (and `以下`/`未満` targets): rate = *t* / *a*
//!
//! The rate is not capped: an actual of 102% against a target of 83% has a rate of 123%. It is
//! undefined (not shown) when the divisor is zero or a value is negative. [`format_rate`]
//! rounds to whole percent, except that a rate just under 100% of a target that was *not* met
//! is shown with one decimal and rounded down (99.8%), never as 100%.
//!
//! # Progress from the baseline (基準値からの進捗)
//!
//! When a KPI has a numeric baseline *b*: progress = (*a* − *b*) / (*t* − *b*), with *a* and
//! *t* as above. It works for both directions (for a falling target both differences are
//! negative) and is undefined when *t* = *b*. Pages label it as progress from the baseline,
//! never as the achievement rate.
//!
//! # Qualitative targets
//!
//! Text such as `整備完了` or `運用` is never compared: the year is 判定不可 unless the author
//! wrote `achieved: {R4: true}` (or `false`) for it, in which case the status is 達成/未達成
//! and [`Basis::Declared`] records that a person, not keikaku, judged it. Validation rejects
//! `achieved:` for years that keikaku can judge by itself, so the two never disagree silently.

use crate::interface::Ui;
use crate::language::Language;
use std::collections::BTreeMap;

use crate::fiscal::FiscalYear;
use crate::kpi::cell::{Cell, CellValue, Qualifier, Quantity, Range, SeriesValue};
use crate::model::{Direction, Kpi, Rules};

/// The verdict for one KPI in one fiscal year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// 達成: the target was met.
    Achieved,
    /// 概ね達成: not met, but the rate reaches the site's near band (only with one configured).
    Near,
    /// 未達成: the target was not met.
    NotAchieved,
    /// 判定不可: the cells cannot be compared and the author declared nothing.
    Undeterminable,
    /// 実績なし: a target but no actual yet.
    NoActual,
    /// 目標なし: no target for the year.
    NoTarget,
}

impl Status {
    /// Every status, in the order summaries list them.
    pub const ALL: [Status; 6] = [
        Status::Achieved,
        Status::Near,
        Status::NotAchieved,
        Status::Undeterminable,
        Status::NoActual,
        Status::NoTarget,
    ];

    /// A stable English key, for CSS classes and data files.
    pub fn key(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::Near => "near",
            Status::NotAchieved => "not-achieved",
            Status::Undeterminable => "undeterminable",
            Status::NoActual => "no-actual",
            Status::NoTarget => "no-target",
        }
    }

    /// The status's name in `ui`'s language: the table's word, except that the Japanese
    /// site's own name for 概ね達成 (`achievement.near.label` in config.yaml) stays its name.
    pub fn word(self, ui: &Ui, rules: &Rules) -> String {
        let key = match self {
            Status::Achieved => "achievement.achieved",
            Status::Near => {
                if let (Some(near), Language::Japanese) = (&rules.near, ui.language()) {
                    return near.label.clone();
                }
                "achievement.near"
            }
            Status::NotAchieved => "achievement.not_achieved",
            Status::Undeterminable => "achievement.undeterminable",
            Status::NoActual => "achievement.no_actual",
            Status::NoTarget => "achievement.no_target",
        };
        ui.plain(key)
    }

    /// The Japanese name shown on the site.
    pub fn label(self, rules: &Rules) -> &str {
        match self {
            Status::Achieved => "達成",
            Status::Near => rules.near.as_ref().map_or("概ね達成", |n| n.label.as_str()),
            Status::NotAchieved => "未達成",
            Status::Undeterminable => "判定不可",
            Status::NoActual => "実績なし",
            Status::NoTarget => "目標なし",
        }
    }
}

/// Who made the judgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// keikaku compared the numbers.
    Computed,
    /// The author declared it with `achieved:` (qualitative targets).
    Declared,
    /// Nothing to compare (目標なし, 実績なし, 判定不可).
    None,
}

/// One label of a series target, judged.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesJudgement {
    /// The series label (`小`, `中`), as in the target.
    pub label: String,
    /// The verdict for this label alone.
    pub status: Status,
    /// The label's achievement rate (1.0 = 100%), when defined.
    pub rate: Option<f64>,
}

/// The verdict for one KPI in one fiscal year, with the figures pages show beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// The verdict.
    pub status: Status,
    /// Whether keikaku computed it or the author declared it.
    pub basis: Basis,
    /// Achievement rate as a ratio (1.0 = 100%), for single values.
    pub rate: Option<f64>,
    /// (actual − baseline) / (target − baseline), when the KPI has a numeric baseline.
    pub progress: Option<f64>,
    /// Per-label verdicts of a series.
    pub series: Vec<SeriesJudgement>,
    /// The target or the actual is an estimate (見込み).
    pub provisional: bool,
    /// keikaku compared the numbers, and the target or the actual is an approximate value
    /// (`約30%`): pages say so with [`APPROXIMATE_NOTE`].
    pub approximate: bool,
    /// Why the year is 判定不可, in Japanese.
    pub reason: Option<&'static str>,
}

/// What pages add to a verdict computed from an approximate value.
pub const APPROXIMATE_NOTE: &str = "概数（約・程度など）による判定";

/// The reason of a year whose target and actual are in different units.
pub const UNITS_DIFFER: &str = "単位が目標と実績で違うため";

/// The reasons a year cannot be judged, written by [`judge`] in Japanese.
const ONE_SIDED: &str = "実績が「以上」「以下」の片側だけの値のため";
const TARGET_TEXT: &str = "目標が文章のため";
const ACTUAL_TEXT: &str = "実績が文章のため";
const SERIES_DIFFER: &str = "内訳（小・中など）が目標と実績で違うため";
const LIST_LENGTH: &str = "「/」で区切った値の数が目標と実績で違うため";
const ONE_SERIES: &str = "目標と実績の一方だけが内訳（小・中など）に分かれているため";
const ONE_LIST: &str = "目標と実績の一方だけが「/」で区切った複数の値のため";
const TARGET_NOT_NUMBER: &str = "目標が数値ではないため";
const ACTUAL_NOT_NUMBER: &str = "実績が数値ではないため";

/// Each reason [`judge`] gives and its key in the interface tables (`achievement.reason_*`),
/// so that another language's page says the same reason in its words.
const REASONS: &[(&str, &str)] = &[
    (UNITS_DIFFER, "achievement.reason_units_differ"),
    (ONE_SIDED, "achievement.reason_one_sided"),
    (TARGET_TEXT, "achievement.reason_target_text"),
    (ACTUAL_TEXT, "achievement.reason_actual_text"),
    (SERIES_DIFFER, "achievement.reason_series_differ"),
    (LIST_LENGTH, "achievement.reason_list_length"),
    (ONE_SERIES, "achievement.reason_one_series"),
    (ONE_LIST, "achievement.reason_one_list"),
    (TARGET_NOT_NUMBER, "achievement.reason_target_not_number"),
    (ACTUAL_NOT_NUMBER, "achievement.reason_actual_not_number"),
];

/// A reason of [`Judgement::reason`] in the words of `ui`'s language (the Japanese table
/// says it as [`judge`] wrote it). A reason the table lacks is shown as written.
pub fn reason_word(ui: &Ui, reason: &str) -> String {
    match REASONS.iter().find(|(r, _)| *r == reason) {
        Some((_, key)) => ui.plain(key),
        None => reason.to_string(),
    }
}

/// The approximate-value note ([`APPROXIMATE_NOTE`]) in `ui`'s language.
pub fn approximate_word(ui: &Ui) -> String {
    ui.plain("achievement.approximate")
}

/// Why two cells cannot be compared: the reason shown with 判定不可 and, when it is their
/// units, the two units.
#[derive(Debug)]
struct Undecided {
    reason: &'static str,
    units: Option<UnitConflict>,
}

impl From<&'static str> for Undecided {
    fn from(reason: &'static str) -> Undecided {
        Undecided {
            reason,
            units: None,
        }
    }
}

/// Units that keep a year from being judged: the first pair of compared values whose units
/// differ (`70%` against `70件`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitConflict {
    /// The unit of the target's value, as read (folded: `％` is `%`).
    pub target: String,
    /// The unit of the actual's value.
    pub actual: String,
    /// The series label (`小`) or list position (`2番目`) of the values, if not the whole cell.
    pub label: Option<String>,
}

impl Judgement {
    fn plain(status: Status, provisional: bool) -> Judgement {
        Judgement {
            status,
            basis: Basis::None,
            rate: None,
            progress: None,
            series: Vec::new(),
            provisional,
            approximate: false,
            reason: None,
        }
    }

    fn undeterminable(reason: &'static str, provisional: bool) -> Judgement {
        Judgement {
            reason: Some(reason),
            ..Judgement::plain(Status::Undeterminable, provisional)
        }
    }
}

/// What a KPI needs for a judgement; [`Kpi`] provides it.
pub struct KpiFacts<'a> {
    /// Whether more or less is better.
    pub direction: Direction,
    /// 基準値, for the progress from it.
    pub baseline: Option<&'a Cell>,
    /// The year's target.
    pub target: Option<&'a Cell>,
    /// The year's actual.
    pub actual: Option<&'a Cell>,
    /// The author's `achieved:` for the year, used when the cells are text.
    pub declared: Option<bool>,
}

/// Judges one KPI in one fiscal year. See the module documentation for the rules.
pub fn judge(kpi: &Kpi, year: FiscalYear, rules: &Rules) -> Judgement {
    judge_facts(
        &KpiFacts {
            direction: kpi.direction,
            baseline: kpi.baseline.as_ref(),
            target: kpi.target.get(&year),
            actual: kpi.actual.get(&year),
            declared: kpi.achieved.get(&year).copied(),
        },
        rules,
    )
}

/// Counts the statuses of `kpis` in `year`.
pub fn count<'a>(
    kpis: impl IntoIterator<Item = &'a Kpi>,
    year: FiscalYear,
    rules: &Rules,
) -> BTreeMap<Status, usize> {
    let mut counts = BTreeMap::new();
    for k in kpis {
        *counts.entry(judge(k, year, rules).status).or_insert(0) += 1;
    }
    counts
}

/// [`judge`] on the bare facts.
pub fn judge_facts(facts: &KpiFacts, rules: &Rules) -> Judgement {
    let provisional = facts.target.is_some_and(|c| c.provisional && !c.is_blank())
        || facts.actual.is_some_and(|c| c.provisional && !c.is_blank());
    let Some(target) = facts.target.filter(|c| !c.is_blank()) else {
        return Judgement::plain(Status::NoTarget, provisional);
    };
    let Some(actual) = facts.actual.filter(|c| !c.is_blank()) else {
        return Judgement::plain(Status::NoActual, provisional);
    };
    let computed = compare_cells(target, actual, facts.direction, facts.baseline, rules);
    let mut judgement = match computed {
        Ok(j) => Judgement {
            approximate: target.is_approximate() || actual.is_approximate(),
            ..j
        },
        Err(Undecided { reason, .. }) => match facts.declared {
            Some(met) => Judgement {
                basis: Basis::Declared,
                ..Judgement::plain(
                    if met {
                        Status::Achieved
                    } else {
                        Status::NotAchieved
                    },
                    provisional,
                )
            },
            None => Judgement::undeterminable(reason, provisional),
        },
    };
    judgement.provisional = provisional;
    judgement
}

/// The units that make a year 判定不可 (`70%` against `70件`), found by the same comparison
/// that judges it; `None` when the year can be judged, or cannot for another reason.
pub fn unit_conflict(facts: &KpiFacts) -> Option<UnitConflict> {
    let target = facts.target.filter(|c| !c.is_blank())?;
    let actual = facts.actual.filter(|c| !c.is_blank())?;
    compare_cells(target, actual, facts.direction, None, &Rules::default())
        .err()?
        .units
}

/// Whether keikaku can judge these cells by itself (so an `achieved:` declaration would be
/// redundant or contradictory). Blank cells count as judgeable: 目標なし/実績なし need no
/// declaration either.
pub fn is_computable(facts: &KpiFacts) -> bool {
    let undeclared = KpiFacts {
        declared: None,
        ..*facts
    };
    judge_facts(&undeclared, &Rules::default()).status != Status::Undeterminable
}

/// Shows a rate as a percentage. See the module documentation for the rounding rule.
pub fn format_rate(rate: f64, met: bool) -> String {
    let percent = rate * 100.0;
    let rounded = percent.round();
    if !met && rate < 1.0 && rounded >= 100.0 {
        let down = (percent * 10.0).floor() / 10.0;
        return format!("{down:.1}%");
    }
    format!("{}%", group_thousands(rounded as i64))
}

fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

// ---------------------------------------------------------------------------------------------

/// A value as an interval: a number is `[v, v]`, a range `[low, high]`, an actual `10件以上`
/// is `[10, ∞)`.
#[derive(Clone, Debug)]
struct Span {
    low: f64,
    high: f64,
    unit: Option<String>,
    qualifier: Option<Qualifier>,
}

impl Span {
    fn of_quantity(q: &Quantity) -> Span {
        Span {
            low: q.number.value,
            high: q.number.value,
            unit: q.unit.clone(),
            qualifier: q.qualifier,
        }
    }

    fn of_range(r: &Range) -> Span {
        Span {
            low: r.low.value,
            high: r.high.value,
            unit: r.unit.clone(),
            qualifier: None,
        }
    }

    fn of_series_value(v: &SeriesValue) -> Span {
        match v {
            SeriesValue::Quantity(q) => Span::of_quantity(q),
            SeriesValue::Range(r) => Span::of_range(r),
        }
    }

    /// The interval an actual stands for: a bound leaves one end open.
    fn as_actual(&self) -> (f64, f64) {
        match self.qualifier {
            None => (self.low, self.high),
            Some(Qualifier::AtLeast | Qualifier::MoreThan) => (self.low, f64::INFINITY),
            Some(Qualifier::AtMost | Qualifier::LessThan) => (f64::NEG_INFINITY, self.high),
        }
    }
}

/// A single comparison: met, rate, and the (actual, target) numbers it used.
struct Outcome {
    met: bool,
    rate: Option<f64>,
    actual: f64,
    threshold: f64,
}

fn compare_spans(target: &Span, actual: &Span, direction: Direction) -> Result<Outcome, Undecided> {
    if let (Some(t), Some(a)) = (&target.unit, &actual.unit) {
        if t != a {
            return Err(Undecided {
                reason: UNITS_DIFFER,
                units: Some(UnitConflict {
                    target: t.clone(),
                    actual: a.clone(),
                    label: None,
                }),
            });
        }
    }
    let (higher, threshold, strict) = match target.qualifier {
        Some(Qualifier::AtLeast) => (true, target.low, false),
        Some(Qualifier::MoreThan) => (true, target.low, true),
        Some(Qualifier::AtMost) => (false, target.high, false),
        Some(Qualifier::LessThan) => (false, target.high, true),
        None => match direction {
            Direction::Higher => (true, target.low, false),
            Direction::Lower => (false, target.high, false),
        },
    };
    let (lo, hi) = actual.as_actual();
    let value = if higher { lo } else { hi };
    if !value.is_finite() {
        return Err(ONE_SIDED.into());
    }
    let met = match (higher, strict) {
        (true, false) => value >= threshold,
        (true, true) => value > threshold,
        (false, false) => value <= threshold,
        (false, true) => value < threshold,
    };
    let rate = if higher {
        (threshold > 0.0 && value >= 0.0).then(|| value / threshold)
    } else {
        (value > 0.0 && threshold >= 0.0).then(|| threshold / value)
    };
    Ok(Outcome {
        met,
        rate,
        actual: value,
        threshold,
    })
}

fn status_of(met: bool, rate: Option<f64>, rules: &Rules) -> Status {
    if met {
        Status::Achieved
    } else if let (Some(near), Some(r)) = (&rules.near, rate) {
        if r >= near.ratio {
            Status::Near
        } else {
            Status::NotAchieved
        }
    } else {
        Status::NotAchieved
    }
}

fn single_span(cell: &Cell) -> Option<Span> {
    match &cell.value {
        CellValue::Quantity(q) => Some(Span::of_quantity(q)),
        CellValue::Range(r) => Some(Span::of_range(r)),
        _ => None,
    }
}

fn compare_cells(
    target: &Cell,
    actual: &Cell,
    direction: Direction,
    baseline: Option<&Cell>,
    rules: &Rules,
) -> Result<Judgement, Undecided> {
    if matches!(target.value, CellValue::Qualitative(_)) {
        return Err(TARGET_TEXT.into());
    }
    if matches!(actual.value, CellValue::Qualitative(_)) {
        return Err(ACTUAL_TEXT.into());
    }
    match (&target.value, &actual.value) {
        (CellValue::Series(ts), CellValue::Series(acts)) => {
            if ts.len() != acts.len() || ts.iter().any(|t| !acts.iter().any(|a| a.label == t.label))
            {
                return Err(SERIES_DIFFER.into());
            }
            let mut pairs = Vec::new();
            for t in ts {
                let a = acts
                    .iter()
                    .find(|a| a.label == t.label)
                    .ok_or(SERIES_DIFFER)?;
                pairs.push((t.label.clone(), &t.value, &a.value));
            }
            compare_items(pairs, direction, rules)
        }
        (CellValue::List(ts), CellValue::List(acts)) => {
            if ts.items.len() != acts.items.len() {
                return Err(LIST_LENGTH.into());
            }
            let pairs = ts
                .items
                .iter()
                .zip(&acts.items)
                .enumerate()
                .map(|(i, (t, a))| (format!("{}番目", i + 1), t, a))
                .collect();
            compare_items(pairs, direction, rules)
        }
        (CellValue::Series(_), _) | (_, CellValue::Series(_)) => Err(ONE_SERIES.into()),
        (CellValue::List(_), _) | (_, CellValue::List(_)) => Err(ONE_LIST.into()),
        _ => {
            let t = single_span(target).ok_or(TARGET_NOT_NUMBER)?;
            let a = single_span(actual).ok_or(ACTUAL_NOT_NUMBER)?;
            let o = compare_spans(&t, &a, direction)?;
            let progress = baseline
                .and_then(|b| match &b.value {
                    CellValue::Quantity(q) if q.qualifier.is_none() => Some(q),
                    _ => None,
                })
                .filter(|q| match (&q.unit, &t.unit) {
                    (Some(bu), Some(tu)) => bu == tu,
                    _ => true,
                })
                .and_then(|q| {
                    let b = q.number.value;
                    (o.threshold != b).then(|| (o.actual - b) / (o.threshold - b))
                });
            Ok(Judgement {
                status: status_of(o.met, o.rate, rules),
                basis: Basis::Computed,
                rate: o.rate,
                progress,
                series: Vec::new(),
                provisional: false,
                approximate: false,
                reason: None,
            })
        }
    }
}

/// Judges the labelled pairs of a series (or the numbered pairs of a list) one by one: 達成
/// only when every item is, 概ね達成 when every item is at least that, 未達成 otherwise.
fn compare_items(
    pairs: Vec<(String, &SeriesValue, &SeriesValue)>,
    direction: Direction,
    rules: &Rules,
) -> Result<Judgement, Undecided> {
    let mut series = Vec::new();
    for (label, t, a) in pairs {
        let o = compare_spans(
            &Span::of_series_value(t),
            &Span::of_series_value(a),
            direction,
        )
        .map_err(|mut e| {
            if let Some(units) = &mut e.units {
                units.label = Some(label.clone());
            }
            e
        })?;
        series.push(SeriesJudgement {
            label,
            status: status_of(o.met, o.rate, rules),
            rate: o.rate,
        });
    }
    let status = if series.iter().all(|s| s.status == Status::Achieved) {
        Status::Achieved
    } else if series
        .iter()
        .all(|s| matches!(s.status, Status::Achieved | Status::Near))
    {
        Status::Near
    } else {
        Status::NotAchieved
    };
    Ok(Judgement {
        status,
        basis: Basis::Computed,
        rate: None,
        progress: None,
        series,
        provisional: false,
        approximate: false,
        reason: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NearBand;

    fn cell(s: &str) -> Cell {
        Cell::parse(s).unwrap()
    }

    fn judge_str(target: &str, actual: &str, direction: Direction) -> Judgement {
        judge_with(target, actual, direction, &Rules::default())
    }

    fn judge_with(target: &str, actual: &str, direction: Direction, rules: &Rules) -> Judgement {
        let (t, a) = (cell(target), cell(actual));
        judge_facts(
            &KpiFacts {
                direction,
                baseline: None,
                target: Some(&t),
                actual: Some(&a),
                declared: None,
            },
            rules,
        )
    }

    fn near(ratio: f64) -> Rules {
        Rules {
            near: Some(NearBand {
                ratio,
                label: "概ね達成".into(),
            }),
        }
    }

    #[test]
    fn higher_is_better_rate_is_actual_over_target() {
        let j = judge_str("60,000千円", "33,474千円", Direction::Higher);
        assert_eq!(j.status, Status::NotAchieved);
        assert_eq!(j.basis, Basis::Computed);
        assert!((j.rate.unwrap() - 33474.0 / 60000.0).abs() < 1e-12);
        assert_eq!(format_rate(j.rate.unwrap(), false), "56%");
        let j = judge_str("30,000千円", "30,000千円", Direction::Higher);
        assert_eq!(j.status, Status::Achieved);
    }

    #[test]
    fn rate_is_not_capped_at_100_percent() {
        let j = judge_str("83%", "102%", Direction::Higher);
        assert_eq!(j.status, Status::Achieved);
        assert_eq!(format_rate(j.rate.unwrap(), true), "123%");
        assert_eq!(format_rate(8.035, true), "804%");
        assert_eq!(format_rate(12.5, true), "1,250%");
    }

    #[test]
    fn lower_is_better_rate_is_target_over_actual() {
        let j = judge_str("12,000千円", "13,179千円", Direction::Lower);
        assert_eq!(j.status, Status::NotAchieved);
        assert!((j.rate.unwrap() - 12000.0 / 13179.0).abs() < 1e-12);
        let j = judge_str("80分", "70分", Direction::Lower);
        assert_eq!(j.status, Status::Achieved);
        assert!((j.rate.unwrap() - 80.0 / 70.0).abs() < 1e-12);
        // Zero damage is perfect, but has no finite rate.
        let j = judge_str("80分", "0分", Direction::Lower);
        assert_eq!(j.status, Status::Achieved);
        assert_eq!(j.rate, None);
    }

    #[test]
    fn a_missed_target_never_reads_as_100_percent() {
        let j = judge_str("15,900千円", "15,926千円", Direction::Lower);
        assert_eq!(j.status, Status::NotAchieved);
        assert_eq!(format_rate(j.rate.unwrap(), false), "99.8%");
        assert_eq!(format_rate(0.9996, false), "99.9%");
        assert_eq!(format_rate(0.994, false), "99%");
        // Strict target missed at exactly the bound: the rate really is 100%.
        let j = judge_str("5%未満", "5%", Direction::Lower);
        assert_eq!(j.status, Status::NotAchieved);
        assert_eq!(format_rate(j.rate.unwrap(), false), "100%");
    }

    #[test]
    fn qualifiers_are_read_literally() {
        assert_eq!(
            judge_str("80%以上", "80%", Direction::Higher).status,
            Status::Achieved
        );
        assert_eq!(
            judge_str("80%以上", "79.9%", Direction::Higher).status,
            Status::NotAchieved
        );
        assert_eq!(
            judge_str("3件超", "3件", Direction::Higher).status,
            Status::NotAchieved
        );
        assert_eq!(
            judge_str("3件超", "4件", Direction::Higher).status,
            Status::Achieved
        );
        assert_eq!(
            judge_str("10件以下", "10件", Direction::Higher).status,
            Status::Achieved
        );
        assert_eq!(
            judge_str("5%未満", "4.9%", Direction::Lower).status,
            Status::Achieved
        );
        // The qualifier wins over a direction that contradicts it.
        assert_eq!(
            judge_str("5%未満", "4%", Direction::Higher).status,
            Status::Achieved
        );
    }

    #[test]
    fn bounded_actuals_are_used_only_from_their_known_end() {
        assert_eq!(
            judge_str("10件", "12件以上", Direction::Higher).status,
            Status::Achieved
        );
        let j = judge_str("10件", "12件以下", Direction::Higher);
        assert_eq!(j.status, Status::Undeterminable);
        assert!(j.reason.is_some());
        assert_eq!(
            judge_str("10%", "5%未満", Direction::Lower).status,
            Status::Achieved
        );
    }

    #[test]
    fn ranges_are_met_when_the_whole_actual_reaches_the_target() {
        let j = judge_str("反収 7~7.5俵", "反収 6~6.5俵", Direction::Higher);
        assert_eq!(j.status, Status::NotAchieved);
        assert!((j.rate.unwrap() - 6.0 / 7.0).abs() < 1e-12);
        assert_eq!(
            judge_str("反収 7~7.5俵", "反収 7~7.5俵", Direction::Higher).status,
            Status::Achieved
        );
        assert_eq!(
            judge_str("7~7.5俵", "6~7.2俵", Direction::Higher).status,
            Status::NotAchieved
        );
        assert_eq!(
            judge_str("7~7.5俵", "7俵", Direction::Higher).status,
            Status::Achieved
        );
        assert_eq!(
            judge_str("7俵", "7~8俵", Direction::Higher).status,
            Status::Achieved
        );
        // Lower is better: the actual's upper end must be within the target's upper end.
        assert_eq!(
            judge_str("5~8%", "4~8%", Direction::Lower).status,
            Status::Achieved
        );
        assert_eq!(
            judge_str("5~8%", "4~9%", Direction::Lower).status,
            Status::NotAchieved
        );
    }

    #[test]
    fn series_are_judged_per_label() {
        let j = judge_str("小 8.9% 中 12.8%", "小 10.9% 中 14.8%", Direction::Lower);
        assert_eq!(j.status, Status::NotAchieved);
        assert_eq!(j.rate, None);
        assert_eq!(j.series.len(), 2);
        assert_eq!(j.series[0].label, "小");
        assert!((j.series[0].rate.unwrap() - 8.9 / 10.9).abs() < 1e-12);
        let j = judge_str("小 8.9% 中 12.8%", "小 8% 中 14.8%", Direction::Lower);
        assert_eq!(j.status, Status::NotAchieved);
        assert_eq!(j.series[0].status, Status::Achieved);
        assert_eq!(j.series[1].status, Status::NotAchieved);
        let j = judge_str("小 5%未満 中 10%未満", "小 4% 中 9%", Direction::Lower);
        assert_eq!(j.status, Status::Achieved);
        // Labels in another order still match; different labels do not.
        assert_eq!(
            judge_str("小 1% 中 2%", "中 2% 小 1%", Direction::Higher).status,
            Status::Achieved
        );
        assert_eq!(
            judge_str("小 1% 中 2%", "小 1% 高 2%", Direction::Higher).status,
            Status::Undeterminable
        );
        assert_eq!(
            judge_str(
                "各課月5件",
                "福祉相談課 月平均4.5件 子育て支援課 月平均25.8件",
                Direction::Higher
            )
            .status,
            Status::Undeterminable
        );
    }

    #[test]
    fn units_must_agree() {
        let j = judge_str(
            "公民館等における 地域別研修 5箇所以上",
            "3回(5地区)",
            Direction::Higher,
        );
        assert_eq!(j.status, Status::Undeterminable);
        // A bare number takes the other cell's unit.
        assert_eq!(
            judge_str(
                "オンラインで受付けた 手続き件数300",
                "1,577件",
                Direction::Higher
            )
            .status,
            Status::Achieved
        );
    }

    #[test]
    fn blanks_give_no_target_and_no_actual() {
        let na = cell("_");
        let t = cell("10件");
        let a = cell("4.2%");
        let facts = |target, actual| KpiFacts {
            direction: Direction::Higher,
            baseline: None,
            target,
            actual,
            declared: None,
        };
        let rules = Rules::default();
        assert_eq!(
            judge_facts(&facts(Some(&na), Some(&a)), &rules).status,
            Status::NoTarget
        );
        assert_eq!(
            judge_facts(&facts(None, Some(&a)), &rules).status,
            Status::NoTarget
        );
        assert_eq!(
            judge_facts(&facts(Some(&t), None), &rules).status,
            Status::NoActual
        );
        assert_eq!(
            judge_facts(&facts(Some(&t), Some(&na)), &rules).status,
            Status::NoActual
        );
        let q = cell("整備完了");
        assert_eq!(
            judge_facts(&facts(Some(&q), None), &rules).status,
            Status::NoActual
        );
    }

    #[test]
    fn qualitative_targets_need_a_declaration() {
        let t = cell("整備完了");
        let a = cell("整備完了");
        let mut facts = KpiFacts {
            direction: Direction::Higher,
            baseline: None,
            target: Some(&t),
            actual: Some(&a),
            declared: None,
        };
        let rules = Rules::default();
        let j = judge_facts(&facts, &rules);
        assert_eq!(j.status, Status::Undeterminable);
        assert_eq!(j.basis, Basis::None);
        assert!(!is_computable(&facts));
        facts.declared = Some(true);
        let j = judge_facts(&facts, &rules);
        assert_eq!((j.status, j.basis), (Status::Achieved, Basis::Declared));
        facts.declared = Some(false);
        assert_eq!(judge_facts(&facts, &rules).status, Status::NotAchieved);
        // A numeric year is computable, so a declaration there is refused by validation.
        let (t, a) = (cell("10件"), cell("12件"));
        let numeric = KpiFacts {
            direction: Direction::Higher,
            baseline: None,
            target: Some(&t),
            actual: Some(&a),
            declared: Some(false),
        };
        assert!(is_computable(&numeric));
        assert_eq!(judge_facts(&numeric, &rules).status, Status::Achieved);
    }

    #[test]
    fn the_near_band_is_off_by_default() {
        let j = judge_str("1,400件", "1,300件", Direction::Higher);
        assert_eq!(j.status, Status::NotAchieved);
        let j = judge_with("1,400件", "1,300件", Direction::Higher, &near(0.9));
        assert_eq!(j.status, Status::Near);
        let j = judge_with("1,400件", "1,002件", Direction::Higher, &near(0.9));
        assert_eq!(j.status, Status::NotAchieved);
        let j = judge_with(
            "小 10% 中 10%",
            "小 9.5% 中 10%",
            Direction::Higher,
            &near(0.9),
        );
        assert_eq!(j.status, Status::Near);
        assert_eq!(Status::Near.label(&near(0.9)), "概ね達成");
    }

    #[test]
    fn progress_from_the_baseline() {
        let (b, t, a) = (cell("20,000千円"), cell("60,000千円"), cell("33,474千円"));
        let j = judge_facts(
            &KpiFacts {
                direction: Direction::Higher,
                baseline: Some(&b),
                target: Some(&t),
                actual: Some(&a),
                declared: None,
            },
            &Rules::default(),
        );
        assert!((j.progress.unwrap() - (33474.0 - 20000.0) / 40000.0).abs() < 1e-12);
        // Falling target: both differences are negative.
        let (b, t, a) = (cell("20%"), cell("10%"), cell("15%"));
        let j = judge_facts(
            &KpiFacts {
                direction: Direction::Lower,
                baseline: Some(&b),
                target: Some(&t),
                actual: Some(&a),
                declared: None,
            },
            &Rules::default(),
        );
        assert!((j.progress.unwrap() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn approximate_values_are_judged_as_their_number_with_a_note() {
        // Issue #20: 約30% is 30 %, not a series label 「約」.
        let j = judge_str("30%以上", "約30%", Direction::Higher);
        assert_eq!((j.status, j.basis), (Status::Achieved, Basis::Computed));
        assert!(j.approximate);
        assert_eq!(j.reason, None);
        let j = judge_str("約30%", "29%", Direction::Higher);
        assert_eq!(j.status, Status::NotAchieved);
        assert!(j.approximate);
        assert_eq!(format_rate(j.rate.unwrap(), false), "97%");
        let j = judge_str("100人", "100人前後", Direction::Higher);
        assert_eq!(j.status, Status::Achieved);
        assert!(j.approximate);
        let j = judge_str("小 5% 中 10%", "小 約6% 中 12%", Direction::Higher);
        assert_eq!(j.status, Status::Achieved);
        assert!(j.approximate);
        assert!(!judge_str("30%以上", "30%", Direction::Higher).approximate);
        // Only a computed verdict rests on the number.
        let j = judge_str("整備完了", "約30%", Direction::Higher);
        assert_eq!(j.status, Status::Undeterminable);
        assert!(!j.approximate);
    }

    #[test]
    fn lists_are_judged_position_by_position() {
        let j = judge_str("700回/1/1", "1,130回/0.154/0", Direction::Higher);
        assert_eq!(j.status, Status::NotAchieved);
        assert_eq!(j.rate, None);
        let labels: Vec<(&str, Status)> = j
            .series
            .iter()
            .map(|s| (s.label.as_str(), s.status))
            .collect();
        assert_eq!(
            labels,
            [
                ("1番目", Status::Achieved),
                ("2番目", Status::NotAchieved),
                ("3番目", Status::NotAchieved)
            ]
        );
        assert!((j.series[0].rate.unwrap() - 1130.0 / 700.0).abs() < 1e-12);
        assert_eq!(
            judge_str("1,600回/2", "1,700回/2", Direction::Higher).status,
            Status::Achieved
        );
        let j = judge_str("700回/1/1", "1,392回/0", Direction::Higher);
        assert_eq!(j.status, Status::Undeterminable);
        assert_eq!(j.reason, Some(LIST_LENGTH));
        let j = judge_str("700回", "1,392回/0", Direction::Higher);
        assert_eq!(j.status, Status::Undeterminable);
        assert!(j.reason.is_some());
    }

    #[test]
    fn unit_conflicts_are_named() {
        let conflict = |target: &str, actual: &str| {
            let (t, a) = (cell(target), cell(actual));
            unit_conflict(&KpiFacts {
                direction: Direction::Higher,
                baseline: None,
                target: Some(&t),
                actual: Some(&a),
                declared: None,
            })
        };
        let units = |t: &str, a: &str, label: Option<&str>| {
            Some(UnitConflict {
                target: t.into(),
                actual: a.into(),
                label: label.map(String::from),
            })
        };
        assert_eq!(conflict("70%", "70件"), units("%", "件", None));
        assert_eq!(conflict("30%以上", "７０件"), units("%", "件", None));
        assert_eq!(
            conflict("小 5% 中 3件", "小 5% 中 3%"),
            units("件", "%", Some("中"))
        );
        assert_eq!(
            conflict("700回/1件", "800回/2%"),
            units("件", "%", Some("2番目"))
        );
        // Same unit (also folded), a bare number, text, blanks: no conflict.
        assert_eq!(conflict("70%", "７０％"), None);
        assert_eq!(conflict("70", "70件"), None);
        assert_eq!(conflict("整備完了", "70件"), None);
        assert_eq!(conflict("-", "70件"), None);
        let j = judge_str("70%", "70件", Direction::Higher);
        assert_eq!(
            (j.status, j.reason),
            (Status::Undeterminable, Some(UNITS_DIFFER))
        );
    }

    #[test]
    fn provisional_values_are_flagged() {
        let j = judge_str(
            "3人",
            "3人(現在取得申請中であり見込みとなります)",
            Direction::Higher,
        );
        assert_eq!(j.status, Status::Achieved);
        assert!(j.provisional);
        assert!(!judge_str("3人", "3人", Direction::Higher).provisional);
    }

    #[test]
    fn every_reason_has_its_words_in_every_table() {
        let ja = crate::fiscal::words::japanese();
        for (reason, key) in REASONS {
            assert_eq!(reason_word(ja, reason), *reason);
            for language in Language::ALL {
                let ui = Ui::default_for(language);
                assert_ne!(ui.text(key), *key, "{language} {key}");
            }
        }
        let en = Ui::default_for(Language::English);
        assert_eq!(
            reason_word(&en, TARGET_TEXT),
            "the target is written in words"
        );
        assert_eq!(approximate_word(ja), APPROXIMATE_NOTE);
    }

    #[test]
    fn status_words_come_from_the_table_of_the_page() {
        let rules = Rules::default();
        let ja = crate::fiscal::words::japanese();
        for s in Status::ALL {
            assert_eq!(s.word(ja, &rules), s.label(&rules), "{s:?}");
        }
        let en = Ui::default_for(Language::English);
        let easy = Ui::default_for(Language::EasyJapanese);
        assert_eq!(Status::Achieved.word(&en, &rules), "Met");
        assert_eq!(Status::Achieved.word(&easy, &rules), "たっせい");
    }
}
