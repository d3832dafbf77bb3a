//! `pactbase recommend`: candidate partners with the features behind each score, or the
//! temporal back-test against the baselines.

use pactbase_analysis::panel;
use pactbase_analysis::recommend::{self, Options};
use pactbase_service::Recommender;
use pactbase_store::Store;

use super::research;
use crate::cli::RecommendArgs;
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};
use crate::resolve;

/// The datasets the model reads, with the CLI's failures.
pub fn load(store: &Store) -> Result<Recommender> {
    Recommender::load(store).map_err(research::failure)
}

pub fn recommend(store: &Store, args: &RecommendArgs, out: &Output) -> Result {
    let model = load(store)?;
    let options = Options { horizon: args.horizon, ..Options::default() };
    if args.backtest {
        let result = model
            .backtest(resolve::year(args.train_until)?, args.top, &options)
            .map_err(|e| Failure::Usage(e.to_string()))?;
        let table = Table {
            headers: vec!["method", "auc", "precision_at_k", "k"],
            rows: result
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.method.to_owned(),
                        format!("{:.4}", r.auc),
                        format!("{:.4}", r.precision_at_k),
                        r.k.to_string(),
                    ]
                })
                .collect(),
        };
        if matches!(out.format, crate::cli::Format::Table) {
            eprintln!(
                "back-test: fitted on years up to {}, {} unallied pairs ranked, {} formed an alliance by {}",
                result.train_until,
                result.pairs,
                result.positives,
                result.train_until + result.horizon
            );
        }
        return out.tabular(&table, &result);
    }
    let query = args.state.as_deref().expect("clap requires a state without --backtest");
    let state = resolve::state(&model.index, query)?;
    let year = resolve::year(args.year.unwrap_or(panel::ATOP_END.year))?;
    let ranked = model.recommend(state, year, args.top, &options).map_err(|e| Failure::Usage(e.to_string()))?;
    let table = Table {
        headers: vec!["rank", "ccode", "partner", "score", "reasons"],
        rows: ranked
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut reasons: Vec<&recommend::Contribution> = r.contributions.iter().collect();
                reasons.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
                let reasons: Vec<&str> = reasons.iter().take(3).map(|c| c.explanation.as_str()).collect();
                vec![
                    (i + 1).to_string(),
                    r.partner.to_string(),
                    model.index.name(r.partner),
                    format!("{:.3}", r.score),
                    reasons.join("; "),
                ]
            })
            .collect(),
    };
    if matches!(out.format, crate::cli::Format::Table) {
        eprintln!(
            "{} as of {year}: likeliest new allies within {} years (score = modelled probability; reasons = the three largest contributions; `--format json` has every feature)",
            model.index.name(state),
            args.horizon
        );
    }
    out.tabular(&table, &ranked)
}
