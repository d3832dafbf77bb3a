//! Every command's ways of failing exit with the code the README's table (and `--help`)
//! documents: 1 I/O or database, 2 bad usage, 3 unknown state, agreement or kind, 4
//! invalid data, 5 a dataset not imported.

mod common;

use std::path::Path;

use common::{ok, run, temp_db};

fn assert_exits(db: &Path, code: i32, cases: &[&[&str]]) {
    for args in cases {
        let out = run(db, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.lines().any(|l| l.starts_with("error:")) || code == 2, "{args:?} says why: {stderr}");
    }
}

#[test]
fn input_and_output_that_cannot_be_read_or_written_exit_1() {
    let (dir, db) = temp_db();
    ok(&db, &["init"]);
    let missing = dir.path().join("no-such-folder");
    let missing_file = missing.join("nmc.csv");
    let unwritable = missing.join("out.csv");
    let (missing, missing_file, unwritable) =
        (missing.to_str().unwrap(), missing_file.to_str().unwrap(), unwritable.to_str().unwrap());
    // Issue 20 item 9: a missing import file is an I/O failure, as documented.
    assert_exits(
        &db,
        1,
        &[
            &["import", "nmc", missing_file],
            &["import", "cow-states", missing_file],
            &["import", "mme", missing_file],
            &["import", "sipri-milex", missing_file],
            &["import", "rivalries", missing_file],
            &["import", "atop", missing],
            &["import", "nmc", missing_file, "--dry-run"],
            &["init", "--data", missing],
            &["states", "--format", "csv", "--output", unwritable],
            &["show", "anzus", "--output", unwritable],
            &["trends", "--chart", unwritable],
        ],
    );
    let out = run(&db, &["import", "nmc", missing_file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("problem reading the input") && stderr.contains("cannot open"), "{stderr}");

    // A database that cannot be opened: a folder, or a file that is not SQLite.
    let folder = dir.path().join("folder.db");
    std::fs::create_dir(&folder).unwrap();
    let not_sqlite = dir.path().join("notes.db");
    std::fs::write(&not_sqlite, "not a database, just some text that is long enough to look like a header").unwrap();
    for db in [&folder, &not_sqlite] {
        assert_exits(db, 1, &[&["states"], &["init"], &["import", "nmc", missing_file]]);
    }

    // An address that is taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    assert_exits(&db, 1, &[&["serve", "--addr", &addr]]);
}

#[test]
fn bad_usage_exits_2() {
    let (_dir, db) = temp_db();
    ok(&db, &["init"]);
    assert_exits(
        &db,
        2,
        &[
            &["agreements", "--bogus"],
            &["agreements", "--active-in", "1700"],
            &["agreements", "--format", "parquet"],
            &["show"],
            &["country", "PAK", "--year", "1700"],
            &["search"],
            &["states", "--format", "gexf"],
            &["import", "weather", "x.csv"],
            &["panel", "dyad-year", "--years", "2000-1990"],
            &["panel", "dyad-year", "--with", "weather"],
            &["similarity", "--years", "nineteen"],
            &["similarity", "--measures", "taux"],
            &["network"],
            &["network", "--year", "2010", "--kind", "defense"],
            &["signatories", "--years", "1700-1800"],
            &["trends", "--years", "x"],
            &["challenges", "PAK", "--year", "1700"],
            &["recommend"],
            &["impact", "--agreement", "seato", "--outcome", "milex", "--window", "ten"],
            &["report"],
            &["serve", "--addr", "not an address"],
            &["user", "add", "omar", "--role", "king"],
        ],
    );
}

#[test]
fn unknown_names_exit_3() {
    let (_dir, db) = temp_db();
    ok(&db, &["init"]);
    assert_exits(
        &db,
        3,
        &[
            &["agreements", "--member", "Atlantis"],
            &["agreements", "--kind", "alliance"],
            &["show", "anzuss"],
            &["country", "Atlantis"],
            &["network", "--year", "2010", "--kind", "intel"],
            &["challenges", "Atlantis"],
            &["report", "Atlantis"],
            &["impact", "--agreement", "no-such-pact", "--outcome", "milex"],
        ],
    );
}

#[test]
fn datasets_not_imported_exit_5() {
    let (_dir, db) = temp_db();
    ok(&db, &["init"]);
    assert_exits(
        &db,
        5,
        &[
            &["recommend", "PAK"],
            &["panel", "dyad-year", "--with", "nmc"],
            &["panel", "dyad-year", "--with", "contiguity"],
            &["similarity"],
        ],
    );
}

#[test]
fn invalid_data_exits_4_and_stores_nothing() {
    let (dir, db) = temp_db();
    ok(&db, &["init"]);
    let before = ok(&db, &["agreements", "--format", "csv"]);
    let bad = dir.path().join("nmc.csv");
    std::fs::write(&bad, "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n2,1816,x,1,1,1,1,1,0.1\n").unwrap();
    let not_utf8 = dir.path().join("data");
    std::fs::create_dir(&not_utf8).unwrap();
    std::fs::write(not_utf8.join("states.csv"), b"ccode,abb\n\xff\xfe\n").unwrap();
    assert_exits(&db, 4, &[&["import", "nmc", bad.to_str().unwrap()], &["init", "--data", not_utf8.to_str().unwrap()]]);
    assert_eq!(ok(&db, &["agreements", "--format", "csv"]), before);
}
