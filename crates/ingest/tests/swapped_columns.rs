//! Issue 20 item 8: a copy of a publisher's real file whose header names two columns the
//! wrong way round is refused, not imported with the values in the wrong fields. Each
//! test swaps every pair of the columns a reader uses, in a copy written to a temporary
//! folder at test time (never committed), and lists the swaps no check can see.

use std::collections::BTreeSet;
use std::path::Path;

use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states, mme, nmc, rivalries, sipri};
use pactbase_model::StateIndex;

fn index() -> StateIndex {
    StateIndex::new(curated::load(&DataFiles::embedded()).unwrap_or_else(|e| panic!("{e}")).states)
}

/// `bytes` (a CSV file, any encoding) with the header names `a` and `b` exchanged.
fn swapped(bytes: &[u8], a: &str, b: &str) -> Vec<u8> {
    let end = bytes.iter().position(|&c| c == b'\n').unwrap();
    let (header, body) = (std::str::from_utf8(&bytes[..end]).unwrap(), &bytes[end..]);
    let names: Vec<&str> = header
        .trim_end_matches('\r')
        .split(',')
        .map(|n| {
            if n == a {
                b
            } else if n == b {
                a
            } else {
                n
            }
        })
        .collect();
    assert!(names.contains(&a) && names.contains(&b), "{a} or {b} not in the header");
    [names.join(",").as_bytes(), body].concat()
}

/// The pairs of `columns` whose swap in `file` (inside `dir`) `read` accepts.
fn undetected(dir: &Path, file: &str, columns: &[&str], read: &dyn Fn(&Path) -> bool) -> BTreeSet<(String, String)> {
    let original = std::fs::read(dir.join(file)).unwrap();
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&p, copy.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let mut accepted = BTreeSet::new();
    for (i, a) in columns.iter().enumerate() {
        for b in &columns[i + 1..] {
            std::fs::write(copy.path().join(file), swapped(&original, a, b)).unwrap();
            if read(copy.path()) {
                accepted.insert((a.to_string(), b.to_string()));
            }
        }
    }
    accepted
}

fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn nmc_refuses_every_swap() {
    let Some(path) = pactbase_testdata::shared("cow/nmc-7.0-abridged.csv") else { return };
    let index = index();
    let columns = ["ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc"];
    let read = |dir: &Path| nmc::read(&dir.join("nmc-7.0-abridged.csv"), &index, &|_| {}).is_ok();
    // Iron and steel and population have the same range (to about 1.4 million, China's
    // steel and people); every state has people, where many years have no steel.
    assert_eq!(undetected(path.parent().unwrap(), "nmc-7.0-abridged.csv", &columns, &read), pairs(&[]));
}

#[test]
fn cow_states_refuses_every_swap() {
    let Some(path) = pactbase_testdata::shared("cow/states2016.csv") else { return };
    let index = index();
    let columns = ["stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"];
    let read = |dir: &Path| cow_states::read(&dir.join("states2016.csv"), &index, &|_| {}).is_ok();
    assert_eq!(undetected(path.parent().unwrap(), "states2016.csv", &columns, &read), pairs(&[]));
}

#[test]
fn rivalries_refuse_every_swap_but_the_two_rivals() {
    let Some(path) = pactbase_testdata::shared("rivalries/tss-strategic-rivalries.csv") else { return };
    let index = index();
    let columns = ["tssr_id", "rivalry", "ccode1", "ccode2", "start", "end", "positional"];
    let read = |dir: &Path| rivalries::read(&dir.join("tss-strategic-rivalries.csv"), &index, &|_| {}).is_ok();
    // A rivalry is not directed: the two rivals in either order are the same rivalry.
    let expected = pairs(&[("ccode1", "ccode2")]);
    assert_eq!(undetected(path.parent().unwrap(), "tss-strategic-rivalries.csv", &columns, &read), expected);
}

#[test]
fn mme_refuses_every_swap_but_start_and_end_days_and_months() {
    let Some(path) = pactbase_testdata::shared("mme-7/mme_v7.csv") else { return };
    let index = index();
    // The nine domain and focus flags are 0 or 1 with no relation between them, so a
    // swap among them cannot be seen; one of each stands for them here.
    let columns = ["s.year", "s.month", "s.day", "e.year", "e.month", "e.day", "CPX", "Warfighting"];
    let read = |dir: &Path| mme::read(&dir.join("mme_v7.csv"), &index, &|_| {}).is_ok();
    // MME v7 itself has six exercises that end, by month or day, before they start, so
    // the order within a year cannot be required.
    let expected = pairs(&[("CPX", "Warfighting"), ("s.day", "e.day"), ("s.month", "e.month")]);
    assert_eq!(undetected(path.parent().unwrap(), "mme_v7.csv", &columns, &read), expected);
}

/// ATOP's files are wide and read together, so a representative of each kind of column
/// stands for its kind: ids, dates, obligation flags, condition flags, provision codes.
/// Provision codes of one range (`milcon`, `base`, `organ1`, `ecaid`: 0-3; `intcom`,
/// `contrib`: 0-1; `subord`, `armred`: 0-2) cannot be told apart, nor can the bilateral
/// and asymmetric flags (ATOP 5.1 does not tie `bilat` to the member count).
#[test]
fn atop_refuses_every_swap_but_the_bilateral_and_asymmetric_flags() {
    let Some(dir) = pactbase_testdata::shared("atop-5.1") else { return };
    let index = index();
    let read = |dir: &Path| atop::read(dir, &index, &|_| {}).is_ok();
    let alliance = [
        "atopid", "cowid", "begyr", "begmo", "begday", "endyr", "bilat", "asymm", "defense", "nonagg", "milaid",
        "specthrt",
    ];
    let expected = pairs(&[("bilat", "asymm")]);
    assert_eq!(undetected(&dir, atop::ALLIANCE_FILE, &alliance, &read), expected);
    let phase = ["atopid", "phase", "begyr", "begmo", "endyr", "defense", "consul"];
    assert_eq!(undetected(&dir, atop::PHASE_FILE, &phase, &read), pairs(&[]));
    let member =
        ["atopid", "member", "phase", "yrent", "moent", "dayent", "yrexit", "defense", "offense", "defcon", "obvary"];
    assert_eq!(undetected(&dir, atop::MEMBER_FILE, &member, &read), pairs(&[]));
}

#[test]
fn sipri_refuses_a_country_column_swapped_with_a_year() {
    let Some(path) = pactbase_testdata::shared("sipri/sipri-milex-constant-2017usd.csv") else { return };
    let index = index();
    let file = "sipri-milex-constant-2017usd.csv";
    let read = |dir: &Path| sipri::read(&dir.join(file), &index, &|_| {}).is_ok();
    // Two years of spending swapped are two plausible series: no check can see that.
    let expected = pairs(&[("1990", "2000")]);
    assert_eq!(undetected(path.parent().unwrap(), file, &["Country", "1990", "2000"], &read), expected);
}

/// What a refused swap looks like: the first cells of each failing column, then a count.
#[test]
fn a_swapped_column_is_listed_by_its_first_cells_and_a_count() {
    let Some(path) = pactbase_testdata::shared("cow/nmc-7.0-abridged.csv") else { return };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("nmc.csv");
    std::fs::write(&copy, swapped(&std::fs::read(&path).unwrap(), "milex", "milper")).unwrap();
    let err = nmc::read(&copy, &index(), &|_| {}).unwrap_err();
    let milper: Vec<String> =
        err.0.iter().filter(|e| e.field.as_deref() == Some("milper")).map(|e| e.to_string()).collect();
    assert_eq!(milper.len(), 6, "{err}");
    assert!(milper[0].contains(":3: milper: "), "file:line:column: field: {}", milper[0]);
    assert!(milper[0].contains("is more than 50000 thousand personnel, more than any state has had"), "{}", milper[0]);
    assert!(milper[5].contains("nmc.csv:1:3: milper: "), "the count points at the header: {}", milper[5]);
    assert!(milper[5].contains("more cells of this column are refused"), "{}", milper[5]);
}
