//! The command line as staff meet it, through the built binary: `init` for a new city, shell
//! completions, short flags, `serve --open` / `--base-url`, `NO_COLOR`, `--lang en`, and
//! clap's help and usage errors in Japanese by default.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{snapshot, text};

/// The binary with a Japanese locale and none of the colour variables of the machine running
/// the tests, so that each test sets exactly what it is about.
fn keikaku() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keikaku"));
    cmd.env("LANG", "ja_JP.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    cmd
}

fn run(args: &[&str]) -> Output {
    keikaku().args(args).output().expect("run keikaku")
}

fn run_in(args: &[&str], root: &Path) -> Output {
    keikaku()
        .args(args)
        .arg(root)
        .output()
        .expect("run keikaku")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stderr(out: &Output) -> String {
    text(&out.stderr)
}

fn stdout(out: &Output) -> String {
    text(&out.stdout)
}

/// Hiragana, katakana, CJK ideographs, CJK punctuation or full-width forms.
fn has_japanese(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
    })
}

/// A new site made by `keikaku init` in a fresh temporary folder.
fn new_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("city");
    let out = run_in(&["init"], &root);
    assert_eq!(code(&out), 0, "init: {}", stderr(&out));
    (dir, root)
}

#[test]
fn init_makes_a_site_that_checks_and_builds_and_lists_its_sample_measure() {
    let (_dir, root) = new_site();
    for file in [
        "config.yaml",
        "content/plan.yaml",
        "content/measures/01-01.yaml",
        "content/glossary.yaml",
        "content/pages/about.md",
    ] {
        assert!(root.join(file).is_file(), "{file} written");
    }
    let config = common::read(&root, "config.yaml");
    assert!(
        config.contains("# サイト名"),
        "fields are explained:\n{config}"
    );
    let measure = common::read(&root, "content/measures/01-01.yaml");
    assert!(measure.contains("見本"), "the sample is marked as one");
    // Nothing of the example city is copied into a new city's site.
    for file in [
        "config.yaml",
        "content/plan.yaml",
        "content/measures/01-01.yaml",
    ] {
        let t = common::read(&root, file);
        assert!(!t.contains("木更津"), "{file} names the example city");
    }

    let check = run_in(&["check", "--root"], &root);
    assert_eq!(code(&check), 0, "check: {}", stderr(&check));
    assert!(stderr(&check).contains("エラー 0件"), "{}", stderr(&check));
    assert!(
        !stderr(&check).contains("unused_term"),
        "the sample term is used: {}",
        stderr(&check)
    );

    let build = run_in(&["build", "--root"], &root);
    assert_eq!(code(&build), 0, "build: {}", stderr(&build));
    let home = common::read(&root, "public/index.html");
    assert!(
        home.contains("施策名を書いてください"),
        "home lists the sample"
    );
    let index = common::read(&root, "public/measures/index.html");
    assert!(index.contains("01-01"), "measure index lists the sample");
    assert!(root.join("public/measures/01-01/index.html").is_file());
    assert!(root.join("public/about/index.html").is_file());
    assert!(root.join("public/glossary/index.html").is_file());
}

#[test]
fn init_accepts_an_empty_folder_and_one_with_only_hidden_entries() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let out = run_in(&["init"], dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(dir.path().join("config.yaml").is_file());
}

#[test]
fn init_refuses_a_folder_with_files_and_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("memo.txt"), "市の資料").unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/plan.yaml"), "title: 既存の計画\n").unwrap();
    let before = snapshot(root);

    let out = run_in(&["init"], root);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("空のフォルダではありません"), "{err}");
    assert!(err.contains("memo.txt"), "names what is there: {err}");
    assert!(err.contains("何も書き込んでいません"), "{err}");
    assert_eq!(snapshot(root), before, "the folder is byte-identical");
    assert!(!root.join("config.yaml").exists());

    let en = keikaku()
        .args(["--lang", "en", "init"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(code(&en), 2);
    assert!(stderr(&en).contains("is not empty"), "{}", stderr(&en));
    assert!(
        stderr(&en).contains("Nothing was written"),
        "{}",
        stderr(&en)
    );
    assert_eq!(snapshot(root), before);
}

#[test]
fn init_refuses_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site");
    std::fs::write(&file, "x").unwrap();
    let out = run_in(&["init"], &file);
    assert_eq!(code(&out), 2);
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn completions_name_the_subcommands() {
    let out = run(&["completions", "bash"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let script = stdout(&out);
    assert!(script.contains("_keikaku()"), "a bash function");
    for sub in [
        "init",
        "build",
        "check",
        "serve",
        "new",
        "import",
        "completions",
    ] {
        assert!(script.contains(sub), "bash completion names {sub}");
    }
    for flag in ["--root", "--output", "--open", "--base-url"] {
        assert!(script.contains(flag), "bash completion names {flag}");
    }
    for shell in ["zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        assert!(stdout(&out).contains("serve"), "{shell} script");
    }
}

#[test]
fn short_flags_for_root_and_output() {
    let (dir, root) = new_site();
    let out_dir = dir.path().join("out");
    let check = run(&["check", "-r", root.to_str().unwrap()]);
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    let build = run(&[
        "build",
        "-r",
        root.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(code(&build), 0, "{}", stderr(&build));
    assert!(out_dir.join("index.html").is_file());
    assert!(!root.join("public").exists(), "-o was used");

    let page = run(&["new", "page", "guide", "-r", root.to_str().unwrap()]);
    assert_eq!(code(&page), 0, "{}", stderr(&page));
    assert!(root.join("content/pages/guide.md").is_file());
}

/// A site whose only measure names a policy that does not exist: exactly one error (and,
/// with init's 「〜を書いてください」 filled in, no placeholder warning).
fn site_with_one_error() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, root) = new_site();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let filled = (text.replace("書いてください", "書きました"))
                .replace("書き換えてください", "書き換えました")
                .replace("ここに本文を書きます", "本文です");
            std::fs::write(entry.path(), filled).unwrap();
        }
    }
    let path = root.join("content/measures/01-01.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, yaml.replacen("policy: 1", "policy: 9", 1)).unwrap();
    (dir, root)
}

#[test]
fn english_summary_line_has_no_japanese_and_counts_in_the_singular() {
    let (_dir, root) = site_with_one_error();
    let out = keikaku()
        .args(["--lang", "en", "check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    let summary = err.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    assert_eq!(summary, "1 error, 0 warnings", "{err}");
    assert!(!has_japanese(summary));

    let plain = keikaku()
        .args(["--lang", "en", "check", "--format", "plain", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let last = stderr(&plain).lines().last().unwrap_or("").to_string();
    assert_eq!(last, "1 error, 0 warnings");

    // The same through LANG, and build's summary too.
    let build = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["build", "--root"])
        .arg(&root)
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert_eq!(code(&build), 1);
    assert!(
        stderr(&build).lines().any(|l| l == "1 error, 0 warnings"),
        "{}",
        stderr(&build)
    );

    // Japanese keeps its own count and gets the English plural right.
    let ja = run_in(&["check", "--root"], &root);
    assert!(
        stderr(&ja).contains("エラー 1件、警告 0件（1 error, 0 warnings）"),
        "{}",
        stderr(&ja)
    );
}

#[test]
fn no_color_turns_off_every_escape_even_when_colour_is_forced() {
    let (_dir, root) = site_with_one_error();
    // CLICOLOR_FORCE proves the check can see colour at all: a pipe gets it when forced.
    let forced = keikaku()
        .args(["check", "--root"])
        .arg(&root)
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(
        stderr(&forced).contains('\x1b'),
        "forced colour is coloured"
    );
    let forced_usage = keikaku()
        .args(["check", "--formt"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(stderr(&forced_usage).contains('\x1b'));

    for args in [&["check", "--root"][..], &["build", "--root"][..]] {
        let out = keikaku()
            .args(args)
            .arg(&root)
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(code(&out), 1);
        assert!(!stderr(&out).contains('\x1b'), "{args:?}: {}", stderr(&out));
        assert!(!stdout(&out).contains('\x1b'));
    }
    for args in [&["check", "--formt"][..], &["--help"][..]] {
        let out = keikaku()
            .args(args)
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(!stderr(&out).contains('\x1b'), "{args:?}");
        assert!(!stdout(&out).contains('\x1b'), "{args:?}");
    }
}

#[test]
fn usage_errors_are_japanese_by_default_and_english_with_lang_en() {
    let out = run(&["check", "--formt", "json"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("エラー: 「--formt」というオプションはありません"),
        "{err}"
    );
    assert!(err.contains("「--format」ではありませんか？"), "{err}");
    assert!(err.contains("使い方: keikaku check"), "{err}");
    assert!(!err.contains("error:") && !err.contains("Usage:"), "{err}");

    let value = run(&["check", "--format", "xml"]);
    assert_eq!(code(&value), 2);
    assert!(stderr(&value).contains("使える値: human, plain, json"));

    let sub = run(&["bild"]);
    assert_eq!(code(&sub), 2);
    assert!(stderr(&sub).contains("「bild」というコマンドはありません"));

    let en = run(&["--lang", "en", "check", "--formt", "json"]);
    assert_eq!(code(&en), 2);
    assert!(
        stderr(&en).contains("unexpected argument '--formt'"),
        "{}",
        stderr(&en)
    );
    assert!(!has_japanese(&stderr(&en)), "{}", stderr(&en));
    let en_flag_after = run(&["check", "--formt", "--lang=en"]);
    assert!(stderr(&en_flag_after).contains("unexpected argument"));
}

#[test]
fn help_is_japanese_by_default_and_wholly_english_with_lang_en() {
    let ja = run(&["build", "--help"]);
    assert_eq!(code(&ja), 0);
    let help = stdout(&ja);
    for want in [
        "使い方: keikaku build [オプション]",
        "オプション:",
        "-r, --root",
        "-o, --output",
        "既定: .",
    ] {
        assert!(help.contains(want), "{want}:\n{help}");
    }
    for english in [
        "Usage:",
        "Options:",
        "Print help",
        "[default:",
        "[possible values:",
    ] {
        assert!(!help.contains(english), "{english}:\n{help}");
    }
    // `help build` is `build --help`.
    assert_eq!(stdout(&run(&["help", "build"])), help);

    let commands: [&[&str]; 11] = [
        &[],
        &["init"],
        &["build"],
        &["check"],
        &["serve"],
        &["new"],
        &["new", "measure"],
        &["new", "page"],
        &["import"],
        &["completions"],
        &["help"],
    ];
    for path in commands {
        let mut args = vec!["--lang", "en"];
        args.extend_from_slice(path);
        args.push("--help");
        let out = run(&args);
        assert_eq!(code(&out), 0, "{path:?}");
        let help = stdout(&out);
        assert!(help.contains("Usage:"), "{path:?}:\n{help}");
        assert!(!has_japanese(&help), "{path:?} has Japanese left:\n{help}");
    }
}

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` and returns it with the URL it printed first on stdout, and its stderr
/// lines as they come.
fn serve(mut cmd: Command) -> (Server, String, mpsc::Receiver<String>) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start keikaku serve");
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(out).read_line(&mut line);
        let _ = tx.send(line);
    });
    let (err_tx, err_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if err_tx.send(line).is_err() {
                break;
            }
        }
    });
    let server = Server(child);
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("serve printed its URL");
    (server, line.trim().to_string(), err_rx)
}

/// The first stderr line containing `needle`, waiting at most 20 s.
fn wait_line(lines: &mpsc::Receiver<String>, needle: &str) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return Some(line),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

fn get(url: &str, path: &str) -> String {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw).into_owned()
}

/// Waits (bounded) for a file to appear with some content.
fn wait_for(path: &Path) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(t) = std::fs::read_to_string(path) {
            if !t.is_empty() {
                return Some(t);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[cfg(unix)]
fn fake_opener(dir: &Path, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join(if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    });
    std::fs::write(&script, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::var("PATH").unwrap_or_default();
    format!("{}:{path}", bin.display())
}

#[cfg(unix)]
#[test]
fn serve_short_port_open_and_base_url() {
    let (dir, root) = new_site();
    let opened = dir.path().join("opened.txt");
    let path = fake_opener(
        dir.path(),
        &format!("printf '%s' \"$1\" > '{}'", opened.display()),
    );
    let mut cmd = keikaku();
    cmd.args(["serve", "-p", "0", "--open", "--base-url"])
        .arg("https://plan.example.invalid/sub/")
        .arg("-r")
        .arg(&root)
        .env("PATH", path);
    let (_server, url, _stderr) = serve(cmd);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(wait_for(&opened).as_deref(), Some(url.as_str()), "opened");
    let feed = get(&url, "/feed.xml");
    assert!(
        feed.contains("https://plan.example.invalid/sub/measures/01-01/"),
        "--base-url is used for absolute URLs:\n{feed}"
    );
}

#[cfg(unix)]
#[test]
fn serve_keeps_running_when_the_browser_cannot_be_opened() {
    let (dir, root) = new_site();
    let path = fake_opener(dir.path(), "exit 3");
    let mut cmd = keikaku();
    cmd.args(["serve", "-p", "0", "--open", "-r"])
        .arg(&root)
        .env("PATH", path);
    let (_server, url, stderr) = serve(cmd);
    let warning = wait_line(&stderr, "ブラウザを開けませんでした");
    assert!(warning.is_some_and(|w| w.starts_with("警告: ") && w.contains(&url)));
    let page = get(&url, "/");
    assert!(page.starts_with("HTTP/1.1 200"), "still serving:\n{page}");
}
