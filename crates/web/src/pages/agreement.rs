//! An agreement's page: facts, parties over time, obligations, provisions, sources, ATOP's
//! coding and its change history.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_analysis::assessment::timeline::standing_words;
use pactbase_model::research::Dataset;
use pactbase_model::{link, Agreement, PartyCoverage, Standing, StateIndex, Vocabulary, YearSpan};
use pactbase_service::case_study::case_of_agreement;
use pactbase_service::listing::status_text;

use crate::error::ApiError;
use crate::params::Path;
use crate::Shared;

use super::audit::audit_table;
use super::changes::change_forms;
use super::context;
use super::glossary::{term, term_as};
use super::parts::{obligation_text, party_count, state_link, timeline, Bar};
use super::sign_in::sign_in_to_edit;
use super::tables::{data_table, Cell, DataTable};
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/agreements/{id}", get(agreement))
}

/// Every membership: dates, role and suspensions (with their scope, dates, toward whom).
fn memberships_table(a: &Agreement, index: &StateIndex) -> Markup {
    let suspensions = |m: &pactbase_model::Membership| -> String {
        m.suspensions
            .iter()
            .map(|s| {
                let toward = if s.toward.is_empty() {
                    String::new()
                } else {
                    format!(" toward {}", s.toward.iter().map(|&c| index.name(c)).collect::<Vec<_>>().join(", "))
                };
                let note = s.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
                format!(
                    "{} {}–{}{toward}{note}",
                    s.scope.as_str(),
                    s.from,
                    s.to.map(|t| t.to_string()).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    data_table(DataTable {
        id: "memberships",
        caption: html! { (a.members.len()) " memberships" },
        headers: ["State", "Signed", "Bound from", "Left", "Role", "Suspensions"].map(String::from).to_vec(),
        rows: a
            .members
            .iter()
            .map(|m| {
                vec![
                    Cell::markup(state_link(index, m.ccode), index.name(m.ccode)),
                    Cell::text(m.signed.map(|s| s.to_string()).unwrap_or_default()),
                    Cell::text(m.joined.to_string()),
                    Cell::text(m.left.map(|l| l.to_string()).unwrap_or_default()),
                    Cell::markup(term_as("role", m.role.as_str()), m.role.as_str()),
                    Cell::text(suspensions(m)),
                ]
            })
            .collect(),
        stack: true,
    })
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
            kind: None,
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
            dt { "Parties" } dd { (party_count(a)) @if a.party_coverage == PartyCoverage::Selected {
                " — this file lists a selection of the parties, so counts and networks that use it are incomplete (" a href="/agreements?parties=selected" { "all such agreements" } ")" } }
            @if let Some(id) = a.atopid { dt { (term("atop")) } dd { "alliance " (id) } }
            dt { "Record" } dd { "version " (version) ", " (origin) @if edited { " (edited through the API)" } }
        }
        p { (a.summary) }
        @if let Some(case) = case_of_agreement(&a.id) {
            p.case-link { "Case study: " a href=(format!("/case-studies/{}", case.slug)) { (case.title) } }
        }
        @if origin == "curated" {
            @if context::signed_in().is_some() { p { a.button href=(format!("/agreements/{}/edit", a.id)) { "Edit this agreement" } } }
            @else { (sign_in_to_edit()) }
        }
        section aria-labelledby="parties" {
            h2 #parties { "Parties over time" }
            (timeline(&rows, until))
            (memberships_table(a, index))
        }
        @if !a.signatories.is_empty() {
            section aria-labelledby="signatories" {
                h2 #signatories { "Signatories not bound" }
                p { "These states signed but have not ratified (or withdrew their ratification); they are not members and no analysis counts them." }
                (data_table(DataTable {
                    id: "signatories",
                    caption: html! { (a.signatories.len()) " signatories" },
                    headers: ["State", "Signed", "Note"].map(String::from).to_vec(),
                    rows: a.signatories.iter().map(|s| vec![
                        Cell::markup(state_link(index, s.ccode), index.name(s.ccode)),
                        Cell::text(s.signed.to_string()),
                        Cell::text(s.note.clone().unwrap_or_default()),
                    ]).collect(),
                    stack: true,
                }))
            }
        }
        @if !a.non_state_parties.is_empty() {
            section aria-labelledby="non-state-parties" {
                h2 #non-state-parties { "Parties outside the COW state system" }
                p { "Counted among the parties, but outside the state-based analyses (networks, panels, profiles)." }
                (data_table(DataTable {
                    id: "non-state-parties",
                    caption: html! { (a.non_state_parties.len()) " parties" },
                    headers: ["Party", "Signed", "Bound from", "Left", "Note"].map(String::from).to_vec(),
                    rows: a.non_state_parties.iter().map(|p| vec![
                        Cell::text(p.name.clone()),
                        Cell::text(p.signed.map(|d| d.to_string()).unwrap_or_default()),
                        Cell::text(p.joined.map(|d| d.to_string()).unwrap_or_else(|| "not bound".into())),
                        Cell::text(p.left.map(|d| d.to_string()).unwrap_or_default()),
                        Cell::text(p.note.clone().unwrap_or_default()),
                    ]).collect(),
                    stack: true,
                }))
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
                (data_table(DataTable {
                    id: "invocations",
                    caption: html! { "Times a party called on the commitment, and what came of it" },
                    headers: ["Date", "By", "Against", "Commitment", "Outcome", "What happened"].map(String::from).to_vec(),
                    rows: a.invocations.iter().map(|v| {
                        let commitment = format!("{}{}", v.obligation.as_str(), v.article.as_ref().map(|x| format!(" ({x})")).unwrap_or_default());
                        vec![
                            Cell::text(v.date.to_string()),
                            Cell::markup(state_link(index, v.by), index.name(v.by)),
                            Cell::markup(
                                html! { @for (k, &c) in v.against.iter().enumerate() { @if k > 0 { ", " } (state_link(index, c)) } },
                                v.against.iter().map(|&c| index.name(c)).collect::<Vec<_>>().join("; "),
                            ),
                            Cell::text(commitment),
                            Cell::text(v.outcome.as_str()),
                            Cell::text(v.note.clone()),
                        ]
                    }).collect(),
                    stack: true,
                }))
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
                        // Stored addresses are checked on the way in; one stored before that
                        // check, or by another program, is shown but never made a link.
                        @if let Some(u) = &s.url {
                            " — "
                            @if link::is_web_address(u) { a href=(u) rel="noopener noreferrer" { (u) } } @else { (u) }
                        }
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
        let history = store.audit_page(Some(&id), None, 20)?;
        let coding = match v.agreement.atopid {
            Some(atopid) if store.has_dataset(Dataset::Atop)? => store.atop_coding(atopid)?,
            _ => None,
        };
        let body = html! {
            (agreement_body(&v.agreement, &index, v.version, &v.origin, v.edited))
            @if v.origin == "curated" && context::signed_in().is_some() { (change_forms(&v.agreement, v.version, &index)) }
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
