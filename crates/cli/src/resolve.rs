//! Turns what users type (state names, kinds, agreement ids) into model values, or into
//! an error that says what was meant.

use pactbase_model::{input, AgreementKind, StateIndex, Vocabulary};
use pactbase_store::{KindFilter, Store};

use crate::failure::{Failure, Result};

pub fn state(index: &StateIndex, query: &str) -> Result<u16> {
    index.resolve(query).map(|s| s.ccode).map_err(|e| Failure::NotFound(e.to_string()))
}

/// A kind of the taxonomy only (the network's `--kind`).
pub fn agreement_kind(word: &str) -> Result<AgreementKind> {
    match kind(word)? {
        KindFilter::Kind(k) => Ok(k),
        KindFilter::Obligation(o) => Err(Failure::Usage(format!(
            "`{}` is an ATOP obligation type, not a kind of agreement; --level defense keeps defense and offense ties",
            o.as_str()
        ))),
    }
}

pub fn kind(word: &str) -> Result<KindFilter> {
    KindFilter::parse(word).map_err(Failure::NotFound)
}

pub fn agreement(store: &Store, id: &str) -> Result<pactbase_model::Agreement> {
    if let Some(a) = store.agreement(id)? {
        return Ok(a);
    }
    let ids = store.agreement_ids()?;
    let near = input::closest(id, ids.iter().map(String::as_str));
    Err(Failure::NotFound(format!(
        "no agreement `{id}`{}; `pactbase agreements` lists them, `pactbase search WORDS` finds them",
        near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default()
    )))
}

pub fn year(year: i32) -> Result<i32> {
    input::year(year).map_err(Failure::Usage)
}

/// `A-B` or a single year, each in range, A ≤ B.
pub fn years(text: &str) -> Result<(i32, i32)> {
    input::year_range(text).map_err(Failure::Usage)
}
