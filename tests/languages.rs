//! The foundations of a site in several languages, end to end on a copy of the small fixture
//! site: furigana (`{木更津|きさらづ}`) rendered on the pages and only its word in plain-text
//! outputs, malformed furigana as located warnings that do not stop the build, and the
//! `languages:` and `readings:` settings of `config.yaml` with located errors.

mod common;

use std::path::Path;

use keikaku::build::Pipeline;
use keikaku::diagnostics::{Code, Diagnostic, Severity};
use keikaku::language::Language;
use keikaku::validate::Overrides;

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn append(root: &Path, rel: &str, more: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text + more).unwrap();
}

fn check(root: &Path) -> Vec<Diagnostic> {
    let diags = Pipeline::new(root)
        .with_overrides(Overrides::default())
        .check();
    diags.iter().cloned().collect()
}

/// (code, file, line, column) of each diagnostic of `code`.
fn located(diags: &[Diagnostic], code: Code) -> Vec<(String, usize, usize)> {
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let p = d.position.expect("located");
            (d.file.display().to_string(), p.line, p.column)
        })
        .collect()
}

#[test]
fn furigana_is_ruby_on_the_page_and_plain_in_the_search_index() {
    let (_dir, root) = common::site();
    append(
        &root,
        "content/pages/about.md",
        "\n{木更津|きさらづ}市の{計画|けい|かく}と、括弧そのもの \\{a|b}。\n",
    );
    edit(
        &root,
        "content/measures/01-01.yaml",
        "title: 電子地域通貨・行政ポイントを活用した地域経済の活性化",
        "title: \"{電子|でんし}地域通貨・行政ポイントを活用した地域経済の活性化\"",
    );
    let out = root.join("public");
    let built = Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .build(&out);
    assert!(built.is_ok(), "{:?}", built.err());
    let page = common::read(&out, "about/index.html");
    assert!(
        page.contains(
            "<ruby>木更津<rp>（</rp><rt>きさらづ</rt><rp>）</rp></ruby>市の<ruby>計<rp>（</rp><rt>けい</rt><rp>）</rp>画<rp>（</rp><rt>かく</rt><rp>）</rp></ruby>と、括弧そのもの {a|b}。"
        ),
        "{page}"
    );
    // A title with ruby is its words wherever the site writes it for now (until the
    // templates show ruby in titles): the page's <title>, the open data, the search index.
    let measure = common::read(&out, "measures/01-01/index.html");
    assert!(measure.contains("<title>01-01 電子地域通貨"), "{measure}");
    assert!(!measure.contains("でんし") && !measure.contains("{電子"));
    let csv = common::read(&out, "data/measures.csv");
    assert!(csv.contains(",電子地域通貨") && !csv.contains("でんし"));
    // The index holds two-character keys: those of the words, none of the readings.
    let index = common::read(&out, "search/shard-0.js");
    for key in ["更津", "津市", "画と"] {
        assert!(index.contains(&format!("\"{key}\"")), "{key} missing");
    }
    for key in ["きさ", "けい", "かく"] {
        assert!(!index.contains(&format!("\"{key}\"")), "{key} indexed");
    }
}

#[test]
fn malformed_furigana_is_a_located_warning() {
    let (_dir, root) = common::site();
    let measure = "content/measures/01-01.yaml";
    edit(
        &root,
        measure,
        "title: 電子地域通貨・行政ポイントを活用した地域経済の活性化",
        // A YAML value that starts with `{` must be quoted (else it is a mapping).
        "title: \"{電子|でんし|}地域通貨・行政ポイントを活用した地域経済の活性化\"",
    );
    append(
        &root,
        measure,
        "sections:\n  details: |\n    一行目です。\n    二行目に{木更津|き|さらづ}とあります。\n",
    );
    append(
        &root,
        "content/pages/about.md",
        "\n\n本文の{木更津|きさらづ\n",
    );
    let diags = check(&root);
    assert!(
        diags.iter().all(|d| d.severity == Severity::Warning),
        "{diags:?}"
    );
    let lines = std::fs::read_to_string(root.join(measure)).unwrap();
    let title_line = lines.lines().position(|l| l.starts_with("title:")).unwrap() + 1;
    let details_line = lines.lines().position(|l| l.contains("二行目")).unwrap() + 1;
    let about = std::fs::read_to_string(root.join("content/pages/about.md")).unwrap();
    let about_line = about.lines().position(|l| l.contains("本文の")).unwrap() + 1;
    let mut found = located(&diags, Code::RubyMalformed);
    found.sort();
    assert_eq!(
        found,
        [
            (measure.to_string(), title_line, 9),
            (measure.to_string(), details_line, 9),
            ("content/pages/about.md".to_string(), about_line, 4),
        ]
    );
    let messages: Vec<_> = diags
        .iter()
        .filter(|d| d.code == Code::RubyMalformed)
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("読みが空")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("語は3文字")),
        "{messages:?}"
    );
}

#[test]
fn languages_are_read_and_unknown_ones_are_located_errors() {
    let (_dir, root) = common::site();
    append(&root, "config.yaml", "languages: [ja, ja-easy, en]\n");
    let site = Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .site(&mut Default::default())
        .expect("the site loads");
    assert_eq!(
        site.config.languages,
        [
            Language::Japanese,
            Language::EasyJapanese,
            Language::English
        ]
    );

    let (_dir, root) = common::site();
    let lines = std::fs::read_to_string(root.join("config.yaml"))
        .unwrap()
        .lines()
        .count();
    append(
        &root,
        "config.yaml",
        "languages:\n  - ja\n  - fr\n  - en\n  - en\n",
    );
    let diags = check(&root);
    assert_eq!(
        located(&diags, Code::UnknownLanguage),
        [("config.yaml".to_string(), lines + 3, 5)]
    );
    assert_eq!(
        located(&diags, Code::LanguageList),
        [("config.yaml".to_string(), lines + 5, 5)]
    );

    let (_dir, root) = common::site();
    append(&root, "config.yaml", "languages: [en]\n");
    let diags = check(&root);
    assert!(diags
        .iter()
        .any(|d| d.code == Code::LanguageList && d.message.contains("ja")));
}

#[test]
fn readings_must_be_kana() {
    let (_dir, root) = common::site();
    append(
        &root,
        "config.yaml",
        "readings:\n  木更津: きさらづ\n  畑沢: ハタザワ\n",
    );
    let site = Pipeline::new(&root)
        .with_overrides(Overrides::default())
        .site(&mut Default::default())
        .expect("the site loads");
    assert_eq!(site.config.readings["木更津"], "きさらづ");
    assert_eq!(site.config.readings.len(), 2);

    let (_dir, root) = common::site();
    let lines = std::fs::read_to_string(root.join("config.yaml"))
        .unwrap()
        .lines()
        .count();
    append(
        &root,
        "config.yaml",
        "readings:\n  木更津: きさらづ\n  金田: kaneda\n  \"{畑沢}\": はたざわ\n",
    );
    let diags = check(&root);
    let mut found = located(&diags, Code::ReadingNotKana);
    found.sort();
    assert_eq!(
        found,
        [
            ("config.yaml".to_string(), lines + 3, 7),
            ("config.yaml".to_string(), lines + 4, 3),
        ]
    );
}
