//! The glossary page: entries in dictionary order, grouped by 五十音 row with an index of the
//! rows at the top, each entry with its related entries and the pages that use it; and the
//! warning for entries that no page uses, which reads the same record of use.

use serde::Serialize;

use super::Page;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::glossary::collate::{self, Row};
use crate::glossary::{Linker, PageTerms, Usage};
use crate::load::GLOSSARY_FILE;
use crate::markdown;
use crate::model::Site;
use crate::render::paging::{self, Paging};
use crate::render::view::Link;
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
}

#[derive(Serialize)]
struct IndexItem {
    label: &'static str,
    /// `None` for rows without terms: shown, but not as a link to nowhere.
    href: Option<String>,
}

#[derive(Serialize)]
struct RowView {
    label: &'static str,
    anchor: &'static str,
    terms: Vec<TermView>,
}

#[derive(Serialize)]
struct TermView {
    term: String,
    /// Shown when it tells the reader something: for terms with kanji or Latin letters.
    reading: Option<String>,
    aliases: Vec<String>,
    /// The same, joined for display; `None` without any.
    aliases_joined: Option<String>,
    anchor: String,
    explanation_html: String,
    related: Vec<Link>,
    source: Option<String>,
    used_on: Vec<Link>,
    used_on_count: usize,
    used_on_folded: bool,
    /// The entry's own pages of back-links, when they are listed there instead of here.
    used_on_href: Option<String>,
}

/// The glossary, with back-links to the pages that `usage` says use each entry.
pub(crate) fn page(site: &Site, linker: &Linker, usage: &Usage) -> Page<GlossaryView> {
    let route = Route::glossary();
    let mut order: Vec<(collate::SortKey, usize)> = site
        .glossary
        .iter()
        .enumerate()
        .map(|(i, t)| (collate::sort_key(&t.term, t.reading.as_deref()), i))
        .collect();
    order.sort();

    // Explanations may reference other entries explicitly; nothing is linked automatically on
    // the glossary itself (every word here would otherwise link to its neighbour).
    let mut terms = PageTerms::explicit_only(linker);
    let mut rows: Vec<RowView> = Vec::new();
    let apart = uses_apart(site, usage);
    for (key, i) in order {
        let t = &site.glossary[i];
        let used_on_count = usage.of(i).len();
        let used_on_href = apart
            .filter(|&from| used_on_count > from)
            .map(|_| url::relative(&route, Route::glossary_uses(&t.anchor).as_str()));
        let used_on: Vec<Link> = usage
            .of(i)
            .into_iter()
            .map(|u| Link {
                label: u.label.clone(),
                href: url::relative(&route, u.route.as_str()),
            })
            .filter(|_| used_on_href.is_none())
            .collect();
        let view = TermView {
            term: t.term.clone(),
            reading: t
                .reading
                .clone()
                .filter(|_| collate::has_kanji(&t.term) || t.term.chars().any(is_latin)),
            aliases: t.aliases.clone(),
            aliases_joined: (!t.aliases.is_empty()).then(|| t.aliases.join("、")),
            anchor: t.anchor.clone(),
            explanation_html: markdown::to_html_with_terms(
                &t.explanation,
                4,
                &mut terms,
                site.config.raw_html,
            ),
            related: t
                .related
                .iter()
                .filter_map(|&r| site.glossary.get(r))
                .map(|r| Link {
                    label: r.term.clone(),
                    href: format!("#{}", r.anchor),
                })
                .collect(),
            source: t.source.clone(),
            used_on_count,
            used_on_folded: used_on.len() > BACK_LINKS_SHOWN_OPEN,
            used_on,
            used_on_href,
        };
        match rows.last_mut() {
            Some(row) if row.anchor == key.row.anchor() => row.terms.push(view),
            _ => rows.push(RowView {
                label: key.row.label(),
                anchor: key.row.anchor(),
                terms: vec![view],
            }),
        }
    }
    let index: Vec<IndexItem> = Row::all()
        .filter(|r| *r != Row::Other || rows.iter().any(|v| v.anchor == r.anchor()))
        .map(|r| IndexItem {
            label: r.label(),
            href: rows
                .iter()
                .any(|v| v.anchor == r.anchor())
                .then(|| format!("#{}", r.anchor())),
        })
        .collect();

    let used_count = (rows.iter())
        .flat_map(|r| &r.terms)
        .filter(|t| t.used_on_count > 0)
        .count();
    let description = match used_count == site.glossary.len() {
        true => format!(
            "{}に出てくる用語{}語の説明（五十音順）",
            site.plan.title, used_count
        ),
        false => format!(
            "{}の用語{}語（本文に出てくるのは{}語）の説明（五十音順）",
            site.plan.title,
            site.glossary.len(),
            used_count
        ),
    };
    let view = GlossaryView {
        index,
        rows,
        term_count: site.glossary.len(),
        used_count,
    };
    Page::new(
        route,
        "glossary.html",
        "用語の説明".into(),
        description,
        view,
    )
}

#[derive(Serialize)]
pub(crate) struct UsesView {
    term: String,
    glossary_href: String,
    used_on: Vec<Link>,
    paging: Paging,
}

/// The pages of back-links of every entry that the glossary does not list itself
/// ([`uses_apart`]), `page_size` back-links a page. Made one at a time, as they are rendered.
pub(crate) fn uses_pages<'a>(
    site: &'a Site,
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
            let label = format!("「{}」が出てくるページの一覧のページ", t.term);
            (0..count).map(move |n| {
                let chunk = paging::split(&uses, size)[n];
                let paging = Paging::new(&first, n, count, size, uses.len(), &label);
                let route = paging.route(&first);
                let used_on = chunk
                    .iter()
                    .map(|u| Link {
                        label: u.label.clone(),
                        href: url::relative(&route, u.route.as_str()),
                    })
                    .collect();
                let glossary_href = url::relative(
                    &route,
                    &format!("{}#{}", Route::glossary().as_str(), t.anchor),
                );
                let title = paging.title(&format!("用語「{}」が出てくるページ", t.term));
                let description = format!("用語「{}」が出てくる{}ページの一覧", t.term, uses.len());
                let view = UsesView {
                    term: t.term.clone(),
                    glossary_href,
                    used_on,
                    paging,
                };
                Page::new(route, "glossary_uses.html", title, description, view).breadcrumbs(vec![
                    ("ホーム".into(), Route::home()),
                    ("用語の説明".into(), Route::glossary()),
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
