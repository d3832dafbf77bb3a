//! Editing forms: a whole agreement as a JSON document, and the small forms for the
//! common changes (a member joins or leaves, a source is added). Every form is checked
//! as the API checks its body, and needs an editor token.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup};
use pactbase_model::{Agreement, AgreementKind, Ccode, StateIndex, Vocabulary};
use pactbase_store::Role;
use serde::Deserialize;

use crate::error::ApiError;
use crate::validate::{self, Addition};
use crate::{auth, with_store, Shared};

use super::{layout, page, PageError, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/agreements/new", get(new_form).post(new_submit))
        .route("/agreements/{id}/edit", get(edit_form).post(edit_submit))
        .route("/agreements/{id}/members", post(member_submit))
        .route("/agreements/{id}/sources", post(source_submit))
        .route("/agreements/{id}/departures", post(departure_submit))
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

fn document_page(write: &Write, document: &str, errors: &[crate::error::FieldError], message: Option<&str>) -> Markup {
    html! {
        h1 { (write.title()) }
        p { "Editing needs a token with the editor role (" code { "pactbase user add NAME --role editor" } "). The whole document is validated; nothing is stored unless all of it is valid"
            @if matches!(write, Write::Edit { .. }) { ", and a change based on an old version is refused" } "." }
        @if matches!(write, Write::Create) {
            p { "Fill in the template: a slug " code { "id" } " (lowercase letters, digits, '-'), the name, at least one of the kinds ("
                (AgreementKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "))
                "), a summary in your own words, the members (a COW code, abbreviation, ISO code or name: " a href="/api/v1/states" { "the list of states" } "; stored as COW codes), and a source (with a url or a reference) for every fact, cited by its key. Dates are YYYY, YYYY-MM or YYYY-MM-DD. The fields are those of the registry's data files (data/README.md) and of " code { "GET /api/v1/agreements/ID" } "." }
        }
        @if let Some(m) = message { p.error role="alert" { (m) } }
        @if !errors.is_empty() {
            div.error role="alert" {
                p { "Nothing was stored. Fix these fields:" }
                ul { @for e in errors { li { code { (e.field) } ": " (e.message) } } }
            }
        }
        form.edit method="post" action=(write.action()) {
            @if let Some(version) = write.version() {
                input type="hidden" name="version" value=(version);
            }
            label for="token" { "Editor token" }
            input #token type="password" name="token" autocomplete="off" required;
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
    { "ccode": "", "joined": "2025", "left": null, "role": "founding", "source": "text", "note": null, "suspensions": [] },
    { "ccode": "", "joined": "2025", "left": null, "role": "founding", "source": "text", "note": null, "suspensions": [] }
  ],
  "obligations": [
    { "type": "consultation", "from": "all", "toward": "all", "conditional": false, "article": null, "note": null, "source": "text" }
  ],
  "atop_exceptions": []
}"#;

async fn new_form() -> Html<String> {
    let target = Write::Create;
    layout(&target.title(), document_page(&target, NEW_AGREEMENT, &[], None))
}

async fn edit_form(State(state): State<Shared>, Path(id): Path<String>) -> PageResult {
    page(&state, move |store, _| {
        let v = store.agreement_versioned(&id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let doc = serde_json::to_string_pretty(&v.agreement).map_err(ApiError::internal)?;
        let target = Write::Edit { id, version: v.version };
        Ok((target.title(), document_page(&target, &doc, &[], None)))
    })
    .await
}

#[derive(Deserialize)]
struct DocumentSubmission {
    token: String,
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
        let fail = |status: StatusCode, errors: Vec<crate::error::FieldError>, message: Option<String>| {
            let markup = document_page(&target, &f.document, &errors, message.as_deref());
            Ok((status, layout(&target.title(), markup)).into_response())
        };
        let user = match auth::authorize(store, &app.tokens, f.token.trim(), Role::Editor) {
            Ok(u) => u,
            Err(e) => return fail(e.status, Vec::new(), Some(e.detail)),
        };
        let replacing = match &target {
            Write::Create => None,
            Write::Edit { id, .. } => Some(id.as_str()),
        };
        let agreement = match validate::document(f.document.as_bytes(), &*app.cache.index(store)?, replacing) {
            Ok((a, _)) => a,
            Err(e) => return fail(e.status, e.fields, None),
        };
        let written = match &target {
            Write::Create => store.create_agreement(&agreement, &user.name),
            Write::Edit { version, .. } => store.update_agreement(&agreement, *version, &user.name),
        };
        match written {
            Ok(_) => Ok(Redirect::to(&format!("/agreements/{}", agreement.id)).into_response()),
            Err(e) => {
                let e = ApiError::from(e);
                fail(e.status, Vec::new(), Some(e.detail))
            }
        }
    })
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}

/// A new member or source as the forms send it (each form sends its own fields).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AdditionForm {
    token: String,
    version: i64,
    // A member.
    state: String,
    joined: String,
    left: String,
    role: String,
    source: String,
    note: String,
    // A source.
    key: String,
    title: String,
    publisher: String,
    url: String,
    reference: String,
    consulted: String,
}

impl AdditionForm {
    /// The item as a document holds it; blank optional fields are absent.
    fn item(&self, addition: Addition) -> serde_json::Value {
        let optional = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
        match addition {
            Addition::Member => serde_json::json!({
                "ccode": self.state.trim(),
                "joined": self.joined.trim(),
                "left": optional(&self.left),
                "role": self.role,
                "source": self.source,
                "note": optional(&self.note),
            }),
            Addition::Source => serde_json::json!({
                "key": self.key.trim(),
                "title": self.title.trim(),
                "publisher": self.publisher.trim(),
                "url": optional(&self.url),
                "reference": optional(&self.reference),
                "consulted": optional(&self.consulted),
            }),
        }
    }
}

const DATE_PATTERN: &str = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?";

/// The form that adds one member or source to `a`; the whole agreement is checked as any
/// change is.
pub(super) fn addition_form(a: &Agreement, version: i64, addition: Addition, f: &AdditionForm) -> Markup {
    let what = addition.field();
    let id = |name: &str| format!("{what}-{name}");
    let field = |name: &str, label: &str, value: &str, required: bool| {
        html! {
            label for=(id(name)) { (label) }
            input id=(id(name)) name=(name) value=(value) required[required];
        }
    };
    html! {
        form.edit method="post" action=(format!("/agreements/{}/{what}s", a.id)) {
            input type="hidden" name="version" value=(version);
            @match addition {
                Addition::Member => {
                    (field("state", "State (COW code, abbreviation, ISO code or name)", &f.state, true))
                    label for=(id("joined")) { "Joined (YYYY, YYYY-MM or YYYY-MM-DD)" }
                    input id=(id("joined")) name="joined" value=(f.joined) required pattern=(DATE_PATTERN);
                    label for=(id("left")) { "Left (blank: still a member)" }
                    input id=(id("left")) name="left" value=(f.left) pattern=(DATE_PATTERN);
                    label for=(id("role")) { "Role" }
                    select id=(id("role")) name="role" {
                        @for r in pactbase_model::Role::ALL {
                            option value=(r.as_str()) selected[r.as_str() == if f.role.is_empty() { "acceded" } else { f.role.as_str() }] { (r.as_str()) }
                        }
                    }
                    label for=(id("source")) { "Source (add a new one first with the form below)" }
                    select id=(id("source")) name="source" {
                        @for src in &a.sources { option value=(src.key) selected[src.key == f.source] { (src.key) ": " (src.title) } }
                    }
                    (field("note", "Note (optional)", &f.note, false))
                }
                Addition::Source => {
                    (field("key", "Key (how memberships and obligations cite it, e.g. accession)", &f.key, true))
                    (field("title", "Title", &f.title, true))
                    (field("publisher", "Publisher", &f.publisher, true))
                    (field("url", "URL (or a reference below)", &f.url, false))
                    (field("reference", "Document reference (when there is no URL)", &f.reference, false))
                    label for=(id("consulted")) { "Consulted (YYYY-MM-DD)" }
                    input id=(id("consulted")) name="consulted" value=(f.consulted) pattern=(DATE_PATTERN);
                }
            }
            label for=(id("token")) { "Editor token" }
            input id=(id("token")) type="password" name="token" autocomplete="off" required;
            button type="submit" { @if addition == Addition::Member { "Record the member" } @else { "Add the source" } }
        }
    }
}

/// What one of the agreement page's small forms changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Add(Addition),
    /// A member leaves.
    Departure,
}

impl Change {
    fn title(self, a: &Agreement) -> String {
        match self {
            Change::Add(addition) => format!("A new {} of {}", addition.field(), a.label()),
            Change::Departure => format!("A member leaves {}", a.label()),
        }
    }

    fn form(self, a: &Agreement, version: i64, f: &AdditionForm, index: &StateIndex) -> Markup {
        match self {
            Change::Add(addition) => addition_form(a, version, addition, f),
            Change::Departure => departure_form(a, version, f, index),
        }
    }

    /// The agreement page's section to return to.
    fn anchor(self) -> &'static str {
        match self {
            Change::Add(Addition::Source) => "sources",
            _ => "parties",
        }
    }

    fn apply(self, current: &Agreement, f: &AdditionForm, index: &StateIndex) -> Result<Agreement, ApiError> {
        match self {
            Change::Add(addition) => validate::with_addition(current, addition, f.item(addition), index),
            Change::Departure => {
                let note = Some(f.note.as_str()).filter(|n| !n.trim().is_empty());
                validate::with_departure(current, &f.state, &f.left, note, index)
            }
        }
    }
}

/// The form that ends one of `a`'s open memberships.
pub(super) fn departure_form(a: &Agreement, version: i64, f: &AdditionForm, index: &StateIndex) -> Markup {
    let open: Vec<Ccode> = a.members.iter().filter(|m| m.left.is_none()).map(|m| m.ccode).collect();
    html! {
        form.edit method="post" action=(format!("/agreements/{}/departures", a.id)) {
            input type="hidden" name="version" value=(version);
            label for="departure-state" { "Member" }
            select #departure-state name="state" {
                @for c in &open { option value=(c) selected[f.state == c.to_string()] { (index.name(*c)) } }
            }
            label for="departure-left" { "Left (YYYY, YYYY-MM or YYYY-MM-DD)" }
            input #departure-left name="left" value=(f.left) required pattern=(DATE_PATTERN);
            label for="departure-note" { "Note, with the document that records it (added to the membership's note)" }
            input #departure-note name="note" value=(f.note);
            label for="departure-token" { "Editor token" }
            input #departure-token type="password" name="token" autocomplete="off" required;
            button type="submit" { "Record the departure" }
        }
    }
}

async fn departure_submit(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Form(f): Form<AdditionForm>,
) -> Response {
    change_submit(state, id, Change::Departure, f).await
}

async fn member_submit(State(state): State<Shared>, Path(id): Path<String>, Form(f): Form<AdditionForm>) -> Response {
    change_submit(state, id, Change::Add(Addition::Member), f).await
}

async fn source_submit(State(state): State<Shared>, Path(id): Path<String>, Form(f): Form<AdditionForm>) -> Response {
    change_submit(state, id, Change::Add(Addition::Source), f).await
}

/// Stores the change, then shows the agreement; on any problem shows the form again with
/// what was sent.
async fn change_submit(state: Shared, id: String, change: Change, f: AdditionForm) -> Response {
    let result = with_store(&state, move |store, app| {
        let current = store.agreement(&id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let title = change.title(&current);
        let index = app.cache.index(store)?;
        let fail = |status: StatusCode, errors: Vec<crate::error::FieldError>, message: Option<String>| {
            let markup = html! {
                h1 { (title) }
                @if let Some(m) = &message { p.error role="alert" { (m) } }
                @if !errors.is_empty() {
                    div.error role="alert" {
                        p { "Nothing was stored. Fix these fields:" }
                        ul { @for e in &errors { li { code { (e.field) } ": " (e.message) } } }
                    }
                }
                (change.form(&current, f.version, &f, &index))
                p { a href=(format!("/agreements/{id}")) { "Back to the agreement" } }
            };
            Ok((status, layout(&title, markup)).into_response())
        };
        let user = match auth::authorize(store, &app.tokens, f.token.trim(), Role::Editor) {
            Ok(u) => u,
            Err(e) => return fail(e.status, Vec::new(), Some(e.detail)),
        };
        let agreement = match change.apply(&current, &f, &index) {
            Ok(a) => a,
            Err(e) => return fail(e.status, e.fields, None),
        };
        match store.update_agreement(&agreement, f.version, &user.name) {
            Ok(_) => Ok(Redirect::to(&format!("/agreements/{id}#{}", change.anchor())).into_response()),
            Err(e) => {
                let e = ApiError::from(e);
                fail(e.status, Vec::new(), Some(e.detail))
            }
        }
    })
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}
