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
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    synth::generate(&synth::Args {
        measures,
        out: root.clone(),
        seed: 11,
        terms: 30,
    });
    let mut diags = Diagnostics::default();
    let mut pipeline = Pipeline::new(&root).with_overrides(Overrides::default());
    let site = pipeline.site(&mut diags).unwrap();
    let outputs = pipeline.outputs(&site, &mut diags).unwrap();
    assert!(!diags.has_errors(), "{diags:?}");
    (site, outputs)
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
        for m in &site.measures {
            let href = format!("href=\"measures/{}/\"", m.id);
            assert_eq!(
                home.contains(&href),
                cards,
                "{measures} measures: {href} on home"
            );
            let from_index = format!("href=\"../measures/{}/\"", m.id);
            assert!(index.contains(&from_index), "{from_index} in the index");
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
