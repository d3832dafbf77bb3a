//! Server-rendered pages. Every page works without JavaScript (links and GET forms);
//! `static/app.js` makes the network explorer update without a reload and draws charts as
//! PNG. Markup is built with maud, which escapes every value. Every page built by [`page`]
//! ends with its "data as of" stamp and citation, and answers `?format=csv&table=ID` and
//! `?format=svg&figure=ID` with one of its tables or figures (`context`).

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use maud::{html, Markup, DOCTYPE};
use pactbase_store::Store;

use crate::error::ApiError;
use crate::{with_store, AppState, Shared};

mod agreement;
mod agreements;
mod audit;
mod case_studies;
mod changes;
mod cite;
mod compare;
pub(crate) mod context;
mod countries;
mod country;
mod data;
mod editing;
mod figures;
mod glossary;
mod home;
mod methods;
mod network;
mod parts;
mod sign_in;
mod tables;

pub(crate) use cite::Stamp;
pub(crate) use country::prepare_featured;

/// The state the home page features.
const FEATURED: &str = "PAK";

pub fn routes(state: Shared) -> Router<Shared> {
    Router::new()
        .merge(home::routes())
        .merge(agreement::routes())
        .merge(editing::routes())
        .merge(changes::routes())
        .merge(audit::routes())
        .merge(country::routes())
        .merge(network::routes())
        .merge(case_studies::routes())
        .merge(compare::routes())
        .merge(data::routes())
        .merge(agreements::routes())
        .merge(countries::routes())
        .merge(glossary::routes())
        .merge(methods::routes())
        .merge(sign_in::routes())
        .route_layer(axum::middleware::from_fn_with_state(state, context::capture))
}

/// An error shown as a page, with the status of the API error it wraps.
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.0.status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::SERVICE_UNAVAILABLE => "Data not imported",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::TOO_MANY_REQUESTS => "Too many failed sign-ins",
            s if s.is_client_error() => "Cannot show this",
            _ => "Something went wrong",
        };
        let data = self.0.status == StatusCode::SERVICE_UNAVAILABLE;
        let refused = self.0.status == StatusCode::FORBIDDEN;
        let body = layout(
            title,
            html! {
                h1 { (title) }
                @if data { (data::missing_note(&self.0.detail)) } @else { p role=[refused.then_some("alert")] { (self.0.detail) } }
                @if refused && context::signed_in().is_none() { p { a href=(sign_in::link()) { "Sign in" } } }
                p { a href="/" { "Back to the home page" } }
            },
        );
        let mut response = (self.0.status, body).into_response();
        if let Some(seconds) = self.0.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// Errors that reach a browser outside the API — unknown pages and methods, unreadable
/// parameters, which the router and the extractors answer as JSON — shown as pages. The
/// API, and any client that asks for JSON, keeps the JSON.
pub async fn errors_as_pages(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let wants_json = accept.contains("application/json") && !accept.contains("text/html");
    let for_page = !req.uri().path().starts_with("/api/") && !wants_json;
    let response = next.run(req).await;
    let json =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let failed = response.status().is_client_error() || response.status().is_server_error();
    if !(for_page && json && failed) {
        return response;
    }
    let (parts, body) = response.into_parts();
    #[derive(serde::Deserialize)]
    struct Body {
        detail: String,
    }
    let detail = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => serde_json::from_slice::<Body>(&bytes).map(|b| b.detail).unwrap_or_default(),
        Err(_) => String::new(),
    };
    let mut error = ApiError::new(parts.status, "page", detail);
    error.retry_after = parts.headers.get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()?.parse().ok());
    let mut page = PageError(error).into_response();
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        page.headers_mut().insert(header::ALLOW, allow.clone());
    }
    page
}

type PageResult = Result<Response, PageError>;

/// Runs `f` on the blocking pool and wraps its markup in a page with its stamp and
/// citation; or answers with the table or figure the request asks for.
async fn page<F>(state: &Shared, f: F) -> PageResult
where
    F: FnOnce(&mut Store, &AppState) -> Result<(String, Markup), ApiError> + Send + 'static,
{
    let request = context::request();
    let asked = request.download.clone();
    let (title, body, stamp, rendered) = with_store(state, move |store, app| {
        let (out, rendered) = context::rendering(asked, || f(store, app));
        let (title, body) = out?;
        Ok((title, body, app.cache.stamp(store)?, rendered))
    })
    .await?;
    if let Some(asked) = &request.download {
        return match rendered.file {
            Some(file) => Ok(file_response(file, &request.path)),
            None => Err(ApiError::not_found(missing_download(asked, &rendered)).into()),
        };
    }
    Ok(layout(&title, html! { (body) (cite::foot(&title, &stamp, &request)) }).into_response())
}

/// A table or figure as a file named after the page.
fn file_response(file: context::File, path: &str) -> Response {
    let page: String =
        path.split('?').next().unwrap_or_default().split('/').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    let extension = if file.content_type.starts_with("text/csv") { "csv" } else { "svg" };
    let name: String = format!("{}-{}", if page.is_empty() { "home" } else { &page }, file.name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    (
        [
            (header::CONTENT_TYPE, file.content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{extension}\"")),
        ],
        file.body,
    )
        .into_response()
}

fn missing_download(asked: &context::Download, rendered: &context::Rendered) -> String {
    let (what, id, have) = match asked {
        context::Download::Csv(id) => ("table", id.as_deref(), &rendered.tables),
        context::Download::Svg(id) => ("figure", Some(id.as_str()), &rendered.figures),
    };
    let listed =
        if have.is_empty() { format!("it has no {what}s") } else { format!("its {what}s: {}", have.join(", ")) };
    match id {
        Some(id) => format!("this page has no {what} `{id}`; {listed}"),
        None => format!("this page has no {what} to download"),
    }
}

/// The page around `body` (pages without data, as forms and errors, have no stamp).
fn layout(title: &str, body: Markup) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · pactbase" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    a.brand href="/" { "pactbase" }
                    nav aria-label="Main" {
                        ul {
                            li { a href="/agreements" { "Agreements" } }
                            li { a href="/countries" { "Countries" } }
                            li { a href="/countries/PAK" { "Pakistan" } }
                            li { a href="/network" { "Network" } }
                            li { a href="/case-studies" { "Case studies" } }
                            li { a href="/compare" { "Compare" } }
                            li { a href="/trends" { "Trends" } }
                            li { a href="/audit" { "Changes" } }
                            li { a href="/glossary" { "Glossary" } }
                        }
                    }
                    (sign_in::account())
                }
                main #main tabindex="-1" { (body) }
                footer.site {
                    p { "pactbase: a sourced registry of defense agreements. Data: the curated registry and, where imported, ATOP, COW, MME, SIPRI and strategic rivalries. "
                        a href="/data" { "Research datasets" } " · " a href="/methods" { "Methods" } " · " a href="/glossary" { "Glossary" } " · " a href="/api/openapi.json" { "API (OpenAPI)" } }
                }
            }
        }
    };
    Html(markup.into_string())
}
