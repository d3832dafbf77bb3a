//! The state's position in the alliance network, year by year up to the reference year.

use pactbase_model::Ccode;
use serde::Serialize;

use crate::network::{NodeMeasures, YearResult};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkPosition {
    /// Where the ties come from and which years each source covers, in words.
    pub basis: String,
    pub years: Vec<NetworkYear>,
    /// The reference year's measures (the page's year), when the state is in the system then.
    pub reference: Option<NetworkYear>,
    /// The reference year's bloc (Louvain community) without the state itself.
    pub bloc: Vec<Ccode>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkYear {
    pub year: i32,
    pub degree: u32,
    pub eigenvector: f64,
    pub betweenness: f64,
    /// States in the system that year.
    pub states: usize,
    /// 1 = most central that year.
    pub eigenvector_rank: usize,
    pub degree_rank: usize,
}

/// The position of `ccode` in each year of `results` (the networks up to `reference`).
pub fn position(ccode: Ccode, results: &[YearResult], reference: i32, basis: String) -> NetworkPosition {
    let year_of = |r: &YearResult| -> Option<NetworkYear> {
        let own = r.nodes.iter().find(|n| n.ccode == ccode)?;
        let rank = |f: &dyn Fn(&NodeMeasures) -> f64| 1 + r.nodes.iter().filter(|n| f(n) > f(own) + 1e-12).count();
        Some(NetworkYear {
            year: r.graph.year,
            degree: own.degree,
            eigenvector: own.eigenvector,
            betweenness: own.betweenness,
            states: r.nodes.len(),
            eigenvector_rank: rank(&|n| n.eigenvector),
            degree_rank: rank(&|n| f64::from(n.degree)),
        })
    };
    let years: Vec<NetworkYear> = results.iter().filter_map(year_of).collect();
    let last = results.iter().find(|r| r.graph.year == reference);
    let bloc = last
        .and_then(|r| {
            let own = r.nodes.iter().find(|n| n.ccode == ccode && n.degree > 0)?;
            Some(r.nodes.iter().filter(|n| n.bloc == own.bloc && n.ccode != ccode).map(|n| n.ccode).collect())
        })
        .unwrap_or_default();
    NetworkPosition { basis, reference: years.iter().find(|y| y.year == reference).cloned(), years, bloc }
}
