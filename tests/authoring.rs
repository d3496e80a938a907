//! `keikaku new` and `keikaku check` as staff use them.

mod common;
use common as support;

#[test]
fn new_files_pass_check_and_are_never_overwritten() {
    let (_tmp, root) = support::site();
    let r = root.to_str().unwrap();

    let out = support::run(&["new", "measure", "02-01", "--root", r]);
    assert!(out.status.success(), "{}", support::text(&out.stderr));
    let measure = support::read(&root, "content/measures/02-01.yaml");
    assert!(measure.contains("id: \"02-01\""));
    assert!(measure.contains("policy: 2"), "policy taken from the ID");
    assert!(measure.contains("years: [R4, R5, R6, R7]"), "plan years");

    let out = support::run(&["new", "page", "guide", "--root", r]);
    assert!(out.status.success(), "{}", support::text(&out.stderr));

    let check = support::run(&["check", "--root", r, "--format", "json"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        support::text(&check.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    // Only the warnings that the forms' 「〜を書いてください」 are still to be filled in.
    let others: Vec<_> = (report.as_array().unwrap().iter())
        .filter(|d| d["code"]["id"] != "E1001" || d["severity"] != "warning")
        .collect();
    assert_eq!(others.len(), 0, "{report}");

    // A second `new` refuses and leaves the file alone.
    std::fs::write(
        root.join("content/measures/02-01.yaml"),
        measure.replace("施策名を書いてください", "書きかけの施策"),
    )
    .unwrap();
    let out = support::run(&["new", "measure", "02-01", "--root", r]);
    assert_eq!(out.status.code(), Some(2));
    assert!(support::text(&out.stderr).contains("既にあります"));
    assert!(support::read(&root, "content/measures/02-01.yaml").contains("書きかけの施策"));

    let out = support::run(&["new", "page", "guide", "--root", r]);
    assert_eq!(out.status.code(), Some(2));

    // Bad input is refused before anything is written.
    let out = support::run(&["new", "measure", "03-01", "--policy", "9", "--root", r]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!root.join("content/measures/03-01.yaml").exists());
    let out = support::run(&["new", "measure", "../x", "--root", r]);
    assert_eq!(out.status.code(), Some(2));
    let out = support::run(&["new", "page", "measures", "--root", r]);
    assert_eq!(out.status.code(), Some(2), "reserved slug");
}

#[test]
fn check_reports_everything_grouped_by_file_with_positions_and_hints() {
    let (_tmp, root) = support::site();
    let r = root.to_str().unwrap();
    std::fs::write(
        root.join("content/measures/01-02.yaml"),
        support::read(&root, "content/measures/01-02.yaml").replace("policy: 1", "policy: 7"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/measures/01-03.yaml"),
        support::read(&root, "content/measures/01-03.yaml")
            .replace("R6: 800頭", "R9: 800頭")
            .replace("title:", "titel: x\ntitle:"),
    )
    .unwrap();
    let out = support::run(&["check", "--root", r, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = report.as_array().unwrap();
    let files: Vec<&str> = items.iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(files.contains(&"content/measures/01-02.yaml"), "{files:?}");
    assert!(files.contains(&"content/measures/01-03.yaml"), "{files:?}");
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "grouped by file");
    for d in items {
        assert!(d["position"]["line"].as_u64().is_some(), "{d}");
        assert!(d["hint"].as_str().is_some_and(|h| !h.is_empty()), "{d}");
    }

    // Human output: the same problems, a heading per file, and English with --lang en.
    let out = support::run(&["check", "--root", r, "--lang", "en"]);
    let text = support::text(&out.stderr);
    assert!(text.contains("── content/measures/01-02.yaml ──"), "{text}");
    assert!(
        text.contains("no such policy number in plan.yaml"),
        "{text}"
    );

    // Usage and I/O problems exit with 2.
    let out = support::run(&["check", "--root", "/nonexistent/keikaku-site"]);
    assert_eq!(out.status.code(), Some(2));
    let out = support::run(&["check", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn build_progress_is_plain_lines_off_a_terminal_and_silent_when_quiet() {
    let (tmp, root) = support::site();
    let r = root.to_str().unwrap();
    let out_dir = tmp.path().join("out");
    let o = out_dir.to_str().unwrap();
    let out = support::run(&["build", "--root", r, "--output", o]);
    assert!(out.status.success());
    let text = support::text(&out.stderr);
    assert!(text.contains("[1/4] ファイルを読み込み中"), "{text}");
    assert!(text.contains("[4/4] 書き込み中"), "{text}");
    assert!(text.contains("ページ・グラフ"), "summary: {text}");

    let out = support::run(&["build", "--root", r, "--output", o, "--quiet"]);
    assert!(out.status.success());
    assert_eq!(support::text(&out.stderr), "");

    let out = support::run(&["build", "--root", r, "--output", o, "--lang", "en"]);
    let text = support::text(&out.stderr);
    assert!(text.contains("[1/4] reading files"), "{text}");
    assert!(text.contains("Built "), "{text}");
}
