//! What pactbase's front ends load from the store for the analyses: the state system,
//! alliance ties from a chosen source, capabilities, and the assembled results the CLI and
//! the web application both show (challenges, recommendations, impact studies). Moved here from the CLI's
//! `commands/research.rs` so that `pactbase` and `pactbase serve` load data the same way.

pub mod arms;
pub mod assessment;
pub mod case_study;
pub mod database;
pub mod datasets;
pub use pactbase_ingest::catalogue;
pub mod fetch;
pub mod impact;
pub mod import;
pub mod listing;
pub mod network;
mod panel;
pub mod provenance;
pub mod recommend;
pub mod registry;
mod research;
pub mod similarity;
pub mod trends;

pub use panel::{datasets_for, require_for, PanelData};
pub use recommend::Recommender;
pub use research::{
    alliance_ties, alliance_ties_of_kind, capabilities, current_alliance_ties, require, system, AllianceTies,
    TieSource, REGISTRY_LAST_YEAR,
};

use pactbase_model::research::Dataset;

/// Why data for an analysis could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A research dataset the analysis needs has not been imported.
    #[error(
        "this needs the {0} dataset, which is not imported: run `pactbase data fetch {0}` (see `pactbase data list`)"
    )]
    MissingDataset(Dataset),
    /// The study's data do not allow an estimate (no treated state in the window, …).
    #[error("cannot estimate: {0}")]
    NotEstimable(#[from] pactbase_analysis::impact::ImpactError),
    #[error(transparent)]
    Store(#[from] pactbase_store::StoreError),
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;
