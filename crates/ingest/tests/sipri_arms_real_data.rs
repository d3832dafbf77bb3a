//! The SIPRI arms-transfer importer on SIPRI's own export (`../shared/data/sipri/
//! arms-transfers-tiv-1950-2021/`, 134 supplier tables): every cell is stored, every
//! total adds up within SIPRI's rounding, every party that is a COW state resolves, and
//! flows read by hand from the tables come out as written.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::sipri_arms::{self, OutsideSystem, SipriArms};
use pactbase_model::arms::PartyKind;
use pactbase_model::StateIndex;

const DIR: &str = "sipri/arms-transfers-tiv-1950-2021";

fn read() -> Option<(SipriArms, std::path::PathBuf)> {
    let dir = pactbase_testdata::shared(DIR)?;
    let index = StateIndex::new(curated::load(&DataFiles::embedded()).unwrap_or_else(|e| panic!("{e}")).states);
    Some((sipri_arms::read(&dir, &index, &|_| {}).unwrap_or_else(|e| panic!("{e}")), dir))
}

/// One supplier table read plainly, independently of the importer: the supplier's name,
/// each recipient's cells with the row's Total, and the table's total.
struct Plain {
    supplier: String,
    rows: Vec<(String, Vec<f64>, f64)>,
    total: f64,
}

fn plain(path: &Path) -> Plain {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_path(path).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let title = &records[0][0];
    let supplier = title["TIV of arms exports from ".len()..title.rfind(", ").unwrap()].to_owned();
    let number = |s: &str| s.parse::<f64>().unwrap();
    let mut rows = Vec::new();
    let mut total = f64::NAN;
    for r in &records[11..] {
        let last = r.len() - 1;
        match &r[0] {
            "" => {}
            "Total" => total = number(&r[last]),
            name => {
                let cells = (1..last).filter(|&i| !r[i].is_empty()).map(|i| number(&r[i])).collect();
                rows.push((name.to_owned(), cells, number(&r[last])));
            }
        }
    }
    Plain { supplier, rows, total }
}

#[test]
fn every_cell_is_stored_and_every_total_adds_up() {
    let Some((arms, dir)) = read() else { return };
    assert_eq!(arms.files.len(), 134);
    assert!(arms.files.iter().all(|f| f.version == "28 July 2022" && f.sha256.len() == 64));
    assert_eq!(arms.data.coverage, (1950, 2021));
    assert!(arms.mismatches.is_empty(), "{:?}", arms.mismatches);

    let mut stored: HashMap<(&str, &str), (f64, usize)> = HashMap::new();
    for t in &arms.data.transfers {
        let e = stored.entry((&arms.data.party(t.supplier).name, &arms.data.party(t.recipient).name)).or_default();
        e.0 += t.tiv;
        e.1 += 1;
    }
    let mut cells = 0;
    for path in sipri_arms::files(&dir).unwrap() {
        let table = plain(&path);
        let (mut supplier_sum, mut supplier_cells) = (0.0, 0);
        for (recipient, values, row_total) in &table.rows {
            let (sum, n) = stored.get(&(table.supplier.as_str(), recipient.as_str())).copied().unwrap_or_default();
            // Every cell, exactly; and the row within SIPRI's rounding of its Total.
            assert_eq!((sum, n), (values.iter().sum(), values.len()), "{} → {recipient}", table.supplier);
            assert!((sum - row_total).abs() <= (n as f64 + 1.0) / 2.0, "{} → {recipient}", table.supplier);
            supplier_sum += sum;
            supplier_cells += n;
        }
        // The importer's total per supplier is SIPRI's Total, within rounding.
        let rounding = (supplier_cells as f64 + 1.0) / 2.0;
        assert!(
            (supplier_sum - table.total).abs() <= rounding,
            "{}: {supplier_sum} vs {}",
            table.supplier,
            table.total
        );
        cells += supplier_cells;
    }
    assert_eq!(arms.data.transfers.len(), cells);
    assert_eq!(cells, 22_225);
}

/// TIV by decade of one directed flow, from the stored transfers.
fn by_decade(arms: &SipriArms, supplier: &str, recipient: &str) -> BTreeMap<i32, f64> {
    let mut out = BTreeMap::new();
    for t in &arms.data.transfers {
        if arms.data.party(t.supplier).name == supplier && arms.data.party(t.recipient).name == recipient {
            *out.entry(t.year / 10 * 10).or_insert(0.0) += t.tiv;
        }
    }
    out
}

#[test]
fn known_flows_match_the_tables_read_by_hand() {
    let Some((arms, _)) = read() else { return };
    // Summed by hand from the Pakistan row of TIV-Export-CHI-1950-2021.csv (Total 17257).
    let china = [
        (1960, 1058.0),
        (1970, 1900.0),
        (1980, 2288.0),
        (1990, 2380.0),
        (2000, 2309.0),
        (2010, 6034.0),
        (2020, 1294.0),
    ];
    assert_eq!(by_decade(&arms, "China", "Pakistan"), BTreeMap::from(china));
    // The Pakistan row of TIV-Export-USA-1950-2021.csv (Total 8514): 1950s aid, the 1980s
    // Afghan war, the 2000s.
    let usa = [
        (1950, 1112.0),
        (1960, 494.0),
        (1970, 472.0),
        (1980, 2521.0),
        (1990, 517.0),
        (2000, 1300.0),
        (2010, 2091.0),
        (2020, 12.0),
    ];
    assert_eq!(by_decade(&arms, "United States", "Pakistan"), BTreeMap::from(usa));
    // The India row of TIV-Export-USR-1950-2021.csv (Total 42303), through 1991.
    let ussr = [(1950, 8.0), (1960, 6202.0), (1970, 10457.0), (1980, 22245.0), (1990, 3392.0)];
    assert_eq!(by_decade(&arms, "Soviet Union", "India"), BTreeMap::from(ussr));
    // Both are COW codes: the Soviet Union is Russia's code, 365.
    let t = arms.data.transfers.iter().find(|t| arms.data.party(t.supplier).name == "Soviet Union").unwrap();
    assert_eq!(t.supplier_ccode, Some(365));
}

#[test]
fn every_state_resolves_and_the_rest_keep_their_names() {
    let Some((arms, _)) = read() else { return };
    assert!(arms.unresolved.is_empty(), "{:?}", arms.unresolved);
    let of_kind = |kind| -> BTreeSet<&str> {
        arms.data.parties.iter().filter(|p| p.kind == kind).map(|p| p.name.as_str()).collect()
    };
    let other =
        BTreeSet::from(["Aruba", "Biafra", "Katanga", "Libya GNC", "Northern Cyprus", "Palestine", "Western Sahara"]);
    assert_eq!(of_kind(PartyKind::Other), other);
    assert_eq!(of_kind(PartyKind::Unidentified), BTreeSet::from(["Unknown recipient(s)", "Unknown supplier(s)"]));
    let organisations =
        ["African Union**", "European Union**", "NATO**", "OSCE**", "Regional Security System**", "United Nations**"];
    assert_eq!(of_kind(PartyKind::Organisation), BTreeSet::from(organisations));
    assert_eq!(of_kind(PartyKind::NonState).len(), 54);
    assert_eq!(of_kind(PartyKind::State).len(), 194);
    assert_eq!(arms.data.parties.len(), 263);
    // A state party always carries its code; the others never do.
    for t in &arms.data.transfers {
        for (party, ccode) in [(t.supplier, t.supplier_ccode), (t.recipient, t.recipient_ccode)] {
            assert_eq!(arms.data.party(party).kind == PartyKind::State, ccode.is_some());
        }
    }
    // SIPRI's Germany is West Germany (260) until 1989, united Germany (255) after;
    // East Germany resolves through its SIPRI name.
    let germany = |year| {
        let t = arms.data.transfers.iter().find(|t| arms.data.party(t.supplier).name == "Germany" && t.year == year);
        t.and_then(|t| t.supplier_ccode)
    };
    assert_eq!((germany(1989), germany(1991)), (Some(260), Some(255)));
    assert!(arms.data.transfers.iter().any(|t| t.recipient_ccode == Some(265)));
}

#[test]
fn deliveries_outside_the_state_system_are_kept_and_listed() {
    let Some((arms, _)) = read() else { return };
    let outside: Vec<(&str, &str, u16, usize, i32, i32)> = arms
        .outside_system
        .iter()
        .map(|o: &OutsideSystem| (o.role, o.name.as_str(), o.ccode, o.deliveries, o.first_year, o.last_year))
        .collect();
    // Before independence or COW entry (Brunei 1984, the Gulf states 1961–71, the Pacific
    // states), the Federation of Rhodesia before Zimbabwe's entry in 1965, West Germany
    // before 1955, Syria in its union with Egypt, Croatia and Slovenia in 1991.
    assert_eq!(
        outside,
        vec![
            ("recipient", "Algeria", 615, 1, 1961, 1961),
            ("recipient", "Angola", 540, 1, 1974, 1974),
            ("recipient", "Austria", 305, 1, 1953, 1953),
            ("recipient", "Bahrain", 692, 2, 1965, 1966),
            ("recipient", "Bhutan", 760, 1, 1968, 1968),
            ("recipient", "Brunei", 835, 29, 1965, 1983),
            ("recipient", "Croatia", 344, 1, 1991, 1991),
            ("recipient", "East Germany (GDR)", 265, 4, 1950, 1953),
            ("recipient", "Kiribati", 946, 1, 1994, 1994),
            ("recipient", "Kuwait", 690, 5, 1953, 1960),
            ("recipient", "Marshall Islands", 983, 1, 1988, 1988),
            ("recipient", "Micronesia", 987, 3, 1989, 1990),
            ("recipient", "Nigeria", 475, 1, 1959, 1959),
            ("recipient", "Oman", 698, 11, 1959, 1970),
            ("recipient", "Palau", 986, 1, 1990, 1990),
            ("recipient", "Qatar", 694, 3, 1968, 1970),
            ("recipient", "Singapore", 830, 1, 1956, 1956),
            ("recipient", "Slovenia", 349, 1, 1991, 1991),
            ("recipient", "South Sudan", 626, 4, 2007, 2010),
            ("recipient", "South Vietnam", 817, 1, 1953, 1953),
            ("recipient", "Syria", 652, 2, 1959, 1960),
            ("recipient", "Tonga", 955, 5, 1986, 1996),
            ("recipient", "Tuvalu", 947, 1, 1994, 1994),
            ("recipient", "UAE", 696, 6, 1968, 1970),
            ("recipient", "Zimbabwe", 552, 13, 1950, 1963),
            ("supplier", "Germany", 260, 3, 1953, 1954),
            ("supplier", "Zimbabwe", 552, 1, 1964, 1964),
        ]
    );
}
