//! Placebo-in-space inference for one treated state (Abadie, Diamond & Hainmueller 2010;
//! Conley & Taber 2011): each of its comparison states in turn is treated as if it had
//! entered in the same year, against the others, and the treated state's post-entry
//! average is ranked among these placebo effects. Under no effect, and shocks drawn alike
//! across states, its rank is uniform, so the share of placebos at least as large is a
//! permutation p-value that needs no variance estimate.

use pactbase_model::Ccode;
use rayon::prelude::*;
use serde::Serialize;

use super::design::{Sample, Treated};
use super::{callaway_santanna, estimate, twfe, Design, Estimator, ImpactError, Panel};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceboInference {
    pub state: Ccode,
    /// The treated state's post-entry average, by the same estimator.
    pub effect: f64,
    /// One per comparison state that could be given the treated state's entry.
    pub placebos: Vec<PlaceboEffect>,
    /// Comparison states whose placebo could not be estimated.
    pub not_estimable: Vec<Ccode>,
    /// The treated state's place when every effect is ordered by size (absolute value),
    /// largest first: 1 + the placebos strictly larger.
    pub rank: usize,
    /// (1 + placebos at least as large in absolute value) / (1 + placebos).
    pub p_value: f64,
    /// The standard deviation of the placebo effects: how far entry "moves" a state that
    /// did not enter.
    pub spread: f64,
    /// The 2.5th and 97.5th percentiles of the placebo effects.
    pub central_95: (f64, f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceboEffect {
    pub state: Ccode,
    pub effect: f64,
}

/// Placebo inference for `design`'s focus state.
pub fn placebo_in_space(panel: &Panel, design: &Design, estimator: Estimator) -> Result<PlaceboInference, ImpactError> {
    if design.focus.is_none() {
        return Err(ImpactError::NotOneState);
    }
    let actual = estimate(panel, design, estimator)?;
    let effect = actual.post_att.ok_or(ImpactError::NothingEstimable)?.value;
    let sample = Sample::resolve(panel, design)?;
    let treated = sample.treated[0];
    let comparisons: Vec<usize> = actual.comparison_states.iter().filter_map(|&c| panel.index(c)).collect();
    // Each placebo is a whole study: in parallel, kept in the comparison states' order.
    let studies: Vec<(Ccode, Option<f64>)> = comparisons
        .par_iter()
        .map(|&j| {
            // As long as the treated state's spell, and no longer than the placebo state
            // stays untreated itself.
            let own_entry = panel.cohort(j).map(|entry| entry - 1);
            let last = match (treated.last, own_entry) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let placebo = Sample {
                panel,
                window: sample.window.clone(),
                rule: sample.rule,
                treated: vec![Treated { state: j, entry: treated.entry, last }],
                pool: comparisons.iter().copied().filter(|&k| k != j).collect(),
                focused: true,
            };
            let study = match estimator {
                Estimator::CallawaySantAnna => callaway_santanna::estimate(&placebo),
                Estimator::TwoWayFixedEffects => twfe::estimate(&placebo),
            };
            (panel.states()[j], study.ok().and_then(|s| s.post_att).map(|att| att.value))
        })
        .collect();
    let (mut placebos, mut not_estimable) = (Vec::new(), Vec::new());
    for (state, effect) in studies {
        match effect {
            Some(effect) => placebos.push(PlaceboEffect { state, effect }),
            None => not_estimable.push(state),
        }
    }
    if placebos.is_empty() {
        return Err(ImpactError::NoComparisonUnits);
    }
    let size = effect.abs();
    let larger = placebos.iter().filter(|p| p.effect.abs() > size).count();
    let at_least = placebos.iter().filter(|p| p.effect.abs() >= size).count();
    let mut effects: Vec<f64> = placebos.iter().map(|p| p.effect).collect();
    effects.sort_unstable_by(f64::total_cmp);
    let n = effects.len() as f64;
    let mean = effects.iter().sum::<f64>() / n;
    let spread = if effects.len() > 1 {
        (effects.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    Ok(PlaceboInference {
        state: panel.states()[treated.state],
        effect,
        rank: 1 + larger,
        p_value: (1 + at_least) as f64 / (1.0 + n),
        spread,
        central_95: (quantile(&effects, 0.025), quantile(&effects, 0.975)),
        placebos,
        not_estimable,
    })
}

/// The `q` quantile of sorted `values`, interpolating between order statistics (R's
/// default, type 7).
fn quantile(values: &[f64], q: f64) -> f64 {
    let h = (values.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    values[lo] + (h - lo as f64) * (values[hi] - values[lo])
}
