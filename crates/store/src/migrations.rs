use rusqlite::Connection;

use crate::{Result, StoreError};

/// Schema steps in order; `PRAGMA user_version` records how many have been applied.
/// Never edit a step that has shipped: append a new one.
const MIGRATIONS: &[&str] = &[
    r#"
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
"#,
    r#"
-- Research datasets (FIELD.md §1, §2, §6), each replaced whole by its importer.
-- Dates are yyyymmdd integers; dd = 00 where the source gives no day.
CREATE TABLE datasets (
    dataset     TEXT NOT NULL,
    path        TEXT NOT NULL,
    version     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (dataset, path)
) WITHOUT ROWID;
CREATE TABLE atop_alliances (
    atopid     INTEGER PRIMARY KEY,
    cowid      INTEGER,
    begin_date INTEGER NOT NULL,
    end_date   INTEGER,
    bilateral  INTEGER NOT NULL,
    asymmetric INTEGER NOT NULL,
    defense    INTEGER NOT NULL,
    offense    INTEGER NOT NULL,
    neutral    INTEGER NOT NULL,
    nonagg     INTEGER NOT NULL,
    consul     INTEGER NOT NULL,
    milcon     INTEGER,
    milaid     INTEGER,
    intcom     INTEGER,
    subord     INTEGER,
    base       INTEGER,
    organ1     INTEGER,
    contrib    INTEGER,
    armred     INTEGER,
    specthrt   INTEGER,
    ecaid      INTEGER,
    members    TEXT NOT NULL -- JSON array of member codes, in ATOP's mem1..memN order
);
CREATE TABLE atop_phases (
    atopid     INTEGER NOT NULL,
    phase      INTEGER NOT NULL,
    begin_date INTEGER NOT NULL,
    end_date   INTEGER,
    defense    INTEGER NOT NULL,
    offense    INTEGER NOT NULL,
    neutral    INTEGER NOT NULL,
    nonagg     INTEGER NOT NULL,
    consul     INTEGER NOT NULL,
    PRIMARY KEY (atopid, phase)
) WITHOUT ROWID;
-- One row per member per phase, in the file's order; a member that left and came back
-- has two rows for the same phase, so there is no natural key.
CREATE TABLE atop_members (
    atopid     INTEGER NOT NULL,
    ccode      INTEGER NOT NULL,
    phase      INTEGER NOT NULL,
    entry_date INTEGER NOT NULL,
    exit_date  INTEGER,
    defense    INTEGER NOT NULL,
    offense    INTEGER NOT NULL,
    neutral    INTEGER NOT NULL,
    nonagg     INTEGER NOT NULL,
    consul     INTEGER NOT NULL,
    obvary     INTEGER NOT NULL
);
CREATE INDEX atop_members_atopid ON atop_members (atopid);
CREATE INDEX atop_members_ccode ON atop_members (ccode);
-- The agreement each alliance becomes; listed among agreements (origin 'atop') while
-- no curated agreement claims its atopid.
CREATE TABLE atop_agreements (
    atopid INTEGER PRIMARY KEY,
    doc    TEXT NOT NULL
);
CREATE TABLE system_spells (
    ccode      INTEGER NOT NULL,
    start_date INTEGER NOT NULL,
    end_date   INTEGER NOT NULL,
    PRIMARY KEY (ccode, start_date)
) WITHOUT ROWID;
CREATE TABLE nmc (
    ccode  INTEGER NOT NULL,
    year   INTEGER NOT NULL,
    milex  REAL,
    milper REAL,
    irst   REAL,
    pec    REAL,
    tpop   REAL,
    upop   REAL,
    cinc   REAL,
    PRIMARY KEY (ccode, year)
) WITHOUT ROWID;
-- MME ids are not unique in v7, so exercises are keyed by their place in the file.
CREATE TABLE mme_exercises (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    series       TEXT,
    location     TEXT,
    year         INTEGER NOT NULL,
    month        INTEGER,
    end_year     INTEGER,
    cpx          INTEGER NOT NULL,
    air          INTEGER NOT NULL,
    land         INTEGER NOT NULL,
    sea          INTEGER NOT NULL,
    amphibious   INTEGER NOT NULL,
    cyber        INTEGER NOT NULL,
    warfighting  INTEGER NOT NULL,
    peacekeeping INTEGER NOT NULL,
    humanitarian INTEGER NOT NULL
);
CREATE INDEX mme_exercises_year ON mme_exercises (year);
CREATE TABLE mme_participants (
    exercise INTEGER NOT NULL REFERENCES mme_exercises (seq) ON DELETE CASCADE,
    ccode    INTEGER NOT NULL,
    PRIMARY KEY (exercise, ccode)
) WITHOUT ROWID;
CREATE INDEX mme_participants_ccode ON mme_participants (ccode);
CREATE TABLE sipri_milex (
    ccode    INTEGER NOT NULL,
    year     INTEGER NOT NULL,
    usd2017m REAL NOT NULL,
    PRIMARY KEY (ccode, year)
) WITHOUT ROWID;
CREATE TABLE rivalries (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    ccode1          INTEGER NOT NULL,
    ccode2          INTEGER NOT NULL,
    start_year      INTEGER NOT NULL,
    end_year        INTEGER,
    positional      INTEGER NOT NULL,
    spatial         INTEGER NOT NULL,
    ideological     INTEGER NOT NULL,
    interventionary INTEGER NOT NULL,
    principal       INTEGER NOT NULL
);
"#,
    r#"
-- Editing through the web API (issue 6): users with token hashes, the audit log, and a
-- flag on agreements changed through the API (`init` keeps those; see README).
ALTER TABLE agreements ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
    token_hash TEXT NOT NULL, -- argon2 PHC string; the token itself is never stored
    created_at TEXT NOT NULL
);
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    agreement_id   TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('create', 'update', 'revert')),
    user_name      TEXT NOT NULL,
    at             TEXT NOT NULL,
    before         TEXT, -- the whole agreement document before the change; NULL: did not exist
    after          TEXT, -- after the change; NULL: removed (a reverted creation)
    version_before INTEGER,
    version_after  INTEGER,
    reverts        INTEGER REFERENCES audit_log (id)
);
CREATE INDEX audit_log_agreement ON audit_log (agreement_id);
"#,
    r#"
-- A counter that every change to what analyses read moves on (issue 6): a running server
-- compares it to the one its caches were computed at, so `init`, `import` and edits from
-- any process are seen without a restart. Triggers keep it right whoever writes.
CREATE TABLE revision (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO revision VALUES (1, 0);
CREATE TRIGGER states_insert_revision AFTER INSERT ON states BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER states_update_revision AFTER UPDATE ON states BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER states_delete_revision AFTER DELETE ON states BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER agreements_insert_revision AFTER INSERT ON agreements BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER agreements_update_revision AFTER UPDATE ON agreements BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER agreements_delete_revision AFTER DELETE ON agreements BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER exercise_series_insert_revision AFTER INSERT ON exercise_series BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER exercise_series_update_revision AFTER UPDATE ON exercise_series BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER exercise_series_delete_revision AFTER DELETE ON exercise_series BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER datasets_insert_revision AFTER INSERT ON datasets BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER datasets_update_revision AFTER UPDATE ON datasets BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER datasets_delete_revision AFTER DELETE ON datasets BEGIN UPDATE revision SET value = value + 1; END;
"#,
    r#"
-- Alliance-study covariates (issue 10), each replaced whole by its importer. Dates are
-- yyyymmdd integers. Dyad-year tables are keyed by year first: panels read them a year
-- at a time.
CREATE TABLE contiguity (
    ccode1     INTEGER NOT NULL,
    ccode2     INTEGER NOT NULL,
    conttype   INTEGER NOT NULL CHECK (conttype BETWEEN 0 AND 5),
    start_date INTEGER NOT NULL,
    end_date   INTEGER NOT NULL,
    PRIMARY KEY (ccode1, ccode2, conttype, start_date)
) WITHOUT ROWID;
CREATE TABLE capitals (
    ccode      INTEGER NOT NULL,
    name       TEXT NOT NULL,
    start_date INTEGER NOT NULL,
    end_date   INTEGER NOT NULL,
    lat        REAL NOT NULL,
    lng        REAL NOT NULL,
    PRIMARY KEY (ccode, start_date)
) WITHOUT ROWID;
CREATE TABLE mindist (
    year   INTEGER NOT NULL,
    ccode1 INTEGER NOT NULL,
    ccode2 INTEGER NOT NULL,
    km     REAL NOT NULL,
    PRIMARY KEY (year, ccode1, ccode2)
) WITHOUT ROWID;
CREATE TABLE majors (
    ccode      INTEGER NOT NULL,
    start_date INTEGER NOT NULL,
    end_date   INTEGER NOT NULL,
    PRIMARY KEY (ccode, start_date)
) WITHOUT ROWID;
CREATE TABLE gml_participants (
    dispnum    INTEGER NOT NULL,
    ccode      INTEGER NOT NULL,
    start_year INTEGER NOT NULL,
    end_year   INTEGER NOT NULL,
    sidea      INTEGER NOT NULL,
    orig       INTEGER NOT NULL,
    PRIMARY KEY (dispnum, ccode, sidea, start_year)
) WITHOUT ROWID;
CREATE TABLE gml_dyad_years (
    dispnum  INTEGER NOT NULL,
    ccode1   INTEGER NOT NULL,
    ccode2   INTEGER NOT NULL,
    year     INTEGER NOT NULL,
    onset    INTEGER NOT NULL,
    fatality INTEGER, -- NULL: unknown (GML's -9)
    hostlev  INTEGER NOT NULL,
    mindur   INTEGER NOT NULL,
    maxdur   INTEGER NOT NULL,
    recip    INTEGER NOT NULL,
    stmon    INTEGER NOT NULL,
    PRIMARY KEY (dispnum, ccode1, ccode2, year)
) WITHOUT ROWID;
CREATE TABLE igos (
    year     INTEGER NOT NULL,
    ccode1   INTEGER NOT NULL,
    ccode2   INTEGER NOT NULL,
    dyadigos INTEGER NOT NULL,
    PRIMARY KEY (year, ccode1, ccode2)
) WITHOUT ROWID;
"#,
    r#"
-- SIPRI arms transfers (issue 11): suppliers and recipients under SIPRI's names, and the
-- deliveries between them per year, with the COW state each party is that year (NULL
-- for parties that are not states). `id` is the party's place in the import.
CREATE TABLE sipri_arms_parties (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('state', 'non-state', 'organisation', 'unidentified', 'other'))
);
CREATE TABLE sipri_arms_transfers (
    supplier        INTEGER NOT NULL REFERENCES sipri_arms_parties (id),
    recipient       INTEGER NOT NULL REFERENCES sipri_arms_parties (id),
    year            INTEGER NOT NULL,
    supplier_ccode  INTEGER,
    recipient_ccode INTEGER,
    tiv             REAL NOT NULL, -- TIV, millions; 0: a delivery under 0.5m
    PRIMARY KEY (supplier, recipient, year)
) WITHOUT ROWID;
-- The years the tables cover: outside them a flow is unknown, not 0.
CREATE TABLE sipri_arms_coverage (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    first_year INTEGER NOT NULL,
    last_year  INTEGER NOT NULL
);
"#,
    r#"
-- Diplomatic non-recognition (data/non-recognition.csv, issue 18): which states do not
-- recognise which, and when; partner recommendations leave such pairs out. Curated data,
-- replaced whole by `init` with the rest of the registry; each row stored as its JSON.
CREATE TABLE non_recognition (
    id  INTEGER PRIMARY KEY,
    doc TEXT NOT NULL
);
CREATE TRIGGER non_recognition_insert_revision AFTER INSERT ON non_recognition BEGIN UPDATE revision SET value = value + 1; END;
CREATE TRIGGER non_recognition_delete_revision AFTER DELETE ON non_recognition BEGIN UPDATE revision SET value = value + 1; END;
"#,
    r#"
-- API tokens are random 256-bit secrets, not passwords (issues 15 and 20): each user's
-- token has a random id, and only the SHA-256 of its secret is kept, checked in constant
-- time. The argon2 hashes of earlier tokens are dropped: those users get a new token from
-- `pactbase user add` (docs/SECURITY.md).
CREATE TABLE users_with_token_ids (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
    token_id     TEXT UNIQUE,  -- NULL: the user must be given a new token
    token_sha256 TEXT,         -- hex SHA-256 of the token's secret
    created_at   TEXT NOT NULL,
    CHECK ((token_id IS NULL) = (token_sha256 IS NULL))
);
INSERT INTO users_with_token_ids (id, name, role, created_at) SELECT id, name, role, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_with_token_ids RENAME TO users;
"#,
    r#"
-- Every import of a research dataset, kept after a later import replaces its rows in
-- `datasets`, so the change log can list imports beside edits. Filled by a trigger, so
-- every importer records it in its own transaction; seeded with what is imported now.
CREATE TABLE import_log (
    id          INTEGER PRIMARY KEY,
    dataset     TEXT NOT NULL,
    path        TEXT NOT NULL,
    version     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
INSERT INTO import_log (dataset, path, version, sha256, rows, imported_at)
    SELECT dataset, path, version, sha256, rows, imported_at FROM datasets ORDER BY imported_at, dataset, path;
CREATE TRIGGER datasets_insert_import_log AFTER INSERT ON datasets BEGIN
    INSERT INTO import_log (dataset, path, version, sha256, rows, imported_at)
    VALUES (NEW.dataset, NEW.path, NEW.version, NEW.sha256, NEW.rows, NEW.imported_at);
END;
"#,
];

/// Refuses a database whose schema is not this build's (for read-only connections).
pub(crate) fn check_current(conn: &Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    match found.cmp(&known) {
        std::cmp::Ordering::Greater => Err(StoreError::NewerSchema { found, known }),
        std::cmp::Ordering::Less => Err(StoreError::NeedsUpgrade { found, known }),
        std::cmp::Ordering::Equal => Ok(()),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_with_argon2_tokens_are_kept_and_need_a_new_token() {
        let mut conn = Connection::open_in_memory().unwrap();
        // The schema as it was before token ids (four steps), with a user of that time.
        for (i, step) in MIGRATIONS.iter().take(4).enumerate() {
            conn.execute_batch(step).unwrap();
            conn.pragma_update(None, "user_version", i as i64 + 1).unwrap();
        }
        conn.execute(
            "INSERT INTO users (name, role, token_hash, created_at) VALUES ('ada', 'admin', '$argon2id$v=19$…', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        apply(&mut conn).unwrap();
        let row: (String, String, Option<String>, Option<String>, String) = conn
            .query_row("SELECT name, role, token_id, token_sha256, created_at FROM users", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap();
        assert_eq!(row, ("ada".into(), "admin".into(), None, None, "2026-01-01T00:00:00Z".into()));
        let store = crate::Store::with(conn);
        assert_eq!(store.users_without_token().unwrap(), ["ada"]);
    }
}
