//! The small edits and the editing forms: a member, an obligation or the provisions
//! changed without sending the whole document, and a new agreement from its page.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::*;

#[tokio::test]
async fn the_new_agreement_page_creates_an_audited_agreement() {
    let f = fixture();
    let page = get(&f.app, "/agreements/new").await;
    assert!(page.text.contains("Sign in to edit") && !page.text.contains("<textarea"), "readers get no form");
    let (cookie, _) = sign_in(&f.app, &f.editor).await.ok().unwrap();
    let page = get_as(&f.app, "/agreements/new", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    // The template as it stands is refused, field by field.
    let start = page.text.find("name=\"document\"").unwrap();
    let template = &page.text[page.text[start..].find('>').unwrap() + start + 1..];
    let template = html_unescape(&template[..template.find("</textarea>").unwrap()]);
    let r = post_form(&f.app, "/agreements/new", &[("token", &f.editor), ("document", &template)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    for field in [
        "<code>id</code>",
        "<code>name</code>",
        "<code>kinds</code>",
        "<code>summary</code>",
        "<code>members[0].ccode</code>",
    ] {
        assert!(r.text.contains(field), "{field} not named in the errors");
    }

    let mut doc: Value = serde_json::from_str(&template).unwrap();
    doc["id"] = json!("pakistan-turkey-test-pact");
    doc["name"] = json!("A test agreement");
    doc["kinds"] = json!(["exercise-and-training"]);
    doc["summary"] = json!("Written by the test.");
    doc["sources"][0]["title"] = json!("Test source");
    doc["sources"][0]["publisher"] = json!("pactbase tests");
    doc["sources"][0]["url"] = json!("https://example.org/test-agreement");
    // States by name or abbreviation, as on the command line; a misspelling is named.
    doc["members"][0]["ccode"] = json!("Pakistn");
    doc["members"][1]["ccode"] = json!("TUR");
    let r = post_form(&f.app, "/agreements/new", &[("token", &f.editor), ("document", &doc.to_string())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("<code>members[0].ccode</code>") && r.text.contains("Pakistan (PAK, 770)"), "{}", r.text);
    assert!(!r.text.contains("<code>members[1].ccode</code>"), "TUR names Turkey");
    doc["members"][0]["ccode"] = json!("Pakistan");
    let r = post_form(&f.app, "/agreements/new", &[("token", "wrong"), ("document", &doc.to_string())]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&f.app, "/api/v1/agreements/pakistan-turkey-test-pact").await.status, StatusCode::NOT_FOUND);

    let r = post_form(&f.app, "/agreements/new", &[("token", &f.editor), ("document", &doc.to_string())]).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.text);
    assert_eq!(r.headers[header::LOCATION], "/agreements/pakistan-turkey-test-pact");
    let stored = get(&f.app, "/api/v1/agreements/pakistan-turkey-test-pact").await;
    assert_eq!(stored.body["agreement"]["members"][1]["ccode"], 640);
    let log = get(&f.app, "/api/v1/audit").await.body;
    assert_eq!((log[0]["action"].as_str(), log[0]["user"].as_str()), (Some("create"), Some("erin")));
    // A second creation with the same id conflicts and changes nothing.
    let r = post_form(&f.app, "/agreements/new", &[("token", &f.editor), ("document", &doc.to_string())]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(get(&f.app, "/api/v1/audit").await.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_new_member_is_recorded_without_sending_the_whole_document() {
    let f = fixture();
    let (_, version) = anzus(&f.app).await;
    let add =
        |body: Value| call(&f.app, "POST", "/api/v1/agreements/anzus/members", Some(&f.editor), Some(body.to_string()));
    let member = json!({"ccode": "Japan", "joined": "2024-01-01", "role": "acceded", "source": "treaty"});

    let r = add(json!({ "member": member })).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    let r = add(json!({"version": version, "member": {"ccode": "Japn", "joined": "2024", "role": "acceded", "source": "nowhere"}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = r.body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["member.ccode", "member.source"], "{}", r.text);
    let r = call(
        &f.app,
        "POST",
        "/api/v1/agreements/anzus/members",
        None,
        Some(json!({"version": version, "member": member}).to_string()),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anzus(&f.app).await.1, version, "nothing stored by the refused requests");

    let r = add(json!({"version": version, "member": member})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (doc, now) = anzus(&f.app).await;
    assert_eq!(now, version + 1);
    let last = doc["members"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["ccode"].clone(), last["joined"].clone(), last["left"].clone()),
        (json!(740), json!("2024-01-01"), Value::Null)
    );
    assert_eq!(get(&f.app, "/api/v1/audit?agreement=anzus").await.body[0]["action"], "update");
    // Based on the old version: refused, and nothing is added twice.
    assert_eq!(add(json!({"version": version, "member": member})).await.status, StatusCode::CONFLICT);
    assert_eq!(anzus(&f.app).await.0["members"].as_array().unwrap().len(), doc["members"].as_array().unwrap().len());

    // The same from the agreement page's form, which editors see once signed in.
    let page = get(&f.app, "/agreements/anzus").await;
    assert!(!page.text.contains("Record a new member") && page.text.contains("Sign in to edit"));
    let (cookie, _) = sign_in(&f.app, &f.editor).await.ok().unwrap();
    let page = get_as(&f.app, "/agreements/anzus", &cookie).await;
    assert!(page.text.contains("Record a new member") && page.text.contains("Add a source"));
    assert!(page.text.contains("obligations 1986-08-11– toward New Zealand"), "the US suspension names its scope");
    let v = now.to_string();
    let form = |state: &'static str| {
        [
            ("token", f.editor.as_str()),
            ("version", &v),
            ("state", state),
            ("joined", "2025"),
            ("role", "acceded"),
            ("source", "treaty"),
        ]
    };
    let r = post_form(&f.app, "/agreements/anzus/members", &form("Atlantis")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("<code>member.ccode</code>"), "{}", r.text);
    let r = post_form(&f.app, "/agreements/anzus/members", &form("ROK")).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.text);
    let (doc, version) = anzus(&f.app).await;
    assert_eq!(doc["members"].as_array().unwrap().last().unwrap()["ccode"], 732);

    // A new source first, then a member citing it.
    let add_source =
        |body: Value| call(&f.app, "POST", "/api/v1/agreements/anzus/sources", Some(&f.editor), Some(body.to_string()));
    let r = add_source(json!({"version": version, "source": {"key": "treaty", "title": "T", "publisher": "P"}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = r.body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["source.key", "source.url"], "the key is taken and a url or reference is needed: {}", r.text);
    let v = version.to_string();
    let r = post_form(
        &f.app,
        "/agreements/anzus/sources",
        &[
            ("token", &f.editor),
            ("version", &v),
            ("key", "accession"),
            ("title", "Protocol of accession"),
            ("publisher", "Depositary"),
            ("url", "https://example.org/protocol"),
        ],
    )
    .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.text);
    let member = json!({"ccode": "IND", "joined": "2025-06", "role": "acceded", "source": "accession"});
    let r = add(json!({"version": version + 1, "member": member})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (doc, _) = anzus(&f.app).await;
    assert_eq!(doc["sources"].as_array().unwrap().last().unwrap()["key"], "accession");
    assert_eq!(doc["members"].as_array().unwrap().last().unwrap()["source"], "accession");

    // A member leaves: its open membership ends; a state without one is refused.
    let (_, version) = anzus(&f.app).await;
    let leave = |body: Value| {
        call(&f.app, "POST", "/api/v1/agreements/anzus/departures", Some(&f.editor), Some(body.to_string()))
    };
    let r = leave(json!({"version": version, "state": "France", "left": "2026"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["fields"][0]["field"], "state", "{}", r.text);
    let r = leave(json!({"version": version, "state": "India", "left": "2024"})).await;
    assert_eq!(r.body["fields"][0]["field"], "left", "leaving before joining (2025-06): {}", r.text);
    let r =
        leave(json!({"version": version, "state": "India", "left": "2026-02-01", "note": "Withdrew (test)."})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (doc, version) = anzus(&f.app).await;
    let india = doc["members"].as_array().unwrap().iter().find(|m| m["ccode"] == 750).unwrap().clone();
    assert_eq!((india["left"].clone(), india["note"].clone()), (json!("2026-02-01"), json!("Withdrew (test).")));
    let v = version.to_string();
    let r = post_form(
        &f.app,
        "/agreements/anzus/departures",
        &[("token", &f.editor), ("version", &v), ("state", "732"), ("left", "2026")],
    )
    .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.text);
    let (doc, _) = anzus(&f.app).await;
    assert_eq!(doc["members"].as_array().unwrap().iter().find(|m| m["ccode"] == 732).unwrap()["left"], "2026");
}

#[tokio::test]
async fn obligations_and_provisions_are_changed_without_sending_the_whole_document() {
    let f = fixture();
    let (before, version) = anzus(&f.app).await;
    let obligations = |doc: &Value| doc["obligations"].as_array().unwrap().clone();
    let fields = |r: &Reply| {
        let mut v: Vec<String> =
            r.body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_owned()).collect();
        v.sort();
        v
    };
    let add = |body: Value| {
        call(&f.app, "POST", "/api/v1/agreements/anzus/obligations", Some(&f.editor), Some(body.to_string()))
    };

    // An obligation: refused without a version, with an unknown type, a non-member holder
    // or an empty target; then stored with the optional fields filled in.
    let neutrality =
        json!({"type": "neutrality", "from": {"states": ["USA"]}, "toward": "third-party", "source": "treaty"});
    assert_eq!(add(json!({ "obligation": neutrality })).await.status, StatusCode::PRECONDITION_REQUIRED);
    let r = add(json!({"version": version, "obligation": {"type": "alliance", "source": "treaty"}})).await;
    assert_eq!(
        (r.status, fields(&r)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["obligation.type".to_owned()]),
        "{}",
        r.text
    );
    let r = add(json!({"version": version, "obligation":
        {"type": "defense", "from": {"states": ["Japan"]}, "toward": {"states": []}, "source": "treaty"}}))
    .await;
    assert_eq!(fields(&r), ["obligation.from[0]", "obligation.toward"], "{}", r.text);
    assert_eq!(anzus(&f.app).await.1, version, "nothing stored by the refused requests");
    let r = add(json!({"version": version, "obligation": neutrality})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (doc, version) = anzus(&f.app).await;
    assert_eq!(obligations(&doc).len(), obligations(&before).len() + 1);
    assert_eq!(
        obligations(&doc).last().unwrap(),
        &json!({"type": "neutrality", "from": {"states": [2]}, "toward": "third-party", "conditional": false,
                "article": null, "note": null, "source": "treaty"})
    );

    // The same from the agreement page's form, states named as on the command line.
    let (cookie, _) = sign_in(&f.app, &f.editor).await.ok().unwrap();
    let page = get_as(&f.app, "/agreements/anzus", &cookie).await;
    for form in ["Add an obligation", "Remove an obligation", "Set the provisions"] {
        assert!(page.text.contains(form), "the page offers “{form}”");
    }
    let v = version.to_string();
    let r = post_form(
        &f.app,
        "/agreements/anzus/obligations",
        &[
            ("token", &f.editor),
            ("version", &v),
            ("type", "consultation"),
            ("from", "USA, Australia"),
            ("toward", "states"),
            ("toward_states", "New Zealand"),
            ("conditional", "yes"),
            ("article", "Art. III"),
            ("source", "treaty"),
        ],
    )
    .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.text);
    let (doc, version) = anzus(&f.app).await;
    let last = obligations(&doc).last().unwrap().clone();
    assert_eq!(
        (&last["type"], &last["from"], &last["toward"], &last["conditional"], &last["article"]),
        (
            &json!("consultation"),
            &json!({"states": [2, 900]}),
            &json!({"states": [920]}),
            &json!(true),
            &json!("Art. III")
        )
    );

    // Removing one: by its number in the version the If-Match header names.
    let remove = |number: &str, version: Option<i64>| {
        let mut req = Request::builder()
            .method("DELETE")
            .uri(format!("/api/v1/agreements/anzus/obligations/{number}"))
            .header(header::AUTHORIZATION, format!("Bearer {}", f.editor));
        if let Some(v) = version {
            req = req.header(header::IF_MATCH, format!("\"{v}\""));
        }
        let app = f.app.clone();
        async move { app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap().status() }
    };
    assert_eq!(remove("0", None).await, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(remove("99", Some(version)).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(remove("first", Some(version)).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(remove("0", Some(version - 1)).await, StatusCode::CONFLICT);
    let count = obligations(&doc).len();
    assert_eq!(remove(&(count - 1).to_string(), Some(version)).await, StatusCode::OK);
    let (doc, version) = anzus(&f.app).await;
    assert_eq!(obligations(&doc).len(), count - 1);
    assert_eq!(obligations(&doc).last().unwrap()["type"], "neutrality", "the consultation just added is gone");
    let listed = &get(&f.app, "/api/v1/audit?agreement=anzus").await.body[0];
    let entry = get(&f.app, &format!("/api/v1/audit/{}", listed["id"])).await.body;
    assert_eq!(entry["before"]["obligations"].as_array().unwrap().len(), count, "the audit keeps what was removed");
    let (v, last) = (version.to_string(), (count - 2).to_string());
    let r = post_form(
        &f.app,
        "/agreements/anzus/obligations/remove",
        &[("token", &f.editor), ("version", &v), ("obligation", &last)],
    )
    .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.text);
    let (doc, version) = anzus(&f.app).await;
    assert_eq!(obligations(&doc), obligations(&before), "back to the treaty's own obligations");

    // Provisions: the named ones change, the others keep their values.
    let set = |body: Value| {
        call(&f.app, "PATCH", "/api/v1/agreements/anzus/provisions", Some(&f.editor), Some(body.to_string()))
    };
    let r = set(json!({"version": version, "provisions": {"military_aid": true, "bases": true, "arms_limits": "yes"}}))
        .await;
    assert_eq!(fields(&r), ["provisions.arms_limits", "provisions.bases"], "{}", r.text);
    assert_eq!(
        set(json!({"version": version - 1, "provisions": {"military_aid": true}})).await.status,
        StatusCode::CONFLICT
    );
    let r = set(json!({"version": version, "provisions": {"military_aid": true, "integrated_command": null}})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (doc, version) = anzus(&f.app).await;
    let mut expected = before["provisions"].clone();
    expected["military_aid"] = json!(true);
    expected["integrated_command"] = Value::Null;
    assert_eq!(doc["provisions"], expected);

    // The provisions form sends every provision: yes, no or not established.
    let v = version.to_string();
    let mut form: Vec<(&str, &str)> = vec![("token", &f.editor), ("version", &v)];
    let names: Vec<String> = doc["provisions"].as_object().unwrap().keys().cloned().collect();
    for name in &names {
        form.push((name, if name == "joint_exercises" { "yes" } else { "" }));
    }
    form.push(("organisation", "no"));
    let r =
        post_form(&f.app, "/agreements/anzus/provisions", &[&form[..], &[("foreign_bases", "maybe")]].concat()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("<code>provisions.foreign_bases</code>"), "{}", r.text);
    let r = post_form(&f.app, "/agreements/anzus/provisions", &form).await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.text);
    let (doc, _) = anzus(&f.app).await;
    let set_to: Vec<(&str, &Value)> = doc["provisions"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    assert_eq!(set_to, [("joint_exercises", &json!(true)), ("organisation", &json!(false))]);
}
