use pactbase_model::{Agreement, ExerciseSeries, NonRecognition, State};
use rusqlite::{params, Transaction};

use crate::{Result, Store};

impl Store {
    /// Replaces the curated registry (states, curated agreements, exercise series,
    /// non-recognition) in one transaction: readers see the old data or the new, never a
    /// mixture, and a failure leaves the old data in place. Imported research data is
    /// kept, and ATOP's alliances are listed again except those a curated agreement now
    /// claims by atopid.
    pub fn replace_curated(
        &mut self,
        states: &[State],
        agreements: &[Agreement],
        exercises: &[ExerciseSeries],
        non_recognition: &[NonRecognition],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        {
            let mut upsert = tx.prepare(
                "INSERT INTO states (ccode, abb, iso3, name, doc) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (ccode) DO UPDATE SET abb = excluded.abb, iso3 = excluded.iso3,
                     name = excluded.name, doc = excluded.doc",
            )?;
            for s in states {
                upsert.execute(params![s.ccode, s.abb, s.iso3, s.name, serde_json::to_string(s)?])?;
            }
        }
        // Agreements edited through the web API are kept: they override data/ (README).
        tx.execute(
            "DELETE FROM agreement_text WHERE id IN (SELECT id FROM agreements WHERE origin = 'curated' AND edited = 0)",
            [],
        )?;
        tx.execute("DELETE FROM agreements WHERE origin = 'curated' AND edited = 0", [])?;
        crate::fault::pause_at("init:emptied");
        let edited = crate::edit::edited_ids(&tx)?;
        for a in agreements.iter().filter(|a| !edited.contains(&a.id)) {
            insert_agreement(&tx, a, "curated")?;
        }
        sync_atop_agreements(&tx)?;
        tx.execute("DELETE FROM exercise_series", [])?;
        for e in exercises {
            tx.execute(
                "INSERT INTO exercise_series (id, name, agreement_id, doc) VALUES (?1, ?2, ?3, ?4)",
                params![e.id, e.name, e.agreement, serde_json::to_string(e)?],
            )?;
            let mut participant =
                tx.prepare_cached("INSERT OR IGNORE INTO exercise_participants (series_id, ccode) VALUES (?1, ?2)")?;
            for c in &e.participants {
                participant.execute(params![e.id, c])?;
            }
        }
        tx.execute("DELETE FROM non_recognition", [])?;
        for r in non_recognition {
            tx.execute("INSERT INTO non_recognition (doc) VALUES (?1)", params![serde_json::to_string(r)?])?;
        }
        crate::fault::pause_at("init:filled");
        tx.commit()?;
        Ok(())
    }
}

/// Lists ATOP's alliances among the agreements (origin `atop`), except those a curated
/// agreement claims by atopid. It rebuilds the whole listing from `atop_agreements`, so
/// `init` and `import atop` in either order end the same way, with no duplicates, and an
/// alliance a curated agreement stops claiming comes back. Until the states are loaded
/// (the agreements name them) nothing is listed. Returns how many are listed.
pub(crate) fn sync_atop_agreements(tx: &Transaction) -> Result<usize> {
    tx.execute("DELETE FROM agreement_text WHERE id IN (SELECT id FROM agreements WHERE origin = 'atop')", [])?;
    tx.execute("DELETE FROM agreements WHERE origin = 'atop'", [])?;
    if !tx.query_row("SELECT EXISTS (SELECT 1 FROM states)", [], |r| r.get::<_, bool>(0))? {
        return Ok(0);
    }
    let mut unclaimed = tx.prepare(
        "SELECT doc FROM atop_agreements
         WHERE atopid NOT IN (SELECT atopid FROM agreements WHERE origin = 'curated' AND atopid IS NOT NULL)
         ORDER BY atopid",
    )?;
    let docs = unclaimed.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    for doc in &docs {
        insert_agreement(tx, &serde_json::from_str(doc)?, "atop")?;
    }
    Ok(docs.len())
}

/// Writes an agreement's document and its derived index rows.
pub(crate) fn insert_agreement(tx: &Transaction, a: &Agreement, origin: &str) -> Result<()> {
    let start = a.in_force.map_or(a.signed.year, |f| f.year.min(a.signed.year));
    tx.execute(
        "INSERT INTO agreements (id, origin, name, signed, signed_year, start_year, ended_year, atopid, doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            a.id,
            origin,
            a.name,
            a.signed.to_string(),
            a.signed.year,
            start,
            a.ended.map(|e| e.year),
            a.atopid,
            serde_json::to_string(a)?
        ],
    )?;
    insert_index(tx, a)
}

/// Writes the derived index rows (kinds, memberships, directed obligations, text) of an
/// agreement whose row exists.
pub(crate) fn insert_index(tx: &Transaction, a: &Agreement) -> Result<()> {
    let mut kind = tx.prepare_cached("INSERT INTO agreement_kinds (agreement_id, kind) VALUES (?1, ?2)")?;
    for k in &a.kinds {
        kind.execute(params![a.id, k.to_string()])?;
    }
    let mut member = tx.prepare_cached(
        "INSERT INTO memberships (agreement_id, ccode, joined, joined_year, left_date, left_year, role)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for m in &a.members {
        member.execute(params![
            a.id,
            m.ccode,
            m.joined.to_string(),
            m.joined.year,
            m.left.map(|l| l.to_string()),
            m.left.map(|l| l.year),
            m.role.to_string()
        ])?;
    }
    let mut obligation = tx.prepare_cached(
        "INSERT INTO directed_obligations (agreement_id, from_ccode, toward_ccode, type, conditional) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for d in a.directed_obligations() {
        obligation.execute(params![a.id, d.from, d.toward, d.kind.to_string(), d.conditional])?;
    }
    tx.execute(
        "INSERT INTO agreement_text (id, name, short_names, summary, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![a.id, a.name, a.short_names.join(" "), a.summary, a.text.as_deref().unwrap_or("")],
    )?;
    Ok(())
}
