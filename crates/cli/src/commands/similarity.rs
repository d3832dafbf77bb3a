//! `pactbase similarity`: every measure for every directed dyad-year, streamed.

use arrow_array::RecordBatch;
use pactbase_analysis::panel;
use pactbase_analysis::similarity::{self, MEASURES};
use pactbase_model::research::Dataset;
use pactbase_store::Store;

use super::research;
use crate::cli::{SimilarityArgs, TieSource};
use crate::failure::{Failure, Result};
use crate::output::Output;
use crate::resolve;

pub fn similarity(store: &Store, args: &SimilarityArgs, out: &Output) -> Result {
    let keep = measures(&args.measures)?;
    let index = store.state_index()?;
    let years = args.years.as_deref().map(resolve::years).transpose()?.unwrap_or((1816, 2018));
    let (system, _) = research::system(store, &index, years)?;
    let ties = research::alliance_ties(store, args.source, &index, panel::ATOP_END.year)?;
    let years = (years.0, years.1.min(ties.last_year));
    let capabilities = research::capabilities(store)?;
    if capabilities.is_none() {
        eprintln!("pactbase: NMC is not imported, so the CINC-weighted measures (sallyvwa, sallybwa) are empty; `pactbase data fetch nmc` fills them");
    }
    let datasets = match args.source {
        TieSource::Curated => vec![Dataset::CowStates, Dataset::Nmc],
        TieSource::Atop | TieSource::Both => vec![Dataset::CowStates, Dataset::Atop, Dataset::Nmc],
    };
    out.batches(&super::provenance(store, &datasets)?, |sink| {
        similarity::dyad_years(&system, &ties.dyads, capabilities.as_ref(), years, |batch: RecordBatch| match &keep {
            None => sink(batch),
            Some(columns) => sink(batch.project(columns).map_err(anyhow::Error::from)?),
        })
    })
}

/// Column positions to keep (keys first), or `None` for every measure.
fn measures(list: &[String]) -> Result<Option<Vec<usize>>> {
    if list.is_empty() {
        return Ok(None);
    }
    let mut columns = vec![0, 1, 2];
    for name in list {
        let at = MEASURES
            .iter()
            .position(|m| *m == name.trim())
            .ok_or_else(|| Failure::Usage(format!("unknown measure `{name}`; choose from {}", MEASURES.join(", "))))?;
        columns.push(3 + at);
    }
    Ok(Some(columns))
}
