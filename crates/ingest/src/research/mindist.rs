//! Minimum distance between states' borders (`mindist-cshapes-2.csv`, CShapes 2.0 as
//! distributed with peacesciencer): one row per non-directed dyad-year, in km.

use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, MinDistance};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Table, YEARS};
use super::{all_or_nothing, file_stem, report_duplicate_dyad_years, NotPlaced, Placement};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::Mindist;

/// Half the Earth's circumference: no two points of the globe are farther apart.
const MAX_KM: f64 = 20_050.0;

const COLUMNS: &[Column] = &[
    Column::new("ccode1", Holds::Int(1..=999)),
    Column::new("ccode2", Holds::Int(1..=999)),
    Column::new("year", Holds::Year(YEARS)),
    Column::new("mindist", Holds::Number(0.0..=MAX_KM)),
];

#[derive(Debug, Clone)]
pub struct MinDistances {
    /// Stored with `ccode1 < ccode2`.
    pub rows: Vec<MinDistance>,
    pub not_placed: Vec<NotPlaced>,
    pub file: DatasetFile,
}

pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<MinDistances, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let mut rows = Vec::new();
    let mut keys = Vec::new();
    let mut placement = Placement::default();
    while let Some(mut row) = table.next_row() {
        let a: Ccode = row.int("ccode1");
        let b: Ccode = row.int("ccode2");
        let year = row.year("year");
        let km = row.float("mindist");
        if row.failed() {
            continue;
        }
        if a == b {
            row.error("ccode2", format!("a dyad needs two states ({a})"));
            continue;
        }
        let (ccode1, ccode2) = (a.min(b), a.max(b));
        keys.push(((ccode1, ccode2, year), row.line));
        placement.dyad_year(index, ccode1, ccode2, year, row.line);
        rows.push(MinDistance { ccode1, ccode2, year, km });
    }
    report_duplicate_dyad_years(&mut table, keys);
    let (file, errors) = table.finish(DATASET, &file_stem(path));
    all_or_nothing(MinDistances { rows, not_placed: placement.finish(), file }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    fn read_text(text: &str) -> Result<MinDistances, DataErrors> {
        let (_dir, path) = file("mindist.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn dyads_are_stored_in_order_and_outsiders_reported() {
        let d = read_text("ccode1,ccode2,year,mindist\n200,2,1990,5000.5\n2,770,1900,12000\n").unwrap();
        assert_eq!((d.rows[0].ccode1, d.rows[0].ccode2, d.rows[0].km), (2, 200, 5000.5));
        assert_eq!(d.not_placed[0].examples, vec!["line 3: 2-770 in 1900".to_owned()]);
    }

    #[test]
    fn negative_distances_and_repeated_dyads_are_refused() {
        let err = read_text("ccode1,ccode2,year,mindist\n2,200,1990,-1\n2,200,1991,1\n200,2,1991,1\n").unwrap_err();
        assert_eq!(
            places(&err),
            vec![(Some(2), Some(4), Some("mindist".into())), (Some(4), Some(3), Some("year".into()))]
        );
        let text = "ccode1,ccode2,year,mindist\n2,200,1991,1\n2,20,1991,1\n200,2,1991,1\n2,200,1991,2\n";
        let err = read_text(text).unwrap_err().to_string();
        let lines: Vec<&str> = err.lines().filter(|l| l.contains("duplicate key")).collect();
        assert_eq!(lines.len(), 2, "{err}");
        assert!(lines[0].contains(":4:") && lines[1].contains(":5:"), "{err}");
        assert!(lines.iter().all(|l| l.contains("2-200 in 1991 is already on line 2")), "{err}");
    }
}
