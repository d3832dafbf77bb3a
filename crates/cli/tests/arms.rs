//! SIPRI's arms transfers through the built binary, on the real export: the import (and
//! its dry run, and a garbled table refused with the stored data kept), `pactbase arms`
//! on Pakistan, the `--with arms` panels and the arms impact studies.

mod common;

use std::path::Path;

use common::{col, csv_rows, ok, run, temp_db};
use pactbase_store::Store;
use serde_json::Value;

const ARMS: &str = "sipri/arms-transfers-tiv-1950-2021";

/// A database with the registry, COW states, ATOP and the arms transfers imported.
fn imported(db: &Path) -> Option<()> {
    for (dataset, rel) in [("cow-states", "cow/states2016.csv"), ("atop", "atop-5.1"), ("sipri-arms", ARMS)] {
        let path = pactbase_testdata::shared(rel)?;
        ok(db, &["import", dataset, path.to_str().unwrap()]);
    }
    Some(())
}

#[test]
fn the_import_reports_what_it_read_and_a_dry_run_stores_nothing() {
    let Some(dir) = pactbase_testdata::shared(ARMS) else { return };
    let (_tmp, db) = temp_db();
    let dir = dir.to_str().unwrap();
    let summary: Value =
        serde_json::from_str(&ok(&db, &["import", "sipri-arms", dir, "--dry-run", "--format", "json"])).unwrap();
    assert_eq!((summary["dry_run"].as_bool(), summary["rows_stored"].as_u64()), (Some(true), Some(0)));
    assert!(!db.exists(), "a dry run does not create the database");
    let summary: Value = serde_json::from_str(&ok(&db, &["import", "sipri-arms", dir, "--format", "json"])).unwrap();
    assert_eq!(summary["files"].as_array().unwrap().len(), 134);
    assert_eq!(summary["rows_stored"], 22_225);
    assert_eq!(summary["unresolved"], serde_json::json!([]));
    let notes: Vec<&str> = summary["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(notes.iter().any(|n| n.starts_with("29 deliveries to Brunei (835) in 1965–1983")), "{notes:?}");
    assert!(Store::open(&db).unwrap().has_dataset(pactbase_model::research::Dataset::SipriArms).unwrap());
}

#[test]
fn a_garbled_table_is_refused_and_the_stored_transfers_kept() {
    let Some(dir) = pactbase_testdata::shared(ARMS) else { return };
    let (tmp, db) = temp_db();
    ok(&db, &["import", "sipri-arms", dir.to_str().unwrap()]);
    let before = Store::open(&db).unwrap().sipri_arms().unwrap();
    let copy = tmp.path().join("arms");
    std::fs::create_dir(&copy).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
    }
    // Pakistan's first recipient, Azerbaijan, gets a value that is not a number in 1950.
    let table = copy.join("TIV-Export-PAK-1950-2021.csv");
    let text = std::fs::read_to_string(&table).unwrap().replacen("\nAzerbaijan,", "\nAzerbaijan,x", 1);
    std::fs::write(&table, text).unwrap();
    let out = run(&db, &["import", "sipri-arms", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("TIV-Export-PAK-1950-2021.csv:12:2: 1950: `x` is not a number"), "{stderr}");
    assert_eq!(Store::open(&db).unwrap().sipri_arms().unwrap(), before);
}

#[test]
fn pakistans_suppliers_shift_from_the_united_states_to_china() {
    let (_tmp, db) = temp_db();
    if imported(&db).is_none() {
        return;
    }
    let (headers, rows) = csv_rows(&ok(&db, &["arms", "PAK", "--format", "csv"]));
    let (first, partner, share, agreements) =
        (col(&headers, "first_year"), col(&headers, "partner"), col(&headers, "share"), col(&headers, "agreements"));
    // Rows come largest first within each period: its first row names the main supplier.
    let mut main: Vec<(String, String)> = Vec::new();
    for r in &rows {
        if main.last().is_none_or(|(period, _)| period != &r[first]) {
            main.push((r[first].to_owned(), r[partner].to_owned()));
        }
    }
    let expected = [
        ("1950", "United Kingdom"),
        ("1955", "United States"),
        ("1960", "United States"),
        ("1965", "China"),
        ("1970", "China"),
        ("1975", "France"),
        ("1980", "China"),
        ("1985", "United States"),
        ("1990", "China"),
        ("1995", "Ukraine"),
        ("2000", "China"),
        ("2005", "China"),
        ("2010", "China"),
        ("2015", "China"),
        ("2020", "China"),
    ];
    let main: Vec<(&str, &str)> = main.iter().map(|(p, s)| (p.as_str(), s.as_str())).collect();
    assert_eq!(main, expected);
    // 1960–1964: the United States delivered 461 of 466, under the 1954 aid agreement and SEATO.
    let us = rows.iter().find(|r| &r[first] == "1960" && &r[partner] == "United States").unwrap();
    assert_eq!(&us[share], "0.9893");
    assert!(us[agreements].contains("seato:mutual-defense-pact"), "{}", &us[agreements]);
    let chart = db.with_file_name("pakistan-arms.svg");
    let text = ok(&db, &["arms", "PAK", "--years", "1960-1964", "--chart", chart.to_str().unwrap()]);
    assert!(text.contains("1960–1964  466         0.979  United States"), "{text}");
    let svg = std::fs::read_to_string(chart).unwrap();
    assert!(svg.contains("Arms imports of Pakistan by supplier, 1960–1964") && svg.contains(">United States</text>"));
}

#[test]
fn arms_panels_and_impact_studies() {
    let (_tmp, db) = temp_db();
    if imported(&db).is_none() {
        return;
    }
    let panel = ok(&db, &["panel", "dyad-year", "--directed", "--years", "1949-1952", "--with", "arms"]);
    let (headers, rows) = csv_rows(&panel);
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["ccode1", "ccode2", "year", "tiv12", "tiv21", "delivery12", "delivery21"]
    );
    let us_to_pakistan = |year: &str| {
        let row = rows.iter().find(|r| &r[0] == "2" && &r[1] == "770" && &r[2] == year).unwrap();
        (row[3].to_owned(), row[5].to_owned())
    };
    let (none, zero, one) = (String::new(), "0.0".to_owned(), "1".to_owned());
    assert_eq!(us_to_pakistan("1949"), (none.clone(), none), "unknown before SIPRI's years");
    assert_eq!(us_to_pakistan("1950"), ("36.0".to_owned(), one.clone()));
    // SIPRI's US table: 1951 blank (nothing), 1952 "0" (a delivery under 0.5m TIV).
    assert_eq!(us_to_pakistan("1951"), (zero.clone(), "0".to_owned()));
    assert_eq!(us_to_pakistan("1952"), (zero, one), "a delivery under 0.5m is told from none");
    let back = rows.iter().find(|r| &r[0] == "770" && &r[1] == "2" && &r[2] == "1950").unwrap();
    assert_eq!((&back[3], &back[4]), ("0.0", "36.0"), "Pakistan's row holds both flows");

    let out = run(
        &db,
        &[
            "impact",
            "--dyadic",
            "--kind",
            "security-assistance",
            "--outcome",
            "arms-flow",
            "--state",
            "PAK",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let study: Value = serde_json::from_slice(&out.stdout).unwrap();
    let treated: Vec<(u64, i64)> = study["treated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["supplier"].as_u64().unwrap(), t["entry"].as_i64().unwrap()))
        .collect();
    assert!(treated.contains(&(2, 1954)), "the United States, from the 1954 aid agreement: {treated:?}");
    assert!(study["relative_years"].as_array().unwrap().len() == 16);

    let out = run(&db, &["impact", "--kind", "security-assistance", "--outcome", "arms-flow"]);
    assert_eq!(out.status.code(), Some(2), "arms-flow needs --dyadic");
    let out = run(&db, &["impact", "--kind", "security-assistance", "--outcome", "arms-imports", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let study: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(study["treated_states"].as_array().unwrap().contains(&Value::from(770)));
}
