//! Computed results kept in memory: the state index, the research context (state system
//! and alliance ties), each year's network per level and kind, country assessments (the
//! one assembly of `pactbase_service::assessment`, whole or their registry parts),
//! challenges and recommendations.
//!
//! Everything is kept for one store revision ([`Store::revision`]), which moves on with
//! every committed change by any process (`pactbase init`, `import`, an edit through the
//! API): each request looks the revision up and, when it has moved, starts from an empty
//! generation. A request that began before the change finishes on the old generation,
//! which is dropped with it, so nothing computed from old data outlives it.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use pactbase_analysis::assessment::{timeline, CountryAssessment, CountryCore, View};
use pactbase_analysis::challenges::Challenges;
use pactbase_analysis::network::{self, GraphMeasures, Level, NodeMeasures};
use pactbase_analysis::panel::{Capabilities, System, ATOP_END};
use pactbase_analysis::recommend::{Listing, Options};
use pactbase_model::coverage::{REGISTRY_CURRENT_YEAR, YEARS};
use pactbase_model::research::Dataset;
use pactbase_model::{AgreementKind, Ccode, StateIndex};
use pactbase_service::assessment::{self, Context, Request};
use pactbase_service::case_study::{self, Case, CaseStudy};
use pactbase_service::impact::{entry_studies, EntryStudies};
use pactbase_service::recommend::{Recommended, DEFAULT_YEAR};
use pactbase_service::similarity::{self, DyadSimilarity};
use pactbase_service::{AllianceTies, Recommender, TieSource};
use pactbase_store::{AgreementFilter, Store};
use serde::Serialize;

use crate::error::ApiError;
use crate::pages::Stamp;

/// The state system and alliance ties the network, similarity and recommendations use:
/// ATOP with the registry's agreements in place of the alliances they code when ATOP is
/// imported (ATOP through 2018, the registry's agreements through 2025), else the
/// registry's own obligations.
pub struct Research {
    pub index: Arc<StateIndex>,
    pub system: System,
    pub ties: AllianceTies,
    pub source: TieSource,
    pub first_year: i32,
    /// The last year of ATOP's era (2018 with ATOP), where similarity and recommendations
    /// stop: after it only the registry's agreements are known.
    pub last_year: i32,
    /// The network's last year: the registry's (after ATOP's end its agreements alone).
    pub network_last_year: i32,
    pub capabilities: Option<Capabilities>,
}

impl Research {
    /// `both` or `curated`, as pages and the API name the source.
    pub fn source_name(&self) -> &'static str {
        self.source.name()
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NodeView {
    pub ccode: Ccode,
    pub abb: String,
    pub name: String,
    pub measures: NodeMeasures,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NetworkView {
    pub year: i32,
    pub level: Level,
    /// Only agreements of this kind, when given.
    pub kind: Option<AgreementKind>,
    /// Where the ties come from: `both` (ATOP and the registry) or `curated`.
    pub source: &'static str,
    pub graph: GraphMeasures,
    pub nodes: Vec<NodeView>,
    /// Undirected edges between ccodes, with the valued tie (3, 2 or 1).
    pub edges: Vec<(Ccode, Ccode, f64)>,
    #[serde(skip)]
    pub json: Bytes,
}

/// How many of a state's alliance entries its page studies (as the country report).
const ENTRY_STUDIES: usize = 3;

type NetworkKey = (i32, Level, Option<AgreementKind>);
/// A state, a year, how many partners, and whether rivals and unrecognised states are listed.
type RecommendKey = (Ccode, i32, usize, (bool, bool));
/// A state, and what was asked of its assessment.
type StateKey = (Ccode, Request);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A value computed at most once (while one request computes it, others wait for it).
struct Once<T>(Mutex<Option<Arc<T>>>);

impl<T> Default for Once<T> {
    fn default() -> Self {
        Once(Mutex::new(None))
    }
}

impl<T> Once<T> {
    fn get(&self, compute: impl FnOnce() -> Result<T, ApiError>) -> Result<Arc<T>, ApiError> {
        let mut slot = lock(&self.0);
        if let Some(v) = &*slot {
            return Ok(v.clone());
        }
        let v = Arc::new(compute()?);
        *slot = Some(v.clone());
        Ok(v)
    }
}

/// Values by key, each computed on first use.
struct Memo<K, V>(Mutex<HashMap<K, Arc<V>>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + Hash, V> Memo<K, V> {
    fn get(&self, key: K, compute: impl FnOnce() -> Result<V, ApiError>) -> Result<Arc<V>, ApiError> {
        if let Some(v) = lock(&self.0).get(&key) {
            return Ok(v.clone());
        }
        // Computed without the lock: other keys stay available meanwhile.
        let v = Arc::new(compute()?);
        lock(&self.0).insert(key, v.clone());
        Ok(v)
    }
}

/// Everything computed at one store revision.
#[derive(Default)]
struct Generation {
    revision: i64,
    index: Once<StateIndex>,
    research: Once<Research>,
    kind_ties: Memo<AgreementKind, AllianceTies>,
    /// Ties from another source than the research context's, for similarity asked of it.
    source_ties: Memo<TieSource, AllianceTies>,
    networks: Memo<NetworkKey, NetworkView>,
    cores: Memo<StateKey, (Arc<CountryCore>, Bytes)>,
    assessments: Memo<StateKey, CountryAssessment>,
    challenges: Memo<StateKey, Challenges>,
    entry_studies: Memo<Ccode, EntryStudies>,
    recommender: Once<Recommender>,
    recommendations: Memo<RecommendKey, Recommended>,
    stamp: Once<Stamp>,
    case_studies: Memo<(&'static str, Ccode), CaseStudy>,
}

#[derive(Default)]
pub struct Cache {
    current: Mutex<Arc<Generation>>,
}

impl Cache {
    /// The generation of the store's current revision.
    fn at(&self, store: &Store) -> Result<Arc<Generation>, ApiError> {
        let revision = store.revision()?;
        let mut current = lock(&self.current);
        if current.revision != revision {
            *current = Arc::new(Generation { revision, ..Generation::default() });
        }
        Ok(current.clone())
    }

    pub fn index(&self, store: &Store) -> Result<Arc<StateIndex>, ApiError> {
        self.at(store)?.index(store)
    }

    pub fn research(&self, store: &Store) -> Result<Arc<Research>, ApiError> {
        self.at(store)?.research(store)
    }

    /// The alliance ties of `source` (through ATOP's era), as the CLI's `--source` reads them.
    pub fn ties(&self, store: &Store, source: TieSource) -> Result<Arc<AllianceTies>, ApiError> {
        let generation = self.at(store)?;
        generation.source_ties.get(source, || {
            let index = generation.index(store)?;
            Ok(pactbase_service::alliance_ties(store, source, &index, REGISTRY_CURRENT_YEAR)?)
        })
    }

    /// The similarity of `a` and `b` per year of `years` (default: every year of the
    /// research context) from the ties of `source`, as the API sends it and the compare
    /// page charts it.
    pub fn similarity(
        &self,
        store: &Store,
        dyad: (Ccode, Ccode),
        years: Option<(i32, i32)>,
        source: TieSource,
    ) -> Result<DyadSimilarity, ApiError> {
        let r = self.research(store)?;
        let other;
        let ties = if source == r.source {
            &r.ties
        } else {
            other = self.ties(store, source)?;
            &*other
        };
        Ok(similarity::dyad_similarity(&r.system, (ties, source), r.capabilities.as_ref(), dyad, years, r.last_year))
    }

    /// Case study `case`, compared with `state`'s own commitments.
    pub fn case_study(&self, store: &Store, case: &'static Case, state: Ccode) -> Result<Arc<CaseStudy>, ApiError> {
        let generation = self.at(store)?;
        generation.case_studies.get((case.slug, state), || {
            let r = generation.research(store)?;
            case_study::assemble(store, case, state, &r.ties.dyads)?
                .ok_or_else(|| ApiError::not_found(format!("the registry has no agreement `{}`", case.agreement)))
        })
    }

    /// What the data were as of: edits and imported datasets.
    pub fn stamp(&self, store: &Store) -> Result<Arc<Stamp>, ApiError> {
        self.at(store)?.stamp.get(|| Stamp::of(store))
    }

    /// The network of `year` at `level`, of agreements of `kind` only when given.
    pub fn network(
        &self,
        store: &Store,
        year: i32,
        level: Level,
        kind: Option<AgreementKind>,
    ) -> Result<Arc<NetworkView>, ApiError> {
        let generation = self.at(store)?;
        generation.networks.get((year, level, kind), || {
            let r = generation.research(store)?;
            if year < r.first_year || year > r.network_last_year {
                return Err(ApiError::not_found(format!(
                    "no network for {year}: the state system and alliance data span {}-{}; the nearest year is {}",
                    r.first_year,
                    r.network_last_year,
                    year.clamp(r.first_year, r.network_last_year)
                )));
            }
            let kind_ties = kind
                .map(|kind| {
                    generation.kind_ties.get(kind, || {
                        Ok(pactbase_service::alliance_ties_of_kind(
                            store,
                            r.source,
                            &r.index,
                            REGISTRY_CURRENT_YEAR,
                            kind,
                        )?)
                    })
                })
                .transpose()?;
            let ties = kind_ties.as_deref().unwrap_or(&r.ties);
            let system_year =
                r.system.year(year).ok_or_else(|| ApiError::not_found(format!("no state system in {year}")))?;
            let net = network::build(system_year, &ties.dyads, level);
            let (measures, graph) = network::measure(&net);
            let nodes = measures
                .into_iter()
                .map(|m| {
                    let (abb, name) = r.index.get(m.ccode).map_or_else(
                        || (m.ccode.to_string(), m.ccode.to_string()),
                        |s| (s.abb.clone(), s.name.clone()),
                    );
                    NodeView { ccode: m.ccode, abb, name, measures: m }
                })
                .collect();
            let edges = net.edges.iter().map(|&(i, j, w)| (net.nodes[i], net.nodes[j], w)).collect();
            let mut view =
                NetworkView { year, level, kind, source: r.source_name(), graph, nodes, edges, json: Bytes::new() };
            view.json = Bytes::from(serde_json::to_vec(&view).map_err(ApiError::internal)?);
            Ok(view)
        })
    }

    /// The registry's parts of a state's assessment (`pactbase country`, the API's
    /// country profile, the home page) and their JSON.
    pub fn core(&self, store: &Store, ccode: Ccode, request: Request) -> Result<(Arc<CountryCore>, Bytes), ApiError> {
        let entry = self.at(store)?.cores.get((ccode, request), || {
            let core = assessment::core(&Context::load(store, ccode, request)?);
            let json = Bytes::from(serde_json::to_vec(&core).map_err(ApiError::internal)?);
            Ok((Arc::new(core), json))
        })?;
        Ok((entry.0.clone(), entry.1.clone()))
    }

    /// A state's whole assessment, as the country page and the report show it.
    pub fn assessment(
        &self,
        store: &Store,
        ccode: Ccode,
        request: Request,
    ) -> Result<Arc<CountryAssessment>, ApiError> {
        let generation = self.at(store)?;
        generation.assessments.get((ccode, request), || {
            let recommender = generation.recommender.get(|| Ok(Recommender::load(store)?)).ok();
            Ok(assessment::assess(store, &Context::load(store, ccode, request)?, recommender.as_deref())?)
        })
    }

    /// A state's challenges, as the assessment computes them.
    pub fn challenges(&self, store: &Store, ccode: Ccode, request: Request) -> Result<Arc<Challenges>, ApiError> {
        self.at(store)?
            .challenges
            .get((ccode, request), || Ok(assessment::challenges(store, &Context::load(store, ccode, request)?)?))
    }

    /// What `ccode`'s entries into its main alliances changed in its military expenditure
    /// (needs NMC).
    pub fn entry_studies(&self, store: &Store, ccode: Ccode) -> Result<Arc<EntryStudies>, ApiError> {
        self.at(store)?.entry_studies.get(ccode, || {
            let agreements = store.agreements(&AgreementFilter { member: Some(ccode), ..Default::default() })?;
            // Entry studies read when the state joined, not what stands now.
            let t = timeline::timeline(ccode, View::History, &agreements, &|_| None);
            let index = self.index(store)?;
            Ok(entry_studies(store, ccode, &t, &agreements, ENTRY_STUDIES, &index)?)
        })
    }

    /// Partners `ccode` could ally with next as of `year` (default: the registry's
    /// current year), with their reasons, and the partners `listing` leaves out.
    pub fn recommendations(
        &self,
        store: &Store,
        ccode: Ccode,
        year: Option<i32>,
        top: usize,
        listing: Listing,
    ) -> Result<Arc<Recommended>, ApiError> {
        let generation = self.at(store)?;
        let recommender = generation.recommender.get(|| Ok(Recommender::load(store)?))?;
        let year = year.unwrap_or(DEFAULT_YEAR);
        generation.recommendations.get((ccode, year, top, (listing.rivals, listing.unrecognised)), || {
            recommender
                .recommend(ccode, year, top, &Options::default(), listing)
                .map_err(|e| ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "not_covered", e.to_string()))
        })
    }
}

impl Generation {
    fn index(&self, store: &Store) -> Result<Arc<StateIndex>, ApiError> {
        self.index.get(|| Ok(store.state_index()?))
    }

    fn research(&self, store: &Store) -> Result<Arc<Research>, ApiError> {
        self.research.get(|| {
            let index = self.index(store)?;
            let source = if store.has_dataset(Dataset::Atop)? { TieSource::Both } else { TieSource::Curated };
            // Years to 2018 are the same whether the registry's agreements run on or not.
            let ties = pactbase_service::alliance_ties(store, source, &index, REGISTRY_CURRENT_YEAR)?;
            let (system, _) = pactbase_service::system(store, &index, (YEARS.first, REGISTRY_CURRENT_YEAR))?;
            let years = system.years();
            let first_year = years.first().map_or(YEARS.first, |y| y.year);
            let network_last_year = years.last().map_or(first_year, |y| y.year).min(ties.last_year);
            let era_end = if source == TieSource::Both { ATOP_END.year } else { REGISTRY_CURRENT_YEAR };
            let last_year = network_last_year.min(era_end);
            let capabilities = pactbase_service::capabilities(store)?;
            Ok(Research { index, system, ties, source, first_year, last_year, network_last_year, capabilities })
        })
    }
}
