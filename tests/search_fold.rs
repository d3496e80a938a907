//! The search folds kana, long vowels and width the same way on both sides: the index is cut
//! in Rust (`keikaku::render::search::fold`) and the query in the browser by
//! `themes/default/static/search.js`. This test runs the real search.js under Node over the
//! example site's real index, feeding it the same strings as the Rust side, and checks that a
//! folded or synonym query finds exactly the pages its canonical form finds.

use std::path::Path;
use std::process::Command;

use keikaku::diagnostics::Diagnostics;
use keikaku::render::search;

const HARNESS: &str = r#"
const fs = require('fs'), path = require('path'), vm = require('vm');
const dir = process.argv[2];
const input = JSON.parse(fs.readFileSync(path.join(dir, 'input.json'), 'utf8'));
globalThis.window = globalThis;
globalThis.document = {
  readyState: 'complete',
  querySelector: () => null,
  getElementById: () => null,
  createElement: () => ({}),
  head: { appendChild: (s) => vm.runInThisContext(fs.readFileSync(path.join(dir, s.src), 'utf8')) },
};
vm.runInThisContext(fs.readFileSync(path.join(dir, 'search.js'), 'utf8'));
const cfg = { docs: 'search/docs.js', shards: 'search/shard-' };
(async () => {
  const folded = input.fold.map((s) => window.keikakuSearch.normalize(s));
  const found = [];
  for (const q of input.queries) {
    const docs = await window.keikakuSearch.query(cfg, q);
    found.push((docs || []).map((d) => d[2]).sort());
  }
  process.stdout.write(JSON.stringify({ folded, found }));
})();
"#;

struct Js {
    folded: Vec<String>,
    found: Vec<Vec<String>>,
}

/// Runs search.js under Node over the index of `site`.
fn run_js(site: &keikaku::model::Site, fold: &[&str], queries: &[&str]) -> Js {
    let dir = tempfile::tempdir().unwrap();
    for o in search::build(site).outputs {
        let path = dir.path().join(&o.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &o.bytes).unwrap();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("themes/default/static/search.js"),
        dir.path().join("search.js"),
    )
    .unwrap();
    std::fs::write(dir.path().join("harness.js"), HARNESS).unwrap();
    let input = serde_json::json!({ "fold": fold, "queries": queries });
    std::fs::write(dir.path().join("input.json"), input.to_string()).unwrap();
    let out = Command::new("node")
        .arg(dir.path().join("harness.js"))
        .arg(dir.path())
        .output()
        .expect("node (Node.js) is needed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    Js {
        folded: strings(&v["folded"]),
        found: v["found"].as_array().unwrap().iter().map(strings).collect(),
    }
}

fn example_site() -> keikaku::model::Site {
    let mut diags = Diagnostics::default();
    keikaku::build::Pipeline::new(Path::new(env!("CARGO_MANIFEST_DIR")))
        .site(&mut diags)
        .unwrap_or_else(|| panic!("{diags:?}"))
}

const STRINGS: &[&str] = &[
    "マイナンバー",
    "まいなんばー",
    "ﾏｲﾅﾝﾊﾞｰ",
    "マイナンバ",
    "スマートフォン",
    "ドローン",
    "ヴァイオリン・ヶ月",
    "ＡＩとＲＰＡ",
    "０１－０３",
    "情報経営課",
    "サーバー　サーバ",
    "ｶﾞｲﾄﾞﾌﾞｯｸ",
];

#[test]
fn rust_and_javascript_fold_the_same_strings_the_same_way() {
    let js = run_js(&example_site(), STRINGS, &[]);
    let rust: Vec<String> = STRINGS.iter().map(|s| search::fold(s)).collect();
    assert_eq!(rust, js.folded);
    assert_eq!(search::fold("マイナンバー"), "まいなんば");
    assert_eq!(search::fold("ﾏｲﾅﾝﾊﾞｰ"), "まいなんば");
}

#[test]
fn folded_and_synonym_queries_find_what_the_canonical_form_finds() {
    let pairs = [
        ("マイナンバー", "まいなんばー"),
        ("マイナンバー", "ﾏｲﾅﾝﾊﾞｰ"),
        ("マイナンバー", "マイナンバ"),
        ("ドローン", "どろーん"),
        ("スマートフォン", "スマホ"),
        ("スマートフォン", "すまーとふぉん"),
        ("スマートフォン 講座", "スマホ 講座"),
    ];
    let queries: Vec<&str> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
    let js = run_js(&example_site(), &[], &queries);
    for (i, (canonical, variant)) in pairs.iter().enumerate() {
        let (a, b) = (&js.found[2 * i], &js.found[2 * i + 1]);
        assert!(!a.is_empty(), "「{canonical}」 finds nothing");
        assert_eq!(a, b, "「{canonical}」 and 「{variant}」");
    }
    let mynumber = &js.found[0];
    assert!(
        mynumber.contains(&"measures/02-02/".to_string()),
        "{mynumber:?}"
    );
    let smartphone = &js.found[8];
    assert!(
        smartphone.contains(&"measures/01-10/".to_string()),
        "{smartphone:?}"
    );
}

#[test]
fn the_site_adds_its_own_synonyms() {
    let mut site = example_site();
    let queries = ["イノシシ", "猪"];
    let before = run_js(&site, &[], &queries);
    assert!(before.found[1].is_empty(), "{:?}", before.found[1]);
    site.config.search_synonyms = vec![vec!["猪".into(), "イノシシ".into()]];
    let after = run_js(&site, &[], &queries);
    assert!(!after.found[0].is_empty());
    assert_eq!(after.found[0], after.found[1]);
}

#[test]
fn search_synonyms_are_read_from_config_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    for entry in walkdir::WalkDir::new(&fixture) {
        let entry = entry.unwrap();
        let dest = root.join(entry.path().strip_prefix(&fixture).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    let config = root.join("config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("search:\n  synonyms:\n    - [猪, イノシシ]\n    - [ひとつだけ]\n");
    std::fs::write(&config, text).unwrap();
    let mut diags = Diagnostics::default();
    let site = keikaku::build::Pipeline::new(&root)
        .site(&mut diags)
        .unwrap_or_else(|| panic!("{diags:?}"));
    // A group of one word finds nothing else and is left out.
    assert_eq!(
        site.config.search_synonyms,
        vec![vec!["猪".to_string(), "イノシシ".to_string()]]
    );
}
