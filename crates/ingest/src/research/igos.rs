//! COW Intergovernmental Organizations 3.0, dyadic (`igo-3-dyadic.csv`): the number of
//! IGOs two states are both full members of, one row per non-directed dyad-year.
//!
//! COW's dyadic file counts shared memberships only: it cannot give a state's own
//! number of memberships, so there is no state-year IGO column (docs/PANELS.md).

use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, SharedIgos};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Table, YEARS};
use super::{all_or_nothing, file_stem, report_duplicate_dyad_years, NotPlaced, Placement};
use crate::DataErrors;

pub const DATASET: Dataset = Dataset::Igos;

/// More IGOs than have ever existed at once (COW 3.0 counts about 530 in all).
const MAX_IGOS: i64 = 1_000;

/// COW's missing-value codes (-9, -1) in `dyadigos` are refused rather than read as counts.
const COLUMNS: &[Column] = &[
    Column::new("ccode1", Holds::Int(1..=999)),
    Column::new("ccode2", Holds::Int(1..=999)),
    Column::new("year", Holds::Year(YEARS)),
    Column::new("dyadigos", Holds::Int(0..=MAX_IGOS)),
];

#[derive(Debug, Clone)]
pub struct Igos {
    /// Stored with `ccode1 < ccode2`.
    pub rows: Vec<SharedIgos>,
    pub not_placed: Vec<NotPlaced>,
    pub file: DatasetFile,
}

pub fn read(path: &Path, index: &StateIndex, progress: Progress) -> Result<Igos, DataErrors> {
    let mut table = Table::open(path, COLUMNS, progress).map_err(DataErrors)?;
    let mut rows = Vec::new();
    let mut keys = Vec::new();
    let mut placement = Placement::default();
    while let Some(mut row) = table.next_row() {
        let a: Ccode = row.int("ccode1");
        let b: Ccode = row.int("ccode2");
        let year = row.year("year");
        let dyadigos: u16 = row.int("dyadigos");
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
        rows.push(SharedIgos { ccode1, ccode2, year, dyadigos });
    }
    report_duplicate_dyad_years(&mut table, keys);
    let (file, errors) = table.finish(DATASET, &file_stem(path));
    all_or_nothing(Igos { rows, not_placed: placement.finish(), file }, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{file, index, places};

    fn read_text(text: &str) -> Result<Igos, DataErrors> {
        let (_dir, path) = file("igo.csv", text);
        read(&path, &index(), &|_| {})
    }

    #[test]
    fn counts_per_dyad_year() {
        let igos = read_text("ccode1,ccode2,year,dyadigos\n2,200,1920,7\n2,200,1921,0\n").unwrap();
        assert_eq!(igos.rows.iter().map(|r| r.dyadigos).collect::<Vec<_>>(), vec![7, 0]);
        assert!(igos.not_placed.is_empty());
    }

    #[test]
    fn missing_value_codes_and_self_dyads_are_refused() {
        let err = read_text("ccode1,ccode2,year,dyadigos\n2,200,1920,-9\n2,2,1920,1\n").unwrap_err();
        assert_eq!(
            places(&err),
            vec![(Some(2), Some(4), Some("dyadigos".into())), (Some(3), Some(2), Some("ccode2".into()))]
        );
    }
}
