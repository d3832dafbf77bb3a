//! The logistic model: its training pairs and its fit on a chosen set of features (all of
//! them for the recommender, the geographic ones for the geography-only baseline).

use rayon::prelude::*;
use serde::Serialize;

use super::features::{AllianceYears, Snapshot, Values};
use super::{kept, logistic, Contribution, Feature, Options, RecommendError, Sources};

/// The labelled unallied pair-years of the training years, with every feature.
pub(crate) struct Training {
    /// The last year whose data the fit may use.
    pub until: i32,
    /// The first and last years whose pairs were labelled.
    pub years: (i32, i32),
    pub values: Vec<Values>,
    pub formed: Vec<bool>,
}

impl Training {
    /// The pairs of the years `until − training_years ..= until − horizon`: the last year
    /// whose outcome window closes by `until`. Every positive, and a share of the negatives.
    pub fn new(
        sources: &Sources,
        history: &AllianceYears,
        until: i32,
        options: &Options,
    ) -> Result<Training, RecommendError> {
        let first_system_year = sources.system.years().first().map_or(until, |y| y.year);
        let (from, to) = ((until - options.training_years).max(first_system_year), until - options.horizon);
        let per_year: Vec<(Vec<Values>, Vec<bool>)> =
            (from..=to).collect::<Vec<_>>().par_iter().map(|&t| labelled(sources, history, t, options)).collect();
        let (mut values, mut formed) = (Vec::new(), Vec::new());
        for (v, f) in per_year {
            values.extend(v);
            formed.extend(f);
        }
        if !formed.contains(&true) {
            return Err(RecommendError::NoFormations { from: from + 1, to: until });
        }
        Ok(Training { until, years: (from, to), values, formed })
    }
}

/// The unallied pairs of year `t` kept for fitting: every pair that formed an alliance in
/// `(t, t + horizon]`, a share of the rest.
fn labelled(sources: &Sources, history: &AllianceYears, t: i32, options: &Options) -> (Vec<Values>, Vec<bool>) {
    let (mut values, mut formed) = (Vec::new(), Vec::new());
    // Training years lie between the system's first year and the year asked about.
    let Some(members) = sources.system.year(t) else { return (values, formed) };
    let snapshot = Snapshot::new(sources, members);
    for (i, j) in snapshot.candidates() {
        let (a, b) = (snapshot.members.ccodes[i], snapshot.members.ccodes[j]);
        let positive = history.formed_within(a, b, t, options.horizon);
        if positive || kept(t, a, b, options.negative_share) {
            values.push(snapshot.features(sources, history, i, j));
            formed.push(positive);
        }
    }
    (values, formed)
}

/// One feature's part in a model: its scaling and its weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub feature: Feature,
    /// Mean and standard deviation of the model input over the training pairs (missing
    /// values take the mean).
    pub mean: f64,
    pub sd: f64,
    /// Log-odds per standard deviation of the input.
    pub coefficient: f64,
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// The last year whose data the fit used.
    pub trained_until: i32,
    pub horizon: i32,
    /// The first and last years whose unallied pairs were labelled.
    pub training_years: (i32, i32),
    /// Pair-years that formed an alliance, and the negatives kept.
    pub positives: usize,
    pub negatives: usize,
    /// Log-odds at the mean of every input, corrected for the thinned negatives.
    pub intercept: f64,
    pub terms: Vec<Term>,
}

impl Model {
    /// Fits on `features` of the training pairs.
    pub(crate) fn fit(training: &Training, features: &[Feature], options: &Options) -> Model {
        let p = features.len();
        let column = |f: Feature| f as usize;
        // A value the data do not cover takes the mean of those they do.
        let means: Vec<f64> = features
            .iter()
            .map(|&f| {
                let known: Vec<f64> =
                    training.values.iter().map(|v| f.input(v[column(f)])).filter(|x| !x.is_nan()).collect();
                if known.is_empty() {
                    0.0
                } else {
                    known.iter().sum::<f64>() / known.len() as f64
                }
            })
            .collect();
        let x: Vec<f64> = training
            .values
            .iter()
            .flat_map(|v| {
                features.iter().zip(&means).map(|(&f, &m)| {
                    let x = f.input(v[column(f)]);
                    if x.is_nan() {
                        m
                    } else {
                        x
                    }
                })
            })
            .collect();
        let fitted = logistic::fit(&x, p, &training.formed, &vec![1.0; training.formed.len()], options.l2);
        let positives = training.formed.iter().filter(|&&f| f).count();
        Model {
            trained_until: training.until,
            horizon: options.horizon,
            training_years: training.years,
            positives,
            negatives: training.formed.len() - positives,
            // Keeping a share r of negatives multiplies the odds by 1/r (case-control sampling).
            intercept: fitted.intercept + options.negative_share.ln(),
            terms: features
                .iter()
                .enumerate()
                .map(|(k, &feature)| Term {
                    feature,
                    mean: fitted.mean[k],
                    sd: fitted.sd[k],
                    coefficient: fitted.slopes[k],
                })
                .collect(),
        }
    }

    pub(crate) fn log_odds(&self, values: &Values) -> f64 {
        self.intercept + self.terms.iter().map(|t| t.coefficient * t.standardised(values)).sum::<f64>()
    }

    /// Every term's part in the log-odds of a pair observed in `year`.
    pub(crate) fn contributions(&self, values: &Values, year: i32) -> Vec<Contribution> {
        self.terms
            .iter()
            .map(|t| {
                let value = values[t.feature as usize];
                let standardised = t.standardised(values);
                let contribution = t.coefficient * standardised;
                let effect = if contribution >= 0.0 { "raises" } else { "lowers" };
                Contribution {
                    feature: t.feature,
                    value: (!value.is_nan()).then_some(value),
                    standardised,
                    contribution,
                    explanation: format!(
                        "{}: {effect} the log-odds by {:.2}",
                        t.feature.describe(value, year),
                        contribution.abs()
                    ),
                }
            })
            .collect()
    }
}

impl Term {
    /// The pair's input in standard deviations from the training mean; 0 (the mean)
    /// where the data do not cover the year.
    fn standardised(&self, values: &Values) -> f64 {
        let x = self.feature.input(values[self.feature as usize]);
        if x.is_nan() {
            0.0
        } else {
            (x - self.mean) / self.sd
        }
    }
}
