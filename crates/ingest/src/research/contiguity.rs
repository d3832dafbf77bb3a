//! COW Direct Contiguity 3.2 (`contdir-3.2.csv`): directed dyads with a contiguity type
//! and the span of months it held (FIELD.md §6; docs/PANELS.md for the `conttype` rule).
//!
//! `conttype` 1 is a land or river border, 2–5 separation by at most 12, 24, 150 or 400
//! miles of water; the file also records spells of 0, where COW coded the pair as not
//! contiguous (the United States and Russia before Alaska's statehood in 1959); the file
//! in ../shared/data is peacesciencer's compilation of COW's, with such spells added.

use std::collections::HashMap;
use std::path::Path;

use pactbase_model::research::{ContiguitySpell, Dataset, DatasetFile, Ymd};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Table};
use super::{all_or_nothing, file_stem, NotPlaced, Placement};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::Contiguity;

const COLUMNS: &[Column] = &[
    Column::new("ccode1", Holds::Int(1..=999)),
    Column::new("ccode2", Holds::Int(1..=999)),
    Column::new("conttype", Holds::Int(0..=5)),
    Column::new("stdate", Holds::Date),
    Column::new("enddate", Holds::Date),
];

#[derive(Debug, Clone)]
pub struct Contiguity {
    pub spells: Vec<ContiguitySpell>,
    /// Spells none of whose years fall in the dyad-year frame.
    pub not_placed: Vec<NotPlaced>,
    pub file: DatasetFile,
}

/// Reads the spells: states of the COW system, types 0–5, ends not before starts, one row
/// per pair, type and start. Spells of a pair may overlap: peacesciencer's compilation
/// adds spells of 0 over the months the system data give a pair and COW no contiguity
/// record, and those can span the pair's contiguity spells (Germany–Italy, 0 for
/// 1816–2016 around a land border in 1938–1945); panels read the closest type.
pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<Contiguity, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let mut spells = Vec::new();
    let mut keys: HashMap<(Ccode, Ccode, u8, Ymd), usize> = HashMap::new();
    let mut placement = Placement::default();
    while let Some(mut row) = table.next_row() {
        let ccode1: Ccode = row.int("ccode1");
        let ccode2: Ccode = row.int("ccode2");
        let conttype: u8 = row.int("conttype");
        let start = row.date("stdate");
        let end = row.date("enddate");
        if row.failed() {
            continue;
        }
        for (column, ccode) in [("ccode1", ccode1), ("ccode2", ccode2)] {
            if index.get(ccode).is_none() {
                row.error(column, format!("ccode {ccode} is not in pactbase's states table (data/states.csv)"));
            }
        }
        if ccode1 == ccode2 {
            row.error("ccode2", format!("a state cannot border itself ({ccode1})"));
        }
        if end < start {
            row.error("enddate", format!("the spell ends ({end}) before it starts ({start})"));
        }
        if row.failed() {
            continue;
        }
        let placed = (start.year..=end.year).any(|y| {
            let (a, b) = (index.get(ccode1), index.get(ccode2));
            a.zip(b).is_some_and(|(a, b)| a.shares_a_day_with(b, y))
        });
        if !placed {
            let what = || format!("{ccode1}-{ccode2} {start}..{end}");
            placement.add("spell with no year in the dyad-year frame", row.line, what);
        }
        if let Some(first) = keys.insert((ccode1, ccode2, conttype, start), row.line) {
            let message =
                format!("duplicate key: {ccode1}-{ccode2} type {conttype} from {start} is already on line {first}");
            row.error("stdate", message);
            continue;
        }
        spells.push(ContiguitySpell { ccode1, ccode2, conttype, start, end });
    }
    let (file, errors) = table.finish(DATASET, &file_stem(path));
    all_or_nothing(Contiguity { spells, not_placed: placement.finish(), file }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    const HEADER: &str = "ccode1,ccode2,conttype,stdate,enddate\n";

    fn read_text(text: &str) -> Result<Contiguity, DataErrors> {
        let (_dir, path) = file("contdir.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn spells_with_dates_and_types() {
        let c = read_text(&format!("{HEADER}2,365,0,1816-01-01,1958-12-01\n2,365,2,1959-01-01,2016-12-01\n")).unwrap();
        assert_eq!(c.spells.len(), 2);
        assert_eq!((c.spells[1].conttype, c.spells[1].start.year, c.spells[1].end.month), (2, 1959, 12));
        assert_eq!(c.file.version, "contdir");
        assert!(c.not_placed.is_empty());
    }

    #[test]
    fn bad_types_dates_codes_and_overlaps_are_located() {
        let text = format!(
            "{HEADER}2,365,6,1816-01-01,1958-12-01\n2,365,1,1959-02-30,2016-12-01\n2,999,1,1900-01-01,1901-01-01\n2,220,1,1900-01-01,1950-01-01\n2,220,1,1900-01-01,1960-01-01\n2,200,1,1960-01-01,1950-01-01\n2,200,0,1816-01-01,2016-12-01\n2,200,1,1900-01-01,1920-01-01\n"
        );
        let err = read_text(&text).unwrap_err();
        assert_eq!(
            places(&err),
            vec![
                (Some(2), Some(3), Some("conttype".into())),
                (Some(3), Some(4), Some("stdate".into())),
                (Some(4), Some(2), Some("ccode2".into())),
                (Some(6), Some(4), Some("stdate".into())),
                (Some(7), Some(5), Some("enddate".into())),
            ],
            "{err}"
        );
    }

    #[test]
    fn spells_before_a_state_enters_the_system_are_reported() {
        let c = read_text(&format!("{HEADER}770,2,1,1900-01-01,1910-01-01\n")).unwrap();
        assert_eq!(c.not_placed.len(), 1);
        assert_eq!(c.not_placed[0].count, 1);
        assert_eq!(c.not_placed[0].examples, vec!["line 2: 770-2 1900-01-01..1910-01-01".to_owned()]);
    }
}
