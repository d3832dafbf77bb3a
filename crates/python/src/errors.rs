//! Failures as Python exceptions with the CLI's messages. Computations run without the
//! GIL, so they fail with a plain [`Failure`]; it becomes the exception once the GIL is
//! held again.

use arrow_schema::ArrowError;
use pactbase_model::research::Dataset;
use pactbase_service::database::DatabaseError;
use pactbase_service::import::ImportError;
use pactbase_service::network::NetworkError;
use pactbase_service::registry::LookupError;
use pactbase_service::ServiceError;
use pactbase_store::StoreError;
use pyo3::exceptions::PyValueError;
use pyo3::PyErr;

// Defined in Python (python/pactbase/_errors.py) so that they can also derive from the
// built-in KeyError and ValueError.
pyo3::import_exception!(pactbase._errors, PactbaseError);
pyo3::import_exception!(pactbase._errors, UnknownState);
pyo3::import_exception!(pactbase._errors, UnknownAgreement);
pyo3::import_exception!(pactbase._errors, MissingDataset);
pyo3::import_exception!(pactbase._errors, InvalidData);

#[derive(Debug)]
pub enum Failure {
    /// No state by that name or code; the message suggests the closest (CLI exit 3).
    UnknownState(String),
    /// No agreement with that id; the message suggests the closest (CLI exit 3).
    UnknownAgreement(String),
    /// A research dataset the analysis reads is not imported.
    MissingDataset { dataset: Dataset, message: String },
    /// An argument that cannot be used (CLI exit 2).
    BadInput(String),
    /// A data folder or dataset file failed validation; nothing was stored (CLI exit 4).
    InvalidData(String),
    /// The database or the file system (CLI exit 1).
    Other(String),
}

pub type Result<T, E = Failure> = std::result::Result<T, E>;

impl From<Failure> for PyErr {
    fn from(f: Failure) -> PyErr {
        match f {
            Failure::UnknownState(m) => UnknownState::new_err(m),
            Failure::UnknownAgreement(m) => UnknownAgreement::new_err(m),
            Failure::MissingDataset { dataset, message } => MissingDataset::new_err((message, dataset.to_string())),
            Failure::BadInput(m) => PyValueError::new_err(m),
            Failure::InvalidData(m) => InvalidData::new_err(m),
            Failure::Other(m) => PactbaseError::new_err(m),
        }
    }
}

impl From<ServiceError> for Failure {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::MissingDataset(dataset) => Failure::MissingDataset {
                dataset,
                message: format!("{e}; from Python: registry.import_dataset(\"{dataset}\", PATH)"),
            },
            e @ ServiceError::NotEstimable(_) => Failure::BadInput(e.to_string()),
            ServiceError::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Other(e.to_string())
    }
}

impl From<ArrowError> for Failure {
    fn from(e: ArrowError) -> Self {
        Failure::Other(e.to_string())
    }
}

impl From<LookupError> for Failure {
    fn from(e: LookupError) -> Self {
        match e {
            LookupError::UnknownAgreement(m) => Failure::UnknownAgreement(m),
            LookupError::Store(e) => e.into(),
        }
    }
}

impl From<DatabaseError> for Failure {
    fn from(e: DatabaseError) -> Self {
        match e {
            DatabaseError::Data(errors) => Failure::InvalidData(errors.to_string()),
            other => Failure::Other(other.to_string()),
        }
    }
}

impl From<ImportError> for Failure {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Data(errors) => Failure::InvalidData(errors.to_string()),
            ImportError::Store(e) => e.into(),
        }
    }
}

impl From<NetworkError> for Failure {
    fn from(e: NetworkError) -> Self {
        match e {
            e @ NetworkError::AfterTies(_) => Failure::BadInput(e.to_string()),
            NetworkError::Service(e) => e.into(),
        }
    }
}
