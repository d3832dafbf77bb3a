//! The temporal back-test: fitted on the years up to T, every unallied pair of T ranked,
//! scored against the alliances formed in (T, T + H], beside the baselines a reviewer
//! would use, under four readings of what counts as a formation.

use std::collections::HashMap;

use pactbase_model::Region;
use serde::Serialize;

use super::features::{AllianceYears, Snapshot};
use super::metrics::{bootstrap_gain, treaty_precision, weighted_auc, weighted_precision, Ranking};
use super::model::{Model, Training};
use super::{covered, Feature, Options, RecommendError, Sources};
use crate::panel::DyadTable;

/// The methods ranked, the model first; the others are its baselines.
pub const METHODS: [&str; 6] =
    ["pactbase", "geography", "same-region", "common-neighbours", "adamic-adar", "preferential-attachment"];

/// What counts as a formation (docs/RECOMMEND.md): every pair newly allied; pairs never
/// allied before T only; pairs first tied by a bilateral agreement (pairs first tied by a
/// multilateral one are left out of this reading); every pair, each agreement counting
/// once however many pairs it ties.
pub const EVALUATIONS: [&str; 4] = ["all", "never-allied", "bilateral", "treaty-weighted"];

/// Resamples behind each gain's interval.
const BOOTSTRAP_DRAWS: usize = 1000;

/// One method's result under one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestRow {
    pub evaluation: &'static str,
    pub method: &'static str,
    pub auc: f64,
    /// Under `treaty-weighted`: distinct agreements found in the k best places, per place.
    pub precision_at_k: f64,
    pub k: usize,
    /// Pairs ranked and positives among them, in this evaluation.
    pub pairs: usize,
    pub positives: usize,
}

/// The model's margin over the strongest baseline (by the full-sample measure), with a 95%
/// stratified bootstrap interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gain {
    pub evaluation: &'static str,
    /// `auc` or `precision_at_k`.
    pub metric: &'static str,
    pub over: &'static str,
    pub gain: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The agreements behind the formations, and how many positives are renewals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Formations {
    /// Positives that had been allied before T: renewals and readmissions (Egypt's return
    /// to the Arab League in 1989).
    pub renewals: usize,
    pub never_allied: usize,
    /// Positives first tied by a bilateral agreement.
    pub bilateral: usize,
    /// Distinct agreements that first tie the positives.
    pub agreements: usize,
    /// The agreements that first tie the most positives, most first.
    pub largest: Vec<TreatyPairs>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TreatyPairs {
    /// The alliance's label in the ties (an ATOP id, or a registry agreement id).
    pub label: String,
    pub pairs: usize,
    pub bilateral: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    pub train_until: i32,
    pub horizon: i32,
    pub k: usize,
    /// Unallied pairs ranked (undirected, strategic rivals aside), and those that formed
    /// an alliance.
    pub pairs: usize,
    pub positives: usize,
    pub formations: Formations,
    pub model: Model,
    /// The geography-only logistic baseline.
    pub geography: Model,
    /// Every evaluation × method, in [`EVALUATIONS`] × [`METHODS`] order.
    pub rows: Vec<BacktestRow>,
    pub gains: Vec<Gain>,
}

/// A ranked pair of the test year.
struct Pair {
    scores: [f64; 6],
    positive: bool,
    never_allied: bool,
    /// The alliance that first ties the pair in the horizon (index into the ties' list).
    treaty: Option<u32>,
}

/// Fits on years up to `train_until`, ranks every unallied pair of that year (rivals
/// aside) and measures the ranking against the alliances formed in `(train_until,
/// train_until + options.horizon]`.
pub fn backtest(sources: &Sources, train_until: i32, k: usize, options: &Options) -> Result<Backtest, RecommendError> {
    let members = covered(sources, train_until)?;
    let end = train_until + options.horizon;
    covered(sources, end)?;
    if end > sources.outcomes_through {
        let first = sources.system.years().first().map_or(end, |y| y.year);
        return Err(RecommendError::YearNotCovered { year: end, first, last: sources.outcomes_through });
    }
    let history = AllianceYears::new(sources.dyads);
    let training = Training::new(sources, &history, train_until, options)?;
    let model = Model::fit(&training, &sources.features(), options);
    let geography = Model::fit(&training, &sources.geography(), options);
    let snapshot = Snapshot::new(sources, members);
    let pairs: Vec<Pair> = snapshot
        .candidates()
        .map(|(i, j)| {
            let (a, b) = (snapshot.members.ccodes[i], snapshot.members.ccodes[j]);
            let v = snapshot.features(sources, &history, i, j);
            let formed = history.formed(a, b, train_until, options.horizon);
            Pair {
                scores: [
                    model.log_odds(&v),
                    geography.log_odds(&v),
                    if Region::of(a).is_some() && Region::of(a) == Region::of(b) { 1.0 } else { 0.0 },
                    v[Feature::CommonAllies as usize],
                    v[Feature::AdamicAdar as usize],
                    f64::from(snapshot.degree(i)) * f64::from(snapshot.degree(j)),
                ],
                positive: formed.is_some(),
                never_allied: history.last_before(a, b, train_until).is_none(),
                treaty: formed.and_then(|y| first_alliance(sources.dyads, y, a, b)),
            }
        })
        .collect();
    let positives = pairs.iter().filter(|p| p.positive).count();
    if positives == 0 {
        return Err(RecommendError::NoFormations { from: train_until + 1, to: end });
    }
    let bilateral = |p: &Pair| p.treaty.is_some_and(|t| sources.dyads.alliances[t as usize].bilateral);

    let mut per_treaty: HashMap<u32, usize> = HashMap::new();
    for t in pairs.iter().filter_map(|p| p.treaty) {
        *per_treaty.entry(t).or_default() += 1;
    }
    let mut largest: Vec<TreatyPairs> = per_treaty
        .iter()
        .map(|(&t, &n)| TreatyPairs {
            label: sources.dyads.alliances[t as usize].label.clone(),
            pairs: n,
            bilateral: sources.dyads.alliances[t as usize].bilateral,
        })
        .collect();
    largest.sort_by(|a, b| b.pairs.cmp(&a.pairs).then(a.label.cmp(&b.label)));
    largest.truncate(5);
    let formations = Formations {
        renewals: pairs.iter().filter(|p| p.positive && !p.never_allied).count(),
        never_allied: pairs.iter().filter(|p| p.positive && p.never_allied).count(),
        bilateral: pairs.iter().filter(|p| p.positive && bilateral(p)).count(),
        agreements: per_treaty.len(),
        largest,
    };

    let mut rows = Vec::new();
    for evaluation in EVALUATIONS {
        let kept: Vec<&Pair> = pairs
            .iter()
            .filter(|p| match evaluation {
                "never-allied" => p.never_allied,
                "bilateral" => !p.positive || bilateral(p),
                _ => true,
            })
            .collect();
        let positive: Vec<bool> = kept.iter().map(|p| p.positive).collect();
        // Treaty-weighted: each agreement's pairs share one unit of weight.
        let weights: Vec<f64> = kept
            .iter()
            .map(|p| match (evaluation, p.treaty) {
                ("treaty-weighted", Some(t)) => 1.0 / per_treaty[&t] as f64,
                _ => 1.0,
            })
            .collect();
        for (m, method) in METHODS.into_iter().enumerate() {
            let scores: Vec<f64> = kept.iter().map(|p| p.scores[m]).collect();
            let ranking = Ranking::new(&scores);
            let precision = if evaluation == "treaty-weighted" {
                treaty_precision(&ranking, &kept.iter().map(|p| p.treaty).collect::<Vec<_>>(), k)
            } else {
                weighted_precision(&ranking, &positive, &weights, k as f64)
            };
            rows.push(BacktestRow {
                evaluation,
                method,
                auc: weighted_auc(&ranking, &positive, &weights).unwrap_or(f64::NAN),
                precision_at_k: precision.unwrap_or(f64::NAN),
                k,
                pairs: kept.len(),
                positives: positive.iter().filter(|&&p| p).count(),
            });
        }
    }
    let gains = gains(&pairs, &rows, k, train_until);
    Ok(Backtest {
        train_until,
        horizon: options.horizon,
        k,
        pairs: pairs.len(),
        positives,
        formations,
        model,
        geography,
        rows,
        gains,
    })
}

/// One figure of a back-test row.
type Measure = fn(&BacktestRow) -> f64;

/// The model's AUC and precision gains over the strongest baseline of each, on every
/// formation, with bootstrap intervals.
fn gains(pairs: &[Pair], rows: &[BacktestRow], k: usize, seed: i32) -> Vec<Gain> {
    let all: Vec<&BacktestRow> = rows.iter().filter(|r| r.evaluation == "all").collect();
    let positive: Vec<bool> = pairs.iter().map(|p| p.positive).collect();
    let ranking = |m: usize| Ranking::new(&pairs.iter().map(|p| p.scores[m]).collect::<Vec<_>>());
    let ours = ranking(0);
    let strongest =
        |measure: Measure| (1..METHODS.len()).max_by(|&a, &b| measure(all[a]).total_cmp(&measure(all[b]))).unwrap_or(1);
    let measures: [(&str, Measure); 2] = [("auc", |r| r.auc), ("precision_at_k", |r| r.precision_at_k)];
    // One resampling per baseline serves both measures.
    let mut intervals: HashMap<usize, [(f64, f64); 2]> = HashMap::new();
    measures
        .iter()
        .enumerate()
        .map(|(which, &(metric, measure))| {
            let over = strongest(measure);
            let interval = intervals
                .entry(over)
                .or_insert_with(|| bootstrap_gain(&ours, &ranking(over), &positive, k, BOOTSTRAP_DRAWS, seed as u64))
                [which];
            Gain {
                evaluation: "all",
                metric,
                over: METHODS[over],
                gain: measure(all[0]) - measure(all[over]),
                ci_low: interval.0,
                ci_high: interval.1,
            }
        })
        .collect()
}

/// The alliance that ties `a` and `b` in `year` (the lowest-numbered when several do).
fn first_alliance(dyads: &DyadTable, year: i32, a: u16, b: u16) -> Option<u32> {
    let at = dyads.keys.binary_search(&(year, a, b)).or_else(|_| dyads.keys.binary_search(&(year, b, a))).ok()?;
    dyads.ties[at].alliances.first().copied()
}
