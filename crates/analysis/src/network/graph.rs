//! Compressed adjacency of an undirected weighted graph (both directions stored).

#[derive(Debug, Clone)]
pub(crate) struct Csr {
    pub n: usize,
    /// Neighbours of `v`: `targets[offsets[v]..offsets[v + 1]]`, ascending.
    pub offsets: Vec<usize>,
    pub targets: Vec<u32>,
    pub weights: Vec<f64>,
}

impl Csr {
    /// From undirected edges `(i, j, w)`, `i != j`, each pair once.
    pub fn new(n: usize, edges: &[(usize, usize, f64)]) -> Self {
        let mut count = vec![0usize; n + 1];
        for &(i, j, _) in edges {
            debug_assert!(i != j && i < n && j < n, "edge ({i}, {j}) in a graph of {n} nodes");
            count[i + 1] += 1;
            count[j + 1] += 1;
        }
        for v in 0..n {
            count[v + 1] += count[v];
        }
        let offsets = count.clone();
        let mut next = count;
        let mut targets = vec![0u32; offsets[n]];
        let mut weights = vec![0.0; offsets[n]];
        for &(i, j, w) in edges {
            for (a, b) in [(i, j), (j, i)] {
                targets[next[a]] = b as u32;
                weights[next[a]] = w;
                next[a] += 1;
            }
        }
        let mut g = Csr { n, offsets, targets, weights };
        for v in 0..n {
            let r = g.offsets[v]..g.offsets[v + 1];
            if !g.targets[r.clone()].is_sorted() {
                let mut pairs: Vec<(u32, f64)> =
                    g.targets[r.clone()].iter().copied().zip(g.weights[r.clone()].iter().copied()).collect();
                pairs.sort_by_key(|p| p.0);
                for (k, (t, w)) in pairs.into_iter().enumerate() {
                    g.targets[r.start + k] = t;
                    g.weights[r.start + k] = w;
                }
            }
        }
        g
    }

    #[inline]
    pub fn neighbours(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }

    #[inline]
    pub fn edge_weights(&self, v: usize) -> &[f64] {
        &self.weights[self.offsets[v]..self.offsets[v + 1]]
    }

    #[inline]
    pub fn degree(&self, v: usize) -> usize {
        self.offsets[v + 1] - self.offsets[v]
    }

    pub fn strength(&self, v: usize) -> f64 {
        // Folded from +0.0: `Sum` of no floats is -0.0, which an isolate's strength is not.
        self.edge_weights(v).iter().fold(0.0, |total, w| total + w)
    }

    /// Sum of edge weights (each edge once).
    pub fn total_weight(&self) -> f64 {
        self.weights.iter().fold(0.0, |total, w| total + w) / 2.0
    }

    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }
}
