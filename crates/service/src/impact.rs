//! Impact studies as the front ends run them: who entered when (each state's first entry
//! into the agreements studied), the outcome series from the imported datasets, and the
//! design; `pactbase impact`, the country report and `/api/v1/impact` all go through here.

use std::collections::BTreeMap;

use pactbase_analysis::impact::{self, ComparisonGroup, Design, Estimator, EventStudy, Focus, Observation, Panel};
use pactbase_analysis::panel::Exercises;
use pactbase_model::{Agreement, Ccode, StateIndex};
use pactbase_store::Store;

use crate::research::{require, system};
use crate::Result;

/// What an agreement's effect is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImpactOutcome {
    /// Military expenditure (COW NMC), in logs.
    Milex,
    /// Composite Index of National Capability (COW NMC).
    Cinc,
    /// Multinational exercises per year (MME, 1980–2016).
    Exercises,
}

impl ImpactOutcome {
    /// `milex`, `cinc` or `exercises`.
    pub fn parse(text: &str) -> Option<ImpactOutcome> {
        match text {
            "milex" => Some(ImpactOutcome::Milex),
            "cinc" => Some(ImpactOutcome::Cinc),
            "exercises" => Some(ImpactOutcome::Exercises),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ImpactOutcome::Milex => "log military expenditure (COW NMC)",
            ImpactOutcome::Cinc => "CINC (COW NMC)",
            ImpactOutcome::Exercises => "multinational exercises per year (MME)",
        }
    }
}

/// One event study: entry into `treatment` and its effect on `outcome`.
#[derive(Debug, Clone)]
pub struct Study {
    /// In words, for summaries and chart titles (an agreement, or "first … agreement").
    pub treatment: String,
    pub outcome: ImpactOutcome,
    /// Relative years, from before entry (≤ −1) to after it (≥ 0).
    pub window: (i32, i32),
    /// One treated state to report on, optionally against named comparison states.
    pub state: Option<Ccode>,
    pub compare: Option<Vec<Ccode>>,
    pub comparison: ComparisonGroup,
    pub estimator: Estimator,
}

/// `-5..10` → (−5, 10); the window must hold the reference year −1 and the entry year 0.
pub fn parse_window(text: &str) -> Result<(i32, i32), String> {
    let bad = || format!("`{text}` is not a window: write FROM..TO, e.g. -5..10 (it must include -1 and 0)");
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let (a, b): (i32, i32) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a > -1 || b < 0 {
        return Err(bad());
    }
    Ok((a, b))
}

/// The event study of entry into `agreements` (each state's first entry counts).
pub fn estimate(store: &Store, agreements: &[Agreement], study: &Study) -> Result<EventStudy> {
    let mut entries: BTreeMap<Ccode, i32> = BTreeMap::new();
    for a in agreements {
        for m in &a.members {
            let e = entries.entry(m.ccode).or_insert(m.joined.year);
            *e = (*e).min(m.joined.year);
        }
    }
    let panel = Panel::new(observations(store, study.outcome)?, entries)?;
    let design = Design {
        window: study.window.0..=study.window.1,
        comparison: study.comparison,
        focus: study.state.map(|state| Focus { state, comparison: study.compare.clone() }),
    };
    Ok(impact::estimate(&panel, &design, study.estimator)?)
}

fn observations(store: &Store, outcome: ImpactOutcome) -> Result<Vec<Observation>> {
    Ok(match outcome {
        ImpactOutcome::Milex | ImpactOutcome::Cinc => {
            require(store, "nmc", "nmc FILE")?;
            let milex = outcome == ImpactOutcome::Milex;
            store
                .nmc()?
                .into_iter()
                .map(|r| Observation {
                    state: r.ccode,
                    year: r.year,
                    // Expenditure spans six orders of magnitude: effects are read in logs.
                    outcome: if milex { r.milex.filter(|&m| m > 0.0).map(f64::ln) } else { r.cinc },
                })
                .collect()
        }
        ImpactOutcome::Exercises => {
            require(store, "mme", "mme FILE")?;
            let exercises = Exercises::new(&store.mme()?);
            let (system, _) = system(store, &store.state_index()?, (1980, 2016))?;
            // Every system member in the MME years: no exercise is a 0, not a gap.
            system
                .years()
                .iter()
                .flat_map(|y| {
                    let exercises = &exercises;
                    y.ccodes.iter().map(move |&c| Observation {
                        state: c,
                        year: y.year,
                        outcome: Some(f64::from(exercises.state(c, y.year)[0])),
                    })
                })
                .collect()
        }
    })
}

/// A few lines naming the design: estimator, inference, who is compared with whom.
pub fn summary(r: &EventStudy, study: &Study, index: &StateIndex) -> String {
    let names = |v: &[Ccode]| {
        let shown: Vec<String> = v.iter().take(12).map(|&c| index.label(c)).collect();
        let more = if v.len() > 12 { format!(" … ({} states)", v.len()) } else { String::new() };
        format!("{}{more}", shown.join(" "))
    };
    let mut s = format!(
        "treatment: entry into {} · outcome: {} · estimator: {} ({})\ntreated: {}\ncomparison ({}): {}",
        study.treatment,
        study.outcome.label(),
        r.estimator.name(),
        r.estimator.inference(),
        names(&r.treated_states),
        match r.comparison_group {
            ComparisonGroup::NeverTreated => "never-treated states",
            ComparisonGroup::NotYetTreated => "never- and not-yet-treated states",
        },
        names(&r.comparison_states)
    );
    if let Some(att) = &r.post_att {
        s.push_str(&format!(
            "\naverage effect after entry: {:.4} (95% CI {:.4} to {:.4})",
            att.value, att.ci_low, att.ci_high
        ));
    }
    for c in &r.caveats {
        s.push_str(&format!("\ncaveat: {}", c.text()));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::parse_window;

    #[test]
    fn windows_must_hold_the_reference_and_entry_years() {
        assert_eq!(parse_window("-5..10").unwrap(), (-5, 10));
        assert_eq!(parse_window(" -3 .. 0").unwrap(), (-3, 0));
        for bad in ["0..10", "-5..-2", "5", "-5..x", ""] {
            assert!(parse_window(bad).is_err(), "{bad}");
        }
    }
}
