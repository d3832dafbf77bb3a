//! Where a state's commitments strain (FIELD.md §7): obligations toward both sides of a
//! strategic rivalry, sovereignty costs of the agreements it belongs to, and overlapping
//! commitments to the same partner.

use std::collections::{BTreeMap, BTreeSet};

use pactbase_model::research::{AtopAlliance, Rivalry};
use pactbase_model::{Agreement, Ccode, SuspensionScope};
use serde::Serialize;

use crate::panel::DyadTable;

/// `holder` owes defense (or offense) to both `a` and `b` while `a` and `b` are rivals.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CommitmentConflict {
    pub holder: Ccode,
    pub a: Ccode,
    pub b: Ccode,
    pub rivalry: String,
    /// Maximal runs of consecutive years.
    pub spans: Vec<(i32, i32)>,
    /// The agreements carrying the obligations toward `a` and toward `b`.
    pub toward_a: Vec<String>,
    pub toward_b: Vec<String>,
}

fn spans(years: &BTreeSet<i32>) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::new();
    for &y in years {
        match out.last_mut() {
            Some(last) if last.1 + 1 == y => last.1 = y,
            _ => out.push((y, y)),
        }
    }
    out
}

/// Conflicts that involve `state`, as the holder of both obligations or as one of the
/// rivals (a partner of `state` also pledged to defend its rival), over `years`.
pub fn commitment_conflicts(
    state: Ccode,
    dyads: &DyadTable,
    rivalries: &[Rivalry],
    years: (i32, i32),
) -> Vec<CommitmentConflict> {
    /// (holder, a, b, rivalry) → years, agreements toward a, agreements toward b.
    #[derive(Default)]
    struct Found {
        years: BTreeSet<i32>,
        toward_a: BTreeSet<String>,
        toward_b: BTreeSet<String>,
    }
    let mut found: BTreeMap<(Ccode, Ccode, Ccode, usize), Found> = BTreeMap::new();
    for year in years.0..=years.1 {
        let range = dyads.year_range(year);
        if range.is_empty() {
            continue;
        }
        // Defense or offense obligations in force this year: holder -> partner -> agreements.
        let mut defends: BTreeMap<Ccode, BTreeMap<Ccode, Vec<&str>>> = BTreeMap::new();
        for k in range {
            let (_, a, b) = dyads.keys[k];
            let t = &dyads.ties[k];
            if t.obligations.defense || t.obligations.offense {
                defends.entry(a).or_default().insert(b, dyads.labels(t).collect());
            }
        }
        for (r, rivalry) in rivalries.iter().enumerate().filter(|(_, r)| r.active_in(year)) {
            let (x, y) = (rivalry.ccode1, rivalry.ccode2);
            let mut record = |holder: Ccode, a: Ccode, b: Ccode| {
                let Some(toward) = defends.get(&holder) else { return };
                if let (Some(via_a), Some(via_b)) = (toward.get(&a), toward.get(&b)) {
                    let e = found.entry((holder, a, b, r)).or_default();
                    e.years.insert(year);
                    e.toward_a.extend(via_a.iter().map(|s| s.to_string()));
                    e.toward_b.extend(via_b.iter().map(|s| s.to_string()));
                }
            };
            if state != x && state != y {
                record(state, x, y);
            } else {
                let (own, rival) = if state == x { (x, y) } else { (y, x) };
                for &holder in defends.keys().filter(|&&h| h != own && h != rival) {
                    record(holder, own, rival);
                }
            }
        }
    }
    found
        .into_iter()
        .map(|((holder, a, b, r), f)| CommitmentConflict {
            holder,
            a,
            b,
            rivalry: rivalries[r].name.clone(),
            spans: spans(&f.years),
            toward_a: f.toward_a.into_iter().collect(),
            toward_b: f.toward_b.into_iter().collect(),
        })
        .collect()
}

/// One component of a sovereignty-cost index: its value (0–1) and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Component {
    pub value: f64,
    pub basis: String,
}

/// Sovereignty costs of one agreement for one member. `index` is the mean of the coded
/// components and never travels without them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SovereigntyCost {
    pub agreement_id: String,
    pub agreement: String,
    pub foreign_bases: Option<Component>,
    pub integrated_command: Option<Component>,
    pub subordination: Option<Component>,
    pub aid_dependence: Option<Component>,
    pub index: Option<f64>,
}

fn component(value: f64, basis: impl Into<String>) -> Option<Component> {
    Some(Component { value, basis: basis.into() })
}

/// Sovereignty costs for `state` of each agreement it belongs to. ATOP's coding is used
/// where the agreement has one (`atop`), else the registry's provisions; `weaker` tells
/// whether the state had less capability than its strongest partner when it joined, which
/// is what makes an aid provision a dependence.
pub fn sovereignty_costs(
    state: Ccode,
    agreements: &[Agreement],
    atop: &dyn Fn(u32) -> Option<AtopAlliance>,
    weaker: &dyn Fn(&Agreement) -> Option<bool>,
) -> Vec<SovereigntyCost> {
    let mut out = Vec::new();
    for a in agreements.iter().filter(|a| a.parties().contains(&state)) {
        let coding = a.atopid.and_then(atop);
        let p = &a.provisions;
        let foreign_bases = match coding.as_ref().and_then(|c| c.base) {
            Some(3) => component(1.0, "ATOP base 3: one-sided stationing of troops on members' territory"),
            Some(2) => component(0.5, "ATOP base 2: reciprocal stationing or use of facilities"),
            Some(1) => component(0.25, "ATOP base 1: joint placements on neutral territory"),
            Some(_) => component(0.0, "ATOP base 0: no stationing provisions"),
            None => p.foreign_bases.and_then(|b| {
                component(
                    f64::from(u8::from(b)),
                    if b { "registry: foreign bases provided for" } else { "registry: no foreign bases" },
                )
            }),
        };
        let suspended_command =
            a.memberships_of(state).flat_map(|m| &m.suspensions).any(|s| s.scope == SuspensionScope::IntegratedCommand);
        let integrated_command = match coding.as_ref().and_then(|c| c.intcom) {
            Some(1) => component(
                if suspended_command { 0.5 } else { 1.0 },
                if suspended_command {
                    "ATOP intcom 1: integrated command; this member left it for part of its membership"
                } else {
                    "ATOP intcom 1: integrated command in peace and war"
                },
            ),
            Some(_) => component(0.0, "ATOP intcom 0: no integrated command"),
            None => p.integrated_command.and_then(|b| {
                component(
                    f64::from(u8::from(b)),
                    if b { "registry: integrated command" } else { "registry: no integrated command" },
                )
            }),
        };
        let subordination = match coding.as_ref().and_then(|c| c.subord) {
            Some(1) => component(1.0, "ATOP subord 1: forces subordinated to a named state in war"),
            Some(2) => component(0.5, "ATOP subord 2: subordination depending on circumstances"),
            Some(_) => component(0.0, "ATOP subord 0: no subordination of forces"),
            None => None,
        };
        let aid = match coding.as_ref().and_then(|c| c.milaid) {
            Some(0) => Some(false),
            Some(_) => Some(true),
            None => p.military_aid,
        };
        let aid_dependence = match (aid, weaker(a)) {
            (Some(true), Some(true)) => {
                component(1.0, "military aid provisions, and this member is the weaker party: a recipient")
            }
            (Some(true), Some(false)) => {
                component(0.0, "military aid provisions, but this member is the stronger party: a provider")
            }
            (Some(true), None) => component(0.5, "military aid provisions; capabilities unknown"),
            (Some(false), _) => component(0.0, "no military aid provisions"),
            (None, _) => None,
        };
        let coded: Vec<f64> = [&foreign_bases, &integrated_command, &subordination, &aid_dependence]
            .iter()
            .filter_map(|c| c.as_ref().map(|c| c.value))
            .collect();
        let index = (!coded.is_empty()).then(|| coded.iter().sum::<f64>() / coded.len() as f64);
        out.push(SovereigntyCost {
            agreement_id: a.id.clone(),
            agreement: a.label().to_owned(),
            foreign_bases,
            integrated_command,
            subordination,
            aid_dependence,
            index,
        });
    }
    out
}

/// Two or more agreements binding `state` and the same partner at once.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Overlap {
    pub partner: Ccode,
    /// Every agreement that took part in an overlap.
    pub agreements: Vec<String>,
    /// Years in which two or more of them were in force together.
    pub spans: Vec<(i32, i32)>,
}

/// Overlapping commitments of `state`: with each partner, the years in which two or more
/// agreements bound the two together. An agreement binds a pair when it is bilateral or
/// carries an obligation between them; a treaty with many parties and no obligations
/// between them (the NPT) does not.
pub fn overlapping_commitments(state: Ccode, agreements: &[Agreement], years: (i32, i32)) -> Vec<Overlap> {
    // The partners each agreement binds `state` to, worked out once.
    let binding: Vec<(&Agreement, BTreeSet<Ccode>)> = agreements
        .iter()
        .filter(|a| a.parties().contains(&state))
        .map(|a| {
            let bound = if a.is_bilateral() {
                a.parties().into_iter().filter(|&p| p != state).collect()
            } else {
                a.directed_obligations()
                    .iter()
                    .filter_map(|d| match d.toward {
                        Some(t) if d.from == state => Some(t),
                        Some(t) if t == state => Some(d.from),
                        _ => None,
                    })
                    .collect()
            };
            (a, bound)
        })
        .collect();
    let mut by_partner: BTreeMap<Ccode, (BTreeSet<String>, BTreeSet<i32>)> = BTreeMap::new();
    for year in years.0..=years.1 {
        let mut shared: BTreeMap<Ccode, Vec<&str>> = BTreeMap::new();
        for (a, bound) in
            binding.iter().filter(|(a, _)| a.active_in(year) && a.memberships_of(state).any(|m| m.active_in(year)))
        {
            for &p in bound.iter().filter(|&&p| a.memberships_of(p).any(|m| m.active_in(year))) {
                shared.entry(p).or_default().push(&a.id);
            }
        }
        for (partner, ids) in shared.into_iter().filter(|(_, ids)| ids.len() >= 2) {
            let e = by_partner.entry(partner).or_default();
            e.0.extend(ids.into_iter().map(String::from));
            e.1.insert(year);
        }
    }
    by_partner
        .into_iter()
        .map(|(partner, (agreements, years))| Overlap {
            partner,
            agreements: agreements.into_iter().collect(),
            spans: spans(&years),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::{AllianceInfo, PairYear};
    use pactbase_model::research::AtopObligations;

    fn defense(year: i32, a: Ccode, b: Ccode, alliance: u32) -> PairYear {
        PairYear {
            year,
            a,
            b,
            alliance,
            obligations: AtopObligations { defense: true, ..Default::default() },
            transition: false,
        }
    }

    fn rivalry(a: Ccode, b: Ccode, start: i32, end: Option<i32>) -> Rivalry {
        Rivalry {
            id: 1,
            name: "India-Pakistan".into(),
            ccode1: a,
            ccode2: b,
            start,
            end,
            positional: false,
            spatial: true,
            ideological: false,
            interventionary: false,
            principal: true,
        }
    }

    #[test]
    fn a_patron_of_both_rivals_is_found_from_either_side() {
        let infos = vec![
            AllianceInfo { label: "with-pak".into(), bilateral: true, asymmetric: false },
            AllianceInfo { label: "with-ind".into(), bilateral: true, asymmetric: false },
        ];
        let pairs = (1960..=1962).flat_map(|y| [defense(y, 2, 770, 0), defense(y, 2, 750, 1)]).collect::<Vec<_>>();
        let dyads = DyadTable::from_pairs(infos, pairs);
        let rivals = [rivalry(750, 770, 1947, None)];
        let as_holder = commitment_conflicts(2, &dyads, &rivals, (1950, 1970));
        assert_eq!(as_holder.len(), 1);
        assert_eq!(as_holder[0].spans, vec![(1960, 1962)]);
        let as_party = commitment_conflicts(770, &dyads, &rivals, (1950, 1970));
        assert_eq!((as_party[0].holder, as_party[0].a, as_party[0].b), (2, 770, 750));
        assert_eq!(as_party[0].toward_a, vec!["with-pak".to_owned()]);
        assert!(commitment_conflicts(770, &dyads, &[rivalry(750, 770, 1965, None)], (1950, 1963)).is_empty());
    }

    #[test]
    fn spans_break_at_gaps() {
        assert_eq!(spans(&[1950, 1951, 1953].into_iter().collect()), vec![(1950, 1951), (1953, 1953)]);
    }
}
