//! `pactbase trends`: per-year trends as a table and, optionally, an SVG chart.

use pactbase_analysis::trends::{self, YearTrend};
use pactbase_charts::{stack, LineChart, Series};
use pactbase_model::research::Dataset;
use pactbase_model::research::{MME_DOMAINS, MME_FOCUS};
use pactbase_model::{AgreementKind, Vocabulary};
use pactbase_store::Store;

use crate::cli::TrendsArgs;
use crate::failure::Result;
use crate::output::{Output, Table};
use crate::resolve;

pub fn trends(store: &Store, args: &TrendsArgs, out: &Output) -> Result {
    let years = args.years.as_deref().map(resolve::years).transpose()?.unwrap_or((1946, 2025));
    let agreements = store.curated_agreements()?;
    let alliances = if store.has_dataset(Dataset::Atop)? { Some(store.atop_alliances()?) } else { None };
    let exercises = if store.has_dataset(Dataset::Mme)? { Some(store.mme()?) } else { None };
    if alliances.is_none() || exercises.is_none() {
        eprintln!("pactbase: alliance and exercise trends need `pactbase import atop DIR` and `pactbase import mme FILE`; their columns are empty until then");
    }
    let rows = trends::trends(years, &agreements, alliances.as_deref(), exercises.as_deref());
    if let Some(path) = &args.chart {
        std::fs::write(path, chart(&rows)).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let table = Table { headers: trends::COLUMNS.to_vec(), rows: rows.iter().map(YearTrend::cells).collect() };
    out.tabular(&table, &rows)
}

fn series(name: &str, rows: &[YearTrend], value: impl Fn(&YearTrend) -> Option<f64>) -> Series {
    Series { name: name.to_owned(), points: rows.iter().map(|r| (f64::from(r.year), value(r))).collect() }
}

/// Four panels: registry agreements by kind, alliance form, alliance provisions, exercises.
fn chart(rows: &[YearTrend]) -> String {
    let kinds = AgreementKind::ALL
        .iter()
        .enumerate()
        .map(|(k, kind)| series(kind.as_str(), rows, |r| Some(r.in_force_by_kind[k] as f64)))
        .collect();
    let share = |f: fn(&YearTrend) -> Option<f64>| move |r: &YearTrend| f(r).map(|v| v * 100.0);
    let charts = [
        LineChart {
            title: "Registry agreements in force, by kind".into(),
            y_label: "agreements".into(),
            y_from_zero: true,
            series: kinds,
        },
        LineChart {
            title: "ATOP alliances in effect: bilateral and multilateral".into(),
            y_label: "% of alliances".into(),
            y_from_zero: true,
            series: vec![
                series("bilateral", rows, share(|r| r.bilateral_share)),
                series("multilateral", rows, share(|r| r.multilateral_share)),
            ],
        },
        LineChart {
            title: "Alliance provisions (share of coded alliances)".into(),
            y_label: "% of alliances".into(),
            y_from_zero: true,
            series: vec![
                series("military aid", rows, share(|r| r.military_aid_share)),
                series("training or technology", rows, share(|r| r.technology_share)),
                series("integrated command", rows, share(|r| r.integrated_command_share)),
                series("bases", rows, share(|r| r.bases_share)),
            ],
        },
        LineChart {
            title: "Multinational exercises by domain (MME)".into(),
            y_label: "exercises begun".into(),
            y_from_zero: true,
            series: MME_DOMAINS
                .iter()
                .enumerate()
                .map(|(d, name)| series(name, rows, |r| r.exercises_by_domain[d].map(|v| v as f64)))
                .chain(MME_FOCUS.iter().enumerate().filter(|(_, f)| **f != "warfighting").map(|(f, name)| {
                    series(&format!("focus: {name}"), rows, move |r| r.exercises_by_focus[f].map(|v| v as f64))
                }))
                .collect(),
        },
    ];
    stack(&charts)
}
