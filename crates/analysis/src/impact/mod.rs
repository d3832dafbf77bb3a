//! Impact evaluation (FIELD.md §7, issue 5 part 2): event studies of entry into an
//! agreement on a state-year outcome (military expenditure, CINC, exercise counts).
//!
//! Two estimators answer the same question, "how did the outcome move, relative to the
//! year before entry, compared with states that had not entered?":
//!
//! - [`Estimator::CallawaySantAnna`] (the default): group-time average treatment effects
//!   ATT(g, t) of Callaway & Sant'Anna (2021), each a difference of long differences
//!   `Y(t) − Y(g−1)` between the states that entered in year g and a comparison group,
//!   aggregated to relative years with weights proportional to the number of treated states
//!   contributing. Robust to staggered entry with effects that differ across cohorts and
//!   over time. Standard errors are analytic, from the influence function, clustered by
//!   state; there is no bootstrap and no seed.
//! - [`Estimator::TwoWayFixedEffects`]: the conventional event-study regression with
//!   state and year fixed effects, relative-time indicators binned at the window's ends
//!   and CR1 standard errors clustered by state. Reported for comparison only: under
//!   staggered entry with heterogeneous effects its coefficients mix effects of other
//!   relative years and other cohorts (Sun & Abraham 2021; Goodman-Bacon 2021).
//!
//! Formulas, assumptions and how to read the output: `docs/IMPACT.md`.
//!
//! ```no_run
//! # use pactbase_analysis::impact::*;
//! # fn f(observations: Vec<Observation>, entries: Vec<Treatment>) -> Result<(), ImpactError> {
//! let panel = Panel::new(observations, entries)?;
//! let design = Design { window: -5..=10, comparison: ComparisonGroup::NotYetTreated, focus: None };
//! let study = estimate(&panel, &design, Estimator::CallawaySantAnna)?;
//! for row in &study.relative_years {
//!     if let Some(e) = row.estimate {
//!         println!("{:>3} {:8.3} [{:.3}, {:.3}] n={}/{}", row.relative_year, e.value, e.ci_low, e.ci_high, row.treated, row.comparison);
//!     }
//! }
//! // One state's entry (Pakistan, 770) against a chosen comparison group.
//! let focus = Focus { state: 770, comparison: Some(vec![700, 750, 771]) };
//! let pakistan = estimate(&panel, &Design { focus: Some(focus), ..design }, Estimator::CallawaySantAnna)?;
//! println!("{:?} {:?}", pakistan.comparison_states, pakistan.caveats.iter().map(|c| c.text()).collect::<Vec<_>>());
//! # Ok(()) }
//! ```

mod callaway_santanna;
mod design;
mod linalg;
mod panel;
mod placebo;
mod simplex;
mod stats;
mod synthetic;
#[cfg(test)]
mod tests;
mod treatment;
mod twfe;

use std::ops::RangeInclusive;

use pactbase_model::Ccode;
use serde::Serialize;

pub use panel::{Observation, Panel, Treatment};
pub use placebo::{placebo_in_space, PlaceboEffect, PlaceboInference};
pub use synthetic::{synthetic_control, DonorWeight, SyntheticControl, SyntheticGap};
pub use treatment::{obligation_spells, Bound, ObligationTypes};

/// The normal quantile for two-sided 95% intervals.
const Z_95: f64 = 1.959_963_984_540_054;

/// Tests reject at this level: the 5% of the 95% intervals.
pub const SIGNIFICANCE: f64 = 0.05;

/// Which states serve as comparisons for the states that entered in year g, in year t.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ComparisonGroup {
    /// States that never enter within the panel's years.
    #[default]
    NeverTreated,
    /// States that have not entered by year t nor by year g (never-treated included): more
    /// comparisons, but it assumes later entrants did not anticipate their entry.
    NotYetTreated,
}

/// One state's entry, evaluated on its own (e.g. Pakistan into SEATO, 1954).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    pub state: Ccode,
    /// The states to compare it with; `None` for every other state. Either way a state
    /// serves only while [`Design::comparison`] allows it (a listed state that entered
    /// earlier is not a never-treated comparison); [`EventStudy::comparison_states`]
    /// reports the ones actually used.
    pub comparison: Option<Vec<Ccode>>,
}

/// What to estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Design {
    /// Relative years e = t − g reported; must contain −1 (the reference) and 0.
    pub window: RangeInclusive<i32>,
    pub comparison: ComparisonGroup,
    /// Restrict the treated states to one; `None`: every state with an entry year.
    pub focus: Option<Focus>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Estimator {
    /// Robust to staggered entry with heterogeneous effects: the one to report.
    #[default]
    CallawaySantAnna,
    /// The conventional regression, for comparison; biased under staggered entry with
    /// effects that vary across cohorts or over time.
    TwoWayFixedEffects,
}

impl Estimator {
    /// The estimator's name, as charts and tables should print it.
    pub fn name(self) -> &'static str {
        match self {
            Estimator::CallawaySantAnna => "Callaway & Sant'Anna (2021) group-time ATT, aggregated by relative year",
            Estimator::TwoWayFixedEffects => "Two-way fixed effects event-study regression (OLS, binned endpoints)",
        }
    }

    /// How its standard errors are computed.
    pub fn inference(self) -> &'static str {
        match self {
            Estimator::CallawaySantAnna => {
                "analytic influence-function standard errors clustered by state; normal 95% intervals"
            }
            Estimator::TwoWayFixedEffects => "CR1 cluster-robust standard errors by state; normal 95% intervals",
        }
    }
}

/// A point estimate with its standard error and normal 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Estimate {
    pub value: f64,
    /// Null where rounding leaves the regression's variance below zero (its square root,
    /// and so the interval, is then not a number).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, required = true))]
    pub std_error: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, required = true))]
    pub ci_low: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, required = true))]
    pub ci_high: f64,
}

impl Estimate {
    fn new(value: f64, std_error: f64) -> Self {
        Estimate { value, std_error, ci_low: value - Z_95 * std_error, ci_high: value + Z_95 * std_error }
    }

    /// The reference period: zero by construction, without sampling error.
    const REFERENCE: Estimate = Estimate { value: 0.0, std_error: 0.0, ci_low: 0.0, ci_high: 0.0 };
}

/// One relative year of an event study.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RelativeYear {
    /// e = t − g: 0 is the year of entry, −1 the reference.
    pub relative_year: i32,
    /// `None` where nothing could be estimated (no treated state observed at e, too few
    /// comparisons, or an indicator collinear with the fixed effects).
    pub estimate: Option<Estimate>,
    /// Treated states contributing at e.
    pub treated: usize,
    /// Comparison states contributing at e (see `docs/IMPACT.md` for each estimator's count).
    pub comparison: usize,
    /// e = −1: every estimate is relative to it, so it is 0 by construction.
    pub reference: bool,
    /// A binned endpoint (regression only): it also absorbs the relative years beyond it.
    pub binned: bool,
}

/// Why a treated state contributes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ExclusionReason {
    /// Entered in or before the panel's first year: no year g−1 to difference from.
    NoPrePeriod,
    /// Its outcome in g−1, the base of every long difference, is missing.
    MissingBaseOutcome,
    /// No relative year in the window with its outcome observed and at least two
    /// comparison states observed in the same years.
    NoUsableCell,
    /// Observed in the window, but in no relative year with at least two comparison states
    /// observed as well (the cohorts of 1816–1947 under never-treated comparisons, when a
    /// single state never enters).
    TooFewComparisons,
    /// Fewer than two observed outcomes: nothing is left once its state effect is absorbed.
    TooFewOutcomes,
}

impl ExclusionReason {
    /// The reason in words.
    pub fn text(self) -> &'static str {
        match self {
            ExclusionReason::NoPrePeriod => "entered in or before the panel's first year: no year before entry",
            ExclusionReason::MissingBaseOutcome => "no outcome in the year before entry, the base of every difference",
            ExclusionReason::NoUsableCell => "no outcome observed in the window's years",
            ExclusionReason::TooFewComparisons => "fewer than two comparison states observed in the same years",
            ExclusionReason::TooFewOutcomes => "fewer than two observed outcomes",
        }
    }
}

/// A treated state that contributes to no estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exclusion {
    pub state: Ccode,
    pub entry: i32,
    pub reason: ExclusionReason,
}

/// The treated states that entered in one year, and how many of them and of the
/// comparison states the estimates could use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cohort {
    pub entry: i32,
    /// The cohort's treated states.
    pub states: Vec<Ccode>,
    /// How many of them contribute to some estimate (the others are in
    /// [`EventStudy::excluded`] with the reason).
    pub contributing: usize,
    /// The most comparison states observed beside the cohort in one relative year
    /// (regression: the comparison states in the regression).
    pub comparisons: usize,
}

/// The joint Wald test that every pre-entry estimate (relative years before −1) is zero:
/// the check of parallel trends and no anticipation that the design rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreTrendTest {
    /// The relative years tested.
    pub leads: Vec<i32>,
    /// θ′ V⁻¹ θ over the leads, with V their estimated covariance.
    pub statistic: f64,
    /// Degrees of freedom: the leads whose covariance is not collinear with the others'.
    pub df: usize,
    /// From the χ² distribution with `df` degrees of freedom.
    pub p_value: f64,
    /// p < 5%: the leads differ jointly from zero, so a post-entry average is not an
    /// estimate of the effect of entry.
    pub rejected: bool,
}

impl PreTrendTest {
    /// The test of the `leads` (relative year, estimate) with covariance `cov(i, j)`;
    /// `None` without leads or when their covariance is zero.
    fn wald(leads: Vec<(i32, f64)>, cov: impl Fn(usize, usize) -> f64) -> Option<PreTrendTest> {
        let n = leads.len();
        let v: Vec<f64> = (0..n * n).map(|k| cov(k / n, k % n)).collect();
        let (kept, inverse) = linalg::inverse_dropping_collinear(&v, n);
        let df = kept.len();
        if df == 0 {
            return None;
        }
        let theta: Vec<f64> = kept.iter().map(|&k| leads[k].1).collect();
        let statistic: f64 =
            (0..df).map(|r| (0..df).map(|c| theta[r] * inverse[r * df + c] * theta[c]).sum::<f64>()).sum();
        let p_value = stats::chi_square_survival(statistic.max(0.0), df);
        Some(PreTrendTest {
            leads: leads.iter().map(|&(e, _)| e).collect(),
            statistic,
            df,
            p_value,
            rejected: p_value < SIGNIFICANCE,
        })
    }
}

/// A limit on how far an event study's intervals can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Caveat {
    /// Some relative year has a single treated state, whose own shocks cannot be estimated
    /// from it: their variance is borrowed from the comparison states, which assumes the
    /// treated state's shocks are drawn like theirs.
    BorrowedVariance,
    /// The regression has a single treated state: cluster-robust errors with one treated
    /// cluster understate the uncertainty badly (in simulation its 95% intervals cover the
    /// truth about a quarter of the time). Read the other estimator's intervals.
    SingleTreatedCluster,
    /// The pre-entry estimates differ jointly from zero ([`PreTrendTest::rejected`]):
    /// treated and comparison states were already moving apart before entry, so the
    /// post-entry average mixes that trend with any effect.
    PreTrends,
}

impl Caveat {
    /// One line for the reader of a table or chart.
    pub fn text(self) -> &'static str {
        match self {
            Caveat::BorrowedVariance => {
                "one treated state at some relative years: its variance is borrowed from the comparison states"
            }
            Caveat::SingleTreatedCluster => {
                "one treated state: the regression's clustered standard errors are not valid and understate uncertainty"
            }
            Caveat::PreTrends => {
                "the pre-entry estimates differ jointly from zero (p < 0.05): the states were already diverging before \
                 entry, so the post-entry average is not an estimate of the effect"
            }
        }
    }
}

/// An event study's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventStudy {
    pub estimator: Estimator,
    pub comparison_group: ComparisonGroup,
    /// One row per relative year of the window, in order.
    pub relative_years: Vec<RelativeYear>,
    /// The average over the window's post-entry relative years (e ≥ 0), each relative
    /// year weighted equally; `None` if none was estimated. An estimate of the effect only
    /// when the pre-entry test does not reject: read it through [`EventStudy::effect`].
    pub post_att: Option<Estimate>,
    /// The joint test of the pre-entry estimates; `None` when the window has none.
    pub pre_trends: Option<PreTrendTest>,
    /// Treated states that contribute to at least one estimate.
    pub treated_states: Vec<Ccode>,
    /// States that serve as comparisons in at least one estimate.
    pub comparison_states: Vec<Ccode>,
    /// Treated states left out, and why.
    pub excluded: Vec<Exclusion>,
    /// Every cohort of treated states, by entry year, with what it contributed.
    pub cohorts: Vec<Cohort>,
    pub caveats: Vec<Caveat>,
}

impl EventStudy {
    /// The post-entry average as an estimate of the effect of entry: `None` when the
    /// pre-entry estimates reject parallel trends (or nothing was estimated).
    pub fn effect(&self) -> Option<&Estimate> {
        self.post_att.as_ref().filter(|_| !self.pre_trends.as_ref().is_some_and(|t| t.rejected))
    }

    fn with_pre_trend_caveat(mut self) -> Self {
        if self.pre_trends.as_ref().is_some_and(|t| t.rejected) {
            self.caveats.push(Caveat::PreTrends);
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImpactError {
    #[error("no outcome is observed in the panel")]
    EmptyPanel,
    #[error("state {state} has two observations for {year}")]
    DuplicateObservation { state: Ccode, year: i32 },
    #[error("state {state} has a non-finite outcome in {year}")]
    NonFiniteOutcome { state: Ccode, year: i32 },
    #[error("state {state} is given two different spells of treatment")]
    ConflictingEntries { state: Ccode },
    #[error("state {state}'s spell of treatment ends in {last_year}, before it starts in {first_year}")]
    InvalidSpell { state: Ccode, first_year: i32, last_year: i32 },
    #[error("window {start}..={end} must contain the reference year -1 and the entry year 0")]
    InvalidWindow { start: i32, end: i32 },
    #[error("state {0} is not in the panel")]
    UnknownState(Ccode),
    #[error("state {0} has no entry within the panel's years")]
    FocusNotTreated(Ccode),
    #[error("state {0} cannot be both the treated state and a comparison")]
    FocusInComparison(Ccode),
    #[error("no state enters within the panel's years")]
    NoTreatedUnits,
    #[error(
        "every treated state entered in or before the panel's first year, so none has a pre-entry year to compare with"
    )]
    NoPrePeriod,
    #[error("no state qualifies as a comparison under this comparison group")]
    NoComparisonUnits,
    #[error("no relative year could be estimated: too few observed outcomes around the entries")]
    NothingEstimable,
    #[error("every relative-time indicator is collinear with the state and year effects")]
    Collinear,
    /// Units other than states (directed dyads) are numbered like states, up to 65,535.
    #[error("{0} units are more than one study can number (65,535)")]
    TooManyUnits(usize),
    #[error("placebo and synthetic-control inference need one treated state: give a focus state")]
    NotOneState,
    #[error("too few comparison states are observed in every year around the entry to build a synthetic control")]
    TooFewDonors,
}

/// Runs an event study of `design` on `panel`.
pub fn estimate(panel: &Panel, design: &Design, estimator: Estimator) -> Result<EventStudy, ImpactError> {
    let sample = design::Sample::resolve(panel, design)?;
    match estimator {
        Estimator::CallawaySantAnna => callaway_santanna::estimate(&sample),
        Estimator::TwoWayFixedEffects => twfe::estimate(&sample),
    }
}

/// The weights of [`EventStudy::post_att`]: every estimated post-entry relative year of
/// the window, equally; empty if none was estimated.
fn post_weights(window: &RangeInclusive<i32>, estimated: impl Fn(i32) -> bool) -> Vec<(i32, f64)> {
    let post: Vec<i32> = (0..=*window.end()).filter(|&e| estimated(e)).collect();
    let weight = 1.0 / post.len() as f64;
    post.into_iter().map(|e| (e, weight)).collect()
}
