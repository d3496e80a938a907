//! Every generated chart is valid SVG with a title and a description, the numbers in each KPI
//! chart's description are the numbers of its data, and the standalone files are the same,
//! byte for byte, from one build to the next.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use keikaku::diagnostics::Diagnostics;
use keikaku::kpi::achievement::{format_rate, judge, Status};
use keikaku::kpi::cell::{Cell, CellValue, SeriesValue};
use keikaku::model::Site;
use keikaku::output::Output;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn site_and_outputs() -> (Site, Vec<Output>) {
    let mut diags = Diagnostics::default();
    let mut pipeline = keikaku::build::Pipeline::new(root());
    let site = pipeline
        .site(&mut diags)
        .unwrap_or_else(|| panic!("{diags:?}"));
    let outputs = pipeline
        .outputs(&site, &mut diags)
        .unwrap_or_else(|| panic!("{diags:?}"));
    (site, outputs)
}

fn svgs(outputs: &[Output]) -> BTreeMap<String, String> {
    outputs
        .iter()
        .filter(|o| o.path.ends_with(".svg"))
        .map(|o| (o.path.clone(), String::from_utf8(o.bytes.clone()).unwrap()))
        .collect()
}

/// (title, desc) of a standalone SVG, after checking its accessible structure.
fn check_svg(path: &str, text: &str) -> (String, String) {
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{path}: XML declaration"
    );
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let svg = doc.root_element();
    assert_eq!(svg.tag_name().name(), "svg", "{path}");
    assert_eq!(
        svg.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg"),
        "{path}"
    );
    assert_eq!(svg.attribute("role"), Some("img"), "{path}");
    assert!(svg.attribute("viewBox").is_some(), "{path}: viewBox");
    assert!(svg.attribute("width").is_none(), "{path}: no fixed width");
    assert!(svg.attribute("height").is_none(), "{path}: no fixed height");
    let children: Vec<_> = svg.children().filter(|n| n.is_element()).collect();
    assert_eq!(
        children[0].tag_name().name(),
        "title",
        "{path}: title first"
    );
    assert_eq!(children[1].tag_name().name(), "desc", "{path}: desc second");
    let title = children[0].text().unwrap_or("").to_string();
    let desc = children[1].text().unwrap_or("").to_string();
    assert!(
        !title.trim().is_empty() && !desc.trim().is_empty(),
        "{path}"
    );
    assert_eq!(
        svg.attribute("aria-labelledby"),
        children[0].attribute("id"),
        "{path}"
    );
    assert_eq!(
        svg.attribute("aria-describedby"),
        children[1].attribute("id"),
        "{path}"
    );
    // System fonts only: nothing embedded or linked.
    for bad in [
        "@font-face",
        ".woff",
        ".ttf",
        ".otf",
        "<font",
        "<image",
        "href=",
    ] {
        assert!(!text.contains(bad), "{path}: contains {bad}");
    }
    // Text sizes are whole pixels, written as the charts give them (plotters' own SVG backend
    // divided them by 1.24).
    for node in doc.descendants().filter(|n| n.has_tag_name("text")) {
        if let Some(size) = node.attribute("font-size") {
            let v: f64 = size.parse().unwrap();
            assert!(v >= 8.0 && v.fract() == 0.0, "{path}: font-size {size}");
        }
    }
    (title, desc)
}

/// Number tokens of a text: runs of digits with `,` and one `.` (`33,474`, `99.8`).
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || (!cur.is_empty() && (c == ',' || c == '.')) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(cur.trim_end_matches([',', '.']).to_string());
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(cur.trim_end_matches([',', '.']).to_string());
    }
    out
}

fn cell_numbers(cell: &Cell) -> Vec<String> {
    let mut out = Vec::new();
    let mut push_sv = |v: &SeriesValue| match v {
        SeriesValue::Quantity(q) => out.push(q.number.text.clone()),
        SeriesValue::Range(r) => {
            out.push(r.low.text.clone());
            out.push(r.high.text.clone());
        }
    };
    match &cell.value {
        CellValue::Quantity(q) => push_sv(&SeriesValue::Quantity(q.clone())),
        CellValue::Range(r) => push_sv(&SeriesValue::Range(r.clone())),
        CellValue::Series(items) => items.iter().for_each(|i| push_sv(&i.value)),
        _ => {}
    }
    out
}

#[test]
fn every_chart_is_valid_svg_with_title_and_desc() {
    let (site, outputs) = site_and_outputs();
    let svgs = svgs(&outputs);
    assert!(svgs.contains_key("summary.svg"));
    for p in &site.plan.policies {
        assert!(svgs.contains_key(&format!("policies/{}/summary.svg", p.number)));
    }
    let mut kpi_charts = 0;
    for m in &site.measures {
        assert_eq!(
            svgs.contains_key(&format!("measures/{}/schedule.svg", m.id)),
            !m.schedule.is_empty()
        );
        kpi_charts += m
            .kpis
            .iter()
            .filter(|k| svgs.contains_key(&format!("measures/{}/kpi-{}.svg", m.id, k.number)))
            .count();
    }
    // Charts exist for numeric KPIs only: not for 02-01 (text) nor 01-09③ (two units).
    assert!(kpi_charts > 40, "{kpi_charts}");
    assert!(!svgs.contains_key("measures/02-01/kpi-1.svg"));
    assert!(!svgs.contains_key("measures/01-09/kpi-3.svg"));
    for (path, text) in &svgs {
        check_svg(path, text);
    }
}

#[test]
fn kpi_descriptions_say_exactly_the_numbers_of_the_data() {
    let (site, outputs) = site_and_outputs();
    let svgs = svgs(&outputs);
    let rules = &site.config.achievement;
    let years = site.plan.period.years();
    for m in &site.measures {
        for k in &m.kpis {
            let path = format!("measures/{}/kpi-{}.svg", m.id, k.number);
            let Some(text) = svgs.get(&path) else {
                continue;
            };
            let (_, desc) = check_svg(&path, text);
            let found = numbers(&desc);
            let mut allowed: BTreeSet<String> = BTreeSet::new();
            for y in &years {
                allowed.insert(y.year_in_era().unwrap().to_string());
                let j = judge(k, *y, rules);
                for (rate, met) in j
                    .rate
                    .map(|r| (r, j.status == Status::Achieved))
                    .into_iter()
                    .chain(
                        j.series
                            .iter()
                            .filter_map(|s| s.rate.map(|r| (r, s.status == Status::Achieved))),
                    )
                {
                    allowed.insert(format_rate(rate, met).trim_end_matches('%').to_string());
                }
                // A revised target: the description names the revision and the old value.
                for change in k.target_history(*y) {
                    let old = cell_numbers(change.before);
                    if change.before.is_numeric() {
                        for n in &old {
                            assert!(
                                found.contains(n),
                                "{path}: earlier target {n} of {y} missing in «{desc}»"
                            );
                        }
                        assert!(
                            desc.contains(change.revision),
                            "{path}: revision not named in «{desc}»"
                        );
                    }
                    allowed.extend(old);
                    allowed.extend(numbers(change.revision));
                }
                for cell in [k.target.get(y), k.actual.get(y)].into_iter().flatten() {
                    let nums = cell_numbers(cell);
                    if cell.is_numeric() {
                        for n in &nums {
                            assert!(found.contains(n), "{path}: {n} of {y} missing in «{desc}»");
                        }
                    }
                    allowed.extend(nums);
                }
            }
            for n in &found {
                assert!(
                    allowed.contains(n),
                    "{path}: «{n}» in desc is not in the data: {desc}"
                );
            }
        }
    }
}

#[test]
fn the_example_descriptions_read_as_sentences() {
    let (_, outputs) = site_and_outputs();
    let svgs = svgs(&outputs);
    let (title, desc) = check_svg("k", &svgs["measures/01-01/kpi-1.svg"]);
    assert_eq!(
        title,
        "成果目標① 月間利用金額（年度月平均）の目標と実績（単位: 千円）"
    );
    assert!(
        desc.contains("令和6年度は目標60,000千円に対し33,474千円で、未達成（達成率56%）でした。"),
        "{desc}"
    );
    assert!(
        desc.contains("令和7年度の目標は60,000千円で、実績は未報告です。"),
        "{desc}"
    );
    let (_, desc) = check_svg("k", &svgs["measures/01-03/kpi-2.svg"]);
    assert!(desc.starts_with("少ないほど良い指標です。"), "{desc}");
    assert!(desc.contains("未達成（達成率99.8%）"), "{desc}");
    let (_, desc) = check_svg("k", &svgs["measures/01-06/kpi-2.svg"]);
    assert!(desc.contains("3人（見込み）"), "{desc}");
    // The not-yet-reported year is drawn as words, not as a zero bar.
    assert!(svgs["measures/01-01/kpi-1.svg"].contains("未報告"));
    assert!(svgs["measures/01-03/kpi-2.svg"].contains("少ないほど良い指標"));
}

#[test]
fn inline_charts_have_unique_ids_in_their_page() {
    let (_, outputs) = site_and_outputs();
    for o in outputs.iter().filter(|o| o.path.ends_with(".html")) {
        let html = String::from_utf8(o.bytes.clone()).unwrap();
        assert!(!html.contains("<?xml"), "{}", o.path);
        let mut seen = BTreeSet::new();
        for part in html.split(" id=\"").skip(1) {
            let id = part.split('"').next().unwrap();
            assert!(seen.insert(id.to_string()), "{}: duplicate id {id}", o.path);
        }
        if o.path.starts_with("measures/01-01/") {
            // The chart is an <img> of its file, described by text in the page.
            assert!(html.contains("<img class=\"chart__img\" src=\"kpi-1.svg\" alt=\""));
            assert!(html.contains("aria-describedby=\"kpi-1-chart-desc\""));
            assert!(html.contains("<p id=\"kpi-1-chart-desc\">"));
            assert!(html.contains("href=\"kpi-1.svg\" download"));
        }
    }
}

#[test]
fn standalone_charts_are_byte_identical_across_builds() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let mut files = 0;
    for dir in [&a, &b] {
        keikaku::build::Pipeline::new(root())
            .with_overrides(Default::default())
            .build(&dir.path().join("public"))
            .unwrap_or_else(|d| panic!("{d:?}"));
    }
    for entry in walkdir::WalkDir::new(a.path().join("public")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "svg") {
            let rel = entry.path().strip_prefix(a.path()).unwrap();
            let first = std::fs::read(entry.path()).unwrap();
            let second = std::fs::read(b.path().join(rel)).unwrap();
            assert!(first == second, "{} differs between builds", rel.display());
            files += 1;
        }
    }
    assert!(files > 40, "{files}");
}

#[test]
fn revised_targets_are_marked_on_the_chart() {
    let (site, outputs) = site_and_outputs();
    let svgs = svgs(&outputs);
    let mut revised = 0;
    for m in &site.measures {
        for k in &m.kpis {
            let path = format!("measures/{}/kpi-{}.svg", m.id, k.number);
            let Some(text) = svgs.get(&path) else {
                continue;
            };
            let has_revision = site.plan.period.years().iter().any(|y| {
                k.target_history(*y)
                    .iter()
                    .any(|c| c.before.is_numeric() && !c.before.is_blank())
            });
            // Every chart, labelled series (小・中) too, marks the earlier target.
            if has_revision {
                assert!(
                    text.contains("改訂前の目標"),
                    "{path}: no marker legend for the revised target"
                );
                revised += 1;
            } else if !has_revision {
                assert!(
                    !text.contains("改訂前の目標"),
                    "{path}: marker legend without a revision"
                );
            }
        }
    }
    assert!(
        revised >= 10,
        "the example has many revised targets, found {revised}"
    );
}

#[test]
fn text_values_are_drawn_as_their_words() {
    let (site, outputs) = site_and_outputs();
    let svgs = svgs(&outputs);
    let mut drawn = 0;
    for m in &site.measures {
        for k in &m.kpis {
            let Some(text) = svgs.get(&format!("measures/{}/kpi-{}.svg", m.id, k.number)) else {
                continue;
            };
            assert!(!text.contains("数値以外"), "{} ①{}", m.id, k.number);
            for cell in k.actual.values() {
                if let CellValue::Qualitative(words) = &cell.value {
                    // Long text is wrapped over lines; its start is always drawn.
                    let start: String = words.chars().take(3).collect();
                    assert!(text.contains(&start), "{} ①{}: {words}", m.id, k.number);
                    drawn += 1;
                }
            }
        }
    }
    assert!(drawn >= 1, "{drawn}");
    assert!(svgs["measures/02-03/kpi-1.svg"].contains(">整備完了</text>"));
}

/// A box in chart units: (left, top, right, bottom).
type Bbox = (f64, f64, f64, f64);

fn attr_f(n: &roxmltree::Node, name: &str) -> f64 {
    n.attribute(name).unwrap().parse().unwrap()
}

/// The bars (height 15, outlined), target diamonds (the dark inner polygon) and earlier-target
/// circles (hollow, dark outline) of a KPI chart, below its legend.
fn chart_geometry(svg: &str) -> (Vec<Bbox>, Vec<Bbox>, Vec<Bbox>) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut bars = Vec::new();
    let mut diamonds = Vec::new();
    let mut circles = Vec::new();
    for n in doc.descendants() {
        if n.has_tag_name("rect") && n.attribute("height") == Some("15") {
            let (x, y) = (attr_f(&n, "x"), attr_f(&n, "y"));
            bars.push((x, y, x + attr_f(&n, "width"), y + 15.0));
        } else if n.has_tag_name("polygon") && n.attribute("fill") == Some("#1a1a1a") {
            let pts: Vec<(f64, f64)> = n
                .attribute("points")
                .unwrap()
                .split(' ')
                .map(|p| {
                    let (a, b) = p.split_once(',').unwrap();
                    (a.parse().unwrap(), b.parse().unwrap())
                })
                .collect();
            let xs = pts.iter().map(|p| p.0);
            let ys = pts.iter().map(|p| p.1);
            diamonds.push((
                xs.clone().fold(f64::MAX, f64::min),
                ys.clone().fold(f64::MAX, f64::min),
                xs.fold(f64::MIN, f64::max),
                ys.fold(f64::MIN, f64::max),
            ));
        } else if n.has_tag_name("circle")
            && n.attribute("fill") == Some("#fff")
            && n.attribute("stroke") == Some("#1a1a1a")
        {
            let (x, y, r) = (attr_f(&n, "cx"), attr_f(&n, "cy"), attr_f(&n, "r"));
            circles.push((x - r, y - r, x + r, y + r));
        }
    }
    // The legend's samples sit above the first bar row.
    let first_row = bars.iter().map(|b| b.1).fold(f64::MAX, f64::min) - 1.0;
    diamonds.retain(|d| d.1 >= first_row);
    circles.retain(|c| c.1 >= first_row);
    (bars, diamonds, circles)
}

fn overlaps(a: &Bbox, b: &Bbox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

fn centre_y(b: &Bbox) -> f64 {
    (b.1 + b.3) / 2.0
}

#[test]
fn series_charts_mark_every_target_on_its_own_bar_only() {
    let (site, outputs) = site_and_outputs();
    let svgs = svgs(&outputs);
    let years = site.plan.period.years();
    let mut checked = 0;
    for m in &site.measures {
        for k in &m.kpis {
            let path = format!("measures/{}/kpi-{}.svg", m.id, k.number);
            let Some(text) = svgs.get(&path) else {
                continue;
            };
            let series = k
                .target
                .values()
                .chain(k.actual.values())
                .any(|c| matches!(c.value, CellValue::Series(_)));
            if !series {
                continue;
            }
            let (bars, diamonds, circles) = chart_geometry(text);
            // A marker may sit on the bar of its own row (series and year), never on another.
            for mk in diamonds.iter().chain(&circles) {
                for bar in &bars {
                    if overlaps(mk, bar) {
                        assert!(
                            (centre_y(mk) - centre_y(bar)).abs() <= 1.0,
                            "{path}: marker {mk:?} overlaps the bar {bar:?} of another row"
                        );
                    }
                }
            }
            // An earlier target on every series the revision changed.
            let numbers_by_label = |cell: &Cell| -> Vec<(String, Vec<String>)> {
                match &cell.value {
                    CellValue::Series(items) => items
                        .iter()
                        .map(|i| {
                            let one = Cell {
                                value: match &i.value {
                                    SeriesValue::Quantity(q) => CellValue::Quantity(q.clone()),
                                    SeriesValue::Range(r) => CellValue::Range(r.clone()),
                                },
                                ..cell.clone()
                            };
                            (i.label.clone(), cell_numbers(&one))
                        })
                        .collect(),
                    CellValue::Quantity(_) | CellValue::Range(_) => {
                        vec![(String::new(), cell_numbers(cell))]
                    }
                    _ => Vec::new(),
                }
            };
            let expected: usize = years
                .iter()
                .filter_map(|y| k.target_history(*y).into_iter().next())
                .map(|c| {
                    let now = numbers_by_label(c.after);
                    numbers_by_label(c.before)
                        .into_iter()
                        .filter(|b| !now.contains(b))
                        .count()
                })
                .sum();
            assert_eq!(circles.len(), expected, "{path}: earlier-target markers");
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked}");
    // 01-13 ②: both 小 and 中 revised in 令和6・7年度; ③: only 中 in 令和7年度.
    let (_, _, circles) = chart_geometry(&svgs["measures/01-13/kpi-2.svg"]);
    assert_eq!(circles.len(), 4);
    let (_, _, circles) = chart_geometry(&svgs["measures/01-13/kpi-3.svg"]);
    assert_eq!(circles.len(), 1);
}

#[test]
fn chart_text_is_at_least_the_smallest_size() {
    let (_, outputs) = site_and_outputs();
    for (path, text) in svgs(&outputs) {
        if path.starts_with("assets/") || path.contains("/assets/") {
            continue;
        }
        let doc = roxmltree::Document::parse(&text).unwrap();
        let width: f64 = doc
            .root_element()
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(width, 300.0, "{path}: drawn for the page's 300-unit width");
        for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
            let size: f64 = n.attribute("font-size").unwrap().parse().unwrap();
            // 13 units are 12.4 CSS px in the 286 px a 320 px phone leaves the chart.
            assert!(size >= 13.0, "{path}: {:?} at {size}", n.text());
        }
    }
}
