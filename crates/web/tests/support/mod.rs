//! Requests to the router without a socket, for the session and datasets tests.
// Each test file uses some of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_store::{Role, Store};
use tower::ServiceExt;

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

/// A database in a temporary folder holding the built-in registry.
pub fn registry_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pactbase.db");
    let data = curated::load(&DataFiles::embedded()).unwrap();
    let mut store = Store::open(&db).unwrap();
    store.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition).unwrap();
    (dir, db)
}

/// A new user's token.
pub fn add_user(db: &Path, name: &str, role: Role) -> String {
    let (token, digest) = pactbase_web::issue_token();
    Store::open(db).unwrap().add_user(name, role, &digest).unwrap();
    token
}

/// Sends `method uri` with `headers` and `body`.
pub async fn send(app: &Router, method: &str, uri: &str, headers: &[(&str, &str)], body: String) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, text: String::from_utf8_lossy(&bytes).into_owned() }
}

/// A form post, with a session cookie when given.
pub async fn post_form(app: &Router, uri: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Reply {
    let body = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
    let mut headers = vec![(header::CONTENT_TYPE.as_str(), "application/x-www-form-urlencoded")];
    if let Some(c) = cookie {
        headers.push((header::COOKIE.as_str(), c));
    }
    send(app, "POST", uri, &headers, body).await
}

pub async fn get(app: &Router, uri: &str, cookie: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = cookie.map(|c| (header::COOKIE.as_str(), c)).into_iter().collect();
    send(app, "GET", uri, &headers, String::new()).await
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
