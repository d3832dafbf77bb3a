//! `pactbase codebook`: what each column of a panel means, from the table that also
//! writes the Parquet field metadata (`pactbase_analysis::panel::codebook`).

use std::collections::HashMap;
use std::fmt::Write as _;

use pactbase_analysis::panel::codebook::{about_column, type_name};
use pactbase_analysis::panel::{self, With};
use pactbase_model::research::Dataset;
use pactbase_model::YearSpan;
use pactbase_store::Store;
use serde::Serialize;

use crate::cli::{CodebookArgs, Format, PanelUnit};
use crate::failure::{Failure, Result};
use crate::output::{Output, Table};

#[derive(Serialize)]
struct Entry {
    column: String,
    #[serde(rename = "type")]
    data_type: String,
    unit: &'static str,
    dataset: Dataset,
    source: &'static str,
    /// The imported file's version, when the dataset has been imported.
    version: Option<String>,
    coverage: String,
    description: String,
    missing: &'static str,
}

pub fn codebook(store: &Store, args: &CodebookArgs, out: &Output) -> Result {
    let with =
        if args.with.is_empty() { With::parse(With::NAMES) } else { With::parse(args.with.iter().map(String::as_str)) }
            .map_err(|e| Failure::Usage(format!("--with: {e}")))?;
    let dyadic = args.unit == PanelUnit::DyadYear;
    let fields = if dyadic { panel::dyad_fields(with) } else { panel::state_fields(with) };
    let versions: HashMap<Dataset, String> = store.datasets()?.into_iter().map(|f| (f.dataset, f.version)).collect();
    let entries: Vec<Entry> = fields
        .iter()
        .filter_map(|f| {
            let a = about_column(f.name(), dyadic)?;
            Some(Entry {
                column: f.name().clone(),
                data_type: type_name(f.data_type()),
                unit: a.unit,
                dataset: a.source.dataset,
                source: a.source.title,
                version: versions.get(&a.source.dataset).cloned(),
                coverage: YearSpan::closed(a.source.coverage.0, a.source.coverage.1).to_string(),
                description: a.definition,
                missing: a.missing,
            })
        })
        .collect();
    let cells = |e: &Entry| {
        vec![
            e.column.clone(),
            e.data_type.clone(),
            e.unit.to_owned(),
            e.dataset.to_string(),
            e.version.clone().unwrap_or_default(),
            e.coverage.clone(),
            e.description.clone(),
            e.missing.to_owned(),
        ]
    };
    let headers = vec!["column", "type", "unit", "dataset", "version", "coverage", "description", "missing"];
    if out.format == Format::Md {
        let mut md = format!("| {} |\n|{}\n", headers.join(" | "), " --- |".repeat(headers.len()));
        for e in &entries {
            let row: Vec<String> = cells(e).iter().map(|c| c.replace('|', "\\|")).collect();
            let _ = writeln!(md, "| {} |", row.join(" | "));
        }
        return out.raw(&md);
    }
    let table = Table { headers, rows: entries.iter().map(cells).collect() };
    out.tabular(&table, &entries)
}
