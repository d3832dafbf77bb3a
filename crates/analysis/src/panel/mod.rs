//! State-year and dyad-year research panels, built column by column as Arrow record
//! batches and handed to a sink a few years at a time, so output streams and memory stays
//! flat however long the panel.

mod alliances;
mod columns;
mod joins;
mod system;

pub use alliances::{
    atop_pairs, atop_pairs_through, atop_state_years, pair_state_years, registry_pairs, AllianceInfo, DyadTable,
    DyadTies, PairYear, StateTable, StateYearTies, ATOP_END,
};
pub use joins::{Capabilities, Exercises, Expenditure, Rivalries};
pub use system::{System, SystemYear};

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, Schema};

use columns::{DyadColumns, StateColumns};

/// What a panel holds beside its keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct With {
    pub atop: bool,
    pub nmc: bool,
    pub mme: bool,
    pub rivalry: bool,
    pub sipri: bool,
}

impl With {
    /// The datasets named in a comma-separated list (`atop,nmc`), or the unknown name.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<With, String> {
        let mut with = With::default();
        for name in names.into_iter().flat_map(|n| n.split(',')).map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "atop" => with.atop = true,
                "nmc" => with.nmc = true,
                "mme" => with.mme = true,
                "rivalry" => with.rivalry = true,
                "sipri" => with.sipri = true,
                other => return Err(format!("unknown dataset `{other}`; choose from atop, nmc, mme, rivalry, sipri")),
            }
        }
        Ok(with)
    }
}

/// Alliance ties for the panel and the last year they describe: after it the alliance
/// columns are empty, not 0 (ATOP ends in 2018).
pub struct Ties<'a> {
    pub dyads: &'a DyadTable,
    pub states: &'a StateTable,
    pub last_year: i32,
}

/// The data a panel draws on; each is needed only when its `With` flag is set.
pub struct Inputs<'a> {
    pub system: &'a System,
    pub ties: Option<Ties<'a>>,
    pub capabilities: Option<&'a Capabilities>,
    pub sipri: Option<&'a Expenditure>,
    pub exercises: Option<&'a Exercises>,
    pub rivalries: Option<&'a Rivalries>,
}

/// Rows per batch handed to the sink (a few years of the directed panel).
const BATCH_ROWS: usize = 128 * 1024;

/// The dyad-year panel over `years` (inclusive), directed or with `ccode1 < ccode2`.
pub fn dyad_years<E: From<ArrowError>>(
    inputs: &Inputs,
    with: With,
    years: (i32, i32),
    directed: bool,
    mut sink: impl FnMut(RecordBatch) -> Result<(), E>,
) -> Result<(), E> {
    let schema = Arc::new(Schema::new(DyadColumns::fields(with)));
    let mut cols = DyadColumns::new(with);
    for y in inputs.system.years().iter().filter(|y| (years.0..=years.1).contains(&y.year)) {
        cols.push_year(y, directed, inputs);
        if cols.len() >= BATCH_ROWS {
            sink(cols.finish(&schema)?)?;
        }
    }
    if cols.len() > 0 || !cols.emitted() {
        sink(cols.finish(&schema)?)?;
    }
    Ok(())
}

/// The state-year panel over `years` (inclusive): every system member each year.
pub fn state_years<E: From<ArrowError>>(
    inputs: &Inputs,
    with: With,
    years: (i32, i32),
    mut sink: impl FnMut(RecordBatch) -> Result<(), E>,
) -> Result<(), E> {
    let schema = Arc::new(Schema::new(StateColumns::fields(with)));
    let mut cols = StateColumns::new(with, inputs);
    for y in inputs.system.years().iter().filter(|y| (years.0..=years.1).contains(&y.year)) {
        cols.push_year(y, inputs);
    }
    sink(cols.finish(&schema)?)
}
