//! The open-data page: every table's files with their sizes, and every column explained.
//!
//! The files exist once, at the Japanese tree's `data/` (their text is the content, which is
//! Japanese); the data page of another language's tree links to those files and names the
//! tables and columns in its language: in English by the English names the Data Package gives
//! (`title_translated.en`), the Japanese descriptions marked `lang="ja"`.

use serde::Serialize;

use super::Page;
use crate::interface::Ui;
use crate::language::Language;
use crate::model::{License, Site};
use crate::render::data::{
    english_title, human_size, Catalogue, ColumnEntry, FileEntry, RevisionEntry,
};
use crate::render::view::activity::escape;
use crate::render::view::japanese_only;
use crate::url::{self, Route};

#[derive(Serialize)]
pub(crate) struct DataView<'a> {
    catalogue: CatalogueView<'a>,
    package_href: String,
    has_activity: bool,
    /// Whether the plan has KPIs (and so KPI tables and per-measure KPI files).
    has_kpis: bool,
    license: &'a License,
    /// The page's sentences in its language (HTML).
    intro_html: String,
    license_html: String,
    version_html: String,
    per_measure_html: String,
    /// The items of 「使い方」 (HTML).
    usage_html: Vec<String>,
    /// `Some("ja")` outside the Japanese tree, for what only the Japanese files say (the
    /// tables' and columns' descriptions, the revisions' names).
    content_lang: Option<&'static str>,
    /// The note that those parts are in Japanese only (HTML); `None` in the Japanese tree.
    japanese_note: Option<String>,
}

/// The [`Catalogue`] with each file's media type.
#[derive(Serialize)]
struct CatalogueView<'a> {
    tables: Vec<TableView<'a>>,
    /// The Data Package describing every table.
    package: FileView<'a>,
    /// The DCAT catalogue (`catalog.jsonld`).
    dcat: FileView<'a>,
    /// The schema.org `Dataset` of this page, ready for its `<script>` element.
    json_ld: &'a str,
    /// The package's version and the content date it stands for.
    version: &'a str,
    modified: &'a str,
    /// The target revisions recorded in the content, newest first.
    revisions: Vec<RevisionView<'a>>,
}

#[derive(Serialize)]
struct TableView<'a> {
    name: &'static str,
    title: &'static str,
    /// The table's name in the page's language.
    title_shown: String,
    /// 「…（policies）の列」 and 「…の列の説明」.
    columns_heading: String,
    columns_caption: String,
    description: &'static str,
    rows: usize,
    files: Vec<FileView<'a>>,
    columns: Vec<ColumnView<'a>>,
}

#[derive(Serialize)]
struct ColumnView<'a> {
    #[serde(flatten)]
    entry: &'a ColumnEntry,
    /// The column's name, type and whether it may be empty, in the page's language.
    title_shown: String,
    kind_shown: String,
    empty_shown: String,
}

#[derive(Serialize)]
struct RevisionView<'a> {
    #[serde(flatten)]
    entry: &'a RevisionEntry,
    /// The measures it changed, 「01-01、01-02ほか3施策」.
    measures_shown: String,
}

/// A file as the page links it: with the media type its link announces.
#[derive(Serialize)]
struct FileView<'a> {
    #[serde(flatten)]
    entry: &'a FileEntry,
    media_type: &'static str,
    /// Where the link goes: the file beside the page in the Japanese tree, the Japanese
    /// tree's file from another tree's page.
    href: String,
    /// 「（CSV、12.3 KB）」 in the page's language.
    meta: String,
}

/// Where the Japanese tree's copy of the data file `file` is, from this tree's data page.
fn file_href(site: &Site, file: &str) -> String {
    if site.language == Language::Japanese {
        return file.to_string();
    }
    let japanese_prefix = site
        .prefix
        .strip_prefix(site.language.url_prefix())
        .unwrap_or(&site.prefix);
    url::across_plans(
        &Route::data(),
        &site.prefix,
        japanese_prefix,
        &format!("{}{file}", crate::render::data::DIR),
    )
}

impl<'a> FileView<'a> {
    fn of(site: &Site, ui: &Ui, entry: &'a FileEntry, media_type: &'static str) -> FileView<'a> {
        let size = match (ui.language(), entry.bytes) {
            (Language::Japanese, _) => entry.size.clone(),
            (_, bytes) if bytes < 1024 => ui.fill("data.bytes", &[("count", &bytes.to_string())]),
            (_, bytes) => human_size(bytes),
        };
        FileView {
            entry,
            media_type,
            href: file_href(site, &entry.file),
            meta: ui.fill(
                "data.file_meta",
                &[("format", entry.format), ("size", &size)],
            ),
        }
    }

    fn table(site: &Site, ui: &Ui, entry: &'a FileEntry) -> FileView<'a> {
        let media_type = match entry.format {
            "CSV" => "text/csv",
            _ => "application/json",
        };
        FileView::of(site, ui, entry, media_type)
    }
}

/// A table's or column's name in the page's language: the English name in English, the
/// Japanese name elsewhere.
fn shown(ui: &Ui, japanese: &str) -> String {
    match ui.language() {
        Language::English => english_title(japanese).unwrap_or(japanese).to_string(),
        _ => japanese.to_string(),
    }
}

/// `<code>text</code>`, escaped as the template that wrote these before did (its `'` stays).
fn code(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("<code>{escaped}</code>")
}

/// The page listing `catalogue`, the files [`crate::render::data::files`] wrote.
pub(crate) fn page<'a>(site: &'a Site, ui: &Ui, catalogue: &'a Catalogue) -> Page<DataView<'a>> {
    let tables = catalogue
        .tables
        .iter()
        .map(|t| {
            let title_shown = shown(ui, t.title);
            TableView {
                name: t.name,
                title: t.title,
                columns_heading: ui.fill(
                    "data.table_columns",
                    &[("table", &title_shown), ("name", t.name)],
                ),
                columns_caption: ui.fill("data.columns", &[("table", &title_shown)]),
                title_shown,
                description: t.description,
                rows: t.rows,
                files: t
                    .files
                    .iter()
                    .map(|f| FileView::table(site, ui, f))
                    .collect(),
                columns: t
                    .columns
                    .iter()
                    .map(|c| ColumnView {
                        entry: c,
                        title_shown: shown(ui, c.title),
                        kind_shown: match ui.language() {
                            Language::Japanese => c.kind.to_string(),
                            _ => ui.plain(&format!("data.kind_{}", c.kind_key)),
                        },
                        empty_shown: ui.plain(match c.required {
                            true => "data.empty_never",
                            false => "data.empty_allowed",
                        }),
                    })
                    .collect(),
            }
        })
        .collect();
    let separator = ui.plain("format.list_separator");
    let revisions = catalogue
        .revisions
        .iter()
        .map(|r| {
            let mut measures_shown = r.measures.join(&separator);
            if r.more_measures > 0 {
                measures_shown.push_str(&ui.fill(
                    "data.more_measures",
                    &[("count", &r.more_measures.to_string())],
                ));
            }
            RevisionView {
                entry: r,
                measures_shown,
            }
        })
        .collect();
    let catalogue = CatalogueView {
        tables,
        package: FileView::table(site, ui, &catalogue.package),
        dcat: FileView::of(site, ui, &catalogue.dcat, "application/ld+json"),
        json_ld: &catalogue.json_ld,
        version: &catalogue.version,
        modified: &catalogue.modified,
        revisions,
    };
    let license = &site.config.data_license;
    let license_name = match japanese_only(site) {
        Some(lang)
            if license
                .name
                .chars()
                .any(super::glossary::is_japanese_letter) =>
        {
            format!("<span lang=\"{lang}\">{}</span>", escape(&license.name))
        }
        _ => escape(&license.name),
    };
    let license_link = match &license.url {
        Some(url) => format!("<a href=\"{}\">{license_name}</a>", escape(url)),
        None => license_name,
    };
    let intro_key = match (site.has_kpis(), !site.activity.is_empty()) {
        (true, true) => "data.intro_kpis_activity",
        (true, false) => "data.intro_kpis",
        (false, true) => "data.intro_activity",
        (false, false) => "data.intro",
    };
    let per_measure_html = match site.has_kpis() {
        true => ui.fill_html_raw(
            "data.per_measure",
            &[
                (
                    "file",
                    &code(&format!(
                        "measures/{}.csv",
                        ui.plain("data.measure_id_placeholder")
                    )),
                ),
                ("json", &code("kpi_values.json")),
                ("column", &code("measure_id")),
            ],
        ),
        false => ui.html("data.charts_only"),
    };
    let usage_html = vec![
        ui.html("data.usage_encoding"),
        ui.html("data.usage_one_value"),
        ui.html("data.usage_empty"),
        ui.html("data.usage_years"),
        ui.html("data.usage_as_written"),
        ui.fill_html_raw(
            "data.usage_identity",
            &[("code", &code("city_code")), ("name", &code("city_name"))],
        ),
        ui.fill_html_raw(
            "data.usage_keys",
            &[
                ("achievement", &code("achievement_key")),
                ("progress", &code("progress_key")),
                ("base_unit", &code("base_unit")),
                ("unit_scale", &code("unit_scale")),
            ],
        ),
        ui.fill_html_raw("data.usage_text", &[("markdown", &code("_markdown"))]),
        ui.fill_html_raw(
            "data.usage_formulas",
            &[
                ("equals", &code("=")),
                ("plus", &code("+")),
                ("minus", &code("-")),
                ("at", &code("@")),
                ("quote", &code("'")),
                ("example", &code("'-")),
            ],
        ),
    ];
    let version_html = ui.fill_html_raw(
        "data.version",
        &[
            ("version", &escape(catalogue.version)),
            ("modified", &escape(catalogue.modified)),
            (
                "schema",
                &code(&format!(
                    "schema/{}.json",
                    ui.plain("data.table_name_placeholder")
                )),
            ),
        ],
    );
    let view = DataView {
        catalogue,
        package_href: file_href(site, "datapackage.json"),
        has_activity: !site.activity.is_empty(),
        has_kpis: site.has_kpis(),
        license,
        intro_html: ui.html(intro_key),
        license_html: ui.fill_html_raw("data.license_terms", &[("license", &license_link)]),
        version_html,
        per_measure_html,
        usage_html,
        content_lang: japanese_only(site),
        japanese_note: japanese_only(site).map(|_| ui.html("data.descriptions_japanese")),
    };
    let description = ui.fill(
        match site.has_kpis() {
            true => "data.description_kpis",
            false => "data.description",
        },
        &[("plan", &site.plan.title)],
    );
    Page::new(
        Route::data(),
        "data.html",
        ui.plain("data.title"),
        description,
        view,
    )
    .breadcrumbs(vec![(ui.plain("nav.home"), Route::home())])
}
