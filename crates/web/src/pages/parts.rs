//! Pieces several pages share.

use maud::{html, Markup};
use pactbase_analysis::assessment::CountryCore;
use pactbase_model::{
    Agreement, AgreementKind, Ccode, Obligation, Parties, PartyCoverage, Standing, StateIndex, Target, Vocabulary,
    YearSpan,
};
use pactbase_store::{AuditEntry, EditError, Store, User};

use crate::error::ApiError;
use crate::AppState;

use super::figures::drawing_downloads;
use super::tables::{data_table, Cell, DataTable};

pub(super) fn state_link(index: &StateIndex, ccode: Ccode) -> Markup {
    match index.get(ccode) {
        Some(s) => html! { a href=(format!("/countries/{}", s.abb)) title=(s.name) { (s.name) } },
        None => html! { (ccode) },
    }
}

pub(super) fn agreement_link(id: &str, label: &str) -> Markup {
    html! { a href=(format!("/agreements/{id}")) { (label) } }
}

pub(super) fn search_form(value: &str) -> Markup {
    html! {
        form.search role="search" action="/search" method="get" {
            label for="q" { "Search agreements" }
            input #q type="search" name="q" value=(value) placeholder="e.g. ANZUS, mutual defence, Baghdad";
            button type="submit" { "Search" }
        }
    }
}

/// `[match]` markers of a search snippet as `<mark>`.
pub(super) fn snippet(text: &str) -> Markup {
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

/// The `n` closest partners (`Partners::closest`, as the summary names them), each with
/// the agreements that tie them and their years ("United States: SEATO 1954–1972, 1959
/// Bilateral Agreement 1959–"), a former rivalry said so.
pub(super) fn partner_list(c: &CountryCore, index: &StateIndex, n: usize) -> Markup {
    html! {
        ol.partners {
            @for p in c.partners.closest().take(n) {
                li { (state_link(index, p.ccode))
                    @if let Some(r) = &p.rival { " (former strategic rival " (r.years) ")" }
                    " — "
                    @for (i, t) in p.counted_ties().enumerate() {
                        @if i > 0 { ", " }
                        (agreement_link(&t.agreement_id, &t.label)) " " (t.years)
                        @if t.standing == Standing::NotYetInForce { " signed, not yet in force" }
                        @let strongest = t.out.iter().chain(&t.back).max_by_key(|o| o.tie_value());
                        @if let Some(o) = strongest { " (" (o.as_str()) ")" }
                    }
                }
            }
        }
    }
}

/// One bar of a timeline: a membership or an agreement, linked, with its years and,
/// while it runs on, where it stands ("in force", "signed, not yet in force"); coloured
/// by its kind when given.
pub(super) struct Bar {
    pub label: String,
    pub href: String,
    pub years: YearSpan,
    pub open: String,
    pub kind: Option<AgreementKind>,
}

/// Colours of the kinds (Okabe–Ito, in the taxonomy's order).
fn kind_colour(kind: AgreementKind) -> &'static str {
    const COLOURS: [&str; 8] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F", "#332288"];
    let at = AgreementKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    COLOURS[at % COLOURS.len()]
}

/// A timeline whose bars are coloured by kind, with a legend of the kinds it shows.
pub(super) fn kind_timeline(bars: &[Bar], until: i32) -> Markup {
    let mut kinds: Vec<AgreementKind> = bars.iter().filter_map(|b| b.kind).collect();
    kinds.sort();
    kinds.dedup();
    html! {
        ul.legend aria-label="Kinds" {
            @for k in &kinds {
                li { svg.swatch width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" { rect width="12" height="12" fill=(kind_colour(*k)) {} }
                     " " (k.as_str().replace('-', " ")) }
            }
        }
        (timeline(bars, until))
    }
}

/// A bar per row, each a link; the figure is a `group`, not an `img`, because an image
/// may not hold links. Drawn wide (labels beside the bars) and narrow (labels above them,
/// for phones, where a wide drawing's text would shrink below readability); downloads as
/// SVG, PNG and CSV, and its bars as a table.
pub(super) fn timeline(rows: &[Bar], until: i32) -> Markup {
    if rows.is_empty() {
        return html! {};
    }
    let first = rows.iter().map(|r| r.years.from).min().unwrap_or(until).min(until);
    let wide = bars_svg(rows, first, until, false);
    html! {
        figure.timeline.responsive #figure-timeline {
            div.wide { (wide) }
            div.narrow { (bars_svg(rows, first, until, true)) }
            figcaption { (drawing_downloads("timeline", &wide, "timeline")) }
            details.chart-table {
                summary { "Table" }
                (data_table(DataTable {
                    id: "timeline",
                    caption: html! { "The timeline's bars" },
                    headers: ["Bar", "From", "To", "Kind"].map(String::from).to_vec(),
                    rows: rows.iter().map(|b| vec![
                        Cell::markup(html! { a href=(b.href) { (b.label) } }, b.label.clone()),
                        Cell::text(b.years.from.to_string()),
                        Cell::text(b.years.to.map_or_else(|| b.open.clone(), |to| to.to_string())),
                        Cell::text(b.kind.map(|k| k.as_str()).unwrap_or_default()),
                    ]).collect(),
                    stack: false,
                }))
            }
        }
    }
}

fn bars_svg(rows: &[Bar], first: i32, until: i32, narrow: bool) -> Markup {
    let span = f64::from((until - first).max(1));
    // Wide: labels in a 190-unit column, 560 units of bars. Narrow: 360 units, a label row
    // above each bar.
    let (left, width, row_h, label_chars) = if narrow { (10.0, 340.0, 34.0, 48) } else { (190.0, 560.0, 18.0, 30) };
    let height = row_h * rows.len() as f64 + 30.0;
    let x = |y: i32| left + width * f64::from(y - first) / span;
    let id = if narrow { "tl-title-n" } else { "tl-title-w" };
    let font = if narrow { "12" } else { "11" };
    html! {
        svg viewBox=(format!("0 0 {} {height}", left + width + if narrow { 10.0 } else { 20.0 })) role="group" aria-labelledby=(id) {
            title #(id) { "Timeline, " (first) "–" (until) ": one bar per membership or agreement" }
            @for (i, bar) in rows.iter().enumerate() {
                @let y = row_h * i as f64 + 4.0;
                @let (label_y, bar_y) = if narrow { (y + 12.0, y + 17.0) } else { (y + 11.0, y) };
                @let from = bar.years.from;
                @let end = bar.years.to.unwrap_or(until).min(until);
                a href=(bar.href) {
                    text x=(if narrow { left } else { 4.0 }) y=(label_y) font-size=(font) { (truncate(&bar.label, label_chars)) }
                    rect x=(x(from)) y=(bar_y) width=((x(end) - x(from)).max(3.0)) height="12" rx="2" fill=(bar.kind.map_or("#0072B2", kind_colour)) {
                        title { (bar.label) ": " (bar.years) @if bar.years.to.is_none() { " (" (bar.open) ")" }
                            @if let Some(k) = bar.kind { " (" (k.as_str()) ")" } }
                    }
                }
            }
            @for tick in timeline_ticks(first, until) {
                text x=(x(tick)) y=(height - 6.0) font-size=(font) text-anchor="middle" { (tick) }
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

fn parties_text(index: &StateIndex, p: &Parties) -> String {
    match p {
        Parties::All => "all members".into(),
        Parties::States(list) => list.iter().map(|&c| index.name(c)).collect::<Vec<_>>().join(", "),
    }
}

fn target_text(index: &StateIndex, t: &Target) -> String {
    match t {
        Target::All => "all fellow members".into(),
        Target::ThirdParty => "a third party".into(),
        Target::States(list) => list.iter().map(|&c| index.name(c)).collect::<Vec<_>>().join(", "),
    }
}

/// One obligation in words: "defense: all members toward all fellow members (conditional) — Art. IV".
pub(super) fn obligation_text(index: &StateIndex, o: &Obligation) -> String {
    let mut text =
        format!("{}: {} toward {}", o.kind.as_str(), parties_text(index, &o.from), target_text(index, &o.toward));
    if o.conditional {
        text.push_str(" (conditional)");
    }
    if let Some(article) = &o.article {
        text.push_str(" — ");
        text.push_str(article);
    }
    text
}

/// An editor's change sent from a form by `user` (`sign_in::form_user`): `build` makes
/// the agreement (checked as the API checks it) and `write` stores it with its audit
/// record under the user's name. A refusal is the API's answer, for the form to show
/// ([`refusal`]).
pub(super) fn store_as_editor(
    store: &mut Store,
    app: &AppState,
    user: &User,
    build: impl FnOnce(&StateIndex) -> Result<Agreement, ApiError>,
    write: impl FnOnce(&mut Store, &Agreement, &str) -> Result<AuditEntry, EditError>,
) -> Result<Agreement, ApiError> {
    let agreement = build(&*app.cache.index(store)?)?;
    write(store, &agreement, &user.name)?;
    Ok(agreement)
}

/// Why a form was refused: the fields to fix, else the reason.
pub(super) fn refusal(e: &ApiError) -> Markup {
    html! {
        @if e.fields.is_empty() {
            p.error role="alert" { (e.detail) }
        } @else {
            div.error role="alert" {
                p { "Nothing was stored. Fix these fields:" }
                ul { @for f in &e.fields { li { code { (f.field) } ": " (f.message) } } }
            }
        }
    }
}

/// The number of parties, saying when the file lists a selection or parties outside the
/// COW state system.
pub(super) fn party_count(a: &Agreement) -> String {
    let states = a.parties().len();
    let mut text = match a.non_state_parties.len() {
        0 => states.to_string(),
        others => format!("{} ({states} states, {others} other)", states + others),
    };
    if a.party_coverage == PartyCoverage::Selected {
        text.push_str(", a selection");
    }
    text
}
