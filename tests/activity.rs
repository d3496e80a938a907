//! Annual activity plans, progress statuses and target revisions, end to end: the example site
//! in this repository and a small fixture with fictional staff names.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_tree, html_escape as escaped, repo_root as repo};

use keikaku::build::{self, Pipeline};
use keikaku::diagnostics::{Code, Diagnostics};
use keikaku::fiscal::FiscalYear;
use keikaku::validate::Overrides;

fn fixture() -> PathBuf {
    common::fixtures().join("activity_site")
}

/// Builds `root` into a temporary folder; the folder is returned so that it lives on.
fn build_site(root: &Path) -> (tempfile::TempDir, Result<build::BuildReport, Diagnostics>) {
    let out = tempfile::tempdir().unwrap();
    let result = Pipeline::new(root)
        .with_overrides(Overrides::default())
        .build(&out.path().join("public"));
    (out, result)
}

fn read(out: &tempfile::TempDir, page: &str) -> String {
    std::fs::read_to_string(out.path().join("public").join(page))
        .unwrap_or_else(|e| panic!("{page}: {e}"))
}

fn all_output_text(out: &tempfile::TempDir) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(out.path().join("public"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            (
                e.path().to_path_buf(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect()
}

#[test]
fn example_site_shows_every_r4_plan_status_on_measure_and_year_pages() {
    let mut diags = Diagnostics::default();
    let site = (Pipeline::new(repo()).with_overrides(Overrides::default()))
        .site(&mut diags)
        .unwrap_or_else(|| panic!("{diags:?}"));
    let r4 = FiscalYear::parse("R4").unwrap();
    let plans: Vec<_> = site.activity.iter().filter(|a| a.year == r4).collect();
    assert_eq!(
        plans.len(),
        26,
        "the seed has 26 activity plans for 令和4年度"
    );

    let (out, result) = build_site(&repo());
    result.unwrap();
    let year_page = read(&out, "activity/R4/index.html");
    for plan in &plans {
        let status = plan.overall(&site.config.progress);
        let label = status.map_or(keikaku::progress::NOT_RECORDED_LABEL, |s| {
            site.config.progress.get(s).label.as_str()
        });
        let measure_page = read(&out, &format!("measures/{}/index.html", plan.measure_id));
        assert!(
            measure_page.contains("令和4年度の進捗: <span class=\"status"),
            "{}: no progress on the measure page",
            plan.measure_id
        );
        let latest = measure_page
            .split("令和4年度の進捗: ")
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .unwrap();
        assert!(latest.contains(label), "{}: {latest}", plan.measure_id);
        assert!(
            measure_page.contains(&format!("../../activity/R4/{}/", plan.measure_id)),
            "{}: no link to the plan",
            plan.measure_id
        );
        // On the year page, the measure is listed (under its status and under its policy)
        // with its status right after its title.
        let href = format!("href=\"../../activity/R4/{}/\"", plan.measure_id);
        let listed: Vec<&str> = year_page.split(&href).skip(1).collect();
        assert_eq!(listed.len(), 2, "{}", plan.measure_id);
        for item in listed {
            let meta = item.split("</p>").nth(1).unwrap();
            assert!(meta.contains(label), "{}: {meta}", plan.measure_id);
        }
    }
    // The home page counts the plans by status.
    let home = read(&out, "index.html");
    assert!(home.contains("令和4年度 年間活動計画の進捗"));
    assert!(home.contains("進捗遅延・課題あり</span> 4施策"), "{home}");
    assert!(home.contains("予定通り</span> 20施策"));
    assert!(home.contains("進捗の記載なし</span> 2施策"));
}

#[test]
fn the_five_delayed_rows_of_the_seed_are_shown_with_their_countermeasures() {
    let (out, result) = build_site(&repo());
    result.unwrap();
    let delayed = [
        ("01-07", "歩数増加に向けた取組", "協賛企業との調整"),
        ("01-09", "運用方法の確立に向けた取り組み", "既読率は43%"),
        (
            "01-09",
            "利用促進に向けた操作説明会の実施",
            "研修の第1回会議",
        ),
        ("03-01", "電子化の周知", "添付文書のビューアー"),
        (
            "03-03",
            "タブレット受付窓口の拡大",
            "システムの台数を増やす",
        ),
    ];
    let mut count = 0;
    for (id, task, countermeasure) in delayed {
        let page = read(&out, &format!("activity/R4/{id}/index.html"));
        let section = page
            .split(&format!(": {task}</h3>"))
            .nth(1)
            .and_then(|s| s.split("</section>").next())
            .unwrap_or_else(|| panic!("{id}: no task {task}"));
        assert!(
            section.contains("進捗: <span class=\"status status--delayed status--attention\"><span class=\"status__icon\" aria-hidden=\"true\">▲</span>進捗遅延・課題あり</span>"),
            "{id} {task}"
        );
        assert!(section.contains("<h4>対応策</h4>"), "{id} {task}");
        assert!(section.contains(countermeasure), "{id} {task}");
        count += 1;
    }
    // No other row of the example is delayed.
    let all: usize = all_output_text(&out)
        .iter()
        .filter(|(p, _)| p.to_string_lossy().contains("activity/R4/") && p.ends_with("index.html"))
        .filter(|(p, _)| p.parent().unwrap().file_name().unwrap() != "R4")
        .map(|(_, t)| {
            t.matches("進捗: <span class=\"status status--delayed")
                .count()
        })
        .sum();
    assert_eq!(all, count);
}

#[test]
fn every_revised_target_shows_its_old_and_new_value() {
    let mut diags = Diagnostics::default();
    let site = (Pipeline::new(repo()).with_overrides(Overrides::default()))
        .site(&mut diags)
        .unwrap();
    let (out, result) = build_site(&repo());
    result.unwrap();
    let mut checked = 0;
    for m in &site.measures {
        let page = read(&out, &format!("measures/{}/index.html", m.id));
        for k in &m.kpis {
            for year in site.plan.period.years() {
                for change in k.target_history(year) {
                    let shown = format!(
                        "{}で{}から{}に",
                        change.revision,
                        change.before.display(),
                        change.after.display()
                    );
                    assert!(
                        page.contains(&escaped(&shown)),
                        "{} {}: {shown}",
                        m.id,
                        year.label()
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(
        checked >= 40,
        "only {checked} revised targets in the example"
    );
    let page = read(&out, "measures/01-01/index.html");
    assert!(page.contains("令和6年8月改訂で40,000千円から60,000千円に"));
    assert!(page.contains("令和6年8月改訂で45,000千円から60,000千円に"));
}

#[test]
fn revisions_chain_and_carry_their_reason() {
    let (out, result) = build_site(&fixture());
    result.unwrap();
    let page = read(&out, "measures/A-01/index.html");
    assert!(page.contains("令和5年4月改訂で150件から200件に（利用が想定を上回ったため）"));
    // R6 was revised twice: 180 → 250, then 250 → 300.
    assert!(page.contains("令和5年4月改訂で180件から250件に"));
    assert!(page.contains("令和6年1月改訂で250件から300件に"));
}

const STAFF: &[&str] = &["山田花子", "山田", "花子", "鈴木 一郎", "鈴木", "一郎"];

#[test]
fn staff_names_are_never_published_by_default() {
    let (out, result) = build_site(&fixture());
    result.unwrap();
    let files = all_output_text(&out);
    assert!(files.len() > 5);
    for (path, text) in &files {
        for name in STAFF {
            assert!(!text.contains(name), "{name} appears in {}", path.display());
        }
    }
    // The rest of the plan is published.
    let plan = read(&out, "activity/R4/A-01/index.html");
    assert!(plan.contains("suishin@city.example.lg.jp"));
    assert!(plan.contains("運用経費"));
    assert!(plan.contains("業者と日程を調整し直す。"));
}

#[test]
fn staff_names_are_published_when_the_site_allows_it() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(), dir.path());
    let config = dir.path().join("config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("publish_staff_names: true\n");
    std::fs::write(&config, text).unwrap();
    let (out, result) = build_site(dir.path());
    result.unwrap();
    let plan = read(&out, "activity/R4/A-01/index.html");
    assert!(plan.contains("<dt>主担当者</dt><dd>山田花子</dd>"));
    assert!(read(&out, "activity/R4/B-01/index.html").contains("鈴木 一郎"));
}

/// Writes `file` (relative) into a copy of the fixture and returns the build's diagnostics.
fn errors_with(files: &[(&str, &str)]) -> Diagnostics {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(), dir.path());
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let (_out, result) = build_site(dir.path());
    result.expect_err("the build must fail")
}

fn find(diags: &Diagnostics, code: Code) -> &keikaku::diagnostics::Diagnostic {
    diags
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code:?} in {diags:?}"))
}

#[test]
fn an_unknown_status_word_is_an_error_at_its_line() {
    let diags = errors_with(&[(
        "content/activity/R4/B-01.yaml",
        "goal: 目標\ntasks:\n  - task: 検討\n    progress: 予定どおり\n",
    )]);
    let d = find(&diags, Code::UnknownStatus);
    assert_eq!(d.file, Path::new("content/activity/R4/B-01.yaml"));
    assert_eq!(d.position.map(|p| (p.line, p.column)), Some((4, 15)));
    assert_eq!(d.field.as_deref(), Some("tasks[0].progress"));
    assert!(d.message.contains("予定どおり"));
    assert!(d.hint.as_deref().unwrap().contains("予定通り"));
}

#[test]
fn a_quarter_outside_one_to_four_is_an_error_at_its_line() {
    let diags = errors_with(&[(
        "content/activity/R4/B-01.yaml",
        "goal: 目標\ntasks:\n  - task: 検討\n    quarters:\n      1: 準備\n      5: 実施\n",
    )]);
    let d = find(&diags, Code::InvalidQuarter);
    assert_eq!(d.file, Path::new("content/activity/R4/B-01.yaml"));
    assert_eq!(d.position.map(|p| p.line), Some(6));
    assert!(d.message.contains('5'));
}

#[test]
fn a_year_outside_the_plan_or_an_unknown_measure_is_an_error_for_the_file() {
    let diags = errors_with(&[
        ("content/activity/R9/A-01.yaml", "goal: 目標\n"),
        ("content/activity/令和4年度/Z-99.yaml", "goal: 目標\n"),
        ("content/activity/nen/A-01.yaml", "goal: 目標\n"),
    ]);
    let d = find(&diags, Code::YearOutsidePeriod);
    assert_eq!(d.file, Path::new("content/activity/R9/A-01.yaml"));
    assert_eq!(d.position.map(|p| p.line), Some(1));
    assert!(d.message.contains("令和9年度"), "{}", d.message);
    let d = find(&diags, Code::UnknownMeasure);
    assert_eq!(d.file, Path::new("content/activity/令和4年度/Z-99.yaml"));
    let d = find(&diags, Code::InvalidFiscalYear);
    assert_eq!(d.file, Path::new("content/activity/nen/A-01.yaml"));
}

#[test]
fn a_site_can_add_its_own_status_words() {
    let plan = "goal: 目標\ntasks:\n  - task: 検討\n    progress: 一部遅延\n";
    let diags = errors_with(&[("content/activity/R4/B-01.yaml", plan)]);
    assert_eq!(
        find(&diags, Code::UnknownStatus).position.map(|p| p.line),
        Some(4)
    );

    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(), dir.path());
    let config = dir.path().join("config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(
        "progress_statuses:\n  - label: 一部遅延\n    key: partly-delayed\n    icon: △\n    attention: true\n",
    );
    std::fs::write(&config, text).unwrap();
    std::fs::write(dir.path().join("content/activity/R4/B-01.yaml"), plan).unwrap();
    let (out, result) = build_site(dir.path());
    result.unwrap();
    let year = read(&out, "activity/R4/index.html");
    assert!(year.contains("id=\"status-partly-delayed\""));
    assert!(year.contains("△</span>一部遅延"));
}

#[test]
fn a_revision_must_change_an_existing_target() {
    let measure = "id: A-01\ntitle: t\npolicy: 1\nlead_department: d\nkpis:\n  - indicator: i\n    target:\n      R4: 100件\n      R5: 200件\n    revisions:\n      - revision: 改訂\n        before:\n          R5: 200件\n          R6: 50件\n";
    let diags = errors_with(&[("content/measures/A-01.yaml", measure)]);
    let lines: Vec<(Code, Option<usize>)> = diags
        .iter()
        .map(|d| (d.code, d.position.map(|p| p.line)))
        .collect();
    // R5 did not change; R6 has no current target.
    assert!(lines.contains(&(Code::InvalidValue, Some(13))), "{lines:?}");
    assert!(lines.contains(&(Code::InvalidValue, Some(14))), "{lines:?}");
}
