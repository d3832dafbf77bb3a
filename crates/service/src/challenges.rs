//! A state's challenges (conflicting obligations, sovereignty costs, overlapping
//! commitments), assembled from the store as `pactbase challenges` and the web show them.

use pactbase_analysis::challenges::{self, CommitmentConflict, Overlap, SovereigntyCost};
use pactbase_model::research::Dataset;
use pactbase_model::{Agreement, Ccode};
use pactbase_store::{AgreementFilter, Store};
use serde::Serialize;

use crate::research::{alliance_ties, capabilities, TieSource, REGISTRY_LAST_YEAR};
use crate::Result;

#[derive(Debug, Serialize)]
pub struct Challenges {
    pub ccode: Ccode,
    /// Where the alliance ties come from: `both` (ATOP and the registry) or `curated`.
    pub ties: &'static str,
    pub conflicts: Vec<CommitmentConflict>,
    pub sovereignty: Vec<SovereigntyCost>,
    pub overlaps: Vec<Overlap>,
    /// True when the strategic rivalries are imported (commitment conflicts need them).
    #[serde(skip)]
    pub rivalries_imported: bool,
}

/// The challenges of `ccode`'s commitments over its whole record, or in `year`.
pub fn challenges(store: &Store, ccode: Ccode, year: Option<i32>) -> Result<Challenges> {
    let index = store.state_index()?;
    let atop = store.has_dataset(Dataset::Atop)?;
    let source = if atop { TieSource::Both } else { TieSource::Curated };
    let ties = alliance_ties(store, source, &index, REGISTRY_LAST_YEAR)?;
    let span = year.map_or((1816, ties.last_year), |y| (y, y));
    let rivalries = if store.has_dataset(Dataset::Rivalries)? { store.rivalries()? } else { Vec::new() };
    let rivalries_imported = !rivalries.is_empty();
    let conflicts = challenges::commitment_conflicts(ccode, &ties.dyads, &rivalries, span);

    let agreements: Vec<Agreement> =
        store.agreements(&AgreementFilter { member: Some(ccode), active_in: year, ..Default::default() })?;
    let capabilities = capabilities(store)?;
    let weaker = |a: &Agreement| -> Option<bool> {
        let cap = capabilities.as_ref()?;
        let joined = a.memberships_of(ccode).map(|m| m.joined.year).min()?;
        let cinc = |c| cap.get(c, joined).and_then(|r| r.cinc);
        let own = cinc(ccode)?;
        let strongest = a.parties().into_iter().filter(|&p| p != ccode).filter_map(cinc).reduce(f64::max)?;
        Some(own < strongest)
    };
    let atop_coding = |id: u32| store.atop_coding(id).ok().flatten().map(|c| c.alliance);
    let sovereignty = challenges::sovereignty_costs(ccode, &agreements, &atop_coding, &weaker);
    let overlaps =
        challenges::overlapping_commitments(ccode, &agreements, year.map_or((1816, REGISTRY_LAST_YEAR), |y| (y, y)));
    Ok(Challenges {
        ccode,
        ties: if atop { "both" } else { "curated" },
        conflicts,
        sovereignty,
        overlaps,
        rivalries_imported,
    })
}
