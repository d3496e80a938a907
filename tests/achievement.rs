//! The achievement verdict of every KPI of the example site (content/), year by year, checked
//! against a table written from the measure sheets: if a rule in src/kpi/achievement.rs or a
//! field in content/ changes a verdict, this test names the KPI and the year.
//!
//! Codes: A 達成, N 概ね達成, X 未達成, U 判定不可, - 実績なし, 0 目標なし; then `p` for a
//! provisional (見込み) value and `d` for a verdict the author declared (`achieved:`); then the
//! achievement rate as shown on the site, and for series the rate per label.

use std::path::Path;

use keikaku::kpi::achievement::{format_rate, judge, Basis, Status};
use keikaku::model::{NearBand, Rules, Site};

fn site() -> Site {
    let mut diags = keikaku::diagnostics::Diagnostics::default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    (keikaku::build::Pipeline::new(root).site(&mut diags))
        .unwrap_or_else(|| panic!("example site has errors: {diags:?}"))
}

fn code(site: &Site, id: &str, number: usize, rules: &Rules) -> Vec<String> {
    let m = site.measures.iter().find(|m| m.id == id).unwrap();
    let k = &m.kpis[number - 1];
    site.plan
        .period
        .years()
        .into_iter()
        .map(|y| {
            let j = judge(k, y, rules);
            let mut s = match j.status {
                Status::Achieved => "A",
                Status::Near => "N",
                Status::NotAchieved => "X",
                Status::Undeterminable => "U",
                Status::NoActual => "-",
                Status::NoTarget => "0",
            }
            .to_string();
            if j.provisional {
                s.push('p');
            }
            if j.basis == Basis::Declared {
                s.push('d');
            }
            if let Some(r) = j.rate {
                s.push_str(&format_rate(r, j.status == Status::Achieved));
            }
            if !j.series.is_empty() {
                s.push(' ');
                let parts: Vec<String> = j
                    .series
                    .iter()
                    .map(|x| {
                        format!(
                            "{}{}",
                            x.label,
                            x.rate
                                .map(|r| format_rate(r, x.status == Status::Achieved))
                                .unwrap_or_default()
                        )
                    })
                    .collect();
                s.push_str(&parts.join(" "));
            }
            s
        })
        .collect()
}

const EXPECTED: &[(&str, usize, [&str; 4])] = &[
    ("01-01", 1, ["A135%", "A179%", "X56%", "-"]),
    ("01-01", 2, ["X69%", "X57%", "X72%", "-"]),
    ("01-02", 1, ["A100%", "X50%", "X50%", "-"]),
    ("01-02", 2, ["X86%", "X71%", "X71%", "-"]),
    ("01-03", 1, ["A184%", "A235%", "X73%", "-"]),
    ("01-03", 2, ["X99.8%", "X94%", "X91%", "-"]),
    ("01-04", 1, ["X42%", "A200%", "X92%", "-"]),
    ("01-04", 2, ["A255%", "A245%", "X94%", "-"]),
    ("01-05", 1, ["A100%", "X33%", "X20%", "-"]),
    ("01-05", 2, ["A200%", "A111%", "A111%", "-"]),
    ("01-05", 3, ["0", "A103%", "A114%", "-"]),
    ("01-06", 1, ["A200%", "U", "U", "-"]),
    ("01-06", 2, ["0", "0", "Ap100%", "-"]),
    ("01-07", 1, ["A120%", "A129%", "A101%", "-"]),
    ("01-07", 2, ["A101%", "X99.7%", "X87%", "-"]),
    ("01-08", 1, ["X25%", "X38%", "X40%", "-"]),
    ("01-08", 2, ["A106%", "A145%", "X85%", "-"]),
    ("01-09", 1, ["X58%", "X20%", "X22%", "-"]),
    ("01-09", 2, ["A100%", "A100%", "A100%", "0"]),
    ("01-09", 3, ["U", "U", "U", "0"]),
    ("01-10", 1, ["A100%", "A100%", "X88%", "-"]),
    ("01-10", 2, ["A100%", "X30%", "A100%", "-"]),
    ("01-11", 1, ["A118%", "X87%", "X76%", "-"]),
    ("01-11", 2, ["X95%", "X0%", "X31%", "-"]),
    // `700回/1/1` against `1,130回/0.154/0`: lists, judged position by position (issue #20).
    (
        "01-11",
        3,
        [
            "X 1番目161% 2番目15% 3番目0%",
            "X 1番目87% 2番目0%",
            "X 1番目85% 2番目0%",
            "-",
        ],
    ),
    ("01-12", 1, ["Ad", "Ad", "U", "-"]),
    ("01-12", 2, ["Ad", "Ad", "Ad", "-"]),
    (
        "01-13",
        1,
        ["X 小82% 中86%", "X 小68% 中78%", "X 小57% 中75%", "-"],
    ),
    (
        "01-13",
        2,
        ["X 小44% 中0%", "X 小34% 中0%", "X 小34% 中0%", "-"],
    ),
    ("01-13", 3, ["U", "U", "U", "-"]),
    ("01-14", 1, ["A117%", "A113%", "A114%", "-"]),
    ("01-14", 2, ["A183%", "A100%", "A150%", "-"]),
    ("01-15", 1, ["0", "X75%", "A192%", "-"]),
    ("01-15", 2, ["0", "-", "A167%", "-"]),
    ("01-16", 1, ["0", "X90%", "A131%", "-"]),
    ("01-16", 2, ["0", "0", "A106%", "-"]),
    ("02-01", 1, ["U", "U", "U", "-"]),
    ("02-01", 2, ["U", "U", "U", "-"]),
    ("02-01", 3, ["U", "U", "U", "-"]),
    ("02-02", 1, ["A143%", "X99%", "A109%", "-"]),
    ("02-03", 1, ["Ad", "X34%", "A804%", "-"]),
    ("02-03", 2, ["Ad", "A526%", "A111%", "-"]),
    ("02-03", 3, ["Ad", "X81%", "X84%", "-"]),
    ("02-05", 1, ["Ad", "U", "Ad", "-"]),
    ("02-05", 2, ["U", "Ad", "Ad", "-"]),
    ("02-06", 1, ["0", "A222%", "A110%", "-"]),
    ("02-06", 2, ["0", "A107%", "X33%", "-"]),
    ("03-01", 1, ["A100%", "A100%", "A100%", "-"]),
    ("03-01", 2, ["A100%", "A100%", "A100%", "-"]),
    ("03-02", 1, ["Ad", "Ad", "Ad", "-"]),
    ("03-02", 2, ["Ad", "Ad", "U", "-"]),
    ("03-02", 3, ["0", "Xd", "Xd", "-"]),
    ("03-03", 1, ["X8%", "X50%", "X98%", "-"]),
    ("03-03", 2, ["U", "U", "U", "-"]),
    ("03-04", 1, ["X84%", "X98%", "A115%", "-"]),
    ("03-04", 2, ["X40%", "A140%", "X50%", "-"]),
    ("03-05", 1, ["Ad", "Ad", "U", "-"]),
    ("03-06", 1, ["0", "0", "Ad", "0"]),
    ("03-06", 2, ["0", "0", "U", "-"]),
    ("03-06", 3, ["0", "0", "A100%", "-"]),
    ("03-07", 1, ["0", "0", "0", "-"]),
    ("04-01", 1, ["A186%", "X76%", "X91%", "-"]),
    ("04-02", 1, ["Ad", "Ad", "Ad", "-"]),
    ("04-02", 2, ["Ad", "Ad", "Ad", "-"]),
    ("04-02", 3, ["Ad", "Ad", "Ad", "-"]),
];

#[test]
fn every_kpi_of_the_example_site_has_the_expected_verdict() {
    let site = site();
    let total: usize = site.measures.iter().map(|m| m.kpis.len()).sum();
    assert_eq!(EXPECTED.len(), total, "the table must list every KPI");
    let mut wrong = Vec::new();
    for (id, n, expected) in EXPECTED {
        let got = code(&site, id, *n, &Rules::default());
        if got != expected.iter().map(|s| s.to_string()).collect::<Vec<_>>() {
            wrong.push(format!(
                "{id} 成果目標{n}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_near_band_changes_only_misses_within_the_band() {
    let site = site();
    let rules = Rules {
        near: Some(NearBand {
            ratio: 0.9,
            label: "概ね達成".into(),
        }),
    };
    // 被害額 R4 99.8%, R5 94%, R6 91%: all within 90%.
    assert_eq!(
        code(&site, "01-03", 2, &rules),
        ["N99.8%", "N94%", "N91%", "-"]
    );
    // 付与件数 69%, 57%, 72%: unchanged.
    assert_eq!(
        code(&site, "01-01", 2, &rules),
        ["X69%", "X57%", "X72%", "-"]
    );
    // Series: both labels must be within the band.
    assert_eq!(code(&site, "01-13", 1, &rules)[0], "X 小82% 中86%");
}

#[test]
fn directions_and_aggregations_of_the_example_site() {
    use keikaku::model::{Aggregation, Direction};
    let site = site();
    let mut lower = Vec::new();
    let mut cumulative = Vec::new();
    let mut single = Vec::new();
    for m in &site.measures {
        for k in &m.kpis {
            let name = format!("{}-{}", m.id, k.number);
            if k.direction == Direction::Lower {
                lower.push(name.clone());
            }
            match k.aggregation {
                Some(Aggregation::Cumulative) => cumulative.push(name),
                Some(Aggregation::SingleYear) => single.push(name),
                None => {}
            }
        }
    }
    assert_eq!(lower, ["01-03-2", "01-13-1", "01-14-1", "01-14-2"]);
    assert_eq!(cumulative, ["01-05-1", "01-06-2", "01-11-1"]);
    assert_eq!(single, ["01-01-2"]);
}

/// Issue #20: a cell typed with a Japanese input method (`３０％以上`, `７０％`) has the unit
/// `%`, like its target in ASCII, and is judged; it used to be 判定不可 (units differ).
#[test]
fn full_width_percent_is_the_same_unit_as_ascii() {
    use keikaku::kpi::achievement::{judge_facts, KpiFacts};
    use keikaku::kpi::cell::Cell;
    use keikaku::model::Direction;
    let judge = |target: &str, actual: &str| {
        let target = Cell::parse(target).unwrap();
        let actual = Cell::parse(actual).unwrap();
        let facts = KpiFacts {
            direction: Direction::Higher,
            baseline: None,
            target: Some(&target),
            actual: Some(&actual),
            declared: None,
        };
        let j = judge_facts(&facts, &Rules::default());
        let rate = j.rate.map(|r| format_rate(r, j.status == Status::Achieved));
        (j.status, rate)
    };
    assert_eq!(judge("30%以上", "30％以上").0, Status::Achieved);
    assert_eq!(judge("30%以上", "３０％以上").0, Status::Achieved);
    assert_eq!(judge("30％以上", "30%").0, Status::Achieved);
    assert_eq!(
        judge("70%", "７０％"),
        (Status::Achieved, Some("100%".to_string()))
    );
    assert_eq!(judge("75%", "７０％").0, Status::NotAchieved);
    assert_eq!(judge("７５％", "80%").0, Status::Achieved);
    // A unit that really differs still cannot be judged.
    assert_eq!(judge("70%", "70件").0, Status::Undeterminable);
}
