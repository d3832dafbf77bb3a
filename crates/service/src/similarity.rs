//! What the similarity measures read, loaded the same way for `pactbase similarity` and
//! the Python package; and one dyad's measures per year, as `/api/v1/similarity` sends them
//! and the compare page charts them.

use std::collections::BTreeMap;

use arrow_array::RecordBatch;
use arrow_schema::ArrowError;
use pactbase_analysis::panel::{self, Capabilities, System};
use pactbase_analysis::similarity::{self, Portfolios, MEASURES};
use pactbase_model::coverage::YEARS;
use pactbase_model::research::Dataset;
use pactbase_model::Ccode;
use pactbase_store::Store;
use serde::Serialize;

use crate::research::{alliance_ties, capabilities, system, AllianceTies, TieSource};
use crate::Result;

pub struct SimilarityData {
    system: System,
    ties: AllianceTies,
    /// NMC's CINC scores, without which the CINC-weighted measures are empty.
    pub capabilities: Option<Capabilities>,
    /// The years asked for (1816-2018 by default), up to the last year the ties describe.
    pub years: (i32, i32),
}

impl SimilarityData {
    pub fn load(store: &Store, source: TieSource, years: Option<(i32, i32)>) -> Result<SimilarityData> {
        let index = store.state_index()?;
        let years = years.unwrap_or((YEARS.first, panel::ATOP_END.year));
        let (system, _) = system(store, &index, years)?;
        let ties = alliance_ties(store, source, &index, panel::ATOP_END.year)?;
        let years = (years.0, years.1.min(ties.last_year));
        Ok(SimilarityData { system, ties, capabilities: capabilities(store)?, years })
    }

    /// The datasets the measures read from `source`, for provenance.
    pub fn datasets(source: TieSource) -> Vec<Dataset> {
        match source {
            TieSource::Curated => vec![Dataset::CowStates, Dataset::Nmc],
            TieSource::Atop | TieSource::Both => vec![Dataset::CowStates, Dataset::Atop, Dataset::Nmc],
        }
    }

    /// Every directed dyad-year's measures, batch by batch, projected on `columns` when
    /// given (see [`similarity::columns`]).
    pub fn dyad_years<E: From<ArrowError> + Send>(
        &self,
        columns: Option<&[usize]>,
        mut sink: impl FnMut(RecordBatch) -> Result<(), E>,
    ) -> Result<(), E> {
        similarity::dyad_years(&self.system, &self.ties.dyads, self.capabilities.as_ref(), self.years, |batch| {
            match columns {
                None => sink(batch),
                Some(columns) => sink(batch.project(columns)?),
            }
        })
    }
}

/// The FPSIM alliance-portfolio similarity of one dyad, per year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DyadSimilarity {
    pub a: Ccode,
    pub b: Ccode,
    /// Where the alliance ties come from (`atop`, `curated` or `both`).
    pub source: &'static str,
    pub years: Vec<SimilarityYear>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarityYear {
    pub year: i32,
    /// Each FPSIM measure by name; null where it is undefined (no ties, or no CINC).
    pub measures: BTreeMap<&'static str, Option<f64>>,
}

impl SimilarityYear {
    /// The measure named `name` (one of [`MEASURES`]), where it is defined.
    pub fn measure(&self, name: &str) -> Option<f64> {
        self.measures.get(name).copied().flatten()
    }
}

/// `a` and `b`'s measures in each year of `years` (default: every year) up to `last_year`
/// in which both are system members, from `ties` read from `source`.
pub fn dyad_similarity(
    system: &System,
    (ties, source): (&AllianceTies, TieSource),
    capabilities: Option<&Capabilities>,
    (a, b): (Ccode, Ccode),
    years: Option<(i32, i32)>,
    last_year: i32,
) -> DyadSimilarity {
    let last = last_year.min(ties.last_year);
    let (from, to) = years.map_or((YEARS.first, last), |(from, to)| (from, to.min(last)));
    let mut out = Vec::new();
    for y in system.years().iter().filter(|y| (from..=to).contains(&y.year)) {
        let (Some(i), Some(j)) = (y.position(a), y.position(b)) else { continue };
        if i == j || !y.overlap(i, j) {
            continue;
        }
        let p = Portfolios::new(y, &ties.dyads, capabilities);
        let values = similarity::pair_measures(&p, i, j);
        // Undefined and non-finite values are null, as JSON has no NaN.
        let measures = MEASURES.into_iter().zip(values).map(|(m, v)| (m, v.filter(|v| v.is_finite()))).collect();
        out.push(SimilarityYear { year: y.year, measures });
    }
    DyadSimilarity { a, b, source: source.name(), years: out }
}
