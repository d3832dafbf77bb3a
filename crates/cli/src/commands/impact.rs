//! `pactbase impact`: event-study estimates of what being bound by an agreement changed,
//! over states, or over directed dyads for the flow of arms between them (`--dyadic`).

use pactbase_analysis::arms::dyadic::{DyadicDesign, DyadicStudy};
use pactbase_analysis::impact::{ComparisonGroup, Estimator, RelativeYear};
use pactbase_model::{Agreement, StateIndex};
use pactbase_service::arms;
use pactbase_service::impact::{self, Study, Treated};
use pactbase_store::{AgreementFilter, Store};

use super::research;
use crate::cli::{EstimatorArg, ImpactArgs, OutcomeArg};
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
    let outcome = match (args.dyadic, args.outcome) {
        (true, OutcomeArg::ArmsFlow) => return dyadic(store, args, &treated, &index, out),
        (true, OutcomeArg::State(_)) => {
            return Err(Failure::Usage("--dyadic studies flows between states: use --outcome arms-flow".into()))
        }
        (false, OutcomeArg::ArmsFlow) => {
            return Err(Failure::Usage("arms-flow is a flow from one state to another: add --dyadic".into()))
        }
        (false, OutcomeArg::State(outcome)) => outcome,
    };
    let study = Study {
        treated,
        bound: args.treatment,
        outcome,
        window: impact::parse_window(&args.window).map_err(Failure::Usage)?,
        state: args.state.as_deref().map(|s| resolve::state(&index, s)).transpose()?,
        compare: (!args.compare.is_empty())
            .then(|| args.compare.iter().map(|c| resolve::state(&index, c)).collect::<Result<Vec<_>>>())
            .transpose()?,
        comparison: comparison(args),
        estimator: estimator(args.estimator),
    };
    let result = impact::estimate(store, &study, &index).map_err(research::failure)?;
    if let Some(path) = &args.chart {
        std::fs::write(path, impact::chart(&result, &study, &index))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    if matches!(out.format, crate::cli::Format::Table) {
        eprintln!("{}", impact::summary(&result, &index));
    }
    out.tabular(&relative_years(&result.event_study.relative_years), &result)
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

fn comparison(args: &ImpactArgs) -> ComparisonGroup {
    if args.not_yet_treated {
        ComparisonGroup::NotYetTreated
    } else {
        ComparisonGroup::NeverTreated
    }
}

/// `--dyadic`: did arms flow from B to A change once A and B shared one of `agreements`?
fn dyadic(store: &Store, args: &ImpactArgs, treated: &Treated, index: &StateIndex, out: &Output) -> Result {
    let agreements: Vec<Agreement> = match treated {
        Treated::Agreement(a) => vec![(**a).clone()],
        Treated::Kind(kind) => store.agreements(&AgreementFilter { kind: Some(*kind), ..Default::default() })?,
    };
    let design = DyadicDesign {
        window: {
            let (a, b) = impact::parse_window(&args.window).map_err(Failure::Usage)?;
            a..=b
        },
        comparison: comparison(args),
        estimator: estimator(args.estimator),
        recipient: args.state.as_deref().map(|s| resolve::state(index, s)).transpose()?,
    };
    let result = arms::dyadic_study(store, &agreements, &design).map_err(research::failure)?;
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
    match (r.effect(), &r.post_att) {
        (Some(att), _) => s.push_str(&format!(
            "\naverage effect after entry: {:.4} (95% CI {:.4} to {:.4})",
            att.value, att.ci_low, att.ci_high
        )),
        (None, Some(att)) => s.push_str(&format!(
            "\nno effect is stated: the dyads were already diverging before entry (the post-entry average, {:.4}, mixes that trend with any effect)",
            att.value
        )),
        (None, None) => s.push_str("\nno post-entry year could be estimated"),
    }
    for c in &r.caveats {
        s.push_str(&format!("\ncaveat: {}", c.text()));
    }
    s
}
