//! Least squares on the probability simplex, min ‖y − X w‖² subject to w ≥ 0 and
//! Σ w = 1: the synthetic-control weights (Abadie, Diamond & Hainmueller 2010). The
//! problem is small (tens of donors, tens of years), convex and smooth, so accelerated
//! projected gradient (FISTA, Beck & Teboulle 2009, restarted when the objective rises)
//! with the exact Euclidean projection onto the simplex (Duchi et al. 2008) solves it to
//! machine precision in milliseconds.

const MAX_ITERATIONS: usize = 50_000;
const TOLERANCE: f64 = 1e-13;

/// The weights over `columns` (each a donor's series, all as long as `target`) whose
/// combination is closest to `target`.
pub(super) fn simplex_least_squares(columns: &[Vec<f64>], target: &[f64]) -> Vec<f64> {
    let k = columns.len();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let gram: Vec<f64> = (0..k * k).map(|ij| dot(&columns[ij / k], &columns[ij % k])).collect();
    let cross: Vec<f64> = columns.iter().map(|c| dot(c, target)).collect();
    let apply = |w: &[f64]| -> Vec<f64> { (0..k).map(|i| dot(&gram[i * k..(i + 1) * k], w)).collect() };
    // ‖y − Xw‖² up to the constant ‖y‖².
    let objective = |w: &[f64]| dot(w, &apply(w)) - 2.0 * dot(w, &cross);
    let step = 1.0 / (2.0 * largest_eigenvalue(&gram, k)).max(f64::MIN_POSITIVE);

    let mut w = vec![1.0 / k as f64; k];
    let mut z = w.clone();
    let mut momentum = 1.0_f64;
    let mut value = objective(&w);
    for _ in 0..MAX_ITERATIONS {
        let gradient = apply(&z);
        let moved: Vec<f64> = (0..k).map(|i| z[i] - step * 2.0 * (gradient[i] - cross[i])).collect();
        let next = project(&moved);
        let next_value = objective(&next);
        let change = next.iter().zip(&w).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        if next_value > value {
            // Momentum overshot: restart from the last iterate (O'Donoghue & Candès 2015).
            z.clone_from(&w);
            momentum = 1.0;
            continue;
        }
        let following = (1.0 + (1.0 + 4.0 * momentum * momentum).sqrt()) / 2.0;
        z = (0..k).map(|i| next[i] + (momentum - 1.0) / following * (next[i] - w[i])).collect();
        momentum = following;
        w = next;
        value = next_value;
        if change < TOLERANCE {
            break;
        }
    }
    w
}

/// The point of the simplex closest to `v`.
fn project(v: &[f64]) -> Vec<f64> {
    let mut sorted = v.to_vec();
    sorted.sort_unstable_by(|a, b| b.total_cmp(a));
    let (mut sum, mut threshold) = (0.0, 0.0);
    for (j, u) in sorted.iter().enumerate() {
        sum += u;
        let candidate = (sum - 1.0) / (j + 1) as f64;
        if u - candidate > 0.0 {
            threshold = candidate;
        }
    }
    v.iter().map(|x| (x - threshold).max(0.0)).collect()
}

/// The largest eigenvalue of a symmetric positive semi-definite matrix, by power iteration
/// (an overestimate by 1% keeps the step safe).
fn largest_eigenvalue(a: &[f64], k: usize) -> f64 {
    let mut x = vec![1.0; k];
    let mut lambda = 0.0;
    for _ in 0..200 {
        let y: Vec<f64> = (0..k).map(|i| (0..k).map(|j| a[i * k + j] * x[j]).sum()).collect();
        let norm = y.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 {
            return 0.0;
        }
        lambda = norm / x.iter().map(|v| v * v).sum::<f64>().sqrt();
        x = y.iter().map(|v| v / norm).collect();
    }
    1.01 * lambda
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_lands_on_the_simplex() {
        assert_eq!(project(&[0.2, 0.3, 0.5]), vec![0.2, 0.3, 0.5]);
        assert_eq!(project(&[2.0, 0.0]), vec![1.0, 0.0]);
        let p = project(&[0.5, 0.5, 0.5]);
        assert!(p.iter().all(|x| (x - 1.0 / 3.0).abs() < 1e-15));
        let p = project(&[-1.0, 3.0, 2.5]);
        assert_eq!(p[0], 0.0);
        assert!((p[1] - 0.75).abs() < 1e-15 && (p[2] - 0.25).abs() < 1e-15);
    }

    #[test]
    fn recovers_an_exact_convex_combination() {
        let a = vec![1.0, 2.0, 4.0, 3.0, 5.0];
        let b = vec![6.0, 5.0, 5.5, 7.0, 8.0];
        let far = vec![40.0, -10.0, 25.0, 0.0, 13.0];
        let target: Vec<f64> = a.iter().zip(&b).map(|(x, y)| 0.3 * x + 0.7 * y).collect();
        let w = simplex_least_squares(&[a, b, far], &target);
        assert!((w[0] - 0.3).abs() < 1e-6 && (w[1] - 0.7).abs() < 1e-6 && w[2] < 1e-6, "{w:?}");
    }

    #[test]
    fn the_solution_meets_the_optimality_conditions() {
        // A target outside the donors' hull: the optimum sits on a face of the simplex.
        // KKT: the gradient is the same (μ) on every donor with weight, at least μ elsewhere.
        let mut rng = super::super::tests::Rng(3);
        let columns: Vec<Vec<f64>> = (0..12).map(|_| (0..8).map(|_| rng.normal()).collect()).collect();
        let target: Vec<f64> = (0..8).map(|_| 3.0 * rng.normal()).collect();
        let w = simplex_least_squares(&columns, &target);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12 && w.iter().all(|&x| x >= 0.0));
        let residual: Vec<f64> =
            (0..8).map(|t| target[t] - columns.iter().zip(&w).map(|(c, wi)| wi * c[t]).sum::<f64>()).collect();
        let gradient: Vec<f64> =
            columns.iter().map(|c| -2.0 * c.iter().zip(&residual).map(|(x, r)| x * r).sum::<f64>()).collect();
        let active: Vec<usize> = (0..12).filter(|&i| w[i] > 1e-9).collect();
        let mu = gradient[active[0]];
        for (i, &g) in gradient.iter().enumerate() {
            if active.contains(&i) {
                assert!((g - mu).abs() < 1e-6, "donor {i}: {g} vs {mu}");
            } else {
                assert!(g >= mu - 1e-6, "donor {i}: {g} < {mu}");
            }
        }
    }
}
