use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use pactbase_model::research::Dataset;
use pactbase_model::{
    Agreement, AgreementKind, Ccode, ExerciseSeries, NonRecognition, ObligationType, PartyCoverage, State, StateIndex,
    Vocabulary,
};
use rusqlite::{params_from_iter, types::Value, ErrorCode, OptionalExtension};
use serde::Serialize;

/// How often a running search looks whether its client has gone.
const CANCEL_POLL: Duration = Duration::from_millis(50);

use crate::{Result, Store, StoreError};

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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub id: String,
    pub name: String,
    /// The matching passage, with matches marked `[` `]`.
    pub snippet: String,
}

/// What a full-text search may cost. Each word becomes a prefix term, and FTS5's work
/// grows faster than the number of terms (200 words took 9 s), so the text is bounded,
/// and the SQLite work is stopped when its time is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchLimits {
    /// Longest search text, in characters.
    pub max_chars: usize,
    /// Most words in a search.
    pub max_terms: usize,
    /// SQLite time one search may take.
    pub time: Duration,
}

impl Default for SearchLimits {
    fn default() -> Self {
        SearchLimits { max_chars: 200, max_terms: 12, time: Duration::from_secs(2) }
    }
}

/// The words of a search text, or why the text is refused.
fn search_words<'t>(text: &'t str, limits: &SearchLimits) -> Result<Vec<&'t str>, String> {
    let chars = text.chars().count();
    if chars > limits.max_chars {
        return Err(format!(
            "the search text is {chars} characters long; at most {} are allowed: search for fewer words",
            limits.max_chars
        ));
    }
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.len() > limits.max_terms {
        return Err(format!(
            "the search has {} words; at most {} are allowed: leave out common words",
            words.len(),
            limits.max_terms
        ));
    }
    Ok(words)
}

/// Checks a search text against `limits` (the message says what to change).
pub fn check_search(text: &str, limits: &SearchLimits) -> Result<(), String> {
    search_words(text, limits).map(drop)
}

/// Turns free text into an FTS5 query that matches all its words (as prefixes), so that
/// user input never reaches FTS5's query syntax; `None` when it has no words.
fn fts_query(text: &str, limits: &SearchLimits) -> Result<Option<String>> {
    let words = search_words(text, limits).map_err(StoreError::Search)?;
    let terms: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
    Ok((!terms.is_empty()).then(|| terms.join(" ")))
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
            match fts_query(text, &self.search)? {
                Some(q) => {
                    sql.push_str(" AND a.id IN (SELECT id FROM agreement_text WHERE agreement_text MATCH ?)");
                    args.push(Value::Text(q));
                }
                None => return Ok(Vec::new()),
            }
        }
        sql.push_str(" ORDER BY a.signed, a.id");
        let docs: Vec<String> = self.within_budget(|conn| {
            let mut stmt = conn.prepare(&sql)?;
            let docs = stmt.query_map(params_from_iter(args), |r| r.get::<_, String>(0))?;
            docs.collect()
        })?;
        docs.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
    }

    /// Runs `query` under the search budget and the cancel flag: a watchdog thread
    /// interrupts SQLite past the deadline or once the flag is set. (A progress handler
    /// is not enough: FTS5 ranks a many-term match inside one step of the statement.)
    fn within_budget<T>(&self, query: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>) -> Result<T> {
        let budget = self.search.time;
        let deadline = Instant::now() + budget;
        let cancelled = self.cancelled.clone();
        let interrupt = self.conn.get_interrupt_handle();
        let (finished, watch) = mpsc::channel::<()>();
        let flag = cancelled.clone();
        let watchdog = std::thread::spawn(move || loop {
            let now = Instant::now();
            if flag.load(Ordering::Relaxed) || now >= deadline {
                interrupt.interrupt();
                return;
            }
            // Wakes to look at the cancel flag; returns as soon as the query is done.
            if watch.recv_timeout((deadline - now).min(CANCEL_POLL)) != Err(RecvTimeoutError::Timeout) {
                return;
            }
        });
        let out = query(&self.conn);
        drop(finished);
        let _ = watchdog.join();
        out.map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::OperationInterrupted) if cancelled.load(Ordering::Relaxed) => StoreError::Cancelled,
            Some(ErrorCode::OperationInterrupted) => StoreError::OverBudget(budget),
            _ => e.into(),
        })
    }

    /// The agreements of the curated registry only (not the ATOP alliances listed beside
    /// them), oldest first.
    pub fn curated_agreements(&self) -> Result<Vec<Agreement>> {
        let mut stmt = self.conn.prepare("SELECT doc FROM agreements WHERE origin = 'curated' ORDER BY signed, id")?;
        let docs = stmt.query_map([], |r| r.get::<_, String>(0))?;
        docs.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }

    /// True once `dataset` has been imported.
    pub fn has_dataset(&self, dataset: Dataset) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM datasets WHERE dataset = ?1)",
            [dataset.as_str()],
            |r| r.get(0),
        )?)
    }

    /// Full-text search over names, short names, summaries and texts, best match first.
    /// Text past the [`SearchLimits`] is refused ([`StoreError::Search`]); a search that
    /// spends its time budget is stopped ([`StoreError::OverBudget`]).
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(text, &self.search)? else { return Ok(Vec::new()) };
        self.within_budget(|conn| {
            let mut stmt = conn.prepare(
                "SELECT t.id, a.name, snippet(agreement_text, -1, '[', ']', '…', 12)
                 FROM agreement_text t JOIN agreements a ON a.id = t.id
                 WHERE agreement_text MATCH ?1
                 ORDER BY bm25(agreement_text, 0.0, 10.0, 8.0, 2.0, 1.0) LIMIT ?2",
            )?;
            let hits = stmt.query_map(rusqlite::params![q, limit as i64], |r| {
                Ok(SearchHit { id: r.get(0)?, name: r.get(1)?, snippet: r.get(2)? })
            })?;
            hits.collect()
        })
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

    /// Who does not recognise whom (the curated `data/non-recognition.csv`), in file order.
    pub fn non_recognition(&self) -> Result<Vec<NonRecognition>> {
        let mut stmt = self.conn.prepare("SELECT doc FROM non_recognition ORDER BY id")?;
        let docs = stmt.query_map([], |r| r.get::<_, String>(0))?;
        docs.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_queries_never_carry_syntax() {
        let limits = SearchLimits::default();
        assert_eq!(fts_query("ANZUS treaty", &limits).unwrap().unwrap(), "\"ANZUS\"* \"treaty\"*");
        assert_eq!(
            fts_query("\"NEAR(a b)\" OR -x", &limits).unwrap().unwrap(),
            "\"NEAR\"* \"a\"* \"b\"* \"OR\"* \"x\"*"
        );
        assert!(fts_query("()\"", &limits).unwrap().is_none());
    }

    #[test]
    fn searches_past_the_limits_are_refused_saying_why() {
        let limits = SearchLimits::default();
        let many = "a ".repeat(13);
        assert!(check_search(&many, &limits).unwrap_err().contains("13 words; at most 12"));
        let long = "x".repeat(201);
        assert!(check_search(&long, &limits).unwrap_err().contains("201 characters long; at most 200"));
        assert!(check_search(&"a ".repeat(12), &limits).is_ok());
    }
}
