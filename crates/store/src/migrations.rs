use rusqlite::Connection;

use crate::{Result, StoreError};

/// Schema steps in order; `PRAGMA user_version` records how many have been applied.
/// Never edit a step that has shipped: append a new one.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE states (
    ccode INTEGER PRIMARY KEY,
    abb   TEXT NOT NULL UNIQUE,
    iso3  TEXT UNIQUE,
    name  TEXT NOT NULL,
    doc   TEXT NOT NULL
);
CREATE TABLE agreements (
    id          TEXT PRIMARY KEY,
    origin      TEXT NOT NULL CHECK (origin IN ('curated', 'atop')),
    name        TEXT NOT NULL,
    signed      TEXT NOT NULL,
    signed_year INTEGER NOT NULL,
    start_year  INTEGER NOT NULL,
    ended_year  INTEGER,
    atopid      INTEGER,
    version     INTEGER NOT NULL DEFAULT 1,
    doc         TEXT NOT NULL
);
CREATE INDEX agreements_atopid ON agreements (atopid);
CREATE TABLE agreement_kinds (
    agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    PRIMARY KEY (agreement_id, kind)
) WITHOUT ROWID;
CREATE TABLE memberships (
    agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    ccode        INTEGER NOT NULL REFERENCES states (ccode),
    joined       TEXT NOT NULL,
    joined_year  INTEGER NOT NULL,
    left_date    TEXT,
    left_year    INTEGER,
    role         TEXT NOT NULL
);
CREATE INDEX memberships_ccode ON memberships (ccode);
CREATE INDEX memberships_agreement ON memberships (agreement_id);
CREATE TABLE directed_obligations (
    agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    from_ccode   INTEGER NOT NULL,
    toward_ccode INTEGER,
    type         TEXT NOT NULL,
    conditional  INTEGER NOT NULL
);
CREATE INDEX directed_obligations_agreement ON directed_obligations (agreement_id);
CREATE VIRTUAL TABLE agreement_text USING fts5 (
    id UNINDEXED, name, short_names, summary, text,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE exercise_series (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    agreement_id TEXT REFERENCES agreements (id) ON DELETE SET NULL,
    doc          TEXT NOT NULL
);
CREATE TABLE exercise_participants (
    series_id TEXT NOT NULL REFERENCES exercise_series (id) ON DELETE CASCADE,
    ccode     INTEGER NOT NULL REFERENCES states (ccode),
    PRIMARY KEY (series_id, ccode)
) WITHOUT ROWID;
"#];

pub(crate) fn apply(conn: &mut Connection) -> Result<()> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if applied > known {
        return Err(StoreError::NewerSchema { found: applied, known });
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
