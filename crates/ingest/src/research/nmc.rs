//! COW National Material Capabilities (`nmc-7.0-abridged.csv`): one row per state-year,
//! blanks for missing values (FIELD.md §6).

use std::collections::HashMap;
use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, NmcRow};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Progress, Table};
use super::{all_or_nothing, file_stem};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::Nmc;

const COLUMNS: &[&str] = &["ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc"];

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
        let ccode: Ccode = row.int("ccode", 1..=999);
        let year = row.year("year");
        let [milex, milper, irst, pec, tpop, upop, cinc] =
            ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"].map(|c| row.amount(c));
        if cinc.is_some_and(|c| c > 1.0) {
            row.error("cinc", "CINC is a share of the system's capabilities: at most 1");
        }
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
