//! `pactbase panel`: builds the panel batch by batch and streams it out.

use pactbase_analysis::panel::{self, codebook, With};
use pactbase_model::research::Dataset;
use pactbase_service::PanelData;
use pactbase_store::Store;

use super::research;
use crate::cli::{PanelArgs, PanelUnit};
use crate::failure::{Failure, Result};
use crate::output::Output;
use crate::resolve;

pub fn panel(store: &Store, args: &PanelArgs, out: &Output) -> Result {
    let with = with(&args.with)?;
    let requested = args.years.as_deref().map(resolve::years).transpose()?;
    let data = PanelData::load(store, with, research::source(args.source), requested).map_err(research::failure)?;
    let (inputs, years) = (data.inputs(), data.years);
    for warning in coverage_warnings(with, years) {
        eprintln!("pactbase: warning: {warning}");
    }
    let mut datasets = vec![Dataset::CowStates];
    datasets.extend(pactbase_service::datasets_for(with));
    out.batches(&super::provenance(store, &datasets)?, |sink| match args.unit {
        PanelUnit::StateYear => panel::state_years(&inputs, with, years, sink),
        PanelUnit::DyadYear => panel::dyad_years(&inputs, with, years, args.directed, sink),
    })
}

fn with(list: &[String]) -> Result<With> {
    With::parse(list.iter().map(String::as_str)).map_err(|e| Failure::Usage(format!("--with: {e}")))
}

/// One line per dataset whose years the panel's run past: its columns are empty there.
fn coverage_warnings(with: With, (first, last): (i32, i32)) -> Vec<String> {
    codebook::sources(with)
        .into_iter()
        .filter(|s| !s.continued && (first < s.coverage.0 || last > s.coverage.1))
        .map(|s| {
            let (from, to) = s.coverage;
            format!(
                "the panel's years {first}-{last} run past {} ({from}-{to}): its columns are empty outside {from}-{to}",
                s.dataset
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_past_a_datasets_coverage_are_warned_about() {
        let with = With::parse(["mids,majors,atop"]).unwrap();
        let warnings = coverage_warnings(with, (1990, 2016));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("gml-mids (1816-2010)"), "{}", warnings[0]);
        assert!(coverage_warnings(with, (1990, 2010)).is_empty(), "majors continue as the system does");
    }
}
