//! Reading query strings and path parameters, shared by the API and the pages: the
//! extractors whose errors are JSON, the parsers of states, years, kinds, levels and
//! sources, and the queries both ask with.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use pactbase_analysis::assessment::View;
use pactbase_analysis::network::Level;
use pactbase_model::{input, AgreementKind, Ccode, PartyCoverage, StateIndex, Vocabulary};
use pactbase_service::assessment::Request;
use pactbase_service::TieSource;
use pactbase_store::{AgreementFilter, KindFilter};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::ApiError;

/// Query strings whose errors come back as JSON like every other error.
pub struct Q<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Q(v))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

/// Path parameters whose errors (invalid UTF-8 after percent-decoding, a wrong type) come
/// back as JSON like every other error.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|e| ApiError::bad_request(format!("the path could not be read: {}", e.body_text())))
    }
}

/// A query parameter's value; a blank one (as an HTML form sends for an empty field)
/// counts as not given.
pub fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub fn resolve_state(index: &StateIndex, query: &str) -> Result<Ccode, ApiError> {
    index.resolve(query).map(|s| s.ccode).map_err(|e| ApiError::not_found(e.to_string()))
}

pub fn check_year(year: i32) -> Result<i32, ApiError> {
    input::year(year).map_err(ApiError::bad_request)
}

/// A `years` parameter, `A-B` or one year; blank or absent, none.
pub fn years(value: &Option<String>) -> Result<Option<(i32, i32)>, ApiError> {
    given(value).map(|text| input::year_range(text).map_err(ApiError::bad_request)).transpose()
}

pub fn parse_kind(word: &str) -> Result<KindFilter, ApiError> {
    KindFilter::parse(word).map_err(ApiError::not_found)
}

/// A network's kind filter: a kind of the taxonomy, or none for every alliance.
pub fn parse_agreement_kind(word: Option<&str>) -> Result<Option<AgreementKind>, ApiError> {
    match word.map(str::trim).filter(|w| !w.is_empty() && *w != "all") {
        None => Ok(None),
        Some(w) => AgreementKind::parse(w).map(Some).map_err(ApiError::bad_request),
    }
}

pub fn parse_level(level: Option<&str>) -> Result<Level, ApiError> {
    match level.unwrap_or("any") {
        "any" => Ok(Level::Any),
        "defense" => Ok(Level::Defense),
        other => Err(ApiError::bad_request(format!("unknown level `{other}`: use any or defense"))),
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgreementQuery {
    /// Only agreements this state has been a party to (PAK, 770, Pakistan)
    pub member: Option<String>,
    /// A kind (mutual-defense-pact, …) or ATOP obligation type (defense, …)
    pub kind: Option<String>,
    /// Only agreements in force that year (with member: the member was a party then)
    #[param(minimum = 1816, maximum = 2100)]
    pub active_in: Option<i32>,
    /// Words in the name, summary or text
    pub text: Option<String>,
    /// complete: the agreement lists every party; selected: a selection (see data/COVERAGE.md)
    #[param(pattern = "^(complete|selected)?$")]
    pub parties: Option<String>,
}

/// The store's filter for `q`, its states and kinds resolved.
pub fn agreement_filter(index: &StateIndex, q: &AgreementQuery) -> Result<AgreementFilter, ApiError> {
    let member = given(&q.member).map(|m| resolve_state(index, m)).transpose()?;
    let kind = given(&q.kind).map(parse_kind).transpose()?;
    let active_in = q.active_in.map(check_year).transpose()?;
    let text = given(&q.text).map(str::to_owned);
    let parties = given(&q.parties)
        .map(|p| PartyCoverage::parse(p).map_err(|e| ApiError::bad_request(format!("parties: {e}"))))
        .transpose()?;
    Ok(AgreementFilter { member, kind, active_in, text, parties })
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssessmentQuery {
    /// The reference year: what binds the state at its end, and the record up to it
    /// (default: the registry's current year, 2025)
    #[param(minimum = 1816, maximum = 2100)]
    pub year: Option<i32>,
    /// history: the whole record instead of one year
    #[param(pattern = "^(year|history)?$")]
    pub view: Option<String>,
    /// all: count partners through every agreement, conventions and forums included
    /// (default: counted, the rule of docs/PARTNERS.md)
    #[param(pattern = "^(counted|all)?$")]
    pub partners: Option<String>,
}

impl AssessmentQuery {
    /// The assessment asked for; a view other than `year` or `history` is a bad request.
    pub fn request(&self) -> Result<Request, ApiError> {
        let history = match given(&self.view) {
            None | Some("year") => false,
            Some("history") => true,
            Some(other) => {
                return Err(ApiError::bad_request(format!("`view={other}`: write view=year or view=history")))
            }
        };
        let include_all = match given(&self.partners) {
            None | Some("counted") => false,
            Some("all") => true,
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "`partners={other}`: write partners=counted or partners=all"
                )))
            }
        };
        let view = match (history, self.year) {
            (true, _) => View::History,
            (false, Some(y)) => View::Year(check_year(y)?),
            (false, None) => Request::default().view,
        };
        Ok(Request { view, include_all })
    }
}

/// `source=` as the CLI's `--source`, defaulting as it does.
pub fn tie_source(word: Option<&str>) -> Result<TieSource, ApiError> {
    match word {
        None => Ok(TieSource::DEFAULT),
        Some(w) => TieSource::parse(w).ok_or_else(|| {
            ApiError::bad_request(format!("`{w}` is not a source: choose atop (the default), curated or both"))
        }),
    }
}
