//! `keikaku serve` end to end: the built binary on a free loopback port, plain HTTP requests.
//! Every wait is a bounded poll; the server process is killed when the test ends.

mod common;
use common as support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Kills the server when the test ends, however it ends.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keikaku"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("LANG", "ja_JP.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start keikaku serve");
    // The first line on stdout is the URL (port 0: the server picked a free one).
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("serve printed its URL");
    let url = line.trim();
    assert!(url.starts_with("http://127.0.0.1:"), "loopback only: {url}");
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    Server { child, addr }
}

/// A raw GET (the path is sent exactly as given, so `..` is not cleaned up by a client).
fn get(server: &Server, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Polls `path` until `ok(body)`; fails after 15 s.
fn wait_for(server: &Server, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let (_, body) = get(server, path);
        if ok(&body) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}; last body:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_rebuilds_keeps_the_last_good_site_and_refuses_traversal() {
    let (_tmp, root) = support::site();
    let server = start(&root);

    let (status, home) = get(&server, "/");
    assert_eq!(status, 200);
    assert!(home.contains("木更津市DX推進計画"));
    assert!(home.contains("/__keikaku/events"), "reload script injected");
    let (status, page) = get(&server, "/measures/01-01/");
    assert_eq!(status, 200);
    assert!(page.contains("40,529千円"));

    // A content change is picked up.
    let file = root.join("content/measures/01-01.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, original.replace("40,529千円", "41,111千円")).unwrap();
    wait_for(&server, "/measures/01-01/", "the edited actual", |b| {
        b.contains("41,111千円")
    });

    // Broken YAML: the error is shown over the last good page, which is still served.
    std::fs::write(&file, "id: \"01-01\"\ntitle: \"unclosed\nkpis: [\n").unwrap();
    let body = wait_for(&server, "/measures/01-01/", "the error overlay", |b| {
        b.contains("keikaku-errors")
    });
    assert!(body.contains("41,111千円"), "last good page still served");
    assert!(
        body.contains("content/measures/01-01.yaml:"),
        "error names the file"
    );
    let (status, _) = get(&server, "/");
    assert_eq!(status, 200);

    // Fixed again: the overlay goes away.
    std::fs::write(&file, original.replace("40,529千円", "42,222千円")).unwrap();
    let body = wait_for(&server, "/measures/01-01/", "the fixed page", |b| {
        b.contains("42,222千円")
    });
    assert!(!body.contains("keikaku-errors"));

    // Requests outside the site are refused, however they are spelled.
    for path in [
        "/../config.yaml",
        "/../../../../etc/passwd",
        "/%2e%2e/config.yaml",
        "/%2E%2E%2Fconfig.yaml",
        "/..%2fcontent/plan.yaml",
        "/measures/..%2f..%2f..%2fconfig.yaml",
        "/..%5cconfig.yaml",
        "/assets/%2e%2e/%2e%2e/config.yaml",
    ] {
        let (status, body) = get(&server, path);
        assert!(status == 403 || status == 404, "{path} answered {status}");
        assert!(!body.contains("base_url"), "{path} leaked config.yaml");
        assert!(!body.contains("root:"), "{path} leaked a system file");
    }
    let (status, _) = get(&server, "/no-such-page/");
    assert_eq!(status, 404);
    let (status, _) = get(&server, "/measures/01-01");
    assert_eq!(status, 301, "a folder without its slash redirects");
}

#[test]
fn the_reload_script_is_never_in_built_output() {
    let (tmp, root) = support::site();
    let out = tmp.path().join("public");
    let result = support::run(&[
        "build",
        "--quiet",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(result.status.success(), "{}", support::text(&result.stderr));
    let mut html = 0;
    for entry in walk(&out) {
        if entry.extension().is_some_and(|e| e == "html") {
            html += 1;
            let text = std::fs::read_to_string(&entry).unwrap();
            assert!(!text.contains("__keikaku"), "{}", entry.display());
            assert!(!text.contains("EventSource"), "{}", entry.display());
        }
    }
    assert!(html > 5);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
