//! What the similarity measures read, loaded the same way for `pactbase similarity` and
//! the Python package.

use arrow_array::RecordBatch;
use arrow_schema::ArrowError;
use pactbase_analysis::panel::{self, Capabilities, System};
use pactbase_analysis::similarity;
use pactbase_model::coverage::YEARS;
use pactbase_model::research::Dataset;
use pactbase_store::Store;

use crate::research::{alliance_ties, capabilities, system, AllianceTies, TieSource};
use crate::Result;

pub struct SimilarityData {
    system: System,
    ties: AllianceTies,
    /// NMC's CINC scores, without which the CINC-weighted measures are empty.
    pub capabilities: Option<Capabilities>,
    /// The years asked for (1816-2018 by default), up to the last year the ties describe.
    pub years: (i32, i32),
}

impl SimilarityData {
    pub fn load(store: &Store, source: TieSource, years: Option<(i32, i32)>) -> Result<SimilarityData> {
        let index = store.state_index()?;
        let years = years.unwrap_or((YEARS.first, panel::ATOP_END.year));
        let (system, _) = system(store, &index, years)?;
        let ties = alliance_ties(store, source, &index, panel::ATOP_END.year)?;
        let years = (years.0, years.1.min(ties.last_year));
        Ok(SimilarityData { system, ties, capabilities: capabilities(store)?, years })
    }

    /// The datasets the measures read from `source`, for provenance.
    pub fn datasets(source: TieSource) -> Vec<Dataset> {
        match source {
            TieSource::Curated => vec![Dataset::CowStates, Dataset::Nmc],
            TieSource::Atop | TieSource::Both => vec![Dataset::CowStates, Dataset::Atop, Dataset::Nmc],
        }
    }

    /// Every directed dyad-year's measures, batch by batch, projected on `columns` when
    /// given (see [`similarity::columns`]).
    pub fn dyad_years<E: From<ArrowError> + Send>(
        &self,
        columns: Option<&[usize]>,
        mut sink: impl FnMut(RecordBatch) -> Result<(), E>,
    ) -> Result<(), E> {
        similarity::dyad_years(&self.system, &self.ties.dyads, self.capabilities.as_ref(), self.years, |batch| {
            match columns {
                None => sink(batch),
                Some(columns) => sink(batch.project(columns)?),
            }
        })
    }
}
