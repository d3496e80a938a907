//! What an Excel number format says about the number in a cell. A workbook stores `0.72` for a
//! cell that shows `72%`, `40529000` for one that shows `40,529千円` (`#,##0,"千円"`), and
//! `1120` for `1,120`; the import must write what staff see, not what the file stores. Only
//! the parts of a format that change how a figure reads are understood: percent, digit
//! grouping, scaling by trailing commas, the shown decimals, and literal text around the
//! number (`"千円"`, `\件`, `[$¥-411]`). Colours, conditions and the sections after the first
//! `;` (for negative numbers, zero, text) do not change what the value is.

/// The reading of one format code.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct NumberFormat {
    /// The code, for messages.
    pub code: String,
    /// `%` in the code: the value is shown times 100.
    pub percent: bool,
    /// `#,##0`: digits shown in groups of three.
    pub grouped: bool,
    /// Digits after the decimal point the format shows (`0.0%` → 1).
    pub decimals: usize,
    /// Each comma right after the last digit placeholder divides the shown value by 1,000.
    pub thousands_scale: u32,
    /// Literal text before and after the number (`¥` is read as the unit 円, after it).
    pub prefix: String,
    pub suffix: String,
    /// A date or time format: the cell is a date, not a figure.
    pub date: bool,
}

/// A number as its format shows it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Shown {
    /// The value with its format's unit and grouping, at full precision (`72.5%`).
    pub text: String,
    /// What Excel shows when that differs, rounded to the format's decimals (`73%`).
    pub rounded: Option<String>,
}

/// The code of a built-in format id (ECMA-376 18.8.30), for the ids that change how a
/// number reads. General (0) and text (49) are `None`.
pub(crate) fn builtin(id: u32) -> Option<&'static str> {
    Some(match id {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        5 | 37 => "#,##0 ;(#,##0)",
        6 | 38 => "#,##0 ;[Red](#,##0)",
        7 | 39 => "#,##0.00;(#,##0.00)",
        8 | 40 => "#,##0.00;[Red](#,##0.00)",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        14..=22 | 45..=47 => "yyyy/m/d",
        _ => return None,
    })
}

impl NumberFormat {
    /// Reads the first section of `code`. `None` for General and text formats, which show the
    /// number as it is.
    pub(crate) fn parse(code: &str) -> Option<NumberFormat> {
        let lower = code.to_ascii_lowercase();
        if lower
            .split(';')
            .next()
            .is_some_and(|first| first.contains("general"))
        {
            return None;
        }
        let mut f = NumberFormat {
            code: code.to_string(),
            ..NumberFormat::default()
        };
        let mut seen_digit = false;
        let mut after_point = false;
        let mut pending_commas = 0u32;
        let mut chars = code.chars().peekable();
        let literal = |f: &mut NumberFormat, s: &str, seen_digit: bool| {
            if seen_digit {
                f.suffix.push_str(s);
            } else {
                f.prefix.push_str(s);
            }
        };
        while let Some(c) = chars.next() {
            match c {
                ';' => break,
                '"' => {
                    let mut s = String::new();
                    for q in chars.by_ref() {
                        if q == '"' {
                            break;
                        }
                        s.push(q);
                    }
                    literal(&mut f, &s, seen_digit);
                }
                '\\' => {
                    if let Some(q) = chars.next() {
                        literal(&mut f, &q.to_string(), seen_digit);
                    }
                }
                '[' => {
                    let mut s = String::new();
                    for q in chars.by_ref() {
                        if q == ']' {
                            break;
                        }
                        s.push(q);
                    }
                    // `[$¥-411]`: a currency symbol; `[Red]`, `[>=100]`: no text shown.
                    if let Some(sym) = s.strip_prefix('$') {
                        let sym = sym.split('-').next().unwrap_or("");
                        literal(&mut f, sym, seen_digit);
                    } else if matches!(
                        s.to_ascii_lowercase().as_str(),
                        "h" | "hh" | "m" | "mm" | "s" | "ss"
                    ) {
                        f.date = true;
                    }
                }
                '_' | '*' => {
                    // Padding: the next character only takes space.
                    chars.next();
                }
                '0' | '#' | '?' => {
                    seen_digit = true;
                    if pending_commas > 0 {
                        f.grouped = true;
                        pending_commas = 0;
                    }
                    if after_point {
                        f.decimals += 1;
                    }
                }
                '.' if seen_digit || chars.peek().is_some_and(|n| matches!(n, '0' | '#' | '?')) => {
                    after_point = true;
                    seen_digit = true;
                }
                ',' if seen_digit => pending_commas += 1,
                '%' => {
                    f.percent = true;
                    literal(&mut f, "%", seen_digit);
                }
                'y' | 'Y' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' | 'm' | 'M' if !seen_digit => {
                    f.date = true;
                }
                'E' | 'e' if seen_digit => {
                    // Scientific: shown with the plain number below.
                    chars.next();
                    while chars
                        .peek()
                        .is_some_and(|n| matches!(n, '0' | '#' | '+' | '-'))
                    {
                        chars.next();
                    }
                }
                '@' => {}
                ' ' | '(' | ')' | '-' | '+' | ':' | '/' => {
                    literal(&mut f, &c.to_string(), seen_digit)
                }
                other => literal(&mut f, &other.to_string(), seen_digit),
            }
        }
        f.thousands_scale = pending_commas;
        f.prefix = f.prefix.trim().to_string();
        f.suffix = f.suffix.trim().to_string();
        // The yen sign before a figure is the unit 円 after it, as the KPI grammar reads units.
        for yen in ["¥", "￥", "\\"] {
            if let Some(rest) = f.prefix.strip_suffix(yen) {
                f.prefix = rest.trim().to_string();
                f.suffix = format!("円{}", f.suffix);
            }
        }
        if f.date {
            return Some(f);
        }
        let plain = !f.percent
            && !f.grouped
            && f.thousands_scale == 0
            && f.prefix.is_empty()
            && f.suffix.is_empty();
        // `0.00` is the number as it is, but with its shown decimals for the rounding note.
        (f.percent || seen_digit && (!plain || f.decimals > 0)).then_some(f)
    }

    /// `value` as this format shows it.
    pub(crate) fn show(&self, value: f64) -> Shown {
        let mut v = value;
        if self.percent {
            v *= 100.0;
        }
        for _ in 0..self.thousands_scale {
            v /= 1000.0;
        }
        let exact = clean(v);
        let text = self.around(&group(&exact, self.grouped));
        // Half away from zero, as Excel rounds, from the cleaned value (`72.49999…` is 72.5).
        let scale = 10f64.powi(self.decimals as i32);
        let half_up = (exact.parse::<f64>().unwrap_or(v) * scale).round() / scale;
        let shown = format!("{:.*}", self.decimals, half_up);
        let shown = self.around(&group(&shown, self.grouped));
        let rounded = (Some(half_up) != parse_plain(&exact)).then_some(shown);
        Shown { text, rounded }
    }

    fn around(&self, number: &str) -> String {
        format!("{}{number}{}", self.prefix, self.suffix)
    }
}

/// The shortest decimal text of `v` without the noise of binary fractions
/// (`0.72 * 100` is `72.00000000000001`).
pub(crate) fn clean(v: f64) -> String {
    let s = format!("{:.10}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn parse_plain(s: &str) -> Option<f64> {
    s.replace(',', "").parse().ok()
}

/// `1234567.5` → `1,234,567.5` when `grouped`.
pub(crate) fn group(number: &str, grouped: bool) -> String {
    if !grouped {
        return number.to_string();
    }
    let (sign, rest) = match number.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", number),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(code: &str, v: f64) -> (String, Option<String>) {
        let s = NumberFormat::parse(code).unwrap().show(v);
        (s.text, s.rounded)
    }

    #[test]
    fn percent_thousands_and_yen_read_as_staff_see_them() {
        assert_eq!(show("0%", 0.72), ("72%".into(), None));
        assert_eq!(show("0.0%", 0.725), ("72.5%".into(), None));
        assert_eq!(show("0%", 0.725), ("72.5%".into(), Some("73%".into())));
        assert_eq!(show("#,##0", 1120.0), ("1,120".into(), None));
        assert_eq!(show("#,##0\"件\"", 1120.0), ("1,120件".into(), None));
        assert_eq!(
            show("#,##0,\"千円\"", 40529000.0),
            ("40,529千円".into(), None)
        );
        assert_eq!(show("#,##0\\千\\円", 40529.0), ("40,529千円".into(), None));
        assert_eq!(show("[$¥-411]#,##0", 3000.0), ("3,000円".into(), None));
        assert_eq!(
            show("\"¥\"#,##0;[Red]\"¥\"-#,##0", 3000.0),
            ("3,000円".into(), None)
        );
        assert_eq!(show(builtin(3).unwrap(), 1002.0), ("1,002".into(), None));
        assert_eq!(show(builtin(9).unwrap(), 0.8), ("80%".into(), None));
    }

    #[test]
    fn general_text_and_dates_are_told_apart() {
        assert_eq!(NumberFormat::parse("General"), None);
        assert_eq!(NumberFormat::parse("@"), None);
        assert_eq!(NumberFormat::parse("0"), None);
        assert!(NumberFormat::parse("yyyy/m/d").unwrap().date);
        assert!(
            NumberFormat::parse("[$-411]ggge\"年\"m\"月\"d\"日\"")
                .unwrap()
                .date
        );
        assert!(!NumberFormat::parse("#,##0\"日\"").unwrap().date);
    }
}
