//! The alliance-study covariates on the real files (../shared/data), hand-checked
//! dyad-years: USA–Canada's land border, India–Pakistan's disputes of 1965 and 1999 and
//! their peace years, capitals that moved (Karachi → Rawalpindi → Islamabad, Rio →
//! Brasília), major powers, shared IGOs and the years each dataset does not cover.

use std::collections::HashMap;

use arrow_array::{Array, Float64Array, Int32Array, RecordBatch};
use pactbase_analysis::panel::{
    self, great_circle_km, Capitals, Contiguity, Disputes, DyadYearValues, Inputs, Majors, System, With,
};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{capitals, contiguity, cow_states, gml, igos, majors, mindist};
use pactbase_model::research::Ymd;
use pactbase_model::{Ccode, StateIndex};

/// One panel row: column name -> value (None: null).
type Row = HashMap<String, Option<f64>>;

const EVERY_COVARIATE: With = With {
    contiguity: true,
    capdist: true,
    mindist: true,
    majors: true,
    mids: true,
    peaceyears: true,
    igos: true,
    atop: false,
    nmc: false,
    mme: false,
    rivalry: false,
    sipri: false,
    arms: false,
};

/// The directed panel over `years` with every covariate, rows of `dyads` only.
fn panel_rows(years: (i32, i32), dyads: &[(Ccode, Ccode)]) -> Option<HashMap<(Ccode, Ccode, i32), Row>> {
    let shared = |rel| pactbase_testdata::shared(rel);
    let index = StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let quiet = |_: u64| {};
    let spells = cow_states::read(&shared("cow/states2016.csv")?, &index, &quiet).unwrap().spells;
    let contiguity =
        Contiguity::new(&contiguity::read(&shared("cow/contdir-3.2.csv")?, &index, &quiet).unwrap().spells);
    let capitals = Capitals::new(&capitals::read(&shared("cow/capitals.csv")?, &index, &quiet).unwrap().capitals);
    let mindist = mindist::read(&shared("cow/mindist-cshapes-2.csv")?, &index, &quiet).unwrap().rows;
    let mindist = DyadYearValues::new(mindist.iter().map(|d| ((d.year, d.ccode1, d.ccode2), d.km)).collect());
    let majors = Majors::new(&majors::read(&shared("cow/majors2016.csv")?, &index, &quiet).unwrap().spells);
    let g = gml::read(&shared("gml-mid-2.2.1")?, &index, &quiet).unwrap();
    let disputes = Disputes::new(&g.dyad_years, &g.participants, 1816);
    let igos = igos::read(&shared("cow/igo-3-dyadic.csv")?, &index, &quiet).unwrap().rows;
    let igos = DyadYearValues::new(igos.iter().map(|d| ((d.year, d.ccode1, d.ccode2), d.dyadigos)).collect());
    let system = System::new(&spells, Ymd::new(2016, 12, 31), 1816, years.1);
    let inputs = Inputs {
        contiguity: Some(&contiguity),
        capitals: Some(&capitals),
        mindist: Some(&mindist),
        majors: Some(&majors),
        disputes: Some(&disputes),
        igos: Some(&igos),
        ..Inputs::of(&system)
    };
    let mut rows = HashMap::new();
    panel::dyad_years::<arrow_schema::ArrowError>(&inputs, EVERY_COVARIATE, years, true, |b| {
        collect(&b, dyads, &mut rows);
        Ok(())
    })
    .unwrap();
    Some(rows)
}

fn collect(b: &RecordBatch, dyads: &[(Ccode, Ccode)], rows: &mut HashMap<(Ccode, Ccode, i32), Row>) {
    let ints = |i: usize| b.column(i).as_any().downcast_ref::<Int32Array>().unwrap().clone();
    let (c1, c2, y) = (ints(0), ints(1), ints(2));
    for r in 0..b.num_rows() {
        let key = (c1.value(r) as Ccode, c2.value(r) as Ccode, y.value(r));
        if !dyads.contains(&(key.0, key.1)) {
            continue;
        }
        let mut row = Row::new();
        for (i, field) in b.schema().fields().iter().enumerate().skip(3) {
            let col = b.column(i);
            let value = if col.is_null(r) {
                None
            } else if let Some(f) = col.as_any().downcast_ref::<Float64Array>() {
                Some(f.value(r))
            } else if let Some(i) = col.as_any().downcast_ref::<Int32Array>() {
                Some(f64::from(i.value(r)))
            } else {
                continue; // lists (atop_ids) are read apart
            };
            row.insert(field.name().clone(), value);
        }
        rows.insert(key, row);
    }
}

const USA: Ccode = 2;
const CAN: Ccode = 20;
const BRA: Ccode = 140;
const ARG: Ccode = 160;
const IND: Ccode = 750;
const PAK: Ccode = 770;

fn value(rows: &HashMap<(Ccode, Ccode, i32), Row>, dyad: (Ccode, Ccode), year: i32, column: &str) -> Option<f64> {
    let row = rows.get(&(dyad.0, dyad.1, year)).unwrap_or_else(|| panic!("no row {dyad:?} {year}"));
    *row.get(column).unwrap_or_else(|| panic!("no column {column}"))
}

#[test]
fn hand_checked_dyad_years() {
    let dyads = [(USA, CAN), (CAN, USA), (IND, PAK), (PAK, IND), (BRA, ARG)];
    let Some(rows) = panel_rows((1816, 2020), &dyads) else { return };
    let v = |d, y, c| value(&rows, d, y, c);

    // USA–Canada: a land border from Canada's entry (1920) to COW's last year, then unknown.
    assert_eq!(v((USA, CAN), 1920, "conttype"), Some(1.0));
    assert_eq!(v((CAN, USA), 2016, "conttype"), Some(1.0));
    assert_eq!(v((USA, CAN), 2017, "conttype"), None);
    assert_eq!(v((USA, CAN), 1990, "mindist"), Some(0.0));
    assert_eq!(v((USA, CAN), 1920, "dyadigos"), Some(7.0));
    assert_eq!(v((CAN, USA), 1990, "dyadigos"), Some(67.0));
    assert_eq!(v((USA, CAN), 2015, "dyadigos"), None, "COW IGO 3.0 ends in 2014");
    assert_eq!((v((USA, CAN), 1990, "cowmaj1"), v((USA, CAN), 1990, "cowmaj2")), (Some(1.0), Some(0.0)));
    assert_eq!(v((CAN, USA), 2020, "cowmaj2"), Some(1.0), "major-power spells go on past 2016 as the system's do");

    // India–Pakistan: the 1965 war's dispute and the 1999 Kargil dispute are onsets.
    for (year, dispnum) in [(1965, 2631.0), (1999, 4223.0)] {
        for dyad in [(IND, PAK), (PAK, IND)] {
            assert_eq!(v(dyad, year, "gmlmidonset"), Some(1.0), "{dyad:?} {year}");
            assert_eq!(v(dyad, year, "gmlmidongoing"), Some(1.0));
            assert_eq!(v(dyad, year, "dispnum"), Some(dispnum));
        }
    }
    assert_eq!(v((IND, PAK), 2000, "gmlmidonset"), Some(0.0), "Kargil goes on into 2000");
    assert_eq!(v((IND, PAK), 2000, "gmlmidongoing"), Some(1.0));
    assert_eq!(v((IND, PAK), 1953, "gmlmidongoing"), Some(0.0));
    assert_eq!(v((IND, PAK), 2011, "gmlmidongoing"), None, "GML 2.2.1 ends in 2010");
    assert_eq!(v((IND, PAK), 1965, "conttype"), Some(1.0));

    // Peace years reset by every dispute, counted as add_peace_years() counts them.
    let spells: Vec<Option<f64>> = (1947..=1995).map(|y| v((IND, PAK), y, "gmlmidspell")).collect();
    let expected = [
        0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0,
        0, 0, 0, 0, 0, 1, 2, 0, 0, 1, 0, 0,
    ];
    assert_eq!(spells, expected.map(|s| Some(f64::from(s))).to_vec());
    assert_eq!(v((PAK, IND), 2008, "gmlmidspell"), Some(2.0));
    assert_eq!(v((PAK, IND), 2011, "gmlmidspell"), None);

    // Capitals as of each year's first day: Karachi in 1959, Rawalpindi from 1960 (moved
    // 13 June 1959), Islamabad from 1968 (14 August 1967).
    let karachi = (24.8546842, 67.0207055);
    let rawalpindi = (33.5914237, 73.0535122);
    let islamabad = (33.6938118, 73.0651511);
    let delhi = (28.6430858, 77.2192671);
    for (year, capital) in [(1959, karachi), (1960, rawalpindi), (1967, rawalpindi), (1968, islamabad)] {
        let km = v((PAK, IND), year, "capdist").unwrap();
        assert!((km - haversine_km(capital, delhi)).abs() < 1e-6, "{year}: {km}");
    }
    // Brazil: Rio de Janeiro to 21 April 1960, Brasília after (the file's coordinates).
    let (rio, brasilia, buenos_aires) = ((-22.9110137, -43.2093727), (-10.3333333, -53.2), (-34.6083696, -58.4440583));
    assert!((v((BRA, ARG), 1960, "capdist").unwrap() - haversine_km(rio, buenos_aires)).abs() < 1e-6);
    assert!((v((BRA, ARG), 1961, "capdist").unwrap() - haversine_km(brasilia, buenos_aires)).abs() < 1e-6);
    // On geosphere's sphere of radius 6,378,137 m (the equatorial radius, as peacesciencer uses it).
    assert!((great_circle_km(karachi, delhi) - 1097.47).abs() < 0.01);
}

/// The haversine formula on the same sphere, independent of the panel's Vincenty form.
fn haversine_km((lat1, lng1): (f64, f64), (lat2, lng2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = (p2 - p1, (lng2 - lng1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_378_137.0 * h.sqrt().asin() / 1000.0
}

#[test]
fn peace_years_do_not_depend_on_the_years_asked_for() {
    let Some(whole) = panel_rows((1816, 2010), &[(IND, PAK)]) else { return };
    let Some(late) = panel_rows((1975, 1985), &[(IND, PAK)]) else { return };
    for year in 1975..=1985 {
        assert_eq!(late[&(IND, PAK, year)]["gmlmidspell"], whole[&(IND, PAK, year)]["gmlmidspell"], "{year}");
    }
}

/// Issue 21.5: the alliance outcome's own columns, from ATOP's member file.
#[test]
fn alliance_onsets_of_pakistan_and_the_united_states() {
    use arrow_array::ListArray;
    use pactbase_analysis::panel::{atop_pairs, atop_state_years, DyadTable};
    use pactbase_ingest::research::atop;

    let Some(dir) = pactbase_testdata::shared("atop-5.1") else { return };
    let Some(states) = pactbase_testdata::shared("cow/states2016.csv") else { return };
    let index = StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let quiet = |_: u64| {};
    let a = atop::read(&dir, &index, &quiet).unwrap();
    let is_state = |c| index.get(c).is_some();
    let (infos, pairs) = atop_pairs(&a.members, &a.alliances, is_state);
    let dyads = DyadTable::from_pairs(infos, pairs);
    let states_table = atop_state_years(&a.members, is_state);
    let system =
        System::new(&cow_states::read(&states, &index, &quiet).unwrap().spells, Ymd::new(2016, 12, 31), 1816, 1960);
    let inputs = Inputs {
        ties: Some(panel::Ties { dyads: &dyads, states: &states_table, last_year: panel::ATOP_END.year }),
        ..Inputs::of(&system)
    };
    let with = With { atop: true, ..With::default() };
    let mut rows: HashMap<(Ccode, Ccode, i32), (Row, Vec<i32>)> = HashMap::new();
    panel::dyad_years::<arrow_schema::ArrowError>(&inputs, with, (1950, 1960), true, |b| {
        let mut plain = HashMap::new();
        collect_ids(&b, &mut plain, &mut rows);
        Ok(())
    })
    .unwrap();
    let get = |d: (Ccode, Ccode), y: i32, c: &str| rows[&(d.0, d.1, y)].0[c];
    let one = Some(1.0);
    // SEATO (3260), 1954: both owe each other defense.
    for d in [(USA, PAK), (PAK, USA)] {
        assert_eq!((get(d, 1954, "atop_onset"), get(d, 1954, "atop_defense_onset")), (one, one), "{d:?}");
        assert_eq!(get(d, 1954, "atop_alliance"), one);
        assert_eq!(get(d, 1955, "atop_onset"), Some(0.0), "the Baghdad Pact (3275) has no US member");
    }
    // The 1959 bilateral agreement (3355): the United States owes Pakistan defense, not back.
    assert_eq!((get((USA, PAK), 1959, "atop_onset"), get((USA, PAK), 1959, "atop_defense_onset")), (one, one));
    assert_eq!((get((PAK, USA), 1959, "atop_onset"), get((PAK, USA), 1959, "atop_defense_onset")), (one, Some(0.0)));
    // Years since the last onset, counted from Pakistan's entry in 1947.
    let spells: Vec<Option<f64>> = (1950..=1960).map(|y| get((PAK, USA), y, "atop_onset_spell")).collect();
    assert_eq!(spells, [3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 0].map(|s| Some(f64::from(s))).to_vec());
    // atop_ids is a list of atopids in Parquet (issue 21.5).
    assert_eq!(rows[&(PAK, USA, 1960)].1, vec![3260, 3355]);

    fn collect_ids(
        b: &RecordBatch,
        plain: &mut HashMap<(Ccode, Ccode, i32), Row>,
        rows: &mut HashMap<(Ccode, Ccode, i32), (Row, Vec<i32>)>,
    ) {
        collect(b, &[(USA, PAK), (PAK, USA)], plain);
        let ids = b.column_by_name("atop_ids").unwrap().as_any().downcast_ref::<ListArray>().unwrap();
        let ints = |i: usize| b.column(i).as_any().downcast_ref::<Int32Array>().unwrap().clone();
        let (c1, c2, y) = (ints(0), ints(1), ints(2));
        for r in 0..b.num_rows() {
            let key = (c1.value(r) as Ccode, c2.value(r) as Ccode, y.value(r));
            if let Some(row) = plain.remove(&key) {
                let list = ids.value(r);
                let list = list.as_any().downcast_ref::<Int32Array>().unwrap().values().to_vec();
                rows.insert(key, (row, list));
            }
        }
    }
}
