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
    let (code, diags) = common::check_json(&root);
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
    let (_, diags) = common::check_json(&root);
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
    // Another measure's plan names it as related: not an error either.
    write(
        &root,
        "content/activity/R5/01-02.yaml",
        "goal: 目標\nrelated_measures: [\"01-01\"]\n",
    );
    let (code, diags) = common::check_json(&root);
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
            "値の中に「: 」が入っている",
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
        let (_, diags) = common::check_json(&root);
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
    let (_, diags) = common::check_json(&root);
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
    let (code, diags) = common::check_json(&root);
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
    let (_, diags) = common::check_json(&root);
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

#[test]
fn broken_internal_links_are_located_errors_with_the_nearest_route() {
    let (_dir, root) = common::site();
    let page = "content/pages/about.md";
    edit(
        &root,
        page,
        "お知らせします。",
        "お知らせします。\n\n[施策の一覧](/measurs/)・[施策](/measures/01-01/)・![グラフ](/measures/01-01/kpi-1.svg)・[表](/data/measures.csv)\n",
    );
    edit(
        &root,
        MEASURE,
        "kpis:",
        "sections:\n  details: |\n    [方針](/policies/1/) と [別の施策](/measures/01-09/)\nkpis:",
    );
    let (code, diags) = common::check_json(&root);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&diags),
        vec![
            (
                "E1000".into(),
                MEASURE.into(),
                Some(10),
                Some("sections.details".into())
            ),
            ("E1000".into(), page.into(), Some(8), None),
        ],
        "{diags:#?}"
    );
    assert_eq!(diags[1]["position"]["column"], 9);
    assert_eq!(diags[1]["hint"], "「/measures/」ではありませんか？");
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("/measures/01-09/"));
    // build stops on them too, and publishes nothing.
    let out = common::run(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(common::text(&out.stderr).contains("E1000"));
    assert!(!root.join("public").exists());
}

#[test]
fn root_relative_links_work_under_the_base_path_and_from_the_file_system() {
    let (_dir, root) = common::site();
    edit(
        &root,
        "content/pages/about.md",
        "お知らせします。",
        "お知らせします。[施策の一覧](/measures/)・[施策](/measures/01-01/#kpi)・[トップ](/)",
    );
    let r = root.to_str().unwrap();
    let out = common::run(&["build", "--root", r]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    // The fixture's base_url has the sub-path /dx/: the links climb from the page instead.
    let about = common::read(&root, "public/about/index.html");
    for href in [
        "href=\"../measures/\"",
        "href=\"../measures/01-01/#kpi\"",
        "href=\"../\"",
    ] {
        assert!(about.contains(href), "{href} in {about}");
    }
    assert!(!about.contains("href=\"/measures/"), "{about}");
    let files = root.join("files");
    let out = common::run(&[
        "build",
        "--root",
        r,
        "--file-links",
        "-o",
        files.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    let about = std::fs::read_to_string(files.join("about/index.html")).unwrap();
    for href in [
        "href=\"../measures/index.html\"",
        "href=\"../measures/01-01/index.html#kpi\"",
        "href=\"../index.html\"",
    ] {
        assert!(about.contains(href), "{href} in {about}");
    }
}

#[test]
fn a_broken_link_added_while_serving_is_shown_as_check_shows_it() {
    let (_dir, root) = common::site();
    let server = serve(&root);
    assert!(get(&server, "/").contains("200 OK"));
    // A measure-only edit: serve's fast path would render this measure alone.
    edit(
        &root,
        MEASURE,
        "kpis:",
        "sections:\n  details: |\n    [一覧](/measurs/)\nkpis:",
    );
    let started = std::time::Instant::now();
    let body = loop {
        let body = get(&server, "/");
        if !overlay_items(&body).is_empty() {
            break body;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "no overlay: {body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(overlay_items(&body), vec![format!("{MEASURE}:10:10 E1000")]);
    let (_, diags) = common::check_json(&root);
    assert_eq!(summary(&diags)[0].0, "E1000");
    assert_eq!(diags[0]["position"]["column"], 10);
}

/// One of the twelve typical mistakes of docs/authoring.md: what staff do (as an edit of the
/// test site) and the code they get.
struct Mistake {
    what: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    code: &'static str,
}

const PAGE: &str = "content/pages/about.md";
const TITLE: &str = "title: 電子地域通貨・行政ポイントを活用した地域経済の活性化";

/// The table of docs/authoring.md, in its order.
const TWELVE: &[Mistake] = &[
    Mistake {
        what: "項目名の綴りの誤り（`tittle:`）",
        file: MEASURE,
        from: "title: 電子",
        to: "tittle: 電子",
        code: "E0104",
    },
    Mistake {
        what: "必須の項目を消した（`policy:`）",
        file: MEASURE,
        from: "policy: 1\n",
        to: "",
        code: "E0103",
    },
    Mistake {
        what: "値の中に「: 」（`title: 地域通貨: 電子化`）",
        file: MEASURE,
        from: TITLE,
        to: "title: 地域通貨: 電子化",
        code: "E0101",
    },
    Mistake {
        what: "字下げのずれ（行頭に余分な空白）",
        file: MEASURE,
        from: "\npolicy: 1",
        to: "\n policy: 1",
        code: "E0101",
    },
    Mistake {
        what: "字下げにタブ",
        file: MEASURE,
        from: "\npolicy: 1",
        to: "\n\tpolicy: 1",
        code: "E0101",
    },
    Mistake {
        what: "リストのところに1つの値（`related_departments: 市民活動支援課`）",
        file: MEASURE,
        from: "related_departments:\n  - 市民活動支援課",
        to: "related_departments: 市民活動支援課",
        code: "E0102",
    },
    Mistake {
        what: "成果目標のセルの打ち間違い（`35,,000千円`）",
        file: MEASURE,
        from: "R5: 35,000千円",
        to: "R5: 35,,000千円",
        code: "E0401",
    },
    Mistake {
        what: "実績の単位が目標と違う（目標 千円、実績 `40,529件`）",
        file: MEASURE,
        from: "R4: 40,529千円",
        to: "R4: 40,529件",
        code: "E0402",
    },
    Mistake {
        what: "計画期間の外の年度（R4〜R7 の計画に `R9:`）",
        file: MEASURE,
        from: "R7: 60,000千円",
        to: "R9: 60,000千円",
        code: "E0302",
    },
    Mistake {
        what: "plan.yaml にない基本方針（`policy: 9`）",
        file: MEASURE,
        from: "policy: 1",
        to: "policy: 9",
        code: "E0204",
    },
    Mistake {
        what: "サイトにないページへのリンク（`[一覧](/measurs/)`）",
        file: PAGE,
        from: "お知らせします。",
        to: "お知らせします。[一覧](/measurs/)",
        code: "E1000",
    },
    Mistake {
        what: "keikaku new の見本の文のまま（`title: ページの題名を書いてください`）",
        file: PAGE,
        from: "title: このサイトについて",
        to: "title: ページの題名を書いてください",
        code: "E1001",
    },
];

/// The diagnostics `check` gives for one mistake made in the test site.
fn made(mistake: &Mistake) -> Vec<Value> {
    let (_dir, root) = common::site();
    edit(&root, mistake.file, mistake.from, mistake.to);
    common::check_json(&root).1
}

#[test]
fn each_of_the_twelve_typical_mistakes_gets_its_code_in_its_file() {
    assert_eq!(TWELVE.len(), 12);
    let table = common::read(&common::repo_root(), "docs/authoring.md");
    for mistake in TWELVE {
        let diags = made(mistake);
        assert!(
            diags.iter().any(|d| d["code"]["id"] == mistake.code
                && d["file"] == mistake.file
                && d["position"]["line"].is_u64()),
            "{}: {diags:#?}",
            mistake.what
        );
        // Nothing besides it: one mistake, one report.
        assert_eq!(diags.len(), 1, "{}: {diags:#?}", mistake.what);
        let row = format!("| {} |", mistake.what);
        let line = table
            .lines()
            .find(|l| l.starts_with(&row))
            .unwrap_or_else(|| panic!("docs/authoring.md lists {}", mistake.what));
        assert!(line.ends_with(&format!("| {} |", mistake.code)), "{line}");
    }
}

/// Prints the table for docs/authoring.md from real runs:
/// `cargo test --test staff_checks -- --ignored --nocapture print_the_twelve`.
#[test]
#[ignore = "prints the docs table; run by hand"]
fn print_the_twelve_mistakes_table() {
    for mistake in TWELVE {
        let diags = made(mistake);
        let d = &diags[0];
        let mut seen = d["message"].as_str().unwrap().to_string();
        if let Some(hint) = d["hint"].as_str() {
            seen.push_str(&format!("<br>ヒント: {hint}"));
        }
        let level = if d["severity"] == "warning" {
            "警告"
        } else {
            "エラー"
        };
        println!(
            "| {} | {level}: {} | {} |",
            mistake.what,
            seen.replace('|', "\\|"),
            mistake.code
        );
    }
}

#[test]
fn links_in_activity_plans_are_checked_and_start_from_their_page() {
    let (_dir, root) = common::site();
    let plan = "content/activity/R5/01-01.yaml";
    write(&root, plan, "goal: \"[関連の施策](/measures/01-02/)\"\n");
    let r = root.to_str().unwrap();
    let out = common::run(&["build", "--root", r]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    let page = common::read(&root, "public/activity/R5/01-01/index.html");
    assert!(page.contains("href=\"../../../measures/01-02/\""), "{page}");
    write(&root, plan, "goal: \"[関連の施策](/measures/01-20/)\"\n");
    let (code, diags) = common::check_json(&root);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&diags),
        vec![(
            "E1000".to_string(),
            plan.to_string(),
            Some(1),
            Some("goal".to_string())
        )],
        "{diags:#?}"
    );
}
