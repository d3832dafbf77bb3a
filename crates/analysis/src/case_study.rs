//! The measures of a case study (NATO, ANZUS, Five Eyes): how membership changed, how the
//! members shared the burden of defense spending, how often they exercised together, how
//! tightly they were bound to each other, and the same measures for one state and its
//! partners, so that a case can be read against that state's own commitments.
//!
//! A *group* is who counts in a year: an agreement's members then, or a state's partners.

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;

use pactbase_model::research::{MmeExercise, SipriMilex};
use pactbase_model::{Agreement, AgreementKind, Ccode, SuspensionScope};

use crate::panel::DyadTable;

/// The kinds of cooperation that make a state a partner (arms control and restraint
/// treaties, which bind nearly every state to nearly every other, do not).
pub const COOPERATION: [AgreementKind; 6] = [
    AgreementKind::MutualDefensePact,
    AgreementKind::RegionalDefenseAlliance,
    AgreementKind::SecurityAssistance,
    AgreementKind::ExerciseAndTraining,
    AgreementKind::TechnologySharing,
    AgreementKind::IntelligenceSharing,
];

pub fn is_cooperation(a: &Agreement) -> bool {
    a.kinds.iter().any(|k| COOPERATION.contains(k))
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Joined after the founding.
    Joined,
    Left,
    Suspended {
        scope: SuspensionScope,
        toward: Vec<Ccode>,
    },
    Resumed {
        scope: SuspensionScope,
        toward: Vec<Ccode>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct MembershipChange {
    pub year: i32,
    pub ccode: Ccode,
    pub change: Change,
}

/// Accessions, departures, suspensions and their ends, by year (founders' entries are the
/// agreement's start, not a change).
pub fn membership_changes(a: &Agreement) -> Vec<MembershipChange> {
    let mut out = Vec::new();
    for m in &a.members {
        if m.joined.year > a.signed.year {
            out.push(MembershipChange { year: m.joined.year, ccode: m.ccode, change: Change::Joined });
        }
        if let Some(left) = m.left {
            out.push(MembershipChange { year: left.year, ccode: m.ccode, change: Change::Left });
        }
        for s in &m.suspensions {
            let (scope, toward) = (s.scope, s.toward.clone());
            out.push(MembershipChange {
                year: s.from.year,
                ccode: m.ccode,
                change: Change::Suspended { scope, toward: toward.clone() },
            });
            if let Some(to) = s.to {
                out.push(MembershipChange { year: to.year, ccode: m.ccode, change: Change::Resumed { scope, toward } });
            }
        }
    }
    out.sort_by_key(|c| (c.year, c.ccode));
    out
}

/// Members on at least one day of `year`: parties only (partners and observers of a pact
/// are not its members).
pub fn members_in(a: &Agreement, year: i32) -> Vec<Ccode> {
    let mut out: Vec<Ccode> = a.members.iter().filter(|m| m.is_party() && m.active_in(year)).map(|m| m.ccode).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The partners of `state` in `year`: the other parties of its cooperation agreements in
/// force then, it a party then.
pub fn partners_in(state: Ccode, agreements: &[Agreement], year: i32) -> Vec<Ccode> {
    let mut out: Vec<Ccode> = agreements
        .iter()
        .filter(|a| {
            is_cooperation(a) && a.active_in(year) && a.memberships_of(state).any(|m| m.is_party() && m.active_in(year))
        })
        .flat_map(|a| {
            a.members.iter().filter(|m| m.is_party() && m.active_in(year) && m.ccode != state).map(|m| m.ccode)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What a group spent on defense in a year, and each member's share (SIPRI).
#[derive(Debug, Clone, PartialEq)]
pub struct BurdenYear {
    pub year: i32,
    /// Constant 2017 US$ millions, over the members with a figure.
    pub total: f64,
    /// Members with a figure, largest share first.
    pub shares: Vec<(Ccode, f64)>,
    /// Members without a figure that year (left out, not counted as 0).
    pub without_figure: Vec<Ccode>,
}

impl BurdenYear {
    pub fn share_of(&self, ccode: Ccode) -> Option<f64> {
        self.shares.iter().find(|s| s.0 == ccode).map(|s| s.1)
    }

    /// The median member's share.
    pub fn median_share(&self) -> Option<f64> {
        let mut v: Vec<f64> = self.shares.iter().map(|s| s.1).collect();
        v.sort_by(f64::total_cmp);
        match v.len() {
            0 => None,
            n if n % 2 == 1 => Some(v[n / 2]),
            n => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
        }
    }
}

/// Each year of `years` in which a member of `group` has a SIPRI figure.
pub fn burden(group: &dyn Fn(i32) -> Vec<Ccode>, milex: &[SipriMilex], years: RangeInclusive<i32>) -> Vec<BurdenYear> {
    let spent: HashMap<(Ccode, i32), f64> = milex.iter().map(|r| ((r.ccode, r.year), r.usd2017m)).collect();
    years
        .filter_map(|year| {
            let members = group(year);
            let (with, without): (Vec<Ccode>, Vec<Ccode>) =
                members.iter().partition(|&&c| spent.contains_key(&(c, year)));
            let total: f64 = with.iter().map(|&c| spent[&(c, year)]).sum();
            if with.is_empty() || total <= 0.0 {
                return None;
            }
            let mut shares: Vec<(Ccode, f64)> = with.iter().map(|&c| (c, spent[&(c, year)] / total)).collect();
            shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            Some(BurdenYear { year, total, shares, without_figure: without })
        })
        .collect()
}

/// Exercises in `year` that `state` held with at least one of `partners`.
fn exercises_with(state: Ccode, partners: &HashSet<Ccode>, exercises: &[&MmeExercise]) -> usize {
    exercises
        .iter()
        .filter(|e| {
            e.participants.contains(&state) && e.participants.iter().any(|p| *p != state && partners.contains(p))
        })
        .count()
}

fn by_year(mme: &[MmeExercise]) -> HashMap<i32, Vec<&MmeExercise>> {
    let mut out: HashMap<i32, Vec<&MmeExercise>> = HashMap::new();
    for e in mme {
        out.entry(e.year).or_default().push(e);
    }
    out
}

/// A group's exercises in a year (MME).
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseYear {
    pub year: i32,
    /// Exercises with at least two members taking part.
    pub among_members: usize,
    /// Exercises a member held with at least one fellow member, averaged over members.
    pub per_member: f64,
}

/// The group's exercises in each year of `years` it has two members or more.
pub fn exercise_density(
    group: &dyn Fn(i32) -> Vec<Ccode>,
    mme: &[MmeExercise],
    years: RangeInclusive<i32>,
) -> Vec<ExerciseYear> {
    let index = by_year(mme);
    years
        .filter_map(|year| {
            let members = group(year);
            if members.len() < 2 {
                return None;
            }
            let set: HashSet<Ccode> = members.iter().copied().collect();
            let held = index.get(&year).map_or(&[][..], Vec::as_slice);
            let among_members =
                held.iter().filter(|e| e.participants.iter().filter(|p| set.contains(p)).count() >= 2).count();
            let total: usize = members.iter().map(|&m| exercises_with(m, &set, held)).sum();
            Some(ExerciseYear { year, among_members, per_member: total as f64 / members.len() as f64 })
        })
        .collect()
}

/// Exercises `state` held with at least one of its partners (`partners(year)`), per year.
pub fn state_exercises(
    state: Ccode,
    partners: &dyn Fn(i32) -> Vec<Ccode>,
    mme: &[MmeExercise],
    years: RangeInclusive<i32>,
) -> Vec<(i32, usize)> {
    let index = by_year(mme);
    years
        .map(|year| {
            let set: HashSet<Ccode> = partners(year).into_iter().collect();
            (year, exercises_with(state, &set, index.get(&year).map_or(&[][..], Vec::as_slice)))
        })
        .collect()
}

/// The mean of the values, `None` for none.
pub fn mean(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.into_iter().fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Per year, the share of pairs of members that owe each other defense or offense in
/// both directions, from every alliance in `dyads`; `None` with fewer than two members.
pub fn cohesion(
    group: &dyn Fn(i32) -> Vec<Ccode>,
    dyads: &DyadTable,
    years: RangeInclusive<i32>,
) -> Vec<(i32, Option<f64>)> {
    let pledges = |year: i32, a: Ccode, b: Ccode| {
        dyads.keys.binary_search(&(year, a, b)).is_ok_and(|i| {
            let o = dyads.ties[i].obligations;
            o.defense || o.offense
        })
    };
    years
        .map(|year| {
            let members = group(year);
            let pairs: Vec<(Ccode, Ccode)> =
                members.iter().enumerate().flat_map(|(i, &a)| members[i + 1..].iter().map(move |&b| (a, b))).collect();
            if pairs.is_empty() {
                return (year, None);
            }
            let mutual = pairs.iter().filter(|&&(a, b)| pledges(year, a, b) && pledges(year, b, a)).count();
            (year, Some(mutual as f64 / pairs.len() as f64))
        })
        .collect()
}

/// Other agreements (not `case`) of which at least two of the case's parties have been
/// parties, oldest first.
pub fn shared_agreements<'a>(case: &Agreement, agreements: &'a [Agreement]) -> Vec<&'a Agreement> {
    let parties: HashSet<Ccode> = case.parties().into_iter().collect();
    agreements
        .iter()
        .filter(|a| a.id != case.id && a.parties().iter().filter(|c| parties.contains(c)).count() >= 2)
        .collect()
}

#[cfg(test)]
mod tests {
    use pactbase_model::research::AtopObligations;

    use super::*;
    use crate::panel::{AllianceInfo, PairYear};

    fn agreement(json: serde_json::Value) -> Agreement {
        let mut doc = serde_json::json!({
            "id": "anzus", "name": "ANZUS", "short_names": [], "kinds": ["mutual-defense-pact"], "signed": "1951",
            "in_force": null, "ended": null, "status": "in-force", "region": "", "depositary": null, "atopid": null,
            "summary": "", "text": null, "provisions": {}, "sources": [], "members": [], "obligations": [], "atop_exceptions": []
        });
        for (k, v) in json.as_object().unwrap() {
            doc[k] = v.clone();
        }
        serde_json::from_value(doc).unwrap()
    }

    fn member(ccode: u16, joined: &str, left: Option<&str>, suspensions: serde_json::Value) -> serde_json::Value {
        serde_json::json!({"ccode": ccode, "joined": joined, "left": left, "role": "founding", "source": "s", "note": null, "suspensions": suspensions})
    }

    fn anzus() -> Agreement {
        agreement(serde_json::json!({"members": [
            member(2, "1951", None, serde_json::json!([{"from": "1986-08-11", "to": null, "scope": "obligations", "toward": [920], "note": null, "source": "s"}])),
            member(900, "1951", None, serde_json::json!([])),
            member(920, "1951", None, serde_json::json!([])),
            member(200, "1960", Some("1970"), serde_json::json!([])),
        ]}))
    }

    #[test]
    fn changes_are_accessions_departures_and_suspensions_not_the_founding() {
        let changes = membership_changes(&anzus());
        assert_eq!(
            changes.iter().map(|c| (c.year, c.ccode)).collect::<Vec<_>>(),
            [(1960, 200), (1970, 200), (1986, 2)]
        );
        assert_eq!(changes[2].change, Change::Suspended { scope: SuspensionScope::Obligations, toward: vec![920] });
        assert_eq!(members_in(&anzus(), 1965), [2, 200, 900, 920]);
    }

    #[test]
    fn burden_shares_count_members_with_a_figure_only() {
        let milex = [(2, 1990, 600.0), (900, 1990, 300.0), (920, 1990, 100.0), (2, 1991, 500.0), (365, 1990, 900.0)]
            .map(|(ccode, year, usd2017m)| SipriMilex { ccode, year, usd2017m });
        let a = anzus();
        let rows = burden(&|y| members_in(&a, y), &milex, 1990..=1992);
        assert_eq!(rows.len(), 2, "1992 has no figure");
        assert_eq!(rows[0].total, 1000.0);
        assert_eq!(rows[0].shares[0], (2, 0.6));
        assert_eq!(rows[0].median_share(), Some(0.3));
        assert_eq!(rows[1].without_figure, [900, 920], "missing is not 0");
        assert_eq!(rows[1].share_of(2), Some(1.0));
    }

    #[test]
    fn exercise_density_counts_exercises_with_fellow_members() {
        let ex = |year, participants: Vec<u16>| MmeExercise {
            id: String::new(),
            name: String::new(),
            series: None,
            location: None,
            year,
            month: None,
            end_year: None,
            domains: [false; 6],
            focus: [false; 3],
            participants,
        };
        let mme =
            vec![ex(1990, vec![2, 900]), ex(1990, vec![2, 920, 365]), ex(1990, vec![900, 365]), ex(1991, vec![2])];
        let a = anzus();
        let rows = exercise_density(&|y| members_in(&a, y), &mme, 1990..=1991);
        assert_eq!(rows[0], ExerciseYear { year: 1990, among_members: 2, per_member: (2.0 + 1.0 + 1.0) / 3.0 });
        assert_eq!(rows[1].among_members, 0);
        let pak = state_exercises(900, &|_| vec![2], &mme, 1990..=1991);
        assert_eq!(pak, [(1990, 1), (1991, 0)]);
    }

    #[test]
    fn cohesion_needs_pledges_both_ways() {
        let defense = AtopObligations { defense: true, ..Default::default() };
        let pair = |a, b, obligations| PairYear { year: 1990, a, b, alliance: 0, obligations, transition: false };
        let info = AllianceInfo { label: "x".into(), bilateral: false, asymmetric: false };
        let dyads = DyadTable::from_pairs(
            vec![info],
            [
                pair(2, 900, defense),
                pair(900, 2, defense),
                pair(2, 920, defense),
                pair(920, 2, AtopObligations::default()),
            ],
        );
        let rows = cohesion(&|_| vec![2, 900, 920], &dyads, 1990..=1990);
        assert_eq!(rows, [(1990, Some(1.0 / 3.0))]);
        assert_eq!(cohesion(&|_| vec![2], &dyads, 1990..=1990), [(1990, None)]);
    }

    #[test]
    fn partners_come_from_cooperation_agreements_in_force() {
        let mut npt = anzus();
        npt.id = "npt".into();
        npt.kinds = vec![AgreementKind::ArmsControl];
        let list = vec![anzus(), npt];
        assert_eq!(partners_in(900, &list, 1965), [2, 200, 920]);
        assert_eq!(partners_in(900, &list[1..], 1965), Vec::<u16>::new(), "arms control makes no partners");
        assert_eq!(shared_agreements(&list[0], &list).len(), 1);
    }
}
