//! Files for discovery: `sitemap.xml` (a sitemap index over `sitemap-<n>.xml` above
//! [`SITEMAP_URL_LIMIT`] pages), `robots.txt` and the Atom feed `feed.xml`. They are
//! the only outputs with absolute URLs (from `base_url`), because crawlers and feed readers
//! need them. Dates come from the content (`updated:`, else the plan's revision; see
//! [`Site::plan_updated`]) — never the build time — so rebuilding an unchanged site produces
//! identical files and feed readers see no false updates.

use std::collections::BTreeMap;

use crate::date::Date;
use crate::interface::Ui;
use crate::language::Language;
use crate::markdown;
use crate::model::{compare_ids, Site};
use crate::output::Output;
use crate::text;
use crate::url::Route;

pub(crate) const FEED_FILE: &str = "feed.xml";
pub(crate) const SITEMAP_FILE: &str = "sitemap.xml";

/// The date each page last changed. Measure and Markdown pages have their own; pages that
/// gather many measures (lists, the home page) change whenever any content does, and are
/// not in the map (see [`Site::last_updated`]).
fn own_dates(site: &Site) -> BTreeMap<Route, Date> {
    let measures = site
        .measures
        .iter()
        .map(|m| (Route::measure(&m.id), site.measure_updated(m)));
    let pages = site
        .pages
        .iter()
        .map(|p| (Route::page(&p.slug), site.page_updated(p)));
    measures.chain(pages).collect()
}

/// The most URLs one sitemap file may list (the sitemap protocol's limit). A site with more
/// pages gets a sitemap index at `sitemap.xml`, the address `robots.txt` names, over files
/// of at most this many URLs each.
pub const SITEMAP_URL_LIMIT: usize = 50_000;

/// The sitemap(s), the feed in the words of `ui`, and at the site root robots.txt.
pub(crate) fn outputs(site: &Site, ui: &Ui, routes: &[Route]) -> Vec<Output> {
    let mut outputs = sitemaps(site, routes, SITEMAP_URL_LIMIT);
    // Crawlers read robots.txt only at the root of a host, so the site's other plans (under
    // their folders) have none: the root plan's names their sitemaps too.
    if site.prefix.is_empty() {
        outputs.push(Output::new("robots.txt", robots(site)));
    }
    outputs.push(Output::new(FEED_FILE, feed(site, ui)));
    outputs
}

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// `sitemap.xml` listing every page; above `limit` pages, `sitemap.xml` is a sitemap index
/// of `sitemap-1.xml`, `sitemap-2.xml`… of `limit` pages each, every entry with the latest
/// `lastmod` of its file.
fn sitemaps(site: &Site, routes: &[Route], limit: usize) -> Vec<Output> {
    let mut routes: Vec<&Route> = routes.iter().collect();
    routes.sort_by(|a, b| compare_ids(a.as_str(), b.as_str()));
    routes.dedup();
    let own = own_dates(site);
    let everything = site.last_updated();
    let dated: Vec<(&Route, Date)> = routes
        .into_iter()
        .map(|r| (r, own.get(r).copied().unwrap_or(everything)))
        .collect();
    let urlset = |part: &[(&Route, Date)]| {
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n"
        );
        for (r, date) in part {
            out.push_str(&format!(
                "  <url><loc>{}</loc><lastmod>{date}</lastmod></url>\n",
                escape(&r.absolute(&site.config.base_url)),
            ));
        }
        out.push_str("</urlset>\n");
        out
    };
    if dated.len() <= limit {
        return vec![Output::new(SITEMAP_FILE, urlset(&dated))];
    }
    let mut index = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"{SITEMAP_NS}\">\n"
    );
    let mut outputs = Vec::new();
    for (i, part) in dated.chunks(limit.max(1)).enumerate() {
        let file = format!("sitemap-{}.xml", i + 1);
        let latest = part.iter().map(|(_, d)| *d).max().unwrap_or(everything);
        index.push_str(&format!(
            "  <sitemap><loc>{}{file}</loc><lastmod>{latest}</lastmod></sitemap>\n",
            escape(&site.config.base_url),
        ));
        outputs.push(Output::new(file, urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    outputs.insert(0, Output::new(SITEMAP_FILE, index));
    outputs
}

/// Crawlers read `robots.txt` only at the root of a host; under a sub-path this file is
/// ignored, and the city's own robots.txt should name the sitemaps instead (docs/hosting.md).
/// It names the root plan's sitemap, then each other plan's (`ict-2018/sitemap.xml`), which
/// lists that plan's pages: a sitemap may list only the URLs under its own folder, and these
/// are exactly those. Then the same for each further language's tree (`en/sitemap.xml`,
/// `en/ict-2018/sitemap.xml`), in the order of `languages:`.
fn robots(site: &Site) -> String {
    let root = &site.config.base_url;
    let mut out = "User-agent: *\nAllow: /\n\n".to_string();
    let trees = std::iter::once(Language::Japanese)
        .chain((site.config.languages.iter().copied()).filter(|l| *l != Language::Japanese));
    for language in trees {
        let folder = language.url_prefix();
        out.push_str(&format!("Sitemap: {root}{folder}{SITEMAP_FILE}\n"));
        for other in &site.others {
            out.push_str(&format!(
                "Sitemap: {root}{folder}{}{SITEMAP_FILE}\n",
                other.prefix
            ));
        }
    }
    out
}

struct Entry {
    title: String,
    route: Route,
    updated: Date,
    summary: String,
}

/// The feed carries the newest entries only, as feeds do: readers poll it again and again, and
/// at ten thousand measures the whole list was 8 MB per poll. Every page stays in the sitemap.
pub const FEED_LIMIT: usize = 100;

fn feed(site: &Site, ui: &Ui) -> String {
    let base = &site.config.base_url;
    /// A measure or a page, by its index.
    #[derive(Clone, Copy)]
    enum Source {
        Measure(usize),
        Page(usize),
    }
    let mut dated: Vec<(Date, Route, Source)> = (site.measures.iter().enumerate())
        .map(|(i, m)| {
            let when = site.measure_updated(m);
            (when, Route::measure(&m.id), Source::Measure(i))
        })
        .chain(
            (site.pages.iter().enumerate())
                .map(|(i, p)| (site.page_updated(p), Route::page(&p.slug), Source::Page(i))),
        )
        .collect();
    // Newest first; ties in site order so the file is stable.
    dated.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| compare_ids(a.1.as_str(), b.1.as_str()))
    });
    dated.truncate(FEED_LIMIT);
    let entries = dated
        .into_iter()
        .map(|(updated, route, source)| match source {
            Source::Measure(i) => {
                let m = &site.measures[i];
                Entry {
                    title: format!("{} {}", m.id, m.title),
                    route,
                    updated,
                    summary: measure_summary(site, ui, m),
                }
            }
            Source::Page(i) => {
                let p = &site.pages[i];
                Entry {
                    title: p.title.clone(),
                    route,
                    updated,
                    summary: p
                        .description
                        .clone()
                        .unwrap_or_else(|| markdown::to_plain_text(&p.body, 200)),
                }
            }
        });
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&match site.language {
            Language::Japanese => site.config.language.clone(),
            other => other.lang().to_string(),
        })
    ));
    out.push_str(&format!(
        "  <title>{}</title>\n",
        escape(&site.config.title)
    ));
    out.push_str(&format!(
        "  <subtitle>{}</subtitle>\n",
        escape(&ui.fill(
            "chrome.feed_subtitle",
            &[(
                "plan",
                &site.plan_with_city(&ui.plain("chrome.feed_city_joint"))
            )]
        ))
    ));
    out.push_str(&format!("  <id>{}</id>\n", escape(base)));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(base)
    ));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}{FEED_FILE}\"/>\n",
        escape(base)
    ));
    out.push_str(&format!(
        "  <updated>{}</updated>\n",
        site.last_updated().rfc3339_jst()
    ));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(&site.config.city)
    ));
    out.push_str(&format!(
        "  <rights>{}</rights>\n",
        escape(&site.config.data_license.name)
    ));
    for e in entries {
        let url = e.route.absolute(base);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
        out.push_str(&format!("    <id>{}</id>\n", escape(&url)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&url)
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            e.updated.rfc3339_jst()
        ));
        if !e.summary.is_empty() {
            out.push_str(&format!("    <summary>{}</summary>\n", escape(&e.summary)));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// XML text and attribute values: [`crate::text::escape_html`], without the control
/// characters that XML 1.0 does not allow at all (even escaped).
/// A measure's entry: its lead text, then how each KPI's latest reported year went, in the
/// sentences the measure page shows under each KPI heading.
fn measure_summary(site: &Site, ui: &Ui, m: &crate::model::Measure) -> String {
    let years = site.plan.period.years();
    let rules = &site.config.achievement;
    let lead = m
        .sections
        .lead()
        .map(|t| markdown::to_plain_text(t, 200))
        .unwrap_or_default();
    let results = m.kpis.iter().map(|k| {
        ui.fill(
            "chrome.feed_kpi",
            &[
                ("number", &crate::kpi::sentence::circled(k.number)),
                (
                    "message",
                    &crate::kpi::sentence::key_message_said(
                        &crate::kpi::sentence::Voice::new(ui),
                        k,
                        &years,
                        rules,
                    )
                    .plain,
                ),
            ],
        )
    });
    std::iter::once(lead)
        .chain(results)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(s: &str) -> String {
    let forbidden = |c: char| c < '\u{20}' && !matches!(c, '\t' | '\n' | '\r');
    if s.contains(forbidden) {
        text::escape_html(&s.replace(forbidden, ""))
    } else {
        text::escape_html(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_site() -> Site {
        let mut diags = crate::diagnostics::Diagnostics::default();
        crate::build::Pipeline::new(env!("CARGO_MANIFEST_DIR"))
            .site(&mut diags)
            .expect("example site loads")
    }

    #[test]
    fn above_the_url_limit_the_sitemap_is_an_index_of_files_within_it() {
        let site = example_site();
        let routes: Vec<Route> = site
            .measures
            .iter()
            .map(|m| Route::measure(&m.id))
            .collect();
        let one = sitemaps(&site, &routes, routes.len());
        assert_eq!(one.len(), 1, "at the limit: one sitemap");
        let whole = std::str::from_utf8(&one[0].bytes).unwrap();
        assert!(whole.contains("<urlset ") && !whole.contains("<sitemapindex"));

        let limit = 7;
        let split = sitemaps(&site, &routes, limit);
        let parts = routes.len().div_ceil(limit);
        assert_eq!(split.len(), parts + 1);
        assert_eq!(split[0].path, SITEMAP_FILE);
        let index = std::str::from_utf8(&split[0].bytes).unwrap();
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        let mut urls = Vec::new();
        for (n, part) in split[1..].iter().enumerate() {
            assert_eq!(part.path, format!("sitemap-{}.xml", n + 1));
            let loc = format!("<loc>{}sitemap-{}.xml</loc>", site.config.base_url, n + 1);
            assert!(index.contains(&loc), "{loc}");
            let text = std::str::from_utf8(&part.bytes).unwrap();
            let lines: Vec<&str> = text.lines().filter(|l| l.contains("<url>")).collect();
            assert!(lines.len() <= limit && !lines.is_empty());
            // Each file's entry in the index carries the newest date of its pages.
            let newest = lines
                .iter()
                .map(|l| &l[l.find("<lastmod>").unwrap()..])
                .max()
                .unwrap();
            let entry = index.lines().find(|l| l.contains(&loc)).unwrap();
            assert!(entry.ends_with(&newest.replace("</url>", "</sitemap>")));
            urls.extend(lines);
        }
        // The files together list every page of the single sitemap, in its order.
        let all: Vec<&str> = whole.lines().filter(|l| l.contains("<url>")).collect();
        assert_eq!(urls, all);
    }

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
