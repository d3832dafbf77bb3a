//! COW major powers (`majors2016.csv`): one row per spell of major-power status, with
//! start and end days, in the states file's layout.

use std::collections::HashMap;
use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, MajorSpell};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Table, YEARS};
use super::{all_or_nothing, NotPlaced, Placement, Version};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::Majors;

const COLUMNS: &[Column] = &[
    Column::new("stateabb", Holds::Text),
    Column::new("ccode", Holds::Int(1..=999)),
    Column::new("styear", Holds::Year(YEARS)),
    Column::new("stmonth", Holds::Int(1..=12)),
    Column::new("stday", Holds::Int(1..=31)),
    Column::new("endyear", Holds::Year(YEARS)),
    Column::new("endmonth", Holds::Int(1..=12)),
    Column::new("endday", Holds::Int(1..=31)),
    Column::new("version", Holds::Text),
];

#[derive(Debug, Clone)]
pub struct Majors {
    pub spells: Vec<MajorSpell>,
    /// Years of a spell in which the state is not a system member.
    pub not_placed: Vec<NotPlaced>,
    pub file: DatasetFile,
}

/// Reads the spells: states of the states table under their COW abbreviation, ends not
/// before starts, a state's spells disjoint.
pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<Majors, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let mut version = Version::new();
    let mut spells: Vec<MajorSpell> = Vec::new();
    let mut lines = HashMap::new();
    let mut placement = Placement::default();
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
        if let Some(other) = spells.iter().find(|s| s.ccode == ccode && s.start <= end && start <= s.end) {
            let message = format!(
                "duplicate key: ccode {ccode} already has a spell {}..{} on line {} that overlaps this one",
                other.start,
                other.end,
                lines[&(ccode, other.start)]
            );
            row.error("ccode", message);
        }
        if row.failed() {
            continue;
        }
        for year in start.year..=end.year {
            placement.state_year(index, ccode, year, row.line);
        }
        lines.insert((ccode, start), row.line);
        spells.push(MajorSpell { ccode, start, end });
    }
    let (file, errors) = table.finish(DATASET, &version.or_file_name(path));
    all_or_nothing(Majors { spells, not_placed: placement.finish(), file }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    const HEADER: &str = "stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday,version\n";

    fn read_text(text: &str) -> Result<Majors, DataErrors> {
        let (_dir, path) = file("majors2016.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn reads_spells_and_version_without_a_final_newline() {
        let m =
            read_text(&format!("{HEADER}USA,2,1898,8,13,2016,12,31,2016\nFRN,220,1816,1,1,1940,6,22,2016")).unwrap();
        assert_eq!(m.spells.len(), 2);
        assert_eq!(m.spells[1].end.year, 1940);
        assert_eq!(m.file.version, "2016");
        assert!(m.not_placed.is_empty());
    }

    #[test]
    fn overlaps_wrong_abbreviations_and_years_outside_membership() {
        let text = format!(
            "{HEADER}USA,2,1898,8,13,2016,12,31,2016\nUSA,2,1990,1,1,1991,1,1,2016\nPAQ,770,1950,1,1,1951,1,1,2016\n"
        );
        let err = read_text(&text).unwrap_err();
        assert_eq!(
            places(&err),
            vec![(Some(3), Some(2), Some("ccode".into())), (Some(4), Some(1), Some("stateabb".into()))]
        );
        let m = read_text(&format!("{HEADER}PAK,770,1945,1,1,1948,1,1,2016\n")).unwrap();
        assert_eq!(m.not_placed[0].count, 2, "1945 and 1946: Pakistan is a member from 1947");
    }
}
