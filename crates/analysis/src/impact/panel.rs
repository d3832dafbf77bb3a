//! The input: a long, possibly unbalanced state-year panel of one outcome, and each
//! state's first year of treatment.

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

/// A validated panel. Its years run from the first to the last year with an observed
/// outcome; an entry after the last year is outside the panel, so that state counts as
/// never treated (as in Callaway & Sant'Anna's `did` package).
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Every state with a row, ascending; indices into this are the crate-internal ids.
    states: Vec<Ccode>,
    /// Observed outcomes per state, ascending by year.
    outcomes: Vec<Vec<(i32, f64)>>,
    /// First year of treatment per state, if it falls within the panel's years.
    cohorts: Vec<Option<i32>>,
    first_year: i32,
    last_year: i32,
}

impl Panel {
    /// `entries` gives each treated state's first year of treatment (entry into the
    /// agreement, or into the first agreement of the kind); every other state is never
    /// treated. Entries of states without rows are ignored.
    pub fn new(
        observations: impl IntoIterator<Item = Observation>,
        entries: impl IntoIterator<Item = (Ccode, i32)>,
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
        let mut entry_years: BTreeMap<Ccode, i32> = BTreeMap::new();
        for (state, year) in entries {
            if *entry_years.entry(state).or_insert(year) != year {
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
        let cohorts = states.iter().map(|s| entry_years.get(s).copied().filter(|&g| g <= last_year)).collect();
        Ok(Panel { states, outcomes, cohorts, first_year, last_year })
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
        self.cohorts[state]
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
        let panel = Panel::new(rows, [(2, 1952), (770, 1960)]).unwrap();
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
            Panel::new([row(2, 1950, Some(1.0))], [(2, 1950), (2, 1951)]),
            Err(ImpactError::ConflictingEntries { state: 2 })
        );
        assert_eq!(Panel::new([row(2, 1950, None)], []), Err(ImpactError::EmptyPanel));
        assert_eq!(Panel::new([], []), Err(ImpactError::EmptyPanel));
    }
}
