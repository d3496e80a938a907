//! Each bad-input fixture (tests/fixtures/bad/<kind>/) is laid over the valid mini site
//! (tests/fixtures/mini/). Building it must fail with the right code, file and line, exit
//! non-zero, and leave the previously built site untouched. A few kinds are odd but valid
//! (BOM and CRLF, full-width digits, unsafe Markdown): those must build, with the right output.
//! Inputs too big to commit (a 50 MB file, thousands of measures) are made in the test.

mod common;

use std::path::{Path, PathBuf};

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
    Expect {
        fixture: "duplicate-key",
        code: "E0105",
        file: "content/measures/01-01.yaml",
        line: 5,
        field: Some("title"),
    },
    // The bomb's nested lists are refused by type before any alias is expanded.
    Expect {
        fixture: "alias-bomb",
        code: "E0102",
        file: "content/measures/01-01.yaml",
        line: 7,
        field: Some("related_departments[0]"),
    },
    Expect {
        fixture: "deep-nesting",
        code: "E0106",
        file: "content/measures/01-01.yaml",
        line: 6,
        field: None,
    },
    Expect {
        fixture: "invalid-utf8",
        code: "E0002",
        file: "content/measures/01-01.yaml",
        line: 2,
        field: None,
    },
    Expect {
        fixture: "empty-glossary-term",
        code: "E0206",
        file: "content/glossary.yaml",
        line: 5,
        field: Some("terms[1].term"),
    },
    Expect {
        fixture: "five-years",
        code: "E0302",
        file: "content/measures/02-01.yaml",
        line: 12,
        field: Some("kpis[0].target.R8"),
    },
    Expect {
        fixture: "space-in-number",
        code: "E0401",
        file: "content/measures/02-01.yaml",
        line: 8,
        field: Some("kpis[0].target.R4"),
    },
];

/// Fixtures that are unusual but valid; each has its own test below.
const VALID: &[&str] = &["bom-crlf", "fullwidth-digits", "unsafe-markdown"];

#[test]
fn every_fixture_kind_is_covered() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES
        .iter()
        .map(|c| c.fixture)
        .chain(VALID.iter().copied())
        .map(str::to_string)
        .collect();
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
        let json_start = run.stdout.find('[').expect("JSON report");
        let json_end = run.stdout.rfind(']').unwrap();
        let report: serde_json::Value =
            serde_json::from_str(&run.stdout[json_start..=json_end]).unwrap();
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

/// The mini site with `overlay` laid over it, in a fresh temporary folder.
fn site_with(overlay: Option<&str>) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&fixtures().join("mini"), &site);
    if let Some(kind) = overlay {
        copy_tree(&fixtures().join("bad").join(kind), &site);
    }
    (tmp, site)
}

fn build(site: &Path) -> (common::Run, PathBuf) {
    let out = site.parent().unwrap().join("public");
    let run = keikaku(&[
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    (run, out)
}

/// The diagnostics of a failed run, from its JSON report.
fn report(run: &common::Run) -> Vec<serde_json::Value> {
    let start = run.stdout.find('[').expect("JSON report");
    let end = run.stdout.rfind(']').unwrap();
    serde_json::from_str(&run.stdout[start..=end]).unwrap()
}

fn page(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap()
}

#[test]
fn bom_and_crlf_build_the_same_site_as_plain_files() {
    let (_a, plain) = site_with(None);
    let (_b, windows) = site_with(Some("bom-crlf"));
    let raw = std::fs::read(windows.join("content/measures/01-01.yaml")).unwrap();
    assert!(raw.starts_with(b"\xef\xbb\xbf") && raw.windows(2).any(|w| w == b"\r\n"));
    let (run_a, out_a) = build(&plain);
    let (run_b, out_b) = build(&windows);
    assert_eq!((run_a.status, run_b.status), (0, 0), "{}", run_b.stderr);
    assert_eq!(read_tree(&out_a), read_tree(&out_b));
}

#[test]
fn full_width_digits_and_spaces_read_as_numbers() {
    let (_a, site) = site_with(Some("fullwidth-digits"));
    let (run, out) = build(&site);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let html = page(&out, "measures/01-01/index.html");
    // Shown as written, compared as numbers: 40,529 / 30,000 = 135 %, as for ASCII digits.
    assert!(html.contains("４０，５２９千円"), "{html}");
    assert!(html.contains("達成率135%"), "{html}");
    let svg = page(&out, "measures/01-01/kpi-1.svg");
    assert!(svg.contains("達成（達成率135%）"), "{svg}");
}

#[test]
fn unsafe_markdown_is_sanitised_and_titles_are_escaped() {
    let (_a, site) = site_with(Some("unsafe-markdown"));
    let (run, out) = build(&site);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let about = page(&out, "about/index.html");
    let lower = about.to_ascii_lowercase();
    for bad in [
        "<script",
        "alert(",
        "javascript:",
        "onmouseover",
        "onerror",
        "position:fixed",
        "<iframe",
        "evil.example",
    ] {
        assert!(!lower.contains(bad), "{bad} survived:\n{about}");
    }
    for kept in [
        "マウスを乗せると動く段落",
        "<img src=\"x.png\" alt=\"画像\">",
        "危ないリンク",
        "HTMLのリンク",
        "画面を覆う箱",
        "<ruby>木更津<rt>きさらづ</rt></ruby>",
        "<abbr title=\"デジタル・トランスフォーメーション\">DX</abbr>",
        "<details><summary>詳しく</summary>開くと読める説明</details>",
    ] {
        assert!(about.contains(kept), "{kept} missing:\n{about}");
    }
    // Text from YAML goes through Tera's autoescaping on every page that shows it.
    for rel in [
        "measures/01-01/index.html",
        "measures/index.html",
        "index.html",
    ] {
        let html = page(&out, rel);
        assert!(!html.contains("<script>alert(1)"), "{rel}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;地域通貨の普及"),
            "{rel}:\n{html}"
        );
    }
}

#[test]
fn trusted_raw_html_is_passed_through_when_the_site_says_so() {
    let (_a, site) = site_with(Some("unsafe-markdown"));
    let config = site.join("config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("allow_raw_html: true\n");
    std::fs::write(&config, text).unwrap();
    let (run, out) = build(&site);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let about = page(&out, "about/index.html");
    assert!(about.contains("onmouseover=\"alert('on')\""), "{about}");
    // Markdown links are still filtered, and YAML text is still escaped.
    assert!(!about.contains("alert('md')"), "{about}");
    assert!(!page(&out, "measures/01-01/index.html").contains("<script>alert(1)"));
}

#[test]
fn a_50_mb_file_is_refused_without_reading_it_whole() {
    let (_a, site) = site_with(None);
    let big = site.join("content/measures/03-01.yaml");
    let mut text = String::from("id: \"03-01\"\ntitle: 大きな施策\npolicy: 1\nlead_department: 課\nsections:\n  current_state: |\n");
    let line = "    とても長い説明です。とても長い説明です。とても長い説明です。\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(line);
    }
    std::fs::write(&big, &text).unwrap();
    let started = std::time::Instant::now();
    let (run, _) = build(&site);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let found = report(&run);
    let d = found
        .iter()
        .find(|d| d["code"]["id"] == "E0003")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(d["file"], "content/measures/03-01.yaml");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("上限 10,485,760 バイト"),
        "{d}"
    );
    assert!(d["hint"].as_str().unwrap().contains("max_file_bytes"));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn limits_are_configurable_and_each_has_its_own_code() {
    let cases = [
        ("max_file_bytes: 100", "E0003", "content/plan.yaml"),
        ("max_depth: 3", "E0106", "content/measures/01-01.yaml"),
        ("max_measures: 1", "E0210", "content/measures"),
    ];
    for (limit, code, file) in cases {
        let (_a, site) = site_with(None);
        let config = site.join("config.yaml");
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str(&format!("limits:\n  {limit}\n"));
        std::fs::write(&config, text).unwrap();
        let (run, _) = build(&site);
        assert_eq!(run.status, 1, "{limit}: {}", run.stderr);
        let found = report(&run);
        assert!(
            found
                .iter()
                .any(|d| d["code"]["id"] == code && d["file"] == file),
            "{limit}: {found:#?}"
        );
    }
    // Raised limits let the same site through.
    let (_a, site) = site_with(None);
    let config = site.join("config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("limits:\n  max_file_bytes: 1000000\n  max_depth: 10\n  max_measures: 2\n");
    std::fs::write(&config, text).unwrap();
    let (run, _) = build(&site);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[test]
fn thousands_of_measures_over_the_limit_are_refused_before_parsing() {
    let (_a, site) = site_with(None);
    let config = site.join("config.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("limits:\n  max_measures: 2000\n");
    std::fs::write(&config, text).unwrap();
    for i in 0..2001 {
        // Not even valid YAML: the count is checked before any file is parsed.
        std::fs::write(
            site.join(format!("content/measures/99-{i:04}.yaml")),
            "id: [\n",
        )
        .unwrap();
    }
    let (run, _) = build(&site);
    assert_eq!(run.status, 1);
    let found = report(&run);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"]["id"], "E0210");
    assert!(found[0]["message"]
        .as_str()
        .unwrap()
        .contains("2003件、上限 2000件"));
}
