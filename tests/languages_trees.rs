//! The language trees of a site published in several languages (`languages: [ja, ja-easy,
//! en]`): every page of each tree says its language, names its siblings in the other trees
//! (`hreflang` alternates) and offers the switcher; robots.txt names every tree's sitemap; the
//! open data is written once, at the root; links in the content stay in their tree. A site in
//! Japanese only shows none of it.

mod common;
use common as support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use keikaku::cli::serve::rebuild::{Rebuilder, Update};
use keikaku::validate::Overrides;

const BASE: &str = "https://www.city.example.lg.jp/dx/";

/// (folder, `<html lang>`, `hreflang`, name in the switcher) of each tree, in the order of
/// `languages:`.
const TREES: [(&str, &str, &str, &str); 3] = [
    ("", "ja", "ja", "日本語"),
    ("easy/", "ja", "ja-x-easy", "やさしい にほんご"),
    ("en/", "en", "en", "English"),
];

/// The fixture site with every language, a page linking to a measure and to the open data.
fn three_trees() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = support::site();
    let config = root.join("config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}languages: [ja, ja-easy, en]\n")).unwrap();
    let about = root.join("content/pages/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(
        &about,
        format!(
            "{text}\n[施策01-01](/measures/01-01/)・[となりの施策](../measures/01-02/)・[データ](/data/measures.csv)\n"
        ),
    )
    .unwrap();
    (dir, root)
}

fn build(root: &Path) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let out = tempfile::tempdir().unwrap();
    let run = support::keikaku(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let files = support::read_tree(out.path());
    (out, files)
}

/// The tree a file of the output belongs to.
fn tree_of(path: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    *TREES
        .iter()
        .rev()
        .find(|(folder, ..)| path.starts_with(folder))
        .unwrap()
}

/// `link` (relative) read from the page at `page` (a file of the output), as an output path.
fn resolve(page: &str, link: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let path = link.split(['#', '?']).next().unwrap();
    for segment in path.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "" | "." => {}
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if path.is_empty() || path.ends_with('/') {
        match joined.is_empty() {
            true => "index.html".to_string(),
            false => format!("{joined}/index.html"),
        }
    } else {
        joined
    }
}

/// Every value of `attr="…"` in the element of `html` that starts with `start`.
fn element<'h>(html: &'h str, start: &str) -> Option<&'h str> {
    let i = html.find(start)?;
    let end = html[i..].find('>')? + i;
    Some(&html[i..=end])
}

fn attr<'h>(element: &'h str, name: &str) -> Option<&'h str> {
    let key = format!(" {name}=\"");
    let i = element.find(&key)? + key.len();
    let end = element[i..].find('"')? + i;
    Some(&element[i..end])
}

#[test]
fn every_page_of_every_tree_has_its_lang_its_alternates_and_a_switcher() {
    let (_dir, root) = three_trees();
    let (_out, files) = build(&root);
    let pages: Vec<&String> = files.keys().filter(|p| p.ends_with(".html")).collect();
    for (folder, ..) in TREES {
        assert!(
            files.contains_key(&format!("{folder}measures/01-01/index.html")),
            "the tree {folder:?} has the measure pages"
        );
    }
    for path in pages {
        let html = support::text(&files[path]);
        let (folder, lang, _, name) = tree_of(path);
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{path}: <html lang=\"{lang}\">"
        );
        // The switcher: every language in the order of `languages:`, each named in itself;
        // the page's own marked and not linked, the others linking to existing pages.
        let start = html
            .find("<nav class=\"language-switcher\"")
            .unwrap_or_else(|| panic!("{path}: a switcher"));
        let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
        let mut at = 0;
        for (_, other_lang, hreflang, other_name) in TREES {
            let found = nav[at..]
                .find(&format!(">{other_name}<"))
                .unwrap_or_else(|| panic!("{path}: {other_name} in order"));
            let tag_start = nav[..at + found].rfind('<').unwrap();
            let tag = &nav[tag_start..at + found + 1];
            assert_eq!(attr(tag, "lang"), Some(other_lang), "{path}: {tag}");
            if other_name == name {
                assert!(tag.starts_with("<span") && tag.contains("aria-current=\"true\""));
            } else {
                assert!(tag.starts_with("<a "), "{path}: {tag}");
                assert_eq!(attr(tag, "hreflang"), Some(hreflang), "{path}: {tag}");
                let href = attr(tag, "href").unwrap();
                if path != "404.html" {
                    let target = resolve(path, href);
                    assert!(files.contains_key(&target), "{path}: {href} → {target}");
                    let (target_folder, ..) = tree_of(&target);
                    assert_eq!(
                        target.strip_prefix(target_folder),
                        path.strip_prefix(folder)
                    );
                }
            }
            at += found + 1;
        }
        assert_eq!(nav.matches("aria-current").count(), 1, "{path}");
        // The alternates: the same page in each tree (itself included), then x-default.
        if path == "404.html" {
            assert!(!html.contains("hreflang=\"x-default\""), "{path}");
            continue;
        }
        let route = path
            .strip_prefix(folder)
            .unwrap()
            .trim_end_matches("index.html");
        for (other_folder, _, hreflang, _) in TREES {
            let link = format!(
                "<link rel=\"alternate\" hreflang=\"{hreflang}\" href=\"{BASE}{other_folder}{route}\">"
            );
            assert!(html.contains(&link), "{path}: {link}");
            assert!(files.contains_key(&format!("{other_folder}{route}index.html")));
        }
        let default =
            format!("<link rel=\"alternate\" hreflang=\"x-default\" href=\"{BASE}{route}\">");
        assert!(html.contains(&default), "{path}: {default}");
        let canonical = format!("<link rel=\"canonical\" href=\"{BASE}{folder}{route}\">");
        assert!(html.contains(&canonical), "{path}: {canonical}");
    }
    // The 404 page, served anywhere, links to each tree's home.
    let not_found = support::text(&files["404.html"]);
    assert!(not_found.contains("href=\"/dx/en/\" lang=\"en\" hreflang=\"en\""));
    assert!(not_found.contains("href=\"/dx/easy/\" lang=\"ja\" hreflang=\"ja-x-easy\""));
}

#[test]
fn each_tree_has_its_sitemap_and_search_and_the_open_data_is_written_once() {
    let (_dir, root) = three_trees();
    let (_out, files) = build(&root);
    let robots = support::text(&files["robots.txt"]);
    for (folder, ..) in TREES {
        assert!(
            robots.contains(&format!("Sitemap: {BASE}{folder}sitemap.xml\n")),
            "{robots}"
        );
        let sitemap = support::text(&files[&format!("{folder}sitemap.xml")]);
        let locs: Vec<&str> = sitemap
            .split("<loc>")
            .skip(1)
            .map(|l| &l[..l.find("</loc>").unwrap()])
            .collect();
        assert!(locs.contains(&format!("{BASE}{folder}measures/01-01/").as_str()));
        for loc in locs {
            let rest = loc.strip_prefix(BASE).unwrap();
            assert_eq!(tree_of(rest).0, folder, "{folder}sitemap.xml lists {loc}");
        }
        assert!(files.contains_key(&format!("{folder}search/docs.js")));
        assert!(files.contains_key(&format!("{folder}feed.xml")));
    }
    assert_eq!(robots.matches("Sitemap:").count(), 3);
    assert!(files.contains_key("data/measures.csv"));
    assert!(files.contains_key("data/datapackage.json"));
    for (folder, ..) in &TREES[1..] {
        let written: Vec<&String> = files
            .keys()
            .filter(|p| p.starts_with(&format!("{folder}data/")))
            .collect();
        assert_eq!(written, [&format!("{folder}data/index.html")], "{folder}");
    }
    // The English tree's search index and feed are in English.
    let docs = support::text(&files["en/search/docs.js"]);
    assert!(docs.contains("[\"Measure\",") && !docs.contains("[\"施策\","));
    let feed = support::text(&files["en/feed.xml"]);
    assert!(feed.contains("xml:lang=\"en\""), "{feed}");
    // Its search page carries the messages in English; search.js holds no words at all.
    let search = support::text(&files["en/search/index.html"]);
    assert!(search.contains("data-msg-none=\"Nothing matches"));
    let script = support::text(&files["assets/search.js"]);
    let japanese = |c: char| matches!(u32::from(c), 0x3040..=0x30FF | 0x4E00..=0x9FFF);
    let words: String = script
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .flat_map(str::chars)
        .filter(|c| japanese(*c))
        .collect();
    assert!(words.is_empty(), "search.js shows no Japanese: {words}");
}

#[test]
fn links_in_the_content_stay_in_their_tree_and_the_open_data_is_the_roots() {
    let (_dir, root) = three_trees();
    let (_out, files) = build(&root);
    for (folder, ..) in TREES {
        let page = format!("{folder}about/index.html");
        let html = support::text(&files[&page]);
        for (text, want) in [
            ("施策01-01", format!("{folder}measures/01-01/index.html")),
            ("となりの施策", format!("{folder}measures/01-02/index.html")),
            ("データ", "data/measures.csv".to_string()),
        ] {
            let end = html
                .find(&format!(">{text}</a>"))
                .unwrap_or_else(|| panic!("{page}: {text}"));
            let tag = &html[html[..end].rfind("<a ").unwrap()..=end];
            let href = attr(tag, "href").unwrap();
            assert_eq!(resolve(&page, href), want, "{page}: {tag}");
            assert!(files.contains_key(&want));
        }
    }
}

#[test]
fn a_broken_link_is_reported_once_whatever_the_number_of_trees() {
    let (_dir, root) = three_trees();
    let about = root.join("content/pages/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, format!("{text}\n[どこにもない](/nowhere/)\n")).unwrap();
    let (status, diags) = support::check_json(&root);
    assert_ne!(status, 0);
    let broken: Vec<_> = diags
        .iter()
        .filter(|d| d["code"]["id"] == "E1000")
        .collect();
    assert_eq!(broken.len(), 1, "{diags:?}");
}

#[test]
fn what_rendering_finds_is_reported_once_whatever_the_number_of_trees() {
    let (_dir, root) = three_trees();
    let glossary = root.join("content/glossary.yaml");
    let text = std::fs::read_to_string(&glossary).unwrap();
    std::fs::write(
        &glossary,
        format!("{text}  - term: ツカワレナイゴ\n    explanation: 使われない用語です。\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = support::keikaku(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert_eq!(all.matches("ツカワレナイゴ").count(), 1, "{all}");
}

#[test]
fn a_measure_edit_in_serve_updates_every_tree() {
    let (_dir, root) = three_trees();
    let mut rebuilder = Rebuilder::new(&root, Overrides::default());
    assert!(matches!(rebuilder.rebuild(&[]).unwrap(), Update::Full(_)));
    let m = "content/measures/01-02.yaml";
    let file = root.join(m);
    let text = std::fs::read_to_string(&file).unwrap();
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .trim_matches('"')
        .to_string();
    std::fs::write(&file, text.replacen(&title, &format!("{title}（改）"), 1)).unwrap();
    // The fast path knows one tree: a site of several languages takes the full run.
    let outputs = match rebuilder.rebuild(&[PathBuf::from(m)]).unwrap() {
        Update::Full(done) => done.outputs,
        Update::Measures(_) => panic!("the fast path does not apply to several languages"),
    };
    for (folder, ..) in TREES {
        let page = format!("{folder}measures/01-02/index.html");
        let o = outputs.iter().find(|o| o.path == page).unwrap();
        assert!(
            support::text(&o.bytes).contains(&format!("{title}（改）")),
            "{page}"
        );
    }
}

#[test]
fn a_site_in_japanese_only_has_no_switcher_and_no_alternates() {
    let (_dir, root) = support::site();
    let (_out, files) = build(&root);
    assert!(!files
        .keys()
        .any(|p| p.starts_with("en/") || p.starts_with("easy/")));
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = support::text(bytes);
        assert!(!html.contains("language-switcher"), "{path}");
        assert!(!html.contains("hreflang"), "{path}");
        assert!(html.contains("<html lang=\"ja\">"), "{path}");
    }
    let robots = support::text(&files["robots.txt"]);
    assert_eq!(robots.matches("Sitemap:").count(), 1, "{robots}");
}

#[test]
fn the_chrome_of_the_english_tree_is_in_english() {
    let (_dir, root) = three_trees();
    let (_out, files) = build(&root);
    let html = support::text(&files["en/measures/01-01/index.html"]);
    let head = element(&html, "<meta property=\"og:locale\"").unwrap();
    assert_eq!(attr(head, "content"), Some("en_US"));
    for words in [
        ">Skip to main content<",
        "aria-label=\"Site\"",
        "aria-label=\"You are here\"",
        "aria-label=\"Language\"",
        ">Home</a>",
        "Plan period: FY",
        "Data updated: <time",
    ] {
        assert!(html.contains(words), "{words}");
    }
    let japanese = support::text(&files["measures/01-01/index.html"]);
    assert!(japanese.contains("aria-label=\"言語\"") && japanese.contains(">ホーム</a>"));
}
