//! Writing: create and change agreements (editor token), the audit log, reverts (admin
//! token). Every write is validated whole first (422 with field paths), checked against
//! the version it was based on (409 when stale) and stored with its audit record in one
//! transaction.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pactbase_model::Agreement;
use pactbase_store::{Role, Store, User};
use serde::Deserialize;

use crate::auth::{authorize, bearer};
use crate::error::{ApiError, FieldError};
use crate::params::{Path, Q};
use crate::validate::{self, Addition};
use crate::{with_store, AppState, Shared};

fn written(status: StatusCode, entry: pactbase_store::AuditEntry) -> Response {
    let etag = entry.version_after.map(|v| format!("\"{v}\"")).unwrap_or_default();
    let mut response = (status, Json(entry)).into_response();
    if let Ok(value) = etag.parse() {
        if !etag.is_empty() {
            response.headers_mut().insert(header::ETAG, value);
        }
    }
    response
}

/// A body that could not be read (too large: 413; too slow: 408) as a JSON error.
fn body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        if crate::server::is_body_timeout(&e) {
            return ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "the request body did not arrive in time; send it again, at once",
            );
        }
        let status = e.status();
        let kind = if status == StatusCode::PAYLOAD_TOO_LARGE { "too_large" } else { "bad_request" };
        ApiError::new(status, kind, format!("the request body could not be read: {}", e.body_text()))
    })
}

/// Runs `write` on the blocking pool for the editor whose token the request carries, with
/// the request body.
async fn as_editor<F>(
    state: &Shared,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    write: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(&mut Store, &AppState, &User, Bytes) -> Result<Response, ApiError> + Send + 'static,
{
    let token = bearer(headers)?;
    let body = self::body(body)?;
    with_store(state, move |store, app| {
        let user = authorize(store, app, &token, Role::Editor)?;
        write(store, app, &user, body)
    })
    .await
}

/// The version a change is based on: `If-Match: "3"` or the body's `version`.
fn expected_version(headers: &HeaderMap, body: Option<i64>) -> Result<i64, ApiError> {
    let header = match headers.get(header::IF_MATCH) {
        Some(v) => {
            let text = v.to_str().unwrap_or("").trim().trim_start_matches("W/").trim_matches('"');
            Some(text.parse::<i64>().map_err(|_| {
                ApiError::bad_request("If-Match must be the agreement's version as its ETag gives it, e.g. \"3\"")
            })?)
        }
        None => None,
    };
    match (header, body) {
        (Some(h), Some(b)) if h != b => Err(ApiError::bad_request("If-Match and the body's version disagree")),
        (Some(v), _) | (None, Some(v)) => Ok(v),
        (None, None) => Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "version_required",
            "say which version the change is based on: an If-Match header or a `version` field",
        )),
    }
}

#[utoipa::path(post, path = "/api/v1/agreements", tag = "editing", security(("bearer" = [])),
    request_body(content = Agreement, description = "The whole agreement document (as GET returns under `agreement`)"),
    responses((status = 201, description = "Created; the audit entry", body = pactbase_store::AuditEntry),
              (status = 409, description = "The id exists already"),
              (status = 422, description = "Invalid document: `fields` lists each failing field path")))]
pub async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    as_editor(&state, &headers, body, move |store, app, user, body| {
        let (agreement, _) = validate::document(&body, &*app.cache.index(store)?, None)?;
        let entry = store.create_agreement(&agreement, &user.name)?;
        tracing::info!(user = %user.name, agreement = %agreement.id, "agreement created");
        Ok(written(StatusCode::CREATED, entry))
    })
    .await
}

#[utoipa::path(put, path = "/api/v1/agreements/{id}", tag = "editing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id"),
           ("If-Match" = Option<String>, Header, description = "The version the change is based on, as the ETag gives it")),
    request_body(content = Agreement, description = "The whole agreement document, optionally with a top-level `version` (the version the change is based on)"),
    responses((status = 200, description = "Changed; the audit entry (ETag: the new version)", body = pactbase_store::AuditEntry),
              (status = 409, description = "Stale version: the agreement changed since; nothing was written"),
              (status = 422, description = "Invalid document, with failing field paths")))]
pub async fn update(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    as_editor(&state, &headers.clone(), body, move |store, app, user, body| {
        let (agreement, version) = validate::document(&body, &*app.cache.index(store)?, Some(&id))?;
        let expected = expected_version(&headers, version)?;
        let entry = store.update_agreement(&agreement, expected, &user.name)?;
        tracing::info!(user = %user.name, agreement = %id, "agreement changed");
        Ok(written(StatusCode::OK, entry))
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/agreements/{id}/members", tag = "editing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id"),
           ("If-Match" = Option<String>, Header, description = "The version the change is based on, as the ETag gives it")),
    request_body(content = Object, description = "`{\"version\": 3, \"member\": {\"ccode\": \"SWD\", \"joined\": \"2024-03-07\", \"role\": \"acceded\", \"source\": \"accession\", \"note\": \"…\"}}`: a state joins (states by code, abbreviation or name; `left`, `note` and `suspensions` optional); the agreement's obligations toward all members now include it"),
    responses((status = 200, description = "Recorded; the audit entry (ETag: the new version)", body = pactbase_store::AuditEntry),
              (status = 422, description = "Invalid membership: field paths under `member`")))]
pub async fn add_member(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    add(state, id, headers, body, Addition::Member).await
}

#[utoipa::path(post, path = "/api/v1/agreements/{id}/sources", tag = "editing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id"),
           ("If-Match" = Option<String>, Header, description = "The version the change is based on, as the ETag gives it")),
    request_body(content = Object, description = "`{\"version\": 3, \"source\": {\"key\": \"accession\", \"title\": \"…\", \"publisher\": \"…\", \"url\": \"https://…\", \"consulted\": \"2026-11-29\"}}`: a source memberships and obligations can cite by its key (a url or a reference is required)"),
    responses((status = 200, description = "Recorded; the audit entry (ETag: the new version)", body = pactbase_store::AuditEntry),
              (status = 422, description = "Invalid source: field paths under `source`")))]
pub async fn add_source(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    add(state, id, headers, body, Addition::Source).await
}

/// A member leaves.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct Departure {
    /// The version the change is based on (or an If-Match header).
    version: Option<i64>,
    /// The member (COW code, abbreviation, ISO code or name).
    state: String,
    /// YYYY, YYYY-MM or YYYY-MM-DD.
    left: String,
    /// Added to the membership's note, with the document that records the departure.
    note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/agreements/{id}/departures", tag = "editing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id"),
           ("If-Match" = Option<String>, Header, description = "The version the change is based on, as the ETag gives it")),
    request_body(content = Departure, description = "`{\"version\": 3, \"state\": \"UKG\", \"left\": \"2020-01-31\", \"note\": \"…\"}`: the state's open membership ends on `left` (`note` is added to the membership's note)"),
    responses((status = 200, description = "Recorded; the audit entry (ETag: the new version)", body = pactbase_store::AuditEntry),
              (status = 422, description = "No open membership, or an invalid date: field paths `state`, `left`")))]
pub async fn add_departure(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    as_editor(&state, &headers.clone(), body, move |store, app, user, body| {
        let d: Departure = serde_json::from_slice(&body).map_err(|e| {
            ApiError::invalid(vec![FieldError {
                field: String::new(),
                message: format!(
                    "not a departure ({{\"version\": N, \"state\": \"…\", \"left\": \"YYYY-MM-DD\"}}): {e}"
                ),
            }])
        })?;
        let expected = expected_version(&headers, d.version)?;
        let index = app.cache.index(store)?;
        change(store, user, &id, expected, "departure", |current| {
            validate::with_departure(current, &d.state, &d.left, d.note.as_deref(), &index)
        })
    })
    .await
}

/// A request `{"version": N, "<what>": …}`: the version (if given) and the item.
fn request(body: &[u8], what: &str, example: &str) -> Result<(Option<i64>, serde_json::Value), ApiError> {
    let mut request: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body).map_err(|e| {
        ApiError::invalid(vec![FieldError {
            field: String::new(),
            message: format!("not a request of the form {{\"version\": N, \"{what}\": {example}}}: {e}"),
        }])
    })?;
    let version = match request.remove("version") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(v.as_i64().ok_or_else(|| {
            ApiError::invalid(vec![FieldError { field: "version".into(), message: "must be an integer".into() }])
        })?),
    };
    let item = request.remove(what).ok_or_else(|| {
        ApiError::invalid(vec![FieldError { field: what.into(), message: format!("is required, e.g. {example}") }])
    })?;
    Ok((version, item))
}

/// Stores `change(current agreement)` as a versioned, audited change of agreement `id`.
fn change(
    store: &mut Store,
    user: &User,
    id: &str,
    expected: i64,
    what: &str,
    change: impl FnOnce(&Agreement) -> Result<Agreement, ApiError>,
) -> Result<Response, ApiError> {
    let current = store.agreement_versioned(id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
    // A change based on an old version is stale whatever it says; checked first so that
    // a request sent twice is told so, not that its item is already there.
    if current.version != expected {
        let stale = pactbase_store::EditError::Stale { id: id.to_owned(), current: current.version, expected };
        return Err(stale.into());
    }
    let agreement = change(&current.agreement)?;
    let entry = store.update_agreement(&agreement, expected, &user.name)?;
    tracing::info!(user = %user.name, agreement = %id, change = what, "agreement changed");
    Ok(written(StatusCode::OK, entry))
}

/// Appends the body's `member`, `source` or `obligation` to agreement `id`.
async fn add(
    state: Shared,
    id: String,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    addition: Addition,
) -> Result<Response, ApiError> {
    as_editor(&state, &headers.clone(), body, move |store, app, user, body| {
        let (version, item) = request(&body, addition.field(), addition.example())?;
        let expected = expected_version(&headers, version)?;
        let index = app.cache.index(store)?;
        change(store, user, &id, expected, addition.field(), |current| {
            validate::with_addition(current, addition, item, &index)
        })
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/agreements/{id}/obligations", tag = "editing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id"),
           ("If-Match" = Option<String>, Header, description = "The version the change is based on, as the ETag gives it")),
    request_body(content = Object, description = "`{\"version\": 3, \"obligation\": {\"type\": \"defense\", \"from\": \"all\", \"toward\": {\"states\": [\"PAK\"]}, \"conditional\": false, \"article\": \"Art. 2\", \"source\": \"text\"}}`: an obligation (type defense, offense, neutrality, nonaggression or consultation; `from` \"all\" or `{\"states\": […]}` of members; `toward` \"all\", \"third-party\" or `{\"states\": […]}`; `from`, `toward`, `conditional`, `article`, `note` optional)"),
    responses((status = 200, description = "Recorded; the audit entry (ETag: the new version)", body = pactbase_store::AuditEntry),
              (status = 422, description = "Invalid obligation: field paths under `obligation`")))]
pub async fn add_obligation(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    add(state, id, headers, body, Addition::Obligation).await
}

#[utoipa::path(delete, path = "/api/v1/agreements/{id}/obligations/{number}", tag = "editing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id"),
           ("number" = usize, Path, description = "The obligation's place in the agreement's `obligations`, from 0"),
           ("If-Match" = String, Header, description = "The version the change is based on, as the ETag gives it (required: the numbers are those of that version)")),
    responses((status = 200, description = "Removed; the audit entry (ETag: the new version)", body = pactbase_store::AuditEntry),
              (status = 422, description = "No such obligation (field `obligation`)"),
              (status = 428, description = "No If-Match header")))]
pub async fn remove_obligation(
    State(state): State<Shared>,
    Path((id, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let number: usize = number.parse().map_err(|_| {
        ApiError::invalid(vec![FieldError {
            field: "obligation".into(),
            message: format!("`{number}` is not an obligation number (0, 1, …)"),
        }])
    })?;
    as_editor(&state, &headers.clone(), Ok(Bytes::new()), move |store, app, user, _| {
        let expected = expected_version(&headers, None)?;
        let index = app.cache.index(store)?;
        change(store, user, &id, expected, "obligation removed", |current| {
            validate::without_obligation(current, number, &index)
        })
    })
    .await
}

#[utoipa::path(patch, path = "/api/v1/agreements/{id}/provisions", tag = "editing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Agreement id"),
           ("If-Match" = Option<String>, Header, description = "The version the change is based on, as the ETag gives it")),
    request_body(content = Object, description = "`{\"version\": 3, \"provisions\": {\"military_aid\": true, \"foreign_bases\": null}}`: sets the named provisions (foreign_bases, integrated_command, military_aid, technology_transfer, intelligence_sharing, joint_exercises, arms_limits, organisation) to true, false or null (not established); the others keep their values"),
    responses((status = 200, description = "Changed; the audit entry (ETag: the new version)", body = pactbase_store::AuditEntry),
              (status = 422, description = "Unknown provision or value: field paths `provisions.NAME`")))]
pub async fn set_provisions(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    as_editor(&state, &headers.clone(), body, move |store, app, user, body| {
        let (version, changes) = request(&body, "provisions", r#"{"military_aid": true}"#)?;
        let expected = expected_version(&headers, version)?;
        let index = app.cache.index(store)?;
        change(store, user, &id, expected, "provisions", |current| validate::with_provisions(current, changes, &index))
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only changes of this agreement
    pub agreement: Option<String>,
    /// At most this many entries, newest first (default 50, at most 200)
    #[param(minimum = 0)]
    pub limit: Option<usize>,
    /// Continue after this entry: the next page holds the entries older than it (pass the
    /// last id of a page)
    pub after: Option<i64>,
}

/// Most audit entries in one page.
pub const AUDIT_PAGE_MAX: usize = 200;

#[utoipa::path(get, path = "/api/v1/audit", tag = "editing", params(AuditQuery),
    responses((status = 200, description = "A page of changes, newest first: who, when, action, versions, and the changed values by path (values over 300 bytes are cut short or left out; the whole documents are at /api/v1/audit/{id})", body = [pactbase_store::AuditSummary])))]
pub async fn audit(State(state): State<Shared>, Q(q): Q<AuditQuery>) -> Result<Response, ApiError> {
    with_store(&state, move |store, _| {
        let limit = q.limit.unwrap_or(50).min(AUDIT_PAGE_MAX);
        Ok(Json(store.audit_page(q.agreement.as_deref(), q.after, limit)?).into_response())
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/audit/{id}", tag = "editing",
    params(("id" = i64, Path, description = "The audit entry")),
    responses((status = 200, description = "One change with the whole agreement documents before and after", body = pactbase_store::AuditEntry)))]
pub async fn audit_entry(State(state): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found(format!("no audit entry `{id}`")))?;
    with_store(&state, move |store, _| {
        let entry = store.audit_entry(id)?.ok_or_else(|| ApiError::not_found(format!("no audit entry {id}")))?;
        Ok(Json(entry).into_response())
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/audit/{id}/revert", tag = "editing", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The audit entry to undo")),
    responses((status = 200, description = "Reverted; the new audit entry", body = pactbase_store::AuditEntry),
              (status = 403, description = "The token is not an admin's"),
              (status = 409, description = "The agreement changed after that entry; nothing was written")))]
pub async fn revert(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found(format!("no audit entry `{id}`")))?;
    let token = bearer(&headers)?;
    with_store(&state, move |store, app| {
        let user = authorize(store, app, &token, Role::Admin)?;
        let entry = store.revert(id, &user.name)?;
        tracing::info!(user = %user.name, entry = id, "change reverted");
        Ok(written(StatusCode::OK, entry))
    })
    .await
}
