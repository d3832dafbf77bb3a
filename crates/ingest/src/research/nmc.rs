//! COW National Material Capabilities (`nmc-7.0-abridged.csv`): one row per state-year,
//! blanks for missing values (FIELD.md §6).

use std::collections::HashMap;
use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, NmcRow};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Table, YEARS};
use super::{all_or_nothing, file_stem};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::Nmc;

/// Magnitudes are NMC's units (thousands of current US$, thousands of personnel, of
/// tons, of coal-ton equivalents, of people), bounded well above the largest value any
/// state has had (NMC 7.0: milex 8.4e8, milper 12,500, irst 1.1e6, pec 7.4e6, tpop
/// 1.43e6, upop 632,320) and below the next-larger column's values; every state has a
/// population (NMC's smallest: 9 thousand) where the other columns have zeros. So any
/// two swapped columns are refused (tests/swapped_columns.rs).
const COLUMNS: &[Column] = &[
    Column::new("ccode", Holds::Int(1..=999)),
    Column::new("year", Holds::Year(YEARS)),
    Column::new("milex", Holds::Amount(0.0..=2e9, "thousand current US$")),
    Column::new("milper", Holds::Amount(0.0..=5e4, "thousand personnel")),
    Column::new("irst", Holds::Amount(0.0..=3e6, "thousand tons of iron and steel")),
    Column::new("pec", Holds::Amount(0.0..=3e7, "thousand coal-ton equivalents")),
    Column::new("tpop", Holds::Amount(1.0..=2e6, "thousand people")),
    Column::new("upop", Holds::Amount(0.0..=1e6, "thousand people in cities")),
    Column::new("cinc", Holds::Amount(0.0..=1.0, "(a share of the system's capabilities)")),
];

#[derive(Debug, Clone)]
pub struct Nmc {
    pub rows: Vec<NmcRow>,
    pub file: DatasetFile,
}

/// Reads the state-years; each must be a year in which the state is a system member,
/// once. Amounts are non-negative and CINC, a share of the system, at most 1.
pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<Nmc, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let mut rows = Vec::new();
    let mut seen: HashMap<(Ccode, i32), usize> = HashMap::new();
    while let Some(mut row) = table.next_row() {
        let ccode: Ccode = row.int("ccode");
        let year = row.year("year");
        let [milex, milper, irst, pec, tpop, upop, cinc] =
            ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"].map(|c| row.amount(c));
        if row.failed() {
            continue;
        }
        match index.get(ccode) {
            None => row.error("ccode", format!("ccode {ccode} is not in pactbase's states table (data/states.csv)")),
            Some(s) if !s.member_in(year) => {
                row.error("year", format!("{} ({ccode}) is not a system member in {year}", s.name))
            }
            Some(_) => {}
        }
        if let Some(first) = seen.insert((ccode, year), row.line) {
            row.error("year", format!("duplicate key: ccode {ccode} year {year} is already on line {first}"));
        }
        if !row.failed() {
            rows.push(NmcRow { ccode, year, milex, milper, irst, pec, tpop, upop, cinc });
        }
    }
    let (file, errors) = table.finish(DATASET, &file_stem(path));
    all_or_nothing(Nmc { rows, file }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    const HEADER: &str = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n";

    fn read_text(text: &str) -> Result<Nmc, DataErrors> {
        let (_dir, path) = file("nmc.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn blanks_are_missing_values() {
        let nmc = read_text(&format!("{HEADER}2,1816,3823,17,80,,8659.0,101.0,0.0397\n")).unwrap();
        assert_eq!(nmc.rows[0].milex, Some(3823.0));
        assert_eq!(nmc.rows[0].pec, None);
        assert_eq!(nmc.file.version, "nmc");
    }

    #[test]
    fn garbled_number_is_reported_at_its_column() {
        let err = read_text(&format!("{HEADER}2,1816,38x3,17,80,1,8659.0,101.0,0.0397\n")).unwrap_err();
        assert_eq!(places(&err), vec![(Some(2), Some(3), Some("milex".into()))]);
        assert!(err.to_string().contains("`38x3` is not a number"), "{err}");
    }

    #[test]
    fn duplicate_state_year_is_reported_on_the_second_line() {
        let row = "2,1816,3823,17,80,1,8659.0,101.0,0.0397\n";
        let err = read_text(&format!("{HEADER}{row}{row}")).unwrap_err();
        assert_eq!(places(&err), vec![(Some(3), Some(2), Some("year".into()))]);
        assert!(err.0[0].message.contains("line 2"));
    }

    #[test]
    fn years_out_of_range_and_outside_membership_are_refused() {
        let text = format!("{HEADER}2,1700,1,1,1,1,1,1,0.1\n770,1900,1,1,1,1,1,1,0.1\n");
        let err = read_text(&text).unwrap_err();
        assert_eq!(
            places(&err),
            vec![(Some(2), Some(2), Some("year".into())), (Some(3), Some(2), Some("year".into()))]
        );
        assert!(err.0[0].message.contains("outside 1815..=2030"));
        assert!(err.0[1].message.contains("not a system member in 1900"));
    }

    /// Issue 20 item 8: a column of another magnitude is refused, its first cells listed
    /// and the rest counted at its header.
    #[test]
    fn implausible_magnitudes_are_listed_by_their_first_cells() {
        let rows: String = (1816..1824).map(|y| format!("2,{y},1,90000,1,1,0,1,0.1\n")).collect();
        let err = read_text(&format!("{HEADER}{rows}")).unwrap_err();
        let places = places(&err);
        assert_eq!(places.len(), 2 * 5 + 2, "{err}");
        assert_eq!(places[0], (Some(2), Some(4), Some("milper".into())));
        assert!(err.0[0].message.starts_with("90000 is more than 50000 thousand personnel"), "{err}");
        assert_eq!(places[1], (Some(2), Some(7), Some("tpop".into())));
        assert!(err.0[1].message.starts_with("0 is less than 1 thousand people"), "{err}");
        let counts: Vec<String> = err.0[10..].iter().map(|e| e.to_string()).collect();
        assert!(counts[0].ends_with("nmc.csv:1:4: milper: 3 more cells of this column are refused (8 in all): is this the column its header names, or were two columns swapped?"), "{err}");
        assert!(counts[1].contains("nmc.csv:1:7: tpop: 3 more cells"), "{err}");
    }

    #[test]
    fn code_outside_the_system_is_refused() {
        let err = read_text(&format!("{HEADER}999,1990,1,1,1,1,1,1,0.1\n")).unwrap_err();
        assert_eq!(places(&err), vec![(Some(2), Some(1), Some("ccode".into()))]);
    }

    #[test]
    fn crlf_files_report_the_right_lines_and_blank_lines_are_skipped() {
        let text = HEADER.replace('\n', "\r\n") + "2,1816,1,1,1,1,1,1,0.1\r\n\r\n2,1817,x,1,1,1,1,1,0.1\r\n";
        let err = read_text(&text).unwrap_err();
        assert_eq!(places(&err), vec![(Some(4), Some(3), Some("milex".into()))]);
    }

    #[test]
    fn truncated_row_names_the_first_missing_field() {
        let err = read_text(&format!("{HEADER}2,1816,3823,17\n")).unwrap_err();
        assert_eq!(places(&err), vec![(Some(2), Some(5), Some("irst".into()))]);
    }

    #[test]
    fn missing_and_misspelt_columns_are_named_on_line_1() {
        let err = read_text("ccode,yr,milex,milper,irst,pec,tpop,upop\n").unwrap_err();
        assert_eq!(
            places(&err),
            vec![(Some(1), None, Some("year".into())), (Some(1), None, Some("cinc".into()))],
            "{err}"
        );
        let err = read_text("ccode,year,milex,milper,irst,pec,tpop,upop,cinc_\n").unwrap_err();
        assert_eq!(places(&err), vec![(Some(1), Some(9), Some("cinc".into()))]);
        assert!(err.to_string().contains("column 9 is `cinc_`"), "{err}");
    }
}
