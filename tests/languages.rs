//! The foundations of a site in several languages, end to end on a copy of the small fixture
//! site: furigana (`{木更津|きさらづ}`) rendered on the pages and only its word in plain-text
//! outputs, malformed furigana as located warnings that do not stop the build, and the
//! `languages:` and `readings:` settings of `config.yaml` with located errors.

mod common;

use std::path::Path;

use keikaku::build::Pipeline;
use keikaku::diagnostics::{Code, Diagnostic, Severity};
use keikaku::language::Language;
use keikaku::validate::Overrides;

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn append(root: &Path, rel: &str, more: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text + more).unwrap();
}

fn check(root: &Path) -> Vec<Diagnostic> {
    let diags = Pipeline::new(root)
        .with_overrides(Overrides::default())
        .check();
    diags.iter().cloned().collect()
}

/// (code, file, line, column) of each diagnostic of `code`.
fn located(diags: &[Diagnostic], code: Code) -> Vec<(String, usize, usize)> {
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let p = d.position.expect("located");
            (d.file.display().to_string(), p.line, p.column)
        })
        .collect()
}

#[test]
fn furigana_is_ruby_on_the_page_and_plain_in_the_search_index() {
    let (_dir, root) = common::site();
    append(
        &root,
        "content/pages/about.md",
        "\n{木更津|きさらづ}市の{計画|けい|かく}と、括弧そのもの \\{a|b}。\n",
    );
    edit(
        &root,
        "content/measures/01-01.yaml",
        "title: 電子地域通貨・行政ポイントを活用した地域経済の活性化",
        "title: \"{電子|でんし}地域通貨・行政ポイントを活用した地域経済の活性化\"",
    );
    let out = root.join("public");
    let built = Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .build(&out);
    assert!(built.is_ok(), "{:?}", built.err());
    let page = common::read(&out, "about/index.html");
    assert!(
        page.contains(
            "<ruby>木更津<rp>（</rp><rt>きさらづ</rt><rp>）</rp></ruby>市の<ruby>計<rp>（</rp><rt>けい</rt><rp>）</rp>画<rp>（</rp><rt>かく</rt><rp>）</rp></ruby>と、括弧そのもの {a|b}。"
        ),
        "{page}"
    );
    // A title with ruby is its words wherever the site writes it for now (until the
    // templates show ruby in titles): the page's <title>, the open data, the search index.
    let measure = common::read(&out, "measures/01-01/index.html");
    assert!(measure.contains("<title>01-01 電子地域通貨"), "{measure}");
    assert!(!measure.contains("でんし") && !measure.contains("{電子"));
    let csv = common::read(&out, "data/measures.csv");
    assert!(csv.contains(",電子地域通貨") && !csv.contains("でんし"));
    // The index holds two-character keys: those of the words, none of the readings.
    let index = common::read(&out, "search/shard-0.js");
    for key in ["更津", "津市", "画と"] {
        assert!(index.contains(&format!("\"{key}\"")), "{key} missing");
    }
    for key in ["きさ", "けい", "かく"] {
        assert!(!index.contains(&format!("\"{key}\"")), "{key} indexed");
    }
}

#[test]
fn malformed_furigana_is_a_located_warning() {
    let (_dir, root) = common::site();
    let measure = "content/measures/01-01.yaml";
    edit(
        &root,
        measure,
        "title: 電子地域通貨・行政ポイントを活用した地域経済の活性化",
        // A YAML value that starts with `{` must be quoted (else it is a mapping).
        "title: \"{電子|でんし|}地域通貨・行政ポイントを活用した地域経済の活性化\"",
    );
    append(
        &root,
        measure,
        "sections:\n  details: |\n    一行目です。\n    二行目に{木更津|き|さらづ}とあります。\n",
    );
    append(
        &root,
        "content/pages/about.md",
        "\n\n本文の{木更津|きさらづ\n",
    );
    let diags = check(&root);
    assert!(
        diags.iter().all(|d| d.severity == Severity::Warning),
        "{diags:?}"
    );
    let lines = std::fs::read_to_string(root.join(measure)).unwrap();
    let title_line = lines.lines().position(|l| l.starts_with("title:")).unwrap() + 1;
    let details_line = lines.lines().position(|l| l.contains("二行目")).unwrap() + 1;
    let about = std::fs::read_to_string(root.join("content/pages/about.md")).unwrap();
    let about_line = about.lines().position(|l| l.contains("本文の")).unwrap() + 1;
    let mut found = located(&diags, Code::RubyMalformed);
    found.sort();
    assert_eq!(
        found,
        [
            (measure.to_string(), title_line, 9),
            (measure.to_string(), details_line, 9),
            ("content/pages/about.md".to_string(), about_line, 4),
        ]
    );
    let messages: Vec<_> = diags
        .iter()
        .filter(|d| d.code == Code::RubyMalformed)
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("読みが空")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("語は3文字")),
        "{messages:?}"
    );
}

#[test]
fn languages_are_read_and_unknown_ones_are_located_errors() {
    let (_dir, root) = common::site();
    append(&root, "config.yaml", "languages: [ja, ja-easy, en]\n");
    let site = Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .site(&mut Default::default())
        .expect("the site loads");
    assert_eq!(
        site.config.languages,
        [
            Language::Japanese,
            Language::EasyJapanese,
            Language::English
        ]
    );

    let (_dir, root) = common::site();
    let lines = std::fs::read_to_string(root.join("config.yaml"))
        .unwrap()
        .lines()
        .count();
    append(
        &root,
        "config.yaml",
        "languages:\n  - ja\n  - fr\n  - en\n  - en\n",
    );
    let diags = check(&root);
    assert_eq!(
        located(&diags, Code::UnknownLanguage),
        [("config.yaml".to_string(), lines + 3, 5)]
    );
    assert_eq!(
        located(&diags, Code::LanguageList),
        [("config.yaml".to_string(), lines + 5, 5)]
    );

    let (_dir, root) = common::site();
    append(&root, "config.yaml", "languages: [en]\n");
    let diags = check(&root);
    assert!(diags
        .iter()
        .any(|d| d.code == Code::LanguageList && d.message.contains("ja")));
}

#[test]
fn readings_must_be_kana() {
    let (_dir, root) = common::site();
    append(
        &root,
        "config.yaml",
        "readings:\n  木更津: きさらづ\n  畑沢: ハタザワ\n",
    );
    let site = Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .site(&mut Default::default())
        .expect("the site loads");
    assert_eq!(site.config.readings["木更津"], "きさらづ");
    assert_eq!(site.config.readings.len(), 2);

    let (_dir, root) = common::site();
    let lines = std::fs::read_to_string(root.join("config.yaml"))
        .unwrap()
        .lines()
        .count();
    append(
        &root,
        "config.yaml",
        "readings:\n  木更津: きさらづ\n  金田: kaneda\n  \"{畑沢}\": はたざわ\n",
    );
    let diags = check(&root);
    let mut found = located(&diags, Code::ReadingNotKana);
    found.sort();
    assert_eq!(
        found,
        [
            ("config.yaml".to_string(), lines + 3, 7),
            ("config.yaml".to_string(), lines + 4, 3),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// The example site in its three trees (`languages: [ja, ja-easy, en]` in config.yaml):
// every page's `lang`, its `hreflang` alternates and its language switcher; no Japanese
// letter in the English tree outside a `lang="ja"` element; the やさしい日本語 text of the
// home page and of measures 01-01 and 01-07.
// ---------------------------------------------------------------------------------------

/// The example site built once for the tests below (into cargo's temporary folder for
/// integration tests, so that a failing run leaves the output to look at).
fn example_site() -> &'static Path {
    static BUILT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("languages-example");
        if out.exists() {
            std::fs::remove_dir_all(&out).unwrap();
        }
        Pipeline::new(common::repo_root())
            .with_overrides(Overrides::default())
            .build(&out)
            .unwrap_or_else(|d| {
                panic!(
                    "the example site must build:\n{}",
                    keikaku::diagnostics::render(&d, keikaku::diagnostics::Format::Plain, false)
                )
            });
        out
    })
}

/// Every `*.html` page of the built site, as paths relative to it (`en/measures/01-01/index.html`).
fn html_pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = common::read_tree(out)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    pages.sort();
    pages
}

/// The tree a page belongs to, and its path inside that tree.
fn tree_of(page: &str) -> (Language, &str) {
    for language in [Language::EasyJapanese, Language::English] {
        if let Some(rest) = page.strip_prefix(language.url_prefix()) {
            return (language, rest);
        }
    }
    (Language::Japanese, page)
}

/// Pages the site writes once, at its root, for every tree (they have no siblings).
const ROOT_ONLY: [&str; 1] = ["404.html"];

fn is_japanese_letter(c: char) -> bool {
    // The same letters as tests/interface_text.rs: kanji, kana, Japanese punctuation and the
    // full-width forms.
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
        || matches!(u32::from(c), 0x3000..=0x30FF | 0xFF00..=0xFFEF | 0x31F0..=0x31FF)
}

fn is_kana_or_kanji(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
        || matches!(u32::from(c), 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F)
}

/// A small HTML walker for the pages keikaku writes (which the browser suite's Nu HTML
/// Checker keeps valid): elements with their attributes and the language in effect, text
/// with its character references decoded. It knows what these tests need — void elements,
/// comments, the doctype, raw text (`script`, `style`) and escapable raw text (`title`,
/// `textarea`), end tags that close the elements left open inside them — and nothing of
/// HTML's error recovery.
mod html {
    /// One start tag or text run, with the `lang` in effect there (the nearest `lang` or
    /// `xml:lang` of it or its ancestors; `""` when none).
    #[derive(Debug)]
    pub enum Node {
        Element {
            name: String,
            attrs: Vec<(String, String)>,
            lang: String,
            path: String,
            /// How many elements are open here, this one included.
            depth: usize,
        },
        Text {
            text: String,
            lang: String,
            path: String,
            /// How many elements are open around it.
            depth: usize,
            /// Whether an element around it has `aria-hidden="true"` (a decorative icon).
            hidden: bool,
        },
    }

    impl Node {
        pub fn attr(&self, key: &str) -> Option<&str> {
            match self {
                Node::Element { attrs, .. } => attrs
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.as_str()),
                Node::Text { .. } => None,
            }
        }
    }

    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];

    struct Open {
        name: String,
        lang: Option<String>,
        hidden: bool,
    }

    fn lang_in_effect(stack: &[Open]) -> String {
        stack
            .iter()
            .rev()
            .find_map(|o| o.lang.clone())
            .unwrap_or_default()
    }

    fn path_of(stack: &[Open]) -> String {
        stack
            .iter()
            .map(|o| o.name.as_str())
            .collect::<Vec<_>>()
            .join(">")
    }

    /// `&amp;`, `&#x6728;`, `&#26408;` and the few names keikaku writes, decoded; anything
    /// else is left as written.
    pub fn decode(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let end = rest
                .char_indices()
                .take(12)
                .find(|(_, c)| *c == ';')
                .map(|(i, _)| i);
            let decoded = end.and_then(|end| {
                let name = &rest[1..end];
                let c = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok().and_then(char::from_u32)
                } else {
                    match name {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        "nbsp" => Some('\u{a0}'),
                        _ => None,
                    }
                };
                c.map(|c| (c, end + 1))
            });
            match decoded {
                Some((c, len)) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Reads the attributes of a start tag from just after its name up to its `>`; returns
    /// them, whether the tag ends in `/>`, and the position after the `>`.
    fn attributes(html: &str, mut i: usize) -> (Vec<(String, String)>, bool, usize) {
        let bytes = html.as_bytes();
        let mut attrs = Vec::new();
        let mut self_closing = false;
        while i < bytes.len() {
            match bytes[i] {
                b'>' => return (attrs, self_closing, i + 1),
                b'/' => {
                    self_closing = true;
                    i += 1;
                }
                c if c.is_ascii_whitespace() => i += 1,
                _ => {
                    self_closing = false;
                    let start = i;
                    while i < bytes.len()
                        && !bytes[i].is_ascii_whitespace()
                        && !matches!(bytes[i], b'=' | b'>' | b'/')
                    {
                        i += 1;
                    }
                    let key = html[start..i].to_ascii_lowercase();
                    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    let mut value = String::new();
                    if i < bytes.len() && bytes[i] == b'=' {
                        i += 1;
                        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                            i += 1;
                        }
                        if i < bytes.len() && matches!(bytes[i], b'"' | b'\'') {
                            let quote = bytes[i] as char;
                            let end = html[i + 1..].find(quote).map_or(html.len(), |e| i + 1 + e);
                            value = decode(&html[i + 1..end]);
                            i = (end + 1).min(html.len());
                        } else {
                            let start = i;
                            while i < bytes.len()
                                && !bytes[i].is_ascii_whitespace()
                                && bytes[i] != b'>'
                            {
                                i += 1;
                            }
                            value = decode(&html[start..i]);
                        }
                    }
                    attrs.push((key, value));
                }
            }
        }
        (attrs, self_closing, i)
    }

    /// The start tags and text runs of a page, in document order.
    pub fn nodes(html: &str) -> Vec<Node> {
        let mut out = Vec::new();
        let mut stack: Vec<Open> = Vec::new();
        let lower = html.to_ascii_lowercase();
        let mut i = 0;
        let push_text = |out: &mut Vec<Node>, stack: &[Open], raw: &str, decode_it: bool| {
            if !raw.is_empty() {
                out.push(Node::Text {
                    text: if decode_it {
                        decode(raw)
                    } else {
                        raw.to_string()
                    },
                    lang: lang_in_effect(stack),
                    path: path_of(stack),
                    depth: stack.len(),
                    hidden: stack.iter().any(|o| o.hidden),
                });
            }
        };
        while i < html.len() {
            let Some(lt) = html[i..].find('<').map(|at| i + at) else {
                push_text(&mut out, &stack, &html[i..], true);
                break;
            };
            push_text(&mut out, &stack, &html[i..lt], true);
            let rest = &html[lt..];
            if rest.starts_with("<!--") {
                i = html[lt + 4..]
                    .find("-->")
                    .map_or(html.len(), |e| lt + 4 + e + 3);
            } else if rest.starts_with("<!") || rest.starts_with("<?") {
                i = html[lt..].find('>').map_or(html.len(), |e| lt + e + 1);
            } else if let Some(after) = rest.strip_prefix("</") {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
                    .collect::<String>()
                    .to_ascii_lowercase();
                if let Some(at) = stack.iter().rposition(|o| o.name == name) {
                    stack.truncate(at);
                }
                i = html[lt..].find('>').map_or(html.len(), |e| lt + e + 1);
            } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
                let name_len = rest[1..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                    .unwrap_or(rest.len() - 1);
                let name = rest[1..1 + name_len].to_ascii_lowercase();
                let (attrs, self_closing, after) = attributes(html, lt + 1 + name_len);
                let own_lang = attrs
                    .iter()
                    .find(|(k, _)| k == "lang" || k == "xml:lang")
                    .map(|(_, v)| v.clone());
                let hidden = attrs.iter().any(|(k, v)| k == "aria-hidden" && v == "true");
                stack.push(Open {
                    name: name.clone(),
                    lang: own_lang,
                    hidden,
                });
                out.push(Node::Element {
                    name: name.clone(),
                    attrs,
                    lang: lang_in_effect(&stack),
                    path: path_of(&stack),
                    depth: stack.len(),
                });
                i = after;
                let raw_text = matches!(name.as_str(), "script" | "style");
                let escapable = matches!(name.as_str(), "title" | "textarea");
                if raw_text || escapable {
                    let close = format!("</{name}");
                    let end = lower[i..].find(&close).map_or(html.len(), |e| i + e);
                    push_text(&mut out, &stack, &html[i..end], escapable);
                    i = end;
                } else if self_closing || VOID.contains(&name.as_str()) {
                    stack.pop();
                }
            } else {
                // A lone `<` in text.
                push_text(&mut out, &stack, "<", false);
                i = lt + 1;
            }
        }
        out
    }
}

/// Whether `lang` (as in effect on an element) is Japanese: `ja` or a `ja-…` tag.
fn is_ja(lang: &str) -> bool {
    let lang = lang.to_ascii_lowercase();
    lang == "ja" || lang.starts_with("ja-")
}

/// The site path an `href` of `page` points to (`en/measures/01-01/index.html`): relative
/// links resolved from the page's folder, absolute ones under the site's `base_url`.
fn target_of(page: &str, href: &str, base_url: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or("");
    let joined = if let Some(rest) = href.strip_prefix(base_url) {
        rest.to_string()
    } else if href.contains("://") || href.starts_with('/') || href.starts_with("mailto:") {
        return None;
    } else {
        let folder = page.rsplit_once('/').map_or("", |(dir, _)| dir);
        if folder.is_empty() {
            href.to_string()
        } else {
            format!("{folder}/{href}")
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    Some(path)
}

/// The text of the element opened at `nodes[at]` as it is read: its text runs without the
/// ruby readings and their brackets (`<rt>`, `<rp>`), whitespace collapsed.
fn element_text(nodes: &[html::Node], at: usize) -> String {
    let html::Node::Element { depth, .. } = &nodes[at] else {
        return String::new();
    };
    let mut text = String::new();
    for node in &nodes[at + 1..] {
        match node {
            html::Node::Element { depth: d, .. } if d <= depth => break,
            html::Node::Element { .. } => {}
            html::Node::Text { depth: d, .. } if d < depth => break,
            html::Node::Text { text: t, path, .. } => {
                if !(path.ends_with(">rt") || path.ends_with(">rp")) {
                    text.push_str(t);
                }
            }
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `lang` of a page's `<html>` element.
fn html_lang(nodes: &[html::Node]) -> Option<&str> {
    nodes.iter().find_map(|n| match n {
        html::Node::Element { name, .. } if name == "html" => n.attr("lang"),
        _ => None,
    })
}

#[test]
fn every_page_of_each_tree_has_its_lang_alternates_and_a_switcher() {
    let out = example_site();
    let base_url = "https://example.invalid/kisarazu-dx/";
    let pages = html_pages(out);
    let set: std::collections::BTreeSet<&str> = pages.iter().map(String::as_str).collect();
    let mut problems: Vec<String> = Vec::new();
    let mut checked = [0usize; 3];
    for page in &pages {
        let (language, inner) = tree_of(page);
        let text = common::read(out, page);
        let nodes = html::nodes(&text);
        if html_lang(&nodes) != Some(language.lang()) {
            problems.push(format!(
                "{page}: <html lang={:?}>, want {:?}",
                html_lang(&nodes),
                language.lang()
            ));
        }
        if ROOT_ONLY.contains(&page.as_str()) {
            continue;
        }
        checked[Language::ALL.iter().position(|l| *l == language).unwrap()] += 1;
        for other in Language::ALL {
            let sibling = format!("{}{inner}", other.url_prefix());
            if !set.contains(sibling.as_str()) {
                problems.push(format!(
                    "{page}: no sibling page {sibling} in the {other} tree"
                ));
                continue;
            }
            // <link rel="alternate" hreflang="…" href="…"> in the head: one to each sibling;
            // one to the page itself is not required (search engines ask for it, but it says
            // nothing new), and when there is one it must point to the page.
            let alternates: Vec<Option<String>> = nodes
                .iter()
                .filter(|n| {
                    matches!(n, html::Node::Element { name, .. } if name == "link")
                        && n.attr("rel") == Some("alternate")
                        && n.attr("hreflang") == Some(other.hreflang())
                })
                .map(|n| target_of(page, n.attr("href").unwrap_or(""), base_url))
                .collect();
            let optional = other == language && alternates.is_empty();
            if alternates != [Some(sibling.clone())] && !optional {
                problems.push(format!(
                    "{page}: hreflang={} alternates {alternates:?}, want one to {sibling}",
                    other.hreflang()
                ));
            }
            if other == language {
                continue;
            }
            // The switcher: a link to the same page in the other language, named in that
            // language and marked with its `lang` when that differs from the page's.
            let links: Vec<usize> = (0..nodes.len())
                .filter(|&i| {
                    matches!(&nodes[i], html::Node::Element { name, .. } if name == "a")
                        && nodes[i]
                            .attr("href")
                            .and_then(|h| target_of(page, h, base_url))
                            .as_deref()
                            == Some(sibling.as_str())
                        && element_text(&nodes, i) == other.own_name()
                })
                .collect();
            match links.as_slice() {
                [] => problems.push(format!(
                    "{page}: no switcher link {:?} to {sibling}",
                    other.own_name()
                )),
                [i, ..] => {
                    let html::Node::Element { lang, .. } = &nodes[*i] else {
                        unreachable!()
                    };
                    if lang != other.lang() {
                        problems.push(format!(
                            "{page}: the switcher link {:?} has lang {lang:?}, want {:?}",
                            other.own_name(),
                            other.lang()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        checked.iter().all(|&n| n > 31),
        "pages per tree (ja, ja-easy, en): {checked:?}"
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The attributes whose text a browser shows or a screen reader speaks.
const SHOWN_ATTRIBUTES: [&str; 6] = [
    "alt",
    "title",
    "aria-label",
    "aria-description",
    "placeholder",
    "value",
];

#[test]
fn the_english_tree_shows_no_japanese_letter_outside_lang_ja() {
    let out = example_site();
    let mut problems: Vec<String> = Vec::new();
    let mut pages = 0;
    for page in html_pages(out) {
        if tree_of(&page).0 != Language::English {
            continue;
        }
        pages += 1;
        let text = common::read(out, &page);
        let mut found = Vec::new();
        for node in html::nodes(&text) {
            let (what, shown, lang, path) = match &node {
                // A decorative icon hidden from assistive technology (the status marks
                // ○ △ －) is a symbol, not a word, when it holds no kana or kanji; and a
                // `<script>` (the data page's JSON-LD) is data for machines, not text a person
                // is shown.
                html::Node::Text {
                    hidden: true, text, ..
                } if !text.chars().any(is_kana_or_kanji) => continue,
                html::Node::Text { path, .. } if path.ends_with(">script") => continue,
                html::Node::Text {
                    text, lang, path, ..
                } => (String::from("text"), text.clone(), lang, path),
                html::Node::Element {
                    attrs, lang, path, ..
                } => {
                    let Some((key, value)) = attrs.iter().find(|(k, v)| {
                        SHOWN_ATTRIBUTES.contains(&k.as_str()) && v.chars().any(is_japanese_letter)
                    }) else {
                        continue;
                    };
                    (format!("@{key}"), value.clone(), lang, path)
                }
            };
            if !is_ja(lang) && shown.chars().any(is_japanese_letter) {
                let snippet: String = shown.split_whitespace().collect::<Vec<_>>().join(" ");
                let snippet: String = snippet.chars().take(50).collect();
                found.push(format!("  {path} {what}: {snippet:?}"));
            }
        }
        if !found.is_empty() {
            let more = found.len().saturating_sub(8);
            found.truncate(8);
            if more > 0 {
                found.push(format!("  … and {more} more"));
            }
            problems.push(format!("{page}:\n{}", found.join("\n")));
        }
    }
    assert!(pages > 31, "only {pages} pages in the English tree");
    assert!(
        problems.is_empty(),
        "{} English pages show Japanese outside lang=\"ja\":\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_easy_home_page_and_two_measures_have_their_easy_text() {
    let out = example_site();
    let ruby = |word: &str, reading: &str| {
        format!("<ruby>{word}<rp>（</rp><rt>{reading}</rt><rp>）</rp></ruby>")
    };
    let cases: [(&str, Vec<String>, &str); 3] = [
        (
            "easy/index.html",
            vec![
                // The plan's title, its philosophy and a policy's summary (plan.easy.yaml).
                "デジタルで まちを よくする".into(),
                "デジタルで もっと つながる まちを つくります。".into(),
                format!("だれも とりのこさない まちに します。"),
                format!(
                    "あたらしい やり{}で、まちを {}に します",
                    ruby("方", "かた"),
                    ruby("元気", "げんき")
                ),
            ],
            // The Japanese philosophy's first line is gone.
            "地域に寄り添い、デジタルでもっとつながる",
        ),
        (
            "easy/measures/01-01/index.html",
            vec![
                format!(
                    "と「らづポイント」で、まちを {}に します",
                    ruby("元気", "げんき")
                ),
                "アクアコインは、スマートフォンで つかう お金です。".into(),
                format!(
                    "{}{}",
                    ruby("君津", "きみつ"),
                    ruby("信用組合", "しんようくみあい")
                ),
                "つかう 人を ふやす しごと".into(),
            ],
            "電子地域通貨「アクアコイン」を導入しました",
        ),
        (
            "easy/measures/01-07/index.html",
            vec![
                format!("アプリで {}いて", ruby("歩", "ある")),
                "らづFitは、".into(),
                format!("7,000{}か、それより", ruby("歩", "ぽ")),
            ],
            "「歩く」ことに着目したきさらづ健康アプリ",
        ),
    ];
    let mut problems = Vec::new();
    for (page, wanted, japanese) in &cases {
        let html = common::read(out, page);
        if !html.starts_with("<!DOCTYPE html>") || !html.contains("<html lang=\"ja\"") {
            problems.push(format!("{page}: not a Japanese page"));
        }
        for want in wanted {
            if !html.contains(want.as_str()) {
                problems.push(format!("{page}: no {want:?}"));
            }
        }
        if html.contains(japanese) {
            problems.push(format!("{page}: still shows the Japanese {japanese:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_english_tree_has_the_translated_titles_and_pages() {
    let out = example_site();
    let cases = [
        ("en/index.html", "Kisarazu City DX Promotion Plan"),
        (
            "en/index.html",
            "Revitalizing the city through community innovation",
        ),
        (
            "en/measures/01-01/index.html",
            "Revitalizing the local economy with a digital local currency and city points",
        ),
        (
            "en/measures/04-02/index.html",
            "An organization that supports Kisarazu Innovation",
        ),
        (
            "en/about/index.html",
            "How to read the tables of performance targets",
        ),
        ("en/background/index.html", "Why the city made the plan"),
        ("en/ict-2018/measures/10/index.html", "Digital maps"),
        ("en/ict-2018/purpose/index.html", "What this plan is for"),
    ];
    let missing: Vec<String> = cases
        .iter()
        .filter(|(page, text)| !common::read(out, page).contains(text))
        .map(|(page, text)| format!("{page}: no {text:?}"))
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_html_walker_reads_lang_attributes_references_and_raw_text() {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><title>A &amp; B</title>\
        <script>if (a < b) { x = '<p lang=ja>'; }</script></head>\
        <body><!-- 木 --><p>One<br>two <span lang='ja'>木更津<img alt=\"地図\"></span> &#x6728;</p>\
        <a href=../en/ lang=ja>日本語</a></body></html>";
    let nodes = html::nodes(page);
    let texts: Vec<(String, String)> = nodes
        .iter()
        .filter_map(|n| match n {
            html::Node::Text { text, lang, .. } => Some((text.clone(), lang.clone())),
            _ => None,
        })
        .collect();
    let pairs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(t, l)| (t.as_str(), l.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("A & B", "en"),
            ("if (a < b) { x = '<p lang=ja>'; }", "en"),
            ("One", "en"),
            ("two ", "en"),
            ("木更津", "ja"),
            (" 木", "en"),
            ("日本語", "ja"),
        ]
    );
    let img = nodes
        .iter()
        .find(|n| matches!(n, html::Node::Element { name, .. } if name == "img"))
        .unwrap();
    assert!(matches!(img, html::Node::Element { lang, .. } if lang == "ja"));
    assert_eq!(img.attr("alt"), Some("地図"));
    let link = nodes
        .iter()
        .position(|n| matches!(n, html::Node::Element { name, .. } if name == "a"))
        .unwrap();
    assert_eq!(element_text(&nodes, link), "日本語");
    assert_eq!(nodes[link].attr("href"), Some("../en/"));
    assert_eq!(
        target_of(
            "measures/01-01/index.html",
            "../../en/measures/01-01/",
            "https://x/"
        ),
        Some("en/measures/01-01/index.html".to_string())
    );
    assert_eq!(
        target_of("index.html", "https://x/easy/", "https://x/"),
        Some("easy/index.html".to_string())
    );
    assert_eq!(
        element_text(
            &html::nodes("<a>やさしい <ruby>日本<rp>（</rp><rt>にほん</rt><rp>）</rp></ruby></a>"),
            0
        ),
        "やさしい 日本"
    );
}

/// The English and やさしい日本語 trees render translated texts that need not contain the
/// Japanese glossary terms; that must not make `check` call the terms unused (it did: four
/// warnings on the example). The example's only warnings are its three known unit mismatches.
#[test]
fn translations_do_not_make_glossary_terms_unused() {
    let (status, found) = common::check_json(&common::repo_root());
    assert_eq!(status, 0, "{found:?}");
    let codes: Vec<&str> = (found.iter())
        .filter_map(|d| d["code"]["id"].as_str())
        .collect();
    assert!(!codes.contains(&"E0804"), "{found:?}");
    assert_eq!(codes, ["E0402", "E0402", "E0402"], "{found:?}");
}
