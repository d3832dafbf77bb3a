//! The input: a long, possibly unbalanced state-year panel of one outcome, and each
//! treated state's first spell of treatment.

use std::collections::BTreeMap;

use pactbase_model::Ccode;

use super::ImpactError;

/// One state-year of the outcome; `None` (missing) is the same as no row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    pub state: Ccode,
    pub year: i32,
    pub outcome: Option<f64>,
}

/// A state's first spell of treatment: bound from `first_year` through `last_year`
/// (`None`: still bound at the end of the data). Treatment is not absorbing: a state's
/// years after its first spell are left out of every estimate (docs/IMPACT.md, "Treatment
/// that ends").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Treatment {
    pub state: Ccode,
    pub first_year: i32,
    pub last_year: Option<i32>,
}

impl Treatment {
    /// Bound from `first_year` for good (absorbing).
    pub fn from(state: Ccode, first_year: i32) -> Treatment {
        Treatment { state, first_year, last_year: None }
    }
}

/// A validated panel. Its years run from the first to the last year with an observed
/// outcome; an entry after the last year is outside the panel, so that state counts as
/// never treated (as in Callaway & Sant'Anna's `did` package).
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Every state with a row, ascending; indices into this are the crate-internal ids.
    states: Vec<Ccode>,
    /// Observed outcomes per state, ascending by year.
    outcomes: Vec<Vec<(i32, f64)>>,
    /// First spell of treatment per state, (first year, last year), if it starts within
    /// the panel's years.
    spells: Vec<Option<(i32, Option<i32>)>>,
    /// The cluster of each state for standard errors: itself unless
    /// [`Panel::clustered_by`] groups units (the two directions of a dyad).
    clusters: Vec<usize>,
    cluster_count: usize,
    first_year: i32,
    last_year: i32,
}

impl Panel {
    /// `treatments` gives each treated state's first spell (entry into the agreement, or
    /// the first year bound by an obligation of the kind, to the last year of that
    /// spell); every other state is never treated. Treatments of states without rows are
    /// ignored.
    pub fn new(
        observations: impl IntoIterator<Item = Observation>,
        treatments: impl IntoIterator<Item = Treatment>,
    ) -> Result<Panel, ImpactError> {
        let mut rows: BTreeMap<Ccode, BTreeMap<i32, Option<f64>>> = BTreeMap::new();
        for Observation { state, year, outcome } in observations {
            if outcome.is_some_and(|y| !y.is_finite()) {
                return Err(ImpactError::NonFiniteOutcome { state, year });
            }
            if rows.entry(state).or_default().insert(year, outcome).is_some() {
                return Err(ImpactError::DuplicateObservation { state, year });
            }
        }
        let mut spells: BTreeMap<Ccode, (i32, Option<i32>)> = BTreeMap::new();
        for Treatment { state, first_year, last_year } in treatments {
            if last_year.is_some_and(|last| last < first_year) {
                return Err(ImpactError::InvalidSpell {
                    state,
                    first_year,
                    last_year: last_year.unwrap_or(first_year),
                });
            }
            if *spells.entry(state).or_insert((first_year, last_year)) != (first_year, last_year) {
                return Err(ImpactError::ConflictingEntries { state });
            }
        }

        let states: Vec<Ccode> = rows.keys().copied().collect();
        let outcomes: Vec<Vec<(i32, f64)>> =
            rows.into_values().map(|years| years.into_iter().filter_map(|(t, y)| Some((t, y?))).collect()).collect();
        let first_year =
            outcomes.iter().filter_map(|o| o.first()).map(|&(t, _)| t).min().ok_or(ImpactError::EmptyPanel)?;
        let last_year =
            outcomes.iter().filter_map(|o| o.last()).map(|&(t, _)| t).max().ok_or(ImpactError::EmptyPanel)?;
        let spells = states.iter().map(|s| spells.get(s).copied().filter(|&(g, _)| g <= last_year)).collect();
        let cluster_count = states.len();
        Ok(Panel {
            clusters: (0..cluster_count).collect(),
            cluster_count,
            states,
            outcomes,
            spells,
            first_year,
            last_year,
        })
    }

    /// The panel with standard errors clustered by `cluster` of each unit instead of by
    /// unit: units whose shocks are shared (a dyad's two directions) are one cluster.
    pub fn clustered_by<K: Ord>(mut self, cluster: impl Fn(Ccode) -> K) -> Panel {
        let mut ids: BTreeMap<K, usize> = BTreeMap::new();
        self.clusters = self
            .states
            .iter()
            .map(|&s| {
                let next = ids.len();
                *ids.entry(cluster(s)).or_insert(next)
            })
            .collect();
        self.cluster_count = ids.len();
        self
    }

    /// The cluster of the state at `index`, and how many clusters there are.
    pub(super) fn cluster(&self, index: usize) -> usize {
        self.clusters[index]
    }

    pub(super) fn cluster_count(&self) -> usize {
        self.cluster_count
    }

    /// The states with rows, ascending.
    pub fn states(&self) -> &[Ccode] {
        &self.states
    }

    /// The first and last years with an observed outcome.
    pub fn years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    pub(super) fn index(&self, state: Ccode) -> Option<usize> {
        self.states.binary_search(&state).ok()
    }

    /// The state's first year of treatment, if within the panel's years.
    pub(super) fn cohort(&self, state: usize) -> Option<i32> {
        self.spells[state].map(|(g, _)| g)
    }

    /// The last year of the state's first spell of treatment; `None` while it lasts.
    pub(super) fn spell_end(&self, state: usize) -> Option<i32> {
        self.spells[state].and_then(|(_, last)| last)
    }

    pub(super) fn outcome(&self, state: usize, year: i32) -> Option<f64> {
        let observed = &self.outcomes[state];
        observed.binary_search_by_key(&year, |&(t, _)| t).ok().map(|i| observed[i].1)
    }

    /// The state's observed outcomes, ascending by year.
    pub(super) fn observed(&self, state: usize) -> &[(i32, f64)] {
        &self.outcomes[state]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(state: Ccode, year: i32, outcome: Option<f64>) -> Observation {
        Observation { state, year, outcome }
    }

    #[test]
    fn years_span_observed_outcomes_and_late_entries_are_never_treated() {
        let rows = [row(2, 1950, None), row(2, 1951, Some(1.0)), row(2, 1953, Some(2.0)), row(770, 1952, Some(0.5))];
        let panel = Panel::new(rows, [Treatment::from(2, 1952), Treatment::from(770, 1960)]).unwrap();
        assert_eq!(panel.states(), [2, 770]);
        assert_eq!(panel.years(), (1951, 1953));
        assert_eq!(panel.cohort(0), Some(1952));
        assert_eq!(panel.cohort(1), None, "entry after the panel's last year");
        assert_eq!(panel.outcome(0, 1953), Some(2.0));
        assert_eq!(panel.outcome(0, 1950), None);
        assert_eq!(panel.observed(0), [(1951, 1.0), (1953, 2.0)]);
    }

    #[test]
    fn invalid_input_is_rejected() {
        let twice = [row(2, 1950, Some(1.0)), row(2, 1950, None)];
        assert_eq!(Panel::new(twice, []), Err(ImpactError::DuplicateObservation { state: 2, year: 1950 }));
        assert_eq!(
            Panel::new([row(2, 1950, Some(f64::NAN))], []),
            Err(ImpactError::NonFiniteOutcome { state: 2, year: 1950 })
        );
        assert_eq!(
            Panel::new([row(2, 1950, Some(1.0))], [Treatment::from(2, 1950), Treatment::from(2, 1951)]),
            Err(ImpactError::ConflictingEntries { state: 2 })
        );
        let backwards = Treatment { state: 2, first_year: 1950, last_year: Some(1949) };
        assert_eq!(
            Panel::new([row(2, 1950, Some(1.0))], [backwards]),
            Err(ImpactError::InvalidSpell { state: 2, first_year: 1950, last_year: 1949 })
        );
        assert_eq!(Panel::new([row(2, 1950, None)], []), Err(ImpactError::EmptyPanel));
        assert_eq!(Panel::new([], []), Err(ImpactError::EmptyPanel));
    }
}
