//! Similarity on real years against an independent implementation (Python, SciPy's
//! kendalltau and scikit-learn's cohen_kappa_score): `tools/similarity-crosscheck.py`
//! wrote the fixtures from the same raw files.

use std::collections::HashMap;
use std::path::Path;

use arrow_array::{Array, Float64Array, Int32Array};
use pactbase_analysis::panel::{atop_pairs, Capabilities, DyadTable, System};
use pactbase_analysis::similarity::{self, MEASURES};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states, nmc};
use pactbase_model::research::Ymd;

#[test]
fn measures_agree_with_the_independent_implementation_on_three_years() {
    let (Some(atop_dir), Some(states_file), Some(nmc_file)) = (
        pactbase_testdata::shared("atop-5.1"),
        pactbase_testdata::shared("cow/states2016.csv"),
        pactbase_testdata::shared("cow/nmc-7.0-abridged.csv"),
    ) else {
        return;
    };
    let index = pactbase_model::StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let quiet = |_: u64| {};
    let atop = atop::read(&atop_dir, &index, &quiet).unwrap();
    let spells = cow_states::read(&states_file, &index, &quiet).unwrap().spells;
    let capabilities = Capabilities::new(&nmc::read(&nmc_file, &index, &quiet).unwrap().rows);
    let (infos, pairs) = atop_pairs(&atop.members, &atop.alliances, |c| index.get(c).is_some());
    let dyads = DyadTable::from_pairs(infos, pairs);
    let system = System::new(&spells, Ymd::new(2016, 12, 31), 1816, 2018);

    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for year in [1914, 1962, 2000] {
        let mut ours: HashMap<(i32, i32), Vec<Option<f64>>> = HashMap::new();
        similarity::dyad_years::<arrow_schema::ArrowError>(&system, &dyads, Some(&capabilities), (year, year), |b| {
            let c1 = b.column(0).as_any().downcast_ref::<Int32Array>().unwrap();
            let c2 = b.column(1).as_any().downcast_ref::<Int32Array>().unwrap();
            for i in 0..b.num_rows() {
                let values = (0..MEASURES.len())
                    .map(|m| {
                        let col = b.column(3 + m).as_any().downcast_ref::<Float64Array>().unwrap();
                        col.is_valid(i).then(|| col.value(i))
                    })
                    .collect();
                ours.insert((c1.value(i), c2.value(i)), values);
            }
            Ok(())
        })
        .unwrap();
        let mut reader = csv::Reader::from_path(fixtures.join(format!("similarity-{year}.csv"))).unwrap();
        let headers = reader.headers().unwrap().clone();
        assert_eq!(headers.iter().skip(3).collect::<Vec<_>>(), MEASURES.to_vec());
        for row in reader.records() {
            let row = row.unwrap();
            let key = (row[0].parse().unwrap(), row[1].parse().unwrap());
            let values = ours.get(&key).unwrap_or_else(|| panic!("{year}: dyad {key:?} missing"));
            for (m, name) in MEASURES.iter().enumerate() {
                let theirs: Option<f64> = row[3 + m].parse().ok();
                match (values[m], theirs) {
                    (Some(a), Some(b)) => {
                        assert!((a - b).abs() < 1e-9, "{year} {key:?} {name}: ours {a}, independent {b}")
                    }
                    (a, b) => {
                        assert_eq!(a.is_some(), b.is_some(), "{year} {key:?} {name}: ours {a:?}, independent {b:?}")
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} dyads checked");
}
