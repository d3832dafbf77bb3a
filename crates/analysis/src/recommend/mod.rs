//! Partnership recommendations (FIELD.md §7, issues 5, 17, 18 and 21): which unallied
//! states a state is likeliest to ally with next, each score explained feature by feature
//! and by the named facts behind it, and a temporal back-test against the alliances
//! actually formed, beside the baselines a reviewer would use.
//!
//! The model is a logistic regression of "the pair forms an alliance (any tie, either
//! direction) within `horizon` years" on the pair's [`Feature`]s, fitted on the unallied
//! pairs (strategic rivals aside) of the years `until − training_years ..= until −
//! horizon`, where `until` is the year asked about or, if later, the last year whose new
//! alliances are all known ([`Sources::outcomes_through`]): nothing later is ever seen.
//! Negatives are thinned deterministically (by a hash of year and pair) to keep the fit
//! fast; the intercept is corrected for the thinning, so scores are probabilities.
//!
//! ```no_run
//! # use pactbase_analysis::recommend::{self, Listing, Options, Sources};
//! # fn f(sources: &Sources) -> Result<(), recommend::RecommendError> {
//! let options = Options::default();
//! let found = recommend::recommend(sources, 770, 2018, 10, &options, Listing::default())?;
//! for r in &found.partners {
//!     println!("{} {:.3} common allies {:?}", r.partner, r.score, r.evidence.common_allies);
//! }
//! let test = recommend::backtest(sources, 1980, 10, &options)?;
//! for row in &test.rows {
//!     println!("{} {} auc {:.3} precision@{} {:.3}", row.evaluation, row.method, row.auc, row.k, row.precision_at_k);
//! }
//! # Ok(())
//! # }
//! ```

mod backtest;
mod features;
mod graph;
mod logistic;
mod metrics;
mod model;
#[cfg(test)]
mod tests;

use std::fmt;

use pactbase_model::{Ccode, NonRecognition};
use serde::Serialize;

use crate::panel::{Capitals, Contiguity, DyadTable, Exercises, Rivalries, System, SystemYear};

pub use backtest::{backtest, Backtest, BacktestRow, Formations, Gain, TreatyPairs, EVALUATIONS, METHODS};
pub use features::{Evidence, Feature, GEOGRAPHY};
pub use metrics::{auc, precision_at_k};
pub use model::{Model, Term};

use features::{AllianceYears, Snapshot};

/// A recommended partner, its reasons in words and the model's account of it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partner {
    pub partner: Ccode,
    pub name: String,
    /// Modelled probability of an alliance within the horizon.
    pub score: f64,
    /// Why, in plain words, the strongest first.
    pub reasons: Vec<String>,
    /// What stands in the way (only when the listing includes rivals or unrecognised
    /// states), in plain words.
    pub cautions: Vec<String>,
    /// Every feature's value, contribution and the log-odds they add up to.
    pub statistics: Recommendation,
}

/// A partner the list leaves out, and why, in words.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerLeftOut {
    pub partner: Ccode,
    pub name: String,
    pub score: f64,
    pub why: Vec<String>,
}

/// The data recommendations draw on. Only years up to the one asked about are read.
pub struct Sources<'a> {
    pub system: &'a System,
    /// Allied directed dyad-years.
    pub dyads: &'a DyadTable,
    /// The last year `dyads` describes; later years are not absence of alliances but
    /// absence of data.
    pub ties_through: i32,
    /// The last year whose new alliances are all known (ATOP 5.1: 2018). Ties after it
    /// (registry agreements, alliances carried forward) describe the network, but miss
    /// formations, so the model learns only from outcome windows that close by then.
    pub outcomes_through: i32,
    pub exercises: &'a Exercises,
    /// The years the exercise data cover (MME: 1980–2010), if imported.
    pub exercises_cover: Option<(i32, i32)>,
    pub rivalries: &'a Rivalries,
    pub recognition: &'a [NonRecognition],
    /// COW direct contiguity and capitals, when imported: without one, its feature is left
    /// out of the model and the geography baseline.
    pub contiguity: Option<&'a Contiguity>,
    pub capitals: Option<&'a Capitals>,
}

impl Sources<'_> {
    /// Whether the data behind `feature` are at hand.
    fn has(&self, feature: Feature) -> bool {
        match feature {
            Feature::Contiguous => self.contiguity.is_some(),
            Feature::CapitalDistance => self.capitals.is_some(),
            _ => true,
        }
    }

    /// The model's features: every one whose data are at hand, capital distance aside (the
    /// geography baseline's only; see [`GEOGRAPHY`]).
    pub fn features(&self) -> Vec<Feature> {
        Feature::ALL.into_iter().filter(|&f| f != Feature::CapitalDistance && self.has(f)).collect()
    }

    /// The geography-only baseline's features: the regions, with contiguity and capital
    /// distance when imported.
    pub fn geography(&self) -> Vec<Feature> {
        GEOGRAPHY.into_iter().filter(|&f| self.has(f)).collect()
    }
}

/// How the model is fitted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Options {
    /// Years within which a formation counts: the model predicts "allied within
    /// `horizon` years", and the back-test scores that outcome.
    pub horizon: i32,
    /// How far back the training years reach from the last year fitted.
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

/// Which partners a list may show: by default neither strategic rivals nor states either
/// side does not recognise; included, they carry a [`Flag`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub rivals: bool,
    pub unrecognised: bool,
}

/// Why a partner would not be recommended as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Flag {
    /// The two are strategic rivals (TSS) in the year.
    Rival,
    /// `by` does not recognise `of` diplomatically in the year.
    NotRecognised { by: Ccode, of: Ccode },
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

/// One feature behind a recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contribution {
    pub feature: Feature,
    /// The raw value (a count, a share, a 0/1 flag); `null` where the data do not cover
    /// the year.
    pub value: Option<f64>,
    /// The model input in standard deviations from the training mean.
    pub standardised: f64,
    /// Coefficient × standardised value: what the feature adds to the log-odds.
    pub contribution: f64,
    /// The value and its effect, e.g. "3 states allied with both: raises the log-odds by
    /// 0.42".
    pub explanation: String,
}

/// A candidate partner.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendation {
    pub partner: Ccode,
    /// Modelled probability of an alliance within the horizon.
    pub score: f64,
    /// Log-odds at the training mean, to which the contributions add up with `score`'s
    /// log-odds.
    pub baseline: f64,
    /// In the model's feature order.
    pub contributions: Vec<Contribution>,
    /// The named facts behind the features.
    pub evidence: Evidence,
    /// Present only when the listing asked to include flagged partners.
    pub flags: Vec<Flag>,
}

/// A partner that would have been listed but is left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOut {
    pub partner: Ccode,
    pub score: f64,
    pub flags: Vec<Flag>,
}

/// A state's likeliest new partners as of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendations {
    pub state: Ccode,
    pub year: i32,
    /// The first and last years whose pairs the model was fitted on.
    pub training_years: (i32, i32),
    pub partners: Vec<Recommendation>,
    /// Partners scored above the last one listed but left out by the listing.
    pub left_out: Vec<LeftOut>,
}

/// The `top_k` likeliest new partners of `state` as of `year`: system members it shares
/// no alliance with that year, by the model fitted on years up to `year` (up to
/// [`Sources::outcomes_through`] when that is earlier).
pub fn recommend(
    sources: &Sources,
    state: Ccode,
    year: i32,
    top_k: usize,
    options: &Options,
    listing: Listing,
) -> Result<Recommendations, RecommendError> {
    let snapshot = Snapshot::new(sources, covered(sources, year)?);
    let i = snapshot.members.position(state).ok_or(RecommendError::NotAMember { state, year })?;
    let history = AllianceYears::new(sources.dyads);
    let training = model::Training::new(sources, &history, year.min(sources.outcomes_through), options)?;
    let fitted = Model::fit(&training, &sources.features(), options);
    let mut ranked: Vec<(usize, f64, features::Values)> = (0..snapshot.members.ccodes.len())
        .filter(|&j| snapshot.open(i, j))
        .map(|j| {
            let values = snapshot.features(sources, &history, i, j);
            (j, fitted.log_odds(&values), values)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let (mut partners, mut left_out) = (Vec::new(), Vec::new());
    for (j, log_odds, values) in ranked {
        if partners.len() == top_k {
            break;
        }
        let partner = snapshot.members.ccodes[j];
        let flags = flags(sources, &snapshot, i, j);
        let shown = flags.iter().all(|f| match f {
            Flag::Rival => listing.rivals,
            Flag::NotRecognised { .. } => listing.unrecognised,
        });
        if !shown {
            left_out.push(LeftOut { partner, score: logistic::sigmoid(log_odds), flags });
            continue;
        }
        partners.push(Recommendation {
            partner,
            score: logistic::sigmoid(log_odds),
            baseline: fitted.intercept,
            contributions: fitted.contributions(&values, year),
            evidence: snapshot.evidence(sources, &history, i, j),
            flags,
        });
    }
    Ok(Recommendations { state, year, training_years: fitted.training_years, partners, left_out })
}

/// What stands in the way of members `i` and `j` allying.
fn flags(sources: &Sources, snapshot: &Snapshot, i: usize, j: usize) -> Vec<Flag> {
    let (a, b) = (snapshot.members.ccodes[i], snapshot.members.ccodes[j]);
    let year = snapshot.year();
    let mut flags = Vec::new();
    if snapshot.rivals(i, j) {
        flags.push(Flag::Rival);
    }
    for (by, of) in [(a, b), (b, a)] {
        if sources.recognition.iter().any(|r| r.withheld(by, of, year)) {
            flags.push(Flag::NotRecognised { by, of });
        }
    }
    flags
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
