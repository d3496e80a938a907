//! Drafts (`draft: true`) and scheduled publishing (`publish_date:`): left out of everything a
//! build publishes — pages, lists, prev/next, sitemap, feed, search, open data, glossary
//! back-links, the measure's activity plans — and shown with a 下書き banner by `serve` and
//! `build --drafts`. The example site, with one measure made a draft and a page scheduled.

mod common;
use common as support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use keikaku::build::{Drafts, Pipeline};
use keikaku::cli::serve::rebuild::{Rebuilder, Update};
use keikaku::validate::Overrides;

const DRAFT_TITLE: &str = "テレワークの推進";
const SCHEDULED_TITLE: &str = "新年度のお知らせ";

/// The example site with measure 01-05 a draft, a page due on 2026-04-01, and a published page
/// that links to the draft.
fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let repo = support::repo_root();
    for part in ["config.yaml", "content", "themes"] {
        let from = repo.join(part);
        if from.is_dir() {
            support::copy_tree(&from, &root.join(part));
        } else {
            std::fs::create_dir_all(&root).unwrap();
            std::fs::copy(&from, root.join(part)).unwrap();
        }
    }
    let m = root.join("content/measures/01-05.yaml");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, format!("draft: true\n{text}")).unwrap();
    std::fs::write(
        root.join("content/pages/notice.md"),
        format!(
            "---\ntitle: {SCHEDULED_TITLE}\npublish_date: 2026-04-01\n---\n\n4月からの予定です。\n"
        ),
    )
    .unwrap();
    let about = root.join("content/pages/about.md");
    let mut text = std::fs::read_to_string(&about).unwrap();
    text.push_str("\n在宅勤務の取組は[こちら](/measures/01-05/)です。\n");
    std::fs::write(&about, text).unwrap();
    (tmp, root)
}

fn tree(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned(),
            )
        })
        .collect()
}

fn build(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> (std::process::Output, PathBuf) {
    let out = root.join("public");
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_keikaku"));
    command
        .args(&args)
        .env("LANG", "ja_JP.UTF-8")
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        command.env(k, v);
    }
    (command.output().unwrap(), out)
}

#[test]
fn drafts_and_scheduled_pages_are_absent_from_everything_a_build_publishes() {
    let (_tmp, root) = site();
    let (out, public) = build(&root, &["--now", "2026-03-31"], &[]);
    let stderr = support::text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let files = tree(&public);

    assert!(!files.contains_key("measures/01-05/index.html"));
    assert!(!files.contains_key("activity/R4/01-05/index.html"));
    assert!(!files.contains_key("notice/index.html"));
    assert!(
        !files.keys().any(|f| f.contains("01-05")),
        "a file is named after the draft"
    );
    assert!(files.contains_key("measures/01-04/index.html"));
    assert!(files.contains_key("measures/01-06/index.html"));
    // Not one published file names the draft or the scheduled page: lists, prev/next, the
    // policy and department pages, glossary back-links, sitemap, feed, search, open data.
    for (path, text) in &files {
        assert!(
            !text.contains(DRAFT_TITLE),
            "{path} names the draft measure"
        );
        assert!(
            !text.contains(SCHEDULED_TITLE),
            "{path} names the scheduled page"
        );
        // The about page (in every language tree: it falls back to the Japanese text) holds
        // the link to the draft that site() wrote.
        if ![
            "about/index.html",
            "en/about/index.html",
            "easy/about/index.html",
        ]
        .contains(&path.as_str())
        {
            assert!(
                !text.contains("01-05"),
                "{path} names the draft measure's ID"
            );
            assert!(!text.contains("notice/"), "{path} links the scheduled page");
        }
    }
    for must in [
        "sitemap.xml",
        "feed.xml",
        "search/docs.js",
        "data/measures.csv",
        "data/kpis.json",
        "data/datapackage.json",
        "data/activity_plans.csv",
        "glossary/index.html",
    ] {
        assert!(files.contains_key(must), "{must} is written");
    }
    // The neighbours now link past the draft.
    let prev = &files["measures/01-04/index.html"];
    assert!(prev.contains("01-06"), "01-04's next link skips the draft");

    // No banner anywhere in a published site.
    assert!(!files.values().any(|t| t.contains("draft-banner")));
}

#[test]
fn check_warns_at_the_line_of_a_published_link_to_a_draft() {
    let (_tmp, root) = site();
    let about = support::read(&root, "content/pages/about.md");
    let line = about
        .lines()
        .position(|l| l.contains("(/measures/01-05/)"))
        .unwrap()
        + 1;
    let human = support::run(&["check", "--root", root.to_str().unwrap()]);
    let stderr = support::text(&human.stderr);
    assert!(human.status.success(), "{stderr}");
    assert!(stderr.contains("E0908"), "{stderr}");
    assert!(
        stderr.contains("施策01-05（/measures/01-05/）は下書きか公開前"),
        "{stderr}"
    );
    let out = support::run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("check --format json on stdout");
    let d = report
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"]["id"] == "E0908")
        .expect("E0908 reported");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "content/pages/about.md");
    assert_eq!(d["position"]["line"].as_u64(), Some(line as u64));
}

#[test]
fn drafts_flag_builds_them_with_a_banner() {
    let (_tmp, root) = site();
    let (out, public) = build(&root, &["--drafts", "--now", "2026-03-31"], &[]);
    assert!(out.status.success(), "{}", support::text(&out.stderr));
    let files = tree(&public);
    let draft = &files["measures/01-05/index.html"];
    assert!(draft.contains("class=\"draft-banner\""), "{draft}");
    assert!(draft.contains("下書き</strong>このページはまだ公開されません（draft: true）"));
    let scheduled = &files["notice/index.html"];
    assert!(
        scheduled.contains("公開予約: このページは 2026-04-01 から公開されます"),
        "{scheduled}"
    );
    // The draft measure's activity plan is marked too.
    assert!(files["activity/R4/01-05/index.html"].contains("class=\"draft-banner\""));
    assert!(!files["measures/01-04/index.html"].contains("draft-banner"));
}

#[test]
fn a_scheduled_page_is_published_from_its_date_by_now_or_source_date_epoch() {
    for (args, env) in [
        (vec!["--now", "2026-04-01"], vec![]),
        // 2026-03-31T15:00:00Z: 2026-04-01 in Japan.
        (vec![], vec![("SOURCE_DATE_EPOCH", "1774969200")]),
    ] {
        let (_tmp, root) = site();
        let (out, public) = build(&root, &args, &env);
        assert!(out.status.success(), "{}", support::text(&out.stderr));
        let files = tree(&public);
        let page = &files["notice/index.html"];
        assert!(page.contains(SCHEDULED_TITLE));
        assert!(!page.contains("draft-banner"));
        assert!(files["sitemap.xml"].contains("notice/"));
        // The draft stays a draft whatever the date.
        assert!(!files.contains_key("measures/01-05/index.html"));
    }
    let (_tmp, root) = site();
    let (out, _) = build(&root, &["--now", "2026-04-31"], &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an impossible date is a usage error"
    );
}

#[test]
fn serve_shows_drafts_with_the_banner_unless_no_drafts() {
    let (_tmp, root) = site();
    let outputs = |drafts: Drafts| -> BTreeMap<String, String> {
        let mut rebuilder = Rebuilder::new(&root, Overrides::default()).with_drafts(drafts);
        let Ok(Update::Full(outcome)) = rebuilder.rebuild(&[]) else {
            panic!("the first rebuild is a full build");
        };
        outcome
            .outputs
            .iter()
            .map(|o| {
                (
                    o.path.clone(),
                    String::from_utf8_lossy(&o.bytes).into_owned(),
                )
            })
            .collect()
    };
    let shown = outputs(Drafts::new(true, Some("2026-03-31")).unwrap());
    assert!(shown["measures/01-05/index.html"].contains("draft-banner"));
    assert!(shown["notice/index.html"].contains("draft-banner"));
    assert!(shown["measures/index.html"].contains(DRAFT_TITLE));

    let hidden = outputs(Drafts::new(false, Some("2026-03-31")).unwrap());
    assert!(!hidden.contains_key("measures/01-05/index.html"));
    assert!(!hidden.contains_key("notice/index.html"));
    assert!(!hidden["measures/index.html"].contains(DRAFT_TITLE));

    // The plain pipeline (check, and build without --drafts) leaves them out too.
    let mut diags = Default::default();
    let site = Pipeline::new(&root).site(&mut diags).unwrap();
    assert!(site.measures.iter().all(|m| m.id != "01-05"));
}

/// `keikaku serve` with `extra` flags: the body of `GET path`, or `None` for a 404.
fn served(root: &Path, extra: &[&str], path: &str) -> Option<String> {
    use std::io::{BufRead, BufReader, Read, Write};
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Kill(
        std::process::Command::new(env!("CARGO_BIN_EXE_keikaku"))
            .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
            .args(extra)
            .env("LANG", "ja_JP.UTF-8")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    // The first line is the URL, printed once the first build is done.
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.1 200").then(|| body.to_string())
}

#[test]
fn the_serve_command_shows_the_draft_with_its_banner_and_hides_it_with_no_drafts() {
    let (_tmp, root) = site();
    let page = served(&root, &[], "/measures/01-05/").expect("the draft is served");
    assert!(page.contains("class=\"draft-banner\""), "{page}");
    assert!(page.contains(DRAFT_TITLE));
    assert_eq!(served(&root, &["--no-drafts"], "/measures/01-05/"), None);
    let list = served(&root, &["--no-drafts"], "/measures/").unwrap();
    assert!(!list.contains(DRAFT_TITLE));
}

#[test]
fn serve_keeps_the_banner_on_a_quick_rebuild_and_rebuilds_all_when_a_draft_is_published() {
    let (_tmp, root) = site();
    // The quick path is that of a site in one language: a site of several (the example's
    // `languages:`) rebuilds every tree in full on each change…
    let config = root.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let one_language: String = text
        .lines()
        .filter(|l| !l.starts_with("languages:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(
        one_language, text,
        "the example's config.yaml has languages:"
    );
    std::fs::write(&config, one_language).unwrap();
    // …and of one plan: a site of several plans (the example's content/plans/) is rebuilt in
    // full too, since the quick path remakes one plan only.
    std::fs::remove_dir_all(root.join("content/plans")).unwrap();
    let config_text = std::fs::read_to_string(&config).unwrap();
    let one_plan: String = (config_text.lines())
        .filter(|l| !l.starts_with("current_plan:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&config, one_plan).unwrap();
    for entry in std::fs::read_dir(root.join("content/measures")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let own: String = (text.lines())
            .filter(|l| !l.starts_with("continues:"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, own).unwrap();
    }
    let mut rebuilder = Rebuilder::new(&root, Overrides::default())
        .with_drafts(Drafts::new(true, Some("2026-03-31")).unwrap());
    assert!(matches!(rebuilder.rebuild(&[]), Ok(Update::Full(_))));
    let file = root.join("content/measures/01-05.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace(DRAFT_TITLE, "テレワークの推進（案）")).unwrap();
    let changed = [PathBuf::from("content/measures/01-05.yaml")];
    let Ok(Update::Measures(outcome)) = rebuilder.rebuild(&changed) else {
        panic!("an edit to a draft that stays a draft takes the quick path");
    };
    let page = outcome
        .outputs
        .iter()
        .find(|o| o.path == "measures/01-05/index.html")
        .unwrap();
    let page = String::from_utf8_lossy(&page.bytes);
    assert!(page.contains("draft-banner") && page.contains("（案）"));

    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("draft: true\n", "")).unwrap();
    let Ok(Update::Full(outcome)) = rebuilder.rebuild(&changed) else {
        panic!("publishing a draft changes every list: a full rebuild");
    };
    let page = outcome
        .outputs
        .iter()
        .find(|o| o.path == "measures/01-05/index.html")
        .unwrap();
    assert!(!String::from_utf8_lossy(&page.bytes).contains("draft-banner"));
}
