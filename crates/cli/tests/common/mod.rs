//! What the CLI's integration tests share: running the built binary on a database.

#![allow(dead_code)] // each test file uses its own share of these

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `pactbase --db DB ARGS…`, with `PACTBASE_DB` unset so the tests never touch a real store.
pub fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pactbase"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PACTBASE_DB")
        .output()
        .unwrap()
}

/// Standard output of a run that must succeed.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Imports every research dataset from `../shared/data` into `db`; `None` (skip) when a
/// file is missing outside CI.
pub fn import_all(db: &Path) -> Option<()> {
    let datasets = [
        ("atop", "atop-5.1"),
        ("cow-states", "cow/states2016.csv"),
        ("nmc", "cow/nmc-7.0-abridged.csv"),
        ("mme", "mme-7/mme_v7.csv"),
        ("sipri-milex", "sipri/sipri-milex-constant-2017usd.csv"),
        ("rivalries", "rivalries/tss-strategic-rivalries.csv"),
        ("contiguity", "cow/contdir-3.2.csv"),
        ("capitals", "cow/capitals.csv"),
        ("mindist", "cow/mindist-cshapes-2.csv"),
        ("majors", "cow/majors2016.csv"),
        ("gml-mids", "gml-mid-2.2.1"),
        ("igos", "cow/igo-3-dyadic.csv"),
        ("sipri-arms", "sipri/arms-transfers-tiv-1950-2021"),
    ];
    for (dataset, rel) in datasets {
        let file = pactbase_testdata::shared(rel)?;
        ok(db, &["import", dataset, file.to_str().unwrap()]);
    }
    Some(())
}

/// A CSV document's header and rows.
pub fn csv_rows(text: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    (r.headers().unwrap().clone(), r.records().map(Result::unwrap).collect())
}

pub fn col(headers: &csv::StringRecord, name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

/// A database path in a fresh temporary directory (kept while the guard lives).
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pactbase.db");
    (dir, path)
}
