use pactbase_model::arms::{ArmsParty, ArmsTransfer, PartyKind};
use pactbase_model::research::{SystemSpell, Ymd};

use super::super::tests::{agreement, member};
use super::*;

const YEARS: RangeInclusive<i32> = 1950..=1990;
const EFFECT: f64 = 1.0;

/// Twelve states in the system 1950–1990; states 1–4 supply every other state. The log of
/// one plus each flow is supplier + recipient + year effects, a small wobble, and EFFECT
/// from the year a dyad's states share an agreement of `agreements`.
fn world(agreements: &[Agreement]) -> (ArmsTransfers, System) {
    let states: Vec<Ccode> = (1..=12).collect();
    let spells: Vec<SystemSpell> = states
        .iter()
        .map(|&ccode| SystemSpell { ccode, start: Ymd::new(1950, 1, 1), end: Ymd::new(1990, 12, 31) })
        .collect();
    let system = System::new(&spells, Ymd::new(2016, 12, 31), *YEARS.start(), *YEARS.end());
    let entries = entries(agreements);
    let mut transfers = Vec::new();
    for s in 1..=4u16 {
        for &r in states.iter().filter(|&&r| r != s) {
            let entry = entries.get(&(s.min(r), s.max(r))).copied();
            for t in YEARS {
                let wobble = f64::from((s * 31 + r * 17 + t as u16 * 7) % 13) / 13.0 * 0.2 - 0.1;
                let effect = if entry.is_some_and(|g| t >= g) { EFFECT } else { 0.0 };
                let log = 2.0 + 0.3 * f64::from(s) + 0.1 * f64::from(r) + 0.02 * f64::from(t - 1950) + wobble + effect;
                let party = |c: Ccode| u32::from(c - 1);
                let tiv = log.exp_m1();
                transfers.push(ArmsTransfer {
                    supplier: party(s),
                    recipient: party(r),
                    supplier_ccode: Some(s),
                    recipient_ccode: Some(r),
                    year: t,
                    tiv,
                });
            }
        }
    }
    let parties = states.iter().map(|c| ArmsParty { name: format!("S{c}"), kind: PartyKind::State }).collect();
    (ArmsTransfers { coverage: (1950, 2021), parties, transfers }, system)
}

fn pacts() -> Vec<Agreement> {
    vec![
        agreement("a", vec![], vec![member(1, 1965, None), member(5, 1965, None)]),
        agreement("b", vec![], vec![member(2, 1970, None), member(6, 1968, None), member(7, 1970, None)]),
        agreement("c", vec![], vec![member(3, 1975, None), member(8, 1972, Some(1980))]),
        agreement("d", vec![], vec![member(3, 1985, None), member(8, 1985, None)]),
    ]
}

fn design(recipient: Option<Ccode>) -> DyadicDesign {
    DyadicDesign {
        window: -5..=8,
        comparison: ComparisonGroup::NeverTreated,
        estimator: Estimator::CallawaySantAnna,
        recipient,
    }
}

#[test]
fn entries_are_each_pairs_first_joint_year() {
    let e = entries(&pacts());
    assert_eq!(e.get(&(1, 5)), Some(&1965));
    assert_eq!(e.get(&(2, 6)), Some(&1970), "6 joined first; the pair only from 1970");
    assert_eq!(e.get(&(6, 7)), Some(&1970), "every pair of a multilateral agreement");
    assert_eq!(e.get(&(3, 8)), Some(&1975), "the earlier of two agreements");
    assert_eq!(e.get(&(1, 2)), None);
}

#[test]
fn a_planted_effect_on_flows_between_partners_is_recovered() {
    let agreements = pacts();
    let (data, system) = world(&agreements);
    let study = estimate(&data, &system, &agreements, &design(None)).unwrap();
    // Suppliers 1–4 to every other state: 4 × 11 directed dyads.
    assert_eq!(study.dyads, 44);
    let treated: Vec<(Ccode, Ccode, i32)> =
        study.treated.iter().map(|t| (t.dyad.supplier, t.dyad.recipient, t.entry)).collect();
    assert_eq!(treated, vec![(1, 5, 1965), (2, 6, 1970), (2, 7, 1970), (3, 8, 1975)]);
    let att = study.post_att.unwrap();
    assert!((att.value - EFFECT).abs() < 0.15, "{att:?}");
    assert!(att.ci_low < EFFECT && EFFECT < att.ci_high, "{att:?}");
    for r in study.relative_years.iter().filter(|r| r.relative_year < -1) {
        let e = r.estimate.unwrap();
        assert!(e.value.abs() < 0.15, "pre-entry {}: {e:?}", r.relative_year);
    }
}

#[test]
fn one_recipients_partners_are_compared_with_its_other_suppliers() {
    let agreements = pacts();
    let (data, system) = world(&agreements);
    let study = estimate(&data, &system, &agreements, &design(Some(6))).unwrap();
    assert_eq!(study.dyads, 4, "suppliers 1–4 into state 6");
    assert_eq!(study.treated.len(), 1);
    assert_eq!((study.treated[0].dyad, study.treated[0].entry), (Dyad { supplier: 2, recipient: 6 }, 1970));
    assert_eq!(study.comparison_dyads, 3);
    assert!((study.post_att.unwrap().value - EFFECT).abs() < 0.25);
    assert!(study.caveats.contains(&Caveat::BorrowedVariance));
    // A state no supplier shares an agreement with has nothing to estimate.
    let none = estimate(&data, &system, &agreements, &design(Some(12)));
    assert_eq!(none.unwrap_err(), ImpactError::NoTreatedUnits);
}
