//! The assessment's rules on small registries: which agreements make partners, how they
//! rank, when a commitment ends, and pledges to both sides of a rivalry.

use pactbase_model::research::Rivalry;
use pactbase_model::{
    Agreement, AgreementKind, Ccode, ExerciseSeries, Membership, Obligation, ObligationType, PartialDate, Parties,
    PartyCoverage, Provisions, Role, Status, Target, YearSpan,
};

use super::partners::{partners, DepthKind, PartnerData, Partners, TieBasis};
use super::timeline::timeline;
use super::{overview, View};
use crate::challenges::rival_pledges;

const PAK: Ccode = 770;

fn member(ccode: Ccode, joined: i32, left: Option<i32>, role: Role) -> Membership {
    Membership {
        ccode,
        joined: PartialDate::year(joined),
        signed: None,
        left: left.map(PartialDate::year),
        role,
        source: "s".into(),
        note: None,
        suspensions: vec![],
        before_signature: None,
    }
}

fn agreement(id: &str, kinds: &[AgreementKind], members: Vec<Membership>, obligations: &[ObligationType]) -> Agreement {
    Agreement {
        id: id.into(),
        name: id.into(),
        short_names: vec![],
        kinds: kinds.to_vec(),
        signed: PartialDate::year(1950),
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
        obligations: obligations
            .iter()
            .map(|&kind| Obligation {
                kind,
                from: Parties::All,
                toward: Target::All,
                conditional: false,
                article: None,
                note: None,
                source: "s".into(),
            })
            .collect(),
        reservations: vec![],
        invocations: vec![],
        atop_exceptions: vec![],
    }
}

fn party(ccode: Ccode, joined: i32) -> Membership {
    member(ccode, joined, None, Role::Founding)
}

/// Pakistan's shape in miniature: a pact with 2 it left in 1972, a bilateral defense pact
/// with 670, a friendship treaty and a technology programme with 710, a restraint treaty
/// with consultation among 710, 630 and 750, a coalition without obligations with 670
/// and 600, and a pact 2 was associated with as a partner only.
fn registry() -> Vec<Agreement> {
    use AgreementKind::*;
    use ObligationType::*;
    vec![
        agreement(
            "seato",
            &[MutualDefensePact],
            vec![party(2, 1954), member(PAK, 1954, Some(1972), Role::Founding), party(800, 1954)],
            &[Defense],
        ),
        agreement("smda", &[MutualDefensePact], vec![party(PAK, 2025), party(670, 2025)], &[Defense]),
        agreement(
            "friendship",
            &[NonaggressionAndFriendship],
            vec![party(PAK, 2005), party(710, 2005)],
            &[Nonaggression],
        ),
        agreement("jf17", &[TechnologySharing], vec![party(PAK, 1999), party(710, 1999)], &[]),
        agreement(
            "sco",
            &[NonaggressionAndFriendship],
            vec![party(PAK, 2017), party(710, 2001), party(630, 2023), party(750, 2017)],
            &[Nonaggression, Consultation],
        ),
        agreement("imctc", &[RegionalDefenseAlliance], vec![party(PAK, 2015), party(670, 2015), party(600, 2015)], &[]),
        agreement(
            "cento",
            &[RegionalDefenseAlliance],
            vec![party(PAK, 1955), party(640, 1955), party(645, 1955), member(2, 1958, Some(1979), Role::Partner)],
            &[Consultation],
        ),
    ]
}

fn ranked(view: View, include_all: bool, rivalries: Option<&[Rivalry]>) -> Partners {
    let agreements = registry();
    let series = [ExerciseSeries {
        id: "shaheen".into(),
        name: "Shaheen".into(),
        host: None,
        agreement: None,
        domains: vec![],
        focus: vec![],
        participants: vec![PAK, 710],
        years: (2011..=2020).collect(),
        summary: String::new(),
        sources: vec![],
    }];
    let t = timeline(PAK, view, &agreements, &|_| None);
    partners(
        PAK,
        view,
        &t,
        &PartnerData {
            agreements: &agreements,
            series: &series,
            mme: None,
            rivalries,
            arms: None,
            include_all,
            without: vec![],
        },
    )
}

/// The timeline and partners of Pakistan in `agreements` at `view`, no exercises.
fn assess(
    agreements: &[Agreement],
    view: View,
    rivalries: Option<&[Rivalry]>,
    known_until: &dyn Fn(&Agreement) -> Option<i32>,
) -> (super::Timeline, Partners) {
    let t = timeline(PAK, view, agreements, known_until);
    let data =
        PartnerData { agreements, series: &[], mme: None, rivalries, arms: None, include_all: false, without: vec![] };
    let p = partners(PAK, view, &t, &data);
    (t, p)
}

#[test]
fn conventions_forums_and_associations_do_not_make_partners() {
    let p = ranked(View::Year(2025), false, None);
    let basis = |c: Ccode, id: &str| p.ties_with(c).iter().find(|t| t.agreement_id == id).map(|t| t.basis);
    assert_eq!(basis(710, "friendship"), Some(TieBasis::Bilateral), "a bilateral restraint treaty counts");
    assert_eq!(basis(710, "jf17"), Some(TieBasis::Bilateral), "bilateral before anything else");
    assert_eq!(basis(710, "sco"), Some(TieBasis::Convention), "a multilateral restraint treaty does not");
    assert_eq!(basis(640, "cento"), Some(TieBasis::Obligation));
    let others: Vec<Ccode> = p.others.iter().map(|o| o.ccode).collect();
    assert_eq!(others, vec![600, 630, 750], "the coalition's and the SCO's other members are not partners");
    assert!(p.others[0].bases == vec![TieBasis::Forum]);
    let us = p.ranked.iter().find(|x| x.ccode == 2).unwrap();
    assert!(us.ties.iter().any(|t| t.agreement_id == "cento" && t.basis == TieBasis::Association));
    assert!(ranked(View::Year(2025), true, None).ranked.iter().any(|x| x.ccode == 630), "shown on request");
}

#[test]
fn partners_rank_by_commitment_and_depth_together() {
    let p = ranked(View::Year(2025), false, None);
    let order: Vec<Ccode> = p.ranked.iter().map(|x| x.ccode).collect();
    assert_eq!(&order[..2], &[670, 710], "{order:?}");
    let china = &p.ranked[1];
    assert_eq!(china.commitment.level(View::Year(2025)), 1, "nonaggression by the friendship treaty");
    assert!(china.depth.index > 1.0, "ten exercises and a technology programme: {:?}", china.depth);
    let us = p.ranked.iter().find(|x| x.ccode == 2).unwrap();
    assert!(!us.current && us.commitment.level(View::Year(2025)) == 0 && us.commitment.level(View::History) == 3);
    assert_eq!(us.ties.iter().find(|t| t.agreement_id == "seato").unwrap().years, YearSpan::new(1954, Some(1972)));
}

#[test]
fn what_binds_is_read_at_the_end_of_the_reference_year() {
    let agreements = registry();
    for (year, defense, former) in
        [(2025, vec![670], vec![2, 800]), (1960, vec![2, 800], vec![]), (1972, vec![], vec![2, 800])]
    {
        let (t, p) = assess(&agreements, View::Year(year), None, &|_| None);
        let o = overview::overview(&t, &p);
        let now: Vec<Ccode> = o.defense_partners.iter().map(|d| d.ccode).collect();
        let before: Vec<Ccode> = o.former_defense_partners.iter().map(|d| d.ccode).collect();
        assert_eq!((now, before), (defense, former), "{year}");
    }
}

#[test]
fn pledges_to_both_rivals_skip_mere_nonaggression() {
    let rivalry = |name: &str, a: Ccode, b: Ccode| Rivalry {
        id: 1,
        name: name.into(),
        ccode1: a,
        ccode2: b,
        start: 1979,
        end: None,
        positional: true,
        spatial: false,
        ideological: false,
        interventionary: false,
        principal: false,
    };
    let rivalries = [rivalry("Iran-Saudi Arabia", 630, 670), rivalry("China-India", 710, 750)];
    let p = ranked(View::Year(2025), false, Some(&rivalries));
    let found = rival_pledges(&p, &rivalries, 2025);
    // Iran is tied by the SCO's consultation only and is no counted partner; Saudi Arabia is.
    let iran_saudi = found.iter().find(|x| x.a == 630).expect("Iran and Saudi Arabia");
    assert_eq!(
        (iran_saudi.strongest_a, iran_saudi.strongest_b),
        (Some(ObligationType::Consultation), Some(ObligationType::Defense))
    );
    assert_eq!(iran_saudi.spans, vec![YearSpan::new(2025, Some(2025))]);
    // India is no counted partner, but the SCO's consultation commits Pakistan to it.
    let china_india = found.iter().find(|x| x.a == 710).expect("China and India");
    assert_eq!(china_india.strongest_b, Some(ObligationType::Consultation));
    assert_eq!(china_india.spans, vec![YearSpan::new(2017, Some(2025))]);
}

#[test]
fn overlaps_are_counted_partnerships_in_force_together() {
    let p = ranked(View::Year(2025), false, None);
    let found = crate::challenges::overlapping_commitments(&p, 2025);
    let china = found.iter().find(|o| o.partner == 710).expect("China");
    let labels: Vec<&str> = china.agreements.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["friendship", "jf17"], "the SCO is a convention, not a partnership");
    assert_eq!(china.spans, vec![YearSpan::new(2005, Some(2025))]);
}

#[test]
fn a_partner_is_shown_apart_never_in_the_burden_shares() {
    use super::capabilities::{burden, Expenditure};
    use std::collections::HashMap;
    // The Baghdad Pact in 1979: the United States was a partner, never a party.
    let mut pact = agreement(
        "cento",
        &[AgreementKind::RegionalDefenseAlliance],
        vec![
            member(640, 1955, Some(1979), Role::Founding),
            member(PAK, 1955, Some(1979), Role::Founding),
            member(200, 1955, Some(1979), Role::Acceded),
            member(2, 1958, Some(1979), Role::Partner),
        ],
        &[],
    );
    pact.ended = Some(PartialDate::year(1979));
    // Invented figures: the largest spender is the partner.
    let values: HashMap<(Ccode, i32), f64> =
        [((640, 1979), 3_000.0), ((PAK, 1979), 1_000.0), ((200, 1979), 18_000.0), ((2, 1979), 120_000.0)].into();
    let b = burden(PAK, &[(&pact, 1955)], &Expenditure { values: &values, measure: "SIPRI".into() }, 2025);
    let cento = &b.alliances[0];
    assert_eq!(cento.year, 1979);
    assert!(cento.members.iter().all(|m| m.ccode != 2), "{:?}", cento.members);
    assert_eq!(cento.associates, vec![(2, Role::Partner)]);
    let pakistan = cento.members.iter().find(|m| m.ccode == PAK).unwrap();
    assert!((pakistan.share - 1_000.0 / 22_000.0).abs() < 1e-12);
}

#[test]
fn a_suspended_partner_is_said_so_and_a_past_rivalry_sets_no_partner_apart() {
    use super::{brief, exercises, CountryCore, Missing, StateInfo};
    use pactbase_model::{State, StateIndex, Suspension, SuspensionScope};
    use AgreementKind::*;
    // A pact with 40 whose membership has been suspended since 1962, and a friendship
    // treaty with 710, a rival only in 1950–1960.
    let mut cuba = party(40, 1950);
    cuba.suspensions.push(Suspension {
        from: PartialDate::year(1962),
        to: None,
        scope: SuspensionScope::Membership,
        toward: vec![],
        note: None,
        source: "s".into(),
    });
    let agreements = vec![
        agreement("pact", &[MutualDefensePact], vec![party(PAK, 1950), cuba], &[ObligationType::Defense]),
        agreement("friendship", &[NonaggressionAndFriendship], vec![party(PAK, 1950), party(710, 1950)], &[]),
    ];
    let rivalries = [Rivalry {
        id: 1,
        name: "China-Pakistan".into(),
        ccode1: 710,
        ccode2: PAK,
        start: 1950,
        end: Some(1960),
        positional: true,
        spatial: false,
        ideological: false,
        interventionary: false,
        principal: false,
    }];
    let view = View::Year(2025);
    let (timeline, partners) = assess(&agreements, view, Some(&rivalries), &|_| None);
    let state = |ccode: Ccode, abb: &str, name: &str| State {
        ccode,
        abb: abb.into(),
        iso3: None,
        name: name.into(),
        aliases: vec![],
        spells: vec![],
    };
    let index =
        StateIndex::new(vec![state(PAK, "PAK", "Pakistan"), state(40, "CUB", "Cuba"), state(710, "CHN", "China")]);
    let core = CountryCore {
        state: StateInfo { ccode: PAK, abb: "PAK".into(), name: "Pakistan".into(), iso3: None, spells: vec![] },
        view,
        reference_year: 2025,
        overview: overview::overview(&timeline, &partners),
        exercises: exercises::Exercises {
            series: vec![],
            mme: Err(Missing { datasets: vec!["mme"], what: "MME".into(), import: vec![] }),
        },
        timeline,
        partners,
    };
    let said = brief::core_sentences(&core, &index).join(" ");
    assert!(said.contains("Earlier, defense obligations bound it to Cuba through pact (1950–, suspended)."), "{said}");
    assert!(
        said.contains("Its closest partners in 2025, by legal commitment and depth of cooperation together: China"),
        "{said}"
    );
    assert!(!said.contains("rival"), "a rivalry that ended in 1960 is no reason to set China apart: {said}");
}

#[test]
fn an_integrated_command_the_registry_records_counts_where_atop_codes_none() {
    use crate::challenges::{interoperability, sovereignty_costs};
    use pactbase_model::research::{AtopAlliance, AtopObligations, Ymd};
    use pactbase_model::{Suspension, SuspensionScope};
    // A NATO in miniature: ATOP codes the treaty's text without an integrated command; the
    // registry records the command its parties built, which 220 left in 1966–2009.
    let mut france = party(220, 1949);
    france.suspensions.push(Suspension {
        from: PartialDate::year(1966),
        to: Some(PartialDate::year(2009)),
        scope: SuspensionScope::IntegratedCommand,
        toward: vec![],
        note: None,
        source: "s".into(),
    });
    let mut nato = agreement(
        "nato",
        &[AgreementKind::MutualDefensePact],
        vec![party(2, 1949), party(200, 1949), france],
        &[ObligationType::Defense],
    );
    nato.atopid = Some(3180);
    nato.provisions.integrated_command = Some(true);
    let atop = |id: u32| {
        (id == 3180).then(|| AtopAlliance {
            atopid: id,
            cowid: None,
            begin: Ymd::new(1949, 8, 24),
            end: None,
            bilateral: false,
            asymmetric: false,
            obligations: AtopObligations::default(),
            milcon: None,
            milaid: Some(0),
            intcom: Some(0),
            subord: Some(0),
            base: Some(3),
            organ1: None,
            contrib: None,
            armred: None,
            specthrt: None,
            ecaid: None,
            members: vec![2, 200, 220],
        })
    };
    let weaker = |_: &Agreement| None;
    let agreements = [nato];
    let costs = |state: Ccode| sovereignty_costs(state, &agreements, &atop, &weaker).remove(0);
    let uk = costs(200).integrated_command.expect("coded");
    assert_eq!((uk.value, uk.basis.as_str()), (1.0, "registry: integrated command"));
    assert_eq!(costs(220).integrated_command.unwrap().value, 0.5, "France left the command for part of its membership");
    // 770 is in no integrated command, its partners 2 and 220 are (220 again, from 2009).
    let found = interoperability(PAK, &[(2, 10), (220, 0)], &agreements, &atop, 2025);
    let apart: Vec<(Ccode, Vec<&str>)> =
        found.items.iter().map(|i| (i.partner, i.commands_apart.iter().map(|a| a.id.as_str()).collect())).collect();
    assert_eq!(apart, vec![(2, vec!["nato"]), (220, vec!["nato"])]);
    let in_1990 = interoperability(PAK, &[(220, 3)], &agreements, &atop, 1990);
    assert!(in_1990.items.is_empty(), "France was outside the command in 1990: {:?}", in_1990.items);
}

#[test]
fn an_alliance_known_only_to_atop_is_unknown_after_its_last_year() {
    use pactbase_model::Standing;
    // An ATOP alliance in effect at the end of ATOP's data (2018), with 90 since 1950 and
    // 91 who left in 1962; and a registry pact with 92.
    let agreements = vec![
        agreement(
            "atop-3150",
            &[AgreementKind::MutualDefensePact],
            vec![party(PAK, 1950), party(90, 1950), member(91, 1950, Some(1962), Role::Founding)],
            &[ObligationType::Defense],
        ),
        agreement(
            "pact",
            &[AgreementKind::MutualDefensePact],
            vec![party(PAK, 1990), party(92, 1990)],
            &[ObligationType::Defense],
        ),
    ];
    let known_until = |a: &Agreement| a.id.starts_with("atop-").then_some(2018);
    let read = |year: i32| {
        let (t, p) = assess(&agreements, View::Year(year), None, &known_until);
        (overview::overview(&t, &p), t)
    };
    let (o, t) = read(2018);
    let now: Vec<Ccode> = o.defense_partners.iter().map(|d| d.ccode).collect();
    assert_eq!(now, vec![90, 92], "ATOP describes 2018");
    assert_eq!(t.memberships[0].standing, Standing::InForce);
    let (o, t) = read(2025);
    let atop = &t.memberships[0];
    assert_eq!((atop.standing, atop.known_until), (Standing::Unknown, Some(2018)));
    assert_eq!(o.defense_partners.iter().map(|d| d.ccode).collect::<Vec<_>>(), vec![92], "only what is known binds");
    let former: Vec<(Ccode, Option<i32>, Option<i32>)> = o
        .former_defense_partners
        .iter()
        .map(|d| (d.ccode, d.commitments[0].years.to, d.commitments[0].known_until))
        .collect();
    assert_eq!(former, vec![(90, None, Some(2018)), (91, Some(1962), Some(2018))]);
    assert_eq!(super::timeline::standing_words(atop.standing, atop.known_until), "not known after 2018");
}

#[test]
fn arms_transfers_join_the_depth_as_the_partners_share_of_the_trade() {
    use pactbase_model::arms::{ArmsParty, ArmsTransfer, ArmsTransfers, PartyKind};

    let agreements = registry();
    let parties = ["China", "Saudi Arabia", "Pakistan", "Rebels*"]
        .map(|name| ArmsParty { name: name.into(), kind: PartyKind::State });
    let delivery = |supplier: u32, recipient: u32, year: i32, tiv: f64| {
        let ccode = |p: u32| [Some(710), Some(670), Some(PAK), None][p as usize];
        ArmsTransfer {
            supplier,
            recipient,
            supplier_ccode: ccode(supplier),
            recipient_ccode: ccode(recipient),
            year,
            tiv,
        }
    };
    let arms = ArmsTransfers {
        coverage: (1950, 2021),
        parties: parties.to_vec(),
        // China 300 of Pakistan's 400 imports in 2012–2021 (a non-state supplier's 100 in
        // the total); its 1990 delivery is outside the ten years; Pakistan's exports all go
        // to Saudi Arabia.
        transfers: vec![
            delivery(0, 2, 2015, 300.0),
            delivery(3, 2, 2016, 100.0),
            delivery(0, 2, 1990, 1000.0),
            delivery(2, 1, 2018, 20.0),
        ],
    };
    let view = View::Year(2025);
    let t = timeline(PAK, view, &agreements, &|_| None);
    let data = |arms| PartnerData {
        agreements: &agreements,
        series: &[],
        mme: None,
        rivalries: None,
        arms,
        include_all: false,
        without: vec![],
    };
    let with = partners(PAK, view, &t, &data(Some(&arms)));
    let component = |ccode: Ccode| {
        let p = with.ranked.iter().find(|p| p.ccode == ccode).unwrap();
        p.depth.components.iter().find(|c| c.kind == DepthKind::Arms).unwrap().clone()
    };
    let china = component(710);
    assert_eq!(china.value, 0.75);
    assert_eq!(china.evidence, "supplied 75% of its arms imports in 2012–2021 (SIPRI TIV 300 of 400)");
    let saudi = component(670);
    assert_eq!(saudi.value, 1.0, "all of its exports: {}", saudi.evidence);
    // Five components instead of four: the mean changes, not the scale.
    let without = partners(PAK, view, &t, &data(None));
    let depth = |p: &Partners, ccode: Ccode| p.ranked.iter().find(|p| p.ccode == ccode).unwrap().depth.clone();
    assert_eq!(depth(&without, 710).components.len(), 4);
    assert_eq!(depth(&with, 710).components.len(), 5);
    let four: f64 = depth(&without, 710).components.iter().map(|c| c.value).sum();
    assert!((depth(&with, 710).index - 3.0 * (four + 0.75) / 5.0).abs() < 1e-12);
    // Before SIPRI's first year there is no component.
    let early = timeline(PAK, View::Year(1949), &agreements, &|_| None);
    assert!(partners(PAK, View::Year(1949), &early, &data(Some(&arms))).ranked.iter().all(|p| p
        .depth
        .components
        .iter()
        .all(|c| c.kind != DepthKind::Arms)));
}
