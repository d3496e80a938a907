//! Measuring text without a font. Charts lay out their labels themselves, so they need each
//! label's width before drawing. plotters, built without a font backend (charts name system
//! fonts and embed none), guesses a width from the UTF-8 byte length — three bytes per kanji, so Japanese labels come out about
//! three times too wide. Instead a label is measured by East Asian Width (UAX #11): wide and
//! full-width characters take one em, everything else an average Latin advance. The estimate
//! leans wide, so a label that "fits" by this measure fits in any common Japanese system font.

use unicode_width::UnicodeWidthChar;

/// Advance of a narrow character (digits, Latin, `,` `.` `%`), in em. Digits are 0.55 em in
/// the common Japanese UI fonts; 0.6 leaves room for wider Latin capitals.
const NARROW_EM: f64 = 0.6;

/// Width of `text` at `size` px.
pub(crate) fn width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c.width() {
            Some(2) => 1.0,
            Some(0) | None => 0.0,
            _ => NARROW_EM,
        })
        .sum::<f64>()
        * size
}

/// Breaks `text` into lines no wider than `max` px at `size` px. Japanese has no spaces, so
/// any character boundary may break, but a line never starts with closing punctuation
/// (`、` `。` `）` …), which would look broken. A text with spaces (English, やさしい日本語's
/// spaced phrases) breaks at them, so that no word is cut in two ("a|nd"); a word wider
/// than the line still breaks inside.
pub(crate) fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    if !text.contains(' ') {
        return wrap_characters(text, size, max);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = match current.is_empty() {
            true => word.to_string(),
            false => format!("{current} {word}"),
        };
        if width(&candidate, size) <= max {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if width(word, size) <= max {
            current = word.to_string();
        } else {
            let mut pieces = wrap_characters(word, size, max);
            current = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// [`wrap`] at any character boundary.
fn wrap_characters(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let mut candidate = current.clone();
        candidate.push(c);
        if width(&candidate, size) > max && !current.is_empty() && !is_closing(c) {
            lines.push(std::mem::take(&mut current));
            if c.is_whitespace() {
                continue;
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

fn is_closing(c: char) -> bool {
    "、。，．）」』】〕・ー！？%)".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_is_one_em_per_character_not_three() {
        // Four wide characters and one digit.
        assert!((width("令和6年度", 10.0) - 46.0).abs() < 1e-9);
        assert!((width("33,474", 10.0) - 36.0).abs() < 1e-9);
        // A guess from the UTF-8 length (13 bytes) would be almost three times as wide.
        assert!(width("令和6年度", 10.0) * 2.5 < "令和6年度".len() as f64 * 10.0);
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width_and_punctuation_attached() {
        let lines = wrap(
            "職員の情報発信リテラシーの向上・情報発信力強化",
            14.0,
            140.0,
        );
        assert!(lines.iter().all(|l| width(l, 14.0) <= 140.0 + 14.0));
        assert_eq!(
            lines.concat(),
            "職員の情報発信リテラシーの向上・情報発信力強化"
        );
        assert!(lines.iter().skip(1).all(|l| !l.starts_with('・')));
    }

    #[test]
    fn a_text_with_spaces_breaks_between_its_words() {
        let title = "Revitalizing the local economy with a digital local currency and city points";
        let lines = wrap(title, 14.0, 200.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 14.0) <= 200.0), "{lines:?}");
        assert_eq!(lines.join(" "), title);
        let long = wrap("Supercalifragilisticexpialidocious city", 14.0, 100.0);
        assert!(
            long.iter().all(|l| width(l, 14.0) <= 100.0 + 14.0),
            "{long:?}"
        );
        assert_eq!(
            long.concat().replace(' ', ""),
            "Supercalifragilisticexpialidociouscity"
        );
    }
}
