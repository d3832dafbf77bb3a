//! The JSON shapes of the main responses, as insta snapshots (`snapshots/`): every key
//! with the type of its values, so a field renamed, dropped or retyped shows up in review
//! (`cargo insta review`, or accept with `INSTA_UPDATE=always`). Shapes, not values: the
//! snapshots hold no figures, ids or timestamps, so they stay put as the registry grows.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use crate::common::*;

/// The shape of `value`: objects keep their keys, arrays become the merged shape of their
/// elements, and leaves the name of their type.
fn shape(value: &Value) -> Value {
    match value {
        Value::Null => json!("null"),
        Value::Bool(_) => json!("boolean"),
        Value::Number(n) if n.is_f64() => json!("number"),
        Value::Number(_) => json!("integer"),
        Value::String(_) => json!("string"),
        Value::Array(items) => match items.iter().map(shape).reduce(|a, b| merge(&a, &b)) {
            Some(item) => json!([item]),
            None => json!([]),
        },
        Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
    }
}

/// One shape for two: a key one object lacks is `absent` there; leaves of different types
/// are joined (`null|string`); an object or a list that is sometimes a leaf says so
/// (`{"null or": {...}}`).
fn merge(a: &Value, b: &Value) -> Value {
    let ((mut kinds, x), (more, y)) = (split(a), split(b));
    kinds.extend(more);
    kinds.sort_unstable();
    kinds.dedup();
    let structure = match (x, y) {
        (Some(x), Some(y)) => Some(merge_structures(&x, &y)),
        (x, y) => x.or(y),
    };
    match structure {
        None => json!(kinds.join("|")),
        Some(s) if kinds.is_empty() => s,
        Some(s) => json!({ format!("{} or", kinds.join("|")): s }),
    }
}

/// A shape as the leaf types it may be and the object or list it may be.
fn split(shape: &Value) -> (Vec<String>, Option<Value>) {
    match shape {
        Value::String(leaf) => (leaf.split('|').map(str::to_owned).collect(), None),
        Value::Object(o) if o.len() == 1 && o.keys().all(|k| k.ends_with(" or")) => {
            let (key, value) = o.iter().next().unwrap();
            (key.trim_end_matches(" or").split('|').map(str::to_owned).collect(), Some(value.clone()))
        }
        other => (Vec::new(), Some(other.clone())),
    }
}

fn merge_structures(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let absent = json!("absent");
            let keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), merge(x.get(key).unwrap_or(&absent), y.get(key).unwrap_or(&absent)));
            }
            Value::Object(out)
        }
        (Value::Array(x), Value::Array(y)) => match (x.first(), y.first()) {
            (Some(p), Some(q)) => json!([merge(p, q)]),
            (p, q) => json!(p.or(q).into_iter().collect::<Vec<_>>()),
        },
        _ if a == b => a.clone(),
        _ => json!({ "any of": [a, b] }),
    }
}

async fn ok(app: &axum::Router, uri: &str) -> Value {
    let r = get(app, uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text);
    r.body
}

#[test]
fn shapes_merge_what_elements_share() {
    let list = json!([{"a": 1, "b": null}, {"a": 2.5, "b": "x", "c": [true]}, {"a": 3, "b": {"d": 1}}]);
    assert_eq!(
        shape(&list),
        json!([{"a": "integer|number", "b": {"null|string or": {"d": "integer"}}, "c": {"absent or": ["boolean"]}}])
    );
}

#[tokio::test]
async fn the_registry_responses_keep_their_shape() {
    let f = fixture();
    insta::assert_json_snapshot!("agreement", shape(&ok(&f.app, "/api/v1/agreements/seato").await));
    insta::assert_json_snapshot!("agreements", shape(&ok(&f.app, "/api/v1/agreements?member=PAK").await));
    insta::assert_json_snapshot!("country", shape(&ok(&f.app, "/api/v1/countries/PAK?year=2020").await));
    insta::assert_json_snapshot!("network_year", shape(&ok(&f.app, "/api/v1/network/1960").await));
}

#[tokio::test]
async fn the_recommendations_keep_their_shape() {
    let Some((_dir, app)) = with_research() else { return };
    let found = ok(&app, "/api/v1/countries/PAK/recommendations?year=2010&top=5").await;
    insta::assert_json_snapshot!("recommendations", shape(&found));
}
