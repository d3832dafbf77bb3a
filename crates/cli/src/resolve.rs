//! Turns what users type (state names, kinds, agreement ids) into model values, or into
//! an error that says what was meant.

use pactbase_model::{AgreementKind, ObligationType, StateIndex, Vocabulary};
use pactbase_store::{KindFilter, Store};

use crate::failure::{Failure, Result};

pub fn state(index: &StateIndex, query: &str) -> Result<u16> {
    index.resolve(query).map(|s| s.ccode).map_err(|e| Failure::NotFound(e.to_string()))
}

pub fn kind(word: &str) -> Result<KindFilter> {
    if let Ok(k) = AgreementKind::parse(word) {
        return Ok(KindFilter::Kind(k));
    }
    if let Ok(o) = ObligationType::parse(word) {
        return Ok(KindFilter::Obligation(o));
    }
    let words: Vec<&str> =
        AgreementKind::ALL.iter().map(|k| k.as_str()).chain(ObligationType::ALL.iter().map(|o| o.as_str())).collect();
    let near = closest(word, words.iter().copied());
    Err(Failure::NotFound(format!(
        "unknown kind `{word}`{}; kinds are: {}",
        near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default(),
        words.join(", ")
    )))
}

pub fn agreement(store: &Store, id: &str) -> Result<pactbase_model::Agreement> {
    if let Some(a) = store.agreement(id)? {
        return Ok(a);
    }
    let ids = store.agreement_ids()?;
    let near = closest(id, ids.iter().map(String::as_str));
    Err(Failure::NotFound(format!(
        "no agreement `{id}`{}; `pactbase agreements` lists them, `pactbase search WORDS` finds them",
        near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default()
    )))
}

pub fn year(year: i32) -> Result<i32> {
    if (1816..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(Failure::Usage(format!("year {year} is out of range: pactbase covers 1816 onward")))
    }
}

fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(&word.to_lowercase(), c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
