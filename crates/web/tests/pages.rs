//! The pages as researchers use them, on the built-in registry: tables as CSV and figures
//! as SVG through one mechanism, the agreement list's pages, filters and labels, the
//! countries index against the API, citations and data stamps, the network's years, case
//! studies compared with any state, the glossary's links into the methods, and imports in
//! the change log.

use std::collections::HashSet;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_model::research::{Dataset, DatasetFile};
use pactbase_store::Store;
use serde_json::Value;
use tower::ServiceExt;

struct Site {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    app: Router,
}

fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pactbase.db");
    let data = curated::load(&DataFiles::embedded()).unwrap();
    Store::open(&db)
        .unwrap()
        .replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition)
        .unwrap();
    let app = pactbase_web::router(pactbase_web::AppState::new(&db).unwrap());
    Site { _dir: dir, db, app }
}

struct Reply {
    status: StatusCode,
    content_type: String,
    disposition: String,
    text: String,
}

async fn get(app: &Router, uri: &str) -> Reply {
    let req = Request::builder().uri(uri).header(header::HOST, "pactbase.example").body(Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let header = |name| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (status, content_type, disposition) =
        (res.status(), header(header::CONTENT_TYPE), header(header::CONTENT_DISPOSITION));
    let text = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    Reply { status, content_type, disposition, text }
}

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes()).records().map(Result::unwrap).collect()
}

#[tokio::test]
async fn tables_and_figures_download_through_one_mechanism() {
    let s = site();
    let r = get(&s.app, "/trends?format=csv&table=kinds").await;
    assert_eq!((r.status, r.content_type.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    assert_eq!(r.disposition, "attachment; filename=\"trends-kinds.csv\"");
    assert!(r.text.starts_with("Year,mutual-defense-pact,"), "{}", r.text);
    let r = get(&s.app, "/trends?format=svg&figure=kinds").await;
    assert_eq!((r.status, r.content_type.as_str()), (StatusCode::OK, "image/svg+xml"));
    assert!(r.text.starts_with("<svg") && r.text.contains("role=\"img\""), "a static chart: {}", &r.text[..200]);
    let r = get(&s.app, "/trends?format=csv&table=nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("no table `nothing`") && r.text.contains("kinds"), "names the tables there are");
    assert_eq!(get(&s.app, "/trends?format=xml").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&s.app, "/trends?format=svg").await.status, StatusCode::BAD_REQUEST);
    // An agreement's memberships, with their suspensions, as the page shows them.
    let members = csv_rows(&get(&s.app, "/agreements/anzus?format=csv&table=memberships").await.text);
    let us = members.iter().find(|r| &r[0] == "United States").unwrap();
    assert!(us[5].starts_with("obligations 1986-08-11– toward New Zealand"), "{us:?}");
    // A list's CSV holds every matching row, its page fifty.
    let all = csv_rows(&get(&s.app, "/agreements?format=csv").await.text);
    let page = get(&s.app, "/agreements").await.text;
    assert!(all.len() > 50, "{}", all.len());
    assert_eq!(page.matches("<td data-label=\"Agreement\">").count(), 50);
    assert!(page.contains(&format!(
        "{} agreements match; 1–50 shown (page 1 of {})",
        all.len(),
        all.len().div_ceil(50)
    )));
}

#[tokio::test]
async fn the_agreement_list_pages_filters_and_sorts() {
    let s = site();
    let page = get(&s.app, "/agreements?page=2").await.text;
    assert!(page.contains("51–100 shown (page 2 of"), "{page}");
    assert!(page.contains("rel=\"prev\""));
    let terminated = csv_rows(&get(&s.app, "/agreements?format=csv&status=terminated").await.text);
    assert!(!terminated.is_empty() && terminated.iter().all(|r| &r[2] == "terminated"));
    let newest = csv_rows(&get(&s.app, "/agreements?format=csv&sort=newest&region=asia-oceania").await.text);
    let signed: Vec<&str> = newest.iter().map(|r| &r[3]).collect();
    assert!(signed.windows(2).all(|w| w[0] >= w[1]), "newest first: {signed:?}");
    let asian =
        newest.iter().find(|r| r[0].contains("Shanghai")).is_some() || newest.iter().any(|r| r[5].contains("Pakistan"));
    assert!(asian, "a party in Asia and Oceania");
    assert!(newest.iter().all(|r| !r[5].is_empty()));
    let europe = csv_rows(&get(&s.app, "/agreements?format=csv&region=europe&member=PAK").await.text);
    assert!(
        europe.iter().any(|r| r[0] == *"Southeast Asia Collective Defense Treaty"),
        "the UK and France were parties"
    );
    let r = get(&s.app, "/agreements?status=sleeping").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("in-force"), "says the words: {}", r.text);
    assert_eq!(get(&s.app, "/agreements?active_in=").await.status, StatusCode::OK, "a blank field is not given");
    // The API lists the same label.
    let api: Value = serde_json::from_str(&get(&s.app, "/api/v1/agreements?text=anzus").await.text).unwrap();
    assert_eq!(api[0]["label"], "Security Treaty between Australia, New Zealand and the United States of America");
}

/// The index's count of agreements in force agrees with the API's list of them.
#[tokio::test]
async fn the_countries_index_counts_what_binds_each_state_now() {
    let s = site();
    let rows = csv_rows(&get(&s.app, "/countries?format=csv").await.text);
    assert!(rows.len() > 200);
    let pakistan = rows.iter().find(|r| &r[2] == "PAK").unwrap();
    let listed: Value =
        serde_json::from_str(&get(&s.app, "/api/v1/agreements?member=PAK&active_in=2025").await.text).unwrap();
    let binding = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["id"].as_str().unwrap().starts_with("atop-"))
        .filter(|a| !["signed", "suspended"].contains(&a["status"].as_str().unwrap()))
        .count();
    assert!(binding > 0);
    assert_eq!(pakistan[5].parse::<usize>().unwrap(), binding);
    let current = csv_rows(&get(&s.app, "/countries?format=csv&members=current&sort=in-force").await.text);
    assert!(current.len() < rows.len() && current.iter().all(|r| !r[1].is_empty()));
    let counts: Vec<usize> = current.iter().map(|r| r[5].parse().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
}

#[tokio::test]
async fn every_page_says_what_its_data_were_and_how_to_cite_it() {
    let s = site();
    for page in [
        "/",
        "/agreements",
        "/countries",
        "/network?year=1960",
        "/case-studies/nato",
        "/glossary",
        "/methods",
        "/trends",
    ] {
        let text = get(&s.app, page).await.text;
        assert!(text.contains("Data as of") && text.contains("Cite this page"), "{page}");
        let permalink = format!("http://pactbase.example{}", page.replace('&', "&amp;"));
        assert!(text.contains(&format!("{permalink} (accessed ")), "{page}");
    }
    // Without imports or edits the registry built in is all there is.
    let text = get(&s.app, "/").await.text;
    assert!(text.contains("Data as of this build: the registry of pactbase 0.1.0."), "{text}");
}

#[tokio::test]
async fn network_years_run_to_the_registry_and_outside_years_are_answered() {
    let s = site();
    let text = get(&s.app, "/network").await.text;
    assert!(text.contains("<p id=\"network-summary\" role=\"status\">2025:"), "the registry's current year");
    assert!(text.contains("Focus: Pakistan"));
    let text = get(&s.app, "/network?year=2031&focus=AUL").await.text;
    assert!(text.contains("There is no network for 2031") && text.contains("Showing 2025, the nearest year."));
    assert!(text.contains("Focus: Australia"));
    assert_eq!(get(&s.app, "/network?year=soon").await.status, StatusCode::BAD_REQUEST);
    let api = get(&s.app, "/api/v1/network/1700").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.text.contains("the nearest year is 1816"), "{}", api.text);
    let fragment = get(&s.app, "/network/fragment?year=1955&focus=PAK").await.text;
    assert!(fragment.contains("svg class=\"ego\"") && fragment.contains("Pakistan's allies in 1955"), "{fragment}");
}

#[tokio::test]
async fn case_studies_compare_with_any_state_and_agreements_link_to_them() {
    let s = site();
    for (case, agreement) in [("nato", "nato"), ("anzus", "anzus"), ("five-eyes", "ukusa")] {
        let text = get(&s.app, &format!("/case-studies/{case}?state=IND")).await.text;
        assert!(text.contains("What it means for India"), "{case}");
        assert!(
            text.contains("needs SIPRI") || text.contains("SIPRI Military Expenditure"),
            "says what is missing: {case}"
        );
        let page = get(&s.app, &format!("/agreements/{agreement}")).await.text;
        assert!(page.contains(&format!("href=\"/case-studies/{case}\"")), "{agreement} links its case");
    }
    let anzus = get(&s.app, "/case-studies/anzus").await.text;
    assert!(anzus.contains("1986: United States suspends its obligations toward New Zealand"));
    assert!(anzus.contains("ANZUS began in 1951 with 3 members"));
    assert_eq!(get(&s.app, "/case-studies/anzus?state=Narnia").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&s.app, "/case-studies/seato").await.status, StatusCode::NOT_FOUND);
}

/// Every glossary entry's "how it is computed" link lands on a section of the methods page.
#[tokio::test]
async fn glossary_entries_link_to_sections_that_exist() {
    let s = site();
    let methods = get(&s.app, "/methods").await.text;
    let ids: HashSet<&str> = methods.split(" id=\"").skip(1).map(|t| t.split('"').next().unwrap()).collect();
    let glossary = get(&s.app, "/glossary").await.text;
    let links: Vec<&str> = glossary.split("href=\"/methods#").skip(1).map(|t| t.split('"').next().unwrap()).collect();
    assert!(links.len() > 40);
    for id in links {
        assert!(ids.contains(id), "no section #{id} on /methods");
    }
}

#[tokio::test]
async fn the_change_log_lists_imports_beside_edits() {
    let s = site();
    assert!(get(&s.app, "/audit").await.text.contains("No research dataset imported yet"));
    let file = DatasetFile {
        dataset: Dataset::Rivalries,
        version: "2022".into(),
        path: "tss-strategic-rivalries.csv".into(),
        sha256: "0".repeat(64),
        rows: 0,
        imported_at: None,
    };
    Store::open(&s.db).unwrap().replace_rivalries(&[], &file).unwrap();
    let text = get(&s.app, "/audit").await.text;
    assert!(text.contains("Strategic rivalries (Thompson, Sakuwa &amp; Suhas)"), "{text}");
    let home = get(&s.app, "/").await.text;
    assert!(
        home.contains("the registry of pactbase 0.1.0; Strategic rivalries (Thompson, Sakuwa &amp; Suhas) 2022."),
        "the stamp names the import"
    );
}

#[tokio::test]
async fn the_country_report_is_served_as_pactbase_report_writes_it() {
    use pactbase_service::assessment::{assess, Context, Request as Asked};

    let s = site();
    let page = get(&s.app, "/countries/PAK?year=1990").await;
    assert!(page.text.contains(r#"href="/countries/PAK/report?year=1990""#), "linked from the page, in its view");
    let req = Request::builder().uri("/countries/PAK/report").body(Body::empty()).unwrap();
    let res = s.app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert!(csp.starts_with("default-src 'none'") && !csp.contains("script-src"), "{csp}");
    let served = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    // The document `pactbase report PAK` writes, from the same assembly.
    let store = Store::open(&s.db).unwrap();
    let ctx = Context::load(&store, 770, Asked::default()).unwrap();
    let written = pactbase_report::render(
        &assess(&store, &ctx, None).unwrap(),
        &ctx.index,
        &format!("pactbase {}", env!("CARGO_PKG_VERSION")),
    );
    assert_eq!(served, written);
    assert!(!served.contains("<script"));

    let saved = get(&s.app, "/countries/PAK/report?year=1990&download=html").await;
    assert_eq!(saved.disposition, r#"attachment; filename="pactbase-report-PAK-1990.html""#);
    assert!(saved.text.contains("Reference year 1990"));
    let bad = get(&s.app, "/countries/PAK/report?download=pdf").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.content_type.starts_with("text/html") && bad.text.contains("download=html"), "{}", bad.text);
    assert_eq!(get(&s.app, "/countries/XYZ/report").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn browsers_get_error_pages_and_the_api_keeps_json() {
    let s = site();
    let send = |method: &'static str, uri: &'static str, accept: &'static str| {
        let app = s.app.clone();
        async move {
            let req = Request::builder().method(method).uri(uri).header(header::ACCEPT, accept).body(Body::empty());
            let res = app.oneshot(req.unwrap()).await.unwrap();
            let header = |name| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
            let (status, kind, allow) = (res.status(), header(header::CONTENT_TYPE), header(header::ALLOW));
            let text = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
            (status, kind, allow, text)
        }
    };
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let (status, kind, _, text) = send("GET", "/nothing/here", browser).await;
    assert_eq!((status, kind.starts_with("text/html")), (StatusCode::NOT_FOUND, true));
    assert!(text.contains("<h1>Not found</h1>") && text.contains("no such page"), "{text}");
    let (status, kind, _, text) = send("GET", "/countries/PAK?year=nineteen", browser).await;
    assert_eq!((status, kind.starts_with("text/html")), (StatusCode::BAD_REQUEST, true), "{text}");
    assert!(text.contains("Cannot show this") && text.contains("year"), "{text}");
    let (status, kind, allow, _) = send("POST", "/countries", browser).await;
    assert_eq!((status, kind.starts_with("text/html")), (StatusCode::METHOD_NOT_ALLOWED, true));
    assert!(allow.contains("GET"), "the Allow header survives: {allow}");

    let (status, kind, _, text) = send("GET", "/nothing/here", "application/json").await;
    assert_eq!((status, kind.as_str()), (StatusCode::NOT_FOUND, "application/json"));
    assert!(text.contains("\"not_found\""));
    let (status, kind, _, _) = send("GET", "/api/v1/nothing", browser).await;
    assert_eq!((status, kind.as_str()), (StatusCode::NOT_FOUND, "application/json"), "the API answers JSON");
    let (status, kind, _, _) = send("GET", "/api/v1/countries/PAK?year=nineteen", browser).await;
    assert_eq!((status, kind.as_str()), (StatusCode::BAD_REQUEST, "application/json"));
}
