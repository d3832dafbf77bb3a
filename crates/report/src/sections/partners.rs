//! Partners ranked by legal commitment and depth of cooperation together (docs/PARTNERS.md).

use maud::{html, Markup};
use pactbase_analysis::assessment::partners::{DepthKind, PartnerAssessment};
use pactbase_model::coverage::MME;
use pactbase_model::{ObligationType, Vocabulary};

use crate::parts::{bar, fixed, note, state_name, table};
use crate::Report;

fn tie_word(v: u8) -> &'static str {
    match v {
        3 => "defense/offense",
        2 => "neutrality/consultation",
        1 => "nonaggression",
        _ => "none",
    }
}

/// A tie value 0–3 as three pips, the number and its meaning for screen readers.
fn meter(v: u8) -> Markup {
    let pips: String = (1..=3).map(|i| if i <= v { '●' } else { '○' }).collect();
    html! { span.meter title=(format!("{v}: {}", tie_word(v))) aria-label=(format!("{v} of 3, {}", tie_word(v))) { (pips) } }
}

fn strongest(o: Option<ObligationType>) -> &'static str {
    o.map_or("none", |o| o.as_str())
}

fn partner_cell(r: &Report, p: &PartnerAssessment) -> Markup {
    html! {
        (state_name(r.index, p.ccode))
        @if let Some(rival) = &p.rival {
            br; strong.rival { @if rival.active { "Strategic rival" } @else { "Former strategic rival" } } " " span.sub { (rival.name) ", " (rival.years) }
        }
    }
}

pub fn render(r: &Report) -> Markup {
    let p = &r.a.core.partners;
    let year = r.a.core.reference_year;
    let history = p.view.is_history();
    let others: Vec<String> = p.others.iter().map(|o| r.index.name(o.ccode)).collect();
    html! {
        p {
            "Each partner is ranked by the sum of two scores on the same 0–3 scale: the legal commitment between them (ATOP's valued obligation, the stronger direction, "
            @if history { "at any time" } @else { "at the end of " (year) }
            ") and the depth of their cooperation (three times the mean of its components, each 0–1: joint exercises, technology programmes, intelligence sharing, security assistance and training, and, with SIPRI's arms transfers imported, the partner's share of its arms imports or exports in the ten years to the reference year). docs/PARTNERS.md gives the formula and why."
        }
        p {
            "Agreements count toward partnership when they are bilateral, a programme every party takes part in, or an alliance with an obligation stronger than nonaggression between the two. Universal conventions, amity treaties, region-wide restraint treaties and organisations without obligations between the two do not"
            @if p.include_all { "; here they are counted too, as asked." } @else { "." }
        }
        @for m in &p.without { (note(format!("Without {}: {}.", m.what, m.import.join(", ")))) }
        @if p.ranked.is_empty() {
            (note("No partner: no agreement in the registry ties it to another state by the rule above."))
        } @else {
            (table(
                &format!("Partners ranked, {}", if history { "all history".to_string() } else { format!("as of {year}") }),
                &["Rank", "Partner", "Score", "Commitment now (from it / to it)", "Commitment ever", "Depth of cooperation", "Agreements (years)"],
                p.ranked.iter().map(|x| vec![
                    html! { (x.rank) },
                    partner_cell(r, x),
                    bar(x.score, 6.0, &fixed(x.score, 2)),
                    html! { (meter(x.commitment.out_now)) " / " (meter(x.commitment.in_now)) br; span.sub { (strongest(x.commitment.strongest_now)) } },
                    html! { (meter(x.commitment.out_ever.max(x.commitment.in_ever))) br; span.sub { (strongest(x.commitment.strongest_ever)) } },
                    html! {
                        (fixed(x.depth.index, 2)) " of 3"
                        ul.reasons { @for c in x.depth.components.iter().filter(|c| c.value > 0.0) {
                            li { (c.kind.describe()) " " (fixed(c.value, 2)) ": " span.sub { (c.evidence) } }
                        } }
                    },
                    html! { ul.reasons { @for t in x.ties.iter() {
                        li { (t.label) " " span.date { (t.years) }
                            @if !t.basis.counts() { " " span.sub { "(" (t.basis.describe()) ", not counted)" } } }
                    } } },
                ]).collect(),
                "wide",
            ))
        }
        @if !others.is_empty() {
            (note(format!(
                "{} more states share only conventions, restraint treaties, forums or an association with it and are not counted as partners ({}). `pactbase report` and `pactbase country` list them with --all-agreements.",
                others.len(),
                others.join(", ")
            )))
        }
        @let exercises = p.ranked.iter().any(|x| x.depth.components.iter().any(|c| c.kind == DepthKind::Exercises && c.value > 0.0));
        @if exercises { (note(format!("Joint exercises count MME's exercises in its years ({}) and the registry's exercise series in other years, so an edition both record counts once.", MME))) }
    }
}
