//! `/agreements`: the registry's agreements and ATOP's alliances, fifty to a page, with
//! filters (member, kind, status, region, origin, in force in a year, words), a choice of
//! order and a status column; the CSV holds every matching row.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_model::{Agreement, AgreementKind, ObligationType, PartyCoverage, Region, StateIndex, Status, Vocabulary};
use pactbase_service::listing::{self, label, status_text, Origin, Sort};
use serde::Deserialize;

use crate::error::ApiError;
use crate::params::{agreement_filter, check_year, given, AgreementQuery, Q};
use crate::Shared;

use super::context;
use super::glossary::{term, term_as};
use super::tables::{data_table, Cell, DataTable};
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/agreements", get(agreements))
}

/// Every field as text: a form sends blank fields, which count as not given.
#[derive(Deserialize, Default, Clone)]
struct ListParams {
    member: Option<String>,
    kind: Option<String>,
    active_in: Option<String>,
    text: Option<String>,
    status: Option<String>,
    region: Option<String>,
    origin: Option<String>,
    parties: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// `word` read as a `what`, with the accepted words when it is not one.
fn parse<T>(
    what: &str,
    value: &Option<String>,
    read: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, ApiError> {
    given(value).map(|v| read(v).map_err(|e| ApiError::bad_request(format!("{what}: {e}")))).transpose()
}

fn query(index: &StateIndex, p: &ListParams) -> Result<listing::Query, ApiError> {
    let active_in = parse("active_in", &p.active_in, |v| v.parse::<i32>().map_err(|_| format!("`{v}` is not a year")))?
        .map(check_year)
        .transpose()?;
    let store_query = AgreementQuery {
        member: p.member.clone(),
        kind: p.kind.clone(),
        active_in,
        text: p.text.clone(),
        parties: p.parties.clone(),
    };
    Ok(listing::Query {
        filter: agreement_filter(index, &store_query)?,
        status: parse("status", &p.status, Status::parse)?,
        region: parse("region", &p.region, Region::parse)?,
        origin: parse("origin", &p.origin, Origin::parse)?,
        sort: parse("sort", &p.sort, Sort::parse)?.unwrap_or_default(),
    })
}

/// Party names (states, then parties outside the state system): all of them in the CSV,
/// the first four on the page, saying when the registry lists a selection.
fn parties(a: &Agreement, index: &StateIndex) -> Cell {
    let names: Vec<String> = a
        .parties()
        .into_iter()
        .map(|c| index.name(c))
        .chain(a.non_state_parties.iter().map(|p| p.name.clone()))
        .collect();
    let mut shown = if names.len() <= 4 {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..3].join(", "), names.len() - 3)
    };
    let mut text = names.join("; ");
    if a.party_coverage == PartyCoverage::Selected {
        shown.push_str(" (a selection)");
        text.push_str(" (a selection)");
    }
    Cell::markup(html! { span title=(names.join(", ")) { (shown) } }, text)
}

fn select<'a>(
    name: &str,
    label: &str,
    current: &Option<String>,
    options: impl IntoIterator<Item = (&'a str, String)>,
) -> Markup {
    let current = given(current);
    html! {
        label { (label) " "
            select name=(name) {
                option value="" { "any" }
                @for (value, text) in options { option value=(value) selected[current == Some(value)] { (text) } }
            }
        }
    }
}

fn sort_name(s: Sort) -> &'static str {
    match s {
        Sort::RegistryFirst => "registry first, then ATOP",
        Sort::Newest => "newest first",
        Sort::Oldest => "oldest first",
        Sort::Name => "by name",
        Sort::Parties => "most parties first",
    }
}

fn pager(path: &str, number: usize, pages: usize) -> Markup {
    let link = |n: usize| context::link_with(path, &[("page", &n.to_string())]);
    let mut shown: Vec<usize> =
        [1, number.saturating_sub(2), number.saturating_sub(1), number, number + 1, number + 2, pages]
            .into_iter()
            .filter(|&n| n >= 1 && n <= pages)
            .collect();
    shown.sort_unstable();
    shown.dedup();
    html! {
        nav.pager aria-label="Pages" {
            ul {
                @if number > 1 { li { a href=(link(number - 1)) rel="prev" { "Previous" } } }
                @for (i, n) in shown.iter().enumerate() {
                    @if i > 0 && shown[i - 1] + 1 < *n { li { "…" } }
                    @if *n == number { li { span aria-current="page" { (n) } } } @else { li { a href=(link(*n)) { (n) } } }
                }
                @if number < pages { li { a href=(link(number + 1)) rel="next" { "Next" } } }
            }
        }
    }
}

async fn agreements(State(state): State<Shared>, Q(p): Q<ListParams>) -> PageResult {
    page(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let q = query(&index, &p)?;
        let list = listing::agreements(store, &q)?;
        let asked: usize = parse("page", &p.page, |v| v.parse::<usize>().map_err(|_| format!("`{v}` is not a page number")))?
            .unwrap_or(1);
        let (number, rows, pages) = listing::page(list.len(), asked);
        let shown = if context::wants_csv() { &list[..] } else { &list[rows.clone()] };
        let path = context::request().path;
        let kinds = AgreementKind::ALL.iter().map(|k| k.as_str()).chain(ObligationType::ALL.iter().map(|o| o.as_str()));
        let body = html! {
            h1 { "Agreements" }
            p { "The " (term("registry")) "'s agreements, each with its sources, and the alliances of " (term("atop"))
                " that no registry agreement codes, named by their members and years. "
                a href="/agreements/new" { "Add an agreement" } " (editors)." }
            form.filters action="/agreements" method="get" {
                label { "Member " input name="member" value=(p.member.clone().unwrap_or_default()) placeholder="PAK, 770, Pakistan"; }
                (select("kind", "Kind", &p.kind, kinds.map(|k| (k, k.replace('-', " ")))))
                (select("status", "Status", &p.status, Status::ALL.iter().map(|s| (s.as_str(), status_text(*s)))))
                (select("region", "A party in", &p.region, Region::ALL.iter().map(|r| (r.as_str(), r.name().to_owned()))))
                (select("origin", "From", &p.origin, [Origin::Registry, Origin::Atop].map(|o| (o.as_str(), match o { Origin::Registry => "the registry".to_owned(), Origin::Atop => "ATOP only".to_owned() }))))
                (select("parties", "Parties listed", &p.parties, PartyCoverage::ALL.iter().map(|c| (c.as_str(), c.as_str().to_owned()))))
                label { "In force in " input name="active_in" inputmode="numeric" pattern="[0-9]{4}" size="5" value=(p.active_in.clone().unwrap_or_default()); }
                label { "Words " input name="text" value=(p.text.clone().unwrap_or_default()); }
                label { "Order "
                    select name="sort" {
                        @for s in Sort::ALL { option value=(s.as_str()) selected[q.sort == s] { (sort_name(s)) } }
                    }
                }
                button type="submit" { "Filter" }
            }
            p role="status" {
                @if list.is_empty() { "No agreement matches." }
                @else { (list.len()) " agreements match; " (rows.start + 1) "–" (rows.end) " shown (page " (number) " of " (pages) ")." }
            }
            (data_table(DataTable {
                id: "agreements",
                caption: html! { "Agreements, " (sort_name(q.sort)) },
                headers: ["Agreement", "Kinds", "Status", "Signed", "Ended", "Parties"].map(String::from).to_vec(),
                rows: shown.iter().map(|a| {
                    let name = label(a, &index);
                    let kinds: Vec<&str> = a.kinds.iter().map(|k| k.as_str()).collect();
                    vec![
                        Cell::markup(html! { a href=(format!("/agreements/{}", a.id)) { (name) } }, name.clone()),
                        Cell::markup(html! { @for (i, k) in kinds.iter().enumerate() { @if i > 0 { ", " } (term_as(k, &k.replace('-', " "))) } }, kinds.join("; ")),
                        Cell::markup(term_as(a.status.as_str(), &status_text(a.status)), a.status.as_str()),
                        Cell::text(a.signed.to_string()),
                        Cell::text(a.ended.map(|e| e.to_string()).unwrap_or_default()),
                        parties(a, &index),
                    ]
                }).collect(),
                stack: true,
            }))
            @if pages > 1 { (pager(&path, number, pages)) }
        };
        Ok(("Agreements".into(), body))
    })
    .await
}
