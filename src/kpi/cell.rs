//! KPI cells (成果目標の「目標」「実績」のセル): the one place that reads them.
//!
//! Authors copy cells from the city's spreadsheet as they are, so a cell is free text that
//! usually, but not always, holds a number. keikaku always *shows* the text as written
//! ([`Cell::raw`]); the typed reading ([`CellValue`]) is what lets pages compare targets and
//! actuals, draw charts and export data. The rules below decide that reading.
//!
//! # Reading a cell
//!
//! Before anything else the cell is trimmed; full-width digits, `，` `．` `％` `（` `）` `／`
//! and the tildes `~ 〜 ～ ∼` are read like their ASCII counterparts (the text kept for display
//! is never changed). Then, in order:
//!
//! 1. **Empty**: nothing left.
//! 2. **Not applicable**: one marker `-` `_` `－` `―` `ー` `—` `–` `−` `‐` `＿`, alone or
//!    followed by whitespace and a note (`- アンケートフォーム設置が令和6年度からのため`).
//! 3. **A value**, found at the *first number* of the cell (a run of digits with `,` thousands
//!    separators and one `.` decimal point, optionally signed with `-` `+` `▲` `△`):
//!    * the text before it is the **label** (`反収`, `協定締結数`, `各課月`, `市内公民館で計`);
//!    * right after it comes the **unit**: the run of letters — kanji, katakana, Latin letters,
//!      `%` and other unit symbols, `か月`, and compound units such as `人/月` or `%/3か月`;
//!    * a unit ending in `以上`, `以下`, `未満` or `超` carries that **qualifier**, which ends
//!      the value;
//!    * `~` and a second number make a **range** (`7~7.5俵`; the unit may be written on either
//!      end or both, but not differently);
//!    * the value must then be followed by the end of the cell, whitespace, `(` or `※`.
//!      Anything else glued to it means the number is part of a sentence, and the whole cell
//!      is **qualitative**: `50%は達成`, `設計金額が50万円を超える…`, `1,130回/0.154/0`. So is
//!      a number glued to a Latin letter (`R7年度…`, an identifier rather than a quantity), and
//!      text after whitespace that starts with hiragana (`500万円以上 の測量等…`: the extraction
//!      broke a sentence at a particle).
//! 4. After a labelled value and whitespace, further `label value` pairs make a **series**
//!    (`小 8.9% 中 12.8%`, `転入 10分 その他手続き 5分`). Series labels contain no digits.
//! 5. Whatever follows the value(s) is the **note**: after whitespace
//!    (`75% 第2次木更津市商工業振興計画に合わせて設定`), after `※` (the `※` is dropped) or in
//!    parentheses (`100%(アンケート回答による)`; parentheses spanning the whole note are
//!    dropped).
//! 6. A cell is **provisional** (見込み) when its note — or, for qualitative cells, its text —
//!    contains 見込 as a noun: `見込み`, `見込`, `見込値`, but not the verb `見込まれる`.
//! 7. A cell with no number, or whose first number is not a value by rule 3, is
//!    **qualitative** text (`整備完了`, `推進体制の構築`, full sentences).
//!
//! # Errors
//!
//! A cell is rejected only when it is *shaped like a value* — its first number is followed by
//! a unit, a qualifier and then the end, whitespace, `(` or `※`, exactly as a valid value
//! would be — but the number itself is malformed: `30,,000千円`, `1.2.3件`, `12.5.%`,
//! `1,0000件`, `,5%`; or it is a broken range: `7~` (no upper bound), `~5%` (no lower bound),
//! `5~10%以上` (a range cannot carry a qualifier), `5件~10%` (different units). Such a cell is
//! almost certainly a typo in a number, and silently showing it as text would hide the
//! mistake from the chart and the data export. Text that merely contains odd numbers inside a
//! sentence (`R7.6.1付で…`) stays qualitative. When a cell is read wrongly, the author can
//! always write it in the structured form ([`CellInput`]), where `text:` forces qualitative
//! text and `value:` gives the number explicitly.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One KPI cell: what the author wrote and how keikaku reads it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    /// The cell as the author wrote it, trimmed. Pages always show this text.
    pub raw: String,
    /// The typed reading of the cell.
    pub value: CellValue,
    /// Text after the value: an explanation, a breakdown, a revision reason.
    pub note: Option<String>,
    /// The value is an estimate (見込み) rather than a final figure.
    pub provisional: bool,
}

/// The typed reading of a cell. See the module documentation for the rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum CellValue {
    /// Nothing written (not yet reported, or not set).
    Empty,
    /// A dash or underscore: the KPI does not apply in that year.
    NotApplicable {
        /// The marker as written (`-`, `_`, `－` …).
        marker: String,
    },
    /// One number, possibly with a label, a unit and a qualifier: `80%以上`.
    Quantity(Quantity),
    /// A range: `反収 7~7.5俵`.
    Range(Range),
    /// Two or more labelled values in one cell: `小 8.9% 中 12.8%`.
    Series(Vec<SeriesItem>),
    /// Text that is not a value: a milestone or a description of what was done.
    Qualitative(String),
}

/// A number with what surrounds it in the cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantity {
    /// Text before the number (`協定締結数` in `協定締結数1件`). Inside a series the label
    /// belongs to the [`SeriesItem`] and this is `None`.
    pub label: Option<String>,
    pub number: Number,
    /// The unit as written (`千円`, `%`, `人/月`); `None` for a bare number.
    pub unit: Option<String>,
    pub qualifier: Option<Qualifier>,
}

/// A range of two numbers sharing a unit: `7~7.5俵`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Range {
    /// Text before the range (`反収`). `None` inside a series.
    pub label: Option<String>,
    pub low: Number,
    pub high: Number,
    pub unit: Option<String>,
}

/// One labelled value of a series (`小 8.9%`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesItem {
    /// What the value is for: `小` (elementary schools), `福祉相談課 月平均` …
    pub label: String,
    pub value: SeriesValue,
}

/// The value of a series item.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum SeriesValue {
    Quantity(Quantity),
    Range(Range),
}

/// A number as written and as a value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Number {
    /// The numeric value (thousands separators removed, full-width digits read).
    pub value: f64,
    /// The number as the author wrote it, e.g. `30,000` or `４４.６０`, so that it can be
    /// shown without reformatting.
    pub text: String,
    /// Digits written after the decimal point (`44.60` → 2), so that derived figures can be
    /// shown with the precision the author used.
    pub decimals: u8,
}

/// A bound attached to a number (`80%以上`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// 以上: at least (≥).
    AtLeast,
    /// 以下: at most (≤).
    AtMost,
    /// 未満: less than (<).
    LessThan,
    /// 超: more than (>).
    MoreThan,
}

impl Qualifier {
    /// All qualifiers, in the order they are tried.
    pub const ALL: [Qualifier; 4] = [
        Qualifier::AtLeast,
        Qualifier::AtMost,
        Qualifier::LessThan,
        Qualifier::MoreThan,
    ];

    /// The Japanese word as written after the number: `以上`, `以下`, `未満`, `超`.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "以上",
            Qualifier::AtMost => "以下",
            Qualifier::LessThan => "未満",
            Qualifier::MoreThan => "超",
        }
    }

    /// The mathematical symbol, for compact displays and screen-reader-friendly data.
    pub fn symbol(self) -> &'static str {
        match self {
            Qualifier::AtLeast => "≥",
            Qualifier::AtMost => "≤",
            Qualifier::LessThan => "<",
            Qualifier::MoreThan => ">",
        }
    }

    /// Reads `以上`, `以下`, `未満` or `超`.
    pub fn from_japanese(s: &str) -> Option<Qualifier> {
        Qualifier::ALL.into_iter().find(|q| q.as_str() == s)
    }
}

impl fmt::Display for Qualifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Qualifier {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Qualifier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Qualifier::from_japanese(s.trim()).ok_or_else(|| {
            de::Error::custom(format!(
                "限定語として読めません: \"{s}\"。以上・以下・未満・超のいずれかを書いてください（expected one of 以上, 以下, 未満, 超）"
            ))
        })
    }
}

/// What is wrong with a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CellErrorKind {
    /// `30,,000`: two separators in a row.
    RepeatedSeparator,
    /// `1.2.3`: more than one decimal point.
    MultipleDecimalPoints,
    /// `1,0000`, `12,34`, `1.5,0`: commas not between groups of three integer digits.
    MisplacedThousandsSeparator,
    /// `,5` or `5,%`: a number starting or ending with a separator.
    DanglingSeparator,
    /// More digits than a floating-point number can hold.
    NumberTooLarge,
    /// `7~`: a range without its upper bound.
    RangeMissingUpper,
    /// `~5%`: a range without its lower bound.
    RangeMissingLower,
    /// `5~10%以上`: a range with 以上/以下/未満/超.
    QualifierInRange,
    /// `5件~10%`: the two ends of a range in different units.
    RangeUnitMismatch,
    /// Structured form with neither `value` nor `text`.
    MissingValue,
    /// Structured form with `unit` or `qualifier` but no `value`.
    UnitWithoutValue,
    /// A structured or YAML number that is infinite or not a number.
    NotFinite,
    /// A structured `value` written as text that is not one number (`"約30"`).
    NotANumber,
}

impl CellErrorKind {
    fn japanese(self) -> &'static str {
        match self {
            CellErrorKind::RepeatedSeparator => "区切り記号（, や .）が続いています",
            CellErrorKind::MultipleDecimalPoints => "小数点が2つ以上あります",
            CellErrorKind::MisplacedThousandsSeparator => {
                "桁区切りのカンマは整数部の3桁ごとに置いてください"
            }
            CellErrorKind::DanglingSeparator => {
                "数値が区切り記号（, や .）で始まるか終わっています"
            }
            CellErrorKind::NumberTooLarge => "数値が大きすぎます",
            CellErrorKind::RangeMissingUpper => "範囲（~）の上限がありません",
            CellErrorKind::RangeMissingLower => "範囲（~）の下限がありません",
            CellErrorKind::QualifierInRange => "範囲（~）には以上・以下・未満・超を付けられません",
            CellErrorKind::RangeUnitMismatch => "範囲（~）の両端の単位が違います",
            CellErrorKind::MissingValue => "value か text のどちらかを書いてください",
            CellErrorKind::UnitWithoutValue => "unit と qualifier は value と一緒に書いてください",
            CellErrorKind::NotFinite => "有限の数値ではありません",
            CellErrorKind::NotANumber => "数値ではありません",
        }
    }

    fn english(self) -> &'static str {
        match self {
            CellErrorKind::RepeatedSeparator => "two separators in a row inside a number",
            CellErrorKind::MultipleDecimalPoints => "more than one decimal point",
            CellErrorKind::MisplacedThousandsSeparator => {
                "thousands separators must separate groups of three integer digits"
            }
            CellErrorKind::DanglingSeparator => "a number cannot start or end with a separator",
            CellErrorKind::NumberTooLarge => "number is too large",
            CellErrorKind::RangeMissingUpper => "range has no upper bound; write e.g. 7~7.5俵",
            CellErrorKind::RangeMissingLower => "range has no lower bound; write e.g. 7~7.5俵",
            CellErrorKind::QualifierInRange => "a range cannot carry 以上/以下/未満/超",
            CellErrorKind::RangeUnitMismatch => "the two ends of a range have different units",
            CellErrorKind::MissingValue => "a structured cell needs value or text",
            CellErrorKind::UnitWithoutValue => "unit and qualifier need a value",
            CellErrorKind::NotFinite => "value must be a finite number",
            CellErrorKind::NotANumber => "not a number",
        }
    }
}

/// A cell that looks like a value but cannot be read as one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "KPIの値として読めません: \"{cell}\" の{pos}文字目: {ja}（malformed KPI cell at character {pos}: {en}）",
    pos = .offset + 1,
    ja = .kind.japanese(),
    en = .kind.english()
)]
pub struct CellError {
    pub kind: CellErrorKind,
    /// Where the problem is: a character (not byte) offset from the start of the text given to
    /// [`parse_cell`], leading whitespace included. 0 for structured cells.
    pub offset: usize,
    /// The cell text (trimmed), repeated so the message stands on its own.
    pub cell: String,
}

/// Reads one cell. See the module documentation for the rules.
pub fn parse_cell(raw: &str) -> Result<Cell, CellError> {
    let trimmed = raw.trim();
    let base = raw.chars().take_while(|c| c.is_whitespace()).count();
    if trimmed.is_empty() {
        return Ok(Cell::empty());
    }
    let text = Text::new(trimmed, base);
    if let Some(cell) = text.not_applicable() {
        return Ok(cell);
    }
    match text.value()? {
        Some((value, note)) => {
            let provisional = note.as_deref().is_some_and(says_provisional);
            Ok(Cell {
                raw: trimmed.to_string(),
                value,
                note,
                provisional,
            })
        }
        None => Ok(Cell {
            raw: trimmed.to_string(),
            value: CellValue::Qualitative(trimmed.to_string()),
            note: None,
            provisional: says_provisional(trimmed),
        }),
    }
}

impl Cell {
    /// See [`parse_cell`].
    pub fn parse(raw: &str) -> Result<Cell, CellError> {
        parse_cell(raw)
    }

    /// A blank cell.
    pub fn empty() -> Cell {
        Cell {
            raw: String::new(),
            value: CellValue::Empty,
            note: None,
            provisional: false,
        }
    }

    /// The text to show: always what the author wrote.
    pub fn display(&self) -> &str {
        &self.raw
    }

    /// The unit of the value: of the quantity or range, or of a series whose items all share
    /// one unit (`小 8.9% 中 12.8%` → `%`).
    pub fn unit(&self) -> Option<&str> {
        match &self.value {
            CellValue::Quantity(q) => q.unit.as_deref(),
            CellValue::Range(r) => r.unit.as_deref(),
            CellValue::Series(items) => {
                let mut units = items.iter().map(|item| item.value.unit());
                let first = units.next()??;
                units.all(|u| u == Some(first)).then_some(first)
            }
            _ => None,
        }
    }

    /// The number of a single-quantity cell, the one figure that can be charted or compared
    /// directly. Ranges and series have no single primary number.
    pub fn primary_number(&self) -> Option<&Number> {
        match &self.value {
            CellValue::Quantity(q) => Some(&q.number),
            _ => None,
        }
    }

    /// The qualifier of a single-quantity cell (`80%以上` → 以上).
    pub fn qualifier(&self) -> Option<Qualifier> {
        match &self.value {
            CellValue::Quantity(q) => q.qualifier,
            _ => None,
        }
    }

    /// Nothing written.
    pub fn is_empty(&self) -> bool {
        matches!(self.value, CellValue::Empty)
    }

    /// Empty or marked not applicable: there is no value to show or compare.
    pub fn is_blank(&self) -> bool {
        matches!(
            self.value,
            CellValue::Empty | CellValue::NotApplicable { .. }
        )
    }

    /// Holds a quantity, a range or a series.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self.value,
            CellValue::Quantity(_) | CellValue::Range(_) | CellValue::Series(_)
        )
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl SeriesValue {
    /// The unit of the item's value.
    pub fn unit(&self) -> Option<&str> {
        match self {
            SeriesValue::Quantity(q) => q.unit.as_deref(),
            SeriesValue::Range(r) => r.unit.as_deref(),
        }
    }
}

impl Number {
    /// Reads a whole string as one number (`30,000`, `１２.５`, `-3`), with the same rules as
    /// numbers inside cells. Used for the `value:` of structured cells written as text.
    pub fn parse(s: &str) -> Result<Number, CellError> {
        let trimmed = s.trim();
        let base = s.chars().take_while(|c| c.is_whitespace()).count();
        let text = Text::new(trimmed, base);
        let not_a_number = || text.error(CellErrorKind::NotANumber, 0);
        let start = match text.norm.first() {
            Some(c) if c.is_ascii_digit() || is_separator(*c) => 0,
            Some(c) if is_sign(*c) && text.norm.get(1).is_some_and(|d| d.is_ascii_digit()) => 0,
            _ => return Err(not_a_number()),
        };
        let token = text.scan_number(start);
        if token.end != text.len() {
            return Err(text.error(CellErrorKind::NotANumber, token.end));
        }
        text.number(&token)
    }

    /// A number from a YAML number: shown the shortest way that reads back to the same value.
    pub fn from_f64(value: f64) -> Result<Number, CellError> {
        if !value.is_finite() {
            return Err(CellError {
                kind: CellErrorKind::NotFinite,
                offset: 0,
                cell: value.to_string(),
            });
        }
        let text = value.to_string();
        let decimals = text
            .split_once('.')
            .map_or(0, |(_, f)| u8::try_from(f.len()).unwrap_or(u8::MAX));
        Ok(Number {
            value,
            text,
            decimals,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The scanner.

/// The cell being read, as characters. `norm` is `orig` with look-alike characters folded
/// one-for-one, so an index means the same character in both and offsets stay exact.
struct Text {
    orig: Vec<char>,
    norm: Vec<char>,
    /// Characters trimmed from the front, added to offsets in errors.
    base: usize,
    raw: String,
}

/// A number token: `start..end` in the text, and its first problem, if any.
struct Token {
    start: usize,
    end: usize,
    problem: Option<(CellErrorKind, usize)>,
}

/// A quantity or a range, before labels are attached.
enum Amount {
    Quantity {
        number: Number,
        unit: Option<String>,
        qualifier: Option<Qualifier>,
    },
    Range {
        low: Number,
        high: Number,
        unit: Option<String>,
    },
}

/// What follows a value.
enum Follow {
    /// The end of the cell.
    End,
    /// Whitespace, then more text starting at this index.
    Space(usize),
    /// A note opening with `(` or `※` right after the value, at this index.
    Note(usize),
}

impl Text {
    fn new(trimmed: &str, base: usize) -> Text {
        let orig: Vec<char> = trimmed.chars().collect();
        let norm = orig.iter().map(|&c| fold(c)).collect();
        Text {
            orig,
            norm,
            base,
            raw: trimmed.to_string(),
        }
    }

    fn len(&self) -> usize {
        self.norm.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.norm.get(i).copied()
    }

    fn slice(&self, from: usize, to: usize) -> String {
        self.orig[from..to].iter().collect()
    }

    fn error(&self, kind: CellErrorKind, at: usize) -> CellError {
        CellError {
            kind,
            offset: self.base + at,
            cell: self.raw.clone(),
        }
    }

    fn skip_space(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(char::is_whitespace) {
            i += 1;
        }
        i
    }

    fn not_applicable(&self) -> Option<Cell> {
        let first = *self.orig.first()?;
        if !is_na_marker(first) || self.at(1).is_some_and(|c| !c.is_whitespace()) {
            return None;
        }
        let note = self.note_from(1);
        Some(Cell {
            raw: self.raw.clone(),
            value: CellValue::NotApplicable {
                marker: first.to_string(),
            },
            provisional: note.as_deref().is_some_and(says_provisional),
            note,
        })
    }

    /// The value and note of the cell, `None` if the cell is qualitative.
    fn value(&self) -> Result<Option<(CellValue, Option<String>)>, CellError> {
        let Some((label, start)) = self.find_value_start(0, true) else {
            return Ok(None);
        };
        let Some((amount, follow)) = self.scan_amount(start)? else {
            return Ok(None);
        };
        let note_at = match follow {
            Follow::End => None,
            Follow::Note(at) => Some(at),
            Follow::Space(next) => {
                if let (Some(first_label), false) = (&label, self.opens_note(next)) {
                    let (more, rest) = self.series_items(next)?;
                    if !more.is_empty() {
                        if rest.is_some_and(|at| self.continues_sentence(at)) {
                            return Ok(None);
                        }
                        let mut items = vec![SeriesItem {
                            label: first_label.clone(),
                            value: amount.into_series_value(),
                        }];
                        items.extend(more);
                        let note = rest.and_then(|at| self.note_from(at));
                        return Ok(Some((CellValue::Series(items), note)));
                    }
                }
                if self.continues_sentence(next) {
                    return Ok(None);
                }
                Some(next)
            }
        };
        let note = note_at.and_then(|at| self.note_from(at));
        Ok(Some((amount.into_value(label), note)))
    }

    /// Finds the first number at or after `from`, returning the label before it and where
    /// the number (with its sign) starts. `None` when there is no number or the number cannot
    /// be a value: glued to a Latin letter, or — for series items — a label that is not a
    /// plain name.
    fn find_value_start(&self, from: usize, first: bool) -> Option<(Option<String>, usize)> {
        let digit = (from..self.len()).find(|&i| self.norm[i].is_ascii_digit())?;
        // A separator right before the digits belongs to the (malformed) number: `,5%`. A sign
        // does too, unless it joins two words (`AI-5`).
        let mut start = digit;
        if start > from {
            let before = self.norm[start - 1];
            let sign_here = is_sign(before)
                && (start - 1 == from || !self.norm[start - 2].is_ascii_alphanumeric());
            if is_separator(before) || sign_here {
                start -= 1;
            }
        }
        if start > from && self.norm[start - 1].is_ascii_alphabetic() {
            return None;
        }
        let label = self.slice(from, start).trim().to_string();
        if !first
            && (label.is_empty()
                || label
                    .chars()
                    .map(fold)
                    .any(|c| matches!(c, '(' | ')' | '※' | '~' | ',' | '.')))
        {
            return None;
        }
        Some(((!label.is_empty()).then_some(label), start))
    }

    /// Reads `number [unit] [qualifier]` or `number [unit] ~ number [unit]` at `start`.
    /// `None` when what follows shows the number is part of a sentence; an error when the
    /// value is shaped like a value but broken.
    fn scan_amount(&self, start: usize) -> Result<Option<(Amount, Follow)>, CellError> {
        // A label ending in a tilde is a range whose lower bound is missing: `~5%`.
        let before = self.norm[..start]
            .iter()
            .rposition(|c| !c.is_whitespace())
            .filter(|&i| self.norm[i] == '~');
        let low = self.scan_number(start);
        let (low_unit, qualifier, after_low) = self.scan_unit(low.end);

        let tilde = self.skip_space(after_low);
        if self.at(tilde) == Some('~') {
            let high_start = self.skip_space(tilde + 1);
            if high_start == self.len() {
                return Err(self.error(CellErrorKind::RangeMissingUpper, tilde));
            }
            if !self.starts_number(high_start) {
                return Ok(None);
            }
            let high = self.scan_number(high_start);
            let (high_unit, high_qualifier, after_high) = self.scan_unit(high.end);
            let Some(follow) = self.follow(after_high) else {
                return Ok(None);
            };
            if let Some(at) = before {
                return Err(self.error(CellErrorKind::RangeMissingLower, at));
            }
            let low_number = self.number(&low)?;
            let high_number = self.number(&high)?;
            if qualifier.is_some() || high_qualifier.is_some() {
                let at = if qualifier.is_some() {
                    low.end + low_unit.as_ref().map_or(0, |u| u.chars().count())
                } else {
                    high.end + high_unit.as_ref().map_or(0, |u| u.chars().count())
                };
                return Err(self.error(CellErrorKind::QualifierInRange, at));
            }
            let unit = match (low_unit, high_unit) {
                (Some(a), Some(b)) if fold_str(&a) != fold_str(&b) => {
                    return Err(self.error(CellErrorKind::RangeUnitMismatch, high.end));
                }
                (_, Some(u)) | (Some(u), None) => Some(u),
                (None, None) => None,
            };
            let amount = Amount::Range {
                low: low_number,
                high: high_number,
                unit,
            };
            return Ok(Some((amount, follow)));
        }

        let Some(follow) = self.follow(after_low) else {
            return Ok(None);
        };
        if let Some(at) = before {
            return Err(self.error(CellErrorKind::RangeMissingLower, at));
        }
        let amount = Amount::Quantity {
            number: self.number(&low)?,
            unit: low_unit,
            qualifier,
        };
        Ok(Some((amount, follow)))
    }

    /// What follows a value at `i`, or `None` if the value runs on into other text.
    fn follow(&self, i: usize) -> Option<Follow> {
        match self.at(i) {
            None => Some(Follow::End),
            Some(c) if c.is_whitespace() => {
                let next = self.skip_space(i);
                Some(if next == self.len() {
                    Follow::End
                } else {
                    Follow::Space(next)
                })
            }
            Some('(' | '※') => Some(Follow::Note(i)),
            Some(_) => None,
        }
    }

    fn opens_note(&self, i: usize) -> bool {
        matches!(self.at(i), Some('(' | '※'))
    }

    /// Text after whitespace that starts with hiragana continues a sentence that the
    /// extraction broke at a particle (`500万円以上 の測量等以外の業務委託`).
    fn continues_sentence(&self, i: usize) -> bool {
        self.at(i).is_some_and(is_hiragana)
    }

    /// Reads the labelled items following the first one, from `next`. Returns them and
    /// where the text after them (a note) starts, if anything follows.
    fn series_items(&self, mut next: usize) -> Result<(Vec<SeriesItem>, Option<usize>), CellError> {
        let mut items = Vec::new();
        loop {
            if self.opens_note(next) {
                return Ok((items, Some(next)));
            }
            let Some((Some(label), start)) = self.find_value_start(next, false) else {
                return Ok((items, Some(next)));
            };
            let Some((amount, follow)) = self.scan_amount(start)? else {
                return Ok((items, Some(next)));
            };
            items.push(SeriesItem {
                label,
                value: amount.into_series_value(),
            });
            match follow {
                Follow::End => return Ok((items, None)),
                Follow::Note(at) => return Ok((items, Some(at))),
                Follow::Space(after) => next = after,
            }
        }
    }

    fn starts_number(&self, i: usize) -> bool {
        match self.at(i) {
            Some(c) if c.is_ascii_digit() => true,
            Some(c) if is_sign(c) => self.at(i + 1).is_some_and(|d| d.is_ascii_digit()),
            _ => false,
        }
    }

    /// Reads a maximal run of digits, `,` and `.` (after an optional sign) at `start`, and
    /// records its first problem. Separators at the very end of the run, followed by
    /// whitespace or the end of the cell, are punctuation (`1, 2`), not part of it.
    fn scan_number(&self, start: usize) -> Token {
        let mut i = start;
        if self.at(i).is_some_and(is_sign) {
            i += 1;
        }
        let digits_start = i;
        while self
            .at(i)
            .is_some_and(|c| c.is_ascii_digit() || is_separator(c))
        {
            i += 1;
        }
        let mut end = i;
        if self.at(end).is_none_or(char::is_whitespace) {
            while end > digits_start && is_separator(self.norm[end - 1]) {
                end -= 1;
            }
        }
        Token {
            start,
            end,
            problem: self.number_problem(digits_start, end),
        }
    }

    fn number_problem(&self, from: usize, to: usize) -> Option<(CellErrorKind, usize)> {
        let chars = &self.norm[from..to];
        let mut dot = None;
        for (k, &c) in chars.iter().enumerate() {
            if !is_separator(c) {
                continue;
            }
            let at = from + k;
            if k == 0 {
                return Some((CellErrorKind::DanglingSeparator, at));
            }
            if is_separator(chars[k - 1]) {
                return Some((CellErrorKind::RepeatedSeparator, at));
            }
            if c == '.' {
                if dot.is_some() {
                    return Some((CellErrorKind::MultipleDecimalPoints, at));
                }
                dot = Some(k);
            } else if dot.is_some() {
                return Some((CellErrorKind::MisplacedThousandsSeparator, at));
            }
        }
        if chars.last().is_some_and(|&c| is_separator(c)) {
            return Some((CellErrorKind::DanglingSeparator, to - 1));
        }
        // Thousands separators: 1–3 digits, then groups of exactly three.
        let integer = &chars[..dot.unwrap_or(chars.len())];
        let mut group_start = 0;
        for (k, &c) in integer.iter().enumerate() {
            if c == ',' {
                let len = k - group_start;
                if (group_start == 0 && len > 3) || (group_start > 0 && len != 3) {
                    return Some((CellErrorKind::MisplacedThousandsSeparator, from + k));
                }
                group_start = k + 1;
            }
        }
        if group_start > 0 && integer.len() - group_start != 3 {
            return Some((
                CellErrorKind::MisplacedThousandsSeparator,
                from + group_start - 1,
            ));
        }
        None
    }

    fn number(&self, token: &Token) -> Result<Number, CellError> {
        if let Some((kind, at)) = token.problem {
            return Err(self.error(kind, at));
        }
        let mut plain = String::new();
        let mut decimals: usize = 0;
        let mut in_fraction = false;
        for &c in &self.norm[token.start..token.end] {
            match c {
                ',' => {}
                '.' => {
                    in_fraction = true;
                    plain.push('.');
                }
                '▲' | '△' | '-' => plain.push('-'),
                '+' => {}
                d => {
                    if in_fraction {
                        decimals += 1;
                    }
                    plain.push(d);
                }
            }
        }
        let value: f64 = plain
            .parse()
            .map_err(|_| self.error(CellErrorKind::NumberTooLarge, token.start))?;
        if !value.is_finite() {
            return Err(self.error(CellErrorKind::NumberTooLarge, token.start));
        }
        Ok(Number {
            value,
            text: self.slice(token.start, token.end),
            decimals: u8::try_from(decimals).unwrap_or(u8::MAX),
        })
    }

    /// Reads the unit after a number and splits off a trailing qualifier. Returns the unit,
    /// the qualifier and where the value ends.
    fn scan_unit(&self, start: usize) -> (Option<String>, Option<Qualifier>, usize) {
        let mut i = start;
        loop {
            match self.at(i) {
                Some(c) if is_unit_char(c) => i += 1,
                Some('か') if self.at(i + 1) == Some('月') => i += 2,
                Some('/') => {
                    let mut j = i + 1;
                    while self.at(j).is_some_and(|c| c.is_ascii_digit()) {
                        j += 1;
                    }
                    match self.at(j) {
                        Some(c) if is_unit_char(c) => i = j,
                        Some('か') if self.at(j + 1) == Some('月') => i = j,
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        let run = &self.norm[start..i];
        for k in 0..run.len() {
            for (q, word) in QUALIFIER_WORDS {
                if run[k..].starts_with(word) {
                    let unit = (k > 0).then(|| self.slice(start, start + k));
                    return (unit, Some(q), start + k + word.len());
                }
            }
        }
        ((i > start).then(|| self.slice(start, i)), None, i)
    }

    /// The note starting at `i`: trimmed, without a leading `※`, without parentheses that
    /// enclose all of it. `None` if nothing is left.
    fn note_from(&self, i: usize) -> Option<String> {
        let mut from = self.skip_space(i.min(self.len()));
        if self.at(from) == Some('※') {
            from = self.skip_space(from + 1);
        }
        let mut to = self.len();
        if self.at(from) == Some('(') && self.closing_paren(from) == Some(to - 1) {
            from += 1;
            to -= 1;
        }
        let note = self.slice(from, to).trim().to_string();
        (!note.is_empty()).then_some(note)
    }

    fn closing_paren(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (k, &c) in self.norm.iter().enumerate().skip(open) {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(k);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

impl Amount {
    fn into_series_value(self) -> SeriesValue {
        match self {
            Amount::Quantity {
                number,
                unit,
                qualifier,
            } => SeriesValue::Quantity(Quantity {
                label: None,
                number,
                unit,
                qualifier,
            }),
            Amount::Range { low, high, unit } => SeriesValue::Range(Range {
                label: None,
                low,
                high,
                unit,
            }),
        }
    }

    fn into_value(self, label: Option<String>) -> CellValue {
        match self.into_series_value() {
            SeriesValue::Quantity(q) => CellValue::Quantity(Quantity { label, ..q }),
            SeriesValue::Range(r) => CellValue::Range(Range { label, ..r }),
        }
    }
}

/// Folds look-alike characters typed with a Japanese input method to one form, one character
/// for one, so that indices into the folded text are indices into the original.
fn fold(c: char) -> char {
    match c {
        '０'..='９'
        | 'Ａ'..='Ｚ'
        | 'ａ'..='ｚ'
        | '％'
        | '，'
        | '．'
        | '（'
        | '）'
        | '／'
        | '＋' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '～' | '〜' | '∼' | '⁓' => '~',
        '－' | '−' => '-',
        '＊' => '※',
        _ => c,
    }
}

/// The qualifier words as characters, for matching inside a unit.
const QUALIFIER_WORDS: [(Qualifier, &[char]); 4] = [
    (Qualifier::AtLeast, &['以', '上']),
    (Qualifier::AtMost, &['以', '下']),
    (Qualifier::LessThan, &['未', '満']),
    (Qualifier::MoreThan, &['超']),
];

fn fold_str(s: &str) -> String {
    s.chars().map(fold).collect()
}

fn is_separator(c: char) -> bool {
    c == ',' || c == '.'
}

fn is_sign(c: char) -> bool {
    matches!(c, '-' | '+' | '▲' | '△')
}

fn is_na_marker(c: char) -> bool {
    matches!(
        c,
        '-' | '_' | '－' | '―' | 'ー' | '—' | '–' | '−' | '‐' | '‑' | '＿'
    )
}

fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

/// Characters a unit is made of: letters of any script except hiragana (which marks running
/// text), plus the symbols used as units.
fn is_unit_char(c: char) -> bool {
    (c.is_alphabetic() && !is_hiragana(c))
        || matches!(
            c,
            '%' | '‰'
                | '℃'
                | '°'
                | '²'
                | '³'
                | '㎡'
                | '㎥'
                | '㎞'
                | '㎝'
                | '㎜'
                | '㎏'
                | '㎎'
                | '㍑'
        )
}

/// 見込 used as a noun (見込み, 見込, 見込値), not the verb 見込まれる / 見込める.
fn says_provisional(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .enumerate()
        .any(|(k, w)| w == ['見', '込'] && !matches!(chars.get(k + 2), Some('ま' | 'め' | 'ん')))
}

// ---------------------------------------------------------------------------------------------
// Content-file form.

/// A cell as written in a content file: a string (read with [`parse_cell`]), a YAML number
/// (`30000`), nothing (`R7:` with no value, a blank cell), or a structured mapping for cells
/// the text grammar cannot express or reads wrongly.
#[derive(Clone, Debug, PartialEq)]
pub enum CellInput {
    Text(String),
    Number(f64),
    Blank,
    Structured(StructuredCell),
}

/// The structured form of a cell:
///
/// ```yaml
/// R6:
///   value: 3            # number (or numeric text such as "30,000"); required unless text
///   unit: 人
///   qualifier: 以上      # 以上 | 以下 | 未満 | 超
///   note: 現在取得申請中
///   provisional: true   # 見込み; when omitted, read from the note
/// R7:
///   text: 推進体制の構築   # qualitative text
/// ```
///
/// With both `value` and `text`, the cell is the number and `text` is how it is shown
/// (`{text: 50%は達成, value: 50, unit: "%"}`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructuredCell {
    #[serde(default, deserialize_with = "deserialize_number")]
    pub value: Option<Number>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub provisional: Option<bool>,
    #[serde(default)]
    pub text: Option<String>,
}

impl CellInput {
    /// Reads the cell.
    pub fn into_cell(self) -> Result<Cell, CellError> {
        match self {
            CellInput::Text(s) => parse_cell(&s),
            CellInput::Blank => Ok(Cell::empty()),
            CellInput::Number(v) => {
                let number = Number::from_f64(v)?;
                Ok(Cell {
                    raw: number.text.clone(),
                    value: CellValue::Quantity(Quantity {
                        label: None,
                        number,
                        unit: None,
                        qualifier: None,
                    }),
                    note: None,
                    provisional: false,
                })
            }
            CellInput::Structured(s) => s.into_cell(),
        }
    }
}

impl StructuredCell {
    /// Builds the cell. Without `text`, the display text is rebuilt from the parts as they
    /// were given (`value: 3, unit: 人, note: 申請中, provisional: true` → `3人（申請中、見込み）`).
    pub fn into_cell(self) -> Result<Cell, CellError> {
        let note = self
            .note
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        let provisional = self
            .provisional
            .unwrap_or_else(|| note.as_deref().is_some_and(says_provisional));
        let text = self
            .text
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        let unit = self
            .unit
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        let Some(number) = self.value else {
            let shown = text.clone().unwrap_or_default();
            if unit.is_some() || self.qualifier.is_some() {
                return Err(CellError {
                    kind: CellErrorKind::UnitWithoutValue,
                    offset: 0,
                    cell: shown,
                });
            }
            let Some(text) = text else {
                return Err(CellError {
                    kind: CellErrorKind::MissingValue,
                    offset: 0,
                    cell: shown,
                });
            };
            return Ok(Cell {
                raw: text.clone(),
                value: CellValue::Qualitative(text),
                note,
                provisional,
            });
        };
        let raw = text.unwrap_or_else(|| {
            let mut raw = number.text.clone();
            raw.push_str(unit.as_deref().unwrap_or(""));
            raw.push_str(self.qualifier.map_or("", Qualifier::as_str));
            let mut extras: Vec<&str> = note.iter().map(String::as_str).collect();
            if provisional && !note.as_deref().is_some_and(says_provisional) {
                extras.push("見込み");
            }
            if !extras.is_empty() {
                raw.push('（');
                raw.push_str(&extras.join("、"));
                raw.push('）');
            }
            raw
        });
        Ok(Cell {
            raw,
            value: CellValue::Quantity(Quantity {
                label: None,
                number,
                unit,
                qualifier: self.qualifier,
            }),
            note,
            provisional,
        })
    }
}

fn deserialize_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Number>, D::Error> {
    struct NumberVisitor;
    impl Visitor<'_> for NumberVisitor {
        type Value = Option<Number>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number such as 30000 or \"30,000\"")
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Number::from_f64(v).map(Some).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Number {
                value: v as f64,
                text: v.to_string(),
                decimals: 0,
            }))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Number {
                value: v as f64,
                text: v.to_string(),
                decimals: 0,
            }))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Number::parse(v).map(Some).map_err(E::custom)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(NumberVisitor)
}

impl<'de> Deserialize<'de> for CellInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CellInputVisitor)
    }
}

/// Accepts every shape a cell can take in YAML and keeps serde's precise error (with the
/// offending key) for the structured form, which an untagged enum would lose.
struct CellInputVisitor;

impl<'de> Visitor<'de> for CellInputVisitor {
    type Value = CellInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a KPI cell: text such as 30,000千円, a number, or a mapping with value, unit, qualifier, note, provisional or text",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<CellInput, E> {
        Ok(CellInput::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<CellInput, E> {
        Ok(CellInput::Text(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<CellInput, E> {
        Ok(CellInput::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<CellInput, E> {
        Ok(CellInput::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<CellInput, E> {
        Ok(CellInput::Number(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<CellInput, E> {
        Ok(CellInput::Blank)
    }

    fn visit_none<E: de::Error>(self) -> Result<CellInput, E> {
        Ok(CellInput::Blank)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<CellInput, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CellInput, A::Error> {
        StructuredCell::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(CellInput::Structured)
    }
}

impl<'de> Deserialize<'de> for Cell {
    /// Reads any [`CellInput`] and interprets it, so content structs can hold `Cell`s
    /// directly; a malformed cell becomes a deserialization error with serde's location.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        CellInput::deserialize(deserializer)?
            .into_cell()
            .map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every non-blank target and actual cell of the 30 measure sheets in seed 001:
    /// `measure_id, kpi_no, fiscal_year, target|actual, cell`.
    const SEED_CELLS: &str = include_str!("../../tests/fixtures/seed_kpi_cells.tsv");

    fn quantity(q: &Quantity) -> String {
        format!(
            "Q[{}|{}|{}|{}]",
            q.label.as_deref().unwrap_or(""),
            q.number.text,
            q.unit.as_deref().unwrap_or(""),
            q.qualifier.map_or("", Qualifier::as_str)
        )
    }

    fn range(r: &Range) -> String {
        format!(
            "R[{}|{}~{}|{}]",
            r.label.as_deref().unwrap_or(""),
            r.low.text,
            r.high.text,
            r.unit.as_deref().unwrap_or("")
        )
    }

    /// A compact, readable description of how a cell was read.
    fn describe(cell: &Cell) -> String {
        let value = match &cell.value {
            CellValue::Empty => "EMPTY".to_string(),
            CellValue::NotApplicable { marker } => format!("NA({marker})"),
            CellValue::Quantity(q) => quantity(q),
            CellValue::Range(r) => range(r),
            CellValue::Series(items) => items
                .iter()
                .map(|item| {
                    let v = match &item.value {
                        SeriesValue::Quantity(q) => quantity(q),
                        SeriesValue::Range(r) => range(r),
                    };
                    format!("{}:{v}", item.label)
                })
                .collect::<Vec<_>>()
                .join(" "),
            CellValue::Qualitative(_) => "TEXT".to_string(),
        };
        let note = cell
            .note
            .as_ref()
            .map(|n| format!(" note={n}"))
            .unwrap_or_default();
        let provisional = if cell.provisional { " PROV" } else { "" };
        format!("{value}{note}{provisional}")
    }

    fn read(text: &str) -> String {
        match parse_cell(text) {
            Ok(cell) => describe(&cell),
            Err(e) => format!("ERROR {e}"),
        }
    }

    fn seed_rows() -> Vec<[&'static str; 5]> {
        SEED_CELLS
            .lines()
            .map(|line| {
                let cols: Vec<&str> = line.split('\t').collect();
                assert_eq!(cols.len(), 5, "fixture line {line:?}");
                [cols[0], cols[1], cols[2], cols[3], cols[4]]
            })
            .collect()
    }

    #[test]
    fn fixture_is_well_formed() {
        let rows = seed_rows();
        assert_eq!(rows.len(), 430);
        let targets = rows.iter().filter(|r| r[3] == "target").count();
        let actuals = rows.iter().filter(|r| r[3] == "actual").count();
        assert_eq!((targets, actuals), (245, 185));
        let mut measures: Vec<&str> = rows.iter().map(|r| r[0]).collect();
        measures.dedup();
        assert_eq!(measures.len(), 30);
        for [id, kpi, year, kind, cell] in rows {
            assert!(id.len() == 5 && id.as_bytes()[2] == b'-', "{id}");
            assert!(matches!(kpi, "1" | "2" | "3"), "{kpi}");
            assert!(
                crate::fiscal::parse(year).is_ok_and(|y| (2022..=2025).contains(&y.western())),
                "{year}"
            );
            assert!(matches!(kind, "target" | "actual"), "{kind}");
            assert!(!cell.is_empty() && cell.trim() == cell, "{cell:?}");
        }
    }

    #[test]
    fn every_seed_cell_is_accepted() {
        let mut counts = std::collections::BTreeMap::new();
        for [id, kpi, year, kind, text] in seed_rows() {
            let cell =
                parse_cell(text).unwrap_or_else(|e| panic!("{id} KPI{kpi} {year} {kind}: {e}"));
            assert_eq!(cell.display(), text);
            let kind = match cell.value {
                CellValue::Empty => "empty",
                CellValue::NotApplicable { .. } => "not_applicable",
                CellValue::Quantity(_) => "quantity",
                CellValue::Range(_) => "range",
                CellValue::Series(_) => "series",
                CellValue::Qualitative(_) => "qualitative",
            };
            *counts.entry(kind).or_insert(0) += 1;
        }
        let counts: Vec<(&str, i32)> = counts.into_iter().collect();
        assert_eq!(
            counts,
            [
                ("not_applicable", 17),
                ("qualitative", 115),
                ("quantity", 269),
                ("range", 7),
                ("series", 22),
            ]
        );
    }

    #[test]
    fn representative_seed_cells() {
        let cases: &[(&str, &str)] = &[
            // Numbers with units and thousands separators.
            ("30,000千円", "Q[|30,000|千円|]"),
            ("1,250件", "Q[|1,250|件|]"),
            ("12.5%", "Q[|12.5|%|]"),
            ("975.4時間", "Q[|975.4|時間|]"),
            ("1,154.3時間", "Q[|1,154.3|時間|]"),
            ("330頭", "Q[|330|頭|]"),
            ("1施設", "Q[|1|施設|]"),
            ("300ダウンロード", "Q[|300|ダウンロード|]"),
            ("150手続", "Q[|150|手続|]"),
            ("0%", "Q[|0|%|]"),
            ("44.60%", "Q[|44.60|%|]"),
            // Percent above 100.
            ("102%", "Q[|102|%|]"),
            // Qualifiers.
            ("80%以上", "Q[|80|%|以上]"),
            ("1,000時間以上", "Q[|1,000|時間|以上]"),
            // Labels.
            ("協定締結数0件", "Q[協定締結数|0|件|]"),
            ("各課月10件以上", "Q[各課月|10|件|以上]"),
            ("市内公民館で計40回", "Q[市内公民館で計|40|回|]"),
            ("オンラインで受付けた 手続き件数1,750", "Q[オンラインで受付けた 手続き件数|1,750||]"),
            ("公民館等における 地域別研修 5箇所以上", "Q[公民館等における 地域別研修|5|箇所|以上]"),
            ("全8回出席", "Q[全|8|回出席|]"),
            // Ranges.
            ("反収 7~7.5俵", "R[反収|7~7.5|俵]"),
            // Series.
            ("小 8.9% 中 12.8%", "小:Q[|8.9|%|] 中:Q[|12.8|%|]"),
            ("小 5%未満 中 10%未満", "小:Q[|5|%|未満] 中:Q[|10|%|未満]"),
            ("小 11.1% 中 0%", "小:Q[|11.1|%|] 中:Q[|0|%|]"),
            ("小 23.5冊 中 2.5冊", "小:Q[|23.5|冊|] 中:Q[|2.5|冊|]"),
            ("転入 10分 その他手続き 5分", "転入:Q[|10|分|] その他手続き:Q[|5|分|]"),
            (
                "福祉相談課 月平均4.5件 子育て支援課 月平均25.8件",
                "福祉相談課 月平均:Q[|4.5|件|] 子育て支援課 月平均:Q[|25.8|件|]",
            ),
            // Notes after whitespace, ※ and in parentheses.
            (
                "75% 第2次木更津市商工業振興計画に 合わせて設定",
                "Q[|75|%|] note=第2次木更津市商工業振興計画に 合わせて設定",
            ),
            ("800件 前年度実績に合わせて設定", "Q[|800|件|] note=前年度実績に合わせて設定"),
            (
                "1,607件 ※児童手当の制度改正による 申請数増加の影響大",
                "Q[|1,607|件|] note=児童手当の制度改正による 申請数増加の影響大",
            ),
            ("100%(アンケート回答による)", "Q[|100|%|] note=アンケート回答による"),
            ("48.5%(年平均)", "Q[|48.5|%|] note=年平均"),
            ("105分 (前年度に対し15分減)", "Q[|105|分|] note=前年度に対し15分減"),
            ("新規導入 2業務 (合計13業務)", "Q[新規導入|2|業務|] note=合計13業務"),
            ("20件(379件)", "Q[|20|件|] note=379件"),
            // 見込まれる is a verb: not provisional.
            (
                "1,100人 本市出生数が800~850人であり、妊婦・乳児家庭 の多くが既に登録していることが見込まれるため",
                "Q[|1,100|人|] note=本市出生数が800~850人であり、妊婦・乳児家庭 の多くが既に登録していることが見込まれるため",
            ),
            // Provisional.
            (
                "3人(現在取得申請中であり見込みとなります)",
                "Q[|3|人|] note=現在取得申請中であり見込みとなります PROV",
            ),
            // Not applicable.
            ("_", "NA(_)"),
            ("-", "NA(-)"),
            (
                "- アンケートフォーム設置が 令和6年度からのため",
                "NA(-) note=アンケートフォーム設置が 令和6年度からのため",
            ),
            // Qualitative.
            ("整備完了", "TEXT"),
            ("推進体制の構築", "TEXT"),
            ("運用", "TEXT"),
            ("HPの再構築を行い、業者 の選定とHP構築における 詳細協議を実施した。", "TEXT"),
            ("50%は達成", "TEXT"),
            ("700回/1/1", "TEXT"),
            ("1,130回/0.154/0", "TEXT"),
            ("R7年度当初予算にて予算 化", "TEXT"),
            ("設計金額が500万円以上 の測量等以外の業務委託", "TEXT"),
            (
                "設計金額が100万円を超える測量等以外の業務委託(R7.6.1付で少額随契可能額が50万→100万に改正予定のため、目標修正)",
                "TEXT",
            ),
        ];
        let seed: std::collections::HashSet<&str> = seed_rows().iter().map(|r| r[4]).collect();
        for &(text, expected) in cases {
            assert_eq!(read(text), expected, "{text:?}");
            // These are real cells (one is shortened to the part that matters).
            if !text.ends_with("見込まれるため") {
                assert!(seed.contains(text), "not a seed cell: {text:?}");
            }
        }
    }

    #[test]
    fn other_forms() {
        let cases: &[(&str, &str)] = &[
            ("", "EMPTY"),
            ("  \u{3000}\t", "EMPTY"),
            ("３０，０００千円", "Q[|３０，０００|千円|]"),
            ("８０％以上", "Q[|８０|％|以上]"),
            ("７〜７.５俵", "R[|７~７.５|俵]"),
            ("7～7.5俵", "R[|7~7.5|俵]"),
            ("7～7.5俵", "R[|7~7.5|俵]"),
            ("7 ~ 7.5俵", "R[|7~7.5|俵]"),
            ("7俵~7.5俵", "R[|7~7.5|俵]"),
            ("7俵~7.5", "R[|7~7.5|俵]"),
            ("800~850人", "R[|800~850|人]"),
            ("10件以下", "Q[|10|件|以下]"),
            ("5%未満", "Q[|5|%|未満]"),
            ("3件超", "Q[|3|件|超]"),
            ("2.5人/月", "Q[|2.5|人/月|]"),
            ("12%/年", "Q[|12|%/年|]"),
            ("4.2%/3か月", "Q[|4.2|%/3か月|]"),
            ("3か月", "Q[|3|か月|]"),
            ("-5%", "Q[|-5|%|]"),
            ("前年比-5%", "Q[前年比|-5|%|]"),
            ("▲1,000千円", "Q[|▲1,000|千円|]"),
            ("+3件", "Q[|+3|件|]"),
            ("100Mbps", "Q[|100|Mbps|]"),
            ("30000", "Q[|30000||]"),
            ("3人（見込み）", "Q[|3|人|] note=見込み PROV"),
            ("3人(見込)", "Q[|3|人|] note=見込 PROV"),
            ("3人 見込値", "Q[|3|人|] note=見込値 PROV"),
            ("1,607件　※申請増", "Q[|1,607|件|] note=申請増"),
            ("3回(5地区)開催", "Q[|3|回|] note=(5地区)開催"),
            ("3人(見込み", "Q[|3|人|] note=(見込み PROV"),
            ("5件 ※", "Q[|5|件|]"),
            (
                "小 5% 中 10% (令和6年度調査)",
                "小:Q[|5|%|] 中:Q[|10|%|] note=令和6年度調査",
            ),
            ("小 5~6% 中 7~8%", "小:R[|5~6|%] 中:R[|7~8|%]"),
            (
                "反収 7俵 前年度から増加",
                "Q[反収|7|俵|] note=前年度から増加",
            ),
            ("－", "NA(－)"),
            ("―", "NA(―)"),
            ("ー", "NA(ー)"),
            ("—", "NA(—)"),
            ("＿", "NA(＿)"),
            ("- 見込み", "NA(-) note=見込み PROV"),
            ("令和7年度完了見込み", "TEXT PROV"),
            ("運用開始が見込まれる", "TEXT"),
            ("全8回", "Q[全|8|回|]"),
            ("1日8,000歩", "TEXT"),
            ("4月~運用開始", "TEXT"),
            ("R7.6.1付で運用開始", "TEXT"),
            ("5件以上達成", "TEXT"),
            ("1, 2を実施", "TEXT"),
            ("12.5.", "TEXT"),
            ("ＩＣＴ推進", "TEXT"),
        ];
        for &(text, expected) in cases {
            assert_eq!(read(text), expected, "{text:?}");
        }
    }

    #[test]
    fn numbers_keep_their_text_value_and_precision() {
        let cell = parse_cell("３０，０００.５０千円").unwrap();
        let n = cell.primary_number().unwrap();
        assert_eq!(
            (n.value, n.text.as_str(), n.decimals),
            (30000.5, "３０，０００.５０", 2)
        );
        let n = parse_cell("44.60%")
            .unwrap()
            .primary_number()
            .cloned()
            .unwrap();
        assert_eq!((n.value, n.decimals), (44.6, 2));
        let n = parse_cell("▲1,000千円")
            .unwrap()
            .primary_number()
            .cloned()
            .unwrap();
        assert_eq!(n.value, -1000.0);
        let cell = parse_cell("反収 7~7.5俵").unwrap();
        let CellValue::Range(r) = &cell.value else {
            panic!()
        };
        assert_eq!((r.low.value, r.high.value, r.high.decimals), (7.0, 7.5, 1));
        assert_eq!(cell.unit(), Some("俵"));
        assert_eq!(cell.primary_number(), None);
        assert_eq!(parse_cell("小 8.9% 中 12.8%").unwrap().unit(), Some("%"));
        assert_eq!(parse_cell("小 8.9% 中 12.8冊").unwrap().unit(), None);
        assert_eq!(
            parse_cell("80%以上").unwrap().qualifier(),
            Some(Qualifier::AtLeast)
        );
        assert_eq!(parse_cell("  30,000千円  ").unwrap().raw, "30,000千円");
        let long = format!("0.{}1%", "0".repeat(300));
        assert_eq!(
            parse_cell(&long)
                .unwrap()
                .primary_number()
                .unwrap()
                .decimals,
            255
        );
    }

    #[test]
    fn helpers() {
        assert!(parse_cell("").unwrap().is_empty());
        assert!(parse_cell("_").unwrap().is_blank());
        assert!(!parse_cell("_").unwrap().is_empty());
        assert!(parse_cell("5件").unwrap().is_numeric());
        assert!(parse_cell("小 1% 中 2%").unwrap().is_numeric());
        assert!(!parse_cell("整備完了").unwrap().is_numeric());
        assert_eq!(parse_cell("30,000千円").unwrap().to_string(), "30,000千円");
        for q in Qualifier::ALL {
            assert_eq!(Qualifier::from_japanese(q.as_str()), Some(q));
            assert_eq!(q.to_string(), q.as_str());
        }
        assert_eq!(Qualifier::MoreThan.symbol(), ">");
        assert_eq!(Number::parse("30,000").unwrap().value, 30000.0);
        assert_eq!(Number::parse("１２.５").unwrap().decimals, 1);
        assert!(Number::parse("約30").is_err());
        assert!(Number::parse("30件").is_err());
        assert!(Number::parse("30,,000").is_err());
        assert!(Number::parse("").is_err());
    }

    #[test]
    fn malformed_values_are_rejected_where_the_problem_is() {
        use CellErrorKind::*;
        let cases: &[(&str, CellErrorKind, usize)] = &[
            ("30,,000千円", RepeatedSeparator, 3),
            ("1.2.3件", MultipleDecimalPoints, 3),
            ("12.5.%", MultipleDecimalPoints, 4),
            ("7~", RangeMissingUpper, 1),
            ("7 ~ ", RangeMissingUpper, 2),
            ("反収 7~", RangeMissingUpper, 4),
            ("~5%", RangeMissingLower, 0),
            ("～５％", RangeMissingLower, 0),
            ("1,0000件", MisplacedThousandsSeparator, 1),
            ("12,34%", MisplacedThousandsSeparator, 2),
            ("1234,567円", MisplacedThousandsSeparator, 4),
            ("1.5,0件", MisplacedThousandsSeparator, 3),
            ("1,000,00人", MisplacedThousandsSeparator, 5),
            (",5%", DanglingSeparator, 0),
            ("5,%", DanglingSeparator, 1),
            ("5.件", DanglingSeparator, 1),
            ("5~10%以上", QualifierInRange, 5),
            ("5以上~10", QualifierInRange, 1),
            ("5件~10%", RangeUnitMismatch, 5),
            ("小 5% 中 1..2%", RepeatedSeparator, 9),
            ("各課月5,,0件 (見込み)", RepeatedSeparator, 5),
        ];
        for &(text, kind, offset) in cases {
            let err = parse_cell(text).expect_err(text);
            assert_eq!((err.kind, err.offset), (kind, offset), "{text:?}: {err}");
            assert_eq!(err.cell, text.trim());
        }
        let big = format!("{}件", "9".repeat(400));
        assert_eq!(parse_cell(&big).unwrap_err().kind, NumberTooLarge);
        // Offsets count characters of the text as given, leading whitespace included.
        let err = parse_cell("\u{3000} 30,,000千円").unwrap_err();
        assert_eq!(err.offset, 5);
    }

    #[test]
    fn error_message_is_japanese_with_english_gist() {
        let err = parse_cell("30,,000千円").unwrap_err();
        assert_eq!(
            err.to_string(),
            "KPIの値として読めません: \"30,,000千円\" の4文字目: 区切り記号（, や .）が続いています（malformed KPI cell at character 4: two separators in a row inside a number）"
        );
    }

    /// A small deterministic generator, so the test needs no extra dependency.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn check_invariants(input: &str) {
        let chars = input.chars().count();
        match parse_cell(input) {
            Ok(cell) => {
                assert_eq!(cell.raw, input.trim());
                if let Some(n) = cell.primary_number() {
                    assert!(n.value.is_finite());
                    assert!(cell.raw.contains(&n.text), "{input:?}");
                }
                if let Some(note) = &cell.note {
                    assert!(!note.is_empty());
                }
            }
            Err(e) => {
                assert!(
                    e.offset <= chars,
                    "{input:?}: offset {} > {chars}",
                    e.offset
                );
                assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn never_panics_on_garbage() {
        const PIECES: &[&str] = &[
            "0",
            "1",
            "7",
            "9",
            "00",
            "１",
            "２",
            ",",
            ".",
            "，",
            "．",
            "~",
            "〜",
            "～",
            "∼",
            "%",
            "％",
            "(",
            ")",
            "（",
            "）",
            "※",
            " ",
            "\u{3000}",
            "\t",
            "\n",
            "-",
            "_",
            "－",
            "ー",
            "▲",
            "+",
            "/",
            "か月",
            "以上",
            "以下",
            "未満",
            "超",
            "件",
            "千円",
            "小",
            "中",
            "反収",
            "の",
            "は",
            "見込み",
            "見込ま",
            "R",
            "FY",
            "a",
            "é",
            "\u{301}",
            "🎌",
            "👨‍👩‍👧",
            "\u{200B}",
            "\u{FEFF}",
            "\u{202E}",
            "\u{0}",
            "\u{7F}",
            "\u{FFFF}",
            "\u{10FFFF}",
            "𠮷",
            "ﾃﾞｼﾞﾀﾙ",
            "Ⅻ",
            "①",
            "½",
            "٣",
            "৩",
            "ｰ",
            "—",
            "\\",
            "\"",
            "'",
            "{",
            "}",
        ];
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..30_000 {
            let len = rng.below(24);
            let s: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            check_invariants(&s);
        }
        // Random code points, including unassigned and private-use ones.
        for _ in 0..5_000 {
            let len = rng.below(40);
            let s: String = (0..len)
                .filter_map(|_| char::from_u32((rng.next() % 0x11_0000) as u32))
                .collect();
            check_invariants(&s);
        }
        // Huge inputs must neither panic nor take long.
        let huge = [
            "9".repeat(200_000),
            "1,".repeat(100_000),
            "1.".repeat(100_000),
            "小 1% ".repeat(30_000),
            "(".repeat(100_000),
            format!("5件({}", "(".repeat(100_000)),
            format!("5件 {}", ")".repeat(100_000)),
            "~".repeat(100_000),
            "1~".repeat(100_000),
            "件".repeat(200_000),
            format!("1{}", "件".repeat(200_000)),
            format!("1{}以上", "件".repeat(200_000)),
            "見込".repeat(100_000),
            " ".repeat(100_000),
            format!("{}-", " ".repeat(100_000)),
            "あ1 ".repeat(50_000),
            "a1".repeat(100_000),
        ];
        let started = std::time::Instant::now();
        for s in &huge {
            check_invariants(s);
        }
        assert!(
            started.elapsed().as_secs() < 20,
            "too slow: {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn yaml_cells_in_every_form() {
        #[derive(Deserialize)]
        struct Kpi {
            target: std::collections::BTreeMap<crate::fiscal::FiscalYear, CellInput>,
        }
        let yaml = r#"
target:
  R4: 30,000千円
  R5: 30000
  R6: 12.5
  R7:
"#;
        let kpi: Kpi = serde_yaml::from_str(yaml).unwrap();
        let cells: Vec<String> = kpi
            .target
            .into_values()
            .map(|c| describe(&c.into_cell().unwrap()))
            .collect();
        assert_eq!(
            cells,
            ["Q[|30,000|千円|]", "Q[|30000||]", "Q[|12.5||]", "EMPTY"]
        );

        let structured = |yaml: &str| -> Result<Cell, String> {
            let input: CellInput = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
            input.into_cell().map_err(|e| e.to_string())
        };
        let cell = structured(
            "{value: 3, unit: 人, qualifier: 以上, note: 現在取得申請中, provisional: true}",
        )
        .unwrap();
        assert_eq!(cell.raw, "3人以上（現在取得申請中、見込み）");
        assert_eq!(describe(&cell), "Q[|3|人|以上] note=現在取得申請中 PROV");
        let cell = structured("{value: 30000, unit: 千円}").unwrap();
        assert_eq!(
            (cell.raw.as_str(), cell.unit()),
            ("30000千円", Some("千円"))
        );
        let cell = structured("{value: '30,000', unit: 千円}").unwrap();
        assert_eq!(cell.raw, "30,000千円");
        assert_eq!(cell.primary_number().unwrap().value, 30000.0);
        let cell = structured("{value: 3, unit: 人, note: 見込み}").unwrap();
        assert_eq!(
            (cell.raw.as_str(), cell.provisional),
            ("3人（見込み）", true)
        );
        let cell = structured("{value: 3, note: 見込み, provisional: false}").unwrap();
        assert!(!cell.provisional);
        let cell = structured("{text: 推進体制の構築}").unwrap();
        assert_eq!(describe(&cell), "TEXT");
        assert_eq!(cell.raw, "推進体制の構築");
        let cell = structured("{text: 50%は達成, value: 50, unit: '%'}").unwrap();
        assert_eq!(
            (cell.raw.as_str(), describe(&cell).as_str()),
            ("50%は達成", "Q[|50|%|]")
        );
        let cell = structured("{text: 'R7.6.1~'}").unwrap();
        assert_eq!(describe(&cell), "TEXT");

        let err = structured("{value: 3, titel: x}").unwrap_err();
        assert!(err.contains("unknown field `titel`"), "{err}");
        let err = structured("{value: 3, qualifier: ほぼ}").unwrap_err();
        assert!(err.contains("以上・以下・未満・超"), "{err}");
        let err = structured("{note: x}").unwrap_err();
        assert!(err.contains("value か text"), "{err}");
        let err = structured("{text: x, unit: 人}").unwrap_err();
        assert!(err.contains("unit と qualifier"), "{err}");
        let err = structured("{value: 約30}").unwrap_err();
        assert!(err.contains("数値ではありません"), "{err}");
        let err = structured("{value: .inf}").unwrap_err();
        assert!(err.contains("有限"), "{err}");
        let err = structured(".nan").unwrap_err();
        assert!(err.contains("有限"), "{err}");
        assert!(structured("true").is_err());
        assert!(structured("[1, 2]").is_err());
        assert!(structured("30,,000千円")
            .unwrap_err()
            .contains("区切り記号"));

        // A `Cell` can be deserialized directly; a bad cell is a deserialization error.
        let cell: Cell = serde_yaml::from_str("小 8.9% 中 12.8%").unwrap();
        assert_eq!(describe(&cell), "小:Q[|8.9|%|] 中:Q[|12.8|%|]");
        assert!(serde_yaml::from_str::<Cell>("1.2.3件").is_err());
    }

    #[test]
    fn serializes_for_templates() {
        let cell = parse_cell("80%以上").unwrap();
        let yaml = serde_yaml::to_string(&cell).unwrap();
        assert!(yaml.contains("kind: quantity"), "{yaml}");
        assert!(yaml.contains("qualifier: 以上"), "{yaml}");
        assert!(yaml.contains("raw: 80%以上"), "{yaml}");
        let yaml = serde_yaml::to_string(&parse_cell("小 1% 中 2%").unwrap()).unwrap();
        assert!(yaml.contains("kind: series"), "{yaml}");
    }
}
