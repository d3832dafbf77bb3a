//! What the analysis commands load from the store. The loading itself moved to the
//! `pactbase-service` crate (shared with `pactbase serve`); this module keeps the CLI's
//! signatures: the CLI's `TieSource` and its `Failure` kinds.

use pactbase_analysis::panel::{Capabilities, System};
use pactbase_model::research::Ymd;
use pactbase_model::StateIndex;
use pactbase_service::{self as service, ServiceError};
use pactbase_store::Store;

use crate::cli::TieSource;
use crate::failure::{Failure, Result};

pub use pactbase_service::AllianceTies;

/// A missing dataset has its own exit code (5), with the import command to run.
pub fn failure(e: ServiceError) -> Failure {
    match e {
        e @ ServiceError::MissingDataset { .. } => Failure::NotImported(e.to_string()),
        e @ ServiceError::NotEstimable(_) => Failure::Usage(e.to_string()),
        ServiceError::Store(e) => Failure::Other(e.into()),
    }
}

pub fn source(source: TieSource) -> service::TieSource {
    match source {
        TieSource::Atop => service::TieSource::Atop,
        TieSource::Curated => service::TieSource::Curated,
        TieSource::Both => service::TieSource::Both,
    }
}

/// The state system and the last day its data describe (see `pactbase_service::system`).
pub fn system(store: &Store, index: &StateIndex, years: (i32, i32)) -> Result<(System, Ymd)> {
    service::system(store, index, years).map_err(failure)
}

/// Alliance ties from `source` (see `pactbase_service::alliance_ties`).
pub fn alliance_ties(
    store: &Store,
    source: TieSource,
    index: &StateIndex,
    registry_until: i32,
) -> Result<AllianceTies> {
    service::alliance_ties(store, self::source(source), index, registry_until).map_err(failure)
}

/// NMC capabilities when imported.
pub fn capabilities(store: &Store) -> Result<Option<Capabilities>> {
    service::capabilities(store).map_err(failure)
}
