//! `pactbase serve`: the web application and JSON API (crate `pactbase-web`).

use std::path::Path;
use std::time::Duration;

use pactbase_store::{SearchLimits, Store};

use crate::cli::ServeArgs;
use crate::failure::{Failure, Result};

pub fn serve(store: Store, db: &Path, args: &ServeArgs) -> Result {
    // A value that names no address is bad usage (exit 2); an address that cannot be
    // bound (in use, not allowed) an I/O failure (exit 1).
    if let Err(e) = std::net::ToSocketAddrs::to_socket_addrs(args.addr.as_str()) {
        return Err(Failure::Usage(format!(
            "--addr `{}` is not an address ({e}); write HOST:PORT, e.g. 127.0.0.1:8080",
            args.addr
        )));
    }
    // The database exists and holds the registry (set up above); the server opens its own
    // connections.
    drop(store);
    pactbase_web::init_logging();
    let limits = pactbase_web::Limits {
        header_read: Duration::from_secs(args.header_timeout.max(1)),
        body_read: Duration::from_secs(args.body_timeout.max(1)),
        write_stall: Duration::from_secs(args.write_timeout.max(1)),
        max_connections: args.max_connections.max(1),
        auth_failures: args.auth_failures.max(1),
        auth_window: Duration::from_secs(args.auth_window.max(1)),
        panel_streams: args.panel_streams.max(1),
        search: SearchLimits {
            max_chars: args.search_chars.max(1),
            max_terms: args.search_words.max(1),
            time: Duration::from_millis(args.search_budget.max(1)),
        },
        ..pactbase_web::Limits::default()
    };
    pactbase_web::serve_blocking(db, &args.addr, limits, |bound| {
        println!("pactbase is serving {} — open http://{bound}/ (Ctrl-C stops it)", db.display());
    })
    .map_err(|e| Failure::Other(e.context(format!("cannot serve on {}", args.addr))))
}
