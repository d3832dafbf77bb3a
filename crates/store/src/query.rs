use pactbase_model::{
    Agreement, AgreementKind, Ccode, ExerciseSeries, ObligationType, PartyCoverage, State, StateIndex, Vocabulary,
};
use rusqlite::{params_from_iter, types::Value, OptionalExtension};
use serde::Serialize;

use crate::{Result, Store};

/// `--kind`: a kind of the taxonomy or an ATOP obligation type some member holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFilter {
    Kind(AgreementKind),
    Obligation(ObligationType),
}

impl KindFilter {
    /// A kind of the taxonomy, else an ATOP obligation type; the error lists the words
    /// and suggests the closest.
    pub fn parse(word: &str) -> Result<KindFilter, String> {
        if let Ok(k) = AgreementKind::parse(word) {
            return Ok(KindFilter::Kind(k));
        }
        if let Ok(o) = ObligationType::parse(word) {
            return Ok(KindFilter::Obligation(o));
        }
        let words: Vec<&str> = AgreementKind::ALL
            .iter()
            .map(|k| k.as_str())
            .chain(ObligationType::ALL.iter().map(|o| o.as_str()))
            .collect();
        let near = pactbase_model::input::closest(word, words.iter().copied());
        Err(format!(
            "unknown kind `{word}`{}; kinds are: {}",
            near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default(),
            words.join(", ")
        ))
    }
}

#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    pub member: Option<Ccode>,
    pub kind: Option<KindFilter>,
    pub active_in: Option<i32>,
    pub text: Option<String>,
    /// Whether the agreement lists every party or a selection.
    pub parties: Option<PartyCoverage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub id: String,
    pub name: String,
    /// The matching passage, with matches marked `[` `]`.
    pub snippet: String,
}

/// Turns free text into an FTS5 query that matches all its words (as prefixes), so that
/// user input never reaches FTS5's query syntax.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| format!("\"{w}\"*")).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Store {
    /// Moves on with every committed change to states, agreements, exercise series or
    /// imported datasets, by any process: results computed at one revision are current
    /// while it is unchanged.
    pub fn revision(&self) -> Result<i64> {
        Ok(self.conn.prepare_cached("SELECT value FROM revision")?.query_row([], |r| r.get(0))?)
    }

    pub fn states(&self) -> Result<Vec<State>> {
        let mut stmt = self.conn.prepare("SELECT doc FROM states ORDER BY ccode")?;
        let docs = stmt.query_map([], |r| r.get::<_, String>(0))?;
        docs.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }

    pub fn state_index(&self) -> Result<StateIndex> {
        Ok(StateIndex::new(self.states()?))
    }

    pub fn agreement(&self, id: &str) -> Result<Option<Agreement>> {
        let doc: Option<String> =
            self.conn.query_row("SELECT doc FROM agreements WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        Ok(doc.map(|d| serde_json::from_str(&d)).transpose()?)
    }

    /// All agreement ids, for suggestions when an id is mistyped.
    pub fn agreement_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM agreements ORDER BY id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// Agreements matching every given filter, oldest first.
    pub fn agreements(&self, filter: &AgreementFilter) -> Result<Vec<Agreement>> {
        let mut sql = String::from("SELECT a.doc FROM agreements a WHERE 1");
        let mut args: Vec<Value> = Vec::new();
        if let Some(ccode) = filter.member {
            sql.push_str(" AND a.id IN (SELECT agreement_id FROM memberships WHERE ccode = ?)");
            args.push(Value::Integer(ccode.into()));
            if let Some(year) = filter.active_in {
                sql.push_str(" AND a.id IN (SELECT agreement_id FROM memberships WHERE ccode = ? AND joined_year <= ? AND (left_year IS NULL OR left_year >= ?))");
                args.extend([Value::Integer(ccode.into()), Value::Integer(year.into()), Value::Integer(year.into())]);
            }
        }
        match filter.kind {
            Some(KindFilter::Kind(k)) => {
                sql.push_str(" AND a.id IN (SELECT agreement_id FROM agreement_kinds WHERE kind = ?)");
                args.push(Value::Text(k.to_string()));
            }
            Some(KindFilter::Obligation(o)) => {
                sql.push_str(" AND a.id IN (SELECT agreement_id FROM directed_obligations WHERE type = ?)");
                args.push(Value::Text(o.to_string()));
            }
            None => {}
        }
        if let Some(year) = filter.active_in {
            sql.push_str(" AND a.start_year <= ? AND (a.ended_year IS NULL OR a.ended_year >= ?)");
            args.extend([Value::Integer(year.into()), Value::Integer(year.into())]);
        }
        if let Some(coverage) = filter.parties {
            // Documents stored before the field existed list their parties completely (its default).
            sql.push_str(" AND COALESCE(json_extract(a.doc, '$.parties'), 'complete') = ?");
            args.push(Value::Text(coverage.to_string()));
        }
        if let Some(text) = &filter.text {
            match fts_query(text) {
                Some(q) => {
                    sql.push_str(" AND a.id IN (SELECT id FROM agreement_text WHERE agreement_text MATCH ?)");
                    args.push(Value::Text(q));
                }
                None => return Ok(Vec::new()),
            }
        }
        sql.push_str(" ORDER BY a.signed, a.id");
        let mut stmt = self.conn.prepare(&sql)?;
        let docs = stmt.query_map(params_from_iter(args), |r| r.get::<_, String>(0))?;
        docs.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }

    /// The agreements of the curated registry only (not the ATOP alliances listed beside
    /// them), oldest first.
    pub fn curated_agreements(&self) -> Result<Vec<Agreement>> {
        let mut stmt = self.conn.prepare("SELECT doc FROM agreements WHERE origin = 'curated' ORDER BY signed, id")?;
        let docs = stmt.query_map([], |r| r.get::<_, String>(0))?;
        docs.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }

    /// True once `dataset` (`atop`, `cow-states`, `nmc`, `mme`, `sipri-milex`,
    /// `rivalries`) has been imported.
    pub fn has_dataset(&self, dataset: &str) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM datasets WHERE dataset = ?1)", [dataset], |r| r.get(0))?)
    }

    /// Full-text search over names, short names, summaries and texts, best match first.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(text) else { return Ok(Vec::new()) };
        let mut stmt = self.conn.prepare(
            "SELECT t.id, a.name, snippet(agreement_text, -1, '[', ']', '…', 12)
             FROM agreement_text t JOIN agreements a ON a.id = t.id
             WHERE agreement_text MATCH ?1
             ORDER BY bm25(agreement_text, 0.0, 10.0, 8.0, 2.0, 1.0) LIMIT ?2",
        )?;
        let hits = stmt.query_map(rusqlite::params![q, limit as i64], |r| {
            Ok(SearchHit { id: r.get(0)?, name: r.get(1)?, snippet: r.get(2)? })
        })?;
        Ok(hits.collect::<Result<_, _>>()?)
    }

    /// Exercise series, all or those `ccode` takes part in, by name.
    pub fn exercises(&self, ccode: Option<Ccode>) -> Result<Vec<ExerciseSeries>> {
        let mut stmt = self.conn.prepare(
            "SELECT doc FROM exercise_series
             WHERE ?1 IS NULL OR id IN (SELECT series_id FROM exercise_participants WHERE ccode = ?1)
             ORDER BY name",
        )?;
        let docs = stmt.query_map([ccode], |r| r.get::<_, String>(0))?;
        docs.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn fts_queries_never_carry_syntax() {
        assert_eq!(fts_query("ANZUS treaty").unwrap(), "\"ANZUS\"* \"treaty\"*");
        assert_eq!(fts_query("\"NEAR(a b)\" OR -x").unwrap(), "\"NEAR\"* \"a\"* \"b\"* \"OR\"* \"x\"*");
        assert!(fts_query("()\"").is_none());
    }
}
