//! Thompson–Sakuwa–Suhas strategic rivalries (`tss-strategic-rivalries.csv`): one row
//! per rivalry, with its years and type flags (FIELD.md §6).
//!
//! End years: TSS observe rivalries through the last year of their data (2020 in the
//! 2022 edition) and write that year as the `end` of every rivalry still going then. An
//! end equal to the latest end in the file is therefore "ongoing at publication" and is
//! read as `None`; any earlier end is a rivalry that ended that year.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, Rivalry};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Table};
use super::{all_or_nothing, file_stem};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::Rivalries;

/// TSS trace rivalries back to 1494, long before the COW state system.
const YEARS: RangeInclusive<i64> = 1400..=2030;

const COLUMNS: &[Column] = &[
    Column::new("tssr_id", Holds::Int(1..=99_999)),
    Column::new("rivalry", Holds::Text),
    Column::new("ccode1", Holds::Int(1..=999)),
    Column::new("ccode2", Holds::Int(1..=999)),
    Column::new("start", Holds::Year(YEARS)),
    Column::new("end", Holds::Year(YEARS)),
    Column::new("positional", Holds::Mark),
    Column::new("spatial", Holds::Mark),
    Column::new("ideological", Holds::Mark),
    Column::new("interventionary", Holds::Mark),
    Column::new("principal", Holds::Mark),
    Column::new("aprin", Holds::Mark),
];

/// The first year of the COW state system: a rivalry still going then must be between
/// states of the system.
const SYSTEM_START: i32 = 1816;

#[derive(Debug, Clone)]
pub struct Rivalries {
    pub rivalries: Vec<Rivalry>,
    /// The last year the data observe; rivalries ending then are read as ongoing.
    pub observed_through: Option<i32>,
    pub file: DatasetFile,
}

pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<Rivalries, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let mut rivalries = Vec::new();
    let mut ids: HashMap<u32, usize> = HashMap::new();
    let mut episodes: HashMap<(Ccode, Ccode, i32), usize> = HashMap::new();
    while let Some(mut row) = table.next_row() {
        let id: u32 = row.int("tssr_id");
        let name = row.text("rivalry").into_owned();
        let ccode1: Ccode = row.int("ccode1");
        let ccode2: Ccode = row.int("ccode2");
        let start: i32 = row.year("start");
        let end: i32 = row.year("end");
        let [positional, spatial, ideological, interventionary, principal, _aprin] =
            ["positional", "spatial", "ideological", "interventionary", "principal", "aprin"].map(|c| row.flag(c));
        if name.is_empty() {
            row.error("rivalry", "the rivalry has no name");
        }
        if row.failed() {
            continue;
        }
        if ccode1 == ccode2 {
            row.error("ccode2", format!("a state cannot be its own rival ({ccode1})"));
        }
        if end < start {
            row.error("end", format!("the rivalry ends ({end}) before it starts ({start})"));
        }
        // Rivalries that ended before 1816 may involve polities outside the COW system
        // (Venice, 324); later ones must be between system states.
        if end >= SYSTEM_START {
            for (column, ccode) in [("ccode1", ccode1), ("ccode2", ccode2)] {
                if index.get(ccode).is_none() {
                    row.error(column, format!("ccode {ccode} is not in pactbase's states table (data/states.csv)"));
                }
            }
        }
        if let Some(first) = ids.insert(id, row.line) {
            row.error("tssr_id", format!("duplicate key: tssr_id {id} is already on line {first}"));
        }
        let pair = (ccode1.min(ccode2), ccode1.max(ccode2), start);
        if let Some(first) = episodes.insert(pair, row.line) {
            row.error("start", format!("duplicate key: {ccode1}-{ccode2} from {start} is already on line {first}"));
        }
        if !row.failed() {
            let end = Some(end);
            rivalries.push(Rivalry {
                id,
                name,
                ccode1,
                ccode2,
                start,
                end,
                positional,
                spatial,
                ideological,
                interventionary,
                principal,
            });
        }
    }
    let observed_through = rivalries.iter().filter_map(|r| r.end).max();
    for r in &mut rivalries {
        if r.end == observed_through {
            r.end = None;
        }
    }
    let (file, errors) = table.finish(DATASET, &file_stem(path));
    all_or_nothing(Rivalries { rivalries, observed_through, file }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    const HEADER: &str =
        "tssr_id,rivalry,ccode1,ccode2,start,end,positional,spatial,ideological,interventionary,principal,aprin\n";

    fn read_text(text: &str) -> Result<Rivalries, DataErrors> {
        let (_dir, path) = file("rivalries.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn the_last_observed_year_means_ongoing() {
        let text = format!(
            "{HEADER}1,Britain-France 1,200,220,1494,1716,1,1,,,1,\n2,China-United States,2,710,1996,2020,1,,,,1,\n3,Russia-United States,2,365,1945,1989,1,,1,,1,1\n"
        );
        let r = read_text(&text).unwrap();
        assert_eq!(r.observed_through, Some(2020));
        let ends: Vec<_> = r.rivalries.iter().map(|r| r.end).collect();
        assert_eq!(ends, vec![Some(1716), None, Some(1989)]);
        assert!(r.rivalries[0].principal && !r.rivalries[0].ideological);
        assert!(r.rivalries[1].active_in(2024));
    }

    #[test]
    fn codes_outside_the_system_are_refused_after_1816_only() {
        let text = format!(
            "{HEADER}4,Ottoman E-Venice,324,640,1494,1717,1,1,,,,1\n5,Venice-United States,2,324,1900,1950,1,,,,,\n"
        );
        let err = read_text(&text).unwrap_err();
        assert_eq!(places(&err), vec![(Some(3), Some(4), Some("ccode2".into()))]);
    }

    #[test]
    fn bad_flags_years_and_duplicates_are_located() {
        let text = format!(
            "{HEADER}1,A,2,710,1996,2020,x,,,,,\n2,B,2,710,1996,2020,1,,,,,\n3,C,2,710,1996,2020,1,,,,,\n4,D,2,710,1300,2020,1,,,,,\n"
        );
        let err = read_text(&text).unwrap_err();
        assert_eq!(
            places(&err),
            vec![
                (Some(2), Some(7), Some("positional".into())),
                (Some(4), Some(5), Some("start".into())),
                (Some(5), Some(5), Some("start".into())),
            ],
            "{err}"
        );
    }
}
