//! The home page and search.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::html;
use pactbase_analysis::assessment::brief;
use pactbase_service::assessment::Request;
use serde::Deserialize;

use crate::params::{resolve_state, Q};
use crate::Shared;

use super::parts::{agreement_link, partner_list, search_form, snippet};
use super::{page, PageResult, FEATURED};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/", get(home)).route("/search", get(search))
}

async fn home(State(state): State<Shared>) -> PageResult {
    page(&state, |store, app| {
        let index = app.cache.index(store)?;
        let pak = resolve_state(&index, FEATURED)?;
        let (core, _) = app.cache.core(store, pak, Request::default())?;
        let body = html! {
            h1 { "Defense agreements, sourced and analysed" }
            p.lead { "Mutual defense pacts, security assistance, exercises, technology and intelligence sharing, regional alliances and arms control, joined with the field's research datasets." }
            (search_form(""))
            section.featured aria-labelledby="featured" {
                h2 #featured { "Featured: Pakistan" }
                @for line in brief::core_sentences(&core, &index) { p { (line) } }
                h3 { "Closest partners in " (core.reference_year) }
                (partner_list(&core, &index, 6))
                p { a.button href="/countries/PAK" { "Explore Pakistan's partnerships" } }
            }
            section aria-labelledby="explore" {
                h2 #explore { "Explore" }
                ul.cards {
                    li { a href="/network" { "The alliance network through time" } }
                    li { a href="/case-studies/nato" { "Case study: NATO" } }
                    li { a href="/case-studies/anzus" { "Case study: ANZUS" } }
                    li { a href="/case-studies/five-eyes" { "Case study: Five Eyes" } }
                    li { a href="/compare?a=PAK&b=IND" { "Compare Pakistan and India" } }
                    li { a href="/trends" { "Trends since 1946" } }
                }
                form.inline action="/country" method="get" {
                    label for="state" { "Any state's profile" }
                    input #state name="state" placeholder="PAK, 770, Pakistan";
                    button type="submit" { "Open" }
                }
            }
        };
        Ok(("Home".into(), body))
    })
    .await
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
}

async fn search(State(state): State<Shared>, Q(q): Q<SearchParams>) -> PageResult {
    let text = q.q.unwrap_or_default();
    page(&state, move |store, _| {
        let hits = if text.trim().is_empty() { Vec::new() } else { store.search(&text, 50)? };
        let body = html! {
            h1 { "Search" }
            (search_form(&text))
            @if !text.trim().is_empty() {
                p role="status" { (hits.len()) " result" @if hits.len() != 1 { "s" } " for “" (text) "”" }
                ol.results {
                    @for h in &hits {
                        li { (agreement_link(&h.id, &h.name)) p.snippet { (snippet(&h.snippet)) } }
                    }
                }
            }
        };
        Ok((format!("Search {text}"), body))
    })
    .await
}
