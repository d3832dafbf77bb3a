//! Ranking quality. Every measure treats tied scores fairly, as a random order among the
//! tied would on average: the baselines score most pairs alike, and an arbitrary order
//! among those would flatter or punish them by chance. Weights let a pair count more than
//! once (a bootstrap resample) or less (one pair of a treaty that brought many).

use super::{splitmix64, unit};

/// Area under the ROC curve: the Mann–Whitney probability that a random positive
/// outscores a random negative, ties counted half. `None` without positives or without
/// negatives.
pub fn auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    weighted_auc(&Ranking::new(scores), positive, &vec![1.0; scores.len()])
}

/// Share of positives among the `k` best scores (among all, when fewer than `k`). A
/// group tied across the cut fills the remaining places with its share of positives.
/// `None` when `k` or the list is empty.
pub fn precision_at_k(scores: &[f64], positive: &[bool], k: usize) -> Option<f64> {
    weighted_precision(&Ranking::new(scores), positive, &vec![1.0; scores.len()], k as f64)
}

/// Pairs ordered by score, ascending, in groups of equal scores: sorted once, measured
/// under many weightings.
pub(crate) struct Ranking {
    groups: Vec<Vec<usize>>,
}

impl Ranking {
    pub fn new(scores: &[f64]) -> Ranking {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
        Ranking { groups: order.chunk_by(|&a, &b| scores[a] == scores[b]).map(<[usize]>::to_vec).collect() }
    }
}

/// AUC with pair `i` counted `weights[i]` times.
pub(crate) fn weighted_auc(ranking: &Ranking, positive: &[bool], weights: &[f64]) -> Option<f64> {
    let (mut wins, mut negatives_below, mut positives) = (0.0, 0.0, 0.0);
    for group in &ranking.groups {
        let (pos, neg) = split(group, positive, weights);
        wins += pos * negatives_below + 0.5 * pos * neg;
        negatives_below += neg;
        positives += pos;
    }
    (positives > 0.0 && negatives_below > 0.0).then(|| wins / (positives * negatives_below))
}

/// Precision at `k` places, pair `i` filling `weights[i]` of them.
pub(crate) fn weighted_precision(ranking: &Ranking, positive: &[bool], weights: &[f64], k: f64) -> Option<f64> {
    let total: f64 = weights.iter().sum();
    let k = k.min(total);
    if k <= 0.0 {
        return None;
    }
    let (mut hits, mut left) = (0.0, k);
    for group in ranking.groups.iter().rev() {
        let (pos, neg) = split(group, positive, weights);
        if pos + neg == 0.0 {
            continue;
        }
        let taken = left.min(pos + neg);
        hits += pos * taken / (pos + neg);
        left -= taken;
        if left <= 0.0 {
            break;
        }
    }
    Some(hits / k)
}

/// Distinct treaties found in the `k` best places, per place: a treaty counts once, with
/// its first pair, so one mass founding cannot fill the list. `treaty[i]` is the treaty
/// that first ties positive pair `i`. A group tied across the cut counts each of its
/// treaties with the probability that a random choice of the remaining places takes at
/// least one of its pairs.
pub(crate) fn treaty_precision(ranking: &Ranking, treaty: &[Option<u32>], k: usize) -> Option<f64> {
    let n: usize = ranking.groups.iter().map(Vec::len).sum();
    let k = k.min(n);
    if k == 0 {
        return None;
    }
    let mut found = std::collections::HashSet::new();
    let (mut expected, mut left) = (0.0, k);
    for group in ranking.groups.iter().rev() {
        let mut counts: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for &i in group {
            if let Some(t) = treaty[i].filter(|t| !found.contains(t)) {
                *counts.entry(t).or_default() += 1;
            }
        }
        let (m, r) = (group.len(), left.min(group.len()));
        for (&t, &c) in &counts {
            // P(none of the c pairs among r places drawn from m) = C(m − c, r) / C(m, r).
            let none: f64 = (0..r).map(|i| (m - c).saturating_sub(i) as f64 / (m - i) as f64).product();
            expected += 1.0 - none;
            found.insert(t);
        }
        left -= r;
        if left == 0 {
            break;
        }
    }
    Some(expected / k as f64)
}

/// The weight of positives and of negatives in `group`.
fn split(group: &[usize], positive: &[bool], weights: &[f64]) -> (f64, f64) {
    group.iter().fold((0.0, 0.0), |(p, n), &i| if positive[i] { (p + weights[i], n) } else { (p, n + weights[i]) })
}

/// A 95% percentile interval, from `draws` stratified bootstrap resamples of the pairs
/// (positives and negatives drawn separately, so every resample has as many of each), of
/// `ours`' AUC and precision at `k` minus `theirs'`. Deterministic: `seed` fixes the
/// draws.
pub(crate) fn bootstrap_gain(
    ours: &Ranking,
    theirs: &Ranking,
    positive: &[bool],
    k: usize,
    draws: usize,
    seed: u64,
) -> [(f64, f64); 2] {
    let positives: Vec<usize> = (0..positive.len()).filter(|&i| positive[i]).collect();
    let negatives: Vec<usize> = (0..positive.len()).filter(|&i| !positive[i]).collect();
    let mut state = seed;
    let mut draw = |n: usize| {
        state = splitmix64(state);
        (unit(state) * n as f64) as usize
    };
    let (mut auc_gains, mut precision_gains) = (Vec::with_capacity(draws), Vec::with_capacity(draws));
    let mut weights = vec![0.0; positive.len()];
    for _ in 0..draws {
        weights.fill(0.0);
        for class in [&positives, &negatives] {
            for _ in 0..class.len() {
                weights[class[draw(class.len())]] += 1.0;
            }
        }
        let measure = |r: &Ranking| {
            (
                weighted_auc(r, positive, &weights).unwrap_or(0.5),
                weighted_precision(r, positive, &weights, k as f64).unwrap_or(0.0),
            )
        };
        let ((a1, p1), (a2, p2)) = (measure(ours), measure(theirs));
        auc_gains.push(a1 - a2);
        precision_gains.push(p1 - p2);
    }
    [percentile_interval(auc_gains), percentile_interval(precision_gains)]
}

fn percentile_interval(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_unstable_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    (at(0.025), at(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_known_rankings() {
        let positive = [true, false, true, false];
        assert_eq!(auc(&[4.0, 3.0, 2.0, 1.0], &positive), Some(0.75));
        assert_eq!(auc(&[4.0, 1.0, 3.0, 2.0], &positive), Some(1.0));
        assert_eq!(auc(&[1.0, 4.0, 2.0, 3.0], &positive), Some(0.0));
        // All tied: a coin toss.
        assert_eq!(auc(&[1.0; 4], &positive), Some(0.5));
        // Positive 0 ties negative 1 (half), beats negative 3; positive 2 loses to 1, beats 3.
        assert_eq!(auc(&[2.0, 2.0, 1.0, 0.0], &positive), Some((0.5 + 1.0 + 0.0 + 1.0) / 4.0));
        assert_eq!(auc(&[1.0, 2.0], &[true, true]), None);
    }

    #[test]
    fn precision_at_k_splits_ties_at_the_cut() {
        let positive = [true, false, true, false, false];
        let scores = [5.0, 4.0, 3.0, 2.0, 1.0];
        assert_eq!(precision_at_k(&scores, &positive, 1), Some(1.0));
        assert_eq!(precision_at_k(&scores, &positive, 2), Some(0.5));
        assert_eq!(precision_at_k(&scores, &positive, 3), Some(2.0 / 3.0));
        assert_eq!(precision_at_k(&scores, &positive, 50), Some(0.4));
        // Top score alone, then four tied holding one positive: 1 + 1/4 of 1 in 2 places.
        let tied = [5.0, 1.0, 1.0, 1.0, 1.0];
        assert_eq!(precision_at_k(&tied, &positive, 2), Some((1.0 + 0.25) / 2.0));
        assert_eq!(precision_at_k(&tied, &positive, 0), None);
    }

    #[test]
    fn weights_count_pairs_several_times() {
        let positive = [true, false, true, false];
        let ranking = Ranking::new(&[4.0, 3.0, 2.0, 1.0]);
        // Doubling the top positive: of 3 × 2 positive–negative pairings, it wins 2 × 2, the
        // other positive 1.
        assert_eq!(weighted_auc(&ranking, &positive, &[2.0, 1.0, 1.0, 1.0]), Some(5.0 / 6.0));
        // The top pair fills both places.
        assert_eq!(weighted_precision(&ranking, &positive, &[2.0, 1.0, 1.0, 1.0], 2.0), Some(1.0));
        assert_eq!(weighted_precision(&ranking, &positive, &[0.0, 1.0, 1.0, 1.0], 2.0), Some(0.5));
    }

    #[test]
    fn a_treaty_counts_once_in_the_top_places() {
        // Pairs 0–2 come from treaty 7, pair 3 from treaty 9; pair 4 formed nothing.
        let treaty = [Some(7), Some(7), Some(7), Some(9), None];
        let ranking = Ranking::new(&[5.0, 4.0, 3.0, 2.0, 1.0]);
        assert_eq!(treaty_precision(&ranking, &treaty, 3), Some(1.0 / 3.0));
        assert_eq!(treaty_precision(&ranking, &treaty, 4), Some(2.0 / 4.0));
        // Four tied pairs, two places: treaty 7 (three of them) is always found, treaty 9
        // (one) with probability 1 − C(3, 2) / C(4, 2) = 1/2.
        let tied = Ranking::new(&[1.0, 1.0, 1.0, 1.0, 0.0]);
        let expected = (1.0 + 0.5) / 2.0;
        assert!(
            (treaty_precision(&tied, &[Some(7), Some(7), Some(7), Some(9), None], 2).unwrap() - expected).abs() < 1e-12
        );
    }

    #[test]
    fn bootstrap_intervals_cover_the_gain_and_shrink_with_it() {
        // 200 pairs, 20 positive: one ranking puts every positive first, the other is the
        // reverse of it.
        let positive: Vec<bool> = (0..200).map(|i| i % 10 == 0).collect();
        let perfect: Vec<f64> = (0..200).map(|i| if positive[i] { 1000.0 + i as f64 } else { i as f64 }).collect();
        let reversed: Vec<f64> = perfect.iter().map(|s| -s).collect();
        let [auc_gain, precision_gain] =
            bootstrap_gain(&Ranking::new(&perfect), &Ranking::new(&reversed), &positive, 10, 200, 1);
        assert_eq!(auc_gain, (1.0, 1.0));
        assert_eq!(precision_gain, (1.0, 1.0));
        let [same, _] = bootstrap_gain(&Ranking::new(&perfect), &Ranking::new(&perfect), &positive, 10, 50, 1);
        assert_eq!(same, (0.0, 0.0));
    }
}
