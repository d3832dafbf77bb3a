//! Logistic regression on standardised inputs with an L2 penalty on the slopes, fitted by
//! Newton's method (iteratively reweighted least squares). The penalty keeps the fit
//! finite where a feature separates the classes or never varies (exercises before MME's
//! first year).

/// A fitted model: `P(y) = σ(intercept + Σ slope_k · (x_k − mean_k) / sd_k)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fit {
    pub(crate) mean: Vec<f64>,
    /// Population standard deviations; a constant column has 1, so its standardised
    /// value is always 0 and its slope stays 0.
    pub(crate) sd: Vec<f64>,
    pub(crate) slopes: Vec<f64>,
    pub(crate) intercept: f64,
}

const MAX_ITERATIONS: usize = 100;
const TOLERANCE: f64 = 1e-9;
const MAX_HALVINGS: usize = 40;

/// Fits rows `x` (row-major, `p` columns) to outcomes `y`, each row counting `weights[i]`
/// times; `l2` is the penalty λ in `loglik − λ/2 · Σ slope²` (on the standardised scale;
/// the intercept is free).
pub(crate) fn fit(x: &[f64], p: usize, y: &[bool], weights: &[f64], l2: f64) -> Fit {
    let n = y.len();
    assert_eq!(x.len(), n * p, "rows and outcomes disagree");
    let (mean, sd) = moments(x, p);
    let q = p + 1;
    // Standardised rows with a leading 1 for the intercept.
    let z: Vec<f64> = x
        .chunks_exact(p)
        .flat_map(|row| std::iter::once(1.0).chain((0..p).map(|k| (row[k] - mean[k]) / sd[k])))
        .collect();
    // Coefficients with the intercept first; start from the base rate.
    let mut beta = vec![0.0; q];
    let rate = (y.iter().filter(|&&v| v).count() as f64 + 0.5) / (n as f64 + 1.0);
    beta[0] = (rate / (1.0 - rate)).ln();
    let mut hessian = vec![0.0; q * q];
    let mut gradient = vec![0.0; q];
    for _ in 0..MAX_ITERATIONS {
        hessian.fill(0.0);
        gradient.fill(0.0);
        for ((row, &outcome), &weight) in z.chunks_exact(q).zip(y).zip(weights) {
            let mu = sigmoid(dot(&beta, row));
            let w = weight * mu * (1.0 - mu);
            let residual = weight * (f64::from(u8::from(outcome)) - mu);
            // Lower triangle only: the solver reads no more.
            for (a, &xa) in row.iter().enumerate() {
                gradient[a] += xa * residual;
                let wa = w * xa;
                hessian[a * q..=a * q + a].iter_mut().zip(&row[..=a]).for_each(|(h, &xb)| *h += wa * xb);
            }
        }
        for a in 1..q {
            gradient[a] -= l2 * beta[a];
            hessian[a * q + a] += l2;
        }
        let mut step = solve_spd(&mut hessian, &gradient, q);
        // A full Newton step can overshoot where weights are tiny (near-separation):
        // halve it until the penalised likelihood no longer falls.
        let current = objective(&z, q, y, weights, &beta, l2);
        let mut trial = beta.clone();
        for _ in 0..MAX_HALVINGS {
            trial.iter_mut().zip(&beta).zip(&step).for_each(|((t, b), s)| *t = b + s);
            if objective(&z, q, y, weights, &trial, l2) >= current {
                break;
            }
            step.iter_mut().for_each(|s| *s /= 2.0);
        }
        beta.copy_from_slice(&trial);
        if step.iter().all(|s| s.abs() < TOLERANCE) {
            break;
        }
    }
    Fit { mean, sd, intercept: beta[0], slopes: beta.split_off(1) }
}

/// The penalised weighted log-likelihood `Σ w·(y·η − ln(1 + e^η)) − λ/2 · Σ slope²` over
/// rows `z` that lead with the intercept's 1.
fn objective(z: &[f64], q: usize, y: &[bool], weights: &[f64], beta: &[f64], l2: f64) -> f64 {
    let loglik: f64 = z
        .chunks_exact(q)
        .zip(y)
        .zip(weights)
        .map(|((row, &outcome), &weight)| {
            let eta = dot(beta, row);
            // ln(1 + e^η) without overflow.
            let softplus = eta.max(0.0) + (-eta.abs()).exp().ln_1p();
            weight * if outcome { eta - softplus } else { -softplus }
        })
        .sum();
    loglik - 0.5 * l2 * beta[1..].iter().map(|b| b * b).sum::<f64>()
}

pub(crate) fn sigmoid(t: f64) -> f64 {
    1.0 / (1.0 + (-t).exp())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn moments(x: &[f64], p: usize) -> (Vec<f64>, Vec<f64>) {
    let n = (x.len() / p).max(1) as f64;
    let mut mean = vec![0.0; p];
    for row in x.chunks_exact(p) {
        mean.iter_mut().zip(row).for_each(|(m, v)| *m += v / n);
    }
    let mut var = vec![0.0; p];
    for row in x.chunks_exact(p) {
        var.iter_mut().zip(row).zip(&mean).for_each(|((s, v), m)| *s += (v - m).powi(2) / n);
    }
    let sd = var.iter().map(|v| if *v > 1e-24 { v.sqrt() } else { 1.0 }).collect();
    (mean, sd)
}

/// Solves `A s = g` for symmetric positive definite `A` given by its lower triangle
/// (row-major `q × q`, overwritten by its Cholesky factor).
fn solve_spd(a: &mut [f64], g: &[f64], q: usize) -> Vec<f64> {
    for j in 0..q {
        let d = a[j * q + j] - (0..j).map(|k| a[j * q + k] * a[j * q + k]).sum::<f64>();
        // The penalty makes every slope's diagonal at least λ; the intercept's is Σ w > 0.
        let d = d.max(1e-300).sqrt();
        a[j * q + j] = d;
        for i in j + 1..q {
            let s = a[i * q + j] - (0..j).map(|k| a[i * q + k] * a[j * q + k]).sum::<f64>();
            a[i * q + j] = s / d;
        }
    }
    let mut s = g.to_vec();
    for i in 0..q {
        s[i] = (s[i] - (0..i).map(|k| a[i * q + k] * s[k]).sum::<f64>()) / a[i * q + i];
    }
    for i in (0..q).rev() {
        s[i] = (s[i] - (i + 1..q).map(|k| a[k * q + i] * s[k]).sum::<f64>()) / a[i * q + i];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::tests::Rng;

    #[test]
    fn recovers_known_coefficients_on_simulated_data() {
        // y ~ Bernoulli(σ(−1 + 0.8·x1 − 1.5·x2 + 0·x3)), x1 ~ N(0, 2²), x2 ~ N(1, 0.5²).
        let truth = [0.8, -1.5, 0.0];
        let mut rng = Rng(7);
        let n = 40_000;
        let mut x = Vec::with_capacity(3 * n);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let row = [2.0 * rng.normal(), 1.0 + 0.5 * rng.normal(), rng.normal()];
            let eta = -1.0 + truth.iter().zip(&row).map(|(b, v)| b * v).sum::<f64>();
            y.push(rng.uniform() < sigmoid(eta));
            x.extend(row);
        }
        let fit = fit(&x, 3, &y, &vec![1.0; n], 1e-6);
        // Back to the raw scale: slope / sd, intercept − Σ slope·mean / sd.
        let raw: Vec<f64> = (0..3).map(|k| fit.slopes[k] / fit.sd[k]).collect();
        let intercept = fit.intercept - (0..3).map(|k| raw[k] * fit.mean[k]).sum::<f64>();
        for (got, want) in raw.iter().zip(truth) {
            assert!((got - want).abs() < 0.05, "slope {got} vs {want}");
        }
        assert!((intercept + 1.0).abs() < 0.06, "intercept {intercept}");
    }

    #[test]
    fn separation_and_constant_columns_stay_finite() {
        // x1 separates the classes perfectly; x2 never varies.
        let x = [0.0, 5.0, 1.0, 5.0, 2.0, 5.0, 3.0, 5.0];
        let y = [false, false, true, true];
        let fit = fit(&x, 2, &y, &[1.0; 4], 1.0);
        assert!(fit.slopes[0].is_finite() && fit.slopes[0] > 0.0);
        assert_eq!(fit.slopes[1], 0.0);
        assert_eq!((fit.mean[1], fit.sd[1]), (5.0, 1.0));
    }

    #[test]
    fn cholesky_solves_a_small_system() {
        // [[4, 2], [2, 3]] s = [2, 1] → s = (0.5, 0).
        let mut a = [4.0, 0.0, 2.0, 3.0];
        let s = solve_spd(&mut a, &[2.0, 1.0], 2);
        assert!((s[0] - 0.5).abs() < 1e-12 && s[1].abs() < 1e-12);
    }
}
