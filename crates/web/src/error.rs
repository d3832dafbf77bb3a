//! Errors as JSON `{error, detail, fields?}`: a short machine-readable kind, a sentence for
//! people, and for invalid input the failing field paths. Internal errors are logged and
//! answered with a generic message; nothing internal reaches the client.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    /// Path into the request body, e.g. `members[2].ccode`.
    pub field: String,
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: &'static str,
    pub detail: String,
    pub fields: Vec<FieldError>,
    /// Seconds after which trying again may succeed (the `Retry-After` header).
    pub retry_after: Option<u64>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    fields: &'a [FieldError],
}

/// The body's JSON Schema, for the OpenAPI document.
pub fn schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let text = |description: &str| ObjectBuilder::new().schema_type(Type::String).description(Some(description));
    let field = ObjectBuilder::new()
        .property("field", text("Path into the request body, e.g. `members[2].ccode`"))
        .property("message", text("What is wrong and how to fix it"))
        .required("field")
        .required("message");
    ObjectBuilder::new()
        .property("error", text("A short machine-readable kind: bad_request, not_found, invalid, stale, …"))
        .property("detail", text("A sentence for people"))
        .property("fields", ArrayBuilder::new().items(field).description(Some("For invalid input: each failing field")))
        .required("error")
        .required("detail")
        .build()
}

impl ApiError {
    pub fn new(status: StatusCode, error: &'static str, detail: impl Into<String>) -> Self {
        ApiError { status, error, detail: detail.into(), fields: Vec::new(), retry_after: None }
    }

    /// With a `Retry-After` of `wait` (whole seconds, at least 1).
    pub fn retry_after(mut self, wait: std::time::Duration) -> Self {
        self.retry_after = Some(wait.as_secs_f64().ceil().max(1.0) as u64);
        self
    }

    /// Too many failed authentications from this client or for this token.
    pub fn too_many_failures(wait: std::time::Duration) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_failures",
            format!(
                "too many failed authentications; try again in {} s (Retry-After)",
                wait.as_secs_f64().ceil().max(1.0)
            ),
        )
        .retry_after(wait)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", detail)
    }

    pub fn invalid(fields: Vec<FieldError>) -> Self {
        let detail = format!("{} field(s) are invalid; nothing was stored", fields.len());
        ApiError { fields, ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", detail) }
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "data_missing", detail)
    }

    /// Logs the cause; the client only learns that something failed.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {cause}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server could not complete the request")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body { error: self.error, detail: &self.detail, fields: &self.fields };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<pactbase_store::StoreError> for ApiError {
    fn from(e: pactbase_store::StoreError) -> Self {
        use pactbase_store::StoreError as E;
        match e {
            E::Search(message) => ApiError::bad_request(message),
            e @ E::OverBudget(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "too_costly", e.to_string()),
            e @ E::Cancelled => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "cancelled", e.to_string()),
            e if e.is_busy() => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "another process (an import?) is writing to the database; try again shortly",
            )
            .retry_after(std::time::Duration::from_secs(5)),
            e if e.is_read_only() => {
                tracing::warn!("a write failed: {e}");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "read_only",
                    "the database is read-only here, so nothing can be changed; reading works",
                )
            }
            e => ApiError::internal(e),
        }
    }
}

impl From<pactbase_service::ServiceError> for ApiError {
    fn from(e: pactbase_service::ServiceError) -> Self {
        match e {
            e @ pactbase_service::ServiceError::MissingDataset { .. } => ApiError::unavailable(e.to_string()),
            e @ pactbase_service::ServiceError::NotEstimable(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "not_estimable", e.to_string())
            }
            pactbase_service::ServiceError::Store(e) => e.into(),
        }
    }
}

impl From<pactbase_store::EditError> for ApiError {
    fn from(e: pactbase_store::EditError) -> Self {
        use pactbase_store::EditError as E;
        match e {
            E::NotFound(_) | E::NoEntry(_) => ApiError::not_found(e.to_string()),
            E::Exists(_) | E::Stale { .. } | E::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                if matches!(e, E::Stale { .. }) { "stale" } else { "conflict" },
                e.to_string(),
            ),
            E::Store(e) => e.into(),
        }
    }
}
