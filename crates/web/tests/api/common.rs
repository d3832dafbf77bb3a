//! What the API tests share: a temporary database holding the built-in registry (and,
//! where the datasets are present, the real research data), tokens, and requests.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use pactbase_store::{Role, Store};
use serde_json::Value;
use tower::ServiceExt;

pub use crate::support::{add_user, registry_db};

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub db: PathBuf,
    pub app: Router,
    pub editor: String,
    pub admin: String,
}

pub fn fixture() -> Fixture {
    let (dir, db) = registry_db();
    let editor = add_user(&db, "erin", Role::Editor);
    let admin = add_user(&db, "ada", Role::Admin);
    let app = pactbase_web::router(pactbase_web::AppState::new(&db).unwrap());
    Fixture { _dir: dir, db, app, editor, admin }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

pub async fn call(app: &Router, method: &str, uri: &str, token: Option<&str>, body: Option<String>) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = match body {
        Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b)).unwrap(),
        None => req.body(Body::empty()).unwrap(),
    };
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply { status, headers, body, text }
}

pub async fn get(app: &Router, uri: &str) -> Reply {
    call(app, "GET", uri, None, None).await
}

/// ANZUS as the API returns it, with its version.
pub async fn anzus(app: &Router) -> (Value, i64) {
    let r = get(app, "/api/v1/agreements/anzus").await;
    assert_eq!(r.status, StatusCode::OK);
    (r.body["agreement"].clone(), r.body["version"].as_i64().unwrap())
}

/// The parties of `agreement` as abbreviations, from the edges of a network reply.
pub fn tied_states(network: &Value) -> std::collections::BTreeSet<String> {
    let abb: std::collections::HashMap<u64, &str> = network["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["ccode"].as_u64().unwrap(), n["abb"].as_str().unwrap()))
        .collect();
    network["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| [e[0].as_u64().unwrap(), e[1].as_u64().unwrap()])
        .map(|c| abb[&c].to_owned())
        .collect()
}

/// Posts a form as a browser does, without following redirects.
/// A form sent by an editor: a `token` field stands for signing in with it first (the
/// sign-in's answer is returned when it is refused), then the form goes with the session's
/// cookie and CSRF token, as a browser sends it.
pub async fn post_form(app: &Router, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let mut fields = fields.to_vec();
    let mut cookie = None;
    let csrf;
    if let Some(at) = fields.iter().position(|(k, _)| *k == "token") {
        let session = match sign_in(app, fields[at].1).await {
            Ok(session) => session,
            Err(refused) => return refused,
        };
        csrf = session.1;
        cookie = Some(session.0);
        fields[at] = ("csrf", &csrf);
    }
    send_form(app, uri, &fields, cookie.as_deref()).await
}

/// Signs in with `token`: the session's cookie and CSRF token, or the refusal.
pub async fn sign_in(app: &Router, token: &str) -> Result<(String, String), Reply> {
    let signed_in = send_form(app, "/sign-in", &[("token", token)], None).await;
    if !signed_in.status.is_redirection() {
        return Err(signed_in);
    }
    let set = signed_in.headers[header::SET_COOKIE].to_str().unwrap();
    let cookie = set.split(';').next().unwrap().to_owned();
    let page = get_as(app, "/sign-in", &cookie).await;
    let start = page.text.find("name=\"csrf\" value=\"").expect("a signed-in page carries the CSRF token") + 19;
    Ok((cookie, page.text[start..start + 64].to_owned()))
}

pub async fn get_as(app: &Router, uri: &str, cookie: &str) -> Reply {
    send(app, Request::builder().uri(uri).header(header::COOKIE, cookie), Body::empty()).await
}

pub async fn send_form(app: &Router, uri: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Reply {
    let body: String = fields.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect::<Vec<_>>().join("&");
    let mut req =
        Request::builder().method("POST").uri(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req, Body::from(body)).await
}

pub async fn send(app: &Router, req: axum::http::request::Builder, body: Body) -> Reply {
    let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body: Value::Null, text: String::from_utf8_lossy(&bytes).into_owned() }
}

pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The real research data: ATOP, COW states, NMC and SIPRI's arms transfers imported
/// into the temporary database.
pub fn with_research() -> Option<(tempfile::TempDir, Router)> {
    let atop_dir = pactbase_testdata::shared("atop-5.1")?;
    let states_file = pactbase_testdata::shared("cow/states2016.csv")?;
    let nmc_file = pactbase_testdata::shared("cow/nmc-7.0-abridged.csv")?;
    let arms_dir = pactbase_testdata::shared("sipri/arms-transfers-tiv-1950-2021")?;
    let (dir, db) = registry_db();
    let mut store = Store::open(&db).unwrap();
    let index = store.state_index().unwrap();
    let none = |_| {};
    let a = pactbase_ingest::research::atop::read(&atop_dir, &index, &none).unwrap();
    store.replace_atop(&a.alliances, &a.phases, &a.members, &a.agreements, &a.files).unwrap();
    let c = pactbase_ingest::research::cow_states::read(&states_file, &index, &none).unwrap();
    store.replace_system_spells(&c.spells, &c.file).unwrap();
    let n = pactbase_ingest::research::nmc::read(&nmc_file, &index, &none).unwrap();
    store.replace_nmc(&n.rows, &n.file).unwrap();
    let arms = pactbase_ingest::research::sipri_arms::read(&arms_dir, &index, &none).unwrap();
    store.replace_sipri_arms(&arms.data, &arms.files).unwrap();
    drop(store);
    Some((dir, pactbase_web::router(pactbase_web::AppState::new(&db).unwrap())))
}
