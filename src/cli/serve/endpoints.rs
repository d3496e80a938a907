//! The paths `serve` answers itself instead of from the site: under `/__keikaku/`, which no
//! site file can have (every file of a site is named by keikaku, none of them so).

/// Where the browser listens for rebuilds (server-sent events).
pub(super) const EVENTS_PATH: &str = "/__keikaku/events";
/// Version and error count as JSON, for tools and tests.
pub(super) const STATUS_PATH: &str = "/__keikaku/status";
