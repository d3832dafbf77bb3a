//! The home page, search and the agreement list.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::html;
use pactbase_analysis::assessment::brief;
use pactbase_model::{AgreementKind, PartyCoverage, Vocabulary};
use pactbase_service::assessment::Request;
use serde::Deserialize;

use crate::api::{filter_agreements, resolve_state, AgreementQuery, Q};
use crate::Shared;

use super::parts::{agreement_link, partner_list, party_count, search_form, snippet};
use super::{page, PageResult, FEATURED};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/", get(home)).route("/search", get(search)).route("/agreements", get(agreements))
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

async fn agreements(State(state): State<Shared>, Q(q): Q<AgreementQuery>) -> PageResult {
    page(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let list = filter_agreements(store, &index, &q)?;
        let body = html! {
            h1 { "Agreements" }
            p { a href="/agreements/new" { "Add an agreement" } " (editors)" }
            form.filters action="/agreements" method="get" {
                label { "Member " input name="member" value=(q.member.clone().unwrap_or_default()) placeholder="PAK"; }
                label { "Kind "
                    select name="kind" {
                        option value="" { "any" }
                        @for k in AgreementKind::ALL {
                            option value=(k.as_str()) selected[q.kind.as_deref() == Some(k.as_str())] { (k.as_str()) }
                        }
                    }
                }
                label { "In force in " input name="active_in" type="number" min="1816" max="2100" value=(q.active_in.map(|y| y.to_string()).unwrap_or_default()); }
                label { "Words " input name="text" value=(q.text.clone().unwrap_or_default()); }
                label { "Parties listed "
                    select name="parties" {
                        option value="" { "any" }
                        @for c in PartyCoverage::ALL {
                            option value=(c.as_str()) selected[q.parties.as_deref() == Some(c.as_str())] { (c.as_str()) }
                        }
                    }
                }
                button type="submit" { "Filter" }
            }
            p role="status" { (list.len()) " agreements" }
            table {
                thead { tr { th scope="col" { "Agreement" } th scope="col" { "Kinds" } th scope="col" { "Signed" } th scope="col" { "Ended" } th scope="col" { "Parties" } } }
                tbody {
                    @for a in &list {
                        tr {
                            td { (agreement_link(&a.id, &a.name)) }
                            td { (a.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")) }
                            td { (a.signed) }
                            td { (a.ended.map(|e| e.to_string()).unwrap_or_default()) }
                            td { (party_count(a)) }
                        }
                    }
                }
            }
        };
        Ok(("Agreements".into(), body))
    })
    .await
}
