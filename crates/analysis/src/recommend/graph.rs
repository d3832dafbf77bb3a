//! Relations among one year's system members as bit rows: small enough (≤ 200 states,
//! four words a row) that common neighbours are a few AND-and-count operations.

/// A symmetric relation over `n` members: row i holds the members related to i.
pub(crate) struct Adjacency {
    words: usize,
    bits: Vec<u64>,
}

impl Adjacency {
    pub(crate) fn new(n: usize) -> Self {
        let words = n.div_ceil(64);
        Adjacency { words, bits: vec![0; n * words] }
    }

    pub(crate) fn link(&mut self, i: usize, j: usize) {
        self.bits[i * self.words + j / 64] |= 1 << (j % 64);
        self.bits[j * self.words + i / 64] |= 1 << (i % 64);
    }

    pub(crate) fn has(&self, i: usize, j: usize) -> bool {
        self.bits[i * self.words + j / 64] & (1 << (j % 64)) != 0
    }

    fn row(&self, i: usize) -> &[u64] {
        &self.bits[i * self.words..(i + 1) * self.words]
    }

    pub(crate) fn degree(&self, i: usize) -> u32 {
        self.row(i).iter().map(|w| w.count_ones()).sum()
    }

    pub(crate) fn count_common(&self, i: usize, j: usize) -> u32 {
        self.row(i).iter().zip(self.row(j)).map(|(a, b)| (a & b).count_ones()).sum()
    }

    /// Members related to both `i` and `j`, ascending.
    pub(crate) fn common(&self, i: usize, j: usize) -> impl Iterator<Item = usize> + '_ {
        self.row(i).iter().zip(self.row(j)).enumerate().flat_map(|(w, (a, b))| {
            let mut word = a & b;
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let bit = word.trailing_zeros() as usize;
                    word &= word - 1;
                    w * 64 + bit
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_neighbours_across_word_boundaries() {
        let mut g = Adjacency::new(130);
        for z in [3, 64, 129] {
            g.link(0, z);
            g.link(1, z);
        }
        g.link(0, 70);
        assert_eq!(g.common(0, 1).collect::<Vec<_>>(), vec![3, 64, 129]);
        assert_eq!(g.count_common(0, 1), 3);
        assert_eq!((g.degree(0), g.degree(1), g.degree(129)), (4, 3, 2));
        assert!(g.has(70, 0) && !g.has(1, 70));
    }
}
