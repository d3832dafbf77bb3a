//! Every bound the server keeps, with its default; `pactbase serve` sets them from flags
//! (or `PACTBASE_*` environment variables). docs/SECURITY.md explains each one.

use std::time::Duration;

use pactbase_store::SearchLimits;

#[derive(Debug, Clone)]
pub struct Limits {
    /// Time a client has to send a request's line and headers, counted from the moment
    /// the connection is ready for the next request: it also closes idle keep-alive
    /// connections.
    pub header_read: Duration,
    /// Time a client has to send a request's whole body.
    pub body_read: Duration,
    /// Time a write to a client may stay blocked (the client reads nothing) before the
    /// connection is closed.
    pub write_stall: Duration,
    /// Open connections; more are answered 503 and closed.
    pub max_connections: usize,
    /// Failed authentications per client address, and per token, within `auth_window`;
    /// past them: 429 with `Retry-After` until the window ends.
    pub auth_failures: u32,
    pub auth_window: Duration,
    /// Client addresses and tokens the failure limiter remembers at once (oldest
    /// forgotten first).
    pub limiter_entries: usize,
    /// A web session ends after this long without a request, and this long after
    /// sign-in however used; at most `sessions` are kept at once (the least recently used
    /// is ended first).
    pub session_idle: Duration,
    pub session_lifetime: Duration,
    pub sessions: usize,
    /// Panel downloads streamed at once; more are answered 503 with `Retry-After`.
    pub panel_streams: usize,
    /// Search text length, words and SQLite time.
    pub search: SearchLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(30),
            write_stall: Duration::from_secs(30),
            max_connections: 1024,
            auth_failures: 10,
            auth_window: Duration::from_secs(60),
            limiter_entries: 10_000,
            session_idle: Duration::from_secs(30 * 60),
            session_lifetime: Duration::from_secs(12 * 60 * 60),
            sessions: 10_000,
            panel_streams: 4,
            search: SearchLimits::default(),
        }
    }
}
