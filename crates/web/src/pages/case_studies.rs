//! The case studies (NATO, ANZUS, Five Eyes): a story told from the data — membership
//! and its changes, burden sharing, exercises, intelligence sharing, cohesion — and what
//! the case means for one state (Pakistan unless another is chosen), side by side with its
//! own commitments. The numbers come from `pactbase_service::case_study`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use pactbase_analysis::case_study::{BurdenYear, Change, MembershipChange};
use pactbase_charts::{Event, Figure, LineChart, Series};
use pactbase_model::research::Dataset;
use pactbase_model::{Agreement, Ccode, StateIndex, SuspensionScope, YearSpan};
use pactbase_service::case_study::{case, CaseStudy, CASES};
use pactbase_service::listing::status_text;
use serde::Deserialize;

use crate::error::ApiError;
use crate::params::{given, resolve_state, Path, Q};
use crate::Shared;

use super::data::needs;
use super::figures::figure;
use super::glossary::{term, term_as};
use super::parts::{agreement_link, kind_timeline, state_link, Bar};
use super::tables::{data_table, Cell, DataTable};
use super::{page, PageResult, FEATURED};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/case-studies", get(case_studies)).route("/case-studies/{name}", get(case_study))
}

async fn case_studies(State(state): State<Shared>) -> PageResult {
    page(&state, |_, _| {
        let body = html! {
            h1 { "Case studies" }
            p { "Three partnerships told from the data, each read against Pakistan's own commitments (or any state's)." }
            ul.cards { @for c in &CASES { li { a href=(format!("/case-studies/{}", c.slug)) { strong { (c.title) } } p { (c.lead) } } } }
        };
        Ok(("Case studies".into(), body))
    })
    .await
}

#[derive(Deserialize)]
struct CaseParams {
    state: Option<String>,
}

fn names(index: &StateIndex, states: &[Ccode]) -> String {
    let names: Vec<String> = states.iter().map(|&c| index.name(c)).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn percent(v: f64) -> String {
    if v < 0.01 {
        format!("{:.1}%", v * 100.0)
    } else {
        format!("{:.0}%", v * 100.0)
    }
}

/// A year's changes in words, grouped: "Greece and Turkey join", "France leaves the
/// integrated command".
fn change_events(changes: &[MembershipChange], index: &StateIndex) -> Vec<Event> {
    let mut by_year: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    let mut joins: BTreeMap<i32, Vec<Ccode>> = BTreeMap::new();
    let mut leaves: BTreeMap<i32, Vec<Ccode>> = BTreeMap::new();
    for c in changes {
        let name = index.name(c.ccode);
        let toward = |t: &[Ccode]| if t.is_empty() { "every member".to_owned() } else { names(index, t) };
        let text = match &c.change {
            Change::Joined => {
                joins.entry(c.year).or_default().push(c.ccode);
                continue;
            }
            Change::Left => {
                leaves.entry(c.year).or_default().push(c.ccode);
                continue;
            }
            Change::Suspended { scope: SuspensionScope::Obligations, toward: t } => {
                format!("{name} suspends its obligations toward {}", toward(t))
            }
            Change::Suspended { scope: SuspensionScope::Membership, .. } => format!("{name}'s membership is suspended"),
            Change::Suspended { scope: SuspensionScope::IntegratedCommand, .. } => {
                format!("{name} leaves the integrated command")
            }
            Change::Resumed { scope: SuspensionScope::Obligations, toward: t } => {
                format!("{name} resumes its obligations toward {}", toward(t))
            }
            Change::Resumed { scope: SuspensionScope::Membership, .. } => format!("{name}'s membership resumes"),
            Change::Resumed { scope: SuspensionScope::IntegratedCommand, .. } => {
                format!("{name} returns to the integrated command")
            }
            Change::Suspended { scope: SuspensionScope::Assistance, toward: t } => {
                format!("{name} cuts off assistance to {}", toward(t))
            }
            Change::Resumed { scope: SuspensionScope::Assistance, toward: t } => {
                format!("{name} resumes assistance to {}", toward(t))
            }
        };
        by_year.entry(c.year).or_default().push(text);
    }
    let verb = |states: &[Ccode], one: &str, many: &str| {
        format!("{} {}", names(index, states), if states.len() == 1 { one } else { many })
    };
    for (year, states) in joins {
        by_year.entry(year).or_default().insert(0, verb(&states, "joins", "join"));
    }
    for (year, states) in leaves {
        by_year.entry(year).or_default().push(verb(&states, "leaves", "leave"));
    }
    by_year.into_iter().map(|(year, texts)| Event { x: f64::from(year), label: texts.join("; ") }).collect()
}

/// The members with the largest shares at any time (at most five), the rest together.
fn burden_figure(rows: &[BurdenYear], index: &StateIndex, label: &str) -> Figure {
    let mut peak: BTreeMap<Ccode, f64> = BTreeMap::new();
    for r in rows {
        for &(c, s) in &r.shares {
            let p = peak.entry(c).or_default();
            *p = p.max(s);
        }
    }
    let mut leading: Vec<(Ccode, f64)> = peak.into_iter().collect();
    leading.sort_by(|a, b| b.1.total_cmp(&a.1));
    let leading: Vec<Ccode> = leading.into_iter().take(5).map(|l| l.0).collect();
    let mut series: Vec<Series> = leading
        .iter()
        .map(|&c| Series {
            name: index.name(c),
            points: rows.iter().map(|r| (f64::from(r.year), r.share_of(c).map(|s| s * 100.0))).collect(),
        })
        .collect();
    if rows.iter().any(|r| r.shares.len() > leading.len()) {
        series.push(Series {
            name: "other members".into(),
            points: rows
                .iter()
                .map(|r| {
                    let rest: f64 = r.shares.iter().filter(|s| !leading.contains(&s.0)).map(|s| s.1).sum();
                    (f64::from(r.year), Some(rest * 100.0))
                })
                .collect(),
        });
    }
    Figure::lines(LineChart {
        title: format!("{label}: shares of members' military expenditure"),
        y_label: "% of members' total (SIPRI)".into(),
        y_from_zero: true,
        series,
    })
}

/// The story in a few sentences, each from the data.
fn narrative(s: &CaseStudy, index: &StateIndex, label: &str) -> Vec<String> {
    let mut out = Vec::new();
    let founders = s.members.first().map_or(0, |m| m.1);
    let now = s.members.last().copied().unwrap_or_default();
    let joined = s.changes.iter().filter(|c| c.change == Change::Joined).count();
    let left = s.changes.iter().filter(|c| c.change == Change::Left).count();
    let suspensions = s.changes.iter().filter(|c| matches!(c.change, Change::Suspended { .. })).count();
    out.push(format!(
        "{label} began in {} with {founders} members and has {} in {}: {joined} accession{}, {left} departure{} and {suspensions} suspension{} along the way.",
        s.agreement.signed.year,
        now.1,
        now.0,
        if joined == 1 { "" } else { "s" },
        if left == 1 { "" } else { "s" },
        if suspensions == 1 { "" } else { "s" },
    ));
    if let Some(last) = s.burden.as_ref().and_then(|b| b.last()) {
        if let (Some(&(top, share)), Some(median)) = (last.shares.first(), last.median_share()) {
            out.push(format!(
                "In {}, {} spent {} of what the members together spent on defense; the median member {}.",
                last.year,
                index.name(top),
                percent(share),
                percent(median)
            ));
        }
    }
    if let Some(ex) = &s.exercises {
        if let (Some(first), Some(last)) = (ex.first(), ex.last()) {
            let total: usize = ex.iter().map(|e| e.among_members).sum();
            out.push(format!(
                "From {} to {} members held {total} multinational exercises with at least two of them taking part.",
                first.year, last.year
            ));
        }
    }
    let known: Vec<(i32, f64)> = s.cohesion.iter().filter_map(|&(y, c)| c.map(|c| (y, c))).collect();
    if let (Some(&(year, last)), Some(&(low_year, low))) =
        (known.last(), known.iter().min_by(|a, b| a.1.total_cmp(&b.1)))
    {
        let lowest = if low < last { format!(" (lowest: {} in {low_year})", percent(low)) } else { String::new() };
        out.push(format!(
            "In {year}, {} of pairs of members owed each other defense both ways{lowest}.",
            percent(last)
        ));
    }
    out
}

fn provision(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not established by the sources",
    }
}

/// Agreements as links, and as "label (year)" in the CSV.
fn agreements_cell(list: &[Agreement]) -> Cell {
    let text: Vec<String> = list.iter().map(|a| format!("{} ({})", a.label(), a.signed.year)).collect();
    Cell::markup(agreement_list(list), text.join(", "))
}

fn agreement_list(list: &[Agreement]) -> Markup {
    html! { @for (i, a) in list.iter().enumerate() { @if i > 0 { ", " } (agreement_link(&a.id, a.label())) " (" (a.signed.year) ")" } }
}

/// The case and the state's own commitments, measure by measure.
fn comparison(s: &CaseStudy, index: &StateIndex, label: &str) -> Markup {
    let c = &s.comparison;
    let name = index.name(c.state);
    let with_command: Vec<Agreement> =
        c.in_force.iter().filter(|a| a.provisions.integrated_command == Some(true)).cloned().collect();
    let members_now = s.members.last().map_or(0, |m| m.1);
    let largest =
        |b: &BurdenYear| b.shares.first().map(|t| format!("{} {}", index.name(t.0), percent(t.1))).unwrap_or_default();
    let (case_exercises, state_exercises) = match &c.exercises {
        Some(e) => (
            format!(
                "{} exercises a year per member with fellow members, {}–{}",
                e.case.map_or("–".into(), |v| format!("{v:.1}")),
                e.years.0,
                e.years.1
            ),
            format!(
                "{} exercises a year with partners of its agreements then in force",
                e.state.map_or("–".into(), |v| format!("{v:.1}"))
            ),
        ),
        None => ("needs MME".into(), "needs MME".into()),
    };
    let (case_burden, state_burden) = match &c.burden {
        Some(b) => (
            format!(
                "{}: largest {}; median member {}",
                b.case.year,
                largest(&b.case),
                b.case.median_share().map(percent).unwrap_or_default()
            ),
            format!(
                "{}: {name} {} of what it and its partners spent; largest {}",
                b.state.year,
                b.state.share_of(c.state).map(percent).unwrap_or_default(),
                largest(&b.state)
            ),
        ),
        None => ("needs SIPRI's figures for both".into(), "needs SIPRI's figures for both".into()),
    };
    let rows = vec![
        vec![
            Cell::text(format!("Members or partners, {}", c.year)),
            Cell::text(format!("{members_now} members")),
            Cell::text(format!(
                "{} partners in {} cooperation agreements in force",
                c.partners.len(),
                c.in_force.len()
            )),
        ],
        vec![
            Cell::markup(term("integrated-command"), "integrated command"),
            Cell::text(provision(s.agreement.provisions.integrated_command)),
            if with_command.is_empty() {
                Cell::text("none of its agreements in force establishes one")
            } else {
                agreements_cell(&with_command)
            },
        ],
        vec![
            Cell::markup(term_as("intelligence-sharing", "intelligence sharing"), "intelligence sharing"),
            if s.intelligence.is_empty() {
                Cell::text("no arrangement among members in the registry")
            } else {
                agreements_cell(&s.intelligence)
            },
            if c.intelligence.is_empty() {
                Cell::text("no arrangement in the registry")
            } else {
                agreements_cell(&c.intelligence)
            },
        ],
        vec![
            Cell::markup(term("exercise-density"), "exercise density"),
            Cell::text(case_exercises),
            Cell::text(state_exercises),
        ],
        vec![Cell::markup(term("burden-share"), "burden sharing"), Cell::text(case_burden), Cell::text(state_burden)],
    ];
    html! {
        (data_table(DataTable {
            id: "comparison",
            caption: html! { (label) " and " (name) ", measured alike" },
            headers: vec!["Measure".into(), label.to_owned(), name.clone()],
            rows,
            stack: true,
        }))
        @for line in lessons(s, index, label) { p { (line) } }
    }
}

/// What the comparison says, in sentences drawn from the numbers.
fn lessons(s: &CaseStudy, index: &StateIndex, label: &str) -> Vec<String> {
    let c = &s.comparison;
    let name = index.name(c.state);
    let mut out = Vec::new();
    if s.agreement.provisions.integrated_command == Some(true)
        && !c.in_force.iter().any(|a| a.provisions.integrated_command == Some(true))
    {
        out.push(format!("{label} puts members' forces under one command; none of {name}'s agreements in force does, so its partnerships stop short of the interoperability and the sovereignty cost that brings."));
    }
    if let Some(e) = &c.exercises {
        if let (Some(case), Some(state)) = (e.case, e.state) {
            let ratio = if case > 0.0 { state / case } else { f64::NAN };
            if ratio.is_finite() {
                out.push(format!("{name} exercised with its partners {} as often as a {label} member did with fellow members ({}–{}).",
                    if ratio >= 1.0 { format!("{ratio:.1} times") } else { percent(ratio) }, e.years.0, e.years.1));
            }
        }
    }
    if let Some(b) = &c.burden {
        if let (Some(own), Some(median)) = (b.state.share_of(c.state), b.case.median_share()) {
            out.push(format!("In {}, {name} carried {} of its partnership's defense spending, against {} for the median {label} member.", b.state.year, percent(own), percent(median)));
        }
    }
    if c.intelligence.is_empty() && !s.intelligence.is_empty() {
        out.push(format!(
            "{label}'s members share intelligence under standing arrangements; the registry records none for {name}."
        ));
    }
    out
}

async fn case_study(State(state): State<Shared>, Path(name): Path<String>, Q(q): Q<CaseParams>) -> PageResult {
    let Some(case) = case(&name) else {
        return Err(ApiError::not_found(format!("no case study `{name}`: nato, anzus or five-eyes")).into());
    };
    page(&state, move |store, app| {
        let index = app.cache.index(store)?;
        let focus = resolve_state(&index, given(&q.state).unwrap_or(FEATURED))?;
        let s = app.cache.case_study(store, case, focus)?;
        let a = &s.agreement;
        let label = a.label().to_owned();
        let focus_name = index.name(focus);
        let events = change_events(&s.changes, &index);
        let members = Figure::lines(LineChart {
            title: format!("{label}: members per year"),
            y_label: "members".into(),
            y_from_zero: true,
            series: vec![Series { name: "members".into(), points: s.members.iter().map(|&(y, n)| (f64::from(y), Some(n as f64))).collect() }],
        })
        .with_events(events);
        let cohesion = Figure::lines(LineChart {
            title: format!("{label}: member pairs pledged to defend each other"),
            y_label: "% of member pairs, both ways".into(),
            y_from_zero: true,
            series: vec![Series { name: "mutual defense".into(), points: s.cohesion.iter().map(|&(y, v)| (f64::from(y), v.map(|v| v * 100.0))).collect() }],
        });
        let shared_bars: Vec<Bar> = s
            .shared
            .iter()
            .chain(&s.intelligence)
            .map(|a| Bar {
                label: a.label().to_owned(),
                href: format!("/agreements/{}", a.id),
                years: YearSpan::new(a.signed.year, a.ended.map(|e| e.year)),
                open: status_text(a.status),
                kind: a.kinds.first().copied(),
            })
            .collect();
        let body = html! {
            p.kicker { "Case study" }
            h1 { (case.title) }
            p.lead { (case.lead) }
            @for line in narrative(&s, &index, &label) { p { (line) } }
            p { "The agreement's parties, obligations and sources: " (agreement_link(&a.id, &a.name)) "." }
            nav.toc aria-label="On this page" {
                ul { li { a href="#members" { "Members" } } li { a href="#burden" { "Burden sharing" } } li { a href="#exercises" { "Exercises" } }
                     li { a href="#intelligence" { "Intelligence sharing" } } li { a href="#cohesion" { "Cohesion" } } li { a href="#meaning" { "What it means for " (focus_name) } } }
            }
            section aria-labelledby="members" {
                h2 #members { "Members, departures and suspensions" }
                (figure("members", &members, "Year", html! { "Members each year; the dashed lines mark accessions, departures and " (term("suspension")) "s." }))
                p { "Members today: " @for (i, c) in a.members.iter().filter(|m| m.left.is_none()).map(|m| m.ccode).enumerate() { @if i > 0 { ", " } (state_link(&index, c)) } "." }
            }
            section aria-labelledby="burden" {
                h2 #burden { "Burden sharing" }
                @match &s.burden {
                    Some(rows) if !rows.is_empty() => {
                        (figure("burden", &burden_figure(rows, &index, &label), "Year", html! {
                            (term("burden-share")) ": each member's share of what the members together spent (SIPRI, constant 2017 US$), among members with a figure that year; states count only while members." }))
                    }
                    Some(_) => { p { "SIPRI has no figures for the members in these years." } }
                    None => { (needs("Burden sharing", Dataset::SipriMilex)) }
                }
            }
            section aria-labelledby="exercises" {
                h2 #exercises { "Exercises among members" }
                @match &s.exercises {
                    Some(rows) if !rows.is_empty() => {
                        (figure("exercises", &Figure::lines(LineChart {
                            title: format!("{label}: multinational exercises among members"),
                            y_label: "exercises".into(),
                            y_from_zero: true,
                            series: vec![
                                Series { name: "with two members or more".into(), points: rows.iter().map(|r| (f64::from(r.year), Some(r.among_members as f64))).collect() },
                                Series { name: "per member, with fellow members".into(), points: rows.iter().map(|r| (f64::from(r.year), Some(r.per_member))).collect() },
                            ],
                        }), "Year", html! { "From " (term("mme")) "; " (term("exercise-density")) " is the second line." }))
                    }
                    Some(_) => { p { "MME records no exercise in the years the agreement was in force." } }
                    None => { (needs("Exercise counts", Dataset::Mme)) }
                }
            }
            section aria-labelledby="intelligence" {
                h2 #intelligence { "Intelligence sharing and other agreements among members" }
                @if s.intelligence.is_empty() { p { "The registry records no " (term_as("intelligence-sharing", "intelligence-sharing")) " arrangement among two or more members." } }
                @else { p { "Intelligence-sharing arrangements among two or more members: " (agreement_list(&s.intelligence)) "." } }
                @if !shared_bars.is_empty() {
                    p { "The registry's cooperation agreements among two or more members, by kind:" }
                    (kind_timeline(&shared_bars, pactbase_service::REGISTRY_LAST_YEAR))
                }
            }
            section aria-labelledby="cohesion" {
                h2 #cohesion { "Cohesion over time" }
                (figure("cohesion", &cohesion, "Year", html! { (term("cohesion")) ": the share of pairs of members that owe each other " (term("defense")) " both ways, from every alliance they share (" (term_as("ties-source", "ties")) " of the network)." }))
            }
            section aria-labelledby="meaning" {
                h2 #meaning { "What it means for " (focus_name) }
                form.inline action=(format!("/case-studies/{}", case.slug)) method="get" {
                    label for="state" { "Compare with" }
                    input #state name="state" value=(index.label(focus)) placeholder="PAK, India";
                    button type="submit" { "Compare" }
                }
                (comparison(&s, &index, &label))
            }
        };
        Ok((case.title.to_owned(), body))
    })
    .await
}
