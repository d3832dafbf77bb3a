//! The conventional two-way fixed effects event-study regression:
//!
//! ```text
//! Y_it = α_i + λ_t + Σ_{e ≠ −1} β_e · 1[clamp(t − g_i, start, end) = e] + ε_it
//! ```
//!
//! with relative time binned at the window's ends and never-treated states coded 0 on
//! every indicator. State effects are absorbed by demeaning within state; year effects
//! enter as dummies, so the fit is exact on unbalanced panels. Standard errors are CR1,
//! clustered by state (or by the panel's clusters, e.g. a dyad's two directions):
//! `G/(G−1) · (N−1)/(N−K)` with K the estimated coefficients (the
//! absorbed state effects are nested in the clusters and not counted, as in Stata's
//! `xtreg, fe vce(cluster)`).
//!
//! Kept for comparison: with staggered entry and effects that vary by cohort or grow over
//! time, β_e is a weighted mix of effects at other relative years and in other cohorts,
//! with weights that can be negative (Sun & Abraham 2021), because already-treated states
//! serve as implicit comparisons.

use std::collections::{BTreeMap, BTreeSet};

use super::design::Sample;
use super::linalg::inverse_dropping_collinear;
use super::{
    post_weights, Caveat, Cohort, Estimate, Estimator, EventStudy, Exclusion, ExclusionReason, ImpactError,
    PreTrendTest, RelativeYear,
};

/// A state in the regression with its observed (year, outcome) rows and entry year, if
/// it gets relative-time indicators.
struct Unit {
    state: usize,
    entry: Option<i32>,
    rows: Vec<(i32, f64)>,
}

/// A demeaned observation: year column (`None` for the base year), indicator column, outcome.
struct Row {
    year: Option<usize>,
    event: Option<usize>,
    y: f64,
}

pub(super) fn estimate(sample: &Sample) -> Result<EventStudy, ImpactError> {
    let panel = sample.panel;
    let (start, end) = (*sample.window.start(), *sample.window.end());
    let (units, excluded) = units(sample);
    let relative = |unit: &Unit, t: i32| unit.entry.map(|g| (t - g).clamp(start, end));

    let comparison_states = units.iter().filter(|u| u.entry.is_none()).count();
    let cohorts: BTreeSet<i32> = units.iter().filter_map(|u| u.entry).collect();
    if cohorts.is_empty() {
        let no_pre_period = excluded.iter().any(|x| x.reason == ExclusionReason::NoPrePeriod);
        return Err(if no_pre_period { ImpactError::NoPrePeriod } else { ImpactError::NothingEstimable });
    }
    // One cohort and no never-treated state: relative time is calendar time.
    if comparison_states == 0 && cohorts.len() == 1 {
        return Err(ImpactError::NoComparisonUnits);
    }

    // Columns: one dummy per year but the first, then the indicators observed at least
    // once, post-entry first and the distant leads last, so that if the design needs one
    // more normalisation (no never-treated states) the most distant lead is the one dropped.
    let years: Vec<i32> =
        units.iter().flat_map(|u| u.rows.iter().map(|&(t, _)| t)).collect::<BTreeSet<_>>().into_iter().collect();
    let observed: BTreeSet<i32> =
        units.iter().flat_map(|u| u.rows.iter().filter_map(|&(t, _)| relative(u, t))).filter(|&e| e != -1).collect();
    let events: Vec<i32> =
        observed.iter().copied().filter(|&e| e >= 0).chain(observed.iter().rev().copied().filter(|&e| e < 0)).collect();
    let year_columns = years.len() - 1;
    let k = year_columns + events.len();
    let column_of_year = |t: i32| years.binary_search(&t).ok().and_then(|i| i.checked_sub(1));
    let column_of_event = |e: i32| events.iter().position(|&x| x == e).map(|p| year_columns + p);

    let rows: Vec<Vec<Row>> = units
        .iter()
        .map(|u| {
            let mean = u.rows.iter().map(|&(_, y)| y).sum::<f64>() / u.rows.len() as f64;
            let event = |t| relative(u, t).filter(|&e| e != -1).and_then(column_of_event);
            u.rows.iter().map(|&(t, y)| Row { year: column_of_year(t), event: event(t), y: y - mean }).collect()
        })
        .collect();

    let clusters: Vec<usize> = units.iter().map(|u| panel.cluster(u.state)).collect();
    let fit = fit(&rows, &clusters, year_columns, k)?;
    // The position of relative year e among the estimated indicators.
    let slot = |e: i32| column_of_event(e).and_then(|c| fit.indicators.iter().position(|&x| x == c));

    let relative_years = sample
        .window
        .clone()
        .map(|e| {
            let treated = units.iter().filter(|u| u.rows.iter().any(|&(t, _)| relative(u, t) == Some(e))).count();
            let estimate = if e == -1 {
                Some(Estimate::REFERENCE)
            } else {
                slot(e).map(|s| Estimate::new(fit.coefficient(s), fit.covariance(s, s).sqrt()))
            };
            RelativeYear {
                relative_year: e,
                estimate,
                treated,
                comparison: comparison_states,
                reference: e == -1,
                binned: e == start || e == end,
            }
        })
        .collect();

    let leads: Vec<(i32, usize)> =
        sample.window.clone().filter(|&e| e < -1).filter_map(|e| Some((e, slot(e)?))).collect();
    let pre_trends = PreTrendTest::wald(leads.iter().map(|&(e, s)| (e, fit.coefficient(s))).collect(), |i, j| {
        fit.covariance(leads[i].1, leads[j].1)
    });

    let post: Vec<(usize, f64)> = post_weights(&sample.window, |e| slot(e).is_some())
        .into_iter()
        .filter_map(|(e, w)| Some((slot(e)?, w)))
        .collect();
    let post_att = (!post.is_empty()).then(|| {
        let value = post.iter().map(|&(s, w)| w * fit.coefficient(s)).sum();
        let variance: f64 =
            post.iter().map(|&(r, v)| post.iter().map(|&(c, w)| v * w * fit.covariance(r, c)).sum::<f64>()).sum();
        Estimate::new(value, variance.max(0.0).sqrt())
    });

    let ccodes = |treated: bool| -> Vec<_> {
        units.iter().filter(|u| u.entry.is_some() == treated).map(|u| panel.states()[u.state]).collect()
    };
    let treated_states = ccodes(true);
    let cohorts = sample
        .treated
        .iter()
        .map(|t| t.entry)
        .collect::<BTreeSet<i32>>()
        .into_iter()
        .map(|g| Cohort {
            entry: g,
            states: sample.treated.iter().filter(|t| t.entry == g).map(|t| panel.states()[t.state]).collect(),
            contributing: units.iter().filter(|u| u.entry == Some(g)).count(),
            comparisons: comparison_states,
        })
        .collect();
    Ok(EventStudy {
        estimator: Estimator::TwoWayFixedEffects,
        comparison_group: sample.rule,
        relative_years,
        post_att,
        pre_trends,
        caveats: if treated_states.len() == 1 { vec![Caveat::SingleTreatedCluster] } else { Vec::new() },
        treated_states,
        comparison_states: ccodes(false),
        excluded,
        cohorts,
    }
    .with_pre_trend_caveat())
}

/// The least-squares fit of the demeaned design.
struct Fit {
    /// All columns' coefficients; 0 for a column dropped as collinear.
    coefficients: Vec<f64>,
    /// The indicator columns kept, in column order.
    indicators: Vec<usize>,
    /// CR1 covariance of the kept indicators' coefficients, in `indicators` order.
    covariance: Vec<f64>,
}

impl Fit {
    fn coefficient(&self, slot: usize) -> f64 {
        self.coefficients[self.indicators[slot]]
    }

    fn covariance(&self, r: usize, c: usize) -> f64 {
        self.covariance[r * self.indicators.len() + c]
    }
}

/// Solves the normal equations, dropping collinear columns, and forms the CR1 covariance
/// of the indicators from the clusters' scores (each the sum of its units'):
/// q_g = [(X̃'X̃)⁻¹]_E Σ_{i∈g} X̃_i'u_i, V = c Σ q_g q_g'.
fn fit(rows: &[Vec<Row>], clusters: &[usize], year_columns: usize, k: usize) -> Result<Fit, ImpactError> {
    let (a, b) = normal_equations(rows, k);
    let (kept, inverse) = inverse_dropping_collinear(&a, k);
    let m = kept.len();
    let mut coefficients = vec![0.0; k];
    for (p, &c) in kept.iter().enumerate() {
        coefficients[c] = (0..m).map(|q| inverse[p * m + q] * b[kept[q]]).sum();
    }
    // (column, position among the kept) of the indicators that survived.
    let estimated: Vec<(usize, usize)> =
        kept.iter().enumerate().filter(|&(_, &c)| c >= year_columns).map(|(p, &c)| (c, p)).collect();
    if estimated.is_empty() {
        return Err(ImpactError::Collinear);
    }
    let n: usize = rows.iter().map(Vec::len).sum();
    let mut scores: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    for (unit, &cluster) in rows.iter().zip(clusters) {
        let sum = scores.entry(cluster).or_insert_with(|| vec![0.0; k]);
        sum.iter_mut().zip(score(unit, &coefficients, year_columns, k)).for_each(|(a, b)| *a += b);
    }
    let g = scores.len();
    if g < 2 || n <= m {
        return Err(ImpactError::NothingEstimable);
    }

    let e = estimated.len();
    let mut covariance = vec![0.0; e * e];
    for score in scores.values() {
        let q: Vec<f64> = estimated
            .iter()
            .map(|&(_, p)| kept.iter().enumerate().map(|(r, &d)| inverse[p * m + r] * score[d]).sum())
            .collect();
        for (r, qr) in q.iter().enumerate() {
            for (c, qc) in q.iter().enumerate() {
                covariance[r * e + c] += qr * qc;
            }
        }
    }
    let (g, n) = (g as f64, n as f64);
    let cr1 = g / (g - 1.0) * (n - 1.0) / (n - m as f64);
    covariance.iter_mut().for_each(|v| *v *= cr1);
    Ok(Fit { coefficients, indicators: estimated.into_iter().map(|(c, _)| c).collect(), covariance })
}

/// The states in the regression. Without a focus: every state, all its years (a treated
/// state's only through its first spell). With one: the focus state, and each pool state
/// for the years in which it is a valid comparison.
/// Dropped, and reported if treated: states that entered in or before the panel's first
/// year (every indicator they could switch on is confounded with their state effect; the
/// other estimator cannot use them either) and states with fewer than two outcomes
/// (nothing is left once the state effect is absorbed).
fn units(sample: &Sample) -> (Vec<Unit>, Vec<Exclusion>) {
    let panel = sample.panel;
    let treated_unit = |t: &super::design::Treated| Unit {
        state: t.state,
        entry: Some(t.entry),
        rows: panel.observed(t.state).iter().copied().filter(|&(year, _)| t.usable(year)).collect(),
    };
    let candidates: Vec<Unit> = if sample.focused {
        let focus = &sample.treated[0];
        let comparisons = sample.pool.iter().map(|&s| Unit {
            state: s,
            entry: None,
            rows: panel.observed(s).iter().copied().filter(|&(t, _)| sample.is_comparison(s, focus.entry, t)).collect(),
        });
        std::iter::once(treated_unit(focus)).chain(comparisons).collect()
    } else {
        (0..panel.states().len())
            .map(|s| match sample.treated.iter().find(|t| t.state == s) {
                Some(t) => treated_unit(t),
                None => Unit { state: s, entry: None, rows: panel.observed(s).to_vec() },
            })
            .collect()
    };
    let (first, _) = panel.years();
    let mut excluded = Vec::new();
    let mut units = Vec::new();
    for unit in candidates {
        let reason = match unit.entry {
            Some(g) if g <= first => Some(ExclusionReason::NoPrePeriod),
            _ if unit.rows.len() < 2 => Some(ExclusionReason::TooFewOutcomes),
            _ => None,
        };
        match (reason, unit.entry) {
            (None, _) => units.push(unit),
            (Some(reason), Some(entry)) => {
                excluded.push(Exclusion { state: panel.states()[unit.state], entry, reason })
            }
            (Some(_), None) => {}
        }
    }
    (units, excluded)
}

/// X̃'X̃ and X̃'ỹ of the within-state demeaned design, built from each state's rows without
/// forming X̃: a demeaned year dummy is 1{t = s} − 1/n_i on the state's years, so its
/// products reduce to counts.
fn normal_equations(units: &[Vec<Row>], k: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = vec![0.0; k * k];
    let mut b = vec![0.0; k];
    for rows in units {
        let n = rows.len() as f64;
        let years: Vec<usize> = rows.iter().filter_map(|r| r.year).collect();
        let mut share = vec![0.0; k];
        for r in rows {
            if let Some(e) = r.event {
                share[e] += 1.0 / n;
            }
        }
        let events: Vec<usize> = (0..k).filter(|&e| share[e] > 0.0).collect();
        for &s in &years {
            for &t in &years {
                a[s * k + t] -= 1.0 / n;
            }
        }
        for r in rows {
            let indicator = |e: usize| if r.event == Some(e) { 1.0 } else { 0.0 };
            if let Some(s) = r.year {
                a[s * k + s] += 1.0;
                b[s] += r.y;
                for &e in &events {
                    let d = indicator(e) - share[e];
                    a[s * k + e] += d;
                    a[e * k + s] += d;
                }
            }
            if let Some(e) = r.event {
                b[e] += r.y;
            }
        }
        for &e in &events {
            for &f in &events {
                a[e * k + f] += n * (if e == f { share[e] } else { 0.0 } - share[e] * share[f]);
            }
        }
    }
    (a, b)
}

/// The state's score X̃_i'u_i. Residuals sum to zero within a state, so a year dummy's
/// entry is the residual in that year, and an indicator's is the sum of residuals where
/// it is on.
fn score(rows: &[Row], coefficient: &[f64], year_columns: usize, k: usize) -> Vec<f64> {
    let n = rows.len() as f64;
    let year_effect = |r: &Row| r.year.map_or(0.0, |s| coefficient[s]);
    let mean_year_effect = rows.iter().map(year_effect).sum::<f64>() / n;
    let mut share = vec![0.0; k];
    for r in rows {
        if let Some(e) = r.event {
            share[e] += 1.0 / n;
        }
    }
    let mean_event_effect: f64 = (year_columns..k).map(|e| share[e] * coefficient[e]).sum();
    let mut score = vec![0.0; k];
    for r in rows {
        let event_effect = r.event.map_or(0.0, |e| coefficient[e]);
        let residual = r.y - (event_effect - mean_event_effect) - (year_effect(r) - mean_year_effect);
        if let Some(s) = r.year {
            score[s] += residual;
        }
        if let Some(e) = r.event {
            score[e] += residual;
        }
    }
    score
}
