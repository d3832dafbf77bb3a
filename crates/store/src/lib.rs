//! pactbase's SQLite store.
//!
//! Each agreement is kept whole as a JSON document (the model's `Agreement`), which is
//! what readers get back, beside derived index tables (memberships, kinds, directed
//! obligations, full text) that queries filter on. Index tables are rewritten with their
//! document in the same transaction, so they never disagree with it.

mod edit;
mod migrations;
mod query;
mod research;
mod stamp;
mod write;

use std::path::Path;

use rusqlite::Connection;

pub use edit::{AuditEntry, EditError, Role, User, Versioned};
pub use query::{AgreementFilter, KindFilter, SearchHit};
pub use stamp::{Edits, Import};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored document is unreadable: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the database was written by a newer pactbase (schema {found}, this build knows {known}); upgrade pactbase or use another --db")]
    NewerSchema { found: i64, known: i64 },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        Self::setup(conn)
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
        Ok(Store { conn })
    }

    /// True once the curated data has been loaded.
    pub fn is_initialised(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM states)", [], |r| r.get(0))?)
    }
}
