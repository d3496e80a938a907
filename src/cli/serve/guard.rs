//! What keeps the preview to the person who started it, and the server alive under load.
//!
//! - [`HostGuard`]: a web page the user visits can point its own domain name at 127.0.0.1
//!   (DNS rebinding) and then read the unpublished preview as if it were its own site. Its
//!   requests carry its own name in `Host`, so only names that no outsider controls are
//!   answered: `localhost`, loopback addresses, and the address the server is bound to.
//! - [`Slots`]: a bound on connections and on event streams, so that many clients cannot make
//!   the server start a thread each until the machine runs out.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Connections served at once; more wait in the kernel's queue until one ends. Every
/// connection ends within [`super::wire::HEAD_TIMEOUT`] of its last request, except event
/// streams, of which there are fewer, so a slot always frees up.
pub const MAX_CONNECTIONS: usize = 64;
/// Open event streams (one per open preview tab); more are answered 503.
pub const MAX_EVENT_STREAMS: usize = 32;

/// Decides which `Host` headers are answered.
pub(crate) struct HostGuard {
    /// The address the server listens on (may be 0.0.0.0 or `::`).
    bound: IpAddr,
    port: u16,
    /// The host of `serve --base-url`, lower-cased: the person who started the server named
    /// it, so a request under that name is theirs (they point it at this machine themselves).
    named: Option<String>,
}

impl HostGuard {
    pub(crate) fn new(local: SocketAddr) -> HostGuard {
        HostGuard {
            bound: local.ip(),
            port: local.port(),
            named: None,
        }
    }

    /// Also answers requests for the host of `base_url` (`serve --base-url`), on any port.
    pub(crate) fn with_base_url(mut self, base_url: Option<&str>) -> HostGuard {
        self.named = base_url
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
        self
    }

    /// The preview's address for a refused request to point to: the bound one, or loopback
    /// when bound to every interface (`http://0.0.0.0:8000/` opens nothing on some systems).
    pub(crate) fn url(&self) -> String {
        let ip = match self.bound {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(ip, self.port))
    }

    /// Is `host` (a `Host` header's value) a name this server answers to?
    ///
    /// - `localhost`, 127.0.0.0/8 and `[::1]`, with any port or none: no outsider can make
    ///   these name another machine, and a forwarded port (`ssh -L`, a container) may differ.
    /// - The host of `--base-url`, when given, with any port.
    /// - The bound address with the listening port. Bound to every interface (`0.0.0.0`,
    ///   `::`), any address literal with that port: the server cannot list the machine's
    ///   addresses, and a literal address cannot be rebound (a page of another site cannot
    ///   make the browser send one while reading the answer).
    pub(crate) fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if name.eq_ignore_ascii_case("localhost")
            || self
                .named
                .as_deref()
                .is_some_and(|n| name.eq_ignore_ascii_case(n))
        {
            return true;
        }
        let Some(ip) = parse_ip(name) else {
            return false;
        };
        if ip.is_loopback() {
            return true;
        }
        let bound = self.bound.to_canonical();
        port.unwrap_or(80) == self.port && (ip == bound || bound.is_unspecified())
    }
}

/// `name[:port]` or `[v6]:port` → the name (brackets kept) and the port, if one is given.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')?;
        let rest = &host[end + 1..];
        let port = match rest {
            "" => None,
            _ => Some(rest.strip_prefix(':')?),
        };
        (&host[..=end], port)
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    (!name.is_empty()).then_some((name, port))
}

/// A dotted IPv4 address or a bracketed IPv6 one, IPv4-mapped IPv6 read as IPv4.
fn parse_ip(name: &str) -> Option<IpAddr> {
    let ip = match name.strip_prefix('[') {
        Some(v6) => IpAddr::V6(v6.strip_suffix(']')?.parse().ok()?),
        None => IpAddr::V4(name.parse().ok()?),
    };
    Some(ip.to_canonical())
}

/// Is `--bind` reachable from other machines? Then `serve` says so when it starts.
pub(super) fn beyond_loopback(bind: IpAddr) -> bool {
    !bind.to_canonical().is_loopback()
}

/// A counting semaphore: at most `max` [`Permit`]s exist at once.
pub(super) struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

/// One slot of [`Slots`], given back when dropped.
pub(super) struct Permit(Arc<Slots>);

impl Slots {
    pub(super) fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            used: Mutex::new(0),
            freed: Condvar::new(),
            max,
        })
    }

    fn lock(&self) -> MutexGuard<'_, usize> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for a free slot.
    pub(super) fn acquire(self: &Arc<Self>) -> Permit {
        let mut used = self.lock();
        while *used >= self.max {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += 1;
        Permit(self.clone())
    }

    /// A free slot, if there is one now.
    pub(super) fn try_acquire(self: &Arc<Self>) -> Option<Permit> {
        let mut used = self.lock();
        if *used >= self.max {
            return None;
        }
        *used += 1;
        Some(Permit(self.clone()))
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        *self.0.lock() -= 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(bound: &str) -> HostGuard {
        HostGuard::new(bound.parse().unwrap())
    }

    #[test]
    fn loopback_names_are_answered_on_any_port() {
        let g = guard("127.0.0.1:8000");
        for host in [
            "localhost",
            "localhost:8000",
            "LocalHost:9000",
            "localhost:",
            "127.0.0.1",
            "127.0.0.1:8000",
            "127.1.2.3:8000",
            "[::1]",
            "[::1]:8000",
            "[::ffff:127.0.0.1]:8000",
        ] {
            assert!(g.allows(host), "{host}");
        }
    }

    #[test]
    fn other_names_are_refused() {
        let g = guard("127.0.0.1:8000");
        for host in [
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example:8000",
            "127.0.0.1.evil.example",
            "127.0.0.1.nip.io:8000",
            "foo.localhost:8000",
            "2130706433:8000",
            "0x7f.1:8000",
            "192.168.1.5:8000",
            "[::2]:8000",
            "[::1",
            "[::1]x",
            "[::1]:80x",
            "localhost:99999",
            "user@localhost:8000",
            "",
            ":8000",
        ] {
            assert!(!g.allows(host), "{host}");
        }
    }

    #[test]
    fn the_bound_address_is_answered_with_its_port() {
        let g = guard("192.168.1.5:8000");
        assert!(g.allows("192.168.1.5:8000"));
        assert!(!g.allows("192.168.1.5:8001"));
        assert!(!g.allows("192.168.1.5"));
        assert!(!g.allows("192.168.1.6:8000"));
        assert!(!g.allows("kikaku-pc.local:8000"));
        assert!(g.allows("localhost:8000"));
        let g = guard("[fe80::1]:80");
        assert!(g.allows("[fe80::1]"));
    }

    #[test]
    fn bound_to_every_interface_any_address_literal_with_the_port() {
        let g = guard("0.0.0.0:8000");
        assert!(g.allows("192.168.1.5:8000"));
        assert!(g.allows("10.0.0.7:8000"));
        assert!(!g.allows("10.0.0.7:8001"));
        assert!(!g.allows("kikaku-pc.local:8000"));
        assert!(!g.allows("evil.example:8000"));
        let g = guard("[::]:8000");
        assert!(g.allows("[2001:db8::5]:8000"));
    }

    #[test]
    fn refusals_point_to_an_address_that_opens() {
        assert_eq!(guard("127.0.0.1:8000").url(), "http://127.0.0.1:8000/");
        assert_eq!(guard("192.168.1.5:80").url(), "http://192.168.1.5:80/");
        assert_eq!(guard("0.0.0.0:8000").url(), "http://127.0.0.1:8000/");
        assert_eq!(guard("[::]:8000").url(), "http://[::1]:8000/");
    }

    #[test]
    fn only_loopback_binds_are_private() {
        assert!(!beyond_loopback("127.0.0.1".parse().unwrap()));
        assert!(!beyond_loopback("127.0.0.2".parse().unwrap()));
        assert!(!beyond_loopback("::1".parse().unwrap()));
        assert!(beyond_loopback("0.0.0.0".parse().unwrap()));
        assert!(beyond_loopback("::".parse().unwrap()));
        assert!(beyond_loopback("192.168.1.5".parse().unwrap()));
    }

    #[test]
    fn slots_are_bounded_and_given_back() {
        let slots = Slots::new(2);
        let a = slots.try_acquire().unwrap();
        let _b = slots.acquire();
        assert!(slots.try_acquire().is_none());
        drop(a);
        let _c = slots.try_acquire().unwrap();
        let waiter = {
            let slots = slots.clone();
            std::thread::spawn(move || drop(slots.acquire()))
        };
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!waiter.is_finished(), "waits while both slots are taken");
        drop(_c);
        waiter.join().unwrap();
    }

    #[test]
    fn the_base_url_host_is_answered_only_when_given() {
        let local: SocketAddr = "127.0.0.1:8000".parse().unwrap();
        let plain = HostGuard::new(local);
        assert!(!plain.allows("plan.example.invalid:8000"));
        let named = HostGuard::new(local).with_base_url(Some("https://Plan.Example.invalid/sub/"));
        assert!(named.allows("plan.example.invalid:8000"));
        assert!(named.allows("PLAN.example.invalid"));
        assert!(!named.allows("evil.example:8000"));
        assert!(!named.allows("plan.example.invalid.evil.example"));
    }
}
