//! The theme: Tera templates and static files. The default theme is compiled into the binary so
//! that `keikaku` works on any site folder; a site's `themes/<name>/templates/<file>` replaces
//! the default template of the same name and `themes/<name>/static/<file>` adds or replaces a
//! static file. Templates are parsed once per build, and a broken template is reported when it
//! is loaded, before anything is rendered.

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::interface::{Tables, Ui};
use crate::language::Language;
use crate::output::Output;

/// (name, source) of the default templates.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "policy.html",
        include_str!("../../themes/default/templates/policy.html"),
    ),
    (
        "measure.html",
        include_str!("../../themes/default/templates/measure.html"),
    ),
    (
        "measures.html",
        include_str!("../../themes/default/templates/measures.html"),
    ),
    (
        "departments.html",
        include_str!("../../themes/default/templates/departments.html"),
    ),
    (
        "glossary.html",
        include_str!("../../themes/default/templates/glossary.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "data.html",
        include_str!("../../themes/default/templates/data.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "partials/measure_list.html",
        include_str!("../../themes/default/templates/partials/measure_list.html"),
    ),
    (
        "glossary_uses.html",
        include_str!("../../themes/default/templates/glossary_uses.html"),
    ),
    (
        "partials/paging.html",
        include_str!("../../themes/default/templates/partials/paging.html"),
    ),
    (
        "partials/kpi_table.html",
        include_str!("../../themes/default/templates/partials/kpi_table.html"),
    ),
    (
        "partials/kpi_cell.html",
        include_str!("../../themes/default/templates/partials/kpi_cell.html"),
    ),
    (
        "activity_index.html",
        include_str!("../../themes/default/templates/activity_index.html"),
    ),
    (
        "activity_year.html",
        include_str!("../../themes/default/templates/activity_year.html"),
    ),
    (
        "activity_plan.html",
        include_str!("../../themes/default/templates/activity_plan.html"),
    ),
    (
        "partials/status.html",
        include_str!("../../themes/default/templates/partials/status.html"),
    ),
    (
        "partials/plan_list.html",
        include_str!("../../themes/default/templates/partials/plan_list.html"),
    ),
    (
        "partials/achievement.html",
        include_str!("../../themes/default/templates/partials/achievement.html"),
    ),
    (
        "partials/chart.html",
        include_str!("../../themes/default/templates/partials/chart.html"),
    ),
    (
        "partials/summary.html",
        include_str!("../../themes/default/templates/partials/summary.html"),
    ),
];

/// (site path, bytes) of the default static files.
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "assets/style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "assets/search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "assets/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

pub(crate) struct Theme {
    /// The templates, once per language of the site, each with that language's interface
    /// table as its global `t` and `t_plain` (crate::interface): the table is handed to Tera
    /// once, not copied into every page's context. Japanese is always first.
    languages: Vec<(Language, tera::Tera)>,
    /// The interface tables of the same languages.
    pub tables: Tables,
    pub statics: Vec<Output>,
}

impl Theme {
    /// The templates that write pages in `language` (Japanese when the site does not have it).
    pub(crate) fn tera(&self, language: Language) -> &tera::Tera {
        (self.languages.iter())
            .find(|(l, _)| *l == language)
            .or_else(|| self.languages.first())
            .map(|(_, t)| t)
            .expect("the Japanese templates are always loaded")
    }

    /// The interface text of `language`.
    pub(crate) fn ui(&self, language: Language) -> &Ui {
        self.tables.get(language)
    }
}

/// Loads the default theme, then the site's theme `name` over it, for every language keikaku
/// knows (a theme is kept between `serve`'s runs, while `languages:` may change).
pub(crate) fn load(root: &Path, name: &str, diags: &mut Diagnostics) -> Option<Theme> {
    let mut sources: Vec<(String, String, Option<String>)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string(), None))
        .collect();
    let mut statics: Vec<Output> = DEFAULT_STATIC
        .iter()
        .map(|(p, b)| Output::new(*p, *b))
        .collect();

    let theme_dir = root.join("themes").join(name);
    if name != "default" && !theme_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                Code::Template,
                "config.yaml",
                format!("テーマ「{name}」のフォルダ themes/{name}/ がありません"),
            )
            .field("theme")
            .hint("theme: default にするか、テーマのフォルダを作ってください"),
        );
        return None;
    }
    for (sub, is_template) in [("templates", true), ("static", false)] {
        let dir = theme_dir.join(sub);
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel_name = rel.to_string_lossy().replace('\\', "/");
            let shown = Path::new("themes").join(name).join(sub).join(rel);
            let bytes = match std::fs::read(entry.path()) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(Diagnostic::error(
                        Code::Io,
                        shown,
                        format!("ファイルを読めません: {}", crate::i18n::io_error_ja(&e)),
                    ));
                    continue;
                }
            };
            if is_template {
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        sources.retain(|(n, _, _)| *n != rel_name);
                        sources.push((rel_name, text, Some(shown.display().to_string())));
                    }
                    Err(_) => diags.push(Diagnostic::error(
                        Code::Encoding,
                        shown,
                        "UTF-8 ではありません",
                    )),
                }
            } else {
                let path = format!("assets/{rel_name}");
                statics.retain(|o| o.path != path);
                statics.push(Output::new(path, bytes));
            }
        }
    }
    statics.sort_by(|a, b| a.path.cmp(&b.path));

    let mut tera = tera::Tera::new();
    let pairs: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, s, _)| (n.as_str(), s.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(pairs) {
        let culprit = sources
            .iter()
            .find(|(n, _, _)| e.to_string().contains(n.as_str()))
            .and_then(|(_, _, file)| file.clone())
            .unwrap_or_else(|| format!("themes/{name}/templates"));
        diags.push(
            Diagnostic::error(
                Code::Template,
                culprit,
                format!("テンプレートを読み込めません: {}", error_chain(&e)),
            )
            .hint("テンプレートの構文（{% %} と {{ }} の対応）を確認してください"),
        );
        return None;
    }
    let tables = Tables::load(root, name, &Language::ALL, diags);
    let languages = tables
        .languages()
        .map(|language| {
            let mut tera = tera.clone();
            let ui = tables.get(language).for_templates();
            tera.global_context().insert("t", ui.t);
            tera.global_context().insert("t_plain", ui.t_plain);
            (language, tera)
        })
        .collect();
    Some(Theme {
        languages,
        tables,
        statics,
    })
}

/// Tera nests the useful message in its error sources.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default theme is compiled in from a fixed list; a template added to the folder but
    /// not to the list would silently be missing from sites that do not carry the theme.
    #[test]
    fn every_default_theme_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for (sub, embedded) in [
            (
                "templates",
                DEFAULT_TEMPLATES
                    .iter()
                    .map(|(n, _)| n.to_string())
                    .collect::<Vec<_>>(),
            ),
            (
                "static",
                DEFAULT_STATIC
                    .iter()
                    .map(|(p, _)| p.trim_start_matches("assets/").to_string())
                    .collect(),
            ),
        ] {
            let base = dir.join(sub);
            for e in walkdir::WalkDir::new(&base)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
            {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                assert!(
                    embedded.contains(&rel),
                    "themes/default/{sub}/{rel} is not embedded"
                );
            }
        }
    }

    #[test]
    fn a_site_theme_overrides_templates_by_name_and_reports_broken_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path().join("themes/city/templates");
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(t.join("page.html"), "custom {{ page_title }}").unwrap();
        let mut diags = Diagnostics::default();
        let theme = load(tmp.path(), "city", &mut diags).unwrap();
        let ctx = tera::Context::from_serialize(&serde_json::json!({ "page_title": "x" })).unwrap();
        assert_eq!(
            theme
                .tera(Language::Japanese)
                .render("page.html", &ctx)
                .unwrap(),
            "custom x"
        );
        assert!(theme
            .tera(Language::Japanese)
            .contains_template("measure.html"));

        std::fs::write(t.join("page.html"), "{% if %}").unwrap();
        assert!(load(tmp.path(), "city", &mut diags).is_none());
        let d = diags.iter().next().unwrap();
        assert_eq!(d.code, Code::Template);
        assert!(d.file.ends_with("page.html"), "{}", d.file.display());

        let mut diags = Diagnostics::default();
        assert!(load(tmp.path(), "missing", &mut diags).is_none());
        assert_eq!(diags.iter().next().unwrap().code, Code::Template);
    }
}
