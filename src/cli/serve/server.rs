//! Accepting connections and serving each one: at most [`MAX_CONNECTIONS`] at a time, each
//! request head within [`HEAD_TIMEOUT`], only for an accepted `Host`, and at most
//! [`MAX_EVENT_STREAMS`] event streams. The answers themselves come from [`super::http`].

use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use super::guard::{HostGuard, Slots, MAX_CONNECTIONS, MAX_EVENT_STREAMS};
use super::http::{self, Reply};
use super::state::Shared;
use super::wire::{Conn, HeadError, Method, Response, HEAD_TIMEOUT};
use crate::i18n::{self, Lang, Msg};

/// What every connection needs.
pub(super) struct Context {
    pub shared: Arc<Shared>,
    pub lang: Lang,
    pub hosts: HostGuard,
    pub streams: Arc<Slots>,
}

impl Context {
    pub(super) fn new(shared: Arc<Shared>, lang: Lang, hosts: HostGuard) -> Context {
        Context {
            shared,
            lang,
            hosts,
            streams: Slots::new(MAX_EVENT_STREAMS),
        }
    }
}

/// Serves `listener` for as long as the process runs. A connection beyond the limit waits in
/// the kernel's accept queue until another one ends.
pub(super) fn accept_loop(listener: TcpListener, context: Arc<Context>) {
    let connections = Slots::new(MAX_CONNECTIONS);
    loop {
        let permit = connections.acquire();
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, or a connection reset while queued: try again a
                // little later rather than spin.
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let context = context.clone();
        // A thread that cannot be started drops its connection; the permit comes back.
        let _ = std::thread::Builder::new()
            .name("serve-connection".into())
            .spawn(move || {
                let _permit = permit;
                serve_connection(stream, &context);
            });
    }
}

/// A bilingual plain-text answer for a request that is refused before it reaches the site:
/// its sender may be a browser set to either language, or a script.
fn refusal(status: u16, msg: impl Fn() -> Msg<'static>) -> Response {
    Response::text(
        status,
        format!(
            "{status}\n{}\n{}\n",
            i18n::text(Lang::Ja, msg()),
            i18n::text(Lang::En, msg())
        ),
    )
}

fn serve_connection(stream: TcpStream, context: &Context) {
    let Ok(mut conn) = Conn::new(stream) else {
        return;
    };
    loop {
        let request = match conn.read_request(HEAD_TIMEOUT) {
            Ok(request) => request,
            Err(HeadError::Closed) => return,
            Err(error) => {
                let response = match error {
                    HeadError::Timeout => refusal(408, || Msg::HttpHeadTimeout),
                    HeadError::TooLarge => refusal(431, || Msg::HttpHeadTooLarge),
                    HeadError::Malformed | HeadError::Closed => {
                        refusal(400, || Msg::HttpBadRequest)
                    }
                };
                let _ = conn.send(&response, false, false);
                return;
            }
        };
        let head_only = request.method == Method::Head;
        let Some(host) = request.host() else {
            let _ = conn.send(&refusal(400, || Msg::HttpBadRequest), head_only, false);
            return;
        };
        if !context.hosts.allows(host) {
            let url = context.hosts.url();
            let body = format!(
                "421\n{}\n{}\n",
                i18n::text(Lang::Ja, Msg::HostRefused { host, url: &url }),
                i18n::text(Lang::En, Msg::HostRefused { host, url: &url })
            );
            let _ = conn.send(&Response::text(421, body), head_only, false);
            return;
        }
        let keep_alive = request.keep_alive();
        match http::answer(&request, &context.shared, context.lang) {
            Reply::Whole(response) => {
                if conn.send(&response, head_only, keep_alive).is_err() || !keep_alive {
                    return;
                }
            }
            Reply::Events { since } => {
                let Some(_stream_permit) = context.streams.try_acquire() else {
                    let response = refusal(503, || Msg::TooManyEventStreams)
                        .with_header("Retry-After", "10".into());
                    let _ = conn.send(&response, head_only, false);
                    return;
                };
                http::events(conn.stream(), &context.shared, since);
                return;
            }
        }
    }
}
