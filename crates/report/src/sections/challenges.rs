//! Where the state's commitments strain, each finding with its evidence and source, and
//! what was examined where nothing was found.

use maud::{html, Markup};
use pactbase_analysis::challenges::{AgreementRef, Citation, Found};
use pactbase_model::{Ccode, SuspensionScope, Vocabulary, YearSpan};

use crate::parts::{fixed, state_name, states, table};
use crate::{missing, Report};

fn cited(c: &Option<Citation>) -> Markup {
    html! {
        @if let Some(c) = c {
            span.sub { (c.title) ", " (c.publisher) @if let Some(r) = &c.reference { ", " (r) } }
        }
    }
}

fn labels(list: &[AgreementRef]) -> String {
    list.iter().map(|a| a.label.as_str()).collect::<Vec<_>>().join(", ")
}

fn years(list: &[YearSpan]) -> String {
    list.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
}

/// "None found" with what was examined, or the findings.
fn found<T>(f: &Found<T>, what: &str, body: impl FnOnce(&[T]) -> Markup) -> Markup {
    html! {
        @if f.items.is_empty() { p { "None " (what) " in " (f.examined) "." } } @else { (body(&f.items)) p.note { "Examined: " (f.examined) "." } }
    }
}

/// The strongest obligation toward one side, or a partnership without one.
fn pledge(o: Option<pactbase_model::ObligationType>) -> &'static str {
    o.map_or("partnership without obligation", |o| o.as_str())
}

fn scope(s: SuspensionScope) -> &'static str {
    match s {
        SuspensionScope::Membership => "membership suspended",
        SuspensionScope::Obligations => "obligations suspended",
        SuspensionScope::IntegratedCommand => "left the integrated command",
        SuspensionScope::Assistance => "aid or arms cut off",
    }
}

fn toward(r: &Report, list: &[Ccode]) -> Markup {
    html! { @if list.is_empty() { "every fellow party" } @else { (states(r.index, list, 6)) } }
}

pub fn render(r: &Report) -> Markup {
    let c = &r.a.challenges;
    let index = r.index;
    html! {
        p { (c.basis) }
        h3 { "Commitments called on" }
        p.note { "Each time a party called on a commitment it shares, and what came of it. Declined, limited or disputed calls are commitments that did not deliver what their words promise." }
        (found(&c.invocations, "recorded", |items| table(
            "Calls on its commitments, oldest first",
            &["Date", "Agreement", "Called by, against", "Commitment", "Outcome", "What happened"],
            items.iter().map(|i| vec![
                html! { span.date { (i.date) } },
                html! { (i.agreement.label) },
                html! { (index.name(i.by)) @if !i.against.is_empty() { " against " (states(index, &i.against, 4)) } },
                html! { (i.obligation.as_str()) @if let Some(a) = &i.article { " " span.sub { (a) } } },
                html! { @if i.failed { strong.cost { (i.outcome.as_str()) } } @else { (i.outcome.as_str()) } },
                html! { (i.note) br; (cited(&i.source)) },
            ]).collect(),
            "wide",
        )))
        h3 { "Reservations and understandings" }
        (found(&c.reservations, "recorded", |items| table(
            "What parties excluded from or limited in their commitments",
            &["Agreement", "By", "Article", "Effect", "Text"],
            items.iter().map(|x| vec![
                html! { (x.agreement.label) },
                state_name(index, x.by),
                html! { (x.article.as_deref().unwrap_or("—")) },
                html! { (x.effect.as_str()) },
                html! { (x.text) br; (cited(&x.source)) },
            ]).collect(),
            "wide",
        )))
        h3 { "Suspensions and sanctions" }
        (found(&c.episodes, "recorded", |items| table(
            "Suspensions, aid cut-offs and embargoes on its agreements",
            &["Years", "Agreement", "By, toward", "What", "Note"],
            items.iter().map(|e| vec![
                html! { span.date { (e.from) "–" (e.to.map(|t| t.to_string()).unwrap_or_default()) } },
                html! { (e.agreement.label) },
                html! { (index.name(e.by)) " toward " (toward(r, &e.toward)) },
                html! { (scope(e.scope)) },
                html! { (e.note.as_deref().unwrap_or("")) br; (cited(&e.source)) },
            ]).collect(),
            "wide",
        )))
        h3 { "Commitment conflicts" }
        p.note { "Obligations to defend both sides of a strategic rivalry, held by this state or by a partner pledged to both it and its rival." }
        @match &c.conflicts {
            Err(m) => (missing(m)),
            Ok(k) => (found(k, "found", |items| table(
                "Defense owed to both rivals",
                &["Holder", "Rivals", "Rivalry", "Years", "Toward the first", "Toward the second"],
                items.iter().map(|x| vec![
                    state_name(index, x.holder),
                    html! { (index.label(x.a)) " ↔ " (index.label(x.b)) },
                    html! { (x.rivalry) },
                    html! { (years(&x.spans)) },
                    html! { (labels(&x.toward_a)) },
                    html! { (labels(&x.toward_b)) },
                ]).collect(),
                "wide",
            ))),
        }
        h3 { "Obligations toward both sides of a rivalry" }
        p.note { "Commitments toward both sides of a rivalry short of defending both: a counted partnership, or an obligation of consultation or more, toward each while they are rivals." }
        @match &c.rival_pledges {
            Err(m) => (missing(m)),
            Ok(k) => (found(k, "found", |items| table(
                "Pledged to both sides of a rivalry",
                &["Rivals", "Rivalry", "Years", "Toward the first", "Toward the second"],
                items.iter().map(|x| vec![
                    html! { (index.name(x.a)) " ↔ " (index.name(x.b)) },
                    html! { (x.rivalry) },
                    html! { (years(&x.spans)) },
                    html! { (pledge(x.strongest_a)) ": " (labels(&x.toward_a)) },
                    html! { (pledge(x.strongest_b)) ": " (labels(&x.toward_b)) },
                ]).collect(),
                "wide",
            ))),
        }
        h3 { "Sovereignty costs" }
        (sovereignty(r))
        h3 { "Overlapping commitments" }
        p.note { "Several agreements with the same partner in force at once: reinforcing, or redundant." }
        (found(&c.overlaps, "found", |items| table(
            "Partners bound by several agreements at once",
            &["Partner", "Agreements", "Years"],
            items.iter().map(|o| vec![state_name(index, o.partner), html! { (labels(&o.agreements)) }, html! { (years(&o.spans)) }]).collect(),
            "wide",
        )))
        h3 { "Interoperability" }
        p.note { "Current partners whose command structures differ from its own (one belongs to an alliance with an integrated command the other is not in), or with whom it has never exercised. Arms suppliers will join as a further difference." }
        (found(&c.interoperability, "found", |items| table(
            "Partners whose forces are organised or trained apart",
            &["Partner", "Integrated commands it belongs to, the state not", "The state's, it not", "Joint exercises"],
            items.iter().map(|x| vec![
                state_name(index, x.partner),
                html! { (if x.commands_apart.is_empty() { "—".to_string() } else { labels(&x.commands_apart) }) },
                html! { (if x.commands_without_partner.is_empty() { "—".to_string() } else { labels(&x.commands_without_partner) }) },
                html! { @if x.joint_exercises == 0 { strong.cost { "none recorded" } } @else { (x.joint_exercises) } },
            ]).collect(),
            "wide",
        )))
    }
}

/// Agreements with an established cost, with the basis of each component; those coded
/// and without cost, and those not coded, named in a sentence each.
fn sovereignty(r: &Report) -> Markup {
    let s = &r.a.challenges.sovereignty;
    let costly: Vec<_> = s.items.iter().filter(|x| x.has_cost()).collect();
    let free: Vec<&str> =
        s.items.iter().filter(|x| x.index.is_some() && !x.has_cost()).map(|x| x.agreement.as_str()).collect();
    let uncoded: Vec<&str> = s.items.iter().filter(|x| x.index.is_none()).map(|x| x.agreement.as_str()).collect();
    html! {
        p.note { "Per agreement, from 0 (none) to 1 (high): foreign bases on its soil, integrated command, subordination of its forces, dependence on aid. The index is the mean of the components that are coded; a component ATOP and the registry leave uncoded is not counted as zero." }
        @if costly.is_empty() {
            p { "No established sovereignty cost in " (s.examined) "." }
        } @else {
            (table(
                "Agreements with a sovereignty cost, and why",
                &["Agreement", "Index", "Established", "Not coded"],
                costly.iter().map(|x| vec![
                    html! { (x.agreement) },
                    html! { (x.index.map(|i| fixed(i, 2)).unwrap_or_default()) },
                    html! { ul.basis { @for (name, c) in x.components() { @if let Some(c) = c { li { (name) " " (fixed(c.value, 2)) ": " span.sub { (c.basis) } } } } } },
                    html! { (x.not_coded().join(", ")) },
                ]).collect(),
                "wide",
            ))
        }
        @if !free.is_empty() { p { "Coded, with no cost: " (free.join(", ")) "." } }
        @if !uncoded.is_empty() { p { "Not coded by ATOP or the registry, so unknown rather than free: " (uncoded.join(", ")) "." } }
    }
}
