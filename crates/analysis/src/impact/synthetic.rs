//! The synthetic control of a single treated state (Abadie, Diamond & Hainmueller 2010):
//! a weighted average of comparison states, weights on the simplex, that tracks the
//! treated state's outcome over the years before entry; the gap after entry is the
//! estimate. Inference by placebos in space: every donor in turn is given a synthetic
//! control of the others, and the treated state's ratio of post- to pre-entry fit error
//! (RMSPE) is ranked among theirs.

use pactbase_model::Ccode;
use rayon::prelude::*;
use serde::Serialize;

use super::design::Sample;
use super::simplex::simplex_least_squares;
use super::{Design, ImpactError, Panel};

/// The weights are fitted on at least this many years before entry (more when the window
/// reaches further back), where the treated state's outcome is observed.
const FITTED_YEARS: i32 = 10;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyntheticControl {
    pub state: Ccode,
    pub entry: i32,
    /// The first and last pre-entry years the weights were fitted on.
    pub fitted_years: (i32, i32),
    /// Donors with weight (above 0.001), heaviest first.
    pub weights: Vec<DonorWeight>,
    /// Comparison states observed in every year used, which could take weight.
    pub donors: usize,
    /// Comparison states left out for a missing outcome in some year used.
    pub donors_missing_years: usize,
    /// Per relative year of the window with the treated state observed.
    pub gaps: Vec<SyntheticGap>,
    /// Root mean squared gap before entry (the fit) and after it.
    pub pre_rmspe: f64,
    pub post_rmspe: f64,
    /// The mean gap over the post-entry years: the synthetic-control estimate.
    pub post_average: f64,
    /// post_rmspe / pre_rmspe, ranked among the same ratio of every donor given a
    /// synthetic control of the other donors (1 = largest).
    pub rmspe_ratio: f64,
    pub placebo_rank: usize,
    /// (1 + donors whose ratio is at least the treated state's) / (1 + donors).
    pub placebo_p_value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DonorWeight {
    pub state: Ccode,
    pub weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyntheticGap {
    pub relative_year: i32,
    pub year: i32,
    pub treated: f64,
    pub synthetic: f64,
    pub gap: f64,
}

/// The synthetic control of `design`'s focus state, from the comparison states that serve
/// throughout the years used and are observed in all of them.
pub fn synthetic_control(panel: &Panel, design: &Design) -> Result<SyntheticControl, ImpactError> {
    if design.focus.is_none() {
        return Err(ImpactError::NotOneState);
    }
    let sample = Sample::resolve(panel, design)?;
    let treated = sample.treated[0];
    let g = treated.entry;
    let (first, last) = panel.years();
    let reach = FITTED_YEARS.max(-*sample.window.start());
    let observed = |t: i32| panel.outcome(treated.state, t).is_some();
    let pre: Vec<i32> = ((g - reach).max(first)..g).filter(|&t| observed(t)).collect();
    let post: Vec<i32> =
        (g..=(g + *sample.window.end()).min(last)).filter(|&t| observed(t) && treated.usable(t)).collect();
    if pre.len() < 2 || post.is_empty() {
        return Err(ImpactError::NothingEstimable);
    }
    let years: Vec<i32> = pre.iter().chain(&post).copied().collect();
    let candidates = sample.comparisons_throughout(g, pre[0]..=*post.last().unwrap_or(&g));
    let series = |s: usize| -> Option<Vec<f64>> { years.iter().map(|&t| panel.outcome(s, t)).collect() };
    let donors: Vec<(usize, Vec<f64>)> = candidates.iter().filter_map(|&s| Some((s, series(s)?))).collect();
    if donors.len() < 2 {
        return Err(ImpactError::TooFewDonors);
    }
    let target = series(treated.state).ok_or(ImpactError::NothingEstimable)?;
    let split = pre.len();
    let fit = Fit::new(&target, &donors.iter().map(|(_, y)| y.as_slice()).collect::<Vec<_>>(), split);

    // Placebos: each donor against the others.
    let ratios: Vec<f64> = (0..donors.len())
        .into_par_iter()
        .map(|d| {
            let others: Vec<&[f64]> =
                donors.iter().enumerate().filter(|&(o, _)| o != d).map(|(_, (_, y))| y.as_slice()).collect();
            Fit::new(&donors[d].1, &others, split).rmspe_ratio()
        })
        .collect();
    let ratio = fit.rmspe_ratio();
    let at_least = ratios.iter().filter(|&&r| r >= ratio).count();

    let window = sample.window.clone();
    let mut weights: Vec<DonorWeight> = donors
        .iter()
        .zip(&fit.weights)
        .filter(|(_, &w)| w > 0.001)
        .map(|((s, _), &weight)| DonorWeight { state: panel.states()[*s], weight })
        .collect();
    weights.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    Ok(SyntheticControl {
        state: panel.states()[treated.state],
        entry: g,
        fitted_years: (pre[0], pre[split - 1]),
        weights,
        donors: donors.len(),
        donors_missing_years: candidates.len() - donors.len(),
        gaps: years
            .iter()
            .zip(target.iter().zip(&fit.synthetic))
            .filter(|(&t, _)| window.contains(&(t - g)))
            .map(|(&t, (&y, &s))| SyntheticGap { relative_year: t - g, year: t, treated: y, synthetic: s, gap: y - s })
            .collect(),
        pre_rmspe: fit.pre_rmspe,
        post_rmspe: fit.post_rmspe,
        post_average: fit.post_average,
        rmspe_ratio: ratio,
        placebo_rank: 1 + ratios.iter().filter(|&&r| r > ratio).count(),
        placebo_p_value: (1 + at_least) as f64 / (1 + ratios.len()) as f64,
    })
}

/// One synthetic control: weights fitted on the first `split` years of the series.
struct Fit {
    weights: Vec<f64>,
    synthetic: Vec<f64>,
    pre_rmspe: f64,
    post_rmspe: f64,
    post_average: f64,
}

impl Fit {
    fn new(target: &[f64], donors: &[&[f64]], split: usize) -> Fit {
        let fitted: Vec<Vec<f64>> = donors.iter().map(|y| y[..split].to_vec()).collect();
        let weights = simplex_least_squares(&fitted, &target[..split]);
        let synthetic: Vec<f64> =
            (0..target.len()).map(|t| donors.iter().zip(&weights).map(|(y, w)| w * y[t]).sum()).collect();
        let gaps: Vec<f64> = target.iter().zip(&synthetic).map(|(y, s)| y - s).collect();
        let rms = |g: &[f64]| (g.iter().map(|x| x * x).sum::<f64>() / g.len() as f64).sqrt();
        let post = &gaps[split..];
        Fit {
            pre_rmspe: rms(&gaps[..split]),
            post_rmspe: rms(post),
            post_average: post.iter().sum::<f64>() / post.len() as f64,
            weights,
            synthetic,
        }
    }

    /// A perfect pre-entry fit would make the ratio infinite: the floor keeps it ordered.
    fn rmspe_ratio(&self) -> f64 {
        self.post_rmspe / self.pre_rmspe.max(1e-12)
    }
}
