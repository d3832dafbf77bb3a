//! A country's page: the assessment `pactbase report` renders too (one assembly, in
//! `pactbase_service::assessment`), for one reference year (the registry's current year
//! unless another is asked for) or the whole record.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_analysis::arms::Side;
use pactbase_analysis::assessment::timeline::standing_words;
use pactbase_analysis::assessment::{brief, Arms, CountryAssessment, Impact, Missing, Part, Recommendations};
use pactbase_analysis::challenges::{AgreementRef, Challenges, Found};
use pactbase_model::coverage::YEARS;
use pactbase_model::YearSpan;
use pactbase_model::{Ccode, StateIndex, Vocabulary};
use pactbase_service::assessment::Request;
use pactbase_service::{arms, impact};
use pactbase_store::Store;
use serde::Deserialize;

use crate::error::ApiError;
use crate::params::{given, resolve_state, AssessmentQuery, Path, Q};
use crate::{with_store, AppState, Shared};

use super::data::missing_note;
use super::figures::figure;
use super::parts::{agreement_link, kind_timeline, state_link, Bar};
use super::tables::{data_table, Cell, DataTable};
use super::{page, PageError, PageResult, FEATURED};

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/country", get(country_pick))
        .route("/countries/{state}", get(country))
        .route("/countries/{state}/report", get(report))
}

#[derive(Deserialize)]
struct ReportParams {
    /// `download=html`: as a file to save.
    download: Option<String>,
}

/// The country report as `pactbase report` writes it, from the assessment the page shows:
/// one self-contained document (its own styles, no script), to read, print or save.
async fn report(
    State(state): State<Shared>,
    Path(s): Path<String>,
    Q(q): Q<AssessmentQuery>,
    Q(params): Q<ReportParams>,
) -> PageResult {
    let save = match params.download.as_deref().filter(|d| !d.is_empty()) {
        None => false,
        Some("html") => true,
        Some(other) => {
            return Err(PageError(ApiError::bad_request(format!(
                "`download={other}`: write download=html to save the report"
            ))))
        }
    };
    let (html, name) = with_store(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let ccode = resolve_state(&index, &s)?;
        let a = app.cache.assessment(store, ccode, q.request()?)?;
        let html = pactbase_report::render(&a, &index, &format!("pactbase {}", env!("CARGO_PKG_VERSION")));
        Ok((html, format!("pactbase-report-{}-{}.html", index.label(ccode), a.core.view.label().replace(' ', "-"))))
    })
    .await?;
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    // The report carries its styles inline and loads nothing: nothing else is allowed.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
    );
    if save {
        let disposition = format!("attachment; filename=\"{name}\"");
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).map_err(|e| PageError(ApiError::internal(e)))?,
        );
    }
    Ok(response)
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

/// Computes the featured country's page (Pakistan's, linked from the home page) ahead of
/// its first visitor: with every dataset imported that takes a few seconds.
pub(crate) fn prepare_featured(store: &Store, app: &AppState) -> Result<(), ApiError> {
    let ccode = resolve_state(&*app.cache.index(store)?, FEATURED)?;
    app.cache.assessment(store, ccode, Request::default()).map(|_| ())
}

/// The page's view as a query string ("?year=1990&partners=all"), for the links that keep it.
fn report_query(q: &AssessmentQuery) -> String {
    let pairs: Vec<String> = [
        q.year.map(|y| format!("year={y}")),
        given(&q.view).map(|v| format!("view={v}")),
        given(&q.partners).map(|p| format!("partners={p}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// What a part lacks: a dataset to fetch (linked to the data page), or why it cannot be
/// computed for this state.
fn missing(m: &Missing) -> Markup {
    if m.import.is_empty() {
        html! { p.note { (m.what) "." } }
    } else {
        missing_note(&format!("Needs {}: `{}`.", m.what, m.import.join("`, `")))
    }
}

fn labels(list: &[AgreementRef]) -> Markup {
    html! { @for (i, a) in list.iter().enumerate() { @if i > 0 { ", " } (agreement_link(&a.id, &a.label)) } }
}

fn joined<T: Vocabulary>(list: &[T]) -> String {
    list.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ")
}

/// The view form: a year, or the whole record, with partners counted or all.
fn view_form(a: &CountryAssessment, abb: &str, q: &AssessmentQuery) -> Markup {
    let base = format!("/countries/{abb}");
    html! {
        form.inline action=(base) method="get" {
            label for="year" { "Reference year" }
            input #year type="number" name="year" min=(YEARS.first) max=(YEARS.last) value=(q.year.map(|y| y.to_string()).unwrap_or_default()) placeholder=(a.core.reference_year);
            label for="partners" { "Partners through" }
            select #partners name="partners" {
                option value="counted" selected[!a.core.partners.include_all] { "partnership agreements" }
                option value="all" selected[a.core.partners.include_all] { "every agreement" }
            }
            button type="submit" { "Show" }
            @if a.core.view.is_history() { a href=(base) { "Reference year " (a.core.reference_year) } }
            @else { a href=(format!("{base}?view=history")) { "All history" } }
        }
    }
}

async fn country(State(state): State<Shared>, Path(s): Path<String>, Q(q): Q<AssessmentQuery>) -> PageResult {
    page(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let ccode = resolve_state(&index, &s)?;
        let a = app.cache.assessment(store, ccode, q.request()?)?;
        let c = &a.core;
        let abb = index.label(ccode);
        let year = c.reference_year;
        let rows: Vec<Bar> = c
            .timeline
            .memberships
            .iter()
            .map(|m| Bar {
                label: m.label.clone(),
                href: format!("/agreements/{}", m.agreement_id),
                years: m.years,
                open: standing_words(m.standing, m.known_until),
                kind: m.kinds.first().copied(),
            })
            .collect();
        let body = html! {
            h1 { (c.state.name) " (" (abb) ")" }
            p.lead {
                @if c.view.is_history() { "All history. What binds it now is read at the end of " (year) ", the registry's current year." }
                @else { "Reference year " strong { (year) } ": what binds it at the end of " (year) ", and its record up to then." }
            }
            (view_form(&a, &abb, &q))
            nav.toc aria-label="On this page" {
                ul { li { a href="#summary" { "Summary" } } li { a href="#timeline" { "Timeline" } } li { a href="#partners" { "Partners" } } li { a href="#position" { "Network position" } }
                     li { a href="#exercises" { "Exercises" } } li { a href="#arms" { "Arms transfers" } } li { a href="#impact" { "Impact" } } li { a href="#recommendations" { "Recommendations" } } li { a href="#challenges" { "Challenges" } } }
            }
            section aria-labelledby="summary" {
                h2 #summary { "Summary" }
                @for line in brief::sentences(&a, &index) { p { (line) } }
                @let query = report_query(&q);
                p { a href=(format!("/countries/{abb}/report{query}")) { "The country report" } " (one page to read, print or "
                    a href=(format!("/countries/{abb}/report{}download=html", if query.is_empty() { "?" } else { "&" })) { "save as HTML" } ")"
                    " · " a href=(format!("/api/v1/countries/{abb}/assessment{query}")) { "the whole assessment as JSON" } " · the same in " code { "pactbase report " (abb) } }
            }
            section aria-labelledby="timeline" {
                h2 #timeline { "Timeline of agreements" }
                (kind_timeline(&rows, year))
                (data_table(DataTable {
                    id: "memberships",
                    caption: html! { "Memberships, oldest first; years run to leaving or the agreement's end" },
                    headers: vec!["Agreement".into(), "Kinds".into(), "Years".into(), format!("In {year}"), "Holds".into(), "Owed".into()],
                    rows: c.timeline.memberships.iter().map(|m| {
                        let role = if m.role.is_party() { String::new() } else { format!(" ({}, not a party)", m.role.as_str()) };
                        vec![
                            Cell::markup(html! { (agreement_link(&m.agreement_id, &m.label)) (role) }, format!("{}{role}", m.label)),
                            Cell::text(joined(&m.kinds)),
                            Cell::text(m.years.to_string()),
                            Cell::text(standing_words(m.standing, m.known_until)),
                            Cell::text(joined(&m.obligations)),
                            Cell::text(joined(&m.owed)),
                        ]
                    }).collect(),
                    stack: true,
                }))
            }
            section aria-labelledby="partners" {
                h2 #partners { "Partners" }
                p.note { "Ranked by legal commitment (ATOP's valued obligation: 3 defense/offense, 2 neutrality/consultation, 1 nonaggression) plus depth of cooperation (0–3: exercises, technology, intelligence, assistance and, with SIPRI imported, the share of its arms trade): " a href="/methods#ties" { "the rules" } "." }
                (data_table(DataTable {
                    id: "partners",
                    caption: html! { "Partners in " (year) " and before, closest first" },
                    headers: ["Rank", "Partner", "Score", "Now (from / to it)", "Ever", "Depth", "Agreements"].map(String::from).to_vec(),
                    rows: c.partners.ranked.iter().map(|p| {
                        let rival = p.rival.as_ref().map(|r| format!("{} ({})", if r.active { "strategic rival" } else { "former strategic rival" }, r.years));
                        let ties: Vec<_> = p.ties.iter().filter(|t| t.basis.counts() || c.partners.include_all).collect();
                        vec![
                            Cell::text(p.rank.to_string()),
                            Cell::markup(
                                html! { (state_link(&index, p.ccode)) @if let Some(r) = &rival { br; strong { (r) } } },
                                [Some(index.name(p.ccode)), rival.clone()].into_iter().flatten().collect::<Vec<_>>().join("; "),
                            ),
                            Cell::number(Some(p.score), |v| format!("{v:.2}")),
                            Cell::text(format!("{} / {}", p.commitment.out_now, p.commitment.in_now)),
                            Cell::text(p.commitment.out_ever.max(p.commitment.in_ever).to_string()),
                            Cell::number(Some(p.depth.index), |v| format!("{v:.2}")),
                            Cell::markup(
                                html! { @for (i, t) in ties.iter().enumerate() { @if i > 0 { ", " } (agreement_link(&t.agreement_id, &t.label)) " " (t.years) } },
                                ties.iter().map(|t| format!("{} {}", t.label, t.years)).collect::<Vec<_>>().join(", "),
                            ),
                        ]
                    }).collect(),
                    stack: true,
                }))
                @if !c.partners.others.is_empty() {
                    p.note { (c.partners.others.len()) " more states share only conventions, restraint treaties or forums with it: "
                        a href=(format!("/countries/{abb}?partners=all")) { "count them too" } "." }
                }
                @for m in &c.partners.without { (missing(m)) }
            }
            section aria-labelledby="position" {
                h2 #position { "Network position" }
                @match &a.network {
                    Err(m) => { (missing(m)) }
                    Ok(n) => {
                        p.note { (n.basis) }
                        @match &n.reference {
                            Some(y) => { p { "In " (y.year) ": " (y.degree) " allies, eigenvector centrality " (format!("{:.3}", y.eigenvector)) " (rank " (y.eigenvector_rank) " of " (y.states) "), betweenness " (format!("{:.3}", y.betweenness)) ". "
                                a href=(format!("/network?year={}", y.year.min(app.cache.research(store)?.last_year))) { "See the network" } } }
                            None => { p { "Not a member of the state system in " (year) "." } }
                        }
                        @if !n.bloc.is_empty() {
                            p { "Bloc with: " @for (i, b) in n.bloc.iter().take(30).enumerate() { @if i > 0 { ", " } (state_link(&index, *b)) }
                                @if n.bloc.len() > 30 { " and " (n.bloc.len() - 30) " more" } }
                        }
                    }
                }
            }
            section aria-labelledby="exercises" {
                h2 #exercises { "Exercises" }
                @match &c.exercises.mme {
                    Ok(m) => { p { (m.total) " multinational exercises in " (m.coverage.0) "–" (m.coverage.1) " (MME)"
                        @if let Some(top) = m.by_partner.first() { ", most often with " (state_link(&index, top.partner)) " (" (top.count) ")" } "." } }
                    Err(m) => { (missing(m)) }
                }
                @if c.exercises.series.is_empty() { p { "No exercise series in the registry." } }
                ul {
                    @for e in &c.exercises.series {
                        li { strong { (e.name) } " with " (e.participants.iter().filter(|&&p| p != ccode).map(|&p| index.label(p)).collect::<Vec<_>>().join(", "))
                            " (" (joined(&e.domains)) "): " (pactbase_model::years::year_runs(&e.years)) }
                    }
                }
            }
            section aria-labelledby="arms" {
                h2 #arms { "Arms transfers and technology" }
                (arms_part(&a.arms, &abb, &index))
            }
            section aria-labelledby="impact" {
                h2 #impact { "What entering its alliances changed" }
                (impact_part(&a.impact))
            }
            section aria-labelledby="recommendations" {
                h2 #recommendations { "Recommended partners" }
                (recommendations_part(&a.recommendations, &index, &abb, year))
            }
            section aria-labelledby="challenges" {
                h2 #challenges { "Challenges of its commitments" }
                (challenges_part(&a.challenges, &index))
            }
        };
        Ok((c.state.name.clone(), body))
    })
    .await
}

/// What its partnerships delivered: deliveries by main supplier, the suppliers per period
/// with the agreements in force with them, and whether arms followed the agreements.
fn arms_part(arms: &Part<Arms>, abb: &str, index: &StateIndex) -> Markup {
    let a = match arms {
        Ok(a) => a,
        Err(m) => return missing(m),
    };
    let p = &a.profile;
    html! {
        p { "Deliveries of major arms in " (p.coverage.0) "–" (p.coverage.1) ", SIPRI trend-indicator values (TIV, millions): the military capability transferred, not the price paid (" a href="/methods#arms" { "methods" } "). "
            a href=(format!("/api/v1/countries/{abb}/arms")) { "The profile as JSON" } " · the same in " code { "pactbase arms " (abb) } }
        (figure("arms", &arms::figure(index, p.ccode, Side::Imports, Some(p.coverage), &p.main_suppliers), "Year", html! {
            "Imports by main supplier per year (SIPRI TIV, millions); the smaller suppliers together. Former names are joined (“Soviet Union / Russia”)." }))
        (data_table(DataTable {
            id: "arms-periods",
            caption: html! { "Suppliers by five-year period: concentration (Herfindahl–Hirschman index, 0–1) and agreements in force with each" },
            headers: ["Period", "TIV", "Concentration", "Main suppliers (share; agreements in force)"].map(String::from).to_vec(),
            rows: p.periods.iter().filter(|x| x.tiv > 0.0).map(|x| {
                let suppliers: Vec<String> = x.partners.iter().take(3).map(|s| {
                    let share = s.share.map(|v| format!(" {}", pactbase_analysis::arms::percent(v))).unwrap_or_default();
                    let agreements: Vec<&str> = s.agreements.iter().map(|a| a.label.as_str()).collect();
                    let under = if agreements.is_empty() { String::new() } else { format!(" ({})", agreements.join(", ")) };
                    format!("{}{share}{under}", s.names.join(" / "))
                }).collect();
                vec![
                    Cell::text(YearSpan::closed(x.first_year, x.last_year).to_string()),
                    Cell::number(Some(x.tiv), |v| format!("{v:.0}")),
                    Cell::number(x.hhi, |v| format!("{v:.2}")),
                    Cell::text(suppliers.join("; ")),
                ]
            }).collect(),
            stack: true,
        }))
        h3 { "Did arms follow the agreements?" }
        p { (a.headline) }
    }
}

/// Event studies of the state's entries into its main alliances, with their design.
fn impact_part(impact: &Part<Impact>) -> Markup {
    let found = match impact {
        Ok(found) => found,
        Err(m) => return missing(m),
    };
    html! {
        p { "Each entry is an event study of log military expenditure (SIPRI's constant dollars where they cover the entry, else COW NMC's current dollars): the state's change while bound by the agreement against never-treated states over the same years, Callaway & Sant'Anna with 95% intervals, a joint test of the years before entry, placebos and a synthetic control (" a href="/methods#impact" { "methods" } "). One treated state makes these estimates noisy; read the interval and the placebos, not the point." }
        @for s in &found.studies {
            h3 { (agreement_link(&s.agreement_id, &s.agreement)) " (" (s.entry_year) ")" }
            p { (s.headline) }
            @if !s.warnings.is_empty() { ul.note { @for w in &s.warnings { li { (w) } } } }
            p.note { "Outcome: " (s.outcome) ". " (s.sample.join(" ")) }
            (figure(&format!("impact-{}", s.agreement_id), &impact::event_study_figure(s.chart_title.clone(), &s.result), "Relative year", html! {
                "The estimate per relative year with its 95% confidence interval (the band); year 0 is the year of entry." }))
        }
        @if found.studies.is_empty() { p { "No entry could be studied." } }
        @for note in &found.skipped { p.note { (note) } }
    }
}

fn recommendations_part(r: &Part<Recommendations>, index: &StateIndex, abb: &str, year: i32) -> Markup {
    match r {
        Err(m) => missing(m),
        Ok(found) => html! {
            p { "Likeliest new allies within " (found.horizon) " years as of " (found.as_of) ": a logistic model fitted on the alliances formed " (found.learnt_from.0) "–" (found.learnt_from.1) " (" a href="/methods#recommendations" { "methods" } "). Strategic rivals and states either side does not recognise are left out. "
                a href=(format!("/api/v1/countries/{abb}/recommendations?year={}", found.as_of)) { "Every feature's contribution, as JSON" } }
            @if found.as_of != year { p.note { "The model's alliance data end in " (found.as_of) "." } }
            @if !found.datasets_missing.is_empty() { (missing_note(&format!("Without {}: `pactbase data fetch {}` brings the features they feed.", found.datasets_missing.join(" and "), found.datasets_missing.join(" ")))) }
            ol { @for r in &found.partners { li { (state_link(index, r.partner)) " — " (format!("{:.1}%", r.score * 100.0))
                @if !r.reasons.is_empty() { ": " (r.reasons.join("; ")) } } } }
            @if !found.left_out.is_empty() {
                p.note { "Left out: " (found.left_out.iter().map(|l| format!("{} ({})", l.name, l.why.join("; "))).collect::<Vec<_>>().join(", ")) "." }
            }
        },
    }
}

/// A list of findings, or "none" with what was examined.
fn found<T>(title: &str, f: &Found<T>, item: impl Fn(&T) -> Markup) -> Markup {
    html! {
        h3 { (title) }
        @if f.items.is_empty() { p { "None found in " (f.examined) "." } }
        @else { ul { @for x in &f.items { li { (item(x)) } } } p.note { "Examined: " (f.examined) "." } }
    }
}

fn names(index: &StateIndex, list: &[Ccode]) -> String {
    list.iter().map(|&c| index.name(c)).collect::<Vec<_>>().join(", ")
}

fn challenges_part(c: &Challenges, index: &StateIndex) -> Markup {
    let lacking = |title: &str, m: &Missing| html! { h3 { (title) } (missing(m)) };
    html! {
        p.note { (c.basis) }
        (found("Commitments called on", &c.invocations, |i| html! {
            strong { (i.date) " " (i.agreement.label) } ": " (index.name(i.by)) " called on it"
            @if !i.against.is_empty() { " against " (names(index, &i.against)) } " — " strong { (i.outcome.as_str()) } ". " (i.note)
        }))
        (found("Reservations and understandings", &c.reservations, |r| html! {
            strong { (r.agreement.label) } ": " (index.name(r.by)) " (" (r.effect.as_str()) ") — " (r.text)
        }))
        (found("Suspensions and sanctions", &c.episodes, |e| html! {
            strong { (e.from) "–" (e.to.map(|t| t.to_string()).unwrap_or_default()) " " (e.agreement.label) } ": " (index.name(e.by))
            " toward " (if e.toward.is_empty() { "every fellow party".to_string() } else { names(index, &e.toward) }) " (" (e.scope.as_str()) "). " (e.note.as_deref().unwrap_or(""))
        }))
        @match &c.conflicts {
            Err(m) => (lacking("Commitment conflicts", m)),
            Ok(k) => (found("Commitment conflicts", k, |k| html! {
                (index.name(k.holder)) " owed defense to both " (index.name(k.a)) " (" (labels(&k.toward_a)) ") and " (index.name(k.b)) " (" (labels(&k.toward_b)) ") while they were rivals (" (k.rivalry) "), "
                (k.spans.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))
            })),
        }
        @match &c.rival_pledges {
            Err(m) => (lacking("Obligations toward both sides of a rivalry", m)),
            Ok(p) => (found("Obligations toward both sides of a rivalry", p, |p| html! {
                (index.name(p.a)) " (" (p.strongest_a.map_or("partnership", |o| o.as_str())) ": " (labels(&p.toward_a)) ") and "
                (index.name(p.b)) " (" (p.strongest_b.map_or("partnership", |o| o.as_str())) ": " (labels(&p.toward_b)) "), rivals (" (p.rivalry) "), "
                (p.spans.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))
            })),
        }
        h3 { "Sovereignty costs" }
        @let costly: Vec<_> = c.sovereignty.items.iter().filter(|x| x.has_cost()).collect();
        @if costly.is_empty() { p { "No established sovereignty cost in " (c.sovereignty.examined) "." } }
        ul { @for x in costly {
            @let established: Vec<String> = x.components().iter()
                .filter_map(|(name, comp)| comp.as_ref().filter(|c| c.value > 0.0).map(|c| format!("{name} {:.2} — {}", c.value, c.basis)))
                .collect();
            li { (agreement_link(&x.agreement_id, &x.agreement)) " (index " (format!("{:.2}", x.index.unwrap_or(0.0))) "): "
                (established.join("; "))
                @if !x.not_coded().is_empty() { "; not coded: " (x.not_coded().join(", ")) } } } }
        @let free: Vec<&str> = c.sovereignty.items.iter().filter(|x| x.index.is_some() && !x.has_cost()).map(|x| x.agreement.as_str()).collect();
        @if !free.is_empty() { p.note { "Coded, with no cost: " (free.join(", ")) "." } }
        @let uncoded: Vec<&str> = c.sovereignty.items.iter().filter(|x| x.index.is_none()).map(|x| x.agreement.as_str()).collect();
        @if !uncoded.is_empty() { p.note { "Not coded, so unknown rather than free: " (uncoded.join(", ")) "." } }
        (found("Overlapping commitments", &c.overlaps, |o| html! {
            (state_link(index, o.partner)) ": " (labels(&o.agreements)) ", " (o.spans.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "))
        }))
        (found("Interoperability", &c.interoperability, |x| html! {
            (state_link(index, x.partner)) ": "
            @if !x.commands_apart.is_empty() { "in integrated commands it is not in (" (labels(&x.commands_apart)) "); " }
            @if !x.commands_without_partner.is_empty() { "outside its integrated commands (" (labels(&x.commands_without_partner)) "); " }
            @if x.joint_exercises == 0 { "no joint exercise recorded" } @else { (x.joint_exercises) " joint exercises" }
        }))
    }
}
