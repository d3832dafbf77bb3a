//! An agreement's page: facts, parties over time, obligations, provisions, sources, ATOP's
//! coding and its change history.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_analysis::assessment::timeline::standing_words;
use pactbase_model::{Agreement, PartyCoverage, Standing, StateIndex, Vocabulary, YearSpan};

use crate::error::ApiError;
use crate::Shared;

use super::audit::audit_table;
use super::changes::change_forms;
use super::parts::{obligation_text, party_count, state_link, timeline, Bar};
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/agreements/{id}", get(agreement))
}

pub(super) fn agreement_body(a: &Agreement, index: &StateIndex, version: i64, origin: &str, edited: bool) -> Markup {
    let until = pactbase_service::REGISTRY_LAST_YEAR;
    // A membership runs to leaving or the agreement's end.
    let rows: Vec<Bar> = a
        .members
        .iter()
        .map(|m| Bar {
            label: index.name(m.ccode),
            href: format!("/countries/{}", index.label(m.ccode)),
            years: YearSpan::new(
                m.joined.year,
                [m.left.map(|l| l.year), a.ended.map(|e| e.year)].into_iter().flatten().min(),
            ),
            open: standing_words(a.standing(m, until).unwrap_or(Standing::NotYetInForce), None),
        })
        .collect();
    html! {
        h1 { (a.name) }
        @if !a.short_names.is_empty() { p.aka { "Also: " (a.short_names.join(", ")) } }
        dl.facts {
            dt { "Kinds" } dd { (a.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")) }
            dt { "Signed" } dd { (a.signed) }
            @if let Some(f) = a.in_force { dt { "In force" } dd { (f) } }
            @if let Some(e) = a.ended { dt { "Ended" } dd { (e) } }
            dt { "Status" } dd { (a.status.as_str()) }
            dt { "Region" } dd { (a.region) }
            dt { "Parties" } dd { (party_count(a)) @if a.party_coverage == PartyCoverage::Selected {
                " — this file lists a selection of the parties, so counts and networks that use it are incomplete (" a href="/agreements?parties=selected" { "all such agreements" } ")" } }
            @if let Some(id) = a.atopid { dt { "ATOP" } dd { "alliance " (id) } }
            dt { "Record" } dd { "version " (version) ", " (origin) @if edited { " (edited through the API)" } }
        }
        p { (a.summary) }
        @if origin == "curated" { p { a.button href=(format!("/agreements/{}/edit", a.id)) { "Edit this agreement" } } }
        section aria-labelledby="parties" {
            h2 #parties { "Parties over time" }
            (timeline(&rows, until))
            table {
                caption { (a.members.len()) " memberships" }
                thead { tr { th scope="col" { "State" } th scope="col" { "Signed" } th scope="col" { "Bound from" } th scope="col" { "Left" } th scope="col" { "Role" } th scope="col" { "Suspensions" } } }
                tbody {
                    @for m in &a.members {
                        tr {
                            td { (state_link(index, m.ccode)) }
                            td { (m.signed.map(|s| s.to_string()).unwrap_or_default()) }
                            td { (m.joined) }
                            td { (m.left.map(|l| l.to_string()).unwrap_or_default()) }
                            td { (m.role.as_str()) }
                            td { @for s in &m.suspensions { (s.scope.as_str()) " " (s.from) "–" (s.to.map(|t| t.to_string()).unwrap_or_default())
                                @if !s.toward.is_empty() { " toward " (s.toward.iter().map(|&c| index.name(c)).collect::<Vec<_>>().join(", ")) }
                                @if let Some(n) = &s.note { " (" (n) ")" } " " } }
                        }
                    }
                }
            }
        }
        @if !a.signatories.is_empty() {
            section aria-labelledby="signatories" {
                h2 #signatories { "Signatories not bound" }
                p { "These states signed but have not ratified (or withdrew their ratification); they are not members and no analysis counts them." }
                table {
                    caption { (a.signatories.len()) " signatories" }
                    thead { tr { th scope="col" { "State" } th scope="col" { "Signed" } th scope="col" { "Note" } } }
                    tbody {
                        @for s in &a.signatories {
                            tr { td { (state_link(index, s.ccode)) } td { (s.signed) } td { (s.note.clone().unwrap_or_default()) } }
                        }
                    }
                }
            }
        }
        @if !a.non_state_parties.is_empty() {
            section aria-labelledby="non-state-parties" {
                h2 #non-state-parties { "Parties outside the COW state system" }
                p { "Counted among the parties, but outside the state-based analyses (networks, panels, profiles)." }
                table {
                    caption { (a.non_state_parties.len()) " parties" }
                    thead { tr { th scope="col" { "Party" } th scope="col" { "Signed" } th scope="col" { "Bound from" } th scope="col" { "Left" } th scope="col" { "Note" } } }
                    tbody {
                        @for p in &a.non_state_parties {
                            tr {
                                td { (p.name) }
                                td { (p.signed.map(|d| d.to_string()).unwrap_or_default()) }
                                td { (p.joined.map(|d| d.to_string()).unwrap_or_else(|| "not bound".into())) }
                                td { (p.left.map(|d| d.to_string()).unwrap_or_default()) }
                                td { (p.note.clone().unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="obligations" {
            h2 #obligations { "Obligations" }
            @if a.obligations.is_empty() { p { "No obligations in the ATOP sense (defense, offense, neutrality, nonaggression, consultation)." } }
            ul {
                @for o in &a.obligations {
                    li { (obligation_text(index, o)) }
                }
            }
        }
        @if !a.reservations.is_empty() {
            section aria-labelledby="reservations" {
                h2 #reservations { "Reservations and understandings" }
                ul {
                    @for r in &a.reservations {
                        li { (state_link(index, r.ccode)) @if let Some(x) = &r.article { " (" (x) ")" } " "
                            (r.effect.as_str()) " its obligation: " (r.text) }
                    }
                }
            }
        }
        @if !a.invocations.is_empty() {
            section aria-labelledby="invocations" {
                h2 #invocations { "Invocations" }
                table {
                    caption { "Times a party called on the commitment, and what came of it" }
                    thead { tr { th scope="col" { "Date" } th scope="col" { "By" } th scope="col" { "Against" } th scope="col" { "Commitment" } th scope="col" { "Outcome" } th scope="col" { "What happened" } } }
                    tbody {
                        @for v in &a.invocations {
                            tr {
                                td { (v.date) }
                                td { (state_link(index, v.by)) }
                                td { @for (k, &c) in v.against.iter().enumerate() { @if k > 0 { ", " } (state_link(index, c)) } }
                                td { (v.obligation.as_str()) @if let Some(x) = &v.article { " (" (x) ")" } }
                                td { (v.outcome.as_str()) }
                                td { (v.note) }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="provisions" {
            h2 #provisions { "Provisions" }
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
            Some(atopid) if store.has_dataset("atop")? => store.atop_coding(atopid)?,
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
