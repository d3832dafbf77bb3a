//! `pactbase impact`: event-study estimates of what being bound by an agreement changed.

use pactbase_analysis::impact::{ComparisonGroup, Estimator};
use pactbase_service::impact::{self, Study, Treated};
use pactbase_store::Store;

use super::research;
use crate::cli::{EstimatorArg, ImpactArgs};
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};
use crate::resolve;

pub fn impact(store: &Store, args: &ImpactArgs, out: &Output) -> Result {
    let index = store.state_index()?;
    let treated = match (&args.agreement, &args.kind) {
        (Some(id), _) => Treated::Agreement(Box::new(resolve::agreement(store, id)?)),
        (None, Some(kind)) => Treated::Kind(resolve::kind(kind)?),
        (None, None) => unreachable!("clap requires --agreement or --kind"),
    };
    let study = Study {
        treated,
        bound: args.treatment,
        outcome: args.outcome,
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
    let result = impact::estimate(store, &study, &index).map_err(research::failure)?;
    if let Some(path) = &args.chart {
        std::fs::write(path, impact::chart(&result, &study, &index))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let fmt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let table = Table {
        headers: vec!["relative_year", "estimate", "std_error", "ci_low", "ci_high", "treated", "comparison"],
        rows: result
            .event_study
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
        eprintln!("{}", impact::summary(&result, &index));
    }
    out.tabular(&table, &result)
}
