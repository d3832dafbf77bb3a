//! The little dense linear algebra the regression needs: the inverse of a symmetric
//! positive semi-definite cross-product matrix, dropping linearly dependent columns as
//! Stata's `_rmcoll` does rather than failing or returning noise.

/// A column whose Cholesky pivot falls below this share of its diagonal is a linear
/// combination of the earlier columns (up to rounding).
const COLLINEAR: f64 = 1e-9;

/// The columns kept and the inverse of `a` (n × n, row-major) restricted to them. Columns
/// are considered in order, and each one dependent on those kept before it is dropped, so
/// callers put the columns they would rather lose last.
pub(super) fn inverse_dropping_collinear(a: &[f64], n: usize) -> (Vec<usize>, Vec<f64>) {
    // Cholesky, column by column, skipping dependent columns: l is n × n but only the
    // kept rows and columns are filled.
    let mut l = vec![0.0_f64; n * n];
    let mut kept: Vec<usize> = Vec::new();
    for j in 0..n {
        let pivot = a[j * n + j] - kept.iter().map(|&k| l[j * n + k].powi(2)).sum::<f64>();
        if a[j * n + j] <= 0.0 || pivot <= COLLINEAR * a[j * n + j] {
            continue;
        }
        let d = pivot.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            l[i * n + j] = (a[i * n + j] - kept.iter().map(|&k| l[i * n + k] * l[j * n + k]).sum::<f64>()) / d;
        }
        kept.push(j);
    }

    // Invert the kept factor L (m × m, lower triangular) by forward substitution, then
    // A⁻¹ = L⁻ᵀ L⁻¹.
    let m = kept.len();
    let factor = |r: usize, c: usize| l[kept[r] * n + kept[c]];
    let mut l_inv = vec![0.0; m * m];
    for c in 0..m {
        l_inv[c * m + c] = 1.0 / factor(c, c);
        for r in c + 1..m {
            let s: f64 = (c..r).map(|k| factor(r, k) * l_inv[k * m + c]).sum();
            l_inv[r * m + c] = -s / factor(r, r);
        }
    }
    let mut inverse = vec![0.0; m * m];
    for r in 0..m {
        for c in 0..=r {
            let s: f64 = (r..m).map(|k| l_inv[k * m + r] * l_inv[k * m + c]).sum();
            inverse[r * m + c] = s;
            inverse[c * m + r] = s;
        }
    }
    (kept, inverse)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn inverts_a_positive_definite_matrix() {
        let a = [4.0, 2.0, 0.6, 2.0, 2.0, 0.4, 0.6, 0.4, 3.0];
        let (kept, inv) = inverse_dropping_collinear(&a, 3);
        assert_eq!(kept, [0, 1, 2]);
        let product: Vec<f64> =
            (0..9).map(|rc| (0..3).map(|k| a[(rc / 3) * 3 + k] * inv[k * 3 + rc % 3]).sum()).collect();
        assert!(close(&product, &[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]), "{product:?}");
    }

    #[test]
    fn drops_a_dependent_column_and_an_empty_one() {
        // Columns of X = [x1, x2, x1 + x2, 0]: the third and fourth carry nothing new.
        let x = [[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 2.0, 0.0], [2.0, -1.0, 1.0, 0.0]];
        let a: Vec<f64> = (0..16).map(|rc| x.iter().map(|row| row[rc / 4] * row[rc % 4]).sum()).collect();
        let (kept, inv) = inverse_dropping_collinear(&a, 4);
        assert_eq!(kept, [0, 1]);
        // X'X of the kept columns is [[6, -1], [-1, 3]], whose inverse is [[3, 1], [1, 6]] / 17.
        assert!(close(&inv, &[3.0 / 17.0, 1.0 / 17.0, 1.0 / 17.0, 6.0 / 17.0]), "{inv:?}");
    }
}
