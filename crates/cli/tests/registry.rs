//! The registry commands end to end, through the built binary, on the built-in data.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Db {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pactbase.db");
    Db { _dir: dir, path }
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pactbase"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PACTBASE_DB")
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes()).records().map(Result::unwrap).collect()
}

#[test]
fn any_command_initialises_a_missing_database() {
    let db = db();
    let out = run(&db.path, &["agreements", "--format", "csv"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("setting up"));
    assert!(csv_rows(&String::from_utf8(out.stdout).unwrap()).len() >= 100);
}

#[test]
fn agreements_csv_has_the_documented_columns() {
    let db = db();
    let text = ok(&db.path, &["agreements", "--format", "csv"]);
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("id,name,kinds,signed,in_force,ended"), "{header}");
    for column in ["atopid", "members"] {
        assert!(header.split(',').any(|h| h == column), "missing {column}");
    }
    let nato = csv_rows(&text).into_iter().find(|r| &r[0] == "nato").unwrap();
    let members: Vec<&str> = nato[nato.len() - 1].split(';').collect();
    assert!(members.contains(&"2") && members.contains(&"380"), "NATO members as COW codes: {members:?}");
}

#[test]
fn five_eyes_is_listed_under_intelligence_sharing_with_its_history() {
    let db = db();
    let text = ok(&db.path, &["agreements", "--kind", "intelligence-sharing", "--format", "csv"]);
    let ids: Vec<String> = csv_rows(&text).iter().map(|r| r[0].to_owned()).collect();
    assert!(ids.contains(&"ukusa".to_owned()), "{ids:?}");
    let shown = ok(&db.path, &["show", "ukusa"]);
    for expected in ["1946-03-05", "Canada", "Australia", "New Zealand"] {
        assert!(shown.contains(expected), "show ukusa lacks {expected}");
    }
}

#[test]
fn filters_combine() {
    let db = db();
    let text = ok(
        &db.path,
        &["agreements", "--member", "Pakistan", "--active-in", "1960", "--kind", "defense", "--format", "csv"],
    );
    let ids: Vec<String> = csv_rows(&text).iter().map(|r| r[0].to_owned()).collect();
    assert!(
        ids.contains(&"seato".to_owned()) && ids.contains(&"us-pakistan-agreement-of-cooperation-1959".to_owned()),
        "{ids:?}"
    );
    assert!(!ids.iter().any(|id| id == "shanghai-cooperation-organisation"), "SCO is not active for Pakistan in 1960");
    let text = ok(&db.path, &["agreements", "--text", "ANZUS", "--format", "csv"]);
    assert!(csv_rows(&text).iter().any(|r| &r[0] == "anzus"));
}

#[test]
fn country_pakistan_lists_its_agreements_1947_to_2025() {
    let db = db();
    let text = ok(&db.path, &["country", "PAK", "--format", "csv"]);
    assert!(text.starts_with("agreement_id,ccode,agreement,kinds,joined,left,role,obligations"));
    let rows = csv_rows(&text);
    let row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap_or_else(|| panic!("no {id}"));
    let seato = row("seato");
    assert_eq!((&seato[1], &seato[4], &seato[5]), ("770", "1954-09-08", "1972-11-08"));
    assert!(seato[7].contains("defense"));
    let smda = row("saudi-pakistan-strategic-mutual-defence-agreement-2025");
    assert_eq!(&smda[4], "2025-09-17");
    assert_eq!(&smda[7], "defense");
    assert!(rows.iter().all(|r| &r[1] == "770"));
    let years: Vec<i32> = rows.iter().map(|r| r[4][..4].parse().unwrap()).collect();
    assert!(years.iter().min().unwrap() < &1955 && years.iter().max().unwrap() == &2025);
}

#[test]
fn country_in_a_year_keeps_only_what_was_in_effect() {
    let db = db();
    let rows = csv_rows(&ok(&db.path, &["country", "770", "--year", "1965", "--format", "csv"]));
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert!(ids.contains(&"seato") && ids.contains(&"cento"));
    assert!(!ids.contains(&"shanghai-cooperation-organisation"));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&db.path, &["country", "pakistan", "--year", "1965", "--format", "json"])).unwrap();
    let partners = json["partners"].as_array().unwrap();
    let usa = partners.iter().find(|p| p["ccode"] == 2).unwrap();
    assert_eq!(usa["tie_in"], 3, "the US owed Pakistan defense in 1965 (SEATO, 1959 agreement)");
}

#[test]
fn anzus_shows_the_suspension_toward_new_zealand() {
    let db = db();
    let shown = ok(&db.path, &["show", "anzus"]);
    assert!(shown.contains("obligations 1986") && shown.contains("toward NEW"), "{shown}");
    let json: serde_json::Value = serde_json::from_str(&ok(&db.path, &["show", "anzus", "--format", "json"])).unwrap();
    assert_eq!(json["id"], "anzus");
    assert!(json["members"].as_array().unwrap().len() == 3);
}

#[test]
fn search_finds_by_words_and_ranks_names_first() {
    let db = db();
    let hits = csv_rows(&ok(&db.path, &["search", "ANZUS", "--format", "csv"]));
    assert_eq!(&hits[0][0], "anzus");
    let hits = csv_rows(&ok(&db.path, &["search", "north", "atlantic", "--format", "csv"]));
    assert_eq!(&hits[0][0], "nato");
    assert!(ok(&db.path, &["search", "zzzqqq", "--format", "csv"]).lines().count() == 1);
}

#[test]
fn states_cover_the_cow_system() {
    let db = db();
    let rows = csv_rows(&ok(&db.path, &["states", "--format", "csv"]));
    assert_eq!(rows.len(), 217);
    let germany = rows.iter().find(|r| &r[0] == "255").unwrap();
    assert_eq!(&germany[2], "DEU");
}

#[test]
fn output_goes_to_a_file() {
    let db = db();
    let file = db.path.with_file_name("agreements.json");
    ok(&db.path, &["agreements", "--format", "json", "--output", file.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(json.as_array().unwrap().len() >= 100);
}

#[test]
fn unknown_states_kinds_and_ids_exit_3_with_suggestions() {
    let db = db();
    let out = run(&db.path, &["country", "Pakistn"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown state `Pakistn`") && err.contains("did you mean Pakistan"), "{err}");
    let out = run(&db.path, &["agreements", "--kind", "intelligence"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean intelligence-sharing"));
    let out = run(&db.path, &["show", "natoo"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean nato"));
}

#[test]
fn bad_flags_and_years_exit_2() {
    let db = db();
    assert_eq!(run(&db.path, &["agreements", "--bogus"]).status.code(), Some(2));
    assert_eq!(run(&db.path, &["agreements", "--active-in", "nineteen"]).status.code(), Some(2));
    let out = run(&db.path, &["agreements", "--active-in", "1200"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("out of range"));
    assert_eq!(run(&db.path, &["agreements", "--format", "xml"]).status.code(), Some(2));
}

/// Copies the built-in data folder so a test can break one file of it.
fn data_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for sub in ["", "agreements", "exercises"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(src.join(sub)).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, dir.path().join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    dir
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn malformed_data_fails_init_with_file_line_and_field_and_leaves_the_database_untouched() {
    let db = db();
    ok(&db.path, &["init"]);
    let before = ok(&db.path, &["agreements", "--format", "csv"]);
    let cases: [(&str, &str, &str, &str); 5] = [
        ("agreements/anzus.toml", "state = \"NEW\"", "state = \"NZL\"", "anzus.toml:"),
        ("agreements/nato.toml", "signed = \"1949-04-04\"", "signed = \"1949-04-31\"", "nato.toml:"),
        ("agreements/seato.toml", "kinds = [", "kinds = [\"alliance\", ", "unknown value `alliance`"),
        ("agreements/ukusa.toml", "[[members]]", "[[members]\n", "ukusa.toml:"),
        ("states.csv", "770,PAK,PAK,Pakistan", "770,PAK,PAK7,Pakistan", "states.csv:"),
    ];
    for (file, from, to, expected) in cases {
        let data = data_copy();
        replace_in(&data.path().join(file), from, to);
        let out = run(&db.path, &["init", "--data", data.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(4), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{file}: {err}");
        assert!(err.contains("nothing was loaded"), "{err}");
        let located = err.lines().any(|l| {
            l.contains(&format!("{file}:")) && l.split(':').nth(1).is_some_and(|n| n.parse::<usize>().is_ok())
        });
        assert!(located, "{file}: error has no line number: {err}");
        assert_eq!(ok(&db.path, &["agreements", "--format", "csv"]), before, "{file} changed the database");
    }
}

#[test]
fn init_from_a_data_folder_refreshes_the_registry() {
    let db = db();
    ok(&db.path, &["init"]);
    let data = data_copy();
    replace_in(&data.path().join("agreements/anzus.toml"), "name = \"", "name = \"Revised ");
    let out = ok(&db.path, &["init", "--data", data.path().to_str().unwrap()]);
    assert!(out.contains("agreements"));
    assert!(ok(&db.path, &["show", "anzus"]).starts_with("Revised "));
}
