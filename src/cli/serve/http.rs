//! Answering requests from the in-memory site. Only `serve` responses carry the live-reload
//! script and the error overlay; `keikaku build` output never contains them.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Request, Response, StatusCode};

use super::overlay;
use super::state::{Shared, Snapshot};
use crate::i18n::Lang;

/// Where the browser listens for rebuilds (server-sent events).
pub const EVENTS_PATH: &str = "/__keikaku/events";
/// Version and error count as JSON, for tools and tests.
pub const STATUS_PATH: &str = "/__keikaku/status";

/// How a request path maps onto the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, e.g. `measures/01-01/index.html`.
    File(String),
    /// Refused: `..`, `.`, backslashes, NUL, bad encoding, or not starting with `/`.
    Forbidden,
}

/// Decodes and checks a request path. Percent-encoding is decoded once, then every segment is
/// checked, so `..`, `%2e%2e`, `..%2f` and `%5c` variants are all refused; what remains can
/// only name a key of the in-memory site, never a file outside it.
pub fn resolve(url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Target::Forbidden;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return Target::Forbidden;
    };
    if decoded.contains(['\\', '\0']) {
        return Target::Forbidden;
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Target::Forbidden;
    }
    let mut key = segments.join("/");
    if key.is_empty() || key.ends_with('/') {
        key.push_str("index.html");
    }
    if key.split('/').any(str::is_empty) {
        return Target::Forbidden;
    }
    Target::File(key)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

pub fn handle(request: Request, shared: Arc<Shared>, lang: Lang) {
    let url = request.url().to_string();
    let path_only = url.split('?').next().unwrap_or("");
    if path_only == EVENTS_PATH {
        let since = url
            .split_once("v=")
            .and_then(|(_, v)| v.split('&').next())
            .and_then(|v| v.parse::<u64>().ok());
        events(request, &shared, since);
        return;
    }
    let snapshot = shared.snapshot();
    if path_only == STATUS_PATH {
        let body = serde_json::json!({
            "version": snapshot.version,
            "errors": snapshot.errors.as_ref().map_or(0, |e| e.error_count()),
            "has_site": snapshot.site.is_some(),
        });
        respond(
            request,
            200,
            "application/json",
            body.to_string().into_bytes(),
        );
        return;
    }
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        respond(request, 405, "text/plain; charset=utf-8", b"405".to_vec());
        return;
    }
    let key = match resolve(&url) {
        Target::Forbidden => {
            respond(
                request,
                403,
                "text/plain; charset=utf-8",
                b"403 Forbidden".to_vec(),
            );
            return;
        }
        Target::File(k) => k,
    };
    // Right after a fast update of some measure pages, the pages that list them are still
    // being made: wait for them rather than serve a page without the edit.
    let snapshot = if snapshot.is_stale(&key) {
        shared.settled(&key, Duration::from_secs(60))
    } else {
        snapshot
    };
    let Some(site) = snapshot.site.clone() else {
        // Nothing was ever built: the error page is all there is.
        let page = error_page(&snapshot, lang);
        respond(request, 500, "text/html; charset=utf-8", page.into_bytes());
        return;
    };
    if let Some(bytes) = site.get(&key) {
        let ty = content_type(&key);
        let body = if ty.starts_with("text/html") {
            inject(bytes, &key, &snapshot, lang)
        } else {
            bytes.clone()
        };
        respond(request, 200, ty, body);
        return;
    }
    // `/measures/01-01` → `/measures/01-01/`, as a static host would.
    if site.contains_key(&format!("{key}/index.html")) {
        let location = format!("{path_only}/");
        let response = Response::empty(StatusCode(301)).with_header(header("Location", &location));
        let _ = request.respond(response);
        return;
    }
    let body = site
        .get("404.html")
        .map(|b| inject(b, "404.html", &snapshot, lang))
        .unwrap_or_else(|| b"404 Not Found".to_vec());
    respond(request, 404, "text/html; charset=utf-8", body);
}

/// Adds the error overlay (when the last rebuild failed) and the reload script before `</body>`.
fn inject(html: &[u8], key: &str, snapshot: &Snapshot, lang: Lang) -> Vec<u8> {
    let mut extra = String::new();
    if snapshot.errors.is_some() {
        extra.push_str(&overlay::overlay(snapshot, lang));
    }
    extra.push_str(&reload_script(snapshot.version, key));
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// A whole page for when no build has succeeded yet.
fn error_page(snapshot: &Snapshot, lang: Lang) -> String {
    let html_lang = if lang == Lang::En { "en" } else { "ja" };
    format!(
        "<!doctype html><html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>keikaku serve</title></head><body><main><h1 style=\"font:bold 1.25em sans-serif\">keikaku serve</h1>{}</main>{}</body></html>",
        overlay::overlay(snapshot, lang),
        reload_script(snapshot.version, "index.html")
    )
}

/// Reloads the page when a rebuild changed it (or a shared file, or the error state).
pub fn reload_script(version: u64, key: &str) -> String {
    let key = serde_json::to_string(key).unwrap_or_else(|_| "\"\"".into());
    format!(
        "<script>/* keikaku serve: live reload (serve only, never in built sites) */\
(function(){{if(!window.EventSource)return;var v={version},k={key};\
var s=new EventSource(\"{EVENTS_PATH}?v=\"+v);\
s.onmessage=function(e){{var d=JSON.parse(e.data);if(d.version===v)return;\
if(d.all||d.changed.indexOf(k)>=0){{s.close();location.reload();}}else{{v=d.version;}}}};}})();</script>"
    )
}

/// Server-sent events: one message per rebuild, a comment every 15 s to notice closed tabs.
fn events(request: Request, shared: &Shared, since: Option<u64>) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if writer.write_all(head.as_bytes()).is_err() || writer.flush().is_err() {
        return;
    }
    let mut seen = shared.snapshot().version;
    if since.is_some_and(|v| v != seen) {
        // The page is older than the site (it missed rebuilds while reconnecting).
        let msg = serde_json::json!({"version": seen, "changed": [], "all": true});
        if writer
            .write_all(format!("data: {msg}\n\n").as_bytes())
            .is_err()
        {
            return;
        }
        let _ = writer.flush();
    }
    loop {
        let next = shared.wait_for_change(seen, Duration::from_secs(15));
        let line = match next {
            Some((snap, change)) => {
                seen = snap.version;
                let msg = serde_json::json!({
                    "version": snap.version,
                    "changed": change.paths,
                    "all": change.all,
                });
                format!("data: {msg}\n\n")
            }
            None => ": ping\n\n".to_string(),
        };
        if writer.write_all(line.as_bytes()).is_err() || writer.flush().is_err() {
            return;
        }
        if shared.is_stopping() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_in_every_spelling_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/measures/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fconfig.yaml",
            "/..%2fconfig.yaml",
            "/a/%2e/b",
            "/..%5cconfig.yaml",
            "/a%00b",
            "/%ff",
            "relative",
            "//etc/passwd",
        ] {
            assert_eq!(resolve(bad), Target::Forbidden, "{bad}");
        }
    }

    #[test]
    fn directories_map_to_index_files() {
        assert_eq!(resolve("/"), Target::File("index.html".into()));
        assert_eq!(
            resolve("/measures/01-01/?x=1"),
            Target::File("measures/01-01/index.html".into())
        );
        assert_eq!(
            resolve("/assets/style.css"),
            Target::File("assets/style.css".into())
        );
        assert_eq!(
            resolve("/%E7%94%A8%E8%AA%9E/"),
            Target::File("用語/index.html".into())
        );
    }

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let snap = Snapshot::default();
        let out = inject(
            b"<html><body><p>x</p></body></html>",
            "index.html",
            &snap,
            Lang::Ja,
        );
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("<p>x</p><script>"));
        assert!(out.ends_with("</script></body></html>"));
    }
}
