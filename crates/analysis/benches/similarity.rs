//! Every similarity measure for every directed dyad-year 1816–2018 from the raw ATOP,
//! COW and NMC files. `cargo bench -p pactbase-analysis --bench similarity`.
//! Figures go to docs/PERFORMANCE.md.

use std::time::Instant;

use pactbase_analysis::panel::{atop_pairs, Capabilities, DyadTable, System};
use pactbase_analysis::similarity;
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states, nmc};
use pactbase_model::research::Ymd;

fn main() {
    let shared = pactbase_testdata::shared_root();
    let index = pactbase_model::StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let quiet = |_: u64| {};
    let start = Instant::now();
    let atop = atop::read(&shared.join("atop-5.1"), &index, &quiet).unwrap();
    let spells = cow_states::read(&shared.join("cow/states2016.csv"), &index, &quiet).unwrap().spells;
    let capabilities =
        Capabilities::new(&nmc::read(&shared.join("cow/nmc-7.0-abridged.csv"), &index, &quiet).unwrap().rows);
    let read = start.elapsed();
    let (infos, pairs) = atop_pairs(&atop.members, &atop.alliances, |c| index.get(c).is_some());
    let dyads = DyadTable::from_pairs(infos, pairs);
    let system = System::new(&spells, Ymd::new(2016, 12, 31), 1816, 2018);
    let mut rows = 0;
    let compute = Instant::now();
    similarity::dyad_years::<arrow_schema::ArrowError>(&system, &dyads, Some(&capabilities), (1816, 2018), |b| {
        rows += b.num_rows();
        Ok(())
    })
    .unwrap();
    let computed = compute.elapsed();
    println!(
        "similarity 1816-2018: {rows} directed dyad-years x {} measures in {:.2} s (reading raw files {:.2} s, total {:.2} s, {} threads)",
        similarity::MEASURES.len(),
        computed.as_secs_f64(),
        read.as_secs_f64(),
        start.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
}
