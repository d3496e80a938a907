//! One module per page kind. Each builds a [`Page`]: where the page goes, which template shows
//! it, and a typed view of everything the template shows, already decided (links, labels,
//! counts, HTML of Markdown). [`render`] adds what every page shares ([`Document`]) and hands
//! the whole to Tera in one piece, so a template can only present what its view holds.
//!
//! A site may carry its own copy of a default template (`themes/<name>/templates/`), written
//! against the variables of its day. Views therefore add fields rather than rename them: when
//! a decision moves out of a template (a count, a media type, whether a pager is shown), the
//! field the old template computed it from stays beside the new one.

pub(super) mod activity;
pub(super) mod data;
pub(super) mod departments;
pub(super) mod glossary;
pub(super) mod home;
pub(super) mod measure;
pub(super) mod measures;
pub(super) mod narrative;
pub(super) mod not_found;
pub(super) mod policy;
pub(super) mod search;
mod shared;

pub use shared::CARD_LIMIT;

use std::collections::BTreeSet;

use serde::Serialize;
use tera::Context;

use super::templates::{self, Theme};
use super::view::{Chrome, Link};
use crate::diagnostics::{Code, Diagnostic};
use crate::glossary::{PageTerms, UsedOn};
use crate::model::Site;
use crate::output::Output;
use crate::url::{self, Route};

/// Where a page is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Address {
    /// At its route, with links relative to it; listed in the sitemap and the feed.
    Route,
    /// In this file at the top of the site, but served at whatever address was not found:
    /// its links start from the site's base path, and it is not listed.
    Anywhere(&'static str),
}

/// The glossary entries a page's text links to, and the page as their back-links name it.
pub(super) struct TermUse {
    pub(super) on: UsedOn,
    pub(super) used: BTreeSet<usize>,
}

impl TermUse {
    /// The entries `terms` has linked so far, as used on the page `on`.
    pub(super) fn of(on: UsedOn, terms: &PageTerms) -> TermUse {
        TermUse {
            on,
            used: terms.used().clone(),
        }
    }
}

/// A page to render: its route, template and typed view, and the files that go beside it.
pub(super) struct Page<V> {
    pub(super) route: Route,
    pub(super) address: Address,
    pub(super) template: &'static str,
    pub(super) title: String,
    pub(super) description: String,
    /// The pages above this one, from the home page down (the page itself is not included).
    pub(super) breadcrumbs: Vec<(String, Route)>,
    pub(super) view: V,
    /// Files written next to the page (its charts).
    pub(super) files: Vec<Output>,
    /// `None` for pages whose text never links glossary entries (lists, tables).
    pub(super) terms: Option<TermUse>,
    /// 下書き: a page not yet published (previews only), whose banner says when it will be.
    pub(super) unpublished: Option<crate::model::Publication>,
}

impl<V> Page<V> {
    /// A page at `route` one level below the home page, without files beside it.
    pub(super) fn new(
        route: Route,
        template: &'static str,
        title: String,
        description: String,
        view: V,
    ) -> Page<V> {
        Page {
            route,
            address: Address::Route,
            template,
            title,
            description,
            // Labelled in the page's language when rendered (see `render`).
            breadcrumbs: vec![(String::new(), Route::home())],
            view,
            files: Vec::new(),
            terms: None,
            unpublished: None,
        }
    }

    /// Marks the page as not yet published when `publication` says so (a preview of a draft).
    pub(super) fn draft(self, publication: &crate::model::Publication) -> Page<V> {
        Page {
            unpublished: (*publication != crate::model::Publication::default())
                .then_some(*publication),
            ..self
        }
    }

    pub(super) fn breadcrumbs(self, breadcrumbs: Vec<(String, Route)>) -> Page<V> {
        Page {
            breadcrumbs,
            ..self
        }
    }

    pub(super) fn files(self, files: Vec<Output>) -> Page<V> {
        Page { files, ..self }
    }

    pub(super) fn uses(self, terms: TermUse) -> Page<V> {
        Page {
            terms: Some(terms),
            ..self
        }
    }
}

/// What every template receives: the chrome around the content, the page's own head fields,
/// and the page's view flattened beside them.
#[derive(Serialize)]
struct Document<'a, V> {
    chrome: Chrome,
    page_title: &'a str,
    /// The `<title>`: the page's title and the site's, or the site's alone where they agree
    /// (the home page).
    document_title: String,
    description: &'a str,
    breadcrumbs: Vec<Link>,
    og_type: &'static str,
    /// Set only on a preview of a page not yet published.
    draft_banner: Option<String>,
    #[serde(flatten)]
    view: &'a V,
}

/// What rendering needs besides the page: the site, the parsed theme and the stylesheet's
/// version.
pub(super) struct Frame<'a> {
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    /// The interface text of the page's language.
    pub(super) ui: &'a crate::interface::Ui,
    pub(super) css_version: &'a str,
    /// [`Site::last_updated`], which every page's footer shows: worked out once per plan,
    /// because it looks at every measure and page.
    pub(super) site_updated: crate::date::Date,
    /// Pages kept between `serve`'s runs; `None` outside `serve`.
    pub(super) reuse: Option<super::reuse::Reuse<'a>>,
}

/// Renders `page` with its template; a template error is reported against the template.
pub(super) fn render<V: Serialize>(
    frame: &Frame,
    page: &Page<V>,
) -> Result<Output, Box<Diagnostic>> {
    let site = frame.site;
    let (chrome, file) = match page.address {
        Address::Anywhere(file) => (anywhere_chrome(frame, &page.route), file.to_string()),
        Address::Route => (
            Chrome::new(
                site,
                frame.ui,
                &page.route,
                page.route.depth(),
                frame.css_version,
                frame.site_updated,
            ),
            page.route.file(),
        ),
    };
    let document_title = if page.title == chrome.site_title {
        chrome.site_title.clone()
    } else {
        format!("{} | {}", page.title, chrome.site_title)
    };
    let document = Document {
        breadcrumbs: page
            .breadcrumbs
            .iter()
            .map(|(label, r)| Link {
                // The home page is named by the interface, whoever made the list.
                label: match r == &Route::home() {
                    true => frame.ui.plain("nav.home"),
                    false => label.clone(),
                },
                href: url::relative(&page.route, r.as_str()),
            })
            .collect(),
        chrome,
        page_title: &page.title,
        document_title,
        description: &page.description,
        og_type: if page.route == Route::home() {
            "website"
        } else {
            "article"
        },
        draft_banner: page.unpublished.map(|p| draft_banner(frame.ui, &p)),
        view: &page.view,
    };
    let file_links = site.config.file_links && page.address == Address::Route;
    let kept = frame.reuse.and_then(|reuse| {
        let fingerprint = super::reuse::fingerprint(page.template, file_links, &document)?;
        Some((reuse, format!("{}{file}", site.prefix), fingerprint))
    });
    if let Some((super::reuse::Reuse::Unchanged(store), key, fingerprint)) = &kept {
        if let Some(bytes) = store.get(key, *fingerprint) {
            return Ok(Output::new(file, bytes));
        }
    }
    Context::from_serialize(&document)
        .and_then(|ctx| frame.theme.tera(site.language).render(page.template, &ctx))
        .map(crate::render::charts::icons::with_sprite)
        .map(|html| match (site.language, page.address) {
            (crate::language::Language::Japanese, _) | (_, Address::Anywhere(_)) => html,
            (language, Address::Route) => {
                let folder = language.url_prefix();
                let plans: Vec<&str> = (site.plan_list.iter())
                    .filter_map(|p| p.prefix.strip_prefix(folder))
                    .filter(|p| !p.is_empty())
                    .collect();
                let dir = format!("{}{}", site.prefix, page.route.as_str());
                url::links_out_of_tree(&html, &dir, folder, &plans)
            }
        })
        .map(|html| {
            if file_links {
                Output::new(file, url::file_system_links(&html))
            } else {
                Output::new(file, html)
            }
        })
        .inspect(|output| {
            if let Some((reuse, key, fingerprint)) = kept {
                reuse.store().put(key, fingerprint, output.bytes.clone());
            }
        })
        .map_err(|e| {
            Box::new(
                Diagnostic::error(
                    Code::Template,
                    format!("themes/{}/templates/{}", site.config.theme, page.template),
                    format!(
                        "テンプレートを描画できません: {}",
                        templates::error_chain(&e)
                    ),
                )
                .hint("テンプレートで使っている変数名を確認してください"),
            )
        })
}

/// The chrome of a page served at any depth: every link starts from the site's base path,
/// nothing is marked current, and there is no canonical address.
fn anywhere_chrome(frame: &Frame, route: &Route) -> Chrome {
    let mut chrome = Chrome::new(
        frame.site,
        frame.ui,
        route,
        0,
        frame.css_version,
        frame.site_updated,
    );
    let base_path = crate::url::base_path(&frame.site.config.base_url);
    let absolute = |href: &str| format!("{base_path}{}", href.trim_start_matches("./"));
    chrome.home_href = absolute("");
    chrome.stylesheet = absolute(&chrome.stylesheet);
    chrome.favicon = absolute(&chrome.favicon);
    for item in chrome.nav.iter_mut().chain(chrome.page_nav.iter_mut()) {
        item.href = absolute(&item.href);
        item.current = false;
    }
    chrome.canonical = None;
    chrome.footer.page_url = None;
    // Served at any address, the page is no one page of a tree: each language links to its
    // tree's home, and there are no alternates.
    chrome.alternates.clear();
    for (link, language) in chrome
        .languages
        .iter_mut()
        .zip(&frame.site.config.languages)
    {
        link.href = absolute(language.url_prefix());
    }
    chrome.search_href = chrome.search_href.map(|h| absolute(&h));
    chrome.feed_href = absolute(&chrome.feed_href);
    if let Some(current) = chrome
        .ended_notice
        .as_mut()
        .and_then(|n| n.current.as_mut())
    {
        current.href = absolute(&current.href);
    }
    chrome
}

/// What the 下書き banner of a preview says, in the page's language: not published at all
/// (`draft: true`), or not before its `publish_date:`.
fn draft_banner(ui: &crate::interface::Ui, publication: &crate::model::Publication) -> String {
    match (publication.draft, publication.publish_date) {
        (false, Some(date)) => ui.fill("chrome.draft_scheduled", &[("date", &date.to_string())]),
        _ => ui.plain("chrome.draft_unpublished"),
    }
}
