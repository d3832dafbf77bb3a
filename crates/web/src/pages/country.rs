//! A country's page: timeline, partners, network position, exercises, recommendations,
//! challenges and the impact of its alliances.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped};
use pactbase_analysis::network::Level;
use pactbase_analysis::profile::Profile;
use pactbase_analysis::recommend::Listing;
use pactbase_model::research::Dataset;
use pactbase_model::{Ccode, StateIndex, Vocabulary};
use pactbase_service::impact::EntryStudies;
use pactbase_service::recommend::Recommended;
use pactbase_service::Challenges;
use pactbase_store::Store;
use serde::Deserialize;

use crate::api::Path;
use crate::api::{check_year, resolve_state, Q};
use crate::cache::NetworkView;
use crate::error::ApiError;
use crate::{with_store, AppState, Shared};

use super::data::{missing_note, needs};
use super::parts::{agreement_link, state_link, timeline};
use super::{page, PageResult, FEATURED};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/country", get(country_pick)).route("/countries/{state}", get(country))
}

#[derive(Deserialize)]
struct PickParams {
    state: Option<String>,
}

async fn country_pick(State(state): State<Shared>, Q(q): Q<PickParams>) -> PageResult {
    let query = q.state.unwrap_or_default();
    let ccode = with_store(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let c = resolve_state(&index, &query)?;
        Ok(index.label(c))
    })
    .await?;
    Ok(Redirect::to(&format!("/countries/{ccode}")).into_response())
}

#[derive(Deserialize, Default)]
struct CountryParams {
    year: Option<i32>,
}

/// A state's place in the network of `year` (level any): measures, rank, fellow bloc members.
fn network_position(net: &NetworkView, ccode: Ccode, index: &StateIndex) -> Markup {
    let Some(node) = net.nodes.iter().find(|n| n.ccode == ccode) else {
        return html! { p { "Not a member of the state system in " (net.year) "." } };
    };
    let mut by_eigen: Vec<_> = net.nodes.iter().collect();
    by_eigen.sort_by(|a, b| b.measures.eigenvector.total_cmp(&a.measures.eigenvector));
    let rank = by_eigen.iter().position(|n| n.ccode == ccode).map_or(0, |r| r + 1);
    let bloc: Vec<Ccode> = net
        .nodes
        .iter()
        .filter(|n| n.measures.bloc == node.measures.bloc && n.ccode != ccode && node.measures.degree > 0)
        .map(|n| n.ccode)
        .collect();
    html! {
        p { "In " (net.year) " (" (net.source) " ties): " (node.measures.degree) " allies, eigenvector centrality "
            (format!("{:.3}", node.measures.eigenvector)) " (rank " (rank) " of " (net.nodes.len()) "), betweenness "
            (format!("{:.3}", node.measures.betweenness)) ". "
            a href=(format!("/network?year={}", net.year)) { "See the network" } }
        @if !bloc.is_empty() {
            p { "Bloc " (node.measures.bloc) " with: "
                @for (i, c) in bloc.iter().take(30).enumerate() { @if i > 0 { ", " } (state_link(index, *c)) }
                @if bloc.len() > 30 { " and " (bloc.len() - 30) " more" } }
        }
    }
}

/// What a country page shows beyond the state index, computed (and cached) on first use.
struct CountryData {
    profile: Arc<Profile>,
    network: Arc<NetworkView>,
    challenges: Arc<Challenges>,
    recommendations: Result<Arc<Recommended>, ApiError>,
    impact: Result<Arc<EntryStudies>, ApiError>,
}

fn country_data(store: &Store, app: &AppState, ccode: Ccode, year: Option<i32>) -> Result<CountryData, ApiError> {
    let (profile, _) = app.cache.profile(store, ccode, year)?;
    let research = app.cache.research(store)?;
    let net_year = year.unwrap_or(research.last_year).clamp(research.first_year, research.last_year);
    Ok(CountryData {
        profile,
        network: app.cache.network(store, net_year, Level::Any, None)?,
        challenges: app.cache.challenges(store, ccode, year)?,
        recommendations: app.cache.recommendations(store, ccode, None, 8, Listing::default()),
        impact: app.cache.entry_studies(store, ccode),
    })
}

/// Computes the featured country's page (Pakistan's, linked from the home page) ahead of
/// its first visitor: with every dataset imported that takes a second or two.
pub(crate) fn prepare_featured(store: &Store, app: &AppState) -> Result<(), ApiError> {
    let ccode = resolve_state(&*app.cache.index(store)?, FEATURED)?;
    country_data(store, app, ccode, None).map(|_| ())
}

async fn country(State(state): State<Shared>, Path(s): Path<String>, Q(q): Q<CountryParams>) -> PageResult {
    page(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let ccode = resolve_state(&index, &s)?;
        let year = q.year.map(check_year).transpose()?;
        let CountryData { profile: p, network: net, challenges, recommendations, impact } =
            country_data(store, app, ccode, year)?;
        let name = index.name(ccode);
        let rows: Vec<(String, String, i32, Option<i32>)> = p
            .memberships
            .iter()
            .map(|m| (m.label.clone(), format!("/agreements/{}", m.agreement_id), m.joined.year, m.left.map(|l| l.year)))
            .collect();
        let body = html! {
            h1 { (name) " (" (index.label(ccode)) ")" }
            form.inline action=(format!("/countries/{}", index.label(ccode))) method="get" {
                label for="year" { "Only what was in effect in" }
                input #year type="number" name="year" min="1816" max="2100" value=(year.map(|y| y.to_string()).unwrap_or_default());
                button type="submit" { "Show" }
                @if year.is_some() { " " a href=(format!("/countries/{}", index.label(ccode))) { "whole record" } }
            }
            p { (p.memberships.len()) " agreement memberships, " (p.partners.len()) " partners. "
                a href=(format!("/api/v1/countries/{}", index.label(ccode))) { "Profile as JSON" } }
            nav.toc aria-label="On this page" {
                ul { li { a href="#timeline" { "Timeline" } } li { a href="#partners" { "Partners" } } li { a href="#position" { "Network position" } }
                     li { a href="#exercises" { "Exercises" } } li { a href="#impact" { "Impact" } } li { a href="#recommendations" { "Recommendations" } } li { a href="#challenges" { "Challenges" } } }
            }
            section aria-labelledby="timeline" {
                h2 #timeline { "Timeline of agreements" }
                (timeline(&rows, pactbase_service::REGISTRY_LAST_YEAR))
                table {
                    caption { "Memberships, oldest first" }
                    thead { tr { th scope="col" { "Agreement" } th scope="col" { "Kinds" } th scope="col" { "Joined" } th scope="col" { "Left" } th scope="col" { "Holds" } th scope="col" { "Owed" } } }
                    tbody {
                        @for m in &p.memberships {
                            tr {
                                td { (agreement_link(&m.agreement_id, &m.label)) }
                                td { (m.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")) }
                                td { (m.joined) }
                                td { (m.left.map(|l| l.to_string()).unwrap_or_default()) }
                                td { (m.obligations.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ")) }
                                td { (m.owed.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="partners" {
                h2 #partners { "Partners by strongest tie" }
                p.note { "Valued ties: 3 defense/offense, 2 neutrality/consultation, 1 nonaggression." }
                table {
                    thead { tr { th scope="col" { "Partner" } th scope="col" { "Strongest" } th scope="col" { "Tie out" } th scope="col" { "Tie in" } th scope="col" { "Years" } th scope="col" { "Agreements" } } }
                    tbody {
                        @for pt in &p.partners {
                            tr {
                                td { (state_link(&index, pt.ccode)) }
                                td { (pt.strongest.map(|o| o.as_str()).unwrap_or("–")) }
                                td { (pt.tie_out) } td { (pt.tie_in) }
                                td { (pt.first_year) "–" (pt.last_year.map(|y| y.to_string()).unwrap_or_default()) }
                                td { @for (i, a) in pt.agreements.iter().enumerate() { @if i > 0 { ", " } (agreement_link(a, a)) } }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="position" {
                h2 #position { "Network position" }
                (network_position(&net, ccode, &index))
            }
            section aria-labelledby="exercises" {
                h2 #exercises { "Exercises" }
                @if p.exercises.is_empty() { p { "No exercise series in the registry." } }
                ul {
                    @for e in &p.exercises {
                        li { strong { (e.name) } " with " (e.partners.iter().map(|&c| index.label(c)).collect::<Vec<_>>().join(", "))
                            " (" (e.domains.join(", ")) "): " (e.years.first().copied().unwrap_or_default()) "–" (e.years.last().copied().unwrap_or_default()) }
                    }
                }
            }
            section aria-labelledby="impact" {
                h2 #impact { "What entering its alliances changed" }
                (impact_part(&impact, &index))
            }
            section aria-labelledby="recommendations" {
                h2 #recommendations { "Recommended partners" }
                @match &recommendations {
                    Ok(found) => {
                        p { "Likeliest new allies within " (found.horizon) " years as of " (found.year) ": a logistic model fitted on the alliances formed " (found.training_years.0) "–" (found.training_years.1 + found.horizon) " (docs/RECOMMEND.md). Strategic rivals and states either side does not recognise are left out. "
                            a href=(format!("/api/v1/countries/{}/recommendations", index.label(ccode))) { "Every feature's contribution, as JSON" } }
                        @if !found.datasets_missing.is_empty() { (missing_note(&format!("Without {}: `pactbase data fetch {}` brings the exercise and rivalry features.", found.datasets_missing.join(" and "), found.datasets_missing.join(" ")))) }
                        ol { @for r in &found.partners { li { (state_link(&index, r.partner)) " — " (format!("{:.1}%", r.score * 100.0))
                            @if !r.reasons.is_empty() { ": " (r.reasons.join("; ")) } } } }
                        @if !found.left_out.is_empty() {
                            p.note { "Left out: " (found.left_out.iter().map(|l| format!("{} ({})", l.name, l.why.join("; "))).collect::<Vec<_>>().join(", ")) "." }
                        }
                    }
                    Err(e) => { (missing_note(&e.detail)) }
                }
            }
            section aria-labelledby="challenges" {
                h2 #challenges { "Challenges of its commitments" }
                h3 { "Commitment conflicts" }
                @if !challenges.rivalries_imported { (needs("Commitment conflicts", Dataset::Rivalries)) }
                @else if challenges.conflicts.is_empty() { p { "None found." } }
                ul { @for k in &challenges.conflicts { li { "Owed defense to both " (index.name(k.a)) " and " (index.name(k.b)) " while they were rivals (" (k.rivalry) ")" } } }
                h3 { "Sovereignty costs" }
                table {
                    caption { "0 none – 1 high; n/a = not coded" }
                    thead { tr { th scope="col" { "Agreement" } th scope="col" { "Index" } th scope="col" { "Bases" } th scope="col" { "Command" } th scope="col" { "Subordination" } th scope="col" { "Aid" } } }
                    tbody {
                        @for sc in &challenges.sovereignty {
                            tr {
                                td { (agreement_link(&sc.agreement_id, &sc.agreement)) }
                                td { (sc.index.map(|i| format!("{i:.2}")).unwrap_or_else(|| "n/a".into())) }
                                @for c in [&sc.foreign_bases, &sc.integrated_command, &sc.subordination, &sc.aid_dependence] {
                                    td { @match c { Some(c) => span title=(c.basis) { (format!("{:.2}", c.value)) }, None => "n/a" } }
                                }
                            }
                        }
                    }
                }
                h3 { "Overlapping commitments" }
                @if challenges.overlaps.is_empty() { p { "None found." } }
                ul { @for o in &challenges.overlaps { li { (index.name(o.partner)) ": " (o.agreements.join(" + ")) } } }
            }
        };
        Ok((name, body))
    })
    .await
}

/// Event studies of the state's entries into its main alliances, with their design.
fn impact_part(impact: &Result<Arc<EntryStudies>, ApiError>, index: &StateIndex) -> Markup {
    let found = match impact {
        Ok(found) => found,
        Err(e) => return missing_note(&e.detail),
    };
    html! {
        p { "Each entry is an event study of log military expenditure (SIPRI's constant dollars where they cover the entry, else COW NMC's current dollars): the state's change while bound by the agreement against never-treated states over the same years, Callaway & Sant'Anna with 95% intervals, a joint test of the years before entry, placebos and a synthetic control (docs/IMPACT.md). One treated state makes these estimates noisy; read the interval and the placebos, not the point." }
        @for s in &found.studies {
            @let r = &s.result;
            h3 { (agreement_link(&s.agreement_id, &s.agreement)) " (" (s.entry_year) ")" }
            p { (r.headline) }
            @if !r.warnings.is_empty() { ul.note { @for w in &r.warnings { li { (w) } } } }
            p.note { "Outcome: " (r.outcome.label) ". " (r.sample.join(" ")) }
            figure { (PreEscaped(pactbase_service::impact::chart(r, &s.study, index))) }
        }
        @if found.studies.is_empty() { p { "No entry could be studied." } }
        @for note in &found.skipped { p.note { (note) } }
    }
}
