//! The node measures of some years as one Arrow table: the rows of `pactbase network`'s
//! CSV and Parquet and of the Python package's `network()`, each column described in its
//! field metadata as the panels' are.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int32Array, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};

use super::{NodeMeasures, YearResult};

/// Name, type, nullability and meaning of each column, in order.
const COLUMNS: [(&str, DataType, bool, &str); 12] = [
    ("year", DataType::Int32, false, "year of the network (ties in effect on any day of it)"),
    ("ccode", DataType::Int32, false, "COW state code of the node; every system member, isolates included"),
    ("degree", DataType::Int32, false, "number of allies"),
    ("strength", DataType::Float64, false, "sum of the node's edge weights: the valued tie with each ally (3 defense or offense, 2 neutrality or consultation, 1 nonaggression only)"),
    ("betweenness", DataType::Float64, false, "shortest-path betweenness, normalised by (n-1)(n-2) as networkx does"),
    ("closeness", DataType::Float64, false, "closeness over the reachable nodes, scaled by the reachable share (Wasserman-Faust, as networkx); 0 for an isolate"),
    ("clustering", DataType::Float64, false, "share of pairs of allies that are allied themselves; 0 below two allies"),
    ("eigenvector", DataType::Float64, false, "eigenvector centrality (unweighted), unit Euclidean norm over the whole graph"),
    ("pagerank", DataType::Float64, false, "PageRank with damping 0.85 over the weighted edges, summing to 1 over the graph"),
    ("component", DataType::Int32, false, "connected component, numbered from 0 by size (largest first, ties by lowest ccode)"),
    ("bloc", DataType::Int32, false, "Louvain bloc, numbered from 0 the same way; an isolate is a bloc of its own"),
    ("modularity", DataType::Float64, true, "modularity of the year's blocs (weighted); null for a year without edges"),
];

pub fn schema() -> SchemaRef {
    let fields = COLUMNS.iter().map(|(name, data_type, nullable, description)| {
        let metadata = HashMap::from([
            ("description".to_owned(), (*description).to_owned()),
            (
                "source".to_owned(),
                "computed by pactbase from the alliance ties asked for (--source, --level, --kind)".to_owned(),
            ),
        ]);
        Field::new(*name, data_type.clone(), *nullable).with_metadata(metadata)
    });
    Arc::new(Schema::new(fields.collect::<Vec<_>>()))
}

/// Degrees and component or bloc numbers count states: they fit in i32.
fn count(v: u32) -> i32 {
    i32::try_from(v).expect("counts of states fit in i32")
}

/// Every node of every year of `years`, in their order.
pub fn batch(years: &[YearResult]) -> Result<RecordBatch, ArrowError> {
    let rows = || years.iter().flat_map(|y| y.nodes.iter().map(move |n| (y, n)));
    let int = |f: fn(&YearResult, &NodeMeasures) -> i32| -> ArrayRef {
        Arc::new(rows().map(|(y, n)| f(y, n)).collect::<Int32Array>())
    };
    let float =
        |f: fn(&NodeMeasures) -> f64| -> ArrayRef { Arc::new(rows().map(|(_, n)| f(n)).collect::<Float64Array>()) };
    let columns = vec![
        int(|y, _| y.graph.year),
        int(|_, n| i32::from(n.ccode)),
        int(|_, n| count(n.degree)),
        float(|n| n.strength),
        float(|n| n.betweenness),
        float(|n| n.closeness),
        float(|n| n.clustering),
        float(|n| n.eigenvector),
        float(|n| n.pagerank),
        int(|_, n| count(n.component)),
        int(|_, n| count(n.bloc)),
        Arc::new(rows().map(|(y, _)| y.graph.modularity).collect::<Float64Array>()),
    ];
    RecordBatch::try_new(schema(), columns)
}
