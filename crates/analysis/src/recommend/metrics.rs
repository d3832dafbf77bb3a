//! Ranking quality. Both measures treat tied scores fairly, as a random order among the
//! tied would on average: the baselines score most pairs 0, and an arbitrary order among
//! those would flatter or punish them by chance.

/// Area under the ROC curve: the Mann–Whitney probability that a random positive
/// outscores a random negative, ties counted half. `None` without positives or without
/// negatives.
pub fn auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    let order = ascending(scores);
    let (mut wins, mut negatives_below) = (0.0, 0.0);
    let (mut positives, mut negatives) = (0.0, 0.0);
    for group in order.chunk_by(|&a, &b| scores[a] == scores[b]) {
        let pos = group.iter().filter(|&&i| positive[i]).count() as f64;
        let neg = group.len() as f64 - pos;
        wins += pos * negatives_below + 0.5 * pos * neg;
        negatives_below += neg;
        positives += pos;
        negatives += neg;
    }
    (positives > 0.0 && negatives > 0.0).then(|| wins / (positives * negatives))
}

/// Share of positives among the `k` best scores (among all, when fewer than `k`). A
/// group tied across the cut fills the remaining places with its share of positives.
/// `None` when `k` or the list is empty.
pub fn precision_at_k(scores: &[f64], positive: &[bool], k: usize) -> Option<f64> {
    let k = k.min(scores.len());
    if k == 0 {
        return None;
    }
    let mut order = ascending(scores);
    order.reverse();
    let (mut hits, mut left) = (0.0, k);
    for group in order.chunk_by(|&a, &b| scores[a] == scores[b]) {
        let pos = group.iter().filter(|&&i| positive[i]).count() as f64;
        let taken = left.min(group.len());
        hits += pos * taken as f64 / group.len() as f64;
        left -= taken;
        if left == 0 {
            break;
        }
    }
    Some(hits / k as f64)
}

fn ascending(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    order
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
}
