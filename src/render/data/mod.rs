//! Open data (`data/`): every table of the plan as CSV and JSON, a Frictionless Data Package
//! (`datapackage.json`) describing every one of those files, one KPI CSV file per measure for
//! its page (people download one measure; the whole-plan JSON has the same rows, keyed by
//! `measure_id`, so a JSON file per measure would only repeat it), the Table Schema of each table (`schema/<table>.json`) and a DCAT catalogue
//! (`catalog.jsonld`) for open-data portals. The data page (`data/index.html`) is rendered
//! from the `Catalogue` that `files` returns, so the sizes and row counts it shows are those
//! of the files actually written, and it carries the schema.org `Dataset` for dataset search.
//!
//! Each table is defined once (schema and row builder, in the submodules) and its rows are
//! written straight to CSV and JSON bytes (`table::Rows`). The tables with rows per measure
//! are written measure by measure: a site of 10,000 measures never holds a whole table.
//! Every date in the metadata comes from the content ([`Site::last_updated`]), never from the
//! build time, so that rebuilding unchanged content changes no byte.

mod activity;
mod catalog;
mod english;
mod glossary;
mod kpi;
mod measures;
pub mod table;
pub mod text;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::date::Date;
use crate::fiscal::FiscalYear;
use crate::model::{Measure, SectionDef, Site};
use crate::output::{Output, Sink, WriteError};
use table::{Chunk, Source, Table, TableWriter, Value, Written};

/// The English name of a table or column whose Japanese name is `japanese` (the names the
/// Data Package gives as `title_translated.en`), for the data page of the English tree.
pub(crate) fn english_title(japanese: &str) -> Option<&'static str> {
    english::title(japanese)
}

/// The folder of the data files, relative to the site root.
pub(crate) const DIR: &str = "data/";

/// The table whose rows of one measure make that measure's own files.
const MEASURE_FILES_TABLE: &str = "kpi_values";

/// Measures whose rows are made in parallel and then appended, in order, to the whole-table
/// files: memory stays bounded by one batch, however many measures the site has.
const BATCH: usize = 256;

/// Every published table's name and its columns' names, in the order the data page and the
/// package list them: what the documentation of the open data must describe (the test that
/// docs/open-data.md names every column reads this).
pub fn published_columns(site: &Site) -> Vec<(&'static str, Vec<&'static str>)> {
    tables(site)
        .iter()
        .map(|t| (t.name, t.fields.iter().map(|f| f.name).collect()))
        .collect()
}

/// Every table as the site publishes it (the city's identity columns first), in the order
/// the data page and the package list them. Only the tables of what the plan has: a plan
/// without policies, departments or KPIs publishes no empty table (and no schema) for them.
pub(crate) fn tables(site: &Site) -> Vec<Table> {
    let mut tables = Vec::new();
    if !site.plan.policies.is_empty() {
        tables.push(measures::policies());
    }
    tables.push(measures::measures(site));
    if site.plan.sections != SectionDef::defaults() {
        tables.push(measures::measure_sections());
    }
    if site.has_departments() {
        tables.push(measures::measure_departments(site));
    }
    tables.push(measures::measure_schedule());
    if site.has_kpis() {
        tables.extend([kpi::kpis(), kpi::kpi_values(), kpi::kpi_target_revisions()]);
    }
    if !site.plan_list.is_empty() {
        tables.push(measures::lineage());
    }
    tables.extend([glossary::glossary(), glossary::glossary_aliases()]);
    if !site.activity.is_empty() {
        tables.extend([
            activity::activity_plans(site),
            activity::activity_tasks(),
            activity::activity_quarter_work(),
            activity::activity_related_measures(),
        ]);
    }
    tables.into_iter().map(|t| t.published(site)).collect()
}

/// The fiscal year as the Western year it starts in: the machine-readable form.
fn fiscal_year(y: FiscalYear) -> Value<'static> {
    Value::int(y.western())
}

/// The fiscal year in the Japanese era (`令和4年度`), beside the Western year.
fn wareki(y: FiscalYear) -> Value<'static> {
    Value::string(y.label())
}

/// Where one measure's KPI values are written (`data/measures/01-01.csv`).
pub(crate) fn measure_file(id: &str, ext: &str) -> String {
    format!("{DIR}measures/{id}.{ext}")
}

/// One measure's own data file (`data/measures/<id>.csv`): its rows of `kpi_values`, same
/// columns. It depends on that measure and the site's configuration alone, so one changed
/// measure can be re-rendered without the rest.
pub fn measure_files(site: &Site, m: &Measure) -> Vec<Output> {
    if !site.has_kpis() {
        return Vec::new();
    }
    let table = kpi::kpi_values().published(site);
    own_files(&table, m, &table.measure_rows(site, m))
}

fn own_files(table: &Table, m: &Measure, rows: &Chunk) -> Vec<Output> {
    let (csv, _) = table.files(rows);
    vec![Output::new(measure_file(&m.id, "csv"), csv)]
}

fn table_path(t: &Table, ext: &str) -> String {
    format!("{DIR}{}.{ext}", t.name)
}

/// Where a table's Table Schema is written, relative to `data/`.
fn schema_file(t: &Table) -> String {
    format!("schema/{}.json", t.name)
}

/// Writes every open-data file into `sink` and returns the catalogue for the data page. The
/// tables of a large site run to hundreds of megabytes, so the per-measure tables are made
/// measure by measure, a batch at a time, and streamed into their files; each measure's own
/// files are made from the same rows.
pub(crate) fn files(site: &Site, sink: &dyn Sink) -> Result<Catalogue, WriteError> {
    files_in_batches(site, sink, BATCH)
}

fn files_in_batches(site: &Site, sink: &dyn Sink, batch: usize) -> Result<Catalogue, WriteError> {
    let tables = tables(site);
    let mut written: Vec<Option<Written>> = vec![None; tables.len()];

    for (i, t) in tables.iter().enumerate() {
        sink.put(Output::new(
            format!("{DIR}{}", schema_file(t)),
            pretty(&t.schema()),
        ))?;
        if let Source::Site(_) = t.source {
            let rows = t.site_rows(site);
            let (csv, json) = t.files(&rows);
            written[i] = Some(Written {
                rows: rows.rows,
                csv_bytes: csv.len(),
                json_bytes: json.len(),
            });
            sink.put(Output::new(table_path(t, "csv"), csv))?;
            sink.put(Output::new(table_path(t, "json"), json))?;
        }
    }

    // The per-measure tables, then the per-plan ones; each measure's own files are made
    // from the same rows as the whole tables.
    let own = tables.iter().position(|t| t.name == MEASURE_FILES_TABLE);
    stream_tables(
        &tables,
        |t| matches!(t.source, Source::Measure(_)),
        &site.measures,
        batch,
        sink,
        &mut written,
        |i, m| {
            let chunk = tables[i].measure_rows(site, m);
            if Some(i) == own {
                for o in own_files(&tables[i], m, &chunk) {
                    sink.put(o)?;
                }
            }
            Ok(chunk)
        },
    )?;
    stream_tables(
        &tables,
        |t| matches!(t.source, Source::Activity(_)),
        &site.activity,
        batch,
        sink,
        &mut written,
        |i, p| Ok(tables[i].plan_rows(site, p)),
    )?;

    let entries: Vec<TableEntry> = tables
        .iter()
        .zip(written)
        .map(|(t, w)| {
            let w = w.expect("every table is written");
            TableEntry {
                name: t.name,
                title: t.title,
                description: t.description,
                rows: w.rows,
                files: vec![
                    FileEntry::new(format!("{}.csv", t.name), "CSV", w.csv_bytes),
                    FileEntry::new(format!("{}.json", t.name), "JSON", w.json_bytes),
                ],
                schema: schema_file(t),
                columns: t
                    .fields
                    .iter()
                    .map(|f| ColumnEntry {
                        name: f.name,
                        title: f.title,
                        kind: f.kind.label(),
                        kind_key: f.kind.schema_name(),
                        required: f.required,
                        json_only: f.json_only,
                        description: f.description,
                    })
                    .collect(),
            }
        })
        .collect();
    let rows: Vec<usize> = entries.iter().map(|e| e.rows).collect();
    let package = datapackage(site, &tables, &rows);
    let package_size = package.len();
    sink.put(Output::new(format!("{DIR}datapackage.json"), package))?;
    let package = FileEntry::new("datapackage.json".into(), "JSON", package_size);
    let dcat = catalog::dcat(site, &entries, &package);
    let dcat_size = dcat.len();
    sink.put(Output::new(format!("{DIR}{}", catalog::FILE), dcat))?;
    let dcat = FileEntry::new(catalog::FILE.into(), "JSON-LD", dcat_size);
    let json_ld = catalog::schema_org(site, &entries, &package, &dcat);
    Ok(Catalogue {
        tables: entries,
        package,
        dcat,
        json_ld,
        version: version(site),
        modified: site.last_updated().to_string(),
        revisions: revisions(site),
    })
}

/// Writes the tables that `streamed` picks, whose rows come unit by unit (a measure, a
/// plan): `batch` units have their rows made in parallel, then appended in order to every
/// table's files, so memory stays bounded by one batch however large the site.
#[allow(clippy::too_many_arguments)]
fn stream_tables<U: Sync>(
    tables: &[Table],
    streamed: impl Fn(&Table) -> bool,
    units: &[U],
    batch: usize,
    sink: &dyn Sink,
    written: &mut [Option<Written>],
    rows: impl Fn(usize, &U) -> Result<Chunk, WriteError> + Sync,
) -> Result<(), WriteError> {
    let picked: Vec<usize> = (0..tables.len())
        .filter(|&i| streamed(&tables[i]))
        .collect();
    let mut writers: Vec<TableWriter> = picked
        .iter()
        .map(|&i| {
            let t = &tables[i];
            t.stream(sink, &table_path(t, "csv"), &table_path(t, "json"))
        })
        .collect::<Result<_, _>>()?;
    for units in units.chunks(batch.max(1)) {
        let chunks: Vec<Vec<Chunk>> = units
            .par_iter()
            .map(|u| picked.iter().map(|&i| rows(i, u)).collect())
            .collect::<Result<_, WriteError>>()?;
        for chunks in &chunks {
            for (w, chunk) in writers.iter_mut().zip(chunks) {
                w.append(chunk)?;
            }
        }
    }
    for (&i, w) in picked.iter().zip(writers) {
        written[i] = Some(w.finish()?);
    }
    Ok(())
}

/// Pretty JSON with a final line end, as every metadata file is written.
fn pretty(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON to memory");
    bytes.push(b'\n');
    bytes
}

/// The package's version: the date of the latest change in the content as a calendar version
/// (`2024-08-01` → `2024.8.1`, a valid semantic version), so that it changes exactly when the
/// content says it changed.
fn version(site: &Site) -> String {
    let date = site.last_updated().to_string();
    date.split('-')
        .map(|part| part.trim_start_matches('0'))
        .collect::<Vec<_>>()
        .join(".")
}

/// The first and last day of the plan period (1 April of the first fiscal year, 31 March after
/// the last): the temporal coverage of every dataset.
fn period_dates(site: &Site) -> (Date, Date) {
    let period = site.plan.period;
    let end = Date::new(period.end.western() + 1, 3, 31).expect("31 March exists");
    (Date::start_of(period.start), end)
}

/// A resource name that Data Package accepts (lower-case ASCII, digits, `-_.`) for a measure
/// ID, which may hold capitals: a capital becomes `_` and its lower case, so that `01-A` and
/// `01-a` stay apart.
fn resource_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 2);
    for c in id.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The plan as descriptions name it: its title, preceded by the city only when the title
/// does not already start with it (no 「木更津市の木更津市DX推進計画」).
pub(super) fn plan_of_city(site: &Site) -> String {
    site.plan_with_city("の")
}

/// What the open data holds, naming only what the plan has (KPIs and their revisions when
/// `revisions`, activity plans).
pub(super) fn contents(site: &Site, revisions: bool) -> String {
    let mut parts = vec!["施策"];
    if site.has_kpis() {
        parts.push("成果目標（目標値・実績値）");
        if revisions {
            parts.push("目標値の改訂履歴");
        }
    }
    parts.push("用語の説明");
    if !site.activity.is_empty() {
        parts.push("年間活動計画");
    }
    parts.join("・")
}

/// What the package holds: see [`contents`].
fn package_description(site: &Site) -> String {
    format!(
        "{}の{}。CSV は UTF-8（BOM付き）。",
        plan_of_city(site),
        contents(site, false)
    )
}

/// The package's keywords: the KPI words only for a plan that has KPIs.
pub(super) fn keywords(site: &Site) -> Vec<&str> {
    let mut words = vec![
        site.plan.title.as_str(),
        site.config.city.as_str(),
        "行政計画",
    ];
    if site.has_kpis() {
        words.extend(["成果目標", "KPI"]);
    }
    words.push("オープンデータ");
    words
}

/// `datapackage.json`: a Tabular Data Package (Frictionless Data Package v1) describing every
/// data file — each table's CSV and JSON, and each measure's own CSV — with its Table Schema,
/// primary and foreign keys. `rows` is the number of rows of each table.
///
/// A JSON file is an array of arrays: its first row names the columns (`dialect.header`),
/// every other row is one row of the table, its cells in the same order, `null` for an
/// empty cell — the CSV file's layout, which Frictionless reads as it reads the CSV.
///
/// A JSON file without rows (a table the site has nothing for) is the one file left out, as
/// it always was: the package lists only tables with something to read. Its CSV twin, header
/// only, is listed.
fn datapackage(site: &Site, tables: &[Table], rows: &[usize]) -> Vec<u8> {
    let license = &site.config.data_license;
    let mut license_json = json!({ "title": license.name });
    if let Some(url) = &license.url {
        license_json["path"] = json!(url);
    }
    // One resource of the package: a CSV file (with its dialect) or its JSON twin.
    let resource = |csv: bool, name: String, path: String, title: String, description: String| {
        let mut r = json!({
            "name": name,
            "path": path,
            "title": title,
            "description": description,
            "profile": "tabular-data-resource",
            "format": if csv { "csv" } else { "json" },
            "mediatype": if csv { "text/csv" } else { "application/json" },
            "encoding": "utf-8",
        });
        if csv {
            r["dialect"] = json!({ "delimiter": ",", "lineTerminator": "\r\n", "header": true });
        }
        r
    };
    let csv_resource =
        |name, path, title, description| resource(true, name, path, title, description);
    let json_resource =
        |name, path, title, description| resource(false, name, path, title, description);
    let mut resources = Vec::new();
    for (t, &rows) in tables.iter().zip(rows) {
        let mut csv = csv_resource(
            t.name.to_string(),
            format!("{}.csv", t.name),
            t.title.to_string(),
            t.description.to_string(),
        );
        csv["schema"] = t.schema();
        resources.push(csv);
        let mut json = json_resource(
            format!("{}-json", t.name),
            format!("{}.json", t.name),
            format!("{}（JSON）", t.title),
            format!(
                "{} と同じ行の JSON（配列の配列。先頭の配列が列名、以降が1行ずつ。空欄は null）{}",
                format_args!("{}.csv", t.name),
                if t.has_json_only() {
                    "。Markdown の列（*_markdown）は JSON のみ"
                } else {
                    ""
                }
            ),
        );
        json["schema"] = t.json_schema();
        json["dialect"] = json!({ "header": true });
        if rows > 0 {
            resources.push(json);
        }
    }
    if let Some(t) = tables.iter().find(|t| t.name == MEASURE_FILES_TABLE) {
        // Each measure's own file: the same schema, kept once in its own file.
        let schema = json!(schema_file(t));
        for m in &site.measures {
            let mut csv = csv_resource(
                format!("{}-{}", t.name, resource_id(&m.id)),
                format!("measures/{}.csv", m.id),
                format!("{}（施策 {}）", t.title, m.id),
                format!(
                    "{}.csv のうち施策 {} の行（施策のページからダウンロード）",
                    t.name, m.id
                ),
            );
            csv["schema"] = schema.clone();
            resources.push(csv);
        }
    }
    let mut publisher = json!({ "title": site.config.city, "role": "publisher" });
    if let Some(url) = site.config.contact.as_ref().and_then(|c| c.url.as_ref()) {
        publisher["path"] = json!(url);
    }
    english::add_resource_titles(&mut resources, tables);
    let (start, end) = period_dates(site);
    let package = json!({
        "profile": "tabular-data-package",
        "name": package_name(&site.config.base_url),
        "title": format!("{}（{}）", site.plan.title, site.config.city),
        "description": package_description(site),
        "homepage": site.config.base_url,
        "version": version(site),
        "created": site.last_updated().rfc3339_jst(),
        "last_modified": site.last_updated().to_string(),
        "keywords": keywords(site),
        "contributors": [publisher],
        "city_code": site.config.city_code,
        "city_name": site.config.city,
        "temporal": { "start": start.to_string(), "end": end.to_string() },
        "licenses": [license_json],
        "resources": resources,
    });
    pretty(&package)
}

/// A package name as Data Package wants it (lower-case ASCII, `-_.`), from the site's URL:
/// `https://www.city.example.lg.jp/shisei/dx/` → `www.city.example.lg.jp-shisei-dx`.
fn package_name(base_url: &str) -> String {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let mut name = String::new();
    for c in rest.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_matches('-').to_string();
    if name.is_empty() {
        "keikaku-plan".to_string()
    } else {
        name
    }
}

/// How many measures a changelog line names; the rest are counted.
const LISTED_MEASURES: usize = 20;

/// The revisions the content records, one line each for the data page's changelog: which
/// revision changed how many targets of which measures. Newest first.
fn revisions(site: &Site) -> Vec<RevisionEntry> {
    let mut by_name: Vec<RevisionEntry> = Vec::new();
    for m in &site.measures {
        for k in &m.kpis {
            for r in &k.revisions {
                let entry = match by_name.iter_mut().find(|e| e.revision == r.revision) {
                    Some(e) => e,
                    None => {
                        by_name.push(RevisionEntry {
                            revision: r.revision.clone(),
                            date: Date::from_revision(&r.revision).map(|d| d.to_string()),
                            targets: 0,
                            measures: Vec::new(),
                            more_measures: 0,
                            last_measure: None,
                        });
                        by_name.last_mut().expect("just pushed")
                    }
                };
                entry.targets += r.before.len();
                if entry.last_measure.as_ref() != Some(&m.id) {
                    entry.last_measure = Some(m.id.clone());
                    if entry.measures.len() < LISTED_MEASURES {
                        entry.measures.push(m.id.clone());
                    } else {
                        entry.more_measures += 1;
                    }
                }
            }
        }
    }
    by_name.sort_by(|a, b| b.date.cmp(&a.date).then(a.revision.cmp(&b.revision)));
    by_name
}

/// What the data page lists.
#[derive(Serialize)]
pub(crate) struct Catalogue {
    pub tables: Vec<TableEntry>,
    pub package: FileEntry,
    /// The DCAT catalogue (`catalog.jsonld`).
    pub dcat: FileEntry,
    /// The schema.org `Dataset` of the data page, as JSON-LD ready for a `<script>` element.
    pub json_ld: String,
    /// The package's version (`2024.8.1`) and the date it stands for.
    pub version: String,
    pub modified: String,
    /// The revisions recorded in the content, newest first.
    pub revisions: Vec<RevisionEntry>,
}

#[derive(Serialize)]
pub(crate) struct TableEntry {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub rows: usize,
    pub files: Vec<FileEntry>,
    /// The Table Schema file, relative to `data/`.
    pub schema: String,
    pub columns: Vec<ColumnEntry>,
}

#[derive(Serialize)]
pub(crate) struct FileEntry {
    /// File name inside `data/`.
    pub file: String,
    pub format: &'static str,
    pub bytes: usize,
    /// `12.3 KB`.
    pub size: String,
}

impl FileEntry {
    fn new(file: String, format: &'static str, bytes: usize) -> FileEntry {
        FileEntry {
            file,
            format,
            bytes,
            size: human_size(bytes),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct ColumnEntry {
    pub name: &'static str,
    pub title: &'static str,
    pub kind: &'static str,
    /// The Table Schema name of the type (`string`), for pages in other languages.
    pub kind_key: &'static str,
    pub required: bool,
    /// A Markdown column of the JSON file only.
    pub json_only: bool,
    pub description: &'static str,
}

/// One revision of the plan's targets, for the changelog on the data page.
#[derive(Serialize)]
pub struct RevisionEntry {
    /// The revision as the content names it (`令和6年8月改訂`).
    pub revision: String,
    /// The first day of the month the revision names (`2024-08-01`), if it names one.
    pub date: Option<String>,
    /// How many target values (KPI × fiscal year) it changed.
    pub targets: usize,
    /// The first measures whose targets it changed, in ID order, and how many more there are
    /// (a large plan's revision may touch thousands).
    pub measures: Vec<String>,
    /// How many measures beyond those in `measures` it changed.
    pub more_measures: usize,
    #[serde(skip)]
    last_measure: Option<String>,
}

/// `834 バイト`, `12.3 KB`, `4.5 MB` (1 KB = 1,024 bytes).
pub(crate) fn human_size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} バイト")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Collect;
    use std::collections::BTreeMap;

    fn example_site() -> Site {
        let mut diags = crate::diagnostics::Diagnostics::default();
        crate::build::Pipeline::new(env!("CARGO_MANIFEST_DIR"))
            .site(&mut diags)
            .expect("example site loads")
    }

    type Sizes = Vec<(usize, usize, usize)>;

    fn write(site: &Site, batch: usize) -> (Vec<Output>, Sizes) {
        let sink = Collect::default();
        let catalogue = files_in_batches(site, &sink, batch).unwrap();
        let sizes = catalogue
            .tables
            .iter()
            .map(|t| (t.rows, t.files[0].bytes, t.files[1].bytes))
            .collect();
        (sink.into_sorted(), sizes)
    }

    #[test]
    fn streamed_tables_are_every_row_in_order_whatever_the_batch() {
        let site = example_site();
        assert!(
            site.measures.len() > 7 && site.activity.len() > 7,
            "enough measures and plans for several batches"
        );
        let (outputs, sizes) = write(&site, BATCH);
        for batch in [1, 3, 7] {
            assert!(
                write(&site, batch) == (outputs.clone(), sizes.clone()),
                "batch {batch}"
            );
        }
        let tree: BTreeMap<&str, &[u8]> = outputs
            .iter()
            .map(|o| (o.path.as_str(), &o.bytes[..]))
            .collect();
        let tables = tables(&site);
        let (mut per_measure, mut per_plan) = (0, 0);
        for (t, &(rows, csv_bytes, json_bytes)) in tables.iter().zip(&sizes) {
            let whole = t.site_rows(&site);
            // One measure (or plan) at a time, concatenated: the same bytes as the streamed
            // table.
            let parts: Vec<Chunk> = match t.source {
                Source::Measure(_) => {
                    per_measure += 1;
                    site.measures
                        .iter()
                        .map(|m| t.measure_rows(&site, m))
                        .collect()
                }
                Source::Activity(_) => {
                    per_plan += 1;
                    site.activity
                        .iter()
                        .map(|p| t.plan_rows(&site, p))
                        .collect()
                }
                Source::Site(_) => Vec::new(),
            };
            if !parts.is_empty() {
                let mut joined = Chunk::default();
                for own in parts {
                    joined.csv.extend_from_slice(&own.csv);
                    joined.json.extend_from_slice(&own.json);
                    joined.rows += own.rows;
                }
                assert_eq!(joined, whole, "{}", t.name);
            }
            let (csv, json) = t.files(&whole);
            assert!(tree[table_path(t, "csv").as_str()] == csv, "{}", t.name);
            assert!(tree[table_path(t, "json").as_str()] == json, "{}", t.name);
            assert_eq!(
                (rows, csv_bytes, json_bytes),
                (whole.rows, csv.len(), json.len())
            );
            assert!(whole.rows > 0, "{} has rows", t.name);
        }
        // measures, measure_departments, measure_schedule, kpis, kpi_values,
        // kpi_target_revisions; the four activity tables.
        assert_eq!((per_measure, per_plan), (6, 4));
        for m in &site.measures {
            let own = measure_files(&site, m);
            assert_eq!(own.len(), 1);
            for o in own {
                assert!(tree[o.path.as_str()] == o.bytes, "{}", o.path);
            }
        }
    }

    #[test]
    fn package_names_come_from_the_url() {
        assert_eq!(
            package_name("https://www.city.example.lg.jp/shisei/dx/"),
            "www.city.example.lg.jp-shisei-dx"
        );
        assert_eq!(package_name("https://A.jp/"), "a.jp");
    }

    #[test]
    fn resource_names_keep_measure_ids_apart_in_lower_case() {
        assert_eq!(resource_id("01-01"), "01-01");
        assert_eq!(resource_id("01-A"), "01-_a");
        assert_ne!(resource_id("01-A"), resource_id("01-a"));
    }

    #[test]
    fn the_version_and_dates_come_from_the_content() {
        let site = example_site();
        assert_eq!(version(&site), "2024.8.1");
        let (start, end) = period_dates(&site);
        assert_eq!(
            (start.to_string(), end.to_string()),
            ("2022-04-01".into(), "2026-03-31".into())
        );
    }

    #[test]
    fn sizes_are_human() {
        assert_eq!(human_size(834), "834 バイト");
        assert_eq!(human_size(12_600), "12.3 KB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
    }
}
