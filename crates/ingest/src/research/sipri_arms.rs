//! SIPRI Arms Transfers Database, TIV tables as SIPRI's web export writes them: one file
//! per supplier, "TIV of arms exports from SUPPLIER, 1950-2021", with a title, notes and
//! the export's date above a table of recipients (rows) by year (columns) and a Total
//! column and row. A blank cell is no delivery; `0` is a delivery worth under 0.5m TIV.
//!
//! Suppliers and recipients are resolved through the states table. Parties that are not
//! states are kept under SIPRI's name with their kind: SIPRI marks non-state actors `*`
//! and international organisations `**`; "Unknown supplier(s)" and "Unknown recipient(s)"
//! are unidentified; a few unmarked names are known not to be COW states. Any other name
//! that does not resolve is stored the same way and reported. Deliveries in years in
//! which a state is not a system member are stored and reported. Every row's Total, every
//! year's total and the table's total are checked against the values they add up.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use pactbase_model::arms::{ArmsParty, ArmsTransfer, ArmsTransfers, PartyKind};
use pactbase_model::research::{Dataset, DatasetFile};
use pactbase_model::{Ccode, StateIndex};
use serde::Serialize;

use super::sipri::continued_series;
use super::table::{decode, Column, Holds, Progress, Row, Table, YEARS};
use super::{file_stem, Names, Unresolved};
use crate::{DataError, DataErrors};

pub const DATASET: Dataset = Dataset::SipriArms;

/// SIPRI's largest supplier delivered under 800,000 million TIV in 1950–2021 (the US's
/// Total row); a column far beyond that is not TIV.
const TIV: RangeInclusive<f64> = 0.0..=2_000_000.0;
const TIV_UNIT: &str = "million TIV";
const COLUMNS: &[Column] = &[Column::new(TOTAL, Holds::Amount(TIV, TIV_UNIT))];
const TITLE: &str = "TIV of arms exports from ";
const TOTAL: &str = "Total";
/// The recipient column has no header in SIPRI's export; errors name it this.
const RECIPIENT: &str = "recipient";

/// SIPRI's names for the parties it could not identify.
const UNIDENTIFIED: &[&str] = &["Unknown supplier(s)", "Unknown recipient(s)"];

/// Names SIPRI leaves unmarked that are not states of the COW system (docs/IMPORT.md
/// gives the reason for each).
const NOT_STATES: &[&str] =
    &["Aruba", "Biafra", "Katanga", "Libya GNC", "Northern Cyprus", "Palestine", "Western Sahara"];

/// A total that differs from the values it adds up by more than SIPRI's rounding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalMismatch {
    pub file: String,
    pub line: usize,
    /// The row's recipient, `year 1990` for a year's total, or `the table` for the total
    /// of totals.
    pub what: String,
    pub total: f64,
    pub sum: f64,
}

/// Deliveries from or to a state in years in which it is not a system member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutsideSystem {
    pub name: String,
    pub ccode: Ccode,
    /// `supplier` or `recipient`.
    pub role: &'static str,
    pub deliveries: usize,
    pub first_year: i32,
    pub last_year: i32,
}

/// An unmarked name that matches no state, and the table it was first seen in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnresolvedName {
    pub file: String,
    #[serde(flatten)]
    pub name: Unresolved,
}

#[derive(Debug, Clone)]
pub struct SipriArms {
    pub data: ArmsTransfers,
    /// One per supplier table, in file-name order.
    pub files: Vec<DatasetFile>,
    /// Stored as parties of kind `other`; `count` is how many deliveries they carry.
    pub unresolved: Vec<UnresolvedName>,
    pub outside_system: Vec<OutsideSystem>,
    pub mismatches: Vec<TotalMismatch>,
}

/// The supplier tables in `dir` (every `.csv` file), by name.
pub fn files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

pub fn read(dir: &Path, index: &StateIndex, progress: Progress) -> Result<SipriArms, DataErrors> {
    let dir_name = dir.display().to_string();
    let paths = files(dir).map_err(|e| DataErrors(vec![DataError::file(&dir_name, format!("cannot list: {e}"))]))?;
    if paths.is_empty() {
        let message = "no SIPRI TIV tables here: expected the .csv files of SIPRI's \"TIV of arms exports\" export";
        return Err(DataErrors(vec![DataError::file(&dir_name, message)]));
    }
    let mut reader = Reader::new(index);
    let mut errors = Vec::new();
    for path in &paths {
        errors.extend(reader.file(path, progress));
    }
    let Reader { names, mut first_seen, parties, transfers, files, outside, mismatches, coverage, .. } = reader;
    if !errors.is_empty() {
        return Err(DataErrors(errors));
    }
    let unresolved = names
        .unresolved()
        .into_iter()
        .map(|name| UnresolvedName { file: first_seen.remove(&name.name).unwrap_or_default(), name })
        .collect();
    let mut outside_system: Vec<OutsideSystem> = outside.into_values().collect();
    outside_system.sort_by(|a, b| (a.role, &a.name).cmp(&(b.role, &b.name)));
    let data = ArmsTransfers { coverage: coverage.map_or((0, -1), |c| c.0), parties, transfers };
    Ok(SipriArms { data, files, unresolved, outside_system, mismatches })
}

/// What a name stands for: a party, and for a state its COW code.
#[derive(Clone, Copy)]
struct Resolved {
    party: u32,
    ccode: Option<Ccode>,
    /// An unmarked name that matches no state: its deliveries are counted and reported.
    unresolved: bool,
}

struct Reader<'i> {
    index: &'i StateIndex,
    names: Names<'i>,
    /// The file each unresolved name was first seen in.
    first_seen: HashMap<String, String>,
    parties: Vec<ArmsParty>,
    resolved: HashMap<String, Resolved>,
    transfers: Vec<ArmsTransfer>,
    files: Vec<DatasetFile>,
    /// Suppliers read so far, with the file that had them.
    suppliers: HashMap<String, String>,
    outside: HashMap<(&'static str, String), OutsideSystem>,
    mismatches: Vec<TotalMismatch>,
    /// The years of the first table, and its file: every table must cover the same.
    coverage: Option<((i32, i32), String)>,
}

impl<'i> Reader<'i> {
    fn new(index: &'i StateIndex) -> Self {
        Reader {
            index,
            names: Names::new(index),
            first_seen: HashMap::new(),
            parties: Vec::new(),
            resolved: HashMap::new(),
            transfers: Vec::new(),
            files: Vec::new(),
            suppliers: HashMap::new(),
            outside: HashMap::new(),
            mismatches: Vec::new(),
            coverage: None,
        }
    }

    /// Reads one supplier table; returns its problems.
    fn file(&mut self, path: &Path, progress: Progress) -> Vec<DataError> {
        let is_header =
            |fields: &[String]| fields.len() > 2 && fields[0].is_empty() && fields.last().is_some_and(|l| l == TOTAL);
        let missing = "no table header: expected a line `,1950,1951,…,Total` after SIPRI's notes";
        let (mut table, notes) = match Table::open_after_notes(path, COLUMNS, progress, is_header, missing) {
            Ok(t) => t,
            Err(errors) => return errors,
        };
        table.header[0] = RECIPIENT.to_owned();
        let file_name = table.file.clone();
        let supplier_name = match notes.first().and_then(|n| n.first()).and_then(|title| supplier_in(title)) {
            Some(name) => name,
            None => {
                let message = format!("the first line is not SIPRI's title `{TITLE}SUPPLIER, 1950-2021`");
                return vec![DataError::file(&table.file, message).at(1, 1)];
            }
        };
        if let Some(first) = self.suppliers.insert(supplier_name.clone(), table.file.clone()) {
            let message = format!("the table of {supplier_name} is also in {first}: one table per supplier");
            return vec![DataError::file(&table.file, message).at(1, 1)];
        }
        let years = self.year_columns(&mut table);
        let total = table.position(TOTAL);
        let supplier = self.resolve(&supplier_name, &file_name, 1, 0);
        let version = notes
            .iter()
            .find_map(|n| n.first().and_then(|f| f.strip_prefix("Generated:")).map(|d| d.trim().to_owned()))
            .unwrap_or_else(|| file_stem(path));

        let mut recipients: HashMap<String, usize> = HashMap::new();
        let mut columns = vec![(0.0, 0usize); years.len()];
        let (mut row_totals, mut rows) = (0.0, 0usize);
        let mut total_row = None;
        while let Some(mut row) = table.next_row() {
            let name = decode(row.raw_at(0)).trim().to_owned();
            if let Some(at) = total_row {
                row.error_at(0, format!("a row after the Total row (line {at}): the table ends with its Total"));
                continue;
            }
            let values = values(&mut row, &years);
            let stated = row.amount_at(total, &TIV, TIV_UNIT);
            if name == TOTAL {
                total_row = Some(row.line);
                for (&(_, year, v), &(sum, n)) in values.iter().zip(&columns) {
                    self.check(&file_name, row.line, &format!("year {year}"), v.unwrap_or(0.0), sum, n);
                }
                if let Some(stated) = stated {
                    self.check(&file_name, row.line, "the table", stated, row_totals, rows);
                }
                continue;
            }
            if name.is_empty() {
                row.error_at(0, "the row names no recipient");
                continue;
            }
            if let Some(first) = recipients.insert(name.clone(), row.line) {
                row.error_at(0, format!("duplicate key: `{name}` is already on line {first}"));
                continue;
            }
            let Some(stated) = stated else {
                if !row.failed() {
                    row.error_at(total, "the row has no Total");
                }
                continue;
            };
            if row.failed() {
                continue;
            }
            rows += 1;
            row_totals += stated;
            let delivered: Vec<(i32, f64)> = values.iter().filter_map(|&(_, year, v)| Some((year, v?))).collect();
            for (column, &(_, _, v)) in columns.iter_mut().zip(&values) {
                if let Some(v) = v {
                    column.0 += v;
                    column.1 += 1;
                }
            }
            self.check(&file_name, row.line, &name, stated, delivered.iter().map(|d| d.1).sum(), delivered.len());
            let recipient = self.resolve(&name, &file_name, row.line, delivered.len());
            if supplier.unresolved {
                self.names.resolve(&supplier_name, 1, delivered.len());
            }
            for (year, tiv) in delivered {
                let supplier_ccode = self.state_in(&supplier_name, supplier.ccode, year, "supplier");
                let recipient_ccode = self.state_in(&name, recipient.ccode, year, "recipient");
                self.transfers.push(ArmsTransfer {
                    supplier: supplier.party,
                    recipient: recipient.party,
                    supplier_ccode,
                    recipient_ccode,
                    year,
                    tiv,
                });
            }
        }
        let end = table.header_line;
        let (mut file, mut errors) = table.finish(DATASET, &version);
        if total_row.is_none() && errors.is_empty() {
            let message = "the table has no Total row: is the file cut short?";
            errors.push(DataError::file(&file.path, message).at(end, 1).field(RECIPIENT));
        }
        file.rows = rows;
        self.files.push(file);
        errors
    }

    /// The year columns (position, year), which run without a gap up to the Total column
    /// and are the same in every table.
    fn year_columns(&mut self, table: &mut Table) -> Vec<(usize, i32)> {
        let total = table.position(TOTAL);
        let line = table.header_line;
        let mut years: Vec<(usize, i32)> = Vec::new();
        for position in (1..table.header.len()).filter(|&p| p != total) {
            let h = table.header[position].clone();
            let previous = years.last().map(|&(_, y)| y);
            match h.parse::<i32>() {
                Ok(y) if YEARS.contains(&y.into()) && previous.is_none_or(|p| p + 1 == y) => years.push((position, y)),
                Ok(y) if YEARS.contains(&y.into()) => {
                    let previous = previous.unwrap_or_default();
                    let message = format!("year {y} comes after {previous}: SIPRI's years run one by one");
                    table.error_at(line, position, message);
                }
                _ => table.error_at(
                    line,
                    position,
                    format!("`{h}` is not a year in {}..={}", YEARS.start(), YEARS.end()),
                ),
            }
        }
        let span = match (years.first(), years.last()) {
            (Some(&(_, a)), Some(&(_, b))) => (a, b),
            _ => {
                table.error_at(line, 0, "no year columns: expected ,1950,1951,…,Total");
                return years;
            }
        };
        match &self.coverage {
            None => self.coverage = Some((span, table.file.clone())),
            Some(((a, b), first)) if (*a, *b) != span => {
                let message = format!(
                    "the table covers {}–{}, {first} covers {a}–{b}: export every supplier over the same years",
                    span.0, span.1
                );
                table.error_at(line, years[0].0, message);
            }
            Some(_) => {}
        }
        years
    }

    /// The party `name` stands for, added on first sight. `entries` values on `line` of
    /// `file` are counted against it if it is an unmarked name that matches no state.
    fn resolve(&mut self, name: &str, file: &str, line: usize, entries: usize) -> Resolved {
        if let Some(&r) = self.resolved.get(name) {
            if r.unresolved {
                self.names.resolve(name, line, entries);
            }
            return r;
        }
        let (kind, ccode) = if name.ends_with("**") {
            (PartyKind::Organisation, None)
        } else if name.ends_with('*') {
            (PartyKind::NonState, None)
        } else if UNIDENTIFIED.contains(&name) {
            (PartyKind::Unidentified, None)
        } else if NOT_STATES.contains(&name) {
            (PartyKind::Other, None)
        } else {
            match self.names.resolve(name, line, entries) {
                Some(c) => (PartyKind::State, Some(c)),
                None => {
                    self.first_seen.insert(name.to_owned(), file.to_owned());
                    (PartyKind::Other, None)
                }
            }
        };
        let unresolved = self.first_seen.contains_key(name);
        let r = Resolved { party: self.parties.len() as u32, ccode, unresolved };
        self.parties.push(ArmsParty { name: name.to_owned(), kind });
        self.resolved.insert(name.to_owned(), r);
        r
    }

    /// The state a resolved name is in `year`, noting a year outside its system membership.
    fn state_in(&mut self, name: &str, ccode: Option<Ccode>, year: i32, role: &'static str) -> Option<Ccode> {
        let ccode = continued_series(ccode?, year);
        if !self.index.get(ccode).is_some_and(|s| s.member_in(year)) {
            let o = self.outside.entry((role, name.to_owned())).or_insert_with(|| OutsideSystem {
                name: name.to_owned(),
                ccode,
                role,
                deliveries: 0,
                first_year: year,
                last_year: year,
            });
            o.deliveries += 1;
            o.first_year = o.first_year.min(year);
            o.last_year = o.last_year.max(year);
        }
        Some(ccode)
    }

    /// Notes a total that differs from the sum of its `n` values by more than rounding:
    /// SIPRI rounds each value and each total to whole millions on its own, so the sum of
    /// n rounded values may be off the rounded total by up to (n + 1) / 2.
    fn check(&mut self, file: &str, line: usize, what: &str, total: f64, sum: f64, n: usize) {
        if (total - sum).abs() > (n as f64 + 1.0) / 2.0 {
            self.mismatches.push(TotalMismatch { file: file.to_owned(), line, what: what.to_owned(), total, sum });
        }
    }
}

/// The supplier in SIPRI's title, `TIV of arms exports from Cote d'Ivoire, 1950-2021`.
fn supplier_in(title: &str) -> Option<String> {
    let rest = title.strip_prefix(TITLE)?;
    let (name, span) = rest.rsplit_once(", ")?;
    let (a, b) = span.split_once('-')?;
    let is_year = |y: &str| y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit());
    (is_year(a) && is_year(b) && !name.trim().is_empty()).then(|| name.trim().to_owned())
}

/// Each year's value: `None` for a blank cell (no delivery).
fn values(row: &mut Row, years: &[(usize, i32)]) -> Vec<(usize, i32, Option<f64>)> {
    years.iter().map(|&(position, year)| (position, year, row.amount_at(position, &TIV, TIV_UNIT))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{index, places};

    const NOTES: &str = "Figures are SIPRI Trend Indicator Values (TIVs) expressed in millions.,,,,\n\
        Figures may not add up due to the conventions of rounding.,,,,\n\
        A '0' indicates that the value of deliveries is less than 0.5m,,,,\n\
        \"For more information, see http://www.sipri.org/databases/armstransfers/sources-and-methods/\",,,,\n\
        ,,,,\n,,,,\nSource: SIPRI Arms Transfers Database,,,,\nGenerated: 28 July 2022,,,,\n,,,,\n\
        ,1990,1991,1992,Total\n";

    fn table(supplier: &str, rows: &str) -> String {
        format!("\"TIV of arms exports from {supplier}, 1990-1992\",,,,\n{NOTES}{rows}")
    }

    fn read_tables(tables: &[(&str, String)]) -> Result<SipriArms, DataErrors> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in tables {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        read(dir.path(), &index(), &|_| {})
    }

    type Flow<'a> = (&'a str, &'a str, Option<Ccode>, Option<Ccode>, i32, f64);

    fn flows(s: &SipriArms) -> Vec<Flow<'_>> {
        let name = |i: u32| s.data.party(i).name.as_str();
        s.data
            .transfers
            .iter()
            .map(|t| (name(t.supplier), name(t.recipient), t.supplier_ccode, t.recipient_ccode, t.year, t.tiv))
            .collect()
    }

    #[test]
    fn a_table_becomes_deliveries_between_named_parties() {
        let china = table(
            "China",
            "Pakistan,10,,0,10\n\"Korea, North\",,1,,1\nUNITA (Angola)*,2,,,2\nNATO**,,,3,3\n,,,,\nTotal,12,1,3,16\n",
        );
        let s = read_tables(&[("TIV-Export-CHI-1990-1992.csv", china)]).unwrap();
        assert_eq!(
            flows(&s),
            vec![
                ("China", "Pakistan", Some(710), Some(770), 1990, 10.0),
                ("China", "Pakistan", Some(710), Some(770), 1992, 0.0),
                ("China", "Korea, North", Some(710), None, 1991, 1.0),
                ("China", "UNITA (Angola)*", Some(710), None, 1990, 2.0),
                ("China", "NATO**", Some(710), None, 1992, 3.0),
            ]
        );
        let kinds: Vec<(&str, PartyKind)> = s.data.parties.iter().map(|p| (p.name.as_str(), p.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("China", PartyKind::State),
                ("Pakistan", PartyKind::State),
                ("Korea, North", PartyKind::Other),
                ("UNITA (Angola)*", PartyKind::NonState),
                ("NATO**", PartyKind::Organisation),
            ]
        );
        let korea = Unresolved { name: "Korea, North".into(), count: 1, first_line: 13 };
        assert!(s.unresolved[0].file.ends_with("TIV-Export-CHI-1990-1992.csv"));
        assert_eq!(s.unresolved.iter().map(|u| &u.name).collect::<Vec<_>>(), vec![&korea]);
        assert_eq!(s.data.coverage, (1990, 1992));
        assert_eq!((s.files[0].version.as_str(), s.files[0].rows), ("28 July 2022", 4));
        assert!(s.mismatches.is_empty());
    }

    #[test]
    fn totals_off_by_more_than_rounding_are_reported() {
        let usa = table("United States", "France,1,1,1,6\nPakistan,1,1,1,3\n,,,,\nTotal,2,9,2,8\n");
        let s = read_tables(&[("a.csv", usa)]).unwrap();
        let found: Vec<(usize, &str, f64, f64)> =
            s.mismatches.iter().map(|m| (m.line, m.what.as_str(), m.total, m.sum)).collect();
        // France: 3 values may be off by up to 2; the 1991 total by up to 1.5.
        assert_eq!(found, vec![(12, "France", 6.0, 3.0), (15, "year 1991", 9.0, 2.0)]);
    }

    #[test]
    fn years_outside_the_system_are_kept_and_reported() {
        // Pakistan joins the test states' system in 1947; "USSR" is an alias of Russia.
        let usr = table("USSR", "Pakistan,1,2,,3\n,,,,\nTotal,1,2,,3\n")
            .replace(",1990,1991,1992,Total", ",1946,1947,1948,Total");
        let s = read_tables(&[("USR.csv", usr)]).unwrap();
        let (a, b) = (("USSR", "Pakistan"), (Some(365), Some(770)));
        assert_eq!(flows(&s), vec![(a.0, a.1, b.0, b.1, 1946, 1.0), (a.0, a.1, b.0, b.1, 1947, 2.0)]);
        let outside = OutsideSystem {
            name: "Pakistan".into(),
            ccode: 770,
            role: "recipient",
            deliveries: 1,
            first_year: 1946,
            last_year: 1946,
        };
        assert_eq!(s.outside_system, vec![outside]);
    }

    #[test]
    fn malformed_tables_are_located() {
        let bad = table("France", "Pakistan,1,x,,1\nPakistan,1,,,1\nChina,1,,,\n,,,,\nTotal,2,,,2\nIndia,1,,,1\n");
        let err = read_tables(&[("f.csv", bad)]).unwrap_err();
        assert_eq!(
            places(&err),
            vec![
                (Some(12), Some(3), Some("1991".into())),
                (Some(13), Some(1), Some(RECIPIENT.into())),
                (Some(14), Some(5), Some("Total".into())),
                (Some(17), Some(1), Some(RECIPIENT.into())),
            ],
            "{err}"
        );
        let cut = table("France", "Pakistan,1,,,1\n");
        let err = read_tables(&[("f.csv", cut)]).unwrap_err();
        assert!(err.to_string().contains("no Total row"), "{err}");
        let err = read_tables(&[("f.csv", "Country,1990\nFrance,1\n".into())]).unwrap_err();
        assert!(err.to_string().contains("no table header"), "{err}");
        let err = read_tables(&[("f.csv", table("France", "").replacen("TIV of arms exports from", "TIV", 1))]);
        assert_eq!(places(&err.unwrap_err()), vec![(Some(1), Some(1), None)]);
    }

    #[test]
    fn every_table_covers_the_same_years_once() {
        let a = table("France", "Pakistan,1,,,1\n,,,,\nTotal,1,,,1\n");
        let b = a.replace(",1990,1991,1992,Total", ",1991,1992,1993,Total").replace("France", "Italy");
        let err = read_tables(&[("a.csv", a.clone()), ("b.csv", b)]).unwrap_err();
        assert_eq!(places(&err), vec![(Some(11), Some(2), Some("1991".into()))], "{err}");
        let err = read_tables(&[("a.csv", a.clone()), ("c.csv", a)]).unwrap_err();
        assert!(err.to_string().contains("also in"), "{err}");
        let gap = table("France", "").replace(",1990,1991,1992,Total", ",1990,1992,1993,Total");
        let err = read_tables(&[("a.csv", gap)]).unwrap_err();
        assert_eq!(places(&err)[0], (Some(11), Some(3), Some("1992".into())), "{err}");
    }

    #[test]
    fn a_folder_without_tables_is_refused() {
        let err = read_tables(&[("notes.txt", "x".into())]).unwrap_err();
        assert!(err.to_string().contains("no SIPRI TIV tables"), "{err}");
    }
}
