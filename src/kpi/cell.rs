//! KPI cells (成果目標の「目標」「実績」のセル): the one place that reads them.
//!
//! Authors copy cells from the city's spreadsheet as they are, so a cell is free text that
//! usually, but not always, holds a number. keikaku always *shows* the text as written
//! ([`Cell::raw`]); the typed reading ([`CellValue`]) is what lets pages compare targets and
//! actuals, draw charts and export data. The rules below decide that reading.
//!
//! # Reading a cell
//!
//! Before anything else the cell is trimmed, and full-width characters are read like their
//! ASCII counterparts by the one table of `crate::text` (digits, Latin letters, `％` `．` `，`
//! `～` `－` `（` `）` `／` …), as are the look-alikes `〜` `∼` `⁓` (as `~`), `−` (as `-`) and
//! `＊` (as `※`). The text kept for display — the cell, its numbers, labels and notes — is never
//! changed; the **unit** is kept as read, so that `30％以上` and `30%以上` have the one unit `%`
//! and can be compared. Then, in order:
//!
//! 1. **Empty**: nothing left.
//! 2. **Not applicable**: one marker `-` `_` `－` `―` `ー` `—` `–` `−` `‐` `＿`, alone or
//!    followed by whitespace and a note (`- アンケートフォーム設置が令和6年度からのため`).
//! 3. **A value**, found at the *first number* of the cell (a run of digits with `,` thousands
//!    separators and one `.` decimal point, optionally signed with `-` `+` `▲` `△`):
//!    * the text before it is the **label** (`反収`, `協定締結数`, `各課月`, `市内公民館で計`);
//!    * right after it comes the **unit**: the run of letters — kanji, katakana, Latin letters,
//!      `%` and other unit symbols, `か月`, and compound units such as `人/月` — with a count
//!      after the `/` only for a period (`%/3か月`, `件/2年`; `50%/60%` is a list, rule 5);
//!    * a unit ending in `以上`, `以下`, `未満` or `超` carries that **qualifier**, which ends
//!      the value;
//!    * `~` and a second number make a **range** (`7~7.5俵`; the unit may be written on either
//!      end or both, but not differently);
//!    * a number without a unit followed by whitespace and a digit (`30 000件`) is an error:
//!      it is one number written with a space, or two numbers, and either reading would be a
//!      guess;
//!    * the value must then be followed by the end of the cell, whitespace, `(`, `※` or — for
//!      a list, rule 5 — `/` and a number. Anything else glued to it means the number is part
//!      of a sentence, and the whole cell is **qualitative**: `50%は達成`,
//!      `設計金額が50万円を超える…`. So is a number glued to a Latin letter (`R7年度…`, an
//!      identifier rather than a quantity), and text after whitespace that starts with hiragana
//!      (`500万円以上 の測量等…`: the extraction broke a sentence at a particle).
//! 4. **Approximate values** (概数) are values: the word that says so is kept for display and
//!    the number is judged as written, with a note on the verdict
//!    ([`crate::kpi::achievement`]). The word is never part of the label or of the unit:
//!    * before the number, at the end of the label: `約` `およそ` `凡そ` `概ね` `おおむね`
//!      `ほぼ` — `約30%`, `参加者 約300人`, `件数約300`, `小 約8% 中 約12%`, `ほぼ100%`.
//!      `約` glued to a kanji that makes a word with it is that word, not the qualifier:
//!      `契約` `予約` `成約` `集約` `要約` `節約` `制約` `規約` `協約` `条約` … (`契約30件`
//!      has the label `契約`);
//!    * after the unit, ending the value like a qualifier: `程度` `前後` (`30%程度`,
//!      `100人前後`), `ほど` `くらい` `ぐらい` (`30人ほど`), and `程` when it does not follow a
//!      kanji (`30%程`, but `3工程` and `2課程` are units);
//!    * a range may be approximate (`約7~7.5俵`); an approximate value may carry a qualifier
//!      written after it (`約30%以上`), but not both a trailing word and a qualifier
//!      (`30%程度以上` is qualitative).
//! 5. A value followed directly by `/` and a number starts a **list**: several values of one
//!    cell, in order, such as a KPI that reports three figures at once (`700回/1/1`,
//!    `1,130回/0.154/0`; a label before the first value belongs to the whole list). The first
//!    value must have a unit, so that dates and fractions (`4/1`, `3/5校`) are not read as
//!    lists; a list is judged position by position against a list of the same length.
//! 6. After a labelled value and whitespace, further `label value` pairs make a **series**
//!    (`小 8.9% 中 12.8%`, `転入 10分 その他手続き 5分`). Series labels contain no digits.
//! 7. Whatever follows the value(s) is the **note**: after whitespace
//!    (`75% 第2次木更津市商工業振興計画に合わせて設定`), after `※` (the `※` is dropped) or in
//!    parentheses (`100%(アンケート回答による)`; parentheses spanning the whole note are
//!    dropped).
//! 8. A cell is **provisional** (見込み) when its note — or, for qualitative cells, its text —
//!    contains 見込 as a noun: `見込み`, `見込`, `見込値`, but not the verb `見込まれる`.
//! 9. A cell with no number, or whose first number is not a value by rule 3, is
//!    **qualitative** text (`整備完了`, `推進体制の構築`, full sentences).
//! 10. Qualitative text is **number-like** ([`Cell::is_number_like`]) when it reads as figures
//!     rather than words, so that `keikaku check` warns instead of quietly leaving the year
//!     判定不可. Leaving aside a note (from the first `(` or `※`), the text
//!     * has no hiragana (a sentence; `か` of `か月` is part of a unit): not `50%は達成`;
//!     * has a number that is a quantity, not a date: a number right after an era prefix
//!       (`R` `H` `FY` `令和` `平成`) or right before `年度`, `月`, or `年`/`日` not followed
//!       by `間`, is a date — `R7年度完了` and `4月~運用開始` are milestones, not figures;
//!     * and has no word that stands on its own: every run of letters is glued to a number —
//!       right after it (a unit, also across `%`, `~` or `/`: `7~千円`), or right before it
//!       (a label or era prefix: `R5`).
//!
//!     Number-like: `R5: 50件` (a line pasted from another sheet), `7~千円`, `1日8,000歩`,
//!     `5件以上達成`, `3/5校`, `12.5.`. Not number-like: `整備完了`, `50%は達成`,
//!     `R7年度完了`, `設計金額が500万円以上 の…`.
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
//! always write it in the structured form (`CellInput`), where `text:` forces qualitative
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
    /// Two or more values separated by `/`, in order: `700回/1/1`.
    List(ValueList),
    /// Text that is not a value: a milestone or a description of what was done.
    Qualitative(String),
}

/// A number with what surrounds it in the cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantity {
    /// Text before the number (`協定締結数` in `協定締結数1件`). Inside a series the label
    /// belongs to the [`SeriesItem`] and this is `None`.
    pub label: Option<String>,
    /// The number, as written and as a value.
    pub number: Number,
    /// The unit as read (`千円`, `%`, `人/月`), with full-width characters folded: `７０％` has
    /// the unit `%`. `None` for a bare number.
    pub unit: Option<String>,
    /// The bound after the number (`以上` in `80%以上`), if any.
    pub qualifier: Option<Qualifier>,
    /// `約30%`, `30%程度`: the number is approximate. See [`Approximate`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximate: Option<Approximate>,
}

/// A range of two numbers sharing a unit: `7~7.5俵`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Range {
    /// Text before the range (`反収`). `None` inside a series.
    pub label: Option<String>,
    /// The lower end, as written first.
    pub low: Number,
    /// The upper end.
    pub high: Number,
    /// The unit of both ends, folded as [`Quantity::unit`] is.
    pub unit: Option<String>,
    /// `約7~7.5俵`: the range is approximate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximate: Option<Approximate>,
}

/// The word that makes a value approximate (概数), as written, and where it stands. The value
/// is judged as its number; the verdict says that it was judged on an approximate value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "position", content = "word", rename_all = "snake_case")]
pub enum Approximate {
    /// Before the number: `約30%`, `およそ30%`, `概ね30%`.
    Before(String),
    /// After the number and its unit: `30%程度`, `100人前後`, `30人ほど`.
    After(String),
}

impl Approximate {
    /// The word as written: `約`, `程度` …
    pub fn word(&self) -> &str {
        match self {
            Approximate::Before(w) | Approximate::After(w) => w,
        }
    }

    /// `value` with the word where the author wrote it: `約30%`, `30%程度`. A trailing word and
    /// a qualifier never come together (rule 4), so the word can follow the whole value.
    pub fn around(&self, value: &str) -> String {
        match self {
            Approximate::Before(w) => format!("{w}{value}"),
            Approximate::After(w) => format!("{value}{w}"),
        }
    }

    /// [`Approximate::around`] for an optional word.
    pub fn apply(approximate: Option<&Approximate>, value: String) -> String {
        match approximate {
            None => value,
            Some(a) => a.around(&value),
        }
    }
}

/// Values separated by `/` in one cell (`700回/1/1`): several figures of one KPI, in order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValueList {
    /// Text before the first value, for the whole list.
    pub label: Option<String>,
    /// The values in order; their own labels are `None`.
    pub items: Vec<SeriesValue>,
}

/// One labelled value of a series (`小 8.9%`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesItem {
    /// What the value is for: `小` (elementary schools), `福祉相談課 月平均` …
    pub label: String,
    /// The label's value: a number or a range.
    pub value: SeriesValue,
}

/// The value of a series item.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum SeriesValue {
    /// One number (`8.9%`).
    Quantity(Quantity),
    /// A range (`7~7.5俵`).
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
    /// `30 000件`: a space inside a number (or two numbers with nothing between them).
    SpaceInNumber,
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
            CellErrorKind::SpaceInNumber => {
                "数値の中に空白があります（桁区切りはカンマで「30,000」のように書いてください）"
            }
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
            CellErrorKind::SpaceInNumber => {
                "a space inside a number; separate thousands with commas (30,000)"
            }
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
    /// What is wrong, for the message in either language.
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

    /// The unit of the value: of the quantity or range, or of a series or list whose items
    /// all share one unit (`小 8.9% 中 12.8%` → `%`).
    pub fn unit(&self) -> Option<&str> {
        match &self.value {
            CellValue::Quantity(q) => q.unit.as_deref(),
            CellValue::Range(r) => r.unit.as_deref(),
            CellValue::Series(items) => shared_unit(items.iter().map(|item| item.value.unit())),
            CellValue::List(list) => shared_unit(list.items.iter().map(SeriesValue::unit)),
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

    /// Holds a quantity, a range, a series or a list.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self.value,
            CellValue::Quantity(_)
                | CellValue::Range(_)
                | CellValue::Series(_)
                | CellValue::List(_)
        )
    }

    /// Some value of the cell is approximate (`約30%`, `小 約8% 中 9%`).
    pub fn is_approximate(&self) -> bool {
        match &self.value {
            CellValue::Quantity(q) => q.approximate.is_some(),
            CellValue::Range(r) => r.approximate.is_some(),
            CellValue::Series(items) => items.iter().any(|i| i.value.approximate().is_some()),
            CellValue::List(list) => list.items.iter().any(|v| v.approximate().is_some()),
            _ => false,
        }
    }

    /// Qualitative text that reads as figures rather than words (`R5: 50件`, `7~千円`): see
    /// rule 10 of the module documentation. Always `false` for cells that are not
    /// qualitative.
    pub fn is_number_like(&self) -> bool {
        match &self.value {
            CellValue::Qualitative(text) => Text::new(text, 0).number_like(),
            _ => false,
        }
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

    /// Whether the item's value is approximate, and the word that says so.
    pub fn approximate(&self) -> Option<&Approximate> {
        match self {
            SeriesValue::Quantity(q) => q.approximate.as_ref(),
            SeriesValue::Range(r) => r.approximate.as_ref(),
        }
    }

    /// The value as it reads in a sentence: see [`Quantity::value_text`].
    pub fn value_text(&self) -> String {
        match self {
            SeriesValue::Quantity(q) => q.value_text(),
            SeriesValue::Range(r) => r.value_text(),
        }
    }
}

impl Quantity {
    /// The value without its label and note, as written: the number, the unit, the qualifier
    /// and the word of an approximate value in place (`約30%以上`, `30%程度`), for charts and
    /// sentences that show the value on its own.
    pub fn value_text(&self) -> String {
        Approximate::apply(
            self.approximate.as_ref(),
            format!(
                "{}{}{}",
                self.number.text,
                self.unit.as_deref().unwrap_or(""),
                self.qualifier.map_or("", Qualifier::as_str)
            ),
        )
    }
}

impl Range {
    /// The range without its label, as written: `7~7.5俵`, `約7~7.5俵`.
    pub fn value_text(&self) -> String {
        Approximate::apply(
            self.approximate.as_ref(),
            format!(
                "{}~{}{}",
                self.low.text,
                self.high.text,
                self.unit.as_deref().unwrap_or("")
            ),
        )
    }
}

/// The one unit all `units` share, `None` if one has none or they differ.
fn shared_unit<'a>(mut units: impl Iterator<Item = Option<&'a str>>) -> Option<&'a str> {
    let first = units.next()??;
    units.all(|u| u == Some(first)).then_some(first)
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

mod input;
mod scan;
#[cfg(test)]
mod tests;

pub(crate) use input::CellInput;
use scan::*;
