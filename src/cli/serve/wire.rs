//! The HTTP/1.1 that `serve` speaks on a TCP connection: reading a request head within a time
//! and size limit, and writing a response. It is written here rather than taken from a server
//! crate because the guards of [`super::guard`] need a hand at the points a general server keeps
//! to itself: tiny_http, used before, read each connection on a thread of its own without any
//! bound on their number, and waited for a request head for ever (a client sending one header
//! line a minute held a thread until it stopped).
//!
//! Only what a preview needs is spoken: GET and HEAD without a body, persistent connections
//! for HTTP/1.1, pipelined requests in order. A request with a body is answered and its
//! connection closed, so that a body is never taken for the next request.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// How long a request head may take to arrive, from the moment the connection waits for it
/// (also how long an idle persistent connection is kept). A browser sends a head in one
/// packet; only a client that means to hold the connection open needs longer.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest request head (request line and headers). Browsers send 1–2 KiB; cookies set by
/// other programs on `localhost` can add a few.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The most header lines in one request.
pub(super) const MAX_HEADERS: usize = 100;
/// How long one write may block on a client that does not read (a full socket buffer).
pub(super) const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Head,
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    pub method: Method,
    /// The request target as sent, e.g. `/measures/01-01/?x=1`.
    pub target: String,
    /// HTTP/1.1 (otherwise HTTP/1.0).
    pub http11: bool,
    /// Header names in lower case, values without the surrounding blanks, in the order sent.
    pub headers: Vec<(String, String)>,
}

impl Request {
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `Host` header, when there is exactly one (RFC 9112 §3.2: none or several is a bad
    /// request).
    pub(crate) fn host(&self) -> Option<&str> {
        let mut hosts = self.values("host");
        match (hosts.next(), hosts.next()) {
            (Some(h), None) => Some(h),
            _ => None,
        }
    }

    /// Does a body follow the head? It is never read, so its connection cannot be reused.
    fn has_body(&self) -> bool {
        self.values("transfer-encoding").next().is_some()
            || self
                .values("content-length")
                .any(|v| v.parse::<u64>() != Ok(0))
    }

    /// May the connection carry another request after this one?
    pub(crate) fn keep_alive(&self) -> bool {
        let close = self
            .values("connection")
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case("close"));
        self.http11 && !close && !self.has_body()
    }
}

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HeadError {
    /// The client closed the connection, or it stayed idle past [`HEAD_TIMEOUT`] without
    /// starting a request: nothing to answer.
    Closed,
    /// A head was started but not finished within [`HEAD_TIMEOUT`].
    Timeout,
    /// Over [`MAX_HEAD_BYTES`] or [`MAX_HEADERS`].
    TooLarge,
    Malformed,
}

fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Parses a request head: everything before the blank line that ends it, without that line.
/// Strict where leniency could let one request be read two ways: lines end in CR LF only, no
/// blank before a header's colon, no folded header lines.
pub(crate) fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    let text = String::from_utf8_lossy(head);
    if text.split("\r\n").any(|l| l.contains(['\r', '\n'])) {
        return Err(HeadError::Malformed);
    }
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed);
    };
    if method.is_empty() || !method.bytes().all(is_token_char) || target.is_empty() {
        return Err(HeadError::Malformed);
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(HeadError::Malformed),
    };
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        other => Method::Other(other.to_string()),
    };
    let mut headers = Vec::new();
    for line in lines {
        if headers.len() == MAX_HEADERS {
            return Err(HeadError::TooLarge);
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(HeadError::Malformed);
        };
        if name.is_empty() || !name.bytes().all(is_token_char) {
            return Err(HeadError::Malformed);
        }
        headers.push((
            name.to_ascii_lowercase(),
            value.trim_matches([' ', '\t']).to_string(),
        ));
    }
    Ok(Request {
        method,
        target: target.to_string(),
        http11,
        headers,
    })
}

/// One client connection: the stream and what has been read from it but not yet used (the
/// start of a pipelined request).
pub(super) struct Conn {
    stream: TcpStream,
    pending: Vec<u8>,
}

impl Conn {
    pub(super) fn new(stream: TcpStream) -> io::Result<Conn> {
        stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            pending: Vec::new(),
        })
    }

    /// Reads the next request head, which must be complete within `timeout` of this call,
    /// however slowly its bytes come.
    pub(super) fn read_request(&mut self, timeout: Duration) -> Result<Request, HeadError> {
        let deadline = Instant::now() + timeout;
        let mut searched = 0;
        loop {
            // RFC 9112 §2.2: blank lines before a request line are skipped.
            let blank = self.pending.chunks(2).take_while(|c| *c == b"\r\n").count();
            if blank > 0 {
                self.pending.drain(..blank * 2);
                searched = 0;
            }
            // However the bytes were split into reads, a head over the limit is refused.
            let end = find_blank_line(&self.pending, searched);
            if end.unwrap_or(self.pending.len()) > MAX_HEAD_BYTES {
                return Err(HeadError::TooLarge);
            }
            if let Some(at) = end {
                let head: Vec<u8> = self.pending.drain(..at + 4).collect();
                return parse_head(&head[..at]);
            }
            searched = self.pending.len().saturating_sub(3);
            let started = !self.pending.is_empty();
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(if started {
                    HeadError::Timeout
                } else {
                    HeadError::Closed
                });
            }
            self.stream
                .set_read_timeout(Some(left))
                .map_err(|_| HeadError::Closed)?;
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err(HeadError::Closed),
                Ok(n) => self.pending.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return Err(HeadError::Closed),
            }
        }
    }

    /// Writes `response`; without its body for a HEAD request.
    pub(super) fn send(
        &mut self,
        response: &Response,
        head_only: bool,
        keep_alive: bool,
    ) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
            response.status,
            reason(response.status),
            response.body.len(),
            if keep_alive { "keep-alive" } else { "close" }
        );
        for (name, value) in &response.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        self.stream.write_all(head.as_bytes())?;
        if !head_only {
            self.stream.write_all(&response.body)?;
        }
        self.stream.flush()
    }

    /// The stream itself, for a response that is written as it goes (server-sent events).
    pub(super) fn stream(&mut self) -> &mut TcpStream {
        &mut self.stream
    }
}

/// How long a closing connection keeps reading what the client still sends.
const LINGER: Duration = Duration::from_secs(1);

impl Drop for Conn {
    /// Closes in the order that lets the client read the last answer: closing a socket with
    /// unread input makes the kernel send a reset, which can destroy an answer (say a 431 to
    /// a head still being sent) before the client has read it. So the sending side is shut
    /// first, and what still comes in is read and dropped for a moment (at most [`LINGER`]
    /// and 64 KiB).
    fn drop(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
        let deadline = Instant::now() + LINGER;
        let mut chunk = [0u8; 4096];
        let mut drained = 0;
        while drained < 64 * 1024 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.stream.set_read_timeout(Some(left)).is_err() {
                return;
            }
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => drained += n,
            }
        }
    }
}

/// Where the blank line ending a head starts, looking from `from` on.
fn find_blank_line(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + from)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// A whole response: status, headers besides `Content-Length` and `Connection`, body.
#[derive(Debug)]
pub(super) struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response that no cache keeps and no browser sniffs for another type.
    pub(super) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body,
        }
    }

    pub(super) fn text(status: u16, body: String) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body.into_bytes())
    }

    pub(super) fn with_header(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_request_is_read() {
        let r = parse_head(
            b"GET /measures/01-01/?v=2 HTTP/1.1\r\nHost: localhost:8000\r\nAccept:  text/html \r\nConnection: keep-alive",
        )
        .unwrap();
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.target, "/measures/01-01/?v=2");
        assert!(r.http11);
        assert_eq!(r.host(), Some("localhost:8000"));
        assert_eq!(r.headers[1], ("accept".into(), "text/html".into()));
        assert!(r.keep_alive());
    }

    #[test]
    fn connections_close_after_http_1_0_close_and_bodies() {
        let close = |head: &[u8]| !parse_head(head).unwrap().keep_alive();
        assert!(close(b"GET / HTTP/1.0\r\nHost: a"));
        assert!(close(
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, Close"
        ));
        assert!(close(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3"));
        assert!(close(
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked"
        ));
        assert!(!close(b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0"));
    }

    #[test]
    fn ambiguous_heads_are_refused() {
        for bad in [
            &b""[..],
            b"GET /",
            b"GET  / HTTP/1.1",
            b"GET / HTTP/2",
            b"G(T / HTTP/1.1",
            b"GET / HTTP/1.1\r\nHost : a",
            b"GET / HTTP/1.1\r\n folded",
            b"GET / HTTP/1.1\r\nHost: a\nX: b",
            b"GET / HTTP/1.1\r\nHost: a\rX: b",
            b"GET / HTTP/1.1\r\nno colon",
        ] {
            assert_eq!(
                parse_head(bad),
                Err(HeadError::Malformed),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn none_or_two_host_headers_name_no_host() {
        let host = |head: &[u8]| parse_head(head).unwrap().host().map(str::to_string);
        assert_eq!(host(b"GET / HTTP/1.1"), None);
        assert_eq!(host(b"GET / HTTP/1.1\r\nHost: a\r\nhost: b"), None);
        assert_eq!(host(b"GET / HTTP/1.1\r\nHOST: a"), Some("a".into()));
    }

    #[test]
    fn too_many_headers_are_too_large() {
        let mut head = b"GET / HTTP/1.1".to_vec();
        for i in 0..=MAX_HEADERS {
            head.extend_from_slice(format!("\r\nX-{i}: 1").as_bytes());
        }
        assert_eq!(parse_head(&head), Err(HeadError::TooLarge));
    }

    #[test]
    fn the_blank_line_is_found_across_reads() {
        let bytes = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x";
        assert_eq!(find_blank_line(bytes, 0), Some(23));
        assert_eq!(find_blank_line(bytes, 21), Some(23));
        assert_eq!(find_blank_line(bytes, 24), None);
        assert_eq!(find_blank_line(b"ab", 5), None);
    }
}
