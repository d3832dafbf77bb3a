//! Where the database lives and how a new one gets the curated registry, so that the CLI
//! and the Python package open the same file and fill it the same way.

use std::path::{Path, PathBuf};

use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::DataErrors;
use pactbase_store::{Store, StoreError};
use serde::Serialize;

/// The environment variable naming the database (the CLI's `--db` reads it too).
pub const ENV: &str = "PACTBASE_DB";

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("no user data directory on this system; pass --db PATH or set PACTBASE_DB")]
    NoDataDirectory,
    #[error("cannot create {}: {source}", path.display())]
    CreateDirectory { path: PathBuf, source: std::io::Error },
    #[error("cannot open database {}: {source}", path.display())]
    Open { path: PathBuf, source: StoreError },
    /// The curated data failed validation; nothing was stored.
    #[error("{0}")]
    Data(DataErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The database `named`, else `PACTBASE_DB`, else `pactbase/pactbase.db` in the user's
/// data directory (created if missing).
pub fn path(named: Option<PathBuf>) -> Result<PathBuf, DatabaseError> {
    if let Some(path) = named.or_else(|| std::env::var_os(ENV).filter(|v| !v.is_empty()).map(PathBuf::from)) {
        return Ok(path);
    }
    let dir = dirs::data_dir().ok_or(DatabaseError::NoDataDirectory)?.join("pactbase");
    std::fs::create_dir_all(&dir).map_err(|source| DatabaseError::CreateDirectory { path: dir.clone(), source })?;
    Ok(dir.join("pactbase.db"))
}

/// Opens the database at `path` without filling it.
pub fn open_only(path: &Path) -> Result<Store, DatabaseError> {
    Store::open(path).map_err(|source| DatabaseError::Open { path: path.to_owned(), source })
}

/// Opens the database at `path`; one that holds no registry yet (a new file) first gets
/// the built-in one, after `setting_up` has been told.
pub fn open(path: &Path, setting_up: impl FnOnce(&Path)) -> Result<Store, DatabaseError> {
    let mut store = open_only(path)?;
    if !store.is_initialised()? {
        setting_up(path);
        load_curated(&mut store, &DataFiles::embedded())?;
    }
    Ok(store)
}

/// Validates the whole data folder before touching the store, then swaps it in at once.
pub fn load_curated(store: &mut Store, files: &DataFiles) -> Result<(), DatabaseError> {
    let data = curated::load(files).map_err(DatabaseError::Data)?;
    Ok(store.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition)?)
}

/// What `init` loaded (the JSON of `pactbase init --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct Loaded {
    pub database: String,
    /// The data folder, as errors name it (`data/` for the built-in one).
    pub data: String,
    pub states: usize,
    pub agreements: usize,
    pub exercise_series: usize,
    /// Agreements edited through the web API, kept in place of the folder's files.
    pub kept_edited: Vec<String>,
}

/// (Re)loads the curated registry of `files` into the database at `path`, validated whole
/// before the database is even opened, so a bad folder never creates the file.
pub fn init(path: &Path, files: &DataFiles) -> Result<Loaded, DatabaseError> {
    let data = curated::load(files).map_err(DatabaseError::Data)?;
    let mut store = open_only(path)?;
    store.replace_curated(&data.states, &data.agreements, &data.exercises, &data.non_recognition)?;
    Ok(Loaded {
        database: path.display().to_string(),
        data: files.root.clone(),
        states: data.states.len(),
        agreements: data.agreements.len(),
        exercise_series: data.exercises.len(),
        kept_edited: store.edited_agreement_ids()?,
    })
}
