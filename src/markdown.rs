//! Markdown → HTML for every text authors write (measure sections, policy summaries, pages).
//!
//! Raw HTML in Markdown is shown as text, not passed through: the people who write content are
//! not web developers, and a pasted `<script>` or `onclick` must never reach citizens' browsers.
//! Link targets other than http(s), mailto, tel and relative paths are dropped for the same
//! reason (`javascript:`, `data:`).
//!
//! Pages whose text should link glossary terms render through [`to_html_with_terms`], which
//! adds the glossary link pass ([`crate::glossary::link`]) after sanitising.

use pulldown_cmark::{
    html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream,
};

use crate::glossary::{link, PageTerms};

/// The Markdown extensions authors may use; one definition so that validation parses text
/// exactly as rendering does.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// Renders `text`, moving headings so that the author's top-level heading becomes
/// `min_level`: authors may start at `#` or at `##`, and either way the page keeps one `<h1>`
/// (the template's) and an unbroken heading order. Glossary references (`[…](用語:…)`) are
/// shown as plain text.
pub fn to_html(text: &str, min_level: u8) -> String {
    render(text, min_level, None)
}

/// [`to_html`] with glossary links: automatic links to the first occurrence of each term on
/// the page (`terms` carries what the page has linked so far) and explicit references.
pub fn to_html_with_terms(text: &str, min_level: u8, terms: &mut PageTerms) -> String {
    render(text, min_level, Some(terms))
}

fn render(text: &str, min_level: u8, terms: Option<&mut PageTerms>) -> String {
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
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
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
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let safe =
                is_safe_url(&dest_url) || keep_references && link::reference(&dest_url).is_some();
            link_dropped.push(!safe);
            safe.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => {
            let dropped = link_dropped.pop().unwrap_or(false);
            (!dropped).then_some(Event::End(TagEnd::Link))
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let safe = is_safe_url(&dest_url);
            image_dropped.push(!safe);
            safe.then_some(Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Image) => {
            let dropped = image_dropped.pop().unwrap_or(false);
            (!dropped).then_some(Event::End(TagEnd::Image))
        }
        other => Some(other),
    });
    let events = TextMergeStream::new(events);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    match terms {
        Some(terms) => html::push_html(&mut out, terms.link_events(events).into_iter()),
        None => html::push_html(&mut out, events),
    }
    out
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

    #[test]
    fn headings_are_shifted_below_the_template_heading() {
        assert_eq!(to_html("# 見出し", 3), "<h3>見出し</h3>\n");
        assert_eq!(
            to_html("## 見出し\n\n### 小見出し", 2),
            "<h2>見出し</h2>\n<h3>小見出し</h3>\n"
        );
        assert_eq!(
            to_html("# a\n\n###### 深い", 4),
            "<h4>a</h4>\n<h6>深い</h6>\n"
        );
    }

    #[test]
    fn raw_html_and_script_urls_never_pass_through() {
        let html = to_html("<script>alert(1)</script>\n\n<b onclick=\"x()\">b</b> [x](javascript:alert(1)) [y](JaVaScRiPt:1) [ok](https://a.jp/) [rel](../x/)", 2);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(
            !html.to_ascii_lowercase().contains("href=\"javascript"),
            "{html}"
        );
        assert!(html.contains("href=\"https://a.jp/\""));
        assert!(html.contains("href=\"../x/\""));
        assert!(html.contains("&lt;script&gt;"));
        let img = to_html("![代替](javascript:x) ![ok](a.png)", 2);
        assert!(!img.contains("javascript"), "{img}");
        assert!(img.contains("<img src=\"a.png\" alt=\"ok\""), "{img}");
    }

    #[test]
    fn plain_text_is_shortened() {
        assert_eq!(to_plain_text("**強調**と[リンク](x)", 100), "強調とリンク");
        assert_eq!(to_plain_text("あいうえお", 3), "あい…");
    }
}
