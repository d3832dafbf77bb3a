//! The registry's agreements as every front end states them: one found by id (or the
//! closest ids suggested), the one-line listing, and one shown whole with ATOP's coding.

use pactbase_model::research::AtopCoding;
use pactbase_model::{input, Agreement, Ccode, PartyCoverage, StateIndex};
use pactbase_store::{Store, StoreError};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// No agreement has this id; the message suggests the closest.
    #[error("{0}")]
    UnknownAgreement(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The agreement `id`, or a message naming the closest id and how to list them.
pub fn agreement(store: &Store, id: &str) -> Result<Agreement, LookupError> {
    if let Some(a) = store.agreement(id)? {
        return Ok(a);
    }
    let ids = store.agreement_ids()?;
    let near = input::closest(id, ids.iter().map(String::as_str));
    Err(LookupError::UnknownAgreement(format!(
        "no agreement `{id}`{}; `pactbase agreements` lists them, `pactbase search WORDS` finds them",
        near.map(|n| format!(" (did you mean {n}?)")).unwrap_or_default()
    )))
}

/// One line of the agreements listing (`pactbase agreements --format json`, documented in
/// the README).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Listed<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// How lists name it (an ATOP alliance by its members and years).
    pub label: String,
    pub short_names: &'a [String],
    /// `;`-separated.
    pub kinds: String,
    pub signed: String,
    pub in_force: Option<String>,
    pub ended: Option<String>,
    pub status: String,
    pub atopid: Option<u32>,
    pub bilateral: bool,
    pub members: Vec<Ccode>,
    /// `complete` or `selected`: whether `members` is every party.
    pub parties: PartyCoverage,
    /// Parties outside the COW state system, by name.
    pub non_state_parties: Vec<&'a str>,
}

impl<'a> Listed<'a> {
    pub fn new(a: &'a Agreement, index: &StateIndex) -> Self {
        Listed {
            id: &a.id,
            name: &a.name,
            label: crate::listing::label(a, index),
            short_names: &a.short_names,
            kinds: a.kinds.iter().map(ToString::to_string).collect::<Vec<_>>().join(";"),
            signed: a.signed.to_string(),
            in_force: a.in_force.map(|d| d.to_string()),
            ended: a.ended.map(|d| d.to_string()),
            status: a.status.to_string(),
            atopid: a.atopid,
            bilateral: a.is_bilateral(),
            members: a.parties(),
            parties: a.party_coverage,
            non_state_parties: a.non_state_parties.iter().map(|p| p.name.as_str()).collect(),
        }
    }
}

/// An agreement whole (`pactbase show --format json`), with ATOP's own coding when it cites
/// an imported alliance.
#[derive(Debug, Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub agreement: Agreement,
    pub atop: Option<AtopCoding>,
}

/// The agreement `id` whole (see [`agreement`] for an unknown id).
pub fn shown(store: &Store, id: &str) -> Result<Shown, LookupError> {
    let agreement = agreement(store, id)?;
    let atop = agreement.atopid.map(|atopid| store.atop_coding(atopid)).transpose()?.flatten();
    Ok(Shown { agreement, atop })
}
