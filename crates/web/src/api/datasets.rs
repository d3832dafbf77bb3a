//! `/api/v1/datasets`: the data catalogue with each dataset's import status, as
//! `pactbase data list` and the `/data` page show it (`pactbase_service::datasets`).

use axum::extract::State;
use axum::Json;
use pactbase_model::Vocabulary;
use pactbase_service::datasets::{datasets, DatasetStatus, ImportStatus};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::error::ApiError;
use crate::{with_store, Shared};

/// The endpoint's part of the OpenAPI document (merged into the API's).
#[derive(OpenApi)]
#[openapi(paths(list))]
pub struct Doc;

/// A research dataset pactbase knows, and what the store holds of it.
#[derive(Serialize, ToSchema)]
pub struct Dataset {
    /// The name pactbase uses for it (`pactbase data fetch NAME`).
    name: String,
    title: String,
    publisher: String,
    version: String,
    /// The years the data describe.
    coverage: Coverage,
    /// The publisher's page for the dataset.
    homepage: String,
    /// The publisher's download for this version; null when the publisher serves no
    /// stable file (then it is imported from a copy: `pactbase data fetch NAME --from DIR`).
    download_url: Option<String>,
    /// Whether `pactbase data fetch NAME` can download it without `--from`.
    fetchable: bool,
    /// Licence or terms of use, as the publisher states them.
    licence: String,
    citation: Citation,
    /// The files the importer reads, with the SHA-256 the catalogue pins for each.
    files: Vec<PinnedFile>,
    import: Import,
}

#[derive(Serialize, ToSchema)]
pub struct Coverage {
    first_year: i32,
    last_year: i32,
}

#[derive(Serialize, ToSchema)]
pub struct Citation {
    /// Plain text.
    plain: String,
    /// One or more BibTeX entries.
    bibtex: String,
}

#[derive(Serialize, ToSchema)]
pub struct PinnedFile {
    /// Where the file sits in a copy laid out like the publisher's download.
    path: String,
    /// Its name inside the publisher's archive, when it comes in one.
    member: Option<String>,
    /// SHA-256 of the file's bytes, lowercase hex.
    sha256: String,
}

/// What the store holds of the dataset.
#[derive(Serialize, ToSchema)]
pub struct Import {
    imported: bool,
    /// When it was imported (UTC, `YYYY-MM-DD HH:MM:SS`).
    imported_at: Option<String>,
    status: ImportState,
    /// Each imported file's provenance.
    files: Vec<ImportedFile>,
}

/// Whether the imported files are those the catalogue pins.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ImportState {
    NotImported,
    AsCatalogued,
    DiffersFromCatalogue,
}

#[derive(Serialize, ToSchema)]
pub struct ImportedFile {
    /// The file as it was read.
    path: String,
    /// The version the file declares, else its file name.
    version: String,
    /// SHA-256 of the bytes read, lowercase hex.
    sha256: String,
    /// Data rows read (header excluded).
    rows: u64,
    imported_at: Option<String>,
    /// Whether the SHA-256 is one the catalogue pins for this dataset.
    matches_catalogue: bool,
}

impl From<DatasetStatus> for Dataset {
    fn from(d: DatasetStatus) -> Self {
        let e = d.entry;
        Dataset {
            name: e.dataset.as_str().to_owned(),
            title: e.title.clone(),
            publisher: e.publisher.clone(),
            version: e.version.clone(),
            coverage: Coverage { first_year: e.coverage.0, last_year: e.coverage.1 },
            homepage: e.homepage.clone(),
            download_url: e.download.as_ref().map(|d| d.url.clone()),
            fetchable: e.fetchable(),
            licence: e.terms.clone(),
            citation: Citation { plain: e.citation.clone(), bibtex: e.bibtex.clone() },
            files: e
                .files
                .iter()
                .map(|f| PinnedFile { path: f.path.clone(), member: f.member.clone(), sha256: f.sha256.clone() })
                .collect(),
            import: Import {
                imported: d.status != ImportStatus::NotImported,
                imported_at: d.imported_at().map(str::to_owned),
                status: match d.status {
                    ImportStatus::NotImported => ImportState::NotImported,
                    ImportStatus::AsCatalogued => ImportState::AsCatalogued,
                    ImportStatus::DiffersFromCatalogue => ImportState::DiffersFromCatalogue,
                },
                files: d
                    .imported
                    .into_iter()
                    .map(|f| ImportedFile {
                        path: f.file.path,
                        version: f.file.version,
                        sha256: f.file.sha256,
                        rows: f.file.rows as u64,
                        imported_at: f.file.imported_at,
                        matches_catalogue: f.matches_catalogue,
                    })
                    .collect(),
            },
        }
    }
}

#[utoipa::path(get, path = "/api/v1/datasets", tag = "data",
    responses((status = 200, description = "Every research dataset of pactbase's catalogue, in the catalogue's order: publisher, version, URLs, licence, citations, coverage, pinned files, and the import status from the store's provenance (as `pactbase data list`)", body = [Dataset])))]
pub async fn list(State(state): State<Shared>) -> Result<Json<Vec<Dataset>>, ApiError> {
    with_store(&state, |store, _| Ok(Json(datasets(store)?.into_iter().map(Dataset::from).collect()))).await
}
