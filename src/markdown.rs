//! Markdown → HTML for every text authors write (measure sections, policy summaries, pages).
//!
//! Raw HTML in Markdown is sanitised ([`sanitise`]): the people who write content are not web
//! developers, and a pasted `<script>`, `onclick` or `style` must never reach citizens'
//! browsers, while a table, `<ruby>` or `<details>` written by hand is kept. A site that trusts
//! its editors can switch this off (`allow_raw_html: true`, [`RawHtml::Trust`]). Markdown link
//! targets other than http(s), mailto, tel and relative paths are dropped in either mode
//! (`javascript:`, `data:`).
//!
//! Pages whose text should link glossary terms render through [`to_html_with_terms`], which
//! adds the glossary link pass ([`crate::glossary::link`]); the sanitiser runs last, over the
//! finished fragment.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{
    html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream,
};

use crate::glossary::{link, PageTerms};

/// The Markdown extensions authors may use; one definition so that validation parses text
/// exactly as rendering does.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// What happens to HTML that authors write inside Markdown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub enum RawHtml {
    /// Kept only as far as the allow-list of [`sanitise`] permits (the default).
    #[default]
    Sanitise,
    /// Passed through unchanged: only for sites whose editors are trusted with HTML.
    Trust,
}

/// Renders `text`, moving headings so that the author's top-level heading becomes
/// `min_level`: authors may start at `#` or at `##`, and either way the page keeps one `<h1>`
/// (the template's) and an unbroken heading order. Glossary references (`[…](用語:…)`) are
/// shown as plain text.
pub fn to_html(text: &str, min_level: u8, raw_html: RawHtml) -> String {
    render(text, min_level, None, raw_html)
}

/// [`to_html`] with glossary links: automatic links to the first occurrence of each term on
/// the page (`terms` carries what the page has linked so far) and explicit references.
pub fn to_html_with_terms(
    text: &str,
    min_level: u8,
    terms: &mut PageTerms,
    raw_html: RawHtml,
) -> String {
    render(text, min_level, Some(terms), raw_html)
}

fn render(text: &str, min_level: u8, terms: Option<&mut PageTerms>, raw_html: RawHtml) -> String {
    let keep_references = terms.is_some();
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
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let safe =
                is_safe_url(dest_url) || keep_references && link::reference(dest_url).is_some();
            link_dropped.push(!safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Link) => (!link_dropped.pop().unwrap_or(false)).then_some(event),
        Event::Start(Tag::Image { ref dest_url, .. }) => {
            let safe = is_safe_url(dest_url);
            image_dropped.push(!safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Image) => (!image_dropped.pop().unwrap_or(false)).then_some(event),
        other => Some(other),
    });
    let events = TextMergeStream::new(events);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    match terms {
        Some(terms) => html::push_html(&mut out, terms.link_events(events).into_iter()),
        None => html::push_html(&mut out, events),
    }
    match raw_html {
        RawHtml::Trust => out,
        RawHtml::Sanitise => sanitise(&out, min_level <= 1),
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
pub fn sanitise(html: &str, allow_h1: bool) -> String {
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
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
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

fn is_safe_url(url: &CowStr) -> bool {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    match lower.find(':') {
        // A colon before any `/`, `?` or `#` means a scheme.
        Some(i) if !lower[..i].contains(['/', '?', '#']) => {
            matches!(&lower[..i], "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// Plain text of Markdown, for `<meta name="description">` and chart summaries.
pub fn to_plain_text(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
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

    #[test]
    fn plain_text_is_shortened() {
        assert_eq!(to_plain_text("**強調**と[リンク](x)", 100), "強調とリンク");
        assert_eq!(to_plain_text("あいうえお", 3), "あい…");
    }
}
