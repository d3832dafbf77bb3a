//! The registry commands end to end, through the built binary, on the built-in data.

mod common;

use std::path::Path;

use common::{ok, run, temp_db};

/// The rows of a CSV document (its header checked where it matters).
fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    common::csv_rows(text).1
}

#[test]
fn any_command_initialises_a_missing_database() {
    let (_dir, db) = temp_db();
    let out = run(&db, &["agreements", "--format", "csv"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("setting up"));
    assert!(csv_rows(&String::from_utf8(out.stdout).unwrap()).len() >= 100);
}

#[test]
fn agreements_csv_has_the_documented_columns() {
    let (_dir, db) = temp_db();
    let text = ok(&db, &["agreements", "--format", "csv"]);
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("id,name,kinds,signed,in_force,ended"), "{header}");
    let column = |name: &str| header.split(',').position(|h| h == name).unwrap_or_else(|| panic!("missing {name}"));
    let (members, parties) = (column("members"), column("parties"));
    column("non_state_parties");
    let nato = csv_rows(&text).into_iter().find(|r| &r[0] == "nato").unwrap();
    assert_eq!(&nato[parties], "complete");
    let members: Vec<&str> = nato[members].split(';').collect();
    assert!(members.contains(&"2") && members.contains(&"380"), "NATO members as COW codes: {members:?}");
}

/// `--parties` splits the registry in two: the agreements whose files list every party
/// and those that list a selection, each row saying which it is.
#[test]
fn agreements_filter_by_whether_their_parties_are_complete() {
    let (_dir, db) = temp_db();
    let ids = |args: &[&str]| -> Vec<(String, String)> {
        let text = ok(&db, &[&["agreements", "--format", "csv"], args].concat());
        let header = text.lines().next().unwrap().to_owned();
        let parties = header.split(',').position(|h| h == "parties").unwrap();
        csv_rows(&text).into_iter().map(|r| (r[0].to_owned(), r[parties].to_owned())).collect()
    };
    let all = ids(&[]);
    let complete = ids(&["--parties", "complete"]);
    let selected = ids(&["--parties", "selected"]);
    assert!(complete.iter().all(|(_, p)| p == "complete") && selected.iter().all(|(_, p)| p == "selected"));
    assert_eq!(complete.len() + selected.len(), all.len());
    assert!(complete.iter().any(|(id, _)| id == "nato"));
    let out = run(&db, &["agreements", "--parties", "some"]);
    assert_eq!(out.status.code(), Some(2), "an unknown coverage is bad usage");
    assert!(String::from_utf8_lossy(&out.stderr).contains("complete, selected"));
}

/// `show` gives what the challenges analysis reads: reservations, invocations and what came
/// of them, assistance cut-offs; and who is bound apart from who only signed.
#[test]
fn show_gives_reservations_invocations_signatories_and_non_state_parties() {
    let (_dir, db) = temp_db();
    let seato = ok(&db, &["show", "seato"]);
    for expected in [
        "reservations and understandings",
        "only to communist aggression",
        "invocations",
        "1965-09 PAK against IND (defense, Art. IV): declined",
    ] {
        assert!(seato.contains(expected), "show seato lacks {expected:?}");
    }
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["show", "seato", "--format", "json"])).unwrap();
    assert_eq!(json["invocations"][0]["outcome"], "declined");
    assert_eq!(json["invocations"][0]["by"], 770);
    assert_eq!(json["reservations"][0]["effect"], "limits");
    assert_eq!(json["parties"], "complete");
    let mdaa = ok(&db, &["show", "us-pakistan-mutual-defense-assistance-agreement-1954"]);
    assert!(
        mdaa.contains("USA: assistance 1990-10..2001-09-22 toward PAK — Pressler amendment"),
        "the Pressler cut-off: {mdaa}"
    );

    let imctc = ok(&db, &["show", "islamic-military-counter-terrorism-coalition"]);
    assert!(imctc.contains("a selection of the parties"), "five 2016 members are undated: {imctc}");
    let ctbt = ok(&db, &["show", "ctbt"]);
    assert!(!ctbt.contains("a selection of the parties"), "the CTBT lists every ratification");
    assert!(ctbt.contains("signatories not bound") && ctbt.contains("United States (2) signed 1996-09-24"), "{ctbt}");
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["show", "ctbt", "--format", "json"])).unwrap();
    let members: Vec<i64> = json["members"].as_array().unwrap().iter().map(|m| m["ccode"].as_i64().unwrap()).collect();
    assert!(!members.contains(&2), "a signatory is not a member");
    let npt = ok(&db, &["show", "npt"]);
    assert!(npt.contains("outside the COW state system") && npt.contains("Holy See"), "{npt}");
}

#[test]
fn five_eyes_is_listed_under_intelligence_sharing_with_its_history() {
    let (_dir, db) = temp_db();
    let text = ok(&db, &["agreements", "--kind", "intelligence-sharing", "--format", "csv"]);
    let ids: Vec<String> = csv_rows(&text).iter().map(|r| r[0].to_owned()).collect();
    assert!(ids.contains(&"ukusa".to_owned()), "{ids:?}");
    let shown = ok(&db, &["show", "ukusa"]);
    for expected in ["1946-03-05", "Canada", "Australia", "New Zealand"] {
        assert!(shown.contains(expected), "show ukusa lacks {expected}");
    }
}

#[test]
fn filters_combine() {
    let (_dir, db) = temp_db();
    let text =
        ok(&db, &["agreements", "--member", "Pakistan", "--active-in", "1960", "--kind", "defense", "--format", "csv"]);
    let ids: Vec<String> = csv_rows(&text).iter().map(|r| r[0].to_owned()).collect();
    assert!(
        ids.contains(&"seato".to_owned()) && ids.contains(&"us-pakistan-agreement-of-cooperation-1959".to_owned()),
        "{ids:?}"
    );
    assert!(!ids.iter().any(|id| id == "shanghai-cooperation-organisation"), "SCO is not active for Pakistan in 1960");
    let text = ok(&db, &["agreements", "--text", "ANZUS", "--format", "csv"]);
    assert!(csv_rows(&text).iter().any(|r| &r[0] == "anzus"));
}

#[test]
fn country_pakistan_lists_its_agreements_1947_to_2025() {
    let (_dir, db) = temp_db();
    let text = ok(&db, &["country", "PAK", "--format", "csv"]);
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
fn country_in_a_year_reads_what_bound_it_then() {
    let (_dir, db) = temp_db();
    let rows = csv_rows(&ok(&db, &["country", "770", "--year", "1965", "--format", "csv"]));
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert!(ids.contains(&"seato") && ids.contains(&"cento"));
    assert!(!ids.contains(&"shanghai-cooperation-organisation"), "joined later");
    let standing = |id: &str| rows.iter().find(|r| &r[0] == id).map(|r| r[10].to_owned());
    assert_eq!(standing("seato").as_deref(), Some("in-force"));
    assert_eq!(standing("pakistan-turkey-agreement-for-friendly-cooperation-1954").as_deref(), Some("ended"));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&db, &["country", "pakistan", "--year", "1965", "--format", "json"])).unwrap();
    assert_eq!(json["reference_year"], 1965);
    let partners = json["partners"]["ranked"].as_array().unwrap();
    let usa = partners.iter().find(|p| p["ccode"] == 2).unwrap();
    assert_eq!(usa["commitment"]["in_now"], 3, "the US owed Pakistan defense in 1965 (SEATO, 1959 agreement)");
    let defense: Vec<&serde_json::Value> =
        json["overview"]["defense_partners"].as_array().unwrap().iter().map(|p| &p["ccode"]).collect();
    assert!(defense.contains(&&serde_json::json!(200)), "SEATO bound Britain to it in 1965: {defense:?}");
}

#[test]
fn anzus_shows_the_suspension_toward_new_zealand() {
    let (_dir, db) = temp_db();
    let shown = ok(&db, &["show", "anzus"]);
    assert!(shown.contains("obligations 1986") && shown.contains("toward NEW"), "{shown}");
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["show", "anzus", "--format", "json"])).unwrap();
    assert_eq!(json["id"], "anzus");
    assert!(json["members"].as_array().unwrap().len() == 3);
}

#[test]
fn search_finds_by_words_and_ranks_names_first() {
    let (_dir, db) = temp_db();
    let hits = csv_rows(&ok(&db, &["search", "ANZUS", "--format", "csv"]));
    assert_eq!(&hits[0][0], "anzus");
    let hits = csv_rows(&ok(&db, &["search", "north", "atlantic", "--format", "csv"]));
    assert_eq!(&hits[0][0], "nato");
    assert!(ok(&db, &["search", "zzzqqq", "--format", "csv"]).lines().count() == 1);
}

#[test]
fn states_cover_the_cow_system() {
    let (_dir, db) = temp_db();
    let rows = csv_rows(&ok(&db, &["states", "--format", "csv"]));
    assert_eq!(rows.len(), 217);
    let germany = rows.iter().find(|r| &r[0] == "255").unwrap();
    assert_eq!(&germany[2], "DEU");
}

#[test]
fn output_goes_to_a_file() {
    let (_dir, db) = temp_db();
    let file = db.with_file_name("agreements.json");
    ok(&db, &["agreements", "--format", "json", "--output", file.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(json.as_array().unwrap().len() >= 100);
}

#[test]
fn unknown_states_kinds_and_ids_exit_3_with_suggestions() {
    let (_dir, db) = temp_db();
    let out = run(&db, &["country", "Pakistn"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown state `Pakistn`") && err.contains("did you mean Pakistan"), "{err}");
    let out = run(&db, &["agreements", "--kind", "intelligence"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean intelligence-sharing"));
    let out = run(&db, &["show", "natoo"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean nato"));
}

#[test]
fn bad_flags_and_years_exit_2() {
    let (_dir, db) = temp_db();
    assert_eq!(run(&db, &["agreements", "--bogus"]).status.code(), Some(2));
    assert_eq!(run(&db, &["agreements", "--active-in", "nineteen"]).status.code(), Some(2));
    let out = run(&db, &["agreements", "--active-in", "1200"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("out of range"));
    assert_eq!(run(&db, &["agreements", "--format", "xml"]).status.code(), Some(2));
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
    let (_dir, db) = temp_db();
    ok(&db, &["init"]);
    let before = ok(&db, &["agreements", "--format", "csv"]);
    let cases: [(&str, &str, &str, &str); 9] = [
        ("agreements/anzus.toml", "state = \"NEW\"", "state = \"NZL\"", "anzus.toml:"),
        // Issue 20 item 7: dates outside the state system, out of order; issue 15 item 2.
        (
            "agreements/anzus.toml",
            "signed = \"1951-09-01\"",
            "signed = \"2999\"",
            "anzus.toml:5:10: signed: 2999 is outside",
        ),
        (
            "agreements/anzus.toml",
            "in_force = \"1952-04-29\"",
            "in_force = \"1950\"",
            "anzus.toml:6:12: in_force: the agreement enters into force (1950) before it was signed",
        ),
        (
            "agreements/anzus.toml",
            "joined = \"1951-09-01\"",
            "joined = \"0001\"",
            "anzus.toml:43:10: members[0].joined: 0001 is outside",
        ),
        (
            "agreements/anzus.toml",
            "url = \"http://www.austlii.edu.au/au/other/dfat/treaties/1952/2.html\"",
            "url = \"javascript:alert(1)\"",
            "anzus.toml:24:7: sources[0].url: `javascript:alert(1)` is not a web address",
        ),
        ("agreements/nato.toml", "signed = \"1949-04-04\"", "signed = \"1949-04-31\"", "nato.toml:"),
        ("agreements/seato.toml", "kinds = [", "kinds = [\"alliance\", ", "unknown value `alliance`"),
        ("agreements/ukusa.toml", "[[members]]", "[[members]\n", "ukusa.toml:"),
        ("states.csv", "770,PAK,PAK,Pakistan", "770,PAK,PAK7,Pakistan", "states.csv:"),
    ];
    for (file, from, to, expected) in cases {
        let data = data_copy();
        replace_in(&data.path().join(file), from, to);
        let out = run(&db, &["init", "--data", data.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(4), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{file}: {err}");
        assert!(err.contains("nothing was loaded"), "{err}");
        let located = err.lines().any(|l| {
            l.contains(&format!("{file}:")) && l.split(':').nth(1).is_some_and(|n| n.parse::<usize>().is_ok())
        });
        assert!(located, "{file}: error has no line number: {err}");
        assert_eq!(ok(&db, &["agreements", "--format", "csv"]), before, "{file} changed the database");
    }
}

#[test]
fn init_from_a_data_folder_refreshes_the_registry() {
    let (_dir, db) = temp_db();
    ok(&db, &["init"]);
    let data = data_copy();
    replace_in(&data.path().join("agreements/anzus.toml"), "name = \"", "name = \"Revised ");
    let out = ok(&db, &["init", "--data", data.path().to_str().unwrap()]);
    assert!(out.contains("agreements"));
    assert!(ok(&db, &["show", "anzus"]).starts_with("Revised "));
}

#[test]
fn the_network_of_one_kind_of_agreement() {
    let (_dir, db) = temp_db();
    let args =
        ["network", "--year", "2010", "--kind", "intelligence-sharing", "--source", "curated", "--format", "csv"];
    let (h, rows) = common::csv_rows(&ok(&db, &args));
    let (ccode, degree) = (common::col(&h, "ccode"), common::col(&h, "degree"));
    let tied: Vec<&str> = rows.iter().filter(|r| &r[degree] != "0").map(|r| &r[ccode]).collect();
    // Five Eyes (UKUSA) sets no obligation, and still ties its five parties.
    for five_eyes in ["2", "20", "200", "900", "920"] {
        assert!(tied.contains(&five_eyes), "{five_eyes} not tied: {tied:?}");
    }
    assert!(!tied.contains(&"770"));
    let out = run(&db, &["network", "--year", "2010", "--kind", "defense", "--source", "curated"]);
    assert_eq!(out.status.code(), Some(2), "an obligation type is not a kind");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--level defense"));
    assert_eq!(run(&db, &["network", "--year", "2010", "--kind", "intel"]).status.code(), Some(3));
}

/// Issue 20 item 5: names that a spreadsheet would run as formulas come out of every
/// `--format csv` listing neutralised with a leading `'`; numbers are untouched.
#[test]
fn csv_cells_never_run_as_formulas_in_a_spreadsheet() {
    let (_dir, db) = temp_db();
    let data = data_copy();
    replace_in(
        &data.path().join("agreements/anzus.toml"),
        "name = \"",
        "name = \"=HYPERLINK(\\\"http://evil.example\\\",\\\"ANZUS\\\") ",
    );
    replace_in(&data.path().join("states.csv"), "920,NEW,NZL,New Zealand,", "920,NEW,NZL,@New Zealand,");
    ok(&db, &["init", "--data", data.path().to_str().unwrap()]);
    let runs: [&[&str]; 6] = [
        &["agreements", "--member", "NEW"],
        &["search", "HYPERLINK"],
        &["country", "NEW"],
        &["show", "anzus"],
        &["states"],
        &["network", "--year", "1990", "--source", "curated"],
    ];
    for args in runs {
        let text = ok(&db, &[args, &["--format", "csv"]].concat());
        let rows = csv_rows(&text);
        assert!(!rows.is_empty(), "{args:?}");
        for cell in rows.iter().flat_map(|r| r.iter()) {
            let numeric = cell.parse::<f64>().is_ok() && !cell.chars().any(char::is_alphabetic);
            assert!(
                numeric || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{args:?}: {cell:?} runs as a formula"
            );
        }
    }
    let agreements = ok(&db, &["agreements", "--member", "NEW", "--format", "csv"]);
    assert!(agreements.contains("'=HYPERLINK("), "{agreements}");
    assert!(ok(&db, &["states", "--format", "csv"]).contains("'@New Zealand"));
    let json = ok(&db, &["show", "anzus", "--format", "json"]);
    assert!(json.contains("\"name\": \"=HYPERLINK("), "JSON keeps the exact text");
}
