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

/// A CSV file as rows of header → cell, checking the BOM on the way.
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
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
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
        assert_eq!(row["lead_department"], m.lead_department);
        assert_eq!(row["policy_number"], m.policy.to_string());
        assert_eq!(row["kpi_count"], m.kpis.len().to_string());
        assert_eq!(
            row["start_fiscal_year"],
            m.active.start.western().to_string()
        );
        assert_eq!(row["start_fiscal_year_wareki"], m.active.start.label());
    }
    let glossary = csv_rows(&tree, "data/glossary.csv");
    assert_eq!(glossary.len(), site.glossary.len());
    for (row, t) in glossary.iter().zip(&site.glossary) {
        assert_eq!(row["term"], t.term);
        assert_eq!(row["explanation"], t.explanation.trim());
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
    for res in resources {
        let name = res["name"].as_str().unwrap();
        let csv = csv_rows(&tree, &format!("data/{name}.csv"));
        let json: Vec<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_slice(&tree[&format!("data/{name}.json")]).unwrap();
        assert_eq!(csv.len(), json.len(), "{name}");
        let fields: Vec<&str> = res["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        for (c, j) in csv.iter().zip(&json) {
            assert_eq!(c.keys().count(), fields.len(), "{name}: header = schema");
            for f in &fields {
                let text = match &j[*f] {
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
    let whole_json: Vec<serde_json::Value> =
        serde_json::from_slice(&tree["data/kpi_values.json"]).unwrap();
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
        let own_json: Vec<serde_json::Value> =
            serde_json::from_slice(&tree[&format!("data/measures/{}.json", m.id)]).unwrap();
        json.extend(own_json);
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
        "kpi_values.json = every measure's rows in order"
    );
    assert!(json.len() > 500);
}

#[test]
fn json_keys_follow_the_csv_columns() {
    let (_, tree) = outputs(&repo_root(), &Overrides::default());
    let package: serde_json::Value =
        serde_json::from_slice(&tree["data/datapackage.json"]).unwrap();
    for res in package["resources"].as_array().unwrap() {
        let name = res["name"].as_str().unwrap();
        let json = std::str::from_utf8(&tree[&format!("data/{name}.json")]).unwrap();
        let first = json.lines().nth(1).unwrap();
        let positions: Vec<usize> = res["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let key = format!("\"{}\":", f["name"].as_str().unwrap());
                first.find(&key).unwrap_or_else(|| panic!("{name}: {key}"))
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{name}: {first}");
    }
}

/// Every relative `href`/`src`/`action` of every page resolves to a file of the tree: to
/// `index.html` inside a folder when `folders` is allowed, to the file itself otherwise.
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
