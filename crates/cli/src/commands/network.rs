//! `pactbase network`: node measures and blocs of the alliance network, or the graph
//! itself as GraphML or GEXF.

use pactbase_analysis::network::{self, Label, Level};
use pactbase_service::network::{NetworkData, NetworkError, NodeRow};
use pactbase_store::Store;
use serde::Serialize;

use super::research;
use crate::cli::{Format, NetworkArgs, NetworkLevel};
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};
use crate::resolve;

#[derive(Serialize)]
struct YearJson<'a> {
    graph: &'a network::GraphMeasures,
    nodes: &'a [network::NodeMeasures],
}

pub fn network(store: &Store, args: &NetworkArgs, out: &Output) -> Result {
    let years = match (args.year, &args.years) {
        (Some(y), _) => (resolve::year(y)?, y),
        (None, Some(text)) => resolve::years(text)?,
        (None, None) => {
            return Err(Failure::Usage("give --year Y (one network) or --years A-B (one long table)".into()))
        }
    };
    let graph_file = matches!(out.format, Format::Graphml | Format::Gexf);
    if graph_file && years.0 != years.1 {
        return Err(Failure::Usage("--format graphml and gexf write one year's graph: use --year Y".into()));
    }
    let kind = args.kind.as_deref().map(resolve::agreement_kind).transpose()?;
    let level = match args.level {
        NetworkLevel::Any => Level::Any,
        NetworkLevel::Defense => Level::Defense,
    };
    let networks = NetworkData::load(store, years, kind, research::source(args.source))
        .map_err(|e| match e {
            e @ NetworkError::AfterTies(_) => Failure::Usage(e.to_string()),
            NetworkError::Service(e) => research::failure(e),
        })?
        .measure(level);
    let (index, results) = (&networks.index, &networks.years);
    if graph_file {
        let r = results.first().ok_or_else(|| Failure::NotFound(format!("no state system in {}", years.0)))?;
        let labels = |c| index.get(c).map(|s| Label { abbreviation: s.abb.clone(), name: s.name.clone() });
        let doc = match out.format {
            Format::Graphml => network::graphml(&r.network, &r.nodes, &r.graph, labels),
            _ => network::gexf(&r.network, &r.nodes, &r.graph, labels),
        };
        return out.raw(&doc);
    }
    if matches!(out.format, Format::Csv | Format::Parquet) {
        let datasets = NetworkData::datasets(research::source(args.source));
        return out.batches(&super::provenance(store, &datasets)?, |sink| sink(networks.table()?));
    }
    let num = |v: f64| format!("{v:.6}");
    let mut table = Table {
        headers: vec![
            "year",
            "ccode",
            "state",
            "degree",
            "strength",
            "betweenness",
            "closeness",
            "clustering",
            "eigenvector",
            "pagerank",
            "component",
            "bloc",
            "modularity",
        ],
        rows: Vec::new(),
    };
    let mut rows: Vec<NodeRow> = networks.rows().collect();
    // Stable: each year's nodes stay together, the most central first.
    rows.sort_by(|a, b| a.year.cmp(&b.year).then(b.node.eigenvector.total_cmp(&a.node.eigenvector)));
    for r in rows {
        let n = r.node;
        table.rows.push(vec![
            r.year.to_string(),
            n.ccode.to_string(),
            index.label(n.ccode),
            n.degree.to_string(),
            num(n.strength),
            num(n.betweenness),
            num(n.closeness),
            num(n.clustering),
            num(n.eigenvector),
            num(n.pagerank),
            n.component.to_string(),
            n.bloc.to_string(),
            r.modularity.map(num).unwrap_or_default(),
        ]);
    }
    let json: Vec<YearJson> = results.iter().map(|r| YearJson { graph: &r.graph, nodes: &r.nodes }).collect();
    out.tabular(&table, &json)
}
