//! SIPRI Military Expenditure (`sipri-milex-constant-2017usd.csv`): one row per country,
//! one column per year, constant 2017 US$ millions, blanks for missing (FIELD.md §6).
//!
//! Countries are resolved by name through the states table's aliases; names that do not
//! resolve are returned. SIPRI also keeps series for years in which a state is not a COW
//! system member (its "Germany" before 1990 is West Germany; South Sudan before
//! independence): those values are not stored under the COW code, and are returned too.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, SipriMilex};
use pactbase_model::{Ccode, StateIndex};
use serde::Serialize;

use super::table::{Column, Holds, Progress, Table, YEARS};
use super::{all_or_nothing, file_stem, Names, Unresolved};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::SipriMilex;

const COLUMNS: &[Column] = &[Column::new("Country", Holds::Text)];

/// Every other column is a year of spending, in constant 2017 US$ millions, up to ten
/// times what any state has spent (the United States, at most, about 800,000).
const SPENDING: (std::ops::RangeInclusive<f64>, &str) = (0.0..=8e6, "million constant 2017 US$");

/// SIPRI's own markers for "no data" (`. .`) and "the state did not exist" (`xxx`),
/// which extracts sometimes keep instead of blanks.
const NO_VALUE: &[&[u8]] = &[b"", b". .", b"...", b"xxx"];

/// Values of a resolved country in years its COW state is not a system member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutsideSystem {
    pub name: String,
    pub ccode: Ccode,
    pub years: Vec<i32>,
}

#[derive(Debug, Clone)]
pub struct Sipri {
    pub rows: Vec<SipriMilex>,
    /// Country names that match no state; `count` is how many year values they carry.
    pub unresolved: Vec<Unresolved>,
    pub outside_system: Vec<OutsideSystem>,
    pub file: DatasetFile,
}

/// SIPRI carries a state's series on under its successor's name: "Germany" before
/// unification is the Federal Republic (COW 260 until 1990; united Germany, 255, from then).
const CONTINUED_SERIES: &[(Ccode, Ccode, i32)] = &[(255, 260, 1989)];

pub(super) fn continued_series(ccode: Ccode, year: i32) -> Ccode {
    CONTINUED_SERIES
        .iter()
        .find(|&&(now, _, until)| now == ccode && year <= until)
        .map_or(ccode, |&(_, before, _)| before)
}

pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<Sipri, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let country = table.header.iter().position(|h| h == "Country").unwrap_or_default();
    let years = year_columns(&mut table, country);
    let mut names = Names::new(index);
    let mut rows = Vec::new();
    let mut outside: BTreeMap<(usize, String), OutsideSystem> = BTreeMap::new();
    let mut countries: HashMap<String, usize> = HashMap::new();
    let mut state_years: HashMap<(Ccode, i32), usize> = HashMap::new();
    while let Some(mut row) = table.next_row() {
        let name = row.text("Country").trim().to_owned();
        if name.is_empty() {
            row.error("Country", "the row names no country");
            continue;
        }
        if let Some(first) = countries.insert(name.clone(), row.line) {
            row.error("Country", format!("duplicate key: `{name}` is already on line {first}"));
            continue;
        }
        let mut values = Vec::with_capacity(years.len());
        for &(position, year) in &years {
            let raw = row.raw_at(position);
            if !NO_VALUE.contains(&raw) {
                if let Some(v) = row.amount_at(position, &SPENDING.0, SPENDING.1) {
                    values.push((position, year, v));
                }
            }
        }
        let Some(series) = names.resolve(&name, row.line, values.len()) else { continue };
        for (position, year, usd2017m) in values {
            let ccode = continued_series(series, year);
            if !index.get(ccode).is_some_and(|s| s.member_in(year)) {
                let entry = outside.entry((row.line, name.clone())).or_insert_with(|| OutsideSystem {
                    name: name.clone(),
                    ccode: series,
                    years: Vec::new(),
                });
                entry.years.push(year);
                continue;
            }
            if let Some(first) = state_years.insert((ccode, year), row.line) {
                row.error_at(
                    position,
                    format!("duplicate key: ccode {ccode} year {year} already has a value on line {first}"),
                );
                continue;
            }
            rows.push(SipriMilex { ccode, year, usd2017m });
        }
    }
    let (file, errors) = table.finish(DATASET, &file_stem(path));
    let (unresolved, outside_system) = (names.unresolved(), outside.into_values().collect());
    all_or_nothing(Sipri { rows, unresolved, outside_system, file }, errors)
}

/// Every column but the country's is a year, once each.
fn year_columns(table: &mut Table, country: usize) -> Vec<(usize, i32)> {
    let mut years: Vec<(usize, i32)> = Vec::new();
    let mut problems = Vec::new();
    for (position, h) in table.header.iter().enumerate().filter(|&(p, _)| p != country) {
        match h.parse::<i32>() {
            Ok(y) if YEARS.contains(&y.into()) => {
                if let Some(&(first, _)) = years.iter().find(|&&(_, other)| other == y) {
                    problems.push((position, format!("year {y} is also column {}", first + 1)));
                } else {
                    years.push((position, y));
                }
            }
            _ => problems.push((position, format!("`{h}` is not a year in {}..={}", YEARS.start(), YEARS.end()))),
        }
    }
    if years.is_empty() && problems.is_empty() {
        problems.push((country, "no year columns: expected Country,1949,1950,...".to_owned()));
    }
    for (position, message) in problems {
        table.error_at(1, position, message);
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    fn read_text(text: &str) -> Result<Sipri, DataErrors> {
        let (_dir, path) = file("sipri.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn wide_rows_become_state_years_and_names_resolve_through_aliases() {
        let s = read_text("Country,1949,1950,1951\nUSSR, ,10.5,\nUnited States of America,1,2,3\n").unwrap();
        let got: Vec<_> = s.rows.iter().map(|r| (r.ccode, r.year, r.usd2017m)).collect();
        assert_eq!(got, vec![(365, 1950, 10.5), (2, 1949, 1.0), (2, 1950, 2.0), (2, 1951, 3.0)]);
        assert!(s.unresolved.is_empty());
    }

    #[test]
    fn unresolved_names_and_years_outside_the_system_are_reported_not_stored() {
        let s = read_text("Country,1946,1947\n\"Korea, South\",,\nNarnia,1,2\nPakistan,5,6\n").unwrap();
        let names: Vec<_> = s.unresolved.iter().map(|u| (u.name.as_str(), u.count, u.first_line)).collect();
        assert_eq!(names, vec![("Korea, South", 0, 2), ("Narnia", 2, 3)]);
        assert_eq!(s.outside_system, vec![OutsideSystem { name: "Pakistan".into(), ccode: 770, years: vec![1946] }]);
        assert_eq!(s.rows.len(), 1);
    }

    #[test]
    fn windows_1252_names_are_decoded() {
        let (_dir, path) = file("sipri.csv", "");
        std::fs::write(&path, b"Country,1990\nFran\xe7e,1\n").unwrap();
        let s = read(&path, &index(), &|_| {}).unwrap();
        assert_eq!(s.unresolved[0].name, "Françe");
    }

    #[test]
    fn bad_year_headers_values_and_duplicates_are_located() {
        let err = read_text("Country,1990,199O\nFrance,1,2\n").unwrap_err();
        assert_eq!(places(&err), vec![(Some(1), Some(3), Some("199O".into()))]);
        let err = read_text("Country,1990,1991\nFrance,1,-2\nFrance,1,2\n").unwrap_err();
        assert_eq!(
            places(&err),
            vec![(Some(2), Some(3), Some("1991".into())), (Some(3), Some(1), Some("Country".into()))]
        );
        let err = read_text("Country,1990\nRussia,1\nUSSR,2\n").unwrap_err();
        assert_eq!(places(&err), vec![(Some(3), Some(2), Some("1990".into()))]);
    }
}
