use pactbase_model::arms::{ArmsParty, ArmsTransfer};
use pactbase_model::{
    Membership, Obligation, ObligationType, PartialDate, Parties, PartyCoverage, Provisions, Role, Status, Target,
};

use super::*;

pub(super) fn member(ccode: Ccode, joined: i32, left: Option<i32>) -> Membership {
    Membership {
        ccode,
        joined: PartialDate::year(joined),
        left: left.map(PartialDate::year),
        role: Role::Founding,
        source: "s".into(),
        note: None,
        suspensions: vec![],
        signed: None,
        before_signature: None,
    }
}

pub(super) fn agreement(id: &str, kinds: Vec<AgreementKind>, members: Vec<Membership>) -> Agreement {
    Agreement {
        id: id.into(),
        name: id.to_uppercase(),
        short_names: vec![],
        kinds,
        signed: PartialDate::year(1900),
        in_force: None,
        ended: None,
        status: Status::InForce,
        region: "Asia".into(),
        depositary: None,
        atopid: None,
        summary: String::new(),
        text: None,
        provisions: Provisions::default(),
        sources: vec![],
        party_coverage: PartyCoverage::Complete,
        members,
        signatories: vec![],
        non_state_parties: vec![],
        obligations: vec![],
        reservations: vec![],
        invocations: vec![],
        atop_exceptions: vec![],
    }
}

/// Deliveries (supplier name, recipient name, year, TIV) between the parties below.
fn transfers(rows: &[(&str, &str, i32, f64)]) -> ArmsTransfers {
    let parties: Vec<(&str, PartyKind, Option<Ccode>)> = vec![
        ("United States", PartyKind::State, Some(2)),
        ("China", PartyKind::State, Some(710)),
        ("Soviet Union", PartyKind::State, Some(365)),
        ("Russia", PartyKind::State, Some(365)),
        ("Pakistan", PartyKind::State, Some(770)),
        ("Unknown supplier(s)", PartyKind::Unidentified, None),
    ];
    let index = |name: &str| parties.iter().position(|p| p.0 == name).unwrap();
    ArmsTransfers {
        coverage: (1950, 1964),
        parties: parties.iter().map(|p| ArmsParty { name: p.0.into(), kind: p.1 }).collect(),
        transfers: rows
            .iter()
            .map(|&(s, r, year, tiv)| ArmsTransfer {
                supplier: index(s) as u32,
                recipient: index(r) as u32,
                supplier_ccode: parties[index(s)].2,
                recipient_ccode: parties[index(r)].2,
                year,
                tiv,
            })
            .collect(),
    }
}

fn example() -> ArmsTransfers {
    transfers(&[
        ("United States", "Pakistan", 1954, 30.0),
        ("United States", "Pakistan", 1956, 60.0),
        ("Unknown supplier(s)", "Pakistan", 1956, 20.0),
        ("Soviet Union", "Pakistan", 1963, 5.0),
        ("Russia", "Pakistan", 1962, 5.0),
        ("China", "Pakistan", 1964, 10.0),
        ("China", "Pakistan", 1952, 0.0),
        ("Pakistan", "China", 1960, 7.0),
    ])
}

fn seato() -> Agreement {
    let mut a = agreement(
        "seato",
        vec![AgreementKind::MutualDefensePact],
        vec![member(2, 1955, None), member(770, 1955, Some(1973))],
    );
    a.short_names = vec!["SEATO".into()];
    a.ended = Some(PartialDate::year(1977));
    a.obligations = vec![Obligation {
        kind: ObligationType::Defense,
        from: Parties::All,
        toward: Target::All,
        conditional: false,
        article: None,
        note: None,
        source: "s".into(),
    }];
    a
}

fn row(p: &PartnerShare) -> (&str, f64, Option<f64>, Vec<&str>) {
    (p.names[0].as_str(), p.tiv, p.share, p.agreements.iter().map(|a| a.label.as_str()).collect())
}

#[test]
fn imports_by_supplier_and_period_with_shares_concentration_and_agreements() {
    let t = trade(&example(), 770, Side::Imports, (1900, 2100), &[seato()]);
    assert_eq!(t.years, Some((1950, 1964)), "clipped to the tables' years");
    assert_eq!(t.tiv, 130.0);
    let spans: Vec<(i32, i32)> = t.periods.iter().map(|p| (p.first_year, p.last_year)).collect();
    assert_eq!(spans, vec![(1950, 1954), (1955, 1959), (1960, 1964)]);

    let early = &t.periods[0];
    assert_eq!(early.tiv, 30.0);
    assert_eq!(
        early.partners.iter().map(row).collect::<Vec<_>>(),
        vec![("United States", 30.0, Some(1.0), vec![]), ("China", 0.0, Some(0.0), vec![]),]
    );
    assert_eq!(early.hhi, Some(1.0));

    // 60 from the United States (a SEATO ally from 1955), 20 from an unknown supplier.
    let middle = &t.periods[1];
    assert_eq!(
        middle.partners.iter().map(row).collect::<Vec<_>>(),
        vec![("United States", 60.0, Some(0.75), vec!["SEATO"]), ("Unknown supplier(s)", 20.0, Some(0.25), vec![]),]
    );
    assert_eq!(middle.hhi, Some(0.75 * 0.75 + 0.25 * 0.25));
    let seato = &middle.partners[0].agreements[0];
    assert_eq!((seato.from, seato.until), (1955, Some(1973)), "Pakistan left in 1973, before SEATO ended");
    assert_eq!(seato.obligations, vec![ObligationType::Defense]);

    // The Soviet Union and Russia are one COW state (365): one partner, both names, the
    // earlier delivery's name first.
    let late = &t.periods[2];
    assert_eq!(late.partners.len(), 2);
    let russia = late.partners.iter().find(|p| p.ccode == Some(365)).unwrap();
    assert_eq!((russia.names.clone(), russia.tiv), (vec!["Russia".to_owned(), "Soviet Union".to_owned()], 10.0));
    assert_eq!(late.hhi, Some(0.5));
    assert_eq!(
        t.partners.iter().map(|p| (p.names[0].as_str(), p.tiv)).collect::<Vec<_>>(),
        vec![("United States", 90.0), ("Unknown supplier(s)", 20.0), ("China", 10.0), ("Russia", 10.0),]
    );
}

#[test]
fn periods_follow_the_years_asked_and_exports_are_the_other_side() {
    assert_eq!(periods((1952, 1961)), vec![(1952, 1954), (1955, 1959), (1960, 1961)]);
    assert_eq!(periods((1955, 1955)), vec![(1955, 1955)]);
    let t = trade(&example(), 770, Side::Exports, (1960, 1960), &[]);
    assert_eq!(t.periods.len(), 1);
    assert_eq!(t.periods[0].partners.iter().map(row).collect::<Vec<_>>(), vec![("China", 7.0, Some(1.0), vec![])]);
}

#[test]
fn nothing_of_value_has_no_concentration_and_years_outside_the_tables_have_no_periods() {
    let t = trade(&example(), 770, Side::Imports, (1950, 1953), &[]);
    assert_eq!(t.periods[0].tiv, 0.0);
    assert_eq!(t.periods[0].hhi, None);
    assert_eq!(t.periods[0].partners[0].share, None);
    let none = trade(&example(), 770, Side::Imports, (2000, 2010), &[]);
    assert_eq!((none.years, none.periods.len(), none.tiv), (None, 0, 0.0));
}

#[test]
fn joint_spans_intersect_memberships_and_the_agreements_end() {
    let mut a =
        agreement("x", vec![], vec![member(2, 1950, None), member(770, 1955, Some(1960)), member(770, 1970, None)]);
    assert_eq!(joint_spans(&a, 2, 770), vec![(1955, Some(1960)), (1970, None)]);
    a.ended = Some(PartialDate::year(1965));
    assert_eq!(joint_spans(&a, 770, 2), vec![(1955, Some(1960))]);
    assert!(joint_spans(&a, 2, 710).is_empty());
}

#[test]
fn multilateral_restraint_treaties_are_not_partnerships() {
    let members = || vec![member(2, 1950, None), member(770, 1950, None), member(710, 1950, None)];
    let bwc = agreement("bwc", vec![AgreementKind::ArmsControl], members());
    let amity = agreement("tac", vec![AgreementKind::NonaggressionAndFriendship], members());
    assert!(!is_partnership(&amity), "the Treaty of Amity ties its 55 parties to no supplier");
    let atop = agreement("atop-1", vec![], members());
    let simla =
        agreement("simla", vec![AgreementKind::ArmsControl], vec![member(750, 1972, None), member(770, 1972, None)]);
    assert!(!is_partnership(&bwc));
    assert!(is_partnership(&atop) && is_partnership(&simla) && is_partnership(&seato()));
    let t = trade(&example(), 770, Side::Imports, (1955, 1959), &[bwc, seato()]);
    let agreements: Vec<&str> = t.periods[0].partners[0].agreements.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(agreements, vec!["seato"]);
}
