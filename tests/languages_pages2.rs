//! The glossary, narrative, data, search and activity-plan pages in the language trees, on a
//! small fixture published as `languages: [ja, ja-easy, en]` with no translation yet: every
//! word of the interface in the page's language, every Japanese text of the content inside an
//! element marked `lang="ja"`, the activity plans (never translated) marked with one note per
//! page, and the Data Package naming every table and column in English.

mod common;

use std::path::{Path, PathBuf};

use common::copy_tree;
use keikaku::build::Pipeline;
use keikaku::validate::Overrides;

const GLOSSARY: &str = "terms:
  - term: ICT
    reading: あいしーてぃー
    explanation: 情報通信技術のことです。
  - term: 電子申請
    reading: でんししんせい
    explanation: インターネットで手続きをすることです。
";

const PAGE: &str = "---
title: このサイトについて
order: 90
---

このサイトは、ICT を使った電子申請の取組をお知らせします。
";

/// The activity fixture (two measures, their plans for 令和4年度) with a glossary and a page,
/// published in three languages, built into a temporary folder.
fn build() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&common::fixtures().join("activity_site"), &root);
    let config = root.join("config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("languages: [ja, ja-easy, en]\n");
    std::fs::write(&config, text).unwrap();
    std::fs::write(root.join("content/glossary.yaml"), GLOSSARY).unwrap();
    std::fs::create_dir_all(root.join("content/pages")).unwrap();
    std::fs::write(root.join("content/pages/about.md"), PAGE).unwrap();
    let out = dir.path().join("public");
    Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .build(&out)
        .unwrap_or_else(|d| panic!("the fixture builds: {d:?}"));
    (dir, out)
}

fn read(out: &Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// Kana and kanji (the letters; punctuation such as 「」 or a decorative － is not a word).
fn is_japanese_letter(c: char) -> bool {
    matches!(u32::from(c),
        0x3005..=0x3007 | 0x3041..=0x30FA | 0x30FC..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0x20000..=0x3134F)
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The text of the page's `<main>` (its content, not the chrome around it) outside every
/// element marked `lang="ja"` and outside scripts, with the values of `aria-label`
/// attributes: what a reader of the English tree meets in English.
fn outside_japanese(html: &str) -> String {
    let start = html.find("<main").expect("a main element");
    let end = html.rfind("</main>").expect("the end of main");
    let html = &html[start..end];
    // (tag name, whether it or an ancestor is Japanese or a script)
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut seen = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let hidden = stack.last().is_some_and(|(_, h)| *h);
        if !hidden {
            seen.push_str(&rest[..open]);
        }
        let close = rest[open..].find('>').expect("a tag ends") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(at) = stack.iter().rposition(|(n, _)| *n == name) {
                stack.truncate(at);
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let ja = tag.contains("lang=\"ja\"") || name == "script";
        if !hidden && !ja {
            if let Some(label) = tag.split("aria-label=\"").nth(1) {
                seen.push_str(label.split('"').next().unwrap_or_default());
                seen.push(' ');
            }
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with('/') && !name.is_empty() {
            stack.push((name, hidden || ja));
        }
    }
    seen
}

/// The pages this test covers, in the English tree.
const ENGLISH_PAGES: &[&str] = &[
    "en/glossary/index.html",
    "en/about/index.html",
    "en/data/index.html",
    "en/search/index.html",
    "en/activity/index.html",
    "en/activity/R4/index.html",
    "en/activity/R4/A-01/index.html",
    "en/activity/R4/B-01/index.html",
];

#[test]
fn english_pages_keep_every_japanese_letter_inside_lang_ja() {
    let (_dir, out) = build();
    for page in ENGLISH_PAGES {
        let html = read(&out, page);
        let seen = outside_japanese(&html);
        let japanese: String = seen.chars().filter(|c| is_japanese_letter(*c)).collect();
        assert!(
            japanese.is_empty(),
            "{page}: Japanese outside lang=\"ja\": {japanese}\n{seen}"
        );
    }
    // The check sees Japanese where there is some: the Japanese tree's page is full of it.
    let japanese_page = outside_japanese(&read(&out, "glossary/index.html"));
    assert!(japanese_page.chars().any(is_japanese_letter));
    // The interface is English, not only free of Japanese.
    let glossary = read(&out, "en/glossary/index.html");
    assert!(glossary.contains("<h1>Glossary</h1>"), "{glossary}");
    assert!(glossary.contains("Terms in Japanese only"), "{glossary}");
    let search = read(&out, "en/search/index.html");
    assert!(search.contains("<h1>Search this site</h1>"), "{search}");
    let year = read(&out, "en/activity/R4/index.html");
    assert!(year.contains("FY2022 annual action plans"), "{year}");
}

#[test]
fn the_japanese_pages_have_no_marks_and_no_notes() {
    let (_dir, out) = build();
    let plan = read(&out, "activity/R4/A-01/index.html");
    let main = &plan[plan.find("<main").unwrap()..plan.rfind("</main>").unwrap()];
    assert!(!main.contains("lang="), "{plan}");
    assert!(!plan.contains("日本語のみ"), "{plan}");
    assert!(plan.contains("<h2 id=\"goal\">到達目標</h2>"), "{plan}");
    let about = read(&out, "about/index.html");
    assert!(!about.contains("ja-only"), "{about}");
}

#[test]
fn activity_pages_mark_their_content_japanese_with_one_note() {
    let (_dir, out) = build();
    let note = "The contents of the annual action plans are in Japanese only.";
    for page in [
        "en/activity/R4/index.html",
        "en/activity/R4/A-01/index.html",
    ] {
        let html = read(&out, page);
        assert_eq!(html.matches(note).count(), 1, "{page}: one note\n{html}");
    }
    let plan = read(&out, "en/activity/R4/A-01/index.html");
    assert!(
        plan.contains("<div class=\"prose\" lang=\"ja\"><p>架空の到達目標です。</p>"),
        "the goal is marked Japanese: {plan}"
    );
    assert!(plan.contains("<span lang=\"ja\">周知</span>"), "{plan}");
    assert!(
        plan.contains("<h2 id=\"goal\">Goal for the year</h2>"),
        "{plan}"
    );
    // The statuses are interface words: English, unmarked.
    assert!(plan.contains("On schedule"), "{plan}");
    // やさしい日本語 has its own note, in its own words.
    let easy = read(&out, "easy/activity/R4/A-01/index.html");
    assert_eq!(
        easy.matches("1ねんの けいかくは ふつうの にほんごだけです。")
            .count(),
        1,
        "{easy}"
    );
}

#[test]
fn an_untranslated_page_body_is_marked_with_the_note() {
    let (_dir, out) = build();
    let about = read(&out, "en/about/index.html");
    assert!(
        about.contains(
            "<p class=\"ja-only__note\">This part is in Japanese only</p><div lang=\"ja\">"
        ),
        "{about}"
    );
    assert!(
        about.contains("<h1 lang=\"ja\">このサイトについて</h1>"),
        "{about}"
    );
}

#[test]
fn the_english_data_page_links_the_root_files_and_names_columns_in_english() {
    let (_dir, out) = build();
    let data = read(&out, "en/data/index.html");
    assert!(data.contains("href=\"../../data/measures.csv\""), "{data}");
    assert!(
        data.contains("href=\"../../data/datapackage.json\""),
        "{data}"
    );
    assert!(data.contains("<td>Measure title</td>"), "{data}");
    assert!(
        data.contains("<a href=\"#table-measures\">Measures</a>"),
        "{data}"
    );
    // The Japanese tree's page links the files beside it, as before.
    let japanese = read(&out, "data/index.html");
    assert!(japanese.contains("href=\"measures.csv\""), "{japanese}");
}

#[test]
fn the_data_package_has_an_english_title_for_every_resource_and_field() {
    let (_dir, out) = build();
    let package: serde_json::Value =
        serde_json::from_str(&read(&out, "data/datapackage.json")).unwrap();
    let resources = package["resources"].as_array().expect("resources");
    assert!(!resources.is_empty());
    let english = |v: &serde_json::Value| {
        v["title_translated"]["en"]
            .as_str()
            .is_some_and(|t| !t.is_empty() && !t.chars().any(is_japanese_letter))
    };
    for r in resources {
        assert!(english(r), "{}", r["name"]);
        // Frictionless `description` stays Japanese.
        assert!(
            r["description"]
                .as_str()
                .is_some_and(|d| d.chars().any(is_japanese_letter)),
            "{}",
            r["name"]
        );
        for f in r["schema"]["fields"].as_array().into_iter().flatten() {
            assert!(english(f), "{} {}", r["name"], f["name"]);
        }
    }
}

#[test]
fn the_catalogue_names_every_dataset_in_english_too() {
    let (_dir, out) = build();
    let catalog: serde_json::Value =
        serde_json::from_str(&read(&out, "data/catalog.jsonld")).unwrap();
    let datasets = catalog["@graph"][0]["dcat:dataset"]
        .as_array()
        .expect("datasets");
    assert!(datasets.len() > 2);
    for d in datasets {
        assert_eq!(d["dct:title"]["@language"], "ja", "{d}");
        let english = &d["dct:alternative"];
        assert_eq!(english["@language"], "en", "{d}");
        let text = english["@value"].as_str().unwrap_or_default();
        assert!(
            !text.is_empty() && !text.chars().any(is_japanese_letter),
            "{d}"
        );
    }
}

#[test]
fn translated_texts_are_shown_unmarked_and_the_rest_marked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    Pipeline::new(common::fixtures().join("translations"))
        .with_overrides(Overrides::default())
        .build(&out)
        .unwrap_or_else(|d| panic!("the translations fixture builds: {d:?}"));
    for page in [
        "en/glossary/index.html",
        "en/about/index.html",
        "en/data/index.html",
        "en/search/index.html",
    ] {
        let html = read(&out, page);
        let seen = outside_japanese(&html);
        let japanese: String = seen.chars().filter(|c| is_japanese_letter(*c)).collect();
        assert!(japanese.is_empty(), "{page}: {japanese}\n{seen}");
    }
    let glossary = read(&out, "en/glossary/index.html");
    assert!(
        glossary.contains("<h3 id=\"chiikitsuuka\">local currency</h3>"),
        "{glossary}"
    );
    assert!(
        glossary.contains("Also called: <span lang=\"ja\">地域通貨</span>"),
        "{glossary}"
    );
    let about = read(&out, "en/about/index.html");
    assert!(about.contains("<h1>About this site</h1>"), "{about}");
    assert!(
        !about.contains("ja-only"),
        "a translated body has no note: {about}"
    );
    let search = read(&out, "en/search/index.html");
    assert!(
        search.contains(">Information Policy Division</h3>"),
        "{search}"
    );
}
