//! The open-data page: every table's files with their sizes, and every column explained.

use serde::Serialize;

use super::Page;
use crate::model::{License, Site};
use crate::render::data::{Catalogue, ColumnEntry, FileEntry, RevisionEntry};
use crate::url::Route;

#[derive(Serialize)]
pub(crate) struct DataView<'a> {
    catalogue: CatalogueView<'a>,
    package_href: &'static str,
    has_activity: bool,
    /// Whether the plan has KPIs (and so KPI tables and per-measure KPI files).
    has_kpis: bool,
    license: &'a License,
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
    revisions: &'a [RevisionEntry],
}

#[derive(Serialize)]
struct TableView<'a> {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    rows: usize,
    files: Vec<FileView<'a>>,
    columns: &'a [ColumnEntry],
}

/// A file as the page links it: with the media type its link announces.
#[derive(Serialize)]
struct FileView<'a> {
    #[serde(flatten)]
    entry: &'a FileEntry,
    media_type: &'static str,
}

impl<'a> FileView<'a> {
    fn of(entry: &'a FileEntry) -> FileView<'a> {
        FileView {
            entry,
            media_type: match entry.format {
                "CSV" => "text/csv",
                _ => "application/json",
            },
        }
    }
}

/// The page listing `catalogue`, the files [`crate::render::data::files`] wrote.
pub(crate) fn page<'a>(site: &'a Site, catalogue: &'a Catalogue) -> Page<DataView<'a>> {
    let catalogue = CatalogueView {
        tables: catalogue
            .tables
            .iter()
            .map(|t| TableView {
                name: t.name,
                title: t.title,
                description: t.description,
                rows: t.rows,
                files: t.files.iter().map(FileView::of).collect(),
                columns: &t.columns,
            })
            .collect(),
        package: FileView::of(&catalogue.package),
        dcat: FileView {
            entry: &catalogue.dcat,
            media_type: "application/ld+json",
        },
        json_ld: &catalogue.json_ld,
        version: &catalogue.version,
        modified: &catalogue.modified,
        revisions: &catalogue.revisions,
    };
    let view = DataView {
        catalogue,
        package_href: "datapackage.json",
        has_activity: !site.activity.is_empty(),
        has_kpis: site.has_kpis(),
        license: &site.config.data_license,
    };
    let description = format!(
        "{}の施策{}・用語の説明などのデータ（CSV・JSON）のダウンロードと列の説明",
        site.plan.title,
        if site.has_kpis() {
            "・成果目標"
        } else {
            ""
        }
    );
    Page::new(
        Route::data(),
        "data.html",
        "オープンデータ".into(),
        description,
        view,
    )
}
