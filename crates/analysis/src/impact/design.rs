//! A [`Design`] resolved against a [`Panel`]: which states are treated, which may serve as
//! comparisons, and when.

use std::ops::RangeInclusive;

use super::{ComparisonGroup, Design, ImpactError, Panel};

pub(super) struct Sample<'a> {
    pub panel: &'a Panel,
    pub window: RangeInclusive<i32>,
    pub rule: ComparisonGroup,
    /// Treated states (panel index, entry year), ascending: every state with an entry
    /// within the panel's years, or the focus state alone.
    pub treated: Vec<(usize, i32)>,
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
        let all = 0..panel.states().len();
        let (treated, pool) = match &design.focus {
            None => (all.clone().filter_map(|s| Some((s, panel.cohort(s)?))).collect(), all.collect()),
            Some(focus) => {
                let state = index(focus.state)?;
                let entry = panel.cohort(state).ok_or(ImpactError::FocusNotTreated(focus.state))?;
                let mut pool: Vec<usize> = match &focus.comparison {
                    None => all.filter(|&s| s != state).collect(),
                    Some(list) => list.iter().map(|&c| index(c)).collect::<Result<_, _>>()?,
                };
                if pool.contains(&state) {
                    return Err(ImpactError::FocusInComparison(focus.state));
                }
                pool.sort_unstable();
                pool.dedup();
                (vec![(state, entry)], pool)
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
}
