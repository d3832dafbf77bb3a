//! The connection layer under the router: hyper's HTTP/1 server with a header-read
//! timeout (which also closes idle keep-alive connections), a deadline for each request
//! body, a deadline for writes a client stops reading, a cap on open connections, and the
//! open-file limit raised at start. axum's own `serve` sets no timer, so none of hyper's
//! timeouts would apply there.

use std::error::Error as StdError;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use bytes::Bytes;
use http_body::Frame;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;
use tower::ServiceExt;

use crate::Limits;

/// File descriptors kept free for the database, logs and the panel streams' files.
const RESERVED_FILES: u64 = 64;

/// Raises the soft open-file limit to the hard one and returns the connection cap that
/// fits under it (the configured one, or less with a log line saying why).
pub fn fit_connection_cap(wanted: usize) -> usize {
    let limit = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(e) => {
            tracing::warn!("cannot raise the open-file limit: {e}");
            return wanted;
        }
    };
    let fits = limit.saturating_sub(RESERVED_FILES).max(1) as usize;
    if wanted > fits {
        tracing::warn!(
            open_file_limit = limit,
            "the open-file limit allows {fits} connections, fewer than the {wanted} asked for: serving at most {fits}"
        );
        fits
    } else {
        tracing::info!(open_file_limit = limit, max_connections = wanted, "connection cap");
        wanted
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open connections
/// finish their requests (for at most `drain`).
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
    drain: Duration,
) {
    let cap = limits.max_connections.max(1);
    let connections = Arc::new(Semaphore::new(cap));
    let (stop_tx, stop_rx) = watch::channel(());
    let mut refusals = Refusals::default();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most often: wait for connections to close.
                    tracing::error!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        match connections.clone().try_acquire_owned() {
            Ok(permit) => serve_connection(stream, peer, permit, app.clone(), limits, stop_rx.clone()),
            Err(_) => refusals.refuse(stream, cap),
        }
    }
    drop(listener);
    let _ = stop_tx.send(());
    // Every connection holds a permit until it closes: all back means all closed.
    let _ = tokio::time::timeout(drain, connections.acquire_many(cap as u32)).await;
}

fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    permit: OwnedSemaphorePermit,
    app: Router,
    limits: &Limits,
    mut stop: watch::Receiver<()>,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(Deadlines::new(stream, limits.write_stall, permit));
    let body_read = limits.body_read;
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let mut req = req.map(|body| Body::new(DeadlineBody::new(body, body_read)));
        req.extensions_mut().insert(ConnectInfo(peer));
        app.clone().oneshot(req)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read).keep_alive(true);
    tokio::spawn(async move {
        let conn = builder.serve_connection(io, service);
        let mut conn = std::pin::pin!(conn);
        tokio::select! {
            result = conn.as_mut() => log_connection_end(result),
            _ = stop.changed() => {
                conn.as_mut().graceful_shutdown();
                log_connection_end(conn.await);
            }
        }
    });
}

fn log_connection_end(result: Result<(), hyper::Error>) {
    if let Err(e) = result {
        if e.is_timeout() {
            tracing::debug!("connection closed: {e}");
        } else {
            tracing::debug!("connection ended: {e}");
        }
    }
}

/// Connections turned away at the cap: each gets a short 503, and the log says so at
/// most every ten seconds.
#[derive(Default)]
struct Refusals {
    since_notice: u64,
    noticed: Option<Instant>,
}

impl Refusals {
    fn refuse(&mut self, stream: TcpStream, cap: usize) {
        const BODY: &str = r#"{"error":"too_many_connections","detail":"the server has as many connections open as it allows; try again shortly"}"#;
        let reply = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{BODY}",
            BODY.len()
        );
        let _ = stream.try_write(reply.as_bytes());
        self.since_notice += 1;
        if self.noticed.is_none_or(|at| at.elapsed() >= Duration::from_secs(10)) {
            tracing::warn!(
                max_connections = cap,
                refused = self.since_notice,
                "connection cap reached: refusing new connections until some close (raise it with --max-connections)"
            );
            self.noticed = Some(Instant::now());
            self.since_notice = 0;
        }
    }
}

/// A connection whose writes fail once they have made no progress for `stall` (the client
/// stopped reading), and which gives its slot back when dropped.
struct Deadlines {
    stream: TcpStream,
    stall: Duration,
    blocked: Option<Pin<Box<Sleep>>>,
    _slot: OwnedSemaphorePermit,
}

impl Deadlines {
    fn new(stream: TcpStream, stall: Duration, slot: OwnedSemaphorePermit) -> Self {
        Deadlines { stream, stall, blocked: None, _slot: slot }
    }

    /// After a write attempt: clears the deadline on progress, else arms it and fails the
    /// write once it has passed.
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.blocked = None;
            return poll;
        }
        let stall = self.stall;
        let deadline = self.blocked.get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("the client read nothing for {} s", stall.as_secs()),
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for Deadlines {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Deadlines {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write(cx, data);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_shutdown(cx);
        self.watch(cx, poll)
    }
}

/// The request body took longer than the body-read deadline.
#[derive(Debug)]
pub struct BodyTimeout(pub Duration);

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body did not arrive within {} s", self.0.as_secs())
    }
}

impl StdError for BodyTimeout {}

/// True when `e` (or what caused it) is a [`BodyTimeout`].
pub fn is_body_timeout(e: &(dyn StdError + 'static)) -> bool {
    let mut cause = Some(e);
    while let Some(e) = cause {
        if e.is::<BodyTimeout>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// A request body that fails once it has taken longer than `limit` in all.
struct DeadlineBody {
    body: hyper::body::Incoming,
    limit: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl DeadlineBody {
    fn new(body: hyper::body::Incoming, limit: Duration) -> Self {
        DeadlineBody { body, limit, deadline: Box::pin(tokio::time::sleep(limit)) }
    }
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn StdError + Send + Sync>;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimeout(self.limit))))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}
