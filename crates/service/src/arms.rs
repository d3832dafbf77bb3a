//! Arms transfers as the front ends show them: a state's trade by partner and period with
//! the agreements it shared with each (`pactbase arms`), the dyadic event study of what
//! agreements did to arms flows (`pactbase impact --dyadic`), and a state's arms profile
//! (`/api/v1/countries/{state}/arms`, the country page and report).

use pactbase_analysis::arms::dyadic::{self, DyadicDesign, DyadicStudy};
use pactbase_analysis::arms::{self, Period, Side, Trade};
use pactbase_analysis::impact::{ComparisonGroup, Estimator};
use pactbase_charts::{BarChart, Series};
use pactbase_model::arms::ArmsTransfers;
use pactbase_model::{Agreement, Ccode, StateIndex};
use pactbase_store::{AgreementFilter, Store};
use serde::Serialize;

use crate::research::{require, system};
use crate::Result;

/// SIPRI's arms transfers, or the import to run.
pub fn transfers(store: &Store) -> Result<ArmsTransfers> {
    require(store, "sipri-arms", "sipri-arms DIR")?;
    Ok(store.sipri_arms()?)
}

/// `ccode`'s imports (by supplier) or exports (by recipient) over `years` (default: all
/// SIPRI's years), with the registry's and ATOP's agreements it shared with each partner.
pub fn trade(store: &Store, ccode: Ccode, side: Side, years: Option<(i32, i32)>) -> Result<Trade> {
    let data = transfers(store)?;
    let agreements = store.agreements(&AgreementFilter { member: Some(ccode), ..Default::default() })?;
    Ok(arms::trade(&data, ccode, side, years.unwrap_or(data.coverage), &agreements))
}

/// The dyadic event study of entry into `agreements` on arms flows between their parties.
pub fn dyadic_study(store: &Store, agreements: &[Agreement], design: &DyadicDesign) -> Result<DyadicStudy> {
    let data = transfers(store)?;
    let (system, _) = system(store, &store.state_index()?, data.coverage)?;
    Ok(dyadic::estimate(&data, &system, agreements, design)?)
}

/// How many suppliers a profile names; the rest are summed.
const MAIN_SUPPLIERS: usize = 6;

/// One of a state's main suppliers (or the rest together), year by year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplierSeries {
    /// SIPRI's names joined ("Soviet Union / Russia"), or "other suppliers".
    pub name: String,
    pub ccode: Option<Ccode>,
    pub tiv: f64,
    /// [year, TIV] for each year with a delivery.
    pub years: Vec<(i32, f64)>,
}

/// What a state's arms imports say about its partnerships: who supplied it over time, how
/// concentrated its suppliers were, which agreements it had with them, and whether flows
/// from a partner changed once they shared an agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArmsProfile {
    pub ccode: Ccode,
    /// The years SIPRI's tables cover.
    pub coverage: (i32, i32),
    /// All imports over the coverage, TIV millions.
    pub tiv: f64,
    /// The largest suppliers over the whole record, then the rest together.
    pub main_suppliers: Vec<SupplierSeries>,
    /// Imports by supplier per five-year period: shares, concentration (HHI), agreements
    /// in force with each supplier.
    pub periods: Vec<Period>,
    /// Flows from its partners after it shared an agreement with them (any agreement of
    /// the registry or ATOP but the multilateral arms-control treaties), against its other
    /// suppliers: Callaway & Sant'Anna, never treated, relative years −5..10, outcome
    /// log(1 + TIV).
    pub event_study: Option<DyadicStudy>,
    /// Why there is no event study, when there is none.
    pub event_study_note: Option<String>,
}

pub fn profile(store: &Store, ccode: Ccode) -> Result<ArmsProfile> {
    let data = transfers(store)?;
    let mut agreements = store.agreements(&AgreementFilter { member: Some(ccode), ..Default::default() })?;
    agreements.retain(arms::is_partnership);
    let trade = arms::trade(&data, ccode, Side::Imports, data.coverage, &agreements);
    let design = DyadicDesign {
        window: -5..=10,
        comparison: ComparisonGroup::NeverTreated,
        estimator: Estimator::CallawaySantAnna,
        recipient: Some(ccode),
    };
    let (system, _) = system(store, &store.state_index()?, data.coverage)?;
    let (event_study, event_study_note) = match dyadic::estimate(&data, &system, &agreements, &design) {
        Ok(study) => (Some(study), None),
        Err(e) => (None, Some(format!("not estimable: {e}"))),
    };
    let mut main_suppliers: Vec<SupplierSeries> = trade
        .partners
        .iter()
        .take(MAIN_SUPPLIERS)
        .map(|p| SupplierSeries { name: p.names.join(" / "), ccode: p.ccode, tiv: p.tiv, years: p.years.clone() })
        .collect();
    let rest = &trade.partners[MAIN_SUPPLIERS.min(trade.partners.len())..];
    if !rest.is_empty() {
        let mut years: Vec<(i32, f64)> = Vec::new();
        for &(year, tiv) in rest.iter().flat_map(|p| &p.years) {
            match years.binary_search_by_key(&year, |&(y, _)| y) {
                Ok(i) => years[i].1 += tiv,
                Err(i) => years.insert(i, (year, tiv)),
            }
        }
        let name = format!("{} other suppliers", rest.len());
        main_suppliers.push(SupplierSeries { name, ccode: None, tiv: rest.iter().map(|p| p.tiv).sum(), years });
    }
    Ok(ArmsProfile {
        ccode,
        coverage: data.coverage,
        tiv: trade.tiv,
        main_suppliers,
        periods: trade.periods,
        event_study,
        event_study_note,
    })
}

/// Imports by main supplier per year, stacked: the profile's chart.
pub fn chart(profile: &ArmsProfile, index: &StateIndex) -> String {
    let (first, last) = profile.coverage;
    let series = profile
        .main_suppliers
        .iter()
        .map(|s| Series {
            name: s.name.clone(),
            points: (first..=last)
                .map(|y| (f64::from(y), s.years.iter().find(|&&(year, _)| year == y).map(|&(_, v)| v)))
                .collect(),
        })
        .collect();
    BarChart {
        title: format!("Arms imports of {} by supplier, {first}–{last}", index.name(profile.ccode)),
        y_label: "SIPRI TIV (millions)".into(),
        series,
    }
    .svg()
}
