//! An agreement's page: facts, parties over time, obligations, provisions, sources, ATOP's
//! coding and its change history.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_model::research::Dataset;
use pactbase_model::{Agreement, StateIndex, Vocabulary};
use pactbase_service::case_study::case_of_agreement;
use pactbase_service::listing::status_text;

use crate::error::ApiError;
use crate::Shared;

use super::audit::audit_table;
use super::changes::change_forms;
use super::glossary::{term, term_as};
use super::parts::{obligation_text, state_link, timeline};
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/agreements/{id}", get(agreement))
}

pub(super) fn agreement_body(a: &Agreement, index: &StateIndex, version: i64, origin: &str, edited: bool) -> Markup {
    let until = pactbase_service::REGISTRY_LAST_YEAR;
    let rows: Vec<(String, String, i32, Option<i32>)> = a
        .members
        .iter()
        .map(|m| {
            (index.name(m.ccode), format!("/countries/{}", index.label(m.ccode)), m.joined.year, m.left.map(|l| l.year))
        })
        .collect();
    html! {
        h1 { (a.name) }
        @if !a.short_names.is_empty() { p.aka { "Also: " (a.short_names.join(", ")) } }
        dl.facts {
            dt { "Kinds" } dd { @for (i, k) in a.kinds.iter().enumerate() { @if i > 0 { ", " } (term_as(k.as_str(), &k.as_str().replace('-', " "))) } }
            dt { "Signed" } dd { (a.signed) }
            @if let Some(f) = a.in_force { dt { "In force" } dd { (f) } }
            @if let Some(e) = a.ended { dt { "Ended" } dd { (e) } }
            dt { "Status" } dd { (term_as(a.status.as_str(), &status_text(a.status))) }
            dt { "Region" } dd { (a.region) }
            @if let Some(id) = a.atopid { dt { (term("atop")) } dd { "alliance " (id) } }
            dt { "Record" } dd { "version " (version) ", " (origin) @if edited { " (edited through the API)" } }
        }
        p { (a.summary) }
        @if let Some(case) = case_of_agreement(&a.id) {
            p.case-link { "Case study: " a href=(format!("/case-studies/{}", case.slug)) { (case.title) } }
        }
        @if origin == "curated" { p { a.button href=(format!("/agreements/{}/edit", a.id)) { "Edit this agreement" } } }
        section aria-labelledby="parties" {
            h2 #parties { "Parties over time" }
            (timeline(&rows, until))
            table {
                caption { (a.members.len()) " memberships" }
                thead { tr { th scope="col" { "State" } th scope="col" { "Joined" } th scope="col" { "Left" } th scope="col" { "Role" } th scope="col" { "Suspensions" } } }
                tbody {
                    @for m in &a.members {
                        tr {
                            td { (state_link(index, m.ccode)) }
                            td { (m.joined) }
                            td { (m.left.map(|l| l.to_string()).unwrap_or_default()) }
                            td { (m.role.as_str()) }
                            td { @for s in &m.suspensions { (s.scope.as_str()) " " (s.from) "–" (s.to.map(|t| t.to_string()).unwrap_or_default())
                                @if !s.toward.is_empty() { " toward " (s.toward.iter().map(|&c| index.name(c)).collect::<Vec<_>>().join(", ")) } " " } }
                        }
                    }
                }
            }
        }
        section aria-labelledby="obligations" {
            h2 #obligations { "Obligations" }
            @if !a.obligations.is_empty() { p.note { "Each a " (term("obligation")) " of the types " (term("defense")) ", " (term("offense")) ", " (term("neutrality")) ", " (term("nonaggression")) " and " (term("consultation")) "." } }
            @if a.obligations.is_empty() { p { "No obligations in the ATOP sense (defense, offense, neutrality, nonaggression, consultation)." } }
            ul {
                @for o in &a.obligations {
                    li { (obligation_text(index, o)) }
                }
            }
        }
        section aria-labelledby="provisions" {
            h2 #provisions { (term_as("provisions", "Provisions")) }
            @let present = a.provisions.present();
            @if present.is_empty() { p { "None established by the sources." } } @else { p { (present.join(", ").replace('_', " ")) } }
        }
        section aria-labelledby="sources" {
            h2 #sources { "Sources" }
            ol {
                @for s in &a.sources {
                    li { (s.title) ", " (s.publisher)
                        @if let Some(u) = &s.url { " — " a href=(u) rel="noopener noreferrer" { (u) } }
                        @if let Some(r) = &s.reference { " — " (r) } }
                }
            }
        }
    }
}

async fn agreement(State(state): State<Shared>, Path(id): Path<String>) -> PageResult {
    page(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let v = store.agreement_versioned(&id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let history = store.audit_log(Some(&id), 20)?;
        let coding = match v.agreement.atopid {
            Some(atopid) if store.has_dataset(Dataset::Atop)? => store.atop_coding(atopid)?,
            _ => None,
        };
        let body = html! {
            (agreement_body(&v.agreement, &index, v.version, &v.origin, v.edited))
            @if v.origin == "curated" { (change_forms(&v.agreement, v.version, &index)) }
            @if let Some(c) = coding {
                section aria-labelledby="atop" {
                    h2 #atop { "ATOP's coding" }
                    p { "Alliance " (c.alliance.atopid) ": " (c.phases.len()) " phases, " (c.members.len()) " member rows. "
                        a href=(format!("/api/v1/agreements/{}", v.agreement.id)) { "Full coding (JSON)" } }
                }
            }
            @if !history.is_empty() {
                section aria-labelledby="history" {
                    h2 #history { "Changes" }
                    (audit_table(&history, false))
                }
            }
        };
        Ok((v.agreement.name.clone(), body))
    })
    .await
}
