//! The analysis commands end to end, through the built binary, on the real datasets
//! imported once into a database shared by these tests.

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{col, csv_rows, ok, run};

use parquet::file::reader::{FileReader, SerializedFileReader};

/// A database with every research dataset imported, built once per test run; `None`
/// (skip) when the datasets are missing outside CI.
fn db() -> Option<&'static Path> {
    static DB: OnceLock<Option<PathBuf>> = OnceLock::new();
    DB.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("analysis-{}.db", std::process::id()));
        common::import_all(&path)?;
        Some(path)
    })
    .as_deref()
}

fn temp(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{}-{name}", std::process::id()))
}

#[test]
fn directed_dyad_year_panel_1816_2016_as_parquet() {
    let Some(db) = db() else { return };
    let file = temp("ddy.parquet");
    ok(
        db,
        &[
            "panel",
            "dyad-year",
            "--directed",
            "--years",
            "1816-2016",
            "--with",
            "atop,nmc,mme",
            "--format",
            "parquet",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    let reader = SerializedFileReader::new(File::open(&file).unwrap()).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 1_912_290);
    let schema = reader.metadata().file_metadata().schema_descr();
    let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    for expected in [
        "ccode1",
        "ccode2",
        "year",
        "atop_defense",
        "atop_offense",
        "atop_neutral",
        "atop_nonagg",
        "atop_consul",
        "atop_ids",
        "cinc1",
        "cinc2",
        "milex1",
        "milper2",
        "mme_exercises",
        "mme_cyber",
    ] {
        assert!(names.contains(&expected), "missing {expected}: {names:?}");
    }
    assert_eq!(schema.column(0).physical_type(), parquet::basic::Type::INT32);
    assert_eq!(
        schema.column(names.iter().position(|n| *n == "cinc1").unwrap()).physical_type(),
        parquet::basic::Type::DOUBLE
    );
    pyarrow_reads(&file, 1_912_290);
}

/// The Parquet file opens in pyarrow and pandas with integer keys and float capabilities.
/// pyarrow is installed by .ci/run; elsewhere the check is skipped when it is missing.
fn pyarrow_reads(file: &Path, rows: usize) {
    let script = "import sys, pyarrow.parquet as pq\nt = pq.read_table(sys.argv[1])\ndf = t.to_pandas()\nprint(t.num_rows, t.schema.field('ccode1').type, t.schema.field('cinc1').type, t.schema.field('atop_ids').type, df['year'].dtype)";
    let out = Command::new("python3").args(["-c", script, file.to_str().unwrap()]).output();
    match out {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8(out.stdout).unwrap();
            assert_eq!(text.trim(), format!("{rows} int32 double string int32"));
        }
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("pyarrow is needed under CI (pip install pyarrow pandas)")
        }
        _ => eprintln!("skipping the pyarrow check: python3 with pyarrow and pandas is not available"),
    }
}

#[test]
fn state_year_panel_has_pakistans_alliances() {
    let Some(db) = db() else { return };
    let (h, rows) = csv_rows(&ok(
        db,
        &["panel", "state-year", "--years", "1955-1956", "--with", "atop,nmc,sipri,rivalry", "--format", "csv"],
    ));
    let pak = rows.iter().find(|r| &r[col(&h, "ccode")] == "770" && &r[col(&h, "year")] == "1955").unwrap();
    assert_eq!(&pak[col(&h, "atop_defense")], "1");
    let ids: Vec<&str> = pak[col(&h, "atop_ids")].split(';').collect();
    for id in ["3222", "3255", "3260", "3275"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    assert!(!pak[col(&h, "cinc")].is_empty() && !pak[col(&h, "sipri_milex")].is_empty());
    assert_eq!(&pak[col(&h, "tss_rivalries")], "2", "India and Afghanistan");
}

#[test]
fn atop_columns_are_zero_when_not_allied_and_empty_after_2018() {
    let Some(db) = db() else { return };
    let (h, rows) =
        csv_rows(&ok(db, &["panel", "dyad-year", "--years", "2018-2019", "--with", "atop", "--format", "csv"]));
    let pak_ind = |y: &str| rows.iter().find(|r| &r[0] == "750" && &r[1] == "770" && &r[2] == y).unwrap().clone();
    assert_eq!(&pak_ind("2018")[col(&h, "atop_defense")], "0");
    assert_eq!(&pak_ind("2018")[col(&h, "atop_nonagg")], "1", "Simla");
    assert_eq!(&pak_ind("2019")[col(&h, "atop_defense")], "");
}

#[test]
fn registry_ties_reach_2025() {
    let Some(db) = db() else { return };
    let (h, rows) = csv_rows(&ok(
        db,
        &[
            "panel",
            "dyad-year",
            "--directed",
            "--years",
            "2025",
            "--with",
            "atop",
            "--source",
            "curated",
            "--format",
            "csv",
        ],
    ));
    let smda = rows.iter().find(|r| &r[0] == "770" && &r[1] == "670").unwrap();
    assert_eq!(&smda[col(&h, "atop_defense")], "1");
    assert!(smda[col(&h, "atop_ids")].contains("saudi-pakistan-strategic-mutual-defence-agreement-2025"));
}

#[test]
fn similarity_matches_the_independent_fixture() {
    let Some(db) = db() else { return };
    let (h, rows) = csv_rows(&ok(db, &["similarity", "--years", "2000", "--format", "csv"]));
    assert_eq!(rows.len(), 36_290, "every directed dyad of 2000");
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../analysis/tests/fixtures/similarity-2000.csv"),
    )
    .unwrap();
    let (fh, expected) = csv_rows(&fixture);
    for e in expected.iter().take(50) {
        let ours = rows.iter().find(|r| r[0] == e[0] && r[1] == e[1]).unwrap();
        for m in ["sallyvus", "sallyvwa", "pallyb", "kallyv", "taub"] {
            let (a, b): (f64, f64) = (ours[col(&h, m)].parse().unwrap(), e[col(&fh, m)].parse().unwrap());
            assert!((a - b).abs() < 1e-9, "{m} {:?}: {a} vs {b}", (&e[0], &e[1]));
        }
    }
    let (h, rows) =
        csv_rows(&ok(db, &["similarity", "--years", "1990", "--measures", "taub,sallyvua", "--format", "csv"]));
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        vec!["ccode1", "ccode2", "year", "taub", "sallyvua"],
        "in the order asked"
    );
    assert!(!rows.is_empty());
}

#[test]
fn network_tables_and_graph_files() {
    let Some(db) = db() else { return };
    let (h, rows) = csv_rows(&ok(db, &["network", "--year", "1990", "--format", "csv"]));
    assert_eq!(
        h.iter().collect::<Vec<_>>(),
        vec![
            "year",
            "ccode",
            "degree",
            "strength",
            "betweenness",
            "closeness",
            "clustering",
            "eigenvector",
            "pagerank",
            "component",
            "bloc",
            "modularity"
        ]
    );
    assert_eq!(rows.len(), 165, "every system member of 1990, isolates included");
    let gexf = ok(db, &["network", "--year", "1990", "--level", "defense", "--format", "gexf"]);
    assert!(gexf.contains("<gexf") && gexf.trim_end().ends_with("</gexf>"));
    let graphml = ok(db, &["network", "--year", "1955", "--format", "graphml"]);
    assert!(graphml.contains("<graphml") && graphml.contains("PAK"));
    assert_eq!(run(db, &["network", "--years", "1990-1991", "--format", "gexf"]).status.code(), Some(2));
    let (_, long) = csv_rows(&ok(db, &["network", "--years", "1990-1991", "--format", "csv"]));
    assert!(long.len() > 300);
}

#[test]
fn signatories_are_recognisable() {
    let Some(db) = db() else { return };
    let top = |years: &str, n: &str| -> Vec<String> {
        let (_, rows) = csv_rows(&ok(db, &["signatories", "--years", years, "--top", n, "--format", "csv"]));
        rows.iter().map(|r| r[1].to_owned()).collect()
    };
    let cold_war = top("1946-1991", "10");
    for ccode in ["2", "200", "220", "365"] {
        assert!(cold_war.contains(&ccode.to_owned()), "{ccode} missing from {cold_war:?}");
    }
    let after = top("1992-2018", "10");
    for ccode in ["2", "200", "220", "365"] {
        assert!(after.contains(&ccode.to_owned()), "{ccode} missing from {after:?}");
    }
}

#[test]
fn trends_table_and_chart() {
    let Some(db) = db() else { return };
    let chart = temp("trends.svg");
    let (h, rows) = csv_rows(&ok(db, &["trends", "--chart", chart.to_str().unwrap(), "--format", "csv"]));
    assert_eq!(rows.len(), 80, "1946-2025");
    let year = |y: &str| rows.iter().find(|r| &r[0] == y).unwrap().clone();
    assert!(!year("1990")[col(&h, "alliances")].is_empty());
    assert!(year("2020")[col(&h, "alliances")].is_empty(), "past ATOP's coverage");
    assert_ne!(&year("2010")[col(&h, "exercises_cyber")], "");
    // The MME file ends in 2010: later years are unknown, not years without exercises.
    for y in ["2011", "2016", "2025"] {
        assert_eq!(&year(y)[col(&h, "exercises")], "", "{y} is past MME's coverage");
    }
    let json: serde_json::Value =
        serde_json::from_str(&ok(db, &["trends", "--years", "2009-2012", "--format", "json"])).unwrap();
    let exercises: Vec<&serde_json::Value> = json.as_array().unwrap().iter().map(|r| &r["exercises"]).collect();
    assert!(exercises[0].is_u64() && exercises[1].is_u64(), "{exercises:?}");
    assert!(exercises[2].is_null() && exercises[3].is_null(), "{exercises:?}");
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert_eq!(svg.matches("<title id=").count(), 4);
    assert!(svg.contains("No data for 1946–1979, 2011–2025"), "the exercise chart draws the gaps");
    assert!(svg.contains("a curated sample of"), "the registry's series is labelled a sample");
}

#[test]
fn challenges_find_conflicts_and_costs() {
    let Some(db) = db() else { return };
    let usa: serde_json::Value = serde_json::from_str(&ok(db, &["challenges", "USA", "--format", "json"])).unwrap();
    let greece_turkey = usa["conflicts"]["items"].as_array().unwrap().iter().any(|c| {
        let pair = [c["a"].as_u64().unwrap(), c["b"].as_u64().unwrap()];
        c["holder"] == 2 && pair.contains(&350) && pair.contains(&640)
    });
    assert!(greece_turkey, "NATO binds the US to both Greece and Turkey");
    let pak: serde_json::Value = serde_json::from_str(&ok(db, &["challenges", "PAK", "--format", "json"])).unwrap();
    let mdaa = pak["sovereignty"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["agreement_id"] == "us-pakistan-agreement-of-cooperation-1959")
        .unwrap();
    assert_eq!(mdaa["aid_dependence"]["value"], 1.0);
    assert!(mdaa["aid_dependence"]["basis"].as_str().unwrap().contains("recipient"));
}

#[test]
fn recommendations_beat_the_baselines_in_the_back_test() {
    let Some(db) = db() else { return };
    for t in ["1960", "1980", "2000"] {
        let (h, rows) =
            csv_rows(&ok(db, &["recommend", "--backtest", "--train-until", t, "--horizon", "10", "--format", "csv"]));
        assert_eq!(h.iter().collect::<Vec<_>>(), vec!["method", "auc", "precision_at_k", "k"]);
        let auc = |m: &str| rows.iter().find(|r| &r[0] == m).unwrap()[1].parse::<f64>().unwrap();
        assert!(auc("pactbase") > auc("common-neighbours") && auc("pactbase") > auc("adamic-adar"), "T = {t}");
    }
    let recs: serde_json::Value =
        serde_json::from_str(&ok(db, &["recommend", "PAK", "--year", "2000", "--top", "5", "--format", "json"]))
            .unwrap();
    let recs = recs.as_array().unwrap();
    assert_eq!(recs.len(), 5);
    assert!(recs.iter().all(|r| !r["contributions"].as_array().unwrap().is_empty()));
}

#[test]
fn impact_of_pakistans_entry_into_seato() {
    let Some(db) = db() else { return };
    let chart = temp("impact.svg");
    let study: serde_json::Value = serde_json::from_str(&ok(
        db,
        &[
            "impact",
            "--agreement",
            "seato",
            "--outcome",
            "milex",
            "--state",
            "PAK",
            "--window=-5..10",
            "--chart",
            chart.to_str().unwrap(),
            "--format",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(study["relative_years"].as_array().unwrap().len(), 16);
    assert_eq!(study["treated_states"], serde_json::json!([770]));
    assert!(study["comparison_states"].as_array().unwrap().len() > 20);
    assert!(std::fs::read_to_string(&chart).unwrap().contains("95% CI"));
    let kind = run(db, &["impact", "--kind", "mutual-defense-pact", "--outcome", "cinc", "--format", "csv"]);
    assert!(kind.status.success(), "{}", String::from_utf8_lossy(&kind.stderr));
}

#[test]
fn missing_datasets_and_bad_options_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    let out = run(&empty, &["panel", "dyad-year", "--with", "atop"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pactbase data fetch atop"));
    assert_eq!(run(&empty, &["panel", "dyad-year", "--with", "weather"]).status.code(), Some(2));
    assert_eq!(run(&empty, &["panel", "dyad-year", "--years", "2000-1990"]).status.code(), Some(2));
    assert_eq!(run(&empty, &["agreements", "--format", "parquet"]).status.code(), Some(2));
    let (_, frame) = csv_rows(&ok(&empty, &["panel", "dyad-year", "--years", "1975", "--format", "csv"]));
    assert!(!frame.iter().any(|r| (&r[0], &r[1]) == ("115", "817")), "the registry's own states give the same frame");
}
