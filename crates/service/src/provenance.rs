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
