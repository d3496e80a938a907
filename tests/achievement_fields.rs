//! The content fields that feed the achievement rules (`direction`, `aggregation`, `achieved`,
//! and `achievement:` in config.yaml) are validated with located messages.

use keikaku::diagnostics::{Code, Diagnostics};
use keikaku::kpi::achievement::Status;
use keikaku::model::{Aggregation, Direction};

fn site_with(config_extra: &str, kpi: &str) -> (Option<keikaku::model::Site>, Diagnostics) {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "config.yaml",
        &format!("title: T\ncity: C\nbase_url: https://example.invalid/\n{config_extra}"),
    );
    write(
        "content/plan.yaml",
        "title: P\nperiod: {start: R4, end: R7}\nphilosophy: x\npolicies:\n  - {number: 1, title: A}\n",
    );
    write(
        "content/measures/01-01.yaml",
        &format!("id: \"01-01\"\ntitle: M\npolicy: 1\nlead_department: D\nkpis:\n{kpi}"),
    );
    let mut diags = Diagnostics::default();
    let site = keikaku::build::Pipeline::new(dir.path()).site(&mut diags);
    (site, diags)
}

fn codes_and_lines(diags: &Diagnostics) -> Vec<(Code, Option<usize>, Option<String>)> {
    diags
        .sorted()
        .iter()
        .map(|d| (d.code, d.position.map(|p| p.line), d.field.clone()))
        .collect()
}

#[test]
fn fields_are_read_into_the_model() {
    let (site, diags) = site_with(
        "achievement:\n  near_band: 0.9\n",
        "  - indicator: 被害額\n    direction: lower\n    aggregation: cumulative\n    target: {R4: 10件, R5: 整備完了}\n    actual: {R4: 8件, R5: 整備完了}\n    achieved: {R5: true}\n",
    );
    let site = site.unwrap_or_else(|| panic!("{diags:?}"));
    let k = &site.measures[0].kpis[0];
    assert_eq!(k.direction, Direction::Lower);
    assert_eq!(k.aggregation, Some(Aggregation::Cumulative));
    let near = site.config.achievement.near.as_ref().unwrap();
    assert_eq!((near.ratio, near.label.as_str()), (0.9, "概ね達成"));
    let rules = &site.config.achievement;
    let years = site.plan.period.years();
    let status = |i: usize| keikaku::kpi::achievement::judge(k, years[i], rules).status;
    assert_eq!(status(0), Status::Achieved);
    assert_eq!(status(1), Status::Achieved);
    assert_eq!(status(2), Status::NoTarget);
}

#[test]
fn bad_values_are_located() {
    let (site, diags) = site_with(
        "achievement:\n  near_band: 1.5\n",
        "  - indicator: x\n    direction: down\n    aggregation: total\n    target: {R4: 10件}\n    actual: {R4: 8件}\n    achieved: {R4: true}\n",
    );
    assert!(site.is_none());
    let found = codes_and_lines(&diags);
    assert_eq!(
        found,
        vec![
            (
                Code::InvalidValue,
                Some(5),
                Some("achievement.near_band".into())
            ),
            (
                Code::InvalidValue,
                Some(7),
                Some("kpis[0].direction".into())
            ),
            (
                Code::InvalidValue,
                Some(8),
                Some("kpis[0].aggregation".into())
            ),
            (
                Code::InvalidValue,
                Some(11),
                Some("kpis[0].achieved.R4".into())
            ),
        ],
        "{diags:?}"
    );
}

#[test]
fn a_declaration_for_a_year_without_an_actual_is_refused() {
    let (site, diags) = site_with(
        "",
        "  - indicator: x\n    target: {R4: 整備完了}\n    achieved: {R4: true}\n",
    );
    assert!(site.is_none());
    assert_eq!(diags.error_count(), 1);
}
