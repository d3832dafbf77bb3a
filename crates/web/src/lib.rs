//! pactbase's web application: a JSON API under `/api/v1` (described by
//! `/api/openapi.json`), server-rendered pages that work without JavaScript, and
//! authenticated, audited editing of the registry.
//!
//! Handlers are thin: they parse the request, run store queries and analyses on the
//! blocking pool (rusqlite is synchronous) through a small pool of connections, and render
//! the result. Computed networks, profiles and recommendations are cached in memory for the
//! store's current revision, so changes by any process (`init`, `import`, edits) show at
//! once without a restart.

mod api;
mod auth;
mod cache;
mod edit;
mod error;
mod limiter;
mod limits;
mod pages;
mod params;
mod server;
mod session;
mod validate;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use pactbase_store::Store;
use tokio::sync::Semaphore;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use auth::issue_token;
pub use error::ApiError;
pub use limits::Limits;

/// Requests larger than this are refused with 413 (an agreement document is a few KB).
pub const BODY_LIMIT: usize = 256 * 1024;

/// Connections kept open for reuse.
const POOL_SIZE: usize = 8;

/// What every handler shares.
pub struct AppState {
    db: PathBuf,
    /// The database could not be opened for writing: serve it for reading only.
    read_only: bool,
    pool: Mutex<Vec<Store>>,
    pub(crate) cache: cache::Cache,
    pub(crate) limits: Limits,
    pub(crate) limiter: limiter::FailureLimiter,
    pub(crate) sessions: session::Sessions,
    /// One permit per panel download being streamed.
    pub(crate) panel_streams: Arc<Semaphore>,
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// State for the database at `db`, which must exist and hold the curated registry
    /// (`pactbase serve` creates it first), with the default [`Limits`].
    pub fn new(db: &Path) -> anyhow::Result<Shared> {
        Self::with_limits(db, Limits::default())
    }

    /// State for the database at `db` under `limits`. A database that cannot be written
    /// (a read-only file or file system) is served for reading; changes then answer 503.
    pub fn with_limits(db: &Path, limits: Limits) -> anyhow::Result<Shared> {
        let (mut store, read_only) = match Store::open(db) {
            Ok(store) => (store, false),
            Err(e) if e.is_read_only() => {
                tracing::warn!("{} cannot be written ({e}): serving it read-only, edits are refused", db.display());
                (Store::open_read_only(db)?, true)
            }
            Err(e) => return Err(e.into()),
        };
        anyhow::ensure!(
            store.is_initialised()?,
            "the database {} has no registry loaded: run `pactbase init`",
            db.display()
        );
        store.set_search_limits(limits.search);
        let without_token = store.users_without_token()?;
        if !without_token.is_empty() {
            tracing::warn!(
                "{} user(s) have a token of an earlier kind, no longer accepted: give each a new one with `pactbase user add NAME` ({})",
                without_token.len(),
                without_token.join(", ")
            );
        }
        Ok(Arc::new(AppState {
            db: db.to_owned(),
            read_only,
            pool: Mutex::new(vec![store]),
            cache: cache::Cache::default(),
            limiter: limiter::FailureLimiter::new(limits.auth_failures, limits.auth_window, limits.limiter_entries),
            sessions: session::Sessions::new(limits.session_idle, limits.session_lifetime, limits.sessions),
            panel_streams: Arc::new(Semaphore::new(limits.panel_streams.max(1))),
            limits,
        }))
    }

    /// A new connection to the database, as this server opens them.
    pub(crate) fn open_store(&self) -> Result<Store, ApiError> {
        let mut store = if self.read_only { Store::open_read_only(&self.db) } else { Store::open(&self.db) }?;
        store.set_search_limits(self.limits.search);
        Ok(store)
    }

    fn checkout(&self) -> Result<Store, ApiError> {
        if let Some(store) = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(store);
        }
        self.open_store()
    }

    fn checkin(&self, store: Store) {
        let mut pool = self.pool.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < POOL_SIZE {
            pool.push(store);
        }
    }
}

/// Sets its flag when dropped: when hyper drops a request's future because the client
/// went away, the store work it started stops at its next check.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Runs `f` with a store connection on the blocking pool, with the page request (and its
/// session) as the handler has it; searches it runs stop when the request is dropped.
pub(crate) async fn with_store<T, F>(state: &Shared, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store, &AppState) -> Result<T, ApiError> + Send + 'static,
{
    let state = state.clone();
    let cancelled = Arc::new(AtomicBool::new(false));
    let _cancel = CancelOnDrop(cancelled.clone());
    let request = pages::context::request();
    tokio::task::spawn_blocking(move || {
        pages::context::on_this_thread(request, || {
            let mut store = state.checkout()?;
            store.set_cancel_flag(cancelled);
            let out = f(&mut store, &state);
            state.checkin(store);
            out
        })
    })
    .await
    .map_err(ApiError::internal)?
}

/// The client's address (unspecified when the router is called without a connection, as
/// in tests).
fn client_address(req: &Request) -> IpAddr {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip())
}

/// Counts failed authentications (401s) per client address and refuses a client past
/// its allowance (429 with `Retry-After`) before it reaches any credential check. Only
/// changes (the requests that authenticate) are refused; reading stays open.
async fn limit_failed_auth(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let client = limiter::Subject::Client(client_address(&req));
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        if let Err(wait) = state.limiter.check(&client) {
            let refused = ApiError::too_many_failures(wait);
            // The sign-in page is answered as a page, the API as JSON.
            return if req.uri().path().starts_with("/api/") {
                refused.into_response()
            } else {
                pages::PageError::from(refused).into_response()
            };
        }
    }
    let response = next.run(req).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        state.limiter.record_failure(client);
    }
    response
}

/// The whole application: API, pages, static files, with logging, security headers and a
/// request size limit.
pub fn router(state: Shared) -> Router {
    let security = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    ];
    let mut app = Router::new()
        .route("/healthz", get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }))
        .merge(api::routes())
        .merge(pages::routes(state.clone()))
        .fallback(|| async { ApiError::not_found("no such page or endpoint") })
        .method_not_allowed_fallback(|req: Request| async move {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("{} is not supported here; the Allow header lists what is", req.method()),
            )
        })
        .layer(middleware::from_fn(pages::errors_as_pages))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), limit_failed_auth))
        .with_state(state);
    for (name, value) in security {
        // A handler's own policy stands (the country report's inline styles).
        app = app.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    app.layer(
        TraceLayer::new_for_http()
            .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
            .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(tower_http::LatencyUnit::Micros)),
    )
}

/// Logs requests to standard error (`RUST_LOG` overrides the default `info` level).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_target(false).with_writer(std::io::stderr).try_init();
}

/// Serves the application on `addr` under `limits` until Ctrl-C or SIGTERM, then
/// finishes the requests in flight. `ready` is called with the bound address once it
/// accepts connections.
pub fn serve_blocking(db: &Path, addr: &str, mut limits: Limits, ready: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        limits.max_connections = server::fit_connection_cap(limits.max_connections);
        let state = AppState::with_limits(db, limits.clone())?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        prepare_featured(&state);
        server::run(listener, router(state), &limits, shutdown_signal(), Duration::from_secs(30)).await;
        Ok(())
    })
}

/// Computes the featured country's page in the background while the server starts
/// accepting requests.
fn prepare_featured(state: &Shared) {
    let state = state.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match with_store(&state, |store, app| pages::prepare_featured(store, app)).await {
            Ok(()) => {
                tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "featured country page prepared")
            }
            Err(e) => tracing::warn!(detail = %e.detail, "could not prepare the featured country page"),
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Starts the application on a background runtime thread, on `addr` (`127.0.0.1:0` picks
/// a free port), with the default [`Limits`]; for tests and benchmarks. Returns the bound
/// address.
pub fn spawn(db: &Path, addr: &str) -> anyhow::Result<SocketAddr> {
    spawn_with(db, addr, Limits::default())
}

/// [`spawn`] under `limits`.
pub fn spawn_with(db: &Path, addr: &str, limits: Limits) -> anyhow::Result<SocketAddr> {
    let state = AppState::with_limits(db, limits.clone())?;
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let bound = std_listener.local_addr()?;
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).expect("listener");
            server::run(listener, router(state), &limits, std::future::pending(), Duration::ZERO).await;
        });
    });
    std::thread::sleep(Duration::from_millis(50));
    Ok(bound)
}

/// Static files embedded in the binary.
pub(crate) async fn asset(axum::extract::Path(name): axum::extract::Path<String>) -> axum::response::Response {
    let (body, kind) = match name.as_str() {
        "app.js" => (include_str!("../static/app.js"), "text/javascript; charset=utf-8"),
        "style.css" => (include_str!("../static/style.css"), "text/css; charset=utf-8"),
        _ => return ApiError::not_found("no such file").into_response(),
    };
    (StatusCode::OK, [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}
