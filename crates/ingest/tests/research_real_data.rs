//! The research importers on the publishers' real files (`../shared/data`): every file
//! loads, with the counts the publishers document, and every name that does not resolve
//! to a COW state is one we know and expect.

use std::collections::BTreeSet;
use std::path::PathBuf;

use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{
    atop, capitals, contiguity, cow_states, gml, igos, majors, mindist, mme, nmc, rivalries, sipri, NotPlaced,
};
use pactbase_model::StateIndex;

fn index() -> StateIndex {
    StateIndex::new(curated::load(&DataFiles::embedded()).unwrap_or_else(|e| panic!("{e}")).states)
}

fn shared(rel: &str) -> Option<PathBuf> {
    pactbase_testdata::shared(rel)
}

fn no_progress(_: u64) {}

#[test]
fn atop_loads_all_alliances_phases_and_members() {
    let Some(dir) = shared("atop-5.1") else { return };
    let atop = atop::read(&dir, &index(), &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(atop.alliances.len(), 789);
    assert_eq!(atop.phases.len(), 849);
    assert_eq!(atop.members.len(), 2510);
    assert_eq!(atop.agreements.len(), 789);
    assert!(atop.files.iter().all(|f| f.version == "5.1" && f.sha256.len() == 64));
    assert_eq!(atop.files.iter().map(|f| f.rows).collect::<Vec<_>>(), vec![789, 849, 2510]);
    assert!(atop.members.iter().any(|m| m.ccode == 8152), "ATOP's own member codes are kept");
    // Rows with a blank day of entry or exit keep it unknown (0).
    let unknown_days = atop.members.iter().filter(|m| !m.entry.day_known() || m.exit.is_some_and(|e| !e.day_known()));
    assert_eq!(unknown_days.count(), 36);
    // FIELD.md §2: Pakistan's alliances in ATOP 5.1.
    let pakistan: BTreeSet<u32> = atop.members.iter().filter(|m| m.ccode == 770).map(|m| m.atopid).collect();
    assert_eq!(pakistan, BTreeSet::from([3222, 3255, 3260, 3275, 3355, 3530, 3705, 3755, 3985, 4810, 5060]));
    // Egypt left the Arab League in 1979 and came back in 1989: two stays, one agreement.
    let arab_league = atop.agreements.iter().find(|a| a.atopid == Some(3015)).unwrap();
    assert_eq!(arab_league.memberships_of(651).count(), 2);
}

#[test]
fn cow_states_has_243_spells_of_217_states() {
    let Some(path) = shared("cow/states2016.csv") else { return };
    let states = cow_states::read(&path, &index(), &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(states.spells.len(), 243);
    assert_eq!(states.spells.iter().map(|s| s.ccode).collect::<BTreeSet<_>>().len(), 217);
    assert_eq!(states.file.version, "2016");
}

#[test]
fn nmc_has_one_row_per_state_year_1816_2022() {
    let Some(path) = shared("cow/nmc-7.0-abridged.csv") else { return };
    let nmc = nmc::read(&path, &index(), &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(nmc.rows.len(), 17_121);
    assert_eq!(nmc.rows.iter().map(|r| r.year).min(), Some(1816));
    assert_eq!(nmc.rows.iter().map(|r| r.year).max(), Some(2022));
    let pak_1971 = nmc.rows.iter().find(|r| r.ccode == 770 && r.year == 1971).unwrap();
    assert!(pak_1971.cinc.is_some_and(|c| c > 0.0 && c < 0.05));
}

#[test]
fn mme_participants_all_resolve_except_known_non_states() {
    let Some(path) = shared("mme-7/mme_v7.csv") else { return };
    let mme = mme::read(&path, &index(), &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mme.exercises.len(), 3707);
    let unresolved: Vec<(&str, usize)> = mme.unresolved.iter().map(|u| (u.name.as_str(), u.count)).collect();
    assert_eq!(
        unresolved,
        vec![
            ("Baltic States", 1),
            ("Bermuda", 1),
            ("Hong Kong SAR China", 2),
            ("NATO", 2),
            ("Netherlands Antilles", 1),
            ("New Caledonia", 1),
        ]
    );
    assert_eq!(mme.unidentified, 208);
    let shared_ids: Vec<&str> = mme.shared_ids.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(shared_ids, vec!["mme3460", "mme3457", "mme3458"]);
    // 1884 `United States` slots; two exercises list it twice, and a state takes part once.
    let us = mme.exercises.iter().filter(|e| e.participants.contains(&2)).count();
    assert_eq!(us, 1882);
}

#[test]
fn sipri_resolves_country_names_and_reports_the_rest() {
    let Some(path) = shared("sipri/sipri-milex-constant-2017usd.csv") else { return };
    let sipri = sipri::read(&path, &index(), &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sipri.file.rows, 173);
    let unresolved: BTreeSet<&str> = sipri.unresolved.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(unresolved, sipri_unresolved());
    let outside: Vec<(&str, usize)> = sipri.outside_system.iter().map(|o| (o.name.as_str(), o.years.len())).collect();
    // SIPRI's Germany before 1990 is West Germany; the others precede independence or
    // fall in Syria's union with Egypt (1958–1961).
    // West Germany enters the COW system in May 1955; SIPRI has two earlier years.
    assert_eq!(outside, vec![("South Sudan", 5), ("Montenegro", 1), ("Germany", 2), ("Syria", 2)]);
    // SIPRI's Germany before 1990 is West Germany's series.
    assert!(
        sipri.rows.iter().any(|r| r.ccode == 260 && r.year == 1989)
            && sipri.rows.iter().any(|r| r.ccode == 255 && r.year == 1991)
    );
    // "Côte d’Ivoire" is written in Windows-1252 and still resolves.
    assert!(sipri.rows.iter().any(|r| r.ccode == 437));
    let pak_1990 = sipri.rows.iter().find(|r| r.ccode == 770 && r.year == 1990).unwrap();
    assert!(pak_1990.usd2017m > 1000.0);
}

/// SIPRI's names that resolve to no state: none, since the states table carries SIPRI's
/// abbreviated names ("Korea, South") as aliases.
fn sipri_unresolved() -> BTreeSet<&'static str> {
    BTreeSet::new()
}

#[test]
fn rivalries_load_with_ongoing_ones_open() {
    let Some(path) = shared("rivalries/tss-strategic-rivalries.csv") else { return };
    let r = rivalries::read(&path, &index(), &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.rivalries.len(), 264);
    assert_eq!(r.observed_through, Some(2020));
    assert_eq!(r.rivalries.iter().filter(|r| r.end.is_none()).count(), 56);
    let india_pakistan = r.rivalries.iter().find(|r| r.ccode1 == 750 && r.ccode2 == 770).unwrap();
    assert!(india_pakistan.active_in(2016) && india_pakistan.principal);
    // Issue 21.2: TSS code Austria–Prussia with Austria's 305; COW's Austria before 1918 is
    // 300, so the rivalry (and the war of 1866) was dropped. Read through COW's succession:
    let austria_prussia = r.rivalries.iter().find(|r| r.id == 19).unwrap();
    assert_eq!((austria_prussia.ccode1, austria_prussia.ccode2), (255, 300));
    assert!((1850..=1866).all(|y| austria_prussia.active_in(y)));
    assert_eq!(r.recoded.len(), 5, "{:#?}", r.recoded);
    // What is left out is reported, never dropped silently: Vietnam before 1954, France
    // under occupation, Central American states before their entry, …
    let rivalry_years: usize = r.not_placed.iter().map(|n| n.count).sum();
    assert_eq!(rivalry_years, 1047);
    assert_eq!(r.not_placed[0].examples[0], "line 21: France-Germany (220-255) in 1943");
}

fn summary(not_placed: &[NotPlaced]) -> Vec<(&str, usize)> {
    not_placed.iter().map(|n| (n.reason.as_str(), n.count)).collect()
}

#[test]
fn covariates_load_with_every_row_not_placed_counted() {
    let index = index();
    let Some(path) = shared("cow/contdir-3.2.csv") else { return };
    let c = contiguity::read(&path, &index, &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((c.spells.len(), c.file.version.as_str()), (1874, "contdir-3.2"));
    assert!(c.not_placed.is_empty());

    let Some(path) = shared("cow/capitals.csv") else { return };
    let c = capitals::read(&path, &index, &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.capitals.len(), 242);
    // Mecklenburg-Schwerin's Ludwigslust before its entry (1843), Athens before Greece's (1828).
    assert_eq!(summary(&c.not_placed), vec![("capital of a state outside the system in all its years", 2)]);

    let Some(path) = shared("cow/majors2016.csv") else { return };
    let m = majors::read(&path, &index, &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((m.spells.len(), m.file.version.as_str()), (14, "2016"));
    assert!(m.not_placed.is_empty());

    let Some(path) = shared("cow/mindist-cshapes-2.csv") else { return };
    let d = mindist::read(&path, &index, &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.rows.len(), 952_244);
    assert!(d.not_placed.is_empty(), "{:?}", d.not_placed);

    let Some(path) = shared("cow/igo-3-dyadic.csv") else { return };
    let i = igos::read(&path, &index, &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(i.rows.len(), 917_695);
    // COW's IGO file has dyads the frame's same-day rule leaves out (Suriname and South
    // Vietnam in 1975; Germany, gone on 8 May 1945, with states that entered later that year).
    assert_eq!(summary(&i.not_placed)[0].1, 22);
    assert_eq!(i.not_placed[0].examples[0], "line 257386: 115-817 in 1975");

    let Some(path) = shared("gml-mid-2.2.1") else { return };
    let g = gml::read(&path, &index, &no_progress).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((g.participants.len(), g.dyad_years.len()), (5217, 9284));
    assert_eq!(g.shared_dyad_years, 0, "peacesciencer's file is whittled already");
    assert!(g.not_placed.is_empty());
}
