//! Open data (`data/`): every table of the plan as CSV and JSON, a Frictionless Data Package
//! (`datapackage.json`) describing them, and one KPI file per measure for its page. The data
//! page (`data/index.html`) is rendered from [`catalogue`], so the sizes and column lists it
//! shows are those of the files actually written.

mod activity;
mod glossary;
mod kpi;
mod measures;
pub mod table;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use crate::fiscal::FiscalYear;
use crate::model::Site;
use crate::output::{Output, Sink, WriteError};
use table::{Table, Value};

/// The folder of the data files, relative to the site root.
pub const DIR: &str = "data/";

/// Every table, in the order the data page and the package list them.
pub fn tables(site: &Site) -> Vec<Table> {
    let mut tables = vec![
        measures::policies(site),
        measures::measures(site),
        measures::measure_departments(site),
        measures::measure_schedule(site),
        kpi::kpis(site),
        kpi::kpi_values(site),
        glossary::glossary(site),
        glossary::glossary_aliases(site),
    ];
    if !site.activity.is_empty() {
        tables.extend([
            activity::activity_plans(site),
            activity::activity_tasks(site),
            activity::activity_quarter_work(site),
            activity::activity_related_measures(site),
        ]);
    }
    tables
}

/// The fiscal year as the Western year it starts in: the machine-readable form.
fn fiscal_year(y: FiscalYear) -> Value {
    Value::int(y.western())
}

/// The fiscal year in the Japanese era (`令和4年度`), beside the Western year.
fn wareki(y: FiscalYear) -> Value {
    Value::Text(y.label())
}

/// Where one measure's KPI values are written (`data/measures/01-01.csv`).
pub fn measure_file(id: &str, ext: &str) -> String {
    format!("{DIR}measures/{id}.{ext}")
}

/// Writes every open-data file into `sink` as soon as it is made (the tables of a large site
/// run to hundreds of megabytes) and returns the catalogue for the data page.
pub fn files(site: &Site, sink: &dyn Sink) -> Result<Catalogue, WriteError> {
    let tables = tables(site);
    let mut entries = Vec::new();
    for t in &tables {
        let csv = t.to_csv();
        let json = t.to_json();
        entries.push(TableEntry {
            name: t.name,
            title: t.title,
            description: t.description,
            rows: t.rows.len(),
            files: vec![
                FileEntry::new(format!("{}.csv", t.name), "CSV", csv.len()),
                FileEntry::new(format!("{}.json", t.name), "JSON", json.len()),
            ],
            columns: t
                .fields
                .iter()
                .map(|f| ColumnEntry {
                    name: f.name,
                    title: f.title,
                    kind: f.kind.label(),
                    required: f.required,
                    description: f.description,
                })
                .collect(),
        });
        sink.put(Output::new(format!("{DIR}{}.csv", t.name), csv))?;
        sink.put(Output::new(format!("{DIR}{}.json", t.name), json))?;
    }
    let package = datapackage(site, &tables);
    let package_size = package.len();
    sink.put(Output::new(format!("{DIR}datapackage.json"), package))?;

    // One file per measure: that measure's rows of kpi_values, same columns. Grouped in one
    // pass: with 10,000 measures, filtering the whole table per measure is quadratic.
    if let Some(values) = tables.iter().find(|t| t.name == "kpi_values") {
        let id_col = values.column("measure_id").unwrap_or(0);
        let mut by_measure: BTreeMap<&str, Vec<Vec<Value>>> = BTreeMap::new();
        for row in &values.rows {
            if let Value::Text(id) = &row[id_col] {
                by_measure.entry(id).or_default().push(row.clone());
            }
        }
        let groups: Vec<(&str, Vec<Vec<Value>>)> = site
            .measures
            .iter()
            .map(|m| {
                (
                    m.id.as_str(),
                    by_measure.remove(m.id.as_str()).unwrap_or_default(),
                )
            })
            .collect();
        use rayon::prelude::*;
        groups.into_par_iter().try_for_each(|(id, rows)| {
            let own = values.with_rows(rows);
            sink.put(Output::new(measure_file(id, "csv"), own.to_csv()))?;
            sink.put(Output::new(measure_file(id, "json"), own.to_json()))
        })?;
    }
    Ok(Catalogue {
        tables: entries,
        package: FileEntry::new("datapackage.json".into(), "JSON", package_size),
    })
}

/// `datapackage.json`: a Tabular Data Package (Frictionless Data Package v1) describing every
/// CSV file with its Table Schema, primary and foreign keys.
fn datapackage(site: &Site, tables: &[Table]) -> Vec<u8> {
    let license = &site.config.data_license;
    let mut license_json = json!({ "title": license.name });
    if let Some(url) = &license.url {
        license_json["path"] = json!(url);
    }
    let resources: Vec<serde_json::Value> = tables
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "path": format!("{}.csv", t.name),
                "title": t.title,
                "description": t.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "header": true },
                "schema": t.schema(),
            })
        })
        .collect();
    let package = json!({
        "profile": "tabular-data-package",
        "name": package_name(&site.config.base_url),
        "title": format!("{}（{}）", site.plan.title, site.config.city),
        "description": format!(
            "{}の{}の施策・成果目標（目標値・実績値）・用語の説明・年間活動計画。CSV は UTF-8（BOM付き）。",
            site.config.city, site.plan.title
        ),
        "homepage": site.config.base_url,
        "created": site.last_updated().rfc3339_jst(),
        "licenses": [license_json],
        "resources": resources,
    });
    let mut bytes = serde_json::to_vec_pretty(&package).expect("JSON to memory");
    bytes.push(b'\n');
    bytes
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

/// What the data page lists.
#[derive(Serialize)]
pub struct Catalogue {
    pub tables: Vec<TableEntry>,
    pub package: FileEntry,
}

#[derive(Serialize)]
pub struct TableEntry {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub rows: usize,
    pub files: Vec<FileEntry>,
    pub columns: Vec<ColumnEntry>,
}

#[derive(Serialize)]
pub struct FileEntry {
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
pub struct ColumnEntry {
    pub name: &'static str,
    pub title: &'static str,
    pub kind: &'static str,
    pub required: bool,
    pub description: &'static str,
}

/// `834 バイト`, `12.3 KB`, `4.5 MB` (1 KB = 1,024 bytes).
pub fn human_size(bytes: usize) -> String {
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

    #[test]
    fn package_names_come_from_the_url() {
        assert_eq!(
            package_name("https://www.city.example.lg.jp/shisei/dx/"),
            "www.city.example.lg.jp-shisei-dx"
        );
        assert_eq!(package_name("https://A.jp/"), "a.jp");
    }

    #[test]
    fn sizes_are_human() {
        assert_eq!(human_size(834), "834 バイト");
        assert_eq!(human_size(12_600), "12.3 KB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
    }
}
