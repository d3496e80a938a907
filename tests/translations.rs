//! Content translation files end to end, on a copy of tests/fixtures/translations (a small
//! site with `languages: [ja, ja-easy, en]`): what a translation gives appears in its tree,
//! the rest falls back to Japanese and is recorded as such, every problem of a translation
//! is located, a translation file is never read as an original, the Japanese tree is the same
//! with or without translation files, and the やさしい日本語 tree gets furigana from the
//! readings the content has.

mod common;

use std::path::{Path, PathBuf};

use keikaku::build::Pipeline;
use keikaku::diagnostics::{Code, Diagnostic, Severity};
use keikaku::language::Language;
use keikaku::model::Site;
use keikaku::validate::Overrides;

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&common::fixtures().join("translations"), &root);
    (dir, root)
}

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

fn check(root: &Path) -> Vec<Diagnostic> {
    Pipeline::new(root)
        .with_overrides(Overrides::default())
        .check()
        .iter()
        .cloned()
        .collect()
}

fn site(root: &Path) -> Site {
    Pipeline::new(root)
        .with_overrides(Overrides::default())
        .site(&mut Default::default())
        .expect("the site loads")
}

fn build(root: &Path) -> PathBuf {
    let out = root.join("public");
    let built = Pipeline::new(root)
        .with_overrides(Overrides::default())
        .build(&out);
    assert!(built.is_ok(), "{:?}", built.err());
    out
}

/// (file, line, column) of each diagnostic of `code`, in report order.
fn located(diags: &[Diagnostic], code: Code) -> Vec<(String, usize, usize)> {
    let mut found: Vec<_> = diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let p = d.position.unwrap_or_else(|| panic!("{d} has no position"));
            (d.file.display().to_string(), p.line, p.column)
        })
        .collect();
    found.sort();
    found
}

fn at(file: &str, line: usize, column: usize) -> (String, usize, usize) {
    (file.to_string(), line, column)
}

#[test]
fn translated_text_appears_in_its_tree_and_the_rest_falls_back_to_japanese() {
    let (_dir, root) = fixture();
    let out = build(&root);
    let page = common::read(&out, "en/measures/01-01/index.html");
    for english in [
        "Spreading the local currency",
        "More people need to use the",
        "Promotion campaign",
        "Monthly spending",
        "Test City plan progress",
    ] {
        assert!(page.contains(english), "{english} missing");
    }
    // The section the translation leaves out is the Japanese one.
    assert!(page.contains("の店で使える"), "{page}");
    let about = common::read(&out, "en/about/index.html");
    assert!(about.contains("<h1>About this site</h1>"));
    assert!(about.contains("This site publishes how the plan is going."));
    // The Japanese tree keeps its own texts.
    let japanese = common::read(&out, "measures/01-01/index.html");
    assert!(japanese.contains("地域通貨の普及") && !japanese.contains("Spreading"));

    // What is translated is recorded by its path; the rest is Japanese in the tree, for the
    // pages to mark it `lang="ja"` with the note.
    let site = site(&root);
    let en = keikaku::translate::localize(&site, Language::English, &site.translations);
    for path in [
        "plan.site_title",
        "plan.city",
        "config.contact",
        "plan.title",
        "plan.philosophy",
        "policy.1.title",
        "policy.1.summary",
        "department.情報政策課",
        "measure.01-01.title",
        "measure.01-01.section.current_state",
        "measure.01-01.task.0",
        "measure.01-01.kpi.1.indicator",
        "measure.02-01.title",
        "page.about.title",
        "page.about.body",
        "term.chiikitsuuka.term",
        "term.chiikitsuuka.explanation",
    ] {
        assert!(en.in_own_language(path), "{path} not translated");
    }
    for path in [
        "plan.revision",
        "policy.2.title",
        "department.産業振興課",
        "measure.01-01.section.details",
        "measure.01-01.kpi.1.notes",
        "measure.02-01.kpi.1.indicator",
    ] {
        assert!(!en.in_own_language(path), "{path} translated");
    }
    assert!(site.in_own_language("measure.01-01.section.details"));
    let m = en.measure("01-01").unwrap();
    assert!(m.sections.get("details").unwrap().contains("木更津の店"));
    assert!(m.kpis[0]
        .indicator
        .values()
        .all(|t| t == "Monthly spending"));
    // Figures stay the Japanese file's.
    assert_eq!(
        m.kpis[0].target.len(),
        site.measure("01-01").unwrap().kpis[0].target.len()
    );
    // Departments keep their Japanese names as keys; the tree names them.
    assert_eq!(
        en.measure("02-01").unwrap().lead_department.as_deref(),
        Some("情報政策課")
    );
    assert_eq!(
        en.department_name("情報政策課"),
        "Information Policy Division"
    );
    assert_eq!(en.department_name("産業振興課"), "産業振興課");
    assert_eq!(site.department_name("情報政策課"), "情報政策課");
    // A renamed term keeps its Japanese name as an alias, so Japanese texts still link it.
    let term = &en.glossary[0];
    assert_eq!(term.term, "local currency");
    assert_eq!(term.aliases, ["地域通貨"]);
    assert_eq!(
        en.config.contact.as_ref().unwrap().name,
        "Planning Division"
    );
    assert_eq!(en.plan.revision.as_deref(), Some("令和6年8月改訂"));
}

#[test]
fn a_translation_file_is_never_an_original() {
    let (_dir, root) = fixture();
    let diags = check(&root);
    assert!(
        !diags
            .iter()
            .any(|d| d.is_error() || d.code == Code::UnreadFile),
        "{diags:#?}"
    );
    let site = site(&root);
    let ids: Vec<&str> = site.measures.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["01-01", "02-01"]);
    let slugs: Vec<&str> = site.pages.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["about"]);
    let out = build(&root);
    assert!(!out.join("measures/01-01.en").exists());
    assert!(!out.join("en/measures/01-01.en").exists());
    assert!(!out.join("about.en").exists());
}

#[test]
fn the_japanese_tree_is_the_same_without_translation_files() {
    let (_dir, with) = fixture();
    let (_dir2, without) = fixture();
    for entry in walkdir::WalkDir::new(&without) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.file_type().is_file() && (name.contains(".en.") || name.contains(".easy.")) {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    let japanese = |out: &Path| {
        let mut tree = common::read_tree(out);
        tree.retain(|rel, _| !rel.starts_with("en/") && !rel.starts_with("easy/"));
        tree
    };
    let (a, b) = (japanese(&build(&with)), japanese(&build(&without)));
    assert!(a.len() > 20);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (rel, bytes) in &a {
        assert!(b[rel] == *bytes, "{rel} differs");
    }
    // And the English tree without them is all Japanese content.
    let out = without.join("public");
    assert!(common::read(&out, "en/measures/01-01/index.html").contains("地域通貨の普及"));
}

#[test]
fn an_original_changed_after_its_translation_is_a_located_warning() {
    let (_dir, root) = fixture();
    let diags = check(&root);
    let stale: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.code == Code::TranslationStale)
        .collect();
    assert_eq!(stale.len(), 1, "{diags:#?}");
    assert_eq!(stale[0].severity, Severity::Warning);
    assert_eq!(stale[0].location(), "content/measures/02-01.en.yaml:1:10");
    assert!(stale[0].message.contains("2024-09-01") && stale[0].message.contains("2024-05-01"));

    // A translation without `updated:` of an original with one.
    write(
        &root,
        "content/measures/02-01.en.yaml",
        "title: Online counters\n",
    );
    let diags = check(&root);
    assert_eq!(
        located(&diags, Code::TranslationStale),
        [at("content/measures/02-01.en.yaml", 1, 1)]
    );
    assert!(diags.iter().all(|d| !d.is_error()));
}

#[test]
fn every_problem_of_a_translation_is_located_in_one_run() {
    let (_dir, root) = fixture();
    write(
        &root,
        "content/measures/01-01.en.yaml",
        "updated: 2024-04-01
title: Spreading
policy: 2
sections:
  current_state: ok
  future_policy: x
schedule:
  - task: A
  - task: B
kpis:
  - indicator: Monthly
    target:
      R4: 1
  - indicator: Extra
titel: x
",
    );
    write(
        &root,
        "content/plan.en.yaml",
        "title: Test City DX Plan
revision: \"\"
period:
  start: R4
policies:
  - number: 9
    title: Nine
sections:
  - key: details
    heading: Details
departments:
  総務課: General Affairs
  情報政策課: Information Policy Division
",
    );
    write(
        &root,
        "content/glossary.en.yaml",
        "terms:
  - term: 電子通貨
    name: e-money
  - term: 地域通貨
    reading: ちいきつうか
",
    );
    write(
        &root,
        "content/pages/contact.en.md",
        "---\ntitle: Contact\n---\n",
    );
    write(&root, "content/measures/09-09.en.yaml", "title: Nine\n");
    let diags = check(&root);
    assert_eq!(
        located(&diags, Code::TranslationFixedField),
        [
            at("content/glossary.en.yaml", 5, 5),
            at("content/measures/01-01.en.yaml", 3, 1),
            at("content/measures/01-01.en.yaml", 12, 5),
            at("content/plan.en.yaml", 3, 1),
        ]
    );
    assert_eq!(
        located(&diags, Code::TranslationUnknown),
        [
            at("content/glossary.en.yaml", 2, 11),
            at("content/measures/01-01.en.yaml", 6, 3),
            at("content/measures/01-01.en.yaml", 7, 1),
            at("content/measures/01-01.en.yaml", 14, 5),
            at("content/measures/01-01.en.yaml", 15, 1),
            at("content/measures/09-09.en.yaml", 1, 1),
            at("content/pages/contact.en.md", 1, 1),
            at("content/plan.en.yaml", 6, 13),
            at("content/plan.en.yaml", 9, 5),
            at("content/plan.en.yaml", 12, 3),
        ]
    );
    assert_eq!(
        located(&diags, Code::TranslationBlank),
        [at("content/plan.en.yaml", 2, 11)]
    );
    let fixed = diags
        .iter()
        .find(|d| {
            d.code == Code::TranslationFixedField && d.field.as_deref() == Some("kpis[0].target")
        })
        .unwrap();
    assert!(
        fixed.message.contains("目標値（target）"),
        "{}",
        fixed.message
    );
    assert_eq!(
        fixed
            .hint
            .as_deref()
            .map(|h| h.starts_with("数値・年度・達成状況は日本語のファイルから使われます")),
        Some(true)
    );
    let misspelt = diags
        .iter()
        .find(|d| d.field.as_deref() == Some("titel"))
        .unwrap();
    assert!(misspelt
        .hint
        .as_deref()
        .unwrap()
        .contains("「title」ではありませんか"));
    let department = diags
        .iter()
        .find(|d| d.field.as_deref() == Some("departments.総務課"))
        .unwrap();
    assert!(department.message.contains("総務課"));

    // `keikaku check` reports them and fails.
    let (status, json) = common::check_json(&root);
    assert_eq!(status, 1);
    for id in ["E1304", "E1305", "E1306", "E1307"] {
        assert!(
            json.iter().any(|d| d["code"]["id"] == id),
            "{id} not reported"
        );
    }
}

#[test]
fn a_translation_of_a_language_the_site_does_not_publish_is_a_located_warning() {
    let (_dir, root) = fixture();
    let config = common::read(&root, "config.yaml").replace("[ja, ja-easy, en]", "[ja, en]");
    write(&root, "config.yaml", &config);
    let diags = check(&root);
    assert_eq!(
        located(&diags, Code::TranslationUnused),
        [
            at("content/measures/01-01.easy.yaml", 1, 1),
            at("content/pages/about.easy.md", 1, 1),
        ]
    );
    assert!(diags.iter().all(|d| !d.is_error()));
    let out = build(&root);
    assert!(!out.join("easy").exists());
}

#[test]
fn the_easy_tree_gets_furigana_from_the_readings_the_content_has() {
    let (_dir, root) = fixture();
    let out = build(&root);
    let easy = common::read(&out, "easy/measures/01-01/index.html");
    // Department readings (plan.yaml), the site's dictionary (config.yaml) and the
    // glossary's readings, in the translated text and in the Japanese text alike.
    for ruby in [
        "<ruby>産業振興課<rp>（</rp><rt>さんぎょうしんこうか</rt><rp>）</rp></ruby>",
        "<ruby>木更津<rp>（</rp><rt>きさらづ</rt><rp>）</rp></ruby>の店",
        "<rt>ちいきつうか</rt>",
    ] {
        assert!(easy.contains(ruby), "{ruby} missing: {easy}");
    }
    // Never in the Japanese tree.
    let japanese = common::read(&out, "measures/01-01/index.html");
    assert!(!japanese.contains("<ruby>"), "{japanese}");
    assert!(!common::read(&out, "about/index.html").contains("<ruby>"));
    // A page: the author's ruby and the dictionary's in the body; a title, which has no
    // place for furigana, shows its words only.
    let about = common::read(&out, "easy/about/index.html");
    assert!(
        about.contains("<h1>この サイトに ついて（木更津）</h1>"),
        "{about}"
    );
    assert!(
        about.contains(
            "<ruby>木更津<rp>（</rp><rt>きさらづ</rt><rp>）</rp></ruby>の <ruby>計画<rp>"
        ),
        "{about}"
    );
    assert!(!about.contains("{木更津"), "{about}");

    let site = site(&root);
    let tree = keikaku::translate::localize(&site, Language::EasyJapanese, &site.translations);
    let m = tree.measure("01-01").unwrap();
    // The author's ruby is kept as written; the title's words are plain.
    assert_eq!(m.title, "地域の お金を ひろげる");
    assert_eq!(
        m.title_ruby.as_deref(),
        Some("{地域|ちいき}の お{金|かね}を ひろげる")
    );
    assert_eq!(
        tree.measure("02-01").unwrap().title_ruby,
        None,
        "no reading known for any word of 窓口のオンライン化"
    );
    assert_eq!(
        tree.department_name_ruby("情報政策課"),
        Some("{情報政策課|じょうほうせいさくか}")
    );
    assert_eq!(site.department_name_ruby("情報政策課"), None);
    let en = keikaku::translate::localize(&site, Language::English, &site.translations);
    assert_eq!(en.department_name_ruby("情報政策課"), None);
    assert!(!en
        .measure("01-01")
        .unwrap()
        .sections
        .get("details")
        .unwrap()
        .contains("{"));
}

#[test]
fn the_other_plans_have_their_own_translation_files() {
    let (_dir, root) = fixture();
    let plan = common::read(&root, "content/plan.yaml");
    write(&root, "content/plan.yaml", &format!("id: dx-2022\n{plan}"));
    let old = root.join("content/plans/old/measures");
    std::fs::create_dir_all(&old).unwrap();
    write(
        &root,
        "content/plans/old/plan.yaml",
        "title: 旧計画\nstatus: ended\nperiod:\n  start: H30\n  end: H31\n",
    );
    write(
        &root,
        "content/plans/old/measures/1.yaml",
        "id: \"1\"\ntitle: 旧施策\nschedule:\n  - task: 準備\n",
    );
    write(&root, "content/plans/old/plan.en.yaml", "title: Old plan\n");
    write(
        &root,
        "content/plans/old/measures/1.en.yaml",
        "title: Old measure\nkpis:\n  - indicator: x\n",
    );
    let diags = check(&root);
    assert_eq!(
        located(&diags, Code::TranslationUnknown),
        [at("content/plans/old/measures/1.en.yaml", 3, 5)]
    );
    write(
        &root,
        "content/plans/old/measures/1.en.yaml",
        "title: Old measure\n",
    );
    let out = build(&root);
    let page = common::read(&out, "en/old/measures/1/index.html");
    assert!(
        page.contains("Old measure") && page.contains("Old plan"),
        "{page}"
    );
    // The home page's list of plans names the other plan as its tree does.
    assert!(common::read(&out, "en/index.html").contains("Old plan"));
    assert!(!common::read(&out, "index.html").contains("Old plan"));
    assert!(!common::read(&out, "old/measures/1/index.html").contains("Old measure"));
    let site = site(&root);
    let en = keikaku::translate::localize(&site, Language::English, &site.translations);
    assert!(en.translated.has("plan.old.title"));
    assert!(en.others[0].in_own_language("measure.1.title"));
    assert!(!en.others[0].in_own_language("measure.1.task.0"));
}

#[test]
fn a_translated_text_is_under_the_limits_of_the_originals() {
    let (_dir, root) = fixture();
    let config = common::read(&root, "config.yaml");
    write(
        &root,
        "config.yaml",
        &format!("{config}limits:\n  max_title_chars: 30\n"),
    );
    write(
        &root,
        "content/measures/02-01.en.yaml",
        &format!("updated: 2024-09-01\ntitle: {}\n", "x".repeat(31)),
    );
    write(
        &root,
        "content/pages/about.en.md",
        &format!("---\ntitle: {}\n---\nBody\n", "y".repeat(31)),
    );
    let diags = check(&root);
    assert_eq!(
        located(&diags, Code::TextTooLong),
        [
            at("content/measures/02-01.en.yaml", 2, 8),
            at("content/pages/about.en.md", 2, 8),
        ]
    );
}
