//! `pactbase impact`: event-study estimates of what entering an agreement changed.

use pactbase_analysis::impact::{ComparisonGroup, Estimator};
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
    let study = Study {
        treatment: args
            .agreement
            .clone()
            .or_else(|| args.kind.as_ref().map(|k| format!("first {k} agreement")))
            .unwrap_or_default(),
        outcome: outcome(args.outcome),
        window: impact::parse_window(&args.window).map_err(Failure::Usage)?,
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
    let result = impact::estimate(store, &agreements, &study).map_err(research::failure)?;
    if let Some(path) = &args.chart {
        std::fs::write(path, impact::chart(&result, &study, &index))
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
        eprintln!("{}", impact::summary(&result, &study, &index));
    }
    out.tabular(&table, &result)
}

pub fn outcome(outcome: Outcome) -> ImpactOutcome {
    match outcome {
        Outcome::Milex => ImpactOutcome::Milex,
        Outcome::Cinc => ImpactOutcome::Cinc,
        Outcome::Exercises => ImpactOutcome::Exercises,
    }
}
