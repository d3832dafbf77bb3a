//! What an output was made from: pactbase's version, the command, and each dataset it read
//! with its version and the SHA-256 of its files, as Parquet key-value metadata or a JSON
//! sidecar beside CSV, so a result can be traced to the exact data (docs/DATA.md).

use pactbase_model::research::Dataset;
use pactbase_store::Store;
use serde::Serialize;

use crate::Result;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    pub pactbase: String,
    /// The command and its arguments, as run.
    pub command: Vec<String>,
    pub datasets: Vec<DatasetUsed>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetUsed {
    pub dataset: Dataset,
    pub version: String,
    /// SHA-256 of each imported file, in the order of the store's provenance.
    pub sha256: Vec<String>,
    /// How to cite it (from the data catalogue).
    pub citation: String,
}

impl Provenance {
    /// The provenance of an output made by `command` from `datasets`; those not imported
    /// are left out (the output has no values from them).
    pub fn of(store: &Store, command: Vec<String>, datasets: &[Dataset]) -> Result<Provenance> {
        let stored = store.datasets()?;
        let datasets = datasets
            .iter()
            .filter_map(|&dataset| {
                let files: Vec<_> = stored.iter().filter(|f| f.dataset == dataset).collect();
                let first = files.first()?;
                Some(DatasetUsed {
                    dataset,
                    version: first.version.clone(),
                    sha256: files.iter().map(|f| f.sha256.clone()).collect(),
                    citation: crate::catalogue::catalogue().get(dataset).citation.clone(),
                })
            })
            .collect();
        Ok(Provenance { pactbase: env!("CARGO_PKG_VERSION").to_owned(), command, datasets })
    }

    /// Parquet key-value metadata: `pactbase.version`, `pactbase.command`, and
    /// `pactbase.datasets` (JSON: name, version, SHA-256 of each file, citation).
    pub fn key_values(&self) -> Vec<(String, String)> {
        vec![
            ("pactbase.version".into(), self.pactbase.clone()),
            ("pactbase.command".into(), self.command.join(" ")),
            ("pactbase.datasets".into(), serde_json::to_string(&self.datasets).expect("plain data serialises")),
        ]
    }
}

/// An imported dataset as pages name it in their "data as of" stamp and citation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    pub dataset: Dataset,
    pub title: String,
    /// The catalogue's version when every file is the catalogued one, else what the
    /// imported files declare.
    pub version: String,
    /// UTC, `YYYY-MM-DD HH:MM:SS`.
    pub imported_at: String,
    pub as_catalogued: bool,
}

/// Every imported dataset, in the catalogue's order.
pub fn imported(store: &Store) -> Result<Vec<Imported>> {
    let stored = store.datasets()?;
    Ok(crate::catalogue::catalogue()
        .entries()
        .iter()
        .filter_map(|entry| {
            let files: Vec<_> = stored.iter().filter(|f| f.dataset == entry.dataset).collect();
            let first = files.first()?;
            let as_catalogued = files.iter().all(|f| entry.files.iter().any(|p| p.sha256 == f.sha256));
            Some(Imported {
                dataset: entry.dataset,
                title: entry.title.clone(),
                version: if as_catalogued { entry.version.clone() } else { first.version.clone() },
                imported_at: files.iter().filter_map(|f| f.imported_at.clone()).max().unwrap_or_default(),
                as_catalogued,
            })
        })
        .collect())
}
