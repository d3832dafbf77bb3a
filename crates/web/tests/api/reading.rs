//! Reading the registry through the API, its OpenAPI document and its errors, and a
//! server that sees changes other processes make.

use axum::http::{header, StatusCode};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_store::Store;
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn reading_the_registry() {
    let f = fixture();
    let r = get(&f.app, "/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "ok");
    // Security headers on every response.
    assert!(r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("default-src 'self'"));
    assert!(r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(r.headers[header::REFERRER_POLICY], "no-referrer");

    let r = get(&f.app, "/api/v1/states").await;
    assert!(r.body.as_array().unwrap().iter().any(|s| s["abb"] == "PAK" && s["ccode"] == 770));

    let r = get(&f.app, "/api/v1/agreements?member=PAK&active_in=1960").await;
    let ids: Vec<&str> = r.body.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"seato") && ids.contains(&"cento"), "{ids:?}");
    let r = get(&f.app, "/api/v1/agreements?kind=intelligence-sharing").await;
    assert!(r.body.as_array().unwrap().iter().any(|a| a["id"] == "ukusa"));
    let r = get(&f.app, "/api/v1/agreements?text=north%20atlantic").await;
    assert!(r.body.as_array().unwrap().iter().any(|a| a["id"] == "nato"));
    let r = get(&f.app, "/api/v1/agreements?member=Pakistn").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["error"], "not_found");
    assert!(r.body["detail"].as_str().unwrap().contains("Pakistan"), "{}", r.body);
    let r = get(&f.app, "/api/v1/agreements?kind=defence-pact").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = get(&f.app, "/api/v1/agreements?active_in=abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["error"], "bad_request");
    // The filter splits the registry in two, whichever files are still selections.
    let all = get(&f.app, "/api/v1/agreements").await.body.as_array().unwrap().len();
    let r = get(&f.app, "/api/v1/agreements?parties=selected").await;
    let selected = r.body.as_array().unwrap();
    let r = get(&f.app, "/api/v1/agreements?parties=complete").await;
    let complete = r.body.as_array().unwrap();
    assert!(selected.iter().all(|a| a["parties"] == "selected") && complete.iter().all(|a| a["parties"] == "complete"));
    assert!(complete.iter().any(|a| a["id"] == "treaty-of-amity-and-cooperation-in-southeast-asia"));
    assert_eq!(selected.len() + complete.len(), all);
    let r = get(&f.app, "/api/v1/agreements?parties=some").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    let r = get(&f.app, "/api/v1/agreements/anzus").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::ETAG], "\"1\"");
    assert_eq!(r.body["agreement"]["short_names"][0], "ANZUS");
    assert_eq!(get(&f.app, "/api/v1/agreements/anzuss").await.status, StatusCode::NOT_FOUND);

    let r = get(&f.app, "/api/v1/search?q=ANZUS").await;
    assert_eq!(r.body[0]["id"], "anzus");

    let r = get(&f.app, "/api/v1/countries/PAK").await;
    assert_eq!(r.body["state"]["ccode"], 770);
    assert_eq!(r.body["reference_year"], 2025, "the registry's current year by default");
    assert!(r.body["timeline"]["memberships"].as_array().unwrap().len() > 10);
    let r = get(&f.app, "/api/v1/countries/Pakistan?year=1965").await;
    assert_eq!(r.body["reference_year"], 1965);
    assert_eq!(r.body["view"], json!({"year": 1965}));
    let r = get(&f.app, "/api/v1/countries/PAK?view=history").await;
    assert_eq!(r.body["view"], "history");
    assert_eq!(get(&f.app, "/api/v1/countries/PAK?view=all").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&f.app, "/api/v1/countries/PAK?partners=some").await.status, StatusCode::BAD_REQUEST);
    let r = get(&f.app, "/api/v1/countries/PAK/challenges").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["basis"].as_str().unwrap().contains("the registry's agreements"), "{}", r.body["basis"]);
    assert!(r.body["conflicts"]["missing"]["import"][0].as_str().unwrap().contains("rivalries"));
    let r = get(&f.app, "/api/v1/countries/PAK/assessment").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["network"]["reference"]["degree"].is_u64(), "the registry's own network: {}", r.body["network"]);
    assert!(r.body["impact"]["missing"]["import"][0].as_str().unwrap().contains("pactbase data fetch nmc"));

    // Without ATOP the network comes from the registry's own obligations.
    let r = get(&f.app, "/api/v1/network/1960?level=defense").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["source"], "curated");
    assert!(r.body["edges"].as_array().unwrap().len() > 10);
    assert_eq!(get(&f.app, "/api/v1/network/1960?level=some").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&f.app, "/api/v1/network/1960?kind=defence-pact").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&f.app, "/api/v1/network/1700").await.status, StatusCode::NOT_FOUND);

    let r = get(&f.app, "/api/v1/trends?years=1950-1960").await;
    assert_eq!(r.body.as_array().unwrap().len(), 11);
    // Datasets not imported: a clear 503 naming the fetch, never a stack trace.
    let r = get(&f.app, "/api/v1/countries/PAK/recommendations").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.body["detail"].as_str().unwrap().contains("pactbase data fetch"));
    let r = get(&f.app, "/api/v1/panels/dyad-year?directed=true&years=1990-2000&with=atop").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    let r = get(&f.app, "/api/v1/impact?agreement=seato&outcome=milex").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    let r = get(&f.app, "/api/v1/countries/PAK/impact").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.body["detail"].as_str().unwrap().contains("pactbase data fetch nmc"), "{}", r.text);

    // Panels without research datasets still stream the frame as CSV.
    let r = get(&f.app, "/api/v1/panels/state-year?years=2000-2001").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.starts_with("ccode,year\n"), "{}", &r.text[..r.text.len().min(200)]);
    assert!(r.text.lines().count() > 300);
    let r = get(&f.app, "/api/v1/panels/state-year?years=2000-2001&format=parquet").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.starts_with("PAR1"), "a Parquet file starts with its magic bytes");
    assert_eq!(get(&f.app, "/api/v1/panels/state-year?format=xlsx").await.status, StatusCode::BAD_REQUEST);
    let r = get(&f.app, "/api/v1/panels/dyad-year?with=contiguity,mids").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.body["detail"].as_str().unwrap().contains("pactbase data fetch contiguity"), "{}", r.text);

    let r = get(&f.app, "/api/openapi.json").await;
    let paths = r.body["paths"].as_object().unwrap();
    for p in ["/api/v1/agreements/{id}", "/api/v1/network/{year}", "/api/v1/similarity", "/api/v1/audit/{id}/revert"] {
        assert!(paths.contains_key(p), "{p} missing from the OpenAPI document");
    }
    let r = get(&f.app, "/api/v1/nothing/here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["error"], "not_found");
}

#[tokio::test]
async fn the_openapi_document_describes_errors_and_lists_as_they_are_sent() {
    let f = fixture();
    let doc = get(&f.app, "/api/openapi.json").await.body;
    assert_eq!(doc["components"]["schemas"]["Error"]["required"], json!(["error", "detail"]));
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            for (status, response) in responses.iter().filter(|(s, _)| !s.starts_with('2')) {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error",
                    "{method} {path} {status}"
                );
            }
            let takes_input = op.get("parameters").is_some() || op.get("requestBody").is_some();
            assert!(!takes_input || responses.contains_key("400"), "{method} {path} may answer 400");
            assert!(!path.contains('{') || responses.contains_key("404"), "{method} {path} may answer 404");
            assert!(op.get("security").is_none() || responses.contains_key("401"), "{method} {path} may answer 401");
            let versioned = op["parameters"].as_array().is_some_and(|p| p.iter().any(|p| p["name"] == "If-Match"));
            assert!(
                !versioned || ["409", "428"].iter().all(|s| responses.contains_key(*s)),
                "{method} {path}: 409, 428"
            );
            // Every change answers with its audit entry, described as such.
            if op.get("security").is_some() && method != "get" {
                let ok = responses.iter().find(|(s, _)| s.starts_with('2')).unwrap().1;
                assert_eq!(
                    ok["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/AuditEntry",
                    "{method} {path}"
                );
            }
        }
    }
    assert!(operations >= 23, "{operations} operations");

    // Every successful JSON answer is described by its type, never as a bare object.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap().iter().filter(|(s, _)| s.starts_with('2')) {
                let schema = &response["content"]["application/json"]["schema"];
                assert!(
                    schema.is_null() || !is_bare_object(&doc, schema),
                    "{method} {path} {status} is documented as a bare object: {schema}"
                );
            }
        }
    }
    // And the answers are what the document says they are, field for field.
    for (path, uri) in [
        ("/api/v1/states", "/api/v1/states"),
        ("/api/v1/datasets", "/api/v1/datasets"),
        ("/api/v1/agreements", "/api/v1/agreements?member=PAK"),
        ("/api/v1/agreements/{id}", "/api/v1/agreements/anzus"),
        ("/api/v1/search", "/api/v1/search?q=anzus"),
        ("/api/v1/countries/{state}", "/api/v1/countries/PAK"),
        ("/api/v1/countries/{state}", "/api/v1/countries/USA?view=history&partners=all"),
        ("/api/v1/countries/{state}/assessment", "/api/v1/countries/PAK/assessment"),
        ("/api/v1/countries/{state}/assessment", "/api/v1/countries/TUR/assessment?year=1980"),
        ("/api/v1/countries/{state}/challenges", "/api/v1/countries/PAK/challenges"),
        ("/api/v1/network/{year}", "/api/v1/network/1960?level=defense"),
        ("/api/v1/network/{year}", "/api/v1/network/2020?kind=mutual-defense-pact"),
        ("/api/v1/trends", "/api/v1/trends?years=1950-1960"),
        ("/api/v1/audit", "/api/v1/audit"),
    ] {
        assert_documented(&f.app, &doc, path, uri).await;
    }

    // Lists are documented as arrays, and are sent as arrays.
    for path in ["/api/v1/states", "/api/v1/agreements", "/api/v1/search", "/api/v1/trends", "/api/v1/audit"] {
        assert_eq!(
            doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["type"], "array",
            "{path}"
        );
        let r = get(&f.app, &format!("{path}?q=anzus&years=1950-1951")).await;
        assert!(r.body.is_array(), "{path}: {}", &r.text[..r.text.len().min(200)]);
    }
    // Documents are described by the model's own types, written and read.
    let body = |path: &str, method: &str| {
        doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"].clone()
    };
    assert_eq!(body("/api/v1/agreements", "post")["$ref"], "#/components/schemas/Agreement");
    assert_eq!(
        body("/api/v1/agreements/{id}/members", "post")["properties"]["member"]["$ref"],
        "#/components/schemas/Membership"
    );
    assert_eq!(body("/api/v1/agreements/{id}/obligations", "post")["required"], json!(["obligation"]));
    assert_eq!(
        body("/api/v1/agreements/{id}/provisions", "patch")["properties"]["provisions"]["$ref"],
        "#/components/schemas/Provisions"
    );
    let record = &doc["components"]["schemas"]["AgreementRecord"];
    assert_eq!(record["properties"]["agreement"]["$ref"], "#/components/schemas/Agreement");
    let kinds = &doc["components"]["schemas"]["AgreementKind"]["enum"];
    assert!(kinds.as_array().unwrap().contains(&json!("intelligence-sharing")), "{kinds}");

    // A blank parameter, as a form sends it, counts as not given.
    assert_eq!(get(&f.app, "/api/v1/agreements?member=&kind=&text=").await.status, StatusCode::OK);
    assert_eq!(get(&f.app, "/api/v1/trends?years=").await.status, StatusCode::OK);
}

/// A schema that says no more than "an object" (or nothing at all): no properties, no
/// reference, no composition. Arrays are judged by their items.
fn is_bare_object(doc: &Value, schema: &Value) -> bool {
    let schema = resolve(doc, schema);
    if schema["type"] == "array" {
        return is_bare_object(doc, &schema["items"]);
    }
    let structure = ["properties", "additionalProperties", "allOf", "oneOf", "anyOf", "enum", "prefixItems"];
    (schema["type"].is_null() || schema["type"] == "object") && !structure.iter().any(|k| schema.get(k).is_some())
}

#[tokio::test]
async fn every_api_error_is_the_documented_json() {
    let f = fixture();
    let json_error = |r: &Reply, status: StatusCode, what: &str| {
        assert_eq!(r.status, status, "{what}: {}", r.text);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/json", "{what}");
        assert!(r.body["error"].is_string() && r.body["detail"].is_string(), "{what}: {}", r.text);
    };
    // Invalid UTF-8 in a path parameter.
    for uri in ["/api/v1/agreements/%ff%fe", "/api/v1/countries/%ff", "/api/v1/network/%c3%28", "/api/v1/audit/%ff"] {
        json_error(&get(&f.app, uri).await, StatusCode::BAD_REQUEST, uri);
    }
    // An unsupported method: 405 with the methods that are.
    let r = call(&f.app, "DELETE", "/api/v1/states", None, None).await;
    json_error(&r, StatusCode::METHOD_NOT_ALLOWED, "DELETE states");
    assert_eq!(r.headers[header::ALLOW], "GET,HEAD");
    let r = call(&f.app, "PATCH", "/api/v1/agreements/anzus", Some(&f.editor), Some("{}".into())).await;
    json_error(&r, StatusCode::METHOD_NOT_ALLOWED, "PATCH agreement");
    assert!(r.headers[header::ALLOW].to_str().unwrap().contains("PUT"));
    // Unknown paths, under the API and elsewhere.
    json_error(&get(&f.app, "/api/v1/nothing").await, StatusCode::NOT_FOUND, "unknown endpoint");
    json_error(&get(&f.app, "/api/v2/states").await, StatusCode::NOT_FOUND, "unknown version");
    // A body too large, one that is not JSON, and one of the wrong shape.
    let big = format!("{{\"summary\": \"{}\"}}", "x".repeat(300 * 1024));
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some(big)).await;
    json_error(&r, StatusCode::PAYLOAD_TOO_LARGE, "too large");
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some("{not json".into())).await;
    json_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "not JSON");
    let r = call(&f.app, "POST", "/api/v1/agreements/anzus/members", Some(&f.editor), Some("[1, 2]".into())).await;
    json_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "wrong shape");
    // Query strings that cannot be read, and a search past its bounds.
    json_error(&get(&f.app, "/api/v1/agreements?active_in=%ff").await, StatusCode::BAD_REQUEST, "bad query");
    json_error(&get(&f.app, "/api/v1/search").await, StatusCode::BAD_REQUEST, "no q");
    let words = vec!["treaty"; 13].join("+");
    let r = get(&f.app, &format!("/api/v1/search?q={words}")).await;
    json_error(&r, StatusCode::BAD_REQUEST, "13 words");
    assert!(r.body["detail"].as_str().unwrap().contains("at most 12"), "{}", r.text);
    let r = get(&f.app, &format!("/api/v1/agreements?text={words}")).await;
    json_error(&r, StatusCode::BAD_REQUEST, "13 words in a filter");
    // Too many failed authentications: 429 with Retry-After.
    for _ in 0..10 {
        call(&f.app, "PUT", "/api/v1/agreements/anzus", Some("pbt_00"), Some("{}".into())).await;
    }
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some("{}".into())).await;
    json_error(&r, StatusCode::TOO_MANY_REQUESTS, "limited");
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    // A token of the earlier kind is told apart, without looking anything up.
    let f = fixture();
    let r = call(
        &f.app,
        "PUT",
        "/api/v1/agreements/anzus",
        Some(&format!("pb_6572696e_{}", "0".repeat(64))),
        Some("{}".into()),
    )
    .await;
    json_error(&r, StatusCode::UNAUTHORIZED, "old token");
    assert!(r.body["detail"].as_str().unwrap().contains("pactbase user add"), "{}", r.text);
}

/// A bad address stored before links were checked (or by another program) is shown as
/// text, never as a link.
#[tokio::test]
async fn a_stored_address_that_is_not_http_is_never_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pactbase.db");
    let mut data = curated::load(&DataFiles::embedded()).unwrap();
    let anzus = data.agreements.iter_mut().find(|a| a.id == "anzus").unwrap();
    anzus.sources[0].url = Some("javascript:alert(1)".into());
    Store::open(&db)
        .unwrap()
        .replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition)
        .unwrap();
    let app = pactbase_web::router(pactbase_web::AppState::new(&db).unwrap());
    let page = get(&app, "/agreements/anzus").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("javascript:alert(1)"), "shown as text");
    assert!(!page.text.contains("href=\"javascript:"), "never a link");
    assert!(page.text.contains("href=\"https://paperspast.natlib.govt.nz/"), "good addresses stay links");
}

#[tokio::test]
async fn the_network_of_one_kind_of_agreement() {
    let f = fixture();
    // Five Eyes sets no obligation; with the kind filter its parties are tied all the same.
    let r = get(&f.app, "/api/v1/network/2010?kind=intelligence-sharing").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["kind"], "intelligence-sharing");
    let tied = tied_states(&r.body);
    for abb in ["USA", "UKG", "CAN", "AUL", "NEW"] {
        assert!(tied.contains(abb), "{abb} missing from {tied:?}");
    }
    assert!(!tied.contains("PAK"), "{tied:?}");
    let all = get(&f.app, "/api/v1/network/2010").await;
    assert_eq!(all.body["kind"], Value::Null);
    // Defense pacts only: a subset of the states the registry ties in 1960, Pakistan among them.
    let defense = get(&f.app, "/api/v1/network/1960?kind=mutual-defense-pact&level=defense").await;
    assert!(tied_states(&defense.body).contains("PAK"));
    assert!(tied_states(&defense.body).is_subset(&tied_states(&get(&f.app, "/api/v1/network/1960").await.body)));
}

#[tokio::test]
async fn a_running_server_sees_changes_made_by_other_processes() {
    let f = fixture();
    let before = get(&f.app, "/api/v1/network/2010?kind=intelligence-sharing").await;
    assert!(tied_states(&before.body).contains("NEW"));
    let profile = get(&f.app, "/api/v1/countries/NZL").await;
    assert!(profile.text.contains("ukusa"), "{}", profile.text);

    // `pactbase init` from another process, with UKUSA gone from the data.
    let mut data = curated::load(&DataFiles::embedded()).unwrap();
    data.agreements.retain(|a| a.id != "ukusa");
    data.exercises.iter_mut().filter(|e| e.agreement.as_deref() == Some("ukusa")).for_each(|e| e.agreement = None);
    let mut store = Store::open(&f.db).unwrap();
    store.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition).unwrap();

    let after = get(&f.app, "/api/v1/network/2010?kind=intelligence-sharing").await;
    assert!(!tied_states(&after.body).contains("NEW"), "{}", after.text);
    assert!(!get(&f.app, "/api/v1/countries/NZL").await.text.contains("ukusa"));
}
