//! Callaway & Sant'Anna (2021): group-time average treatment effects on the treated,
//! aggregated by relative year.
//!
//! For the cohort that entered in year g and a year t, with the long difference
//! ΔY_i = Y_i(t) − Y_i(g−1),
//!
//! ```text
//! ATT(g, t) = mean ΔY over the cohort's states − mean ΔY over its comparison states
//! θ(e)      = Σ_g n_g · ATT(g, g+e) / Σ_g n_g        (n_g: the cohort's states observed)
//! ```
//!
//! State effects cancel in each long difference and year effects in the difference of
//! means. Pre-entry cells (t < g−1) use the same base year, so θ(e) for e < −1 shows
//! pre-trends rather than year-on-year changes.
//!
//! Inference: θ(e) is a smooth function of means over states, so its variance is the sum of
//! squared influences of the states (clustering by state: a state's influences across
//! cells and roles are added before squaring; with the panel's clusters, every state's of a
//! cluster). The treated-side influence is taken around
//! the pooled θ(e), which accounts for the estimated cohort weights as Callaway & Sant'Anna
//! do. Each mean's influence is scaled by √(n/(n−1)), so one cell's variance is Welch's
//! s²_T/n_T + s²_C/n_C. With a single treated state the treated side has no spread to
//! estimate from; its variance is taken from the comparison states' long differences
//! (exchangeable shocks), see [`Linear::lone`].

use std::collections::BTreeMap;

use super::design::{Sample, Treated};
use super::{
    post_weights, Caveat, Cohort, Estimate, Estimator, EventStudy, Exclusion, ExclusionReason, ImpactError, Panel,
    PreTrendTest, RelativeYear,
};

/// ATT(g, g+e) on the states observed in both the year and the base year.
struct Cell {
    relative_year: i32,
    /// (state, long difference) of the cohort's states.
    treated: Vec<(usize, f64)>,
    /// (state, long difference) of the comparison states, ascending by state.
    comparison: Vec<(usize, f64)>,
}

/// Fewer comparisons leave a cell's sampling variance unestimable.
const MIN_COMPARISONS: usize = 2;

pub(super) fn estimate(sample: &Sample) -> Result<EventStudy, ImpactError> {
    let panel = sample.panel;
    let Cells { cells, excluded, cohorts } = cells(sample)?;
    let states = panel.states().len();
    let mut by_relative_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (c, cell) in cells.iter().enumerate() {
        by_relative_year.entry(cell.relative_year).or_default().push(c);
    }
    let aggregates: BTreeMap<i32, Linear> =
        by_relative_year.iter().map(|(&e, at)| (e, Linear::relative_year(&cells, at, panel))).collect();

    let treated_seen = distinct(states, cells.iter().flat_map(|c| &c.treated));
    let comparison_seen = distinct(states, cells.iter().flat_map(|c| &c.comparison));
    let tally = |seen: &[bool]| seen.iter().filter(|&&b| b).count();
    let relative_years = sample
        .window
        .clone()
        .map(|e| {
            let (estimate, treated, comparison) = match (e, by_relative_year.get(&e)) {
                (-1, _) => (Some(Estimate::REFERENCE), tally(&treated_seen), tally(&comparison_seen)),
                (_, Some(at)) => (
                    Some(aggregates[&e].estimate(&cells)),
                    at.iter().map(|&c| cells[c].treated.len()).sum(),
                    tally(&distinct(states, at.iter().flat_map(|&c| &cells[c].comparison))),
                ),
                (_, None) => (None, 0, 0),
            };
            RelativeYear { relative_year: e, estimate, treated, comparison, reference: e == -1, binned: false }
        })
        .collect();

    let post = post_weights(&sample.window, |e| aggregates.contains_key(&e));
    let post_att = (!post.is_empty()).then(|| {
        Linear::combine(post.iter().map(|&(e, w)| (&aggregates[&e], w)), panel.cluster_count()).estimate(&cells)
    });
    let leads: Vec<(i32, &Linear)> = aggregates.iter().filter(|(&e, _)| e < -1).map(|(&e, a)| (e, a)).collect();
    let pre_trends = PreTrendTest::wald(leads.iter().map(|&(e, a)| (e, a.value)).collect(), |i, j| {
        leads[i].1.covariance(leads[j].1, &cells)
    });
    let ccodes = |seen: &[bool]| seen.iter().enumerate().filter(|(_, &b)| b).map(|(s, _)| panel.states()[s]).collect();
    let mut caveats = Vec::new();
    if aggregates.values().any(|a| !a.lone.is_empty()) {
        caveats.push(Caveat::BorrowedVariance);
    }
    Ok(EventStudy {
        estimator: Estimator::CallawaySantAnna,
        comparison_group: sample.rule,
        relative_years,
        post_att,
        pre_trends,
        treated_states: ccodes(&treated_seen),
        comparison_states: ccodes(&comparison_seen),
        excluded,
        cohorts,
        caveats,
    }
    .with_pre_trend_caveat())
}

/// Every estimable ATT(g, g+e) of the window, the treated states that contribute to none,
/// and each cohort's sample.
struct Cells {
    cells: Vec<Cell>,
    excluded: Vec<Exclusion>,
    cohorts: Vec<Cohort>,
}

fn cells(sample: &Sample) -> Result<Cells, ImpactError> {
    let panel = sample.panel;
    let (first, last) = panel.years();
    let mut by_entry: BTreeMap<i32, Vec<Treated>> = BTreeMap::new();
    for &treated in &sample.treated {
        by_entry.entry(treated.entry).or_default().push(treated);
    }

    let mut cells = Vec::new();
    let mut excluded = Vec::new();
    let mut cohorts = Vec::new();
    let (mut any_pre_period, mut any_comparison) = (false, false);
    for (&g, members) in &by_entry {
        let exclude = |state: usize, reason| Exclusion { state: panel.states()[state], entry: g, reason };
        let mut cohort = Cohort {
            entry: g,
            states: members.iter().map(|m| panel.states()[m.state]).collect(),
            contributing: 0,
            comparisons: 0,
        };
        if g <= first {
            excluded.extend(members.iter().map(|m| exclude(m.state, ExclusionReason::NoPrePeriod)));
            cohorts.push(cohort);
            continue;
        }
        any_pre_period = true;
        let base = g - 1;
        let with_base = |states: &mut dyn Iterator<Item = usize>| -> Vec<(usize, f64)> {
            states.filter_map(|s| Some((s, panel.outcome(s, base)?))).collect()
        };
        let treated_base = with_base(&mut members.iter().map(|m| m.state));
        let comparison_base = with_base(&mut sample.pool.iter().copied());
        // Per treated state with a base year: observed in some year of the window, used in a cell.
        let (mut observed, mut used) = (vec![false; treated_base.len()], vec![false; treated_base.len()]);
        for e in sample.window.clone().filter(|&e| e != -1) {
            let t = g + e;
            if t < first || t > last {
                continue;
            }
            any_comparison |= sample.pool.iter().any(|&j| sample.is_comparison(j, g, t));
            let long_differences = |based: &mut dyn Iterator<Item = &(usize, f64)>| -> Vec<(usize, f64)> {
                based.filter_map(|&(s, y_base)| Some((s, panel.outcome(s, t)? - y_base))).collect()
            };
            let usable = |s: usize| members.iter().any(|m| m.state == s && m.usable(t));
            let treated = long_differences(&mut treated_base.iter().filter(|(s, _)| usable(*s)));
            let comparison =
                long_differences(&mut comparison_base.iter().filter(|&&(j, _)| sample.is_comparison(j, g, t)));
            cohort.comparisons = cohort.comparisons.max(comparison.len());
            for (k, (s, _)) in treated_base.iter().enumerate() {
                let seen = treated.iter().any(|(i, _)| i == s);
                observed[k] |= seen;
                used[k] |= seen && comparison.len() >= MIN_COMPARISONS;
            }
            if treated.is_empty() || comparison.len() < MIN_COMPARISONS {
                continue;
            }
            cells.push(Cell { relative_year: e, treated, comparison });
        }
        for m in members {
            let reason = match treated_base.iter().position(|&(i, _)| i == m.state) {
                None => Some(ExclusionReason::MissingBaseOutcome),
                Some(k) if used[k] => None,
                Some(k) if observed[k] => Some(ExclusionReason::TooFewComparisons),
                Some(_) => Some(ExclusionReason::NoUsableCell),
            };
            match reason {
                Some(reason) => excluded.push(exclude(m.state, reason)),
                None => cohort.contributing += 1,
            }
        }
        cohorts.push(cohort);
    }
    if cells.is_empty() {
        return Err(if !any_pre_period {
            ImpactError::NoPrePeriod
        } else if !any_comparison {
            ImpactError::NoComparisonUnits
        } else {
            ImpactError::NothingEstimable
        });
    }
    Ok(Cells { cells, excluded, cohorts })
}

/// Which of the panel's states appear among `members`.
fn distinct<'a>(states: usize, members: impl Iterator<Item = &'a (usize, f64)>) -> Vec<bool> {
    let mut seen = vec![false; states];
    members.for_each(|&(s, _)| seen[s] = true);
    seen
}

fn mean(values: &[(usize, f64)]) -> f64 {
    values.iter().map(|&(_, y)| y).sum::<f64>() / values.len() as f64
}

/// An estimate that is linear in the states' long differences, with what its variance needs.
struct Linear {
    value: f64,
    /// Each cluster's influence (the sum over its states); their squares sum to the
    /// variance.
    influence: Vec<f64>,
    /// (treated state, cell, weight) for cells whose relative year has one treated state
    /// only: its own shock cannot be told from its effect, so its variance is borrowed from
    /// the cell's comparison states, assuming the treated state's shocks are drawn like
    /// theirs (in the spirit of Conley & Taber 2011).
    lone: Vec<(usize, usize, f64)>,
}

impl Linear {
    /// θ(e) from the cells `at` of one relative year.
    fn relative_year(cells: &[Cell], at: &[usize], panel: &Panel) -> Linear {
        let n = at.iter().map(|&c| cells[c].treated.len()).sum::<usize>() as f64;
        let comparison_means: Vec<f64> = at.iter().map(|&c| mean(&cells[c].comparison)).collect();
        let value = at
            .iter()
            .zip(&comparison_means)
            .map(|(&c, &m)| cells[c].treated.iter().map(|&(_, dy)| dy - m).sum::<f64>())
            .sum::<f64>()
            / n;
        let mut influence = vec![0.0; panel.cluster_count()];
        for (&c, &m) in at.iter().zip(&comparison_means) {
            let cell = &cells[c];
            // Around the pooled θ(e), not the cell's ATT: the cohort weights are estimated.
            if n > 1.0 {
                let scale = 1.0 / (n * (n - 1.0)).sqrt();
                for &(s, dy) in &cell.treated {
                    influence[panel.cluster(s)] += (dy - m - value) * scale;
                }
            }
            let k = cell.comparison.len() as f64;
            let scale = cell.treated.len() as f64 / n / (k * (k - 1.0)).sqrt();
            for &(s, dy) in &cell.comparison {
                influence[panel.cluster(s)] -= (dy - m) * scale;
            }
        }
        let lone = if n == 1.0 { vec![(cells[at[0]].treated[0].0, at[0], 1.0)] } else { Vec::new() };
        Linear { value, influence, lone }
    }

    /// Σ w·θ(e) over `parts`.
    fn combine<'a>(parts: impl Iterator<Item = (&'a Linear, f64)>, clusters: usize) -> Linear {
        let mut sum = Linear { value: 0.0, influence: vec![0.0; clusters], lone: Vec::new() };
        for (part, w) in parts {
            sum.value += w * part.value;
            sum.influence.iter_mut().zip(&part.influence).for_each(|(a, b)| *a += w * b);
            sum.lone.extend(part.lone.iter().map(|&(s, c, v)| (s, c, w * v)));
        }
        sum
    }

    fn estimate(&self, cells: &[Cell]) -> Estimate {
        let clustered: f64 = self.influence.iter().map(|x| x * x).sum();
        // Pairwise-complete covariances need not form a positive semi-definite matrix.
        Estimate::new(self.value, (clustered + self.borrowed(self, cells).max(0.0)).sqrt())
    }

    /// The covariance of two such estimates: their influences summed over clusters, plus
    /// the borrowed covariance of a lone treated state's shocks across the cells of both.
    fn covariance(&self, other: &Linear, cells: &[Cell]) -> f64 {
        let clustered: f64 = self.influence.iter().zip(&other.influence).map(|(a, b)| a * b).sum();
        clustered + self.borrowed(other, cells)
    }

    /// A lone state's shocks in different cells are correlated (same state, same base
    /// year), so the borrowed part is a bilinear form over its cells.
    fn borrowed(&self, other: &Linear, cells: &[Cell]) -> f64 {
        let mut borrowed = 0.0;
        for &(s, c, v) in &self.lone {
            for &(_, d, w) in other.lone.iter().filter(|&&(r, _, _)| r == s) {
                borrowed += v * w * covariance(&cells[c].comparison, &cells[d].comparison);
            }
        }
        borrowed
    }
}

/// The sample covariance of two cells' long differences over the states in both (sorted
/// by state); 0 when fewer than two states are shared.
fn covariance(x: &[(usize, f64)], y: &[(usize, f64)]) -> f64 {
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                pairs.push((x[i].1, y[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    if pairs.len() < 2 {
        return 0.0;
    }
    let n = pairs.len() as f64;
    let (mx, my) = (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    pairs.iter().map(|(a, b)| (a - mx) * (b - my)).sum::<f64>() / (n - 1.0)
}
