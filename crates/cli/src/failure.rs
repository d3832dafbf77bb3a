use std::fmt;

use pactbase_ingest::DataErrors;

/// Why a command failed; each kind has its own documented exit code (README, `--help`).
#[derive(Debug)]
pub enum Failure {
    /// A flag value that cannot be used (exit 2, like clap's own usage errors).
    Usage(String),
    /// A state, agreement or other named thing that does not exist (exit 3).
    NotFound(String),
    /// Input data that failed validation; nothing was stored (exit 4).
    Data(DataErrors),
    /// A research dataset the command needs has not been imported (exit 5).
    NotImported(String),
    /// Anything else: I/O, database (exit 1).
    Other(anyhow::Error),
}

impl Failure {
    /// Problems reading input: a file that could not be read at all (missing, no
    /// permission) is an I/O failure (exit 1), anything else invalid data (exit 4).
    pub fn data(e: DataErrors) -> Self {
        if e.unreadable() {
            Failure::Other(anyhow::Error::new(e))
        } else {
            Failure::Data(e)
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Other(_) => 1,
            Failure::Usage(_) => 2,
            Failure::NotFound(_) => 3,
            Failure::Data(_) => 4,
            Failure::NotImported(_) => 5,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(m) | Failure::NotFound(m) | Failure::NotImported(m) => f.write_str(m),
            Failure::Data(e) => write!(f, "{e}"),
            Failure::Other(e) => write!(f, "{e:#}"),
        }
    }
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Other(e.into())
    }
}

pub type Result<T = ()> = std::result::Result<T, Failure>;
