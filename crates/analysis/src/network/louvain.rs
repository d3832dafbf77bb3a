//! Blocs by modularity maximisation: the Louvain method (Blondel et al. 2008) step for step
//! as networkx 3's `louvain_communities(G, weight="weight", resolution, threshold)` runs it
//! (local moves until none helps; aggregate; repeat while modularity rises by more than
//! `threshold`), with the node visiting order of each level drawn from our own seeded
//! generator instead of Python's `random`.

use super::graph::Csr;
use super::{renumber, Options, YearNetwork};

/// One level's graph: communities of the level below become nodes, edges inside them
/// self-loops.
struct Level {
    /// Neighbours other than the node itself, with summed weights.
    adj: Vec<Vec<(u32, f64)>>,
    self_loop: Vec<f64>,
    /// Weighted degree, a self-loop counted twice (networkx's convention).
    degree: Vec<f64>,
}

impl Level {
    fn from_csr(g: &Csr) -> Self {
        let adj: Vec<Vec<(u32, f64)>> = (0..g.n)
            .map(|v| g.neighbours(v).iter().copied().zip(g.edge_weights(v).iter().copied()).collect())
            .collect();
        let degree = (0..g.n).map(|v| g.strength(v)).collect();
        Level { adj, self_loop: vec![0.0; g.n], degree }
    }

    fn len(&self) -> usize {
        self.adj.len()
    }

    /// The graph of communities `community[v]` (numbered 0..k).
    fn aggregate(&self, community: &[usize], k: usize) -> Level {
        let mut self_loop = vec![0.0; k];
        let mut weight = vec![0.0; k * k];
        for u in 0..self.len() {
            let cu = community[u];
            self_loop[cu] += self.self_loop[u];
            for &(v, w) in &self.adj[u] {
                let cv = community[v as usize];
                if (v as usize) < u {
                    continue; // each edge once
                }
                if cu == cv {
                    self_loop[cu] += w;
                } else {
                    weight[cu.min(cv) * k + cu.max(cv)] += w;
                }
            }
        }
        let mut adj = vec![Vec::new(); k];
        for a in 0..k {
            for b in a + 1..k {
                let w = weight[a * k + b];
                if w != 0.0 {
                    adj[a].push((b as u32, w));
                    adj[b].push((a as u32, w));
                }
            }
        }
        let degree = (0..k).map(|c| 2.0 * self_loop[c] + adj[c].iter().map(|e| e.1).sum::<f64>()).collect();
        Level { adj, self_loop, degree }
    }

    /// Modularity of `community` (networkx `modularity`): Σ_c L_c/m − γ (d_c / 2m)².
    fn modularity(&self, community: &[usize], m: f64, resolution: f64) -> f64 {
        let k = community.iter().copied().max().map_or(0, |c| c + 1);
        let mut inside = vec![0.0; k];
        let mut degree = vec![0.0; k];
        for u in 0..self.len() {
            let c = community[u];
            degree[c] += self.degree[u];
            inside[c] += self.self_loop[u];
            for &(v, w) in &self.adj[u] {
                if (v as usize) > u && community[v as usize] == c {
                    inside[c] += w;
                }
            }
        }
        let norm = 1.0 / (2.0 * m).powi(2);
        (0..k).map(|c| inside[c] / m - resolution * degree[c] * degree[c] * norm).sum()
    }

    /// networkx `_one_level`: move nodes, in `order`, to the neighbouring community with the
    /// largest positive modularity gain until a sweep moves none. Returns each node's
    /// community, numbered 0..k in order of the community's original node, k, and whether
    /// any node moved.
    fn one_level(&self, order: &[usize], m: f64, resolution: f64) -> (Vec<usize>, usize, bool) {
        let n = self.len();
        let mut community: Vec<usize> = (0..n).collect();
        let mut total = self.degree.clone();
        let mut to_community = vec![0.0; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut seen = vec![false; n];
        let mut improvement = false;
        let two_m2 = 2.0 * m * m;
        loop {
            let mut moves = 0;
            for &u in order {
                let own = community[u];
                for &(v, w) in &self.adj[u] {
                    let c = community[v as usize];
                    if !seen[c] {
                        seen[c] = true;
                        touched.push(c);
                    }
                    to_community[c] += w;
                }
                let degree = self.degree[u];
                total[own] -= degree;
                let remove_cost = -to_community[own] / m + resolution * (total[own] * degree) / two_m2;
                let mut best_gain = 0.0;
                let mut best = own;
                for &c in &touched {
                    let gain = remove_cost + to_community[c] / m - resolution * (total[c] * degree) / two_m2;
                    if gain > best_gain {
                        best_gain = gain;
                        best = c;
                    }
                }
                total[best] += degree;
                for &c in &touched {
                    to_community[c] = 0.0;
                    seen[c] = false;
                }
                touched.clear();
                if best != own {
                    community[u] = best;
                    improvement = true;
                    moves += 1;
                }
            }
            if moves == 0 {
                break;
            }
        }
        let mut id = vec![usize::MAX; n];
        for &c in &community {
            id[c] = 0;
        }
        let mut k = 0;
        for slot in id.iter_mut().filter(|s| **s == 0) {
            *slot = k;
            k += 1;
        }
        (community.iter().map(|&c| id[c]).collect(), k, improvement)
    }
}

/// SplitMix64: a small, well-mixed generator; only the visiting order depends on it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fisher–Yates shuffle of 0..n.
    fn order(&mut self, n: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        order
    }
}

/// One Louvain run: the community of every node and the partition's modularity, or `None`
/// for a graph without edges (every node its own community).
fn louvain(g: &Csr, resolution: f64, threshold: f64, seed: u64) -> (Vec<usize>, Option<f64>) {
    let n = g.n;
    let m = g.total_weight();
    if g.edge_count() == 0 || m == 0.0 {
        return ((0..n).collect(), None);
    }
    let mut rng = Rng(seed);
    let base = Level::from_csr(g);
    let mut level = Level::from_csr(g);
    let singletons: Vec<usize> = (0..n).collect();
    let mut modularity = level.modularity(&singletons, m, resolution);
    let (mut inner, mut k, _) = level.one_level(&rng.order(n), m, resolution);
    let mut assign = inner.clone();
    loop {
        let new = level.modularity(&inner, m, resolution);
        if new - modularity <= threshold {
            break;
        }
        modularity = new;
        level = level.aggregate(&inner, k);
        let improvement;
        (inner, k, improvement) = level.one_level(&rng.order(level.len()), m, resolution);
        if !improvement {
            break;
        }
        for a in &mut assign {
            *a = inner[*a];
        }
    }
    let q = base.modularity(&assign, m, resolution);
    (assign, Some(q))
}

/// The best of `options.louvain_runs` seeded runs: bloc of every node (renumbered by size),
/// the number of blocs, and the modularity.
pub(crate) fn best_of(g: &Csr, options: &Options) -> (Vec<u32>, usize, Option<f64>) {
    let mut best: Option<(Vec<usize>, Option<f64>)> = None;
    for run in 0..options.louvain_runs.max(1) as u64 {
        let (assign, q) =
            louvain(g, options.louvain_resolution, options.louvain_threshold, options.louvain_seed.wrapping_add(run));
        let better = match &best {
            None => true,
            Some((_, best_q)) => q.unwrap_or(f64::NEG_INFINITY) > best_q.unwrap_or(f64::NEG_INFINITY),
        };
        if better {
            best = Some((assign, q));
        }
        if q.is_none() {
            break;
        }
    }
    let (assign, q) = best.unwrap_or_default();
    let (bloc, blocs) = renumber(&assign);
    (bloc, blocs, q)
}

/// Modularity (networkx `modularity(G, communities, weight="weight", resolution)`) of the
/// partition `blocs` (one label per node of `net`, any numbering); `None` for a graph
/// without edges, where it is undefined.
pub fn modularity(net: &YearNetwork, blocs: &[u32], resolution: f64) -> Option<f64> {
    assert_eq!(blocs.len(), net.nodes.len(), "one bloc label per node");
    let g = Csr::new(net.nodes.len(), &net.edges);
    let m = g.total_weight();
    if g.edge_count() == 0 || m == 0.0 {
        return None;
    }
    let labels: Vec<usize> = blocs.iter().map(|&b| b as usize).collect();
    Some(Level::from_csr(&g).modularity(&labels, m, resolution))
}
