//! The `--with arms` panels: the 1816–2016 directed dyad-year panel with `tiv12`, `tiv21`
//! (null before SIPRI's 1950) and the state-year panel with `tiv_imports`, `tiv_exports`, from the raw
//! SIPRI and COW files, written as Parquet, with peak memory; and the dyadic event study
//! of entry into any ATOP alliance on arms flows over every directed dyad.
//! `cargo bench -p pactbase-analysis --bench arms`. Figures go to docs/PERFORMANCE.md.

use std::time::Instant;

use pactbase_analysis::arms::dyadic::{self, DyadicDesign};
use pactbase_analysis::impact::{ComparisonGroup, Estimator};
use pactbase_analysis::panel::{self, ArmsFlows, Inputs, System, With};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states, sipri_arms};
use pactbase_model::research::Ymd;

mod common;

use common::{peak_mb, ParquetOut};

fn main() {
    let shared = pactbase_testdata::shared_root();
    let index = pactbase_model::StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let out = std::env::temp_dir().join("pactbase-bench-arms.parquet");
    let quiet = |_: u64| {};
    let with = With { arms: true, ..With::default() };
    for (dyadic, expected) in [(true, 1_912_290), (false, 15_951)] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            let arms = sipri_arms::read(&shared.join("sipri/arms-transfers-tiv-1950-2021"), &index, &quiet).unwrap();
            let spells = cow_states::read(&shared.join("cow/states2016.csv"), &index, &quiet).unwrap().spells;
            let flows = ArmsFlows::new(&arms.data);
            let system = System::new(&spells, Ymd::new(2016, 12, 31), 1816, 2016);
            let inputs = Inputs { arms: Some(&flows), ..Inputs::of(&system) };
            let mut parquet = ParquetOut::new(&out);
            let sink = |batch| parquet.write(batch);
            if dyadic {
                panel::dyad_years(&inputs, with, (1816, 2016), true, sink).unwrap();
            } else {
                panel::state_years(&inputs, with, (1816, 2016), sink).unwrap();
            }
            let rows = parquet.finish();
            assert_eq!(rows, expected);
            times.push(start.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let what = if dyadic {
            "directed dyad-year panel 1816-2016 with tiv"
        } else {
            "state-year panel 1816-2016 with tiv_imports, tiv_exports"
        };
        println!(
            "{what}, from the raw SIPRI and COW files, written as Parquet: median {:.3} s, best {:.3} s over {} runs; peak memory so far {:.0} MB",
            times[times.len() / 2],
            times[0],
            times.len(),
            peak_mb()
        );
    }

    let arms = sipri_arms::read(&shared.join("sipri/arms-transfers-tiv-1950-2021"), &index, &quiet).unwrap();
    let spells = cow_states::read(&shared.join("cow/states2016.csv"), &index, &quiet).unwrap().spells;
    let alliances = atop::read(&shared.join("atop-5.1"), &index, &quiet).unwrap().agreements;
    let system = System::new(&spells, Ymd::new(2016, 12, 31), 1950, 2021);
    let design = DyadicDesign {
        window: -5..=10,
        comparison: ComparisonGroup::NeverTreated,
        estimator: Estimator::CallawaySantAnna,
        recipient: None,
    };
    let mut times = Vec::new();
    let mut dyads = 0;
    for _ in 0..3 {
        let start = Instant::now();
        dyads = dyadic::estimate(&arms.data, &system, &alliances, &design).unwrap().dyads;
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "dyadic event study of entry into any ATOP alliance on arms flows, {dyads} directed dyads 1950-2021, Callaway & Sant'Anna: median {:.2} s, best {:.2} s over 3 runs; peak memory so far {:.0} MB",
        times[1],
        times[0],
        peak_mb()
    );
}
