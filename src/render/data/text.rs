//! Text as the data files write it, following the government's rules for machine-readable
//! data (総務省「統計表における機械判読可能なデータの作成に関する表記方法」 check items 1-5 and
//! 1-10, carried on by デジタル庁): no line breaks or layout inside a cell, no
//! machine-dependent characters (機種依存文字), narrative text without markup. And, because
//! the CSV files are meant to be opened in Excel, no cell that a spreadsheet would run as a
//! formula (OWASP, "CSV Injection"). The pages keep the text exactly as written; only the
//! data files are folded.

use std::borrow::Cow;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use unicode_normalization::UnicodeNormalization;

/// Whether `c` is a machine-dependent character that [`fold`] replaces: the characters the
/// rule names (丸数字 ①, ローマ数字 Ⅱ, 単位記号 ㎏ ㌔, 省略文字 ㈱ ℡ №, 元号 ㍻) and the
/// rest of their Unicode blocks, plus half-width katakana (半角カナ).
pub fn is_machine_dependent(c: char) -> bool {
    matches!(c,
        '\u{2116}' // № NUMERO SIGN
        | '\u{2121}' // ℡ TELEPHONE SIGN
        | '\u{2160}'..='\u{2188}' // Ⅰ Ⅱ … ⅰ ⅱ … (Number Forms: Roman numerals)
        | '\u{2460}'..='\u{24FF}' // ① ⑴ ⒈ Ⓐ ⓐ … (Enclosed Alphanumerics)
        | '\u{3200}'..='\u{33FF}' // ㈱ ㉑ ㊤ ㍻ ㌔ ㎏ ㏍ … (Enclosed CJK, CJK Compatibility)
        | '\u{FF61}'..='\u{FF9F}' // ｱ ｶﾞ … (half-width katakana)
    )
}

/// Whether `c` is a number in a circle (① ㉑ ㊿, ⓪, ⓫ …), written `(1)` once folded.
fn is_circled(c: char) -> bool {
    matches!(c,
        '\u{2460}'..='\u{2473}' // ①–⑳
        | '\u{24B6}'..='\u{24FF}' // Ⓐ–ⓩ, ⓪, ⓫–⓴, ⓵–⓾, ⓿
        | '\u{3251}'..='\u{325F}' // ㉑–㉟
        | '\u{3280}'..='\u{32BF}' // ㊀–㊉ (circled 一 …), ㊤ ㊥ …, ㊱–㊿
        | '\u{32D0}'..='\u{32FE}' // ㋐–㋾ (circled katakana)
    )
}

/// Whether `c` is a half-width katakana (or its voiced marks).
fn is_half_width_kana(c: char) -> bool {
    matches!(c, '\u{FF61}'..='\u{FF9F}')
}

/// Appends the replacement of a machine-dependent character, or of a run of half-width
/// katakana: its compatibility decomposition (NFKC: Ⅱ → `II`, ㈱ → `(株)`, ㍻ → `平成`,
/// ㌔ → `キロ`, ㎏ → `kg`, ℡ → `TEL`, ｶﾞ → `ガ`), with a circled number or letter put in
/// half-width brackets as the rule's examples do (① → `(1)`, ㊤ → `(上)`). A run of kana is
/// decomposed as one, so that a voiced mark combines with the kana before it.
fn replacement(run: &str, out: &mut String) {
    let mut chars = run.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if is_circled(c) => {
            out.push('(');
            out.extend(c.to_string().nfkc());
            out.push(')');
        }
        _ => out.extend(run.nfkc()),
    }
}

/// What a text cell is made into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// One line: every line break and tab becomes one space (CSV and JSON cells).
    One,
    /// Line breaks kept: the Markdown of a narrative, which needs them (JSON only).
    Kept,
}

/// `text` with its machine-dependent characters replaced ([`is_machine_dependent`]) and, for
/// [`Lines::One`], its line breaks and tabs turned into single spaces. Borrowed when nothing
/// changes, which is nearly always.
pub fn fold(text: &str, lines: Lines) -> Cow<'_, str> {
    let breaks = |c: char| lines == Lines::One && matches!(c, '\r' | '\n' | '\t');
    if !text.chars().any(|c| is_machine_dependent(c) || breaks(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if breaks(c) {
            while chars.peek().is_some_and(|&n| breaks(n) || n == ' ') {
                chars.next();
            }
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if is_machine_dependent(c) {
            // A run of half-width katakana is folded as one, for its voiced marks.
            let mut run = String::from(c);
            if is_half_width_kana(c) {
                while let Some(&n) = chars.peek() {
                    if !is_half_width_kana(n) {
                        break;
                    }
                    run.push(n);
                    chars.next();
                }
            }
            replacement(&run, &mut out);
        } else {
            out.push(c);
        }
    }
    if lines == Lines::One {
        let trimmed = out.trim_matches(' ');
        if trimmed.len() != out.len() {
            out = trimmed.to_string();
        }
    }
    Cow::Owned(out)
}

/// The first characters that make a spreadsheet read a cell as a formula: the OWASP list
/// (`=`, `+`, `-`, `@`, tab, carriage return) and, as a precaution for Japanese input, their
/// full-width forms.
fn starts_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'])
}

/// A text cell as the CSV file writes it: a cell a spreadsheet would read as a formula
/// (`=HYPERLINK(…)`, `-` …) gets a leading `'`, which Excel, LibreOffice and Google Sheets take
/// as "this is text" (OWASP). So that the rule can be undone exactly ([`unneutralise`]), a cell
/// that already starts with `'` followed by such a character gets one more `'`. Only text
/// columns go through this: numbers, dates and booleans are written as they are.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if starts_formula(text.trim_start_matches('\'')) && !text.is_empty() {
        let mut out = String::with_capacity(text.len() + 1);
        out.push('\'');
        out.push_str(text);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// The text of a CSV cell as it was before [`neutralise`]: for programs that read the CSV and
/// want the value, not the spreadsheet guard (docs/open-data.md).
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_formula(rest.trim_start_matches('\'')) => rest,
        _ => cell,
    }
}

/// Markdown as one line of plain text, for the narrative columns: the words without markup
/// (`**`, list markers, `#`, link syntax), paragraphs and list items run together, an ordered
/// item numbered `(1)`, a link's address kept after its text when it is a web address. Line
/// breaks inside a paragraph vanish between Japanese characters and become a space between
/// Latin ones, as a reader would join them.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut links: Vec<Option<String>> = Vec::new();
    let mut pending_break = false;
    let mut soft_break = false;
    let push = |out: &mut String, text: &str, pending_break: &mut bool, soft_break: &mut bool| {
        let text = text.trim_start_matches(['\n', '\r']);
        if text.is_empty() {
            return;
        }
        if !out.is_empty() {
            let first = text.chars().next().unwrap_or(' ');
            let last = out.chars().next_back().unwrap_or(' ');
            if *pending_break {
                if !ends_sentence(last) && last != ' ' {
                    out.push(' ');
                }
            } else if *soft_break && (last.is_ascii_alphanumeric() || first.is_ascii_alphanumeric())
            {
                out.push(' ');
            }
        }
        *pending_break = false;
        *soft_break = false;
        out.push_str(text);
    };
    let mut ruby = crate::markdown::PlainRuby::new(markdown);
    for event in Parser::new_ext(markdown, crate::markdown::options()) {
        match event {
            Event::Text(t) => {
                let t = ruby.text(&t);
                push(&mut out, &t, &mut pending_break, &mut soft_break)
            }
            Event::Code(t) => push(&mut out, &t, &mut pending_break, &mut soft_break),
            Event::Html(h) | Event::InlineHtml(h) => {
                let text = strip_tags(&h);
                push(&mut out, &text, &mut pending_break, &mut soft_break);
            }
            Event::SoftBreak => soft_break = true,
            Event::HardBreak => pending_break = true,
            Event::Start(Tag::List(first)) => {
                pending_break = true;
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                pending_break = true;
            }
            Event::Start(Tag::Item) => {
                pending_break = true;
                if let Some(Some(n)) = lists.last_mut() {
                    push(
                        &mut out,
                        &format!("({n})"),
                        &mut pending_break,
                        &mut soft_break,
                    );
                    out.push(' ');
                    *n += 1;
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let url = dest_url.trim();
                let web = url.starts_with("http://") || url.starts_with("https://");
                links.push(web.then(|| url.to_string()));
            }
            Event::End(TagEnd::Link) => {
                if let Some(Some(url)) = links.pop() {
                    if !out.ends_with(url.as_str()) {
                        out.push('（');
                        out.push_str(&url);
                        out.push('）');
                    }
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::FootnoteDefinition,
            ) => pending_break = true,
            Event::FootnoteReference(label) => push(
                &mut out,
                &format!("[{label}]"),
                &mut pending_break,
                &mut soft_break,
            ),
            Event::Rule => pending_break = true,
            _ => {}
        }
    }
    fold(out.trim(), Lines::One).into_owned()
}

/// Japanese sentence ends, after which the next paragraph or item follows without a space.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '．')
}

/// The text of a piece of HTML, its tags removed.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A unit made comparable: `base` is the unit without its scale and in half-width
/// (`千円` → `円`, `％` → `%`, `万人` → `人`), `scale` what a value in the written unit is
/// multiplied by to be in `base` (`千円` → 1000).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The unit without its scale, half-width (`円`, `%`, `人`).
    pub base: String,
    /// What a value in the written unit is multiplied by to be in `base`.
    pub scale: u64,
}

/// The Japanese number words a unit may start with, longest first, and their value.
const SCALES: &[(&str, u64)] = &[
    ("千億", 100_000_000_000),
    ("百億", 10_000_000_000),
    ("十億", 1_000_000_000),
    ("千万", 10_000_000),
    ("百万", 1_000_000),
    ("十万", 100_000),
    ("兆", 1_000_000_000_000),
    ("億", 100_000_000),
    ("万", 10_000),
    ("千", 1_000),
];

/// Normalises a unit as written: full-width letters, digits and signs become half-width
/// (`％` and `%` are one unit), machine-dependent characters are folded (`㎏` → `kg`), and a
/// leading number word is taken off as the scale (`千円` → 円 × 1000). A bare number word
/// (`万`) or an empty unit has no base.
pub fn normalise_unit(unit: &str) -> Option<Unit> {
    let folded = fold(unit, Lines::One);
    let half: String = folded
        .trim_matches([' ', '\u{3000}'])
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    if half.is_empty() {
        return None;
    }
    for (word, scale) in SCALES {
        if let Some(rest) = half.strip_prefix(word) {
            if !rest.is_empty() {
                return Some(Unit {
                    base: rest.to_string(),
                    scale: *scale,
                });
            }
        }
    }
    Some(Unit {
        base: half,
        scale: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_dependent_characters_are_folded_as_the_rule_shows() {
        let cases = [
            ("成果目標①と⑳", "成果目標(1)と(20)"),
            ("第Ⅱ期・ⅲ", "第II期・iii"),
            ("㈱木更津・㈲", "(株)木更津・(有)"),
            ("㍻31年・㍼", "平成31年・昭和"),
            ("10㌔・5㎏・3㎡", "10キロ・5kg・3m2"),
            ("℡ 0438・№1・㏍", "TEL 0438・No1・KK"),
            ("㊤㉑", "(上)(21)"),
            ("ｶﾞｲﾄﾞ", "ガイド"),
            ("⑴", "(1)"),
        ];
        for (given, folded) in cases {
            assert_eq!(fold(given, Lines::One), folded, "{given}");
            assert!(!folded.chars().any(is_machine_dependent), "{folded}");
        }
        assert!(matches!(
            fold("普通の文（全角括弧）％", Lines::One),
            Cow::Borrowed(_)
        ));
    }

    /// Open-data text columns hold the words a reader sees, not the furigana markup; a brace
    /// the author escaped stays a brace.
    #[test]
    fn narrative_columns_carry_the_word_of_each_ruby() {
        assert_eq!(
            plain_text("{木更津|きさらづ}市の**施策**"),
            "木更津市の施策"
        );
        assert_eq!(plain_text("\\{木更津|きさらづ}"), "{木更津|きさらづ}");
        assert_eq!(plain_text("`{a|b}` と {市|し}"), "{a|b} と 市");
    }

    #[test]
    fn one_line_cells_lose_their_line_breaks_and_markdown_keeps_them() {
        assert_eq!(fold("a\r\nb\n\n  c\td", Lines::One), "a b c d");
        assert_eq!(fold("\n先頭と末尾\n", Lines::One), "先頭と末尾");
        assert_eq!(fold("- ①\n- b\n", Lines::Kept), "- (1)\n- b\n");
    }

    #[test]
    fn formulas_get_a_quote_and_the_quote_comes_off_again() {
        for (cell, csv) in [
            (
                "=HYPERLINK(\"https://evil.example\",\"x\")",
                "'=HYPERLINK(\"https://evil.example\",\"x\")",
            ),
            ("+1", "'+1"),
            ("-", "'-"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("＝1", "'＝1"),
            ("'=1", "''=1"),
            ("''-", "'''-"),
            ("普通の値", "普通の値"),
            ("'引用", "'引用"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), csv, "{cell:?}");
            assert_eq!(unneutralise(&neutralise(cell)), cell, "{cell:?}");
        }
    }

    #[test]
    fn markdown_becomes_one_plain_line() {
        let md = "- **利用促進事業**：アクアコインの機能を発信します。\n- 加盟促進事業\n- 最後の項目。\n";
        assert_eq!(
            plain_text(md),
            "利用促進事業：アクアコインの機能を発信します。加盟促進事業 最後の項目。"
        );
        assert_eq!(
            plain_text("1. 一つ目です。\n2. 二つ目\n\n段落は\n続きます。"),
            "(1) 一つ目です。(2) 二つ目 段落は続きます。"
        );
        assert_eq!(
            plain_text("[ICT](用語:)を使う。[市](https://www.city.example.lg.jp/)の\nweb\nsite"),
            "ICTを使う。市（https://www.city.example.lg.jp/）の web site"
        );
        assert_eq!(
            plain_text("# 見出し\n\n本文 `code` と <b>太字</b>"),
            "見出し 本文 code と 太字"
        );
        assert_eq!(plain_text("成果目標①は"), "成果目標(1)は");
        assert_eq!(plain_text(""), "");
    }

    #[test]
    fn units_are_normalised_with_their_scale() {
        let u = |base: &str, scale| {
            Some(Unit {
                base: base.into(),
                scale,
            })
        };
        assert_eq!(normalise_unit("千円"), u("円", 1000));
        assert_eq!(normalise_unit("％"), u("%", 1));
        assert_eq!(normalise_unit("%"), u("%", 1));
        assert_eq!(normalise_unit("百万円"), u("円", 1_000_000));
        assert_eq!(normalise_unit("万人"), u("人", 10_000));
        assert_eq!(normalise_unit("億円"), u("円", 100_000_000));
        assert_eq!(normalise_unit("㎏"), u("kg", 1));
        assert_eq!(normalise_unit(" 件 "), u("件", 1));
        assert_eq!(normalise_unit("分短縮"), u("分短縮", 1));
        assert_eq!(normalise_unit("万"), u("万", 1));
        assert_eq!(normalise_unit(""), None);
    }
}
