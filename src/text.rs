//! Text as keikaku reads it and writes it: the one width-folding table, and the one HTML/XML
//! escape.
//!
//! # Width folding
//!
//! City staff type with a Japanese input method, which gives the full-width forms of ASCII:
//! `７０％`, `Ｒ４`, `第３四半期`, `施策　ＩＤ`. Wherever keikaku *reads* text — to find a
//! number, a year, a date, a quarter, a column, a dictionary order — it first folds these
//! forms with one table, [`fold_width`]; what it *shows* is always the text as written.
//!
//! | written | read as | examples |
//! | --- | --- | --- |
//! | full-width digits `０`–`９` (U+FF10–FF19) | `0`–`9` | `７０％`, `令和４年度` |
//! | full-width Latin letters `Ａ`–`Ｚ`, `ａ`–`ｚ` (U+FF21–FF3A, U+FF41–FF5A) | `A`–`Z`, `a`–`z` | `Ｒ４`, `ＩｏＴ`, `ＫＰＩ` |
//! | `％` `．` `，` `～` `－` `＋` `（` `）` `／` | `%` `.` `,` `~` `-` `+` `(` `)` `/` | `３０％以上`, `３０，０００`, `7～7.5俵` |
//! | the rest of full-width ASCII, U+FF01–FF5E (`！` … `｝`) | its ASCII form | `：`, `＿` |
//! | the ideographic space `　` (U+3000) | a space (U+0020) | `施策　ＩＤ` |
//!
//! Every entry is exactly what Unicode NFKC does to that character (a test checks each one),
//! and each folds one character into one character, so an index into the folded text is an
//! index into the original: the KPI cell grammar reports error columns that way.
//!
//! Nothing else is folded by [`fold_width`]. In particular NFKC would also change, and this
//! table deliberately leaves alone: half-width katakana (`ﾃﾚﾜｰｸ`, which a glossary reading must
//! not use and validation points at), circled numbers (`①`, KPI numbers in the city's sheets),
//! unit symbols (`㎡` → `m2`, `²` → `2`: a cell `50㎡` would gain a digit), `℃`, `㍑`; and NFKC
//! does not fold the wave dash `〜` (U+301C) or the minus sign `−` (U+2212), which the KPI cells
//! treat as look-alikes of `~` and `-` on top of this table.
//!
//! [`fold_compat`] is full NFKC, for text used only as a lookup key, where lengths may change
//! because no position in it is ever reported.
//!
//! ## Who folds what
//!
//! | caller | folding | why |
//! | --- | --- | --- |
//! | KPI cells ([`crate::kpi::cell`]) | [`fold_width`], plus the look-alikes `〜` `∼` `⁓` → `~`, `−` → `-`, `＊` → `※` | one-for-one, so error columns point at the written character; NFKC would read `㎡` and `²` as digits |
//! | fiscal years ([`crate::fiscal::parse`]) | [`fold_width`] | `Ｒ４`, `ＦＹ２０２２`; NFKC would also accept `R④` |
//! | dates ([`crate::date`]) | [`fold_width`] | `２０２４－０８－０１`, `令和６年８月改訂` |
//! | quarters of activity plans (`validate::activity`) | [`fold_width`], then `q` as `Q` | `第３四半期`, `ｑ２` |
//! | dictionary order, term identity and anchors ([`crate::glossary`]) | [`fold_width`], and the kana folding of [`crate::glossary::collate`] built on it | narrow and wide must stay distinguishable as a tie-breaker, so the fold is per character |
//! | import column headers and KPI numbers (`cli::import`) | [`fold_compat`] (NFKC), then case and spaces | a match key that is never shown; NFKC also reads headers exported in half-width katakana (`ﾒﾓ` = `メモ`) |
//!
//! The search index (`render::search`) normalises with NFKC on its own terms: it must agree
//! with `String.prototype.normalize('NFKC')` in the browser's search script.
//!
//! # Escaping
//!
//! [`escape_html`] is the one escape for text that keikaku writes into HTML, SVG or XML
//! outside the templates (which Tera escapes): the error overlay of `serve`, the Atom feed and
//! the charts. It is [`pulldown_cmark_escape::escape_html`], which replaces `&` `<` `>` `"` and
//! `'`. That variant is safe both in text and in quoted attribute values; the charts write the
//! same strings in both places, so the text-only variant (which leaves quotes alone) is never
//! used.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Folds one full-width character to ASCII by the table in the module documentation;
/// anything else is returned unchanged. Always one character for one.
pub(crate) fn fold_width(c: char) -> char {
    match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// [`fold_width`] over a whole text: as many characters as `s`, at the same indices. Text
/// without anything to fold is borrowed, not copied.
pub(crate) fn fold_width_str(s: &str) -> Cow<'_, str> {
    if s.chars().all(|c| fold_width(c) == c) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(fold_width).collect())
    }
}

/// Unicode NFKC: [`fold_width`]'s table and everything else compatibility normalisation
/// changes (half-width katakana, circled numbers, unit symbols). Lengths change, so use it
/// only for match keys, never for text whose positions are reported.
pub(crate) fn fold_compat(s: &str) -> String {
    s.nfkc().collect()
}

/// `s` escaped for HTML, SVG or XML text and quoted attribute values: `&` `<` `>` `"` `'`.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_html_into(&mut out, s);
    out
}

/// [`escape_html`], appended to `out`.
pub(crate) fn escape_html_into(out: &mut String, s: &str) {
    // Writing to a `String` cannot fail; the `Result` is only there for other writers.
    let _ = pulldown_cmark_escape::escape_html(out, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character the module documentation lists, with what it is read as.
    const LISTED: &[(char, char)] = &[
        ('０', '0'),
        ('１', '1'),
        ('５', '5'),
        ('９', '9'),
        ('Ａ', 'A'),
        ('Ｒ', 'R'),
        ('Ｚ', 'Z'),
        ('ａ', 'a'),
        ('ｑ', 'q'),
        ('ｚ', 'z'),
        ('％', '%'),
        ('．', '.'),
        ('，', ','),
        ('～', '~'),
        ('－', '-'),
        ('＋', '+'),
        ('（', '('),
        ('）', ')'),
        ('／', '/'),
        ('！', '!'),
        ('：', ':'),
        ('＿', '_'),
        ('｝', '}'),
        ('\u{3000}', ' '),
    ];

    #[test]
    fn every_listed_character_is_folded_as_documented() {
        for &(wide, narrow) in LISTED {
            assert_eq!(fold_width(wide), narrow, "{wide:?}");
            assert_eq!(fold_width_str(&wide.to_string()), narrow.to_string());
        }
    }

    #[test]
    fn the_table_is_nfkc_one_character_for_one() {
        let table = ('\u{FF01}'..='\u{FF5E}').chain(['\u{3000}']);
        for c in table {
            let folded = fold_width(c);
            assert!(folded.is_ascii(), "{c:?}");
            assert_eq!(fold_compat(&c.to_string()), folded.to_string(), "{c:?}");
        }
    }

    #[test]
    fn characters_outside_the_table_are_left_alone() {
        // NFKC would change the first five; the table must not, or a cell `50㎡` would gain a
        // digit, a reading `ﾃﾚﾜｰｸ` would pass as katakana, and error columns would drift.
        for c in [
            'ｶ', '①', '㎡', '²', '℃', '〜', '−', '※', 'ー', '令', '%', 'a', '7', '\u{FF5F}',
        ] {
            assert_eq!(fold_width(c), c, "{c:?}");
        }
        assert_eq!(fold_compat("ﾒﾓ①㎡"), "メモ1m2");
        assert!(matches!(fold_width_str("令和4年度 30%"), Cow::Borrowed(_)));
        let mixed = "３０％以上　（見込み）";
        let folded = fold_width_str(mixed);
        assert_eq!(folded, "30%以上 (見込み)");
        assert_eq!(folded.chars().count(), mixed.chars().count());
    }

    #[test]
    fn escapes_for_text_and_attributes() {
        assert_eq!(
            escape_html("A&B <c> \"d\" 'e' 令和6年度"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &#39;e&#39; 令和6年度"
        );
        let mut out = String::from("x=");
        escape_html_into(&mut out, "&&");
        assert_eq!(out, "x=&amp;&amp;");
        assert_eq!(escape_html("ヒント: そのまま"), "ヒント: そのまま");
    }
}
