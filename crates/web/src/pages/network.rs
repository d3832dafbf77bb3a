//! The network explorer: a year slider, level and kind filters, and the fragment
//! `app.js` swaps in.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_analysis::network::Level;
use pactbase_model::{AgreementKind, Ccode, StateIndex, Vocabulary};
use pactbase_store::Store;
use serde::Deserialize;

use crate::api::{given, parse_agreement_kind, parse_level, Q};
use crate::cache::NetworkView;
use crate::error::ApiError;
use crate::{with_store, AppState, Shared};

use super::parts::state_link;
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/network", get(network)).route("/network/fragment", get(network_fragment))
}

#[derive(Deserialize)]
struct NetworkParams {
    year: Option<i32>,
    level: Option<String>,
    kind: Option<String>,
}

struct NetworkChoice {
    first: i32,
    last: i32,
    year: i32,
    level: Level,
    kind: Option<AgreementKind>,
}

const PALETTE: [&str; 8] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F", "#000000"];

/// The graph drawn on a circle, states grouped by bloc; isolates are left out (counted).
/// The figure is a `group`, not an `img`: its states are links.
fn network_svg(net: &NetworkView) -> Markup {
    let mut nodes: Vec<_> = net.nodes.iter().filter(|n| n.measures.degree > 0).collect();
    nodes.sort_by_key(|n| (n.measures.bloc, n.ccode));
    let n = nodes.len().max(1);
    let (cx, cy, r) = (400.0, 400.0, 330.0);
    let pos: BTreeMap<Ccode, (f64, f64, f64)> = nodes
        .iter()
        .enumerate()
        .map(|(k, node)| {
            let angle = std::f64::consts::TAU * k as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            (node.ccode, (cx + r * angle.cos(), cy + r * angle.sin(), angle))
        })
        .collect();
    let isolates = net.nodes.len() - nodes.len();
    html! {
        svg.network viewBox="0 0 800 800" role="group" aria-labelledby="net-title net-desc" {
            title #net-title { "Alliance network, " (net.year) " (" (net.level.as_str()) @if let Some(k) = net.kind { ", " (k.as_str()) " agreements" } ")" }
            desc #net-desc { (nodes.len()) " allied states on a circle grouped by bloc, " (net.edges.len()) " ties; " (isolates) " states without ties are not drawn." }
            g stroke="#999" stroke-opacity="0.35" {
                @for (a, b, w) in &net.edges {
                    @if let (Some(p), Some(q)) = (pos.get(a), pos.get(b)) {
                        line x1=(format!("{:.1}", p.0)) y1=(format!("{:.1}", p.1)) x2=(format!("{:.1}", q.0)) y2=(format!("{:.1}", q.1)) stroke-width=(if *w >= 3.0 { "1.2" } else { "0.6" }) {}
                    }
                }
            }
            @for node in &nodes {
                @let (x, y, angle) = pos[&node.ccode];
                @let colour = PALETTE[node.measures.bloc as usize % PALETTE.len()];
                @let size = 3.0 + 10.0 * node.measures.eigenvector.sqrt();
                a href=(format!("/countries/{}", node.abb)) {
                    circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{size:.1}")) fill=(colour) {
                        title { (node.name) " (" (node.abb) "): " (node.measures.degree) " allies, bloc " (node.measures.bloc) }
                    }
                    text x=(format!("{:.1}", cx + (r + 16.0) * angle.cos())) y=(format!("{:.1}", cy + (r + 16.0) * angle.sin() + 3.0)) font-size="9" text-anchor="middle" { (node.abb) }
                }
            }
        }
    }
}

fn network_view(net: &NetworkView, index: &StateIndex) -> Markup {
    let mut top: Vec<_> = net.nodes.iter().filter(|n| n.measures.degree > 0).collect();
    top.sort_by(|a, b| b.measures.eigenvector.total_cmp(&a.measures.eigenvector));
    html! {
        p #network-summary role="status" { (net.year) @if let Some(k) = net.kind { " (" (k.as_str()) " agreements only)" } ": " (net.graph.edges) " ties among " (net.graph.nodes) " states, "
            (net.graph.blocs) " blocs" @if let Some(m) = net.graph.modularity { " (modularity " (format!("{m:.2}")) ")" } "." }
        (network_svg(net))
        table {
            caption { "Most central states in " (net.year) }
            thead { tr { th scope="col" { "State" } th scope="col" { "Allies" } th scope="col" { "Eigenvector" } th scope="col" { "Betweenness" } th scope="col" { "Bloc" } } }
            tbody {
                @for n in top.iter().take(15) {
                    tr { td { (state_link(index, n.ccode)) } td { (n.measures.degree) } td { (format!("{:.3}", n.measures.eigenvector)) }
                         td { (format!("{:.3}", n.measures.betweenness)) } td { (n.measures.bloc) } }
                }
            }
        }
    }
}

fn network_params(store: &Store, app: &AppState, q: &NetworkParams) -> Result<NetworkChoice, ApiError> {
    let r = app.cache.research(store)?;
    Ok(NetworkChoice {
        first: r.first_year,
        last: r.last_year,
        year: q.year.unwrap_or(r.last_year).clamp(r.first_year, r.last_year),
        level: parse_level(given(&q.level))?,
        kind: parse_agreement_kind(given(&q.kind))?,
    })
}

async fn network(State(state): State<Shared>, Q(q): Q<NetworkParams>) -> PageResult {
    page(&state, move |store, app| {
        let c = network_params(store, app, &q)?;
        let net = app.cache.network(store, c.year, c.level, c.kind)?;
        let index = app.cache.index(store)?;
        let body = html! {
            h1 { "The alliance network" }
            p { "States are joined when they share an alliance in effect (level any) or when either owes the other defense or offense (level defense). Choosing a kind keeps the agreements of that kind only, and then ties their parties even where the agreement sets no obligation (intelligence sharing, technology transfer). Colours are blocs found by modularity; circle size is eigenvector centrality. Ties: " (net.source) "." }
            form #network-form action="/network" method="get" {
                label for="year" { "Year: " output #year-out for="year" { (c.year) } }
                input #year type="range" name="year" min=(c.first) max=(c.last) step="1" value=(c.year);
                span.field {
                    label for="level" { "Level" }
                    select #level name="level" {
                        option value="any" selected[c.level == Level::Any] { "any alliance" }
                        option value="defense" selected[c.level == Level::Defense] { "defense or offense" }
                    }
                }
                span.field {
                    label for="kind" { "Kind" }
                    select #kind name="kind" {
                        option value="" selected[c.kind.is_none()] { "every alliance" }
                        @for k in AgreementKind::ALL {
                            option value=(k.as_str()) selected[c.kind == Some(*k)] { (k.as_str()) }
                        }
                    }
                }
                button type="submit" { "Show" }
            }
            div #network-view aria-live="polite" { (network_view(&net, &index)) }
        };
        Ok(("Network".into(), body))
    })
    .await
}

/// The explorer's view alone, for the script to swap in without a reload.
async fn network_fragment(State(state): State<Shared>, Q(q): Q<NetworkParams>) -> Result<Response, ApiError> {
    with_store(&state, move |store, app| {
        let c = network_params(store, app, &q)?;
        let net = app.cache.network(store, c.year, c.level, c.kind)?;
        let index = app.cache.index(store)?;
        Ok(Html(network_view(&net, &index).into_string()).into_response())
    })
    .await
}
