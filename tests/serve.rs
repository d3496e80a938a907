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

use keikaku::cli::serve::{
    EVENTS_PATH, HEAD_TIMEOUT, MAX_CONNECTIONS, MAX_EVENT_STREAMS, MAX_HEAD_BYTES, STATUS_PATH,
};

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
    get_as(server, path, Some(&server.addr))
}

/// A raw GET with the given `Host` header (or none); reads until the server closes the
/// connection or 10 s pass.
fn get_as(server: &Server, path: &str, host: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = status_of(&text);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Opens an event stream with the given `Host` and returns the status of its answer, with
/// the connection (still open when the stream was accepted).
fn open_events(server: &Server, host: &str) -> (u16, TcpStream) {
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {EVENTS_PATH} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    // Only the status line: a stream that was accepted does not end.
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\r\n") && line.len() < 200 {
        match stream.read(&mut byte) {
            Ok(1) => line.push(byte[0]),
            _ => break,
        }
    }
    (status_of(&String::from_utf8_lossy(&line)), stream)
}

fn port_of(server: &Server) -> &str {
    server.addr.rsplit(':').next().unwrap()
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

/// DNS rebinding: a page of another site that points its own name at 127.0.0.1 sends that
/// name in `Host`; it must not get the preview, its status or its event stream.
#[test]
fn foreign_host_names_are_refused_and_loopback_names_answered() {
    let (_tmp, root) = support::site();
    let server = start(&root);
    let port = port_of(&server);

    let foreign = [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("192.168.0.10:{port}"),
    ];
    for path in ["/", "/measures/01-01/", STATUS_PATH, EVENTS_PATH] {
        for host in &foreign {
            let (status, body) = get_as(&server, path, Some(host));
            assert_eq!(
                status, 421,
                "Host: {host} {path} answered {status}:\n{body}"
            );
            assert!(body.contains("このプレビュー"), "Japanese text: {body}");
            assert!(body.contains("This preview"), "English text: {body}");
            assert!(body.contains(&format!("http://{}/", server.addr)), "{body}");
            assert!(
                !body.contains("木更津"),
                "Host: {host} {path} leaked the site"
            );
            assert!(
                !body.contains("version"),
                "Host: {host} {path} leaked the status"
            );
        }
    }
    let (status, body) = get_as(&server, "/", None);
    assert_eq!(status, 400, "no Host header: {body}");
    assert!(!body.contains("木更津"));

    let loopback = [
        server.addr.clone(),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("127.0.0.2:{port}"),
        format!("[::1]:{port}"),
    ];
    for host in &loopback {
        let (status, body) = get_as(&server, "/", Some(host));
        assert_eq!(status, 200, "Host: {host}");
        assert!(body.contains("木更津市DX推進計画"));
        let (status, body) = get_as(&server, STATUS_PATH, Some(host));
        assert_eq!(status, 200, "Host: {host}");
        assert!(body.contains("\"version\""), "{body}");
        let (status, _stream) = open_events(&server, host);
        assert_eq!(status, 200, "Host: {host} events");
    }
}

/// 300 open event streams made 607 threads: streams beyond the limit are answered 503, and
/// the server's thread count stays bounded while they are open.
#[test]
fn event_streams_and_threads_are_bounded() {
    let (_tmp, root) = support::site();
    let server = start(&root);
    let before = threads(&server);
    let started = Instant::now();

    let wanted = MAX_EVENT_STREAMS * 3;
    let mut streams = Vec::new();
    for _ in 0..wanted {
        let mut stream = TcpStream::connect(&server.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {EVENTS_PATH} HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.addr
        )
        .unwrap();
        streams.push(stream);
    }
    let mut statuses = Vec::new();
    for stream in &mut streams {
        let mut head = [0u8; 12];
        let status = match stream.read_exact(&mut head) {
            Ok(()) => status_of(&String::from_utf8_lossy(&head)),
            Err(_) => 0,
        };
        statuses.push(status);
    }
    let open = statuses.iter().filter(|s| **s == 200).count();
    let busy = statuses.iter().filter(|s| **s == 503).count();
    assert_eq!(open, MAX_EVENT_STREAMS, "streams accepted: {statuses:?}");
    assert_eq!(
        busy,
        wanted - MAX_EVENT_STREAMS,
        "streams refused: {statuses:?}"
    );

    // With every stream taken, pages are still served.
    let (status, _) = get(&server, "/");
    assert_eq!(status, 200);
    // One thread per connection: the refused ones may still be closing.
    if let (Some(before), Some(during)) = (before, threads(&server)) {
        assert!(
            during <= before + MAX_CONNECTIONS + 4,
            "{during} threads with {open} streams open (from {before})"
        );
        // Once they are closed, one per open stream.
        let settled = Instant::now();
        loop {
            let now = threads(&server).unwrap_or(0);
            if now <= before + MAX_EVENT_STREAMS + 4 {
                break;
            }
            assert!(
                settled.elapsed() < Duration::from_secs(10),
                "{now} threads with {open} streams open (from {before})"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

/// The server process's thread count (Linux only).
fn threads(server: &Server) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// Slowloris: a client that sends its request head a line at a time, never finishing it, is
/// cut off once the head timeout has passed.
#[test]
fn a_slow_request_head_is_cut_off() {
    let (_tmp, root) = support::site();
    let server = start(&root);
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: {}\r\n", server.addr).unwrap();
    let started = Instant::now();
    let limit = HEAD_TIMEOUT + Duration::from_secs(5);
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        assert!(
            started.elapsed() < limit,
            "a head sent a line at a time was still read after {:?}",
            started.elapsed()
        );
        if stream.write_all(b"X-Slow: 1\r\n").is_err() {
            break;
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => break,
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert!(!answer.contains("木更津"), "the page was served: {answer}");

    // A head over the size limit is refused at once.
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let padding = "a".repeat(MAX_HEAD_BYTES + 10);
    let _ = write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {}\r\nX-Pad: {padding}\r\n\r\n",
        server.addr
    );
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    assert_eq!(status_of(&String::from_utf8_lossy(&raw)), 431);
}

/// Persistent connections: requests sent together are answered in order, a HEAD without its
/// body, and `Connection: close` ends the connection.
#[test]
fn pipelined_requests_and_head_are_answered_in_order() {
    let (_tmp, root) = support::site();
    let server = start(&root);
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let host = &server.addr;
    write!(
        stream,
        "GET /measures/01-01/ HTTP/1.1\r\nHost: {host}\r\n\r\n\
         HEAD / HTTP/1.1\r\nHost: {host}\r\n\r\n\
         GET /measures/01-01 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    // Split the answers by their Content-Length; the HEAD answer (the second) has no body.
    let mut rest = &raw[..];
    let mut answers = Vec::new();
    for is_head in [false, true, false] {
        let end = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("another answer");
        let headers = String::from_utf8_lossy(&rest[..end]).into_owned();
        let length: usize = headers
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|n| n.parse().ok())
            .expect("Content-Length");
        let body_len = if is_head { 0 } else { length };
        let body = String::from_utf8_lossy(&rest[end + 4..end + 4 + body_len]).into_owned();
        rest = &rest[end + 4 + body_len..];
        answers.push((status_of(&headers), length, body));
    }
    assert!(rest.is_empty(), "nothing after the last answer");
    assert_eq!(answers[0].0, 200);
    assert!(answers[0].2.contains("40,529千円"));
    assert_eq!(answers[1].0, 200);
    assert!(answers[1].1 > 1000, "HEAD gives the page's length");
    assert_eq!(answers[2].0, 301);
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
