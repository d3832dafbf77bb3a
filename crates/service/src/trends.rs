//! Trends as `pactbase trends`, `/trends` and `/api/v1/trends` show them: the rows from
//! the stored datasets, and the charts, titled and noted the same everywhere.

use pactbase_analysis::trends::{self, YearTrend};
use pactbase_charts::{LineChart, Series};
use pactbase_model::coverage::{ATOP, MME, POST_WAR};
use pactbase_model::research::{Dataset, MME_DOMAINS};
use pactbase_model::{AgreementKind, Vocabulary};
use pactbase_store::Store;

use crate::Result;

/// Trends per year, with what the rows rest on.
pub struct Trends {
    pub rows: Vec<YearTrend>,
    /// How many agreements the registry holds: its columns count a curated sample.
    pub registry_agreements: usize,
    pub atop: bool,
    pub mme: bool,
}

/// The trends of `years`, by default the post-war years to the registry's current year
/// ([`POST_WAR`]).
pub fn trends(store: &Store, years: Option<(i32, i32)>) -> Result<Trends> {
    let years = years.unwrap_or((POST_WAR.first, POST_WAR.last));
    let agreements = store.curated_agreements()?;
    let alliances = if store.has_dataset(Dataset::Atop)? { Some(store.atop_alliances()?) } else { None };
    let exercises = if store.has_dataset(Dataset::Mme)? { Some(store.mme()?) } else { None };
    Ok(Trends {
        rows: trends::trends(years, &agreements, alliances.as_deref(), exercises.as_deref()),
        registry_agreements: agreements.len(),
        atop: alliances.is_some(),
        mme: exercises.is_some(),
    })
}

/// A chart of the trends and the sentence that goes under it.
pub struct TrendChart {
    /// A name for the chart, unique among the four (`kinds`, `forms`, `provisions`, `exercises`).
    pub id: &'static str,
    pub chart: LineChart,
    pub note: String,
    /// The dataset that would fill it, when it is not imported.
    pub needs: Option<Dataset>,
}

fn series(name: &str, rows: &[YearTrend], value: impl Fn(&YearTrend) -> Option<f64>) -> Series {
    Series { name: name.to_owned(), points: rows.iter().map(|r| (f64::from(r.year), value(r))).collect() }
}

/// Four charts: the registry's agreements by kind (a sample, and titled so), alliance
/// form and provisions (ATOP), exercises by domain and focus (MME). Years a dataset does
/// not cover are gaps, never zeros.
pub fn charts(t: &Trends) -> Vec<TrendChart> {
    let rows = &t.rows;
    let share = |f: fn(&YearTrend) -> Option<f64>| move |r: &YearTrend| f(r).map(|v| v * 100.0);
    let atop_note =
        format!("ATOP 5.1 codes alliances through {}; later years are not known and are left blank.", ATOP.last);
    vec![
        TrendChart {
            id: "kinds",
            chart: LineChart {
                title: format!("Registry agreements in force, by kind (a curated sample of {})", t.registry_agreements),
                y_label: "agreements".into(),
                y_from_zero: true,
                series: AgreementKind::ALL
                    .iter()
                    .enumerate()
                    .map(|(k, kind)| series(kind.as_str(), rows, |r| Some(r.in_force_by_kind[k] as f64)))
                    .collect(),
            },
            note: format!(
                "The registry is a curated sample of {} agreements chosen for the brief, not a census: a rise may \
                 mean more agreements or more of them recorded. ATOP's and MME's series below are the field's complete codings.",
                t.registry_agreements
            ),
            needs: None,
        },
        TrendChart {
            id: "forms",
            chart: LineChart {
                title: "ATOP alliances in effect: bilateral and multilateral".into(),
                y_label: "% of alliances".into(),
                y_from_zero: true,
                series: vec![
                    series("bilateral", rows, share(|r| r.bilateral_share)),
                    series("multilateral", rows, share(|r| r.multilateral_share)),
                ],
            },
            note: atop_note.clone(),
            needs: (!t.atop).then_some(Dataset::Atop),
        },
        TrendChart {
            id: "provisions",
            chart: LineChart {
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
            note: atop_note,
            needs: (!t.atop).then_some(Dataset::Atop),
        },
        TrendChart {
            id: "exercises",
            chart: LineChart {
                title: "Multinational exercises begun per year, by domain (MME)".into(),
                y_label: "exercises begun".into(),
                y_from_zero: true,
                // The focus columns stay in the table: ten lines would repeat colours.
                series: std::iter::once(series("all exercises", rows, |r| r.exercises.map(|v| v as f64)))
                    .chain(
                        MME_DOMAINS
                            .iter()
                            .enumerate()
                            .map(|(d, name)| series(name, rows, |r| r.exercises_by_domain[d].map(|v| v as f64))),
                    )
                    .collect(),
            },
            note: format!(
                "The MME file records exercises from {} to {}; years outside them are not known (shaded), not years without exercises.",
                MME.first, MME.last
            ),
            needs: (!t.mme).then_some(Dataset::Mme),
        },
    ]
}
