//! `/api/v1/datasets` (issue 12): every catalogue entry with its publisher, version, URLs,
//! licence, citations and coverage, and its import status from the store's provenance —
//! an entry imported as catalogued, one imported from a changed copy, and one not imported.

mod support;

use pactbase_model::research::Dataset;
use pactbase_service::catalogue::catalogue;
use pactbase_store::Store;
use serde_json::Value;

use support::{get, registry_db};

#[tokio::test]
async fn the_catalogue_comes_with_each_datasets_import_status() {
    let Some(states) = pactbase_testdata::shared("cow/states2016.csv") else { return };
    let Some(majors) = pactbase_testdata::shared("cow/majors2016.csv") else { return };
    let (dir, db) = registry_db();
    // Majors from a copy with one more line at its end: the same rows, another SHA-256.
    let changed = dir.path().join("majors2016.csv");
    let mut bytes = std::fs::read(&majors).unwrap();
    bytes.extend_from_slice(b"\n");
    std::fs::write(&changed, bytes).unwrap();
    {
        let mut store = Store::open(&db).unwrap();
        let index = store.state_index().unwrap();
        for (dataset, path) in [(Dataset::CowStates, &states), (Dataset::Majors, &changed)] {
            pactbase_service::import::import(Some(&mut store), &index, dataset, path, &|_| {}).unwrap();
        }
    }
    let app = pactbase_web::router(pactbase_web::AppState::new(&db).unwrap());
    let r = get(&app, "/api/v1/datasets", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let listed = r.json();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), catalogue().entries().len(), "every catalogue entry");
    let named = |name: &str| -> &Value { listed.iter().find(|d| d["name"] == name).unwrap() };

    let cow = named("cow-states");
    let entry = catalogue().get(Dataset::CowStates);
    assert_eq!(cow["publisher"], entry.publisher.as_str());
    assert_eq!(cow["version"], entry.version.as_str());
    assert_eq!(cow["coverage"]["first_year"], entry.coverage.0);
    assert_eq!(cow["licence"], entry.terms.as_str());
    assert!(cow["citation"]["bibtex"].as_str().unwrap().trim_start().starts_with('@'));
    assert_eq!(cow["citation"]["plain"], entry.citation.as_str());
    assert_eq!(cow["files"][0]["sha256"], entry.files[0].sha256.as_str());
    let import = &cow["import"];
    assert_eq!((import["imported"].as_bool(), import["status"].as_str()), (Some(true), Some("as-catalogued")));
    assert!(import["imported_at"].as_str().unwrap().len() == 19, "{import}");
    let file = &import["files"][0];
    assert_eq!(file["sha256"], entry.files[0].sha256.as_str());
    assert_eq!(file["matches_catalogue"], true);
    assert!(file["rows"].as_u64().unwrap() > 200, "{file}");

    let changed = &named("majors")["import"];
    assert_eq!(changed["status"], "differs-from-catalogue");
    assert_eq!(changed["files"][0]["matches_catalogue"], false);

    let atop = named("atop");
    assert_eq!(atop["import"]["imported"], false);
    assert_eq!(atop["import"]["status"], "not-imported");
    assert!(atop["import"]["imported_at"].is_null() && atop["import"]["files"] == serde_json::json!([]));
    assert_eq!(atop["fetchable"], catalogue().get(Dataset::Atop).fetchable());
    assert_eq!(atop["download_url"].as_str(), catalogue().get(Dataset::Atop).download.as_ref().map(|d| d.url.as_str()));
}

#[tokio::test]
async fn the_endpoint_and_its_types_are_in_the_openapi_document() {
    let (_dir, db) = registry_db();
    let app = pactbase_web::router(pactbase_web::AppState::new(&db).unwrap());
    let doc = get(&app, "/api/openapi.json", None).await.json();
    let op = &doc["paths"]["/api/v1/datasets"]["get"];
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
        "#/components/schemas/Dataset"
    );
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in
        [("Dataset", "import"), ("Import", "status"), ("ImportedFile", "matches_catalogue"), ("Citation", "bibtex")]
    {
        assert!(schemas[schema]["properties"][field].is_object(), "{schema}.{field}: {}", schemas[schema]);
    }
    // Nothing imported: every entry says so, in the documented shape.
    let listed = get(&app, "/api/v1/datasets", None).await.json();
    assert!(listed.as_array().unwrap().iter().all(|d| d["import"]["status"] == "not-imported"));
}
