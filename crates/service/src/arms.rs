//! Arms transfers as the front ends show them: a state's trade by partner and period with
//! the agreements it shared with each (`pactbase arms`), the dyadic event study of what
//! agreements did to arms flows (`pactbase impact --dyadic`), and a state's arms profile
//! (`/api/v1/countries/{state}/arms`, the country page and report).

use pactbase_analysis::arms::dyadic::{self, DyadicDesign, DyadicStudy};
use pactbase_analysis::arms::{self, main_partners, ArmsProfile, MainPartner, Side, Trade};
use pactbase_analysis::impact::{ComparisonGroup, Estimator};
use pactbase_charts::{BarChart, Figure, Options, Series};
use pactbase_model::arms::ArmsTransfers;
use pactbase_model::research::Dataset;
use pactbase_model::{Agreement, Ccode, StateIndex};
use pactbase_store::{AgreementFilter, Store};

use crate::research::{require, system};
use crate::Result;

/// SIPRI's arms transfers, or the import to run.
pub fn transfers(store: &Store) -> Result<ArmsTransfers> {
    require(store, Dataset::SipriArms)?;
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

/// `ccode`'s arms profile over SIPRI's years up to `until` (the reference year of a page;
/// `None`: all of them), so a page about 1990 does not read later deliveries.
pub fn profile(store: &Store, ccode: Ccode, until: Option<i32>) -> Result<ArmsProfile> {
    let mut data = transfers(store)?;
    if let Some(last) = until.filter(|&last| last < data.coverage.1) {
        data.transfers.retain(|t| t.year <= last);
        data.coverage.1 = last.max(data.coverage.0);
    }
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
        Err(e) => (None, Some(format!("No event study of arms flows: {e}."))),
    };
    let main_suppliers = main_partners(&trade);
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

/// [`figure`] as an SVG chart.
pub fn chart(
    index: &StateIndex,
    ccode: Ccode,
    side: Side,
    years: Option<(i32, i32)>,
    partners: &[MainPartner],
) -> String {
    figure(index, ccode, side, years, partners).svg(&Options::default())
}

/// A state's imports by main supplier (or exports by main recipient) per year, stacked:
/// `years` is the span to draw (`None`: outside SIPRI's years, nothing to draw). For a
/// profile: `figure(index, p.ccode, Side::Imports, Some(p.coverage), &p.main_suppliers)`.
pub fn figure(
    index: &StateIndex,
    ccode: Ccode,
    side: Side,
    years: Option<(i32, i32)>,
    partners: &[MainPartner],
) -> Figure {
    let (first, last) = years.unwrap_or((1, 0));
    let series = partners
        .iter()
        .map(|s| Series {
            name: s.name.clone(),
            points: (first..=last)
                .map(|y| (f64::from(y), s.years.iter().find(|&&(year, _)| year == y).map(|&(_, v)| v)))
                .collect(),
        })
        .collect();
    let what = match side {
        Side::Imports => "imports of",
        Side::Exports => "exports of",
    };
    let by = match side {
        Side::Imports => "supplier",
        Side::Exports => "recipient",
    };
    let span = years.map(|_| format!(", {first}–{last}")).unwrap_or_default();
    Figure::bars(BarChart {
        title: format!("Arms {what} {} by {by}{span}", index.name(ccode)),
        y_label: "SIPRI TIV (millions)".into(),
        series,
    })
}

#[cfg(test)]
mod tests {
    use pactbase_analysis::arms::PartnerSeries;
    use pactbase_model::arms::PartyKind;
    use pactbase_model::{PartialDate, Spell, State};

    use super::*;

    fn partner(name: &str, tiv: f64, years: Vec<(i32, f64)>) -> PartnerSeries {
        PartnerSeries { names: vec![name.into()], ccode: None, kind: PartyKind::State, tiv, years }
    }

    #[test]
    fn the_largest_partners_are_named_and_the_rest_summed_into_a_stacked_chart() {
        let partners: Vec<PartnerSeries> = (1..=8)
            .rev()
            .map(|k| partner(&format!("S{k}"), f64::from(k), vec![(1990, f64::from(k)), (1990 + k, 0.5)]))
            .collect();
        let trade =
            Trade { ccode: 770, side: Side::Imports, years: Some((1990, 1999)), tiv: 36.0, partners, periods: vec![] };
        let main = main_partners(&trade);
        let names: Vec<&str> = main.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["S8", "S7", "S6", "S5", "S4", "S3", "2 others"]);
        // S2 and S1 together: 2 + 1 in 1990, then 0.5 in 1991 and in 1992.
        assert_eq!(main[6].years, vec![(1990, 3.0), (1991, 0.5), (1992, 0.5)]);
        assert_eq!(main[6].tiv, 3.0);
        let index = StateIndex::new(vec![State {
            ccode: 770,
            abb: "PAK".into(),
            iso3: None,
            name: "Pakistan".into(),
            aliases: vec![],
            spells: vec![Spell { start: PartialDate::year(1947), end: None }],
        }]);
        let svg = chart(&index, 770, Side::Imports, trade.years, &main);
        assert!(svg.contains("Arms imports of Pakistan by supplier, 1990–1999"), "{svg}");
        assert!(svg.contains("<text") && svg.contains(">2 others</text>"));
        assert!(svg.contains("<title>1990: S8 8, S7 7, S6 6, S5 5, S4 4, S3 3, 2 others 3</title>"), "{svg}");
        assert!(chart(&index, 770, Side::Exports, None, &[]).contains("No data"));
    }
}
