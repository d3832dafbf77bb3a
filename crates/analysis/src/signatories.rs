//! Key signatories of an era: states ranked by their commitments and their place in the
//! alliance network, every component shown beside the composite score.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use pactbase_model::Ccode;
use serde::Serialize;

use crate::panel::{Capabilities, DyadTable, System};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Signatory {
    pub rank: usize,
    pub ccode: Ccode,
    /// Mean of the components, each scaled by the era's maximum (0–1).
    pub score: f64,
    /// Distinct partners with a defense or offense obligation, either way, in the era.
    pub defense_partners: usize,
    /// Distinct multilateral alliances it belonged to in the era.
    pub multilateral_alliances: usize,
    /// Mean yearly sum of the valued ties (3/2/1) it extends to partners.
    pub commitment_strength: f64,
    /// Mean yearly sum of partners' CINC weighted by the tie's value / 3.
    pub capability_weighted_ties: f64,
    /// Mean yearly network centrality (eigenvector, alliance network), where given.
    pub centrality: Option<f64>,
    pub years: usize,
}

/// Components used for the score, in order.
pub const COMPONENTS: [&str; 5] = ["defense_partners", "multilateral_alliances", "commitment_strength", "capability_weighted_ties", "centrality"];

#[derive(Default)]
struct Tally {
    defense_partners: BTreeSet<Ccode>,
    multilateral: BTreeSet<u32>,
    strength: f64,
    weighted: f64,
    centrality: f64,
    centrality_years: usize,
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
        let mut max_tie: HashMap<(Ccode, Ccode), u8> = HashMap::new();
        for k in dyads.year_range(y.year) {
            let (_, a, b) = dyads.keys[k];
            if y.position(a).is_none() || y.position(b).is_none() {
                continue;
            }
            let ties = &dyads.ties[k];
            let t = tallies.entry(a).or_default();
            let value = ties.obligations.tie_value();
            t.strength += f64::from(value);
            if ties.obligations.defense || ties.obligations.offense {
                t.defense_partners.insert(b);
                tallies.entry(b).or_default().defense_partners.insert(a);
            }
            for &i in &ties.alliances {
                if !dyads.alliances[i as usize].bilateral {
                    tallies.entry(a).or_default().multilateral.insert(i);
                }
            }
            let key = (a.min(b), a.max(b));
            let slot = max_tie.entry(key).or_insert(0);
            *slot = (*slot).max(value);
        }
        if let Some(cap) = capabilities {
            let cinc = |c: Ccode| cap.get(c, y.year).and_then(|r| r.cinc).unwrap_or(0.0);
            for (&(a, b), &v) in &max_tie {
                let w = f64::from(v) / 3.0;
                tallies.entry(a).or_default().weighted += w * cinc(b);
                tallies.entry(b).or_default().weighted += w * cinc(a);
            }
        }
        for &c in &y.ccodes {
            let t = tallies.entry(c).or_default();
            t.years += 1;
            if let Some(v) = centrality(c, y.year) {
                t.centrality += v;
                t.centrality_years += 1;
            }
        }
    }
    let mut rows: Vec<Signatory> = tallies
        .into_iter()
        .filter(|(_, t)| t.years > 0)
        .map(|(ccode, t)| Signatory {
            rank: 0,
            ccode,
            score: 0.0,
            defense_partners: t.defense_partners.len(),
            multilateral_alliances: t.multilateral.len(),
            commitment_strength: t.strength / t.years as f64,
            capability_weighted_ties: t.weighted / t.years as f64,
            centrality: (t.centrality_years > 0).then(|| t.centrality / t.centrality_years as f64),
            years: t.years,
        })
        .collect();
    let components = |s: &Signatory| -> [Option<f64>; 5] {
        [
            Some(s.defense_partners as f64),
            Some(s.multilateral_alliances as f64),
            Some(s.commitment_strength),
            capabilities.map(|_| s.capability_weighted_ties),
            s.centrality,
        ]
    };
    let mut max = [0.0f64; 5];
    for s in &rows {
        for (m, v) in max.iter_mut().zip(components(s)) {
            *m = m.max(v.unwrap_or(0.0));
        }
    }
    for s in &mut rows {
        let scaled: Vec<f64> = components(s).iter().zip(&max).filter_map(|(v, &m)| v.map(|v| if m > 0.0 { v / m } else { 0.0 })).collect();
        s.score = if scaled.is_empty() { 0.0 } else { scaled.iter().sum::<f64>() / scaled.len() as f64 };
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
        assert_eq!(ranked.last().unwrap().score, 0.0);
    }
}
