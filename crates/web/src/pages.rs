//! Server-rendered pages. Every page works without JavaScript (links and GET forms);
//! `static/app.js` only makes the network explorer update without a reload. Markup is
//! built with maud, which escapes every value.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use pactbase_analysis::network::Level;
use pactbase_analysis::profile::Profile;
use pactbase_charts::{LineChart, Series};
use pactbase_model::{Agreement, AgreementKind, Ccode, Parties, StateIndex, Target, Vocabulary};
use pactbase_service::impact::EntryStudies;
use pactbase_service::Challenges;
use pactbase_store::{Role, Store};
use serde::Deserialize;

use crate::api::{
    check_year, dyad_similarity, filter_agreements, parse_agreement_kind, parse_level, resolve_state, trend_rows,
    AgreementQuery, Q,
};
use crate::cache::{NetworkView, Recommended};
use crate::error::ApiError;
use crate::validate::{self, Addition};
use crate::{auth, with_store, AppState, Shared};

/// The state the home page features.
const FEATURED: &str = "PAK";

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/agreements", get(agreements))
        .route("/agreements/new", get(new_form).post(new_submit))
        .route("/agreements/{id}", get(agreement))
        .route("/agreements/{id}/edit", get(edit_form).post(edit_submit))
        .route("/agreements/{id}/members", axum::routing::post(member_submit))
        .route("/agreements/{id}/sources", axum::routing::post(source_submit))
        .route("/agreements/{id}/departures", axum::routing::post(departure_submit))
        .route("/country", get(country_pick))
        .route("/countries/{state}", get(country))
        .route("/network", get(network))
        .route("/network/fragment", get(network_fragment))
        .route("/case-studies", get(case_studies))
        .route("/case-studies/{name}", get(case_study))
        .route("/compare", get(compare))
        .route("/trends", get(trends))
        .route("/audit", get(audit))
        .route("/audit/{id}/revert", axum::routing::post(revert_submit))
}

/// An error shown as a page, with the status of the API error it wraps.
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.0.status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::SERVICE_UNAVAILABLE => "Data not imported",
            s if s.is_client_error() => "Cannot show this",
            _ => "Something went wrong",
        };
        let body =
            layout(title, html! { h1 { (title) } p { (self.0.detail) } p { a href="/" { "Back to the home page" } } });
        (self.0.status, body).into_response()
    }
}

type PageResult = Result<Response, PageError>;

/// Runs `f` on the blocking pool and wraps its markup in a page.
async fn page<F>(state: &Shared, f: F) -> PageResult
where
    F: FnOnce(&mut Store, &AppState) -> Result<(String, Markup), ApiError> + Send + 'static,
{
    let (title, body) = with_store(state, f).await?;
    Ok(layout(&title, body).into_response())
}

fn layout(title: &str, body: Markup) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · pactbase" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    a.brand href="/" { "pactbase" }
                    nav aria-label="Main" {
                        ul {
                            li { a href="/agreements" { "Agreements" } }
                            li { a href="/countries/PAK" { "Pakistan" } }
                            li { a href="/network" { "Network" } }
                            li { a href="/case-studies" { "Case studies" } }
                            li { a href="/compare" { "Compare" } }
                            li { a href="/trends" { "Trends" } }
                            li { a href="/audit" { "Changes" } }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer.site {
                    p { "pactbase: a sourced registry of defense agreements. Data: the curated registry and, where imported, ATOP, COW, MME, SIPRI and strategic rivalries. "
                        a href="/api/openapi.json" { "API (OpenAPI)" } }
                }
            }
        }
    };
    Html(markup.into_string())
}

fn state_link(index: &StateIndex, ccode: Ccode) -> Markup {
    match index.get(ccode) {
        Some(s) => html! { a href=(format!("/countries/{}", s.abb)) title=(s.name) { (s.name) } },
        None => html! { (ccode) },
    }
}

fn agreement_link(id: &str, label: &str) -> Markup {
    html! { a href=(format!("/agreements/{id}")) { (label) } }
}

fn search_form(value: &str) -> Markup {
    html! {
        form.search role="search" action="/search" method="get" {
            label for="q" { "Search agreements" }
            input #q type="search" name="q" value=(value) placeholder="e.g. ANZUS, mutual defence, Baghdad";
            button type="submit" { "Search" }
        }
    }
}

/// `[match]` markers of a search snippet as `<mark>`.
fn snippet(text: &str) -> Markup {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else { break };
        parts.push((false, &rest[..open]));
        parts.push((true, &rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    parts.push((false, rest));
    html! { @for (marked, s) in parts { @if marked { mark { (s) } } @else { (s) } } }
}

// ---------------------------------------------------------------- home, search, lists

async fn home(State(state): State<Shared>) -> PageResult {
    page(&state, |store, app| {
        let index = app.cache.index(store)?;
        let pak = resolve_state(&index, FEATURED)?;
        let (p, _) = app.cache.profile(store, pak, None)?;
        let body = html! {
            h1 { "Defense agreements, sourced and analysed" }
            p.lead { "Mutual defense pacts, security assistance, exercises, technology and intelligence sharing, regional alliances and arms control, joined with the field's research datasets." }
            (search_form(""))
            section.featured aria-labelledby="featured" {
                h2 #featured { "Featured: Pakistan" }
                p { "Pakistan has " strong { (p.memberships.len()) } " agreement memberships with "
                    strong { (p.partners.len()) } " partners since 1947 — SEATO, CENTO, the 1954 and 1959 agreements with the United States, China, Saudi Arabia and Turkey." }
                (partner_list(&p, &index, 6))
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

fn partner_list(p: &Profile, index: &StateIndex, n: usize) -> Markup {
    html! {
        ol.partners {
            @for pt in p.partners.iter().take(n) {
                li { (state_link(index, pt.ccode)) " — "
                    (pt.strongest.map(|o| o.as_str()).unwrap_or("no obligation"))
                    " (" (pt.first_year) "–" (pt.last_year.map(|y| y.to_string()).unwrap_or_default()) ")" }
            }
        }
    }
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
                            td { (a.parties().len()) }
                        }
                    }
                }
            }
        };
        Ok(("Agreements".into(), body))
    })
    .await
}

// ---------------------------------------------------------------- agreement

fn parties_text(index: &StateIndex, p: &Parties) -> String {
    match p {
        Parties::All => "all members".into(),
        Parties::States(list) => list.iter().map(|&c| index.label(c)).collect::<Vec<_>>().join(", "),
    }
}

fn target_text(index: &StateIndex, t: &Target) -> String {
    match t {
        Target::All => "all fellow members".into(),
        Target::ThirdParty => "a third party".into(),
        Target::States(list) => list.iter().map(|&c| index.label(c)).collect::<Vec<_>>().join(", "),
    }
}

fn timeline(index: &StateIndex, rows: &[(String, String, i32, Option<i32>)], until: i32) -> Markup {
    // rows: (label, href, from, to)
    if rows.is_empty() {
        return html! {};
    }
    let first = rows.iter().map(|r| r.2).min().unwrap_or(until).min(until);
    let span = f64::from((until - first).max(1));
    let (left, width, row_h) = (190.0, 560.0, 18.0);
    let height = row_h * rows.len() as f64 + 30.0;
    let x = |y: i32| left + width * f64::from(y - first) / span;
    let _ = index;
    html! {
        figure.timeline {
            svg viewBox=(format!("0 0 {} {height}", left + width + 20.0)) role="img" aria-labelledby="tl-title" {
                title #tl-title { "Timeline, " (first) "–" (until) ": one bar per membership or agreement" }
                @for (i, (label, href, from, to)) in rows.iter().enumerate() {
                    @let y = row_h * i as f64 + 4.0;
                    @let end = to.unwrap_or(until).min(until);
                    a href=(href) {
                        text x="4" y=(y + 11.0) font-size="11" { (truncate(label, 30)) }
                        rect x=(x(*from)) y=(y) width=((x(end) - x(*from)).max(3.0)) height="12" rx="2" fill="#0072B2" {
                            title { (label) ": " (from) "–" (to.map(|t| t.to_string()).unwrap_or_else(|| "in force".into())) }
                        }
                    }
                }
                @for tick in timeline_ticks(first, until) {
                    text x=(x(tick)) y=(height - 6.0) font-size="10" text-anchor="middle" { (tick) }
                }
            }
        }
    }
}

fn timeline_ticks(first: i32, until: i32) -> Vec<i32> {
    let step = if until - first > 100 {
        25
    } else if until - first > 40 {
        10
    } else {
        5
    };
    let start = (first + step - 1) / step * step;
    (start..=until).step_by(step as usize).collect()
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn agreement_body(a: &Agreement, index: &StateIndex, version: i64, origin: &str, edited: bool) -> Markup {
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
            dt { "Kinds" } dd { (a.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")) }
            dt { "Signed" } dd { (a.signed) }
            @if let Some(f) = a.in_force { dt { "In force" } dd { (f) } }
            @if let Some(e) = a.ended { dt { "Ended" } dd { (e) } }
            dt { "Status" } dd { (a.status.as_str()) }
            dt { "Region" } dd { (a.region) }
            @if let Some(id) = a.atopid { dt { "ATOP" } dd { "alliance " (id) } }
            dt { "Record" } dd { "version " (version) ", " (origin) @if edited { " (edited through the API)" } }
        }
        p { (a.summary) }
        @if origin == "curated" { p { a.button href=(format!("/agreements/{}/edit", a.id)) { "Edit this agreement" } } }
        section aria-labelledby="parties" {
            h2 #parties { "Parties over time" }
            (timeline(index, &rows, until))
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
            @if a.obligations.is_empty() { p { "No obligations in the ATOP sense (defense, offense, neutrality, nonaggression, consultation)." } }
            ul {
                @for o in &a.obligations {
                    li { strong { (o.kind.as_str()) } ": " (parties_text(index, &o.from)) " toward " (target_text(index, &o.toward))
                        @if o.conditional { " (conditional)" }
                        @if let Some(art) = &o.article { " — " (art) } }
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
            @if v.origin == "curated" {
                details.addition {
                    summary { "Record a new member (editors)" }
                    (addition_form(&v.agreement, v.version, Addition::Member, &AdditionForm::default()))
                }
                details.addition {
                    summary { "Add a source (editors)" }
                    (addition_form(&v.agreement, v.version, Addition::Source, &AdditionForm::default()))
                }
                @if v.agreement.members.iter().any(|m| m.left.is_none()) {
                    details.addition {
                        summary { "Record that a member left (editors)" }
                        (departure_form(&v.agreement, v.version, &AdditionForm::default(), &index))
                    }
                }
            }
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

// ---------------------------------------------------------------- editing

/// What a document form writes: a new agreement, or a version of an existing one.
#[derive(Clone)]
enum Write {
    Create,
    Edit { id: String, version: i64 },
}

impl Write {
    fn title(&self) -> String {
        match self {
            Write::Create => "New agreement".into(),
            Write::Edit { id, .. } => format!("Edit {id}"),
        }
    }

    fn version(&self) -> Option<i64> {
        match self {
            Write::Create => None,
            Write::Edit { version, .. } => Some(*version),
        }
    }

    fn action(&self) -> String {
        match self {
            Write::Create => "/agreements/new".into(),
            Write::Edit { id, .. } => format!("/agreements/{id}/edit"),
        }
    }
}

fn document_page(write: &Write, document: &str, errors: &[crate::error::FieldError], message: Option<&str>) -> Markup {
    html! {
        h1 { (write.title()) }
        p { "Editing needs a token with the editor role (" code { "pactbase user add NAME --role editor" } "). The whole document is validated; nothing is stored unless all of it is valid"
            @if matches!(write, Write::Edit { .. }) { ", and a change based on an old version is refused" } "." }
        @if matches!(write, Write::Create) {
            p { "Fill in the template: a slug " code { "id" } " (lowercase letters, digits, '-'), the name, at least one of the kinds ("
                (AgreementKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "))
                "), a summary in your own words, the members (a COW code, abbreviation, ISO code or name: " a href="/api/v1/states" { "the list of states" } "; stored as COW codes), and a source (with a url or a reference) for every fact, cited by its key. Dates are YYYY, YYYY-MM or YYYY-MM-DD. The fields are those of the registry's data files (data/README.md) and of " code { "GET /api/v1/agreements/ID" } "." }
        }
        @if let Some(m) = message { p.error role="alert" { (m) } }
        @if !errors.is_empty() {
            div.error role="alert" {
                p { "Nothing was stored. Fix these fields:" }
                ul { @for e in errors { li { code { (e.field) } ": " (e.message) } } }
            }
        }
        form.edit method="post" action=(write.action()) {
            @if let Some(version) = write.version() {
                input type="hidden" name="version" value=(version);
            }
            label for="token" { "Editor token" }
            input #token type="password" name="token" autocomplete="off" required;
            label for="document" { "Agreement document (JSON; states by COW code, abbreviation or name)" }
            textarea #document name="document" rows="30" spellcheck="false" { (document) }
            button type="submit" { @if matches!(write, Write::Create) { "Create" } @else { "Save" } }
        }
    }
}

/// A new agreement's document: the shape to fill in, refused as it stands (no members;
/// then no id, name, kind or summary).
const NEW_AGREEMENT: &str = r#"{
  "id": "",
  "name": "",
  "short_names": [],
  "kinds": [],
  "signed": "2025",
  "in_force": null,
  "ended": null,
  "status": "in-force",
  "region": "",
  "depositary": null,
  "atopid": null,
  "summary": "",
  "text": null,
  "provisions": {
    "foreign_bases": null,
    "integrated_command": null,
    "military_aid": null,
    "technology_transfer": null,
    "intelligence_sharing": null,
    "joint_exercises": null,
    "arms_limits": null,
    "organisation": null
  },
  "sources": [
    { "key": "text", "title": "", "publisher": "", "url": null, "reference": null, "consulted": null }
  ],
  "members": [
    { "ccode": "", "joined": "2025", "left": null, "role": "founding", "source": "text", "note": null, "suspensions": [] },
    { "ccode": "", "joined": "2025", "left": null, "role": "founding", "source": "text", "note": null, "suspensions": [] }
  ],
  "obligations": [
    { "type": "consultation", "from": "all", "toward": "all", "conditional": false, "article": null, "note": null, "source": "text" }
  ],
  "atop_exceptions": []
}"#;

async fn new_form() -> Html<String> {
    let target = Write::Create;
    layout(&target.title(), document_page(&target, NEW_AGREEMENT, &[], None))
}

async fn edit_form(State(state): State<Shared>, Path(id): Path<String>) -> PageResult {
    page(&state, move |store, _| {
        let v = store.agreement_versioned(&id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let doc = serde_json::to_string_pretty(&v.agreement).map_err(ApiError::internal)?;
        let target = Write::Edit { id, version: v.version };
        Ok((target.title(), document_page(&target, &doc, &[], None)))
    })
    .await
}

#[derive(Deserialize)]
struct DocumentSubmission {
    token: String,
    document: String,
    /// Only when editing.
    version: Option<i64>,
}

async fn new_submit(State(state): State<Shared>, Form(f): Form<DocumentSubmission>) -> Response {
    submit(state, Write::Create, f).await
}

async fn edit_submit(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Form(f): Form<DocumentSubmission>,
) -> Response {
    let Some(version) = f.version else {
        return PageError(ApiError::bad_request("the form lost the version it edits: reload the page")).into_response();
    };
    submit(state, Write::Edit { id, version }, f).await
}

/// Stores a submitted document (after the same checks as the API), then shows the
/// agreement; on any problem shows the form again with the document as sent.
async fn submit(state: Shared, target: Write, f: DocumentSubmission) -> Response {
    let result = with_store(&state, move |store, app| {
        let fail = |status: StatusCode, errors: Vec<crate::error::FieldError>, message: Option<String>| {
            let markup = document_page(&target, &f.document, &errors, message.as_deref());
            Ok((status, layout(&target.title(), markup)).into_response())
        };
        let user = match auth::authorize(store, &app.tokens, f.token.trim(), Role::Editor) {
            Ok(u) => u,
            Err(e) => return fail(e.status, Vec::new(), Some(e.detail)),
        };
        let replacing = match &target {
            Write::Create => None,
            Write::Edit { id, .. } => Some(id.as_str()),
        };
        let agreement = match validate::document(f.document.as_bytes(), &*app.cache.index(store)?, replacing) {
            Ok((a, _)) => a,
            Err(e) => return fail(e.status, e.fields, None),
        };
        let written = match &target {
            Write::Create => store.create_agreement(&agreement, &user.name),
            Write::Edit { version, .. } => store.update_agreement(&agreement, *version, &user.name),
        };
        match written {
            Ok(_) => Ok(Redirect::to(&format!("/agreements/{}", agreement.id)).into_response()),
            Err(e) => {
                let e = ApiError::from(e);
                fail(e.status, Vec::new(), Some(e.detail))
            }
        }
    })
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}

/// A new member or source as the forms send it (each form sends its own fields).
#[derive(Deserialize, Default)]
#[serde(default)]
struct AdditionForm {
    token: String,
    version: i64,
    // A member.
    state: String,
    joined: String,
    left: String,
    role: String,
    source: String,
    note: String,
    // A source.
    key: String,
    title: String,
    publisher: String,
    url: String,
    reference: String,
    consulted: String,
}

impl AdditionForm {
    /// The item as a document holds it; blank optional fields are absent.
    fn item(&self, addition: Addition) -> serde_json::Value {
        let optional = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
        match addition {
            Addition::Member => serde_json::json!({
                "ccode": self.state.trim(),
                "joined": self.joined.trim(),
                "left": optional(&self.left),
                "role": self.role,
                "source": self.source,
                "note": optional(&self.note),
            }),
            Addition::Source => serde_json::json!({
                "key": self.key.trim(),
                "title": self.title.trim(),
                "publisher": self.publisher.trim(),
                "url": optional(&self.url),
                "reference": optional(&self.reference),
                "consulted": optional(&self.consulted),
            }),
        }
    }
}

const DATE_PATTERN: &str = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?";

/// The form that adds one member or source to `a`; the whole agreement is checked as any
/// change is.
fn addition_form(a: &Agreement, version: i64, addition: Addition, f: &AdditionForm) -> Markup {
    let what = addition.field();
    let id = |name: &str| format!("{what}-{name}");
    let field = |name: &str, label: &str, value: &str, required: bool| {
        html! {
            label for=(id(name)) { (label) }
            input id=(id(name)) name=(name) value=(value) required[required];
        }
    };
    html! {
        form.edit method="post" action=(format!("/agreements/{}/{what}s", a.id)) {
            input type="hidden" name="version" value=(version);
            @match addition {
                Addition::Member => {
                    (field("state", "State (COW code, abbreviation, ISO code or name)", &f.state, true))
                    label for=(id("joined")) { "Joined (YYYY, YYYY-MM or YYYY-MM-DD)" }
                    input id=(id("joined")) name="joined" value=(f.joined) required pattern=(DATE_PATTERN);
                    label for=(id("left")) { "Left (blank: still a member)" }
                    input id=(id("left")) name="left" value=(f.left) pattern=(DATE_PATTERN);
                    label for=(id("role")) { "Role" }
                    select id=(id("role")) name="role" {
                        @for r in pactbase_model::Role::ALL {
                            option value=(r.as_str()) selected[r.as_str() == if f.role.is_empty() { "acceded" } else { f.role.as_str() }] { (r.as_str()) }
                        }
                    }
                    label for=(id("source")) { "Source (add a new one first with the form below)" }
                    select id=(id("source")) name="source" {
                        @for src in &a.sources { option value=(src.key) selected[src.key == f.source] { (src.key) ": " (src.title) } }
                    }
                    (field("note", "Note (optional)", &f.note, false))
                }
                Addition::Source => {
                    (field("key", "Key (how memberships and obligations cite it, e.g. accession)", &f.key, true))
                    (field("title", "Title", &f.title, true))
                    (field("publisher", "Publisher", &f.publisher, true))
                    (field("url", "URL (or a reference below)", &f.url, false))
                    (field("reference", "Document reference (when there is no URL)", &f.reference, false))
                    label for=(id("consulted")) { "Consulted (YYYY-MM-DD)" }
                    input id=(id("consulted")) name="consulted" value=(f.consulted) pattern=(DATE_PATTERN);
                }
            }
            label for=(id("token")) { "Editor token" }
            input id=(id("token")) type="password" name="token" autocomplete="off" required;
            button type="submit" { @if addition == Addition::Member { "Record the member" } @else { "Add the source" } }
        }
    }
}

/// What one of the agreement page's small forms changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Add(Addition),
    /// A member leaves.
    Departure,
}

impl Change {
    fn title(self, a: &Agreement) -> String {
        match self {
            Change::Add(addition) => format!("A new {} of {}", addition.field(), a.label()),
            Change::Departure => format!("A member leaves {}", a.label()),
        }
    }

    fn form(self, a: &Agreement, version: i64, f: &AdditionForm, index: &StateIndex) -> Markup {
        match self {
            Change::Add(addition) => addition_form(a, version, addition, f),
            Change::Departure => departure_form(a, version, f, index),
        }
    }

    /// The agreement page's section to return to.
    fn anchor(self) -> &'static str {
        match self {
            Change::Add(Addition::Source) => "sources",
            _ => "parties",
        }
    }

    fn apply(self, current: &Agreement, f: &AdditionForm, index: &StateIndex) -> Result<Agreement, ApiError> {
        match self {
            Change::Add(addition) => validate::with_addition(current, addition, f.item(addition), index),
            Change::Departure => {
                let note = Some(f.note.as_str()).filter(|n| !n.trim().is_empty());
                validate::with_departure(current, &f.state, &f.left, note, index)
            }
        }
    }
}

/// The form that ends one of `a`'s open memberships.
fn departure_form(a: &Agreement, version: i64, f: &AdditionForm, index: &StateIndex) -> Markup {
    let open: Vec<Ccode> = a.members.iter().filter(|m| m.left.is_none()).map(|m| m.ccode).collect();
    html! {
        form.edit method="post" action=(format!("/agreements/{}/departures", a.id)) {
            input type="hidden" name="version" value=(version);
            label for="departure-state" { "Member" }
            select #departure-state name="state" {
                @for c in &open { option value=(c) selected[f.state == c.to_string()] { (index.name(*c)) } }
            }
            label for="departure-left" { "Left (YYYY, YYYY-MM or YYYY-MM-DD)" }
            input #departure-left name="left" value=(f.left) required pattern=(DATE_PATTERN);
            label for="departure-note" { "Note, with the document that records it (added to the membership's note)" }
            input #departure-note name="note" value=(f.note);
            label for="departure-token" { "Editor token" }
            input #departure-token type="password" name="token" autocomplete="off" required;
            button type="submit" { "Record the departure" }
        }
    }
}

async fn departure_submit(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Form(f): Form<AdditionForm>,
) -> Response {
    change_submit(state, id, Change::Departure, f).await
}

async fn member_submit(State(state): State<Shared>, Path(id): Path<String>, Form(f): Form<AdditionForm>) -> Response {
    change_submit(state, id, Change::Add(Addition::Member), f).await
}

async fn source_submit(State(state): State<Shared>, Path(id): Path<String>, Form(f): Form<AdditionForm>) -> Response {
    change_submit(state, id, Change::Add(Addition::Source), f).await
}

/// Stores the change, then shows the agreement; on any problem shows the form again with
/// what was sent.
async fn change_submit(state: Shared, id: String, change: Change, f: AdditionForm) -> Response {
    let result = with_store(&state, move |store, app| {
        let current = store.agreement(&id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let title = change.title(&current);
        let index = app.cache.index(store)?;
        let fail = |status: StatusCode, errors: Vec<crate::error::FieldError>, message: Option<String>| {
            let markup = html! {
                h1 { (title) }
                @if let Some(m) = &message { p.error role="alert" { (m) } }
                @if !errors.is_empty() {
                    div.error role="alert" {
                        p { "Nothing was stored. Fix these fields:" }
                        ul { @for e in &errors { li { code { (e.field) } ": " (e.message) } } }
                    }
                }
                (change.form(&current, f.version, &f, &index))
                p { a href=(format!("/agreements/{id}")) { "Back to the agreement" } }
            };
            Ok((status, layout(&title, markup)).into_response())
        };
        let user = match auth::authorize(store, &app.tokens, f.token.trim(), Role::Editor) {
            Ok(u) => u,
            Err(e) => return fail(e.status, Vec::new(), Some(e.detail)),
        };
        let agreement = match change.apply(&current, &f, &index) {
            Ok(a) => a,
            Err(e) => return fail(e.status, e.fields, None),
        };
        match store.update_agreement(&agreement, f.version, &user.name) {
            Ok(_) => Ok(Redirect::to(&format!("/agreements/{id}#{}", change.anchor())).into_response()),
            Err(e) => {
                let e = ApiError::from(e);
                fail(e.status, Vec::new(), Some(e.detail))
            }
        }
    })
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}

fn audit_table(entries: &[pactbase_store::AuditEntry], revert: bool) -> Markup {
    html! {
        table.audit {
            thead { tr { th scope="col" { "#" } th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Change" } th scope="col" { "Agreement" } th scope="col" { "Fields" } @if revert { th scope="col" { "Revert" } } } }
            tbody {
                @for e in entries {
                    tr {
                        td { (e.id) }
                        td { (e.at) }
                        td { (e.user) }
                        td { (e.action) @if let Some(r) = e.reverts { " of #" (r) } " (v" (e.version_before.map(|v| v.to_string()).unwrap_or_else(|| "–".into())) " → v" (e.version_after.map(|v| v.to_string()).unwrap_or_else(|| "–".into())) ")" }
                        td { (agreement_link(&e.agreement_id, &e.agreement_id)) }
                        td { (changed_fields(e).join(", ")) }
                        @if revert {
                            td {
                                form.inline method="post" action=(format!("/audit/{}/revert", e.id)) {
                                    label { span.visually-hidden { "Admin token to revert #" (e.id) } input type="password" name="token" autocomplete="off" placeholder="admin token" required; }
                                    button type="submit" { "Revert" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Top-level fields whose values differ between before and after.
fn changed_fields(e: &pactbase_store::AuditEntry) -> Vec<String> {
    let empty = serde_json::Map::new();
    let before = e.before.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let after = e.after.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter().filter(|k| before.get(*k) != after.get(*k)).cloned().collect()
}

async fn audit(State(state): State<Shared>) -> PageResult {
    page(&state, |store, _| {
        let entries = store.audit_log(None, 200)?;
        let body = html! {
            h1 { "Changes" }
            p { "Every change made through the API or the edit pages, newest first: who, when, and which fields. An admin can revert the latest change of an agreement. "
                a href="/api/v1/audit" { "As JSON, with the whole documents before and after" } ". " a href="/agreements/new" { "Add an agreement" } "." }
            @if entries.is_empty() { p { "No changes yet." } } @else { (audit_table(&entries, true)) }
        };
        Ok(("Changes".into(), body))
    })
    .await
}

#[derive(Deserialize)]
struct RevertSubmission {
    token: String,
}

async fn revert_submit(State(state): State<Shared>, Path(id): Path<i64>, Form(f): Form<RevertSubmission>) -> Response {
    let result = with_store(&state, move |store, app| {
        let user = auth::authorize(store, &app.tokens, f.token.trim(), Role::Admin)?;
        store.revert(id, &user.name)?;
        Ok(Redirect::to("/audit").into_response())
    })
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}

// ---------------------------------------------------------------- country

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
    recommendations: Result<Recommended, ApiError>,
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
        recommendations: app.cache.recommendations(store, ccode, None, 8),
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
                (timeline(&index, &rows, pactbase_service::REGISTRY_LAST_YEAR))
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
                        p { "Likeliest new allies as of " (found.year) " (logistic model on ATOP history; see docs/RECOMMEND.md):" }
                        @if !found.missing.is_empty() { p.note { "Without " (found.missing.join(" and ")) ": import them for the exercise and rivalry features." } }
                        ol { @for r in found.partners.iter() { li { (state_link(&index, r.partner)) " — " (format!("{:.1}%", r.score * 100.0))
                            @if let Some(top) = r.contributions.iter().max_by(|a, b| a.contribution.total_cmp(&b.contribution)) { span.note { " (" (top.explanation) ")" } } } } }
                    }
                    Err(e) => { p.note { (e.detail) } }
                }
            }
            section aria-labelledby="challenges" {
                h2 #challenges { "Challenges of its commitments" }
                h3 { "Commitment conflicts" }
                @if !challenges.rivalries_imported { p.note { "Need the strategic rivalries: pactbase import rivalries FILE." } }
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
        Err(e) => return html! { p.note { (e.detail) } },
    };
    html! {
        p { "Each entry is an event study of log military expenditure (COW NMC): the state's change after entry against never-treated states over the same years, Callaway & Sant'Anna with 95% intervals (docs/IMPACT.md). One treated state makes these estimates noisy; read the interval, not the point." }
        @for s in &found.studies {
            @let r = &s.result;
            h3 { (agreement_link(&s.agreement_id, &s.agreement)) " (" (s.entry_year) ")" }
            p {
                @match &r.post_att {
                    Some(att) => { "Average effect after entry: " (format!("{:+.2}", att.value)) " (95% CI " (format!("{:+.2}", att.ci_low)) " to " (format!("{:+.2}", att.ci_high)) "). " }
                    None => { "No post-entry effect could be estimated. " }
                }
                "Compared with " (r.comparison_states.len()) " states that never entered it."
            }
            @if !r.caveats.is_empty() { ul.note { @for c in &r.caveats { li { (c.text()) } } } }
            figure { (PreEscaped(pactbase_service::impact::chart(r, &s.study, index))) }
        }
        @if found.studies.is_empty() { p { "No entry could be studied." } }
        @for note in &found.skipped { p.note { (note) } }
    }
}

// ---------------------------------------------------------------- network

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
        svg.network viewBox="0 0 800 800" role="img" aria-labelledby="net-title net-desc" {
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
        level: parse_level(q.level.as_deref().filter(|l| !l.is_empty()))?,
        kind: parse_agreement_kind(q.kind.as_deref())?,
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

// ---------------------------------------------------------------- case studies

const CASES: [(&str, &str, &str); 3] = [
    ("nato", "nato", "NATO: the North Atlantic Treaty (1949), from 12 founders to 32 members; Article 5's collective defense, the integrated command, France's withdrawal from it and return."),
    ("anzus", "anzus", "ANZUS (1951): Australia, New Zealand and the United States; the US suspension of its obligations toward New Zealand in 1986."),
    ("five-eyes", "ukusa", "Five Eyes: the UKUSA signals-intelligence agreement (1946) of the United Kingdom and the United States, joined by Canada, Australia and New Zealand."),
];

async fn case_studies() -> Html<String> {
    layout(
        "Case studies",
        html! {
            h1 { "Case studies" }
            ul.cards { @for (slug, _, blurb) in CASES { li { a href=(format!("/case-studies/{slug}")) { (blurb) } } } }
        },
    )
}

async fn case_study(State(state): State<Shared>, Path(name): Path<String>) -> PageResult {
    let Some(&(slug, id, blurb)) = CASES.iter().find(|c| c.0 == name) else {
        return Err(ApiError::not_found(format!("no case study `{name}`: nato, anzus or five-eyes")).into());
    };
    page(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let v = store.agreement_versioned(id)?.ok_or_else(|| ApiError::not_found(format!("no agreement `{id}`")))?;
        let a = &v.agreement;
        let r = app.cache.research(store)?;
        let net = app.cache.network(store, r.last_year, Level::Any, None)?;
        let parties: HashSet<Ccode> = a.parties().into_iter().collect();
        let mut positions: Vec<_> = net.nodes.iter().filter(|n| parties.contains(&n.ccode)).collect();
        positions.sort_by(|x, y| y.measures.eigenvector.total_cmp(&x.measures.eigenvector));
        // Membership counts over time.
        let until = pactbase_service::REGISTRY_LAST_YEAR;
        let start = a.signed.year;
        let counts = Series {
            name: "members".into(),
            points: (start..=until)
                .map(|y| (f64::from(y), Some(a.members.iter().filter(|m| m.active_in(y)).count() as f64)))
                .collect(),
        };
        let chart = LineChart {
            title: format!("{}: members per year", a.label()),
            y_label: "members".into(),
            y_from_zero: true,
            series: vec![counts],
        };
        let body = html! {
            p.kicker { "Case study" }
            p.lead { (blurb) }
            figure { (PreEscaped(chart.svg())) }
            (agreement_body(a, &index, v.version, &v.origin, v.edited))
            section aria-labelledby="case-position" {
                h2 #case-position { "Members' network position in " (net.year) }
                table {
                    thead { tr { th scope="col" { "Member" } th scope="col" { "Allies" } th scope="col" { "Eigenvector" } th scope="col" { "Bloc" } } }
                    tbody { @for n in &positions { tr { td { (state_link(&index, n.ccode)) } td { (n.measures.degree) } td { (format!("{:.3}", n.measures.eigenvector)) } td { (n.measures.bloc) } } } }
                }
            }
        };
        Ok((format!("Case study: {slug}"), body))
    })
    .await
}

// ---------------------------------------------------------------- compare, trends

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
        let (pa, _) = app.cache.profile(store, a, None)?;
        let (pb, _) = app.cache.profile(store, b, None)?;
        let ids_b: HashSet<&str> = pb.memberships.iter().map(|m| m.agreement_id.as_str()).collect();
        let mut shared: Vec<(&str, &str)> =
            pa.memberships.iter().filter(|m| ids_b.contains(m.agreement_id.as_str())).map(|m| (m.agreement_id.as_str(), m.label.as_str())).collect();
        shared.dedup();
        let sim = dyad_similarity(store, app, &index.label(a), &index.label(b), None)?;
        let series = |key: &str, name: &str| Series {
            name: name.into(),
            points: sim.years.iter().map(|y| (f64::from(y.year), y.measures.get(key).and_then(|v| v.as_f64()))).collect(),
        };
        let chart = LineChart {
            title: format!("Alliance-portfolio similarity of {} and {}", index.label(a), index.label(b)),
            y_label: "similarity (−1 to 1)".into(),
            y_from_zero: false,
            series: vec![series("sallyvua", "S (valued)"), series("kallyv", "kappa (valued)")],
        };
        let column = |p: &Profile, c: Ccode| html! {
            section.col aria-labelledby=(format!("col-{c}")) {
                h2 id=(format!("col-{c}")) { (state_link(&index, c)) }
                p { (p.memberships.len()) " memberships, " (p.partners.len()) " partners" }
                h3 { "Strongest partners" }
                (partner_list(p, &index, 8))
                h3 { "Kinds" }
                ul { @for (k, n) in &p.kinds { li { (k.as_str()) ": " (n) } } }
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
                @else { figure { (PreEscaped(chart.svg())) figcaption { "Per year, ties: " (sim.source) ". "
                    a href=(format!("/api/v1/similarity?a={}&b={}", index.label(a), index.label(b))) { "All measures (JSON)" } } } }
            }
        };
        Ok((format!("Compare {} and {}", index.label(a), index.label(b)), body))
    })
    .await
}

#[derive(Deserialize)]
struct TrendParams {
    years: Option<String>,
}

async fn trends(State(state): State<Shared>, Q(q): Q<TrendParams>) -> PageResult {
    page(&state, move |store, _| {
        let rows = trend_rows(store, q.years.as_deref())?;
        let series = |name: &str, f: &dyn Fn(&pactbase_analysis::trends::YearTrend) -> Option<f64>| Series {
            name: name.into(),
            points: rows.iter().map(|r| (f64::from(r.year), f(r))).collect(),
        };
        let kinds = LineChart {
            title: "Registry agreements in force, by kind".into(),
            y_label: "agreements".into(),
            y_from_zero: true,
            series: AgreementKind::ALL
                .iter()
                .enumerate()
                .map(|(k, kind)| series(kind.as_str(), &|r| Some(r.in_force_by_kind[k] as f64)))
                .collect(),
        };
        let form = LineChart {
            title: "ATOP alliances in effect: bilateral and multilateral".into(),
            y_label: "% of alliances".into(),
            y_from_zero: true,
            series: vec![
                series("bilateral", &|r| r.bilateral_share.map(|v| v * 100.0)),
                series("multilateral", &|r| r.multilateral_share.map(|v| v * 100.0)),
            ],
        };
        let exercises = LineChart {
            title: "Multinational exercises begun per year (MME)".into(),
            y_label: "exercises".into(),
            y_from_zero: true,
            series: vec![series("exercises", &|r| r.exercises.map(|v| v as f64))],
        };
        let atop = rows.iter().any(|r| r.alliances.is_some());
        let mme = rows.iter().any(|r| r.exercises.is_some());
        let body = html! {
            h1 { "Trends" }
            form.inline action="/trends" method="get" {
                label for="years" { "Years" } input #years name="years" placeholder="1946-2025" value=(q.years.clone().unwrap_or_default());
                button type="submit" { "Show" }
            }
            figure { (PreEscaped(kinds.svg())) }
            @if atop { figure { (PreEscaped(form.svg())) } } @else { p.note { "Alliance trends need ATOP: pactbase import atop DIR." } }
            @if mme { figure { (PreEscaped(exercises.svg())) } } @else { p.note { "Exercise trends need MME: pactbase import mme FILE." } }
            p { a href="/api/v1/trends" { "Every column as JSON" } }
        };
        Ok(("Trends".into(), body))
    })
    .await
}
