//! The 1816–2016 directed dyad-year panel with ATOP obligations, derived from the raw
//! ATOP member file and COW states file and written as Parquet, timed end to end with
//! its peak memory. `cargo bench -p pactbase-analysis --bench panel`.
//! Figures go to docs/PERFORMANCE.md.

use std::time::Instant;

use pactbase_analysis::panel::{self, atop_pairs, atop_state_years, DyadTable, Inputs, System, Ties, With};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states};
use pactbase_model::research::Ymd;

mod common;

use common::{peak_mb, ParquetOut};

fn main() {
    let shared = pactbase_testdata::shared_root();
    let index = pactbase_model::StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let out = std::env::temp_dir().join("pactbase-bench-ddy.parquet");
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let quiet = |_: u64| {};
        let atop = atop::read(&shared.join("atop-5.1"), &index, &quiet).unwrap();
        let spells = cow_states::read(&shared.join("cow/states2016.csv"), &index, &quiet).unwrap().spells;
        let is_state = |c| index.get(c).is_some();
        let (infos, pairs) = atop_pairs(&atop.members, &atop.alliances, is_state);
        let dyads = DyadTable::from_pairs(infos, pairs);
        let states = atop_state_years(&atop.members, is_state);
        let system = System::new(&spells, Ymd::new(2016, 12, 31), 1816, 2016);
        let inputs = Inputs {
            system: &system,
            ties: Some(Ties { dyads: &dyads, states: &states, last_year: panel::ATOP_END.year }),
            capabilities: None,
            sipri: None,
            exercises: None,
            rivalries: None,
            arms: None,
        };
        let with = With { atop: true, ..With::default() };
        let mut parquet = ParquetOut::new(&out);
        panel::dyad_years(&inputs, with, (1816, 2016), true, |batch| parquet.write(batch)).unwrap();
        let rows = parquet.finish();
        assert_eq!(rows, 1_912_290);
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "directed dyad-year panel 1816-2016 with ATOP obligations from the raw member file, written as Parquet ({size:.1} MB): median {:.3} s, best {:.3} s over {} runs; peak memory {:.0} MB",
        times[times.len() / 2],
        times[0],
        times.len(),
        peak_mb()
    );
}
