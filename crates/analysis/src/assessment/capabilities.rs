//! Capability aggregation (own CINC against the defense partners' combined CINC) and
//! burden sharing (military expenditure shares of the members of its main alliances).
//! Members are parties: partners and observers are shown apart, never in the shares.

use std::collections::{BTreeSet, HashMap};

use pactbase_model::{Agreement, Ccode, Role};
use serde::Serialize;

use super::{serialize_part, Part};
use crate::panel::{Capabilities as Nmc, DyadTable};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Capabilities {
    #[serde(serialize_with = "serialize_part")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::assessment::PartJson<CincSeries>))]
    pub cinc: Part<CincSeries>,
    #[serde(serialize_with = "serialize_part")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::assessment::PartJson<Burden>))]
    pub burden: Part<Burden>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CincSeries {
    /// Which ties define a defense partner, in words.
    pub basis: String,
    pub years: Vec<CincYear>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CincYear {
    pub year: i32,
    pub own: Option<f64>,
    /// Summed CINC of the year's defense partners that have one.
    pub allied: Option<f64>,
    pub partners: usize,
}

/// States holding, or owed, a defense or offense obligation with `ccode` in `year`.
pub fn defense_partners(dyads: &DyadTable, ccode: Ccode, year: i32) -> BTreeSet<Ccode> {
    dyads
        .year_range(year)
        .filter_map(|k| {
            let (_, a, b) = dyads.keys[k];
            let o = &dyads.ties[k].obligations;
            if !(o.defense || o.offense) {
                return None;
            }
            if a == ccode {
                Some(b)
            } else if b == ccode {
                Some(a)
            } else {
                None
            }
        })
        .collect()
}

/// Own CINC and the defense partners' combined CINC in each of `years`.
pub fn cinc(ccode: Ccode, years: impl Iterator<Item = i32>, dyads: &DyadTable, nmc: &Nmc, basis: String) -> CincSeries {
    let years = years
        .map(|year| {
            let partners = defense_partners(dyads, ccode, year);
            let values: Vec<f64> = partners.iter().filter_map(|&c| nmc.get(c, year).and_then(|r| r.cinc)).collect();
            CincYear {
                year,
                own: nmc.get(ccode, year).and_then(|r| r.cinc),
                allied: (!values.is_empty()).then(|| values.iter().sum()),
                partners: partners.len(),
            }
        })
        .collect();
    CincSeries { basis, years }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Burden {
    /// What the expenditure figures are ("SIPRI, millions of constant 2017 US$").
    pub measure: String,
    pub alliances: Vec<AllianceBurden>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllianceBurden {
    pub agreement_id: String,
    pub label: String,
    /// The year the shares are shown for.
    pub year: i32,
    /// Parties with their expenditure and share of the parties' total, largest first.
    pub members: Vec<MemberShare>,
    /// Parties without a figure that year.
    pub without_data: Vec<Ccode>,
    /// Partners and observers that year: associated, not parties, so not in the shares.
    pub associates: Vec<(Ccode, Role)>,
    /// The state's share per year of its membership (where every party's figure is known);
    /// null where every party's figure is zero.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<(i32, Option<f64>)>))]
    pub own_share: Vec<(i32, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberShare {
    pub ccode: Ccode,
    pub expenditure: f64,
    /// Of the parties' total; null where every party's figure is zero.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, required = true))]
    pub share: f64,
}

/// Military expenditure by state-year, and what it measures.
pub struct Expenditure<'a> {
    pub values: &'a HashMap<(Ccode, i32), f64>,
    pub measure: String,
}

/// Members with their expenditure in a year, and members without a figure.
type Shares = (Vec<(Ccode, f64)>, Vec<Ccode>);

/// Expenditure shares in `alliances` (the state's main alliances with its first year), up
/// to `until`: for each, the latest year of the state's membership with its own figure and
/// at least one other party's.
pub fn burden(ccode: Ccode, alliances: &[(&Agreement, i32)], spending: &Expenditure, until: i32) -> Burden {
    let values = spending.values;
    let mut out = Vec::new();
    for &(a, _) in alliances {
        let own_years: BTreeSet<i32> = a
            .memberships_of(ccode)
            .filter(|m| m.is_party())
            .flat_map(|m| {
                let end = [m.left.map(|l| l.year), a.ended.map(|e| e.year)].into_iter().flatten().min();
                m.joined.year..=end.unwrap_or(until).min(until)
            })
            .filter(|&y| a.active_in(y))
            .collect();
        let parties = |y: i32| -> BTreeSet<Ccode> {
            a.members.iter().filter(|m| m.is_party() && m.active_in(y)).map(|m| m.ccode).collect()
        };
        let shares = |y: i32| -> Option<Shares> {
            let (with, without): (Vec<Ccode>, Vec<Ccode>) =
                parties(y).into_iter().partition(|c| values.contains_key(&(*c, y)));
            (values.contains_key(&(ccode, y)) && with.len() >= 2)
                .then(|| (with.iter().map(|&c| (c, values[&(c, y)])).collect(), without))
        };
        let Some(year) = own_years.iter().rev().copied().find(|&y| shares(y).is_some()) else { continue };
        let (with, without) = shares(year).expect("found above");
        let total: f64 = with.iter().map(|x| x.1).sum();
        let mut members: Vec<MemberShare> =
            with.iter().map(|&(c, v)| MemberShare { ccode: c, expenditure: v, share: v / total }).collect();
        members.sort_by(|x, y| y.share.total_cmp(&x.share));
        let own_share = own_years
            .iter()
            .filter_map(|&y| {
                let (with, without) = shares(y)?;
                if !without.is_empty() {
                    return None;
                }
                let total: f64 = with.iter().map(|x| x.1).sum();
                with.iter().find(|x| x.0 == ccode).map(|x| (y, x.1 / total))
            })
            .collect();
        out.push(AllianceBurden {
            agreement_id: a.id.clone(),
            label: a.label().to_owned(),
            year,
            members,
            without_data: without,
            associates: a.associates().filter(|m| m.active_in(year)).map(|m| (m.ccode, m.role)).collect(),
            own_share,
        });
    }
    Burden { measure: spending.measure.clone(), alliances: out }
}
