//! `pactbase trends`: per-year trends as a table and, optionally, an SVG chart.

use pactbase_analysis::trends::{self, YearTrend};
use pactbase_charts::stack;
use pactbase_service::trends::charts;
use pactbase_store::Store;

use super::research;
use crate::cli::TrendsArgs;
use crate::failure::Result;
use crate::output::{Output, Table};
use crate::resolve;

pub fn trends(store: &Store, args: &TrendsArgs, out: &Output) -> Result {
    let years = args.years.as_deref().map(resolve::years).transpose()?;
    let found = pactbase_service::trends::trends(store, years).map_err(research::failure)?;
    let charts = charts(&found);
    // The columns of a dataset not imported stay empty: `hint_missing` has said which.
    eprintln!("pactbase: {}", charts[0].note);
    if let Some(path) = &args.chart {
        let svg = stack(&charts.into_iter().map(|c| c.chart).collect::<Vec<_>>());
        std::fs::write(path, svg).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let table = Table { headers: trends::COLUMNS.to_vec(), rows: found.rows.iter().map(YearTrend::cells).collect() };
    out.tabular(&table, &found.rows)
}
