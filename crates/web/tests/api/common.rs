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

/// Where `value` departs from `schema`, a schema of the OpenAPI document `doc`: the part
/// of JSON Schema that utoipa writes (`$ref`, `allOf`, `oneOf`, `anyOf`, `enum`, `type`,
/// `required`, `properties`, `additionalProperties`, `items`, `prefixItems`). A field
/// the schema does not list is a departure too: the document must describe every field sent.
pub fn departures(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    check(doc, schema, value, at, out, false);
}

/// `open`: fields the schema does not list are left to the caller (a part of an `allOf`).
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>, open: bool) {
    if schema.get("$ref").is_some() {
        return check(doc, resolve(doc, schema), value, at, out, open);
    }
    for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        check(doc, part, value, at, out, true);
    }
    for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let fits = |s: &Value| {
                let mut o = Vec::new();
                check(doc, s, value, at, &mut o, open);
                o.is_empty()
            };
            let n = options.iter().filter(|s| fits(s)).count();
            if n == 0 || (exactly_one && n > 1) {
                out.push(format!("{at}: {n} of the {} schemas of {key} fit {}", options.len(), brief(value)));
            }
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            out.push(format!("{at}: {} is not one of {}", brief(value), Value::Array(allowed.clone())));
        }
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !fits {
            out.push(format!("{at}: {} is not {}", brief(value), types.join(" or ")));
            return;
        }
    }
    match value {
        Value::Object(fields) => {
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                if !fields.contains_key(name.as_str().unwrap()) {
                    out.push(format!("{at}: {name} is required but not sent"));
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            let mut listed = Vec::new();
            listed_fields(doc, schema, &mut listed);
            for (key, v) in fields {
                let here = format!("{at}.{key}");
                match (properties.and_then(|p| p.get(key)), schema.get("additionalProperties")) {
                    (Some(s), _) => check(doc, s, v, &here, out, false),
                    (None, Some(s)) if s.is_object() => check(doc, s, v, &here, out, false),
                    (None, Some(Value::Bool(false))) => out.push(format!("{here}: not allowed")),
                    _ if !open && !listed.is_empty() && !listed.contains(&key.as_str()) => {
                        out.push(format!("{here}: sent but not documented"))
                    }
                    _ => {}
                }
            }
        }
        Value::Array(items) => {
            let prefix = schema.get("prefixItems").and_then(Value::as_array);
            for (i, item) in items.iter().enumerate() {
                if let Some(s) = prefix.and_then(|p| p.get(i)).or_else(|| schema.get("items").filter(|s| s.is_object()))
                {
                    check(doc, s, item, &format!("{at}[{i}]"), out, false);
                }
            }
        }
        _ => {}
    }
}

/// `schema`, or the component its `$ref` names (followed to the end).
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(name) => {
            let target = &doc["components"]["schemas"][name.trim_start_matches("#/components/schemas/")];
            assert!(!target.is_null(), "no component {name}");
            resolve(doc, target)
        }
        None => schema,
    }
}

/// The fields `schema` lists, its `allOf` parts' included.
fn listed_fields<'a>(doc: &'a Value, schema: &'a Value, into: &mut Vec<&'a str>) {
    let schema = resolve(doc, schema);
    into.extend(
        schema.get("properties").and_then(Value::as_object).into_iter().flat_map(|p| p.keys()).map(String::as_str),
    );
    for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        listed_fields(doc, part, into);
    }
}

fn brief(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// Asserts that the JSON body of the successful `GET uri` is described by the schema the
/// document `doc` gives for `path` (the template the uri fills in).
pub async fn assert_documented(app: &Router, doc: &Value, path: &str, uri: &str) {
    let r = get(app, uri).await;
    assert!(r.status.is_success(), "{uri}: {} {}", r.status, &r.text[..r.text.len().min(300)]);
    let schema = &doc["paths"][path]["get"]["responses"][r.status.as_str()]["content"]["application/json"]["schema"];
    assert!(!schema.is_null(), "{path}: no JSON schema for {}", r.status);
    let mut out = Vec::new();
    departures(doc, schema, &r.body, "", &mut out);
    out.truncate(20);
    assert!(out.is_empty(), "{uri} departs from the document's schema of {path}:\n{}", out.join("\n"));
}
