//! `pactbase recommend`: candidate partners with the features behind each score, or the
//! temporal back-test against the baselines.

use pactbase_analysis::panel::{self, Exercises, Rivalries};
use pactbase_analysis::recommend::{self, Options, Recommendation, Sources};
use pactbase_model::Ccode;
use pactbase_store::Store;

use super::research;
use crate::cli::{RecommendArgs, TieSource};
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};
use crate::resolve;

/// The datasets the model reads, loaded once.
pub struct Model {
    pub index: pactbase_model::StateIndex,
    system: panel::System,
    ties: research::AllianceTies,
    capabilities: panel::Capabilities,
    exercises: Exercises,
    rivalries: Rivalries,
}

impl Model {
    pub fn load(store: &Store) -> Result<Model> {
        let index = store.state_index()?;
        research::require(store, "nmc", "nmc FILE")?;
        let (system, _) = research::system(store, &index, (1816, panel::ATOP_END.year))?;
        let ties = research::alliance_ties(store, TieSource::Atop, &index, panel::ATOP_END.year)?;
        let capabilities = research::capabilities(store)?.expect("required above");
        let exercises = Exercises::new(&if store.has_dataset("mme")? { store.mme()? } else { Vec::new() });
        let rivalries = Rivalries::new(&if store.has_dataset("rivalries")? { store.rivalries()? } else { Vec::new() });
        Ok(Model { index, system, ties, capabilities, exercises, rivalries })
    }

    fn sources(&self) -> Sources<'_> {
        Sources {
            system: &self.system,
            dyads: &self.ties.dyads,
            ties_through: self.ties.last_year,
            capabilities: &self.capabilities,
            exercises: &self.exercises,
            rivalries: &self.rivalries,
        }
    }

    /// The `top` likeliest new partners of `state` as of `year`.
    pub fn recommend(&self, state: Ccode, year: i32, top: usize, horizon: i32) -> Result<Vec<Recommendation>> {
        let options = Options { horizon, ..Options::default() };
        recommend::recommend(&self.sources(), state, year, top, &options).map_err(|e| Failure::Usage(e.to_string()))
    }
}

pub fn recommend(store: &Store, args: &RecommendArgs, out: &Output) -> Result {
    let model = Model::load(store)?;
    if args.backtest {
        let options = Options { horizon: args.horizon, ..Options::default() };
        let result = recommend::backtest(&model.sources(), resolve::year(args.train_until)?, args.top, &options)
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
    let ranked = model.recommend(state, year, args.top, args.horizon)?;
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
