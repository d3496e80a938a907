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
        approximate: Option<Approximate>,
    },
    Range {
        low: Number,
        high: Number,
        unit: Option<String>,
        approximate: Option<Approximate>,
    },
}

/// Where a value starts: the label before it, an approximate word split off the end of that
/// label (`約` of `約30%`), and the index of the number.
pub(super) struct ValueStart {
    pub(super) label: Option<String>,
    pub(super) approximate: Option<String>,
    pub(super) start: usize,
}

/// What follows a number: its unit, a qualifier or the word of an approximate value (at most
/// one of the two), and where the value ends.
pub(super) struct UnitScan {
    pub(super) unit: Option<String>,
    pub(super) qualifier: Option<Qualifier>,
    pub(super) approximate: Option<String>,
    pub(super) end: usize,
}

/// What follows a value.
pub(super) enum Follow {
    /// The end of the cell.
    End,
    /// Whitespace, then more text starting at this index.
    Space(usize),
    /// A note opening with `(` or `※` right after the value, at this index.
    Note(usize),
    /// `/` and then a number, which starts at this index: the next value of a list.
    Slash(usize),
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
        let Some(ValueStart {
            label,
            approximate,
            start,
        }) = self.find_value_start(0, true)
        else {
            return Ok(None);
        };
        let Some((mut amount, follow)) = self.scan_amount(start)? else {
            return Ok(None);
        };
        amount.approximate_before(approximate);
        let note_at = match follow {
            Follow::End => None,
            Follow::Note(at) => Some(at),
            Follow::Slash(next) => {
                // A first value without a unit is a date or a fraction (`4/1`, `3/5校`).
                if !amount.has_unit() {
                    return Ok(None);
                }
                return self.list(label, amount, next);
            }
            Follow::Space(next) => {
                self.refuse_space_in_number(&amount, next)?;
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

    /// `30 000件`: a bare number and digits after a space are one number written with a space
    /// (or two numbers); reading `30` with the note `000件` would be silently wrong, so the
    /// cell is refused. `next` is where the text after the space starts.
    fn refuse_space_in_number(&self, amount: &Amount, next: usize) -> Result<(), CellError> {
        if amount.is_bare() && self.at(next).is_some_and(|c| c.is_ascii_digit()) {
            let mut space = next;
            while space > 0 && self.at(space - 1).is_some_and(char::is_whitespace) {
                space -= 1;
            }
            return Err(self.error(CellErrorKind::SpaceInNumber, space));
        }
        Ok(())
    }

    /// Reads the values of a list after its first one (`700回/1/1`), from `next`, the number
    /// after the first `/`.
    fn list(
        &self,
        label: Option<String>,
        first: Amount,
        mut next: usize,
    ) -> Result<Option<(CellValue, Option<String>)>, CellError> {
        let mut items = vec![first.into_series_value()];
        loop {
            let Some((amount, follow)) = self.scan_amount(next)? else {
                return Ok(None);
            };
            let note_at = match follow {
                Follow::Slash(at) => {
                    items.push(amount.into_series_value());
                    next = at;
                    continue;
                }
                Follow::End => None,
                Follow::Note(at) => Some(at),
                Follow::Space(at) => {
                    self.refuse_space_in_number(&amount, at)?;
                    if self.continues_sentence(at) {
                        return Ok(None);
                    }
                    Some(at)
                }
            };
            items.push(amount.into_series_value());
            let note = note_at.and_then(|at| self.note_from(at));
            return Ok(Some((CellValue::List(ValueList { label, items }), note)));
        }
    }

    /// Finds the first number at or after `from`, returning the label before it and where
    /// the number (with its sign) starts. `None` when there is no number or the number cannot
    /// be a value: glued to a Latin letter, or — for series items — a label that is not a
    /// plain name.
    pub(super) fn find_value_start(&self, from: usize, first: bool) -> Option<ValueStart> {
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
        let (label, approximate) = split_approximate(self.slice(from, start).trim());
        if !first
            && (label.is_empty()
                || label
                    .chars()
                    .map(fold)
                    .any(|c| matches!(c, '(' | ')' | '※' | '~' | ',' | '.')))
        {
            return None;
        }
        Some(ValueStart {
            label: (!label.is_empty()).then_some(label),
            approximate,
            start,
        })
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
        let UnitScan {
            unit: low_unit,
            qualifier,
            approximate: low_approximate,
            end: after_low,
        } = self.scan_unit(low.end);

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
            let UnitScan {
                unit: high_unit,
                qualifier: high_qualifier,
                approximate: high_approximate,
                end: after_high,
            } = self.scan_unit(high.end);
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
                approximate: low_approximate.or(high_approximate).map(Approximate::After),
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
            approximate: low_approximate.map(Approximate::After),
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
            Some('/') if self.starts_number(i + 1) => Some(Follow::Slash(i + 1)),
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
            let Some(ValueStart {
                label: Some(label),
                approximate,
                start,
            }) = self.find_value_start(next, false)
            else {
                return Ok((items, Some(next)));
            };
            let Some((mut amount, follow)) = self.scan_amount(start)? else {
                return Ok((items, Some(next)));
            };
            let rest = match follow {
                // A list is not a series item: the text from here on is the note.
                Follow::Slash(_) => return Ok((items, Some(next))),
                Follow::End => Some(None),
                Follow::Note(at) => Some(Some(at)),
                Follow::Space(after) => {
                    next = after;
                    None
                }
            };
            amount.approximate_before(approximate);
            items.push(SeriesItem {
                label,
                value: amount.into_series_value(),
            });
            if let Some(rest) = rest {
                return Ok((items, rest));
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

    /// Reads the unit after a number and splits off a trailing qualifier or the word of an
    /// approximate value (rule 4), whichever comes first.
    pub(super) fn scan_unit(&self, start: usize) -> UnitScan {
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
                    // `人/月`; with a count only a period (`%/3か月`): `50%/60%` is a list and
                    // `3/5校` a fraction, not units.
                    let counted = j > i + 1;
                    match self.at(j) {
                        Some(c) if is_unit_char(c) && (!counted || self.period_at(j)) => i = j,
                        Some('か') if self.at(j + 1) == Some('月') => i = j,
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        let unit_until = |k: usize| (k > start).then(|| self.folded(start, k));
        let run = &self.norm[start..i];
        for k in 0..run.len() {
            for (q, word) in QUALIFIER_WORDS {
                if run[k..].starts_with(word) {
                    return UnitScan {
                        unit: unit_until(start + k),
                        qualifier: Some(q),
                        approximate: None,
                        end: start + k + word.len(),
                    };
                }
            }
            let word_len = APPROXIMATE_AFTER_IN_UNIT
                .iter()
                .find(|w| run[k..].starts_with(w))
                .map(|w| w.len())
                .or_else(|| {
                    // `程` alone only after a non-kanji: `3工程` and `2課程` are units.
                    (run[k] == '程' && k + 1 == run.len() && (k == 0 || !is_kanji(run[k - 1])))
                        .then_some(1)
                });
            if let Some(len) = word_len {
                return UnitScan {
                    unit: unit_until(start + k),
                    qualifier: None,
                    approximate: Some(self.slice(start + k, start + k + len)),
                    end: start + k + len,
                };
            }
        }
        if let Some(word) = APPROXIMATE_AFTER_KANA
            .iter()
            .find(|w| self.norm[i..].starts_with(w))
        {
            return UnitScan {
                unit: unit_until(i),
                qualifier: None,
                approximate: Some(self.slice(i, i + word.len())),
                end: i + word.len(),
            };
        }
        UnitScan {
            unit: unit_until(i),
            qualifier: None,
            approximate: None,
            end: i,
        }
    }

    /// A word for a period of time at `i` (`か月` is matched by the caller): the `3か月` of
    /// `%/3か月`, `年` of `件/2年`.
    fn period_at(&self, i: usize) -> bool {
        PERIOD_WORDS.iter().any(|w| self.norm[i..].starts_with(w))
    }

    /// Rule 10 of [`super`]: whether this qualitative text reads as figures rather than words.
    pub(super) fn number_like(&self) -> bool {
        let end = self
            .norm
            .iter()
            .position(|&c| c == '(' || c == '※')
            .unwrap_or(self.len());
        let chars = &self.norm[..end];
        // `か` of `か月` is a letter of the unit, not hiragana of a sentence.
        let letter = |k: usize| {
            is_word_char(chars[k]) || (chars[k] == 'か' && chars.get(k + 1) == Some(&'月'))
        };
        let mut pieces: Vec<Piece> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                while i < chars.len() && (chars[i].is_ascii_digit() || is_separator(chars[i])) {
                    i += 1;
                }
                pieces.push(Piece::Number);
            } else if letter(i) {
                let from = i;
                while i < chars.len() && letter(i) {
                    i += 1;
                }
                pieces.push(Piece::Word(from, i));
            } else if is_hiragana(c) {
                return false;
            } else {
                pieces.push(Piece::Other(c));
                i += 1;
            }
        }
        let word = |p: &Piece| match *p {
            Piece::Word(from, to) => Some(&chars[from..to]),
            _ => None,
        };
        let is_number = |k: usize| matches!(pieces.get(k), Some(Piece::Number));
        // A symbol a unit may be glued to the number through: `%` of `10%増`, `~` of `7~千円`.
        let joins = |k: usize| matches!(pieces[k], Piece::Other(c) if c == '~' || c == '/' || is_unit_char(c));
        for (k, p) in pieces.iter().enumerate() {
            if word(p).is_none() {
                continue;
            }
            let after_number =
                k > 0 && (is_number(k - 1) || (k > 1 && joins(k - 1) && is_number(k - 2)));
            if !after_number && !is_number(k + 1) {
                return false;
            }
        }
        pieces.iter().enumerate().any(|(k, p)| {
            let era = k > 0 && word(&pieces[k - 1]).is_some_and(is_era_prefix);
            let date = pieces.get(k + 1).and_then(word).is_some_and(is_date_word);
            matches!(p, Piece::Number) && !era && !date
        })
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
    /// Marks the value approximate by the word before it (`約` of `約30%`). A word before the
    /// number wins over one after it, as it is the one read first.
    pub(super) fn approximate_before(&mut self, word: Option<String>) {
        let Some(word) = word else { return };
        match self {
            Amount::Quantity { approximate, .. } | Amount::Range { approximate, .. } => {
                *approximate = Some(Approximate::Before(word));
            }
        }
    }

    pub(super) fn has_unit(&self) -> bool {
        match self {
            Amount::Quantity { unit, .. } | Amount::Range { unit, .. } => unit.is_some(),
        }
    }

    /// A number alone: no unit, qualifier or approximate word.
    pub(super) fn is_bare(&self) -> bool {
        matches!(
            self,
            Amount::Quantity {
                unit: None,
                qualifier: None,
                approximate: None,
                ..
            }
        )
    }

    pub(super) fn into_series_value(self) -> SeriesValue {
        match self {
            Amount::Quantity {
                number,
                unit,
                qualifier,
                approximate,
            } => SeriesValue::Quantity(Quantity {
                label: None,
                number,
                unit,
                qualifier,
                approximate,
            }),
            Amount::Range {
                low,
                high,
                unit,
                approximate,
            } => SeriesValue::Range(Range {
                label: None,
                low,
                high,
                unit,
                approximate,
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

/// Periods that may follow `/` and a count in a compound unit (`%/3か月`, `件/2週`).
pub(super) const PERIOD_WORDS: [&[char]; 10] = [
    &['ヶ', '月'],
    &['ケ', '月'],
    &['カ', '月'],
    &['ヵ', '月'],
    &['箇', '月'],
    &['年'],
    &['月'],
    &['週'],
    &['日'],
    &['時', '間'],
];

/// Words before a number that make it approximate (rule 4), longest first so that `おおむね`
/// is not read as `ね`.
pub(super) const APPROXIMATE_BEFORE: [&str; 6] =
    ["おおむね", "およそ", "凡そ", "概ね", "ほぼ", "約"];

/// Kanji before `約` that make a word with it (`契約`, `予約` …): there `約` is not the
/// approximate word.
pub(super) const YAKU_WORDS: [char; 24] = [
    '契', '予', '成', '集', '要', '節', '制', '規', '協', '条', '誓', '公', '盟', '婚', '倹', '確',
    '特', '解', '違', '先', '密', '締', '簡', '縮',
];

/// Words after a unit that make the value approximate, read inside the unit's run of letters.
pub(super) const APPROXIMATE_AFTER_IN_UNIT: [&[char]; 2] = [&['程', '度'], &['前', '後']];

/// Words in kana after the unit that make the value approximate.
pub(super) const APPROXIMATE_AFTER_KANA: [&[char]; 3] =
    [&['ほ', 'ど'], &['く', 'ら', 'い'], &['ぐ', 'ら', 'い']];

/// Splits the word of an approximate value off the end of a label: `約` → (``, `約`),
/// `参加者 約` → (`参加者`, `約`), `契約` → (`契約`, none).
pub(super) fn split_approximate(label: &str) -> (String, Option<String>) {
    for word in APPROXIMATE_BEFORE {
        let Some(rest) = label.strip_suffix(word) else {
            continue;
        };
        if word == "約"
            && rest
                .chars()
                .next_back()
                .is_some_and(|c| YAKU_WORDS.contains(&c))
        {
            break;
        }
        return (rest.trim_end().to_string(), Some(word.to_string()));
    }
    (label.to_string(), None)
}

/// A token of qualitative text, for rule 10: a number, a run of letters (`from..to`), or any
/// other character.
pub(super) enum Piece {
    Number,
    Word(usize, usize),
    Other(char),
}

/// Letters of words: any script but hiragana.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() && !is_hiragana(c)
}

/// `R` `H` `FY` (in either case) or a word ending in `令和` `平成`, right before a year.
fn is_era_prefix(word: &[char]) -> bool {
    let s: String = word.iter().collect();
    ["R", "H", "FY"].iter().any(|e| s.eq_ignore_ascii_case(e))
        || s.ends_with("令和")
        || s.ends_with("平成")
}

/// A word after a number that makes it a date: `年度…`, `月…`, or `年`/`日` not followed by
/// `間` (`5年間` and `3日間` are durations, quantities).
fn is_date_word(word: &[char]) -> bool {
    match word {
        ['年', '度', ..] | ['月', ..] => true,
        ['年' | '日', rest @ ..] => rest.first() != Some(&'間'),
        _ => false,
    }
}

/// CJK ideographs (and `々`).
pub(super) fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々')
        || ('\u{20000}'..='\u{3134F}').contains(&c)
}

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
