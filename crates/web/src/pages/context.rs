//! What a page knows about its request while it is rendered, without every handler
//! passing it along: the address (for "cite this page"), and whether the reader asked for
//! one of its tables as CSV (`?format=csv&table=ID`) or one of its figures as SVG
//! (`?format=svg&figure=ID`) instead of the page. The tables and figures register
//! themselves as they are rendered ([`table`], [`figure`]), so every table and chart offers
//! its data by the same mechanism; terms link to the glossary at their first use on a page
//! ([`first_use`]).
//!
//! The request is kept in a task-local for the handler's future, and in a thread-local
//! while the handler's work runs on the blocking pool ([`on_this_thread`], which
//! `with_store` calls); [`rendering`] keeps its state in a thread-local for the length of
//! one page. The request says who is signed in ([`SignedIn`]): the header, the forms and
//! their CSRF token depend on it.

use std::cell::RefCell;
use std::collections::HashSet;

use axum::extract::{Query, Request, State};
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::ApiError;
use crate::session::SignedIn;
use crate::Shared;

use super::PageError;

/// Something other than the page itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Download {
    /// A table as CSV: the one named, or the page's first.
    Csv(Option<String>),
    /// A figure's SVG.
    Svg(String),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RequestInfo {
    /// Path and query, as asked.
    pub path: String,
    pub host: Option<String>,
    /// Served over HTTPS behind a proxy that says so (`X-Forwarded-Proto`).
    pub https: bool,
    pub download: Option<Download>,
    /// The editor whose session cookie the request carries.
    pub signed_in: Option<SignedIn>,
}

tokio::task_local! {
    static REQUEST: RequestInfo;
}

#[derive(Deserialize)]
struct DownloadParams {
    format: Option<String>,
    table: Option<String>,
    figure: Option<String>,
}

fn download(uri: &Uri) -> Result<Option<Download>, ApiError> {
    let Query(p) = Query::<DownloadParams>::try_from_uri(uri).map_err(|e| ApiError::bad_request(e.body_text()))?;
    let given = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
    match given(p.format).as_deref() {
        None | Some("html") => Ok(None),
        Some("csv") => Ok(Some(Download::Csv(given(p.table)))),
        Some("svg") => given(p.figure)
            .map(|f| Some(Download::Svg(f)))
            .ok_or_else(|| ApiError::bad_request("format=svg needs figure=ID: the figure's download link names it")),
        Some(other) => Err(ApiError::bad_request(format!(
            "unknown format `{other}`: html (the page), csv (a table: table=ID) or svg (a figure: figure=ID)"
        ))),
    }
}

/// Middleware over the pages: keeps the request's address, download and session for the
/// page.
pub(crate) async fn capture(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let download = match download(req.uri()) {
        Ok(d) => d,
        Err(e) => return PageError(e).into_response(),
    };
    let info = RequestInfo {
        path: req.uri().path_and_query().map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned()),
        host: req.headers().get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).map(str::to_owned),
        https: req.headers().get("x-forwarded-proto").is_some_and(|p| p.as_bytes() == b"https"),
        download,
        signed_in: state.sessions.find(req.headers()),
    };
    let personal = info.signed_in.is_some();
    let mut response = REQUEST.scope(info, next.run(req)).await;
    // A page with an editor's name and CSRF token is theirs alone: no cache keeps it.
    if personal {
        response
            .headers_mut()
            .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    }
    response
}

impl RequestInfo {
    /// The page's full address, for citations.
    pub fn permalink(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}{}", self.host.as_deref().unwrap_or("localhost"), self.path)
    }
}

thread_local! {
    static ON_THREAD: RefCell<Option<RequestInfo>> = const { RefCell::new(None) };
}

/// Clears the blocking thread's request however its work ends, so that the next job on
/// the thread never sees it (nor its session).
struct Cleared;

impl Drop for Cleared {
    fn drop(&mut self) {
        ON_THREAD.with(|r| r.borrow_mut().take());
    }
}

/// Runs `f` on this (blocking) thread with `request` as the current request.
pub(crate) fn on_this_thread<T>(request: RequestInfo, f: impl FnOnce() -> T) -> T {
    ON_THREAD.with(|r| *r.borrow_mut() = Some(request));
    let _cleared = Cleared;
    f()
}

/// The current page request (empty outside one).
pub(crate) fn request() -> RequestInfo {
    REQUEST.try_with(Clone::clone).ok().or_else(|| ON_THREAD.with(|r| r.borrow().clone())).unwrap_or_default()
}

/// Who is signed in on the current request.
pub(crate) fn signed_in() -> Option<SignedIn> {
    REQUEST
        .try_with(|r| r.signed_in.clone())
        .ok()
        .unwrap_or_else(|| ON_THREAD.with(|r| r.borrow().as_ref().and_then(|r| r.signed_in.clone())))
}

/// A file asked for instead of the page.
pub(crate) struct File {
    pub body: String,
    pub content_type: &'static str,
    /// Without extension.
    pub name: String,
}

/// What one page rendering collected.
#[derive(Default)]
pub(crate) struct Rendered {
    pub file: Option<File>,
    pub tables: Vec<String>,
    pub figures: Vec<String>,
}

#[derive(Default)]
struct Render {
    download: Option<Download>,
    out: Rendered,
    linked: HashSet<&'static str>,
}

thread_local! {
    static RENDER: RefCell<Option<Render>> = const { RefCell::new(None) };
}

/// Runs `f` (which renders a page) collecting what its tables and figures register.
pub(crate) fn rendering<T>(download: Option<Download>, f: impl FnOnce() -> T) -> (T, Rendered) {
    RENDER.with(|r| *r.borrow_mut() = Some(Render { download, ..Render::default() }));
    let out = f();
    let rendered = RENDER.with(|r| r.borrow_mut().take()).map(|r| r.out).unwrap_or_default();
    (out, rendered)
}

/// True when this rendering serves a table as CSV (lists then give every row, not a page).
pub(crate) fn wants_csv() -> bool {
    RENDER.with(|r| matches!(r.borrow().as_ref().and_then(|r| r.download.as_ref()), Some(Download::Csv(_))))
}

/// Registers table `id`; `csv` is computed only when this table is asked for.
pub(crate) fn table(id: &str, csv: impl FnOnce() -> String) {
    RENDER.with(|r| {
        let mut r = r.borrow_mut();
        let Some(r) = r.as_mut() else { return };
        let wanted = match &r.download {
            Some(Download::Csv(Some(t))) => t == id,
            Some(Download::Csv(None)) => r.out.tables.is_empty(),
            _ => false,
        };
        if wanted && r.out.file.is_none() {
            r.out.file = Some(File { body: csv(), content_type: "text/csv; charset=utf-8", name: id.to_owned() });
        }
        r.out.tables.push(id.to_owned());
    });
}

/// Registers figure `id`; `svg` is computed only when this figure is asked for.
pub(crate) fn figure(id: &str, svg: impl FnOnce() -> String) {
    RENDER.with(|r| {
        let mut r = r.borrow_mut();
        let Some(r) = r.as_mut() else { return };
        if matches!(&r.download, Some(Download::Svg(f)) if f == id) && r.out.file.is_none() {
            r.out.file = Some(File { body: svg(), content_type: "image/svg+xml", name: id.to_owned() });
        }
        r.out.figures.push(id.to_owned());
    });
}

/// True the first time `term` is asked about on this page (always outside a page).
pub(crate) fn first_use(term: &'static str) -> bool {
    RENDER.with(|r| r.borrow_mut().as_mut().is_none_or(|r| r.linked.insert(term)))
}

/// The address of this page with `format`, `table` and `figure` set as given (and the
/// others kept), for download links.
pub(crate) fn link_with(path: &str, set: &[(&str, &str)]) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or_default();
            !["format", "table", "figure"].contains(&key) && !set.iter().any(|(k, _)| *k == key)
        })
        .map(str::to_owned)
        .collect();
    pairs.extend(set.iter().map(|(k, v)| format!("{k}={}", encode(v))));
    if pairs.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", pairs.join("&"))
    }
}

/// Percent-encodes a query value.
pub(crate) fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_links_keep_the_page_query() {
        assert_eq!(
            link_with("/agreements?kind=arms-control&page=2", &[("format", "csv")]),
            "/agreements?kind=arms-control&page=2&format=csv"
        );
        assert_eq!(
            link_with("/trends?format=csv&table=x&years=1950-1960", &[("format", "svg"), ("figure", "a b")]),
            "/trends?years=1950-1960&format=svg&figure=a%20b"
        );
        assert_eq!(link_with("/network", &[]), "/network");
    }

    #[test]
    fn only_the_table_asked_for_is_computed() {
        let ((), r) = rendering(Some(Download::Csv(Some("b".into()))), || {
            table("a", || panic!("not asked for"));
            table("b", || "x\n".into());
            assert!(wants_csv());
            assert!(first_use("ccode") && !first_use("ccode"));
        });
        assert_eq!(r.tables, ["a", "b"]);
        assert_eq!(r.file.unwrap().body, "x\n");
        let ((), r) = rendering(Some(Download::Csv(None)), || {
            table("first", || "1".into());
            table("second", || panic!("the first is the page's table"));
        });
        assert_eq!(r.file.unwrap().name, "first");
        assert!(first_use("ccode"), "outside a page every use links");
    }

    #[test]
    fn formats_are_checked() {
        let uri = |q: &str| format!("/x?{q}").parse::<Uri>().unwrap();
        assert_eq!(download(&uri("format=csv")).unwrap(), Some(Download::Csv(None)));
        assert_eq!(download(&uri("format=svg&figure=f")).unwrap(), Some(Download::Svg("f".into())));
        assert!(download(&uri("format=svg")).is_err());
        assert!(download(&uri("format=xml")).unwrap_err().detail.contains("csv"));
        assert_eq!(download(&uri("page=2")).unwrap(), None);
    }
}
