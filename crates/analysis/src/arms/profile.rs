//! A state's arms imports as the country page and report show them: its main suppliers
//! year by year, its five-year periods, and the dyadic event study.

use pactbase_model::Ccode;
use serde::Serialize;

use super::dyadic::DyadicStudy;
use super::{Period, Trade};

/// A share as a whole percentage, "<1%" for a delivery too small to round to 1%.
pub fn percent(share: f64) -> String {
    if share > 0.0 && share < 0.005 {
        "<1%".into()
    } else {
        format!("{:.0}%", share * 100.0)
    }
}

/// How many partners a profile or chart names; the rest are summed.
const MAIN_PARTNERS: usize = 6;

/// One of a state's main partners (or the rest together), year by year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MainPartner {
    /// SIPRI's names joined ("Soviet Union / Russia"), or "12 others".
    pub name: String,
    pub ccode: Option<Ccode>,
    pub tiv: f64,
    /// [year, TIV] for each year with a delivery.
    pub years: Vec<(i32, f64)>,
}

/// The largest partners of `trade` over its years, then the rest together.
pub fn main_partners(trade: &Trade) -> Vec<MainPartner> {
    let mut main: Vec<MainPartner> = trade
        .partners
        .iter()
        .take(MAIN_PARTNERS)
        .map(|p| MainPartner { name: p.names.join(" / "), ccode: p.ccode, tiv: p.tiv, years: p.years.clone() })
        .collect();
    let rest = &trade.partners[MAIN_PARTNERS.min(trade.partners.len())..];
    if !rest.is_empty() {
        let mut years: Vec<(i32, f64)> = Vec::new();
        for &(year, tiv) in rest.iter().flat_map(|p| &p.years) {
            match years.binary_search_by_key(&year, |&(y, _)| y) {
                Ok(i) => years[i].1 += tiv,
                Err(i) => years.insert(i, (year, tiv)),
            }
        }
        let name = format!("{} others", rest.len());
        main.push(MainPartner { name, ccode: None, tiv: rest.iter().map(|p| p.tiv).sum(), years });
    }
    main
}

/// What a state's arms imports say about its partnerships: who supplied it over time, how
/// concentrated its suppliers were, which agreements it had with them, and whether flows
/// from a partner changed once they shared an agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArmsProfile {
    pub ccode: Ccode,
    /// The years SIPRI's tables cover.
    pub coverage: (i32, i32),
    /// All imports over the coverage, TIV millions.
    pub tiv: f64,
    /// The largest suppliers over the whole record, then the rest together.
    pub main_suppliers: Vec<MainPartner>,
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

impl ArmsProfile {
    /// The event study in one sentence: the effect, why none is stated, or why there is no
    /// study.
    pub fn event_study_headline(&self) -> String {
        let Some(study) = &self.event_study else {
            return self.event_study_note.clone().unwrap_or_else(|| "No event study.".into());
        };
        let partners = study.treated.len();
        let interval = |e: &crate::impact::Estimate| {
            format!("{:+.3} log points (95% CI {:+.3} to {:+.3})", e.value, e.ci_low, e.ci_high)
        };
        match (study.effect(), &study.post_att) {
            (Some(e), _) => format!(
                "Deliveries from a partner after it first shared an agreement with the state, against its other suppliers: {} on log(1 + TIV), over {partners} partners.",
                interval(e)
            ),
            (None, Some(e)) => format!(
                "No effect is stated: flows from the {partners} partners were already diverging from the other suppliers' before the agreements (joint test of the years before entry rejects). The post-entry average, {}, mixes that trend with any effect.",
                interval(e)
            ),
            (None, None) => "No year after an agreement could be estimated.".into(),
        }
    }
}
