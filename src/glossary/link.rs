//! Links from text to the glossary. Every term and alias is one pattern of a single
//! Aho–Corasick automaton, built once per build ([`Linker::new`]) and run once over each
//! text (not once per term), so a 300-term glossary costs the same per page as a 3-term one.
//!
//! The rules (docs/glossary.md explains them to authors):
//! - The longest name wins where names overlap (`デジタル・トランスフォーメーション` before
//!   `デジタル`): the automaton runs in leftmost-longest mode.
//! - Japanese has no spaces between words, so Japanese names match anywhere. Names that begin
//!   (or end) with a Latin letter or digit match only where the text has no letter or digit
//!   right before (after) them, so `IT` does not match in `ITEM`. A hyphen between letters
//!   joins a word: `AI` is not found in `AI-OCR` (give `AI-OCR` its own entry, or link it by
//!   hand). Half-width and full-width spellings (`DX`, `ＤＸ`) are the same name.
//! - Only the first occurrence on a page is linked, and only in running text: the link pass
//!   works on Markdown events, so headings, existing links, images and code are never touched.
//! - A name directly followed by `※` (or `＊`, `*`), the way the printed plan marks glossary
//!   terms, is linked even when it is not the first occurrence.
//! - `[text](用語:name)` links `text` to the entry of `name` (term or alias) wherever it is;
//!   `[name](用語:)` links to `name` itself; `[text](用語:-)` shows `text` without any link
//!   and keeps automatic linking out of it. A name that is not in the glossary is an error
//!   (reported by validation, using [`references`]).

use std::collections::{BTreeSet, HashMap, HashSet};

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

use super::collate::fold_width;
use crate::markdown::TermLinks;
use crate::model::Term;
use crate::url::{self, Route};

/// The prefixes that make a Markdown link a glossary reference. The full-width colon is
/// accepted because a Japanese input method produces it.
pub(crate) const REFERENCE_PREFIXES: [&str; 4] = ["用語:", "用語：", "glossary:", "glossary："];

/// What a link destination asks of the glossary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reference {
    /// Link to this name's entry; empty means "the link text is the name".
    Term(String),
    /// `用語:-`: not a glossary term here.
    Suppress,
}

/// `Some` when `dest` is a glossary reference (`用語:DX`, `glossary:DX`, `用語:-`).
pub(crate) fn reference(dest: &str) -> Option<Reference> {
    let dest = dest.trim();
    let rest = REFERENCE_PREFIXES
        .iter()
        .find_map(|p| dest.strip_prefix(p))?
        .trim();
    Some(if matches!(rest, "-" | "－") {
        Reference::Suppress
    } else {
        Reference::Term(rest.to_string())
    })
}

/// A name as compared for identity: trimmed, full-width ASCII folded to half-width.
pub(crate) fn normalize_name(name: &str) -> String {
    name.trim().chars().map(fold_width).collect()
}

/// Names that explicit references in `markdown` point to, with the byte offset of each link,
/// for validation to check against the glossary.
pub(crate) fn references(markdown: &str) -> Vec<(usize, String)> {
    if !REFERENCE_PREFIXES
        .iter()
        .any(|p| markdown.contains(p.trim_end_matches([':', '：'])))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(markdown, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(Reference::Term(name)) = reference(&dest_url) {
                    if name.is_empty() {
                        open = Some((range.start, String::new()));
                    } else {
                        out.push((range.start, name));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = &mut open {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, text)) = open.take() {
                    out.push((start, text));
                }
            }
            _ => {}
        }
    }
    out
}

#[derive(Clone, Copy, Debug)]
struct Pattern {
    entry: usize,
    latin_start: bool,
    latin_end: bool,
}

/// One occurrence of a glossary name in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    /// Index of the entry in the glossary (`Site::glossary`).
    pub entry: usize,
    /// Followed by ※: link even if the page has linked the term before.
    pub marked: bool,
}

/// The glossary's names, compiled once per build and shared by every page.
pub(crate) struct Linker {
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    names: HashMap<String, usize>,
    anchors: Vec<String>,
}

impl Linker {
    pub(crate) fn new(terms: &[Term]) -> Linker {
        let mut names = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut seen = HashSet::new();
        for (entry, term) in terms.iter().enumerate() {
            for name in std::iter::once(&term.term).chain(&term.aliases) {
                let normal = normalize_name(name);
                if normal.is_empty() {
                    continue;
                }
                names.entry(normal.clone()).or_insert(entry);
                // The half-width spelling and, for Latin letters, the full-width one.
                for spelling in [normal.clone(), widen(&normal)] {
                    if !seen.insert(spelling.clone()) {
                        continue;
                    }
                    let first = normal.chars().next().unwrap_or(' ');
                    let last = normal.chars().next_back().unwrap_or(' ');
                    patterns.push(Pattern {
                        entry,
                        latin_start: is_word_char(first),
                        latin_end: is_word_char(last),
                    });
                    texts.push(spelling);
                }
            }
        }
        let automaton = (!texts.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Both)
                .build(&texts)
                .expect("glossary names are few and short enough for the automaton")
        });
        Linker {
            automaton,
            patterns,
            names,
            anchors: terms.iter().map(|t| t.anchor.clone()).collect(),
        }
    }

    /// The entry a term or alias names.
    pub(crate) fn resolve(&self, name: &str) -> Option<usize> {
        self.names.get(&normalize_name(name)).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Every occurrence of a glossary name in `text`, left to right, longest first, Latin
    /// names only at word boundaries. Appends to `out`.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<Found>) {
        let Some(ac) = &self.automaton else { return };
        let mut pos = 0;
        while pos < text.len() {
            let Some(first) = ac.find(Input::new(text).span(pos..text.len())) else {
                break;
            };
            // If the longest name here is cut off by a word boundary, a shorter one starting
            // at the same place may still fit (`AI OCR` absent, `AI` present).
            let mut candidate = Some(first);
            let mut accepted = None;
            while let Some(m) = candidate {
                if self.fits(
                    text,
                    m.start(),
                    m.end(),
                    self.patterns[m.pattern().as_usize()],
                ) {
                    accepted = Some(m);
                    break;
                }
                candidate = (m.end() > m.start() + 1)
                    .then(|| {
                        ac.find(
                            Input::new(text)
                                .span(m.start()..m.end() - 1)
                                .anchored(Anchored::Yes),
                        )
                    })
                    .flatten();
            }
            match accepted {
                Some(m) => {
                    let marked = text[m.end()..].starts_with(['※', '＊', '*']);
                    out.push(Found {
                        start: m.start(),
                        end: m.end(),
                        entry: self.patterns[m.pattern().as_usize()].entry,
                        marked,
                    });
                    pos = m.end();
                }
                None => {
                    pos = first.start()
                        + text[first.start()..]
                            .chars()
                            .next()
                            .map_or(1, char::len_utf8);
                }
            }
        }
    }

    fn fits(&self, text: &str, start: usize, end: usize, pattern: Pattern) -> bool {
        !(pattern.latin_start && continues_word(text[..start].chars().rev())
            || pattern.latin_end && continues_word(text[end..].chars()))
    }
}

/// Whether the characters next to a Latin name continue its word: a letter or digit, or a
/// hyphen with a letter or digit beyond it (`AI-OCR` is one word; `AI・RPA` and `AIや` are not).
fn continues_word(mut chars: impl Iterator<Item = char>) -> bool {
    match chars.next().map(fold_width) {
        Some(c) if is_word_char(c) => true,
        Some('-' | '‐' | '‑') => chars.next().map(fold_width).is_some_and(is_word_char),
        _ => false,
    }
}

fn is_word_char(c: char) -> bool {
    let c = fold_width(c);
    c.is_ascii_alphanumeric() || c == '_'
}

/// `DX` → `ＤＸ`: the full-width spelling Japanese documents often use.
fn widen(name: &str) -> String {
    name.chars()
        .map(|c| match u32::from(c) {
            code @ 0x21..=0x7E => char::from_u32(code + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The linking state of one page: which entries it has linked already (only the first
/// occurrence is linked, across all the page's texts) and which it uses (for back-links).
pub(crate) struct PageTerms<'a> {
    linker: &'a Linker,
    /// `../../glossary/` from the page.
    glossary_href: String,
    /// `../../` from the page (`./` on the home page): where root-relative Markdown links
    /// (`/measures/01-01/`) start from, so that they work under any base path.
    root_href: String,
    /// Automatic links on; off on the glossary page, where only explicit references link.
    auto: bool,
    linked: Vec<bool>,
    used: BTreeSet<usize>,
}

impl<'a> PageTerms<'a> {
    pub(crate) fn new(linker: &'a Linker, from: &Route) -> PageTerms<'a> {
        PageTerms {
            linker,
            glossary_href: url::relative(from, Route::glossary().as_str()),
            root_href: url::relative(from, ""),
            auto: true,
            linked: vec![false; linker.len()],
            used: BTreeSet::new(),
        }
    }

    /// For the glossary page itself: no automatic links, explicit references as in-page links.
    pub(crate) fn explicit_only(linker: &'a Linker) -> PageTerms<'a> {
        PageTerms {
            glossary_href: String::new(),
            auto: false,
            ..PageTerms::new(linker, &Route::glossary())
        }
    }

    /// The entries this page mentions (linked or not), in glossary index order.
    pub(crate) fn used(&self) -> &BTreeSet<usize> {
        &self.used
    }

    fn open_tag(&self, entry: usize) -> String {
        format!(
            "<a href=\"{}#{}\" class=\"term\">",
            self.glossary_href, self.linker.anchors[entry]
        )
    }

    fn emit_reference<'e>(
        &mut self,
        reference: Reference,
        inner: Vec<Event<'e>>,
        out: &mut Vec<Event<'e>>,
    ) {
        let entry = match reference {
            Reference::Suppress => None,
            Reference::Term(name) if name.is_empty() => {
                let text: String = inner
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                self.linker.resolve(&text)
            }
            Reference::Term(name) => self.linker.resolve(&name),
        };
        match entry {
            Some(entry) => {
                self.used.insert(entry);
                self.linked[entry] = true;
                out.push(Event::InlineHtml(CowStr::from(self.open_tag(entry))));
                out.extend(inner);
                out.push(Event::InlineHtml(CowStr::Borrowed("</a>")));
            }
            // Validation has reported unknown names; suppressed text stays plain.
            None => out.extend(inner),
        }
    }
}

/// The glossary's link pass, as [`crate::markdown::to_html_with_terms`] runs it.
impl TermLinks for PageTerms<'_> {
    fn is_reference(dest: &str) -> bool {
        reference(dest).is_some()
    }

    fn root_href(&self) -> Option<&str> {
        Some(&self.root_href)
    }

    /// Runs the link pass over a page's Markdown events (text already merged, unsafe links
    /// already removed). Explicit references are replaced by term links or plain text; text
    /// outside headings, links, images and code gets automatic links.
    fn link_events<'e>(&mut self, events: impl Iterator<Item = Event<'e>>) -> Vec<Event<'e>> {
        let mut out = Vec::new();
        let mut quiet = 0usize;
        let mut explicit: Option<(Reference, Vec<Event<'e>>)> = None;
        let mut found = Vec::new();
        for event in events {
            if let Some((_, inner)) = &mut explicit {
                if matches!(event, Event::End(TagEnd::Link)) {
                    if let Some((reference, inner)) = explicit.take() {
                        self.emit_reference(reference, inner, &mut out);
                    }
                } else {
                    inner.push(event);
                }
                continue;
            }
            match event {
                Event::Start(Tag::Link { ref dest_url, .. }) if reference(dest_url).is_some() => {
                    explicit = reference(dest_url).map(|r| (r, Vec::new()));
                }
                Event::Start(
                    Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_),
                ) => {
                    quiet += 1;
                    out.push(event);
                }
                Event::End(
                    TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock,
                ) => {
                    quiet = quiet.saturating_sub(1);
                    out.push(event);
                }
                Event::Text(text) => {
                    found.clear();
                    self.linker.find(&text, &mut found);
                    self.used.extend(found.iter().map(|f| f.entry));
                    if found.is_empty() || quiet > 0 || !self.auto {
                        out.push(Event::Text(text));
                        continue;
                    }
                    let mut last = 0;
                    for f in &found {
                        if self.linked[f.entry] && !f.marked {
                            continue;
                        }
                        self.linked[f.entry] = true;
                        if f.start > last {
                            out.push(Event::Text(CowStr::from(text[last..f.start].to_string())));
                        }
                        out.push(Event::InlineHtml(CowStr::from(self.open_tag(f.entry))));
                        out.push(Event::Text(CowStr::from(text[f.start..f.end].to_string())));
                        out.push(Event::InlineHtml(CowStr::Borrowed("</a>")));
                        last = f.end;
                    }
                    if last == 0 {
                        out.push(Event::Text(text));
                    } else if last < text.len() {
                        out.push(Event::Text(CowStr::from(text[last..].to_string())));
                    }
                }
                other => out.push(other),
            }
        }
        if let Some((_, inner)) = explicit {
            out.extend(inner);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::to_html_with_terms;
    use crate::model::RawHtml;

    fn term(name: &str, aliases: &[&str], anchor: &str) -> Term {
        Term {
            term: name.to_string(),
            reading: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            explanation: "説明".to_string(),
            anchor: anchor.to_string(),
            related: Vec::new(),
            source: None,
            position: None,
        }
    }

    fn glossary() -> Vec<Term> {
        vec![
            term("デジタル", &[], "dejitaru"),
            term("デジタル・トランスフォーメーション", &["DX"], "dx"),
            term("IT", &[], "it"),
            term("AI", &["人工知能"], "ai"),
            term("RPA", &[], "rpa"),
            term("オープンデータ", &[], "opundeta"),
        ]
    }

    fn html(markdown: &str) -> String {
        let terms = glossary();
        let linker = Linker::new(&terms);
        let mut page = PageTerms::new(&linker, &Route::measure("01-01"));
        to_html_with_terms(markdown, 3, &mut page, RawHtml::Sanitise)
    }

    fn link(anchor: &str, text: &str) -> String {
        format!("<a href=\"../../glossary/#{anchor}\" class=\"term\">{text}</a>")
    }

    #[test]
    fn longest_name_wins() {
        let out = html("デジタル・トランスフォーメーションとデジタル化");
        assert_eq!(
            out,
            format!(
                "<p>{}と{}化</p>\n",
                link("dx", "デジタル・トランスフォーメーション"),
                link("dejitaru", "デジタル")
            )
        );
    }

    #[test]
    fn latin_names_match_only_at_word_boundaries() {
        let out = html("ITEMとSITEとIT2は別物。ITとAIやRPAを使う。");
        assert_eq!(
            out,
            format!(
                "<p>ITEMとSITEとIT2は別物。{}と{}や{}を使う。</p>\n",
                link("it", "IT"),
                link("ai", "AI"),
                link("rpa", "RPA")
            )
        );
        // AI-OCR is one word: AI is not linked inside it, and neither is OCR-AI.
        let out = html("AI-OCRとOCR-AIの導入、AI・RPAの活用");
        assert_eq!(
            out,
            format!(
                "<p>AI-OCRとOCR-AIの導入、{}・{}の活用</p>\n",
                link("ai", "AI"),
                link("rpa", "RPA")
            )
        );
        // Full-width spellings are the same name, with the same boundaries.
        let out = html("ＤＸ推進とＩＴＥＭ");
        assert_eq!(
            out,
            format!("<p>{}推進とＩＴＥＭ</p>\n", link("dx", "ＤＸ"))
        );
    }

    #[test]
    fn a_shorter_name_fits_where_the_longest_is_cut_by_a_boundary() {
        let terms = vec![
            term("AI", &[], "ai"),
            term("AI OCR", &[], "ai-ocr"),
            term("AI-OCR", &[], "ai-ocr-2"),
        ];
        let linker = Linker::new(&terms);
        let mut found = Vec::new();
        // "AI OCRs": AI OCR runs on into "s", so only AI is a whole word here.
        linker.find("AI OCRsとAI-OCRとAI OCR", &mut found);
        let got: Vec<(usize, usize)> = found.iter().map(|f| (f.start, f.entry)).collect();
        let text = "AI OCRsとAI-OCRとAI OCR";
        assert_eq!(
            got,
            [
                (0, 0),
                (text.find("AI-OCR").unwrap(), 2),
                (text.rfind("AI OCR").unwrap(), 1)
            ]
        );
    }

    #[test]
    fn japanese_names_match_without_spaces() {
        let out = html("市のオープンデータを公開し人工知能を活用");
        assert_eq!(
            out,
            format!(
                "<p>市の{}を公開し{}を活用</p>\n",
                link("opundeta", "オープンデータ"),
                link("ai", "人工知能")
            )
        );
    }

    #[test]
    fn only_the_first_occurrence_on_a_page_is_linked() {
        let terms = glossary();
        let linker = Linker::new(&terms);
        let mut page = PageTerms::new(&linker, &Route::measure("01-01"));
        let first = to_html_with_terms("RPAとRPA", 3, &mut page, RawHtml::Sanitise);
        assert_eq!(first, format!("<p>{}とRPA</p>\n", link("rpa", "RPA")));
        // A later section of the same page does not link it again…
        let second = to_html_with_terms("RPAの導入", 3, &mut page, RawHtml::Sanitise);
        assert_eq!(second, "<p>RPAの導入</p>\n");
        // …unless the author marks it with ※, as the printed plan does.
        let marked = to_html_with_terms("RPA※の導入", 3, &mut page, RawHtml::Sanitise);
        assert_eq!(marked, format!("<p>{}※の導入</p>\n", link("rpa", "RPA")));
        // An alias links the same entry, so it is not linked after the term.
        let alias = to_html_with_terms(
            "DXとデジタル・トランスフォーメーション",
            3,
            &mut page,
            RawHtml::Sanitise,
        );
        assert_eq!(
            alias,
            format!(
                "<p>{}とデジタル・トランスフォーメーション</p>\n",
                link("dx", "DX")
            )
        );
        let used: Vec<usize> = page.used().iter().copied().collect();
        assert_eq!(used, [1, 4]);
        // A new page starts afresh.
        let mut other = PageTerms::new(&linker, &Route::page("about"));
        let out = to_html_with_terms("RPA", 2, &mut other, RawHtml::Sanitise);
        assert_eq!(
            out,
            "<p><a href=\"../glossary/#rpa\" class=\"term\">RPA</a></p>\n"
        );
    }

    #[test]
    fn no_links_in_headings_links_or_code() {
        let out = html(
            "# RPAの導入\n\n[RPAの資料](https://example.jp/) と `RPA` と\n\n```\nRPA\n```\n\n![RPA](a.png)\n\n本文のRPA",
        );
        assert!(out.contains("<h3>RPAの導入</h3>"), "{out}");
        assert!(
            out.contains("<a href=\"https://example.jp/\">RPAの資料</a>"),
            "{out}"
        );
        assert!(out.contains("<code>RPA</code>"), "{out}");
        assert!(out.contains("<pre><code>RPA\n</code></pre>"), "{out}");
        assert!(out.contains("alt=\"RPA\""), "{out}");
        assert_eq!(out.matches("class=\"term\"").count(), 1, "{out}");
        assert!(
            out.contains(&format!("本文の{}", link("rpa", "RPA"))),
            "{out}"
        );
    }

    #[test]
    fn explicit_references_force_or_suppress_links() {
        let out = html(
            "RPAと[ロボット](用語:RPA)と[DX](用語：)と[IT](用語:-)、その後のITと[人工知能](glossary:AI)",
        );
        assert_eq!(
            out,
            format!(
                "<p>{}と{}と{}とIT、その後の{}と{}</p>\n",
                // Automatic link to the first RPA…
                link("rpa", "RPA"),
                // …and a forced one with other words, although RPA is linked already.
                link("rpa", "ロボット"),
                // The link text names the term.
                link("dx", "DX"),
                // `用語:-` kept IT plain, so the next IT is the first linked one.
                link("it", "IT"),
                link("ai", "人工知能"),
            )
        );
    }

    #[test]
    fn references_are_found_with_their_offsets() {
        let text = "前文 [ロボット](用語:RPA) と [DX](用語：) と [x](用語:-) と [y](https://a.jp/)";
        let found = references(text);
        assert_eq!(
            found,
            [
                (text.find("[ロボット]").unwrap(), "RPA".to_string()),
                (text.find("[DX]").unwrap(), "DX".to_string())
            ]
        );
        assert!(references("用語のない文").is_empty());
        assert_eq!(reference("用語:-"), Some(Reference::Suppress));
        assert_eq!(reference("https://a.jp/"), None);
    }

    #[test]
    fn without_terms_references_render_as_plain_text() {
        let out = crate::markdown::to_html("[ロボット](用語:RPA)", 2, RawHtml::Sanitise);
        assert_eq!(out, "<p>ロボット</p>\n");
    }
}
