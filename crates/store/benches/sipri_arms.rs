//! `pactbase import sipri-arms` without the command line around it: reading and checking
//! SIPRI's 134 supplier tables, then replacing them in a store on disk in one transaction
//! (a fresh store each run). `cargo bench -p pactbase-store --bench sipri_arms`.
//! Figures go to docs/PERFORMANCE.md.

use std::time::Instant;

use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::sipri_arms;
use pactbase_store::Store;

fn median(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

fn main() {
    let dir = pactbase_testdata::shared_root().join("sipri/arms-transfers-tiv-1950-2021");
    let curated = curated::load(&DataFiles::embedded()).unwrap();
    let work = tempfile::tempdir().unwrap();
    let (mut reads, mut imports) = (Vec::new(), Vec::new());
    for run in 0..7 {
        let mut store = Store::open(&work.path().join(format!("bench-{run}.db"))).unwrap();
        store
            .replace_curated(&curated.states, &curated.agreements, &curated.exercises, &curated.non_recognition)
            .unwrap();
        let index = store.state_index().unwrap();
        let start = Instant::now();
        let arms = sipri_arms::read(&dir, &index, &|_| {}).unwrap();
        reads.push(start.elapsed().as_secs_f64());
        store.replace_sipri_arms(&arms.data, &arms.files).unwrap();
        imports.push(start.elapsed().as_secs_f64());
        assert_eq!(store.sipri_arms().unwrap().transfers.len(), 22_225);
    }
    let (read, read_best) = median(reads);
    let (import, import_best) = median(imports);
    println!(
        "SIPRI arms transfers, 134 tables, 22,225 deliveries: reading and checking median {:.1} ms (best {:.1}); \
         with the transactional write to the store median {:.1} ms (best {:.1}), over 7 runs",
        read * 1e3,
        read_best * 1e3,
        import * 1e3,
        import_best * 1e3
    );
}
