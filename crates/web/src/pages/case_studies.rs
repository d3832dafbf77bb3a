//! The case studies: NATO, ANZUS and Five Eyes, each an agreement page with its story.

use std::collections::HashSet;

use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use maud::{html, PreEscaped};
use pactbase_analysis::network::Level;
use pactbase_charts::{LineChart, Series};
use pactbase_model::Ccode;

use crate::error::ApiError;
use crate::Shared;

use super::agreement::agreement_body;
use super::parts::state_link;
use super::{layout, page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/case-studies", get(case_studies)).route("/case-studies/{name}", get(case_study))
}

const CASES: [(&str, &str, &str); 3] = [
    ("nato", "nato", "NATO: the North Atlantic Treaty (1949), from 12 founders to 32 members; Article 5's collective defense, the integrated command, France's withdrawal from it and return."),
    ("anzus", "anzus", "ANZUS (1951): Australia, New Zealand and the United States; the US suspension of its obligations toward New Zealand in 1986."),
    ("five-eyes", "ukusa", "Five Eyes: the UKUSA signals-intelligence agreement (1946) of the United Kingdom and the United States, joined by Canada, Australia and New Zealand."),
];

async fn case_studies() -> Html<String> {
    layout(
        "Case studies",
        html! {
            h1 { "Case studies" }
            ul.cards { @for (slug, _, blurb) in CASES { li { a href=(format!("/case-studies/{slug}")) { (blurb) } } } }
        },
    )
}

async fn case_study(State(state): State<Shared>, Path(name): Path<String>) -> PageResult {
    let Some(&(slug, id, blurb)) = CASES.iter().find(|c| c.0 == name) else {
        return Err(ApiError::not_found(format!("no case study `{name}`: nato, anzus or five-eyes")).into());
    };
    page(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let v = store.agreement_versioned(id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let a = &v.agreement;
        let r = app.cache.research(store)?;
        let net = app.cache.network(store, r.last_year, Level::Any, None)?;
        let parties: HashSet<Ccode> = a.parties().into_iter().collect();
        let mut positions: Vec<_> = net.nodes.iter().filter(|n| parties.contains(&n.ccode)).collect();
        positions.sort_by(|x, y| y.measures.eigenvector.total_cmp(&x.measures.eigenvector));
        // Parties over time (partners and observers are not members).
        let until = pactbase_service::REGISTRY_LAST_YEAR;
        let start = a.signed.year;
        let counts = Series {
            name: "members".into(),
            points: (start..=until)
                .map(|y| (f64::from(y), Some(a.members.iter().filter(|m| m.is_party() && m.active_in(y)).count() as f64)))
                .collect(),
        };
        let chart = LineChart {
            title: format!("{}: members per year", a.label()),
            y_label: "members".into(),
            y_from_zero: true,
            series: vec![counts],
        };
        let body = html! {
            p.kicker { "Case study" }
            p.lead { (blurb) }
            figure { (PreEscaped(chart.svg())) }
            (agreement_body(a, &index, v.version, &v.origin, v.edited))
            section aria-labelledby="case-position" {
                h2 #case-position { "Members' network position in " (net.year) }
                table {
                    thead { tr { th scope="col" { "Member" } th scope="col" { "Allies" } th scope="col" { "Eigenvector" } th scope="col" { "Bloc" } } }
                    tbody { @for n in &positions { tr { td { (state_link(&index, n.ccode)) } td { (n.measures.degree) } td { (format!("{:.3}", n.measures.eigenvector)) } td { (n.measures.bloc) } } } }
                }
            }
        };
        Ok((format!("Case study: {slug}"), body))
    })
    .await
}
