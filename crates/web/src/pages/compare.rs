//! Two states compared, and the trends of agreements through time.

use std::collections::HashSet;

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_analysis::assessment::CountryCore;
use pactbase_charts::{Figure, LineChart, Series};
use pactbase_model::{Ccode, Vocabulary};
use pactbase_service::assessment::Request;
use pactbase_service::trends::charts;
use serde::Deserialize;

use crate::params::{self, resolve_state, Q};
use crate::Shared;

use super::data::needs;
use super::figures::figure;
use super::glossary::{term, term_as};
use super::parts::{agreement_link, partner_list, state_link};
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/compare", get(compare)).route("/trends", get(trends))
}

#[derive(Deserialize)]
struct CompareParams {
    a: Option<String>,
    b: Option<String>,
}

async fn compare(State(state): State<Shared>, Q(q): Q<CompareParams>) -> PageResult {
    page(&state, move |store, app| {
        let a_q = q.a.unwrap_or_else(|| "PAK".into());
        let b_q = q.b.unwrap_or_else(|| "IND".into());
        let index = app.cache.index(store)?;
        let (a, b) = (resolve_state(&index, &a_q)?, resolve_state(&index, &b_q)?);
        let (pa, _) = app.cache.core(store, a, Request::default())?;
        let (pb, _) = app.cache.core(store, b, Request::default())?;
        let ids_b: HashSet<&str> = pb.timeline.memberships.iter().map(|m| m.agreement_id.as_str()).collect();
        let mut shared: Vec<(&str, &str)> = pa
            .timeline
            .memberships
            .iter()
            .filter(|m| ids_b.contains(m.agreement_id.as_str()))
            .map(|m| (m.agreement_id.as_str(), m.label.as_str()))
            .collect();
        shared.dedup();
        // The page reads the network the site shows (ATOP with the registry's agreements
        // when ATOP is imported), and says so under the chart.
        let source = app.cache.research(store)?.source;
        let sim = app.cache.similarity(store, (a, b), None, source)?;
        let series = |key: &str, name: &str| Series {
            name: name.into(),
            points: sim.years.iter().map(|y| (f64::from(y.year), y.measure(key))).collect(),
        };
        let chart = LineChart {
            title: format!("Alliance-portfolio similarity of {} and {}", index.name(a), index.name(b)),
            y_label: "similarity (−1 to 1)".into(),
            y_from_zero: false,
            series: vec![series("sallyvua", "S (valued)"), series("kallyv", "kappa (valued)")],
        };
        let column = |p: &CountryCore, c: Ccode| html! {
            section.col aria-labelledby=(format!("col-{c}")) {
                h2 id=(format!("col-{c}")) { (state_link(&index, c)) }
                p { (p.timeline.memberships.len()) " memberships; " (p.overview.partners_now) " partners in " (p.reference_year) ", " (p.overview.partners_ever) " ever" }
                h3 { "Closest partners" }
                (partner_list(p, &index, 8))
                h3 { "Kinds" }
                ul { @for (k, n) in &p.timeline.kinds { li { (k.as_str()) ": " (n) } } }
            }
        };
        let body = html! {
            h1 { "Compare " (index.name(a)) " and " (index.name(b)) }
            form.inline action="/compare" method="get" {
                label for="a" { "State" } input #a name="a" value=(a_q);
                label for="b" { "and" } input #b name="b" value=(b_q);
                button type="submit" { "Compare" }
            }
            div.columns { (column(&pa, a)) (column(&pb, b)) }
            section aria-labelledby="shared" {
                h2 #shared { "Agreements both have been party to" }
                @if shared.is_empty() { p { "None." } }
                ul { @for (id, label) in &shared { li { (agreement_link(id, label)) } } }
            }
            section aria-labelledby="similarity" {
                h2 #similarity { "How alike their alliance portfolios are" }
                @if sim.years.is_empty() { p { "They were never system members in the same year." } }
                @else { (figure("similarity", &Figure::lines(chart), "Year", html! { "Per year: " (term("s-score")) " (valued) and " (term("cohens-kappa")) " (valued); "
                    (term_as("ties-source", "ties")) ": " (sim.source) ". "
                    a href=(format!("/api/v1/similarity?a={}&b={}", index.label(a), index.label(b))) { "All measures (JSON)" } })) }
            }
        };
        Ok((format!("Compare {} and {}", index.name(a), index.name(b)), body))
    })
    .await
}

#[derive(Deserialize)]
struct TrendParams {
    years: Option<String>,
}

async fn trends(State(state): State<Shared>, Q(q): Q<TrendParams>) -> PageResult {
    page(&state, move |store, _| {
        let found = pactbase_service::trends::trends(store, params::years(&q.years)?)?;
        let body = html! {
            h1 { "Trends" }
            form.inline action="/trends" method="get" {
                label for="years" { "Years" } input #years name="years" placeholder="1946-2025" value=(q.years.clone().unwrap_or_default());
                button type="submit" { "Show" }
            }
            @for c in charts(&found) {
                @let (what, intro) = trend_words(c.id);
                @match c.needs {
                    Some(dataset) => { (needs(what, dataset)) }
                    None => { (figure(c.id, &Figure::lines(c.chart), "Year", html! { (intro) " " (c.note) })) }
                }
            }
            p { a href="/api/v1/trends" { "Every column as JSON" } }
        };
        Ok(("Trends".into(), body))
    })
    .await
}

/// What a trends chart shows, in words for its missing-data note and its caption (with
/// the terms linked to the glossary).
fn trend_words(id: &str) -> (&'static str, Markup) {
    match id {
        "kinds" => {
            ("Registry trends", html! { "Agreements of the " (term("registry")) " in force each year, by kind." })
        }
        "forms" => (
            "Alliance trends",
            html! { "Share of " (term("atop")) " alliances in effect that are " (term("bilateral")) " or multilateral." },
        ),
        "provisions" => {
            ("Alliance provisions", html! { "Share of coded " (term("atop")) " alliances with each provision." })
        }
        _ => ("Exercise trends", html! { "Exercises begun per year in " (term("mme")) ", all and by domain." }),
    }
}
