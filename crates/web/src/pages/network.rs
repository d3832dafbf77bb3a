//! The network explorer: a year slider (1816–2025: ATOP's alliances to 2018 with the
//! registry's agreements, then the registry's alone), level and kind filters, and a focus
//! state (Pakistan unless another is chosen) whose ego network and bloc are drawn; the
//! fragment `app.js` swaps in.

use std::collections::BTreeMap;
use std::f64::consts::{FRAC_PI_2, TAU};

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_analysis::network::Level;
use pactbase_analysis::panel::ATOP_END;
use pactbase_model::{AgreementKind, Ccode, StateIndex, Vocabulary};
use pactbase_store::Store;
use serde::Deserialize;

use crate::cache::{NetworkView, NodeView};
use crate::error::ApiError;
use crate::params::{given, parse_agreement_kind, parse_level, resolve_state, Q};
use crate::{with_store, AppState, Shared};

use super::figures::drawing_downloads;
use super::glossary::{term, term_as};
use super::parts::state_link;
use super::tables::{data_table, Cell, DataTable};
use super::{page, PageResult, FEATURED};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/network", get(network)).route("/network/fragment", get(network_fragment))
}

#[derive(Deserialize)]
struct NetworkParams {
    year: Option<String>,
    level: Option<String>,
    kind: Option<String>,
    focus: Option<String>,
}

struct NetworkChoice {
    first: i32,
    last: i32,
    year: i32,
    /// A year asked for outside the data (the nearest is shown).
    outside: Option<i32>,
    level: Level,
    kind: Option<AgreementKind>,
    focus: Ccode,
    /// ATOP's alliances are among the ties up to its last year.
    atop: bool,
}

/// Colours of the largest blocs (blocs are numbered by size, largest first); smaller
/// blocs share grey. Okabe–Ito and two darker tones, distinct for colour-blind readers.
const BLOC_COLOURS: [&str; 9] =
    ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F", "#332288", "#882255"];
const SMALL_BLOCS: &str = "#9a9a9a";
const FOCUS: &str = "#C00000";

fn colour(bloc: u32) -> &'static str {
    BLOC_COLOURS.get(bloc as usize).copied().unwrap_or(SMALL_BLOCS)
}

fn swatch(fill: &str) -> Markup {
    html! { svg.swatch width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" { circle cx="6" cy="6" r="6" fill=(fill) {} } }
}

fn f1(v: f64) -> String {
    format!("{v:.1}")
}

/// A label placed radially outside a circle of radius `r` at `angle`: it reads outward,
/// turned upright on the left half, so that neighbours never overlap while the spacing
/// along the circle is at least the text size.
fn radial_label(cx: f64, cy: f64, r: f64, angle: f64, size: f64, text: &str, bold: bool) -> Markup {
    let (x, y) = (cx + r * angle.cos(), cy + r * angle.sin());
    let degrees = angle.to_degrees();
    let left = angle.cos() < 0.0;
    let rotate = if left { degrees + 180.0 } else { degrees };
    html! {
        text x=(f1(x)) y=(f1(y)) font-size=(f1(size)) dominant-baseline="middle" text-anchor=(if left { "end" } else { "start" })
            font-weight=(if bold { "700" } else { "400" }) transform=(format!("rotate({} {} {})", f1(rotate), f1(x), f1(y))) { (text) }
    }
}

/// Nodes on a circle, in order: position and angle by state.
fn circle(nodes: &[&NodeView], radius: f64, centre: f64) -> BTreeMap<Ccode, (f64, f64, f64)> {
    let n = nodes.len().max(1);
    nodes
        .iter()
        .enumerate()
        .map(|(k, node)| {
            let angle = TAU * k as f64 / n as f64 - FRAC_PI_2;
            (node.ccode, (centre + radius * angle.cos(), centre + radius * angle.sin(), angle))
        })
        .collect()
}

/// Every tied state on a circle grouped by bloc, the focus state and its ties in red;
/// isolates are left out (counted). A `group`, not an `img`: its states are links.
fn network_svg(net: &NetworkView, focus: Ccode) -> Markup {
    let mut nodes: Vec<&NodeView> = net.nodes.iter().filter(|n| n.measures.degree > 0).collect();
    nodes.sort_by_key(|n| (n.measures.bloc, n.ccode));
    let (radius, centre) = (330.0, 430.0);
    let pos = circle(&nodes, radius, centre);
    // Room along the circle per label: radial text at most that high never overlaps.
    let size = (TAU * radius / nodes.len().max(1) as f64 * 0.8).clamp(6.0, 12.0);
    let isolates = net.nodes.len() - nodes.len();
    let touches = |a: &Ccode, b: &Ccode| *a == focus || *b == focus;
    html! {
        svg.network viewBox="0 0 860 860" role="group" aria-labelledby="net-title net-desc" {
            title #net-title { "Alliance network, " (net.year) " (" (net.level.as_str()) @if let Some(k) = net.kind { ", " (k.as_str()) " agreements" } ")" }
            desc #net-desc { (nodes.len()) " allied states on a circle grouped by bloc, " (net.edges.len()) " ties; " (isolates) " states without ties are not drawn. The focus state's ties are red." }
            g stroke="#999" stroke-opacity="0.3" {
                @for (a, b, w) in net.edges.iter().filter(|(a, b, _)| !touches(a, b)) {
                    @if let (Some(p), Some(q)) = (pos.get(a), pos.get(b)) {
                        line x1=(f1(p.0)) y1=(f1(p.1)) x2=(f1(q.0)) y2=(f1(q.1)) stroke-width=(if *w >= 3.0 { "1.2" } else { "0.6" }) {}
                    }
                }
            }
            g stroke=(FOCUS) stroke-opacity="0.75" stroke-width="1.4" {
                @for (a, b, _) in net.edges.iter().filter(|(a, b, _)| touches(a, b)) {
                    @if let (Some(p), Some(q)) = (pos.get(a), pos.get(b)) {
                        line x1=(f1(p.0)) y1=(f1(p.1)) x2=(f1(q.0)) y2=(f1(q.1)) {}
                    }
                }
            }
            @for node in &nodes {
                @let (x, y, angle) = pos[&node.ccode];
                @let is_focus = node.ccode == focus;
                a href=(format!("/countries/{}", node.abb)) {
                    circle cx=(f1(x)) cy=(f1(y)) r=(f1(3.0 + 10.0 * node.measures.eigenvector.sqrt())) fill=(colour(node.measures.bloc))
                        stroke=(if is_focus { FOCUS } else { "none" }) stroke-width="3" {
                        title { (node.name) ": " (node.measures.degree) " allies, bloc " (node.measures.bloc + 1) }
                    }
                    (radial_label(centre, centre, radius + 16.0, angle, if is_focus { 14.0 } else { size }, &node.abb, is_focus))
                }
            }
        }
    }
}

/// The focus state at the centre, its allies around it by bloc with their names.
fn ego_svg(net: &NetworkView, focus: &NodeView) -> Markup {
    let allies: Vec<Ccode> = net
        .edges
        .iter()
        .filter_map(|&(a, b, _)| {
            if a == focus.ccode {
                Some(b)
            } else if b == focus.ccode {
                Some(a)
            } else {
                None
            }
        })
        .collect();
    let mut nodes: Vec<&NodeView> = net.nodes.iter().filter(|n| allies.contains(&n.ccode)).collect();
    nodes.sort_by_key(|n| (n.measures.bloc, n.ccode));
    // Radius such that 13-unit labels (17-unit line boxes) fit side by side around the
    // circle; names are cut
    // at 16 characters so that the drawing stays near phone width (the title has them whole).
    let radius = (nodes.len() as f64 * 17.0 / TAU).max(90.0);
    let longest = nodes.iter().map(|n| n.name.chars().count()).max().unwrap_or(0).min(16) as f64;
    let centre = radius + 20.0 + longest * 7.2;
    let pos = circle(&nodes, radius, centre);
    let side = 2.0 * centre;
    let short = |name: &str| {
        if name.chars().count() > 16 {
            format!("{}…", name.chars().take(15).collect::<String>())
        } else {
            name.to_owned()
        }
    };
    html! {
        svg.ego viewBox=(format!("0 0 {} {}", f1(side), f1(side))) role="group" aria-labelledby="ego-title" {
            title #ego-title { (focus.name) "'s allies in " (net.year) ", by bloc" }
            g stroke="#999" stroke-opacity="0.35" {
                @for (a, b, _) in net.edges.iter().filter(|(a, b, _)| *a != focus.ccode && *b != focus.ccode) {
                    @if let (Some(p), Some(q)) = (pos.get(a), pos.get(b)) { line x1=(f1(p.0)) y1=(f1(p.1)) x2=(f1(q.0)) y2=(f1(q.1)) {} }
                }
            }
            g stroke=(FOCUS) stroke-opacity="0.6" {
                @for (x, y, _) in pos.values() { line x1=(f1(centre)) y1=(f1(centre)) x2=(f1(*x)) y2=(f1(*y)) {} }
            }
            @for node in &nodes {
                @let (x, y, angle) = pos[&node.ccode];
                a href=(format!("/countries/{}", node.abb)) {
                    circle cx=(f1(x)) cy=(f1(y)) r="6" fill=(colour(node.measures.bloc)) { title { (node.name) ", bloc " (node.measures.bloc + 1) } }
                    (radial_label(centre, centre, radius + 10.0, angle, 13.0, &short(&node.name), false))
                }
            }
            circle cx=(f1(centre)) cy=(f1(centre)) r="10" fill=(colour(focus.measures.bloc)) stroke=(FOCUS) stroke-width="3" {}
            text x=(f1(centre)) y=(f1(centre + 26.0)) text-anchor="middle" font-size="13" font-weight="700" { (focus.name) }
        }
    }
}

/// The blocs with a member, largest first: colour, size and leading members.
fn bloc_legend(net: &NetworkView, focus: Ccode) -> Markup {
    let mut blocs: BTreeMap<u32, Vec<&NodeView>> = BTreeMap::new();
    for n in net.nodes.iter().filter(|n| n.measures.degree > 0) {
        blocs.entry(n.measures.bloc).or_default().push(n);
    }
    let small: usize = blocs.iter().filter(|(b, _)| colour(**b) == SMALL_BLOCS).map(|(_, m)| m.len()).sum();
    let shown: Vec<(u32, usize, String, bool)> = blocs
        .into_iter()
        .filter(|(b, _)| colour(*b) != SMALL_BLOCS)
        .map(|(bloc, mut members)| {
            members.sort_by(|a, b| b.measures.eigenvector.total_cmp(&a.measures.eigenvector));
            let leading: Vec<&str> = members.iter().take(4).map(|n| n.name.as_str()).collect();
            let more = if members.len() > 4 { " …" } else { "" };
            (bloc, members.len(), format!("{}{more}", leading.join(", ")), members.iter().any(|n| n.ccode == focus))
        })
        .collect();
    html! {
        ul.legend aria-label="Blocs" {
            @for (bloc, size, leading, has_focus) in &shown {
                li { (swatch(colour(*bloc))) " Bloc " (bloc + 1) " (" (size) " states): " (leading)
                    @if *has_focus { strong { " — with the focus state" } } }
            }
            @if small > 0 { li { (swatch(SMALL_BLOCS)) " Smaller blocs (" (small) " states)" } }
            li { svg.swatch width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" { circle cx="6" cy="6" r="4" fill="white" stroke=(FOCUS) stroke-width="3" {} }
                 " The focus state, its ties in red" }
        }
    }
}

fn focus_part(net: &NetworkView, c: &NetworkChoice, index: &StateIndex) -> Markup {
    let name = index.name(c.focus);
    let Some(node) = net.nodes.iter().find(|n| n.ccode == c.focus) else {
        return html! { p.note { (name) " was not a member of the state system in " (net.year) "." } };
    };
    let mut by_eigen: Vec<&NodeView> = net.nodes.iter().collect();
    by_eigen.sort_by(|a, b| b.measures.eigenvector.total_cmp(&a.measures.eigenvector));
    let rank = by_eigen.iter().position(|n| n.ccode == c.focus).map_or(0, |r| r + 1);
    let bloc: Vec<&NodeView> = net
        .nodes
        .iter()
        .filter(|n| n.measures.bloc == node.measures.bloc && n.ccode != c.focus && n.measures.degree > 0)
        .collect();
    html! {
        p { (name) " in " (net.year) ": " (node.measures.degree) " " (term("degree")) ", " (term("eigenvector")) " "
            (format!("{:.3}", node.measures.eigenvector)) " (rank " (rank) " of " (net.nodes.len()) "), " (term("betweenness")) " "
            (format!("{:.3}", node.measures.betweenness)) "."
            @if node.measures.degree > 0 { " It belongs to " (term("bloc")) " " (node.measures.bloc + 1) " with " (bloc.len()) " other states." } }
        @if node.measures.degree > 0 {
            @let ego = ego_svg(net, node);
            figure.ego-figure #figure-ego { (ego) figcaption { "The " (term("ego-network")) " of " (name) ": its allies, coloured by bloc, and the ties among them. "
                (drawing_downloads("ego", &ego, "central")) } }
        }
    }
}

fn network_view(net: &NetworkView, c: &NetworkChoice, index: &StateIndex) -> Markup {
    let mut top: Vec<&NodeView> = net.nodes.iter().filter(|n| n.measures.degree > 0).collect();
    top.sort_by(|a, b| b.measures.eigenvector.total_cmp(&a.measures.eigenvector));
    html! {
        @if let Some(asked) = c.outside {
            p.error role="alert" { "There is no network for " (asked) ": the state system and alliance data span " (c.first) "–" (c.last) ". Showing " (c.year) ", the nearest year." }
        }
        p #network-summary role="status" { (net.year) @if let Some(k) = net.kind { " (" (k.as_str()) " agreements only)" } ": " (net.graph.edges) " ties among " (net.graph.nodes) " states, "
            (net.graph.blocs) " blocs" @if let Some(m) = net.graph.modularity { " (" (term("modularity")) " " (format!("{m:.2}")) ")" } "." }
        @if c.atop && net.year > ATOP_END.year {
            p.note { "ATOP's data end in " (ATOP_END.year) ": from " (ATOP_END.year + 1) " the network holds the registry's agreements alone, not ATOP's alliances that may still be in force." }
        }
        section aria-labelledby="focus" {
            h2 #focus { "Focus: " (index.name(c.focus)) }
            (focus_part(net, c, index))
        }
        section aria-labelledby="whole" {
            h2 #whole { "The whole network" }
            (bloc_legend(net, c.focus))
            @let whole = network_svg(net, c.focus);
            figure.drawing #figure-network { (whole) figcaption { (drawing_downloads("network", &whole, "central")) } }
        }
        (data_table(DataTable {
            id: "central",
            caption: html! { "Most central states in " (net.year) },
            headers: ["State", "Allies", "Eigenvector", "Betweenness", "Bloc"].map(String::from).to_vec(),
            rows: top.iter().take(if super::context::wants_csv() { usize::MAX } else { 15 }).map(|n| vec![
                Cell::markup(state_link(index, n.ccode), n.name.clone()),
                Cell::text(n.measures.degree.to_string()),
                Cell::number(Some(n.measures.eigenvector), |v| format!("{v:.3}")),
                Cell::number(Some(n.measures.betweenness), |v| format!("{v:.3}")),
                Cell::text((n.measures.bloc + 1).to_string()),
            ]).collect(),
            stack: false,
        }))
    }
}

fn network_params(store: &Store, app: &AppState, q: &NetworkParams) -> Result<NetworkChoice, ApiError> {
    let r = app.cache.research(store)?;
    let (first, last) = (r.first_year, r.network_last_year);
    let asked = given(&q.year)
        .map(|y| y.parse::<i32>().map_err(|_| ApiError::bad_request(format!("year: `{y}` is not a year"))))
        .transpose()?;
    let year = asked.unwrap_or(last).clamp(first, last);
    let index = app.cache.index(store)?;
    Ok(NetworkChoice {
        first,
        last,
        year,
        outside: asked.filter(|&y| y != year),
        level: parse_level(given(&q.level))?,
        kind: parse_agreement_kind(given(&q.kind))?,
        focus: resolve_state(&index, given(&q.focus).unwrap_or(FEATURED))?,
        atop: r.source_name() == "both",
    })
}

async fn network(State(state): State<Shared>, Q(q): Q<NetworkParams>) -> PageResult {
    page(&state, move |store, app| {
        let c = network_params(store, app, &q)?;
        let net = app.cache.network(store, c.year, c.level, c.kind)?;
        let index = app.cache.index(store)?;
        let body = html! {
            h1 { "The alliance network" }
            p { "In the " (term("alliance-network")) " states are joined when they share an alliance in effect (level any) or when either owes the other "
                (term("defense")) " or offense (level defense). Choosing a kind keeps the agreements of that kind only, and then ties their parties even where the agreement sets no obligation (intelligence sharing, technology transfer). Colours are blocs; circle size is eigenvector centrality. "
                (term_as("ties-source", "Ties")) ": " (net.source) ". " a href="/methods#network" { "How the network is computed" } "." }
            form #network-form action="/network" method="get" {
                label for="year" { "Year: " output #year-out for="year" { (c.year) } }
                input #year type="range" name="year" min=(c.first) max=(c.last) step="1" value=(c.year);
                span.field {
                    label for="focus-state" { "Focus" }
                    input #focus-state name="focus" size="10" value=(index.label(c.focus)) placeholder="PAK, India";
                }
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
            div #network-view aria-live="polite" { (network_view(&net, &c, &index)) }
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
        Ok(Html(network_view(&net, &c, &index).into_string()).into_response())
    })
    .await
}
