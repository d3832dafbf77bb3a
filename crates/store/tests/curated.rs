//! Loading the curated registry into the store and querying it back.

use pactbase_ingest::curated::{self, Curated, DataFiles};
use pactbase_model::{AgreementKind, ObligationType};
use pactbase_store::{AgreementFilter, KindFilter, Store};

fn data() -> Curated {
    curated::load(&DataFiles::embedded()).unwrap()
}

fn loaded() -> (Store, Curated) {
    let mut store = Store::in_memory().unwrap();
    let data = data();
    store.replace_curated(&data.states, &data.agreements, &data.exercises).unwrap();
    (store, data)
}

fn ids(store: &Store, filter: AgreementFilter) -> Vec<String> {
    store.agreements(&filter).unwrap().into_iter().map(|a| a.id).collect()
}

#[test]
fn documents_round_trip_exactly() {
    let (store, data) = loaded();
    for a in &data.agreements {
        assert_eq!(store.agreement(&a.id).unwrap().as_ref(), Some(a));
    }
    assert_eq!(store.states().unwrap(), data.states);
    assert_eq!(store.exercises(None).unwrap().len(), data.exercises.len());
}

#[test]
fn reloading_is_idempotent() {
    let (mut store, data) = loaded();
    let before = ids(&store, AgreementFilter::default());
    store.replace_curated(&data.states, &data.agreements, &data.exercises).unwrap();
    assert_eq!(ids(&store, AgreementFilter::default()), before);
}

#[test]
fn a_failed_load_leaves_the_previous_registry_in_place() {
    let (mut store, data) = loaded();
    let before = ids(&store, AgreementFilter::default());
    let mut broken = data.agreements.clone();
    broken[0].members[0].ccode = 9999; // not a state: the foreign key fails at commit
    broken.truncate(5);
    assert!(store.replace_curated(&data.states, &broken, &data.exercises).is_err());
    assert_eq!(ids(&store, AgreementFilter::default()), before);
}

#[test]
fn filters_by_member_kind_obligation_year_and_text() {
    let (store, _) = loaded();
    let pak_1960 = ids(&store, AgreementFilter { member: Some(770), active_in: Some(1960), ..Default::default() });
    assert!(pak_1960.contains(&"seato".to_owned()) && pak_1960.contains(&"cento".to_owned()));
    assert!(!pak_1960.contains(&"saudi-pakistan-strategic-mutual-defence-agreement-2025".to_owned()));

    let intel = ids(
        &store,
        AgreementFilter { kind: Some(KindFilter::Kind(AgreementKind::IntelligenceSharing)), ..Default::default() },
    );
    assert!(intel.contains(&"ukusa".to_owned()));
    let defense = ids(
        &store,
        AgreementFilter { kind: Some(KindFilter::Obligation(ObligationType::Defense)), ..Default::default() },
    );
    assert!(defense.contains(&"nato".to_owned()) && !defense.contains(&"npt".to_owned()));

    let text = ids(&store, AgreementFilter { text: Some("north atlantic".into()), ..Default::default() });
    assert_eq!(text.first().map(String::as_str), Some("nato"));
    assert!(ids(&store, AgreementFilter { text: Some("\"(".into()), ..Default::default() }).is_empty());
}

#[test]
fn search_ranks_names_and_marks_matches() {
    let (store, _) = loaded();
    let hits = store.search("anzus", 5).unwrap();
    assert_eq!(hits[0].id, "anzus");
    assert!(hits[0].snippet.contains('['));
}

#[test]
fn the_revision_moves_on_with_each_committed_change_only() {
    let mut store = Store::in_memory().unwrap();
    let data = data();
    let empty = store.revision().unwrap();
    store.replace_curated(&data.states, &data.agreements, &data.exercises).unwrap();
    let loaded = store.revision().unwrap();
    assert!(loaded > empty);
    assert_eq!(store.revision().unwrap(), loaded, "reading does not move it");

    let mut broken = data.agreements.clone();
    broken[0].members[0].ccode = 9999;
    assert!(store.replace_curated(&data.states, &broken, &data.exercises).is_err());
    assert_eq!(store.revision().unwrap(), loaded, "a rolled-back load leaves it");

    store.replace_curated(&data.states, &data.agreements, &data.exercises).unwrap();
    assert!(store.revision().unwrap() > loaded);
}

#[test]
fn filters_by_whether_the_parties_are_complete() {
    use pactbase_model::PartyCoverage;
    let (store, data) = loaded();
    let selected =
        store.agreements(&AgreementFilter { parties: Some(PartyCoverage::Selected), ..Default::default() }).unwrap();
    let complete =
        store.agreements(&AgreementFilter { parties: Some(PartyCoverage::Complete), ..Default::default() }).unwrap();
    assert!(selected.iter().all(|a| a.party_coverage == PartyCoverage::Selected));
    assert!(selected.iter().any(|a| a.id == "ctbt") && complete.iter().any(|a| a.id == "npt"));
    let expected = data.agreements.iter().filter(|a| a.party_coverage == PartyCoverage::Selected).count();
    assert_eq!(selected.len(), expected);
    assert_eq!(selected.len() + complete.len(), data.agreements.len());
}
