//! Alliance-portfolio similarity per directed dyad-year (FIELD.md §3–4), under the column
//! names of the published FPSIM data.
//!
//! A state's portfolio is its row of valued ties (3 defense/offense, 2 neutrality or
//! consultation, 1 nonaggression, 0 none) toward every system member that year, itself
//! included with 3. Every unweighted measure is a function of the 4×4 table counting the
//! positions k at which the two rows hold values (a, b); rows are sparse, so that table
//! is filled from the two rows' nonzero entries in O(allies), not O(N).
//!
//! Undefined values: when the two portfolios are identical every measure is 1; otherwise
//! a measure whose denominator is 0 (a constant portfolio for tau-b) is null, as R's NaN.

use std::sync::Arc;

use arrow_array::builder::Float64Builder;
use arrow_array::{ArrayRef, Int32Array, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use rayon::prelude::*;

use crate::panel::{Capabilities, DyadTable, System, SystemYear};

/// The measures, in output order, under their FPSIM names (plus the value-weighted kappa
/// variants, `kallyv_values` and `kallyb_values`).
pub const MEASURES: [&str; 13] = [
    "sallyvus",
    "sallyvua",
    "sallybus",
    "sallybua",
    "sallyvwa",
    "sallybwa",
    "pallyv",
    "pallyb",
    "kallyv",
    "kallyb",
    "taub",
    "kallyv_values",
    "kallyb_values",
];

/// The positions of the key columns (`ccode1`, `ccode2`, `year`) and of the measures named
/// in `names`, for a table of only those; `None` (every column) when none is named.
pub fn columns<S: AsRef<str>>(names: &[S]) -> Result<Option<Vec<usize>>, String> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut columns = vec![0, 1, 2];
    for name in names {
        let name = name.as_ref().trim();
        let at = MEASURES
            .iter()
            .position(|m| *m == name)
            .ok_or_else(|| format!("unknown measure `{name}`; choose from {}", MEASURES.join(", ")))?;
        columns.push(3 + at);
    }
    Ok(Some(columns))
}

/// Counts of positions k with (x_k, y_k) = (a, b), for values 0..=3.
pub type Table = [[u32; 4]; 4];

/// The value-0..3 table collapsed to binary ties (1 if valued ≥ 1).
pub fn binary(t: &Table) -> Table {
    let mut b = [[0u32; 4]; 4];
    for (a, row) in t.iter().enumerate() {
        for (c, &n) in row.iter().enumerate() {
            b[usize::from(a > 0)][usize::from(c > 0)] += n;
        }
    }
    b
}

fn identical(t: &Table) -> bool {
    (0..4).all(|a| (0..4).all(|b| a == b || t[a][b] == 0))
}

fn margins(t: &Table) -> ([f64; 4], [f64; 4]) {
    let mut r = [0.0; 4];
    let mut c = [0.0; 4];
    for a in 0..4 {
        for b in 0..4 {
            r[a] += f64::from(t[a][b]);
            c[b] += f64::from(t[a][b]);
        }
    }
    (r, c)
}

fn total(t: &Table) -> f64 {
    t.iter().flatten().map(|&n| f64::from(n)).sum()
}

/// Signorino–Ritter S: 1 − 2·Σ|x−y| / (N·d), or with squared distances 1 − 2·Σ(x−y)² / (N·d²).
// The table's indices are the tie values themselves: index loops say so best.
#[allow(clippy::needless_range_loop)]
pub fn s_unweighted(t: &Table, d: f64, squared: bool) -> f64 {
    let mut sum = 0.0;
    for a in 0..4 {
        for b in 0..4 {
            let diff = (a as f64 - b as f64).abs();
            sum += f64::from(t[a][b]) * if squared { diff * diff } else { diff };
        }
    }
    let scale = if squared { d * d } else { d };
    1.0 - 2.0 * sum / (total(t) * scale)
}

/// Scott's pi: agreement beyond what the pooled distribution of both rows predicts.
pub fn scotts_pi(t: &Table) -> Option<f64> {
    if identical(t) {
        return Some(1.0);
    }
    let n = total(t);
    let (r, c) = margins(t);
    let p_o: f64 = (0..4).map(|a| f64::from(t[a][a])).sum::<f64>() / n;
    let p_e: f64 = (0..4).map(|k| ((r[k] + c[k]) / (2.0 * n)).powi(2)).sum();
    ratio(p_o - p_e, 1.0 - p_e)
}

/// Weighted kappa with quadratic agreement weights (Cohen 1968), expected agreement from
/// each row's own margins. `observed_levels`: weights `1 − (i−j)²/(L−1)²` on the positions
/// of the categories observed in the pair, as R's psych::cohen.kappa (and so FPSIM);
/// otherwise on the values themselves, `1 − (a−b)²/d²`.
pub fn cohens_kappa(t: &Table, d: usize, observed_levels: bool) -> Option<f64> {
    if identical(t) {
        return Some(1.0);
    }
    let n = total(t);
    let (r, c) = margins(t);
    let mut position = [0usize; 4];
    let mut levels = 0;
    for k in 0..4 {
        if r[k] + c[k] > 0.0 {
            position[k] = levels;
            levels += 1;
        }
    }
    let span = if observed_levels { levels.saturating_sub(1) } else { d } as f64;
    let weight = |a: usize, b: usize| {
        let gap = if observed_levels { position[a] as f64 - position[b] as f64 } else { a as f64 - b as f64 };
        1.0 - gap * gap / (span * span)
    };
    let (mut p_o, mut p_e) = (0.0, 0.0);
    for a in 0..4 {
        for b in 0..4 {
            if r[a] == 0.0 && c[b] == 0.0 {
                continue;
            }
            let w = weight(a, b);
            p_o += w * f64::from(t[a][b]) / n;
            p_e += w * (r[a] / n) * (c[b] / n);
        }
    }
    ratio(p_o - p_e, 1.0 - p_e)
}

/// Kendall's tau-b between the two rows (Bueno de Mesquita 1975).
// The table's indices are the tie values themselves: index loops say so best.
#[allow(clippy::needless_range_loop)]
pub fn tau_b(t: &Table) -> Option<f64> {
    if identical(t) {
        return Some(1.0);
    }
    let n = total(t);
    let (r, c) = margins(t);
    let (mut concordant, mut discordant) = (0.0, 0.0);
    for a in 0..4 {
        for b in 0..4 {
            let here = f64::from(t[a][b]);
            if here == 0.0 {
                continue;
            }
            for a2 in a + 1..4 {
                for b2 in 0..4 {
                    let there = f64::from(t[a2][b2]);
                    if b2 > b {
                        concordant += here * there;
                    } else if b2 < b {
                        discordant += here * there;
                    }
                }
            }
        }
    }
    let pairs = n * (n - 1.0) / 2.0;
    let ties_x: f64 = r.iter().map(|&k| k * (k - 1.0) / 2.0).sum();
    let ties_y: f64 = c.iter().map(|&k| k * (k - 1.0) / 2.0).sum();
    ratio(concordant - discordant, ((pairs - ties_x) * (pairs - ties_y)).sqrt())
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den.abs() > 1e-12).then(|| num / den)
}

/// Valued portfolios of one year: row i is state i's tie toward every member (positions
/// as in the [`SystemYear`]).
pub struct Portfolios {
    n: usize,
    values: Vec<u8>,
    /// Nonzero positions of each row.
    nonzero: Vec<Vec<u32>>,
    weights: Vec<f64>,
    weight_total: f64,
}

impl Portfolios {
    /// The portfolios of year `y`; `capabilities` weigh the weighted measures (none: 0).
    pub fn new(y: &SystemYear, dyads: &DyadTable, capabilities: Option<&Capabilities>) -> Self {
        let n = y.ccodes.len();
        let mut values = vec![0u8; n * n];
        for i in 0..n {
            values[i * n + i] = 3;
        }
        for k in dyads.year_range(y.year) {
            let (_, a, b) = dyads.keys[k];
            if let (Some(i), Some(j)) = (y.position(a), y.position(b)) {
                values[i * n + j] = dyads.ties[k].obligations.tie_value();
            }
        }
        let nonzero = (0..n).map(|i| (0..n).filter(|&k| values[i * n + k] > 0).map(|k| k as u32).collect()).collect();
        // A state without a CINC score that year weighs nothing.
        let weights: Vec<f64> = match capabilities {
            Some(c) => y.ccodes.iter().map(|&s| c.get(s, y.year).and_then(|r| r.cinc).unwrap_or(0.0)).collect(),
            None => vec![0.0; n],
        };
        let weight_total = weights.iter().sum();
        Portfolios { n, values, nonzero, weights, weight_total }
    }

    /// The contingency table of rows i and j and the CINC-weighted absolute distances
    /// (valued, binary).
    fn compare(&self, i: usize, j: usize) -> (Table, f64, f64) {
        let (x, y) = (&self.values[i * self.n..(i + 1) * self.n], &self.values[j * self.n..(j + 1) * self.n]);
        let mut t = [[0u32; 4]; 4];
        let mut seen = 0u32;
        let (mut wv, mut wb) = (0.0, 0.0);
        let mut visit = |k: usize| {
            let (a, b) = (x[k], y[k]);
            t[usize::from(a)][usize::from(b)] += 1;
            seen += 1;
            let w = self.weights[k];
            wv += w * f64::from(a.abs_diff(b));
            wb += w * f64::from(u8::from(a > 0) ^ u8::from(b > 0));
        };
        for &k in &self.nonzero[i] {
            visit(k as usize);
        }
        for &k in &self.nonzero[j] {
            if x[k as usize] == 0 {
                visit(k as usize);
            }
        }
        t[0][0] += self.n as u32 - seen;
        (t, wv, wb)
    }

    /// Valued Signorino–Ritter S (absolute distances, `sallyvua`) between members at
    /// positions `i` and `j`.
    pub fn valued_s(&self, i: usize, j: usize) -> f64 {
        s_unweighted(&self.compare(i, j).0, 3.0, false)
    }
}

/// All measures for the members at positions `i` and `j` of one year, in [`MEASURES`]
/// order (for one dyad's series; [`dyad_years`] computes every dyad).
pub fn pair_measures(p: &Portfolios, i: usize, j: usize) -> [Option<f64>; 13] {
    measures(p, i, j)
}

/// All measures for one directed dyad, in [`MEASURES`] order.
fn measures(p: &Portfolios, i: usize, j: usize) -> [Option<f64>; 13] {
    let (t, wv, wb) = p.compare(i, j);
    let b = binary(&t);
    let weighted = |dist: f64, d: f64| (p.weight_total > 0.0).then(|| 1.0 - 2.0 * (dist / p.weight_total) / d);
    [
        Some(s_unweighted(&t, 3.0, true)),
        Some(s_unweighted(&t, 3.0, false)),
        Some(s_unweighted(&b, 1.0, true)),
        Some(s_unweighted(&b, 1.0, false)),
        weighted(wv, 3.0),
        weighted(wb, 1.0),
        scotts_pi(&t),
        scotts_pi(&b),
        cohens_kappa(&t, 3, true),
        cohens_kappa(&b, 1, true),
        tau_b(&t),
        cohens_kappa(&t, 3, false),
        cohens_kappa(&b, 1, false),
    ]
}

pub fn schema() -> SchemaRef {
    let mut fields = vec![
        Field::new("ccode1", DataType::Int32, false),
        Field::new("ccode2", DataType::Int32, false),
        Field::new("year", DataType::Int32, false),
    ];
    fields.extend(MEASURES.iter().map(|m| Field::new(*m, DataType::Float64, true)));
    Arc::new(Schema::new(fields))
}

/// One year's similarity rows: every directed dyad of the state system (same-day rule).
fn year_batch(
    y: &SystemYear,
    dyads: &DyadTable,
    capabilities: Option<&Capabilities>,
    schema: &SchemaRef,
) -> Result<RecordBatch, ArrowError> {
    let p = Portfolios::new(y, dyads, capabilities);
    let (mut c1, mut c2, mut years) = (Vec::new(), Vec::new(), Vec::new());
    let mut cols: Vec<Float64Builder> = (0..MEASURES.len()).map(|_| Float64Builder::with_capacity(p.n * p.n)).collect();
    for i in 0..p.n {
        for j in (0..p.n).filter(|&j| j != i && y.overlap(i, j)) {
            c1.push(i32::from(y.ccodes[i]));
            c2.push(i32::from(y.ccodes[j]));
            years.push(y.year);
            for (col, v) in cols.iter_mut().zip(measures(&p, i, j)) {
                col.append_option(v);
            }
        }
    }
    let mut arrays: Vec<ArrayRef> =
        vec![Arc::new(Int32Array::from(c1)), Arc::new(Int32Array::from(c2)), Arc::new(Int32Array::from(years))];
    arrays.extend(cols.iter_mut().map(|c| Arc::new(c.finish()) as ArrayRef));
    RecordBatch::try_new(schema.clone(), arrays)
}

/// Similarity for every directed dyad-year in `years`, computed in parallel a few years at
/// a time and handed to `sink` in year order.
pub fn dyad_years<E: From<ArrowError> + Send>(
    system: &System,
    dyads: &DyadTable,
    capabilities: Option<&Capabilities>,
    years: (i32, i32),
    mut sink: impl FnMut(RecordBatch) -> Result<(), E>,
) -> Result<(), E> {
    let schema = schema();
    let selected: Vec<&SystemYear> = system.years().iter().filter(|y| (years.0..=years.1).contains(&y.year)).collect();
    // Enough years in flight to keep every core busy, few enough to bound memory.
    let chunk = rayon::current_num_threads() * 4;
    for group in selected.chunks(chunk) {
        let batches: Vec<Result<RecordBatch, ArrowError>> =
            group.par_iter().map(|y| year_batch(y, dyads, capabilities, &schema)).collect();
        for b in batches {
            sink(b?)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of two rows given as values.
    fn table(x: &[u8], y: &[u8]) -> Table {
        let mut t = [[0u32; 4]; 4];
        for (&a, &b) in x.iter().zip(y) {
            t[usize::from(a)][usize::from(b)] += 1;
        }
        t
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("defined");
        assert!((a - b).abs() < 1e-12, "{a} != {b}");
    }

    // Worked by hand. x = (3,3,0,1), y = (3,0,3,1); N = 4.
    const X: [u8; 4] = [3, 3, 0, 1];
    const Y: [u8; 4] = [3, 0, 3, 1];

    #[test]
    fn s_by_hand() {
        let t = table(&X, &Y);
        // Σ|x−y| = 0+3+3+0 = 6: 1 − 12/12 = 0. Σ(x−y)² = 18: 1 − 36/36 = 0.
        close(Some(s_unweighted(&t, 3.0, false)), 0.0);
        close(Some(s_unweighted(&t, 3.0, true)), 0.0);
        // Binary (1,1,0,1) vs (1,0,1,1): Σ|x−y| = 2: 1 − 4/4 = 0.
        close(Some(s_unweighted(&binary(&t), 1.0, false)), 0.0);
        let t = table(&[3, 1, 0, 0], &[3, 0, 0, 0]);
        close(Some(s_unweighted(&t, 3.0, false)), 1.0 - 2.0 / 12.0);
        close(Some(s_unweighted(&t, 3.0, true)), 1.0 - 2.0 / 36.0);
    }

    #[test]
    fn scotts_pi_by_hand() {
        // Pooled codes: 3 ×4, 0 ×2, 1 ×2 of 8 → p_e = .25 + .0625 + .0625 = .375; p_o = .5.
        close(scotts_pi(&table(&X, &Y)), (0.5 - 0.375) / (1.0 - 0.375));
    }

    #[test]
    fn kappa_on_observed_levels_and_on_values_by_hand() {
        let t = table(&X, &Y);
        // Levels {0,1,3} at positions 0,1,2; weights 1 − (Δpos)²/4.
        // Margins: x: 3→2, 0→1, 1→1; y: 3→2, 0→1, 1→1 (each /4).
        let w = |a: f64, b: f64| 1.0 - (a - b).powi(2) / 4.0;
        let p = [(0.0, 0.25), (1.0, 0.25), (2.0, 0.5)]; // (position, share)
        let p_o = (w(2.0, 2.0) + w(2.0, 0.0) + w(0.0, 2.0) + w(1.0, 1.0)) / 4.0;
        let p_e: f64 = p.iter().flat_map(|&(pa, sa)| p.iter().map(move |&(pb, sb)| w(pa, pb) * sa * sb)).sum();
        close(cohens_kappa(&t, 3, true), (p_o - p_e) / (1.0 - p_e));
        let wv = |a: f64, b: f64| 1.0 - (a - b).powi(2) / 9.0;
        let v = [(0.0, 0.25), (1.0, 0.25), (3.0, 0.5)];
        let p_o = (wv(3.0, 3.0) + wv(3.0, 0.0) + wv(0.0, 3.0) + wv(1.0, 1.0)) / 4.0;
        let p_e: f64 = v.iter().flat_map(|&(a, sa)| v.iter().map(move |&(b, sb)| wv(a, b) * sa * sb)).sum();
        close(cohens_kappa(&t, 3, false), (p_o - p_e) / (1.0 - p_e));
    }

    #[test]
    fn tau_b_by_hand() {
        // Pairs of positions (6): (1,2) x 3>3? no... enumerate: k=(0,1): x 3,3 tie → tied in x.
        // (0,2): x 3>0, y 3=3 tie in y. (0,3): x 3>1, y 3>1 concordant. (1,2): x 3>0, y 0<3 discordant.
        // (1,3): x 3>1, y 0<1 discordant. (2,3): x 0<1, y 3>1 discordant.
        // C − D = 1 − 3 = −2; ties x: 1 pair; ties y: 1 pair: √((6−1)(6−1)) = 5.
        close(tau_b(&table(&X, &Y)), -0.4);
    }

    #[test]
    fn identical_portfolios_score_one_even_when_constant() {
        let t = table(&[3, 3], &[3, 3]);
        for v in [scotts_pi(&t), cohens_kappa(&t, 3, true), cohens_kappa(&t, 3, false), tau_b(&t)] {
            close(v, 1.0);
        }
        close(Some(s_unweighted(&t, 3.0, false)), 1.0);
    }

    #[test]
    fn tau_b_of_a_constant_portfolio_is_undefined() {
        assert_eq!(tau_b(&table(&[3, 3, 3], &[3, 0, 1])), None);
    }

    #[test]
    fn measures_are_symmetric_in_the_two_rows() {
        let x = [3, 0, 2, 1, 0, 3, 0];
        let y = [0, 3, 2, 0, 1, 3, 3];
        let (t, u) = (table(&x, &y), table(&y, &x));
        for (a, b) in [
            (scotts_pi(&t), scotts_pi(&u)),
            (cohens_kappa(&t, 3, true), cohens_kappa(&u, 3, true)),
            (tau_b(&t), tau_b(&u)),
        ] {
            close(a, b.unwrap());
        }
        close(Some(s_unweighted(&t, 3.0, true)), s_unweighted(&u, 3.0, true));
    }
}
