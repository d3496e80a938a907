//! Furigana (ふりがな): the ruby syntax authors write in Markdown and in YAML text.
//!
//! `{木更津|きさらづ}` puts the reading over the whole word; `{木更津|き|さら|づ}` puts one
//! reading over each character (as many readings as the word has characters), so that a
//! reader sees which kanji reads how. The HTML is
//! `<ruby>木更津<rp>（</rp><rt>きさらづ</rt><rp>）</rp></ruby>`: the `<rp>` parentheses are
//! hidden wherever ruby is shown, and appear — 木更津（きさらづ） — where it is not (text
//! browsers, reader views, copied text, feed readers), so the reading is never glued to the
//! word.
//!
//! Plain-text outputs (the `<title>`, `<meta name="description">`, the search index, the
//! feed, open-data text cells) get the base text only ([`base_text`]): that is what people
//! search for and quote, and a reading in parentheses after every annotated word would double
//! the text of a やさしい日本語 page.
//!
//! The grammar, deliberately small so that a brace in ordinary text stays text:
//!
//! 1. `{` up to the next `}` on the same line, with no other `{` between, and at least one `|`
//!    inside, is ruby. Spaces around the parts are ignored.
//! 2. Without a `|` (`{注}`) the braces are ordinary text, with no warning.
//! 3. `\{` is a literal brace (and `\}` a literal closing one); in Markdown this is
//!    Markdown's own escape (`&#123;` works too), in YAML text [`to_html`] and [`base_text`]
//!    remove the backslash. Inside a Markdown table `|` separates cells: write `\|` there.
//! 4. Anything else that starts like ruby — an empty word or reading, a reading count that
//!    matches neither the whole word nor its characters, a `{…|` with no `}` on its line — is
//!    left as written and reported ([`problems`]) as a warning at its position.
//!
//! The site-wide dictionary of readings (`readings:` in `config.yaml`, for place and proper
//! names) adds ruby to the words it lists ([`annotate`]); see `docs/languages.md` for why no
//! reading is ever guessed from a general dictionary.

use std::borrow::Cow;
use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, MatchKind};

/// One reading over part of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ruby<'a> {
    /// The word as it is written (漢字).
    pub base: &'a str,
    /// One reading for the whole word, or one per character of `base`.
    pub readings: Vec<&'a str>,
}

/// A piece of text: written as it is, or a word with its reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Ordinary text (which may hold braces that are not ruby).
    Text(&'a str),
    /// `{base|reading}`.
    Ruby(Ruby<'a>),
}

/// What is wrong with something that looks like ruby.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// `{|きさらづ}`.
    EmptyBase,
    /// `{木更津|}` or `{木更津|き||づ}`.
    EmptyReading,
    /// More than one reading, but not one per character of the word.
    ReadingCount {
        /// Characters of the word.
        characters: usize,
        /// Readings given.
        readings: usize,
    },
    /// `{木更津|きさらづ` with no `}` before the end of the line.
    Unclosed,
}

/// A malformed ruby at byte `offset` of the text that was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// Byte offset of its `{`.
    pub offset: usize,
    /// What is wrong.
    pub problem: Problem,
}

impl Malformed {
    /// The warning's message, in Japanese as every content message is.
    pub fn message(&self) -> String {
        match self.problem {
            Problem::EmptyBase => "ふりがなの { と | の間に、読みを付ける語がありません".to_string(),
            Problem::EmptyReading => "ふりがなの読みが空です".to_string(),
            Problem::ReadingCount {
                characters,
                readings,
            } => format!(
                "ふりがなの読みが{readings}つありますが、語は{characters}文字です（読みは1つか、1文字に1つずつ）"
            ),
            Problem::Unclosed => "ふりがなの { が同じ行の } で閉じられていません".to_string(),
        }
    }

    /// How to fix it.
    pub const HINT: &'static str =
        "{木更津|きさらづ} か {木更津|き|さら|づ} の形にしてください。括弧そのものを書くときは \\{ と書きます";
}

/// Splits `text` into pieces and reports what looks like ruby but is not. `literal(offset)`
/// says whether the `{` at that byte offset was escaped (and is text whatever follows).
pub fn parse<'a>(
    text: &'a str,
    literal: &dyn Fn(usize) -> bool,
) -> (Vec<Piece<'a>>, Vec<Malformed>) {
    let mut pieces = Vec::new();
    let mut problems = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let open = at + found;
        at = open + 1;
        if literal(open) {
            continue;
        }
        let rest = &text[open + 1..];
        let stop = rest.find(['{', '}', '\n']).unwrap_or(rest.len());
        let inner = &rest[..stop];
        if !inner.contains('|') {
            continue;
        }
        if !rest[stop..].starts_with('}') {
            problems.push(Malformed {
                offset: open,
                problem: Problem::Unclosed,
            });
            continue;
        }
        let close = open + 1 + stop;
        match ruby(inner) {
            Ok(r) => {
                if open > plain_from {
                    pieces.push(Piece::Text(&text[plain_from..open]));
                }
                pieces.push(Piece::Ruby(r));
                plain_from = close + 1;
                at = close + 1;
            }
            Err(problem) => problems.push(Malformed {
                offset: open,
                problem,
            }),
        }
    }
    if plain_from < text.len() {
        pieces.push(Piece::Text(&text[plain_from..]));
    }
    (pieces, problems)
}

/// The inside of `{…}` (known to hold a `|`).
fn ruby(inner: &str) -> Result<Ruby<'_>, Problem> {
    let mut parts = inner.split('|').map(trim);
    let base = parts.next().unwrap_or("");
    let readings: Vec<&str> = parts.collect();
    if base.is_empty() {
        return Err(Problem::EmptyBase);
    }
    if readings.iter().any(|r| r.is_empty()) {
        return Err(Problem::EmptyReading);
    }
    let characters = base.chars().count();
    if readings.len() > 1 && readings.len() != characters {
        return Err(Problem::ReadingCount {
            characters,
            readings: readings.len(),
        });
    }
    Ok(Ruby { base, readings })
}

fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\u{3000}'])
}

impl Ruby<'_> {
    /// Writes the `<ruby>` element, its text escaped with `escape` (the caller's HTML text
    /// escaping).
    pub fn write_html(&self, out: &mut String, escape: &dyn Fn(&mut String, &str)) {
        out.push_str("<ruby>");
        for (base, reading) in self.pairs() {
            escape(out, base);
            out.push_str(RT_OPEN);
            escape(out, reading);
            out.push_str(RT_CLOSE);
        }
        out.push_str("</ruby>");
    }

    /// The (base, reading) pairs: one for the whole word, or one per character.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        if let [reading] = self.readings[..] {
            return vec![(self.base, reading)];
        }
        self.base
            .char_indices()
            .map(|(i, c)| &self.base[i..i + c.len_utf8()])
            .zip(self.readings.iter().copied())
            .collect()
    }
}

/// What stands between a base and its reading, and after the reading, in the HTML.
pub const RT_OPEN: &str = "<rp>（</rp><rt>";
/// See [`RT_OPEN`].
pub const RT_CLOSE: &str = "</rt><rp>）</rp>";

/// The offsets of `\{` escapes in YAML text, and the text without their backslashes.
fn unescape(text: &str) -> (Cow<'_, str>, Vec<usize>) {
    if !text.contains("\\{") && !text.contains("\\}") {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut literal = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('{' | '}')) {
            if chars.peek() == Some(&'{') {
                literal.push(out.len());
            }
            continue;
        }
        out.push(c);
    }
    (Cow::Owned(out), literal)
}

/// YAML text (a title, a name) as HTML: escaped, with its ruby as `<ruby>`.
pub fn to_html(text: &str) -> String {
    let (text, literal) = unescape(text);
    let (pieces, _) = parse(&text, &|o| literal.contains(&o));
    let mut out = String::with_capacity(text.len() + 16);
    for piece in &pieces {
        match piece {
            Piece::Text(t) => escape_text(&mut out, t),
            Piece::Ruby(r) => r.write_html(&mut out, &escape_text),
        }
    }
    out
}

/// HTML text escaping, as the rest of the site writes text.
fn escape_text(out: &mut String, text: &str) {
    crate::text::escape_html_into(out, text);
}

/// YAML text with each ruby replaced by its word, for plain-text outputs.
pub fn base_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['{', '\\']) {
        return Cow::Borrowed(text);
    }
    let (unescaped, literal) = unescape(text);
    let (pieces, _) = parse(&unescaped, &|o| literal.contains(&o));
    if !pieces.iter().any(|p| matches!(p, Piece::Ruby(_))) {
        return Cow::Owned(unescaped.into_owned());
    }
    Cow::Owned(join_bases(&pieces))
}

/// The pieces as plain text: ruby as its word.
pub fn join_bases(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => *t,
            Piece::Ruby(r) => r.base,
        })
        .collect()
}

/// What looks like ruby in YAML text but is not (byte offsets into `text` as written).
pub fn problems(text: &str) -> Vec<Malformed> {
    if !text.contains('{') {
        return Vec::new();
    }
    let escaped: Vec<usize> = text.match_indices("\\{").map(|(i, _)| i + 1).collect();
    parse(text, &|o| escaped.contains(&o)).1
}

/// The site's dictionary of readings (`readings:` in `config.yaml`): word → kana.
pub type Readings = BTreeMap<String, String>;

/// Adds ruby from `readings` to the words of `text` (YAML text, not yet HTML) that have no
/// ruby yet: each listed word, longest first where two overlap, becomes `{word|reading}`.
/// Words already inside ruby or escaped braces are left alone.
pub fn annotate(text: &str, readings: &Readings) -> String {
    if readings.is_empty() {
        return text.to_string();
    }
    let words: Vec<&str> = readings.keys().map(String::as_str).collect();
    let Ok(matcher) = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&words)
    else {
        return text.to_string();
    };
    let escaped: Vec<usize> = text.match_indices("\\{").map(|(i, _)| i + 1).collect();
    let (pieces, _) = parse(text, &|o| escaped.contains(&o));
    let mut out = String::with_capacity(text.len() * 2);
    for piece in &pieces {
        match piece {
            Piece::Ruby(r) => {
                out.push('{');
                out.push_str(r.base);
                for reading in &r.readings {
                    out.push('|');
                    out.push_str(reading);
                }
                out.push('}');
            }
            Piece::Text(t) => {
                let mut last = 0;
                // A brace already in the text cannot pair with the ruby written here: a
                // ruby's `{` ends the scan of any `{` before it (rule 1).
                for m in matcher.find_iter(t) {
                    out.push_str(&t[last..m.start()]);
                    let word = words[m.pattern().as_usize()];
                    out.push('{');
                    out.push_str(word);
                    out.push('|');
                    out.push_str(&readings[word]);
                    out.push('}');
                    last = m.end();
                }
                out.push_str(&t[last..]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        to_html(text)
    }

    #[test]
    fn a_word_and_its_reading_become_ruby() {
        assert_eq!(
            html("{木更津|きさらづ}市"),
            "<ruby>木更津<rp>（</rp><rt>きさらづ</rt><rp>）</rp></ruby>市"
        );
        assert_eq!(
            html("{ 木更津 | きさらづ }"),
            "<ruby>木更津<rp>（</rp><rt>きさらづ</rt><rp>）</rp></ruby>"
        );
    }

    #[test]
    fn one_reading_per_character() {
        assert_eq!(
            html("{木更津|き|さら|づ}"),
            "<ruby>木<rp>（</rp><rt>き</rt><rp>）</rp>更<rp>（</rp><rt>さら</rt><rp>）</rp>津<rp>（</rp><rt>づ</rt><rp>）</rp></ruby>"
        );
    }

    #[test]
    fn text_is_escaped_inside_and_outside_ruby() {
        assert_eq!(
            html("<b>&{A<B|え>}"),
            "&lt;b&gt;&amp;<ruby>A&lt;B<rp>（</rp><rt>え&gt;</rt><rp>）</rp></ruby>"
        );
    }

    #[test]
    fn braces_without_a_bar_are_text() {
        for text in ["{注}", "a { b } c", "{", "}", "{{x}}", "「{」"] {
            assert_eq!(base_text(text), text);
            assert!(problems(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn escaped_braces_are_literal() {
        assert_eq!(base_text("\\{木更津|きさらづ}"), "{木更津|きさらづ}");
        assert_eq!(html("\\{a|b\\}"), "{a|b}");
        assert!(problems("\\{木更津|きさらづ").is_empty());
        // The escape covers one brace; a later ruby still counts.
        assert_eq!(base_text("\\{ {市|し}"), "{ 市");
    }

    #[test]
    fn plain_text_keeps_the_word_only() {
        assert_eq!(
            base_text("{木更津|きさらづ}{市|し}の{計画|けい|かく}"),
            "木更津市の計画"
        );
        assert!(matches!(base_text("ふつうの文"), Cow::Borrowed(_)));
    }

    #[test]
    fn malformed_ruby_is_reported_where_it_starts_and_left_as_written() {
        let cases = [
            ("前{|きさらづ}", Problem::EmptyBase, 3),
            ("{木更津|}", Problem::EmptyReading, 0),
            ("{木更津|き||づ}", Problem::EmptyReading, 0),
            (
                "ab{木更津|き|さらづ}",
                Problem::ReadingCount {
                    characters: 3,
                    readings: 2,
                },
                2,
            ),
            ("{木更津|きさらづ\n}", Problem::Unclosed, 0),
            ("{木更津|きさ{らづ}", Problem::Unclosed, 0),
        ];
        for (text, problem, offset) in cases {
            assert_eq!(
                problems(text),
                vec![Malformed { offset, problem }],
                "{text}"
            );
            assert_eq!(base_text(text), text, "{text}");
            assert!(!Malformed { offset, problem }.message().is_empty());
        }
        // After an unclosed one, a good one on the same line is still read.
        assert_eq!(base_text("{a|b {市|し}"), "{a|b 市");
    }

    #[test]
    fn the_dictionary_adds_ruby_to_listed_words() {
        let readings: Readings = [
            ("木更津", "きさらづ"),
            ("木更津市", "きさらづし"),
            ("畑沢", "はたざわ"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(
            annotate("木更津市と木更津の畑沢", &readings),
            "{木更津市|きさらづし}と{木更津|きさらづ}の{畑沢|はたざわ}"
        );
        // Ruby the author wrote wins; braces already there keep their meaning.
        assert_eq!(
            annotate("{畑沢|はたさわ}と\\{木更津}と{注 木更津}", &readings),
            "{畑沢|はたさわ}と\\{{木更津|きさらづ}}と{注 {木更津|きさらづ}}"
        );
        assert_eq!(
            base_text(&annotate("\\{木更津}と{注 木更津}", &readings)),
            "{木更津}と{注 木更津}"
        );
        assert_eq!(annotate("ほか", &Readings::new()), "ほか");
    }
}
