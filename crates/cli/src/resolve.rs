//! Turns what users type (state names, kinds, agreement ids) into model values, or into
//! an error that says what was meant.

use pactbase_model::{input, AgreementKind, StateIndex, Vocabulary};
use pactbase_service::registry::LookupError;
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
    pactbase_service::registry::agreement(store, id).map_err(lookup)
}

pub fn lookup(e: LookupError) -> Failure {
    match e {
        LookupError::UnknownAgreement(message) => Failure::NotFound(message),
        LookupError::Store(e) => Failure::Other(e.into()),
    }
}

pub fn year(year: i32) -> Result<i32> {
    input::year(year).map_err(Failure::Usage)
}

/// `A-B` or a single year, each in range, A ≤ B.
pub fn years(text: &str) -> Result<(i32, i32)> {
    input::year_range(text).map_err(Failure::Usage)
}
