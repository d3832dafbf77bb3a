//! `pactbase panel`: builds the panel batch by batch and streams it out.

use pactbase_analysis::panel::{self, Exercises, Expenditure, Inputs, Rivalries, Ties, With};
use pactbase_store::Store;

use super::research::{self, REGISTRY_LAST_YEAR};
use crate::cli::{PanelArgs, PanelUnit};
use crate::failure::{Failure, Result};
use crate::output::Output;
use crate::resolve;

pub fn panel(store: &Store, args: &PanelArgs, out: &Output) -> Result {
    let with = with(&args.with)?;
    let index = store.state_index()?;
    let requested = args.years.as_deref().map(resolve::years).transpose()?;
    let (system, data_end) = research::system(store, &index, requested.unwrap_or((1816, REGISTRY_LAST_YEAR)))?;
    let years = requested.unwrap_or((1816, data_end.year));

    let ties =
        with.atop.then(|| research::alliance_ties(store, args.source, &index, panel::ATOP_END.year)).transpose()?;
    let capabilities = if with.nmc {
        research::require(store, "nmc", "nmc FILE")?;
        research::capabilities(store)?
    } else {
        None
    };
    let sipri = if with.sipri {
        research::require(store, "sipri-milex", "sipri-milex FILE")?;
        Some(Expenditure::new(&store.sipri()?))
    } else {
        None
    };
    let exercises = if with.mme {
        research::require(store, "mme", "mme FILE")?;
        Some(Exercises::new(&store.mme()?))
    } else {
        None
    };
    let rivalries = if with.rivalry {
        research::require(store, "rivalries", "rivalries FILE")?;
        Some(Rivalries::new(&store.rivalries()?))
    } else {
        None
    };
    let inputs = Inputs {
        system: &system,
        ties: ties.as_ref().map(|t| Ties { dyads: &t.dyads, states: &t.states, last_year: t.last_year }),
        capabilities: capabilities.as_ref(),
        sipri: sipri.as_ref(),
        exercises: exercises.as_ref(),
        rivalries: rivalries.as_ref(),
    };
    out.batches(|sink| match args.unit {
        PanelUnit::StateYear => panel::state_years(&inputs, with, years, sink),
        PanelUnit::DyadYear => panel::dyad_years(&inputs, with, years, args.directed, sink),
    })
}

fn with(list: &[String]) -> Result<With> {
    With::parse(list.iter().map(String::as_str)).map_err(|e| Failure::Usage(format!("--with: {e}")))
}
