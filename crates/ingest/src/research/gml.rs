//! Gibler–Miller–Little militarized interstate disputes 2.2.1, as distributed with
//! peacesciencer, read from one folder: the dispute file (`gml-disputes.csv`, one row per
//! dispute), the participant file (`gml-participants.csv`, one row per state and side in
//! a dispute) and the dyadic dispute-years (`gml-dyadic-dispute-years.csv`, one row per
//! dispute, directed dyad and year).
//!
//! The three files are checked against each other: every dyadic row belongs to a known
//! dispute, repeats its dispute-level fields, and pairs two of its participants on
//! opposite sides in a year both take part. Several disputes may share a dyad-year;
//! panels whittle them to one (docs/PANELS.md), so all are kept.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pactbase_model::research::{Dataset, DatasetFile, DisputeParticipant, DisputeYear};
use pactbase_model::{Ccode, StateIndex};

use super::table::{Column, Holds, Progress, Row, Table, YEARS};
use super::{file_stem, NotPlaced, Placement};
use crate::{DataError, DataErrors};

pub const DATASET: Dataset = Dataset::GmlMids;
pub const DISPUTE_FILE: &str = "gml-disputes.csv";
pub const PARTICIPANT_FILE: &str = "gml-participants.csv";
pub const DYADIC_FILE: &str = "gml-dyadic-dispute-years.csv";

/// The dispute-level fields a dyadic row repeats.
const DISPUTE_FIELDS: [&str; 6] = ["fatality", "hostlev", "mindur", "maxdur", "recip", "stmon"];

/// Dispute numbers as GML assign them.
const DISPNUM: Holds = Holds::Int(1..=99_999);
const CCODE: Holds = Holds::Int(1..=999);
const YEAR: Holds = Holds::Year(YEARS);
/// Days a dispute lasted.
const DURATION: Holds = Holds::Int(1..=100_000);

/// The dispute-level fields (in [`DISPUTE_FIELDS`]' order), as the dispute file gives
/// them and the dyadic file repeats them.
const FATALITY: Column = Column::new("fatality", Holds::Int(-9..=6));
const HOSTLEV: Column = Column::new("hostlev", Holds::Int(1..=5));
const MINDUR: Column = Column::new("mindur", DURATION);
const MAXDUR: Column = Column::new("maxdur", DURATION);
const RECIP: Column = Column::new("recip", Holds::Int(0..=1));
/// GML 2.2.1 gives dispute 1272 (Poland, Latvia, Lithuania, 1918) start month 13.
const STMON: Column = Column::new("stmon", Holds::Int(1..=13));

const DISPUTE_COLUMNS: &[Column] =
    &[Column::new("dispnum", DISPNUM), Column::new("styear", YEAR), FATALITY, HOSTLEV, MINDUR, MAXDUR, RECIP, STMON];
const PARTICIPANT_COLUMNS: &[Column] = &[
    Column::new("dispnum", DISPNUM),
    Column::new("ccode", CCODE),
    Column::new("styear", YEAR),
    Column::new("endyear", YEAR),
    Column::new("sidea", Holds::Flag),
    Column::new("orig", Holds::Flag),
];
const DYADIC_COLUMNS: &[Column] = &[
    Column::new("dispnum", DISPNUM),
    Column::new("ccode1", CCODE),
    Column::new("ccode2", CCODE),
    Column::new("year", YEAR),
    Column::new("gmlmidongoing", Holds::Int(1..=1)),
    Column::new("gmlmidonset", Holds::Flag),
    Column::new("sidea1", Holds::Flag),
    Column::new("sidea2", Holds::Flag),
    FATALITY,
    HOSTLEV,
    MINDUR,
    MAXDUR,
    RECIP,
    STMON,
];

#[derive(Debug, Clone)]
pub struct GmlMids {
    pub participants: Vec<DisputeParticipant>,
    pub dyad_years: Vec<DisputeYear>,
    /// Directed dyad-years with more than one dispute (panels whittle them to one).
    pub shared_dyad_years: usize,
    pub not_placed: Vec<NotPlaced>,
    pub files: Vec<DatasetFile>,
}

/// The dispute-level fields, as a dyadic row must repeat them.
type DisputeLevel = [i64; 6];

pub fn read(dir: &Path, index: &StateIndex, progress: Progress) -> Result<GmlMids, DataErrors> {
    let open = |name, columns| Table::open(&dir.join(name), columns, progress);
    let (mut d_table, mut p_table, mut y_table) = match (
        open(DISPUTE_FILE, DISPUTE_COLUMNS),
        open(PARTICIPANT_FILE, PARTICIPANT_COLUMNS),
        open(DYADIC_FILE, DYADIC_COLUMNS),
    ) {
        (Ok(d), Ok(p), Ok(y)) => (d, p, y),
        (d, p, y) => {
            let errors = [d.err(), p.err(), y.err()].into_iter().flatten().flatten().collect();
            return Err(DataErrors(errors));
        }
    };
    let mut placement = Placement::default();
    let disputes = read_disputes(&mut d_table);
    let participants = read_participants(&mut p_table, &disputes, index, &mut placement);
    let dyad_years = read_dyad_years(&mut y_table, &disputes, &participants, index, &mut placement);
    let mut per_dyad_year: HashMap<(Ccode, Ccode, i32), usize> = HashMap::new();
    for d in &dyad_years {
        *per_dyad_year.entry((d.ccode1, d.ccode2, d.year)).or_default() += 1;
    }
    let shared_dyad_years = per_dyad_year.values().filter(|&&n| n > 1).count();
    let mut files = Vec::new();
    let mut errors: Vec<DataError> = Vec::new();
    for table in [d_table, p_table, y_table] {
        let stem = file_stem(Path::new(&table.file));
        let (file, file_errors) = table.finish(DATASET, &stem);
        files.push(file);
        errors.extend(file_errors);
    }
    if !errors.is_empty() {
        return Err(DataErrors(errors));
    }
    Ok(GmlMids { participants, dyad_years, shared_dyad_years, not_placed: placement.finish(), files })
}

fn dispute_level(row: &mut Row) -> DisputeLevel {
    DISPUTE_FIELDS.map(|field| row.int(field))
}

fn read_disputes(table: &mut Table) -> HashMap<u32, (DisputeLevel, usize)> {
    let mut disputes = HashMap::new();
    while let Some(mut row) = table.next_row() {
        let dispnum: u32 = row.int("dispnum");
        row.year("styear");
        let level = dispute_level(&mut row);
        if (-8..0).contains(&level[0]) {
            row.error("fatality", format!("{} is not a fatality level 0-6 or -9 (unknown)", level[0]));
        }
        if level[2] > level[3] {
            row.error(
                "maxdur",
                format!("the longest duration ({}) is shorter than the shortest ({})", level[3], level[2]),
            );
        }
        if row.failed() {
            continue;
        }
        if let Some((_, first)) = disputes.insert(dispnum, (level, row.line)) {
            row.error("dispnum", format!("duplicate key: dispute {dispnum} is already on line {first}"));
        }
    }
    disputes
}

fn read_participants(
    table: &mut Table,
    disputes: &HashMap<u32, (DisputeLevel, usize)>,
    index: &StateIndex,
    placement: &mut Placement,
) -> Vec<DisputeParticipant> {
    let mut participants: Vec<DisputeParticipant> = Vec::new();
    let mut keys: HashMap<(u32, Ccode, bool, i32), usize> = HashMap::new();
    while let Some(mut row) = table.next_row() {
        let dispnum: u32 = row.int("dispnum");
        let ccode: Ccode = row.int("ccode");
        let start_year = row.year("styear");
        let end_year = row.year("endyear");
        let sidea = row.flag("sidea");
        let orig = row.flag("orig");
        if row.failed() {
            continue;
        }
        if !disputes.contains_key(&dispnum) {
            row.error("dispnum", format!("dispute {dispnum} is not in {DISPUTE_FILE}"));
        }
        if index.get(ccode).is_none() {
            row.error("ccode", format!("ccode {ccode} is not in pactbase's states table (data/states.csv)"));
        }
        if end_year < start_year {
            row.error("endyear", format!("the participation ends ({end_year}) before it starts ({start_year})"));
        }
        // A state may change sides (Germany in dispute 2604, 1919): one row per side.
        if let Some(first) = keys.insert((dispnum, ccode, sidea, start_year), row.line) {
            let message = format!(
                "duplicate key: {ccode} on the same side of dispute {dispnum} from {start_year} is already on line {first}"
            );
            row.error("styear", message);
        }
        if row.failed() {
            continue;
        }
        for year in start_year..=end_year {
            placement.state_year(index, ccode, year, row.line);
        }
        participants.push(DisputeParticipant { dispnum, ccode, start_year, end_year, sidea, orig });
    }
    participants
}

fn read_dyad_years(
    table: &mut Table,
    disputes: &HashMap<u32, (DisputeLevel, usize)>,
    participants: &[DisputeParticipant],
    index: &StateIndex,
    placement: &mut Placement,
) -> Vec<DisputeYear> {
    // (dispute, state, side) -> years it takes part on that side
    let mut sides: HashMap<(u32, Ccode, bool), Vec<(i32, i32)>> = HashMap::new();
    for p in participants {
        sides.entry((p.dispnum, p.ccode, p.sidea)).or_default().push((p.start_year, p.end_year));
    }
    let on_side = |dispnum, ccode, sidea, year| {
        sides.get(&(dispnum, ccode, sidea)).is_some_and(|spans| spans.iter().any(|&(s, e)| s <= year && year <= e))
    };
    let mut rows = Vec::new();
    let mut keys: HashSet<(u32, Ccode, Ccode, i32)> = HashSet::new();
    while let Some(mut row) = table.next_row() {
        let dispnum: u32 = row.int("dispnum");
        let ccode1: Ccode = row.int("ccode1");
        let ccode2: Ccode = row.int("ccode2");
        let year = row.year("year");
        let ongoing: u8 = row.int("gmlmidongoing");
        let onset = row.flag("gmlmidonset");
        let (sidea1, sidea2) = (row.flag("sidea1"), row.flag("sidea2"));
        let level = dispute_level(&mut row);
        if row.failed() || ongoing != 1 {
            continue;
        }
        match disputes.get(&dispnum) {
            None => row.error("dispnum", format!("dispute {dispnum} is not in {DISPUTE_FILE}")),
            Some((expected, line)) => {
                for ((field, got), want) in DISPUTE_FIELDS.iter().zip(level).zip(expected) {
                    if got != *want {
                        let message = format!(
                            "{got} differs from {want}, dispute {dispnum}'s {field} in {DISPUTE_FILE} on line {line}"
                        );
                        row.error(field, message);
                    }
                }
                if sidea1 == sidea2 {
                    row.error("sidea2", "the two states of a dispute dyad are on opposite sides");
                }
                for (column, ccode, sidea) in [("ccode1", ccode1, sidea1), ("ccode2", ccode2, sidea2)] {
                    if !on_side(dispnum, ccode, sidea, year) {
                        let side = if sidea { "A" } else { "B" };
                        let message = format!(
                            "{ccode} is not on side {side} of dispute {dispnum} in {year} in {PARTICIPANT_FILE}"
                        );
                        row.error(column, message);
                    }
                }
            }
        }
        if !keys.insert((dispnum, ccode1, ccode2, year)) {
            row.error("year", format!("duplicate key: dispute {dispnum} {ccode1}-{ccode2} in {year} appears twice"));
        }
        if row.failed() {
            continue;
        }
        placement.dyad_year(index, ccode1, ccode2, year, row.line);
        let [fatality, hostlev, mindur, maxdur, recip, stmon] = level;
        rows.push(DisputeYear {
            dispnum,
            ccode1,
            ccode2,
            year,
            onset,
            fatality: u8::try_from(fatality).ok(),
            hostlev: hostlev as u8,
            mindur: mindur as u32,
            maxdur: maxdur as u32,
            recip: recip == 1,
            stmon: stmon as u8,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::testing::{index, places};

    const D: &str = "dispnum,styear,stmon,outcome,settle,fatality,mindur,maxdur,hiact,hostlev,recip\n";
    const P: &str = "dispnum,ccode,styear,stmon,stday,endyear,endmon,endday,sidea,hiact,orig\n";
    const Y: &str = "dispnum,ccode1,ccode2,year,gmlmidongoing,gmlmidonset,sidea1,sidea2,fatality,hostlev,recip,mindur,maxdur,stmon\n";

    /// A two-year dispute of the US (side A) and Russia, and a -9 fatality dispute of the
    /// US and China.
    fn files() -> [String; 3] {
        [
            format!("{D}10,1990,3,1,1,2,300,400,16,4,1\n11,1995,7,1,1,-9,1,1,7,3,0\n"),
            format!("{P}10,2,1990,3,1,1991,5,1,1,16,1\n10,365,1990,3,1,1991,5,1,0,16,1\n11,2,1995,7,1,1995,7,2,1,7,1\n11,710,1995,7,1,1995,7,2,0,0,1\n"),
            format!(
                "{Y}10,2,365,1990,1,1,1,0,2,4,1,300,400,3\n10,365,2,1990,1,1,0,1,2,4,1,300,400,3\n10,2,365,1991,1,0,1,0,2,4,1,300,400,3\n11,2,710,1995,1,1,1,0,-9,3,0,1,1,7\n"
            ),
        ]
    }

    fn read_files([d, p, y]: &[String; 3]) -> Result<GmlMids, DataErrors> {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [(DISPUTE_FILE, d), (PARTICIPANT_FILE, p), (DYADIC_FILE, y)] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        read(dir.path(), &index(), &|_| {})
    }

    #[test]
    fn reads_the_three_files() {
        let g = read_files(&files()).unwrap();
        assert_eq!((g.participants.len(), g.dyad_years.len(), g.shared_dyad_years), (4, 4, 0));
        assert_eq!(g.dyad_years[3].fatality, None, "-9 is unknown");
        assert!(g.dyad_years[0].onset && !g.dyad_years[2].onset);
        assert_eq!(g.files.len(), 3);
        assert!(g.not_placed.is_empty());
    }

    #[test]
    fn dyadic_rows_must_agree_with_the_dispute_and_its_participants() {
        let [d, p, y] = files();
        let y = format!("{y}10,2,365,1992,1,0,1,0,2,4,1,300,400,3\n11,2,710,1995,1,1,1,0,-9,4,0,1,1,7\n11,2,200,1995,1,1,1,0,-9,3,0,1,1,7\n");
        let err = read_files(&[d, p, y]).unwrap_err();
        let located: Vec<_> = err.0.iter().map(|e| (e.line, e.field.clone())).collect();
        assert_eq!(
            located,
            vec![
                (Some(6), Some("ccode1".into())),
                (Some(6), Some("ccode2".into())),
                (Some(7), Some("year".into())),
                (Some(7), Some("hostlev".into())),
                (Some(8), Some("ccode2".into())),
            ],
            "{err}"
        );
    }

    #[test]
    fn unknown_disputes_and_missing_files_are_named() {
        let [d, p, y] = files();
        let err = read_files(&[d.clone(), format!("{p}12,2,1990,1,1,1990,1,1,1,0,1\n"), y]).unwrap_err();
        assert_eq!(places(&err), vec![(Some(6), Some(1), Some("dispnum".into()))], "{err}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DISPUTE_FILE), d).unwrap();
        let err = read(dir.path(), &index(), &|_| {}).unwrap_err();
        assert_eq!(err.0.len(), 2, "{err}");
    }
}
