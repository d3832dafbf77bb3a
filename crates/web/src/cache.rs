//! Computed results kept in memory: the state index, the research context (state system
//! and alliance ties), each year's network per level, country profiles and
//! recommendations. Edits through the API clear everything that depends on agreements.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use pactbase_analysis::network::{self, GraphMeasures, Level, NodeMeasures};
use pactbase_analysis::panel::{Capabilities, Exercises, Rivalries, System, ATOP_END};
use pactbase_analysis::profile::{profile, Profile};
use pactbase_analysis::recommend::{self, Recommendation};
use pactbase_model::{Ccode, StateIndex};
use pactbase_service::{AllianceTies, Challenges, TieSource, REGISTRY_LAST_YEAR};
use pactbase_store::{AgreementFilter, Store};
use serde::Serialize;

use crate::error::ApiError;

/// The state system and alliance ties the network, similarity and recommendations use:
/// ATOP with the registry's agreements in place of the alliances they code when ATOP is
/// imported (through 2018), else the registry's own obligations.
pub struct Research {
    pub index: Arc<StateIndex>,
    pub system: System,
    pub ties: AllianceTies,
    /// `both` or `curated`.
    pub source: &'static str,
    pub first_year: i32,
    pub last_year: i32,
    pub capabilities: Option<Capabilities>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeView {
    pub ccode: Ccode,
    pub abb: String,
    pub name: String,
    pub measures: NodeMeasures,
}

#[derive(Debug, Clone, Serialize)]
pub struct NetworkView {
    pub year: i32,
    pub level: Level,
    /// Where the ties come from: `both` (ATOP and the registry) or `curated`.
    pub source: &'static str,
    pub graph: GraphMeasures,
    pub nodes: Vec<NodeView>,
    /// Undirected edges between ccodes, with the valued tie (3, 2 or 1).
    pub edges: Vec<(Ccode, Ccode, f64)>,
    #[serde(skip)]
    pub json: Bytes,
}

type RecommendKey = (Ccode, i32, usize);
/// A state, and a year or its whole record.
type StateKey = (Ccode, Option<i32>);

#[derive(Default)]
pub struct Cache {
    index: Mutex<Option<Arc<StateIndex>>>,
    research: Mutex<Option<Arc<Research>>>,
    networks: Mutex<HashMap<(i32, Level), Arc<NetworkView>>>,
    profiles: Mutex<HashMap<StateKey, (Arc<Profile>, Bytes)>>,
    recommendations: Mutex<HashMap<RecommendKey, Arc<Vec<Recommendation>>>>,
    challenges: Mutex<HashMap<StateKey, Arc<Challenges>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Cache {
    /// Forgets everything derived from agreements (after an edit).
    pub fn clear(&self) {
        *lock(&self.research) = None;
        lock(&self.networks).clear();
        lock(&self.profiles).clear();
        lock(&self.recommendations).clear();
        lock(&self.challenges).clear();
    }

    /// A state's challenges (whole record, or `year`), computed once.
    pub fn challenges(&self, store: &Store, ccode: Ccode, year: Option<i32>) -> Result<Arc<Challenges>, ApiError> {
        if let Some(c) = lock(&self.challenges).get(&(ccode, year)) {
            return Ok(c.clone());
        }
        let c = Arc::new(pactbase_service::challenges(store, ccode, year)?);
        lock(&self.challenges).insert((ccode, year), c.clone());
        Ok(c)
    }

    pub fn index(&self, store: &Store) -> Result<Arc<StateIndex>, ApiError> {
        let mut slot = lock(&self.index);
        if let Some(index) = &*slot {
            return Ok(index.clone());
        }
        let index = Arc::new(store.state_index()?);
        *slot = Some(index.clone());
        Ok(index)
    }

    pub fn research(&self, store: &Store) -> Result<Arc<Research>, ApiError> {
        let mut slot = lock(&self.research);
        if let Some(r) = &*slot {
            return Ok(r.clone());
        }
        let index = self.index(store)?;
        let atop = store.has_dataset("atop")?;
        let (source, name) = if atop { (TieSource::Both, "both") } else { (TieSource::Curated, "curated") };
        let ties = pactbase_service::alliance_ties(store, source, &index, ATOP_END.year)?;
        let (system, _) = pactbase_service::system(store, &index, (1816, REGISTRY_LAST_YEAR))?;
        let years = system.years();
        let first_year = years.first().map_or(1816, |y| y.year);
        let last_year = years.last().map_or(first_year, |y| y.year).min(ties.last_year);
        let capabilities = pactbase_service::capabilities(store)?;
        let r = Arc::new(Research { index, system, ties, source: name, first_year, last_year, capabilities });
        *slot = Some(r.clone());
        Ok(r)
    }

    /// The network of `year` at `level` with its measures, computed once.
    pub fn network(&self, store: &Store, year: i32, level: Level) -> Result<Arc<NetworkView>, ApiError> {
        if let Some(n) = lock(&self.networks).get(&(year, level)) {
            return Ok(n.clone());
        }
        let r = self.research(store)?;
        if year < r.first_year || year > r.last_year {
            return Err(ApiError::not_found(format!(
                "no network for {year}: the state system and alliance data span {}-{}",
                r.first_year, r.last_year
            )));
        }
        let system_year =
            r.system.year(year).ok_or_else(|| ApiError::not_found(format!("no state system in {year}")))?;
        let net = network::build(system_year, &r.ties.dyads, level);
        let (measures, graph) = network::measure(&net);
        let nodes = measures
            .into_iter()
            .map(|m| {
                let (abb, name) = r
                    .index
                    .get(m.ccode)
                    .map_or_else(|| (m.ccode.to_string(), m.ccode.to_string()), |s| (s.abb.clone(), s.name.clone()));
                NodeView { ccode: m.ccode, abb, name, measures: m }
            })
            .collect();
        let edges = net.edges.iter().map(|&(i, j, w)| (net.nodes[i], net.nodes[j], w)).collect();
        let mut view = NetworkView { year, level, source: r.source, graph, nodes, edges, json: Bytes::new() };
        view.json = Bytes::from(serde_json::to_vec(&view).map_err(ApiError::internal)?);
        let view = Arc::new(view);
        lock(&self.networks).insert((year, level), view.clone());
        Ok(view)
    }

    /// A state's profile (whole record, or `year`) and its JSON.
    pub fn profile(&self, store: &Store, ccode: Ccode, year: Option<i32>) -> Result<(Arc<Profile>, Bytes), ApiError> {
        if let Some(p) = lock(&self.profiles).get(&(ccode, year)) {
            return Ok(p.clone());
        }
        let agreements = store.agreements(&AgreementFilter { member: Some(ccode), ..Default::default() })?;
        let exercises = store.exercises(Some(ccode))?;
        let p = profile(ccode, year, &agreements, &exercises, REGISTRY_LAST_YEAR);
        let json = Bytes::from(serde_json::to_vec(&p).map_err(ApiError::internal)?);
        let entry = (Arc::new(p), json);
        lock(&self.profiles).insert((ccode, year), entry.clone());
        Ok(entry)
    }

    /// Partners `ccode` could ally with next as of `year` (needs ATOP, NMC, MME and the
    /// rivalries).
    pub fn recommendations(
        &self,
        store: &Store,
        ccode: Ccode,
        year: Option<i32>,
        top: usize,
    ) -> Result<(i32, Arc<Vec<Recommendation>>), ApiError> {
        for (dataset, import) in
            [("atop", "atop DIR"), ("nmc", "nmc FILE"), ("mme", "mme FILE"), ("rivalries", "rivalries FILE")]
        {
            pactbase_service::require(store, dataset, import)?;
        }
        let year = year.unwrap_or(ATOP_END.year);
        let key = (ccode, year, top);
        if let Some(r) = lock(&self.recommendations).get(&key) {
            return Ok((year, r.clone()));
        }
        let index = self.index(store)?;
        let ties = pactbase_service::alliance_ties(store, TieSource::Atop, &index, ATOP_END.year)?;
        let (system, _) = pactbase_service::system(store, &index, (1816, ATOP_END.year))?;
        let capabilities = Capabilities::new(&store.nmc()?);
        let exercises = Exercises::new(&store.mme()?);
        let rivalries = Rivalries::new(&store.rivalries()?);
        let sources = recommend::Sources {
            system: &system,
            dyads: &ties.dyads,
            ties_through: ties.last_year,
            capabilities: &capabilities,
            exercises: &exercises,
            rivalries: &rivalries,
        };
        let found = recommend::recommend(&sources, ccode, year, top, &recommend::Options::default())
            .map_err(|e| ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "not_covered", e.to_string()))?;
        let found = Arc::new(found);
        lock(&self.recommendations).insert(key, found.clone());
        Ok((year, found))
    }
}
