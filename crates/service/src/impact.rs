//! Impact studies as the front ends run them: who entered when (each state's first entry
//! into the agreements studied), the outcome series from the imported datasets, and the
//! design; `pactbase impact`, the country report and `/api/v1/impact` all go through here.

use std::collections::BTreeMap;

use pactbase_analysis::assessment::timeline::{main_alliances, Timeline};
use pactbase_analysis::impact::{self, ComparisonGroup, Design, Estimator, EventStudy, Focus, Observation, Panel};
use pactbase_analysis::panel::Exercises;
use pactbase_charts::{Band, Figure, LineChart, Options, Series};
use pactbase_model::coverage::MME;
use pactbase_model::research::Dataset;
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
    /// Multinational exercises per year (MME, 1980–2010).
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
    estimate_on(observations(store, study.outcome)?, agreements, study)
}

fn estimate_on(observations: Vec<Observation>, agreements: &[Agreement], study: &Study) -> Result<EventStudy> {
    let mut entries: BTreeMap<Ccode, i32> = BTreeMap::new();
    for a in agreements {
        // Members are parties: a partner of the pact (the US beside the Baghdad Pact) never entered it.
        for m in a.members.iter().filter(|m| m.is_party()) {
            let e = entries.entry(m.ccode).or_insert(m.joined.year);
            *e = (*e).min(m.joined.year);
        }
    }
    let panel = Panel::new(observations, entries)?;
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
            require(store, Dataset::Nmc)?;
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
            require(store, Dataset::Mme)?;
            let exercises = Exercises::new(&store.mme()?);
            let (system, _) = system(store, &store.state_index()?, (MME.first, MME.last))?;
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

/// A state's entry into one of its main alliances, studied.
#[derive(Debug, Clone)]
pub struct EntryStudy {
    pub agreement_id: String,
    /// The agreement's short label.
    pub agreement: String,
    pub entry_year: i32,
    pub study: Study,
    pub result: EventStudy,
}

/// What a state's entries into its alliances changed in its military expenditure.
#[derive(Debug, Clone)]
pub struct EntryStudies {
    pub studies: Vec<EntryStudy>,
    /// Entries not studied, each with the reason in a sentence.
    pub skipped: Vec<String>,
}

/// Up to `max` of `ccode`'s entries into its main alliances ([`main_alliances`] of its
/// `timeline` and `agreements`), oldest first, each an event study of log military
/// expenditure (COW NMC): Callaway & Sant'Anna against never-treated states, window
/// −5..10, reporting the state's own effect. Entries with fewer than five years of
/// expenditure data after them are listed as skipped, as are those that cannot be
/// estimated. The country report and the web's country page show these.
pub fn entry_studies(
    store: &Store,
    ccode: Ccode,
    timeline: &Timeline,
    agreements: &[Agreement],
    max: usize,
) -> Result<EntryStudies> {
    require(store, Dataset::Nmc)?;
    let observations = observations(store, ImpactOutcome::Milex)?;
    let nmc_last = observations.iter().map(|o| o.year).max().unwrap_or(2016);
    let (mut candidates, too_recent): (Vec<_>, Vec<_>) =
        main_alliances(timeline, agreements).into_iter().partition(|&(_, joined)| joined + 5 <= nmc_last);
    let mut skipped: Vec<String> = too_recent
        .iter()
        .map(|(a, joined)| {
            format!(
                "Entry into {} ({joined}) is not studied: the expenditure data (COW NMC) end in {nmc_last}, too soon after it.",
                a.label()
            )
        })
        .collect();
    candidates.truncate(max);
    candidates.sort_by_key(|c| c.1);
    let mut studies = Vec::new();
    for (a, joined) in candidates {
        let study = Study {
            treatment: a.label().to_owned(),
            outcome: ImpactOutcome::Milex,
            window: (-5, 10),
            state: Some(ccode),
            compare: None,
            comparison: ComparisonGroup::NeverTreated,
            estimator: Estimator::CallawaySantAnna,
        };
        match estimate_on(observations.clone(), std::slice::from_ref(a), &study) {
            Ok(result) => studies.push(EntryStudy {
                agreement_id: a.id.clone(),
                agreement: a.label().to_owned(),
                entry_year: joined,
                study,
                result,
            }),
            Err(e) => skipped.push(format!("Entry into {} ({joined}) could not be estimated: {e}", a.label())),
        }
    }
    Ok(EntryStudies { studies, skipped })
}

/// The estimates with their 95% intervals over relative years, as an SVG chart.
pub fn chart(r: &EventStudy, study: &Study, index: &StateIndex) -> String {
    figure(r, study, index).svg(&Options::default())
}

/// The event study's estimates by relative year, the 95% interval drawn as a band.
pub fn figure(r: &EventStudy, study: &Study, index: &StateIndex) -> Figure {
    let who = study.state.map(|s| format!(" — {}", index.name(s))).unwrap_or_default();
    let line = LineChart {
        title: format!("Entry into {}{who}: effect on {}", study.treatment, study.outcome.label()),
        y_label: "effect relative to the year before entry".into(),
        y_from_zero: false,
        series: vec![Series {
            name: "estimate".into(),
            points: r
                .relative_years
                .iter()
                .map(|y| (f64::from(y.relative_year), y.estimate.as_ref().map(|e| e.value)))
                .collect(),
        }],
    };
    Figure::lines(line).with_band(Band {
        name: "95% CI".into(),
        series: 0,
        points: r
            .relative_years
            .iter()
            .map(|y| (f64::from(y.relative_year), y.estimate.as_ref().map(|e| (e.ci_low, e.ci_high))))
            .collect(),
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
