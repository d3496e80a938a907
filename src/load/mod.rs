//! Stage 1: read the site folder into raw, unvalidated values. Problems here are about the
//! *files* (unreadable, not UTF-8, not YAML, wrong shape); problems about *values* are found in
//! [`crate::validate`]. Every file is read once; a bad file is reported and skipped so that the
//! other files are still checked in the same run.

pub(crate) mod bounds;
mod cache;
pub(crate) mod limits;
pub(crate) mod page;
pub(crate) mod raw;
mod read;
pub(crate) mod translation;
pub(crate) mod yaml;
pub(crate) mod yaml_edit;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use bounds::Bounded;
pub(crate) use cache::LoadCache;
use cache::Stamp;
use limits::Limits;
pub(crate) use page::{parse_page, RawPage};
use raw::{RawActivity, RawConfig, RawGlossary, RawMeasure, RawPlan};
pub(crate) use read::read_source;
use read::{list_dir, read_in, select_files, source_from_text, unread, Dir, Kind, SiteRoot};
use translation::{translation_name, Translation, TranslationFiles};

/// One input file: its path relative to the site root (as shown in messages) and its text
/// (BOM removed, line endings normalised to LF so positions match what editors show).
#[derive(Clone, Debug)]
pub(crate) struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl SourceFile {
    /// A diagnostic in this file; the file's text rides along so the report can quote the line.
    pub(crate) fn diagnostic(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, self.path.clone(), message).with_source(self.text.clone())
    }

    pub(crate) fn locator(&self) -> yaml::Locator {
        yaml::Locator::new(&self.text)
    }
}

/// A YAML file and what it contained.
#[derive(Clone, Debug)]
pub(crate) struct Parsed<T> {
    pub file: SourceFile,
    pub value: T,
}

#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub config: Option<Parsed<RawConfig>>,
    pub plan: Option<Parsed<RawPlan>>,
    pub measures: Vec<Parsed<RawMeasure>>,
    pub glossary: Option<Parsed<RawGlossary>>,
    pub pages: Vec<RawPage>,
    /// Annual activity plans, sorted by path (year folder, then measure ID).
    pub activity: Vec<Parsed<RawActivity>>,
    /// The limits the files were read under (config.yaml's, or the defaults).
    pub limits: Limits,
    /// The site's other plans (`content/plans/<slug>/`), by slug in name order: each with its
    /// own plan, measures, glossary, pages and activity plans, and no config of its own.
    pub others: Vec<(String, Loaded)>,
    /// The translation files of this plan (`01-01.en.yaml`, `about.easy.md`; on the main
    /// plan also `config.en.yaml`), whatever the site's `languages:` say: validation warns
    /// about those of a language the site does not publish.
    pub translations: TranslationFiles,
}

pub(crate) const CONFIG_FILE: &str = "config.yaml";
pub(crate) const CONTENT_DIR: &str = "content";
pub(crate) const PLAN_FILE: &str = "content/plan.yaml";
pub(crate) const MEASURES_DIR: &str = "content/measures";
pub(crate) const GLOSSARY_FILE: &str = "content/glossary.yaml";
pub(crate) const PAGES_DIR: &str = "content/pages";
/// The site's other plans, one folder each (`content/plans/ict-2018/`), laid out as content/.
pub(crate) const PLANS_DIR: &str = "content/plans";

pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> Loaded {
    Loader::new(root).load(diags)
}

/// Files given in memory instead of on disk, keyed by path relative to the site root. `import`
/// validates its edits this way before it writes anything; a path that does not exist on disk
/// (a new measure file) is loaded as if it did.
pub(crate) type Overlay = BTreeMap<PathBuf, String>;

/// The parser of one kind of file, given the limits it is read under.
type Parse<T> = fn(SourceFile, &Limits, &mut Diagnostics) -> Option<T>;

/// Reads a site folder, optionally through an [`Overlay`] and a [`LoadCache`].
pub(crate) struct Loader<'a> {
    site: SiteRoot,
    overlay: Option<&'a Overlay>,
    cache: Option<&'a mut LoadCache>,
    /// The defaults until config.yaml has been read, then the site's own.
    limits: Limits,
}

impl<'a> Loader<'a> {
    pub(crate) fn new(root: &'a Path) -> Self {
        Loader {
            site: SiteRoot::new(root),
            overlay: None,
            cache: None,
            limits: Limits::default(),
        }
    }

    pub(crate) fn with_overlay(mut self, overlay: &'a Overlay) -> Self {
        self.overlay = Some(overlay);
        self
    }

    pub(crate) fn with_cache(mut self, cache: &'a mut LoadCache) -> Self {
        cache.last_parsed.clear();
        self.cache = Some(cache);
        self
    }

    pub(crate) fn load(mut self, diags: &mut Diagnostics) -> Loaded {
        // config.yaml sets the limits for every other file, so it is read under the defaults;
        // what it says is checked under its own limits.
        let config: Option<Parsed<RawConfig>> =
            self.file(Path::new(CONFIG_FILE), diags, |file, _, diags| {
                parse_yaml(file, diags)
            });
        self.limits = config
            .as_ref()
            .map_or_else(Limits::default, |c| Limits::from_raw(&c.value.limits));
        if let Some(c) = &config {
            c.check_bounds(&self.limits, diags);
        }
        let mut loaded = Loaded {
            config,
            limits: self.limits,
            ..Loaded::default()
        };
        loaded.translations.config = self.translated_files(Path::new(CONFIG_FILE), diags);
        // content/ as a link out of the root, or a file: reported once, and nothing in it read.
        if self.site.check_dir(Path::new(CONTENT_DIR), diags) == Dir::Refused {
            return loaded;
        }
        self.content(Path::new(CONTENT_DIR), &mut loaded, diags);
        if self.site.check_dir(Path::new(PLANS_DIR), diags) == Dir::Present {
            for entry in list_dir(&self.site, Path::new(PLANS_DIR), diags) {
                let slug = entry.rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if entry.hidden() {
                    continue;
                }
                if entry.kind != Kind::Dir || !crate::url::is_valid_slug(slug) {
                    diags.push(
                        Diagnostic::error(
                            Code::InvalidValue,
                            &entry.rel,
                            "content/plans/ には計画ごとのフォルダ（英小文字・数字・- の名前）だけを置いてください",
                        )
                        .hint("例: content/plans/ict-2018/plan.yaml"),
                    );
                    continue;
                }
                let mut other = Loaded {
                    limits: self.limits,
                    ..Loaded::default()
                };
                let slug = slug.to_string();
                self.content(&entry.rel, &mut other, diags);
                loaded.others.push((slug, other));
            }
            loaded.others.sort_by(|a, b| a.0.cmp(&b.0));
        }
        loaded
    }

    /// Reads one plan's content folder (`content/` or `content/plans/<slug>/`) into `loaded`.
    fn content(&mut self, dir: &Path, loaded: &mut Loaded, diags: &mut Diagnostics) {
        loaded.plan = self.file(&dir.join("plan.yaml"), diags, parse_bounded);
        loaded.translations.plan = self.translated_files(&dir.join("plan.yaml"), diags);
        loaded.translations.glossary = self.translated_files(&dir.join("glossary.yaml"), diags);
        let measures_dir = dir.join("measures");
        let (mut measure_files, translated) =
            split_translations(self.list(&measures_dir, &["yaml", "yml"], diags));
        loaded.translations.measures = self.translations(&translated, diags, parse_bounded);
        if measure_files.len() > self.limits.max_measures {
            diags.push(limits::too_many_measures(
                &measures_dir.to_string_lossy(),
                measure_files.len(),
                self.limits.max_measures,
            ));
            measure_files.clear();
        }
        loaded.measures = self.files(&measure_files, diags, parse_bounded);
        let glossary = dir.join("glossary.yaml");
        if self.exists(&glossary) {
            loaded.glossary = self.file(&glossary, diags, parse_bounded);
        }
        let (page_files, translated) =
            split_translations(self.list(&dir.join("pages"), &["md"], diags));
        for rel in page_files {
            if let Some(page) = self.file(&rel, diags, parse_page_bounded) {
                loaded.pages.push(page);
            }
        }
        loaded.translations.pages = self.translations(&translated, diags, parse_page_translation);
        let (activity_files, misplaced) = self.activity_files(&dir.join("activity"), diags);
        loaded.activity = self.files(&activity_files, diags, parse_bounded);
        for rel in misplaced {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    rel,
                    "年間活動計画は年度のフォルダに入れてください",
                )
                .hint(
                    "content/activity/R4/01-01.yaml のように、年度のフォルダの中に置いてください",
                ),
            );
        }
        self.warn_unread_in_content(dir, diags);
    }

    /// The activity plans in the year folders of content/activity, and the plans put directly
    /// in content/activity (an error, reported after the plans' own).
    fn activity_files(&self, dir: &Path, diags: &mut Diagnostics) -> (Vec<PathBuf>, Vec<PathBuf>) {
        const EXTENSIONS: &[&str] = &["yaml", "yml"];
        let (mut files, mut misplaced) = (Vec::new(), Vec::new());
        if self.site.check_dir(dir, diags) != Dir::Present {
            return (files, misplaced);
        }
        for entry in list_dir(&self.site, dir, diags) {
            let ext = entry.rel.extension().and_then(|x| x.to_str()).unwrap_or("");
            match entry.kind {
                Kind::Dir => files.extend(self.list(&entry.rel, EXTENSIONS, diags)),
                Kind::File if EXTENSIONS.contains(&ext) => misplaced.push(entry.rel),
                Kind::File if !entry.hidden() => diags.push(
                    unread(&entry, EXTENSIONS)
                        .hint("content/activity/ で読むのは年度のフォルダ（R4/ など）の中の .yaml・.yml のファイルだけです"),
                ),
                Kind::File => {}
            }
        }
        (files, misplaced)
    }

    /// Warns about what is in content/ besides the files and folders the loader reads there.
    fn warn_unread_in_content(&self, dir: &Path, diags: &mut Diagnostics) {
        const READ: &[&str] = &[
            "plan.yaml",
            "glossary.yaml",
            "measures",
            "pages",
            "activity",
        ];
        let top = dir == Path::new(CONTENT_DIR);
        let Ok(read_dir) = std::fs::read_dir(self.site.path().join(dir)) else {
            return;
        };
        let mut names: Vec<_> = read_dir.flatten().map(|e| e.file_name()).collect();
        names.sort();
        for name in names {
            let hidden = name.as_encoded_bytes().starts_with(b".");
            let read = name.to_str().is_some_and(|n| {
                READ.contains(&n)
                    || (top && n == "plans")
                    || translation_name(Path::new(n)).is_some_and(|(_, stem)| {
                        n.ends_with(".yaml") && (stem == "plan" || stem == "glossary")
                    })
            });
            if hidden || read {
                continue;
            }
            let rel = dir.join(&name);
            diags.push(
                Diagnostic::warning(
                    Code::UnreadFile,
                    &rel,
                    "このファイル・フォルダは読み込まれません（unread file）",
                )
                .hint(format!(
                    "content/ で読むのは {} だけです。名前の綴りと大文字・小文字を確認してください",
                    READ.join("・")
                )),
            );
        }
    }

    /// The translation files of the original at `rel` that are there (`plan.en.yaml` beside
    /// `plan.yaml`), one per language, in the order of [`Language::ALL`].
    fn translated_files<T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static>(
        &mut self,
        rel: &Path,
        diags: &mut Diagnostics,
    ) -> Vec<Translation<T>>
    where
        Parsed<T>: Bounded,
    {
        let (Some(stem), Some(ext)) = (
            rel.file_stem().and_then(|s| s.to_str()),
            rel.extension().and_then(|s| s.to_str()),
        ) else {
            return Vec::new();
        };
        let rels: Vec<PathBuf> = crate::language::Language::ALL
            .into_iter()
            .filter(|l| *l != crate::language::Language::Japanese)
            .map(|l| rel.with_file_name(format!("{stem}.{}.{ext}", translation::suffix_of(l))))
            .filter(|r| self.exists(r))
            .collect();
        self.translations(&rels, diags, parse_bounded)
    }

    /// Reads translation files (named as [`translation_name`] reads them).
    fn translations<T: Clone + Send + Sync + 'static>(
        &mut self,
        rels: &[PathBuf],
        diags: &mut Diagnostics,
        parse: Parse<Parsed<T>>,
    ) -> Vec<Translation<T>> {
        rels.iter()
            .filter_map(|rel| {
                let (language, stem) = translation_name(rel)?;
                let parsed = self.file(rel, diags, parse)?;
                Some(Translation {
                    language,
                    stem,
                    parsed,
                })
            })
            .collect()
    }

    /// Reads one measure file (through the cache, if any) under `limits`, the ones the rest of
    /// the site was loaded under: `serve`, when only measure files changed, reads just those.
    pub(crate) fn measure_file(
        mut self,
        rel: &Path,
        limits: Limits,
        diags: &mut Diagnostics,
    ) -> Option<Parsed<RawMeasure>> {
        self.limits = limits;
        if let Some(dir) = rel.parent() {
            if self.site.check_dir(dir, diags) == Dir::Refused {
                return None;
            }
        }
        self.file(rel, diags, parse_bounded)
    }

    /// Whether `rel` is there (as anything: a dangling link or a pipe is reported by reading).
    fn exists(&self, rel: &Path) -> bool {
        self.overlay.is_some_and(|o| o.contains_key(rel))
            || std::fs::symlink_metadata(self.site.path().join(rel)).is_ok()
    }

    /// The files with one of `extensions` in `dir`, sorted; everything else in it gets a
    /// warning that it is not read.
    fn list(&self, dir: &Path, extensions: &[&str], diags: &mut Diagnostics) -> Vec<PathBuf> {
        let mut files = match self.site.check_dir(dir, diags) {
            Dir::Present => select_files(list_dir(&self.site, dir, diags), extensions, diags),
            Dir::Absent | Dir::Refused => Vec::new(),
        };
        if let Some(overlay) = self.overlay {
            for p in overlay.keys() {
                let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
                if p.parent() == Some(dir) && extensions.contains(&ext) && !files.contains(p) {
                    files.push(p.clone());
                }
            }
            files.sort();
        }
        files
    }

    /// Reads and parses `rels` in order. The measures and the activity plans are nearly all
    /// the files of a large site, so without an overlay (`serve`'s unsaved texts) they are
    /// parsed on every core.
    fn files<T: Clone + Send + Sync + 'static>(
        &mut self,
        rels: &[PathBuf],
        diags: &mut Diagnostics,
        parse: Parse<T>,
    ) -> Vec<T> {
        if self.overlay.is_none() {
            return self.files_in_parallel(rels, diags, parse);
        }
        rels.iter()
            .filter_map(|rel| self.file(rel, diags, parse))
            .collect()
    }

    /// [`Loader::file`] for many files at once, on every core; diagnostics are reported in
    /// file order. With a cache, only files whose stamp changed are read and parsed.
    fn files_in_parallel<T: Clone + Send + Sync + 'static>(
        &mut self,
        rels: &[PathBuf],
        diags: &mut Diagnostics,
        parse: Parse<T>,
    ) -> Vec<T> {
        use rayon::prelude::*;
        let (site, limits) = (&self.site, self.limits);
        let cache = self.cache.as_deref();
        /// A file's result, its diagnostics, its stamp, and whether it was parsed just now.
        type One<T> = (Option<T>, Vec<Diagnostic>, Option<Stamp>, bool);
        let results: Vec<One<T>> = rels
            .par_iter()
            .map(|rel| {
                let stamp = cache.and_then(|_| Stamp::of(&site.path().join(rel)));
                if let Some((value, kept)) = cache.and_then(|c| c.get::<T>(rel, stamp, limits)) {
                    return (value.clone(), kept.to_vec(), stamp, false);
                }
                let mut own = Diagnostics::default();
                let value =
                    read_in(site, rel, &limits, &mut own).and_then(|f| parse(f, &limits, &mut own));
                (value, own.into_vec(), stamp, true)
            })
            .collect();
        let mut values = Vec::with_capacity(results.len());
        for (rel, (value, own, stamp, fresh)) in rels.iter().zip(results) {
            diags.extend(own.iter().cloned());
            if let (Some(cache), true) = (self.cache.as_deref_mut(), fresh) {
                cache.last_parsed.push(rel.clone());
                cache.store(rel, stamp, limits, &value, own);
            }
            values.extend(value);
        }
        values
    }

    /// Reads and parses one file, or takes the result from the cache.
    fn file<T: Clone + Send + Sync + 'static>(
        &mut self,
        rel: &Path,
        diags: &mut Diagnostics,
        parse: Parse<T>,
    ) -> Option<T> {
        let limits = self.limits;
        if let Some(text) = self.overlay.and_then(|o| o.get(rel)) {
            if text.len() as u64 > limits.max_file_bytes {
                diags.push(limits::too_large(
                    rel,
                    text.len() as u64,
                    limits.max_file_bytes,
                ));
                return None;
            }
            let file = source_from_text(rel, text);
            if let Some(d) = limits::check_depth(&file, limits.max_depth) {
                diags.push(d);
                return None;
            }
            return parse(file, &limits, diags);
        }
        let Some(cache) = self.cache.as_deref_mut() else {
            let file = read_in(&self.site, rel, &limits, diags)?;
            return parse(file, &limits, diags);
        };
        let stamp = Stamp::of(&self.site.path().join(rel));
        if let Some((value, kept)) = cache.get::<T>(rel, stamp, limits) {
            diags.extend(kept.iter().cloned());
            return value.clone();
        }
        cache.last_parsed.push(rel.to_path_buf());
        let mut own = Diagnostics::default();
        let value =
            read_in(&self.site, rel, &limits, &mut own).and_then(|f| parse(f, &limits, &mut own));
        let own = own.into_vec();
        diags.extend(own.iter().cloned());
        cache.store(rel, stamp, limits, &value, own);
        value
    }
}

/// The files of a listing split into originals and translation files (`01-01.en.yaml`).
fn split_translations(files: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<PathBuf>) {
    files
        .into_iter()
        .partition(|rel| translation_name(rel).is_none())
}

/// `content/plan.yaml` alone, under the default limits, for the commands that need a fact of
/// the plan (its period, its policy numbers) without loading the whole site (`new`, `import`).
pub(crate) fn read_plan(root: &Path, diags: &mut Diagnostics) -> Option<Parsed<RawPlan>> {
    read_plan_file(root, Path::new(PLAN_FILE), diags)
}

/// [`read_plan`] for the plan file at `rel` (`content/plans/ict-2018/plan.yaml`).
pub(crate) fn read_plan_file(
    root: &Path,
    rel: &Path,
    diags: &mut Diagnostics,
) -> Option<Parsed<RawPlan>> {
    read_source(root, rel, &Limits::default(), diags).and_then(|f| parse_yaml::<RawPlan>(f, diags))
}

/// Deserialises a YAML file, turning each problem into a located diagnostic. A file whose
/// only problems are unknown fields is still returned (their errors stop the build), so that
/// validation reports what else is wrong in it.
pub(crate) fn parse_yaml<T: DeserializeOwned>(
    file: SourceFile,
    diags: &mut Diagnostics,
) -> Option<Parsed<T>> {
    let (value, errors) = yaml::from_str_all::<T>(&file.text);
    for e in errors {
        diags.push(yaml_diagnostic(&file, e));
    }
    value.map(|value| Parsed { file, value })
}

/// [`parse_yaml`], then the limits on what the file says ([`bounds`]).
fn parse_bounded<T: DeserializeOwned>(
    file: SourceFile,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<Parsed<T>>
where
    Parsed<T>: Bounded,
{
    let parsed = parse_yaml::<T>(file, diags)?;
    parsed.check_bounds(limits, diags);
    Some(parsed)
}

/// [`parse_page`], then the limits on its front matter ([`bounds`]).
fn parse_page_bounded(
    file: SourceFile,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<RawPage> {
    let page = parse_page(file, diags)?;
    page.check_bounds(limits, diags);
    Some(page)
}

/// [`translation::parse_page_text`], then the limits on its front matter (the body is bounded
/// by the file's size, as a page's is).
fn parse_page_translation(
    file: SourceFile,
    limits: &Limits,
    diags: &mut Diagnostics,
) -> Option<Parsed<translation::RawPageText>> {
    let page = translation::parse_page_text(file, diags)?;
    page.check_bounds(limits, diags);
    Some(page)
}

/// A YAML error as a diagnostic in `file` (its position already in the file's lines).
fn yaml_diagnostic(file: &SourceFile, e: yaml::YamlError) -> Diagnostic {
    let mut d = file.diagnostic(e.code, e.message).at(e.position);
    if let Some(field) = e.field {
        d = d.field(field);
    }
    if let Some(hint) = e.hint {
        d = d.hint(hint);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Position;

    fn write(dir: &Path, rel: &str, bytes: &[u8]) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    #[test]
    fn bom_and_crlf_are_accepted_invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.yaml", b"\xef\xbb\xbftitle: x\r\nb: y\r\n");
        write(dir.path(), "b.yaml", b"title: ok\nname: \xff\n");
        let mut diags = Diagnostics::default();
        let a = read_source(
            dir.path(),
            Path::new("a.yaml"),
            &Limits::default(),
            &mut diags,
        )
        .unwrap();
        assert_eq!(&*a.text, "title: x\nb: y\n");
        assert!(read_source(
            dir.path(),
            Path::new("b.yaml"),
            &Limits::default(),
            &mut diags
        )
        .is_none());
        let d = diags.iter().next().unwrap();
        assert_eq!(d.code, Code::Encoding);
        assert_eq!(d.position, Some(Position { line: 2, column: 7 }));
    }

    #[test]
    fn front_matter_is_split_and_its_errors_are_located_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "p/a.md",
            "---\ntitle: A\norder: 2\n---\n\n# Body\n".as_bytes(),
        );
        write(
            dir.path(),
            "p/b.md",
            "---\ntitle: B\ntitel: x\n---\nbody\n".as_bytes(),
        );
        write(dir.path(), "p/c.md", "no front matter\n".as_bytes());
        let mut diags = Diagnostics::default();
        let pages: Vec<_> = ["p/a.md", "p/b.md", "p/c.md"]
            .iter()
            .filter_map(|r| {
                parse_page(
                    read_source(dir.path(), Path::new(r), &Limits::default(), &mut diags)?,
                    &mut diags,
                )
            })
            .collect();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].front.title, "A");
        assert_eq!(pages[0].body, "\n# Body\n");
        assert_eq!(pages[0].body_line, 5);
        let found: Vec<_> = diags
            .sorted()
            .iter()
            .map(|d| (d.code, d.position.map(|p| p.line)))
            .collect();
        assert_eq!(
            found,
            vec![(Code::UnknownField, Some(3)), (Code::FrontMatter, Some(1))]
        );
    }
}
