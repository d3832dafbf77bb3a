//! `pactbase panel`: builds the panel batch by batch and streams it out.

use pactbase_analysis::panel::{self, With};
use pactbase_model::research::Dataset;
use pactbase_service::PanelData;
use pactbase_store::Store;

use super::research;
use crate::cli::{PanelArgs, PanelUnit};
use crate::failure::{Failure, Result};
use crate::output::Output;
use crate::resolve;

pub fn panel(store: &Store, args: &PanelArgs, out: &Output) -> Result {
    let with = with(&args.with)?;
    let requested = args.years.as_deref().map(resolve::years).transpose()?;
    let data = PanelData::load(store, with, research::source(args.source), requested).map_err(research::failure)?;
    let (inputs, years) = (data.inputs(), data.years);
    let mut datasets = vec![Dataset::CowStates];
    datasets.extend(pactbase_service::datasets_for(with));
    out.batches(&super::provenance(store, &datasets)?, |sink| match args.unit {
        PanelUnit::StateYear => panel::state_years(&inputs, with, years, sink),
        PanelUnit::DyadYear => panel::dyad_years(&inputs, with, years, args.directed, sink),
    })
}

fn with(list: &[String]) -> Result<With> {
    With::parse(list.iter().map(String::as_str)).map_err(|e| Failure::Usage(format!("--with: {e}")))
}
