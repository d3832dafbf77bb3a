//! The alliance network of each year, loaded and measured the same way for
//! `pactbase network` and the Python package.

use arrow_array::RecordBatch;
use arrow_schema::ArrowError;
use pactbase_analysis::network::{self, Level, NodeMeasures, Options, YearResult};
use pactbase_analysis::panel::{self, DyadTable, System};
use pactbase_model::research::Dataset;
use pactbase_model::{AgreementKind, StateIndex};
use pactbase_store::Store;
use serde::Serialize;

use crate::research::{alliance_ties, alliance_ties_of_kind, system, TieSource};
use crate::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("the alliance ties end in {0}; choose years up to it or another --source")]
    AfterTies(i32),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<pactbase_store::StoreError> for NetworkError {
    fn from(e: pactbase_store::StoreError) -> Self {
        NetworkError::Service(e.into())
    }
}

pub struct Networks {
    pub index: StateIndex,
    /// One per year the state system covers, in year order.
    pub years: Vec<YearResult>,
}

/// One node of one year: the rows of `pactbase network --format csv`.
#[derive(Debug, Serialize)]
pub struct NodeRow<'a> {
    pub year: i32,
    #[serde(flatten)]
    pub node: &'a NodeMeasures,
    /// The year's modularity of its blocs; `None` without edges.
    pub modularity: Option<f64>,
}

/// What the networks of some years are built from, loaded with the store.
pub struct NetworkData {
    index: StateIndex,
    system: System,
    dyads: DyadTable,
    years: (i32, i32),
}

impl NetworkData {
    /// The state system over `years` and the alliance ties from `source`, of agreements of
    /// `kind` only when given.
    pub fn load(
        store: &Store,
        years: (i32, i32),
        kind: Option<AgreementKind>,
        source: TieSource,
    ) -> Result<NetworkData, NetworkError> {
        let index = store.state_index()?;
        let (system, _) = system(store, &index, years)?;
        let registry_until = panel::ATOP_END.year;
        let ties = match kind {
            Some(kind) => alliance_ties_of_kind(store, source, &index, registry_until, kind)?,
            None => alliance_ties(store, source, &index, registry_until)?,
        };
        if years.1 > ties.last_year {
            return Err(NetworkError::AfterTies(ties.last_year));
        }
        Ok(NetworkData { index, system, dyads: ties.dyads, years })
    }

    /// The datasets the networks of `source` are built from.
    pub fn datasets(source: TieSource) -> Vec<Dataset> {
        match source {
            TieSource::Curated => vec![Dataset::CowStates],
            TieSource::Atop | TieSource::Both => vec![Dataset::CowStates, Dataset::Atop],
        }
    }

    /// Each year's network at `level` and its measures, years in parallel.
    pub fn measure(self, level: Level) -> Networks {
        let years =
            network::measure_years(&self.system, &self.dyads, level, self.years.0..=self.years.1, &Options::default());
        Networks { index: self.index, years }
    }
}

impl Networks {
    /// Every node of every year as one table (see [`network::table`]).
    pub fn table(&self) -> Result<RecordBatch, ArrowError> {
        network::table::batch(&self.years)
    }

    /// Every node of every year, years in order.
    pub fn rows(&self) -> impl Iterator<Item = NodeRow<'_>> {
        self.years.iter().flat_map(|r| {
            r.nodes.iter().map(|node| NodeRow { year: r.graph.year, node, modularity: r.graph.modularity })
        })
    }
}
