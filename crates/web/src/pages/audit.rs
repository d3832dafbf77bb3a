//! The change log, and an admin's revert.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use pactbase_service::catalogue::catalogue;
use pactbase_store::{AuditSummary, Import, Role};
use serde::Deserialize;

use crate::params::{Path, Q};
use crate::{with_store, Shared};

use super::context;
use super::parts::agreement_link;
use super::sign_in::{csrf_field, form_user};
use super::tables::{data_table, Cell, DataTable};
use super::{page, PageError, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/audit", get(audit)).route("/audit/{id}/revert", post(revert_submit))
}

pub(super) fn audit_table(entries: &[AuditSummary], revert: bool) -> Markup {
    html! {
        table.audit {
            thead { tr { th scope="col" { "#" } th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Change" } th scope="col" { "Agreement" } th scope="col" { "Fields" } @if revert { th scope="col" { "Revert" } } } }
            tbody {
                @for e in entries {
                    tr {
                        td { a href=(format!("/api/v1/audit/{}", e.id)) title="The whole documents before and after (JSON)" { (e.id) } }
                        td { (e.at) }
                        td { (e.user) }
                        td { (e.action) @if let Some(r) = e.reverts { " of #" (r) } " (v" (e.version_before.map(|v| v.to_string()).unwrap_or_else(|| "–".into())) " → v" (e.version_after.map(|v| v.to_string()).unwrap_or_else(|| "–".into())) ")" }
                        td { (agreement_link(&e.agreement_id, &e.agreement_id)) }
                        td { (changed_fields(e)) }
                        @if revert {
                            td {
                                form.inline method="post" action=(format!("/audit/{}/revert", e.id)) {
                                    (csrf_field())
                                    button type="submit" aria-label=(format!("Revert change #{}", e.id)) { "Revert" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Every import of a research dataset, newest first (a later import replaces the data;
/// the log keeps each).
fn imports_table(imports: &[Import]) -> Markup {
    data_table(DataTable {
        id: "imports",
        caption: html! { "Imports of research datasets, newest first" },
        headers: ["When (UTC)", "Dataset", "Version", "Files", "Rows"].map(String::from).to_vec(),
        rows: imports
            .iter()
            .map(|i| {
                let title = &catalogue().get(i.dataset).title;
                vec![
                    Cell::text(i.imported_at.clone()),
                    Cell::markup(html! { a href=(format!("/data#{}", i.dataset)) { (title) } }, title.clone()),
                    Cell::text(i.version.clone()),
                    Cell::text(i.files.to_string()),
                    Cell::text(i.rows.to_string()),
                ]
            })
            .collect(),
        stack: true,
    })
}

/// The changed values' paths (the whole agreement for a creation or removal).
fn changed_fields(e: &AuditSummary) -> String {
    let mut paths: Vec<&str> =
        e.changes.iter().map(|c| if c.path.is_empty() { "the whole agreement" } else { c.path.as_str() }).collect();
    let more = (e.more_changes > 0).then(|| format!("and {} more", e.more_changes));
    paths.extend(more.as_deref());
    paths.join(", ")
}

#[derive(Deserialize)]
struct ChangesQuery {
    after: Option<i64>,
}

/// Entries on one page of the change log.
const PAGE: usize = 50;

async fn audit(State(state): State<Shared>, Q(q): Q<ChangesQuery>) -> PageResult {
    page(&state, move |store, _| {
        let admin = context::signed_in().is_some_and(|s| s.role == Role::Admin);
        let entries = store.audit_page(None, q.after, PAGE)?;
        let older = (entries.len() == PAGE).then(|| entries.last().map(|e| e.id)).flatten();
        let imports = store.imports(200)?;
        let body = html! {
            h1 { "Changes" }
            p { "Every change made through the API or the edit pages, newest first: who, when, and which values; below, every import of a research dataset. An admin, signed in, can revert the latest change of an agreement. "
                a href="/api/v1/audit" { "As JSON" } " (each entry's number links to its whole documents before and after). " a href="/agreements/new" { "Add an agreement" } "." }
            @if entries.is_empty() { p { "No changes yet." } } @else { (audit_table(&entries, admin)) }
            nav aria-label="Pages of changes" {
                @if q.after.is_some() { a href="/audit" { "Newest changes" } " " }
                @if let Some(id) = older { a href=(format!("/audit?after={id}")) rel="next" { "Older changes" } }
            }
            section aria-labelledby="imports" {
                h2 #imports { "Research data imports" }
                @if imports.is_empty() { p { "No research dataset imported yet. " a href="/data" { "How to fetch them" } } }
                @else { (imports_table(&imports)) }
            }
        };
        Ok(("Changes".into(), body))
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RevertSubmission {
    csrf: String,
}

async fn revert_submit(State(state): State<Shared>, Path(id): Path<i64>, Form(f): Form<RevertSubmission>) -> Response {
    let result = with_store(&state, move |store, _| {
        let user = match form_user(store, &f.csrf, Role::Admin) {
            Ok(user) => user,
            Err(refused) => return Ok(PageError(refused).into_response()),
        };
        store.revert(id, &user.name)?;
        Ok(Redirect::to("/audit").into_response())
    })
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}
