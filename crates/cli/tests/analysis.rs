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
    // Top-level names of the leaf columns (a list's leaf is `atop_ids.list.item`).
    let names: Vec<&str> = schema.columns().iter().map(|c| c.path().parts()[0].as_str()).collect();
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

/// The Parquet file opens in pyarrow and pandas with integer keys, float capabilities,
/// `atop_ids` as a list of integers and each field described in its metadata.
/// pyarrow is installed by .ci/run; elsewhere the check is skipped when it is missing.
fn pyarrow_reads(file: &Path, rows: usize) {
    let script = "import sys, pyarrow.parquet as pq\nt = pq.read_table(sys.argv[1])\ndf = t.to_pandas()\nprint(t.num_rows, t.schema.field('ccode1').type, t.schema.field('cinc1').type, t.schema.field('atop_ids').type, df['year'].dtype, sep='|')\nprint(t.schema.field('milex1').metadata[b'unit'].decode())";
    let out = Command::new("python3").args(["-c", script, file.to_str().unwrap()]).output();
    match out {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8(out.stdout).unwrap();
            assert_eq!(text.trim(), format!("{rows}|int32|double|list<item: int32>|int32\nthousands of current US$"));
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
    let (h, long) = csv_rows(&ok(db, &["network", "--years", "1990-1991", "--format", "csv"]));
    assert!(long.len() > 300);
    // CSV keeps every digit (it fed 6-decimal strings to scripts before): PageRank sums to
    // 1 over each year's graph, and to 1e-12 only with full precision.
    let pagerank = col(&h, "pagerank");
    let sum: f64 = long.iter().filter(|r| &r[0] == "1990").map(|r| r[pagerank].parse::<f64>().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-12, "PageRank of 1990 sums to {sum}");

    // The same long table as Parquet: same rows, typed columns, each described.
    let file = temp("network.parquet");
    let args = ["network", "--years", "1990-1991", "--format", "parquet", "--output", file.to_str().unwrap()];
    ok(db, &args);
    let reader = SerializedFileReader::new(File::open(&file).unwrap()).unwrap();
    let metadata = reader.metadata().file_metadata();
    assert_eq!(metadata.num_rows() as usize, long.len());
    let kv = metadata.key_value_metadata().unwrap();
    let datasets = kv.iter().find(|k| k.key == "pactbase.datasets").and_then(|k| k.value.clone()).unwrap();
    assert!(datasets.contains("\"atop\""), "provenance names ATOP: {datasets}");
    let schema = metadata.schema_descr();
    assert_eq!(schema.column(1).name(), "ccode");
    assert_eq!(schema.column(1).physical_type(), parquet::basic::Type::INT32);
    assert_eq!(schema.column(7).name(), "eigenvector");
    assert_eq!(schema.column(7).physical_type(), parquet::basic::Type::DOUBLE);
    std::fs::remove_file(file).unwrap();
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
fn the_back_test_puts_the_model_at_the_top_of_every_baseline() {
    let Some(db) = db() else { return };
    for t in ["1960", "1980", "2000"] {
        let (h, rows) = csv_rows(&ok(db, &["recommend", "--backtest", "--train-until", t, "--format", "csv"]));
        assert_eq!(
            h.iter().collect::<Vec<_>>(),
            ["evaluation", "method", "auc", "precision_at_k", "k", "pairs", "positives"]
        );
        let all: Vec<_> = rows.iter().filter(|r| &r[0] == "all").collect();
        assert_eq!(all.len(), 6, "the model and five baselines");
        let precision = |r: &csv::StringRecord| r[3].parse::<f64>().unwrap();
        assert!(all.iter().all(|r| &r[4] == "10"), "precision@10 by default");
        assert!(all[1..].iter().all(|r| precision(all[0]) >= precision(r)), "T = {t}: {all:?}");
        for evaluation in ["never-allied", "bilateral", "treaty-weighted"] {
            assert_eq!(rows.iter().filter(|r| &r[0] == evaluation).count(), 6, "{evaluation}");
        }
    }
}

/// The recommended partners of `state` as the CLI lists them by default, as JSON.
fn recommended(db: &Path, state: &str) -> serde_json::Value {
    serde_json::from_str(&ok(db, &["recommend", state, "--format", "json"])).unwrap()
}

#[test]
fn recommendations_are_for_the_registrys_year_with_reasons_in_words() {
    let Some(db) = db() else { return };
    let pakistan = recommended(db, "PAK");
    assert_eq!(pakistan["year"], 2025, "the registry's current year by default");
    let partners = pakistan["partners"].as_array().unwrap();
    assert_eq!(partners.len(), 10);
    for p in partners {
        assert!(!p["reasons"].as_array().unwrap().is_empty(), "{p}");
        assert!(!p["statistics"]["contributions"].as_array().unwrap().is_empty());
        assert!(!p["reasons"].to_string().contains("log-odds"), "statistics stay out of the words: {p}");
    }
    let older: serde_json::Value =
        serde_json::from_str(&ok(db, &["recommend", "PAK", "--year", "2000", "--top", "5", "--format", "json"]))
            .unwrap();
    assert_eq!((older["year"].as_i64(), older["partners"].as_array().unwrap().len()), (Some(2000), 5));
}

#[test]
fn no_rival_is_recommended_and_pakistan_is_offered_no_state_it_does_not_recognise() {
    let Some(db) = db() else { return };
    // Current strategic rivals in the TSS data (ongoing at its 2020 end).
    let rivals: [(&str, &[u64]); 4] =
        [("PAK", &[700, 750]), ("IND", &[710, 770]), ("ISR", &[630, 645, 651, 652]), ("USA", &[40, 365, 630, 710])];
    for (state, theirs) in rivals {
        let found = recommended(db, state);
        let listed: Vec<u64> =
            found["partners"].as_array().unwrap().iter().map(|p| p["partner"].as_u64().unwrap()).collect();
        assert!(listed.iter().all(|c| !theirs.contains(c)), "{state} is recommended a rival: {listed:?}");
    }
    let pakistan = recommended(db, "PAK");
    let listed: Vec<u64> =
        pakistan["partners"].as_array().unwrap().iter().map(|p| p["partner"].as_u64().unwrap()).collect();
    // Israel, Armenia, Taiwan.
    assert!(listed.iter().all(|c| ![666, 371, 713].contains(c)), "{listed:?}");
    let left_out = pakistan["left_out"].to_string();
    assert!(left_out.contains("strategic rival") && left_out.contains("not recognised by Pakistan"), "{left_out}");
    // Asked for, rivals come back flagged.
    let with_rivals: serde_json::Value =
        serde_json::from_str(&ok(db, &["recommend", "PAK", "--include-rivals", "--top", "30", "--format", "json"]))
            .unwrap();
    let afghanistan = with_rivals["partners"].as_array().unwrap().iter().find(|p| p["partner"] == 700).unwrap();
    assert!(afghanistan["cautions"][0].as_str().unwrap().contains("strategic rival"), "{afghanistan}");
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
    // SIPRI's constant dollars cover 1953, the year before entry.
    assert_eq!(study["outcome"]["name"], "sipri-milex");
    assert!(study["comparison_states"].as_array().unwrap().len() > 20);
    // Against India and Iran, whose SIPRI series start in 1956 and 1960, no comparison has
    // 1953: NMC, and the warning says why.
    let named: serde_json::Value = serde_json::from_str(&ok(
        db,
        &["impact", "--agreement", "seato", "--state", "PAK", "--compare", "IND,IRN", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(named["outcome"]["name"], "nmc-milex");
    assert!(named["warnings"][0].as_str().unwrap().contains("every comparison state"), "{}", named["warnings"]);
    assert!(study["pre_trends"]["p_value"].as_f64().unwrap() > 0.0);
    let placebos = study["placebo"]["placebos"].as_array().unwrap();
    assert_eq!(
        placebos.len() + study["placebo"]["not_estimable"].as_array().unwrap().len(),
        study["comparison_states"].as_array().unwrap().len()
    );
    assert!(study["synthetic_control"]["weights"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["weight"].as_f64().unwrap() > 0.0));
    // Pakistan left SEATO in 1972: its spell ends there.
    let spell = &study["spells"].as_array().unwrap().iter().find(|s| s["state"] == 770).unwrap().clone();
    assert_eq!((spell["first_year"].as_i64(), spell["last_year"].as_i64()), (Some(1954), Some(1972)));
    assert!(std::fs::read_to_string(&chart).unwrap().contains("95% CI"));
}

#[test]
fn impact_treatment_follows_the_obligations_and_says_when_no_effect_can_be_stated() {
    let Some(db) = db() else { return };
    let study = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["impact"];
        all.extend(args);
        all.extend(["--format", "json"]);
        serde_json::from_str(&ok(db, &all)).unwrap()
    };
    // Defense obligations before 1950: SIPRI does not reach back, so NMC with a warning;
    // its zero years are counted, and the pre-1948 cohorts with one comparison are named.
    let defense = study(&["--kind", "defense"]);
    assert_eq!(defense["outcome"]["name"], "nmc-milex");
    assert!(defense["warnings"][0].as_str().unwrap().contains("SIPRI"));
    assert!(defense["outcome"]["zero_years"].as_u64().unwrap() > 700);
    let sample = defense["sample"].to_string();
    assert!(sample.contains("fewer than two comparison states"), "{sample}");
    // Treatment ends: most spells have a last year.
    let spells = defense["spells"].as_array().unwrap();
    assert!(spells.iter().filter(|s| !s["last_year"].is_null()).count() * 2 > spells.len());
    // Held only: Belgium, guaranteed since 1832, first holds a defense obligation in 1920.
    let held = study(&["--kind", "defense", "--treatment", "held"]);
    let first = |v: &serde_json::Value, c: u64| {
        v["spells"].as_array().unwrap().iter().find(|s| s["state"] == c).map(|s| s["first_year"].as_i64().unwrap())
    };
    assert_eq!(first(&defense, 200), first(&held, 200));
    assert_eq!(first(&held, 211), Some(1920), "Belgium first holds a defense obligation in 1920");
    // SEATO's members together: their years before entry differ, so no effect is stated.
    let seato = study(&["--agreement", "seato"]);
    assert_eq!(seato["pre_trends"]["rejected"], true);
    assert!(seato["headline"].as_str().unwrap().starts_with("No effect is stated"), "{}", seato["headline"]);
    let cinc = run(db, &["impact", "--kind", "mutual-defense-pact", "--outcome", "log-cinc", "--format", "csv"]);
    assert!(cinc.status.success(), "{}", String::from_utf8_lossy(&cinc.stderr));
}

#[test]
fn covariates_from_the_store_and_their_codebook() {
    let Some(db) = db() else { return };
    let with = "contiguity,capdist,mindist,majors,mids,peaceyears,igos";
    let out = run(db, &["panel", "dyad-year", "--directed", "--years", "1965-2015", "--with", with, "--format", "csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(warnings.contains("gml-mids (1816-2010)") && warnings.contains("igos (1816-2014)"), "{warnings}");
    let (h, rows) = csv_rows(&String::from_utf8(out.stdout).unwrap());
    let row = |a: &str, b: &str, y: &str| {
        rows.iter().find(|r| (&r[0], &r[1], &r[2]) == (a, b, y)).unwrap_or_else(|| panic!("no {a}-{b} {y}"))
    };
    let pak_ind = row("770", "750", "1965");
    let cell = |r: &csv::StringRecord, c: &str| r[col(&h, c)].to_owned();
    assert_eq!(
        ["conttype", "cowmaj1", "gmlmidonset", "gmlmidongoing", "dispnum", "gmlmidspell", "dyadigos"]
            .map(|c| cell(pak_ind, c)),
        ["1", "0", "1", "1", "2631", "0", "36"]
    );
    assert_eq!(cell(pak_ind, "mindist").parse::<f64>().unwrap(), 0.0);
    assert!(
        cell(pak_ind, "capdist").starts_with("678.837"),
        "Rawalpindi–New Delhi: Islamabad is the capital from 1968"
    );
    let later = row("770", "750", "2015");
    assert_eq!([cell(later, "gmlmidongoing"), cell(later, "dyadigos")], [String::new(), String::new()], "not covered");

    let codebook = ok(db, &["codebook", "dyad-year", "--with", "atop,nmc,majors", "--format", "csv"]);
    let (ch, entries) = csv_rows(&codebook);
    let entry = |c: &str| entries.iter().find(|e| &e[0] == c).unwrap_or_else(|| panic!("no {c}"));
    assert_eq!(&entry("milex1")[col(&ch, "unit")], "thousands of current US$");
    assert_eq!(&entry("cowmaj2")[col(&ch, "version")], "2016");
    assert_eq!(&entry("atop_ids")[col(&ch, "type")], "list<int32>");
    let md = ok(db, &["codebook", "state-year", "--format", "md"]);
    assert!(md.starts_with("| column | type |") && md.contains("| gmlmidspell | int32 | years |"), "{md}");
}

#[test]
fn missing_datasets_and_bad_options_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    let out = run(&empty, &["panel", "dyad-year", "--with", "atop"]);
    assert_eq!(out.status.code(), Some(5), "a dataset not imported has its own exit code");
    assert!(String::from_utf8_lossy(&out.stderr).contains("pactbase data fetch atop"));
    assert_eq!(run(&empty, &["panel", "dyad-year", "--with", "weather"]).status.code(), Some(2));
    assert_eq!(run(&empty, &["panel", "dyad-year", "--years", "2000-1990"]).status.code(), Some(2));
    assert_eq!(run(&empty, &["agreements", "--format", "parquet"]).status.code(), Some(2));
    let (_, frame) = csv_rows(&ok(&empty, &["panel", "dyad-year", "--years", "1975", "--format", "csv"]));
    assert!(!frame.iter().any(|r| (&r[0], &r[1]) == ("115", "817")), "the registry's own states give the same frame");
}
