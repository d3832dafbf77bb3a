//! `pactbase similarity`: every measure for every directed dyad-year, streamed.

use pactbase_analysis::similarity;
use pactbase_service::similarity::SimilarityData;
use pactbase_store::Store;

use super::research;
use crate::cli::SimilarityArgs;
use crate::failure::{Failure, Result};
use crate::output::Output;
use crate::resolve;

pub fn similarity(store: &Store, args: &SimilarityArgs, out: &Output) -> Result {
    let columns = similarity::columns(&args.measures).map_err(Failure::Usage)?;
    let years = args.years.as_deref().map(resolve::years).transpose()?;
    let source = research::source(args.source);
    let data = SimilarityData::load(store, source, years).map_err(research::failure)?;
    if data.capabilities.is_none() {
        eprintln!("pactbase: NMC is not imported, so the CINC-weighted measures (sallyvwa, sallybwa) are empty; `pactbase data fetch nmc` fills them");
    }
    let datasets = SimilarityData::datasets(source);
    out.batches(&super::provenance(store, &datasets)?, |sink| data.dyad_years(columns.as_deref(), sink))
}
