//! Capitals with coordinates and the days they were capitals (`capitals.csv`, the
//! compilation distributed with peacesciencer): one row per state and capital.

use std::path::Path;

use pactbase_model::research::{Capital, Dataset, DatasetFile};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Table};
use super::{all_or_nothing, file_stem, NotPlaced, Placement};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::Capitals;

const COLUMNS: &[Column] = &[
    Column::new("ccode", Holds::Int(1..=999)),
    Column::new("capital", Holds::Text),
    Column::new("stdate", Holds::Date),
    Column::new("enddate", Holds::Date),
    Column::new("lat", Holds::Number(-90.0..=90.0)),
    Column::new("lng", Holds::Number(-180.0..=180.0)),
];

#[derive(Debug, Clone)]
pub struct Capitals {
    pub capitals: Vec<Capital>,
    /// Capitals none of whose years the state spends in the system.
    pub not_placed: Vec<NotPlaced>,
    pub file: DatasetFile,
}

/// Reads the capitals: states of the states table, coordinates on the globe, ends not
/// before starts, one capital at a time per state.
pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<Capitals, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let mut capitals: Vec<Capital> = Vec::new();
    let mut lines: Vec<usize> = Vec::new();
    let mut placement = Placement::default();
    while let Some(mut row) = table.next_row() {
        let ccode: Ccode = row.int("ccode");
        let name = row.text("capital").trim().to_owned();
        let start = row.date("stdate");
        let end = row.date("enddate");
        let lat = row.float("lat");
        let lng = row.float("lng");
        if name.is_empty() {
            row.error("capital", "the row names no capital");
        }
        if row.failed() {
            continue;
        }
        if index.get(ccode).is_none() {
            row.error("ccode", format!("ccode {ccode} is not in pactbase's states table (data/states.csv)"));
        }
        if end < start {
            row.error("enddate", format!("the capital's spell ends ({end}) before it starts ({start})"));
        }
        let overlap = capitals.iter().zip(&lines).find(|(c, _)| c.ccode == ccode && c.start <= end && start <= c.end);
        if let Some((other, line)) = overlap {
            let message = format!(
                "duplicate key: ccode {ccode} already has {} as its capital {}..{} on line {line}",
                other.name, other.start, other.end
            );
            row.error("stdate", message);
        }
        if row.failed() {
            continue;
        }
        if !(start.year..=end.year).any(|y| index.get(ccode).is_some_and(|s| s.member_in(y))) {
            let what = || format!("{name} ({ccode}) {start}..{end}");
            placement.add("capital of a state outside the system in all its years", row.line, what);
        }
        lines.push(row.line);
        capitals.push(Capital { ccode, name, start, end, lat, lng });
    }
    let (file, errors) = table.finish(DATASET, &file_stem(path));
    all_or_nothing(Capitals { capitals, not_placed: placement.finish(), file }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    const HEADER: &str = "ccode,statenme,capital,stdate,enddate,lat,lng\n";

    fn read_text(text: &str) -> Result<Capitals, DataErrors> {
        let (_dir, path) = file("capitals.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn a_capital_that_moves_has_two_rows() {
        let text = format!(
            "{HEADER}770,Pakistan,Karachi,1947-01-01,1959-06-12,24.8546842,67.0207055\n770,Pakistan,Rawalpindi,1959-06-13,1967-08-13,33.5914237,73.0535122\n"
        );
        let c = read_text(&text).unwrap();
        assert_eq!(c.capitals.len(), 2);
        assert_eq!((c.capitals[1].name.as_str(), c.capitals[1].lat), ("Rawalpindi", 33.5914237));
    }

    #[test]
    fn coordinates_off_the_globe_overlaps_and_blank_names_are_located() {
        let text = format!(
            "{HEADER}770,Pakistan,Karachi,1947-01-01,1959-06-12,94.8,67.0\n770,Pakistan,Karachi,1947-01-01,1959-06-12,24.8,67.0\n770,Pakistan,Rawalpindi,1959-01-01,1967-08-13,33.5,73.0\n2,USA,,1816-01-01,2024-12-31,38.9,-77.0\n"
        );
        let err = read_text(&text).unwrap_err();
        assert_eq!(
            places(&err),
            vec![
                (Some(2), Some(6), Some("lat".into())),
                (Some(4), Some(4), Some("stdate".into())),
                (Some(5), Some(3), Some("capital".into())),
            ],
            "{err}"
        );
    }
}
