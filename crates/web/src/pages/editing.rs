//! The document editor: a new agreement, or a whole agreement, as a JSON document, checked
//! as the API checks its body (the small forms for common changes are in `changes`).

use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup};
use pactbase_model::{AgreementKind, Vocabulary};
use pactbase_store::Role;
use serde::Deserialize;

use crate::error::ApiError;
use crate::params::Path;
use crate::validate::{self};
use crate::{with_store, Shared};

use super::context;
use super::parts::{refusal, store_as_editor};
use super::sign_in::{csrf_field, form_user, sign_in_to_edit};
use super::{layout, page, PageError, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/agreements/new", get(new_form).post(new_submit))
        .route("/agreements/{id}/edit", get(edit_form).post(edit_submit))
}

/// What a document form writes: a new agreement, or a version of an existing one.
#[derive(Clone)]
enum Write {
    Create,
    Edit { id: String, version: i64 },
}

impl Write {
    fn title(&self) -> String {
        match self {
            Write::Create => "New agreement".into(),
            Write::Edit { id, .. } => format!("Edit {id}"),
        }
    }

    fn version(&self) -> Option<i64> {
        match self {
            Write::Create => None,
            Write::Edit { version, .. } => Some(*version),
        }
    }

    fn action(&self) -> String {
        match self {
            Write::Create => "/agreements/new".into(),
            Write::Edit { id, .. } => format!("/agreements/{id}/edit"),
        }
    }
}

fn document_page(write: &Write, document: &str, refused: Option<&ApiError>) -> Markup {
    html! {
        h1 { (write.title()) }
        p { "Editing needs an editor signed in (with a token from " code { "pactbase user add NAME --role editor" } "). The whole document is validated; nothing is stored unless all of it is valid"
            @if matches!(write, Write::Edit { .. }) { ", and a change based on an old version is refused" } "." }
        @if context::signed_in().is_none() {
            (sign_in_to_edit())
        } @else {
            (document_form(write, document, refused))
        }
    }
}

fn document_form(write: &Write, document: &str, refused: Option<&ApiError>) -> Markup {
    html! {
        @if matches!(write, Write::Create) {
            p { "Fill in the template: a slug " code { "id" } " (lowercase letters, digits, '-'), the name, at least one of the kinds ("
                (AgreementKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "))
                "), a summary in your own words, the members (a COW code, abbreviation, ISO code or name: " a href="/api/v1/states" { "the list of states" } "; stored as COW codes), and a source (with a url or a reference) for every fact, cited by its key. Dates are YYYY, YYYY-MM or YYYY-MM-DD. The fields are those of the registry's data files and of " code { "GET /api/v1/agreements/ID" } " (" a href="/glossary#registry" { "terms" } ")." }
        }
        @if let Some(e) = refused { (refusal(e)) }
        form.edit method="post" action=(write.action()) {
            @if let Some(version) = write.version() {
                input type="hidden" name="version" value=(version);
            }
            (csrf_field())
            label for="document" { "Agreement document (JSON; states by COW code, abbreviation or name)" }
            textarea #document name="document" rows="30" spellcheck="false" { (document) }
            button type="submit" { @if matches!(write, Write::Create) { "Create" } @else { "Save" } }
        }
    }
}

/// A new agreement's document: the shape to fill in, refused as it stands (no members;
/// then no id, name, kind or summary).
const NEW_AGREEMENT: &str = r#"{
  "id": "",
  "name": "",
  "short_names": [],
  "kinds": [],
  "signed": "2025",
  "in_force": null,
  "ended": null,
  "status": "in-force",
  "region": "",
  "depositary": null,
  "atopid": null,
  "summary": "",
  "text": null,
  "provisions": {
    "foreign_bases": null,
    "integrated_command": null,
    "military_aid": null,
    "technology_transfer": null,
    "intelligence_sharing": null,
    "joint_exercises": null,
    "arms_limits": null,
    "organisation": null
  },
  "sources": [
    { "key": "text", "title": "", "publisher": "", "url": null, "reference": null, "consulted": null }
  ],
  "members": [
    { "ccode": "", "joined": "2025", "left": null, "role": "founding", "source": "text", "note": null, "suspensions": [], "before_signature": null },
    { "ccode": "", "joined": "2025", "left": null, "role": "founding", "source": "text", "note": null, "suspensions": [], "before_signature": null }
  ],
  "obligations": [
    { "type": "consultation", "from": "all", "toward": "all", "conditional": false, "article": null, "note": null, "source": "text" }
  ],
  "atop_exceptions": []
}"#;

async fn new_form() -> Html<String> {
    let target = Write::Create;
    layout(&target.title(), document_page(&target, NEW_AGREEMENT, None))
}

async fn edit_form(State(state): State<Shared>, Path(id): Path<String>) -> PageResult {
    page(&state, move |store, _| {
        let v = store.agreement_versioned(&id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let doc = serde_json::to_string_pretty(&v.agreement).map_err(ApiError::internal)?;
        let target = Write::Edit { id, version: v.version };
        Ok((target.title(), document_page(&target, &doc, None)))
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DocumentSubmission {
    csrf: String,
    document: String,
    /// Only when editing.
    version: Option<i64>,
}

async fn new_submit(State(state): State<Shared>, Form(f): Form<DocumentSubmission>) -> Response {
    submit(state, Write::Create, f).await
}

async fn edit_submit(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Form(f): Form<DocumentSubmission>,
) -> Response {
    let Some(version) = f.version else {
        return PageError(ApiError::bad_request("the form lost the version it edits: reload the page")).into_response();
    };
    submit(state, Write::Edit { id, version }, f).await
}

/// Stores a submitted document (after the same checks as the API), then shows the
/// agreement; on any problem shows the form again with the document as sent.
async fn submit(state: Shared, target: Write, f: DocumentSubmission) -> Response {
    let result = with_store(&state, move |store, app| {
        let user = match form_user(store, &f.csrf, Role::Editor) {
            Ok(user) => user,
            Err(refused) => return Ok(PageError(refused).into_response()),
        };
        let replacing = match &target {
            Write::Create => None,
            Write::Edit { id, .. } => Some(id.as_str()),
        };
        let stored = store_as_editor(
            store,
            app,
            &user,
            |index| validate::document(f.document.as_bytes(), index, replacing).map(|(a, _)| a),
            |store, a, user| match &target {
                Write::Create => store.create_agreement(a, user),
                Write::Edit { version, .. } => store.update_agreement(a, *version, user),
            },
        );
        Ok(match stored {
            Ok(a) => Redirect::to(&format!("/agreements/{}", a.id)).into_response(),
            Err(e) => {
                (e.status, layout(&target.title(), document_page(&target, &f.document, Some(&e)))).into_response()
            }
        })
    })
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}
