//! Markdown → HTML for every text authors write (measure sections, policy summaries, pages).
//!
//! Raw HTML in Markdown is sanitised ([`sanitise`]): the people who write content are not web
//! developers, and a pasted `<script>`, `onclick` or `style` must never reach citizens'
//! browsers, while a table, `<ruby>` or `<details>` written by hand is kept. A site that trusts
//! its editors can switch this off (`allow_raw_html: true`, [`RawHtml::Trust`]). Markdown link
//! targets other than http(s), mailto, tel and relative paths are dropped in either mode
//! (`javascript:`, `data:`).
//!
//! Pages whose text should link glossary terms render through [`to_html_with_terms`] with a
//! [`TermLinks`] pass over the Markdown events; the glossary implements it (its `PageTerms`),
//! so that this module knows Markdown and HTML but nothing of the glossary. The sanitiser runs
//! last, over the finished fragment.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{
    html, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
    TextMergeStream,
};

use crate::model::RawHtml;
use crate::ruby::{self, Piece};
use crate::url::Route;

/// The Markdown extensions authors may use; one definition so that validation parses text
/// exactly as rendering does.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// A pass that links the terms in a page's text, run over the Markdown events of each of the
/// page's fragments. It keeps state across fragments (which terms the page has linked).
pub(crate) trait TermLinks {
    /// Whether a link to `dest` is a reference for this pass to resolve (`[…](用語:DX)`), not a
    /// URL: such links are kept whatever their scheme looks like, and the pass replaces them.
    fn is_reference(dest: &str) -> bool;

    /// Rewrites the events of one fragment (text already merged, unsafe links already removed):
    /// term links are written as inline HTML, references resolved.
    fn link_events<'e>(&mut self, events: impl Iterator<Item = Event<'e>>) -> Vec<Event<'e>>;

    /// The page's way up to the site root (`../../`), which root-relative links
    /// (`/measures/01-01/`) are rewritten to start from, so that they work under a base path
    /// (`/shisei/dx/`) and from the file system; `None` leaves them as written.
    fn root_href(&self) -> Option<&str> {
        None
    }
}

/// No term links: what [`to_html`] renders with.
enum NoTermLinks {}

impl TermLinks for NoTermLinks {
    fn is_reference(_: &str) -> bool {
        false
    }

    fn link_events<'e>(&mut self, _: impl Iterator<Item = Event<'e>>) -> Vec<Event<'e>> {
        match *self {}
    }
}

/// Renders `text`, moving headings so that the author's top-level heading becomes
/// `min_level`: authors may start at `#` or at `##`, and either way the page keeps one `<h1>`
/// (the template's) and an unbroken heading order. Glossary references (`[…](用語:…)`) are
/// shown as plain text.
pub(crate) fn to_html(text: &str, min_level: u8, raw_html: RawHtml) -> String {
    render::<NoTermLinks>(text, min_level, None, raw_html)
}

/// [`to_html`] for a text shown on the page at `from`: its root-relative links
/// (`/measures/01-01/`) start from that page, as with [`to_html_with_terms`], without the
/// glossary's term links.
pub(crate) fn to_html_from(text: &str, min_level: u8, raw_html: RawHtml, from: &Route) -> String {
    let mut root = RootOnly(crate::url::relative(from, ""));
    render(text, min_level, Some(&mut root), raw_html)
}

/// No term links, but root-relative links rewritten from the page ([`to_html_from`]).
struct RootOnly(String);

impl TermLinks for RootOnly {
    fn is_reference(_: &str) -> bool {
        false
    }

    fn link_events<'e>(&mut self, events: impl Iterator<Item = Event<'e>>) -> Vec<Event<'e>> {
        events.collect()
    }

    fn root_href(&self) -> Option<&str> {
        Some(&self.0)
    }
}

/// [`to_html`] with term links: for the glossary, automatic links to the first occurrence of
/// each term on the page (`terms` carries what the page has linked so far) and explicit
/// references.
pub(crate) fn to_html_with_terms(
    text: &str,
    min_level: u8,
    terms: &mut impl TermLinks,
    raw_html: RawHtml,
) -> String {
    render(text, min_level, Some(terms), raw_html)
}

fn render<T: TermLinks>(
    text: &str,
    min_level: u8,
    terms: Option<&mut T>,
    raw_html: RawHtml,
) -> String {
    let (out, needs_sanitiser) = write_html(text, min_level, terms, raw_html);
    match raw_html {
        RawHtml::Trust => out,
        RawHtml::Sanitise if needs_sanitiser => sanitise(&out, min_level <= 1),
        RawHtml::Sanitise => Verbatim::finish(out),
    }
}

/// pulldown-cmark's HTML for `text`, and whether it needs the sanitiser (see [`Verbatim`]).
fn write_html<'a, T: TermLinks>(
    text: &'a str,
    min_level: u8,
    terms: Option<&mut T>,
    raw_html: RawHtml,
) -> (String, bool) {
    let keep_references = terms.is_some();
    let root_href = terms
        .as_ref()
        .and_then(|t| t.root_href().map(str::to_string));
    let from_root = |dest: CowStr<'a>| -> CowStr<'a> {
        match (&root_href, root_relative(&dest)) {
            (Some(root), Some(rest)) => CowStr::from(format!("{root}{rest}")),
            _ => dest,
        }
    };
    let events: Vec<Event> = Parser::new_ext(text, options()).collect();
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as i32),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let shift = i32::from(min_level.max(1)) - top;
    let sanitising = raw_html == RawHtml::Sanitise;
    // Set when the fragment holds something only the sanitiser may judge: raw HTML, or an
    // attribute whose value the sanitiser would drop or write differently (see [`Verbatim`]).
    let mut needs_sanitiser = false;
    let mut link_dropped = Vec::new();
    let mut image_dropped = Vec::new();
    let events = events.into_iter().filter_map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: shift_level(level, shift),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => {
            Some(Event::End(TagEnd::Heading(shift_level(level, shift))))
        }
        // An unsafe link or image is dropped with its end tag; its text stays.
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let reference = keep_references && T::is_reference(&dest_url);
            let safe = is_allowed_url(&dest_url) || reference;
            link_dropped.push(!safe);
            let dest_url = from_root(dest_url);
            if safe && !reference {
                needs_sanitiser |= !Verbatim::href(link_type, &dest_url) || !Verbatim::text(&title);
            }
            safe.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => (!link_dropped.pop().unwrap_or(false)).then_some(event),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let safe = is_allowed_url(&dest_url);
            image_dropped.push(!safe);
            // The `alt` text is written from the image's inner events; rare enough in plan
            // text that the sanitiser may judge it rather than a second copy of that rule.
            needs_sanitiser |= safe;
            safe.then_some(Event::Start(Tag::Image {
                link_type,
                dest_url: from_root(dest_url),
                title,
                id,
            }))
        }
        Event::End(TagEnd::Image) => (!image_dropped.pop().unwrap_or(false)).then_some(event),
        Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_) => {
            needs_sanitiser = true;
            Some(event)
        }
        Event::FootnoteReference(ref name) | Event::Start(Tag::FootnoteDefinition(ref name)) => {
            needs_sanitiser |= !Verbatim::text(name);
            Some(event)
        }
        // The sanitiser removes the `language-…` class; without it the tag is `<pre><code>`.
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
            if sanitising && !info.is_empty() =>
        {
            Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
                CowStr::Borrowed(""),
            ))))
        }
        Event::Text(ref t) | Event::Code(ref t) => {
            needs_sanitiser |= Verbatim::reparsed(t);
            Some(event)
        }
        other => Some(other),
    });
    let events = TextMergeStream::new(events);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    if text.contains('{') {
        let events = ruby_events(text, options(), events).into_iter();
        match terms {
            Some(terms) => html::push_html(&mut out, terms.link_events(events).into_iter()),
            None => html::push_html(&mut out, events),
        }
        return (out, needs_sanitiser);
    }
    match terms {
        Some(terms) => html::push_html(&mut out, terms.link_events(events).into_iter()),
        None => html::push_html(&mut out, events),
    }
    (out, needs_sanitiser)
}

/// Furigana (`{木更津|きさらづ}`, [`crate::ruby`]) in the text events of `source`. Each ruby
/// becomes its tags as inline HTML around the word and reading as text events, so that the
/// term link pass after it still finds a glossary term written with ruby, and the text is
/// escaped as all text is. In an image's alt text only the word is kept; code is left alone.
/// The tags are on the sanitiser's allow-list and written as it writes them, so the fast path
/// ([`Verbatim`]) stays exact.
fn ruby_events<'e>(
    source: &str,
    options: Options,
    events: impl Iterator<Item = Event<'e>>,
) -> Vec<Event<'e>> {
    let mut texts = RubyTexts::new(source, options);
    let mut image = 0usize;
    let mut code = 0usize;
    let mut out = Vec::new();
    for event in events {
        match event {
            Event::Start(Tag::Image { .. }) => image += 1,
            Event::End(TagEnd::Image) => image = image.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Text(ref t) => {
                let pieces = texts.pieces(t);
                if code > 0 || pieces.is_none() {
                    out.push(event);
                    continue;
                }
                for piece in pieces.unwrap_or_default() {
                    match piece {
                        Piece::Text(t) => out.push(Event::Text(CowStr::from(t.to_string()))),
                        Piece::Ruby(r) if image > 0 => {
                            out.push(Event::Text(CowStr::from(r.base.to_string())));
                        }
                        Piece::Ruby(r) => {
                            out.push(Event::InlineHtml(CowStr::Borrowed("<ruby>")));
                            for (base, reading) in r.pairs() {
                                out.push(Event::Text(CowStr::from(base.to_string())));
                                out.push(Event::InlineHtml(CowStr::Borrowed(ruby::RT_OPEN)));
                                out.push(Event::Text(CowStr::from(reading.to_string())));
                                out.push(Event::InlineHtml(CowStr::Borrowed(ruby::RT_CLOSE)));
                            }
                            out.push(Event::InlineHtml(CowStr::Borrowed("</ruby>")));
                        }
                    }
                }
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// Reads the ruby of a Markdown text's text events, in order, knowing which of their braces
/// the author escaped ([`literal_braces`]).
struct RubyTexts {
    literal: Vec<bool>,
    /// How many `{` the text events read so far held.
    seen: usize,
}

impl RubyTexts {
    fn new(source: &str, options: Options) -> Self {
        RubyTexts {
            literal: literal_braces(source, options),
            seen: 0,
        }
    }

    /// The pieces of the next text event, or `None` when it holds no ruby. Every text event
    /// must pass through here, in order, merged or not.
    fn pieces<'t>(&mut self, text: &'t str) -> Option<Vec<Piece<'t>>> {
        if !text.contains('{') {
            return None;
        }
        let first = self.seen;
        let offsets: Vec<usize> = text.match_indices('{').map(|(i, _)| i).collect();
        self.seen += offsets.len();
        let literal = &self.literal;
        let is_literal = |o: usize| {
            offsets
                .iter()
                .position(|&x| x == o)
                .is_some_and(|n| literal.get(first + n).copied().unwrap_or(false))
        };
        let (pieces, _) = ruby::parse(text, &is_literal);
        pieces
            .iter()
            .any(|p| matches!(p, Piece::Ruby(_)))
            .then_some(pieces)
    }
}

/// Furigana as plain text, for outputs that are not HTML (the open data's text columns): each
/// text event of a Markdown source with its ruby replaced by the word (`{木更津|きさらづ}` →
/// 木更津), braces the author escaped left as they are. Every text event of the source must
/// pass through [`PlainRuby::text`], in order, as parsed with [`options`].
pub(crate) struct PlainRuby(Option<RubyTexts>);

impl PlainRuby {
    /// For the text events of `source`, parsed with [`options`].
    pub(crate) fn new(source: &str) -> PlainRuby {
        PlainRuby(
            source
                .contains('{')
                .then(|| RubyTexts::new(source, options())),
        )
    }

    /// The next text event, as plain text.
    pub(crate) fn text<'t>(&mut self, text: &'t str) -> std::borrow::Cow<'t, str> {
        match self.0.as_mut().and_then(|r| r.pieces(text)) {
            Some(pieces) => std::borrow::Cow::Owned(ruby::join_bases(&pieces)),
            None => std::borrow::Cow::Borrowed(text),
        }
    }
}

/// What looks like ruby in the Markdown `source` but is not, at byte offsets into `source`,
/// for validation to report as warnings.
pub(crate) fn ruby_problems(source: &str) -> Vec<ruby::Malformed> {
    if !source.contains('{') {
        return Vec::new();
    }
    let literal = literal_braces(source, options());
    let mut seen = 0;
    let mut out = Vec::new();
    let mut code = 0usize;
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Text(t) => {
                let offsets: Vec<usize> = t.match_indices('{').map(|(i, _)| i).collect();
                let first = seen;
                seen += offsets.len();
                if code > 0 || offsets.is_empty() {
                    continue;
                }
                let is_literal = |o: usize| {
                    offsets
                        .iter()
                        .position(|&x| x == o)
                        .is_some_and(|n| literal.get(first + n).copied().unwrap_or(false))
                };
                // Where the event's text is its source, offsets carry over; otherwise (a
                // character reference inside) the event's start is the nearest sure place.
                let verbatim = source[range.clone()] == *t;
                out.extend(
                    ruby::parse(&t, &is_literal)
                        .1
                        .into_iter()
                        .map(|m| ruby::Malformed {
                            offset: range.start + if verbatim { m.offset } else { 0 },
                            ..m
                        }),
                );
            }
            _ => {}
        }
    }
    out
}

/// For each `{` in the text events of `source`, in order, whether the author escaped it
/// (`\{`, or a character reference such as `&#123;`): such a brace is text, never ruby.
/// Markdown has already removed the escape from the event's text; the source shows it: an
/// escaped character starts a text event right after its backslash (an odd number of them:
/// `\\{` is an escaped backslash and a brace), and a character reference is a text event
/// whose source differs from its text.
fn literal_braces(source: &str, options: Options) -> Vec<bool> {
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        if let Event::Text(t) = &event {
            let reference = source[range.clone()] != **t;
            let backslashes = source[..range.start]
                .bytes()
                .rev()
                .take_while(|b| *b == b'\\')
                .count();
            let escaped = t.starts_with('{') && backslashes % 2 == 1;
            for (i, _) in t.match_indices('{') {
                out.push(reference || (escaped && i == 0));
            }
        }
    }
    out
}

/// The fast path of sanitising. Without raw HTML, every tag in the fragment was written by
/// pulldown-cmark (or the term link pass) from events this module has already checked: only
/// elements and attributes on [`sanitiser`]'s allow-list, properly nested. Running ammonia
/// over such a fragment (a full HTML parse and serialisation, a noticeable part of a large
/// build) would change only how a few things are spelled, and [`Verbatim::finish`] spells
/// them ammonia's way. Fragments where ammonia would judge something — raw HTML, a URL it
/// would drop, an attribute value it would write in another form — still go through it.
/// The test `fast_path_equals_the_sanitiser` holds the two paths to byte equality.
struct Verbatim;

impl Verbatim {
    /// Whether the sanitiser keeps this link target exactly as pulldown-cmark writes it: the
    /// written (percent-encoded) URL must be relative or of an allowed scheme by the `url`
    /// crate's reading, as ammonia judges it, and must have no `'` (written `&#x27;` by
    /// pulldown-cmark, `'` by ammonia).
    fn href(link_type: LinkType, dest: &str) -> bool {
        let mut written = String::with_capacity(dest.len() + 7);
        if link_type == LinkType::Email {
            written.push_str("mailto:");
        }
        if pulldown_cmark_escape::escape_href(&mut written, dest).is_err() || dest.contains('\'') {
            return false;
        }
        // The attribute's value as the HTML parser reads it back.
        let value = written.replace("&amp;", "&");
        match url::Url::parse(&value) {
            Ok(u) => URL_SCHEMES.contains(&u.scheme()),
            Err(e) => e == url::ParseError::RelativeUrlWithoutBase,
        }
    }

    /// Whether an attribute value written with `escape_html` (link titles, footnote names)
    /// reads the same after ammonia, which writes `<`, `>` and `'` unescaped in attributes.
    fn text(value: &str) -> bool {
        !value.contains(['<', '>', '\'']) && !Verbatim::reparsed(value)
    }

    /// Characters the HTML parser itself changes: it drops NUL and turns a carriage return
    /// into a line feed.
    fn reparsed(text: &str) -> bool {
        text.contains(['\r', '\0'])
    }

    /// Spells the fragment as html5ever serialises it: void elements without ` /`, and a
    /// no-break space as `&nbsp;`. Without raw HTML, `<br />` and `<hr />` can only be tags
    /// (text has its `<` escaped).
    fn finish(out: String) -> String {
        if !out.contains(" />") && !out.contains('\u{a0}') {
            return out;
        }
        out.replace("<br />", "<br>")
            .replace("<hr />", "<hr>")
            .replace('\u{a0}', "&nbsp;")
    }
}

/// Cleans one rendered fragment with `ammonia` (an allow-list sanitiser built on a real HTML
/// parser, so malformed or obfuscated markup is judged the way browsers read it). The whole
/// fragment goes through it, so the check does not depend on how pulldown-cmark split raw HTML
/// into events.
///
/// The allow-list is what plan pages need and nothing that runs code or changes layout:
/// the elements Markdown itself produces, tables, lists, `abbr`, `ruby`, `details`, and basic
/// inline markup. No `style` (except a table cell's `text-align`, which Markdown's column
/// alignment writes), no event handlers, no `iframe`/`object`/`form`; URLs only http(s),
/// mailto, tel or relative. `<h1>` is the template's, so it is kept only when the caller asked
/// for headings from level 1.
pub(crate) fn sanitise(html: &str, allow_h1: bool) -> String {
    static WITH_H1: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    static WITHOUT_H1: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let builder = if allow_h1 {
        WITH_H1.get_or_init(|| sanitiser(true))
    } else {
        WITHOUT_H1.get_or_init(|| sanitiser(false))
    };
    builder.clean(html).to_string()
}

fn sanitiser(allow_h1: bool) -> ammonia::Builder<'static> {
    let mut tags: HashSet<&'static str> = [
        // What Markdown produces.
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "sup",
        "div",
        // What plan pages may add by hand.
        "tfoot",
        "caption",
        "dl",
        "dt",
        "dd",
        "abbr",
        "ruby",
        "rt",
        "rp",
        "details",
        "summary",
        "b",
        "i",
        "s",
        "u",
        "small",
        "sub",
        "mark",
        "q",
        "cite",
        "dfn",
        "kbd",
        "ins",
        "span",
    ]
    .into_iter()
    .collect();
    if allow_h1 {
        tags.insert("h1");
    }
    let attributes: HashMap<&'static str, HashSet<&'static str>> = [
        ("a", &["href", "title"][..]),
        ("img", &["src", "alt", "title", "width", "height"]),
        ("th", &["scope", "colspan", "rowspan", "style"]),
        ("td", &["colspan", "rowspan", "style"]),
        ("abbr", &["title"]),
        ("dfn", &["title"]),
        ("ol", &["start"]),
        ("div", &["id"]),
        ("details", &["open"]),
    ]
    .into_iter()
    .map(|(tag, attrs)| (tag, attrs.iter().copied().collect()))
    .collect();
    // The classes keikaku itself writes: footnotes, and links to the glossary.
    let classes: HashMap<&'static str, HashSet<&'static str>> = [
        ("a", &["term"][..]),
        (
            "sup",
            &["footnote-reference", "footnote-definition-label"][..],
        ),
        ("div", &["footnote-definition"]),
    ]
    .into_iter()
    .map(|(tag, names)| (tag, names.iter().copied().collect()))
    .collect();
    let mut b = ammonia::Builder::empty();
    b.tags(tags)
        .tag_attributes(attributes)
        .allowed_classes(classes)
        .url_schemes(URL_SCHEMES.into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .clean_content_tags(["script", "style"].into_iter().collect())
        .attribute_filter(|_element, attribute, value| match attribute {
            "style" => matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            )
            .then(|| value.into()),
            _ => Some(value.into()),
        });
    b
}

fn shift_level(level: HeadingLevel, by: i32) -> HeadingLevel {
    let n = (level as i32 + by).clamp(1, 6) as usize;
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

/// The site path of a root-relative link (`/measures/01-01/` → `measures/01-01/`); `None`
/// for every other link, protocol-relative ones (`//host/`) included.
pub(crate) fn root_relative(dest: &str) -> Option<&str> {
    dest.strip_prefix('/').filter(|rest| !rest.starts_with('/'))
}

/// The URL schemes a link may have, wherever its URL comes from: Markdown links, raw HTML
/// (through the sanitiser) and the URLs in `config.yaml` (`crate::validate`). Everything else
/// (`javascript:`, `data:`, `file:`, `vbscript:`) could run code or read local files.
pub(crate) const URL_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Whether a link target is relative or has one of [`URL_SCHEMES`]. Whitespace and control
/// characters are ignored while finding the scheme, as browsers ignore them (`java\tscript:`),
/// and the scheme is compared without case (`JaVaScRiPt:`).
pub(crate) fn is_allowed_url(url: &str) -> bool {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    match lower.find(':') {
        // A colon before any `/`, `?` or `#` means a scheme.
        Some(i) if !lower[..i].contains(['/', '?', '#']) => URL_SCHEMES.contains(&&lower[..i]),
        _ => true,
    }
}

/// Plain text of Markdown, for `<meta name="description">` and chart summaries.
/// Ruby keeps only its word ([`crate::ruby`]).
pub(crate) fn to_plain_text(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut ruby = text
        .contains('{')
        .then(|| RubyTexts::new(text, Options::empty()));
    for event in Parser::new(text) {
        match event {
            Event::Text(t) => match ruby.as_mut().and_then(|r| r.pieces(&t)) {
                Some(pieces) => out.push_str(&ruby::join_bases(&pieces)),
                None => out.push_str(&t),
            },
            Event::Code(t) => out.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) if !out.ends_with(' ') && !out.is_empty() => out.push(' '),
            _ => {}
        }
    }
    let trimmed = out.trim();
    if trimmed.chars().count() > max_chars {
        let cut: String = trimmed.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::PageTerms;

    const S: RawHtml = RawHtml::Sanitise;

    #[test]
    fn headings_are_shifted_below_the_template_heading() {
        assert_eq!(to_html("# 見出し", 3, S), "<h3>見出し</h3>\n");
        assert_eq!(
            to_html("## 見出し\n\n### 小見出し", 2, S),
            "<h2>見出し</h2>\n<h3>小見出し</h3>\n"
        );
        assert_eq!(
            to_html("# a\n\n###### 深い", 4, S),
            "<h4>a</h4>\n<h6>深い</h6>\n"
        );
        assert_eq!(to_html("# 題", 1, S), "<h1>題</h1>\n");
    }

    #[test]
    fn script_urls_in_markdown_links_never_pass_through() {
        for mode in [RawHtml::Sanitise, RawHtml::Trust] {
            let html = to_html(
                "[x](javascript:alert(1)) [y](JaVaScRiPt:1) [ok](https://a.jp/) [rel](../x/)",
                2,
                mode,
            );
            assert!(!html.to_ascii_lowercase().contains("javascript"), "{html}");
            assert!(html.contains("href=\"https://a.jp/\""), "{html}");
            assert!(html.contains("href=\"../x/\""), "{html}");
            let img = to_html("![代替](javascript:x) ![ok](a.png)", 2, mode);
            assert!(!img.contains("javascript"), "{img}");
            assert!(img.contains("<img src=\"a.png\" alt=\"ok\""), "{img}");
        }
    }

    /// Each line is an attack that must leave nothing executable or styling behind.
    #[test]
    fn raw_html_is_sanitised_by_default() {
        let attacks = [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "<b onclick=\"x()\">b</b>",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)><circle/></svg>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
            "<iframe src=\"https://evil.example/\"></iframe>",
            "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
            "<form action=\"https://evil.example/\"><input name=q></form>",
            "<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">偽の画面</p>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<style>body{display:none}</style>",
            "<link rel=stylesheet href=https://evil.example/x.css>",
            "<meta http-equiv=refresh content=\"0;url=https://evil.example/\">",
            "<base href=\"https://evil.example/\">",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
            "<details open ontoggle=alert(1)><summary>x</summary></details>",
            "<td style=\"text-align: left; background: url(x)\">x</td>",
            "<!-- <script>alert(1)</script> -->",
        ];
        for attack in attacks {
            let html = to_html(&format!("前\n\n{attack}\n\n後"), 2, S);
            let lower = html.to_ascii_lowercase();
            for bad in [
                "<script",
                "javascript",
                "vbscript",
                "data:",
                "onclick",
                "onerror",
                "onload",
                "ontoggle",
                "<iframe",
                "<object",
                "<embed",
                "<form",
                "<input",
                "style=\"p",
                "style=\"b",
                "background",
                "<style",
                "<link",
                "<meta",
                "<base",
                "<svg",
                "<math",
                "evil.example",
                "<!--",
            ] {
                assert!(!lower.contains(bad), "{attack:?} left {bad:?}: {html}");
            }
            assert!(
                html.contains("前") && html.contains("後"),
                "{attack:?}: {html}"
            );
        }
    }

    #[test]
    fn the_allow_list_keeps_what_plan_pages_need() {
        let text = "<table><caption>表</caption><tr><th scope=\"col\">年度</th></tr><tr><td>R4</td></tr></table>\n\n\
                    <ruby>木更津<rp>(</rp><rt>きさらづ</rt><rp>)</rp></ruby>と<abbr title=\"デジタル・トランスフォーメーション\">DX</abbr>\n\n\
                    <details><summary>詳しく</summary>本文</details>\n\n\
                    <a href=\"mailto:a@example.jp\">メール</a> <a href=\"tel:0438-00-0000\">電話</a> <a href=\"../x/\">相対</a> <a href=\"#note\">注</a>";
        let html = to_html(text, 2, S);
        for kept in [
            "<caption>表</caption>",
            "<th scope=\"col\">年度</th>",
            "<ruby>木更津<rp>(</rp><rt>きさらづ</rt><rp>)</rp></ruby>",
            "<abbr title=\"デジタル・トランスフォーメーション\">DX</abbr>",
            "<details><summary>詳しく</summary>本文</details>",
            "href=\"mailto:a@example.jp\"",
            "href=\"tel:0438-00-0000\"",
            "href=\"../x/\"",
            "href=\"#note\"",
        ] {
            assert!(html.contains(kept), "{kept} missing from {html}");
        }
        // Markdown's own output survives: column alignment, footnotes, strikethrough, code.
        let md = to_html(
            "| 年度 | 値 |\n|:---:|---:|\n| R4 | 1 |\n\n注[^1] ~~旧~~ `a<b`\n\n[^1]: 説明\n",
            2,
            S,
        );
        for kept in [
            "<th style=\"text-align: center\">年度</th>",
            "<td style=\"text-align: right\">1</td>",
            "<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>",
            "<div class=\"footnote-definition\" id=\"1\">",
            "<del>旧</del>",
            "<code>a&lt;b</code>",
        ] {
            assert!(md.contains(kept), "{kept} missing from {md}");
        }
        // A hand-written <h1> would be a second one on the page: only its text stays.
        assert_eq!(to_html("<h1>大</h1>", 2, S), "大");
    }

    #[test]
    fn trusted_raw_html_passes_through() {
        let html = to_html("<div class=\"map\" style=\"height:20em\"><iframe src=\"https://map.example/\"></iframe></div>", 2, RawHtml::Trust);
        assert_eq!(html, "<div class=\"map\" style=\"height:20em\"><iframe src=\"https://map.example/\"></iframe></div>");
    }

    /// The fast path ([`Verbatim`]) must produce exactly what ammonia makes of the same
    /// HTML, for every text it is taken for; and it must be taken for ordinary text.
    fn check_fast_path(text: &str, min_level: u8, terms: Option<&mut PageTerms>) -> bool {
        let (html, needs_sanitiser) = write_html(text, min_level, terms, S);
        if needs_sanitiser {
            return false;
        }
        assert_eq!(
            Verbatim::finish(html.clone()),
            sanitise(&html, min_level <= 1),
            "fast path differs from the sanitiser for {text:?} at level {min_level}"
        );
        true
    }

    /// Every Markdown text of the example site, rendered as the site renders it (with and
    /// without glossary links, at the heading levels pages use).
    #[test]
    fn fast_path_equals_the_sanitiser_on_the_example_site() {
        use crate::glossary::link::Linker;
        use crate::url::Route;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = crate::diagnostics::Diagnostics::default();
        let site =
            (crate::build::Pipeline::new(root).site(&mut diags)).expect("the example site loads");
        let mut texts: Vec<&str> = Vec::new();
        for m in &site.measures {
            texts.extend(m.sections.texts());
            texts.extend(m.kpis.iter().filter_map(|k| k.notes.as_deref()));
        }
        texts.extend(site.plan.policies.iter().map(|p| p.summary.as_str()));
        texts.extend(site.glossary.iter().map(|t| t.explanation.as_str()));
        texts.extend(site.pages.iter().map(|p| p.body.as_str()));
        texts.extend(site.activity.iter().map(|a| a.goal.as_str()));
        let linker = Linker::new(&site.glossary);
        let mut fast = 0;
        for text in &texts {
            for level in [1, 2, 3] {
                fast += usize::from(check_fast_path(text, level, None));
                let mut page = PageTerms::new(&linker, &Route::measure("01-01"));
                fast += usize::from(check_fast_path(text, level, Some(&mut page)));
            }
        }
        assert!(texts.len() > 100, "{} texts", texts.len());
        assert!(
            fast > texts.len() * 6 * 9 / 10,
            "fast path taken {fast} times"
        );
    }

    /// Generated text from pieces that exercise every element Markdown writes, including the
    /// edge cases of URLs, entities and attribute values.
    #[test]
    fn fast_path_equals_the_sanitiser_on_generated_text() {
        use rand::{Rng, SeedableRng};
        const PIECES: &[&str] = &[
            "本文のテキスト",
            "A & B < C > D \"q\" 'a'",
            "&amp; &lt; &#x3c; &#60; &quot; &nbsp;無改行&copy;",
            "# 見出し1",
            "## 見出し2",
            "###### 見出し6",
            "見出し\n===",
            "*強調* **太字** ~~取消~~",
            "`a<b && c>d`",
            "```rust\nfn main() { a < b && c > d; }\n```",
            "```\n<div>\n```",
            "    indented <code> & more",
            "> 引用\n> > 入れ子",
            "- 項目\n- 項目2\n  - 子",
            "1. 一\n2. 二",
            "3. 三から",
            "* [ ] task",
            "---",
            "***",
            "行末  \n改行",
            "行末\\\n改行",
            "| 年度 | 値 |\n|:---|---:|\n| R4 | 1 |\n| R5 | <2> |",
            "| a | b |\n|:-:|---|\n| `|` | x |",
            "注[^1]\n\n[^1]: 説明",
            "注[^名前 あ]\n\n[^名前 あ]: 注記",
            "[^x'y]\n\n[^x'y]: z",
            "[^a<b]\n\n[^a<b]: c",
            "[link](https://example.jp/a?b=1&c=2#f)",
            "[相対](../x/)",
            "[root](/a/b)",
            "[frag](#sec)",
            "[メール](mailto:a@example.jp)",
            "[電話](tel:0438-00-0000)",
            "[js](javascript:alert(1))",
            "[js2](JaVaScRiPt:alert(1))",
            "[js3](java\tscript:x)",
            "[data](data:text/html,x)",
            "[v](vbscript:x)",
            "[ftp](ftp://example.jp/)",
            "[odd](http://exa%20mple/)",
            "[odd2](http://[::1/)",
            "[odd3](http://%zz/)",
            "[q](https://a.jp/it's)",
            "[sp](<a b.html>)",
            "[jp](https://ja.wikipedia.org/wiki/日本)",
            "[t](https://a.jp/ \"題<名>\")",
            "[t2](https://a.jp/ \"題名\")",
            "[t3](x \"it's\")",
            "[empty]()",
            "[colon](a:b)",
            "[colon2](./a:b)",
            "[c3](a/b:c)",
            "[bs](https:\\\\a.jp)",
            "[ref][r]\n\n[r]: https://r.jp/",
            "<https://auto.example.jp/path?x=1&y=2>",
            "<a@example.jp>",
            "https://bare.example.jp",
            "![画像](a.png)",
            "![alt <x>](b.png \"t\")",
            "![js](javascript:x)",
            "<b>raw</b>",
            "<!-- c -->",
            "<div>\nblock\n</div>",
            "\\<not html\\>",
            "a\u{a0}b",
            "a\rb",
            "[用語](用語:DX)",
            "DXとRPA",
            "[x](用語:-)",
            "\u{0}nul",
            "\u{1}ctl",
            "😀 絵文字",
            "&#0;",
            "{木更津|きさらづ}",
            "{木更津|き|さら|づ}",
            "{A&B|<え>}",
            "\\{a|b}",
            "{a|}",
            "![{市|し}](c.png)",
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let mut fast = 0;
        let total = 3000;
        for _ in 0..total {
            let n = rng.random_range(1..5);
            let parts: Vec<&str> = (0..n)
                .map(|_| PIECES[rng.random_range(0..PIECES.len())])
                .collect();
            let sep = ["\n\n", "\n", " "][rng.random_range(0..3)];
            let text = parts.join(sep);
            let level = rng.random_range(1..4);
            fast += usize::from(check_fast_path(&text, level, None));
        }
        for piece in PIECES {
            for level in [1, 2] {
                check_fast_path(piece, level, None);
            }
        }
        assert!(fast > total / 4, "fast path taken {fast} of {total} times");
    }

    #[test]
    fn raw_html_and_doubtful_attributes_take_the_sanitiser() {
        for text in [
            "<b>x</b>",
            "<!-- c -->",
            "<div>\nx\n</div>",
            "![a](b.png)",
            "[x](http://%zz/)",
            "[x](https://a.jp/it's)",
            "[x](y \"<t>\")",
            "[^a<b]\n\n[^a<b]: c",
        ] {
            assert!(write_html::<NoTermLinks>(text, 2, None, S).1, "{text:?}");
        }
        for text in ["[x](https://a.jp/)", "a\u{a0}b", "```rust\nx\n```", "---"] {
            assert!(!write_html::<NoTermLinks>(text, 2, None, S).1, "{text:?}");
        }
    }

    #[test]
    fn ruby_is_rendered_in_markdown() {
        const KISARAZU: &str = "<ruby>木更津<rp>（</rp><rt>きさらづ</rt><rp>）</rp></ruby>";
        assert_eq!(
            to_html("{木更津|きさらづ}の **{計画|けいかく}**", 2, S),
            format!("<p>{KISARAZU}の <strong><ruby>計画<rp>（</rp><rt>けいかく</rt><rp>）</rp></ruby></strong></p>\n")
        );
        assert_eq!(
            to_html("{木更津|き|さら|づ}", 2, S),
            "<p><ruby>木<rp>（</rp><rt>き</rt><rp>）</rp>更<rp>（</rp><rt>さら</rt><rp>）</rp>津<rp>（</rp><rt>づ</rt><rp>）</rp></ruby></p>\n"
        );
        // In a table the bar is escaped, as Markdown asks.
        let table = to_html("| 市 | 人 |\n|---|---|\n| {木更津\\|きさらづ} | 1 |", 2, S);
        assert!(table.contains(&format!("<td>{KISARAZU}</td>")), "{table}");
        // Escaped braces, code and alt text are not ruby.
        for (text, html) in [
            ("\\{木更津|きさらづ}", "<p>{木更津|きさらづ}</p>\n"),
            ("&#123;木更津|きさらづ}", "<p>{木更津|きさらづ}</p>\n"),
            ("\\\\{木更津|きさらづ}", &format!("<p>\\{KISARAZU}</p>\n")),
            ("`{a|b}`", "<p><code>{a|b}</code></p>\n"),
            ("```\n{a|b}\n```", "<pre><code>{a|b}\n</code></pre>\n"),
            (
                "![{市|し}の地図](a.png)",
                "<p><img src=\"a.png\" alt=\"市の地図\"></p>\n",
            ),
            ("{注} と {a|}", "<p>{注} と {a|}</p>\n"),
        ] {
            assert_eq!(to_html(text, 2, S), html, "{text}");
        }
        // Text is escaped inside ruby; the sanitiser and the trusted path agree.
        let tricky = "{1<2|&}";
        let escaped = "<p><ruby>1&lt;2<rp>（</rp><rt>&amp;</rt><rp>）</rp></ruby></p>\n";
        assert_eq!(to_html(tricky, 2, S), escaped);
        assert_eq!(to_html(tricky, 2, RawHtml::Trust), escaped);
        assert_eq!(sanitise(escaped, false), escaped);
    }

    #[test]
    fn glossary_terms_written_with_ruby_are_still_linked() {
        use crate::glossary::link::Linker;
        use crate::url::Route;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = crate::diagnostics::Diagnostics::default();
        let site =
            (crate::build::Pipeline::new(root).site(&mut diags)).expect("the example site loads");
        let term = &site.glossary[0].term;
        let linker = Linker::new(&site.glossary);
        let mut page = PageTerms::new(&linker, &Route::measure("01-01"));
        let html = to_html_with_terms(&format!("{{{term}|よみ}}"), 2, &mut page, S);
        assert!(html.starts_with("<p><ruby><a "), "{html}");
        assert!(html.contains(&format!(">{term}</a><rp>")), "{html}");
    }

    #[test]
    fn malformed_ruby_in_markdown_is_found_at_its_brace() {
        let text = "前の行\n\nあ{木更津|}と\\{a|と`{b|`と{c|d}";
        let found = ruby_problems(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&text[found[0].offset..found[0].offset + 1], "{");
        assert_eq!(found[0].problem, ruby::Problem::EmptyReading);
        assert!(ruby_problems("{木更津|きさらづ}\n\n```\n{x|\n```\n\n`{y|`").is_empty());
    }

    #[test]
    fn plain_text_is_shortened() {
        assert_eq!(to_plain_text("**強調**と[リンク](x)", 100), "強調とリンク");
        assert_eq!(to_plain_text("あいうえお", 3), "あい…");
        assert_eq!(
            to_plain_text("{木更津|きさらづ}と\\{a|b}と{計画|けい|かく}", 100),
            "木更津と{a|b}と計画"
        );
    }
}
