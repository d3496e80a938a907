//! Internal links and images in the site's Markdown (pages, measure sections, the plan's
//! philosophy and policy summaries, glossary explanations, activity plans), resolved against
//! the files the renderer actually wrote: a link to a page the site does not have
//! (`/measurs/`) is an error at its line, with the nearest page or file the site does have.
//!
//! The renderer is the one that knows which pages exist (routes come from `crate::url`, the
//! page list from `crate::render`); rather than deriving that list a second time, the check
//! runs after rendering, over the paths handed to the output ([`Recorder`]). A root-relative
//! link (`/measures/01-01/`) is the site's path, whatever `base_url`'s sub-path is (the
//! renderer rewrites it relative to each page); a relative one is resolved from the page the
//! text is shown on, for the texts that have one page (pages and measures).
//!
//! A clean site pays one scan of its texts for `](`; the Markdown is parsed only where that
//! finds a link, and a source file is read again only to locate a link that is broken.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::load::{GLOSSARY_FILE, PLAN_FILE};
use crate::markdown::{is_allowed_url, root_relative};
use crate::model::Site;
use crate::output::{Output, Sink, StreamWriter, WriteError};
use crate::url::Route;

/// A [`Sink`] that passes every file on and remembers its path: the site's pages and files as
/// the renderer produced them.
pub(crate) struct Recorder<'s> {
    inner: &'s dyn Sink,
    paths: Mutex<BTreeSet<String>>,
}

impl<'s> Recorder<'s> {
    pub(crate) fn new(inner: &'s dyn Sink) -> Recorder<'s> {
        Recorder {
            inner,
            paths: Mutex::new(BTreeSet::new()),
        }
    }

    /// Every path written, relative to the site (`measures/01-01/index.html`).
    pub(crate) fn into_paths(self) -> BTreeSet<String> {
        self.paths.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn record(&self, path: &str) {
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.insert(path.to_string());
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, output: Output) -> Result<(), WriteError> {
        self.record(&output.path);
        self.inner.put(output)
    }

    fn stream<'a>(&'a self, path: &str) -> Result<Box<dyn StreamWriter + 'a>, WriteError> {
        self.record(path);
        self.inner.stream(path)
    }
}

/// One Markdown text of the site: the file it is written in, the field (where it is one
/// field of a YAML file), and the route of the one page it is shown on, if it has one.
struct Text<'a> {
    file: &'a Path,
    field: Option<String>,
    page: Option<Route>,
    markdown: &'a str,
    /// What a translation names it (see [`crate::model::Translated`]); `None` for the texts
    /// no translation gives (the activity plans).
    translation: Option<String>,
}

/// Reports every internal link and image of `site`'s texts that names no file in `paths`.
/// `root` is the site folder (to quote the line of a broken link), `base_url` the site's.
pub(crate) fn check_links(
    site: &Site,
    root: &Path,
    paths: &BTreeSet<String>,
    held: &Held,
    diags: &mut Diagnostics,
) {
    let base_path = crate::url::base_path(&site.config.base_url);
    let plans: Vec<&str> = (site.plan_list.iter())
        .map(|p| p.prefix.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    let japanese = Tree {
        folder: "",
        plans: &plans,
    };
    check_texts(texts(site), &japanese, root, paths, held, &base_path, diags);
    // A language tree shows the Japanese texts where no translation gave one: their links
    // were checked above, once. What is left are the translations' own texts, whose links
    // lead into the tree (`/measures/01-01/` is `en/measures/01-01/` there).
    for &language in (site.config.languages.iter()).filter(|l| **l != site.language) {
        let tree = crate::translate::localize(site, language, &site.translations);
        if tree.translated.is_empty() {
            continue;
        }
        let own: Vec<Text> = texts(&tree)
            .into_iter()
            .filter(|t| (t.translation.as_deref()).is_some_and(|p| tree.translated.has(p)))
            .collect();
        let folder = Tree {
            folder: language.url_prefix(),
            plans: &plans,
        };
        check_texts(own, &folder, root, paths, held, &base_path, diags);
    }
}

/// The tree a text is shown in: its folder (`en/`, nothing for the Japanese tree) and the
/// folders of the site's other plans.
struct Tree<'p> {
    folder: &'p str,
    plans: &'p [&'p str],
}

impl Tree<'_> {
    /// Where the site path `path` of a link (from the tree's root) is in the output: in the
    /// tree, but for the files only the Japanese tree writes (the open data, the theme's).
    fn output_path(&self, path: &str) -> String {
        match self.folder.is_empty() || crate::url::is_root_only(path, self.plans) {
            true => path.to_string(),
            false => format!("{}{path}", self.folder),
        }
    }
}

/// [`check_links`] for `texts` shown in `tree`.
fn check_texts(
    texts: Vec<Text>,
    tree: &Tree,
    root: &Path,
    paths: &BTreeSet<String>,
    held: &Held,
    base_path: &str,
    diags: &mut Diagnostics,
) {
    let mut broken: Vec<(Text, Vec<String>)> = Vec::new();
    for text in texts {
        if !text.markdown.contains("](") && !text.markdown.contains("]:") {
            continue;
        }
        let dests: Vec<String> = destinations(text.markdown)
            .into_iter()
            .filter(|dest| {
                target(dest, text.page.as_ref())
                    .is_some_and(|path| !exists(&tree.output_path(&path), paths))
            })
            .collect();
        if !dests.is_empty() {
            broken.push((text, dests));
        }
    }
    if broken.is_empty() {
        return;
    }
    let candidates = candidates(paths);
    for (text, dests) in broken {
        let source = read_text(&root.join(text.file));
        let mut reported = BTreeSet::new();
        for dest in dests {
            if !reported.insert(dest.clone()) {
                continue;
            }
            let Some(path) = target(&dest, text.page.as_ref()) else {
                continue;
            };
            let hint = hint(&tree.output_path(&path), base_path, paths, &candidates);
            let positions = source
                .as_deref()
                .map_or_else(Vec::new, |s| locate(s, &dest));
            let positions = if positions.is_empty() {
                vec![None]
            } else {
                positions.into_iter().map(Some).collect()
            };
            let draft = held_at(&path, held);
            for position in positions {
                let mut d = match draft {
                    Some(what) => Diagnostic::warning(
                        Code::LinkToDraft,
                        text.file.to_path_buf(),
                        format!("{what}（{dest}）は下書きか公開前のため、公開するサイトにはありません。このリンクは公開後まで切れています"),
                    )
                    .at(position)
                    .hint("リンクを外すか、リンク先の draft: / publish_date: を見直してください"),
                    None => Diagnostic::error(
                        Code::BrokenLink,
                        text.file.to_path_buf(),
                        format!(
                            "リンク先「{dest}」のページ・ファイルはこのサイトにありません（broken link）"
                        ),
                    )
                    .at(position)
                    .hint(hint.clone()),
                };
                if let Some(field) = &text.field {
                    d = d.field(field.clone());
                }
                if let Some(s) = &source {
                    d = d.with_source(s.as_str().into());
                }
                diags.push(d);
            }
        }
    }
}

/// Whether a measure's texts may hold a link (`](`), which only a full run can check: `serve`
/// takes its fast path for measures without.
pub(crate) fn has_links(measure: &crate::model::Measure) -> bool {
    (measure.sections.texts()).any(|t| t.contains("](") || t.contains("]:"))
}

/// The texts of the site that are Markdown, with where they come from.
fn texts(site: &Site) -> Vec<Text<'_>> {
    let mut out = Vec::new();
    for page in &site.pages {
        out.push(Text {
            file: &page.source,
            field: None,
            page: Some(Route::page(&page.slug)),
            markdown: &page.body,
            translation: Some(format!("page.{}.body", page.slug)),
        });
    }
    for m in &site.measures {
        for (name, markdown) in m.sections.iter() {
            out.push(Text {
                file: &m.source,
                field: Some(format!("sections.{name}")),
                page: Some(Route::measure(&m.id)),
                markdown,
                translation: Some(format!("measure.{}.section.{name}", m.id)),
            });
        }
    }
    let plan = Path::new(PLAN_FILE);
    if let Some(philosophy) = &site.plan.philosophy {
        out.push(Text {
            file: plan,
            field: Some("philosophy".to_string()),
            page: None,
            markdown: philosophy,
            translation: Some("plan.philosophy".to_string()),
        });
    }
    for p in &site.plan.policies {
        out.push(Text {
            file: plan,
            field: None,
            page: None,
            markdown: &p.summary,
            translation: Some(format!("policy.{}.summary", p.number)),
        });
    }
    for t in &site.glossary {
        out.push(Text {
            file: Path::new(GLOSSARY_FILE),
            field: None,
            page: None,
            markdown: &t.explanation,
            translation: Some(format!("term.{}.explanation", t.anchor)),
        });
    }
    for a in &site.activity {
        out.push(Text {
            file: &a.source,
            field: Some("goal".to_string()),
            page: None,
            markdown: &a.goal,
            translation: None,
        });
        for task in &a.tasks {
            if let Some(markdown) = &task.countermeasures {
                out.push(Text {
                    file: &a.source,
                    field: None,
                    page: None,
                    markdown,
                    translation: None,
                });
            }
        }
    }
    out
}

/// The destination of every link and image of `markdown`, in order.
fn destinations(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, crate::markdown::options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

/// The site path a link names (`measures/01-01/`, `data/measures.csv`), or `None` for a link
/// that is not checked: one with a scheme (`https:`, `mailto:`, a glossary reference), to a
/// fragment of the same page, protocol-relative, or relative in a text with no one page.
fn target(dest: &str, page: Option<&Route>) -> Option<String> {
    let dest = dest.trim();
    let path = dest.split(['?', '#']).next().unwrap_or("");
    let has_scheme = !is_allowed_url(path)
        || path
            .find(':')
            .is_some_and(|i| !path[..i].contains(['/', '?', '#']));
    if path.is_empty() || has_scheme || path.starts_with("//") {
        return None;
    }
    let joined = match root_relative(path) {
        Some(rest) => rest.to_string(),
        None => format!("{}{path}", page?.as_str()),
    };
    let decoded = percent_encoding::percent_decode_str(&joined)
        .decode_utf8_lossy()
        .into_owned();
    Some(normalise(&decoded))
}

/// `a/./b/../c/` → `a/c/`; a `..` above the site root is kept, so that the link is broken.
fn normalise(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if segments.last().is_some_and(|s| *s != "..") => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = segments.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    out
}

/// Whether the site has the page or file at `path`: a folder path names its `index.html`.
/// The pages a run holds back as drafts (crate::build::drafts), by the site path each would
/// have (`measures/01-05/index.html`), with how a message names it (「施策01-05」): a published
/// link to one is a link to a draft (a warning), not a broken link.
#[derive(Clone, Debug, Default)]
pub(crate) struct Held(BTreeMap<String, String>);

impl Held {
    /// Records the held page at site path `path`, named `what` in messages.
    pub(crate) fn insert(&mut self, path: String, what: String) {
        self.0.insert(path, what);
    }

    fn get(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(String::as_str)
    }
}

/// How a message names the draft held back at `path` (resolved as [`exists`] resolves it).
fn held_at<'h>(path: &str, held: &'h Held) -> Option<&'h str> {
    match path {
        "" => held.get("index.html"),
        p if p.ends_with('/') => held.get(&format!("{p}index.html")),
        p => held.get(p).or_else(|| held.get(&format!("{p}/index.html"))),
    }
}

fn exists(path: &str, paths: &BTreeSet<String>) -> bool {
    if path.is_empty() {
        return paths.contains("index.html");
    }
    if path.ends_with('/') {
        return paths.contains(&format!("{path}index.html"));
    }
    paths.contains(path) || paths.contains(&format!("{path}/index.html"))
}

/// Every page (as `/measures/01-01/`) and every other file (`/data/measures.csv`) of the site,
/// for the nearest-route hint.
fn candidates(paths: &BTreeSet<String>) -> Vec<String> {
    paths
        .iter()
        .filter(|p| !p.starts_with('.'))
        .map(|p| match p.strip_suffix("index.html") {
            Some(folder) => format!("/{folder}"),
            None => format!("/{p}"),
        })
        .collect()
}

/// How to fix a link to `path`: the base path written out (keikaku adds it), or the nearest
/// page or file the site has, or where the pages are.
fn hint(path: &str, base_path: &str, paths: &BTreeSet<String>, candidates: &[String]) -> String {
    let base = base_path.trim_start_matches('/');
    if !base.is_empty() {
        if let Some(rest) = path.strip_prefix(base) {
            if exists(rest, paths) {
                return format!(
                    "base_url のパス（{base_path}）は書かずに「/{rest}」と書いてください（公開先に合わせて keikaku が付けます）"
                );
            }
        }
    }
    let written = format!("/{path}");
    let nearest = candidates
        .iter()
        .map(|c| (strsim::normalized_levenshtein(&written, c), c))
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match nearest {
        Some((_, c)) => format!("「{c}」ではありませんか？"),
        None => "サイト内のページは /measures/01-01/ ・ /policies/1/ ・ /glossary/ のように、サイトの一番上からのパスで書いてください".to_string(),
    }
}

/// A file's text as the loader read it (BOM dropped, line ends as LF), or `None`.
fn read_text(path: &PathBuf) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Some(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Where `dest` is written as a link target in `text`: after `(`, `<` or `]: `.
fn locate(text: &str, dest: &str) -> Vec<Position> {
    text.match_indices(dest)
        .filter(|(i, _)| {
            let before = text[..*i].trim_end_matches(' ');
            before.ends_with('(') || before.ends_with('<') || before.ends_with("]:")
        })
        .map(|(i, _)| {
            let before = &text[..i];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Position { line, column }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translations_links_are_checked_in_its_tree() {
        let plans = ["ict-2018/"];
        let en = Tree {
            folder: "en/",
            plans: &plans,
        };
        assert_eq!(en.output_path("measures/01-01/"), "en/measures/01-01/");
        assert_eq!(en.output_path("data/measures.csv"), "data/measures.csv");
        assert_eq!(
            en.output_path("ict-2018/data/kpis.json"),
            "ict-2018/data/kpis.json"
        );
        let text = |markdown| Text {
            file: Path::new("content/measures/01-02.en.yaml"),
            field: None,
            page: Some(Route::measure("01-02")),
            markdown,
            translation: Some("measure.01-02.section.details".to_string()),
        };
        let paths: BTreeSet<String> = ["en/measures/01-01/index.html", "data/measures.csv"]
            .into_iter()
            .map(str::to_string)
            .collect();
        let run = |markdown| {
            let mut diags = Diagnostics::default();
            let texts = vec![text(markdown)];
            check_texts(
                texts,
                &en,
                Path::new("/nonexistent"),
                &paths,
                &Held::default(),
                "/",
                &mut diags,
            );
            diags.into_vec().len()
        };
        assert_eq!(
            run("[a](/measures/01-01/) [b](../01-01/) [c](/data/measures.csv)"),
            0
        );
        assert_eq!(run("[a](/measures/09-09/)"), 1);
    }

    #[test]
    fn links_resolve_to_site_paths() {
        let measure = Route::measure("01-01");
        assert_eq!(target("/measures/", None).as_deref(), Some("measures/"));
        assert_eq!(
            target("../01-02/#kpi", Some(&measure)).as_deref(),
            Some("measures/01-02/")
        );
        assert_eq!(
            target("kpi-1.svg", Some(&measure)).as_deref(),
            Some("measures/01-01/kpi-1.svg")
        );
        assert_eq!(target("../x/", None), None, "relative without a page");
        for unchecked in [
            "https://a.jp/",
            "mailto:a@b.jp",
            "#top",
            "//a.jp/",
            "用語:DX",
        ] {
            assert_eq!(target(unchecked, Some(&measure)), None, "{unchecked}");
        }
        assert_eq!(normalise("a/./b/../c/"), "a/c/");
        assert_eq!(normalise("../../x"), "../../x");
    }

    #[test]
    fn a_folder_link_names_its_index_and_the_hint_names_the_nearest_page() {
        let paths: BTreeSet<String> = ["index.html", "measures/index.html", "data/measures.csv"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(exists("", &paths));
        assert!(exists("measures/", &paths));
        assert!(exists("measures", &paths));
        assert!(exists("data/measures.csv", &paths));
        assert!(!exists("measurs/", &paths));
        let c = candidates(&paths);
        assert_eq!(
            hint("measurs/", "/", &paths, &c),
            "「/measures/」ではありませんか？"
        );
        assert!(hint("dx/measures/", "/dx/", &paths, &c).contains("base_url のパス（/dx/）"));
    }

    #[test]
    fn broken_links_are_found_where_they_are_written() {
        let text = "a\n[x](/measurs/) and ![y]( /measurs/)\n[r]: /measurs/\n/measurs/\n";
        let found: Vec<(usize, usize)> = locate(text, "/measurs/")
            .into_iter()
            .map(|p| (p.line, p.column))
            .collect();
        assert_eq!(found, vec![(2, 5), (2, 26), (3, 6)]);
    }
}
