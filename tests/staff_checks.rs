//! What `check` and `build` tell city staff about the mistakes they typically make (issue 20,
//! points 5–8 and 12): every error of a file at once, no knock-on errors, Japanese
//! explanations of YAML syntax errors, did-you-mean for misspelt keys, JSON on stdout, CI's
//! `--deny-warnings`, and an honest word on what is published after a failed build.

mod common;

use std::path::Path;

use serde_json::Value;

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `check --format json` on `root`: the exit code and the diagnostics.
fn check_json(root: &Path) -> (i32, Vec<Value>) {
    let out = common::run(&[
        "check",
        "--format",
        "json",
        "--root",
        root.to_str().unwrap(),
    ]);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", common::text(&out.stdout)));
    (
        out.status.code().unwrap(),
        json.as_array().unwrap().to_vec(),
    )
}

/// (code id, file, line, field) of each diagnostic.
fn summary(diags: &[Value]) -> Vec<(String, String, Option<u64>, Option<String>)> {
    diags
        .iter()
        .map(|d| {
            (
                d["code"]["id"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["position"]["line"].as_u64(),
                d["field"].as_str().map(str::to_string),
            )
        })
        .collect()
}

const MEASURE: &str = "content/measures/01-01.yaml";

#[test]
fn every_error_of_one_file_is_reported_with_did_you_mean_and_field() {
    let (_dir, root) = common::site();
    edit(&root, MEASURE, "title: 電子", "tittle: 電子");
    edit(&root, MEASURE, "lead_department:", "lead_departmnt:");
    edit(&root, MEASURE, "R5: 35,000千円", "R5: 35,,000千円");
    let (code, diags) = check_json(&root);
    assert_eq!(code, 1);
    let found = summary(&diags);
    assert_eq!(
        found,
        vec![
            (
                "E0104".into(),
                MEASURE.into(),
                Some(3),
                Some("tittle".into())
            ),
            (
                "E0104".into(),
                MEASURE.into(),
                Some(5),
                Some("lead_departmnt".into())
            ),
            (
                "E0401".into(),
                MEASURE.into(),
                Some(12),
                Some("kpis[0].target.R5".into())
            ),
        ],
        "{diags:#?}"
    );
    assert!(
        diags[0]["hint"]
            .as_str()
            .unwrap()
            .starts_with("「title」ではありませんか？"),
        "{}",
        diags[0]["hint"]
    );
    assert!(diags[1]["hint"]
        .as_str()
        .unwrap()
        .starts_with("「lead_department」ではありませんか？"));
}

#[test]
fn an_unknown_field_in_a_nested_mapping_is_named_by_its_path() {
    let (_dir, root) = common::site();
    edit(&root, MEASURE, "  - indicator: 月間", "  - indicater: 月間");
    edit(
        &root,
        MEASURE,
        "    actual:\n      R4: 40",
        "    actaul:\n      R4: 40",
    );
    let (_, diags) = check_json(&root);
    let fields: Vec<_> = summary(&diags).into_iter().map(|d| d.3).collect();
    assert_eq!(
        fields,
        vec![
            Some("kpis[0].indicater".to_string()),
            Some("kpis[0].actaul".to_string())
        ],
        "{diags:#?}"
    );
}

#[test]
fn a_measure_file_that_fails_to_load_brings_no_knock_on_errors() {
    let (_dir, root) = common::site();
    // A syntax error: the file cannot be read at all.
    edit(&root, MEASURE, "policy: 1", "policy 1");
    write(&root, "content/activity/R5/01-01.yaml", "goal: 目標\n");
    let (code, diags) = check_json(&root);
    assert_eq!(code, 1);
    let found = summary(&diags);
    assert_eq!(found.len(), 1, "{diags:#?}");
    assert_eq!(found[0].0, "E0101");
    assert_eq!(found[0].1, MEASURE);
}

#[test]
fn yaml_syntax_errors_are_explained_in_japanese_with_the_original_kept() {
    let cases = [
        // (what is written instead, the Japanese explanation it gets, the English kept)
        (
            "title: 目標: 100件",
            "「: 」が2つあります",
            "mapping values are not allowed",
        ),
        (
            "  title: x",
            "字下げ（インデント）がずれている",
            "did not find expected key",
        ),
        ("\ttitle: x", "タブ文字があります", "cannot start any token"),
        ("title: @x", "使えない記号", "cannot start any token"),
        (
            "title x",
            "「:」が抜けています",
            "could not find expected ':'",
        ),
    ];
    for (written, ja, en) in cases {
        let (_dir, root) = common::site();
        let original = "title: 電子地域通貨・行政ポイントを活用した地域経済の活性化";
        edit(&root, MEASURE, original, written);
        let (_, diags) = check_json(&root);
        assert_eq!(diags.len(), 1, "{written:?}: {diags:#?}");
        let d = &diags[0];
        assert_eq!(d["code"]["id"], "E0101", "{written:?}");
        let message = d["message"].as_str().unwrap();
        assert!(message.contains(ja), "{written:?}: {message}");
        assert!(message.contains(en), "{written:?}: {message}");
        assert!(d["position"]["line"].as_u64().is_some(), "{written:?}");
    }
}

#[test]
fn json_goes_to_stdout_for_check_and_build_and_the_summary_to_stderr() {
    let (_dir, root) = common::site();
    let r = root.to_str().unwrap();
    for args in [
        vec!["check", "--format", "json", "--root", r],
        vec!["build", "--format", "json", "--root", r],
    ] {
        let out = common::run(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            common::text(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
        assert!(json.is_array(), "{args:?}");
        assert!(
            common::text(&out.stderr).contains("エラー 0件"),
            "{args:?}: {}",
            common::text(&out.stderr)
        );
    }
    edit(&root, MEASURE, "title: 電子", "tittle: 電子");
    let out = common::run(&["build", "--format", "json", "--root", r]);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(json[0]["code"]["id"], "E0104");
    assert_eq!(json[0]["field"], "tittle");
}

#[test]
fn deny_warnings_fails_check_on_a_warning_alone() {
    let (_dir, root) = common::site();
    // A file in content/ that is not read is a warning.
    write(&root, "content/notes.txt", "メモ\n");
    let r = root.to_str().unwrap();
    let out = common::run(&["check", "--root", r]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    let out = common::run(&["check", "--deny-warnings", "--root", r]);
    assert_eq!(out.status.code(), Some(1), "{}", common::text(&out.stderr));
    assert!(common::text(&out.stderr).contains("--deny-warnings"));
    std::fs::remove_file(root.join("content/notes.txt")).unwrap();
    let out = common::run(&["check", "--deny-warnings", "--root", r]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
}

#[test]
fn a_failed_build_says_the_previous_site_stays_only_when_there_is_one() {
    let (_dir, root) = common::site();
    let r = root.to_str().unwrap();
    edit(&root, MEASURE, "title: 電子", "tittle: 電子");
    let out = common::run(&["build", "--root", r]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::text(&out.stderr);
    assert!(!err.contains("前回のサイトのまま"), "{err}");
    assert!(err.contains("何も公開されていません"), "{err}");

    edit(&root, MEASURE, "tittle: 電子", "title: 電子");
    let out = common::run(&["build", "--root", r]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    edit(&root, MEASURE, "title: 電子", "tittle: 電子");
    let out = common::run(&["build", "--root", r]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::text(&out.stderr);
    assert!(err.contains("前回のサイトのまま"), "{err}");
    assert!(root.join("public/index.html").is_file());
}

/// `keikaku serve` on a free port, killed when dropped.
struct Serve {
    child: std::process::Child,
    addr: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Serve {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("LANG", "ja_JP.UTF-8")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start keikaku serve");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    Serve { child, addr }
}

fn get(server: &Serve, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw).into_owned()
}

/// `file:line:col [E0104` of each item of the overlay's list.
fn overlay_items(body: &str) -> Vec<String> {
    body.split("<code style=\"font-weight:bold\">")
        .skip(1)
        .map(|item| {
            let (location, rest) = item.split_once("</code> [").unwrap();
            format!("{location} {}", &rest[..5])
        })
        .collect()
}

#[test]
fn the_serve_overlay_lists_the_same_diagnostics_as_check() {
    let (_dir, root) = common::site();
    let server = serve(&root);
    assert!(get(&server, "/").contains("200 OK"));
    edit(&root, MEASURE, "title: 電子", "tittle: 電子");
    edit(&root, MEASURE, "lead_department:", "lead_departmnt:");
    edit(&root, MEASURE, "R5: 35,000千円", "R5: 35,,000千円");
    let started = std::time::Instant::now();
    let body = loop {
        let body = get(&server, "/");
        if overlay_items(&body).len() >= 3 {
            break body;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no overlay with three items: {body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let (_, diags) = check_json(&root);
    let from_check: Vec<String> = diags
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["file"].as_str().unwrap(),
                d["position"]["line"],
                d["position"]["column"],
                d["code"]["id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(overlay_items(&body), from_check);
}

#[test]
fn every_placeholder_that_init_and_new_write_is_a_located_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("city");
    let r = root.to_str().unwrap();
    assert!(common::run(&["init", r]).status.success());
    assert!(common::run(&["new", "page", "guide", "--root", r])
        .status
        .success());
    assert!(common::run(&["new", "measure", "01-02", "--root", r])
        .status
        .success());
    let (code, diags) = check_json(&root);
    assert_eq!(code, 0, "placeholders are warnings: {diags:#?}");
    let warned: Vec<(String, u64)> = diags
        .iter()
        .filter(|d| d["code"]["id"] == "E1001")
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            (
                d["file"].as_str().unwrap().to_string(),
                d["position"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // Every line the scaffold asks staff to replace (「…ください」 outside a YAML comment, and
    // the page body's 「ここに本文を書きます」) is warned about, and nothing else is.
    let mut expected = Vec::new();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&root).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        let markdown = rel.ends_with(".md");
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for (i, line) in text.lines().enumerate() {
            let value = line.split(" #").next().unwrap();
            let comment = line.trim_start().starts_with('#') && !(markdown && i > 4);
            if !comment && (value.contains("ください") || value.contains("ここに本文を書きます"))
            {
                expected.push((rel.clone(), i as u64 + 1));
            }
        }
    }
    expected.sort();
    let mut warned_sorted = warned.clone();
    warned_sorted.sort();
    assert_eq!(warned_sorted, expected);
    assert!(warned.contains(&("content/pages/guide.md".to_string(), 2)));
    assert!(warned.contains(&("content/measures/01-02.yaml".to_string(), 6)));
    // Replaced, the warning goes.
    edit(
        &root,
        "content/pages/guide.md",
        "ページの題名を書いてください",
        "ご案内",
    );
    let (_, diags) = check_json(&root);
    assert!(!diags
        .iter()
        .any(|d| d["file"] == "content/pages/guide.md" && d["position"]["line"] == 2));
}

#[test]
fn new_measure_refuses_an_id_whose_policy_the_plan_does_not_have() {
    let (_dir, root) = common::site();
    let r = root.to_str().unwrap();
    let out = common::run(&["new", "measure", "05-01", "--root", r]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::text(&out.stderr);
    assert!(
        err.contains("基本方針 5") && err.contains("--policy") && err.contains("使える番号: 1, 2"),
        "{err}"
    );
    assert!(!root.join("content/measures/05-01.yaml").exists());
    // With --policy the staff member decides.
    let out = common::run(&["new", "measure", "05-01", "--policy", "2", "--root", r]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    assert!(common::read(&root, "content/measures/05-01.yaml").contains("policy: 2"));
}
