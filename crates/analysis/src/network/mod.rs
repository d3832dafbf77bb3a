//! Alliance networks (FIELD.md §5, issue 4 part 2): one undirected graph per year, its
//! node measures, blocs by modularity maximisation, and GraphML/GEXF writers.
//!
//! Every measure is defined as networkx 3 defines it, so results can be checked against
//! networkx (`tools/network-fixtures.py` writes the fixtures the tests compare with):
//!
//! | measure | networkx call |
//! | --- | --- |
//! | degree | `G.degree()` |
//! | strength | `G.degree(weight="weight")` |
//! | betweenness | `betweenness_centrality(G)`: normalized by `(n-1)(n-2)`, unweighted |
//! | closeness | `closeness_centrality(G)`: Wasserman–Faust improved, unweighted |
//! | clustering | `clustering(G)`: unweighted |
//! | eigenvector | `eigenvector_centrality(G, max_iter=1000, tol=1e-6)`: power iteration on A + I, unweighted |
//! | pagerank | `pagerank(G, alpha=0.85)`: weighted (networkx's default `weight="weight"`) |
//! | component | `connected_components(G)` |
//! | bloc, modularity | `louvain_communities(G, weight="weight", resolution=1)`, `modularity(G, blocs, weight="weight")` |
//!
//! Deliberate differences, all documented where they arise:
//! - eigenvector centrality allows 1000 iterations: networkx's default of 100 fails to
//!   converge on 24 of the 406 ATOP network-years 1816–2018 (both levels; 1907–1908 and
//!   2001–2015), all of which converge within 300. Where networkx would converge the values
//!   are the same; a graph that still does not converge keeps its last iterate and says so
//!   in [`GraphMeasures::eigenvector_converged`] where networkx raises an error;
//! - Louvain visits nodes in an order drawn from a seeded generator of our own, not Python's
//!   `random`, so the partition can differ from networkx's for the same seed. Its modularity
//!   matches the best of networkx's seeds 0–9 on the fixture years (within 0.0001) and
//!   networkx with seed 0 on every year 1816–2018 at level `any` within 0.009; networkx's
//!   own spread across seeds is larger (1914: 0.469 to 0.548). Several seeded runs can be
//!   made and the best kept ([`Options::louvain_runs`]);
//! - component and bloc ids are ours: numbered by size, largest first, ties by lowest
//!   ccode (networkx's ids are arbitrary);
//! - the modularity of a graph without edges is undefined (networkx divides by zero): `None`.
//!
//! Typical use:
//!
//! ```no_run
//! # use pactbase_analysis::panel::{DyadTable, System};
//! # use pactbase_analysis::network::{self, Level};
//! # fn f(system: &System, dyads: &DyadTable) {
//! let net = network::build(system.year(1990).unwrap(), dyads, Level::Any);
//! let (nodes, graph) = network::measure(&net);
//! let xml = network::gexf(&net, &nodes, &graph, |_| None);
//! # }
//! ```

mod centrality;
mod export;
mod graph;
mod louvain;
pub mod table;

use std::ops::RangeInclusive;

use pactbase_model::Ccode;
use rayon::prelude::*;
use serde::Serialize;

use crate::panel::{DyadTable, System, SystemYear};

pub use export::{gexf, graphml, Label};
pub use louvain::modularity;

use graph::Csr;

/// Which ties make an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The two states share an alliance in effect that year (any obligation, or none).
    Any,
    /// A defense or offense obligation runs in either direction.
    Defense,
}

impl Level {
    /// `any` or `defense`, as the command line spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Any => "any",
            Level::Defense => "defense",
        }
    }
}

/// The alliance network of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearNetwork {
    pub year: i32,
    pub level: Level,
    /// Every system member of the year, sorted; isolates included. Positions in this list
    /// are the node indices used by `edges` and by [`measure`]'s output order.
    pub nodes: Vec<Ccode>,
    /// Undirected edges `(i, j, weight)` with `i < j`, sorted, no duplicates. The weight is
    /// the valued tie (FIELD.md §3: 3 defense or offense, 2 neutrality or consultation,
    /// 1 nonaggression only), the larger of the two directions, and at least 1: two states
    /// that share an alliance without any obligation between them (ATOP has none in
    /// 1816–2018, but registry data may) are joined by an edge of the weakest kind.
    pub edges: Vec<(usize, usize, f64)>,
}

impl YearNetwork {
    /// Position of a state among the nodes.
    pub fn position(&self, ccode: Ccode) -> Option<usize> {
        self.nodes.binary_search(&ccode).ok()
    }
}

/// The network of `system_year.year` at `level` from the directed dyad-years of `dyads`.
///
/// Nodes are the year's system members; a directed tie whose states are not both members
/// that year is ignored (ATOP codes outside the COW system are expected to have been
/// dropped when `dyads` was built).
pub fn build(system_year: &SystemYear, dyads: &DyadTable, level: Level) -> YearNetwork {
    let nodes = system_year.ccodes.clone();
    let n = nodes.len();
    // Per unordered pair (upper triangle): largest valued tie, any defense/offense, present.
    let mut best = vec![0u8; n * n];
    let mut strong = vec![false; n * n];
    let mut present = vec![false; n * n];
    for k in dyads.year_range(system_year.year) {
        let (_, a, b) = dyads.keys[k];
        let (Some(i), Some(j)) = (system_year.position(a), system_year.position(b)) else { continue };
        if i == j {
            continue;
        }
        let cell = i.min(j) * n + i.max(j);
        let ob = &dyads.ties[k].obligations;
        present[cell] = true;
        best[cell] = best[cell].max(ob.tie_value());
        strong[cell] |= ob.defense || ob.offense;
    }
    let mut edges = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let cell = i * n + j;
            let keep = match level {
                Level::Any => present[cell],
                Level::Defense => strong[cell],
            };
            if keep {
                edges.push((i, j, f64::from(best[cell].max(1))));
            }
        }
    }
    YearNetwork { year: system_year.year, level, nodes, edges }
}

/// Settings of the iterative measures. `Default` gives the documented networkx calls.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Eigenvector centrality: at most this many power iterations (1000; networkx's
    /// default is 100, see the module notes).
    pub eigenvector_max_iter: usize,
    /// Eigenvector centrality: stop when the L1 change is below `n * tol` (1e-6).
    pub eigenvector_tol: f64,
    /// PageRank damping factor (0.85).
    pub pagerank_alpha: f64,
    /// PageRank: at most this many iterations (100, as networkx).
    pub pagerank_max_iter: usize,
    /// PageRank: stop when the L1 change is below `n * tol` (1e-6).
    pub pagerank_tol: f64,
    /// Louvain resolution (1).
    pub louvain_resolution: f64,
    /// Louvain: a level must raise modularity by more than this (1e-7, as networkx).
    pub louvain_threshold: f64,
    /// Seed of the node visiting order of the first Louvain run.
    pub louvain_seed: u64,
    /// Louvain runs with seeds `louvain_seed, louvain_seed + 1, ...`; the partition with the
    /// highest modularity is kept (the first among equals). At least 1.
    pub louvain_runs: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            eigenvector_max_iter: 1000,
            eigenvector_tol: 1e-6,
            pagerank_alpha: 0.85,
            pagerank_max_iter: 100,
            pagerank_tol: 1e-6,
            louvain_resolution: 1.0,
            louvain_threshold: 1e-7,
            louvain_seed: 0,
            louvain_runs: 1,
        }
    }
}

/// Measures of one node (a system member) in one year's network.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeMeasures {
    pub ccode: Ccode,
    /// Number of partners.
    pub degree: u32,
    /// Sum of the weights of the node's edges (weighted degree).
    pub strength: f64,
    /// Shortest-path betweenness, normalized by `(n-1)(n-2)` (no scaling when n ≤ 2).
    pub betweenness: f64,
    /// `(r-1)/Σd · (r-1)/(n-1)` over the r nodes reachable from it (itself included); 0
    /// for an isolate.
    pub closeness: f64,
    /// Share of pairs of partners that are allied themselves; 0 below two partners.
    pub clustering: f64,
    /// Eigenvector centrality (unit Euclidean norm over the whole graph).
    pub eigenvector: f64,
    /// PageRank (sums to 1 over the graph).
    pub pagerank: f64,
    /// Connected component, numbered from 0 by size (largest first, ties by lowest ccode).
    pub component: u32,
    /// Louvain bloc, numbered from 0 the same way; an isolate is a bloc of its own.
    pub bloc: u32,
}

/// Measures of one year's graph as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphMeasures {
    pub year: i32,
    pub level: Level,
    pub nodes: usize,
    pub edges: usize,
    /// Connected components, isolates included.
    pub components: usize,
    /// Louvain blocs, isolates included.
    pub blocs: usize,
    /// Modularity of the blocs (weighted); `None` for a graph without edges.
    pub modularity: Option<f64>,
    /// False when eigenvector centrality did not converge within the iteration limit
    /// (the last iterate is reported; networkx raises an error instead).
    pub eigenvector_converged: bool,
    /// False when PageRank did not converge within the iteration limit (likewise).
    pub pagerank_converged: bool,
}

/// Every measure of a network, with the default [`Options`]. Node measures come in the
/// order of `net.nodes`.
pub fn measure(net: &YearNetwork) -> (Vec<NodeMeasures>, GraphMeasures) {
    measure_with(net, &Options::default())
}

/// Every measure of a network with the given settings.
pub fn measure_with(net: &YearNetwork, options: &Options) -> (Vec<NodeMeasures>, GraphMeasures) {
    let g = Csr::new(net.nodes.len(), &net.edges);
    let paths = centrality::shortest_paths(&g);
    let clustering = centrality::clustering(&g);
    let (eigenvector, eigenvector_converged) =
        centrality::eigenvector(&g, options.eigenvector_max_iter, options.eigenvector_tol);
    let (pagerank, pagerank_converged) =
        centrality::pagerank(&g, options.pagerank_alpha, options.pagerank_max_iter, options.pagerank_tol);
    let (component, components) = centrality::components(&g);
    let (bloc, blocs, modularity) = louvain::best_of(&g, options);
    let nodes = net
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &ccode)| NodeMeasures {
            ccode,
            degree: g.degree(i) as u32,
            strength: g.strength(i),
            betweenness: paths.betweenness[i],
            closeness: paths.closeness[i],
            clustering: clustering[i],
            eigenvector: eigenvector[i],
            pagerank: pagerank[i],
            component: component[i],
            bloc: bloc[i],
        })
        .collect();
    let graph = GraphMeasures {
        year: net.year,
        level: net.level,
        nodes: net.nodes.len(),
        edges: net.edges.len(),
        components,
        blocs,
        modularity,
        eigenvector_converged,
        pagerank_converged,
    };
    (nodes, graph)
}

/// One year's network with its measures.
#[derive(Debug, Clone)]
pub struct YearResult {
    pub network: YearNetwork,
    pub nodes: Vec<NodeMeasures>,
    pub graph: GraphMeasures,
}

/// Networks and measures of every year of `years` that `system` covers, in year order,
/// computed in parallel (one task per year, on rayon's global pool).
pub fn measure_years(
    system: &System,
    dyads: &DyadTable,
    level: Level,
    years: RangeInclusive<i32>,
    options: &Options,
) -> Vec<YearResult> {
    system
        .years()
        .par_iter()
        .filter(|y| years.contains(&y.year))
        .map(|y| {
            let network = build(y, dyads, level);
            let (nodes, graph) = measure_with(&network, options);
            YearResult { network, nodes, graph }
        })
        .collect()
}

/// Numbers groups (`label[i]` arbitrary) from 0 by size, largest first, ties by lowest
/// member position; returns the new labels and the number of groups.
fn renumber(label: &[usize]) -> (Vec<u32>, usize) {
    let groups = label.iter().copied().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; groups];
    let mut first = vec![usize::MAX; groups];
    for (i, &l) in label.iter().enumerate() {
        size[l] += 1;
        first[l] = first[l].min(i);
    }
    let mut order: Vec<usize> = (0..groups).filter(|&l| size[l] > 0).collect();
    order.sort_by_key(|&l| (std::cmp::Reverse(size[l]), first[l]));
    let mut id = vec![0u32; groups];
    for (k, &l) in order.iter().enumerate() {
        id[l] = k as u32;
    }
    (label.iter().map(|&l| id[l]).collect(), order.len())
}

#[cfg(test)]
mod tests;
