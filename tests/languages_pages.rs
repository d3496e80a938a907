//! The home, measure, measures, policy and departments pages in the English and やさしい日本語
//! trees (issue #23), on a copy of the small fixture site with `languages: [ja, ja-easy, en]`
//! and no translation files: every text of the content is then shown in Japanese, so each
//! must be marked `lang="ja"`, each Japanese block must carry the note in the page's language,
//! and every interface word must come from the tree's own table.

mod common;

use std::path::Path;

use keikaku::build::Pipeline;
use keikaku::interface::Ui;
use keikaku::language::Language;
use keikaku::validate::Overrides;

fn append(root: &Path, rel: &str, more: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text + more).unwrap();
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The fixture site in three languages, with a measure that has sections, a schedule, a
/// related department with a period, a title with furigana and a lifecycle, built into
/// `public/`.
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = common::site();
    append(&root, "config.yaml", "languages: [ja, ja-easy, en]\n");
    let measure = "content/measures/01-01.yaml";
    edit(
        &root,
        measure,
        "title: 電子地域通貨・行政ポイントを活用した地域経済の活性化",
        "title: \"{電子|でんし}地域通貨・行政ポイントを活用した地域経済の活性化\"",
    );
    edit(
        &root,
        measure,
        "related_departments:\n  - 市民活動支援課\n",
        "related_departments:\n  - name: 市民活動支援課\n    since: R5\n",
    );
    append(
        &root,
        measure,
        "lifecycle:\n  since: R5\n  note: 新規事業\nsections:\n  current_state: |\n    地域通貨の利用を広げる必要があります。\n\
         schedule:\n  - task: 利用促進事業\n    years: [R5, R6]\n",
    );
    let out = root.join("public");
    let built = Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .build(&out);
    assert!(built.is_ok(), "{:?}", built.err());
    (dir, out)
}

/// Kana, kanji and the full-width forms (the test of tests/interface_text.rs).
fn is_japanese(c: char) -> bool {
    matches!(u32::from(c),
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
            | 0x20000..=0x3134F)
}

/// Parts of a page that other parts of issue #23 put into the tables (the KPI tables and
/// sentences, charts, summaries, status words, the activity plans' view, base.html's notice
/// of an ended plan and draft banner): left out here, by class or by the section they head,
/// until those land. Everything else in `<main>` is this test's.
const ELSEWHERE: &[&str] = &[
    "role=\"note\"",
    "class=\"kpi",
    "class=\"chart",
    "class=\"summary",
    "class=\"status",
    "class=\"achievement",
    "class=\"latest__sentence",
    "class=\"blank-legend",
    "class=\"activity-",
    "aria-labelledby=\"activity",
    "aria-labelledby=\"achievement",
    "aria-labelledby=\"kpis",
];

/// Elements that never hold children.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The text of `<main>` outside every element marked `lang="ja"` (and outside [`ELSEWHERE`]),
/// one string per text run. A small parser for the HTML keikaku writes: comments, `script`
/// and `style` skipped, attribute values quoted (so never holding a raw `>`), `/>` closing
/// SVG's empty elements.
fn text_outside_japanese(html: &str) -> Vec<String> {
    let start = html.find("<main").expect("a <main>");
    let end = html.rfind("</main>").expect("a </main>");
    let html = &html[start..end];
    // (tag, whether it and what it holds are left out)
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut runs = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = &comment[comment.find("-->").map_or(comment.len(), |i| i + 3)..];
            continue;
        }
        if rest.starts_with('<') {
            let close = rest.find('>').expect("a tag ends");
            let tag = &rest[1..close];
            rest = &rest[close + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let name = name.trim().to_ascii_lowercase();
                if let Some(at) = open.iter().rposition(|(t, _)| *t == name) {
                    open.truncate(at);
                }
                continue;
            }
            let name: String = (tag.chars())
                .take_while(|c| !c.is_whitespace() && *c != '/')
                .collect::<String>()
                .to_ascii_lowercase();
            if name == "script" || name == "style" {
                let end = format!("</{name}>");
                rest = &rest[rest.find(&end).map_or(rest.len(), |i| i + end.len())..];
                continue;
            }
            if VOID.contains(&name.as_str()) || tag.ends_with('/') {
                continue;
            }
            let left_out =
                tag.contains(" lang=\"ja\"") || ELSEWHERE.iter().any(|a| tag.contains(a));
            open.push((name, left_out));
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..next];
        rest = &rest[next..];
        if !open.iter().any(|(_, left_out)| *left_out) && !text.trim().is_empty() {
            runs.push(text.trim().to_string());
        }
    }
    runs
}

#[test]
fn the_parser_leaves_out_what_is_marked_japanese() {
    let html =
        "<main><h1 lang=\"ja\">施策<b>名</b></h1><!-- 註 --><p>Lead <span lang=\"ja\">部</span> \
                department<br>x<svg><use href=\"#i\"/></svg></p><script>\"市\"</script></main>";
    assert_eq!(
        text_outside_japanese(html),
        ["Lead", "department", "x"],
        "{html}"
    );
}

#[test]
fn english_pages_have_no_japanese_outside_lang_ja() {
    let (_dir, out) = built();
    let en = out.join("en");
    let mut pages = vec![
        "index.html".to_string(),
        "measures/index.html".to_string(),
        "departments/index.html".to_string(),
        "policies/1/index.html".to_string(),
        "policies/2/index.html".to_string(),
    ];
    for entry in std::fs::read_dir(en.join("measures")).unwrap() {
        let entry = entry.unwrap();
        if entry.path().join("index.html").is_file() {
            let id = entry.file_name().to_string_lossy().into_owned();
            pages.push(format!("measures/{id}/index.html"));
        }
    }
    assert!(pages.len() > 7, "{pages:?}");
    for page in &pages {
        let html = common::read(&en, page);
        let japanese: Vec<String> = text_outside_japanese(&html)
            .into_iter()
            .filter(|t| t.chars().any(is_japanese))
            .collect();
        assert!(japanese.is_empty(), "en/{page}: {japanese:?}");
    }
}

#[test]
fn english_pages_use_the_english_table_and_mark_the_content() {
    let (_dir, out) = built();
    let home = common::read(&out, "en/index.html");
    assert!(
        home.contains("<h2 id=\"policies\">Basic policies and measures</h2>"),
        "{home}"
    );
    assert!(home.contains("The plan runs FY2022 to FY2025."), "{home}");
    // The site's title is the h1, in Japanese: the note follows it.
    assert!(
        home.contains("<h1 lang=\"ja\">木更津市DX推進計画 進捗状況</h1>\n<p class=\"ja-only__note\">This part is in Japanese only</p>"),
        "{home}"
    );
    assert!(
        home.contains("Policy 1: <span lang=\"ja\">地域のDX</span>"),
        "{home}"
    );
    // The philosophy and each policy's summary are Japanese blocks, with the note.
    let note = "<div class=\"ja-only\"><p class=\"ja-only__note\">This part is in Japanese only</p><div lang=\"ja\">";
    assert!(home.contains(&format!("{note}<p>デジタル技術で")), "{home}");
    assert!(
        home.contains(&format!("{note}<p>地域の産業や暮らし")),
        "{home}"
    );

    let measure = common::read(&out, "en/measures/01-01/index.html");
    assert!(measure.contains("<dt>Lead department</dt>"), "{measure}");
    assert!(
        measure.contains(">Current state and issues</h2>"),
        "{measure}"
    );
    assert!(
        measure.contains(&format!("{note}<p>地域通貨の利用")),
        "{measure}"
    );
    assert!(measure.contains(" (from FY2023)"), "{measure}");
    assert!(measure.contains("carried out from FY2023"), "{measure}");
    // No furigana outside the やさしい日本語 tree.
    assert!(!measure.contains("でんし"), "{measure}");

    let departments = common::read(&out, "en/departments/index.html");
    assert!(departments.contains("<h2 id=\""), "{departments}");
    assert!(
        departments.contains(" lang=\"ja\">産業振興課</h2>"),
        "{departments}"
    );
    assert!(departments.contains("<h3>Measures in its charge as the lead department</h3>"));
}

#[test]
fn easy_pages_use_the_easy_table_and_show_furigana_in_titles() {
    let (_dir, out) = built();
    let table = Ui::default_for(Language::EasyJapanese);
    let easy = |key: &str| table.html(key);
    let home = common::read(&out, "easy/index.html");
    assert!(home.contains(&easy("home.policies_heading")), "{home}");
    assert!(home.contains("ここは ふつうの にほんごだけです"), "{home}");
    let measure = common::read(&out, "easy/measures/01-01/index.html");
    assert!(measure.contains(&easy("measure.id")), "{measure}");
    // The title with furigana: ruby in the heading and the cards, its words in <title>.
    assert!(
        measure.contains(
            "<h1 lang=\"ja\"><ruby>電子<rp>（</rp><rt>でんし</rt><rp>）</rp></ruby>地域通貨"
        ),
        "{measure}"
    );
    assert!(measure.contains("<title>01-01 電子地域通貨"), "{measure}");
    let policy = common::read(&out, "easy/policies/1/index.html");
    assert!(
        policy.contains("<ruby>電子<rp>（</rp><rt>でんし</rt>"),
        "{policy}"
    );
    // The Japanese tree has neither the note nor the furigana.
    let japanese = common::read(&out, "measures/01-01/index.html");
    assert!(!japanese.contains("ja-only") && !japanese.contains("でんし"));
}

/// The example site (two plans, one ended) in three languages, its listings in pages of 10.
fn example_built() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("site");
    let repo = common::repo_root();
    common::copy_tree(&repo.join("content"), &root.join("content"));
    for config in ["config.yaml", "config.en.yaml", "config.easy.yaml"] {
        std::fs::copy(repo.join(config), root.join(config)).unwrap();
    }
    // The example has its three languages already (`languages:` in config.yaml).
    append(&root, "config.yaml", "page_size: 10\n");
    let out = root.join("public");
    let built = Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .build(&out);
    assert!(built.is_ok(), "{:?}", built.err());
    (dir, out)
}

#[test]
fn paged_listings_and_an_ended_plan_speak_the_page_language() {
    let (_dir, out) = example_built();
    let page = common::read(&out, "en/measures/page_2/index.html");
    assert!(
        page.contains("<title>All measures (page 2 of 4) | "),
        "{page}"
    );
    assert!(page.contains("11–20 of 31 (page 2 of 4)"), "{page}");
    assert!(page.contains("rel=\"prev\">Previous page</a>"), "{page}");
    assert!(
        page.contains("aria-label=\"Pages of all measures\""),
        "{page}"
    );
    let easy = common::read(&out, "easy/measures/page_2/index.html");
    assert!(easy.contains("まえの ページ"), "{easy}");
    for page in [
        "en/measures/page_2/index.html",
        "en/departments/page_2/index.html",
        "en/ict-2018/index.html",
        "en/ict-2018/measures/8/index.html",
        "en/measures/03-01/index.html",
    ] {
        let html = common::read(&out, page);
        let japanese: Vec<String> = text_outside_japanese(&html)
            .into_iter()
            .filter(|t| t.chars().any(is_japanese))
            .collect();
        assert!(japanese.is_empty(), "{page}: {japanese:?}");
    }
    let ended = common::read(&out, "en/ict-2018/index.html");
    assert!(
        ended.contains("This plan has reached the end of its period (FY2018 to FY2019). "),
        "{ended}"
    );
    // The lineage names the other plan's measure by its English title (the example has
    // content/plans/ict-2018/measures/8.en.yaml), and the other plan by its English name.
    let measure = common::read(&out, "en/measures/03-01/index.html");
    assert!(
        measure.contains("This measure continues <a href=\"../../../en/ict-2018/measures/8/\">&quot;8 Extending electronic approval&quot; of Kisarazu City Regional ICT Promotion Plan</a>"),
        "{measure}"
    );
    // The Japanese tree keeps its words.
    let japanese = common::read(&out, "measures/page_2/index.html");
    assert!(
        japanese.contains("全31件のうち 11〜20件目（2/4ページ）"),
        "{japanese}"
    );
}
