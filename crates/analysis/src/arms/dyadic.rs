//! Did the flow of arms from partner B to state A change once A and B were parties to an
//! agreement? An event study over directed dyad-years (supplier → recipient), with the
//! estimators of [`crate::impact`] (docs/IMPACT.md, "Arms flows between partners"):
//!
//! - a unit is a directed dyad B → A of system members whose supplier B delivered arms to
//!   anyone in SIPRI's years; its outcome in a year both are members is log(1 + TIV)
//!   delivered from B to A (0 when nothing was);
//! - its entry is the first year A and B were both parties to one of the agreements
//!   studied (the same year for B → A and A → B);
//! - dyads that never were (or not yet) are the comparisons. With a focus recipient A,
//!   only the flows into A are studied: its partners' flows against those of its other
//!   suppliers, which holds A's own demand for arms fixed.
//!
//! Dyads are numbered and handed to the impact estimators as their units, clustered by
//! unordered pair for the standard errors.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::RangeInclusive;

use pactbase_model::arms::ArmsTransfers;
use pactbase_model::{Agreement, Ccode};
use serde::Serialize;

use super::joint_spans;
use crate::impact::{
    self, Caveat, ComparisonGroup, Design, Estimate, Estimator, ExclusionReason, ImpactError, Observation, Panel,
    PreTrendTest, RelativeYear, Treatment,
};
use crate::panel::{ArmsFlows, System};

/// A directed dyad: deliveries from `supplier` to `recipient`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dyad {
    pub supplier: Ccode,
    pub recipient: Ccode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DyadicDesign {
    /// Relative years e = t − g; must contain −1 (the reference) and 0.
    pub window: RangeInclusive<i32>,
    pub comparison: ComparisonGroup,
    pub estimator: Estimator,
    /// Only the flows into this state.
    pub recipient: Option<Ccode>,
}

/// A treated dyad that contributes to at least one estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TreatedDyad {
    #[serde(flatten)]
    pub dyad: Dyad,
    pub entry: i32,
}

/// A treated dyad that contributes nothing, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DyadExclusion {
    #[serde(flatten)]
    pub dyad: Dyad,
    pub entry: i32,
    pub reason: ExclusionReason,
}

/// An event study over directed dyads: the fields of [`impact::EventStudy`], with dyads
/// where it names states.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DyadicStudy {
    pub estimator: Estimator,
    pub comparison_group: ComparisonGroup,
    pub relative_years: Vec<RelativeYear>,
    pub post_att: Option<Estimate>,
    pub treated: Vec<TreatedDyad>,
    /// Dyads that served as comparisons in at least one estimate.
    pub comparison_dyads: usize,
    /// Directed dyads in the sample.
    pub dyads: usize,
    pub excluded: Vec<DyadExclusion>,
    /// The joint test of the pre-entry estimates; when it rejects, no effect is stated.
    pub pre_trends: Option<PreTrendTest>,
    pub caveats: Vec<Caveat>,
}

impl DyadicStudy {
    /// The average effect after entry, unless the dyads were already diverging before it.
    pub fn effect(&self) -> Option<&Estimate> {
        self.post_att.as_ref().filter(|_| !self.pre_trends.as_ref().is_some_and(|t| t.rejected))
    }
}

/// The event study of `design` on SIPRI's flows, `system` giving who is a member when, and
/// each dyad's entry its first joint year in one of `agreements`.
pub fn estimate(
    data: &ArmsTransfers,
    system: &System,
    agreements: &[Agreement],
    design: &DyadicDesign,
) -> Result<DyadicStudy, ImpactError> {
    let flows = ArmsFlows::new(data);
    let suppliers: BTreeSet<Ccode> = data.transfers.iter().filter_map(|t| t.supplier_ccode).collect();
    let mut numbers: HashMap<Dyad, Ccode> = HashMap::new();
    let mut dyads: Vec<Dyad> = Vec::new();
    let mut observations = Vec::new();
    for y in system.years().iter().filter(|y| flows.covers(y.year)) {
        for (i, &supplier) in y.ccodes.iter().enumerate().filter(|(_, c)| suppliers.contains(c)) {
            for (j, &recipient) in y.ccodes.iter().enumerate() {
                if i == j || design.recipient.is_some_and(|r| r != recipient) || !y.overlap(i, j) {
                    continue;
                }
                let dyad = Dyad { supplier, recipient };
                let unit = match numbers.get(&dyad) {
                    Some(&n) => n,
                    None => {
                        let n = Ccode::try_from(dyads.len()).map_err(|_| ImpactError::TooManyUnits(dyads.len() + 1))?;
                        numbers.insert(dyad, n);
                        dyads.push(dyad);
                        n
                    }
                };
                let outcome = flows.tiv(supplier, recipient, y.year).map(f64::ln_1p);
                observations.push(Observation { state: unit, year: y.year, outcome });
            }
        }
    }
    let entries = entries(agreements);
    let treated_entries = dyads.iter().enumerate().filter_map(|(n, d)| {
        let pair = (d.supplier.min(d.recipient), d.supplier.max(d.recipient));
        entries.get(&pair).map(|&g| Treatment::from(n as Ccode, g))
    });
    // B → A and A → B enter together and share shocks (one deal, one relationship): the
    // unordered pair is the cluster.
    let panel = Panel::new(observations, treated_entries)?.clustered_by(|n| {
        let d = dyads[usize::from(n)];
        (d.supplier.min(d.recipient), d.supplier.max(d.recipient))
    });
    let study = impact::estimate(
        &panel,
        &Design { window: design.window.clone(), comparison: design.comparison, focus: None },
        design.estimator,
    )?;
    let dyad = |n: Ccode| dyads[usize::from(n)];
    let entry = |d: Dyad| entries[&(d.supplier.min(d.recipient), d.supplier.max(d.recipient))];
    Ok(DyadicStudy {
        estimator: study.estimator,
        comparison_group: study.comparison_group,
        relative_years: study.relative_years,
        post_att: study.post_att,
        treated: study.treated_states.iter().map(|&n| TreatedDyad { dyad: dyad(n), entry: entry(dyad(n)) }).collect(),
        comparison_dyads: study.comparison_states.len(),
        dyads: dyads.len(),
        excluded: study
            .excluded
            .iter()
            .map(|x| DyadExclusion { dyad: dyad(x.state), entry: x.entry, reason: x.reason })
            .collect(),
        pre_trends: study.pre_trends,
        caveats: study.caveats,
    })
}

/// Each unordered pair's first year as fellow parties to one of `agreements`.
fn entries(agreements: &[Agreement]) -> BTreeMap<(Ccode, Ccode), i32> {
    let mut first: BTreeMap<(Ccode, Ccode), i32> = BTreeMap::new();
    for a in agreements {
        let parties = a.parties();
        for (k, &x) in parties.iter().enumerate() {
            for &y in &parties[k + 1..] {
                if let Some(&(from, _)) = joint_spans(a, x, y).first() {
                    let e = first.entry((x.min(y), x.max(y))).or_insert(from);
                    *e = (*e).min(from);
                }
            }
        }
    }
    first
}

#[cfg(test)]
mod tests;
