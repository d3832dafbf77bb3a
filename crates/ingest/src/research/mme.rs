//! Multinational Military Exercises (`mme_v7.csv`, D'Orazio & Galambos): one row per
//! exercise, participants by country name in `StateA` ... `StateAM` (FIELD.md §6).
//!
//! Participant names are resolved through the states table's names and aliases. `-9` is
//! the file's code for "participant not identified" and is counted, not reported; every
//! other name that does not resolve (NATO, Bermuda, ...) is returned with its count.
//! The month may be `xx` (unknown), and so may the day.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, MmeExercise};
use pactbase_model::StateIndex;
use serde::Serialize;

use super::table::{decode, Column, Holds, Progress, Row, Table};
use super::{all_or_nothing, file_stem, Names, Unresolved};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::Mme;

/// The years MME collects exercises for: from 1980 (v7 ends in 2010; later releases
/// extend it).
const COVERAGE: RangeInclusive<i64> = 1980..=2030;

const COLUMNS: &[Column] = &[
    Column::new("MMEID", Holds::Text),
    Column::new("Ex_Name", Holds::Text),
    Column::new("Series_Name", Holds::Text),
    Column::new("Location", Holds::Text),
    Column::new("s.year", Holds::Year(COVERAGE)),
    Column::new("s.month", Holds::Int(1..=12)),
    Column::new("s.day", Holds::Int(1..=31)),
    Column::new("e.year", Holds::Year(COVERAGE)),
    Column::new("e.month", Holds::Int(1..=12)),
    Column::new("e.day", Holds::Int(1..=31)),
    Column::new("CPX", Holds::Flag),
    Column::new("Air", Holds::Flag),
    Column::new("Land", Holds::Flag),
    Column::new("Sea", Holds::Flag),
    Column::new("Amphibious", Holds::Flag),
    Column::new("Cyber", Holds::Flag),
    Column::new("Warfighting", Holds::Flag),
    Column::new("Peacekeeping", Holds::Flag),
    Column::new("Humanitarian", Holds::Flag),
    Column::new("StateA", Holds::Text),
];

/// The domain columns, in `MME_DOMAINS` order.
const DOMAINS: [&str; 6] = ["CPX", "Air", "Land", "Sea", "Amphibious", "Cyber"];
/// The focus columns, in `MME_FOCUS` order.
const FOCUS: [&str; 3] = ["Warfighting", "Peacekeeping", "Humanitarian"];

/// MME's missing-value code.
const MISSING: &[u8] = b"-9";

/// An `MMEID` that v7 gives to more than one (different) exercise. Both are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedId {
    pub id: String,
    pub lines: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Mme {
    pub exercises: Vec<MmeExercise>,
    /// Participant names that match no state, alphabetically.
    pub unresolved: Vec<Unresolved>,
    /// Participant slots holding `-9`, MME's "not identified".
    pub unidentified: usize,
    pub shared_ids: Vec<SharedId>,
    pub file: DatasetFile,
}

pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<Mme, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    // Participant columns run from StateA to however many letters this release has.
    let participant_columns: Vec<usize> = (0..table.header.len())
        .filter(|&i| {
            let h = &table.header[i];
            h.strip_prefix("State").is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase()))
        })
        .collect();
    let mut names = Names::new(index);
    let mut unidentified = 0;
    let mut exercises = Vec::new();
    // id -> (first line, fingerprint of the row) and the lines of every reuse.
    let mut ids: HashMap<String, (usize, u64)> = HashMap::new();
    let mut shared: HashMap<String, Vec<usize>> = HashMap::new();
    while let Some(mut row) = table.next_row() {
        let id = row.text("MMEID").into_owned();
        if id.is_empty() || id == "-9" {
            row.error("MMEID", "the exercise has no id");
        }
        let year = row.year("s.year");
        let month = unknown_or(&mut row, "s.month", |row, c| row.int(c));
        let end_year = match row.raw("e.year") {
            b"" | MISSING => None,
            _ => Some(row.year("e.year")),
        };
        // Checked, not kept: panels count exercises by year and month.
        for column in ["e.month", "s.day", "e.day"] {
            unknown_or(&mut row, column, |row, c| row.int::<u8>(c));
        }
        let domains = DOMAINS.map(|c| row.flag(c));
        let focus = FOCUS.map(|c| row.flag(c));
        if let Some(end) = end_year.filter(|&e| e < year) {
            row.error("e.year", format!("the exercise ends ({end}) before it starts ({year})"));
        }
        let mut participants = Vec::new();
        for &p in &participant_columns {
            match row.raw_at(p) {
                b"" => {}
                MISSING => unidentified += 1,
                raw => {
                    if let Some(ccode) = names.resolve(decode(raw).trim(), row.line, 1) {
                        participants.push(ccode);
                    }
                }
            }
        }
        participants.sort_unstable();
        participants.dedup();
        if row.failed() {
            continue;
        }
        let fingerprint = row.fingerprint();
        match ids.get(&id) {
            Some(&(first, print)) if print == fingerprint => {
                row.error("MMEID", format!("duplicate key: the same exercise {id} is already on line {first}"));
                continue;
            }
            Some(&(first, _)) => shared.entry(id.clone()).or_insert_with(|| vec![first]).push(row.line),
            None => {
                ids.insert(id.clone(), (row.line, fingerprint));
            }
        }
        exercises.push(MmeExercise {
            id,
            name: optional_text(&row, "Ex_Name").unwrap_or_default(),
            series: optional_text(&row, "Series_Name"),
            location: optional_text(&row, "Location"),
            year,
            month,
            end_year,
            domains,
            focus,
            participants,
        });
    }
    let mut shared_ids: Vec<SharedId> = shared.into_iter().map(|(id, lines)| SharedId { id, lines }).collect();
    shared_ids.sort_by_key(|s| s.lines[0]);
    let (file, errors) = table.finish(DATASET, &file_stem(path));
    let unresolved = names.unresolved();
    all_or_nothing(Mme { exercises, unresolved, unidentified, shared_ids, file }, errors)
}

/// `xx`, blank or `-9` as unknown, else what `parse` makes of the field.
fn unknown_or<T>(row: &mut Row, column: &str, parse: impl FnOnce(&mut Row, &str) -> T) -> Option<T> {
    match row.raw(column) {
        b"" | b"xx" | b"XX" | MISSING => None,
        _ => Some(parse(row, column)),
    }
}

/// A text field, with blanks and `-9` as absent.
fn optional_text(row: &Row, column: &str) -> Option<String> {
    match row.raw(column) {
        b"" | MISSING => None,
        raw => Some(decode(raw).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    const HEADER: &str = "MMEID,Ex_Name,Series_Name,Location,lat,lon,StartDate,s.year,s.month,s.day,EndDate,e.year,e.month,e.day,CPX,Air,Land,Sea,Amphibious,Cyber,Warfighting,Peacekeeping,Humanitarian,FocusDescription,AdditionalParticipantInfo,StateA,StateB,StateC\n";

    fn read_text(text: &str) -> Result<Mme, DataErrors> {
        let (_dir, path) = file("mme.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn participants_resolve_and_the_rest_is_reported() {
        let text = format!(
            "{HEADER}mme1,Readex 1-80,Readex,Vieques,18.1,-65.4,1/14/80,1980,1,14,1/21/80,1980,1,21,0,0,0,1,1,0,1,0,0,x,,United States of America,NATO,-9\n\
             mme2,-9,,Pakistan,1,1,1980-xx-xx,1980,xx,xx,,,,,0,1,0,0,0,0,1,0,0,,,NATO,Pakistan,pakistan\n"
        );
        let mme = read_text(&text).unwrap();
        assert_eq!(mme.exercises[0].participants, vec![2]);
        assert_eq!(mme.exercises[0].domains, [false, false, false, true, true, false]);
        assert_eq!(mme.exercises[0].series.as_deref(), Some("Readex"));
        let second = &mme.exercises[1];
        assert_eq!((second.name.as_str(), second.month, second.end_year), ("", None, None));
        assert_eq!(second.participants, vec![770]);
        assert_eq!(mme.unresolved, vec![Unresolved { name: "NATO".into(), count: 2, first_line: 2 }]);
        assert_eq!(mme.unidentified, 1);
    }

    #[test]
    fn an_id_reused_for_another_exercise_is_kept_and_a_repeated_row_refused() {
        let a = "mme7,A,,x,1,1,,1990,5,1,,1990,5,2,0,0,1,0,0,0,1,0,0,,,France,,\n";
        let b = "mme7,B,,x,1,1,,1991,5,1,,1991,5,2,0,0,1,0,0,0,1,0,0,,,France,,\n";
        let mme = read_text(&format!("{HEADER}{a}{b}")).unwrap();
        assert_eq!(mme.shared_ids, vec![SharedId { id: "mme7".into(), lines: vec![2, 3] }]);
        let err = read_text(&format!("{HEADER}{a}{a}")).unwrap_err();
        assert_eq!(places(&err), vec![(Some(3), Some(1), Some("MMEID".into()))]);
    }

    #[test]
    fn bad_months_flags_and_years_are_located() {
        let row = "mme1,A,,x,1,1,,1990,13,1,,1989,5,2,0,2,1,0,0,0,1,0,0,,,France,,\n";
        let err = read_text(&format!("{HEADER}{row}")).unwrap_err();
        assert_eq!(
            places(&err),
            vec![
                (Some(2), Some(9), Some("s.month".into())),
                (Some(2), Some(12), Some("e.year".into())),
                (Some(2), Some(16), Some("Air".into())),
            ],
            "{err}"
        );
        let row = "mme1,A,,x,1,1,,1790,12,1,,,,,0,0,1,0,0,0,1,0,0,,,France,,\n";
        let err = read_text(&format!("{HEADER}{row}")).unwrap_err();
        assert_eq!(places(&err), vec![(Some(2), Some(8), Some("s.year".into()))]);
    }
}
