//! `pactbase serve`: the web application and JSON API (crate `pactbase-web`).

use std::path::Path;

use pactbase_store::Store;

use crate::failure::{Failure, Result};

pub fn serve(store: Store, db: &Path, addr: &str) -> Result {
    // A value that names no address is bad usage (exit 2); an address that cannot be
    // bound (in use, not allowed) an I/O failure (exit 1).
    if let Err(e) = std::net::ToSocketAddrs::to_socket_addrs(addr) {
        return Err(Failure::Usage(format!(
            "--addr `{addr}` is not an address ({e}); write HOST:PORT, e.g. 127.0.0.1:8080"
        )));
    }
    // The database exists and holds the registry (set up above); the server opens its own
    // connections.
    drop(store);
    pactbase_web::init_logging();
    pactbase_web::serve_blocking(db, addr, |bound| {
        println!("pactbase is serving {} — open http://{bound}/ (Ctrl-C stops it)", db.display());
    })
    .map_err(|e| Failure::Other(e.context(format!("cannot serve on {addr}"))))
}
