//! The datasets a panel joins, loaded for the columns it asks for (`With`), so that
//! `pactbase panel` and `/api/v1/panels` build the same panel from the same data.

use pactbase_analysis::panel::{
    self, ArmsFlows, Capabilities, Capitals, Contiguity, Disputes, DyadYearValues, Exercises, Expenditure, Inputs,
    Majors, Rivalries, System, Ties, With,
};
use pactbase_model::research::Dataset;
use pactbase_store::Store;

use crate::research::{alliance_ties, capabilities, require, system, AllianceTies, TieSource, REGISTRY_LAST_YEAR};
use crate::Result;

/// The first year of the state system: peace years count from it.
const SYSTEM_START: i32 = pactbase_model::coverage::YEARS.first;

pub struct PanelData {
    system: System,
    ties: Option<AllianceTies>,
    capabilities: Option<Capabilities>,
    sipri: Option<Expenditure>,
    exercises: Option<Exercises>,
    rivalries: Option<Rivalries>,
    contiguity: Option<Contiguity>,
    capitals: Option<Capitals>,
    mindist: Option<DyadYearValues<f64>>,
    majors: Option<Majors>,
    disputes: Option<Disputes>,
    igos: Option<DyadYearValues<u16>>,
    arms: Option<ArmsFlows>,
    /// The years the panel covers: those asked for, else the state system's whole span.
    pub years: (i32, i32),
}

/// Fails with the import to run when a dataset the panel's columns need is missing;
/// cheap, so a front end can check before it starts streaming.
pub fn require_for(store: &Store, with: With) -> Result<()> {
    for dataset in datasets_for(with) {
        require(store, dataset)?;
    }
    Ok(())
}

/// The datasets a panel with the columns `with` reads, besides the state system.
pub fn datasets_for(with: With) -> Vec<Dataset> {
    [
        (with.atop, Dataset::Atop),
        (with.nmc, Dataset::Nmc),
        (with.sipri, Dataset::SipriMilex),
        (with.mme, Dataset::Mme),
        (with.rivalry, Dataset::Rivalries),
        (with.contiguity, Dataset::Contiguity),
        (with.capdist, Dataset::Capitals),
        (with.mindist, Dataset::Mindist),
        (with.majors, Dataset::Majors),
        (with.mids || with.peaceyears, Dataset::GmlMids),
        (with.igos, Dataset::Igos),
        (with.arms, Dataset::SipriArms),
    ]
    .into_iter()
    .filter_map(|(on, dataset)| on.then_some(dataset))
    .collect()
}

impl PanelData {
    /// What the columns `with` need over `years` (default: all the state system covers),
    /// alliance ties from `source`.
    pub fn load(store: &Store, with: With, source: TieSource, years: Option<(i32, i32)>) -> Result<PanelData> {
        require_for(store, with)?;
        let index = store.state_index()?;
        let (first, last) = years.unwrap_or((SYSTEM_START, REGISTRY_LAST_YEAR));
        // Years before the panel's are read too: peace years count from the system's start.
        let (system, data_end) = system(store, &index, (first.min(SYSTEM_START), last))?;
        let disputes = (with.mids || with.peaceyears)
            .then(|| -> Result<Disputes> {
                Ok(Disputes::new(&store.gml_dyad_years()?, &store.gml_participants()?, SYSTEM_START))
            })
            .transpose()?;
        Ok(PanelData {
            system,
            ties: with.atop.then(|| alliance_ties(store, source, &index, panel::ATOP_END.year)).transpose()?,
            capabilities: if with.nmc { capabilities(store)? } else { None },
            sipri: with.sipri.then(|| store.sipri().map(|rows| Expenditure::new(&rows))).transpose()?,
            exercises: with.mme.then(|| store.mme().map(|rows| Exercises::new(&rows))).transpose()?,
            rivalries: with.rivalry.then(|| store.rivalries().map(|rows| Rivalries::new(&rows))).transpose()?,
            contiguity: with.contiguity.then(|| store.contiguity().map(|s| Contiguity::new(&s))).transpose()?,
            capitals: with.capdist.then(|| store.capitals().map(|c| Capitals::new(&c))).transpose()?,
            mindist: with
                .mindist
                .then(|| {
                    store
                        .mindist()
                        .map(|r| DyadYearValues::new(r.iter().map(|d| ((d.year, d.ccode1, d.ccode2), d.km)).collect()))
                })
                .transpose()?,
            majors: with.majors.then(|| store.majors().map(|s| Majors::new(&s))).transpose()?,
            disputes,
            igos: with
                .igos
                .then(|| {
                    store.igos().map(|r| {
                        DyadYearValues::new(r.iter().map(|d| ((d.year, d.ccode1, d.ccode2), d.dyadigos)).collect())
                    })
                })
                .transpose()?,
            arms: with.arms.then(|| store.sipri_arms().map(|data| ArmsFlows::new(&data))).transpose()?,
            years: years.unwrap_or((SYSTEM_START, data_end.year)),
        })
    }

    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            ties: self.ties.as_ref().map(|t| Ties { dyads: &t.dyads, states: &t.states, last_year: t.last_year }),
            capabilities: self.capabilities.as_ref(),
            sipri: self.sipri.as_ref(),
            exercises: self.exercises.as_ref(),
            rivalries: self.rivalries.as_ref(),
            contiguity: self.contiguity.as_ref(),
            capitals: self.capitals.as_ref(),
            mindist: self.mindist.as_ref(),
            majors: self.majors.as_ref(),
            disputes: self.disputes.as_ref(),
            igos: self.igos.as_ref(),
            arms: self.arms.as_ref(),
            ..Inputs::of(&self.system)
        }
    }
}

#[cfg(test)]
mod tests {
    use pactbase_analysis::panel::codebook;
    use pactbase_ingest::catalogue::catalogue;
    use pactbase_model::coverage;

    use super::*;

    /// The years a panel's codebook cites for each dataset are the catalogue's, and those
    /// of ATOP and MME are `model::coverage`'s, which the panels use to tell missing from 0.
    #[test]
    fn the_codebook_cites_the_catalogues_coverage() {
        for source in codebook::sources(With::parse(With::NAMES).unwrap()) {
            assert_eq!(source.coverage, catalogue().get(source.dataset).coverage, "{}", source.dataset);
        }
        for (dataset, years) in [(Dataset::Atop, coverage::ATOP), (Dataset::Mme, coverage::MME)] {
            assert_eq!(catalogue().get(dataset).coverage, (years.first, years.last), "{dataset}");
        }
    }
}
