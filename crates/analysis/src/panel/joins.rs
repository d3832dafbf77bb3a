//! The non-alliance datasets, indexed for the panel's per-year lookups.

use std::collections::HashMap;

use pactbase_model::research::{MmeExercise, NmcRow, Rivalry, SipriMilex};
use pactbase_model::Ccode;

/// COW National Material Capabilities by state-year.
pub struct Capabilities(HashMap<(Ccode, i32), NmcRow>);

impl Capabilities {
    pub fn new(rows: &[NmcRow]) -> Self {
        Capabilities(rows.iter().map(|r| ((r.ccode, r.year), *r)).collect())
    }

    pub fn get(&self, ccode: Ccode, year: i32) -> Option<&NmcRow> {
        self.0.get(&(ccode, year))
    }
}

/// SIPRI military expenditure (constant 2017 US$ m) by state-year.
pub struct Expenditure(HashMap<(Ccode, i32), f64>);

impl Expenditure {
    pub fn new(rows: &[SipriMilex]) -> Self {
        Expenditure(rows.iter().map(|r| ((r.ccode, r.year), r.usd2017m)).collect())
    }

    pub fn get(&self, ccode: Ccode, year: i32) -> Option<f64> {
        self.0.get(&(ccode, year)).copied()
    }
}

/// Counts of exercises: all, then one per MME domain (cpx air land sea amphibious cyber).
pub type ExerciseCounts = [u32; 7];

/// Multinational military exercises counted per dyad-year and per state-year, by the
/// year an exercise started.
pub struct Exercises {
    dyads: HashMap<(i32, Ccode, Ccode), ExerciseCounts>,
    states: HashMap<(Ccode, i32), ExerciseCounts>,
}

impl Exercises {
    pub fn new(exercises: &[MmeExercise]) -> Self {
        let mut dyads: HashMap<(i32, Ccode, Ccode), ExerciseCounts> = HashMap::new();
        let mut states: HashMap<(Ccode, i32), ExerciseCounts> = HashMap::new();
        let add = |counts: &mut ExerciseCounts, e: &MmeExercise| {
            counts[0] += 1;
            for (slot, &on) in counts[1..].iter_mut().zip(&e.domains) {
                *slot += u32::from(on);
            }
        };
        for e in exercises {
            let mut participants = e.participants.clone();
            participants.sort_unstable();
            participants.dedup();
            for (i, &a) in participants.iter().enumerate() {
                add(states.entry((a, e.year)).or_default(), e);
                for &b in &participants[i + 1..] {
                    add(dyads.entry((e.year, a, b)).or_default(), e);
                }
            }
        }
        Exercises { dyads, states }
    }

    pub fn dyad(&self, year: i32, a: Ccode, b: Ccode) -> ExerciseCounts {
        let key = if a < b { (year, a, b) } else { (year, b, a) };
        self.dyads.get(&key).copied().unwrap_or_default()
    }

    pub fn state(&self, ccode: Ccode, year: i32) -> ExerciseCounts {
        self.states.get(&(ccode, year)).copied().unwrap_or_default()
    }
}

/// Strategic rivalries by (unordered) pair.
pub struct Rivalries {
    pairs: HashMap<(Ccode, Ccode), Vec<Rivalry>>,
    by_state: HashMap<Ccode, Vec<Rivalry>>,
}

impl Rivalries {
    pub fn new(rivalries: &[Rivalry]) -> Self {
        let mut pairs: HashMap<(Ccode, Ccode), Vec<Rivalry>> = HashMap::new();
        let mut by_state: HashMap<Ccode, Vec<Rivalry>> = HashMap::new();
        for r in rivalries {
            let key = (r.ccode1.min(r.ccode2), r.ccode1.max(r.ccode2));
            pairs.entry(key).or_default().push(r.clone());
            by_state.entry(r.ccode1).or_default().push(r.clone());
            by_state.entry(r.ccode2).or_default().push(r.clone());
        }
        Rivalries { pairs, by_state }
    }

    /// The rivalry of `a` and `b` active in `year`, if any.
    pub fn active(&self, a: Ccode, b: Ccode, year: i32) -> Option<&Rivalry> {
        self.pairs.get(&(a.min(b), a.max(b)))?.iter().find(|r| r.active_in(year))
    }

    /// How many rivalries `ccode` is engaged in during `year`.
    pub fn count(&self, ccode: Ccode, year: i32) -> u32 {
        self.by_state.get(&ccode).map_or(0, |v| v.iter().filter(|r| r.active_in(year)).count() as u32)
    }
}
