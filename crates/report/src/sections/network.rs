//! Degree, eigenvector and betweenness per year, and the notable years.

use maud::{html, Markup};
use pactbase_analysis::assessment::NetworkYear;
use pactbase_charts::{LineChart, Series};

use crate::parts::{figure, fixed, note, states, table};
use crate::{missing, Report};

/// First year, peaks, the largest changes of degree and the last year, merged by year.
fn notable(years: &[NetworkYear]) -> Vec<(i32, Vec<String>)> {
    let mut found: Vec<(i32, String)> = Vec::new();
    let (first, last) = (&years[0], &years[years.len() - 1]);
    found.push((first.year, "first year in the network".into()));
    if let Some(y) = years.iter().max_by_key(|y| (y.degree, -y.year)) {
        found.push((y.year, "most alliance partners".into()));
    }
    if let Some(y) = years.iter().min_by_key(|y| (y.eigenvector_rank, y.year)) {
        found.push((y.year, "highest eigenvector rank".into()));
    }
    if let Some(y) = years.iter().max_by(|a, b| a.betweenness.total_cmp(&b.betweenness).then(b.year.cmp(&a.year))) {
        if y.betweenness > 0.0 {
            found.push((y.year, "highest betweenness (most brokerage)".into()));
        }
    }
    let mut changes: Vec<(i32, i64)> =
        years.windows(2).map(|w| (w[1].year, i64::from(w[1].degree) - i64::from(w[0].degree))).collect();
    changes.sort_by_key(|c| (-c.1.abs(), c.0));
    for (year, delta) in changes.into_iter().filter(|c| c.1 != 0).take(4) {
        found.push((year, format!("{} {} partners", if delta > 0 { "gained" } else { "lost" }, delta.abs())));
    }
    found.push((last.year, "the reference year".into()));
    found.sort_by_key(|x| x.0);
    let mut merged: Vec<(i32, Vec<String>)> = Vec::new();
    for (y, why) in found {
        match merged.last_mut() {
            Some(m) if m.0 == y => {
                if !m.1.contains(&why) {
                    m.1.push(why)
                }
            }
            _ => merged.push((y, vec![why])),
        }
    }
    merged
}

pub fn render(r: &Report) -> Markup {
    let n = match &r.a.network {
        Ok(n) => n,
        Err(m) => return missing(m),
    };
    if n.years.is_empty() {
        return note("The state is in no year of the alliance network.");
    }
    let name = &r.a.core.state.name;
    let pts = |f: &dyn Fn(&NetworkYear) -> f64| -> Vec<(f64, Option<f64>)> {
        n.years.iter().map(|y| (f64::from(y.year), Some(f(y)))).collect()
    };
    let degree = LineChart {
        title: format!("{name}: alliance partners per year (degree)"),
        y_label: "allied states".into(),
        series: vec![Series { name: "degree".into(), points: pts(&|y| f64::from(y.degree)) }],
        y_from_zero: true,
    };
    let centrality = LineChart {
        title: format!("{name}: centrality in the alliance network"),
        y_label: "centrality (0–1)".into(),
        series: vec![
            Series { name: "eigenvector".into(), points: pts(&|y| y.eigenvector) },
            Series { name: "betweenness".into(), points: pts(&|y| y.betweenness) },
        ],
        y_from_zero: true,
    };
    let rows = notable(&n.years)
        .into_iter()
        .filter_map(|(year, why)| {
            let y = n.years.iter().find(|x| x.year == year)?;
            Some(vec![
                html! { (year) },
                html! { (why.join("; ")) },
                html! { (y.degree) },
                html! { (fixed(y.eigenvector, 3)) " " span.sub { "rank " (y.eigenvector_rank) " of " (y.states) } },
                html! { (fixed(y.betweenness, 4)) },
            ])
        })
        .collect();
    html! {
        p { (n.basis) }
        @match &n.reference {
            Some(y) => { p { "In " strong { (y.year) } ": " (y.degree) " allies (rank " (y.degree_rank) "), eigenvector centrality " (fixed(y.eigenvector, 3)) " (rank " (y.eigenvector_rank) " of " (y.states) " states), betweenness " (fixed(y.betweenness, 4)) "." } }
            None => { (note(format!("Not a member of the state system in {}.", r.a.core.reference_year))) }
        }
        @if !n.bloc.is_empty() { p { "Its bloc (Louvain community) in " (r.a.core.reference_year) ": " (states(r.index, &n.bloc, 24)) } }
        (figure(&degree.svg(), "Degree: the number of states it shared an alliance with that year."))
        (figure(&centrality.svg(), "Eigenvector centrality: tied to well-connected states. Betweenness: share of shortest paths between other states that pass through it (a broker)."))
        (table("Notable years", &["Year", "Why", "Degree", "Eigenvector", "Betweenness"], rows, ""))
    }
}
