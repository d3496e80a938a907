//! The benchmark content generator (examples/synth.rs) must keep producing a site that builds
//! without a single diagnostic, activity plans included; otherwise the benchmark measures the
//! error path instead of a build. The example is compiled in as a module so that the test
//! drives the generator itself rather than a copy of it.

#[allow(dead_code)] // the example's `main` and argument parsing are not used here
#[path = "../examples/synth.rs"]
mod synth;

use std::collections::BTreeSet;
use std::path::Path;

use keikaku::build::Pipeline;
use keikaku::diagnostics::Diagnostics;
use keikaku::validate::Overrides;

/// (year folder, measure ID) of every activity file the generator wrote.
fn activity_files(root: &Path) -> BTreeSet<(String, String)> {
    walkdir::WalkDir::new(root.join("content/activity"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let year = e.path().parent().unwrap().file_name().unwrap();
            let id = e.path().file_stem().unwrap();
            (
                year.to_string_lossy().into_owned(),
                id.to_string_lossy().into_owned(),
            )
        })
        .collect()
}

#[test]
fn synthetic_site_with_activity_plans_builds_without_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    synth::generate(&synth::Args {
        measures: 30,
        out: root.clone(),
        seed: 7,
        // Few enough terms that 30 measures' text uses every one (else: E0804 unused_term warnings).
        terms: 30,
    });

    let files = activity_files(&root);
    for year in ["R4", "R5"] {
        let n = files.iter().filter(|(y, _)| y == year).count();
        // About 84% of 30 measures; far fewer or all of them means the mix is broken.
        assert!(
            (15..30).contains(&n),
            "{year}: {n} of 30 measures have plans"
        );
    }

    let mut diags = Diagnostics::default();
    let mut pipeline = Pipeline::new(&root).with_overrides(Overrides::default());
    let site = pipeline.site(&mut diags);
    let outputs = site
        .as_ref()
        .and_then(|site| pipeline.outputs(site, &mut diags));
    assert!(diags.is_empty(), "{diags:?}");
    let site = site.unwrap();
    let outputs = outputs.unwrap();

    let plans: BTreeSet<(String, String)> = site
        .activity
        .iter()
        .map(|a| (a.year.key(), a.measure_id.clone()))
        .collect();
    assert_eq!(plans, files, "every generated plan is read back");
    assert!(
        site.activity.iter().any(|a| !a.related_measures.is_empty()),
        "some plans name related measures"
    );

    let pages: BTreeSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    for (year, id) in &files {
        let page = format!("activity/{year}/{id}/index.html");
        assert!(pages.contains(page.as_str()), "{page} is missing");
    }
    for page in [
        "activity/index.html",
        "activity/R4/index.html",
        "activity/R5/index.html",
    ] {
        assert!(pages.contains(page), "{page} is missing");
    }

    // The generator writes staff names, as working copies have them; the site must not show them.
    let staff: BTreeSet<String> = files
        .iter()
        .flat_map(|(year, id)| {
            let path = root.join(format!("content/activity/{year}/{id}.yaml"));
            let text = std::fs::read_to_string(path).unwrap();
            text.lines()
                .filter_map(|l| l.strip_prefix("staff: ").map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!staff.is_empty(), "the content has staff names to withhold");
    for o in &outputs {
        let text = String::from_utf8_lossy(&o.bytes);
        for name in &staff {
            assert!(!text.contains(name.as_str()), "{} shows {name}", o.path);
        }
    }
}

/// Builds a synthetic site of `measures` measures into memory; the site and its outputs.
fn synthetic_outputs(measures: usize) -> (keikaku::model::Site, Vec<keikaku::output::Output>) {
    synthetic_outputs_with(measures, 30, "")
}

/// The outputs of a synthetic site of `measures` measures and `terms` glossary entries, with
/// `config` added to its config.yaml.
fn synthetic_outputs_with(
    measures: usize,
    terms: usize,
    config: &str,
) -> (keikaku::model::Site, Vec<keikaku::output::Output>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    synth::generate(&synth::Args {
        measures,
        out: root.clone(),
        seed: 11,
        terms,
    });
    if !config.is_empty() {
        let path = root.join("config.yaml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(config);
        std::fs::write(&path, text).unwrap();
    }
    let mut diags = Diagnostics::default();
    let mut pipeline = Pipeline::new(&root).with_overrides(Overrides::default());
    let site = pipeline.site(&mut diags).unwrap();
    let outputs = pipeline.outputs(&site, &mut diags).unwrap();
    assert!(!diags.has_errors(), "{diags:?}");
    (site, outputs)
}

/// Every page of the listing at `first` (`measures/`): its own page, then `page_2/`… in order.
fn listing_pages<'a>(
    outputs: &'a [keikaku::output::Output],
    first: &str,
) -> Vec<(&'a str, &'a str)> {
    let mut pages = vec![(
        format!("{first}index.html"),
        page(outputs, &format!("{first}index.html")),
    )];
    for n in 2.. {
        let path = format!("{first}page_{n}/index.html");
        match outputs.iter().find(|o| o.path == path) {
            Some(o) => pages.push((path, std::str::from_utf8(&o.bytes).unwrap())),
            None => break,
        }
    }
    pages
        .into_iter()
        .map(|(path, text)| {
            let path: &'a str = outputs
                .iter()
                .find(|o| o.path == path)
                .unwrap()
                .path
                .as_str();
            (path, text)
        })
        .collect()
}

fn page<'a>(outputs: &'a [keikaku::output::Output], path: &str) -> &'a str {
    let o = outputs.iter().find(|o| o.path == path).unwrap();
    std::str::from_utf8(&o.bytes).unwrap()
}

#[test]
fn the_home_page_and_the_index_list_results_only_up_to_the_limit() {
    use keikaku::render::CARD_LIMIT;
    for (measures, cards) in [(CARD_LIMIT, true), (CARD_LIMIT + 1, false)] {
        let (site, outputs) = synthetic_outputs(measures);
        let home = page(&outputs, "index.html");
        let index = page(&outputs, "measures/index.html");
        // Beyond one page (`page_size`), the index runs on at `measures/page_2/`…: every
        // measure is on exactly one of its pages.
        let index_pages = listing_pages(&outputs, "measures/");
        for m in &site.measures {
            let href = format!("href=\"measures/{}/\"", m.id);
            assert_eq!(
                home.contains(&href),
                cards,
                "{measures} measures: {href} on home"
            );
            let on: Vec<&str> = index_pages
                .iter()
                .filter(|(path, text)| {
                    let up = "../".repeat(path.matches('/').count());
                    text.contains(&format!("href=\"{up}measures/{}/\"", m.id))
                })
                .map(|(path, _)| *path)
                .collect();
            assert_eq!(on.len(), 1, "{}: on one page of the index: {on:?}", m.id);
        }
        for p in &site.plan.policies {
            let count = site
                .measures
                .iter()
                .filter(|m| m.policy == Some(p.number))
                .count();
            let more = format!(
                "<a href=\"policies/{}/\">方針{}の施策（{count}件）を見る</a>",
                p.number, p.number
            );
            assert_eq!(home.contains(&more), !cards, "{measures} measures: {more}");
        }
        assert_eq!(
            home.contains("href=\"measures/\">施策一覧</a>で見られます"),
            !cards
        );
        // The index lists every measure either way, with results only up to the limit.
        assert_eq!(index_pages.len(), measures.div_ceil(site.config.page_size));
        assert_eq!(index.contains("class=\"latest\""), cards);
        assert_eq!(index.contains("施策名と主管部署だけを載せています"), !cards);
        let policy = page(&outputs, "policies/1/index.html");
        assert!(
            policy.contains("class=\"latest\""),
            "policy pages show results"
        );
    }
}

#[test]
fn the_feed_keeps_the_newest_entries_and_the_sitemap_every_page() {
    use keikaku::render::feeds::FEED_LIMIT;
    let (site, outputs) = synthetic_outputs(FEED_LIMIT + 20);
    let feed = page(&outputs, "feed.xml");
    let sitemap = page(&outputs, "sitemap.xml");
    let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
    assert_eq!(entries.len(), FEED_LIMIT);
    let updated = |e: &str| -> String {
        let from = e.find("<updated>").unwrap() + "<updated>".len();
        e[from..from + 10].to_string()
    };
    let oldest_kept = entries.iter().map(|e| updated(e)).min().unwrap();
    let mut dropped = 0;
    for m in &site.measures {
        let url = format!("measures/{}/</loc>", m.id);
        assert!(sitemap.contains(&url), "{url} in the sitemap");
        let id = format!("measures/{}/</id>", m.id);
        if !feed.contains(&id) {
            dropped += 1;
            let date = site.measure_updated(m).to_string();
            assert!(
                date <= oldest_kept,
                "{} ({date}) is newer than a kept entry",
                m.id
            );
        }
    }
    assert!(dropped >= 20, "{dropped} measures left out of the feed");
}

/// The pages of `listing` that link to `target` (a site path such as `measures/01-01/`).
fn pages_linking<'a>(listing: &[(&'a str, &str)], target: &str) -> Vec<&'a str> {
    listing
        .iter()
        .filter(|(path, text)| {
            let up = "../".repeat(path.matches('/').count());
            text.contains(&format!("href=\"{up}{target}\""))
        })
        .map(|(path, _)| *path)
        .collect()
}

/// Each page of a listing of several has one pager: a `nav` with its accessible name, every
/// page's number with only its own marked current, and `rel` links to its neighbours.
fn assert_pager(listing: &[(&str, &str)]) {
    let count = listing.len();
    for (i, (path, text)) in listing.iter().enumerate() {
        assert_eq!(
            text.matches("<nav class=\"pager paging\" aria-label=\"")
                .count(),
            1,
            "{path}: one pager"
        );
        let from = text.find("<nav class=\"pager paging\"").unwrap();
        let pager = &text[from..from + text[from..].find("</nav>").unwrap()];
        assert_eq!(pager.matches("aria-current=\"page\"").count(), 1, "{path}");
        assert!(
            pager.contains(&format!("aria-current=\"page\">{}<", i + 1)),
            "{path}: its own number is current"
        );
        // Every page's number, and the links to the neighbours.
        let links = count + usize::from(i > 0) + usize::from(i + 1 < count);
        assert_eq!(pager.matches("<li><a href=").count(), links, "{path}");
        assert_eq!(pager.contains("rel=\"prev\">前のページ"), i > 0, "{path}");
        assert_eq!(
            pager.contains("rel=\"next\">次のページ"),
            i + 1 < count,
            "{path}"
        );
        if i > 0 {
            assert!(
                text.contains(&format!("（{}/{count}ページ） | ", i + 1)),
                "{path}: the page number in the title"
            );
        }
    }
}

#[test]
fn long_listings_run_to_pages_of_page_size_with_an_accessible_pager() {
    let size = 20;
    let (site, outputs) = synthetic_outputs_with(90, 30, &format!("page_size: {size}\n"));
    assert_eq!(site.config.page_size, size);
    let pages = size_pages(&outputs);
    let by_measure = site.measures.len().div_ceil(size);
    for first in ["measures/", "departments/", "search/"] {
        let listing = listing_pages(&outputs, first);
        assert_eq!(listing.len(), by_measure, "{first}");
        assert_pager(&listing);
        for m in &site.measures {
            let on = pages_linking(&listing, &format!("measures/{}/", m.id));
            assert_eq!(on.len(), 1, "{first}: {} on one page: {on:?}", m.id);
        }
    }
    let mut policies_paged = 0;
    for p in &site.plan.policies {
        let listing = listing_pages(&outputs, &format!("policies/{}/", p.number));
        let of_policy: Vec<_> = site
            .measures
            .iter()
            .filter(|m| m.policy == Some(p.number))
            .collect();
        assert_eq!(listing.len(), of_policy.len().div_ceil(size).max(1));
        if listing.len() > 1 {
            policies_paged += 1;
            assert_pager(&listing);
        }
        for m in of_policy {
            let on = pages_linking(&listing, &format!("measures/{}/", m.id));
            assert_eq!(on.len(), 1, "policy {}: {} on one page", p.number, m.id);
        }
        // `rel` names the neighbouring pages of the listing only, not the next policy too.
        if listing.len() > 1 {
            for (path, text) in &listing {
                assert!(text.matches("rel=\"prev\"").count() <= 1, "{path}");
                assert!(text.matches("rel=\"next\"").count() <= 1, "{path}");
            }
        }
        // The status summary of the whole policy, on its first page only.
        let summaries = listing
            .iter()
            .filter(|(_, t)| t.contains("id=\"achievement\""))
            .count();
        assert!(
            summaries <= 1
                && !listing[1..]
                    .iter()
                    .any(|(_, t)| t.contains("id=\"achievement\""))
        );
    }
    assert!(policies_paged > 0, "some policy runs to two pages");
    for year in site.activity_years() {
        let first = format!("activity/{}/", year.key());
        let listing = listing_pages(&outputs, &first);
        assert_eq!(listing.len(), by_measure, "{first}");
        assert_pager(&listing);
        for a in site.activity.iter().filter(|a| a.year == year) {
            let on = pages_linking(&listing, &format!("{first}{}/", a.measure_id));
            assert_eq!(on.len(), 1, "{first}: {} on one page", a.measure_id);
        }
    }
    // The glossary lists the back-links of a much-used entry on pages of its own.
    let glossary = page(&outputs, "glossary/index.html");
    let mut apart = 0;
    for t in &site.glossary {
        let first = format!("glossary/{}/", t.anchor);
        if !outputs
            .iter()
            .any(|o| o.path == format!("{first}index.html"))
        {
            continue;
        }
        apart += 1;
        assert!(glossary.contains(&format!(
            "<a href=\"../glossary/{}/\">この用語が出てくるページ（",
            t.anchor
        )));
        let listing = listing_pages(&outputs, &first);
        let listed = |text: &str| {
            let from = text.find("<ul class=\"used-on-list\">").unwrap();
            let to = from + text[from..].find("</ul>").unwrap();
            text[from..to].matches("<li><a href=").count()
        };
        let links: usize = listing.iter().map(|(_, text)| listed(text)).sum();
        let shown = format!(
            "<a href=\"../glossary/{}/\">この用語が出てくるページ（{links}件）",
            t.anchor
        );
        assert!(glossary.contains(&shown), "{shown}");
        assert!(listing.iter().all(|(_, text)| listed(text) <= size));
        if listing.len() > 1 {
            assert_pager(&listing);
        }
    }
    assert!(apart > 0, "some entry's back-links are listed apart");
    // Every page of every listing is in the sitemap.
    let sitemap = page(&outputs, "sitemap.xml");
    for path in pages.iter().filter(|p| p.contains("/page_")) {
        let loc = format!(
            "{}{}</loc>",
            site.config.base_url,
            path.trim_end_matches("index.html")
        );
        assert!(sitemap.contains(&loc), "{loc}");
    }
}

/// The HTML pages among `outputs`.
fn size_pages(outputs: &[keikaku::output::Output]) -> Vec<&str> {
    outputs
        .iter()
        .filter(|o| o.path.ends_with(".html"))
        .map(|o| o.path.as_str())
        .collect()
}

#[test]
fn a_city_sized_plan_has_no_pages_of_listings() {
    let (_, outputs) = synthetic_outputs(keikaku::render::CARD_LIMIT);
    for o in &outputs {
        assert!(!o.path.contains("page_"), "{}", o.path);
        let text = String::from_utf8_lossy(&o.bytes);
        assert!(!text.contains("class=\"pager paging\""), "{}", o.path);
    }
}

#[test]
fn a_page_size_outside_the_range_stops_the_build_at_the_setting() {
    for size in [0, 9, 501] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        synth::generate(&synth::Args {
            measures: 3,
            out: root.clone(),
            seed: 11,
            terms: 3,
        });
        let path = root.join("config.yaml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(&format!("page_size: {size}\n"));
        std::fs::write(&path, text).unwrap();
        let mut diags = Diagnostics::default();
        let site = Pipeline::new(&root)
            .with_overrides(Overrides::default())
            .site(&mut diags);
        assert!(site.is_none(), "page_size: {size}");
        let shown = format!("{diags:?}");
        assert!(
            shown.contains("code: InvalidValue") && shown.contains("field: Some(\"page_size\")"),
            "{shown}"
        );
    }
}
