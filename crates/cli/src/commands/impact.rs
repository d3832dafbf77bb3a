//! `pactbase impact`: event-study estimates of what entering an agreement changed.

use std::collections::BTreeMap;

use pactbase_analysis::impact::{self, ComparisonGroup, Design, Estimator, EventStudy, Focus, Observation, Panel};
use pactbase_charts::{LineChart, Series};
use pactbase_model::{Agreement, Ccode, StateIndex};
use pactbase_store::{AgreementFilter, Store};

use super::research;
use crate::cli::{EstimatorArg, ImpactArgs, Outcome};
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};
use crate::resolve;

/// What an event study needs, resolved from the command line.
pub struct Study {
    pub treatment: String,
    pub outcome: Outcome,
    pub window: (i32, i32),
    pub state: Option<Ccode>,
    pub compare: Option<Vec<Ccode>>,
    pub comparison: ComparisonGroup,
    pub estimator: Estimator,
}

pub fn impact(store: &Store, args: &ImpactArgs, out: &Output) -> Result {
    let index = store.state_index()?;
    let agreements = match (&args.agreement, &args.kind) {
        (Some(id), _) => vec![resolve::agreement(store, id)?],
        (None, Some(kind)) => {
            store.agreements(&AgreementFilter { kind: Some(resolve::kind(kind)?), ..Default::default() })?
        }
        (None, None) => unreachable!("clap requires --agreement or --kind"),
    };
    let study = Study {
        treatment: args
            .agreement
            .clone()
            .or_else(|| args.kind.as_ref().map(|k| format!("first {k} agreement")))
            .unwrap_or_default(),
        outcome: args.outcome,
        window: window(&args.window)?,
        state: args.state.as_deref().map(|s| resolve::state(&index, s)).transpose()?,
        compare: (!args.compare.is_empty())
            .then(|| args.compare.iter().map(|c| resolve::state(&index, c)).collect::<Result<Vec<_>>>())
            .transpose()?,
        comparison: if args.not_yet_treated { ComparisonGroup::NotYetTreated } else { ComparisonGroup::NeverTreated },
        estimator: match args.estimator {
            EstimatorArg::Cs => Estimator::CallawaySantAnna,
            EstimatorArg::Twfe => Estimator::TwoWayFixedEffects,
        },
    };
    let result = run(store, &agreements, &study)?;
    if let Some(path) = &args.chart {
        std::fs::write(path, chart(&result, &study, &index))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let fmt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let table = Table {
        headers: vec!["relative_year", "estimate", "std_error", "ci_low", "ci_high", "treated", "comparison"],
        rows: result
            .relative_years
            .iter()
            .map(|r| {
                let e = r.estimate.as_ref();
                vec![
                    r.relative_year.to_string(),
                    fmt(e.map(|e| e.value)),
                    fmt(e.map(|e| e.std_error)),
                    fmt(e.map(|e| e.ci_low)),
                    fmt(e.map(|e| e.ci_high)),
                    r.treated.to_string(),
                    r.comparison.to_string(),
                ]
            })
            .collect(),
    };
    if matches!(out.format, crate::cli::Format::Table) {
        eprintln!("{}", summary(&result, &study, &index));
    }
    out.tabular(&table, &result)
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
        outcome_label(study.outcome),
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

pub fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Milex => "log military expenditure (COW NMC)",
        Outcome::Cinc => "CINC (COW NMC)",
        Outcome::Exercises => "multinational exercises per year (MME)",
    }
}

/// Runs the event study of entry into `agreements` (each state's first entry counts).
pub fn run(store: &Store, agreements: &[Agreement], study: &Study) -> Result<EventStudy> {
    let mut entries: BTreeMap<Ccode, i32> = BTreeMap::new();
    for a in agreements {
        for m in &a.members {
            let e = entries.entry(m.ccode).or_insert(m.joined.year);
            *e = (*e).min(m.joined.year);
        }
    }
    let observations = observations(store, study.outcome)?;
    let panel = Panel::new(observations, entries).map_err(|e| Failure::Usage(e.to_string()))?;
    let design = Design {
        window: study.window.0..=study.window.1,
        comparison: study.comparison,
        focus: study.state.map(|state| Focus { state, comparison: study.compare.clone() }),
    };
    impact::estimate(&panel, &design, study.estimator).map_err(|e| Failure::Usage(format!("cannot estimate: {e}")))
}

fn observations(store: &Store, outcome: Outcome) -> Result<Vec<Observation>> {
    Ok(match outcome {
        Outcome::Milex | Outcome::Cinc => {
            research::require(store, "nmc", "nmc FILE")?;
            store
                .nmc()?
                .into_iter()
                .map(|r| Observation {
                    state: r.ccode,
                    year: r.year,
                    // Expenditure spans six orders of magnitude: effects are read in logs.
                    outcome: match outcome {
                        Outcome::Milex => r.milex.filter(|&m| m > 0.0).map(f64::ln),
                        _ => r.cinc,
                    },
                })
                .collect()
        }
        Outcome::Exercises => {
            research::require(store, "mme", "mme FILE")?;
            research::require(store, "cow-states", "cow-states FILE")?;
            let mut counts: BTreeMap<(Ccode, i32), f64> = BTreeMap::new();
            for e in store.mme()? {
                for &p in &e.participants {
                    *counts.entry((p, e.year)).or_default() += 1.0;
                }
            }
            // Every system member in the MME years: no exercise is a 0, not a gap.
            let mut out = Vec::new();
            for spell in store.system_spells()? {
                for year in spell.start.year.max(1980)..=spell.end.year.min(2016) {
                    out.push(Observation {
                        state: spell.ccode,
                        year,
                        outcome: Some(counts.get(&(spell.ccode, year)).copied().unwrap_or(0.0)),
                    });
                }
            }
            out.sort_by_key(|o| (o.state, o.year));
            out.dedup_by_key(|o| (o.state, o.year));
            out
        }
    })
}

/// `-5..10` → (-5, 10).
pub fn window(text: &str) -> Result<(i32, i32)> {
    let bad =
        || Failure::Usage(format!("`{text}` is not a window: write FROM..TO, e.g. -5..10 (it must include -1 and 0)"));
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let (a, b): (i32, i32) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if a > -1 || b < 0 {
        return Err(bad());
    }
    Ok((a, b))
}

/// The estimates with their 95% intervals over relative years.
pub fn chart(r: &EventStudy, study: &Study, index: &StateIndex) -> String {
    let points = |f: fn(&impact::Estimate) -> f64| -> Vec<(f64, Option<f64>)> {
        r.relative_years.iter().map(|y| (f64::from(y.relative_year), y.estimate.as_ref().map(f))).collect()
    };
    let who = study.state.map(|s| format!(" — {}", index.name(s))).unwrap_or_default();
    LineChart {
        title: format!("Entry into {}{who}: effect on {}", study.treatment, outcome_label(study.outcome)),
        y_label: "effect relative to the year before entry".into(),
        y_from_zero: false,
        series: vec![
            Series { name: "estimate".into(), points: points(|e| e.value) },
            Series { name: "95% CI, low".into(), points: points(|e| e.ci_low) },
            Series { name: "95% CI, high".into(), points: points(|e| e.ci_high) },
        ],
    }
    .svg()
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn windows_must_hold_the_reference_and_entry_years() {
        assert_eq!(window("-5..10").unwrap(), (-5, 10));
        for bad in ["0..10", "-5..-2", "5", "-5..x"] {
            assert!(window(bad).is_err(), "{bad}");
        }
    }
}
