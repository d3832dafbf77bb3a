//! Partnership recommendations (FIELD.md §7, issue 5 part 1): which unallied states a
//! state is likeliest to ally with next, each score explained feature by feature, and a
//! temporal back-test against the alliances actually formed.
//!
//! The model is a logistic regression of "the pair forms an alliance (any ATOP tie,
//! either direction) within `horizon` years" on the pair's [`Feature`]s, fitted on the
//! unallied pairs of the years `until − training_years ..= until − horizon`: the last
//! year whose outcome window closes by `until`, so nothing after `until` is ever seen.
//! Negatives are thinned deterministically (by a hash of year and pair) to keep the fit
//! fast; the intercept is corrected for the thinning, so scores are probabilities.
//!
//! ```no_run
//! # use pactbase_analysis::recommend::{self, Options, Sources};
//! # fn f(sources: &Sources) -> Result<(), recommend::RecommendError> {
//! let options = Options::default();
//! for r in recommend::recommend(sources, 770, 2000, 10, &options)? {
//!     println!("{} {:.3}", r.partner, r.score);
//!     for c in &r.contributions {
//!         println!("  {}", c.explanation);
//!     }
//! }
//! let test = recommend::backtest(sources, 1980, 100, &options)?;
//! for row in &test.rows {
//!     println!("{} auc {:.3} precision@{} {:.3}", row.method, row.auc, row.k, row.precision_at_k);
//! }
//! # Ok(())
//! # }
//! ```

mod features;
mod graph;
mod logistic;
mod metrics;
#[cfg(test)]
mod tests;

use std::fmt;

use pactbase_model::Ccode;
use rayon::prelude::*;
use serde::Serialize;

use crate::panel::{Capabilities, DyadTable, Exercises, Rivalries, System, SystemYear};

pub use features::Feature;
pub use metrics::{auc, precision_at_k};
pub use pactbase_model::Region;

use features::{AllianceYears, Snapshot, Values, FEATURES};

/// The data recommendations draw on. Only years up to the one asked about are read.
pub struct Sources<'a> {
    pub system: &'a System,
    /// Allied directed dyad-years (ATOP).
    pub dyads: &'a DyadTable,
    /// The last year `dyads` describes (ATOP 5.1: 2018); later years are not absence of
    /// alliances but absence of data.
    pub ties_through: i32,
    pub capabilities: &'a Capabilities,
    pub exercises: &'a Exercises,
    pub rivalries: &'a Rivalries,
}

/// How the model is fitted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Options {
    /// Years within which a formation counts: the model predicts "allied within
    /// `horizon` years", and the back-test scores that outcome.
    pub horizon: i32,
    /// How far back the training years reach from the year asked about.
    pub training_years: i32,
    /// Share of negative pair-years kept for fitting (all positives are kept).
    pub negative_share: f64,
    /// L2 penalty on the standardised slopes.
    pub l2: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options { horizon: 10, training_years: 30, negative_share: 0.25, l2: 1.0 }
    }
}

/// Why no recommendation or back-test could be made.
#[derive(Debug, Clone, PartialEq)]
pub enum RecommendError {
    /// The year (or the end of its outcome window) lies outside the state system or past
    /// the last year of alliance data.
    YearNotCovered {
        year: i32,
        first: i32,
        last: i32,
    },
    NotAMember {
        state: Ccode,
        year: i32,
    },
    /// No pair formed an alliance in the years observed: nothing to learn or measure.
    NoFormations {
        from: i32,
        to: i32,
    },
}

impl fmt::Display for RecommendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecommendError::YearNotCovered { year, first, last } => {
                write!(f, "year {year} is not covered: the state system and alliance data span {first}–{last}")
            }
            RecommendError::NotAMember { state, year } => {
                write!(f, "state {state} is not a member of the state system in {year}")
            }
            RecommendError::NoFormations { from, to } => {
                write!(f, "no unallied pair formed an alliance in {from}–{to}: nothing to learn from")
            }
        }
    }
}

impl std::error::Error for RecommendError {}

/// One feature's part in a model: its scaling and its weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub feature: Feature,
    /// Mean and standard deviation of the model input over the training pairs.
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
    /// In [`Feature::ALL`] order.
    pub terms: Vec<Term>,
}

impl Model {
    fn log_odds(&self, values: &Values) -> f64 {
        self.intercept + (0..FEATURES).map(|k| self.contribution(k, values[k])).sum::<f64>()
    }

    fn standardised(&self, k: usize, value: f64) -> f64 {
        let t = &self.terms[k];
        (t.feature.input(value) - t.mean) / t.sd
    }

    fn contribution(&self, k: usize, value: f64) -> f64 {
        self.terms[k].coefficient * self.standardised(k, value)
    }
}

/// One feature behind a recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub feature: Feature,
    /// The raw value (a count, a share, a 0/1 flag).
    pub value: f64,
    /// The model input in standard deviations from the training mean.
    pub standardised: f64,
    /// Coefficient × standardised value: what the feature adds to the log-odds.
    pub contribution: f64,
    /// The value and its effect in words, e.g. "3 states allied with both: raises the
    /// log-odds by 0.42".
    pub explanation: String,
}

/// A candidate partner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub partner: Ccode,
    /// Modelled probability of an alliance within the horizon.
    pub score: f64,
    /// Log-odds at the training mean, to which the contributions add up with `score`'s
    /// log-odds.
    pub baseline: f64,
    /// In [`Feature::ALL`] order.
    pub contributions: Vec<Contribution>,
}

/// One method's back-test result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestRow {
    /// `pactbase` (the model), `common-neighbours` or `adamic-adar`.
    pub method: &'static str,
    pub auc: f64,
    pub precision_at_k: f64,
    pub k: usize,
}

/// A temporal back-test: the model fitted on years up to `train_until`, every unallied
/// pair of that year ranked, scored against the alliances formed in the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    pub train_until: i32,
    pub horizon: i32,
    /// Unallied pairs ranked (undirected), and those that formed an alliance.
    pub pairs: usize,
    pub positives: usize,
    pub model: Model,
    pub rows: Vec<BacktestRow>,
}

/// The `top_k` likeliest new partners of `state` as of `year`: system members it shares
/// no alliance with that year, by the model fitted on years up to `year`.
pub fn recommend(
    sources: &Sources,
    state: Ccode,
    year: i32,
    top_k: usize,
    options: &Options,
) -> Result<Vec<Recommendation>, RecommendError> {
    let snapshot = Snapshot::new(sources, covered(sources, year)?);
    let i = snapshot.members.position(state).ok_or(RecommendError::NotAMember { state, year })?;
    let history = AllianceYears::new(sources.dyads);
    let model = fit(sources, &history, year, options)?;
    let mut ranked: Vec<(usize, f64, Values)> = (0..snapshot.members.ccodes.len())
        .filter(|&j| j != i && snapshot.members.overlap(i, j) && !snapshot.allied(i, j))
        .map(|j| {
            let values = snapshot.features(sources, &history, i, j);
            (j, model.log_odds(&values), values)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(top_k);
    Ok(ranked
        .into_iter()
        .map(|(j, log_odds, values)| Recommendation {
            partner: snapshot.members.ccodes[j],
            score: logistic::sigmoid(log_odds),
            baseline: model.intercept,
            contributions: contributions(&model, &values, year),
        })
        .collect())
}

fn contributions(model: &Model, values: &Values, year: i32) -> Vec<Contribution> {
    Feature::ALL
        .iter()
        .enumerate()
        .map(|(k, &feature)| {
            let contribution = model.contribution(k, values[k]);
            let effect = if contribution >= 0.0 { "raises" } else { "lowers" };
            Contribution {
                feature,
                value: values[k],
                standardised: model.standardised(k, values[k]),
                contribution,
                explanation: format!(
                    "{}: {effect} the log-odds by {:.2}",
                    feature.describe(values[k], year),
                    contribution.abs()
                ),
            }
        })
        .collect()
}

/// Fits on years up to `train_until`, ranks every unallied pair of that year and
/// measures the ranking against the alliances formed in `(train_until, train_until +
/// options.horizon]`, beside the common-neighbours and Adamic–Adar baselines.
pub fn backtest(sources: &Sources, train_until: i32, k: usize, options: &Options) -> Result<Backtest, RecommendError> {
    let members = covered(sources, train_until)?;
    covered(sources, train_until + options.horizon)?;
    let history = AllianceYears::new(sources.dyads);
    let model = fit(sources, &history, train_until, options)?;
    let snapshot = Snapshot::new(sources, members);
    let (mut ours, mut common, mut adamic_adar, mut positive) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, j) in snapshot.candidates() {
        let values = snapshot.features(sources, &history, i, j);
        ours.push(model.log_odds(&values));
        common.push(values[Feature::CommonAllies as usize]);
        adamic_adar.push(values[Feature::AdamicAdar as usize]);
        let (a, b) = (snapshot.members.ccodes[i], snapshot.members.ccodes[j]);
        positive.push(history.formed_within(a, b, train_until, options.horizon));
    }
    let no_formations = RecommendError::NoFormations { from: train_until + 1, to: train_until + options.horizon };
    let row = |method, scores: &[f64]| {
        Ok(BacktestRow {
            method,
            auc: auc(scores, &positive).ok_or(no_formations.clone())?,
            precision_at_k: precision_at_k(scores, &positive, k).ok_or(no_formations.clone())?,
            k,
        })
    };
    let rows = vec![row("pactbase", &ours)?, row("common-neighbours", &common)?, row("adamic-adar", &adamic_adar)?];
    let positives = positive.iter().filter(|&&p| p).count();
    Ok(Backtest { train_until, horizon: options.horizon, pairs: positive.len(), positives, model, rows })
}

/// The system members of `year`, if the sources describe it: a year of the state system
/// through the last year of ties.
fn covered<'a>(sources: &Sources<'a>, year: i32) -> Result<&'a SystemYear, RecommendError> {
    match sources.system.year(year) {
        Some(members) if year <= sources.ties_through => Ok(members),
        _ => {
            let years = sources.system.years();
            let first = years.first().map_or(year, |y| y.year);
            let last = years.last().map_or(year, |y| y.year).min(sources.ties_through);
            Err(RecommendError::YearNotCovered { year, first, last })
        }
    }
}

/// Fits the model on the unallied pair-years whose outcome window closes by `until`.
fn fit(sources: &Sources, history: &AllianceYears, until: i32, options: &Options) -> Result<Model, RecommendError> {
    let first_system_year = sources.system.years().first().map_or(until, |y| y.year);
    let (from, to) = ((until - options.training_years).max(first_system_year), until - options.horizon);
    let years: Vec<i32> = (from..=to).collect();
    let per_year: Vec<(Vec<f64>, Vec<bool>)> =
        years.par_iter().map(|&t| labelled_pairs(sources, history, t, options)).collect();
    let mut x = Vec::with_capacity(per_year.iter().map(|(v, _)| v.len()).sum());
    let mut y = Vec::with_capacity(x.capacity() / FEATURES);
    for (values, labels) in per_year {
        x.extend(values);
        y.extend(labels);
    }
    let positives = y.iter().filter(|&&p| p).count();
    if positives == 0 {
        return Err(RecommendError::NoFormations { from: from + 1, to: until });
    }
    let fitted = logistic::fit(&x, FEATURES, &y, options.l2);
    let terms = Feature::ALL
        .iter()
        .enumerate()
        .map(|(k, &feature)| Term { feature, mean: fitted.mean[k], sd: fitted.sd[k], coefficient: fitted.slopes[k] })
        .collect();
    Ok(Model {
        trained_until: until,
        horizon: options.horizon,
        training_years: (from, to),
        positives,
        negatives: y.len() - positives,
        // Keeping a share r of negatives multiplies the odds by 1/r (case-control sampling).
        intercept: fitted.intercept + options.negative_share.ln(),
        terms,
    })
}

/// Model inputs (row-major) and outcomes of the unallied pairs of year `t` kept for
/// fitting: every pair that formed an alliance in `(t, t + horizon]`, a share of the rest.
fn labelled_pairs(sources: &Sources, history: &AllianceYears, t: i32, options: &Options) -> (Vec<f64>, Vec<bool>) {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    // Training years lie between the system's first year and the year asked about.
    let Some(members) = sources.system.year(t) else { return (x, y) };
    let snapshot = Snapshot::new(sources, members);
    for (i, j) in snapshot.candidates() {
        let (a, b) = (snapshot.members.ccodes[i], snapshot.members.ccodes[j]);
        let formed = history.formed_within(a, b, t, options.horizon);
        if !formed && !kept(t, a, b, options.negative_share) {
            continue;
        }
        let values = snapshot.features(sources, history, i, j);
        x.extend(Feature::ALL.iter().zip(values).map(|(f, v)| f.input(v)));
        y.push(formed);
    }
    (x, y)
}

/// Deterministic thinning: a pair-year is kept when its hash falls below `share`.
fn kept(year: i32, a: Ccode, b: Ccode, share: f64) -> bool {
    let key = (u64::from(year as u32) << 32) | (u64::from(a) << 16) | u64::from(b);
    unit(splitmix64(key)) < share
}

/// A 64-bit hash as a number in [0, 1), from its top 53 bits.
pub(crate) fn unit(hash: u64) -> f64 {
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

/// SplitMix64's finaliser: a well-mixed 64-bit hash of a 64-bit key.
pub(crate) fn splitmix64(key: u64) -> u64 {
    let mut z = key.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
