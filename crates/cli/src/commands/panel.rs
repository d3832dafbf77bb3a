//! `pactbase panel`: loads what the panel needs from the store, builds it batch by batch
//! and streams it to the chosen format.

use std::collections::HashSet;
use std::io::{BufWriter, Write};

use pactbase_analysis::panel::{
    self, atop_pairs, atop_state_years, pair_state_years, registry_pairs, Capabilities, DyadTable, Exercises, Expenditure,
    Inputs, Rivalries, System, Ties, With,
};
use pactbase_export::{BatchWriter, TableFormat};
use pactbase_model::research::{SystemSpell, Ymd};
use pactbase_model::{Ccode, StateIndex};
use pactbase_store::{AgreementFilter, Store};

use crate::cli::{Format, PanelArgs, PanelUnit, TieSource};
use crate::failure::{Failure, Result};
use crate::resolve;

/// The registry describes agreements through this year.
const REGISTRY_LAST_YEAR: i32 = 2025;

pub fn panel(store: &Store, args: &PanelArgs, format: Format, output: Option<&std::path::Path>) -> Result {
    let with = with(&args.with)?;
    let index = store.state_index()?;
    let (spells, data_end) = system_spells(store, &index)?;
    let years = match &args.years {
        Some(text) => resolve::years(text)?,
        None => (1816, data_end.year.min(REGISTRY_LAST_YEAR)),
    };
    let system = System::new(&spells, data_end, years.0, years.1);
    let is_state = |c: Ccode| index.get(c).is_some();

    let ties = if with.atop { Some(alliance_ties(store, args.source, &is_state)?) } else { None };
    let capabilities = with.nmc.then(|| store.nmc().map(|r| Capabilities::new(&r))).transpose()?;
    let sipri = with.sipri.then(|| store.sipri().map(|r| Expenditure::new(&r))).transpose()?;
    let exercises = with.mme.then(|| store.mme().map(|r| Exercises::new(&r))).transpose()?;
    let rivalries = with.rivalry.then(|| store.rivalries().map(|r| Rivalries::new(&r))).transpose()?;
    require(with.nmc, capabilities.as_ref().is_some_and(|_| store.has_dataset("nmc").unwrap_or(false)), "nmc", "nmc FILE")?;
    require(with.sipri, store.has_dataset("sipri-milex")?, "sipri", "sipri-milex FILE")?;
    require(with.mme, store.has_dataset("mme")?, "mme", "mme FILE")?;
    require(with.rivalry, store.has_dataset("rivalries")?, "rivalry", "rivalries FILE")?;

    let inputs = Inputs {
        system: &system,
        ties: ties.as_ref().map(|t| Ties { dyads: &t.dyads, states: &t.states, last_year: t.last_year }),
        capabilities: capabilities.as_ref(),
        sipri: sipri.as_ref(),
        exercises: exercises.as_ref(),
        rivalries: rivalries.as_ref(),
    };
    let format = match format {
        Format::Table | Format::Csv => TableFormat::Csv,
        Format::Json => TableFormat::Json,
        Format::Parquet => TableFormat::Parquet,
    };
    let out: Box<dyn Write + Send> = match output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?),
        None => Box::new(std::io::stdout()),
    };
    let mut writer: Option<BatchWriter<BufWriter<Box<dyn Write + Send>>>> = None;
    let mut out = Some(BufWriter::with_capacity(1 << 20, out));
    let mut sink = |batch: arrow_array::RecordBatch| -> Result {
        if writer.is_none() {
            writer = Some(BatchWriter::new(format, out.take().expect("one writer"), batch.schema())?);
        }
        writer.as_mut().expect("writer").write(&batch)?;
        Ok(())
    };
    match args.unit {
        PanelUnit::StateYear => panel::state_years(&inputs, with, years, &mut sink)?,
        PanelUnit::DyadYear => panel::dyad_years(&inputs, with, years, args.directed, &mut sink)?,
    }
    if let Some(w) = writer {
        w.finish()?.flush()?;
    }
    Ok(())
}

fn with(list: &[String]) -> Result<With> {
    let mut with = With::default();
    for name in list {
        match name.as_str() {
            "atop" => with.atop = true,
            "nmc" => with.nmc = true,
            "mme" => with.mme = true,
            "rivalry" => with.rivalry = true,
            "sipri" => with.sipri = true,
            other => {
                return Err(Failure::Usage(format!("unknown dataset `{other}` in --with; choose from atop, nmc, mme, rivalry, sipri")))
            }
        }
    }
    Ok(with)
}

fn require(wanted: bool, present: bool, name: &str, import: &str) -> Result {
    if wanted && !present {
        return Err(Failure::NotFound(format!("--with {name} needs its dataset: run `pactbase import {import}` first")));
    }
    Ok(())
}

/// The imported COW spells, or else the registry's own states table, which agrees with
/// COW (a tested invariant) but has no data-end date: its open spells simply continue.
fn system_spells(store: &Store, index: &StateIndex) -> Result<(Vec<SystemSpell>, Ymd)> {
    let imported = store.system_spells()?;
    if let Some(end) = imported.iter().map(|s| s.end).max() {
        return Ok((imported, end));
    }
    let ymd = |d: pactbase_model::PartialDate| {
        let (y, m, day) = d.earliest();
        Ymd::new(y, m, day)
    };
    let open = Ymd::new(9999, 12, 31);
    let spells = index
        .states()
        .iter()
        .flat_map(|s| s.spells.iter().map(move |sp| SystemSpell { ccode: s.ccode, start: ymd(sp.start), end: sp.end.map_or(open, ymd) }))
        .collect();
    Ok((spells, Ymd::new(2016, 12, 31)))
}

struct AllianceTies {
    dyads: DyadTable,
    states: panel::StateTable,
    last_year: i32,
}

fn alliance_ties(store: &Store, source: TieSource, is_state: &dyn Fn(Ccode) -> bool) -> Result<AllianceTies> {
    let registry = || -> Result<Vec<pactbase_model::Agreement>> {
        let all = store.agreements(&AgreementFilter::default())?;
        Ok(all.into_iter().filter(|a| a.origin_is_curated() && !a.obligations.is_empty()).collect())
    };
    match source {
        TieSource::Atop => {
            let members = store.atop_members()?;
            if members.is_empty() {
                return Err(Failure::NotFound("--with atop needs ATOP: run `pactbase import atop DIR` first".into()));
            }
            let alliances = store.atop_alliances()?;
            let (infos, pairs) = atop_pairs(&members, &alliances, is_state);
            Ok(AllianceTies {
                dyads: DyadTable::from_pairs(infos, pairs),
                states: atop_state_years(&members, is_state),
                last_year: panel::ATOP_END.year,
            })
        }
        TieSource::Curated => {
            let agreements = registry()?;
            let (infos, pairs) = registry_pairs(&agreements, REGISTRY_LAST_YEAR, 0);
            let states = pair_state_years(infos.clone(), &pairs);
            Ok(AllianceTies { dyads: DyadTable::from_pairs(infos, pairs), states, last_year: REGISTRY_LAST_YEAR })
        }
        TieSource::Both => {
            let agreements = registry()?;
            let claimed: HashSet<u32> = agreements.iter().filter_map(|a| a.atopid).collect();
            let members: Vec<_> = store.atop_members()?.into_iter().filter(|m| !claimed.contains(&m.atopid)).collect();
            let alliances = store.atop_alliances()?;
            let (mut infos, mut pairs) = atop_pairs(&members, &alliances, is_state);
            let (registry_infos, registry_pairs) = registry_pairs(&agreements, panel::ATOP_END.year, infos.len() as u32);
            infos.extend(registry_infos);
            pairs.extend(registry_pairs);
            let states = pair_state_years(infos.clone(), &pairs);
            Ok(AllianceTies { dyads: DyadTable::from_pairs(infos, pairs), states, last_year: panel::ATOP_END.year })
        }
    }
}
