//! The API on the real research data (ATOP, COW states, NMC, SIPRI's arms transfers):
//! networks, dyad similarity, arms imports and the panels.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn network_and_similarity_on_the_real_data() {
    let Some((_dir, app)) = with_research() else { return };
    let r = get(&app, "/api/v1/network/1990?level=any").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["source"], "both");
    let nodes = r.body["nodes"].as_array().unwrap();
    let usa = nodes.iter().find(|n| n["abb"] == "USA").unwrap();
    assert!(usa["measures"]["degree"].as_u64().unwrap() > 30, "{usa}");
    let defense = get(&app, "/api/v1/network/1990?level=defense").await;
    assert!(defense.body["graph"]["edges"].as_u64() <= r.body["graph"]["edges"].as_u64());

    let r = get(&app, "/api/v1/similarity?a=PAK&b=USA&years=1950-2016").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let years = r.body["years"].as_array().unwrap();
    assert_eq!(years.first().unwrap()["year"], 1950);
    assert_eq!(years.len(), 67);
    // Allied through SEATO and CENTO in 1960, not after CENTO ended (1979): their
    // portfolios were more alike then.
    let s = |year: i32| {
        let y = years.iter().find(|y| y["year"] == year).unwrap();
        y["measures"]["sallyvua"].as_f64().unwrap()
    };
    assert!((-1.0..=1.0).contains(&s(1960)), "{}", s(1960));
    assert!(s(1960) > s(1995), "1960 {} vs 1995 {}", s(1960), s(1995));
    // One default source for similarity, the CLI's and Python's (issue 21.1): ATOP, named in
    // the answer; the registry's agreements in place of ATOP's only when asked. (The CLI's
    // figure is compared in crates/cli/tests/assessment.rs.)
    assert_eq!(r.body["source"], "atop");
    let sallyvus_2000 = |body: &Value| {
        let y = body["years"].as_array().unwrap().iter().find(|y| y["year"] == 2000).unwrap();
        y["measures"]["sallyvus"].as_f64().unwrap()
    };
    let atop = get(&app, "/api/v1/similarity?a=PAK&b=USA&years=2000&source=atop").await;
    assert_eq!(sallyvus_2000(&r.body), sallyvus_2000(&atop.body));
    let both = get(&app, "/api/v1/similarity?a=PAK&b=USA&years=2000&source=both").await;
    assert_eq!(both.body["source"], "both");
    assert_ne!(sallyvus_2000(&r.body), sallyvus_2000(&both.body), "the registry's agreements change 2000");
    let bad = get(&app, "/api/v1/similarity?a=PAK&b=USA&source=fpsim").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);
    // Pakistan's entries into its alliances, as its page shows them; one study by hand.
    let r = get(&app, "/api/v1/countries/PAK/impact").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let seato = r.body["studies"].as_array().unwrap().iter().find(|s| s["agreement_id"] == "seato").unwrap();
    assert_eq!(seato["entry_year"], 1954);
    assert!(seato["result"]["post_att"]["ci_low"].as_f64() < seato["result"]["post_att"]["ci_high"].as_f64());
    let r = get(&app, "/api/v1/impact?agreement=seato&outcome=milex&state=PAK&compare=IND,IRN").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["comparison_states"], json!([630, 750]), "only the states asked for");
    let r = get(&app, "/api/v1/impact?agreement=seato&outcome=milex&compare=IND").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "compare without state");

    // The answers on the real data are what the OpenAPI document says they are.
    let doc = get(&app, "/api/openapi.json").await.body;
    for (path, uri) in [
        ("/api/v1/countries/{state}/assessment", "/api/v1/countries/PAK/assessment"),
        ("/api/v1/countries/{state}/assessment", "/api/v1/countries/IND/assessment?year=1970"),
        ("/api/v1/countries/{state}/challenges", "/api/v1/countries/TUR/challenges"),
        ("/api/v1/countries/{state}/impact", "/api/v1/countries/PAK/impact"),
        ("/api/v1/countries/{state}/arms", "/api/v1/countries/PAK/arms"),
        ("/api/v1/countries/{state}/recommendations", "/api/v1/countries/PAK/recommendations?include_rivals=true"),
        ("/api/v1/network/{year}", "/api/v1/network/1990?level=any"),
        ("/api/v1/similarity", "/api/v1/similarity?a=PAK&b=USA"),
        ("/api/v1/trends", "/api/v1/trends"),
        ("/api/v1/impact", "/api/v1/impact?agreement=seato&outcome=milex&state=PAK"),
        ("/api/v1/impact", "/api/v1/impact?agreement=nato&outcome=cinc&estimator=twfe"),
    ] {
        assert_documented(&app, &doc, path, uri).await;
    }

    let r = get(&app, "/api/v1/panels/dyad-year?directed=true&years=1990-1990&with=atop").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.starts_with("ccode1,ccode2,year,atop_defense"), "{}", &r.text[..100]);
}

#[tokio::test]
async fn the_data_page_lists_every_dataset_and_empty_sections_link_to_it() {
    use pactbase_model::Vocabulary;
    let f = fixture();
    let r = get(&f.app, "/data").await;
    assert_eq!(r.status, StatusCode::OK);
    for dataset in pactbase_model::research::Dataset::ALL {
        assert!(r.text.contains(&format!(r#"<h2 id="{dataset}">"#)), "no section for {dataset}");
        assert!(r.text.contains(&format!("not imported: <code>pactbase data fetch {dataset}</code>")), "{dataset}");
    }
    assert!(r.text.contains("@article{leeds2002atop"));
    assert!(r.text.contains(r#"<a href="/data">Research datasets</a>"#), "the footer links the data page");
    let country = get(&f.app, "/countries/PAK").await;
    let links = country.text.matches(r#"<a href="/data">About the research datasets"#).count();
    assert!(links >= 3, "impact, recommendations and commitment conflicts lack data: {links} links");
}

#[tokio::test]
async fn a_countrys_arms_imports_and_the_arms_panels() {
    let Some((_dir, app)) = with_research() else { return };
    let r = get(&app, "/api/v1/countries/PAK/arms").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["coverage"], json!([1950, 2021]));
    assert_eq!(r.body["main_suppliers"][0]["name"], "China");
    let main = |period: usize| r.body["periods"][period]["partners"][0]["names"][0].as_str().unwrap().to_owned();
    // The United States in the 1950s, China since the 1990s.
    assert_eq!((main(1), main(8), main(13)), ("United States".into(), "China".into(), "China".into()));
    let us = &r.body["periods"][1]["partners"][0];
    assert!(us["agreements"].as_array().unwrap().iter().any(|a| a["id"] == "seato"), "{us}");
    assert!(r.body["event_study"].is_object() || r.body["event_study_note"].is_string());
    assert_eq!(get(&app, "/api/v1/countries/Narnia/arms").await.status, StatusCode::NOT_FOUND);

    let r = get(&app, "/api/v1/panels/state-year?years=1965-1965&with=arms").await;
    assert_eq!(r.status, StatusCode::OK);
    let (header, rows) = (r.text.lines().next().unwrap(), r.text.lines().skip(1).collect::<Vec<_>>());
    assert_eq!(header, "ccode,year,tiv_imports,tiv_exports,imports_any,exports_any");
    let pakistan = rows.iter().find(|l| l.starts_with("770,")).unwrap();
    // Pakistan's 1965 column of the suppliers' tables: China 165, the UK 28, the US 16,
    // West Germany 5; it exported nothing.
    assert_eq!(*pakistan, "770,1965,214.0,0.0,1,0");
    let r = get(&app, "/api/v1/panels/dyad-year?years=1965-1965&with=arms").await;
    assert!(r.text.starts_with("ccode1,ccode2,year,tiv12,tiv21,delivery12,delivery21\n"), "{}", &r.text[..60]);
    assert!(r.text.contains("\n710,770,1965,165.0,0.0,1,0\n"), "China delivered 165 to Pakistan in 1965");
}

#[tokio::test]
async fn arms_need_their_dataset() {
    let (_dir, db) = registry_db();
    let app = pactbase_web::router(pactbase_web::AppState::new(&db).unwrap());
    let r = get(&app, "/api/v1/countries/PAK/arms").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text);
    assert!(r.body["detail"].as_str().unwrap().contains("pactbase data fetch sipri-arms"), "{}", r.text);
}
