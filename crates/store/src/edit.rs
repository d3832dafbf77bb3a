//! Editing through the web API: users (token hashes only), versioned agreement writes with
//! their audit record in the same transaction, and reverts.
//!
//! Every agreement row carries a `version`, raised by each change; a write names the
//! version it was based on and is refused ([`EditError::Stale`]) when the row has moved on,
//! so concurrent edits are detected, never silently lost. Agreements changed here are
//! flagged `edited`; `replace_curated` (`pactbase init`) keeps them.

use std::collections::HashSet;

use pactbase_model::Agreement;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

use crate::write::{insert_agreement, insert_index, sync_atop_agreements};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// May create and change agreements.
    Editor,
    /// May also revert changes.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// An agreement with its version and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Versioned {
    pub agreement: Agreement,
    pub version: i64,
    /// `curated` (the registry, incl. agreements created through the API) or `atop`.
    pub origin: String,
    /// Changed through the API (kept by `pactbase init`).
    pub edited: bool,
}

/// One change in the audit log.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub agreement_id: String,
    /// `create`, `update` or `revert`.
    pub action: String,
    pub user: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    /// The whole document before the change; null when it did not exist.
    pub before: Option<serde_json::Value>,
    /// The whole document after the change; null when the change removed it.
    pub after: Option<serde_json::Value>,
    pub version_before: Option<i64>,
    pub version_after: Option<i64>,
    /// The entry this one reverted.
    pub reverts: Option<i64>,
}

/// One entry of the audit listing: who changed what, with the changed fields; the whole
/// documents are one request away ([`Store::audit_entry`]).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditSummary {
    pub id: i64,
    pub agreement_id: String,
    /// `create`, `update` or `revert`.
    pub action: String,
    pub user: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    pub version_before: Option<i64>,
    pub version_after: Option<i64>,
    /// The entry this one reverted.
    pub reverts: Option<i64>,
    /// The first [`MAX_CHANGES`] changed values, by path into the document.
    pub changes: Vec<AuditChange>,
    /// How many more values changed than are listed.
    pub more_changes: usize,
}

/// A value that a change set, removed or replaced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditChange {
    /// Path into the agreement document, e.g. `members[3].left`; empty for the whole
    /// document (a creation, or a removal by revert).
    pub path: String,
    /// The value before; null when there was none (or when left out).
    pub before: Option<serde_json::Value>,
    /// The value after; null when the change removed it (or when left out).
    pub after: Option<serde_json::Value>,
    /// True when a value was longer than [`MAX_VALUE_BYTES`] as JSON: text is then cut
    /// short (ending in `…`), anything else left out.
    pub elided: bool,
}

/// Changes listed per audit entry; the rest are counted.
pub const MAX_CHANGES: usize = 20;
/// Longest value (as JSON) quoted in a listed change.
pub const MAX_VALUE_BYTES: usize = 300;

/// The values that differ between two documents, by path: objects key by key, arrays
/// place by place.
fn diff(path: &str, before: Option<&serde_json::Value>, after: Option<&serde_json::Value>, out: &mut Vec<AuditChange>) {
    use serde_json::Value;
    match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let sub = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                diff(&sub, a.get(k), b.get(k), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                diff(&format!("{path}[{i}]"), a.get(i), b.get(i), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => {
            let (before, cut_before) = shortened(a);
            let (after, cut_after) = shortened(b);
            out.push(AuditChange { path: path.to_owned(), before, after, elided: cut_before || cut_after });
        }
    }
}

/// A value as the listing shows it, and whether it was cut: values over
/// [`MAX_VALUE_BYTES`] as JSON are left out, except text, which is cut to its beginning.
fn shortened(value: Option<&serde_json::Value>) -> (Option<serde_json::Value>, bool) {
    match value {
        Some(v) if v.to_string().len() > MAX_VALUE_BYTES => match v.as_str() {
            Some(text) => {
                let start: String = text.chars().take(MAX_VALUE_BYTES / 2).collect();
                (Some(serde_json::Value::String(format!("{start}…"))), true)
            }
            None => (None, true),
        },
        v => (v.cloned(), false),
    }
}

impl AuditSummary {
    fn of(e: &AuditEntry) -> AuditSummary {
        let mut changes = Vec::new();
        diff("", e.before.as_ref(), e.after.as_ref(), &mut changes);
        let more_changes = changes.len().saturating_sub(MAX_CHANGES);
        changes.truncate(MAX_CHANGES);
        AuditSummary {
            id: e.id,
            agreement_id: e.agreement_id.clone(),
            action: e.action.clone(),
            user: e.user.clone(),
            at: e.at.clone(),
            version_before: e.version_before,
            version_after: e.version_after,
            reverts: e.reverts,
            changes,
            more_changes,
        }
    }
}

/// What is kept of a user's token: a random id to find it by and the SHA-256 of its
/// secret (hex), never the token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenDigest {
    pub id: String,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("no agreement `{0}`")]
    NotFound(String),
    #[error("agreement `{0}` exists already")]
    Exists(String),
    #[error("agreement `{id}` is at version {current}; the change was based on version {expected}")]
    Stale { id: String, current: i64, expected: i64 },
    #[error("{0}")]
    Conflict(String),
    #[error("no audit entry {0}")]
    NoEntry(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for EditError {
    fn from(e: rusqlite::Error) -> Self {
        EditError::Store(e.into())
    }
}

impl From<serde_json::Error> for EditError {
    fn from(e: serde_json::Error) -> Self {
        EditError::Store(e.into())
    }
}

pub(crate) fn edited_ids(tx: &Transaction) -> Result<HashSet<String>> {
    let mut stmt = tx.prepare("SELECT id FROM agreements WHERE edited = 1")?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

const AUDIT_COLUMNS: &str =
    "id, agreement_id, action, user_name, at, before, after, version_before, version_after, reverts";

fn audit_row(r: &rusqlite::Row) -> rusqlite::Result<(AuditEntry, Option<String>, Option<String>)> {
    Ok((
        AuditEntry {
            id: r.get(0)?,
            agreement_id: r.get(1)?,
            action: r.get(2)?,
            user: r.get(3)?,
            at: r.get(4)?,
            before: None,
            after: None,
            version_before: r.get(7)?,
            version_after: r.get(8)?,
            reverts: r.get(9)?,
        },
        r.get(5)?,
        r.get(6)?,
    ))
}

fn parse_audit(row: (AuditEntry, Option<String>, Option<String>)) -> Result<AuditEntry> {
    let (mut e, before, after) = row;
    e.before = before.map(|d| serde_json::from_str(&d)).transpose()?;
    e.after = after.map(|d| serde_json::from_str(&d)).transpose()?;
    Ok(e)
}

/// The current row of `id`: document, version, origin.
fn current(tx: &Transaction, id: &str) -> Result<Option<(String, i64, String)>> {
    Ok(tx
        .query_row("SELECT doc, version, origin FROM agreements WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

/// Refuses an atopid another curated agreement claims already.
fn check_atopid(tx: &Transaction, a: &Agreement) -> Result<(), EditError> {
    if let Some(atopid) = a.atopid {
        let other: Option<String> = tx
            .query_row(
                "SELECT id FROM agreements WHERE origin = 'curated' AND atopid = ?1 AND id <> ?2",
                params![atopid, a.id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(other) = other {
            return Err(EditError::Conflict(format!("atopid {atopid} is already claimed by `{other}`")));
        }
    }
    Ok(())
}

/// Writes `a` as the current document of its id at `version`, marked edited.
fn write_doc(tx: &Transaction, a: &Agreement, version: i64, exists: bool) -> Result<()> {
    if exists {
        let start = a.in_force.map_or(a.signed.year, |f| f.year.min(a.signed.year));
        tx.execute(
            "UPDATE agreements SET name = ?2, signed = ?3, signed_year = ?4, start_year = ?5, ended_year = ?6,
                 atopid = ?7, doc = ?8, version = ?9, edited = 1
             WHERE id = ?1",
            params![
                a.id,
                a.name,
                a.signed.to_string(),
                a.signed.year,
                start,
                a.ended.map(|e| e.year),
                a.atopid,
                serde_json::to_string(a)?,
                version
            ],
        )?;
        remove_index(tx, &a.id)?;
        insert_index(tx, a)?;
    } else {
        insert_agreement(tx, a, "curated")?;
        tx.execute("UPDATE agreements SET version = ?2, edited = 1 WHERE id = ?1", params![a.id, version])?;
    }
    Ok(())
}

fn remove_index(tx: &Transaction, id: &str) -> Result<()> {
    tx.execute("DELETE FROM agreement_kinds WHERE agreement_id = ?1", [id])?;
    tx.execute("DELETE FROM memberships WHERE agreement_id = ?1", [id])?;
    tx.execute("DELETE FROM directed_obligations WHERE agreement_id = ?1", [id])?;
    tx.execute("DELETE FROM agreement_text WHERE id = ?1", [id])?;
    Ok(())
}

/// The next version for `id`: above every version it ever had, so that a client holding
/// a version from before a removal never matches again.
fn next_version(tx: &Transaction, id: &str) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT MAX(COALESCE((SELECT version FROM agreements WHERE id = ?1), 0),
                    COALESCE((SELECT MAX(MAX(COALESCE(version_before, 0), COALESCE(version_after, 0)))
                              FROM audit_log WHERE agreement_id = ?1), 0)) + 1",
        [id],
        |r| r.get(0),
    )?)
}

#[allow(clippy::too_many_arguments)]
fn record(
    tx: &Transaction,
    id: &str,
    action: &str,
    user: &str,
    before: Option<&str>,
    after: Option<&str>,
    version_before: Option<i64>,
    version_after: Option<i64>,
    reverts: Option<i64>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO audit_log (agreement_id, action, user_name, at, before, after, version_before, version_after, reverts)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?4, ?5, ?6, ?7, ?8)",
        params![id, action, user, before, after, version_before, version_after, reverts],
    )?;
    Ok(tx.last_insert_rowid())
}

fn entry(tx: &Transaction, id: i64) -> Result<Option<AuditEntry>> {
    let row =
        tx.query_row(&format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE id = ?1"), [id], audit_row).optional()?;
    row.map(parse_audit).transpose()
}

impl Store {
    /// Adds a user, or gives an existing one a new role and token (the old token stops
    /// working). Returns the user and whether it existed.
    pub fn add_user(&mut self, name: &str, role: Role, token: &TokenDigest) -> Result<(User, bool)> {
        let tx = self.conn.transaction()?;
        let existed: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)", [name], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO users (name, role, token_id, token_sha256, created_at)
             VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             ON CONFLICT (name) DO UPDATE SET role = excluded.role, token_id = excluded.token_id,
                 token_sha256 = excluded.token_sha256",
            params![name, role.as_str(), token.id, token.sha256],
        )?;
        let id = tx.query_row("SELECT id FROM users WHERE name = ?1", [name], |r| r.get(0))?;
        tx.commit()?;
        Ok((User { id, name: name.to_owned(), role }, existed))
    }

    /// The user whose token has id `token_id`, with the SHA-256 (hex) of its secret.
    pub fn user_by_token_id(&self, token_id: &str) -> Result<Option<(User, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id, name, role, token_sha256 FROM users WHERE token_id = ?1")?
            .query_row([token_id], |r| {
                let role: String = r.get(2)?;
                Ok((
                    User { id: r.get(0)?, name: r.get(1)?, role: Role::parse(&role).unwrap_or(Role::Editor) },
                    r.get(3)?,
                ))
            })
            .optional()?)
    }

    /// Users without a usable token (theirs predates token ids): `pactbase user add`
    /// gives them one.
    pub fn users_without_token(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT name FROM users WHERE token_id IS NULL ORDER BY name")?;
        let names = stmt.query_map([], |r| r.get(0))?;
        Ok(names.collect::<Result<_, _>>()?)
    }

    /// An agreement with its version, origin and edited flag.
    pub fn agreement_versioned(&self, id: &str) -> Result<Option<Versioned>> {
        let row: Option<(String, i64, String, bool)> = self
            .conn
            .query_row("SELECT doc, version, origin, edited FROM agreements WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        row.map(|(doc, version, origin, edited)| {
            Ok(Versioned { agreement: serde_json::from_str(&doc)?, version, origin, edited })
        })
        .transpose()
    }

    /// Ids of the agreements changed through the API, which `init` keeps.
    pub fn edited_agreement_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM agreements WHERE edited = 1 ORDER BY id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// Creates an agreement (validated by the caller) with its audit record.
    pub fn create_agreement(&mut self, a: &Agreement, user: &str) -> Result<AuditEntry, EditError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if current(&tx, &a.id)?.is_some() {
            return Err(EditError::Exists(a.id.clone()));
        }
        if a.id.starts_with("atop-") {
            return Err(EditError::Conflict("ids `atop-…` are reserved for ATOP's alliances".into()));
        }
        check_atopid(&tx, a)?;
        let version = next_version(&tx, &a.id)?;
        write_doc(&tx, a, version, false)?;
        let after = serde_json::to_string(a)?;
        let id = record(&tx, &a.id, "create", user, None, Some(&after), None, Some(version), None)?;
        if a.atopid.is_some() {
            sync_atop_agreements(&tx)?;
        }
        let e = entry(&tx, id)?.ok_or(EditError::NoEntry(id))?;
        tx.commit()?;
        Ok(e)
    }

    /// Replaces agreement `a.id` if it is still at `expected` version, with its audit
    /// record; otherwise nothing is written ([`EditError::Stale`]).
    pub fn update_agreement(&mut self, a: &Agreement, expected: i64, user: &str) -> Result<AuditEntry, EditError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some((before, version, origin)) = current(&tx, &a.id)? else {
            return Err(EditError::NotFound(a.id.clone()));
        };
        if origin != "curated" {
            return Err(EditError::Conflict(format!(
                "`{}` is an ATOP alliance and read-only; create a registry agreement with its atopid instead",
                a.id
            )));
        }
        if version != expected {
            return Err(EditError::Stale { id: a.id.clone(), current: version, expected });
        }
        check_atopid(&tx, a)?;
        let old: Agreement = serde_json::from_str(&before)?;
        let new_version = next_version(&tx, &a.id)?;
        write_doc(&tx, a, new_version, true)?;
        let after = serde_json::to_string(a)?;
        let id =
            record(&tx, &a.id, "update", user, Some(&before), Some(&after), Some(version), Some(new_version), None)?;
        if old.atopid != a.atopid {
            sync_atop_agreements(&tx)?;
        }
        let e = entry(&tx, id)?.ok_or(EditError::NoEntry(id))?;
        tx.commit()?;
        Ok(e)
    }

    /// A page of the audit log, newest first, of one agreement or all: at most `limit`
    /// entries older than entry `after` (from the newest when `None`), each with its changed
    /// values rather than whole documents.
    pub fn audit_page(&self, agreement: Option<&str>, after: Option<i64>, limit: usize) -> Result<Vec<AuditSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log
             WHERE (?1 IS NULL OR agreement_id = ?1) AND (?2 IS NULL OR id < ?2)
             ORDER BY id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![agreement, after, limit as i64], audit_row)?;
        rows.map(|r| Ok(AuditSummary::of(&parse_audit(r?)?))).collect()
    }

    pub fn audit_entry(&self, id: i64) -> Result<Option<AuditEntry>> {
        let row = self
            .conn
            .query_row(&format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE id = ?1"), [id], audit_row)
            .optional()?;
        row.map(parse_audit).transpose()
    }

    /// Undoes audit entry `id`: puts back its `before` document (removing an agreement
    /// the entry created), recorded as a new `revert` entry. Only the latest change of an
    /// agreement can be reverted: when the agreement has changed since, nothing is written
    /// ([`EditError::Stale`]).
    pub fn revert(&mut self, id: i64, user: &str) -> Result<AuditEntry, EditError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let target = entry(&tx, id)?.ok_or(EditError::NoEntry(id))?;
        let now = current(&tx, &target.agreement_id)?;
        let now_version = now.as_ref().map(|(_, v, _)| *v);
        if now_version != target.version_after {
            return Err(EditError::Stale {
                id: target.agreement_id.clone(),
                current: now_version.unwrap_or(0),
                expected: target.version_after.unwrap_or(0),
            });
        }
        let before_doc = now.as_ref().map(|(d, _, _)| d.clone());
        let old_atopid =
            before_doc.as_deref().map(serde_json::from_str::<Agreement>).transpose()?.and_then(|a| a.atopid);
        let (after_doc, version_after, new_atopid) = match &target.before {
            Some(doc) => {
                let a: Agreement = serde_json::from_value(doc.clone())?;
                check_atopid(&tx, &a)?;
                let v = next_version(&tx, &a.id)?;
                write_doc(&tx, &a, v, now.is_some())?;
                (Some(serde_json::to_string(&a)?), Some(v), a.atopid)
            }
            None => {
                remove_index(&tx, &target.agreement_id)?;
                tx.execute("DELETE FROM agreements WHERE id = ?1", [&target.agreement_id])?;
                (None, None, None)
            }
        };
        let new_id = record(
            &tx,
            &target.agreement_id,
            "revert",
            user,
            before_doc.as_deref(),
            after_doc.as_deref(),
            now_version,
            version_after,
            Some(id),
        )?;
        if old_atopid != new_atopid {
            sync_atop_agreements(&tx)?;
        }
        let e = entry(&tx, new_id)?.ok_or(EditError::NoEntry(new_id))?;
        tx.commit()?;
        Ok(e)
    }
}
