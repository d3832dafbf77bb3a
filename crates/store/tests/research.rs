//! Research datasets in the store, on the real files: importing is idempotent, a failed
//! import changes nothing, and ATOP's alliances are listed beside the curated agreements
//! without duplicates whichever of `init` and `import atop` comes first.

use std::collections::BTreeSet;

use pactbase_ingest::curated::{self, Curated, DataFiles};
use pactbase_ingest::research::{atop, mme, nmc, rivalries, sipri};
use pactbase_model::research::{Dataset, DatasetFile};
use pactbase_model::{StateIndex, Vocabulary};
use pactbase_store::{AgreementFilter, Store};

fn curated() -> Curated {
    curated::load(&DataFiles::embedded()).unwrap_or_else(|e| panic!("{e}"))
}

fn initialised(data: &Curated) -> Store {
    let mut store = Store::in_memory().unwrap();
    store.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition).unwrap();
    store
}

fn read_atop(index: &StateIndex) -> Option<atop::Atop> {
    let dir = pactbase_testdata::shared("atop-5.1")?;
    Some(atop::read(&dir, index, &|_| {}).unwrap_or_else(|e| panic!("{e}")))
}

fn import_atop(store: &mut Store, a: &atop::Atop) -> usize {
    store.replace_atop(&a.alliances, &a.phases, &a.members, &a.agreements, &a.files).unwrap()
}

/// (id, origin-revealing prefix) of every agreement that carries an atopid.
fn atop_listing(store: &Store) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = store
        .agreements(&AgreementFilter::default())
        .unwrap()
        .into_iter()
        .filter_map(|a| a.atopid.map(|id| (id, a.id)))
        .collect();
    out.sort();
    out
}

fn without_time(mut files: Vec<DatasetFile>) -> Vec<DatasetFile> {
    for f in &mut files {
        assert!(f.imported_at.is_some());
        f.imported_at = None;
    }
    files
}

#[test]
fn importing_twice_stores_the_same_contents() {
    let data = curated();
    let mut store = initialised(&data);
    let index = StateIndex::new(data.states.clone());
    let Some(a) = read_atop(&index) else { return };
    let paths = [
        "cow/nmc-7.0-abridged.csv",
        "mme-7/mme_v7.csv",
        "sipri/sipri-milex-constant-2017usd.csv",
        "rivalries/tss-strategic-rivalries.csv",
    ];
    let Some(Ok([n, m, s, r])) =
        paths.map(pactbase_testdata::shared).into_iter().collect::<Option<Vec<_>>>().map(<[_; 4]>::try_from)
    else {
        return;
    };
    let n = nmc::read(&n, &index, &|_| {}).unwrap();
    let m = mme::read(&m, &index, &|_| {}).unwrap();
    let s = sipri::read(&s, &index, &|_| {}).unwrap();
    let r = rivalries::read(&r, &index, &|_| {}).unwrap();
    let snapshot = |store: &Store| {
        (
            store.atop_alliances().unwrap(),
            store.atop_phases().unwrap(),
            store.atop_members().unwrap(),
            store.nmc().unwrap(),
            store.mme().unwrap(),
            store.sipri().unwrap(),
            store.rivalries().unwrap(),
            store.agreements(&AgreementFilter::default()).unwrap(),
            without_time(store.datasets().unwrap()),
        )
    };
    let mut first = None;
    for _ in 0..2 {
        import_atop(&mut store, &a);
        store.replace_nmc(&n.rows, &n.file).unwrap();
        store.replace_mme(&m.exercises, &m.file).unwrap();
        store.replace_sipri(&s.rows, &s.file).unwrap();
        store.replace_rivalries(&r.rivalries, &r.file).unwrap();
        let now = snapshot(&store);
        if let Some(before) = &first {
            assert!(*before == now, "a second import changed the store");
        }
        first = Some(now);
    }
    let (alliances, phases, members, nmc_rows, exercises, sipri_rows, rivalry_rows, _, datasets) = first.unwrap();
    // What comes back is what was read.
    assert_eq!(alliances, a.alliances);
    assert_eq!(phases.len(), a.phases.len());
    assert_eq!(members, a.members);
    assert_eq!(nmc_rows.len(), n.rows.len());
    assert_eq!(exercises, m.exercises);
    assert_eq!(sipri_rows.len(), s.rows.len());
    assert_eq!(rivalry_rows, r.rivalries);
    let names: BTreeSet<&str> = datasets.iter().map(|d| d.dataset.as_str()).collect();
    assert_eq!(names, BTreeSet::from(["atop", "mme", "nmc", "rivalries", "sipri-milex"]));
    assert_eq!(datasets.iter().filter(|d| d.dataset == Dataset::Atop).count(), 3);
}

#[test]
fn a_failed_import_leaves_the_store_as_it_was() {
    let data = curated();
    let mut store = initialised(&data);
    let index = StateIndex::new(data.states.clone());
    let Some(path) = pactbase_testdata::shared("cow/nmc-7.0-abridged.csv") else { return };
    let n = nmc::read(&path, &index, &|_| {}).unwrap();
    let initialised_at = store.revision().unwrap();
    store.replace_nmc(&n.rows, &n.file).unwrap();
    let (rows_before, datasets_before) = (store.nmc().unwrap(), store.datasets().unwrap());
    let revision_before = store.revision().unwrap();
    assert!(revision_before > initialised_at, "an import moves the revision on");

    // A duplicate key at the very end fails the insert after thousands of rows went in.
    let mut bad = n.rows[..5000].to_vec();
    bad.push(bad[0]);
    let file = DatasetFile { sha256: "0".repeat(64), ..n.file.clone() };
    assert!(store.replace_nmc(&bad, &file).is_err());
    assert_eq!(store.nmc().unwrap(), rows_before);
    assert_eq!(store.datasets().unwrap(), datasets_before);
    assert_eq!(store.revision().unwrap(), revision_before);

    // The same for ATOP, whose import also rewrites the agreement listing.
    let Some(a) = read_atop(&index) else { return };
    import_atop(&mut store, &a);
    let listing = atop_listing(&store);
    let mut members = a.members.clone();
    members.truncate(10);
    let mut agreements = a.agreements.clone();
    agreements.push(agreements[0].clone());
    assert!(store.replace_atop(&a.alliances, &a.phases, &members, &agreements, &a.files).is_err());
    assert_eq!(store.atop_members().unwrap(), a.members);
    assert_eq!(atop_listing(&store), listing);
}

#[test]
fn atop_alliances_are_listed_once_whichever_comes_first() {
    let data = curated();
    let index = StateIndex::new(data.states.clone());
    let Some(a) = read_atop(&index) else { return };
    let claimed: BTreeSet<u32> = data.agreements.iter().filter_map(|a| a.atopid).collect();
    assert!(claimed.contains(&3180), "NATO is curated with its atopid");

    // init, then import.
    let mut init_first = initialised(&data);
    let listed = import_atop(&mut init_first, &a);
    assert_eq!(listed, 789 - claimed.len());

    // import (before any states exist, so nothing is listed yet), then init.
    let mut import_first = Store::in_memory().unwrap();
    assert_eq!(import_atop(&mut import_first, &a), 0);
    import_first.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition).unwrap();

    for store in [&init_first, &import_first] {
        let listing = atop_listing(store);
        let ids: BTreeSet<u32> = listing.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids.len(), listing.len(), "an atopid is listed twice");
        assert_eq!(ids.len(), 789);
        for (atopid, id) in &listing {
            let expected_curated = claimed.contains(atopid);
            assert_eq!(!id.starts_with("atop-"), expected_curated, "{atopid} listed as {id}");
        }
    }
    assert_eq!(atop_listing(&init_first), atop_listing(&import_first));

    // A curated agreement that stops claiming its atopid gives the alliance back to ATOP.
    let without_nato: Vec<_> = data.agreements.iter().filter(|a| a.atopid != Some(3180)).cloned().collect();
    init_first.replace_curated(&data.states, &without_nato, &[], &[]).unwrap();
    assert!(init_first.agreement("atop-3180").unwrap().is_some());
    init_first.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition).unwrap();
    assert!(init_first.agreement("atop-3180").unwrap().is_none());
}

#[test]
fn a_curated_agreement_shows_atops_coding() {
    let data = curated();
    let mut store = initialised(&data);
    assert!(store.atop_coding(3180).unwrap().is_none(), "nothing before ATOP is imported");
    let index = StateIndex::new(data.states.clone());
    let Some(a) = read_atop(&index) else { return };
    import_atop(&mut store, &a);
    let coding = store.atop_coding(3180).unwrap().unwrap();
    assert!(coding.alliance.obligations.defense);
    assert!(coding.members.iter().any(|m| m.ccode == 2));
    assert_eq!(coding.members.len(), a.members.iter().filter(|m| m.atopid == 3180).count());
    // ATOP's alliances are searchable agreements in their own right.
    let pakistan = store.agreements(&AgreementFilter { member: Some(770), ..Default::default() }).unwrap();
    assert!(pakistan.iter().any(|a| a.atopid == Some(3355)), "ATOP 3355 (USA–Pakistan 1959) is listed");
}
