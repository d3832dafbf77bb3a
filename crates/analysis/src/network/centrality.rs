//! Node measures, each reproducing networkx 3's definition and arithmetic order closely
//! enough to agree to ~1e-12 (the iterative ones take the same steps and stop at the same
//! iteration).

use super::graph::Csr;

pub(crate) struct Paths {
    pub betweenness: Vec<f64>,
    pub closeness: Vec<f64>,
}

/// Betweenness (Brandes 2001, unweighted; networkx `betweenness_centrality(G)`) and
/// closeness (networkx `closeness_centrality(G)`, `wf_improved=True`) from one
/// breadth-first search per source.
pub(crate) fn shortest_paths(g: &Csr) -> Paths {
    let n = g.n;
    let mut betweenness = vec![0.0; n];
    let mut closeness = vec![0.0; n];
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let mut dist = vec![u32::MAX; n];
    let mut sigma = vec![0.0f64; n];
    let mut delta = vec![0.0f64; n];
    for s in 0..n {
        order.clear();
        dist.fill(u32::MAX);
        sigma.fill(0.0);
        dist[s] = 0;
        sigma[s] = 1.0;
        order.push(s as u32);
        let mut head = 0;
        let mut total_distance = 0u64;
        while head < order.len() {
            let v = order[head] as usize;
            head += 1;
            let dv = dist[v];
            total_distance += u64::from(dv);
            let sv = sigma[v];
            for &w in g.neighbours(v) {
                let w = w as usize;
                if dist[w] == u32::MAX {
                    dist[w] = dv + 1;
                    order.push(w as u32);
                }
                if dist[w] == dv + 1 {
                    sigma[w] += sv;
                }
            }
        }
        // Closeness: (r - 1) / Σd, scaled by (r - 1) / (n - 1).
        let reached = order.len() as f64;
        if total_distance > 0 && n > 1 {
            let c = (reached - 1.0) / total_distance as f64;
            closeness[s] = c * ((reached - 1.0) / (n as f64 - 1.0));
        }
        // Dependencies, farthest first; only sources that reach two other nodes matter.
        if order.len() > 2 {
            for &v in &order {
                delta[v as usize] = 0.0;
            }
            for &w in order.iter().rev() {
                let w = w as usize;
                let coeff = (1.0 + delta[w]) / sigma[w];
                let dw = dist[w];
                for &v in g.neighbours(w) {
                    let v = v as usize;
                    if dist[v] != u32::MAX && dist[v] + 1 == dw {
                        delta[v] += sigma[v] * coeff;
                    }
                }
                if w != s {
                    betweenness[w] += delta[w];
                }
            }
        }
    }
    // networkx `_rescale` with endpoints=False: N = n - 1 pairs (s, t) could pass through
    // v; normalized by N (N - 1) unless N < 2.
    if n > 2 {
        let scale = 1.0 / ((n as f64 - 1.0) * (n as f64 - 2.0));
        for b in &mut betweenness {
            *b *= scale;
        }
    }
    Paths { betweenness, closeness }
}

/// Local clustering (networkx `clustering(G)`, unweighted): 2T / (d (d - 1)).
pub(crate) fn clustering(g: &Csr) -> Vec<f64> {
    let n = g.n;
    let words = n.div_ceil(64);
    let mut bits = vec![0u64; n * words];
    for v in 0..n {
        for &w in g.neighbours(v) {
            bits[v * words + w as usize / 64] |= 1 << (w % 64);
        }
    }
    (0..n)
        .map(|v| {
            let d = g.degree(v);
            if d < 2 {
                return 0.0;
            }
            let row = &bits[v * words..(v + 1) * words];
            // Each triangle at v is counted once from each of its two other corners.
            let twice: u64 = g
                .neighbours(v)
                .iter()
                .map(|&u| {
                    let other = &bits[u as usize * words..(u as usize + 1) * words];
                    row.iter().zip(other).map(|(a, b)| u64::from((a & b).count_ones())).sum::<u64>()
                })
                .sum();
            if twice == 0 {
                0.0
            } else {
                twice as f64 / (d * (d - 1)) as f64
            }
        })
        .collect()
}

/// Eigenvector centrality as networkx `eigenvector_centrality(G, max_iter, tol)` computes
/// it (unweighted): start from 1/n, iterate x ← (A + I) x / ‖(A + I) x‖₂, stop when the L1
/// change is below n·tol. Returns the values and whether they converged.
pub(crate) fn eigenvector(g: &Csr, max_iter: usize, tol: f64) -> (Vec<f64>, bool) {
    let n = g.n;
    if n == 0 {
        return (Vec::new(), true);
    }
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..max_iter {
        next.copy_from_slice(&x);
        for (v, &xv) in x.iter().enumerate() {
            for &w in g.neighbours(v) {
                next[w as usize] += xv;
            }
        }
        let norm = next.iter().map(|a| a * a).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        let mut change = 0.0;
        for (a, last) in next.iter_mut().zip(&x) {
            *a /= norm;
            change += (*a - last).abs();
        }
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * tol {
            return (x, true);
        }
    }
    (x, false)
}

/// PageRank as networkx `pagerank(G, alpha)` computes it (weighted; uniform
/// personalization; a node without edges spreads its rank uniformly): start from 1/n,
/// stop when the L1 change is below n·tol. Returns the values and whether they converged.
pub(crate) fn pagerank(g: &Csr, alpha: f64, max_iter: usize, tol: f64) -> (Vec<f64>, bool) {
    let n = g.n;
    if n == 0 {
        return (Vec::new(), true);
    }
    let p = 1.0 / n as f64;
    // Row-normalised transition weights, as networkx: w_vu * (1 / s_v).
    let inverse: Vec<f64> = (0..n)
        .map(|v| {
            let s = g.strength(v);
            if s != 0.0 {
                1.0 / s
            } else {
                0.0
            }
        })
        .collect();
    let dangling: Vec<usize> = (0..n).filter(|&v| inverse[v] == 0.0).collect();
    let mut x = vec![p; n];
    let mut next = vec![0.0; n];
    for _ in 0..max_iter {
        let lost: f64 = dangling.iter().map(|&v| x[v]).sum();
        let mut change = 0.0;
        for w in 0..n {
            let r = g.offsets[w]..g.offsets[w + 1];
            // Undirected: the weight of v→w equals that of w→v.
            let flow: f64 = g.targets[r.clone()]
                .iter()
                .zip(&g.weights[r])
                .map(|(&v, &wt)| x[v as usize] * (wt * inverse[v as usize]))
                .sum();
            next[w] = alpha * (flow + lost * p) + (1.0 - alpha) * p;
            change += (next[w] - x[w]).abs();
        }
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * tol {
            return (x, true);
        }
    }
    (x, false)
}

/// Connected components: a label per node (numbered by size, largest first, ties by
/// lowest node) and their number.
pub(crate) fn components(g: &Csr) -> (Vec<u32>, usize) {
    let n = g.n;
    let mut label = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    for s in 0..n {
        if label[s] != usize::MAX {
            continue;
        }
        label[s] = next;
        stack.push(s);
        while let Some(v) = stack.pop() {
            for &w in g.neighbours(v) {
                if label[w as usize] == usize::MAX {
                    label[w as usize] = next;
                    stack.push(w as usize);
                }
            }
        }
        next += 1;
    }
    super::renumber(&label)
}
