//! Content that multiplies, files that are not what they seem, and URLs from config.yaml
//! (issue 17, points 5–7). Each case is laid over the valid mini site and checked through the
//! binary, which runs under a timeout: a pipe where a file belongs must be an error, never a
//! hang of the test suite.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{copy_tree, fixtures};

/// Longer than any run of the mini site takes; a run past it is killed and fails the test.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

/// Runs keikaku with `args`, killing it (and failing the test) after [`TIMEOUT`].
fn keikaku(args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run keikaku");
    // Read both pipes on their own threads so that a full pipe never stalls the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            child.kill().ok();
            child.wait().ok();
            panic!("keikaku {args:?} still running after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        status: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// A fresh copy of the mini site.
fn mini() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_tree(&fixtures().join("mini"), &site);
    (tmp, site)
}

/// `keikaku check` on `site`: its exit code and diagnostics (from the JSON report).
fn check(site: &Path) -> (i32, Vec<serde_json::Value>) {
    let run = keikaku(&[
        "check",
        "--root",
        site.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let found = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run.status, found)
}

/// `keikaku build` of `site` into a folder beside it, returning the run and that folder.
fn build(site: &Path, extra: &[&str]) -> (Run, PathBuf) {
    let out = site.parent().unwrap().join("public");
    let mut args = vec![
        "build",
        "--quiet",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    (keikaku(&args), out)
}

/// The one diagnostic with `code` in `file`; fails listing all of them otherwise.
fn one<'a>(found: &'a [serde_json::Value], code: &str, file: &str) -> &'a serde_json::Value {
    let matching: Vec<_> = found
        .iter()
        .filter(|d| d["code"]["id"] == code && d["file"] == file)
        .collect();
    assert_eq!(matching.len(), 1, "{code} in {file}: {found:#?}");
    matching[0]
}

fn line(d: &serde_json::Value) -> u64 {
    d["position"]["line"].as_u64().unwrap_or(0)
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

// ── Point 5: content that multiplies ────────────────────────────────────────────────────

#[test]
fn a_huge_title_and_thousands_of_kpis_are_located_errors() {
    let (_tmp, site) = mini();
    let measure = site.join("content/measures/01-01.yaml");
    // A 9 MB title: under the file size limit, but it would be written on every page that
    // lists the measure.
    edit(&measure, |t| {
        let title = t.lines().find(|l| l.starts_with("title:")).unwrap();
        t.replace(title, &format!("title: {}", "長".repeat(3 * 1024 * 1024)))
    });
    let kpis: String = (0..5000)
        .map(|i| format!("  - indicator: 指標{i}\n    unit: 件\n"))
        .collect();
    let other = site.join("content/measures/02-01.yaml");
    edit(&other, |t| {
        let without: String = t.split("\nkpis:").next().unwrap().to_string();
        format!("{}\nkpis:\n{kpis}", without.trim_end())
    });
    let (run, out) = build(&site, &["--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(!out.exists(), "nothing is published");
    let start = run.stdout.find('[').unwrap();
    let found: Vec<serde_json::Value> =
        serde_json::from_str(&run.stdout[start..=run.stdout.rfind(']').unwrap()]).unwrap();
    let title = one(&found, "E0211", "content/measures/01-01.yaml");
    assert_eq!(title["field"], "title");
    assert_eq!(line(title), 2);
    let message = title["message"].as_str().unwrap();
    assert!(message.contains("3,145,728文字、上限 200文字"), "{message}");
    assert!(title["hint"].as_str().unwrap().contains("max_title_chars"));
    let many = one(&found, "E0212", "content/measures/02-01.yaml");
    assert_eq!(many["field"], "kpis[100]");
    let text = std::fs::read_to_string(&other).unwrap();
    let kpi_100 = text
        .lines()
        .position(|l| l == "  - indicator: 指標100")
        .unwrap()
        + 1;
    assert_eq!(line(many), kpi_100 as u64);
    assert!(many["message"]
        .as_str()
        .unwrap()
        .contains("5,000件、上限 100件"));
}

#[test]
fn text_limits_are_configurable() {
    let (_tmp, site) = mini();
    edit(&site.join("content/measures/02-01.yaml"), |t| {
        format!("{t}\nsections:\n  details: |\n    {}\n", "詳".repeat(300))
    });
    edit(&site.join("config.yaml"), |t| {
        format!("{t}limits:\n  max_text_chars: 299\n")
    });
    let (status, found) = check(&site);
    assert_eq!(status, 1);
    let d = one(&found, "E0211", "content/measures/02-01.yaml");
    assert_eq!(d["field"], "sections.details");
    assert!(d["hint"].as_str().unwrap().contains("max_text_chars"));
    edit(&site.join("config.yaml"), |t| t.replace("299", "300"));
    let (status, found) = check(&site);
    assert_eq!(status, 0, "{found:#?}");
}

// ── Point 6: links, pipes and files that are not read ───────────────────────────────────

#[cfg(unix)]
#[test]
fn a_link_out_of_the_site_is_refused_without_reading_its_target() {
    use std::os::unix::fs::symlink;
    let (tmp, site) = mini();
    let secret = tmp.path().join("secret.yaml");
    std::fs::write(&secret, "password: SECRET-hunter2\n").unwrap();
    std::fs::remove_file(site.join("content/plan.yaml")).unwrap();
    symlink(&secret, site.join("content/plan.yaml")).unwrap();
    symlink(&secret, site.join("content/measures/01-15.yaml")).unwrap();
    let (status, found) = check(&site);
    assert_eq!(status, 1);
    for file in ["content/plan.yaml", "content/measures/01-15.yaml"] {
        let d = one(&found, "E0004", file);
        assert!(d["message"]
            .as_str()
            .unwrap()
            .contains("サイトのフォルダの外"));
    }
    // Neither the report in any format nor a build shows what the target holds.
    let (run, _) = build(&site, &[]);
    assert_eq!(run.status, 1);
    let json = serde_json::to_string(&found).unwrap();
    for text in [&run.stdout, &run.stderr, &json] {
        assert!(
            !text.contains("SECRET") && !text.contains("hunter2"),
            "{text}"
        );
    }
}

#[cfg(unix)]
#[test]
fn links_inside_the_site_are_followed() {
    use std::os::unix::fs::symlink;
    let (_tmp, site) = mini();
    // A measure file and the pages folder kept elsewhere in the site folder, linked in.
    let shared = site.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::rename(
        site.join("content/measures/02-01.yaml"),
        shared.join("02-01.yaml"),
    )
    .unwrap();
    symlink(
        "../../shared/02-01.yaml",
        site.join("content/measures/02-01.yaml"),
    )
    .unwrap();
    std::fs::rename(site.join("content/pages"), shared.join("pages")).unwrap();
    symlink("../shared/pages", site.join("content/pages")).unwrap();
    let (run, out) = build(&site, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(out.join("measures/02-01/index.html").is_file());
    assert!(out.join("about/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn a_pipe_is_refused_without_opening_it() {
    for rel in [
        "config.yaml",
        "content/glossary.yaml",
        "content/measures/01-01.yaml",
        "content/measures/03-01.yaml",
    ] {
        let (_tmp, site) = mini();
        mkfifo(&site.join(rel));
        let started = Instant::now();
        let (status, found) = check(&site);
        assert_eq!(status, 1, "{rel}: {found:#?}");
        let d = one(&found, "E0005", rel);
        assert!(
            d["message"].as_str().unwrap().contains("名前付きパイプ"),
            "{d}"
        );
        assert!(started.elapsed() < TIMEOUT, "{rel}");
    }
}

#[test]
fn files_that_are_not_read_are_named_in_warnings() {
    let (_tmp, site) = mini();
    let measures = site.join("content/measures");
    std::fs::copy(measures.join("02-01.yaml"), measures.join("03-01.YAML")).unwrap();
    std::fs::write(
        site.join("content/pages/news.markdown"),
        "---\ntitle: x\n---\n",
    )
    .unwrap();
    std::fs::write(site.join("content/plan.yml"), "title: x\n").unwrap();
    std::fs::create_dir_all(measures.join("old")).unwrap();
    std::fs::write(measures.join("notes.txt"), "memo").unwrap();
    // Dot files are the system's: not worth a warning.
    std::fs::write(measures.join(".DS_Store"), "").unwrap();
    let (status, found) = check(&site);
    assert_eq!(status, 0, "warnings only: {found:#?}");
    let unread: Vec<&str> = found
        .iter()
        .filter(|d| d["code"]["id"] == "E0006" && d["severity"] == "warning")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        unread,
        [
            "content/measures/03-01.YAML",
            "content/measures/notes.txt",
            "content/measures/old",
            "content/pages/news.markdown",
            "content/plan.yml",
        ]
    );
    assert_eq!(found.len(), unread.len(), "{found:#?}");
    let upper = one(&found, "E0006", "content/measures/03-01.YAML");
    assert!(upper["hint"].as_str().unwrap().contains(".yaml"));
}

// ── Point 7: URLs from config.yaml ──────────────────────────────────────────────────────

#[test]
fn script_and_other_schemes_in_config_urls_are_refused() {
    let cases = [
        ("  url: javascript:alert(3)\n", "contact.url"),
        ("  url: \" JaVaScRiPt:alert(3)\"\n", "contact.url"),
        (
            "  url: \"data:text/html,<script>alert(1)</script>\"\n",
            "contact.url",
        ),
        (
            "data_license:\n  name: 独自\n  url: javascript:alert(3)\n",
            "data_license.url",
        ),
        (
            "data_license:\n  name: 独自\n  url: vbscript:msgbox\n",
            "data_license.url",
        ),
    ];
    for (extra, field) in cases {
        let (_tmp, site) = mini();
        // The mini config ends inside `contact:`, so `  url:` lands there.
        edit(&site.join("config.yaml"), |t| format!("{t}{extra}"));
        let (status, found) = check(&site);
        assert_eq!(status, 1, "{extra}");
        let d = one(&found, "E0213", "config.yaml");
        assert_eq!(d["field"], field, "{extra}");
        let text = std::fs::read_to_string(site.join("config.yaml")).unwrap();
        let expected = text.lines().position(|l| l.starts_with("  url:")).unwrap() + 1;
        assert_eq!(line(d), expected as u64, "{extra}");
    }
    // Allowed schemes pass.
    let (_tmp, site) = mini();
    edit(&site.join("config.yaml"), |t| {
        format!("{t}  url: https://www.city.example.lg.jp/\ndata_license:\n  name: CC BY 4.0\n  url: https://creativecommons.org/licenses/by/4.0/\n")
    });
    let (status, found) = check(&site);
    assert_eq!(status, 0, "{found:#?}");
}

#[test]
fn base_url_must_be_a_plain_http_address() {
    let refused = [
        "javascript:alert(1)//",
        "data:text/html,x",
        "file:///etc/",
        "https://example.invalid/a b/",
        "https://user:pass@example.invalid/",
        "https://user@example.invalid/",
        "https://example.invalid/?x=1",
        "/dx/",
        "example.invalid/dx/",
    ];
    for url in refused {
        let (_tmp, site) = mini();
        edit(&site.join("config.yaml"), |t| {
            t.replace(
                "base_url: https://example.invalid/test/",
                &format!("base_url: \"{url}\""),
            )
        });
        let (status, found) = check(&site);
        assert_eq!(status, 1, "{url}");
        let d = one(&found, "E0213", "config.yaml");
        assert_eq!(d["field"], "base_url", "{url}");
        assert_eq!(line(d), 3, "{url}");
        if url.contains('@') {
            let message = d["message"].as_str().unwrap();
            assert!(message.contains("パスワード"), "{message}");
        }
    }
    // The same rule for `build --base-url`, which replaces config.yaml's.
    let (_tmp, site) = mini();
    let (run, out) = build(
        &site,
        &["--base-url", "javascript:alert(1)//", "--format", "json"],
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("\"E0213\"") && run.stdout.contains("\"--base-url\""),
        "{}",
        run.stdout
    );
    assert!(!out.exists());
    for url in [
        "https://example.invalid/",
        "http://localhost:8080/dx/",
        "https://www.city.example.lg.jp/shisei/dx",
    ] {
        let (run, _) = build(&site, &["--base-url", url]);
        assert_eq!(run.status, 0, "{url}: {}", run.stderr);
    }
}
