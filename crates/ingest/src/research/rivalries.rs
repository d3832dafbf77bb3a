//! Thompson–Sakuwa–Suhas strategic rivalries (`tss-strategic-rivalries.csv`): one row
//! per rivalry, with its years and type flags (FIELD.md §6).
//!
//! End years: TSS observe rivalries through the last year of their data (2020 in the
//! 2022 edition) and write that year as the `end` of every rivalry still going then. An
//! end equal to the latest end in the file is therefore "ongoing at publication" and is
//! read as `None`; any earlier end is a rivalry that ended that year.
//!
//! Codes: TSS write one code across some of COW's state successions (Austria, 305, for
//! the Habsburg monarchy, which COW codes 300 until November 1918). A code that is not a
//! system member in any of the rivalry's years since 1816, while the other code of its
//! lineage is, is read as that code ([`LINEAGES`]); one rivalry names South Yemen by
//! unified Yemen's code ([`CORRECTIONS`]). Every recoding is reported, and so is every
//! rivalry-year that still falls outside the dyad-year frame.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, Rivalry};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Table};
use super::{all_or_nothing, file_stem, NotPlaced, Placement};
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
const SYSTEM_START: i32 = pactbase_model::coverage::YEARS.first;

/// Two codes COW gives one state's lineage, the first until the second begins.
pub const LINEAGES: &[(Ccode, Ccode, &str)] = &[
    (300, 305, "Austria-Hungary (300) until 12 November 1918, Austria (305) after"),
    (678, 679, "the Yemen Arab Republic (678) until 22 May 1990, Yemen (679) after"),
];

/// Codes one rivalry gets wrong by its own name: (tssr_id, name, code, COW's code, why).
pub const CORRECTIONS: &[(u32, &str, Ccode, Ccode, &str)] =
    &[(158, "Oman-S. Yemen", 679, 680, "South Yemen is COW 680; 679 is Yemen from 1990")];

#[derive(Debug, Clone)]
pub struct Rivalries {
    pub rivalries: Vec<Rivalry>,
    /// Codes read as another (line, what was done and why).
    pub recoded: Vec<String>,
    /// Rivalry-years since 1816 whose two states are not both system members.
    pub not_placed: Vec<NotPlaced>,
    /// The last year the data observe; rivalries ending then are read as ongoing.
    pub observed_through: Option<i32>,
    pub file: DatasetFile,
}

pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<Rivalries, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let mut rivalries = Vec::new();
    let mut ids: HashMap<u32, usize> = HashMap::new();
    let mut episodes: HashMap<(Ccode, Ccode, i32), usize> = HashMap::new();
    let mut lines = Vec::new();
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
            lines.push(row.line);
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
    let mut recoded = Vec::new();
    let mut placement = Placement::default();
    for (r, &line) in rivalries.iter_mut().zip(&lines) {
        let years: Vec<i32> = (r.start.max(SYSTEM_START)..=r.end.or(observed_through).unwrap_or(r.start)).collect();
        for note in to_cow_codes(r, &years, index) {
            recoded.push(format!("line {line}: {note}"));
        }
        for &year in &years {
            let placed =
                index.get(r.ccode1).zip(index.get(r.ccode2)).is_some_and(|(a, b)| a.shares_a_day_with(b, year));
            if !placed {
                let what = || format!("{} ({}-{}) in {year}", r.name, r.ccode1, r.ccode2);
                placement.add("rivalry-year whose two states are not both system members", line, what);
            }
        }
    }
    let (file, errors) = table.finish(DATASET, &file_stem(path));
    all_or_nothing(Rivalries { rivalries, recoded, not_placed: placement.finish(), observed_through, file }, errors)
}

/// Reads the rivalry's codes as COW's (module docs); returns what was changed and why.
fn to_cow_codes(r: &mut Rivalry, years: &[i32], index: &StateIndex) -> Vec<String> {
    let mut notes = Vec::new();
    for &(id, name, from, to, why) in CORRECTIONS {
        if r.id == id && r.name == name {
            for code in [&mut r.ccode1, &mut r.ccode2].into_iter().filter(|c| **c == from) {
                *code = to;
                notes.push(format!("{name}: {from} read as {to} ({why})"));
            }
        }
    }
    let member_in_some = |c: Ccode| index.get(c).is_some_and(|s| years.iter().any(|&y| s.member_in(y)));
    for code in [&mut r.ccode1, &mut r.ccode2] {
        if member_in_some(*code) {
            continue;
        }
        let other = LINEAGES.iter().find_map(|&(a, b, why)| {
            let other = if *code == a {
                b
            } else if *code == b {
                a
            } else {
                return None;
            };
            member_in_some(other).then_some((other, why))
        });
        if let Some((other, why)) = other {
            notes.push(format!("{}: {} read as {other} ({why})", r.name, *code));
            *code = other;
        }
    }
    notes
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
    fn codes_across_cow_successions_are_read_as_cows_and_the_rest_reported() {
        // TSS code Austria–Prussia (1740–1870) with Austria's 305; COW's is 300 until 1918.
        let text = format!(
            "{HEADER}19,Austria-Prussia,255,305,1740,1870,1,1,,1,1,\n20,Austria (Hungary)-Pakistan,300,770,1903,1920,1,,,,,\n21,X,2,710,1996,2020,1,,,,,\n"
        );
        let r = read_text(&text).unwrap();
        assert_eq!((r.rivalries[0].ccode1, r.rivalries[0].ccode2), (255, 300));
        assert!(r.rivalries[0].active_in(1866), "the Austro-Prussian War's year is a rivalry-year");
        assert_eq!(r.recoded, vec!["line 2: Austria-Prussia: 305 read as 300 (Austria-Hungary (300) until 12 November 1918, Austria (305) after)".to_owned()]);
        // 300 is a member in some of its years, so it stays; the years it cannot be placed are counted.
        assert_eq!(r.rivalries[1].ccode1, 300);
        assert_eq!(r.not_placed[0].count, 18, "1903–1920: Pakistan is not a member yet");
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
