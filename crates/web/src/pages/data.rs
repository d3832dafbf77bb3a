//! `/data`: every research dataset of the catalogue with its version, coverage, where it
//! comes from, whether it is imported (and as which files), and how to cite it. Every
//! section that lacks a dataset links here.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_model::research::Dataset;
use pactbase_model::YearSpan;
use pactbase_service::catalogue::catalogue;
use pactbase_service::datasets::{datasets, ImportStatus};

use crate::Shared;

use super::tables::{data_table, Cell, DataTable};
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/data", get(data))
}

/// A note for a section that lacks a dataset: what is missing, and where to get it.
pub(super) fn missing_note(detail: &str) -> Markup {
    html! { p.note { (detail) " " a href="/data" { "About the research datasets and how to fetch them" } } }
}

/// "Needs X: `pactbase data fetch x`" for a section that lacks `dataset`.
pub(super) fn needs(what: &str, dataset: Dataset) -> Markup {
    missing_note(&format!("{what} need {}: run `pactbase data fetch {dataset}`.", catalogue().get(dataset).title))
}

async fn data(State(state): State<Shared>) -> PageResult {
    page(&state, |store, _| {
        let listed = datasets(store)?;
        let body = html! {
            h1 { "Research datasets" }
            p { "pactbase joins its curated registry with the field's research datasets. It does not redistribute them: "
                code { "pactbase data fetch --all" } " downloads those whose publishers serve a stable file, checks every file against the SHA-256 below and imports it; the others come from a copy you have, "
                code { "pactbase data fetch --all --from DIR" } " (a folder or URL laid out like the paths below). A running server shows imported data at once." }
            (data_table(DataTable {
                id: "datasets",
                caption: html! { "Every dataset pactbase knows" },
                headers: ["Dataset", "Version", "Years", "Comes from", "Imported"].map(String::from).to_vec(),
                rows: listed.iter().map(|d| {
                    let e = d.entry;
                    vec![
                        Cell::markup(html! { a href=(format!("#{}", e.dataset)) { (e.title) } br; code { (e.dataset) } }, e.title.clone()),
                        Cell::text(e.version.clone()),
                        Cell::text(YearSpan::closed(e.coverage.0, e.coverage.1).to_string()),
                        if e.fetchable() { Cell::text("the publisher") } else { Cell::markup(html! { "a copy (" code { "--from" } ")" }, "a copy (--from)") },
                        match d.imported_at() {
                            Some(at) if d.status == ImportStatus::AsCatalogued => Cell::text(format!("{at} UTC")),
                            Some(at) => Cell::text(format!("{at} UTC ({})", d.status.as_str())),
                            None => Cell::markup(html! { "not imported: " code { "pactbase data fetch " (e.dataset) } }, ""),
                        },
                    ]
                }).collect(),
                stack: true,
            }))
            @for e in catalogue().entries() {
                section aria-labelledby=(e.dataset) {
                    h2 #(e.dataset) { (e.title) }
                    dl {
                        dt { "Publisher" } dd { (e.publisher) ", " a href=(e.homepage) rel="noreferrer" { (e.homepage) } }
                        dt { "Version" } dd { (e.version) ", " (e.coverage.0) "–" (e.coverage.1) }
                        dt { "Terms of use" } dd { (e.terms) }
                        dt { "The files" } dd { (e.note) }
                        @if let Some(d) = &e.download { dt { "Download" } dd { code { (d.url) } } }
                        dt { "Cite as" } dd { (e.citation) }
                    }
                    table {
                        caption { "Pinned files (path in a copy, SHA-256)" }
                        tbody { @for f in &e.files { tr { td { code { (f.path) } } td { code.hash { (f.sha256) } } } } }
                    }
                    details { summary { "BibTeX" } pre { (e.bibtex.trim()) } }
                }
            }
        };
        Ok(("Research datasets".into(), body))
    })
    .await
}
