//! Every sentence keikaku says about a KPI of the example site, in one reviewed file
//! (tests/golden/kpi_sentences.txt), so that a change of wording shows up as a diff that
//! someone reads. Run with `UPDATE_GOLDEN=1` to rewrite the file after a deliberate change.
//!
//! Also checked on every sentence: no broken placeholder wording, every number is followed by
//! its unit when the cell has one, and the words of every text-valued cell are said.

use std::path::Path;

use keikaku::diagnostics::Diagnostics;
use keikaku::kpi::cell::{Cell, CellValue, SeriesValue};
use keikaku::kpi::sentence;
use keikaku::model::{Kpi, Site};

fn site() -> Site {
    let mut diags = Diagnostics::default();
    keikaku::build::Pipeline::new(Path::new(env!("CARGO_MANIFEST_DIR")))
        .site(&mut diags)
        .unwrap_or_else(|| panic!("{diags:?}"))
}

fn golden_text(site: &Site) -> String {
    let rules = &site.config.achievement;
    let years = site.plan.period.years();
    let mut out = String::new();
    for m in &site.measures {
        for k in &m.kpis {
            out.push_str(&format!(
                "## {} 成果目標{} {}\n",
                m.id,
                k.number,
                k.current_indicator()
            ));
            out.push_str(&format!(
                "要点: {}\n",
                sentence::key_message(k, &years, rules)
            ));
            for y in &years {
                for s in sentence::revision_sentences(k, *y) {
                    out.push_str(&format!("{s}\n"));
                }
                out.push_str(&format!("{}\n", sentence::year_sentence(k, *y, rules)));
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn sentences_match_the_reviewed_golden_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/kpi_sentences.txt");
    let now = golden_text(&site());
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let before = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    if before != now {
        let first = before
            .lines()
            .zip(now.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(before.lines().count().min(now.lines().count()));
        panic!(
            "KPI sentences changed (line {}):\n  golden: {}\n  now:    {}\nReview and run with UPDATE_GOLDEN=1.",
            first + 1,
            before.lines().nth(first).unwrap_or("(end)"),
            now.lines().nth(first).unwrap_or("(end)")
        );
    }
}

/// (number text, unit) of each value in a cell.
fn numbers_with_units(cell: &Cell) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |v: &SeriesValue| match v {
        SeriesValue::Quantity(q) => {
            if let Some(u) = &q.unit {
                out.push((q.number.text.clone(), u.clone()));
            }
        }
        SeriesValue::Range(r) => {
            if let Some(u) = &r.unit {
                out.push((r.low.text.clone(), u.clone()));
                out.push((r.high.text.clone(), u.clone()));
            }
        }
    };
    match &cell.value {
        CellValue::Quantity(q) => push(&SeriesValue::Quantity(q.clone())),
        CellValue::Range(r) => push(&SeriesValue::Range(r.clone())),
        CellValue::Series(items) => items.iter().for_each(|i| push(&i.value)),
        _ => {}
    }
    out
}

/// Whether every occurrence of `number` in `text` that stands alone (not inside a longer
/// number) is followed by `unit`.
fn always_followed_by(text: &str, number: &str, unit: &str) -> bool {
    let mut seen = false;
    for (i, _) in text.match_indices(number) {
        let before = text[..i].chars().next_back();
        let after = &text[i + number.len()..];
        let standalone = !before.is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.')
            && !after.starts_with(|c: char| c.is_ascii_digit() || c == ',' || c == '.');
        if standalone {
            seen = true;
            if !after.starts_with(unit) {
                return false;
            }
        }
    }
    seen
}

/// `text` without the author's words it quotes in 「」.
fn without_quotes(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '「' => depth += 1,
            '」' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `text` without its 「達成率56%」 figures.
fn without_rates(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("達成率") {
        out.push_str(&rest[..i]);
        rest = rest[i + "達成率".len()..]
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.' || c == '%');
    }
    out.push_str(rest);
    out
}

fn texts_of(k: &Kpi) -> Vec<&str> {
    k.target
        .values()
        .chain(k.actual.values())
        .filter_map(|c| match &c.value {
            CellValue::Qualitative(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn sentences_say_units_and_words_and_nothing_broken() {
    let site = site();
    let rules = &site.config.achievement;
    let years = site.plan.period.years();
    let mut text_kpis = 0;
    for m in &site.measures {
        for k in &m.kpis {
            let desc = sentence::describe(k, &years, rules);
            let key = sentence::key_message(k, &years, rules);
            // The author's own text, quoted in 「」, is said as written.
            for s in [without_quotes(&desc), without_quotes(&key)] {
                for bad in ["文章で示されて", "→", "数値以外", "未記入", "実績なし"]
                {
                    assert!(!s.contains(bad), "{} ①{}: «{bad}» in «{s}»", m.id, k.number);
                }
            }
            for y in &years {
                // Years and achievement rates hold numbers that are not values.
                let mut s = without_rates(&sentence::year_sentence(k, *y, rules));
                for label in years.iter().map(|y| y.label()) {
                    s = s.replace(&label, "");
                }
                for cell in [k.target.get(y), k.actual.get(y)].into_iter().flatten() {
                    for (n, u) in numbers_with_units(cell) {
                        assert!(
                            always_followed_by(&s, &n, &u),
                            "{} ①{} {y}: {n} without {u} in «{s}»",
                            m.id,
                            k.number
                        );
                    }
                }
            }
            let texts = texts_of(k);
            if !texts.is_empty() {
                text_kpis += 1;
            }
            for t in texts {
                assert!(
                    desc.contains(t),
                    "{} ①{}: «{t}» not said in «{desc}»",
                    m.id,
                    k.number
                );
            }
        }
    }
    assert!(text_kpis >= 4, "{text_kpis}");
}

#[test]
fn the_key_message_reads_the_latest_reported_year() {
    let site = site();
    let rules = &site.config.achievement;
    let years = site.plan.period.years();
    let m = site.measures.iter().find(|m| m.id == "01-01").unwrap();
    assert_eq!(
        sentence::key_message(&m.kpis[0], &years, rules),
        "令和6年度は目標60,000千円に対し33,474千円で、未達成（達成率56%）でした。"
    );
}

/// The words for cells without a value are the same in the visible table, the status column
/// and the chart description; the old words are gone.
#[test]
fn measure_pages_use_one_vocabulary_for_missing_values() {
    let mut diags = Diagnostics::default();
    let mut pipeline = keikaku::build::Pipeline::new(Path::new(env!("CARGO_MANIFEST_DIR")));
    let site = pipeline.site(&mut diags).unwrap();
    let outputs = pipeline.outputs(&site, &mut diags).unwrap();
    let page = |path: &str| {
        let o = outputs.iter().find(|o| o.path == path).unwrap();
        String::from_utf8(o.bytes.clone()).unwrap()
    };
    // The open-data page documents the values of the data files, which keep their own
    // stable vocabulary (see docs/open-data.md).
    // (The older plan of the example has its own data page, under its folder; every
    // language tree, easy/ and en/, has both again.)
    let data_page = |p: &str| {
        let p = p
            .strip_prefix("easy/")
            .or(p.strip_prefix("en/"))
            .unwrap_or(p);
        p.starts_with("data/") || p.starts_with("ict-2018/data/")
    };
    let shown = |p: &str| (p.ends_with(".html") || p.ends_with(".svg")) && !data_page(p);
    for o in outputs.iter().filter(|o| shown(&o.path)) {
        let text = String::from_utf8_lossy(&o.bytes);
        for old in ["未記入", "実績なし", "数値以外", ">—<"] {
            assert!(!text.contains(old), "{}: {old}", o.path);
        }
    }
    let html = page("measures/01-01/index.html");
    let r7 = &html[html.find("<th scope=\"row\">令和7年度</th>").unwrap()..];
    let r7 = &r7[..r7.find("</tr>").unwrap()];
    assert!(
        r7.contains("<td class=\"kpi-cell--blank\">未報告</td>"),
        "{r7}"
    );
    assert!(r7.contains("未報告</span>"), "status column: {r7}");
    assert!(html.contains("「未報告」は実績がまだ報告されていないこと"));
    assert!(html.contains("<p class=\"kpi__key-message\">令和6年度は目標60,000千円に対し33,474千円で、未達成（達成率56%）でした。</p>"));
    let html = page("measures/01-06/index.html");
    let r4 = &html[html.find("id=\"kpi-2\"").unwrap()..];
    let r4 = &r4[r4.find("<th scope=\"row\">令和4年度</th>").unwrap()..];
    let r4 = &r4[..r4.find("</tr>").unwrap()];
    assert!(
        r4.contains("該当なし<span class=\"kpi-cell__marker\" aria-hidden=\"true\">（_）</span>"),
        "{r4}"
    );
}

/// A site whose contact has an email shows it on each measure page, beside the measure's
/// 更新日; the footer carries the site's date and, for print, the page's address.
#[test]
fn measure_pages_show_their_date_and_the_contact() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let mut diags = Diagnostics::default();
    let mut pipeline = keikaku::build::Pipeline::new(&root);
    let site = pipeline.site(&mut diags).unwrap();
    let outputs = pipeline.outputs(&site, &mut diags).unwrap();
    let m = &site.measures[0];
    let path = format!("measures/{}/index.html", m.id);
    let o = outputs.iter().find(|o| o.path == path).unwrap();
    let html = String::from_utf8(o.bytes.clone()).unwrap();
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    assert!(
        main.contains("<dt>お問い合わせ</dt><dd>企画課 メール: <a href=\"mailto:kikaku@example.invalid\">kikaku@example.invalid</a></dd>"),
        "{main}"
    );
    let updated = site.measure_updated(m).to_string();
    assert!(main.contains(&format!("<dt>更新日</dt><dd><time datetime=\"{updated}\">")));
    let footer = &html[html.find("<footer").unwrap()..];
    assert!(footer.contains("データ更新日: <time datetime="), "{footer}");
    assert!(
        footer.contains("<p class=\"print-only\">このページのURL: "),
        "{footer}"
    );
}
