//! Open data, feeds and link shapes of the example site: the CSV and JSON files read back to
//! the values of the content; dates in feeds come from the content; every internal link of a
//! sub-path build and of a `--file-links` build resolves to a file.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{copy_tree, repo_root};
use keikaku::build::Pipeline;
use keikaku::diagnostics::Diagnostics;
use keikaku::kpi::achievement;
use keikaku::kpi::cell::{Cell, CellValue, Quantity, SeriesValue};
use keikaku::model::Site;
use keikaku::render::data::text;
use keikaku::validate::Overrides;

fn outputs(root: &Path, overrides: &Overrides) -> (Site, BTreeMap<String, Vec<u8>>) {
    let mut diags = Diagnostics::default();
    let mut pipeline = Pipeline::new(root).with_overrides(overrides.clone());
    let site = pipeline.site(&mut diags).expect("example site loads");
    let outputs = pipeline
        .outputs(&site, &mut diags)
        .expect("example site renders");
    let tree = outputs.into_iter().map(|o| (o.path, o.bytes)).collect();
    (site, tree)
}

type Row = BTreeMap<String, String>;

/// A CSV file as rows of header → cell, checking the BOM on the way. Each cell is read as a
/// program reading the files should (docs/open-data.md): the `'` that guards a formula-like
/// text against spreadsheets is taken off again ([`text::unneutralise`]); the guard itself is
/// tested on the raw bytes in `csv_cells_that_look_like_formulas_are_neutralised`.
fn csv_rows(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> Vec<Row> {
    let bytes = tree.get(path).unwrap_or_else(|| panic!("{path} missing"));
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{path}: UTF-8 BOM for Excel"
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), text::unneutralise(v).to_string()))
                .collect()
        })
        .collect()
}

type JsonRow = serde_json::Map<String, serde_json::Value>;

/// A whole-table JSON file as rows of column → cell, read as docs/open-data.md says: an array
/// of arrays whose first row names the columns; every row has a cell for every column, `null`
/// where the cell is empty.
fn json_table(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> Vec<JsonRow> {
    let bytes = tree.get(path).unwrap_or_else(|| panic!("{path} missing"));
    let rows: Vec<Vec<serde_json::Value>> =
        serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (header, rows) = rows
        .split_first()
        .unwrap_or_else(|| panic!("{path}: no header row"));
    let names: Vec<String> = header
        .iter()
        .map(|n| n.as_str().expect("header row of names").to_string())
        .collect();
    rows.iter()
        .map(|row| {
            assert_eq!(row.len(), names.len(), "{path}: a cell per column: {row:?}");
            names.iter().cloned().zip(row.iter().cloned()).collect()
        })
        .collect()
}

fn num(s: &str) -> f64 {
    assert!(
        !s.contains(',') && s.parse::<f64>().is_ok(),
        "a plain number: {s:?}"
    );
    s.parse().unwrap()
}

/// What the rows of one cell must say: (value_type, value, low, high, unit, qualifier,
/// series label) per item, read from the model independently of the exporter.
fn expected_items(cell: Option<&Cell>, kpi_unit: Option<&str>) -> Vec<[String; 7]> {
    let s = |o: Option<&str>| o.unwrap_or("").to_string();
    let q = |q: &Quantity, kind: &str, label: &str| {
        [
            kind.to_string(),
            format!("{}", q.number.value),
            String::new(),
            String::new(),
            s(q.unit.as_deref().or(kpi_unit)),
            s(q.qualifier.map(|q| q.as_str())),
            label.to_string(),
        ]
    };
    let r = |r: &keikaku::kpi::cell::Range, kind: &str, label: &str| {
        [
            kind.to_string(),
            String::new(),
            format!("{}", r.low.value),
            format!("{}", r.high.value),
            s(r.unit.as_deref().or(kpi_unit)),
            String::new(),
            label.to_string(),
        ]
    };
    let bare = |kind: &str| {
        let mut a: [String; 7] = Default::default();
        a[0] = kind.to_string();
        a
    };
    match cell.map(|c| &c.value) {
        None | Some(CellValue::Empty) => vec![bare("empty")],
        Some(CellValue::NotApplicable { .. }) => vec![bare("not_applicable")],
        Some(CellValue::Qualitative(_)) => vec![bare("qualitative")],
        Some(CellValue::Quantity(x)) => vec![q(x, "quantity", "")],
        Some(CellValue::Range(x)) => vec![r(x, "range", "")],
        Some(CellValue::Series(items)) => items
            .iter()
            .map(|i| match &i.value {
                SeriesValue::Quantity(x) => q(x, "series", &i.label),
                SeriesValue::Range(x) => r(x, "series", &i.label),
            })
            .collect(),
        // A `/` list is exported as series items without a series label.
        Some(CellValue::List(list)) => list
            .items
            .iter()
            .map(|v| match v {
                SeriesValue::Quantity(x) => q(x, "series", ""),
                SeriesValue::Range(x) => r(x, "series", ""),
            })
            .collect(),
    }
}

fn as_number_text(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("{}", num(s))
    }
}

#[test]
fn kpi_values_csv_reads_back_to_every_cell_of_the_content() {
    let (site, tree) = outputs(&repo_root(), &Overrides::default());
    let rows = csv_rows(&tree, "data/kpi_values.csv");
    let mut by_key: BTreeMap<(String, String, String, String, String), Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        by_key
            .entry((
                row["measure_id"].clone(),
                row["kpi_number"].clone(),
                row["fiscal_year"].clone(),
                row["kind"].clone(),
                row["revision_index"].clone(),
            ))
            .or_default()
            .push(row);
    }
    let mut cells = 0;
    let mut expected_rows = 0;
    for m in &site.measures {
        for k in &m.kpis {
            for y in site.plan.period.years() {
                let mut check = |kind: &str, index: usize, cell: Option<&Cell>| {
                    let key = (
                        m.id.clone(),
                        k.number.to_string(),
                        y.western().to_string(),
                        kind.to_string(),
                        index.to_string(),
                    );
                    let got = by_key
                        .get(&key)
                        .unwrap_or_else(|| panic!("no rows for {key:?}"));
                    let want = expected_items(cell, k.unit.as_deref());
                    assert_eq!(got.len(), want.len(), "{key:?}");
                    for (i, (row, want)) in got.iter().zip(&want).enumerate() {
                        let have = [
                            row["value_type"].clone(),
                            as_number_text(&row["value"]),
                            as_number_text(&row["range_low"]),
                            as_number_text(&row["range_high"]),
                            row["unit"].clone(),
                            row["qualifier"].clone(),
                            row["series_label"].clone(),
                        ];
                        assert_eq!(&have, want, "{key:?} item {i}");
                        assert_eq!(row["item"], (i + 1).to_string());
                        assert_eq!(row["text"], cell.map_or("", |c| c.raw.as_str()), "{key:?}");
                        assert_eq!(
                            row["note"],
                            cell.and_then(|c| c.note.as_deref()).unwrap_or(""),
                            "{key:?}"
                        );
                        assert_eq!(
                            row["provisional"],
                            cell.is_some_and(|c| c.provisional).to_string()
                        );
                        assert_eq!(row["fiscal_year_wareki"], y.label());
                        assert_eq!(
                            row["indicator"],
                            k.indicator.get(&y).map_or("", String::as_str)
                        );
                        let rules = &site.config.achievement;
                        let verdict = if kind == "actual" {
                            achievement::judge(k, y, rules)
                                .status
                                .label(rules)
                                .to_string()
                        } else {
                            String::new()
                        };
                        assert_eq!(row["achievement"], verdict, "{key:?}");
                    }
                    cells += 1;
                    expected_rows += want.len();
                };
                check("target", 0, k.target.get(&y));
                check("actual", 0, k.actual.get(&y));
                for (i, r) in k.revisions.iter().enumerate() {
                    if let Some(before) = r.before.get(&y) {
                        check("target", i + 1, Some(before));
                    }
                }
            }
        }
    }
    assert_eq!(
        rows.len(),
        expected_rows,
        "no rows beyond the content's cells"
    );
    assert!(cells > 500, "{cells} cells checked");
    // Zero is a value, blank is no value.
    assert!(rows.iter().all(
        |r| (r["value_type"] == "quantity" || r["value_type"] == "series") || r["value"].is_empty()
    ));
    // Revised targets carry the revision that replaced them.
    assert!(rows
        .iter()
        .any(|r| r["revision_index"] == "1" && r["superseded_by"] == "令和6年8月改訂"));
}

#[test]
fn measure_and_glossary_tables_read_back_and_json_matches_csv() {
    let (site, tree) = outputs(&repo_root(), &Overrides::default());
    let measures = csv_rows(&tree, "data/measures.csv");
    assert_eq!(measures.len(), site.measures.len());
    for (row, m) in measures.iter().zip(&site.measures) {
        assert_eq!(row["measure_id"], m.id);
        assert_eq!(row["title"], m.title);
        assert_eq!(Some(&row["lead_department"]), m.lead_department.as_ref());
        assert_eq!(
            Some(row["policy_number"].clone()),
            m.policy.map(|p| p.to_string())
        );
        assert_eq!(row["kpi_count"], m.kpis.len().to_string());
        assert_eq!(
            row["start_fiscal_year"],
            m.active.start.western().to_string()
        );
        assert_eq!(row["start_fiscal_year_wareki"], m.active.start.label());
    }
    let glossary = csv_rows(&tree, "data/glossary.csv");
    assert_eq!(glossary.len(), site.glossary.len());
    // The CSV has the explanation as plain text; its Markdown is in the JSON only.
    let glossary_json = json_table(&tree, "data/glossary.json");
    for ((row, json), t) in glossary.iter().zip(&glossary_json).zip(&site.glossary) {
        assert_eq!(row["term"], t.term);
        assert_eq!(row["explanation"], text::plain_text(&t.explanation));
        assert_eq!(json["explanation_markdown"], t.explanation.trim());
    }
    let plans = csv_rows(&tree, "data/activity_plans.csv");
    assert_eq!(plans.len(), site.activity.len());
    assert!(
        !plans[0].contains_key("staff"),
        "staff names are not published by the example site"
    );

    // Every CSV has a JSON twin with the same rows and values.
    let package: serde_json::Value =
        serde_json::from_slice(&tree["data/datapackage.json"]).unwrap();
    let resources = package["resources"].as_array().unwrap();
    assert!(resources.len() >= 8);
    // The whole tables' CSV resources (the JSON and per-measure resources are checked in
    // `every_published_file_is_in_the_package`).
    for res in resources
        .iter()
        .filter(|r| r["path"] == format!("{}.csv", r["name"].as_str().unwrap()))
    {
        let name = res["name"].as_str().unwrap();
        let csv = csv_rows(&tree, &format!("data/{name}.csv"));
        let json = json_table(&tree, &format!("data/{name}.json"));
        assert_eq!(csv.len(), json.len(), "{name}");
        let fields: Vec<&str> = res["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        for (c, j) in csv.iter().zip(&json) {
            assert_eq!(c.keys().count(), fields.len(), "{name}: header = schema");
            // An empty cell is `null` in the JSON row (never an empty string).
            assert!(!j.values().any(|v| v == ""), "{name}: {j:?}");
            for f in &fields {
                let text = match j.get(*f).unwrap_or(&serde_json::Value::Null) {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Number(n) => {
                        format!("{}", n.as_f64().unwrap())
                    }
                    other => other.to_string(),
                };
                let csv_text = match res["schema"]["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["name"] == *f)
                    .unwrap()["type"]
                    .as_str()
                    .unwrap()
                {
                    "number" | "integer" => as_number_text(&c[*f]),
                    _ => c[*f].clone(),
                };
                assert_eq!(text, csv_text, "{name}.{f}");
            }
        }
    }
    assert_eq!(
        package["licenses"][0]["title"],
        "公共データ利用規約（第1.0版）"
    );
    // Each measure's own file holds exactly its rows of kpi_values.
    let all = csv_rows(&tree, "data/kpi_values.csv");
    for m in &site.measures {
        let own = csv_rows(&tree, &format!("data/measures/{}.csv", m.id));
        let want: Vec<&Row> = all.iter().filter(|r| r["measure_id"] == m.id).collect();
        assert_eq!(own.iter().collect::<Vec<_>>(), want, "{}", m.id);
        let page = std::str::from_utf8(&tree[&format!("measures/{}/index.html", m.id)]).unwrap();
        if !m.kpis.is_empty() {
            assert!(
                page.contains(&format!("href=\"../../data/measures/{}.csv\"", m.id)),
                "{}: links its CSV",
                m.id
            );
        }
    }
}

/// The body of a CSV file: its records without the BOM and the header row.
fn csv_body(bytes: &[u8]) -> &[u8] {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM");
    let header_end = text.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
    &text[header_end..]
}

#[test]
fn each_measures_own_file_is_its_slice_of_the_whole_table_and_can_be_made_alone() {
    let (site, tree) = outputs(&repo_root(), &Overrides::default());
    let whole_csv = &tree["data/kpi_values.csv"];
    let whole_json = json_table(&tree, "data/kpi_values.json");
    let mut csv = Vec::new();
    let mut json = Vec::new();
    for m in &site.measures {
        let own_csv = &tree[&format!("data/measures/{}.csv", m.id)];
        assert_eq!(
            own_csv[..own_csv.len() - csv_body(own_csv).len()],
            whole_csv[..whole_csv.len() - csv_body(whole_csv).len()],
            "{}: same BOM and header",
            m.id
        );
        csv.extend_from_slice(csv_body(own_csv));
        // No JSON per measure: the whole table's rows carry `measure_id`.
        assert!(
            !tree.contains_key(&format!("data/measures/{}.json", m.id)),
            "{}: no per-measure JSON",
            m.id
        );
        json.extend(
            whole_json
                .iter()
                .filter(|r| r["measure_id"] == m.id.as_str())
                .cloned(),
        );
        // What `serve` re-renders for one changed measure is what the build wrote.
        for o in keikaku::render::data::measure_files(&site, m) {
            assert!(tree[&o.path] == o.bytes, "{}", o.path);
        }
    }
    assert!(
        csv == csv_body(whole_csv),
        "kpi_values.csv = every measure's rows in order"
    );
    assert_eq!(
        json, whole_json,
        "kpi_values.json = every measure's rows, measure by measure in order"
    );
    assert!(json.len() > 500);
}

#[test]
fn json_header_row_follows_the_csv_columns() {
    let (_, tree) = outputs(&repo_root(), &Overrides::default());
    let package: serde_json::Value =
        serde_json::from_slice(&tree["data/datapackage.json"]).unwrap();
    let resources = package["resources"].as_array().unwrap();
    for res in resources
        .iter()
        .filter(|r| r["path"] == format!("{}.csv", r["name"].as_str().unwrap()))
    {
        let name = res["name"].as_str().unwrap();
        let names: Vec<&str> = res["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        // The JSON resource says that its first row is the header, and that row names every
        // column of its schema in order.
        let twin = resources
            .iter()
            .find(|r| r["name"] == format!("{name}-json"))
            .unwrap();
        assert_eq!(
            twin["dialect"],
            serde_json::json!({ "header": true }),
            "{name}-json"
        );
        let json_names: Vec<&str> = twin["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        let file: Vec<Vec<serde_json::Value>> =
            serde_json::from_slice(&tree[&format!("data/{name}.json")]).unwrap();
        let header: Vec<&str> = file[0].iter().map(|n| n.as_str().unwrap()).collect();
        assert_eq!(
            header, json_names,
            "{name}.json: header row = its schema's fields"
        );
        // The CSV columns come in the same order, the JSON-only ones between them.
        let mut rest = header.iter();
        for f in &names {
            assert!(rest.any(|h| h == f), "{name}: {f} in order in {header:?}");
        }
        let json = std::str::from_utf8(&tree[&format!("data/{name}.json")]).unwrap();
        let csv = csv_rows(&tree, &format!("data/{name}.csv"));
        assert_eq!(
            json.lines().count(),
            1 + 1 + csv.len() + 1,
            "{name}: one row per line"
        );
        for (row, c) in json_table(&tree, &format!("data/{name}.json"))
            .iter()
            .zip(&csv)
        {
            // Every non-empty cell has its value in the JSON row, every empty one is null.
            for f in &names {
                assert_eq!(
                    row[*f].is_null(),
                    c[*f].is_empty(),
                    "{name}: {f} in {row:?}"
                );
            }
        }
    }
}

fn broken_links(tree: &BTreeMap<String, Vec<u8>>, folders: bool) -> Vec<String> {
    let mut broken = Vec::new();
    for (path, bytes) in tree.iter().filter(|(p, _)| p.ends_with(".html")) {
        if path == "404.html" {
            continue; // served by the web server at any depth, with root-relative links
        }
        let html = std::str::from_utf8(bytes).unwrap();
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        for attr in ["href=\"", "src=\"", "action=\""] {
            for (i, _) in html.match_indices(attr) {
                if !html[..i].ends_with(char::is_whitespace) {
                    continue;
                }
                let value = &html[i + attr.len()..];
                let value = &value[..value.find('"').unwrap()];
                if value.starts_with('#')
                    || value.contains(':')
                    || value.starts_with('/')
                    || value.is_empty()
                {
                    continue;
                }
                let target = value.split(['?', '#']).next().unwrap();
                let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
                for seg in target.split('/') {
                    match seg {
                        "" | "." => {}
                        ".." => {
                            parts.pop();
                        }
                        s => parts.push(s),
                    }
                }
                let mut resolved = parts.join("/");
                let is_folder = target.is_empty()
                    || target.ends_with('/')
                    || target == "."
                    || target.ends_with("/..")
                    || target == "..";
                if is_folder {
                    if !folders {
                        broken.push(format!("{path}: {value} is a folder"));
                        continue;
                    }
                    resolved = if resolved.is_empty() {
                        "index.html".into()
                    } else {
                        format!("{resolved}/index.html")
                    };
                }
                if !tree.contains_key(&resolved) {
                    broken.push(format!("{path}: {value} → {resolved} missing"));
                }
            }
        }
    }
    broken
}

#[test]
fn sub_path_and_file_system_builds_have_no_broken_internal_links() {
    let sub = Overrides {
        base_url: Some("https://www.city.example.lg.jp/shisei/dx/".into()),
        file_links: false,
    };
    let (_, tree) = outputs(&repo_root(), &sub);
    assert_eq!(broken_links(&tree, true), Vec::<String>::new());
    // Folder links exist in a normal build, so the file-system check below can fail.
    assert!(!broken_links(&tree, false).is_empty());
    let canonical = std::str::from_utf8(&tree["measures/01-01/index.html"]).unwrap();
    assert!(canonical.contains(
        "<link rel=\"canonical\" href=\"https://www.city.example.lg.jp/shisei/dx/measures/01-01/\">"
    ));
    assert!(canonical.contains("<meta property=\"og:url\" content=\"https://www.city.example.lg.jp/shisei/dx/measures/01-01/\">"));
    let sitemap = std::str::from_utf8(&tree["sitemap.xml"]).unwrap();
    assert!(sitemap.contains("<loc>https://www.city.example.lg.jp/shisei/dx/measures/01-01/</loc>"));

    let file = Overrides {
        file_links: true,
        ..sub
    };
    let (_, tree) = outputs(&repo_root(), &file);
    assert_eq!(broken_links(&tree, false), Vec::<String>::new());
}

#[test]
fn feed_and_sitemap_dates_come_from_the_content() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("content"), &tmp.path().join("content"));
    std::fs::copy(
        repo_root().join("config.yaml"),
        tmp.path().join("config.yaml"),
    )
    .unwrap();
    let (_, before) = outputs(tmp.path(), &Overrides::default());
    let feed = std::str::from_utf8(&before["feed.xml"]).unwrap();
    // No `updated:` anywhere: every date is the plan's revision month (令和6年8月改訂).
    assert!(feed.contains("<updated>2024-08-01T00:00:00+09:00</updated>"));
    assert!(!feed.contains("2025-01-15"));

    let m = tmp.path().join("content/measures/01-06.yaml");
    let text = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, format!("{text}\nupdated: 2025-01-15\n")).unwrap();
    let (_, after) = outputs(tmp.path(), &Overrides::default());
    let feed = std::str::from_utf8(&after["feed.xml"]).unwrap();
    let first_entry = feed.split("<entry>").nth(1).unwrap();
    assert!(first_entry.contains("01-06"), "newest entry first");
    assert!(first_entry.contains("<updated>2025-01-15T00:00:00+09:00</updated>"));
    assert!(feed.contains("</title>\n  <subtitle>"));
    let sitemap = std::str::from_utf8(&after["sitemap.xml"]).unwrap();
    assert!(sitemap.contains("/measures/01-06/</loc><lastmod>2025-01-15</lastmod>"));
    assert!(sitemap.contains("/measures/01-05/</loc><lastmod>2024-08-01</lastmod>"));

    std::fs::write(&m, format!("{text}\nupdated: 2025-02-30\n")).unwrap();
    let mut diags = Diagnostics::default();
    let mut pipeline = Pipeline::new(tmp.path()).with_overrides(Overrides::default());
    assert!(pipeline.site(&mut diags).is_none());
    let d = diags.iter().next().unwrap();
    assert!(d.message.contains("2025-02-30"), "{}", d.message);
    assert_eq!(d.field.as_deref(), Some("updated"));
    assert!(d.position.is_some());
}

#[test]
fn the_build_with_file_links_is_what_the_cli_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("review");
    let r = common::keikaku(&[
        "build",
        "--root",
        repo_root().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--file-links",
    ]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"measures/01-01/index.html\""));
}

/// A copy of the example site in a temporary folder, with `edit` applied to its files.
fn example_copy(edit: impl FnOnce(&Path)) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_tree(&repo_root().join("content"), &root.join("content"));
    std::fs::copy(repo_root().join("config.yaml"), root.join("config.yaml")).unwrap();
    edit(&root);
    (tmp, root)
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Every CSV file of the open data: the whole tables and each measure's own file.
fn data_csv_files(tree: &BTreeMap<String, Vec<u8>>) -> Vec<&str> {
    tree.keys()
        .map(String::as_str)
        .filter(|p| p.starts_with("data/") && p.ends_with(".csv"))
        .collect()
}

#[test]
fn every_table_starts_with_the_city_code_and_name() {
    let (site, tree) = outputs(&repo_root(), &Overrides::default());
    assert_eq!(site.config.city_code.as_deref(), Some("122068"));
    // 木更津市 is 12206 with check digit 8, by the algorithm the validator implements.
    assert_eq!(
        keikaku::validate::city_code::check_digit(&[1, 2, 2, 0, 6]),
        8
    );
    let files = data_csv_files(&tree);
    assert!(files.len() > 40, "{}", files.len());
    for path in files {
        let bytes = &tree[path];
        let header = std::str::from_utf8(&bytes[3..])
            .unwrap()
            .lines()
            .next()
            .unwrap();
        assert!(
            header.starts_with("city_code,city_name,"),
            "{path}: {header}"
        );
        for row in csv_rows(&tree, path) {
            assert_eq!(
                keikaku::validate::city_code::parse(&row["city_code"]).as_deref(),
                Ok("122068"),
                "{path}"
            );
            assert_eq!(row["city_name"], "木更津市", "{path}");
        }
    }
    let package: serde_json::Value =
        serde_json::from_slice(&tree["data/datapackage.json"]).unwrap();
    for res in package["resources"].as_array().unwrap() {
        let fields = match &res["schema"] {
            serde_json::Value::String(file) => {
                let schema: serde_json::Value =
                    serde_json::from_slice(&tree[&format!("data/{file}")]).unwrap();
                schema["fields"].clone()
            }
            schema => schema["fields"].clone(),
        };
        assert_eq!(fields[0]["name"], "city_code", "{}", res["name"]);
        assert_eq!(fields[0]["constraints"]["required"], true);
        assert_eq!(fields[0]["constraints"]["pattern"], "^[0-9]{6}$");
        assert_eq!(fields[1]["name"], "city_name");
    }
}

#[test]
fn a_site_without_a_city_code_builds_with_the_column_empty_and_a_wrong_code_is_refused() {
    let (_tmp, root) =
        example_copy(|root| replace_in(&root.join("config.yaml"), "city_code: \"122068\"\n", ""));
    let (site, tree) = outputs(&root, &Overrides::default());
    assert_eq!(site.config.city_code, None);
    for row in csv_rows(&tree, "data/kpis.csv") {
        assert_eq!(row["city_code"], "", "never a guessed code");
        assert_eq!(row["city_name"], "木更津市");
    }
    let package: serde_json::Value =
        serde_json::from_slice(&tree["data/datapackage.json"]).unwrap();
    let code = &package["resources"][0]["schema"]["fields"][0];
    assert_eq!(code["name"], "city_code");
    assert!(code["constraints"].get("required").is_none(), "{code}");
    for (path, bytes) in tree.iter().filter(|(p, _)| p.starts_with("data/")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("122068"), "{path}: no code anywhere");
    }
    let catalog: serde_json::Value = serde_json::from_slice(&tree["data/catalog.jsonld"]).unwrap();
    let publisher = &catalog["@graph"][1];
    assert_eq!(publisher["@id"], "_:publisher");
    assert_eq!(
        publisher["foaf:name"]["@value"], "木更津市",
        "the city, named"
    );
    assert!(publisher.get("dct:identifier").is_none(), "{publisher}");

    for (code, said) in [
        ("\"122067\"", "検査数字"),
        ("12206", "6桁の数字ではありません"),
        ("\"482011\"", "都道府県コード"),
    ] {
        let (_tmp, root) = example_copy(|root| {
            replace_in(
                &root.join("config.yaml"),
                "city_code: \"122068\"",
                &format!("city_code: {code}"),
            )
        });
        let mut diags = Diagnostics::default();
        assert!(Pipeline::new(&root)
            .with_overrides(Overrides::default())
            .site(&mut diags)
            .is_none());
        let d = diags.iter().next().unwrap();
        assert!(d.message.contains(said), "{code}: {}", d.message);
        assert_eq!(d.field.as_deref(), Some("city_code"));
        assert_eq!(d.position.map(|p| p.line), Some(5), "{code}: located");
    }
}

#[test]
fn labels_have_stable_code_columns_beside_them_and_units_are_normalised() {
    let (_tmp, root) = example_copy(|root| {
        // A KPI whose unit is written with the full-width percent sign.
        replace_in(
            &root.join("content/measures/01-15.yaml"),
            "  - indicator:\n      R5: \"デジタルアーカイブシステム利用満足度\"",
            "  - unit: \"％\"\n    indicator:\n      R5: \"デジタルアーカイブシステム利用満足度\"",
        )
    });
    let (site, tree) = outputs(&root, &Overrides::default());
    let header = |path: &str| -> Vec<String> {
        let text = std::str::from_utf8(&tree[path][3..]).unwrap();
        text.lines()
            .next()
            .unwrap()
            .split(',')
            .map(String::from)
            .collect()
    };
    let beside = |path: &str, label: &str, code: &str| {
        let h = header(path);
        let i = h.iter().position(|c| c == label).unwrap();
        assert_eq!(h[i + 1], code, "{path}: {code} beside {label}");
    };
    beside("data/kpi_values.csv", "achievement", "achievement_key");
    beside("data/kpi_values.csv", "unit", "base_unit");
    beside("data/kpi_values.csv", "base_unit", "unit_scale");
    beside("data/kpis.csv", "unit", "base_unit");
    beside("data/activity_tasks.csv", "progress", "progress_key");
    beside("data/activity_plans.csv", "progress", "progress_key");

    let rules = &site.config.achievement;
    let rows = csv_rows(&tree, "data/kpi_values.csv");
    let mut keys = std::collections::BTreeSet::new();
    for row in &rows {
        if row["kind"] == "actual" {
            let status = achievement::Status::ALL
                .into_iter()
                .find(|s| s.label(rules) == row["achievement"])
                .unwrap_or_else(|| panic!("{row:?}"));
            assert_eq!(row["achievement_key"], status.key());
            keys.insert(row["achievement_key"].clone());
        } else {
            assert_eq!(row["achievement_key"], "");
        }
        match row["unit"].as_str() {
            "千円" => assert_eq!((&*row["base_unit"], &*row["unit_scale"]), ("円", "1000")),
            "" => assert_eq!((&*row["base_unit"], &*row["unit_scale"]), ("", "")),
            "％" | "%" => assert_eq!((&*row["base_unit"], &*row["unit_scale"]), ("%", "1")),
            unit => assert_eq!((&*row["base_unit"], &*row["unit_scale"]), (unit, "1")),
        }
    }
    assert!(keys.len() >= 3, "{keys:?}");
    let kpi = csv_rows(&tree, "data/kpis.csv")
        .into_iter()
        .find(|r| r["measure_id"] == "01-15" && r["kpi_number"] == "2")
        .unwrap();
    assert_eq!((&*kpi["unit"], &*kpi["base_unit"]), ("％", "%"));
    let vocabulary = &site.config.progress;
    for row in csv_rows(&tree, "data/activity_tasks.csv") {
        if row["progress"].is_empty() {
            assert_eq!(row["progress_key"], "");
        } else {
            let known = site.activity.iter().flat_map(|p| &p.tasks).any(|t| {
                t.progress
                    .map(|id| vocabulary.get(id))
                    .is_some_and(|s| s.label == row["progress"] && s.key == row["progress_key"])
            });
            assert!(known, "{row:?}");
        }
    }
}

/// Markdown syntax that must not reach a plain-text cell: emphasis, links, code, headings and
/// list markers at the start, line breaks.
fn markdown_syntax(cell: &str) -> Option<&'static str> {
    let starts_block = ["- ", "* ", "+ ", "# ", "## ", "> ", "1. "];
    if cell.contains(['\n', '\r']) {
        Some("line break")
    } else if cell.contains("**") || cell.contains("__") {
        Some("emphasis")
    } else if cell.contains("](") {
        Some("link")
    } else if cell.contains('`') {
        Some("code")
    } else if starts_block.iter().any(|m| cell.starts_with(m)) {
        Some("block marker")
    } else {
        None
    }
}

#[test]
fn no_data_cell_holds_markdown_or_a_machine_dependent_character() {
    let (site, tree) = outputs(&repo_root(), &Overrides::default());
    let mut cells = 0;
    for path in data_csv_files(&tree) {
        for row in csv_rows(&tree, path) {
            for (column, cell) in &row {
                cells += 1;
                if let Some(c) = cell.chars().find(|&c| text::is_machine_dependent(c)) {
                    panic!("{path} {column}: {c} in {cell:?}");
                }
                // `text` is a KPI cell as written (`- 理由`), never Markdown; every other
                // column is checked for markup.
                if column != "text" {
                    assert_eq!(markdown_syntax(cell), None, "{path} {column}: {cell:?}");
                }
                assert!(!cell.contains(['\n', '\r', '\t']), "{path} {column}");
            }
        }
    }
    assert!(cells > 10_000, "{cells} cells");
    // The JSON files: the same plain cells, and the Markdown only in `*_markdown` columns,
    // machine-dependent characters folded there too.
    for path in tree.keys().filter(|p| {
        p.starts_with("data/") && p.ends_with(".json") && !p.starts_with("data/schema/")
    }) {
        if path == "data/datapackage.json" {
            continue;
        }
        for row in json_table(&tree, path) {
            for (column, value) in row {
                let Some(cell) = value.as_str() else { continue };
                assert!(
                    !cell.chars().any(text::is_machine_dependent),
                    "{path} {column}: {cell:?}"
                );
                if !column.ends_with("_markdown") && column != "text" {
                    assert_eq!(markdown_syntax(cell), None, "{path} {column}: {cell:?}");
                }
            }
        }
    }
    // The narratives were Markdown with line breaks: now one plain line, and their Markdown
    // is in the JSON. The page keeps the text as written (①).
    let m = site.measure("02-02").unwrap();
    let state = m.sections.get("current_state").unwrap();
    assert!(state.contains('①') && state.contains("- "));
    let row = csv_rows(&tree, "data/measures.csv")
        .into_iter()
        .find(|r| r["measure_id"] == "02-02")
        .unwrap();
    assert!(
        row["current_state"].contains("成果目標(1)は"),
        "{}",
        row["current_state"]
    );
    let json = json_table(&tree, "data/measures.json");
    let json = json.iter().find(|r| r["measure_id"] == "02-02").unwrap();
    let markdown = json["current_state_markdown"].as_str().unwrap();
    assert!(
        markdown.starts_with("- ") && markdown.contains("成果目標(1)は"),
        "{markdown}"
    );
    assert_eq!(json["current_state"], *row["current_state"]);
    assert!(!std::str::from_utf8(&tree["data/measures.csv"])
        .unwrap()
        .contains("_markdown"));
    let page = std::str::from_utf8(&tree["measures/02-02/index.html"]).unwrap();
    assert!(page.contains("成果目標①は"), "the page text is unchanged");
}

#[test]
fn csv_cells_that_look_like_formulas_are_neutralised() {
    let (_tmp, root) = example_copy(|root| {
        let m = root.join("content/measures/01-15.yaml");
        replace_in(
            &m,
            "title: \"木更津市史デジタルアーカイブの推進\"",
            "title: \"=HYPERLINK(\\\"https://evil.example/\\\",\\\"クリック\\\")\"",
        );
        replace_in(
            &m,
            "lead_department: \"文化課\"",
            "lead_department: \"@文化課\"",
        );
        // The English translation names the departments the plan has.
        replace_in(
            &root.join("content/plan.en.yaml"),
            "  文化課: Culture Division",
            "  \"@文化課\": Culture Division",
        );
        replace_in(&m, "      R7: \"80,000件\"", "      R7: \"-500件\"");
        replace_in(
            &m,
            "  future_policy: |\n",
            "  future_policy: |\n    +1 から始まる段落。\n\n",
        );
    });
    let (_, tree) = outputs(&root, &Overrides::default());
    let raw = |path: &str| -> Vec<csv::StringRecord> {
        let bytes = &tree[path];
        csv::Reader::from_reader(&bytes[3..])
            .records()
            .map(Result::unwrap)
            .collect()
    };
    let header = |path: &str, column: &str| -> usize {
        let text = std::str::from_utf8(&tree[path][3..]).unwrap();
        text.lines()
            .next()
            .unwrap()
            .split(',')
            .position(|c| c == column)
            .unwrap()
    };
    let measures = raw("data/measures.csv");
    let id = header("data/measures.csv", "measure_id");
    let m = measures.iter().find(|r| &r[id] == "01-15").unwrap();
    assert_eq!(
        &m[header("data/measures.csv", "title")],
        "'=HYPERLINK(\"https://evil.example/\",\"クリック\")"
    );
    assert_eq!(
        &m[header("data/measures.csv", "lead_department")],
        "'@文化課"
    );
    assert!(m[header("data/measures.csv", "future_policy")].starts_with("'+1 から始まる段落。"));
    let departments = raw("data/measure_departments.csv");
    let (id, department) = (
        header("data/measure_departments.csv", "measure_id"),
        header("data/measure_departments.csv", "department"),
    );
    assert!(departments
        .iter()
        .any(|r| &r[id] == "01-15" && &r[department] == "'@文化課"));
    // Numbers stay numbers: -500 in `value`, the cell as written guarded in `text`.
    for path in ["data/kpi_values.csv", "data/measures/01-15.csv"] {
        let (value, text_col) = (header(path, "value"), header(path, "text"));
        let row = raw(path)
            .into_iter()
            .find(|r| &r[text_col] == "'-500件")
            .unwrap_or_else(|| panic!("{path}: the guarded cell"));
        assert_eq!(&row[value], "-500", "{path}");
        // Every cell a spreadsheet would run is guarded, and only text cells are.
        for row in raw(path) {
            for (i, cell) in row.iter().enumerate() {
                if i != value && i != header(path, "range_low") && i != header(path, "range_high") {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{path}: {cell}"
                    );
                }
            }
        }
    }
    // The JSON twin holds the values themselves.
    let json = json_table(&tree, "data/measures.json");
    let m = json.iter().find(|r| r["measure_id"] == "01-15").unwrap();
    assert_eq!(
        m["title"],
        "=HYPERLINK(\"https://evil.example/\",\"クリック\")"
    );
    assert_eq!(m["lead_department"], "@文化課");
}

#[test]
fn every_published_data_file_is_described_in_the_package() {
    let (site, tree) = outputs(&repo_root(), &Overrides::default());
    let package: serde_json::Value =
        serde_json::from_slice(&tree["data/datapackage.json"]).unwrap();
    assert_eq!(package["version"], "2024.8.1");
    assert_eq!(package["last_modified"], "2024-08-01");
    assert_eq!(package["profile"], "tabular-data-package");
    let resources = package["resources"].as_array().unwrap();
    let mut names = std::collections::BTreeSet::new();
    let mut paths = std::collections::BTreeSet::new();
    for res in resources {
        let name = res["name"].as_str().unwrap();
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b)),
            "{name}"
        );
        assert!(names.insert(name), "{name} twice");
        let path = res["path"].as_str().unwrap();
        assert!(
            tree.contains_key(&format!("data/{path}")),
            "{path} is published"
        );
        paths.insert(path.to_string());
        let format = res["format"].as_str().unwrap();
        assert_eq!(path.rsplit('.').next(), Some(format), "{name}");
        assert_eq!(res["profile"], "tabular-data-resource");
        match &res["schema"] {
            serde_json::Value::String(file) => {
                assert!(tree.contains_key(&format!("data/{file}")), "{file}");
            }
            schema => assert!(schema["fields"].as_array().is_some_and(|f| !f.is_empty())),
        }
    }
    // Every data file is a resource, but for a JSON file without rows, which Frictionless
    // cannot read (docs/open-data.md): its CSV twin is listed.
    for (path, bytes) in &tree {
        let Some(rel) = path.strip_prefix("data/") else {
            continue;
        };
        let data_file = (rel.ends_with(".csv") || rel.ends_with(".json"))
            && !rel.starts_with("schema/")
            && rel != "datapackage.json";
        if !data_file {
            continue;
        }
        if bytes == b"[\n]\n" {
            assert!(!paths.contains(rel), "{rel}: empty JSON left out");
            assert!(
                paths.contains(&rel.replace(".json", ".csv")),
                "{rel}: its CSV listed"
            );
        } else {
            assert!(paths.contains(rel), "{rel} is not in datapackage.json");
        }
    }
    assert_eq!(
        paths
            .iter()
            .filter(|p| p.starts_with("measures/") && p.ends_with(".csv"))
            .count(),
        site.measures.len()
    );
    // The per-measure resources share the schema of kpi_values, written once.
    let own = resources
        .iter()
        .find(|r| r["path"] == "measures/01-01.csv")
        .unwrap();
    assert_eq!(own["schema"], "schema/kpi_values.json");
    let schema: serde_json::Value =
        serde_json::from_slice(&tree["data/schema/kpi_values.json"]).unwrap();
    let whole = resources
        .iter()
        .find(|r| r["name"] == "kpi_values")
        .unwrap();
    assert_eq!(schema, whole["schema"]);
    // A JSON resource's schema names the JSON-only Markdown columns too.
    let measures_json = resources
        .iter()
        .find(|r| r["name"] == "measures-json")
        .unwrap();
    let fields: Vec<&str> = measures_json["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"details_markdown"), "{fields:?}");
}

#[test]
fn the_revisions_in_the_content_are_a_table_and_a_changelog_on_the_data_page() {
    let (site, tree) = outputs(&repo_root(), &Overrides::default());
    let rows = csv_rows(&tree, "data/kpi_target_revisions.csv");
    let mut expected = 0;
    for m in &site.measures {
        for k in &m.kpis {
            for y in site.plan.period.years() {
                for change in k.target_history(y) {
                    expected += 1;
                    let row = rows
                        .iter()
                        .find(|r| {
                            r["measure_id"] == m.id
                                && r["kpi_number"] == k.number.to_string()
                                && r["fiscal_year"] == y.western().to_string()
                                && r["before_text"] == change.before.raw
                        })
                        .unwrap_or_else(|| panic!("{} {} {y:?}", m.id, k.number));
                    assert_eq!(row["after_text"], change.after.raw);
                    assert_eq!(row["revision"], change.revision);
                    assert_eq!(row["revision_date"], "2024-08-01");
                }
            }
        }
    }
    assert_eq!(rows.len(), expected);
    assert!(expected > 10, "{expected}");
    let page = std::str::from_utf8(&tree["data/index.html"]).unwrap();
    let changes = page
        .split("id=\"changes\"")
        .nth(1)
        .expect("changelog section");
    assert!(changes.contains(&format!(
        "<th scope=\"row\">令和6年8月改訂</th><td>2024-08-01</td><td class=\"num\">{expected}</td>"
    )));
}

/// The sections of docs/open-data.md: heading → text up to the next heading of any level.
fn doc_sections(doc: &str) -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    let mut current = String::new();
    for line in doc.lines() {
        if line.starts_with('#') {
            current = line.trim_start_matches('#').trim().to_string();
        } else {
            sections
                .entry(current.clone())
                .or_insert_with(String::new)
                .push_str(&format!("{line}\n"));
        }
    }
    sections
}

#[test]
fn the_docs_describe_every_file_and_every_column_and_the_data_page_every_column() {
    let (site, tree) = outputs(&repo_root(), &Overrides::default());
    let doc = std::fs::read_to_string(repo_root().join("docs/open-data.md")).unwrap();
    let sections = doc_sections(&doc);
    let page = std::str::from_utf8(&tree["data/index.html"]).unwrap();
    for (name, fields) in keikaku::render::data::published_columns(&site) {
        let section = sections
            .get(&format!("`{}`", name))
            .unwrap_or_else(|| panic!("docs/open-data.md: no section `{}`", name));
        for f in fields {
            if f == "city_code" || f == "city_name" {
                continue; // documented once, for every table
            }
            // plan_id, in a site of several plans, is documented once for every table too.
            assert!(
                f == "plan_id" || section.contains(&format!("`{}`", f)),
                "docs/open-data.md, `{}`: column `{}` not described",
                name,
                f
            );
            assert!(
                page.contains(&format!("<code>{}</code>", f)),
                "data page: {}",
                f
            );
        }
        assert!(doc.contains(&format!("`{}.csv`", name)), "{}.csv", name);
    }
    for file in [
        "city_code",
        "city_name",
        "plan_id",
        "lineage.csv",
        "datapackage.json",
        "catalog.jsonld",
        "schema/",
    ] {
        assert!(doc.contains(file), "docs/open-data.md: {file}");
    }
}
