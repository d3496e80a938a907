//! Several plans in one site (issue #18, plan history): the plan at content/ keeps the root
//! URLs, each plan of content/plans/<slug>/ is published under /<slug>/, the home pages list
//! every plan with ended ones marked, and `continues:` links measures across plans both ways.
//! Built from tests/fixtures/plans/history (みなと市: a current DX plan at the root and an
//! ended ICT plan, ict-2019, whose measures 1 and 2 the DX plan's 01 continues).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use keikaku::build::Pipeline;
use keikaku::diagnostics::Diagnostics;

fn fixture() -> PathBuf {
    common::fixtures().join("plans").join("history")
}

fn build(root: &Path) -> BTreeMap<String, String> {
    let mut diags = Diagnostics::default();
    let mut pipeline = Pipeline::new(root);
    let site = pipeline
        .site(&mut diags)
        .unwrap_or_else(|| panic!("loads: {:?}", diags.sorted()));
    let outputs = pipeline
        .outputs(&site, &mut diags)
        .unwrap_or_else(|| panic!("renders: {:?}", diags.sorted()));
    outputs
        .into_iter()
        .map(|o| (o.path, String::from_utf8_lossy(&o.bytes).into_owned()))
        .collect()
}

fn page<'a>(files: &'a BTreeMap<String, String>, path: &str) -> &'a str {
    files.get(path).unwrap_or_else(|| panic!("{path} missing"))
}

/// `check --format json` on a copy of the fixture changed by `edit`: (code key, file, line,
/// field) of every diagnostic.
fn check_copy(edit: impl FnOnce(&Path)) -> Vec<(String, String, u64, String)> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("history");
    common::copy_tree(&fixture(), &root);
    edit(&root);
    common::check_json(&root)
        .1
        .iter()
        .map(|d| {
            (
                d["code"]["key"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["position"]["line"].as_u64().unwrap_or(0),
                d["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn each_plan_has_its_own_urls_and_the_root_plan_keeps_the_root_ones() {
    let files = build(&fixture());
    for path in [
        "index.html",
        "measures/01/index.html",
        "measures/02/index.html",
        "data/measures.csv",
        "ict-2019/index.html",
        "ict-2019/measures/1/index.html",
        "ict-2019/measures/3/index.html",
        "ict-2019/data/measures.csv",
        "ict-2019/search/index.html",
        "ict-2019/glossary/index.html",
    ] {
        assert!(files.contains_key(path), "{path} missing");
    }
    assert!(!files.contains_key("measures/1/index.html"));
    assert!(!files.contains_key("ict-2019/measures/01/index.html"));
    // Absolute URLs of the other plan are under its folder.
    assert!(page(&files, "ict-2019/measures/1/index.html").contains(
        "<link rel=\"canonical\" href=\"https://example.invalid/minato/ict-2019/measures/1/\">"
    ));
}

#[test]
fn home_pages_list_every_plan_and_mark_the_ended_one() {
    let files = build(&fixture());
    let home = page(&files, "index.html");
    assert!(home.contains("<h2 id=\"plans\">このサイトの計画</h2>"));
    assert!(home.contains(
        "<li><strong>みなと市DX計画</strong>（令和4年度（2022年度）〜令和6年度（2024年度）、2施策）<span class=\"badge\">現在の計画</span></li>"
    ));
    assert!(home.contains(
        "<li><a href=\"ict-2019/\">みなと市ICT推進プラン</a>（平成31年度（令和元年度・2019年度）〜令和2年度（2020年度）、3施策）<span class=\"badge\">計画期間終了</span></li>"
    ));
    assert!(
        !home.contains("plan-status"),
        "the current plan is not ended"
    );

    let old = page(&files, "ict-2019/index.html");
    assert!(old.contains(
        "<p class=\"plan-notice\">現在の計画は<a href=\"../\">みなと市DX計画</a>（令和4年度（2022年度）〜令和6年度（2024年度））です。</p>"
    ));
    assert!(old.contains("<span class=\"badge\">計画期間終了</span> この計画は計画期間"));
    assert!(
        old.contains("実績は、最後に報告された平成31年度（令和元年度）までのものです。"),
        "its final state: the last year with a result"
    );
    assert!(old.contains("<li><strong>みなと市ICT推進プラン</strong>"));
}

#[test]
fn lineage_links_go_both_ways() {
    let files = build(&fixture());
    let new = page(&files, "measures/01/index.html");
    assert!(new.contains(
        "<p class=\"lineage\">この施策は<a href=\"../../ict-2019/measures/1/\">みなと市ICT推進プランの「1 電子地域通貨の導入」</a>と<a href=\"../../ict-2019/measures/2/\">みなと市ICT推進プランの「2 行政ポイントの付与」</a>を引き継いでいます。</p>"
    ));
    for id in ["1", "2"] {
        let old = page(&files, &format!("ict-2019/measures/{id}/index.html"));
        assert!(
            old.contains("<p class=\"lineage\">この施策は<a href=\"../../../measures/01/\">みなと市DX計画の「01 キャッシュレス決済と地域ポイント」</a>に引き継がれました。</p>"),
            "{id}"
        );
    }
    assert!(!page(&files, "ict-2019/measures/3/index.html").contains("lineage"));
    assert!(!page(&files, "measures/02/index.html").contains("lineage"));
}

#[test]
fn lineage_errors_are_located() {
    let found = check_copy(|root| {
        let path = root.join("content/measures/02.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace(
            "lead_department: 市民課\n",
            "lead_department: 市民課\ncontinues:\n  - ict-2019/9\n  - ict-2018/1\n  - ict-2019\n  - dx-2022/01\n",
        );
        std::fs::write(path, text).unwrap();
    });
    let lineage: Vec<(u64, &str)> = found
        .iter()
        .filter(|(code, file, _, _)| {
            code == "unknown_lineage" && file == "content/measures/02.yaml"
        })
        .map(|(_, _, line, field)| (*line, field.as_str()))
        .collect();
    assert_eq!(
        lineage,
        [
            (5, "continues[0]"),
            (6, "continues[1]"),
            (7, "continues[2]"),
            (8, "continues[3]"),
        ],
        "{found:?}"
    );

    // The root plan needs an id once there are other plans; current_plan must name a plan.
    let found = check_copy(|root| {
        let plan = root.join("content/plan.yaml");
        let text = std::fs::read_to_string(&plan).unwrap();
        std::fs::write(&plan, text.replace("id: dx-2022\n", "")).unwrap();
        let config = root.join("config.yaml");
        let text = std::fs::read_to_string(&config).unwrap();
        std::fs::write(&config, text + "current_plan: dx-2030\n").unwrap();
    });
    assert!(
        found.contains(&(
            "plan_id".into(),
            "content/plan.yaml".into(),
            1,
            "title".into()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "plan_id".into(),
            "config.yaml".into(),
            4,
            "current_plan".into()
        )),
        "{found:?}"
    );
}

#[test]
fn current_plan_moves_the_current_mark_without_moving_any_url() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("history");
    common::copy_tree(&fixture(), &root);
    let config = root.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text + "current_plan: ict-2019\n").unwrap();
    let files = build(&root);
    assert!(files.contains_key("measures/01/index.html"));
    assert!(files.contains_key("ict-2019/measures/1/index.html"));
    let home = page(&files, "index.html");
    assert!(home.contains(
        "<p class=\"plan-notice\">現在の計画は<a href=\"ict-2019/\">みなと市ICT推進プラン</a>"
    ));
}

#[test]
fn every_table_names_its_plan_and_the_lineage_table_is_in_each_package() {
    let files = build(&fixture());
    for (prefix, plan) in [("", "dx-2022"), ("ict-2019/", "ict-2019")] {
        for (path, text) in files
            .iter()
            .filter(|(p, _)| p.starts_with(&format!("{prefix}data/")) && p.ends_with(".csv"))
        {
            if prefix.is_empty() && path.starts_with("ict-2019/") {
                continue;
            }
            let mut lines = text.trim_start_matches('\u{feff}').lines();
            let header: Vec<&str> = lines.next().unwrap().split(',').collect();
            assert_eq!(header[2], "plan_id", "{path}");
            for line in lines {
                assert_eq!(line.split(',').nth(2), Some(plan), "{path}: {line}");
            }
        }
        let package: serde_json::Value =
            serde_json::from_str(page(&files, &format!("{prefix}data/datapackage.json"))).unwrap();
        let resources = package["resources"].as_array().unwrap();
        let lineage = resources
            .iter()
            .find(|r| r["name"] == "lineage")
            .unwrap_or_else(|| panic!("{prefix}: lineage resource"));
        assert_eq!(lineage["path"], "lineage.csv");
        let fields: Vec<&str> = lineage["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&"plan_id") && fields.contains(&"predecessor_measure_id"));
        assert!(files.contains_key(&format!("{prefix}data/schema/lineage.json")));
        let rows: Vec<&str> = page(&files, &format!("{prefix}data/lineage.csv"))
            .lines()
            .skip(1)
            .collect();
        assert_eq!(
            rows,
            [
                format!(",みなと市,{plan},dx-2022,01,キャッシュレス決済と地域ポイント,ict-2019,1,電子地域通貨の導入"),
                format!(",みなと市,{plan},dx-2022,01,キャッシュレス決済と地域ポイント,ict-2019,2,行政ポイントの付与"),
            ],
            "{prefix}"
        );
    }
}

#[test]
fn search_covers_every_plan_and_names_each_results_plan() {
    let files = build(&fixture());
    let root = page(&files, "search/docs.js");
    assert!(root.contains(
        r#"["施策","01 キャッシュレス決済と地域ポイント","measures/01/","みなと市DX計画／主管: 情報政策課"]"#
    ));
    assert!(root.contains(
        r#"["施策","3 庁内の無線LAN","ict-2019/measures/3/","みなと市ICT推進プラン／担当: 情報政策課"]"#
    ));
    // The other plan's search page finds every plan too, its paths climbing to the root.
    let old = page(&files, "ict-2019/search/docs.js");
    assert!(old.contains(
        r#"["施策","01 キャッシュレス決済と地域ポイント","../measures/01/","みなと市DX計画／主管: 情報政策課"]"#
    ));
    assert!(old.contains(
        r#"["施策","3 庁内の無線LAN","../ict-2019/measures/3/","みなと市ICT推進プラン／担当: 情報政策課"]"#
    ));
}

#[test]
fn the_root_robots_txt_names_every_plans_sitemap_and_the_theme_files_are_shared() {
    let files = build(&fixture());
    assert_eq!(
        page(&files, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.invalid/minato/sitemap.xml\nSitemap: https://example.invalid/minato/ict-2019/sitemap.xml\n"
    );
    // Crawlers never read a robots.txt inside a folder.
    assert!(!files.contains_key("ict-2019/robots.txt"));
    // Each plan's sitemap lists its own pages, under its own folder.
    let old = page(&files, "ict-2019/sitemap.xml");
    assert!(old.contains("<loc>https://example.invalid/minato/ict-2019/measures/1/</loc>"));
    assert!(old
        .lines()
        .filter(|l| l.contains("<loc>"))
        .all(|l| l.contains("<loc>https://example.invalid/minato/ict-2019/")));
    let root = page(&files, "sitemap.xml");
    assert!(!root.contains("ict-2019/"), "the other plan has its own");

    // One copy of the theme's files, at the root, which the other plan's pages link to.
    assert!(files.contains_key("assets/style.css"));
    assert!(!files.keys().any(|p| p.starts_with("ict-2019/assets/")));
    let measure = page(&files, "ict-2019/measures/1/index.html");
    assert!(measure.contains("<link rel=\"stylesheet\" href=\"../../../assets/style.css?v="));
    assert!(measure.contains("<link rel=\"icon\" href=\"../../../assets/favicon.svg\""));
    let home = page(&files, "ict-2019/index.html");
    assert!(home.contains("<link rel=\"stylesheet\" href=\"../assets/style.css?v="));
    let search = page(&files, "ict-2019/search/index.html");
    assert!(
        search.contains("src=\"../../assets/search.js\""),
        "{search}"
    );
    // The root plan's own links are as in a single-plan site.
    assert!(page(&files, "measures/01/index.html")
        .contains("<link rel=\"stylesheet\" href=\"../../assets/style.css?v="));
}

#[test]
fn shared_theme_files_resolve_from_disk_with_file_links_and_under_a_sub_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = common::run(&[
        "build",
        "--root",
        fixture().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--file-links",
        "--base-url",
        "https://example.invalid/city/plans/",
    ]);
    assert!(run.status.success(), "{}", common::text(&run.stderr));
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.invalid/city/plans/ict-2019/sitemap.xml\n"));
    // Every relative stylesheet, icon, script and notice link of the other plan's pages
    // names a file that is there.
    for page in [
        "ict-2019/index.html",
        "ict-2019/measures/1/index.html",
        "ict-2019/search/index.html",
        "ict-2019/glossary/index.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let folder = out.join(page).parent().unwrap().to_path_buf();
        let mut checked = 0;
        for attr in ["href=\"", "src=\""] {
            for value in html.split(attr).skip(1) {
                let link = &value[..value.find('"').unwrap()];
                if link.contains(':') || link.starts_with('#') || link.starts_with('/') {
                    continue;
                }
                let path = link.split(['?', '#']).next().unwrap();
                assert!(folder.join(path).is_file(), "{page}: {link}");
                checked += 1;
            }
        }
        assert!(checked > 3, "{page}");
    }
}

#[test]
fn every_page_of_an_ended_plan_says_so_and_links_the_current_plan() {
    let files = build(&fixture());
    let notice = |href: &str| {
        format!("<p class=\"plan-status\" role=\"note\"><span class=\"badge\">計画期間終了</span> このページの計画は計画期間（平成31年度（令和元年度・2019年度）〜令和2年度（2020年度））を終えました。現在の計画は<a href=\"{href}\">みなと市DX計画</a>です。</p>")
    };
    for (path, href) in [
        ("ict-2019/measures/1/index.html", "../../../"),
        ("ict-2019/measures/index.html", "../../"),
        ("ict-2019/glossary/index.html", "../../"),
        ("ict-2019/search/index.html", "../../"),
        ("ict-2019/data/index.html", "../../"),
    ] {
        assert!(page(&files, path).contains(&notice(href)), "{path}");
    }
    // Its home page says more, once; the current plan's pages say nothing of it.
    let home = page(&files, "ict-2019/index.html");
    assert!(!home.contains("このページの計画は"));
    assert!(home.contains("<p class=\"plan-status\"><span class=\"badge\">計画期間終了</span>"));
    for (path, text) in &files {
        if path.ends_with(".html") && !path.starts_with("ict-2019/") {
            assert!(!text.contains("このページの計画は"), "{path}");
        }
    }
}

#[test]
fn new_measure_with_plan_writes_into_that_plan_with_its_sections() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("history");
    common::copy_tree(&fixture(), &root);
    let r = root.to_str().unwrap();
    let out = common::run(&["new", "measure", "4", "--plan", "ict-2019", "--root", r]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    assert!(!root.join("content/measures/4.yaml").exists());
    let text = common::read(&root, "content/plans/ict-2019/measures/4.yaml");
    assert!(text.contains("  plan: |"), "the plan's own section: {text}");
    assert!(text.contains("計画を書いてください。"), "{text}");
    assert!(
        !text.contains("details:") && !text.contains("future_policy"),
        "{text}"
    );
    assert!(
        !text.contains("policy:"),
        "the plan has no policies: {text}"
    );
    assert!(text.contains("years: [R1, R2]"), "its period: {text}");
    // `continues:` is shown as a commented example naming another plan of the site (here
    // the root plan, by its id).
    assert!(text.contains("# continues:"), "{text}");
    assert!(text.contains("#   - dx-2022/01"), "a measure of it: {text}");

    // A measure of the root plan names the other plan in its example, and stays at content/.
    let out = common::run(&["new", "measure", "03", "--root", r]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    let text = common::read(&root, "content/measures/03.yaml");
    assert!(text.contains("  details: |"), "{text}");
    assert!(text.contains("#   - ict-2019/1"), "{text}");

    // The new files, filled in, are a valid site; uncommenting the example links the plans.
    for (rel, fill) in [
        (
            "content/plans/ict-2019/measures/4.yaml",
            "計画を書いてください。",
        ),
        ("content/measures/03.yaml", "施策の内容を書いてください。"),
    ] {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace(fill, "本文です。")).unwrap();
    }
    let path = root.join("content/measures/03.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace("# continues:", "continues:")
        .replace("#   - ict-2019/1", "  - ict-2019/1");
    std::fs::write(&path, text).unwrap();
    let check = common::run(&["check", "--root", r, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let errors: Vec<&serde_json::Value> = report
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    // An unknown plan is refused, naming the plans there are, and nothing is written.
    let out = common::run(&["new", "measure", "5", "--plan", "ict-2030", "--root", r]);
    assert!(!out.status.success());
    let message = common::text(&out.stderr);
    assert!(
        message.contains("ict-2030") && message.contains("ict-2019"),
        "{message}"
    );
    assert!(!root.join("content/plans/ict-2030").exists());
}

/// A policy that another plan lacks is reported against that plan's file, the one the staff
/// member has to edit, not against content/plan.yaml.
#[test]
fn new_measure_with_plan_names_that_plans_file_for_an_unknown_policy() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("history");
    common::copy_tree(&fixture(), &root);
    let plan = root.join("content/plans/ict-2019/plan.yaml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        format!("{text}policies:\n  - number: 1\n    title: 方針\n"),
    )
    .unwrap();
    let r = root.to_str().unwrap();
    for args in [
        &["new", "measure", "05-01", "--plan", "ict-2019", "--root", r][..],
        &[
            "new", "measure", "01-01", "--policy", "3", "--plan", "ict-2019", "--root", r,
        ],
    ] {
        let out = common::run(args);
        assert!(!out.status.success(), "{args:?}");
        let message = common::text(&out.stderr);
        assert!(
            message.contains("content/plans/ict-2019/plan.yaml"),
            "{args:?}: {message}"
        );
        assert!(
            !message.contains("content/plan.yaml"),
            "{args:?}: {message}"
        );
    }
    assert!(!root
        .join("content/plans/ict-2019/measures/05-01.yaml")
        .exists());
}

#[test]
fn a_single_plan_sites_new_measure_shows_no_continues() {
    let (_dir, root) = common::site();
    let r = root.to_str().unwrap();
    let out = common::run(&["new", "measure", "01-09", "--root", r]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    assert!(!common::read(&root, "content/measures/01-09.yaml").contains("continues"));
}

/// `serve` after one measure edit in a site of several plans: what it serves then is the
/// whole site, every plan's pages included. (The quick path remakes one plan; it once
/// published that plan alone, and the other plans' pages vanished from the preview.)
#[test]
fn a_measure_edit_in_serve_keeps_every_plans_pages() {
    use keikaku::cli::serve::rebuild::{Rebuilder, Update};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("history");
    common::copy_tree(&fixture(), &root);
    let mut rebuilder = Rebuilder::new(&root, keikaku::validate::Overrides::default());
    let Ok(Update::Full(first)) = rebuilder.rebuild(&[]) else {
        panic!("the first build is a full one");
    };
    let others = |outputs: &[keikaku::output::Output]| -> Vec<String> {
        let mut paths: Vec<String> = (outputs.iter())
            .filter(|o| o.path.contains('/') && !o.path.starts_with("measures/"))
            .map(|o| o.path.clone())
            .collect();
        paths.sort();
        paths
    };
    let before = others(&first.outputs);
    let file = root.join("content/measures/02.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let (head, rest) = text.split_once("title:").unwrap();
    std::fs::write(&file, format!("{head}title: 改題した施策 #{rest}")).unwrap();
    let outputs = match rebuilder.rebuild(&[PathBuf::from("content/measures/02.yaml")]) {
        Ok(Update::Full(o)) | Ok(Update::Measures(o)) => o.outputs,
        Err(d) => panic!("rebuilds: {d:?}"),
    };
    assert_eq!(
        others(&outputs),
        before,
        "every file but the measure pages is still served"
    );
    assert!(outputs
        .iter()
        .any(|o| String::from_utf8_lossy(&o.bytes).contains("改題した施策")));
}
