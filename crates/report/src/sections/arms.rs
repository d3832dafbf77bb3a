//! What its partnerships delivered in arms: SIPRI's deliveries by supplier over time, the
//! supplier concentration per period with the agreements in force with each supplier, and
//! the dyadic event study.

use maud::{html, Markup};
use pactbase_analysis::arms::{percent, PartnerShare, Period};
use pactbase_model::YearSpan;

use crate::parts::{figure, fixed, note, or_dash, table, thousands};
use crate::{missing, Report};

/// How many suppliers a period's row names.
const SUPPLIERS_PER_PERIOD: usize = 3;

pub fn render(r: &Report) -> Markup {
    let a = match &r.a.arms {
        Ok(a) => a,
        Err(m) => return missing(m),
    };
    let p = &a.profile;
    let name = &r.a.core.state.name;
    html! {
        p {
            "Deliveries of major arms to " (name) " in " (p.coverage.0) "–" (p.coverage.1) ", in SIPRI trend-indicator values (TIV, millions): "
            "a measure of the military capability transferred, not of price paid (docs/ARMS.md). In all: " (thousands(p.tiv)) "."
        }
        (figure(&a.chart_svg, "Imports by main supplier per year (SIPRI TIV, millions); the smaller suppliers together. Former names are joined (“Soviet Union / Russia”)."))
        @if p.periods.iter().all(|x| x.tiv <= 0.0) { (note("SIPRI records no delivery to it in these years.")) }
        @else {
            (table(
                "Suppliers by five-year period: shares, concentration (Herfindahl–Hirschman index, 0 to 1; 1 is a single supplier) and the agreements in force with each",
                &["Period", "TIV", "Concentration", "Main suppliers (share; agreements in force)"],
                p.periods.iter().filter(|x| x.tiv > 0.0).map(|x| vec![
                    html! { (years(x)) },
                    html! { (thousands(x.tiv)) },
                    or_dash(x.hhi.map(|h| fixed(h, 2))),
                    html! { @for (i, s) in x.partners.iter().take(SUPPLIERS_PER_PERIOD).enumerate() { @if i > 0 { "; " } (supplier(s)) } },
                ]).collect(),
                "",
            ))
        }
        h3 { "Did arms follow the agreements?" }
        p { (a.headline) }
        @if let Some(study) = &p.event_study {
            @let estimates: Vec<_> = study.relative_years.iter().filter(|y| y.estimate.is_some()).collect();
            (note(format!(
                "Directed dyads from each supplier to {name}, Callaway & Sant'Anna against its suppliers never bound with it by an agreement; outcome log(1 + TIV) per year; relative years −5 to 10 around the first year both were parties; {} partners entered, {} comparison dyads; {} relative years estimated.",
                study.treated.len(), study.comparison_dyads, estimates.len()
            )))
            @if let Some(t) = &study.pre_trends {
                (note(format!("Joint test of the years before entry: χ²({}) = {:.2}, p = {:.3}{}.", t.df, t.statistic, t.p_value, if t.rejected { ", so no effect is stated" } else { "" })))
            }
        }
    }
}

fn years(p: &Period) -> YearSpan {
    YearSpan::new(p.first_year, Some(p.last_year))
}

fn supplier(s: &PartnerShare) -> Markup {
    let agreements: Vec<&str> = s.agreements.iter().map(|a| a.label.as_str()).collect();
    html! {
        strong { (s.names.join(" / ")) } " " (s.share.map(percent).unwrap_or_default())
        @if !agreements.is_empty() { " (" (agreements.join(", ")) ")" }
    }
}
