//! Each bad-input fixture (tests/fixtures/bad/<kind>/) is laid over the valid mini site
//! (tests/fixtures/mini/). Building it must fail with the right code, file and line, exit
//! non-zero, and leave the previously built site untouched.

mod common;

use common::{copy_tree, fixtures, keikaku, read_tree};

struct Expect {
    fixture: &'static str,
    code: &'static str,
    file: &'static str,
    line: u64,
    field: Option<&'static str>,
}

const CASES: &[Expect] = &[
    Expect {
        fixture: "yaml-syntax",
        code: "E0101",
        file: "content/measures/01-01.yaml",
        line: 4,
        field: None,
    },
    Expect {
        fixture: "wrong-type",
        code: "E0102",
        file: "content/measures/01-01.yaml",
        line: 3,
        field: Some("policy"),
    },
    Expect {
        fixture: "missing-field",
        code: "E0103",
        file: "content/measures/01-01.yaml",
        line: 1,
        field: None,
    },
    Expect {
        fixture: "unknown-field",
        code: "E0104",
        file: "content/measures/01-01.yaml",
        line: 4,
        field: None,
    },
    Expect {
        fixture: "duplicate-id",
        code: "E0201",
        file: "content/measures/01-01b.yaml",
        line: 1,
        field: Some("id"),
    },
    Expect {
        fixture: "invalid-id",
        code: "E0202",
        file: "content/measures/01-01.yaml",
        line: 1,
        field: Some("id"),
    },
    Expect {
        fixture: "unknown-policy",
        code: "E0204",
        file: "content/measures/02-01.yaml",
        line: 3,
        field: Some("policy"),
    },
    Expect {
        fixture: "invalid-fiscal-year",
        code: "E0301",
        file: "content/measures/02-01.yaml",
        line: 8,
        field: Some("kpis[0].target.令和X年度"),
    },
    Expect {
        fixture: "year-outside-period",
        code: "E0302",
        file: "content/measures/02-01.yaml",
        line: 9,
        field: Some("kpis[0].target.R8"),
    },
    Expect {
        fixture: "invalid-cell",
        code: "E0401",
        file: "content/measures/02-01.yaml",
        line: 10,
        field: Some("kpis[0].actual.R4"),
    },
];

#[test]
fn every_fixture_kind_is_covered() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.fixture.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn bad_input_is_reported_and_the_previous_site_is_kept() {
    for case in CASES {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let out = tmp.path().join("public");
        copy_tree(&fixtures().join("mini"), &site);
        let site_s = site.to_str().unwrap();
        let out_s = out.to_str().unwrap();
        let ok = keikaku(&["build", "--root", site_s, "--output", out_s]);
        assert_eq!(ok.status, 0, "mini site must build: {}", ok.stderr);
        let before = read_tree(&out);

        copy_tree(&fixtures().join("bad").join(case.fixture), &site);
        let run = keikaku(&[
            "build", "--root", site_s, "--output", out_s, "--format", "json",
        ]);
        assert_eq!(
            run.status, 1,
            "{}: exit code; stderr: {}",
            case.fixture, run.stderr
        );
        let json_start = run.stderr.find('[').expect("JSON report");
        let json_end = run.stderr.rfind(']').unwrap();
        let report: serde_json::Value =
            serde_json::from_str(&run.stderr[json_start..=json_end]).unwrap();
        let hit = report
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"]["id"] == case.code);
        let d = hit.unwrap_or_else(|| panic!("{}: no {} in {report:#}", case.fixture, case.code));
        assert_eq!(d["file"], case.file, "{}", case.fixture);
        assert_eq!(d["position"]["line"], case.line, "{}: {d:#}", case.fixture);
        assert!(d["position"]["column"].as_u64().unwrap() >= 1);
        if let Some(field) = case.field {
            assert_eq!(d["field"], field, "{}", case.fixture);
        }
        let message = d["message"].as_str().unwrap();
        assert!(
            message
                .chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "{}: message must be Japanese: {message}",
            case.fixture
        );
        assert_eq!(
            read_tree(&out),
            before,
            "{}: previous site must be untouched",
            case.fixture
        );
    }
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&fixtures().join("mini"), &site);
    copy_tree(&fixtures().join("bad/invalid-cell"), &site);
    copy_tree(&fixtures().join("bad/duplicate-id"), &site);
    std::fs::write(
        site.join("content/pages/broken.md"),
        "---\ntitle: x\nordr: 1\n---\n",
    )
    .unwrap();
    let run = keikaku(&[
        "check",
        "--root",
        site.to_str().unwrap(),
        "--format",
        "plain",
    ]);
    assert_eq!(run.status, 1);
    for needle in [
        "01-01b.yaml:1:5: エラー[E0201",
        "01-01b.yaml:1:5: エラー[E0203",
        "02-01.yaml:10:15: エラー[E0401",
        "pages/broken.md:3:1: エラー[E0104",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle} in\n{}",
            run.stderr
        );
    }
}

#[test]
fn human_report_quotes_the_offending_line() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&fixtures().join("mini"), &site);
    copy_tree(&fixtures().join("bad/invalid-cell"), &site);
    let run = keikaku(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("R4: \"30,,000件\""), "{}", run.stderr);
    assert!(run.stderr.contains("E0401 invalid_cell"), "{}", run.stderr);
}

#[test]
fn missing_site_folder_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let run = keikaku(&[
        "build",
        "--root",
        tmp.path().join("nothing").to_str().unwrap(),
    ]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("config.yaml"));
}
