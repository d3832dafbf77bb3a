//! Key signatories of an era: states ranked by their commitments and their place in the
//! alliance network, every component shown beside the composite score.

use std::collections::{BTreeMap, BTreeSet};

use pactbase_model::Ccode;
use serde::Serialize;

use crate::panel::{Capabilities, DyadTable, System};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Signatory {
    pub rank: usize,
    pub ccode: Ccode,
    /// Geometric mean of commitments (itself the geometric mean of the percentile ranks of
    /// defense partners, multilateral alliances and capability-weighted ties) and network
    /// position (percentile rank of centrality), among the era's states (0–1].
    pub score: f64,
    /// Distinct partners with a defense or offense obligation, either way, in the era.
    pub defense_partners: usize,
    /// Distinct multilateral alliances it belonged to in the era.
    pub multilateral_alliances: usize,
    /// Yearly sum of the valued ties (3/2/1) it extends to partners, averaged over the era.
    pub commitment_strength: f64,
    /// Its own CINC times the ties it extends (value / 3), summed per year and averaged over
    /// the era: the capability that stands behind its promises.
    pub capability_weighted_ties: f64,
    /// Yearly betweenness in the alliance network (brokerage between blocs), averaged over
    /// the era, where given.
    pub centrality: Option<f64>,
    pub years: usize,
}

#[derive(Default)]
struct Tally {
    defense_partners: BTreeSet<Ccode>,
    multilateral: BTreeSet<u32>,
    strength: f64,
    weighted: f64,
    centrality: f64,
    years: usize,
}

/// Ranks system members over `years` by their alliance commitments. `centrality` gives a
/// state's centrality in a year's alliance network, when known.
pub fn rank(
    system: &System,
    dyads: &DyadTable,
    capabilities: Option<&Capabilities>,
    centrality: &dyn Fn(Ccode, i32) -> Option<f64>,
    years: (i32, i32),
) -> Vec<Signatory> {
    let mut tallies: BTreeMap<Ccode, Tally> = BTreeMap::new();
    for y in system.years().iter().filter(|y| (years.0..=years.1).contains(&y.year)) {
        for k in dyads.year_range(y.year) {
            let (_, a, b) = dyads.keys[k];
            if y.position(a).is_none() || y.position(b).is_none() {
                continue;
            }
            let ties = &dyads.ties[k];
            let value = ties.obligations.tie_value();
            let own = capabilities.and_then(|c| c.get(a, y.year)).and_then(|r| r.cinc).unwrap_or(0.0);
            let t = tallies.entry(a).or_default();
            t.strength += f64::from(value);
            t.weighted += own * f64::from(value) / 3.0;
            if ties.obligations.defense || ties.obligations.offense {
                t.defense_partners.insert(b);
                tallies.entry(b).or_default().defense_partners.insert(a);
            }
            for &i in &ties.alliances {
                if !dyads.alliances[i as usize].bilateral {
                    tallies.entry(a).or_default().multilateral.insert(i);
                }
            }
        }
        for &c in &y.ccodes {
            let t = tallies.entry(c).or_default();
            t.years += 1;
            t.centrality += centrality(c, y.year).unwrap_or(0.0);
        }
    }
    let era = (years.1 - years.0 + 1).max(1) as f64;
    let known_centrality = system.years().iter().any(|y| y.ccodes.iter().any(|&c| centrality(c, y.year).is_some()));
    let mut rows: Vec<Signatory> = tallies
        .into_iter()
        .filter(|(_, t)| t.years > 0)
        .map(|(ccode, t)| Signatory {
            rank: 0,
            ccode,
            score: 0.0,
            defense_partners: t.defense_partners.len(),
            multilateral_alliances: t.multilateral.len(),
            commitment_strength: t.strength / era,
            capability_weighted_ties: t.weighted / era,
            centrality: known_centrality.then(|| t.centrality / era),
            years: t.years,
        })
        .collect();
    // Percentile ranks, so that one dominant state does not flatten everyone else. The
    // score weighs commitments and network position equally, each a geometric mean, so a
    // key signatory must stand out on both: the small members of a large pact have many
    // pledges but neither capability behind them nor a brokering position.
    let percentile = |value: &dyn Fn(&Signatory) -> Option<f64>| -> Vec<Option<f64>> {
        let values: Vec<Option<f64>> = rows.iter().map(value).collect();
        let known: Vec<f64> = values.iter().flatten().copied().collect();
        values
            .iter()
            .map(|v| v.map(|v| known.iter().filter(|&&w| w <= v).count() as f64 / known.len() as f64))
            .collect()
    };
    let partners = percentile(&|s| Some(s.defense_partners as f64));
    let multilateral = percentile(&|s| Some(s.multilateral_alliances as f64));
    let weighted = percentile(&|s| capabilities.map(|_| s.capability_weighted_ties));
    let position = percentile(&|s| s.centrality);
    for (i, s) in rows.iter_mut().enumerate() {
        let commitments: Vec<f64> = [partners[i], multilateral[i], weighted[i]].into_iter().flatten().collect();
        let geometric = |xs: &[f64]| (xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp();
        let commitments = geometric(&commitments);
        s.score = match position[i] {
            Some(p) => geometric(&[commitments, p]),
            None => commitments,
        };
    }
    rows.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.ccode.cmp(&b.ccode)));
    for (i, s) in rows.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::{AllianceInfo, PairYear};
    use pactbase_model::research::{AtopObligations, SystemSpell, Ymd};

    #[test]
    fn a_hub_of_defense_pacts_outranks_its_partners() {
        let spell = |c| SystemSpell { ccode: c, start: Ymd::new(1900, 1, 1), end: Ymd::new(2016, 12, 31) };
        let system = System::new(&[spell(2), spell(20), spell(200), spell(710)], Ymd::new(2016, 12, 31), 1950, 1951);
        let defense = AtopObligations { defense: true, ..Default::default() };
        let infos = vec![AllianceInfo { label: "1".into(), bilateral: false, asymmetric: false }];
        let mut pairs = Vec::new();
        for year in [1950, 1951] {
            for (a, b) in [(2, 20), (20, 2), (2, 200), (200, 2)] {
                pairs.push(PairYear { year, a, b, alliance: 0, obligations: defense, transition: false });
            }
        }
        let dyads = DyadTable::from_pairs(infos, pairs);
        let ranked = rank(&system, &dyads, None, &|_, _| None, (1950, 1951));
        assert_eq!(ranked[0].ccode, 2);
        assert_eq!(ranked[0].defense_partners, 2);
        assert_eq!(ranked[0].commitment_strength, 6.0);
        assert_eq!(ranked[0].score, 1.0);
        assert_eq!(ranked.last().unwrap().ccode, 710);
        assert!(ranked.last().unwrap().score < ranked[1].score);
    }
}
