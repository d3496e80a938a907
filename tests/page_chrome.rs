//! What every page carries besides its content: a favicon that exists, download links that
//! say which chart they download, and a print stylesheet that leaves out the search form and
//! prints the page's address and date.

use std::collections::BTreeSet;
use std::path::Path;

use keikaku::diagnostics::Diagnostics;

fn outputs() -> Vec<keikaku::output::Output> {
    let mut diags = Diagnostics::default();
    let mut pipeline = keikaku::build::Pipeline::new(Path::new(env!("CARGO_MANIFEST_DIR")));
    let site = pipeline.site(&mut diags).unwrap();
    pipeline.outputs(&site, &mut diags).unwrap()
}

#[test]
fn every_page_links_the_favicon_and_names_its_downloads() {
    let outputs = outputs();
    let favicon = outputs
        .iter()
        .find(|o| o.path == "assets/favicon.svg")
        .expect("assets/favicon.svg");
    roxmltree::Document::parse(std::str::from_utf8(&favicon.bytes).unwrap()).unwrap();
    let mut pages = 0;
    for o in outputs.iter().filter(|o| o.path.ends_with(".html")) {
        let html = String::from_utf8(o.bytes.clone()).unwrap();
        assert!(
            html.contains("<link rel=\"icon\" href=\"")
                && html.contains("favicon.svg\" type=\"image/svg+xml\">"),
            "{}: no favicon link",
            o.path
        );
        let mut labels = BTreeSet::new();
        for part in html.split("\" download>").skip(1) {
            let label = &part[..part.find("</a>").unwrap()];
            assert!(!label.starts_with("グラフをSVG"), "{}: {label}", o.path);
            assert!(
                labels.insert(label.to_string()),
                "{}: two links «{label}»",
                o.path
            );
        }
        pages += 1;
    }
    assert!(pages > 40);
    let html = outputs
        .iter()
        .find(|o| o.path == "measures/01-01/index.html")
        .unwrap();
    let html = String::from_utf8(html.bytes.clone()).unwrap();
    assert!(html.contains(
        "href=\"kpi-1.svg\" download>「成果目標① 月間利用金額（年度月平均）の目標と実績（単位: 千円）」のグラフをダウンロード（SVGファイル）</a>"
    ));
}

#[test]
fn print_leaves_out_the_search_form_and_shows_address_and_date() {
    let css = include_str!("../themes/default/static/style.css");
    let print = &css[css.find("@media print").unwrap()..];
    let print = &print[..print.find("\n}\n").unwrap()];
    let hidden = print.lines().find(|l| l.contains("display: none")).unwrap();
    assert!(hidden.contains(".site-search"), "{hidden}");
    assert!(print.contains(".print-only { display: block; }"), "{print}");
    assert!(css.contains(".print-only { display: none; }"));
}
