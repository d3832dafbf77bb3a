//! COW State System Membership (`states2016.csv`): one row per membership spell, with
//! start and end days (FIELD.md §1).

use std::collections::HashMap;
use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, SystemSpell};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Table, YEARS};
use super::{all_or_nothing, Version};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::CowStates;

const COLUMNS: &[Column] = &[
    Column::new("stateabb", Holds::Text),
    Column::new("ccode", Holds::Int(1..=999)),
    Column::new("statenme", Holds::Text),
    Column::new("styear", Holds::Year(YEARS)),
    Column::new("stmonth", Holds::Int(1..=12)),
    Column::new("stday", Holds::Int(1..=31)),
    Column::new("endyear", Holds::Year(YEARS)),
    Column::new("endmonth", Holds::Int(1..=12)),
    Column::new("endday", Holds::Int(1..=31)),
    Column::new("version", Holds::Text),
];

#[derive(Debug, Clone)]
pub struct CowStates {
    pub spells: Vec<SystemSpell>,
    pub file: DatasetFile,
}

/// Reads the spells; every state must be in pactbase's states table under the same COW
/// abbreviation, and a state's spells may not overlap.
pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<CowStates, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let mut version = Version::new();
    let mut spells = Vec::new();
    let mut lines = Vec::new();
    while let Some(mut row) = table.next_row() {
        version.check(&mut row);
        let ccode: Ccode = row.int("ccode");
        let start = row.ymd("styear", "stmonth", "stday");
        let end = row.ymd("endyear", "endmonth", "endday");
        if row.failed() {
            continue;
        }
        let abb = row.text("stateabb");
        match index.get(ccode) {
            None => row.error("ccode", format!("ccode {ccode} is not in pactbase's states table (data/states.csv)")),
            Some(s) if s.abb != abb => {
                row.error("stateabb", format!("`{abb}` is not ccode {ccode}'s COW abbreviation {}", s.abb))
            }
            Some(_) => {}
        }
        if end < start {
            row.error("endyear", format!("the spell ends ({end}) before it starts ({start})"));
        }
        if !row.failed() {
            spells.push(SystemSpell { ccode, start, end });
            lines.push(row.line);
        }
    }
    check_overlaps(&spells, &lines, &mut table);
    let (file, errors) = table.finish(DATASET, &version.or_file_name(path));
    all_or_nothing(CowStates { spells, file }, errors)
}

/// A state's spells must be disjoint; the same spell twice is the commonest case.
fn check_overlaps(spells: &[SystemSpell], lines: &[usize], table: &mut Table) {
    let mut by_state: HashMap<Ccode, Vec<usize>> = HashMap::new();
    for (i, s) in spells.iter().enumerate() {
        by_state.entry(s.ccode).or_default().push(i);
    }
    let mut problems: Vec<(usize, String)> = Vec::new();
    for mut rows in by_state.into_values() {
        rows.sort_by_key(|&i| spells[i].start);
        for pair in rows.windows(2) {
            let (a, b) = (&spells[pair[0]], &spells[pair[1]]);
            if b.start <= a.end {
                let message = format!(
                    "duplicate key: ccode {} already has a spell {}..{} on line {} that overlaps this one",
                    b.ccode, a.start, a.end, lines[pair[0]]
                );
                problems.push((lines[pair[1]], message));
            }
        }
    }
    for (line, message) in problems {
        table.error(line, "ccode", message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    const HEADER: &str = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n";

    fn read_text(text: &str) -> Result<CowStates, DataErrors> {
        let (_dir, path) = file("states2016.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn reads_spells_with_provenance() {
        let text = format!("{HEADER}USA,2,United States of America,1816,1,1,2016,12,31,2016\n");
        let states = read_text(&text).unwrap();
        assert_eq!(states.spells.len(), 1);
        assert_eq!(states.spells[0].end.day, 31);
        assert_eq!(states.file.version, "2016");
        assert_eq!(states.file.rows, 1);
        assert_eq!(states.file.sha256.len(), 64);
    }

    #[test]
    fn overlapping_spells_are_duplicate_keys() {
        let row = "PAK,770,Pakistan,1947,8,14,2016,12,31,2016\n";
        let err = read_text(&format!("{HEADER}{row}{row}")).unwrap_err();
        assert_eq!(places(&err), vec![(Some(3), Some(2), Some("ccode".into()))]);
        assert!(err.0[0].message.contains("line 2"), "{err}");
    }

    #[test]
    fn a_state_outside_the_table_or_with_another_abbreviation_is_refused() {
        let text =
            format!("{HEADER}XYZ,999,Nowhere,1990,1,1,2016,12,31,2016\nPAQ,770,Pakistan,1947,8,14,2016,12,31,2016\n");
        let err = read_text(&text).unwrap_err();
        assert_eq!(
            places(&err),
            vec![(Some(2), Some(2), Some("ccode".into())), (Some(3), Some(1), Some("stateabb".into()))]
        );
    }

    #[test]
    fn impossible_dates_are_refused_where_they_stand() {
        let text = format!("{HEADER}PAK,770,Pakistan,1947,2,30,2016,12,31,2016\n");
        let err = read_text(&text).unwrap_err();
        assert_eq!(places(&err), vec![(Some(2), Some(6), Some("stday".into()))]);
    }
}
