//! A state's defense-agreement profile: what it belongs to, what it owes and is owed,
//! who its partners are and how strongly it is tied to them.

use std::collections::BTreeMap;

use pactbase_model::{Agreement, AgreementKind, Ccode, ExerciseSeries, ObligationType, PartialDate, Role};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub ccode: Ccode,
    pub year: Option<i32>,
    pub memberships: Vec<MembershipRow>,
    pub partners: Vec<Partner>,
    pub kinds: BTreeMap<AgreementKind, usize>,
    pub decades: Vec<Decade>,
    pub exercises: Vec<ExerciseRow>,
}

/// One spell of the state's membership in one agreement.
#[derive(Debug, Clone, Serialize)]
pub struct MembershipRow {
    pub agreement_id: String,
    pub agreement: String,
    /// Short name (NATO, SEATO), else the official name.
    pub label: String,
    pub kinds: Vec<AgreementKind>,
    pub joined: PartialDate,
    pub left: Option<PartialDate>,
    pub role: Role,
    /// Obligation types the state holds toward fellow members (or a third party).
    pub obligations: Vec<ObligationType>,
    /// Obligation types fellow members hold toward the state.
    pub owed: Vec<ObligationType>,
    pub partners: Vec<Ccode>,
}

/// A fellow member of at least one agreement, with the strongest ties each way.
#[derive(Debug, Clone, Serialize)]
pub struct Partner {
    pub ccode: Ccode,
    /// Valued tie (FIELD.md §3: 3 defense/offense, 2 neutrality/consultation, 1 nonaggression, 0 none)
    /// from the profiled state toward the partner, and back.
    pub tie_out: u8,
    pub tie_in: u8,
    pub strongest: Option<ObligationType>,
    pub agreements: Vec<String>,
    pub first_year: i32,
    pub last_year: Option<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decade {
    pub decade: i32,
    pub joined: usize,
    pub in_force: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExerciseRow {
    pub id: String,
    pub name: String,
    pub partners: Vec<Ccode>,
    pub years: Vec<i32>,
    pub domains: Vec<String>,
}

/// Builds the profile of `ccode` from the agreements it belongs to, as of `year` when given
/// (only memberships and ties in effect that year) or over its whole history. `last_year`
/// is the last year of the data, used to count agreements still in force by decade.
pub fn profile(
    ccode: Ccode,
    year: Option<i32>,
    agreements: &[Agreement],
    exercises: &[ExerciseSeries],
    last_year: i32,
) -> Profile {
    let mut memberships = Vec::new();
    let mut partners: BTreeMap<Ccode, Partner> = BTreeMap::new();
    for a in agreements {
        for m in a.memberships_of(ccode) {
            if year.is_some_and(|y| !m.active_in(y) || !a.active_in(y)) {
                continue;
            }
            let span_end = [m.left.map(|l| l.year), a.ended.map(|e| e.year)].into_iter().flatten().min();
            let directed = a.directed_obligations();
            let mut obligations = Vec::new();
            let mut owed = Vec::new();
            let mut fellows = Vec::new();
            for other in a.members.iter().filter(|o| o.ccode != ccode) {
                let overlap_from = m.joined.year.max(other.joined.year);
                let overlap_to = [span_end, other.left.map(|l| l.year)].into_iter().flatten().min();
                if overlap_to.is_some_and(|t| t < overlap_from) || year.is_some_and(|y| !other.active_in(y)) {
                    continue;
                }
                if !fellows.contains(&other.ccode) {
                    fellows.push(other.ccode);
                }
                let years = match year {
                    Some(y) => y..=y,
                    None => overlap_from..=overlap_to.unwrap_or(last_year).max(overlap_from),
                };
                // A suspension (ANZUS, 1986) lifts the pair's obligations only for its years.
                let holds = |holder: Ccode, partner: Ccode| {
                    years.clone().any(|y| {
                        !a.memberships_of(holder).any(|h| h.active_in(y) && h.obligations_suspended(partner, y))
                    })
                };
                let between = |from: Ccode, toward: Ccode| -> Vec<ObligationType> {
                    if !holds(from, toward) {
                        return Vec::new();
                    }
                    directed.iter().filter(|d| d.from == from && d.toward == Some(toward)).map(|d| d.kind).collect()
                };
                let out = between(ccode, other.ccode);
                let back = between(other.ccode, ccode);
                let p = partners.entry(other.ccode).or_insert_with(|| Partner {
                    ccode: other.ccode,
                    tie_out: 0,
                    tie_in: 0,
                    strongest: None,
                    agreements: Vec::new(),
                    first_year: overlap_from,
                    last_year: overlap_to,
                });
                p.first_year = p.first_year.min(overlap_from);
                p.last_year = match (p.last_year, overlap_to) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
                if !p.agreements.contains(&a.id) {
                    p.agreements.push(a.id.clone());
                }
                for &o in &out {
                    p.tie_out = p.tie_out.max(o.tie_value());
                    if p.strongest.is_none_or(|s| o.tie_value() > s.tie_value()) {
                        p.strongest = Some(o);
                    }
                }
                p.tie_in = back.iter().map(|o| o.tie_value()).fold(p.tie_in, u8::max);
                obligations.extend(out);
                owed.extend(back);
            }
            // Obligations toward third parties (guarantees) bind the state without a fellow member.
            obligations.extend(directed.iter().filter(|d| d.from == ccode && d.toward.is_none()).map(|d| d.kind));
            for list in [&mut obligations, &mut owed] {
                list.sort_unstable();
                list.dedup();
            }
            memberships.push(MembershipRow {
                agreement_id: a.id.clone(),
                agreement: a.name.clone(),
                label: a.label().to_owned(),
                kinds: a.kinds.clone(),
                joined: m.joined,
                left: m.left,
                role: m.role,
                obligations,
                owed,
                partners: fellows,
            });
        }
    }
    memberships.sort_by(|a, b| a.joined.cmp(&b.joined).then(a.agreement_id.cmp(&b.agreement_id)));

    let mut kinds = BTreeMap::new();
    let mut counted: Vec<&str> = Vec::new();
    for m in &memberships {
        if !counted.contains(&m.agreement_id.as_str()) {
            counted.push(&m.agreement_id);
            for &k in &m.kinds {
                *kinds.entry(k).or_insert(0) += 1;
            }
        }
    }

    let decades = decades(&memberships, last_year);
    let mut partners: Vec<Partner> = partners.into_values().collect();
    partners.sort_by(|a, b| {
        (b.tie_out.max(b.tie_in), b.agreements.len())
            .cmp(&(a.tie_out.max(a.tie_in), a.agreements.len()))
            .then(a.ccode.cmp(&b.ccode))
    });

    let exercises = exercises
        .iter()
        .filter(|e| e.participants.contains(&ccode))
        .map(|e| ExerciseRow {
            id: e.id.clone(),
            name: e.name.clone(),
            partners: e.participants.iter().copied().filter(|&c| c != ccode).collect(),
            years: e.years.iter().copied().filter(|y| year.is_none_or(|x| x == *y)).collect(),
            domains: e.domains.iter().map(|d| d.to_string()).collect(),
        })
        .filter(|e| year.is_none() || !e.years.is_empty())
        .collect();

    Profile { ccode, year, memberships, partners, kinds, decades, exercises }
}

/// Per decade: memberships begun, and memberships in force at some point in the decade.
fn decades(memberships: &[MembershipRow], last_year: i32) -> Vec<Decade> {
    let Some(first) = memberships.iter().map(|m| m.joined.year).min() else { return Vec::new() };
    let mut out = Vec::new();
    let mut decade = first - first.rem_euclid(10);
    while decade <= last_year {
        let end = decade + 9;
        out.push(Decade {
            decade,
            joined: memberships.iter().filter(|m| (decade..=end).contains(&m.joined.year)).count(),
            in_force: memberships
                .iter()
                .filter(|m| m.joined.year <= end && m.left.is_none_or(|l| l.year >= decade))
                .count(),
        });
        decade += 10;
    }
    out
}

/// The state's defense agreements (mutual defense pacts and regional defense alliances)
/// with its first year in each: multilateral ones first, then those under which it holds
/// or is owed defense, then by entry. `agreements` are the state's agreements, as the
/// profile was built from.
pub fn main_alliances<'a>(p: &Profile, agreements: &'a [Agreement]) -> Vec<(&'a Agreement, i32)> {
    let holds_defense = |id: &str| {
        p.memberships.iter().filter(|m| m.agreement_id == id).any(|m| {
            m.obligations.iter().chain(&m.owed).any(|o| matches!(o, ObligationType::Defense | ObligationType::Offense))
        })
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut out: Vec<(&Agreement, i32)> = p
        .memberships
        .iter()
        .filter(|m| seen.insert(m.agreement_id.as_str()))
        .filter_map(|m| agreements.iter().find(|a| a.id == m.agreement_id).map(|a| (a, m.joined.year)))
        .filter(|(a, _)| {
            a.kinds
                .iter()
                .any(|k| matches!(k, AgreementKind::MutualDefensePact | AgreementKind::RegionalDefenseAlliance))
        })
        .collect();
    out.sort_by_key(|(a, joined)| (a.parties().len() <= 2, !holds_defense(&a.id), *joined));
    out
}
