use std::time::Instant;
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_store::Store;
#[test]
fn timing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let data = curated::load(&DataFiles::embedded()).unwrap();
    let mut store = Store::open(&db).unwrap();
    store.replace_curated(&data.states, &data.agreements, &data.exercises).unwrap();
    let index = store.state_index().unwrap();
    let t = Instant::now();
    let ties = pactbase_service::alliance_ties(&store, pactbase_service::TieSource::Curated, &index, 2018).unwrap();
    eprintln!("ties {:?}", t.elapsed());
    let t = Instant::now();
    let (system, _) = pactbase_service::system(&store, &index, (1816, 2025)).unwrap();
    eprintln!("system {:?}", t.elapsed());
    let t = Instant::now();
    let net = pactbase_analysis::network::build(system.year(2016).unwrap(), &ties.dyads, pactbase_analysis::network::Level::Any);
    eprintln!("build {:?}", t.elapsed());
    let t = Instant::now();
    let _ = pactbase_analysis::network::measure(&net);
    eprintln!("measure {:?}", t.elapsed());
    let t = Instant::now();
    let _ = pactbase_service::challenges(&store, 770, None).unwrap();
    eprintln!("challenges {:?}", t.elapsed());
}
