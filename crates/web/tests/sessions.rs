//! Editors on the web (issue 19 item 8): signing in with a token starts a session whose
//! cookie carries no token (HttpOnly, SameSite=Strict, Path=/, Secure behind an HTTPS
//! proxy); forms then change data under the editor's name only with the session's CSRF
//! token; a wrong token is refused and counted as the API counts it; signing out, or a
//! replaced token, ends what the session may do; the API ignores the cookie.

mod support;

use std::time::Duration;

use pactbase_store::Role;
use pactbase_web::Limits;
use serde_json::Value;

use support::{add_user, get, post_form, registry_db, send, Reply};

/// The cookie (`name=value`) a sign-in set, with the whole header.
fn session_cookie(r: &Reply) -> (String, String) {
    let set = r.headers["set-cookie"].to_str().unwrap().to_owned();
    (set.split(';').next().unwrap().to_owned(), set)
}

/// The CSRF token of the signed-in page.
fn csrf(page: &str) -> String {
    let start = page.find("name=\"csrf\" value=\"").expect("the page carries the CSRF token") + 19;
    page[start..start + 64].to_owned()
}

async fn provisions(app: &axum::Router) -> (Value, i64) {
    let r = get(app, "/api/v1/agreements/anzus", None).await.json();
    (r["agreement"]["provisions"].clone(), r["version"].as_i64().unwrap())
}

#[tokio::test]
async fn editors_sign_in_change_through_forms_with_the_csrf_token_and_sign_out() {
    let (_dir, db) = registry_db();
    let token = add_user(&db, "erin", Role::Editor);
    let app = pactbase_web::router(pactbase_web::AppState::new(&db).unwrap());

    // A reader sees no form, and a link to sign in that comes back.
    let page = get(&app, "/agreements/anzus", None).await;
    assert!(!page.text.contains("Edit this agreement") && !page.text.contains("Set the provisions"));
    assert!(page.text.contains("href=\"/sign-in?next=%2Fagreements%2Fanzus\""), "{}", page.text);
    assert_eq!(get(&app, "/sign-in", None).await.status, 200);

    // A wrong token: the form again, 401, no cookie.
    let r = post_form(&app, "/sign-in", &[("token", "pbt_0000000000000000_00")], None).await;
    assert_eq!(r.status, 401);
    assert!(r.text.contains("the token is not valid") && r.headers.get("set-cookie").is_none());

    let r = post_form(&app, "/sign-in", &[("token", &token), ("next", "/agreements/anzus")], None).await;
    assert_eq!((r.status.as_u16(), r.headers["location"].to_str().unwrap()), (303, "/agreements/anzus"));
    let (cookie, set) = session_cookie(&r);
    assert!(!set.contains(&token) && !set.contains(&token[4..20]), "the cookie never carries the token");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(set.contains(attribute), "{attribute} in {set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP: a Secure cookie would never come back");
    assert_eq!(cookie.len(), "pactbase_session=".len() + 64);

    let page = get(&app, "/agreements/anzus", Some(&cookie)).await;
    assert!(page.text.contains("Signed in as <strong>erin</strong>") && page.text.contains("Edit this agreement"));
    assert_eq!(page.headers["cache-control"], "no-store", "a page with a CSRF token is not cached");
    let csrf = csrf(&page.text);
    let (before, version) = provisions(&app).await;
    let v = version.to_string();
    let change = |csrf: &'static str| {
        [("version", v.clone()), ("intelligence_sharing", "yes".to_owned()), ("csrf", csrf.to_owned())]
    };
    let post = |fields: Vec<(&'static str, String)>, cookie: Option<String>| {
        let app = app.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(&app, "/agreements/anzus/provisions", &fields, cookie.as_deref()).await
        }
    };

    // Without the CSRF token, with a wrong one, or without the session: 403, nothing changed.
    let without: Vec<_> = change("").into_iter().filter(|(k, _)| *k != "csrf").collect();
    let r = post(without, Some(cookie.clone())).await;
    assert_eq!(r.status, 403);
    assert!(r.text.contains("<h1>Not allowed</h1>") && r.text.contains("security token"), "{}", r.text);
    let wrong = "0".repeat(64).leak();
    assert_eq!(post(change(wrong).to_vec(), Some(cookie.clone())).await.status, 403);
    let good: &'static str = csrf.clone().leak();
    let r = post(change(good).to_vec(), None).await;
    assert_eq!(r.status, 403);
    assert!(r.text.contains("not signed in"), "{}", r.text);
    assert_eq!(provisions(&app).await, (before.clone(), version), "nothing was written");

    // With it: stored, and audited under the editor's name as the API's changes are.
    let r = post(change(good).to_vec(), Some(cookie.clone())).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let (after, _) = provisions(&app).await;
    assert_eq!(after["intelligence_sharing"], true);
    assert_eq!(get(&app, "/api/v1/audit", None).await.json()[0]["user"], "erin");

    // The API takes bearer tokens only: the cookie authorises nothing there.
    let r = send(
        &app,
        "PATCH",
        "/api/v1/agreements/anzus/provisions",
        &[("cookie", &cookie), ("content-type", "application/json")],
        "{\"version\": 2, \"provisions\": {}}".into(),
    )
    .await;
    assert_eq!(r.status, 401);

    // Signing out needs the token too, then ends the session.
    assert_eq!(post_form(&app, "/sign-out", &[], Some(&cookie)).await.status, 403);
    let r = post_form(&app, "/sign-out", &[("csrf", good)], Some(&cookie)).await;
    assert_eq!(r.status, 303);
    assert!(r.headers["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert!(!get(&app, "/agreements/anzus", Some(&cookie)).await.text.contains("Edit this agreement"));
    assert_eq!(post(change(good).to_vec(), Some(cookie)).await.status, 403);
}

#[tokio::test]
async fn a_replaced_token_ends_what_its_sessions_may_do_and_https_proxies_get_a_secure_cookie() {
    let (_dir, db) = registry_db();
    let token = add_user(&db, "erin", Role::Editor);
    let app = pactbase_web::router(pactbase_web::AppState::new(&db).unwrap());
    let body = format!("token={token}");
    let headers = [("content-type", "application/x-www-form-urlencoded"), ("x-forwarded-proto", "https")];
    let r = send(&app, "POST", "/sign-in", &headers, body).await;
    let (cookie, set) = session_cookie(&r);
    assert!(set.ends_with("; Secure"), "{set}");
    let csrf = csrf(&get(&app, "/sign-in", Some(&cookie)).await.text);
    // `pactbase user add erin` again: a new token replaces the old.
    add_user(&db, "erin", Role::Editor);
    let (_, version) = provisions(&app).await;
    let v = version.to_string();
    let r = post_form(&app, "/agreements/anzus/provisions", &[("version", &v), ("csrf", &csrf)], Some(&cookie)).await;
    assert_eq!(r.status, 403);
    assert!(r.text.contains("no longer valid"), "{}", r.text);
    // A sign-in posted from another site is refused.
    let cross = [("content-type", "application/x-www-form-urlencoded"), ("sec-fetch-site", "cross-site")];
    assert_eq!(send(&app, "POST", "/sign-in", &cross, format!("token={token}")).await.status, 403);
}

#[tokio::test]
async fn failed_sign_ins_are_limited_as_the_api_limits_them() {
    let (_dir, db) = registry_db();
    let token = add_user(&db, "erin", Role::Editor);
    let limits = Limits { auth_failures: 2, auth_window: Duration::from_secs(60), ..Limits::default() };
    let app = pactbase_web::router(pactbase_web::AppState::with_limits(&db, limits).unwrap());
    for _ in 0..2 {
        assert_eq!(post_form(&app, "/sign-in", &[("token", "wrong")], None).await.status, 401);
    }
    let r = post_form(&app, "/sign-in", &[("token", &token)], None).await;
    assert_eq!(r.status, 429, "even a good token, from this client, until the window ends");
    assert!(r.headers["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/html"), "a page for the browser");
}
