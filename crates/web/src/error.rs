//! Errors as JSON `{error, detail, fields?}`: a short machine-readable kind, a sentence for
//! people, and for invalid input the failing field paths. Internal errors are logged and
//! answered with a generic message; nothing internal reaches the client.

use axum::http::StatusCode;
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
        ApiError { status, error, detail: detail.into(), fields: Vec::new() }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", detail)
    }

    pub fn invalid(fields: Vec<FieldError>) -> Self {
        let detail = format!("{} field(s) are invalid; nothing was stored", fields.len());
        ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, error: "invalid", detail, fields }
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
        (self.status, Json(body)).into_response()
    }
}

impl From<pactbase_store::StoreError> for ApiError {
    fn from(e: pactbase_store::StoreError) -> Self {
        ApiError::internal(e)
    }
}

impl From<pactbase_service::ServiceError> for ApiError {
    fn from(e: pactbase_service::ServiceError) -> Self {
        match e {
            e @ pactbase_service::ServiceError::MissingDataset { .. } => ApiError::unavailable(e.to_string()),
            e @ pactbase_service::ServiceError::NotEstimable(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "not_estimable", e.to_string())
            }
            pactbase_service::ServiceError::Store(e) => ApiError::internal(e),
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
            E::Store(e) => ApiError::internal(e),
        }
    }
}
