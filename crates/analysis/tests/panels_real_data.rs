//! Panels on the real reference files: the dyad-year frame is the field's standard and
//! ATOP's state-year file is reproduced row by row, apart from listed, explained rows.

use std::collections::{BTreeMap, BTreeSet};

use arrow_array::{Array, Int32Array};
use pactbase_analysis::panel::{self, atop_state_years, Inputs, System, With};
use pactbase_model::research::{AtopMember, AtopObligations, SystemSpell, Ymd};

fn records(rel: &str) -> Option<(csv::StringRecord, Vec<csv::StringRecord>)> {
    let path = pactbase_testdata::shared(rel)?;
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    Some((headers, reader.records().map(Result::unwrap).collect()))
}

fn col(headers: &csv::StringRecord, name: &str) -> usize {
    headers.iter().position(|h| h == name).unwrap()
}

fn spells() -> Option<Vec<SystemSpell>> {
    let (h, rows) = records("cow/states2016.csv")?;
    let n = |r: &csv::StringRecord, c: &str| r[col(&h, c)].parse::<i32>().unwrap();
    Some(
        rows.iter()
            .map(|r| SystemSpell {
                ccode: n(r, "ccode") as u16,
                start: Ymd::new(n(r, "styear"), n(r, "stmonth") as u8, n(r, "stday") as u8),
                end: Ymd::new(n(r, "endyear"), n(r, "endmonth") as u8, n(r, "endday") as u8),
            })
            .collect(),
    )
}

fn members() -> Option<Vec<AtopMember>> {
    let (h, rows) = records("atop-5.1/atop5_1m.csv")?;
    // ATOP leaves a few entry and exit days blank (unknown): 0 here.
    let n = |r: &csv::StringRecord, c: &str| r[col(&h, c)].parse::<i32>().unwrap_or(0);
    Some(
        rows.iter()
            .map(|r| AtopMember {
                atopid: n(r, "atopid") as u32,
                ccode: n(r, "member") as u16,
                phase: n(r, "phase") as u8,
                entry: Ymd::new(n(r, "yrent"), n(r, "moent") as u8, n(r, "dayent") as u8),
                exit: (n(r, "yrexit") != 0)
                    .then(|| Ymd::new(n(r, "yrexit"), n(r, "moexit") as u8, n(r, "dayexit") as u8)),
                obligations: AtopObligations {
                    defense: n(r, "defense") == 1,
                    offense: n(r, "offense") == 1,
                    neutral: n(r, "neutral") == 1,
                    nonagg: n(r, "nonagg") == 1,
                    consul: n(r, "consul") == 1,
                },
                obvary: n(r, "obvary") == 1,
            })
            .collect(),
    )
}

const COW_END: Ymd = Ymd::new(2016, 12, 31);

#[test]
fn directed_dyad_year_frame_1816_2016_has_the_standard_row_count() {
    let Some(spells) = spells() else { return };
    let system = System::new(&spells, COW_END, 1816, 2016);
    let inputs = Inputs {
        system: &system,
        ties: None,
        capabilities: None,
        sipri: None,
        exercises: None,
        rivalries: None,
        arms: None,
    };
    let mut rows = 0;
    let mut surinam_south_vietnam_1975 = false;
    panel::dyad_years::<arrow_schema::ArrowError>(&inputs, With::default(), (1816, 2016), true, |b| {
        rows += b.num_rows();
        let c1 = b.column(0).as_any().downcast_ref::<Int32Array>().unwrap();
        let c2 = b.column(1).as_any().downcast_ref::<Int32Array>().unwrap();
        let y = b.column(2).as_any().downcast_ref::<Int32Array>().unwrap();
        surinam_south_vietnam_1975 |=
            (0..b.num_rows()).any(|i| y.value(i) == 1975 && c1.value(i) == 115 && c2.value(i) == 817);
        Ok(())
    })
    .unwrap();
    assert_eq!(rows, 1_912_290);
    assert!(!surinam_south_vietnam_1975, "states that never share a day of 1975 form no dyad");
    let mut undirected = 0;
    panel::dyad_years::<arrow_schema::ArrowError>(&inputs, With::default(), (1816, 2016), false, |b| {
        undirected += b.num_rows();
        Ok(())
    })
    .unwrap();
    assert_eq!(undirected * 2, 1_912_290);
}

/// ATOP 5.1's state-year file, row by row. The rows that differ, and why:
/// - Annam (8152) is outside the COW system; the state-year file leaves it out, as we do.
/// - Six state-years in which an alliance changed phase mid-year and the earlier phase
///   carried an obligation the later one dropped: ATOP's file keeps only the later
///   phase's obligations; the codebook (§2.5) defines the variable as an obligation held
///   "during the year", so pactbase keeps it.
#[test]
fn state_year_ties_reproduce_atop_state_year_file() {
    let (Some(members), Some((h, rows))) = (members(), records("atop-5.1/atop5_1sy.csv")) else { return };
    let table = atop_state_years(&members, |c| c < 1000);
    let ours: BTreeMap<(u16, i32), _> = table.rows.iter().map(|r| ((r.ccode, r.year), r)).collect();
    let mut differences = BTreeSet::new();
    let mut theirs_keys = BTreeSet::new();
    for r in &rows {
        let n = |c: &str| r[col(&h, c)].parse::<i32>().unwrap();
        let key = (n("state") as u16, n("year"));
        theirs_keys.insert(key);
        let Some(o) = ours.get(&key) else {
            differences.insert((key, "missing"));
            continue;
        };
        let ob = [
            o.obligations.defense,
            o.obligations.offense,
            o.obligations.neutral,
            o.obligations.nonagg,
            o.obligations.consul,
        ];
        let theirs_ob = ["defense", "offense", "neutral", "nonagg", "consul"].map(|c| n(c) == 1);
        if ob != theirs_ob {
            differences.insert((key, "obligations"));
        }
        let ids: BTreeSet<u32> = (1..=59).filter_map(|i| r[col(&h, &format!("atopid{i}"))].parse().ok()).collect();
        let our_ids: BTreeSet<u32> = table.labels(o).map(|l| l.parse().unwrap()).collect();
        if ids != our_ids || n("number") as usize != o.alliances.len() {
            differences.insert((key, "alliances"));
        }
        if (n("transyr") == 1) != o.transition {
            differences.insert((key, "transyr"));
        }
    }
    for key in ours.keys().filter(|k| !theirs_keys.contains(k)) {
        differences.insert((*key, "extra"));
    }
    let expected: BTreeSet<((u16, i32), &str)> =
        [(90, 1888), (91, 1888), (92, 1888), (94, 1888), (140, 1857), (740, 1905)]
            .into_iter()
            .map(|k| (k, "obligations"))
            .collect();
    assert_eq!(differences, expected);
    assert_eq!(rows.len(), ours.len());
}
