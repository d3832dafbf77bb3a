//! `pactbase recommend`: candidate partners with the reasons behind each score, or the
//! temporal back-test against the baselines.

use pactbase_analysis::recommend::{Listing, Options};
use pactbase_service::recommend::{agreement_labels, DEFAULT_YEAR};
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
    let options = Options { horizon: args.horizon, ..Options::default() };
    let table_format = matches!(out.format, crate::cli::Format::Table);
    if args.backtest {
        let model = Recommender::load_atop(store).map_err(research::failure)?;
        let result = model
            .backtest(resolve::year(args.train_until)?, args.top, &options)
            .map_err(|e| Failure::Usage(e.to_string()))?;
        let table = Table {
            headers: vec!["evaluation", "method", "auc", "precision_at_k", "k", "pairs", "positives"],
            rows: result
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.evaluation.to_owned(),
                        r.method.to_owned(),
                        format!("{:.4}", r.auc),
                        format!("{:.4}", r.precision_at_k),
                        r.k.to_string(),
                        r.pairs.to_string(),
                        r.positives.to_string(),
                    ]
                })
                .collect(),
        };
        if table_format {
            let f = &result.formations;
            let labels = agreement_labels(store)?;
            let largest: Vec<String> = f
                .largest
                .iter()
                .map(|t| format!("{} ({} pairs)", labels.get(&t.label).unwrap_or(&t.label), t.pairs))
                .collect();
            eprintln!(
                "back-test: fitted on years up to {}, {} unallied pairs ranked (rivals aside), {} formed an alliance by {}: {} renewals or readmissions, {} never allied before, {} first tied by a bilateral agreement; {} agreements, the largest {}",
                result.train_until,
                result.pairs,
                result.positives,
                result.train_until + result.horizon,
                f.renewals,
                f.never_allied,
                f.bilateral,
                f.agreements,
                largest.join(", ")
            );
            for g in &result.gains {
                eprintln!(
                    "gain in {} over the strongest baseline ({}): {:+.3} (95% bootstrap interval {:+.3} to {:+.3})",
                    g.metric, g.over, g.gain, g.ci_low, g.ci_high
                );
            }
        }
        return out.tabular(&table, &result);
    }
    let model = load(store)?;
    let query = args.state.as_deref().expect("clap requires a state without --backtest");
    let state = resolve::state(&model.index, query)?;
    let year = resolve::year(args.year.unwrap_or(DEFAULT_YEAR))?;
    let listing = Listing { rivals: args.include_rivals, unrecognised: args.include_unrecognised };
    let found = model.recommend(state, year, args.top, &options, listing).map_err(|e| Failure::Usage(e.to_string()))?;
    let table = Table {
        headers: vec!["rank", "ccode", "partner", "score", "reasons", "cautions"],
        rows: found
            .partners
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    (i + 1).to_string(),
                    p.partner.to_string(),
                    p.name.clone(),
                    format!("{:.3}", p.score),
                    p.reasons.join("; "),
                    p.cautions.join("; "),
                ]
            })
            .collect(),
    };
    if table_format {
        eprintln!(
            "{} as of {year}: likeliest new allies within {} years (score = modelled probability, fitted on {}–{}; `--format json` has every feature's contribution)",
            model.index.name(state),
            args.horizon,
            found.training_years.0,
            found.training_years.1
        );
        for l in &found.left_out {
            eprintln!("left out: {} ({:.3}): {}", l.name, l.score, l.why.join("; "));
        }
    }
    out.tabular(&table, &found)
}
