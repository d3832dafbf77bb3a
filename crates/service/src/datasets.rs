//! The data catalogue against what the store holds: each dataset's catalogue entry, the
//! files imported for it (provenance) and whether they are the files the catalogue pins.
//! `pactbase data list`, the web app's `/data` page and `/api/v1/datasets` all show this
//! one assembly.

use pactbase_ingest::catalogue::{catalogue, Entry};
use pactbase_model::research::DatasetFile;
use pactbase_store::Store;
use serde::Serialize;

/// Whether a dataset's imported files are those the catalogue pins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportStatus {
    NotImported,
    /// Every imported file has a SHA-256 the catalogue pins.
    AsCatalogued,
    /// At least one imported file is not one the catalogue pins (another version, a
    /// changed copy).
    DiffersFromCatalogue,
}

impl ImportStatus {
    /// In words, as `pactbase data list` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::NotImported => "not imported",
            ImportStatus::AsCatalogued => "as catalogued",
            ImportStatus::DiffersFromCatalogue => "differs from the catalogue",
        }
    }
}

/// One imported file and whether its SHA-256 is one the catalogue pins for its dataset.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    pub file: DatasetFile,
    pub matches_catalogue: bool,
}

/// A dataset of the catalogue with what the store holds of it.
#[derive(Debug, Clone)]
pub struct DatasetStatus {
    pub entry: &'static Entry,
    pub imported: Vec<ImportedFile>,
    pub status: ImportStatus,
}

impl DatasetStatus {
    /// When it was imported (its files are stored together).
    pub fn imported_at(&self) -> Option<&str> {
        self.imported.iter().find_map(|f| f.file.imported_at.as_deref())
    }
}

/// Every dataset of the catalogue, in its order, with its import status.
pub fn datasets(store: &Store) -> pactbase_store::Result<Vec<DatasetStatus>> {
    let stored = store.datasets()?;
    Ok(catalogue()
        .entries()
        .iter()
        .map(|entry| {
            let imported: Vec<ImportedFile> = stored
                .iter()
                .filter(|f| f.dataset == entry.dataset)
                .map(|f| ImportedFile {
                    matches_catalogue: entry.files.iter().any(|p| p.sha256 == f.sha256),
                    file: f.clone(),
                })
                .collect();
            let status = if imported.is_empty() {
                ImportStatus::NotImported
            } else if imported.iter().all(|f| f.matches_catalogue) {
                ImportStatus::AsCatalogued
            } else {
                ImportStatus::DiffersFromCatalogue
            };
            DatasetStatus { entry, imported, status }
        })
        .collect())
}
