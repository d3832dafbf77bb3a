//! The change log, and an admin's revert.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use pactbase_service::catalogue::catalogue;
use pactbase_store::{Import, Role};
use serde::Deserialize;

use crate::{auth, with_store, Shared};

use super::parts::agreement_link;
use super::tables::{data_table, Cell, DataTable};
use super::{page, PageError, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/audit", get(audit)).route("/audit/{id}/revert", post(revert_submit))
}

pub(super) fn audit_table(entries: &[pactbase_store::AuditEntry], revert: bool) -> Markup {
    html! {
        table.audit {
            thead { tr { th scope="col" { "#" } th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Change" } th scope="col" { "Agreement" } th scope="col" { "Fields" } @if revert { th scope="col" { "Revert" } } } }
            tbody {
                @for e in entries {
                    tr {
                        td { (e.id) }
                        td { (e.at) }
                        td { (e.user) }
                        td { (e.action) @if let Some(r) = e.reverts { " of #" (r) } " (v" (e.version_before.map(|v| v.to_string()).unwrap_or_else(|| "–".into())) " → v" (e.version_after.map(|v| v.to_string()).unwrap_or_else(|| "–".into())) ")" }
                        td { (agreement_link(&e.agreement_id, &e.agreement_id)) }
                        td { (changed_fields(e).join(", ")) }
                        @if revert {
                            td {
                                form.inline method="post" action=(format!("/audit/{}/revert", e.id)) {
                                    label { span.visually-hidden { "Admin token to revert #" (e.id) } input type="password" name="token" autocomplete="off" placeholder="admin token" required; }
                                    button type="submit" { "Revert" }
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

/// Top-level fields whose values differ between before and after.
fn changed_fields(e: &pactbase_store::AuditEntry) -> Vec<String> {
    let empty = serde_json::Map::new();
    let before = e.before.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let after = e.after.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter().filter(|k| before.get(*k) != after.get(*k)).cloned().collect()
}

async fn audit(State(state): State<Shared>) -> PageResult {
    page(&state, |store, _| {
        let entries = store.audit_log(None, 200)?;
        let imports = store.imports(200)?;
        let body = html! {
            h1 { "Changes" }
            p { "Every change made through the API or the edit pages, newest first: who, when, and which fields; below, every import of a research dataset. An admin can revert the latest change of an agreement. "
                a href="/api/v1/audit" { "As JSON, with the whole documents before and after" } ". " a href="/agreements/new" { "Add an agreement" } "." }
            @if entries.is_empty() { p { "No changes yet." } } @else { (audit_table(&entries, true)) }
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

#[derive(Deserialize)]
struct RevertSubmission {
    token: String,
}

async fn revert_submit(State(state): State<Shared>, Path(id): Path<i64>, Form(f): Form<RevertSubmission>) -> Response {
    let result = with_store(&state, move |store, app| {
        let user = auth::authorize(store, &app.tokens, f.token.trim(), Role::Admin)?;
        store.revert(id, &user.name)?;
        Ok(Redirect::to("/audit").into_response())
    })
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}
