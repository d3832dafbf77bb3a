//! The datasets partnership recommendations read, loaded once and kept: the CLI loads them
//! per command, a running server once per store revision.

use pactbase_analysis::panel::{self, Capabilities, Exercises, Rivalries, System};
use pactbase_analysis::recommend::{self, Backtest, Options, RecommendError, Recommendation, Sources};
use pactbase_model::research::Dataset;
use pactbase_model::Vocabulary;
use pactbase_model::{Ccode, StateIndex};
use pactbase_store::Store;

use crate::research::{alliance_ties, capabilities, require, system, AllianceTies, TieSource};
use crate::Result;

pub struct Recommender {
    pub index: StateIndex,
    system: System,
    ties: AllianceTies,
    capabilities: Capabilities,
    exercises: Exercises,
    rivalries: Rivalries,
    /// Optional datasets that were not imported, whose features are then 0 for every pair
    /// (front ends say so beside the results).
    pub missing: Vec<&'static str>,
}

impl Recommender {
    /// Needs ATOP and NMC; MME and the rivalries sharpen the model when imported.
    pub fn load(store: &Store) -> Result<Recommender> {
        let index = store.state_index()?;
        require(store, Dataset::Nmc)?;
        let (system, _) = system(store, &index, (1816, panel::ATOP_END.year))?;
        let ties = alliance_ties(store, TieSource::Atop, &index, panel::ATOP_END.year)?;
        let capabilities = capabilities(store)?.expect("required above");
        let mut missing = Vec::new();
        let exercises = if store.has_dataset(Dataset::Mme)? {
            store.mme()?
        } else {
            missing.push(Dataset::Mme.as_str());
            Vec::new()
        };
        let rivalries = if store.has_dataset(Dataset::Rivalries)? {
            store.rivalries()?
        } else {
            missing.push(Dataset::Rivalries.as_str());
            Vec::new()
        };
        Ok(Recommender {
            index,
            system,
            ties,
            capabilities,
            exercises: Exercises::new(&exercises),
            rivalries: Rivalries::new(&rivalries),
            missing,
        })
    }

    fn sources(&self) -> Sources<'_> {
        Sources {
            system: &self.system,
            dyads: &self.ties.dyads,
            ties_through: self.ties.last_year,
            capabilities: &self.capabilities,
            exercises: &self.exercises,
            rivalries: &self.rivalries,
        }
    }

    /// The last year the model's data describe: recommendations for a later year are
    /// answered as of this one.
    pub fn last_year(&self) -> i32 {
        self.ties.last_year
    }

    /// The `top` likeliest new partners of `state` as of `year`.
    pub fn recommend(
        &self,
        state: Ccode,
        year: i32,
        top: usize,
        options: &Options,
    ) -> Result<Vec<Recommendation>, RecommendError> {
        recommend::recommend(&self.sources(), state, year, top, options)
    }

    /// The temporal back-test of the model against the baselines.
    pub fn backtest(&self, train_until: i32, top: usize, options: &Options) -> Result<Backtest, RecommendError> {
        recommend::backtest(&self.sources(), train_until, top, options)
    }
}
