//! The glossary page: entries in dictionary order, grouped by 五十音 row with an index of the
//! rows at the top, each entry with its related entries and the pages that use it; and the
//! warning for entries that no page uses, which reads the same record of use.
//!
//! The English tree orders the glossary for a reader of English: the entries whose names a
//! translation gives (or that are spelt in Latin letters already, such as ICT), A to Z by those
//! names under letter headings, then the entries still in Japanese, in their 五十音 order under
//! one heading of their own. Keeping the Japanese rows
//! (あ行, か行 …) would sort English names by a reading the reader cannot see, and headings
//! such as "the ka row" mean nothing to someone who does not read kana; one alphabetical list
//! would instead put the untranslated terms wherever their kanji happen to sort.

use serde::Serialize;

use super::Page;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::glossary::collate::{self, Row};
use crate::glossary::{Linker, PageTerms, Usage};
use crate::interface::Ui;
use crate::language::Language;
use crate::load::GLOSSARY_FILE;
use crate::markdown;
use crate::model::Site;
use crate::render::paging::{self, Paging};
use crate::render::view::activity::{escape, sentence_html};
use crate::render::view::{fallback_block, japanese_only, lang_of, Link};
use crate::url::{self, Route};

/// More back-links than this are folded into a `<details>` so that a term used by hundreds of
/// measures does not bury the explanations after it.
const BACK_LINKS_SHOWN_OPEN: usize = 8;

/// The glossary lists every entry's back-links itself while all of them together are at most
/// this many pages' worth (`page_size` each): a city's plan has a few hundred. Beyond, an
/// entry with more than a fifth of a page of back-links lists them on pages of its own
/// (`glossary/<anchor>/`), linked from the entry: at ten thousand measures the glossary with
/// every back-link was 12 MB.
const BACK_LINK_PAGES_INLINE: usize = 10;

/// Whether entry back-links are listed on pages of their own, and from how many on.
fn uses_apart(site: &Site, usage: &Usage) -> Option<usize> {
    let size = site.config.page_size;
    let total: usize = (0..site.glossary.len()).map(|i| usage.of(i).len()).sum();
    (total > size * BACK_LINK_PAGES_INLINE).then_some(size / 5)
}

#[derive(Serialize)]
pub(crate) struct GlossaryView {
    index: Vec<IndexItem>,
    rows: Vec<RowView>,
    term_count: usize,
    /// How many of the terms the plan's pages use: the intro says 「この計画に出てくる」 only
    /// of those.
    used_count: usize,
    /// The paragraph under the title, in the page's language (HTML).
    intro_html: String,
}

#[derive(Serialize)]
struct IndexItem {
    label: String,
    /// `None` for rows without terms: shown, but not as a link to nowhere.
    href: Option<String>,
}

#[derive(Serialize)]
struct RowView {
    label: String,
    anchor: String,
    terms: Vec<TermView>,
}

#[derive(Serialize)]
struct TermView {
    term: String,
    /// `Some("ja")` when the term's name is shown in Japanese in another language's tree.
    term_lang: Option<&'static str>,
    /// Shown when it tells the reader something: for terms with kanji or Latin letters.
    reading: Option<String>,
    /// `Some("ja")` outside the Japanese tree: a reading is kana.
    reading_lang: Option<&'static str>,
    aliases: Vec<String>,
    /// The same, joined for display; `None` without any.
    aliases_joined: Option<String>,
    /// 「別名: …」 in the page's language, the aliases marked Japanese outside the Japanese
    /// tree (no translation gives them) (HTML).
    aliases_html: Option<String>,
    /// 「出典: …」 likewise (HTML).
    source_html: Option<String>,
    /// 「関連する用語: …」 with its links (HTML).
    related_html: Option<String>,
    /// 「この用語が出てくるページ（3件）」.
    used_on_title: String,
    anchor: String,
    explanation_html: String,
    related: Vec<Link>,
    source: Option<String>,
    used_on: Vec<LangLink>,
    used_on_count: usize,
    used_on_folded: bool,
    /// The entry's own pages of back-links, when they are listed there instead of here.
    used_on_href: Option<String>,
}

/// A link whose words may be in Japanese on a page in another language.
#[derive(Serialize)]
struct LangLink {
    label: String,
    href: String,
    lang: Option<&'static str>,
}

/// `Some("ja")` for a label with Japanese letters on a page of the English tree. The labels of
/// back-links name pages of every kind (measures, policies, pages, the home page), each
/// translated or not; in English, a label with kana or kanji is a Japanese one.
fn lang_by_script(ui: &Ui, label: &str) -> Option<&'static str> {
    (ui.language() == Language::English && label.chars().any(is_japanese_letter)).then_some("ja")
}

/// Kanji, kana and the Japanese punctuation and full-width forms: the characters that
/// `tests/interface_text.rs` keeps out of the English table.
pub(crate) fn is_japanese_letter(c: char) -> bool {
    matches!(u32::from(c),
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x3134F)
}

/// Where an entry is listed: the row of its heading and its place in the row.
type Placed = (RowKey, collate::SortKey, usize);

/// A heading of the glossary: a 五十音 row (or A–Z), or in English an initial letter, or the
/// entries still in Japanese.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum RowKey {
    Japanese(Row),
    /// `b'A'`…`b'Z'`, or `b'#'` for a name that starts with anything else.
    Letter(u8),
    /// English tree: the entries no translation names.
    Untranslated,
}

impl RowKey {
    fn label(self, ui: &Ui) -> String {
        match self {
            // やさしい日本語 names a row by its kana alone: 「あ」, not 「あ行」 (a kanji).
            RowKey::Japanese(Row::Kana(i)) if ui.language() == Language::EasyJapanese => {
                Row::Kana(i).label().trim_end_matches('行').to_string()
            }
            RowKey::Japanese(Row::Latin) if ui.language() == Language::EasyJapanese => {
                "A–Z".to_string()
            }
            RowKey::Japanese(Row::Other) if ui.language() == Language::EasyJapanese => {
                ui.plain("glossary.other_row")
            }
            RowKey::Japanese(r) => r.label().to_string(),
            RowKey::Letter(b'#') => ui.plain("glossary.other_row"),
            RowKey::Letter(l) => char::from(l).to_string(),
            RowKey::Untranslated => ui.plain("glossary.untranslated_row"),
        }
    }

    fn anchor(self) -> String {
        match self {
            RowKey::Japanese(r) => r.anchor().to_string(),
            RowKey::Letter(b'#') => "letter-other".to_string(),
            RowKey::Letter(l) => format!("letter-{}", char::from(l).to_ascii_lowercase()),
            RowKey::Untranslated => "untranslated".to_string(),
        }
    }
}

/// Every entry in the order of the page's language (see the module documentation).
fn placed(site: &Site, ui: &Ui) -> Vec<Placed> {
    let english = ui.language() == Language::English;
    let mut order: Vec<Placed> = site
        .glossary
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let key = collate::sort_key(&t.term, t.reading.as_deref());
            // A name in Latin letters (AI, ICT) reads the same in English, translated or not.
            let translated = lang_of(site, &format!("term.{}.term", t.anchor)).is_none()
                || !t.term.chars().any(is_japanese_letter);
            let row = match (english, translated) {
                (false, _) => RowKey::Japanese(key.row),
                (true, false) => RowKey::Untranslated,
                (true, true) => {
                    let first = t.term.trim_start().chars().next().unwrap_or('#');
                    match first.to_ascii_uppercase() {
                        c @ 'A'..='Z' => RowKey::Letter(c as u8),
                        _ => RowKey::Letter(b'#'),
                    }
                }
            };
            // English names sort by their letters, case aside; the rest as the 五十音 does.
            let key = match row {
                RowKey::Letter(_) => collate::sort_key(&t.term.to_lowercase(), None),
                _ => key,
            };
            (row, key, i)
        })
        .collect();
    order.sort();
    order
}

/// The rows the index lists, in order: every 五十音 row (A–Z and その他 when used), so that a
/// Japanese reader sees the whole syllabary; in English only the headings the page has, since
/// a tree not yet translated would otherwise list 26 empty letters.
fn index_rows(ui: &Ui, used: &[RowKey]) -> Vec<RowKey> {
    match ui.language() {
        Language::English => used.to_vec(),
        _ => Row::all()
            .map(RowKey::Japanese)
            .filter(|r| *r != RowKey::Japanese(Row::Other) || used.contains(r))
            .collect(),
    }
}

/// The glossary, with back-links to the pages that `usage` says use each entry.
pub(crate) fn page(site: &Site, ui: &Ui, linker: &Linker, usage: &Usage) -> Page<GlossaryView> {
    let route = Route::glossary();
    let separator = ui.plain("format.list_separator");
    let japanese = japanese_only(site);
    // Explanations may reference other entries explicitly; nothing is linked automatically on
    // the glossary itself (every word here would otherwise link to its neighbour).
    let mut terms = PageTerms::explicit_only(linker);
    let mut rows: Vec<(RowKey, RowView)> = Vec::new();
    let apart = uses_apart(site, usage);
    for (row, _, i) in placed(site, ui) {
        let t = &site.glossary[i];
        let used_on_count = usage.of(i).len();
        let used_on_href = apart
            .filter(|&from| used_on_count > from)
            .map(|_| url::relative(&route, Route::glossary_uses(&t.anchor).as_str()));
        let used_on: Vec<LangLink> = usage
            .of(i)
            .into_iter()
            .map(|u| LangLink {
                lang: lang_by_script(ui, &u.label),
                label: u.label.clone(),
                href: url::relative(&route, u.route.as_str()),
            })
            .filter(|_| used_on_href.is_none())
            .collect();
        let explanation_html =
            markdown::to_html_with_terms(&t.explanation, 4, &mut terms, site.config.raw_html);
        let explanation_html = match lang_of(site, &format!("term.{}.explanation", t.anchor)) {
            Some(_) => fallback_block(ui, &explanation_html),
            None => explanation_html,
        };
        let marked = |text: &str| match japanese {
            Some(lang) => format!("<span lang=\"{lang}\">{}</span>", escape(text)),
            None => escape(text),
        };
        let aliases_joined = (!t.aliases.is_empty()).then(|| t.aliases.join(&separator));
        let related: Vec<Link> = t
            .related
            .iter()
            .filter_map(|&r| site.glossary.get(r))
            .map(|r| Link {
                label: r.term.clone(),
                href: format!("#{}", r.anchor),
            })
            .collect();
        let related_html = (!related.is_empty()).then(|| {
            let links: Vec<String> = t
                .related
                .iter()
                .filter_map(|&r| site.glossary.get(r))
                .map(|r| {
                    let lang = lang_of(site, &format!("term.{}.term", r.anchor))
                        .map_or(String::new(), |l| format!(" lang=\"{l}\""));
                    format!("<a href=\"#{}\"{lang}>{}</a>", r.anchor, escape(&r.term))
                })
                .collect();
            ui.fill_html_raw(
                "glossary.related",
                &[("terms", &links.join(&escape(&separator)))],
            )
        });
        let term_lang = lang_of(site, &format!("term.{}.term", t.anchor));
        let view = TermView {
            term: t.term.clone(),
            term_lang,
            // A translated name is not read with the Japanese term's kana (the Japanese term
            // is shown among the aliases).
            reading: t.reading.clone().filter(|_| {
                (collate::has_kanji(&t.term) || t.term.chars().any(is_latin))
                    && (japanese.is_none() || term_lang.is_some())
            }),
            reading_lang: japanese,
            aliases: t.aliases.clone(),
            aliases_html: aliases_joined
                .as_deref()
                .map(|a| ui.fill_html_raw("glossary.aliases", &[("aliases", &marked(a))])),
            aliases_joined,
            anchor: t.anchor.clone(),
            explanation_html,
            related,
            related_html,
            source_html: t
                .source
                .as_deref()
                .map(|s| ui.fill_html_raw("glossary.source", &[("source", &marked(s))])),
            source: t.source.clone(),
            used_on_title: ui.fill("glossary.used_on", &[("count", &used_on_count.to_string())]),
            used_on_count,
            used_on_folded: used_on.len() > BACK_LINKS_SHOWN_OPEN,
            used_on,
            used_on_href,
        };
        match rows.last_mut() {
            Some((key, r)) if *key == row => r.terms.push(view),
            _ => rows.push((
                row,
                RowView {
                    label: row.label(ui),
                    anchor: row.anchor(),
                    terms: vec![view],
                },
            )),
        }
    }
    let used: Vec<RowKey> = rows.iter().map(|(k, _)| *k).collect();
    let index: Vec<IndexItem> = index_rows(ui, &used)
        .into_iter()
        .map(|r| IndexItem {
            label: r.label(ui),
            href: used.contains(&r).then(|| format!("#{}", r.anchor())),
        })
        .collect();
    let rows: Vec<RowView> = rows.into_iter().map(|(_, r)| r).collect();

    let used_count = (rows.iter())
        .flat_map(|r| &r.terms)
        .filter(|t| t.used_on_count > 0)
        .count();
    let (count, used_text) = (site.glossary.len().to_string(), used_count.to_string());
    let all_used = used_count == site.glossary.len();
    let plan = site.plan.title.as_str();
    let description = match all_used {
        true => ui.fill(
            "glossary.description",
            &[("plan", plan), ("count", &used_text)],
        ),
        false => ui.fill(
            "glossary.description_some",
            &[("plan", plan), ("count", &count), ("used", &used_text)],
        ),
    };
    let intro_html = match all_used {
        true => sentence_html(ui, "glossary.explained", &[("count", &count)]),
        false => sentence_html(
            ui,
            "glossary.explained_some",
            &[("count", &count), ("used", &used_text)],
        ),
    };
    let view = GlossaryView {
        index,
        rows,
        term_count: site.glossary.len(),
        used_count,
        intro_html,
    };
    Page::new(
        route,
        "glossary.html",
        ui.plain("glossary.title"),
        description,
        view,
    )
    .breadcrumbs(vec![(ui.plain("nav.home"), Route::home())])
}

#[derive(Serialize)]
pub(crate) struct UsesView {
    term: String,
    /// The paragraph under the title, with its links (HTML).
    intro_html: String,
    glossary_href: String,
    used_on: Vec<LangLink>,
    paging: Paging,
}

/// The pages of back-links of every entry that the glossary does not list itself
/// ([`uses_apart`]), `page_size` back-links a page. Made one at a time, as they are rendered.
pub(crate) fn uses_pages<'a>(
    site: &'a Site,
    ui: &'a Ui,
    usage: &'a Usage,
) -> impl Iterator<Item = Page<UsesView>> + 'a {
    let size = site.config.page_size;
    let from = uses_apart(site, usage);
    site.glossary
        .iter()
        .enumerate()
        .filter(move |(i, _)| from.is_some_and(|from| usage.of(*i).len() > from))
        .flat_map(move |(i, t)| {
            let uses = usage.of(i);
            let first = Route::glossary_uses(&t.anchor);
            let count = paging::split(&uses, size).len();
            let label = ui.fill("glossary.uses_pages", &[("term", &t.term)]);
            (0..count).map(move |n| {
                let chunk = paging::split(&uses, size)[n];
                let paging = Paging::new(&first, n, count, size, uses.len(), &label);
                let route = paging.route(&first);
                let used_on = chunk
                    .iter()
                    .map(|u| LangLink {
                        lang: lang_by_script(ui, &u.label),
                        label: u.label.clone(),
                        href: url::relative(&route, u.route.as_str()),
                    })
                    .collect();
                let glossary_href = url::relative(
                    &route,
                    &format!("{}#{}", Route::glossary().as_str(), t.anchor),
                );
                let title = paging.title(&ui.fill("glossary.uses_title", &[("term", &t.term)]));
                let description = ui.fill(
                    "glossary.uses_description",
                    &[("term", &t.term), ("count", &uses.len().to_string())],
                );
                let lang = lang_of(site, &format!("term.{}.term", t.anchor))
                    .map_or(String::new(), |l| format!(" lang=\"{l}\""));
                let href = escape(&glossary_href);
                let intro_html = ui.fill_html_raw(
                    "glossary.uses_intro",
                    &[
                        (
                            "term",
                            &format!("<a href=\"{href}\"{lang}>{}</a>", escape(&t.term)),
                        ),
                        ("count", &paging.total.to_string()),
                        (
                            "glossary",
                            &format!("<a href=\"{href}\">{}</a>", ui.html("glossary.title")),
                        ),
                    ],
                );
                let view = UsesView {
                    intro_html,
                    term: t.term.clone(),
                    glossary_href,
                    used_on,
                    paging,
                };
                Page::new(route, "glossary_uses.html", title, description, view).breadcrumbs(vec![
                    (ui.plain("nav.home"), Route::home()),
                    (ui.plain("glossary.title"), Route::glossary()),
                ])
            })
        })
}

fn is_latin(c: char) -> bool {
    collate::fold_width(c).is_ascii_alphabetic()
}

/// A warning for every entry no page uses: it may be misspelt in the text, or left over.
pub(crate) fn warn_unused(site: &Site, usage: &Usage, diags: &mut Diagnostics) {
    for (i, t) in site.glossary.iter().enumerate() {
        if usage.is_used(i) {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                Code::UnusedTerm,
                GLOSSARY_FILE,
                format!("用語「{}」はどのページでも使われていません", t.term),
            )
            .at(t.position)
            .field(format!("terms[{i}].term"))
            .hint("本文の書き方が用語・別名と同じか確認するか、不要なら削除してください"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example site in English, with two entries given English names by a translation.
    fn english_site() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = Diagnostics::default();
        let site = crate::build::Pipeline::new(root)
            .site(&mut diags)
            .expect("the example site loads");
        let mut tree = crate::translate::localize(&site, Language::English, &site.translations);
        for (i, name) in [(0, "zebra crossing"), (1, "Apple")] {
            let t = &mut tree.glossary[i];
            t.term = name.to_string();
            tree.translated.insert(format!("term.{}.term", t.anchor));
            tree.translated
                .insert(format!("term.{}.explanation", t.anchor));
        }
        tree
    }

    #[test]
    fn english_lists_translated_names_a_to_z_then_the_japanese_ones() {
        let site = english_site();
        let ui = Ui::default_for(Language::English);
        let linker = Linker::new(&site.glossary);
        let page = page(&site, &ui, &linker, &Usage::new(site.glossary.len()));
        let rows: Vec<(&str, Vec<&str>)> = (page.view.rows.iter())
            .map(|r| {
                let terms = r.terms.iter().map(|t| t.term.as_str()).collect();
                (r.label.as_str(), terms)
            })
            .collect();
        let (last, letters) = rows.split_last().unwrap();
        assert_eq!(last.0, "Terms in Japanese only");
        assert!(last.1.iter().all(|t| t.chars().any(is_japanese_letter)));
        let labels: Vec<&str> = letters.iter().map(|r| r.0).collect();
        let mut sorted = labels.clone();
        sorted.sort();
        assert_eq!(labels, sorted, "letters A to Z");
        assert!(labels.iter().all(|l| l.len() == 1), "{labels:?}");
        assert!(
            letters[0].0 == "A" && letters[0].1.contains(&"Apple"),
            "{rows:?}"
        );
        assert_eq!(letters.last().unwrap(), &("Z", vec!["zebra crossing"]));
        let names = letters.iter().flat_map(|r| r.1.iter());
        assert!(
            names.clone().any(|t| *t == "ICT"),
            "a Latin name stays under its letter"
        );
        assert!(names.clone().all(|t| !t.chars().any(is_japanese_letter)));
        // The untranslated entries keep their 五十音 order and are marked Japanese.
        let japanese = &page.view.rows.last().unwrap().terms;
        assert!(japanese.iter().all(|t| t.term_lang == Some("ja")));
        let index: Vec<&str> = page.view.index.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(index.last(), Some(&"Terms in Japanese only"));
        assert_eq!(index.len(), rows.len());
        // A translated explanation has no note; an untranslated one has it.
        let apple = (page.view.rows[0].terms.iter())
            .find(|t| t.term == "Apple")
            .unwrap();
        assert!(!apple.explanation_html.contains("ja-only"));
        assert_eq!(apple.term_lang, None);
        assert!(japanese[0]
            .explanation_html
            .contains("This part is in Japanese only"));
        assert_eq!(page.title, "Glossary");
    }

    #[test]
    fn japanese_keeps_the_gojuon_rows() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = Diagnostics::default();
        let site = crate::build::Pipeline::new(root)
            .site(&mut diags)
            .expect("the example site loads");
        let ui = Ui::default_for(Language::Japanese);
        let linker = Linker::new(&site.glossary);
        let page = page(&site, &ui, &linker, &Usage::new(site.glossary.len()));
        assert!(page.view.index.iter().any(|i| i.label == "あ行"));
        assert!(page.view.rows.iter().all(|r| r.anchor.starts_with("gyo-")));
        assert_eq!(page.title, "用語の説明");
    }
}
