//! Server-rendered pages. Every page works without JavaScript (links and GET forms);
//! `static/app.js` only makes the network explorer update without a reload. Markup is
//! built with maud, which escapes every value.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use maud::{html, Markup, DOCTYPE};
use pactbase_store::Store;

use crate::error::ApiError;
use crate::{with_store, AppState, Shared};

mod agreement;
mod audit;
mod case_studies;
mod changes;
mod compare;
mod country;
mod data;
mod editing;
mod home;
mod network;
mod parts;

pub(crate) use country::prepare_featured;

/// The state the home page features.
const FEATURED: &str = "PAK";

pub fn routes() -> Router<Shared> {
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
            s if s.is_client_error() => "Cannot show this",
            _ => "Something went wrong",
        };
        let data = self.0.status == StatusCode::SERVICE_UNAVAILABLE;
        let body = layout(
            title,
            html! {
                h1 { (title) }
                @if data { (data::missing_note(&self.0.detail)) } @else { p { (self.0.detail) } }
                p { a href="/" { "Back to the home page" } }
            },
        );
        (self.0.status, body).into_response()
    }
}

type PageResult = Result<Response, PageError>;

/// Runs `f` on the blocking pool and wraps its markup in a page.
async fn page<F>(state: &Shared, f: F) -> PageResult
where
    F: FnOnce(&mut Store, &AppState) -> Result<(String, Markup), ApiError> + Send + 'static,
{
    let (title, body) = with_store(state, f).await?;
    Ok(layout(&title, body).into_response())
}

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
                            li { a href="/countries/PAK" { "Pakistan" } }
                            li { a href="/network" { "Network" } }
                            li { a href="/case-studies" { "Case studies" } }
                            li { a href="/compare" { "Compare" } }
                            li { a href="/trends" { "Trends" } }
                            li { a href="/audit" { "Changes" } }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer.site {
                    p { "pactbase: a sourced registry of defense agreements. Data: the curated registry and, where imported, ATOP, COW, MME, SIPRI and strategic rivalries. "
                        a href="/data" { "Research datasets" } " · " a href="/api/openapi.json" { "API (OpenAPI)" } }
                }
            }
        }
    };
    Html(markup.into_string())
}
