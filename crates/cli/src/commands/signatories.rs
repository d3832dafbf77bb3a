//! `pactbase signatories`: the key signatories of an era with every component shown.

use std::collections::HashMap;

use pactbase_analysis::network::{self, Level, Options};
use pactbase_analysis::panel;
use pactbase_analysis::signatories;
use pactbase_store::Store;

use super::research;
use crate::cli::SignatoriesArgs;
use crate::failure::Result;
use crate::output::{Output, Table};
use crate::resolve;

pub fn signatories(store: &Store, args: &SignatoriesArgs, out: &Output) -> Result {
    let index = store.state_index()?;
    let years = args.years.as_deref().map(resolve::years).transpose()?.unwrap_or((1946, panel::ATOP_END.year));
    let (system, _) = research::system(store, &index, years)?;
    let ties = research::alliance_ties(store, args.source, &index, panel::ATOP_END.year)?;
    let years = (years.0, years.1.min(ties.last_year));
    let capabilities = research::capabilities(store)?;
    let networks = network::measure_years(&system, &ties.dyads, Level::Any, years.0..=years.1, &Options::default());
    let betweenness: HashMap<(u16, i32), f64> =
        networks.iter().flat_map(|r| r.nodes.iter().map(move |n| ((n.ccode, r.graph.year), n.betweenness))).collect();
    let mut ranked = signatories::rank(
        &system,
        &ties.dyads,
        capabilities.as_ref(),
        &|c, y| betweenness.get(&(c, y)).copied(),
        years,
    );
    ranked.truncate(args.top);
    let table = Table {
        headers: vec![
            "rank",
            "ccode",
            "state",
            "score",
            "defense_partners",
            "multilateral_alliances",
            "commitment_strength",
            "capability_weighted_ties",
            "centrality",
            "years",
        ],
        rows: ranked
            .iter()
            .map(|s| {
                vec![
                    s.rank.to_string(),
                    s.ccode.to_string(),
                    index.name(s.ccode),
                    format!("{:.3}", s.score),
                    s.defense_partners.to_string(),
                    s.multilateral_alliances.to_string(),
                    format!("{:.2}", s.commitment_strength),
                    format!("{:.4}", s.capability_weighted_ties),
                    s.centrality.map(|c| format!("{c:.4}")).unwrap_or_default(),
                    s.years.to_string(),
                ]
            })
            .collect(),
    };
    if matches!(out.format, crate::cli::Format::Table) {
        eprintln!(
            "key signatories {}-{}: score = geometric mean of the components' percentile ranks; centrality = mean betweenness in the alliance network",
            years.0, years.1
        );
    }
    out.tabular(&table, &ranked)
}
