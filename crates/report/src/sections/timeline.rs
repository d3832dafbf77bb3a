//! Every membership with its years, obligations each way and fellow parties.

use maud::{html, Markup};
use pactbase_analysis::assessment::timeline::standing_words;
use pactbase_analysis::assessment::MembershipSpan;
use pactbase_charts::{BarChart, Series};
use pactbase_model::{AgreementKind, Vocabulary};

use crate::parts::{figure, note, states, table, tags};
use crate::Report;

/// A kind's name short enough for a chart legend.
fn kind_label(kind: AgreementKind) -> &'static str {
    match kind {
        AgreementKind::MutualDefensePact => "defense pact",
        AgreementKind::SecurityAssistance => "security assistance",
        AgreementKind::ExerciseAndTraining => "exercises, training",
        AgreementKind::TechnologySharing => "technology sharing",
        AgreementKind::RegionalDefenseAlliance => "regional alliance",
        AgreementKind::IntelligenceSharing => "intelligence sharing",
        AgreementKind::ArmsControl => "arms control",
        AgreementKind::NonaggressionAndFriendship => "nonaggression, friendship",
    }
}

fn first_kind(m: &MembershipSpan) -> Option<AgreementKind> {
    m.kinds.first().copied()
}

pub fn render(r: &Report) -> Markup {
    let c = &r.a.core;
    let ms = &c.timeline.memberships;
    if ms.is_empty() {
        return note("The registry records no agreement for this state.");
    }
    let first = ms.iter().map(|m| m.joined.year).min().unwrap_or(c.reference_year);
    // Each agreement once, under its first-listed kind, so the bars add up to the total.
    let mut kinds: Vec<Option<AgreementKind>> = Vec::new();
    for m in ms {
        if !kinds.contains(&first_kind(m)) {
            kinds.push(first_kind(m));
        }
    }
    let series = kinds
        .iter()
        .map(|&k| Series {
            name: k.map_or("other", kind_label).to_owned(),
            points: (first..=c.reference_year)
                .map(|y| {
                    let n = ms.iter().filter(|m| first_kind(m) == k && m.years.contains(y)).count();
                    (f64::from(y), Some(n as f64))
                })
                .collect(),
        })
        .collect();
    let chart = BarChart {
        title: format!("{}: agreements in force per year, by kind (the registry's record)", c.state.name),
        y_label: "agreements in force".into(),
        series,
    };
    html! {
        (figure(&chart.svg(), "Each agreement counts once a year while the state is a member, under its first-listed kind. The registry is a curated selection of agreements, not a census: read the chart as this state's record in it."))
        (table(
            "Every membership, in order of joining",
            &["Agreement", "Kinds", "Years", "Standing", "Role", "It owes", "Owed to it", "Fellow parties"],
            ms.iter().map(|m| {
                let parties: Vec<_> = m.partners().map(|f| f.ccode).collect();
                let associates: Vec<_> = m.associates().collect();
                vec![
                    html! { (m.label) " " span.sub { (m.agreement) " · " code { (m.agreement_id) } } },
                    tags(&m.kinds, "kind"),
                    html! { span.date { (m.years) } @if let Some(l) = m.left { br; span.sub { "left " (l) } } },
                    html! { (standing_words(m.standing, m.known_until)) },
                    html! { (m.role.as_str()) @if !m.role.is_party() { " " span.sub { "(not a party)" } } },
                    tags(&m.obligations, "ob"),
                    tags(&m.owed, "ob"),
                    html! {
                        (states(r.index, &parties, 8))
                        @for a in associates { br; span.sub { (r.index.name(a.ccode)) ", " (a.role.as_str()) ", not a party" } }
                    },
                ]
            }).collect(),
            "wide",
        ))
        (note("Years run from joining to leaving or the agreement's end; an open span (1959–) is still in force. Obligations follow ATOP's types: defense, offense, neutrality, nonaggression, consultation; “it owes” is what the state held toward fellow parties, “owed to it” what they held toward it. Partners and observers of an agreement are not parties: they hold none of its obligations."))
    }
}
