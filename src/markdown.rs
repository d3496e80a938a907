//! Markdown → HTML for every text authors write (measure sections, policy summaries, pages).
//!
//! Raw HTML in Markdown is shown as text, not passed through: the people who write content are
//! not web developers, and a pasted `<script>` or `onclick` must never reach citizens' browsers.
//! Link targets other than http(s), mailto, tel and relative paths are dropped for the same
//! reason (`javascript:`, `data:`).

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Renders `text`, shifting headings down so that a `#` written by an author sits below the
/// heading the template already gives that block (`min_level` 3 turns `#` into `<h3>`).
pub fn to_html(text: &str, min_level: u8) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let shift = min_level.saturating_sub(1);
    let mut link_dropped = Vec::new();
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
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
            let safe = is_safe_url(&dest_url);
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
        Event::Start(Tag::Image { dest_url, .. }) if !is_safe_url(&dest_url) => None,
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn shift_level(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as usize + by as usize).min(6);
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
            ) => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
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
        assert_eq!(to_html("#### 深い", 4), "<h6>深い</h6>\n");
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
    }

    #[test]
    fn plain_text_is_shortened() {
        assert_eq!(to_plain_text("**強調**と[リンク](x)", 100), "強調とリンク");
        assert_eq!(to_plain_text("あいうえお", 3), "あい…");
    }
}
