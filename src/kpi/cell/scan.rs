//! The scanner behind [`super::parse_cell`]: reads a trimmed cell character by character.

use super::*;

/// The cell being read, as characters. `norm` is `orig` with look-alike characters folded
/// one-for-one, so an index means the same character in both and offsets stay exact.
pub(super) struct Text {
    pub(super) orig: Vec<char>,
    pub(super) norm: Vec<char>,
    /// Characters trimmed from the front, added to offsets in errors.
    pub(super) base: usize,
    pub(super) raw: String,
}

/// A number token: `start..end` in the text, and its first problem, if any.
pub(super) struct Token {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) problem: Option<(CellErrorKind, usize)>,
}

/// A quantity or a range, before labels are attached.
pub(super) enum Amount {
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
pub(super) enum Follow {
    /// The end of the cell.
    End,
    /// Whitespace, then more text starting at this index.
    Space(usize),
    /// A note opening with `(` or `※` right after the value, at this index.
    Note(usize),
}

impl Text {
    pub(super) fn new(trimmed: &str, base: usize) -> Text {
        let orig: Vec<char> = trimmed.chars().collect();
        let norm = orig.iter().map(|&c| fold(c)).collect();
        Text {
            orig,
            norm,
            base,
            raw: trimmed.to_string(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.norm.len()
    }

    pub(super) fn at(&self, i: usize) -> Option<char> {
        self.norm.get(i).copied()
    }

    /// Characters `from..to` as written.
    pub(super) fn slice(&self, from: usize, to: usize) -> String {
        self.orig[from..to].iter().collect()
    }

    /// Characters `from..to` as read: folded, so that `％` and `%` are one unit.
    pub(super) fn folded(&self, from: usize, to: usize) -> String {
        self.norm[from..to].iter().collect()
    }

    pub(super) fn error(&self, kind: CellErrorKind, at: usize) -> CellError {
        CellError {
            kind,
            offset: self.base + at,
            cell: self.raw.clone(),
        }
    }

    pub(super) fn skip_space(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(char::is_whitespace) {
            i += 1;
        }
        i
    }

    pub(super) fn not_applicable(&self) -> Option<Cell> {
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
    pub(super) fn value(&self) -> Result<Option<(CellValue, Option<String>)>, CellError> {
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
                // `30 000件`: a bare number and digits after a space are one number written
                // with a space (or two numbers); reading `30` with the note `000件` would be
                // silently wrong, so the cell is refused.
                let bare = matches!(
                    &amount,
                    Amount::Quantity {
                        unit: None,
                        qualifier: None,
                        ..
                    }
                );
                if bare && self.at(next).map(fold).is_some_and(|c| c.is_ascii_digit()) {
                    let mut space = next;
                    while space > 0 && self.at(space - 1).is_some_and(char::is_whitespace) {
                        space -= 1;
                    }
                    return Err(self.error(CellErrorKind::SpaceInNumber, space));
                }
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
    pub(super) fn find_value_start(
        &self,
        from: usize,
        first: bool,
    ) -> Option<(Option<String>, usize)> {
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
    pub(super) fn scan_amount(&self, start: usize) -> Result<Option<(Amount, Follow)>, CellError> {
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
                (Some(a), Some(b)) if a != b => {
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
    pub(super) fn follow(&self, i: usize) -> Option<Follow> {
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

    pub(super) fn opens_note(&self, i: usize) -> bool {
        matches!(self.at(i), Some('(' | '※'))
    }

    /// Text after whitespace that starts with hiragana continues a sentence that the
    /// extraction broke at a particle (`500万円以上 の測量等以外の業務委託`).
    pub(super) fn continues_sentence(&self, i: usize) -> bool {
        self.at(i).is_some_and(is_hiragana)
    }

    /// Reads the labelled items following the first one, from `next`. Returns them and
    /// where the text after them (a note) starts, if anything follows.
    pub(super) fn series_items(
        &self,
        mut next: usize,
    ) -> Result<(Vec<SeriesItem>, Option<usize>), CellError> {
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

    pub(super) fn starts_number(&self, i: usize) -> bool {
        match self.at(i) {
            Some(c) if c.is_ascii_digit() => true,
            Some(c) if is_sign(c) => self.at(i + 1).is_some_and(|d| d.is_ascii_digit()),
            _ => false,
        }
    }

    /// Reads a maximal run of digits, `,` and `.` (after an optional sign) at `start`, and
    /// records its first problem. Separators at the very end of the run, followed by
    /// whitespace or the end of the cell, are punctuation (`1, 2`), not part of it.
    pub(super) fn scan_number(&self, start: usize) -> Token {
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

    pub(super) fn number_problem(&self, from: usize, to: usize) -> Option<(CellErrorKind, usize)> {
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

    pub(super) fn number(&self, token: &Token) -> Result<Number, CellError> {
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
    pub(super) fn scan_unit(&self, start: usize) -> (Option<String>, Option<Qualifier>, usize) {
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
                    let unit = (k > 0).then(|| self.folded(start, start + k));
                    return (unit, Some(q), start + k + word.len());
                }
            }
        }
        ((i > start).then(|| self.folded(start, i)), None, i)
    }

    /// The note starting at `i`: trimmed, without a leading `※`, without parentheses that
    /// enclose all of it. `None` if nothing is left.
    pub(super) fn note_from(&self, i: usize) -> Option<String> {
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

    pub(super) fn closing_paren(&self, open: usize) -> Option<usize> {
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
    pub(super) fn into_series_value(self) -> SeriesValue {
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

    pub(super) fn into_value(self, label: Option<String>) -> CellValue {
        match self.into_series_value() {
            SeriesValue::Quantity(q) => CellValue::Quantity(Quantity { label, ..q }),
            SeriesValue::Range(r) => CellValue::Range(Range { label, ..r }),
        }
    }
}

/// Folds look-alike characters typed with a Japanese input method to one form, one character
/// for one, so that indices into the folded text are indices into the original: the width
/// table of [`crate::text`], plus the look-alikes that only cells need (the wave dash and other
/// tildes of ranges, the minus sign, and `＊` for the note mark `※`).
pub(super) fn fold(c: char) -> char {
    match c {
        '〜' | '∼' | '⁓' => '~',
        '−' => '-',
        '＊' => '※',
        _ => crate::text::fold_width(c),
    }
}

/// The qualifier words as characters, for matching inside a unit.
pub(super) const QUALIFIER_WORDS: [(Qualifier, &[char]); 4] = [
    (Qualifier::AtLeast, &['以', '上']),
    (Qualifier::AtMost, &['以', '下']),
    (Qualifier::LessThan, &['未', '満']),
    (Qualifier::MoreThan, &['超']),
];

pub(super) fn is_separator(c: char) -> bool {
    c == ',' || c == '.'
}

pub(super) fn is_sign(c: char) -> bool {
    matches!(c, '-' | '+' | '▲' | '△')
}

pub(super) fn is_na_marker(c: char) -> bool {
    matches!(
        c,
        '-' | '_' | '－' | '―' | 'ー' | '—' | '–' | '−' | '‐' | '‑' | '＿'
    )
}

pub(super) fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

/// Characters a unit is made of: letters of any script except hiragana (which marks running
/// text), plus the symbols used as units.
pub(super) fn is_unit_char(c: char) -> bool {
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
pub(super) fn says_provisional(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .enumerate()
        .any(|(k, w)| w == ['見', '込'] && !matches!(chars.get(k + 2), Some('ま' | 'め' | 'ん')))
}
