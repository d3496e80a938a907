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
use crate::model::Term;
use crate::url::{self, Route};

/// The prefixes that make a Markdown link a glossary reference. The full-width colon is
/// accepted because a Japanese input method produces it.
pub const REFERENCE_PREFIXES: [&str; 3] = ["用語:", "用語：", "glossary:"];

/// What a link destination asks of the glossary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    /// Link to this name's entry; empty means "the link text is the name".
    Term(String),
    /// `用語:-`: not a glossary term here.
    Suppress,
}

/// `Some` when `dest` is a glossary reference (`用語:DX`, `glossary:DX`, `用語:-`).
pub fn reference(dest: &str) -> Option<Reference> {
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
pub fn normalize_name(name: &str) -> String {
    name.trim().chars().map(fold_width).collect()
}

/// Names that explicit references in `markdown` point to, with the byte offset of each link,
/// for validation to check against the glossary.
pub fn references(markdown: &str) -> Vec<(usize, String)> {
    if !REFERENCE_PREFIXES
        .iter()
        .any(|p| markdown.contains(p.trim_end_matches([':', '：'])))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(markdown, crate::markdown::options()).into_offset_iter()
    {
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
pub struct Found {
    pub start: usize,
    pub end: usize,
    /// Index of the entry in the glossary (`Site::glossary`).
    pub entry: usize,
    /// Followed by ※: link even if the page has linked the term before.
    pub marked: bool,
}

/// The glossary's names, compiled once per build and shared by every page.
pub struct Linker {
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    names: HashMap<String, usize>,
    anchors: Vec<String>,
}

impl Linker {
    pub fn new(terms: &[Term]) -> Linker {
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
    pub fn resolve(&self, name: &str) -> Option<usize> {
        self.names.get(&normalize_name(name)).copied()
    }

    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Every occurrence of a glossary name in `text`, left to right, longest first, Latin
    /// names only at word boundaries. Appends to `out`.
    pub fn find(&self, text: &str, out: &mut Vec<Found>) {
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
                if self.fits(text, m.start(), m.end(), self.patterns[m.pattern().as_usize()]) {
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
pub struct PageTerms<'a> {
    linker: &'a Linker,
    /// `../../glossary/` from the page.
    glossary_href: String,
    /// Automatic links on; off on the glossary page, where only explicit references link.
    auto: bool,
    linked: Vec<bool>,
    used: BTreeSet<usize>,
}

impl<'a> PageTerms<'a> {
    pub fn new(linker: &'a Linker, from: &Route) -> PageTerms<'a> {
        PageTerms {
            linker,
            glossary_href: url::relative(from, Route::glossary().as_str()),
            auto: true,
            linked: vec![false; linker.len()],
            used: BTreeSet::new(),
        }
    }

    /// For the glossary page itself: no automatic links, explicit references as in-page links.
    pub fn explicit_only(linker: &'a Linker) -> PageTerms<'a> {
        PageTerms {
            glossary_href: String::new(),
            auto: false,
            ..PageTerms::new(linker, &Route::glossary())
        }
    }

    /// The entries this page mentions (linked or not), in glossary index order.
    pub fn used(&self) -> &BTreeSet<usize> {
        &self.used
    }

    fn open_tag(&self, entry: usize) -> String {
        format!(
            "<a href=\"{}#{}\" class=\"term\">",
            self.glossary_href, self.linker.anchors[entry]
        )
    }

    /// Runs the link pass over a page's Markdown events (text already merged, unsafe links
    /// already removed). Explicit references are replaced by term links or plain text; text
    /// outside headings, links, images and code gets automatic links.
    pub fn link_events<'e>(&mut self, events: impl Iterator<Item = Event<'e>>) -> Vec<Event<'e>> {
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
                Event::End(TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
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
