//! The agreement page's small forms for the common changes, so that editors need not
//! write JSON: a member joins or leaves, a source is added, an obligation is added or
//! removed, the provisions are set. Each builds the changed agreement and checks it whole
//! as the API does (`validate`), and is stored as a versioned, audited change.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use maud::{html, Markup};
use pactbase_model::{Agreement, ObligationType, Role as MemberRole, StateIndex, Vocabulary};
use pactbase_store::Role;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, FieldError};
use crate::params::Path;
use crate::validate::{self, Addition};
use crate::{with_store, Shared};

use super::parts::{obligation_text, refusal, store_as_editor};
use super::sign_in::{csrf_field, form_user};
use super::{layout, PageError};

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/agreements/{id}/members", post(member_submit))
        .route("/agreements/{id}/sources", post(source_submit))
        .route("/agreements/{id}/departures", post(departure_submit))
        .route("/agreements/{id}/obligations", post(obligation_submit))
        .route("/agreements/{id}/obligations/remove", post(obligation_removal_submit))
        .route("/agreements/{id}/provisions", post(provisions_submit))
}

/// The forms of an agreement page, each folded in a `details` until opened (for a
/// signed-in editor; the page shows readers a sign-in link instead).
pub(super) fn change_forms(a: &Agreement, version: i64, index: &StateIndex) -> Markup {
    let blank = ChangeForm::default();
    let offered = [
        (Change::Add(Addition::Member), "Record a new member", true),
        (Change::Departure, "Record that a member left", a.members.iter().any(|m| m.left.is_none())),
        (Change::Add(Addition::Source), "Add a source", true),
        (Change::Add(Addition::Obligation), "Add an obligation", true),
        (Change::RemoveObligation, "Remove an obligation", !a.obligations.is_empty()),
        (Change::Provisions, "Set the provisions", true),
    ];
    html! {
        @for (change, summary, shown) in offered {
            @if shown {
                details.addition {
                    summary { (summary) }
                    (change.form(a, version, &blank, index))
                }
            }
        }
    }
}

/// What the forms send (each form its own fields).
#[derive(Deserialize, Default)]
#[serde(default)]
struct ChangeForm {
    csrf: String,
    version: i64,
    // A member joins or leaves.
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
    // An obligation.
    #[serde(rename = "type")]
    obligation_type: String,
    from: String,
    toward: String,
    toward_states: String,
    conditional: String,
    article: String,
    /// The obligation to remove, by its place in the list.
    obligation: String,
    /// The provisions form's choices, by provision name (`yes`, `no` or blank).
    #[serde(skip)]
    provisions: Vec<(String, String)>,
}

fn optional(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// A comma-separated list of states, as the document's `{"states": […]}`.
fn state_list(text: &str) -> Value {
    json!({ "states": text.split(',').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>() })
}

impl ChangeForm {
    /// The item as a document holds it; blank optional fields are absent.
    fn item(&self, addition: Addition) -> Value {
        match addition {
            Addition::Member => json!({
                "ccode": self.state.trim(),
                "joined": self.joined.trim(),
                "left": optional(&self.left),
                "role": self.role,
                "source": self.source,
                "note": optional(&self.note),
            }),
            Addition::Source => json!({
                "key": self.key.trim(),
                "title": self.title.trim(),
                "publisher": self.publisher.trim(),
                "url": optional(&self.url),
                "reference": optional(&self.reference),
                "consulted": optional(&self.consulted),
            }),
            Addition::Obligation => json!({
                "type": self.obligation_type,
                "from": match self.from.trim() {
                    "" | "all" => json!("all"),
                    states => state_list(states),
                },
                "toward": match self.toward.as_str() {
                    "states" => state_list(&self.toward_states),
                    "third-party" => json!("third-party"),
                    _ => json!("all"),
                },
                "conditional": !self.conditional.is_empty(),
                "article": optional(&self.article),
                "note": optional(&self.note),
                "source": self.source,
            }),
        }
    }

    /// The provisions form's choices as `validate::with_provisions` takes them.
    fn provision_changes(&self) -> Value {
        let value = |choice: &str| match choice {
            "yes" => Value::Bool(true),
            "no" => Value::Bool(false),
            "" => Value::Null,
            other => Value::from(other),
        };
        Value::Object(self.provisions.iter().map(|(name, choice)| (name.clone(), value(choice))).collect())
    }
}

const DATE_PATTERN: &str = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?";

/// What one of the agreement page's small forms changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Add(Addition),
    /// A member leaves.
    Departure,
    RemoveObligation,
    Provisions,
}

impl Change {
    fn title(self, a: &Agreement) -> String {
        match self {
            Change::Add(addition) => format!("A new {} of {}", addition.field(), a.label()),
            Change::Departure => format!("A member leaves {}", a.label()),
            Change::RemoveObligation => format!("Remove an obligation of {}", a.label()),
            Change::Provisions => format!("The provisions of {}", a.label()),
        }
    }

    /// The form's address under `/agreements/{id}/`.
    fn path(self) -> &'static str {
        match self {
            Change::Add(Addition::Member) => "members",
            Change::Add(Addition::Source) => "sources",
            Change::Add(Addition::Obligation) => "obligations",
            Change::Departure => "departures",
            Change::RemoveObligation => "obligations/remove",
            Change::Provisions => "provisions",
        }
    }

    fn button(self) -> &'static str {
        match self {
            Change::Add(Addition::Member) => "Record the member",
            Change::Add(Addition::Source) => "Add the source",
            Change::Add(Addition::Obligation) => "Add the obligation",
            Change::Departure => "Record the departure",
            Change::RemoveObligation => "Remove the obligation",
            Change::Provisions => "Save the provisions",
        }
    }

    /// The agreement page's section to return to.
    fn anchor(self) -> &'static str {
        match self {
            Change::Add(Addition::Source) => "sources",
            Change::Add(Addition::Obligation) | Change::RemoveObligation => "obligations",
            Change::Provisions => "provisions",
            Change::Add(Addition::Member) | Change::Departure => "parties",
        }
    }

    /// The form, filled in with `f` (blank, or what was sent when it is shown again).
    fn form(self, a: &Agreement, version: i64, f: &ChangeForm, index: &StateIndex) -> Markup {
        let prefix = self.path().replace('/', "-");
        let id = |name: &str| format!("{prefix}-{name}");
        let field = |name: &str, label: &str, value: &str, required: bool| {
            html! {
                label for=(id(name)) { (label) }
                input id=(id(name)) name=(name) value=(value) required[required];
            }
        };
        let date = |name: &str, label: &str, value: &str, required: bool| {
            html! {
                label for=(id(name)) { (label) }
                input id=(id(name)) name=(name) value=(value) required[required] pattern=(DATE_PATTERN);
            }
        };
        let sources = |label: &str| {
            html! {
                label for=(id("source")) { (label) }
                select id=(id("source")) name="source" {
                    @for src in &a.sources { option value=(src.key) selected[src.key == f.source] { (src.key) ": " (src.title) } }
                }
            }
        };
        html! {
            form.edit method="post" action=(format!("/agreements/{}/{}", a.id, self.path())) {
                input type="hidden" name="version" value=(version);
                @match self {
                    Change::Add(Addition::Member) => {
                        (field("state", "State (COW code, abbreviation, ISO code or name)", &f.state, true))
                        (date("joined", "Joined (YYYY, YYYY-MM or YYYY-MM-DD)", &f.joined, true))
                        (date("left", "Left (blank: still a member)", &f.left, false))
                        label for=(id("role")) { "Role" }
                        select id=(id("role")) name="role" {
                            @for r in MemberRole::ALL {
                                option value=(r.as_str()) selected[r.as_str() == if f.role.is_empty() { "acceded" } else { f.role.as_str() }] { (r.as_str()) }
                            }
                        }
                        (sources("Source (add a new one first with its form)"))
                        (field("note", "Note (optional)", &f.note, false))
                    }
                    Change::Departure => {
                        label for=(id("state")) { "Member" }
                        select id=(id("state")) name="state" {
                            @for c in a.members.iter().filter(|m| m.left.is_none()).map(|m| m.ccode) {
                                option value=(c) selected[f.state == c.to_string()] { (index.name(c)) }
                            }
                        }
                        (date("left", "Left (YYYY, YYYY-MM or YYYY-MM-DD)", &f.left, true))
                        (field("note", "Note, with the document that records it (added to the membership's note)", &f.note, false))
                    }
                    Change::Add(Addition::Source) => {
                        (field("key", "Key (how memberships and obligations cite it, e.g. accession)", &f.key, true))
                        (field("title", "Title", &f.title, true))
                        (field("publisher", "Publisher", &f.publisher, true))
                        (field("url", "URL (or a reference below)", &f.url, false))
                        (field("reference", "Document reference (when there is no URL)", &f.reference, false))
                        (date("consulted", "Consulted (YYYY-MM-DD)", &f.consulted, false))
                    }
                    Change::Add(Addition::Obligation) => {
                        label for=(id("type")) { "Type (ATOP's obligation types)" }
                        select id=(id("type")) name="type" {
                            @for t in ObligationType::ALL {
                                option value=(t.as_str()) selected[t.as_str() == f.obligation_type] { (t.as_str()) }
                            }
                        }
                        (field("from", "Held by: all, or members separated by commas (e.g. USA, AUL)", if f.from.is_empty() { "all" } else { &f.from }, false))
                        fieldset {
                            legend { "Toward" }
                            @for (value, label) in [("all", "all fellow members"), ("states", "these states:"), ("third-party", "a third party (a guarantee)")] {
                                label.choice {
                                    input type="radio" name="toward" value=(value) checked[value == f.toward || (f.toward.is_empty() && value == "all")];
                                    " " (label)
                                }
                            }
                            label for=(id("toward_states")) { "States it runs toward, separated by commas (when “these states”)" }
                            input id=(id("toward_states")) name="toward_states" value=(f.toward_states);
                        }
                        label.choice {
                            input type="checkbox" name="conditional" value="yes" checked[!f.conditional.is_empty()];
                            " Conditional (only in named circumstances, ATOP's conditions)"
                        }
                        (field("article", "Article (e.g. Art. IV)", &f.article, false))
                        (sources("Source"))
                        (field("note", "Note (optional)", &f.note, false))
                    }
                    Change::RemoveObligation => {
                        label for=(id("obligation")) { "Obligation" }
                        select id=(id("obligation")) name="obligation" {
                            @for (i, o) in a.obligations.iter().enumerate() {
                                option value=(i) selected[f.obligation == i.to_string()] { (obligation_text(index, o)) }
                            }
                        }
                    }
                    Change::Provisions => {
                        p { "Set what the sources establish; “not established” when they are silent." }
                        @for (name, current) in provisions(a, f) {
                            label for=(id(&name)) { (name.replace('_', " ")) }
                            select id=(id(&name)) name=(name) {
                                @for (value, label) in [("", "not established"), ("yes", "yes"), ("no", "no")] {
                                    option value=(value) selected[value == current] { (label) }
                                }
                            }
                        }
                    }
                }
                (csrf_field())
                button type="submit" { (self.button()) }
            }
        }
    }

    fn apply(self, current: &Agreement, f: &ChangeForm, index: &StateIndex) -> Result<Agreement, ApiError> {
        match self {
            Change::Add(addition) => validate::with_addition(current, addition, f.item(addition), index),
            Change::Departure => {
                validate::with_departure(current, &f.state, &f.left, optional(&f.note).as_deref(), index)
            }
            Change::RemoveObligation => {
                let at = f.obligation.trim().parse().map_err(|_| {
                    ApiError::invalid(vec![FieldError {
                        field: "obligation".into(),
                        message: "choose an obligation".into(),
                    }])
                })?;
                validate::without_obligation(current, at, index)
            }
            Change::Provisions => validate::with_provisions(current, f.provision_changes(), index),
        }
    }
}

/// Each provision with its choice in the form: what was sent, else the agreement's value.
fn provisions(a: &Agreement, f: &ChangeForm) -> Vec<(String, String)> {
    let stored = serde_json::to_value(&a.provisions).unwrap_or_default();
    let Some(stored) = stored.as_object() else { return Vec::new() };
    stored
        .iter()
        .map(|(name, value)| {
            let sent = f.provisions.iter().find(|(n, _)| n == name).map(|(_, choice)| choice.clone());
            let choice = sent.unwrap_or_else(|| match value.as_bool() {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            });
            (name.clone(), choice)
        })
        .collect()
}

async fn member_submit(State(state): State<Shared>, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> Response {
    change_submit(state, id, Change::Add(Addition::Member), f).await
}

async fn source_submit(State(state): State<Shared>, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> Response {
    change_submit(state, id, Change::Add(Addition::Source), f).await
}

async fn departure_submit(State(state): State<Shared>, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> Response {
    change_submit(state, id, Change::Departure, f).await
}

async fn obligation_submit(State(state): State<Shared>, Path(id): Path<String>, Form(f): Form<ChangeForm>) -> Response {
    change_submit(state, id, Change::Add(Addition::Obligation), f).await
}

async fn obligation_removal_submit(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Form(f): Form<ChangeForm>,
) -> Response {
    change_submit(state, id, Change::RemoveObligation, f).await
}

/// The provisions form names its fields after the provisions, so it is read as pairs.
async fn provisions_submit(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut f = ChangeForm::default();
    for (name, value) in pairs {
        match name.as_str() {
            "csrf" => f.csrf = value,
            "version" => match value.trim().parse() {
                Ok(v) => f.version = v,
                Err(_) => {
                    return PageError(ApiError::bad_request("the form lost the version it edits: reload the page"))
                        .into_response()
                }
            },
            _ => f.provisions.push((name, value)),
        }
    }
    change_submit(state, id, Change::Provisions, f).await
}

/// Stores the change, then shows the agreement; on any problem shows the form again with
/// what was sent.
async fn change_submit(state: Shared, id: String, change: Change, f: ChangeForm) -> Response {
    let result = with_store(&state, move |store, app| {
        let user = match form_user(store, &f.csrf, Role::Editor) {
            Ok(user) => user,
            Err(refused) => return Ok(PageError(refused).into_response()),
        };
        let current = store.agreement(&id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let stored = store_as_editor(
            store,
            app,
            &user,
            |index| change.apply(&current, &f, index),
            |store, a, user| store.update_agreement(a, f.version, user),
        );
        if let Err(e) = stored {
            let title = change.title(&current);
            let markup = html! {
                h1 { (title) }
                (refusal(&e))
                (change.form(&current, f.version, &f, &*app.cache.index(store)?))
                p { a href=(format!("/agreements/{id}")) { "Back to the agreement" } }
            };
            return Ok((e.status, layout(&title, markup)).into_response());
        }
        Ok(Redirect::to(&format!("/agreements/{id}#{}", change.anchor())).into_response())
    })
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}
