//! `pactbase import` end to end, through the built binary, on the real files in
//! `../shared/data`: each importer loads its file, `--dry-run` stores nothing, and a
//! garbled copy (made here, at run time, from the real file) is refused with exit 4,
//! its file and line named, and the previously imported data left as it was.

mod common;

use std::path::Path;

use common::{run, temp_db};
use pactbase_store::Store;
use serde_json::Value;

/// Runs an import that must succeed and returns its JSON summary.
fn import(db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = run(db, &all);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn shared(rel: &str) -> Option<String> {
    pactbase_testdata::shared(rel).map(|p| p.display().to_string())
}

#[test]
fn every_importer_loads_its_real_file() {
    let (_dir, db) = temp_db();
    let cases = [
        ("atop", "atop-5.1", 4148),
        ("cow-states", "cow/states2016.csv", 243),
        ("nmc", "cow/nmc-7.0-abridged.csv", 17_121),
        ("mme", "mme-7/mme_v7.csv", 3707),
        ("sipri-milex", "sipri/sipri-milex-constant-2017usd.csv", 173),
        ("rivalries", "rivalries/tss-strategic-rivalries.csv", 264),
    ];
    for (dataset, rel, rows_read) in cases {
        let Some(path) = shared(rel) else { return };
        let summary = import(&db, &[dataset, &path]);
        assert_eq!(summary["dataset"], dataset);
        assert_eq!(summary["rows_read"], rows_read, "{dataset}");
        assert!(summary["rows_stored"].as_u64().unwrap() > 0, "{dataset}");
        assert!(summary["files"].as_array().unwrap().iter().all(|f| f["sha256"].as_str().unwrap().len() == 64));
        if dataset == "mme" {
            let names: Vec<&str> =
                summary["unresolved"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
            assert_eq!(
                names,
                ["Baltic States", "Bermuda", "Hong Kong SAR China", "NATO", "Netherlands Antilles", "New Caledonia"]
            );
        }
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(store.atop_members().unwrap().len(), 2510);
    assert_eq!(store.system_spells().unwrap().len(), 243);
    assert_eq!(store.nmc().unwrap().len(), 17_121);
    assert_eq!(store.mme().unwrap().len(), 3707);
    assert_eq!(store.rivalries().unwrap().len(), 264);
    assert_eq!(store.datasets().unwrap().len(), 8, "three ATOP files and one file per other dataset");

    // A curated agreement with an atopid shows ATOP's coding; ATOP's other alliances are
    // agreements of their own.
    let out = run(&db, &["show", "nato", "--format", "json"]);
    let nato: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(nato["atop"]["alliance"]["atopid"], 3180);
    let text = String::from_utf8(run(&db, &["show", "nato"]).stdout).unwrap();
    assert!(text.contains("ATOP coding of alliance 3180") && text.contains("members as ATOP codes them"), "{text}");
    let out = run(&db, &["show", "atop-3535"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8(run(&db, &["agreements", "--format", "csv"]).stdout).unwrap();
    assert_eq!(listed.lines().filter(|l| l.starts_with("nato,")).count(), 1);
    assert!(!listed.contains("atop-3180,"), "NATO is listed once, as the curated agreement");
}

#[test]
fn dry_run_stores_nothing() {
    let Some(nmc) = shared("cow/nmc-7.0-abridged.csv") else { return };
    let (_dir, db) = temp_db();
    let summary = import(&db, &["nmc", &nmc, "--dry-run"]);
    assert_eq!(summary["dry_run"], true);
    assert_eq!(summary["rows_read"], 17_121);
    assert_eq!(summary["rows_stored"], 0);
    assert!(!db.exists(), "a dry run on a new database does not even create it");

    let Some(rivalries) = shared("rivalries/tss-strategic-rivalries.csv") else { return };
    import(&db, &["rivalries", &rivalries]);
    import(&db, &["nmc", "--dry-run", &nmc]);
    let store = Store::open(&db).unwrap();
    assert!(store.nmc().unwrap().is_empty());
    let datasets: Vec<String> = store.datasets().unwrap().into_iter().map(|d| d.dataset.to_string()).collect();
    assert_eq!(datasets, ["rivalries"]);
}

/// Rewrites `line` (1-based) of `text` with `edit`.
fn edit_line(text: &str, line: usize, edit: impl Fn(&str) -> String) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[line - 1] = edit(&lines[line - 1]);
    lines.join("\n") + "\n"
}

#[test]
fn a_garbled_file_is_refused_and_the_stored_dataset_kept() {
    let Some(nmc) = shared("cow/nmc-7.0-abridged.csv") else { return };
    let (dir, db) = temp_db();
    import(&db, &["nmc", &nmc]);
    let before = Store::open(&db).unwrap();
    let (rows, datasets) = (before.nmc().unwrap(), before.datasets().unwrap());
    drop(before);

    // A garbled number on line 100 and a truncated last line.
    let text = std::fs::read_to_string(&nmc).unwrap();
    let last = text.lines().count();
    let garbled = edit_line(&text, 100, |l| l.replacen(",", ",19x", 1));
    let garbled = edit_line(&garbled, last, |l| l.split(',').take(4).collect::<Vec<_>>().join(","));
    let bad = dir.path().join("nmc-garbled.csv");
    std::fs::write(&bad, garbled).unwrap();
    let out = run(&db, &["import", "nmc", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nmc-garbled.csv:100:2: year: `19x"), "{stderr}");
    assert!(stderr.contains(&format!("nmc-garbled.csv:{last}:5: irst: the row has 4 fields")), "{stderr}");

    let after = Store::open(&db).unwrap();
    assert_eq!(after.nmc().unwrap(), rows);
    assert_eq!(after.datasets().unwrap(), datasets);
}

#[test]
fn a_garbled_atop_folder_is_refused_naming_the_file() {
    let Some(atop) = shared("atop-5.1") else { return };
    let (dir, db) = temp_db();
    let copy = dir.path().join("atop");
    std::fs::create_dir(&copy).unwrap();
    for name in ["atop5_1a.csv", "atop5_1aph.csv", "atop5_1m.csv"] {
        std::fs::copy(Path::new(&atop).join(name), copy.join(name)).unwrap();
    }
    // Duplicate the member file's second row: the same membership entered twice.
    let members = std::fs::read_to_string(copy.join("atop5_1m.csv")).unwrap();
    let second = members.lines().nth(1).unwrap().to_owned();
    std::fs::write(copy.join("atop5_1m.csv"), format!("{members}{second}\n")).unwrap();
    let out = run(&db, &["import", "atop", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("atop5_1m.csv:2512:4: member: duplicate key"), "{stderr}");
    // The database was set up from the built-in data, but no ATOP row went in.
    assert!(Store::open(&db).unwrap().atop_members().unwrap().is_empty());
}

/// Issue 20 item 8, as a user would meet it: a copy of NMC whose header names `milex`
/// and `milper` the wrong way round is refused (exit 4), naming the first refused cells
/// and the count, and the stored NMC rows are kept.
#[test]
fn a_file_with_swapped_columns_is_refused() {
    let Some(nmc) = shared("cow/nmc-7.0-abridged.csv") else { return };
    let (dir, db) = temp_db();
    import(&db, &["nmc", &nmc]);
    let rows = Store::open(&db).unwrap().nmc().unwrap();
    let text = std::fs::read_to_string(&nmc).unwrap();
    let swapped = dir.path().join("nmc-swapped.csv");
    std::fs::write(&swapped, text.replacen("milex,milper", "milper,milex", 1)).unwrap();
    let out = run(&db, &["import", "nmc", swapped.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(":3: milper: ") && stderr.contains("more than any state has had"), "{stderr}");
    assert!(
        stderr.contains("nmc-swapped.csv:1:3: milper: ") && stderr.contains("were two columns swapped?"),
        "{stderr}"
    );
    assert!(stderr.lines().count() < 20, "the first cells and a count, not a line per row: {stderr}");
    assert_eq!(Store::open(&db).unwrap().nmc().unwrap(), rows);
}
