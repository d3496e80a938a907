//! What a request is answered with, from the in-memory site. Only `serve` responses carry the
//! live-reload script and the error overlay ([`super::overlay`]); `keikaku build` output never
//! contains them.

use std::io::Write;
use std::time::Duration;

use super::endpoints::{EVENTS_PATH, STATUS_PATH};
use super::overlay;
use super::state::Shared;
use super::wire::{Method, Request, Response};
use crate::i18n::Lang;

/// How a request path maps onto the site.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// A file of the site, e.g. `measures/01-01/index.html`.
    File(String),
    /// Refused: `..`, `.`, backslashes, NUL, bad encoding, or not starting with `/`.
    Forbidden,
}

/// Decodes and checks a request path. Percent-encoding is decoded once, then every segment is
/// checked, so `..`, `%2e%2e`, `..%2f` and `%5c` variants are all refused; what remains can
/// only name a key of the in-memory site, never a file outside it.
pub(super) fn resolve(url: &str) -> Target {
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

/// The `Content-Type` of a site file, from its extension. Every text file keikaku makes is
/// UTF-8, which the header says so that no browser has to guess.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

/// What a request is answered with.
pub(super) enum Reply {
    Whole(Response),
    /// The event stream, written as rebuilds happen; `since` is the version the page shows.
    Events {
        since: Option<u64>,
    },
}

fn plain(status: u16, body: &str) -> Reply {
    Reply::Whole(Response::text(status, body.to_string()))
}

/// Answers a request whose `Host` was accepted ([`super::guard::HostGuard`]).
pub(super) fn answer(request: &Request, shared: &Shared, lang: Lang) -> Reply {
    if !matches!(request.method, Method::Get | Method::Head) {
        return Reply::Whole(
            Response::text(405, "405 Method Not Allowed".into())
                .with_header("Allow", "GET, HEAD".into()),
        );
    }
    let url = request.target.as_str();
    let path_only = url.split('?').next().unwrap_or("");
    if path_only == EVENTS_PATH && request.method == Method::Get {
        let since = url
            .split_once("v=")
            .and_then(|(_, v)| v.split('&').next())
            .and_then(|v| v.parse::<u64>().ok());
        return Reply::Events { since };
    }
    let snapshot = shared.snapshot();
    if path_only == STATUS_PATH {
        let body = serde_json::json!({
            "version": snapshot.version,
            "errors": snapshot.errors.as_ref().map_or(0, |e| e.error_count()),
            "has_site": snapshot.site.is_some(),
        });
        return Reply::Whole(Response::new(
            200,
            "application/json",
            body.to_string().into_bytes(),
        ));
    }
    let key = match resolve(url) {
        Target::Forbidden => return plain(403, "403 Forbidden"),
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
        let page = overlay::error_page(&snapshot, lang);
        return Reply::Whole(Response::new(
            500,
            "text/html; charset=utf-8",
            page.into_bytes(),
        ));
    };
    if let Some(bytes) = site.get(&key) {
        let ty = content_type(&key);
        let body = if ty.starts_with("text/html") {
            overlay::inject(bytes, &key, &snapshot, lang)
        } else {
            bytes.clone()
        };
        return Reply::Whole(Response::new(200, &ty, body));
    }
    // `/measures/01-01` → `/measures/01-01/`, as a static host would.
    if site.contains_key(&format!("{key}/index.html")) {
        let location = format!("{path_only}/");
        return Reply::Whole(
            Response::new(301, "text/plain; charset=utf-8", Vec::new())
                .with_header("Location", location),
        );
    }
    let body = site
        .get("404.html")
        .map(|b| overlay::inject(b, "404.html", &snapshot, lang))
        .unwrap_or_else(|| b"404 Not Found".to_vec());
    Reply::Whole(Response::new(404, "text/html; charset=utf-8", body))
}

/// Server-sent events: one message per rebuild, a comment every 15 s to notice closed tabs.
/// The stream has no length, so it ends with the connection.
pub(super) fn events(writer: &mut impl Write, shared: &Shared, since: Option<u64>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
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
    fn content_types_name_utf_8_for_text() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("data/measures.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("data/measures.json"), "application/json");
        assert_eq!(content_type("measures/01-01/kpi-1.svg"), "image/svg+xml");
        assert_eq!(content_type("favicon.ico"), "image/x-icon");
        assert_eq!(content_type("no-extension"), "application/octet-stream");
    }
}
