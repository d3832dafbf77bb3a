//! SIPRI's arms-transfer tables in the store, on the real export: what is read is what
//! comes back, and importing again stores the same.

use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::sipri_arms;
use pactbase_model::research::Dataset;
use pactbase_store::Store;

#[test]
fn arms_transfers_round_trip_through_the_store() {
    let Some(dir) = pactbase_testdata::shared("sipri/arms-transfers-tiv-1950-2021") else { return };
    let curated = curated::load(&DataFiles::embedded()).unwrap_or_else(|e| panic!("{e}"));
    let mut store = Store::in_memory().unwrap();
    store.replace_curated(&curated.states, &curated.agreements, &curated.exercises, &curated.non_recognition).unwrap();
    assert!(store.sipri_arms().unwrap().transfers.is_empty());
    let index = store.state_index().unwrap();
    let arms = sipri_arms::read(&dir, &index, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..2 {
        store.replace_sipri_arms(&arms.data, &arms.files).unwrap();
        let back = store.sipri_arms().unwrap();
        assert_eq!(back.coverage, arms.data.coverage);
        assert_eq!(back.parties, arms.data.parties);
        let mut sorted = arms.data.transfers.clone();
        sorted.sort_by_key(|t| (t.supplier, t.recipient, t.year));
        assert_eq!(back.transfers, sorted);
    }
    assert!(store.has_dataset(Dataset::SipriArms).unwrap());
    let files = store.datasets().unwrap();
    assert_eq!(files.iter().filter(|f| f.dataset == Dataset::SipriArms).count(), 134);
}
