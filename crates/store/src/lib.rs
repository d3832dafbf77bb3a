//! pactbase's SQLite store.
//!
//! Each agreement is kept whole as a JSON document (the model's `Agreement`), which is
//! what readers get back, beside derived index tables (memberships, kinds, directed
//! obligations, full text) that queries filter on. Index tables are rewritten with their
//! document in the same transaction, so they never disagree with it.

mod arms;
mod covariates;
mod edit;
mod fault;
mod migrations;
mod query;
mod research;
mod stamp;
mod write;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use rusqlite::{Connection, ErrorCode, OpenFlags};

pub use edit::{AuditChange, AuditEntry, AuditSummary, EditError, Role, TokenDigest, User, Versioned};
pub use query::{check_search, AgreementFilter, KindFilter, SearchHit, SearchLimits};
pub use stamp::{Edits, Import};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored document is unreadable: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the database was written by a newer pactbase (schema {found}, this build knows {known}); upgrade pactbase or use another --db")]
    NewerSchema { found: i64, known: i64 },
    #[error("the database has schema {found} and this pactbase needs {known}: the upgrade needs write access")]
    NeedsUpgrade { found: i64, known: i64 },
    /// Search text past the limits (too long, too many words).
    #[error("{0}")]
    Search(String),
    #[error("the search took longer than its budget of {} ms and was stopped; search for fewer or longer words", .0.as_millis())]
    OverBudget(std::time::Duration),
    #[error("the request was cancelled (the client went away)")]
    Cancelled,
}

impl StoreError {
    fn code(&self) -> Option<ErrorCode> {
        match self {
            StoreError::Sqlite(e) => e.sqlite_error_code(),
            _ => None,
        }
    }

    /// The file or its folder cannot be written (a read-only file, folder or file system).
    pub fn is_read_only(&self) -> bool {
        matches!(self.code(), Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen))
            || matches!(self, StoreError::NeedsUpgrade { .. })
    }

    /// The disk (or the file system's quota) is full.
    pub fn is_disk_full(&self) -> bool {
        self.code() == Some(ErrorCode::DiskFull)
    }

    /// Another process holds the write lock longer than the busy timeout.
    pub fn is_busy(&self) -> bool {
        matches!(self.code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
    }

    /// The file is not an SQLite database (or is damaged beyond reading).
    pub fn is_not_a_database(&self) -> bool {
        matches!(self.code(), Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt))
    }

    /// What to do about the error, for a person, when there is something to do.
    pub fn advice(&self) -> Option<&'static str> {
        if self.is_disk_full() {
            Some("the disk holding the database is full: free some space and run the command again (nothing was changed)")
        } else if self.is_read_only() {
            Some("the database file, its folder or its file system is read-only: make them writable (or pass --db with a writable copy); commands that only read work on it as it is")
        } else if self.is_not_a_database() {
            Some("this file is not a pactbase database: pass --db with a database `pactbase init` created")
        } else if self.is_busy() {
            Some("another process is writing to the database: try again when it has finished")
        } else {
            None
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    conn: Connection,
    search: SearchLimits,
    /// Set when whoever asked for the current work no longer wants it; searches stop.
    cancelled: Arc<AtomicBool>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::setup(conn)
    }

    /// Opens the existing database at `path` for reading only, which works on a read-only
    /// file, folder or file system. On a read-only folder SQLite cannot create the WAL
    /// index beside the database, so the file is then read as immutable: nothing can
    /// change it there. The schema must be this build's (an upgrade needs writing).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        let conn = match schema_version(&conn) {
            Ok(_) => conn,
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::CannotOpen) => {
                let uri = format!("file:{}?immutable=1", uri_path(path));
                Connection::open_with_flags(uri, flags)?
            }
            Err(e) => return Err(e.into()),
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::check_current(&conn)?;
        Ok(Store::with(conn))
    }

    /// A private in-memory store, for tests.
    pub fn in_memory() -> Result<Store> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Store> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::apply(&mut conn)?;
        Ok(Store::with(conn))
    }

    fn with(conn: Connection) -> Store {
        Store { conn, search: SearchLimits::default(), cancelled: Arc::default() }
    }

    /// True once the curated data has been loaded.
    pub fn is_initialised(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM states)", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check`: `ok`, or SQLite's list of problems.
    pub fn integrity_check(&self) -> Result<String> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok(lines.join("\n"))
    }

    /// The limits searches run under from now on.
    pub fn set_search_limits(&mut self, limits: SearchLimits) {
        self.search = limits;
    }

    /// Work from now on stops (with [`StoreError::Cancelled`]) once `cancelled` is set.
    pub fn set_cancel_flag(&mut self, cancelled: Arc<AtomicBool>) {
        self.cancelled = cancelled;
    }
}

fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// A path as the path of a `file:` URI (`%`, `?` and `#` escaped).
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.replace('%', "%25").replace('?', "%3f").replace('#', "%23")
}
