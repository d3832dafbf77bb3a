//! The datasets a panel joins, loaded for the columns it asks for (`With`), so that
//! `pactbase panel` and `/api/v1/panels` build the same panel from the same data.

use pactbase_analysis::panel::{
    self, ArmsFlows, Capabilities, Exercises, Expenditure, Inputs, Rivalries, System, Ties, With,
};
use pactbase_store::Store;

use crate::research::{alliance_ties, capabilities, require, system, AllianceTies, TieSource, REGISTRY_LAST_YEAR};
use crate::Result;

pub struct PanelData {
    system: System,
    ties: Option<AllianceTies>,
    capabilities: Option<Capabilities>,
    sipri: Option<Expenditure>,
    exercises: Option<Exercises>,
    rivalries: Option<Rivalries>,
    arms: Option<ArmsFlows>,
    /// The years the panel covers: those asked for, else the state system's whole span.
    pub years: (i32, i32),
}

/// Fails with the import to run when a dataset the panel's columns need is missing;
/// cheap, so a front end can check before it starts streaming.
pub fn require_for(store: &Store, with: With) -> Result<()> {
    for (on, dataset, import) in [
        (with.atop, "atop", "atop DIR"),
        (with.nmc, "nmc", "nmc FILE"),
        (with.sipri, "sipri-milex", "sipri-milex FILE"),
        (with.mme, "mme", "mme FILE"),
        (with.rivalry, "rivalries", "rivalries FILE"),
        (with.arms, "sipri-arms", "sipri-arms DIR"),
    ] {
        if on {
            require(store, dataset, import)?;
        }
    }
    Ok(())
}

impl PanelData {
    /// What the columns `with` need over `years` (default: all the state system covers),
    /// alliance ties from `source`.
    pub fn load(store: &Store, with: With, source: TieSource, years: Option<(i32, i32)>) -> Result<PanelData> {
        require_for(store, with)?;
        let index = store.state_index()?;
        let (system, data_end) = system(store, &index, years.unwrap_or((1816, REGISTRY_LAST_YEAR)))?;
        Ok(PanelData {
            system,
            ties: with.atop.then(|| alliance_ties(store, source, &index, panel::ATOP_END.year)).transpose()?,
            capabilities: if with.nmc { capabilities(store)? } else { None },
            sipri: with.sipri.then(|| store.sipri().map(|rows| Expenditure::new(&rows))).transpose()?,
            exercises: with.mme.then(|| store.mme().map(|rows| Exercises::new(&rows))).transpose()?,
            rivalries: with.rivalry.then(|| store.rivalries().map(|rows| Rivalries::new(&rows))).transpose()?,
            arms: with.arms.then(|| store.sipri_arms().map(|data| ArmsFlows::new(&data))).transpose()?,
            years: years.unwrap_or((1816, data_end.year)),
        })
    }

    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            system: &self.system,
            ties: self.ties.as_ref().map(|t| Ties { dyads: &t.dyads, states: &t.states, last_year: t.last_year }),
            capabilities: self.capabilities.as_ref(),
            sipri: self.sipri.as_ref(),
            exercises: self.exercises.as_ref(),
            rivalries: self.rivalries.as_ref(),
            arms: self.arms.as_ref(),
        }
    }
}
