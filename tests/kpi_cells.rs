//! Issue #20 points 2 and 3: no KPI cell is silently misread. `tests/fixtures/cells` (laid over
//! the mini site) has approximate values, units that differ between target and actual,
//! number-like text and `/` lists; `check` must warn about each problem with its code, file,
//! line, column and field, and the verdicts must be the ones the cells say.

mod common;

use common::{copy_tree, fixtures, run, text};
use keikaku::diagnostics::{Code, Diagnostics, Severity};
use keikaku::kpi::achievement::{self, Status, APPROXIMATE_NOTE, UNITS_DIFFER};

const FILE: &str = "content/measures/01-02.yaml";

fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_tree(&fixtures().join("mini"), &root);
    copy_tree(&fixtures().join("cells"), &root);
    (dir, root)
}

#[test]
fn check_warns_about_every_misleading_cell_with_its_location() {
    let (_dir, root) = site();
    let out = run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    // Warnings do not fail the check.
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)));
    let found: Vec<(String, String, String, u64, u64, String)> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"]["id"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["position"]["line"].as_u64().unwrap(),
                d["position"]["column"].as_u64().unwrap(),
                d["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let w = |code: &str, line: u64, column: u64, field: &str| {
        (
            code.to_string(),
            "warning".to_string(),
            FILE.to_string(),
            line,
            column,
            field.to_string(),
        )
    };
    assert_eq!(
        found,
        vec![
            // 70% against 70件: the column is the actual's unit.
            w("E0402", 21, 14, "kpis[1].actual.R4"),
            // 小 5% 中 10% against 小 6% 中 12件: the unit of 中.
            w("E0402", 22, 21, "kpis[1].actual.R5"),
            w("E0403", 28, 16, "kpis[2].baseline"),
            w("E0403", 31, 12, "kpis[2].target.R5"),
            w("E0403", 34, 12, "kpis[2].actual.R4"),
            w("E0403", 39, 16, "kpis[2].revisions[0].before.R5"),
        ],
        "{report:#}"
    );
    let messages: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages[0],
        "令和4年度の目標「70%」と実績「70件」は単位が違う（目標は%、実績は件）ため、達成状況を判定できません（判定不可と表示されます）"
    );
    assert!(
        messages[1].contains("の「中」は単位が違う（目標は%、実績は件）"),
        "{}",
        messages[1]
    );
    assert!(
        messages[4].starts_with("「R5: 50件」は数値として読めないため文章として扱います"),
        "{}",
        messages[4]
    );
}

#[test]
fn english_gists_name_the_new_codes() {
    let (_dir, root) = site();
    let out = run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--lang",
        "en",
        "--format",
        "plain",
    ]);
    let stderr = text(&out.stderr);
    let stdout = text(&out.stdout);
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("E0402 unit_mismatch"), "{all}");
    assert!(
        all.contains("target and actual are in different units"),
        "{all}"
    );
    assert!(all.contains("E0403 number_like_text"), "{all}");
    assert!(
        all.contains("a KPI cell that looks like a number is read as text"),
        "{all}"
    );
}

#[test]
fn verdicts_follow_the_cells() {
    let (_dir, root) = site();
    let mut diags = Diagnostics::default();
    let site = keikaku::build::Pipeline::new(&root)
        .site(&mut diags)
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(diags.error_count(), 0, "{diags:?}");
    let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
    assert!(diags.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(
        codes.iter().filter(|c| **c == Code::UnitMismatch).count(),
        2
    );
    assert_eq!(
        codes.iter().filter(|c| **c == Code::NumberLikeText).count(),
        4
    );

    let measure = site.measures.iter().find(|m| m.id == "01-02").unwrap();
    let rules = &site.config.achievement;
    let years = site.plan.period.years();
    let judge =
        |kpi: usize, year: usize| achievement::judge(&measure.kpis[kpi], years[year], rules);

    // 約30% against 30%以上: judged as 30 %, 達成, with the note.
    let j = judge(0, 0);
    assert_eq!((j.status, j.approximate), (Status::Achieved, true));
    let j = judge(0, 1);
    assert_eq!((j.status, j.approximate), (Status::Achieved, true));

    // Different units: 判定不可 with the reason (and the warning above).
    let j = judge(1, 0);
    assert_eq!(
        (j.status, j.reason),
        (Status::Undeterminable, Some(UNITS_DIFFER))
    );
    assert_eq!(judge(1, 1).status, Status::Undeterminable);
    // Declared by the department.
    assert_eq!(judge(1, 2).status, Status::NotAchieved);

    // Number-like text stays text: 判定不可, never a guessed number.
    assert_eq!(judge(2, 0).status, Status::Undeterminable);

    // Lists: position by position.
    let j = judge(3, 0);
    assert_eq!(j.status, Status::NotAchieved);
    assert_eq!(j.series.len(), 3);
    assert_eq!(judge(3, 1).status, Status::Achieved);
}

#[test]
fn pages_show_the_approximate_word_and_the_note() {
    let (dir, root) = site();
    let public = dir.path().join("public");
    let out = run(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = std::fs::read_to_string(public.join("measures/01-02/index.html")).unwrap();
    assert!(page.contains("約30%"), "the cell as written");
    assert!(page.contains(APPROXIMATE_NOTE), "the verdict's note");
    // The chart's description says the value with its word, and the note.
    let sentence = format!(
        "令和4年度は目標30%以上に対し約30%で、達成（達成率100%）でした（{APPROXIMATE_NOTE}）。"
    );
    assert!(page.contains(&sentence), "no {sentence:?} in the page");
    assert!(page.contains("36%程度"));
}
