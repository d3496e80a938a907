//! The KPI parts of the measure pages (the key message, the table, the chart, its description
//! and download link) in each language tree of the example site: in the English tree every
//! Japanese letter of those parts is content inside an element marked `lang="ja"`, the words
//! around it come from the English table (Met, FY2024, "at least …"), and the やさしい日本語
//! tree uses its own table.

mod common;

use std::path::Path;

use keikaku::build::Pipeline;
use keikaku::validate::Overrides;

fn is_japanese(c: char) -> bool {
    matches!(u32::from(c), 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

const VOID: &[&str] = &[
    "area", "br", "col", "hr", "img", "input", "link", "meta", "source", "use", "path", "rect",
    "circle",
];

/// `html` without the elements marked `lang="ja"` (and what they hold) and without tags and
/// attributes: the text a reader of the page's own language meets.
fn text_outside_japanese(html: &str) -> String {
    let mut out = String::new();
    // (tag name, whether it is inside an element marked Japanese)
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let hidden = stack.last().is_some_and(|(_, h)| *h);
        if !hidden {
            out.push_str(&rest[..open]);
        }
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c);
        let tag = &rest[open + 1..close];
        rest = &rest[(close + 1).min(rest.len())..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(i) = stack.iter().rposition(|(n, _)| *n == name) {
                stack.truncate(i);
            }
            continue;
        }
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        if VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        let marked = tag.contains("lang=\"ja\"");
        stack.push((name, hidden || marked));
    }
    out.push_str(rest);
    out
}

/// The parts of a measure page this test is about.
fn kpi_parts(page: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for (open, close) in [
        ("<section class=\"kpi\"", "</section>"),
        ("<figure class=\"chart\"", "</figure>"),
    ] {
        let mut from = 0;
        while let Some(at) = page[from..].find(open) {
            let start = from + at;
            let end = page[start..]
                .find(close)
                .map_or(page.len(), |e| start + e + close.len());
            parts.push(&page[start..end]);
            from = end;
        }
    }
    parts
}

fn build_in_three_languages() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let repo = common::repo_root();
    common::copy_tree(&repo.join("content"), &root.join("content"));
    let config = std::fs::read_to_string(repo.join("config.yaml")).unwrap();
    let config = match config.contains("\nlanguages:") {
        true => config,
        false => config + "\nlanguages: [ja, ja-easy, en]\n",
    };
    std::fs::write(root.join("config.yaml"), config).unwrap();
    let public = dir.path().join("public");
    Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .build(&public)
        .unwrap_or_else(|d| panic!("{d:?}"));
    (dir, public)
}

fn read(public: &Path, rel: &str) -> String {
    std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn kpi_parts_speak_the_language_of_their_tree() {
    let (_dir, public) = build_in_three_languages();
    let mut pages = 0;
    for entry in std::fs::read_dir(public.join("en/measures")).unwrap() {
        let page = entry.unwrap().path().join("index.html");
        if !page.is_file() {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(&page).unwrap();
        for part in kpi_parts(&html) {
            let text = text_outside_japanese(part);
            let left: String = text.chars().filter(|c| is_japanese(*c)).collect();
            assert!(
                left.is_empty(),
                "{}: Japanese outside lang=\"ja\": {left:?} in {text}",
                page.display()
            );
        }
    }
    assert!(pages > 10, "{pages} English measure pages");

    let en = read(&public, "en/measures/01-01/index.html");
    assert!(en.contains("FY2024"), "English years");
    assert!(en.contains(">Met<"), "English verdicts");
    assert!(en.contains("thousand yen"), "units from the units: table");
    let easy = read(&public, "easy/measures/01-01/index.html");
    assert!(easy.contains("れいわ6ねんど（2024ねんど）"), "easy years");
    assert!(
        easy.contains(">みたっせい<") || easy.contains(">たっせい<"),
        "easy verdicts"
    );
    let ja = read(&public, "measures/01-01/index.html");
    assert!(
        ja.contains("令和6年度") && ja.contains(">達成<"),
        "Japanese as always"
    );
    assert!(
        !ja.contains("<span lang=\"ja\">"),
        "nothing marked in the Japanese tree"
    );

    // The charts of the English tree say their language and mark what stays Japanese.
    let svg = read(&public, "en/measures/01-01/kpi-1.svg");
    assert!(svg.contains("xml:lang=\"en\""), "{svg}");
    assert!(svg.contains("Target (◆)"), "English legend");
    let ja_svg = read(&public, "measures/01-01/kpi-1.svg");
    assert!(
        !ja_svg.contains("xml:lang"),
        "the Japanese charts are as they were"
    );
}

#[test]
fn the_stripper_removes_marked_elements_only() {
    let html = "<p>In FY2024 <span lang=\"ja\">整備<b>完了</b></span> met <img alt=\"x\"></p>";
    assert_eq!(text_outside_japanese(html), "In FY2024  met ");
}
