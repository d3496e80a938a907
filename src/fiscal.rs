//! Fiscal years (年度) and the Japanese eras they are written in.
//!
//! This is the only module that knows about eras: everything else in keikaku handles a
//! [`FiscalYear`] and asks it for its key (`R4`), its table label (`令和4年度`) or its long
//! label (`令和4年度（2022年度）`). Keeping the calendar arithmetic in one place means a new
//! era only has to be taught here: one row of the era table, which [`read_era_year`] reads for
//! fiscal years and for the dates of plan revisions (`crate::date::Date::from_revision`).
//!
//! A Japanese fiscal year runs from 1 April to 31 March of the following calendar year and is
//! named after the calendar year it starts in: 令和4年度 = April 2022 – March 2023.
//!
//! # Accepted spellings
//!
//! Authors type fiscal years in whatever form the printed plan uses, so [`parse`] accepts
//! (after trimming whitespace, including the ideographic space U+3000, and folding full-width
//! digits and Latin letters by the table of `crate::text`):
//!
//! | form | examples |
//! | --- | --- |
//! | era letter + number, optionally `年度` | `R4`, `r4`, `Ｒ４`, `R4年度`, `H30` |
//! | era name + number or `元` + `年度` or `年` | `令和4年度`, `令和４年度`, `令和元年度`, `令和4年`, `平成30年度`, `平成元年度` |
//! | Western year: `FY` + 4 digits, 4 digits + `年度`, or 4 digits | `FY2022`, `fy2022`, `2022年度`, `2022` |
//!
//! Everything else is rejected, as are year 0 (the first year of an era is 元年), Heisei years
//! after 31 (平成31年度 is the fiscal year 2019, the last one) and Western years outside
//! [`MIN_WESTERN`]`..=`[`MAX_WESTERN`], which would only come from typos.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod by_year;
pub mod words;
pub use by_year::ByYear;

/// Earliest fiscal year accepted from authors: 平成元年度. Earlier years are never part of a
/// plan published today, so they are treated as typos.
pub const MIN_WESTERN: u16 = 1989;

/// Latest fiscal year accepted from authors; anything later is a typo such as `FY20222`.
pub const MAX_WESTERN: u16 = 2200;

/// A fiscal year, stored as the Western calendar year it starts in (令和4年度 = 2022).
///
/// Ordering and hashing follow the Western year, so fiscal years can be map keys and sorted
/// chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(u16);

/// A Japanese era that fiscal years are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Era {
    /// 平成: fiscal years 1989 (平成元年度) to 2019 (平成31年度, usually called 令和元年度).
    Heisei,
    /// 令和: fiscal years from 2019 (令和元年度).
    Reiwa,
}

/// One era's facts: the only table of eras in keikaku.
struct EraFacts {
    era: Era,
    name: &'static str,
    letter: char,
    first_western: u16,
    last_year: Option<u16>,
}

/// Newest first: the order in which [`Era::ALL`] lists them and a text is searched for them.
const ERAS: [EraFacts; 2] = [
    EraFacts {
        era: Era::Reiwa,
        name: "令和",
        letter: 'R',
        first_western: 2019,
        last_year: None,
    },
    EraFacts {
        era: Era::Heisei,
        name: "平成",
        letter: 'H',
        first_western: 1989,
        last_year: Some(31),
    },
];

impl Era {
    /// Every era keikaku reads, newest first.
    pub const ALL: [Era; 2] = [ERAS[0].era, ERAS[1].era];

    fn facts(self) -> &'static EraFacts {
        match self {
            Era::Reiwa => &ERAS[0],
            Era::Heisei => &ERAS[1],
        }
    }

    /// The era's name as printed: `平成`, `令和`.
    pub fn name(self) -> &'static str {
        self.facts().name
    }

    /// The one-letter abbreviation used in short keys: `H`, `R`.
    pub fn letter(self) -> char {
        self.facts().letter
    }

    /// The Western year of the era's first year (元年).
    pub fn first_western(self) -> u16 {
        self.facts().first_western
    }

    /// The last year number the era had, for eras that have ended.
    pub fn last_year(self) -> Option<u16> {
        self.facts().last_year
    }

    /// The era a fiscal year is *labelled* in. A fiscal year is named after the era in force
    /// when it starts; FY2019 started on 1 April 2019, a month before 令和 began, but both the
    /// national government and Kisarazu call it 令和元年度, so 2019 belongs to 令和 here.
    pub fn of_western(year: u16) -> Option<Era> {
        ERAS.iter().find(|e| year >= e.first_western).map(|e| e.era)
    }
}

/// How an era was written before its year number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EraForm {
    /// The name: `令和4`, `令和元`.
    Name,
    /// The letter, in either case: `R4`, `h30`. It takes no `元`.
    Letter,
}

/// An era and the year number written after it (`令和4`, `R4`), as read by [`read_era_year`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EraYear {
    /// The era named.
    pub era: Era,
    /// Whether it was named or abbreviated.
    pub form: EraForm,
    /// The year number (`元` is 1); `None` when it has more digits than any year can.
    number: Option<u32>,
}

/// Why an [`EraYear`] names no year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EraYearError {
    /// Year 0: the first year of an era is 元年.
    YearZero,
    /// A year after the era ended, such as 平成32年; `last` is its last year.
    PastEnd {
        /// The era's last year number.
        last: u16,
    },
    /// A number too long to be a year.
    TooLarge,
}

impl EraYear {
    /// The Western calendar year it is (令和4 → 2022), not yet checked against the years a
    /// plan can cover.
    pub fn western(self) -> Result<u32, EraYearError> {
        let number = self.number.ok_or(EraYearError::TooLarge)?;
        if number == 0 {
            return Err(EraYearError::YearZero);
        }
        if let Some(last) = self.era.last_year() {
            if number > u32::from(last) {
                return Err(EraYearError::PastEnd { last });
            }
        }
        Ok(u32::from(self.era.first_western()) + number - 1)
    }
}

/// Reads an era year at the start of `s`, which must already be width-folded
/// (`crate::text::fold_width`): an era name followed by `元` or ASCII digits, or an era
/// letter (either case) followed by digits. Returns it with the text after the number;
/// `None` when `s` does not start that way. The one era parser: fiscal years and the dates
/// of plan revisions both read eras through it.
pub fn read_era_year(s: &str) -> Option<(EraYear, &str)> {
    let (era, form, rest) = ERAS.iter().find_map(|e| {
        if let Some(rest) = s.strip_prefix(e.name) {
            return Some((e.era, EraForm::Name, rest));
        }
        let mut chars = s.chars();
        let is_letter = chars.next()?.eq_ignore_ascii_case(&e.letter);
        is_letter.then_some((e.era, EraForm::Letter, chars.as_str()))
    })?;
    if form == EraForm::Name {
        if let Some(after) = rest.strip_prefix('元') {
            let year = EraYear {
                era,
                form,
                number: Some(1),
            };
            return Some((year, after));
        }
    }
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits_end == 0 {
        return None;
    }
    let (digits, after) = rest.split_at(digits_end);
    let year = EraYear {
        era,
        form,
        number: number(digits),
    };
    Some((year, after))
}

/// Why a text could not be read as a fiscal year. The message is Japanese for the authors,
/// with the English gist in parentheses for maintainers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FiscalYearError {
    /// The text is not one of the accepted spellings.
    #[error("年度として読めません: \"{input}\"（expected a fiscal year such as R4, 令和4年度 or FY2022）")]
    Unreadable {
        /// The text as given, trimmed.
        input: String,
    },
    /// Year 0 of an era (or of the Western calendar) does not exist.
    #[error("0年度はありません: \"{input}\"。元年は「令和元年度」のように書きます（year 0 does not exist; the first year of an era is 元年）")]
    YearZero {
        /// The text as given, trimmed.
        input: String,
    },
    /// A year number past the end of an era, such as 平成32年度.
    #[error("{era}は{last}年度までです: \"{input}\"（{era} ended in its year {last}; later fiscal years are 令和）")]
    EraOutOfRange {
        /// The text as given, trimmed.
        input: String,
        /// The era named (平成).
        era: &'static str,
        /// The era's last year (平成31).
        last: u16,
    },
    /// A well-formed year that is outside the years a plan can plausibly cover.
    #[error("年度が範囲外です: \"{input}\"（fiscal year must be between {MIN_WESTERN} and {MAX_WESTERN}）")]
    OutOfRange {
        /// The text as given, trimmed.
        input: String,
    },
}

/// Reads a fiscal year in any accepted spelling (see the module documentation).
pub fn parse(s: &str) -> Result<FiscalYear, FiscalYearError> {
    let input = s.trim();
    let unreadable = || FiscalYearError::Unreadable {
        input: input.to_string(),
    };
    let norm = crate::text::fold_width_str(input);

    // Western forms first: they are unambiguous (four digits).
    let western_digits = if let Some(rest) = strip_prefix_ignore_case(&norm, "FY") {
        Some(rest)
    } else if let Some(rest) = norm.strip_suffix("年度") {
        rest.bytes().all(|b| b.is_ascii_digit()).then_some(rest)
    } else if norm.bytes().all(|b| b.is_ascii_digit()) {
        Some(&*norm)
    } else {
        None
    };
    if let Some(digits) = western_digits {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(unreadable());
        }
        let year = number(digits);
        if year == Some(0) {
            return Err(FiscalYearError::YearZero {
                input: input.to_string(),
            });
        }
        return match year {
            Some(y) if digits.len() == 4 => {
                FiscalYear::try_from_western_u32(y).ok_or(FiscalYearError::OutOfRange {
                    input: input.to_string(),
                })
            }
            _ => Err(FiscalYearError::OutOfRange {
                input: input.to_string(),
            }),
        };
    }

    // Era forms. The letter forms (R4) only take 年度; the written-out names also take 年
    // (令和4年, as people say it) and 元 for the first year.
    let (era_year, rest) = read_era_year(&norm).ok_or_else(unreadable)?;
    let suffix_ok = match era_year.form {
        EraForm::Name => matches!(rest, "年度" | "年"),
        EraForm::Letter => matches!(rest, "年度" | ""),
    };
    if !suffix_ok {
        return Err(unreadable());
    }
    let western = era_year.western().map_err(|e| match e {
        EraYearError::YearZero => FiscalYearError::YearZero {
            input: input.to_string(),
        },
        EraYearError::PastEnd { last } => FiscalYearError::EraOutOfRange {
            input: input.to_string(),
            era: era_year.era.name(),
            last,
        },
        EraYearError::TooLarge => FiscalYearError::OutOfRange {
            input: input.to_string(),
        },
    })?;
    FiscalYear::try_from_western_u32(western).ok_or(FiscalYearError::OutOfRange {
        input: input.to_string(),
    })
}

/// The era a fiscal year is written in (`平成31年度`, `H31` → 平成); `None` for a Western year
/// or a text that is not a fiscal year. Pages use it to show a year as the plan writes it
/// ([`FiscalYear::label_as_written`]).
pub fn written_era(s: &str) -> Option<Era> {
    parse(s).ok()?;
    let norm = crate::text::fold_width_str(s.trim());
    read_era_year(&norm).map(|(y, _)| y.era)
}

/// Reads up to nine ASCII digits; longer numbers are out of any range we accept anyway.
fn number(digits: &str) -> Option<u32> {
    if digits.len() > 9 {
        return None;
    }
    digits.parse().ok()
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

impl FiscalYear {
    /// See [`parse`].
    pub fn parse(s: &str) -> Result<FiscalYear, FiscalYearError> {
        parse(s)
    }

    /// The fiscal year starting in April of `year`, without range checks: for years computed
    /// by the program (e.g. `next()` of the last plan year). Use [`parse`] or
    /// [`FiscalYear::try_from_western`] for years that come from authors.
    pub const fn from_western(year: u16) -> FiscalYear {
        FiscalYear(year)
    }

    /// The fiscal year starting in April of `year`, if it is within
    /// [`MIN_WESTERN`]`..=`[`MAX_WESTERN`].
    pub fn try_from_western(year: u16) -> Option<FiscalYear> {
        (MIN_WESTERN..=MAX_WESTERN)
            .contains(&year)
            .then_some(FiscalYear(year))
    }

    fn try_from_western_u32(year: u32) -> Option<FiscalYear> {
        u16::try_from(year)
            .ok()
            .and_then(FiscalYear::try_from_western)
    }

    /// The Western calendar year the fiscal year starts in (令和4年度 → 2022).
    pub const fn western(self) -> u16 {
        self.0
    }

    /// The era the fiscal year is labelled in, if it is 平成 or later.
    pub fn era(self) -> Option<Era> {
        Era::of_western(self.0)
    }

    /// The year number within its era (令和4年度 → 4, 令和元年度 → 1).
    pub fn year_in_era(self) -> Option<u16> {
        self.era().map(|era| self.0 - era.first_western() + 1)
    }

    /// The label used in tables: `令和4年度`, `令和元年度`, `平成30年度`. Years before 平成 (never
    /// produced by [`parse`]) fall back to `1988年度`.
    pub fn label(self) -> String {
        match (self.era(), self.year_in_era()) {
            (Some(era), Some(1)) => format!("{}元年度", era.name()),
            (Some(era), Some(n)) => format!("{}{}年度", era.name(), n),
            _ => format!("{}年度", self.0),
        }
    }

    /// The label in the era the author wrote the year in, when that is not the era keikaku
    /// labels it in: FY2019 written `平成31年度` (or `H31`) in a plan made before 令和 began is
    /// shown as the plan prints it, `平成31年度（令和元年度）`. Any other year, or one written
    /// in its own era or as a Western year, gets [`FiscalYear::label`].
    pub fn label_as_written(self, written: Option<Era>) -> String {
        match written.and_then(|era| self.label_in(era)) {
            Some(theirs) => format!("{theirs}（{}）", self.label()),
            None => self.label(),
        }
    }

    /// [`FiscalYear::label_as_written`] where there is room:
    /// `平成31年度（令和元年度・2019年度）`.
    pub fn label_long_as_written(self, written: Option<Era>) -> String {
        match written.and_then(|era| self.label_in(era)) {
            Some(theirs) => format!("{theirs}（{}・{}年度）", self.label(), self.0),
            None => self.label_long(),
        }
    }

    /// The label in `era` if that era names this year and is not the era it is labelled in
    /// (平成31年度 for FY2019); `None` otherwise.
    fn label_in(self, era: Era) -> Option<String> {
        if Some(era) == self.era() || self.0 < era.first_western() {
            return None;
        }
        let number = self.0 - era.first_western() + 1;
        if era.last_year().is_some_and(|last| number > last) {
            return None;
        }
        Some(format!("{}{}年度", era.name(), number))
    }

    /// The label used where there is room: `令和4年度（2022年度）`.
    pub fn label_long(self) -> String {
        match self.era() {
            Some(_) => format!("{}（{}年度）", self.label(), self.0),
            None => self.label(),
        }
    }

    /// The short key used in content files, URLs and data: `R4`, `R1`, `H30` (`FY1988` before
    /// 平成). It is what a fiscal year serializes to.
    pub fn key(self) -> String {
        match (self.era(), self.year_in_era()) {
            (Some(era), Some(n)) => format!("{}{}", era.letter(), n),
            _ => format!("FY{}", self.0),
        }
    }

    /// The following fiscal year (saturating at the largest representable year).
    pub const fn next(self) -> FiscalYear {
        FiscalYear(self.0.saturating_add(1))
    }

    /// The preceding fiscal year (saturating at year 0).
    pub const fn prev(self) -> FiscalYear {
        FiscalYear(self.0.saturating_sub(1))
    }

    /// Every fiscal year from `first` to `last`, both included; empty when `first > last`.
    pub fn range_inclusive(
        first: FiscalYear,
        last: FiscalYear,
    ) -> impl Iterator<Item = FiscalYear> {
        (first.0..=last.0).map(FiscalYear)
    }

    /// The first day of the fiscal year as (year, month, day): 令和4年度 → (2022, 4, 1).
    pub const fn start_date(self) -> (u16, u8, u8) {
        (self.0, 4, 1)
    }

    /// The last day of the fiscal year as (year, month, day): 令和4年度 → (2023, 3, 31).
    pub const fn end_date(self) -> (u16, u8, u8) {
        (self.0.saturating_add(1), 3, 31)
    }

    /// Whether the fiscal year contains the given calendar date (month 1–12).
    pub fn contains_date(self, year: u16, month: u8) -> bool {
        if month >= 4 {
            year == self.0
        } else {
            u32::from(year) == u32::from(self.0) + 1
        }
    }
}

impl fmt::Display for FiscalYear {
    /// Shows the table label (`令和4年度`), the form readers expect in running text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl FromStr for FiscalYear {
    type Err = FiscalYearError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl Serialize for FiscalYear {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

impl<'de> Deserialize<'de> for FiscalYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FiscalYearVisitor)
    }
}

/// Accepts strings in any spelling and bare integers (YAML reads `2022:` as a number).
struct FiscalYearVisitor;

impl Visitor<'_> for FiscalYearVisitor {
    type Value = FiscalYear;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a fiscal year such as R4, 令和4年度 or FY2022")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<FiscalYear, E> {
        parse(v).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FiscalYear, E> {
        u16::try_from(v)
            .ok()
            .and_then(FiscalYear::try_from_western)
            .ok_or_else(|| {
                E::custom(FiscalYearError::OutOfRange {
                    input: v.to_string(),
                })
            })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FiscalYear, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(FiscalYearError::OutOfRange {
                input: v.to_string(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn fy(y: u16) -> FiscalYear {
        FiscalYear::from_western(y)
    }

    #[test]
    fn accepts_every_documented_form() {
        let cases: &[(&str, u16)] = &[
            ("R4", 2022),
            ("r4", 2022),
            ("Ｒ４", 2022),
            ("ｒ４", 2022),
            ("R4年度", 2022),
            ("R04", 2022),
            ("R1", 2019),
            ("令和4年度", 2022),
            ("令和４年度", 2022),
            ("令和元年度", 2019),
            ("令和元年", 2019),
            ("令和4年", 2022),
            ("令和10年度", 2028),
            ("H30", 2018),
            ("h30", 2018),
            ("Ｈ３０", 2018),
            ("H30年度", 2018),
            ("H31", 2019),
            ("H1", 1989),
            ("平成30年度", 2018),
            ("平成30年", 2018),
            ("平成元年度", 1989),
            ("平成31年度", 2019),
            ("FY2022", 2022),
            ("fy2022", 2022),
            ("Fy2022", 2022),
            ("ＦＹ２０２２", 2022),
            ("2022年度", 2022),
            ("２０２２年度", 2022),
            ("2022", 2022),
            ("1989", 1989),
            ("2200", 2200),
            ("  R4  ", 2022),
            ("\u{3000}令和4年度\u{3000}", 2022),
            ("\tFY2025\n", 2025),
        ];
        for &(text, western) in cases {
            assert_eq!(parse(text), Ok(fy(western)), "{text:?}");
            assert_eq!(text.parse::<FiscalYear>(), Ok(fy(western)), "{text:?}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        let unreadable = [
            "",
            "   ",
            "R",
            "令和",
            "令和X年度",
            "R4年",
            "R元",
            "R元年度",
            "令和4",
            "令和 4年度",
            "R 4",
            "R4 年度",
            "R4年度度",
            "R-4",
            "R+4",
            "R4.5",
            "S60",
            "昭和60年度",
            "FY",
            "FY 2022",
            "FY2022年度",
            "2022年",
            "2022.0",
            "-2022",
            "R４a",
            "令和４年度です",
            "Ｒ",
            "年度",
            "FY２０２２x",
            "🎌",
        ];
        for text in unreadable {
            assert!(
                matches!(parse(text), Err(FiscalYearError::Unreadable { .. })),
                "{text:?} → {:?}",
                parse(text)
            );
        }
        for text in [
            "R0",
            "令和0年度",
            "平成0年",
            "H0",
            "0",
            "0000",
            "FY0000",
            "0年度",
        ] {
            assert!(
                matches!(parse(text), Err(FiscalYearError::YearZero { .. })),
                "{text:?} → {:?}",
                parse(text)
            );
        }
        for text in ["平成32年度", "H32", "平成99年", "H1000"] {
            assert!(
                matches!(parse(text), Err(FiscalYearError::EraOutOfRange { .. })),
                "{text:?} → {:?}",
                parse(text)
            );
        }
        for text in [
            "FY1988",
            "1988",
            "2201",
            "FY20222",
            "22",
            "20220",
            "R183",
            "R999999999999",
            "令和9999年度",
            "99999999999999999999",
        ] {
            assert!(
                matches!(parse(text), Err(FiscalYearError::OutOfRange { .. })),
                "{text:?} → {:?}",
                parse(text)
            );
        }
        assert_eq!(parse("R182"), Ok(fy(2200)));
    }

    #[test]
    fn one_era_parser_reads_names_letters_and_gan() {
        fn read(s: &str) -> Option<(Era, EraForm, Result<u32, EraYearError>, &str)> {
            read_era_year(s).map(|(y, rest)| (y.era, y.form, y.western(), rest))
        }
        assert_eq!(
            read("令和6年8月改訂"),
            Some((Era::Reiwa, EraForm::Name, Ok(2024), "年8月改訂"))
        );
        assert_eq!(
            read("令和元年度"),
            Some((Era::Reiwa, EraForm::Name, Ok(2019), "年度"))
        );
        assert_eq!(
            read("h30"),
            Some((Era::Heisei, EraForm::Letter, Ok(2018), ""))
        );
        assert_eq!(
            read("R04年度"),
            Some((Era::Reiwa, EraForm::Letter, Ok(2022), "年度"))
        );
        assert_eq!(
            read("平成32年"),
            Some((
                Era::Heisei,
                EraForm::Name,
                Err(EraYearError::PastEnd { last: 31 }),
                "年"
            ))
        );
        assert_eq!(
            read("R0"),
            Some((Era::Reiwa, EraForm::Letter, Err(EraYearError::YearZero), ""))
        );
        assert_eq!(
            read("R9999999999"),
            Some((Era::Reiwa, EraForm::Letter, Err(EraYearError::TooLarge), ""))
        );
        // Letters take no 元; a name needs a number; nothing is searched for.
        for s in ["R元", "令和", "令和X年", "S60", "", "第2版令和6年", "Ｒ４"] {
            assert_eq!(read(s), None, "{s:?}");
        }
        assert_eq!(Era::ALL, [Era::Reiwa, Era::Heisei]);
        assert_eq!(Era::of_western(2019), Some(Era::Reiwa));
        assert_eq!(Era::of_western(2018), Some(Era::Heisei));
        assert_eq!(Era::of_western(1988), None);
    }

    #[test]
    fn error_messages_are_japanese_with_english_gist() {
        assert_eq!(
            parse("令和X年度").unwrap_err().to_string(),
            "年度として読めません: \"令和X年度\"（expected a fiscal year such as R4, 令和4年度 or FY2022）"
        );
        let e = parse("平成32年度").unwrap_err().to_string();
        assert!(e.starts_with("平成は31年度までです"), "{e}");
        let e = parse("FY1900").unwrap_err().to_string();
        assert!(e.contains("1989") && e.contains("2200"), "{e}");
        let e = parse(" R0 ").unwrap_err().to_string();
        assert!(e.contains("\"R0\"") && e.contains("year 0"), "{e}");
    }

    #[test]
    fn labels_and_keys() {
        assert_eq!(fy(2022).label(), "令和4年度");
        assert_eq!(fy(2022).label_long(), "令和4年度（2022年度）");
        assert_eq!(fy(2022).key(), "R4");
        assert_eq!(fy(2019).label(), "令和元年度");
        assert_eq!(fy(2019).key(), "R1");
        assert_eq!(fy(2018).label(), "平成30年度");
        assert_eq!(fy(2018).key(), "H30");
        assert_eq!(fy(1989).label(), "平成元年度");
        assert_eq!(fy(1989).label_long(), "平成元年度（1989年度）");
        assert_eq!(fy(1988).label(), "1988年度");
        assert_eq!(fy(1988).key(), "FY1988");
        assert_eq!(fy(2025).to_string(), "令和7年度");
        assert_eq!(fy(2022).year_in_era(), Some(4));
        assert_eq!(fy(2022).era(), Some(Era::Reiwa));
        // Every key and label reads back as the same year.
        for y in MIN_WESTERN..=MAX_WESTERN {
            assert_eq!(parse(&fy(y).key()), Ok(fy(y)));
            assert_eq!(parse(&fy(y).label()), Ok(fy(y)));
        }
    }

    #[test]
    fn calendar_arithmetic() {
        let r4 = fy(2022);
        assert_eq!(r4.western(), 2022);
        assert_eq!(r4.next(), fy(2023));
        assert_eq!(r4.prev(), fy(2021));
        assert_eq!(r4.start_date(), (2022, 4, 1));
        assert_eq!(r4.end_date(), (2023, 3, 31));
        assert!(r4.contains_date(2022, 4));
        assert!(r4.contains_date(2023, 3));
        assert!(!r4.contains_date(2022, 3));
        assert!(!r4.contains_date(2023, 4));
        let years: Vec<String> = FiscalYear::range_inclusive(fy(2022), fy(2025))
            .map(FiscalYear::key)
            .collect();
        assert_eq!(years, ["R4", "R5", "R6", "R7"]);
        assert_eq!(FiscalYear::range_inclusive(fy(2025), fy(2022)).count(), 0);
        assert_eq!(FiscalYear::range_inclusive(fy(2022), fy(2022)).count(), 1);
        assert_eq!(fy(u16::MAX).next(), fy(u16::MAX));
        assert_eq!(fy(0).prev(), fy(0));
        assert_eq!(fy(u16::MAX).end_date(), (u16::MAX, 3, 31));
        assert!(fy(2019) < fy(2022));
        assert_eq!(FiscalYear::try_from_western(2022), Some(fy(2022)));
        assert_eq!(FiscalYear::try_from_western(1988), None);
        assert_eq!(FiscalYear::try_from_western(2201), None);
    }

    #[test]
    fn serde_uses_the_short_key_and_accepts_any_spelling() {
        assert_eq!(serde_yaml::to_string(&fy(2022)).unwrap(), "R4\n");
        let map: BTreeMap<FiscalYear, String> =
            serde_yaml::from_str("R5: b\n2022: a\n令和６年度: c\nFY2025: d\n").unwrap();
        let keys: Vec<_> = map.keys().map(|y| y.key()).collect();
        assert_eq!(keys, ["R4", "R5", "R6", "R7"]);
        let back = serde_yaml::to_string(&map).unwrap();
        assert_eq!(back, "R4: a\nR5: b\nR6: c\nR7: d\n");
        let years: Vec<FiscalYear> = serde_yaml::from_str("[R4, 2023, '2024年度']").unwrap();
        assert_eq!(years, [fy(2022), fy(2023), fy(2024)]);
        for bad in ["令和X年度", "1900", "-5", "true", "[1]", "2022.5"] {
            let r: Result<FiscalYear, _> = serde_yaml::from_str(bad);
            assert!(r.is_err(), "{bad:?}");
        }
        let err = serde_yaml::from_str::<FiscalYear>("令和X年度").unwrap_err();
        assert!(err.to_string().contains("年度として読めません"), "{err}");
    }

    #[test]
    fn a_year_is_shown_in_the_era_the_plan_wrote_it_in() {
        let fy2019 = FiscalYear::from_western(2019);
        assert_eq!(written_era("平成31年度"), Some(Era::Heisei));
        assert_eq!(written_era("H31"), Some(Era::Heisei));
        assert_eq!(written_era("2019"), None);
        assert_eq!(written_era("R1"), Some(Era::Reiwa));
        assert_eq!(
            fy2019.label_as_written(written_era("平成31年度")),
            "平成31年度（令和元年度）"
        );
        assert_eq!(
            fy2019.label_long_as_written(Some(Era::Heisei)),
            "平成31年度（令和元年度・2019年度）"
        );
        assert_eq!(fy2019.label_as_written(Some(Era::Reiwa)), "令和元年度");
        assert_eq!(fy2019.label_as_written(None), "令和元年度");
        let fy2018 = FiscalYear::from_western(2018);
        assert_eq!(fy2018.label_as_written(Some(Era::Heisei)), "平成30年度");
        assert_eq!(fy2018.label_as_written(Some(Era::Reiwa)), "平成30年度");
    }
}
