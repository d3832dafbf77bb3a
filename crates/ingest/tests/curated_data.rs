//! The built-in curated data: it loads, covers what the registry promises, and agrees
//! with the field's reference files (COW states, ATOP 5.1 members) except for reviewed,
//! listed exceptions.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pactbase_ingest::curated::{self, Curated, DataFiles};
use pactbase_model::{
    AgreementKind, AtopField, Ccode, InvocationOutcome, ObligationType, PartialDate, ReservationEffect,
    SuspensionScope, Vocabulary,
};

fn data() -> Curated {
    curated::load(&DataFiles::embedded()).unwrap_or_else(|e| panic!("{e}"))
}

fn ccode(data: &Curated, abb: &str) -> Ccode {
    data.states.iter().find(|s| s.abb == abb).unwrap_or_else(|| panic!("no state {abb}")).ccode
}

/// Issue 13 asks for 220 agreements (see data/COVERAGE.md); this floor keeps the registry
/// from shrinking while every kind keeps at least 15.
#[test]
fn at_least_220_agreements_and_15_of_each_kind() {
    let data = data();
    assert!(data.agreements.len() >= 220, "only {} agreements", data.agreements.len());
    let modern = data.agreements.iter().filter(|a| (1946..=2025).contains(&a.signed.year)).count();
    assert!(modern >= 210, "only {modern} agreements signed 1946-2025");
    for &kind in AgreementKind::ALL {
        let n = data.agreements.iter().filter(|a| a.kinds.contains(&kind)).count();
        assert!(n >= 15, "only {n} agreements of kind {kind}");
    }
}

/// Restraint treaties have their own kind; arms control keeps the treaties that limit weapons.
#[test]
fn friendship_and_nonaggression_treaties_are_not_filed_as_arms_control() {
    let data = data();
    let kinds = |id: &str| data.agreements.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("{id}")).kinds.clone();
    for id in [
        "saudi-pakistan-treaty-of-friendship-1951",
        "china-pakistan-treaty-of-friendship-2005",
        "simla-agreement",
        "treaty-of-amity-and-cooperation-in-southeast-asia",
    ] {
        assert_eq!(kinds(id), [AgreementKind::NonaggressionAndFriendship], "{id}");
    }
    // A restraint promise without limits on arms is not arms control.
    for a in data.agreements.iter().filter(|a| a.kinds.contains(&AgreementKind::ArmsControl)) {
        let restraint_only = !a.obligations.is_empty()
            && a.obligations.iter().all(|o| o.kind != ObligationType::Defense && o.kind != ObligationType::Offense);
        assert!(
            !restraint_only || a.provisions.arms_limits == Some(true),
            "{} is a restraint treaty filed as arms control",
            a.id
        );
    }
}

#[test]
fn every_agreement_and_series_is_sourced() {
    let data = data();
    for a in &data.agreements {
        assert!(!a.sources.is_empty(), "{} has no source", a.id);
        let keys: BTreeSet<_> = a.sources.iter().map(|s| s.key.as_str()).collect();
        for m in &a.members {
            assert!(keys.contains(m.source.as_str()), "{}: member {} cites unknown source", a.id, m.ccode);
        }
        assert!(a.summary.len() > 80, "{}: summary too short to be useful", a.id);
    }
    for e in &data.exercises {
        assert!(!e.sources.is_empty(), "{} has no source", e.id);
    }
}

#[test]
fn key_signatories_are_each_in_at_least_8_agreements_across_kinds() {
    let data = data();
    for abb in ["USA", "UKG", "FRN", "RUS", "IND", "CHN", "ISR", "SAU"] {
        let c = ccode(&data, abb);
        let theirs: Vec<_> = data.agreements.iter().filter(|a| a.parties().contains(&c)).collect();
        let kinds: BTreeSet<_> = theirs.iter().flat_map(|a| a.kinds.iter()).collect();
        assert!(theirs.len() >= 8, "{abb} is in only {} agreements", theirs.len());
        assert!(kinds.len() >= 3, "{abb}'s agreements span only {kinds:?}");
    }
}

#[test]
fn nato_has_every_accession_through_sweden_and_frances_command_history() {
    let data = data();
    let nato = data.agreements.iter().find(|a| a.id == "nato").expect("nato");
    let joined = |abb: &str| {
        let c = ccode(&data, abb);
        nato.memberships_of(c).map(|m| m.joined).min().unwrap_or_else(|| panic!("{abb} missing from NATO"))
    };
    for (abb, date) in [
        ("USA", "1949-04-04"),
        ("GRC", "1952-02-18"),
        ("TUR", "1952-02-18"),
        ("GFR", "1955-05-06"),
        ("SPN", "1982-05-30"),
        ("POL", "1999-03-12"),
        ("EST", "2004-03-29"),
        ("ALB", "2009-04-01"),
        ("MNG", "2017-06-05"),
        ("MAC", "2020-03-27"),
        ("FIN", "2023-04-04"),
        ("SWD", "2024-03-07"),
    ] {
        assert_eq!(joined(abb), PartialDate::parse(date).unwrap(), "{abb}");
    }
    assert_eq!(nato.parties().len(), 33, "32 allies plus West Germany before unification");
    let france = nato.memberships_of(ccode(&data, "FRN")).next().unwrap();
    let command =
        france.suspensions.iter().find(|s| s.scope == SuspensionScope::IntegratedCommand).expect("France 1966");
    assert_eq!(command.from.year, 1966);
    assert_eq!(command.to.map(|t| t.year), Some(2009));
}

#[test]
fn anzus_records_the_1986_suspension_toward_new_zealand() {
    let data = data();
    let anzus = data.agreements.iter().find(|a| a.id == "anzus").expect("anzus");
    let (usa, nzl, aus) = (ccode(&data, "USA"), ccode(&data, "NEW"), ccode(&data, "AUL"));
    assert!(!anzus.obligations_between(usa, nzl, 1985).is_empty());
    assert!(anzus.obligations_between(usa, nzl, 1987).is_empty());
    assert!(!anzus.obligations_between(usa, aus, 1987).is_empty());
}

#[test]
fn five_eyes_grows_from_brusa_1946_to_five_members() {
    let data = data();
    let ukusa = data.agreements.iter().find(|a| a.id == "ukusa").expect("ukusa");
    assert!(ukusa.kinds.contains(&AgreementKind::IntelligenceSharing));
    assert_eq!(ukusa.signed, PartialDate::ymd(1946, 3, 5));
    let members: BTreeSet<_> = ukusa.parties().into_iter().collect();
    let expected: BTreeSet<_> = ["USA", "UKG", "CAN", "AUL", "NEW"].iter().map(|a| ccode(&data, a)).collect();
    assert_eq!(members, expected);
}

#[test]
fn pakistan_has_all_eleven_atop_alliances_and_its_other_agreements() {
    let data = data();
    let pak = ccode(&data, "PAK");
    let atopids: BTreeSet<u32> =
        data.agreements.iter().filter(|a| a.parties().contains(&pak)).filter_map(|a| a.atopid).collect();
    let expected: BTreeSet<u32> = [3222, 3255, 3260, 3275, 3355, 3530, 3705, 3755, 3985, 4810, 5060].into();
    assert_eq!(atopids, expected);
    for id in [
        "us-pakistan-mutual-defense-assistance-agreement-1954",
        "saudi-pakistan-strategic-mutual-defence-agreement-2025",
        "islamic-military-counter-terrorism-coalition",
        "france-pakistan-agosta-90b-submarine-contract-1994",
        "pakistan-ukraine-t-80ud-tank-contract-1996",
        "pakistan-sweden-saab-erieye-contract-2005",
        "azerbaijan-pakistan-turkey-islamabad-declaration-2021",
    ] {
        let a = data.agreements.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(a.parties().contains(&pak), "{id} lacks Pakistan");
    }
    let series: BTreeSet<Ccode> = data
        .exercises
        .iter()
        .filter(|e| e.participants.contains(&pak))
        .flat_map(|e| e.participants.iter().copied())
        .collect();
    for partner in ["CHN", "SAU", "TUR", "USA"] {
        assert!(series.contains(&ccode(&data, partner)), "no exercise series with {partner}");
    }
    assert!(data.exercises.iter().any(|e| e.id == "aman" && e.host == Some(pak)));
}

type Spells = Vec<(PartialDate, Option<PartialDate>)>;

/// Every state and spell agrees with COW's states2016.csv.
#[test]
fn states_agree_with_cow_state_system() {
    let Some(path) = pactbase_testdata::shared("cow/states2016.csv") else { return };
    let data = data();
    let mut cow: BTreeMap<Ccode, (String, Spells)> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(path).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        let n = |i: usize| row[i].parse::<u16>().unwrap();
        let start = PartialDate::ymd(n(3) as i32, n(4) as u8, n(5) as u8);
        let end = PartialDate::ymd(n(6) as i32, n(7) as u8, n(8) as u8);
        // COW ends every current state on its last update, 2016-12-31; we leave those open.
        let end = (end != PartialDate::ymd(2016, 12, 31)).then_some(end);
        let entry = cow.entry(n(1)).or_insert_with(|| (row[0].to_owned(), Vec::new()));
        entry.1.push((start, end));
    }
    let ours: BTreeMap<Ccode, (String, Spells)> = data
        .states
        .iter()
        .map(|s| (s.ccode, (s.abb.clone(), s.spells.iter().map(|sp| (sp.start, sp.end)).collect())))
        .collect();
    assert_eq!(ours.len(), 217);
    for (c, theirs) in &cow {
        assert_eq!(ours.get(c), Some(theirs), "state {c}");
    }
    assert_eq!(ours.keys().collect::<Vec<_>>(), cow.keys().collect::<Vec<_>>());
}

/// Members and entry/exit years of every agreement with an `atopid` agree with ATOP 5.1's
/// member file, except for the reviewed exceptions each agreement lists — and every listed
/// exception is a real difference.
#[test]
fn atop_linked_memberships_agree_with_atop_except_reviewed_exceptions() {
    let Some(path) = pactbase_testdata::shared("atop-5.1/atop5_1m.csv") else { return };
    let data = data();
    // atopid -> member -> (first entry year, last exit year; 0 = in effect at the end of 2018)
    let mut atop: HashMap<u32, BTreeMap<Ccode, (i32, i32)>> = HashMap::new();
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (c_id, c_member, c_ent, c_exit) = (col("atopid"), col("member"), col("yrent"), col("yrexit"));
    for row in reader.records() {
        let row = row.unwrap();
        let (ent, exit): (i32, i32) = (row[c_ent].parse().unwrap(), row[c_exit].parse().unwrap());
        let e = atop
            .entry(row[c_id].parse().unwrap())
            .or_default()
            .entry(row[c_member].parse().unwrap())
            .or_insert((ent, exit));
        e.0 = e.0.min(ent);
        e.1 = if e.1 == 0 || exit == 0 { 0 } else { e.1.max(exit) };
    }
    let mut unexplained = Vec::new();
    let mut stale = Vec::new();
    for a in data.agreements.iter().filter(|a| a.atopid.is_some()) {
        let theirs = atop.get(&a.atopid.unwrap()).unwrap_or_else(|| panic!("{}: atopid not in ATOP", a.id));
        let mut ours: BTreeMap<Ccode, (i32, i32)> = BTreeMap::new();
        for m in &a.members {
            // ATOP's data ends in 2018: a later exit, or none, is "in effect" (0) there.
            let left = m.left.map_or(0, |l| if l.year > 2018 { 0 } else { l.year });
            let e = ours.entry(m.ccode).or_insert((m.joined.year, left));
            e.0 = e.0.min(m.joined.year);
            e.1 = if e.1 == 0 || left == 0 { 0 } else { e.1.max(left) };
        }
        let mut differences = BTreeSet::new();
        for c in ours.keys().chain(theirs.keys()).collect::<BTreeSet<_>>() {
            match (ours.get(c), theirs.get(c)) {
                (Some(o), Some(t)) => {
                    if o.0 != t.0 {
                        differences.insert((*c, AtopField::Joined, format!("{} vs ATOP {}", o.0, t.0)));
                    }
                    if o.1 != t.1 {
                        differences.insert((*c, AtopField::Left, format!("{} vs ATOP {}", o.1, t.1)));
                    }
                }
                _ => {
                    differences.insert((*c, AtopField::Member, "member on one side only".into()));
                }
            }
        }
        let listed: BTreeSet<(Ccode, String)> =
            a.atop_exceptions.iter().map(|e| (e.ccode, e.field.to_string())).collect();
        for (c, field, detail) in &differences {
            if !listed.contains(&(*c, field.to_string())) {
                unexplained.push(format!("{} (atopid {}): state {c} {field}: {detail}", a.id, a.atopid.unwrap()));
            }
        }
        for (c, field) in &listed {
            if !differences.iter().any(|(dc, df, _)| dc == c && df.to_string() == *field) {
                stale.push(format!("{}: exception for state {c} {field} describes no difference", a.id));
            }
        }
    }
    assert!(unexplained.is_empty(), "differences from ATOP without a reviewed exception:\n{}", unexplained.join("\n"));
    assert!(stale.is_empty(), "exceptions that no longer describe a difference:\n{}", stale.join("\n"));
}

/// The facts the challenges analysis reads: the US "communist aggression" limits in SEATO
/// and the 1959 agreement, and what came of Pakistan's calls on them in 1965 and 1971.
#[test]
fn pakistans_calls_on_seato_and_the_1959_agreement_were_limited_by_the_us_understanding() {
    let data = data();
    let (usa, pak, ind) = (ccode(&data, "USA"), ccode(&data, "PAK"), ccode(&data, "IND"));
    for id in ["seato", "us-pakistan-agreement-of-cooperation-1959"] {
        let a = data.agreements.iter().find(|a| a.id == id).unwrap();
        let limit = a.reservations.iter().find(|r| r.ccode == usa).unwrap_or_else(|| panic!("{id}: no US limit"));
        assert_eq!(limit.effect, ReservationEffect::Limits);
        assert!(limit.text.contains("communis"), "{id}: {}", limit.text);
        let years: Vec<i32> =
            a.invocations.iter().filter(|v| v.by == pak && v.against == [ind]).map(|v| v.date.year).collect();
        assert_eq!(years, [1965, 1971], "{id}");
        assert!(a.invocations.iter().all(|v| v.outcome != InvocationOutcome::Honoured), "{id}: none was honoured");
    }
}

#[test]
fn sanction_episodes_cut_off_assistance_without_suspending_obligations() {
    let data = data();
    let (usa, pak, ind, tur) = (ccode(&data, "USA"), ccode(&data, "PAK"), ccode(&data, "IND"), ccode(&data, "TUR"));
    let cut_offs = |id: &str, toward: Ccode| -> Vec<(i32, Option<i32>)> {
        let a = data.agreements.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("{id} missing"));
        a.memberships_of(usa)
            .flat_map(|m| &m.suspensions)
            .filter(|s| s.scope == SuspensionScope::Assistance && s.toward == [toward])
            .map(|s| (s.from.year, s.to.map(|t| t.year)))
            .collect()
    };
    let pakistan = cut_offs("us-pakistan-mutual-defense-assistance-agreement-1954", pak);
    for episode in [(1965, Some(1966)), (1979, Some(1981)), (1990, Some(2001)), (1998, Some(2001))] {
        assert!(pakistan.contains(&episode), "{episode:?} missing from {pakistan:?}");
    }
    assert!(cut_offs("us-india-military-assistance-agreement-1962", ind).contains(&(1965, Some(1966))));
    assert!(cut_offs("india-us-agreed-minute-on-defense-relations-1995", ind).contains(&(1998, Some(2001))));
    let turkey = cut_offs("us-turkey-agreement-of-cooperation-1959", tur);
    assert!(turkey.contains(&(1975, Some(1978))) && turkey.contains(&(2019, None)), "{turkey:?}");
    // An aid cut-off is not a suspension of the alliance commitment.
    let us_turkey = data.agreements.iter().find(|a| a.id == "us-turkey-agreement-of-cooperation-1959").unwrap();
    assert_eq!(us_turkey.obligations_between(usa, tur, 1976), [ObligationType::Defense, ObligationType::Consultation]);
    let cfe = data.agreements.iter().find(|a| a.id == "cfe-treaty").unwrap();
    let russia = cfe.memberships_of(ccode(&data, "RUS")).next().unwrap();
    assert_eq!(russia.left.map(|l| l.year), Some(2023));
    assert!(russia.suspensions.iter().any(|s| s.scope == SuspensionScope::Obligations && s.from.year == 2007));
}

#[test]
fn every_invocation_is_by_a_member_and_in_date_order() {
    let data = data();
    let mut seen = 0;
    for a in &data.agreements {
        assert!(a.invocations.windows(2).all(|w| w[0].date <= w[1].date), "{}", a.id);
        for v in &a.invocations {
            assert!(a.parties().contains(&v.by), "{}: {} is not a member", a.id, v.by);
            seen += 1;
        }
    }
    assert!(seen >= 20, "only {seen} invocations");
    let nato = data.agreements.iter().find(|a| a.id == "nato").unwrap();
    let art5: Vec<_> = nato.invocations.iter().filter(|v| v.obligation == ObligationType::Defense).collect();
    assert_eq!(art5.len(), 1, "Art. 5 was invoked once");
    assert_eq!(art5[0].date, PartialDate::ymd(2001, 9, 12));
}

/// The multilateral conventions list every party the depositary records, signatories apart,
/// and say which lists are still selections.
#[test]
fn universal_treaties_list_their_parties_with_signatories_apart() {
    use pactbase_model::PartyCoverage;
    let data = data();
    let get = |id: &str| data.agreements.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("{id}"));
    let (npt, cwc, ctbt, open_skies) =
        (get("npt"), get("chemical-weapons-convention"), get("ctbt"), get("open-skies-treaty"));
    assert!(npt.parties().len() >= 185, "NPT: {}", npt.parties().len());
    assert_eq!(cwc.parties().len() + cwc.non_state_parties.len(), 193, "CWC: 189 states and 4 other parties");
    assert_eq!(npt.party_coverage, PartyCoverage::Complete);
    assert_eq!(ctbt.party_coverage, PartyCoverage::Complete);
    // The CTBTO counted 178 ratifications in November 2024 (Russia's revoked one left out).
    let bound_now = |a: &pactbase_model::Agreement| -> usize {
        a.members.iter().filter(|m| m.left.is_none()).count()
            + a.non_state_parties.iter().filter(|p| p.joined.is_some() && p.left.is_none()).count()
    };
    assert_eq!(bound_now(ctbt), 178, "CTBT ratifications");
    // UNODA counts 189 BWC parties (May 2025); Taiwan, which ratified as the Republic of China, is listed besides.
    let bwc = get("biological-weapons-convention");
    assert_eq!(bwc.party_coverage, PartyCoverage::Complete);
    assert_eq!(bound_now(bwc), 190, "BWC: UNODA's 189 parties and Taiwan");
    let bwc_signatories: BTreeSet<_> = bwc.signatories.iter().map(|s| s.ccode).collect();
    let expected: BTreeSet<_> = ["EGY", "HAI", "SOM", "SYR"].iter().map(|a| ccode(&data, a)).collect();
    assert_eq!(bwc_signatories, expected, "BWC states that signed and never ratified");
    // The United States signed the CTBT and never ratified; Russia revoked its ratification.
    let (usa, rus, prk) = (ccode(&data, "USA"), ccode(&data, "RUS"), ccode(&data, "PRK"));
    assert!(!ctbt.parties().contains(&usa) && ctbt.signatories.iter().any(|s| s.ccode == usa));
    assert_eq!(ctbt.memberships_of(rus).next().and_then(|m| m.left), Some(PartialDate::ymd(2023, 11, 2)));
    assert!(ctbt.signatories.iter().any(|s| s.ccode == rus));
    assert_eq!(npt.memberships_of(prk).next().and_then(|m| m.left).map(|l| l.year), Some(2003));
    let left = |abb: &str| open_skies.memberships_of(ccode(&data, abb)).next().and_then(|m| m.left).map(|l| l.year);
    assert_eq!((left("USA"), left("RUS")), (Some(2020), Some(2021)));
    assert_eq!(open_skies.parties().len(), 34);
    assert!(npt.non_state_parties.iter().any(|p| p.name == "Holy See"));
}

/// The Treaty of Amity and Cooperation lists every High Contracting Party: the counts the
/// ASEAN chair announced at successive accessions (data/COVERAGE.md) are the parties the
/// file lists on those days.
#[test]
fn treaty_of_amity_lists_every_high_contracting_party_the_asean_chair_counted() {
    use pactbase_model::PartyCoverage;
    let data = data();
    let tac = data.agreements.iter().find(|a| a.id == "treaty-of-amity-and-cooperation-in-southeast-asia").unwrap();
    assert_eq!(tac.party_coverage, PartyCoverage::Complete);
    let parties_on = |day: PartialDate| {
        tac.members.iter().filter(|m| !m.joined.certainly_after(&day)).count()
            + tac.non_state_parties.iter().filter(|p| p.joined.is_some_and(|j| !j.certainly_after(&day))).count()
    };
    for (day, count) in [
        (PartialDate::ymd(2016, 9, 6), 35),   // Chile, Egypt, Morocco (Vientiane)
        (PartialDate::ymd(2020, 11, 10), 43), // Colombia, Cuba, South Africa (Hanoi)
        (PartialDate::ymd(2022, 8, 3), 49),   // six accessions in Phnom Penh
        (PartialDate::ymd(2023, 9, 4), 54),   // Serbia, Panama, Kuwait (Jakarta)
        (PartialDate::ymd(2025, 7, 9), 57),   // Algeria and Uruguay (Kuala Lumpur)
        (PartialDate::ymd(2025, 10, 25), 58), // Finland
    ] {
        assert_eq!(parties_on(day), count, "parties on {day}");
    }
}
