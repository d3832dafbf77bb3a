//! State-year and dyad-year research panels, built column by column as Arrow record
//! batches and handed to a sink a few years at a time, so output streams and memory stays
//! flat however long the panel.

mod alliances;
mod arms;
pub mod codebook;
mod columns;
mod covariate_columns;
mod covariates;
mod joins;
mod onsets;
mod system;

pub use alliances::{
    atop_pairs, atop_pairs_through, atop_state_years, pair_state_years, registry_pairs, AllianceInfo, DyadTable,
    DyadTies, PairYear, StateTable, StateYearTies, ATOP_END,
};
pub use arms::ArmsFlows;
pub use covariates::{
    great_circle_km, whittle, Capitals, Contiguity, Disputes, DyadDispute, DyadYearValues, Majors, PeaceYears,
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
    pub contiguity: bool,
    pub capdist: bool,
    pub mindist: bool,
    pub majors: bool,
    pub mids: bool,
    pub peaceyears: bool,
    pub igos: bool,
    /// SIPRI arms transfers (TIV).
    pub arms: bool,
}

impl With {
    /// Every name `--with` takes, in the order of the columns they add.
    pub const NAMES: [&'static str; 13] = [
        "atop",
        "nmc",
        "mme",
        "rivalry",
        "sipri",
        "contiguity",
        "capdist",
        "mindist",
        "majors",
        "mids",
        "peaceyears",
        "igos",
        "arms",
    ];

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
                "contiguity" => with.contiguity = true,
                "capdist" => with.capdist = true,
                "mindist" => with.mindist = true,
                "majors" => with.majors = true,
                "mids" => with.mids = true,
                "peaceyears" => with.peaceyears = true,
                "igos" => with.igos = true,
                "arms" => with.arms = true,
                other => return Err(format!("unknown dataset `{other}`; choose from {}", With::NAMES.join(", "))),
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
    pub contiguity: Option<&'a Contiguity>,
    pub capitals: Option<&'a Capitals>,
    pub mindist: Option<&'a DyadYearValues<f64>>,
    pub majors: Option<&'a Majors>,
    pub disputes: Option<&'a Disputes>,
    pub igos: Option<&'a DyadYearValues<u16>>,
    pub arms: Option<&'a ArmsFlows>,
}

impl<'a> Inputs<'a> {
    /// The state system alone; callers set the datasets their `With` names.
    pub fn of(system: &'a System) -> Self {
        Inputs {
            system,
            ties: None,
            capabilities: None,
            sipri: None,
            exercises: None,
            rivalries: None,
            contiguity: None,
            capitals: None,
            mindist: None,
            majors: None,
            disputes: None,
            igos: None,
            arms: None,
        }
    }
}

/// The dyad-year panel's columns for `with`, each described in its field metadata.
pub fn dyad_fields(with: With) -> Vec<arrow_schema::Field> {
    codebook::described(DyadColumns::fields(with), true)
}

/// The state-year panel's columns for `with`, each described in its field metadata.
pub fn state_fields(with: With) -> Vec<arrow_schema::Field> {
    codebook::described(StateColumns::fields(with), false)
}

/// True when every alliance is labelled by its atopid (ties from ATOP): `atop_ids` is then
/// a list of integers, else of registry ids.
fn numeric_ids(alliances: Option<&[AllianceInfo]>) -> bool {
    alliances.is_none_or(|a| a.iter().all(|a| a.label.parse::<i32>().is_ok()))
}

/// `fields` with `atop_ids` of text when the ids are registry ids.
fn with_ids(fields: Vec<arrow_schema::Field>, numeric: bool) -> Vec<arrow_schema::Field> {
    fields
        .into_iter()
        .map(|f| {
            if f.name() == "atop_ids" && !numeric {
                let metadata = f.metadata().clone();
                columns::ids_field(false).with_metadata(metadata)
            } else {
                f
            }
        })
        .collect()
}

/// Rows per batch handed to the sink (a few years of the directed panel).
const BATCH_ROWS: usize = 128 * 1024;

/// The dyad-year panel over `years` (inclusive), directed or with `ccode1 < ccode2`.
/// System years before `years` only move peace-year counts on, so that they count from
/// a dyad's first year in the system whichever years are asked for.
pub fn dyad_years<E: From<ArrowError>>(
    inputs: &Inputs,
    with: With,
    years: (i32, i32),
    directed: bool,
    mut sink: impl FnMut(RecordBatch) -> Result<(), E>,
) -> Result<(), E> {
    let numeric = numeric_ids(inputs.ties.as_ref().map(|t| &t.dyads.alliances[..]));
    let schema = Arc::new(Schema::new(with_ids(dyad_fields(with), numeric)));
    let mut cols = DyadColumns::new(with, numeric);
    for y in inputs.system.years().iter().filter(|y| y.year <= years.1) {
        if y.year < years.0 {
            cols.pass_year(y, directed, inputs);
            continue;
        }
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
    let numeric = numeric_ids(inputs.ties.as_ref().map(|t| &t.states.alliances[..]));
    let schema = Arc::new(Schema::new(with_ids(state_fields(with), numeric)));
    let mut cols = StateColumns::new(with, inputs, numeric);
    for y in inputs.system.years().iter().filter(|y| y.year <= years.1) {
        if y.year < years.0 {
            cols.pass_year(y, inputs);
            continue;
        }
        cols.push_year(y, inputs);
    }
    sink(cols.finish(&schema)?)
}
