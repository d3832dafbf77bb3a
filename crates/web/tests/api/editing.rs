//! Writing through the API: tokens and roles, stale versions (409), invalid bodies (422
//! with field paths), the audit log and reverts.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_store::{Role, Store};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::*;

#[tokio::test]
async fn writing_needs_a_valid_token_of_the_right_role() {
    let f = fixture();
    let (mut doc, version) = anzus(&f.app).await;
    doc["summary"] = json!("Changed.");
    doc["version"] = json!(version);
    let body = doc.to_string();
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", None, Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["error"], "unauthorized");
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some("not-a-token"), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Well-formed, right user, wrong secret.
    let forged = format!("{}{}", &f.editor[..f.editor.len() - 4], "0000");
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&forged), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A user that does not exist.
    let (ghost, _) = pactbase_web::issue_token();
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&ghost), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anzus(&f.app).await.1, version, "nothing was written");

    // An editor may not revert.
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let entry = r.body["id"].as_i64().unwrap();
    let r = call(&f.app, "POST", &format!("/api/v1/audit/{entry}/revert"), Some(&f.editor), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["error"], "forbidden");
    // A token replaced by `user add` stops working at once.
    let fresh = add_user(&f.db, "erin", Role::Editor);
    let (mut doc, v) = anzus(&f.app).await;
    doc["version"] = json!(v);
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some(doc.to_string())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&fresh), Some(doc.to_string())).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn stale_versions_conflict_and_nothing_is_overwritten() {
    let f = fixture();
    let (doc, version) = anzus(&f.app).await;
    let mut first = doc.clone();
    first["summary"] = json!("First editor's summary.");
    let mut second = doc.clone();
    second["summary"] = json!("Second editor's summary.");
    // Version by If-Match.
    let req = Request::builder()
        .method("PUT")
        .uri("/api/v1/agreements/anzus")
        .header(header::AUTHORIZATION, format!("Bearer {}", f.editor))
        .header(header::IF_MATCH, format!("\"{version}\""))
        .body(Body::from(first.to_string()))
        .unwrap();
    let res = f.app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::ETAG], format!("\"{}\"", version + 1));
    // The second editor started from the same version: refused, nothing overwritten.
    second["version"] = json!(version);
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some(second.to_string())).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["error"], "stale");
    let (now, v) = anzus(&f.app).await;
    assert_eq!(now["summary"], "First editor's summary.");
    assert_eq!(v, version + 1);
    // No version at all.
    second.as_object_mut().unwrap().remove("version");
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some(second.to_string())).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(get(&f.app, "/api/v1/audit").await.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn invalid_bodies_are_refused_with_field_paths() {
    let f = fixture();
    let (doc, version) = anzus(&f.app).await;
    let put = |body: String| call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some(body));
    let fields = |r: &Reply| -> Vec<String> {
        r.body["fields"]
            .as_array()
            .map_or(vec![], |a| a.iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect())
    };

    let r = put("{not json".into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["error"], "invalid");

    let mut bad = doc.clone();
    bad["version"] = json!(version);
    bad["members"][1]["ccode"] = json!("Atlantis");
    let r = put(bad.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r), ["members[1].ccode"], "{}", r.text);
    bad["members"][1]["ccode"] = json!(true);
    assert_eq!(fields(&put(bad.to_string()).await), ["members[1].ccode"]);

    let mut bad = doc.clone();
    bad["version"] = json!(version);
    bad["signed"] = json!("1951-13-40");
    let r = put(bad.to_string()).await;
    assert_eq!(fields(&r), ["signed"], "{}", r.text);

    let mut bad = doc.clone();
    bad["version"] = json!(version);
    bad["kinds"] = json!(["friendship"]);
    assert_eq!(fields(&put(bad.to_string()).await), ["kinds[0]"]);

    // Well-formed but breaking the registry's rules: every problem at once.
    let mut bad = doc.clone();
    bad["version"] = json!(version);
    bad["kinds"] = json!([]);
    bad["ended"] = json!("1950");
    bad["members"][0]["ccode"] = json!(9999);
    bad["members"][1]["source"] = json!("nowhere");
    bad["obligations"][0]["source"] = json!("nowhere");
    let r = put(bad.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let got = fields(&r);
    for want in ["kinds", "ended", "members[0].ccode", "members[1].source", "obligations[0].source"] {
        assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
    }
    let mut bad = doc.clone();
    bad["id"] = json!("nato");
    bad["version"] = json!(version);
    assert_eq!(fields(&put(bad.to_string()).await), ["id"]);

    // Too large a body.
    let big = format!("{{\"summary\": \"{}\"}}", "x".repeat(pactbase_web::BODY_LIMIT + 10));
    let r = put(big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.body["error"], "too_large");
    // Nothing was stored by any of these.
    assert_eq!(anzus(&f.app).await.1, version);
    assert!(get(&f.app, "/api/v1/audit").await.body.as_array().unwrap().is_empty());
}

/// Issue 20 item 7 and issue 15 item 2, as a user would send them: dates outside the
/// state system or out of order, the same member twice, unknown fields and addresses that
/// are not http(s) are refused at their field, and nothing is stored.
#[tokio::test]
async fn dates_duplicates_unknown_fields_and_links_are_refused_at_their_field() {
    let f = fixture();
    let (doc, version) = anzus(&f.app).await;
    let put = |body: Value| call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some(body.to_string()));
    let fields = |r: &Reply| -> Vec<String> {
        r.body["fields"]
            .as_array()
            .map_or(vec![], |a| a.iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect())
    };
    let with = |path: &[&str], value: Value| {
        let mut bad = doc.clone();
        bad["version"] = json!(version);
        let mut at = &mut bad;
        for step in path {
            at = match step.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*step],
            };
        }
        *at = value;
        bad
    };
    for signed in ["0000", "0001", "1066", "2999"] {
        let r = put(with(&["signed"], json!(signed))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{signed}");
        assert!(fields(&r).contains(&"signed".to_owned()), "{signed}: {}", r.text);
    }
    for joined in ["0001", "9999", "1950"] {
        let r = put(with(&["members", "1", "joined"], json!(joined))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{joined}");
        assert!(fields(&r).iter().all(|f| f == "members[1].joined"), "{joined}: {}", r.text);
    }
    let r = put(with(&["in_force"], json!("1951-01-01"))).await;
    assert_eq!(fields(&r), ["in_force"], "in force before signature: {}", r.text);
    let mut twice = doc.clone();
    twice["version"] = json!(version);
    let again = twice["members"][1].clone();
    twice["members"].as_array_mut().unwrap().push(again);
    let r = put(twice).await;
    assert_eq!(fields(&r), [format!("members[{}].ccode", doc["members"].as_array().unwrap().len())], "{}", r.text);
    let r = put(with(&["members", "0", "colour"], json!("blue"))).await;
    assert_eq!(fields(&r), ["members[0].colour"], "{}", r.text);
    let r = put(with(&["sources", "0", "url"], json!("javascript:alert(1)"))).await;
    assert_eq!(fields(&r), ["sources[0].url"], "{}", r.text);
    let source = json!({"key": "x", "title": "T", "publisher": "P", "url": "data:text/html,<script>alert(1)</script>"});
    let r = call(
        &f.app,
        "POST",
        "/api/v1/agreements/anzus/sources",
        Some(&f.editor),
        Some(json!({"version": version, "source": source}).to_string()),
    )
    .await;
    assert_eq!((r.status, fields(&r)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["source.url".to_owned()]), "{}", r.text);
    assert_eq!(anzus(&f.app).await.1, version, "nothing was stored");
    assert!(get(&f.app, "/api/v1/audit").await.body.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn changes_are_audited_and_an_admin_can_revert_them() {
    let f = fixture();
    let (doc, version) = anzus(&f.app).await;
    let mut changed = doc.clone();
    changed["summary"] = json!("An audited change.");
    changed["version"] = json!(version);
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some(changed.to_string())).await;
    assert_eq!(r.status, StatusCode::OK);
    let update = r.body["id"].as_i64().unwrap();

    let log = get(&f.app, "/api/v1/audit").await.body;
    assert_eq!(log[0]["action"], "update");
    assert_eq!(log[0]["user"], "erin");
    assert_eq!(log[0]["agreement_id"], "anzus");
    // The listing names the changed values; the whole documents are one request away.
    let change = &log[0]["changes"][0];
    assert_eq!(log[0]["changes"].as_array().unwrap().len(), 1);
    assert_eq!((change["path"].as_str(), change["after"].as_str()), (Some("summary"), Some("An audited change.")));
    // ANZUS's summary is long: the listing shows its beginning.
    let old = doc["summary"].as_str().unwrap();
    let shown = change["before"].as_str().unwrap();
    assert!(shown.ends_with('…') && old.starts_with(shown.trim_end_matches('…')), "{shown}");
    assert_eq!(change["elided"], true);
    assert!(log[0].get("before").is_none() && log[0].get("after").is_none());
    assert!(log[0]["at"].as_str().unwrap().ends_with('Z'));
    let whole = get(&f.app, &format!("/api/v1/audit/{update}")).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.body["before"]["summary"], doc["summary"]);
    assert_eq!(whole.body["after"]["summary"], "An audited change.");
    assert_eq!(get(&f.app, "/api/v1/audit/999").await.body["error"], "not_found");
    // The change shows in searches and profiles at once (caches are cleared).
    assert_eq!(get(&f.app, "/api/v1/search?q=audited").await.body[0]["id"], "anzus");

    let r = call(&f.app, "POST", &format!("/api/v1/audit/{update}/revert"), Some(&f.admin), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["action"], "revert");
    assert_eq!(r.body["reverts"], update);
    let (now, v) = anzus(&f.app).await;
    assert_eq!(now["summary"], doc["summary"]);
    assert_eq!(v, version + 2);
    // The reverted entry is no longer the latest change: reverting it again conflicts.
    let r = call(&f.app, "POST", &format!("/api/v1/audit/{update}/revert"), Some(&f.admin), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        call(&f.app, "POST", "/api/v1/audit/999/revert", Some(&f.admin), None).await.status,
        StatusCode::NOT_FOUND
    );

    // Creating an agreement, then reverting the creation removes it.
    let mut new = doc.clone();
    new["id"] = json!("anzus-copy");
    new["atopid"] = Value::Null;
    new["atop_exceptions"] = json!([]);
    let r = call(&f.app, "POST", "/api/v1/agreements", Some(&f.editor), Some(new.to_string())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let created = r.body["id"].as_i64().unwrap();
    assert_eq!(get(&f.app, "/api/v1/agreements/anzus-copy").await.status, StatusCode::OK);
    let r = call(&f.app, "POST", "/api/v1/agreements", Some(&f.editor), Some(new.to_string())).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = call(&f.app, "POST", &format!("/api/v1/audit/{created}/revert"), Some(&f.admin), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(get(&f.app, "/api/v1/agreements/anzus-copy").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&f.app, "/api/v1/audit?agreement=anzus-copy").await.body.as_array().unwrap().len(), 2);

    // The listing is paged, newest first: `after` continues from an entry.
    let ids = |log: &Value| log.as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect::<Vec<_>>();
    let all = ids(&get(&f.app, "/api/v1/audit").await.body);
    assert_eq!(all.len(), 4);
    let first = ids(&get(&f.app, "/api/v1/audit?limit=3").await.body);
    assert_eq!(first, all[..3]);
    let next = ids(&get(&f.app, &format!("/api/v1/audit?limit=3&after={}", first[2])).await.body);
    assert_eq!(next, all[3..]);
    // A creation is listed as the whole document, elided.
    let listed = get(&f.app, "/api/v1/audit?agreement=anzus-copy").await.body;
    assert_eq!(listed[1]["changes"], json!([{"path": "", "before": null, "after": null, "elided": true}]));
    // The Changes page pages the same way.
    let page = get(&f.app, "/audit").await;
    assert!(page.text.contains(&format!("href=\"/api/v1/audit/{update}\"")), "{}", page.text);
}

#[tokio::test]
async fn init_keeps_agreements_edited_through_the_api() {
    let f = fixture();
    let (mut doc, version) = anzus(&f.app).await;
    doc["summary"] = json!("Edited, kept by init.");
    doc["version"] = json!(version);
    let r = call(&f.app, "PUT", "/api/v1/agreements/anzus", Some(&f.editor), Some(doc.to_string())).await;
    assert_eq!(r.status, StatusCode::OK);
    let data = curated::load(&DataFiles::embedded()).unwrap();
    let mut store = Store::open(&f.db).unwrap();
    store.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition).unwrap();
    assert_eq!(store.edited_agreement_ids().unwrap(), ["anzus"]);
    let kept = store.agreement_versioned("anzus").unwrap().unwrap();
    assert_eq!(kept.agreement.summary, "Edited, kept by init.");
    assert_eq!(kept.version, version + 1);
    assert_eq!(store.agreement("nato").unwrap().unwrap().id, "nato");
}
