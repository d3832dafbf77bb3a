//! A [`Design`] resolved against a [`Panel`]: which states are treated, which may serve as
//! comparisons, and when.

use std::ops::RangeInclusive;

use super::{ComparisonGroup, Design, ImpactError, Panel};

/// A treated state of the sample: its first spell of treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Treated {
    /// Panel index.
    pub state: usize,
    pub entry: i32,
    /// The spell's last year; `None` while it lasts. Later years are not used.
    pub last: Option<i32>,
}

impl Treated {
    /// Whether year `t` may be used for this state: before entry, or while still bound.
    pub fn usable(&self, t: i32) -> bool {
        self.last.is_none_or(|last| t <= last)
    }
}

pub(super) struct Sample<'a> {
    pub panel: &'a Panel,
    pub window: RangeInclusive<i32>,
    pub rule: ComparisonGroup,
    /// Treated states, ascending: every state with an entry within the panel's years, or
    /// the focus state alone.
    pub treated: Vec<Treated>,
    /// Candidate comparison states (ascending); [`Sample::is_comparison`] decides when.
    pub pool: Vec<usize>,
    /// A one-state design: the pool was chosen for the focus state.
    pub focused: bool,
}

impl<'a> Sample<'a> {
    pub fn resolve(panel: &'a Panel, design: &Design) -> Result<Self, ImpactError> {
        let (start, end) = (*design.window.start(), *design.window.end());
        if start > -1 || end < 0 {
            return Err(ImpactError::InvalidWindow { start, end });
        }
        let index = |state| panel.index(state).ok_or(ImpactError::UnknownState(state));
        let treated_state = |s: usize| Some(Treated { state: s, entry: panel.cohort(s)?, last: panel.spell_end(s) });
        let all = 0..panel.states().len();
        let (treated, pool) = match &design.focus {
            None => (all.clone().filter_map(treated_state).collect(), all.collect()),
            Some(focus) => {
                let state = index(focus.state)?;
                let treated = treated_state(state).ok_or(ImpactError::FocusNotTreated(focus.state))?;
                let mut pool: Vec<usize> = match &focus.comparison {
                    None => all.filter(|&s| s != state).collect(),
                    Some(list) => list.iter().map(|&c| index(c)).collect::<Result<_, _>>()?,
                };
                if pool.contains(&state) {
                    return Err(ImpactError::FocusInComparison(focus.state));
                }
                pool.sort_unstable();
                pool.dedup();
                (vec![treated], pool)
            }
        };
        if treated.is_empty() {
            return Err(ImpactError::NoTreatedUnits);
        }
        Ok(Sample {
            panel,
            window: design.window.clone(),
            rule: design.comparison,
            treated,
            pool,
            focused: design.focus.is_some(),
        })
    }

    /// Whether `state` is a valid comparison for the cohort that entered in `cohort`, in
    /// `year`. Not yet treated means not treated by `year` nor by `cohort`: a long
    /// difference from g−1 to t needs the comparison untreated at both ends, and a state
    /// of the cohort itself (entry = g) is never its own comparison.
    pub fn is_comparison(&self, state: usize, cohort: i32, year: i32) -> bool {
        match (self.rule, self.panel.cohort(state)) {
            (_, None) => true,
            (ComparisonGroup::NeverTreated, Some(_)) => false,
            (ComparisonGroup::NotYetTreated, Some(entry)) => entry > year.max(cohort),
        }
    }

    /// The states of `pool` that serve as comparisons for the cohort of `cohort` in every
    /// year `years` spans.
    pub fn comparisons_throughout(&self, cohort: i32, years: RangeInclusive<i32>) -> Vec<usize> {
        self.pool.iter().copied().filter(|&s| years.clone().all(|t| self.is_comparison(s, cohort, t))).collect()
    }
}
