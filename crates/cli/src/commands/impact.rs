//! `pactbase impact`: event-study estimates of what entering an agreement changed.

use pactbase_analysis::arms::dyadic::{DyadicDesign, DyadicStudy};
use pactbase_analysis::impact::{ComparisonGroup, Estimator, RelativeYear};
use pactbase_model::{Agreement, StateIndex};
use pactbase_service::arms;
use pactbase_service::impact::{self, ImpactOutcome, Study};
use pactbase_store::{AgreementFilter, Store};

use super::research;
use crate::cli::{EstimatorArg, ImpactArgs, Outcome};
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};
use crate::resolve;

pub fn impact(store: &Store, args: &ImpactArgs, out: &Output) -> Result {
    let index = store.state_index()?;
    let agreements = match (&args.agreement, &args.kind) {
        (Some(id), _) => vec![resolve::agreement(store, id)?],
        (None, Some(kind)) => {
            store.agreements(&AgreementFilter { kind: Some(resolve::kind(kind)?), ..Default::default() })?
        }
        (None, None) => unreachable!("clap requires --agreement or --kind"),
    };
    if args.dyadic || args.outcome == Outcome::ArmsFlow {
        return dyadic(store, args, &agreements, &index, out);
    }
    let study = Study {
        treatment: args
            .agreement
            .clone()
            .or_else(|| args.kind.as_ref().map(|k| format!("first {k} agreement")))
            .unwrap_or_default(),
        outcome: outcome(args.outcome)?,
        window: impact::parse_window(&args.window).map_err(Failure::Usage)?,
        state: args.state.as_deref().map(|s| resolve::state(&index, s)).transpose()?,
        compare: (!args.compare.is_empty())
            .then(|| args.compare.iter().map(|c| resolve::state(&index, c)).collect::<Result<Vec<_>>>())
            .transpose()?,
        comparison: if args.not_yet_treated { ComparisonGroup::NotYetTreated } else { ComparisonGroup::NeverTreated },
        estimator: estimator(args.estimator),
    };
    let result = impact::estimate(store, &agreements, &study).map_err(research::failure)?;
    if let Some(path) = &args.chart {
        std::fs::write(path, impact::chart(&result, &study, &index))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    if matches!(out.format, crate::cli::Format::Table) {
        eprintln!("{}", impact::summary(&result, &study, &index));
    }
    out.tabular(&relative_years(&result.relative_years), &result)
}

/// One row per relative year.
fn relative_years(rows: &[RelativeYear]) -> Table {
    let fmt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    Table {
        headers: vec!["relative_year", "estimate", "std_error", "ci_low", "ci_high", "treated", "comparison"],
        rows: rows
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
    }
}

const ARMS_FLOW_NEEDS_DYADIC: &str = "arms-flow is a flow from one state to another: add --dyadic";

pub fn outcome(outcome: Outcome) -> Result<ImpactOutcome> {
    match outcome {
        Outcome::Milex => Ok(ImpactOutcome::Milex),
        Outcome::Cinc => Ok(ImpactOutcome::Cinc),
        Outcome::Exercises => Ok(ImpactOutcome::Exercises),
        Outcome::ArmsImports => Ok(ImpactOutcome::ArmsImports),
        Outcome::ArmsFlow => Err(Failure::Usage(ARMS_FLOW_NEEDS_DYADIC.into())),
    }
}

/// `--dyadic`: did arms flow from B to A change once A and B shared one of `agreements`?
fn dyadic(store: &Store, args: &ImpactArgs, agreements: &[Agreement], index: &StateIndex, out: &Output) -> Result {
    match (args.dyadic, args.outcome) {
        (true, Outcome::ArmsFlow) => {}
        (true, _) => {
            return Err(Failure::Usage("--dyadic studies flows between states: use --outcome arms-flow".into()))
        }
        (false, _) => return Err(Failure::Usage(ARMS_FLOW_NEEDS_DYADIC.into())),
    }
    let design = DyadicDesign {
        window: {
            let (a, b) = impact::parse_window(&args.window).map_err(Failure::Usage)?;
            a..=b
        },
        comparison: if args.not_yet_treated { ComparisonGroup::NotYetTreated } else { ComparisonGroup::NeverTreated },
        estimator: estimator(args.estimator),
        recipient: args.state.as_deref().map(|s| resolve::state(index, s)).transpose()?,
    };
    let result = arms::dyadic_study(store, agreements, &design).map_err(research::failure)?;
    if matches!(out.format, crate::cli::Format::Table) {
        let treatment = args
            .agreement
            .clone()
            .unwrap_or_else(|| format!("the first {} agreement", args.kind.as_deref().unwrap_or_default()));
        eprintln!("{}", dyadic_summary(&result, &treatment, index));
    }
    out.tabular(&relative_years(&result.relative_years), &result)
}

fn estimator(arg: EstimatorArg) -> Estimator {
    match arg {
        EstimatorArg::Cs => Estimator::CallawaySantAnna,
        EstimatorArg::Twfe => Estimator::TwoWayFixedEffects,
    }
}

/// What was compared with what, and the average effect, for the table format.
fn dyadic_summary(r: &DyadicStudy, treatment: &str, index: &StateIndex) -> String {
    let treated: Vec<String> = r
        .treated
        .iter()
        .take(12)
        .map(|t| format!("{}→{} {}", index.label(t.dyad.supplier), index.label(t.dyad.recipient), t.entry))
        .collect();
    let more = if r.treated.len() > 12 { format!(" … ({} dyads)", r.treated.len()) } else { String::new() };
    let mut s = format!(
        "treatment: sharing {treatment} · outcome: log(1 + arms delivered from supplier to recipient, SIPRI TIV) · estimator: {} ({})\n\
         treated dyads (supplier→recipient, entry): {}{more}\n\
         comparison: {} of {} directed dyads ({})",
        r.estimator.name(),
        // The estimators' units are directed dyads here.
        r.estimator.inference().replace("by state", "by directed dyad"),
        treated.join(", "),
        r.comparison_dyads,
        r.dyads,
        match r.comparison_group {
            ComparisonGroup::NeverTreated => "never treated",
            ComparisonGroup::NotYetTreated => "never or not yet treated",
        }
    );
    s.push_str(&impact::effect_lines(r.post_att.as_ref(), &r.caveats));
    s
}
