//! Who the state is, and what binds it at the end of the reference year.

use maud::{html, Markup};
use pactbase_analysis::assessment::brief;
use pactbase_analysis::assessment::overview::DefensePartner;
use pactbase_analysis::assessment::timeline::standing_words;
use pactbase_model::StateIndex;

use crate::parts::{note, state_name, states, table, tags};
use crate::Report;

fn spells(r: &Report) -> String {
    let list: Vec<String> =
        r.a.core
            .state
            .spells
            .iter()
            .map(|s| format!("{}–{}", s.start, s.end.map_or_else(|| "present".into(), |e| e.to_string())))
            .collect();
    if list.is_empty() {
        "—".into()
    } else {
        list.join(", ")
    }
}

/// Defense partners with each commitment, its years and where it stands.
fn defense_table(index: &StateIndex, caption: &str, list: &[DefensePartner]) -> Markup {
    let rows = list
        .iter()
        .map(|p| {
            vec![
                state_name(index, p.ccode),
                html! { @for (i, c) in p.commitments.iter().enumerate() { @if i > 0 { br; } (c.label) } },
                html! { @for (i, c) in p.commitments.iter().enumerate() { @if i > 0 { br; } (c.years) } },
                html! { @for (i, c) in p.commitments.iter().enumerate() { @if i > 0 { br; } (standing_words(c.standing, c.known_until)) } },
                html! { @for (i, c) in p.commitments.iter().enumerate() { @if i > 0 { br; }
                    (match (c.owes, c.owed) { (true, true) => "each owes the other", (true, false) => "it owes", (false, true) => "owed to it", _ => "—" }) } },
            ]
        })
        .collect();
    table(caption, &["Partner", "Agreement", "Years", "Standing", "Defense"], rows, "wide")
}

pub fn render(r: &Report) -> Markup {
    let c = &r.a.core;
    let o = &c.overview;
    let year = c.reference_year;
    let current: Vec<_> = c.timeline.memberships.iter().filter(|m| m.stands()).collect();
    html! {
        div.cards {
            p.card { span.big { (o.agreements) } "agreements joined" }
            p.card { span.big { (o.in_force) } "in force at the end of " (year) }
            p.card { span.big { (o.defense_partners.len()) } "defense partners in " (year) }
            p.card { span.big { (o.partners_now) } "partners in " (year) " (" (o.partners_ever) " ever)" }
        }
        dl.facts {
            div { dt { "State" } dd { (c.state.name) } }
            div { dt { "COW code" } dd { (c.state.ccode) } }
            div { dt { "Abbreviation" } dd { (c.state.abb) } }
            div { dt { "ISO 3166" } dd { (c.state.iso3.as_deref().unwrap_or("—")) } }
            div { dt { "In the state system" } dd { (spells(r)) } }
        }
        h3 { "In brief" }
        div.summary { @for s in brief::sentences(r.a, r.index) { p { (s) } } }
        h3 { "Defense partners in " (year) }
        @if o.defense_partners.is_empty() {
            p { "No defense or offense obligation binds it, or binds a partner to it, at the end of " (year) "." }
        } @else {
            (defense_table(r.index, &format!("Bound by a defense obligation at the end of {year}"), &o.defense_partners))
        }
        @if !o.former_defense_partners.is_empty() {
            (defense_table(r.index, &format!("Bound by defense before {year}, not at its end"), &o.former_defense_partners))
        }
        h3 { "Agreements that stand at the end of " (year) }
        @if current.is_empty() {
            (note("No agreement in the registry binds it at the end of the reference year."))
        } @else {
            (table(
                &format!("Agreements in force, or signed and not yet in force, at the end of {year}"),
                &["Agreement", "Kinds", "Since", "Standing", "It owes", "Owed to it", "Parties with it"],
                current.iter().map(|m| vec![
                    html! { (m.label) " " span.sub { (m.agreement) } },
                    tags(&m.kinds, "kind"),
                    html! { span.date { (m.joined) } },
                    html! { (standing_words(m.standing, m.known_until)) },
                    tags(&m.obligations_now, "ob"),
                    tags(&m.owed_now, "ob"),
                    states(r.index, &m.partners().filter(|f| f.stands).map(|f| f.ccode).collect::<Vec<_>>(), 6),
                ]).collect(),
                "wide",
            ))
        }
    }
}
