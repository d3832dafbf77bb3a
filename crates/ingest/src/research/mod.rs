//! Readers for the field's research datasets (FIELD.md §1, §2, §6), one module per
//! dataset. Each streams its file, checks the header by column name, validates every
//! field and key, and returns typed rows with the file's provenance, or every problem
//! found with file, line, column and field. States are COW codes; datasets that name
//! states (MME, SIPRI) are resolved through the states table's aliases, and every name
//! that does not resolve is returned for the caller to report.

pub mod atop;
mod atop_agreement;
pub mod capitals;
pub mod contiguity;
pub mod cow_states;
pub mod gml;
pub mod igos;
pub mod majors;
pub mod mindist;
pub mod mme;
pub mod nmc;
pub mod rivalries;
pub mod sipri;
pub mod sipri_arms;
mod table;

use std::collections::HashMap;
use std::path::Path;

use pactbase_model::{Ccode, StateIndex};
use serde::Serialize;

pub use table::Progress;

use crate::{DataError, DataErrors};

/// A name in a dataset that matches no state of the states table (nor any alias).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    pub name: String,
    /// How many entries carry it: participant slots (MME) or year values (SIPRI).
    pub count: usize,
    pub first_line: usize,
}

/// Rows a reader keeps but that no panel can place, for one reason (a state outside the
/// COW system that year, ...): how many, and the first few as examples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotPlaced {
    pub reason: String,
    pub count: usize,
    /// `line N: …`, at most [`EXAMPLES`].
    pub examples: Vec<String>,
}

/// Dyad-year keys read more than once, each reported at its later lines against the first
/// (ascending by line). Checked after reading, by sorting: the large dyadic files have up
/// to 1.2 million rows, and hashing each key as it is read took a tenth of their reading.
fn report_duplicate_dyad_years(table: &mut table::Table<'_>, mut keys: Vec<((Ccode, Ccode, i32), usize)>) {
    keys.sort_unstable();
    let mut duplicates = Vec::new();
    let mut first_line = 0;
    for (i, &(key, line)) in keys.iter().enumerate() {
        if i > 0 && keys[i - 1].0 == key {
            duplicates.push((line, key, first_line));
        } else {
            first_line = line;
        }
    }
    duplicates.sort_unstable();
    for (line, (ccode1, ccode2, year), first) in duplicates {
        table.error(line, "year", format!("duplicate key: {ccode1}-{ccode2} in {year} is already on line {first}"));
    }
}

/// Examples kept per reason.
pub const EXAMPLES: usize = 3;

/// Tallies rows that cannot be placed, by reason, in the order reasons first occur.
#[derive(Default)]
struct Placement {
    groups: Vec<NotPlaced>,
    /// Whether a state is a member on every day of a year, on some, or on none:
    /// dyadic files have a million rows and few distinct state-years.
    membership: HashMap<(Ccode, i32), Membership>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Membership {
    None,
    Some,
    Whole,
}

impl Placement {
    fn add(&mut self, reason: &str, line: usize, what: impl FnOnce() -> String) {
        let i = match self.groups.iter().position(|g| g.reason == reason) {
            Some(i) => i,
            None => {
                self.groups.push(NotPlaced { reason: reason.to_owned(), count: 0, examples: Vec::new() });
                self.groups.len() - 1
            }
        };
        let g = &mut self.groups[i];
        g.count += 1;
        if g.examples.len() < EXAMPLES {
            g.examples.push(format!("line {line}: {}", what()));
        }
    }

    /// A state-year whose state is not a system member that year.
    fn state_year(&mut self, index: &StateIndex, ccode: Ccode, year: i32, line: usize) {
        if !index.get(ccode).is_some_and(|s| s.member_in(year)) {
            self.add("state not a COW system member that year", line, || format!("{ccode} in {year}"));
        }
    }

    fn membership(&mut self, index: &StateIndex, ccode: Ccode, year: i32) -> Membership {
        *self.membership.entry((ccode, year)).or_insert_with(|| match index.get(ccode) {
            Some(s) if s.shares_a_day_with(s, year) => {
                let whole = s.spells.iter().any(|sp| {
                    sp.start.earliest() <= (year, 1, 1) && sp.end.is_none_or(|e| e.latest() >= (year, 12, 31))
                });
                if whole {
                    Membership::Whole
                } else {
                    Membership::Some
                }
            }
            _ => Membership::None,
        })
    }

    /// A dyad-year outside the frame: the two are not system members on a same day of the year.
    fn dyad_year(&mut self, index: &StateIndex, ccode1: Ccode, ccode2: Ccode, year: i32, line: usize) {
        let placed = match (self.membership(index, ccode1, year), self.membership(index, ccode2, year)) {
            (Membership::None, _) | (_, Membership::None) => false,
            (Membership::Whole, _) | (_, Membership::Whole) => true,
            _ => index.get(ccode1).zip(index.get(ccode2)).is_some_and(|(a, b)| a.shares_a_day_with(b, year)),
        };
        if !placed {
            let reason = "dyad outside the dyad-year frame (not both system members on a same day of the year)";
            self.add(reason, line, || format!("{ccode1}-{ccode2} in {year}"));
        }
    }

    fn finish(self) -> Vec<NotPlaced> {
        self.groups
    }
}

/// Resolves dataset names to COW codes, remembering each distinct name so that the
/// states table is searched once per name rather than once per cell, and tallying the
/// names that do not resolve.
struct Names<'i> {
    index: &'i StateIndex,
    seen: HashMap<Box<str>, Option<Ccode>>,
    unresolved: HashMap<Box<str>, (usize, usize)>,
}

impl<'i> Names<'i> {
    fn new(index: &'i StateIndex) -> Self {
        Names { index, seen: HashMap::new(), unresolved: HashMap::new() }
    }

    /// The state `name` denotes, or `None` after counting `entries` against it.
    fn resolve(&mut self, name: &str, line: usize, entries: usize) -> Option<Ccode> {
        let ccode = match self.seen.get(name) {
            Some(&c) => c,
            None => {
                let c = self.index.lookup(name).map(|s| s.ccode);
                self.seen.insert(name.into(), c);
                c
            }
        };
        if ccode.is_none() {
            let tally = self.unresolved.entry(name.into()).or_insert((0, line));
            tally.0 += entries;
        }
        ccode
    }

    /// The unresolved names, alphabetically.
    fn unresolved(self) -> Vec<Unresolved> {
        let mut out: Vec<Unresolved> = self
            .unresolved
            .into_iter()
            .map(|(name, (count, first_line))| Unresolved { name: name.into(), count, first_line })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

/// The version a file declares in its `version` column, which must be the same on
/// every row; `None` when it has no rows.
struct Version {
    value: Option<(String, usize)>,
}

impl Version {
    fn new() -> Self {
        Version { value: None }
    }

    fn check(&mut self, row: &mut table::Row<'_>) {
        let text = row.text("version");
        match &self.value {
            None => self.value = Some((text.into_owned(), row.line)),
            Some((v, _)) if *v == text => {}
            Some((v, line)) => {
                let message = format!("version `{text}` differs from `{v}` on line {line}: one file, one release");
                row.error("version", message);
            }
        }
    }

    /// The declared version, else the file's name without extension.
    fn or_file_name(self, path: &Path) -> String {
        self.value.map(|(v, _)| v).unwrap_or_else(|| file_stem(path))
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// `Ok(value)` when no problem was found, else every problem.
fn all_or_nothing<T>(value: T, errors: Vec<DataError>) -> Result<T, DataErrors> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(DataErrors(errors))
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Small files and a small states table for the readers' unit tests.

    use std::path::PathBuf;

    use pactbase_model::{PartialDate, Spell, State, StateIndex};

    pub fn index() -> StateIndex {
        let state = |ccode, abb: &str, name: &str, aliases: &[&str], start: i32| State {
            ccode,
            abb: abb.into(),
            iso3: None,
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            spells: vec![Spell { start: PartialDate::year(start), end: None }],
        };
        StateIndex::new(vec![
            state(2, "USA", "United States", &["United States of America"], 1816),
            state(200, "UKG", "United Kingdom", &[], 1816),
            state(220, "FRN", "France", &[], 1816),
            state(365, "RUS", "Russia", &["USSR"], 1816),
            state(710, "CHN", "China", &[], 1816),
            state(770, "PAK", "Pakistan", &[], 1947),
            state(255, "GMY", "Germany", &["Prussia"], 1816),
            State {
                spells: vec![Spell { start: PartialDate::year(1816), end: Some(PartialDate::ymd(1918, 11, 12)) }],
                ..state(300, "AUH", "Austria-Hungary", &[], 1816)
            },
            State {
                spells: vec![Spell { start: PartialDate::ymd(1918, 11, 12), end: None }],
                ..state(305, "AUS", "Austria", &[], 1918)
            },
        ])
    }

    /// Writes `text` to a file named `name` in a fresh temporary folder.
    pub fn file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    /// (line, column, field) of each error, for asserting where problems were found.
    pub fn places(errors: &crate::DataErrors) -> Vec<(Option<usize>, Option<usize>, Option<String>)> {
        errors.0.iter().map(|e| (e.line, e.column, e.field.clone())).collect()
    }
}

#[cfg(test)]
mod never_panic {
    //! Whatever bytes a file holds, a reader returns rows or errors; it never panics.

    use std::path::Path;

    use proptest::prelude::*;

    use super::testing::index;
    use super::{
        atop, capitals, contiguity, cow_states, gml, igos, majors, mindist, mme, nmc, rivalries, sipri, sipri_arms,
    };

    const NMC: &str = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n";
    const STATES: &str = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n";
    const RIVALRIES: &str =
        "tssr_id,rivalry,ccode1,ccode2,start,end,positional,spatial,ideological,interventionary,principal,aprin\n";
    const SIPRI: &str = "Country,1949,1950\n";
    const MME: &str = "MMEID,Ex_Name,Series_Name,Location,s.year,s.month,s.day,e.year,e.month,e.day,CPX,Air,Land,Sea,Amphibious,Cyber,Warfighting,Peacekeeping,Humanitarian,StateA,StateB\n";
    const CONTIGUITY: &str = "ccode1,ccode2,conttype,stdate,enddate\n";
    const CAPITALS: &str = "ccode,statenme,capital,stdate,enddate,lat,lng\n";
    const MINDIST: &str = "ccode1,ccode2,year,mindist\n";
    const MAJORS: &str = "stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday,version\n";
    const IGOS: &str = "ccode1,ccode2,year,dyadigos\n";
    const GML_D: &str = "dispnum,styear,stmon,fatality,mindur,maxdur,hostlev,recip\n";
    const GML_P: &str = "dispnum,ccode,styear,endyear,sidea,orig\n";
    const GML_Y: &str = "dispnum,ccode1,ccode2,year,gmlmidongoing,gmlmidonset,sidea1,sidea2,fatality,hostlev,recip,mindur,maxdur,stmon\n";
    const ATOP_A: &str = "atopid,cowid,begyr,begmo,begday,endyr,endmo,endday,bilat,asymm,defense,offense,neutral,nonagg,consul,milcon,milaid,intcom,subord,base,organ1,contrib,armred,specthrt,ecaid,mem1,mem2,version\n";
    const ATOP_P: &str =
        "atopid,phase,begyr,begmo,begday,endyr,endmo,endday,defense,offense,neutral,nonagg,consul,version\n";
    const ATOP_M: &str = "atopid,member,phase,yrent,moent,dayent,yrexit,moexit,dayexit,defense,offense,neutral,nonagg,consul,defcon,offcon,neucon,concon,obvary,version\n";

    type Reader = fn(&Path, &pactbase_model::StateIndex);

    /// Bytes that look like CSV often enough to reach the field parsers: digits, signs,
    /// separators, quotes, line ends, names, and bytes that are not UTF-8.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        let pieces: Vec<&[u8]> = vec![
            b"0",
            b"1",
            b"9",
            b"12",
            b"1990",
            b"2020",
            b"1990-01-01",
            b"1816-13-01",
            b"-9",
            b"xx",
            b"770",
            b"8152",
            b"5.1",
            b"0.5",
            b",",
            b",",
            b",",
            b"\n",
            b"\r\n",
            b"\"",
            b" ",
            b"United States",
            b"NATO",
            b"\xe9",
            b"\xff\xfe",
            b"-",
            b".",
        ];
        prop::collection::vec(prop::sample::select(pieces), 0..120).prop_map(|p| p.concat())
    }

    fn write(dir: &Path, name: &str, header: &str, with_header: bool, body: &[u8]) {
        let mut bytes = if with_header { header.as_bytes().to_vec() } else { Vec::new() };
        bytes.extend_from_slice(body);
        std::fs::write(dir.join(name), bytes).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn single_file_readers(body in body(), raw in prop::collection::vec(any::<u8>(), 0..200), with_header: bool) {
            let dir = tempfile::tempdir().unwrap();
            let index = index();
            for bytes in [&body, &raw] {
                let cases: [(&str, Reader); 10] = [
                    (NMC, |p, i| drop(nmc::read(p, i, &|_| {}))),
                    (CONTIGUITY, |p, i| drop(contiguity::read(p, i, &|_| {}))),
                    (CAPITALS, |p, i| drop(capitals::read(p, i, &|_| {}))),
                    (MINDIST, |p, i| drop(mindist::read(p, i, &|_| {}))),
                    (MAJORS, |p, i| drop(majors::read(p, i, &|_| {}))),
                    (IGOS, |p, i| drop(igos::read(p, i, &|_| {}))),
                    (STATES, |p, i| drop(cow_states::read(p, i, &|_| {}))),
                    (RIVALRIES, |p, i| drop(rivalries::read(p, i, &|_| {}))),
                    (SIPRI, |p, i| drop(sipri::read(p, i, &|_| {}))),
                    (MME, |p, i| drop(mme::read(p, i, &|_| {}))),
                ];
                for (header, read) in cases {
                    write(dir.path(), "f.csv", header, with_header, bytes);
                    read(&dir.path().join("f.csv"), &index);
                }
            }
        }

        #[test]
        fn atop_reader(a in body(), p in body(), m in body(), with_header: bool) {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), atop::ALLIANCE_FILE, ATOP_A, with_header, &a);
            write(dir.path(), atop::PHASE_FILE, ATOP_P, with_header, &p);
            write(dir.path(), atop::MEMBER_FILE, ATOP_M, with_header, &m);
            let _ = atop::read(dir.path(), &index(), &|_| {});
        }

        #[test]
        fn gml_reader(d in body(), p in body(), y in body(), with_header: bool) {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), gml::DISPUTE_FILE, GML_D, with_header, &d);
            write(dir.path(), gml::PARTICIPANT_FILE, GML_P, with_header, &p);
            write(dir.path(), gml::DYADIC_FILE, GML_Y, with_header, &y);
            let _ = gml::read(dir.path(), &index(), &|_| {});
        }

        #[test]
        fn sipri_arms_reader(notes in body(), table in body(), with_header: bool) {
            let dir = tempfile::tempdir().unwrap();
            let mut bytes = b"\"TIV of arms exports from France, 1990-1991\",,\n".to_vec();
            bytes.extend_from_slice(&notes);
            write(dir.path(), "f.csv", ",1990,1991,Total\n", with_header, &table);
            let written = std::fs::read(dir.path().join("f.csv")).unwrap();
            bytes.extend_from_slice(&written);
            std::fs::write(dir.path().join("f.csv"), bytes).unwrap();
            let _ = sipri_arms::read(dir.path(), &index(), &|_| {});
        }
    }
}
