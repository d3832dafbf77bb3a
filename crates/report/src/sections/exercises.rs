//! MME's exercises by year, domain and partner; the registry's exercise series.

use maud::{html, Markup};
use pactbase_charts::{LineChart, Series};
use pactbase_model::years::year_runs;
use pactbase_model::{Vocabulary, YearSpan};

use crate::parts::{bar, figure, note, state_name, states, table, tags};
use crate::{missing, Report};

pub fn render(r: &Report) -> Markup {
    let e = &r.a.core.exercises;
    let name = &r.a.core.state.name;
    html! {
        h3 { "Multinational military exercises (MME)" }
        @match &e.mme {
            Err(m) => (missing(m)),
            Ok(m) if m.total == 0 => (note(format!("The MME data ({}–{}) record no multinational exercise with this state.", m.coverage.0, m.coverage.1))),
            Ok(m) => {
                @let chart = LineChart {
                    title: format!("{name}: multinational exercises per year"),
                    y_label: "exercises".into(),
                    series: vec![Series { name: "exercises".into(), points: m.per_year.iter().map(|&(y, n)| (f64::from(y), Some(n as f64))).collect() }],
                    y_from_zero: true,
                };
                @let max_domain = m.by_domain.iter().map(|x| x.1).max().unwrap_or(0) as f64;
                div.pair {
                    (figure(&chart.svg(), &format!("{} exercises in {}–{}: the years the MME v7 file records; later years are not known.", m.total, m.coverage.0, m.coverage.1)))
                    div {
                        (table("Exercises by domain", &["Domain", "Exercises (share of all)"],
                            m.by_domain.iter().map(|(d, n)| vec![html! { (d) }, bar(*n as f64, max_domain, &format!("{n} ({:.0}%)", 100.0 * *n as f64 / m.total as f64))]).collect(), ""))
                        (note("An exercise can span several domains; cpx is a command-post exercise."))
                    }
                }
                @let max = m.by_partner.first().map_or(0, |p| p.count) as f64;
                (table(
                    &if m.by_partner.len() > 25 { format!("Partners in joint exercises: the 25 most frequent of {}", m.by_partner.len()) } else { "Partners in joint exercises".into() },
                    &["Partner", "Joint exercises", "Years", "By domain"],
                    m.by_partner.iter().take(25).map(|p| vec![
                        state_name(r.index, p.partner),
                        bar(p.count as f64, max, &p.count.to_string()),
                        html! { (YearSpan::new(p.first_year, Some(p.last_year))) },
                        html! { (p.by_domain.iter().filter(|x| x.1 > 0).map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(" · ")) },
                    ]).collect(),
                    "",
                ))
            }
        }
        h3 { "Exercise series in the registry" }
        @if e.series.is_empty() {
            (note("The registry records no recurring exercise series for this state."))
        } @else {
            (table(
                "Recurring exercises and training programmes",
                &["Series", "With", "Domains", "Focus", "Years held", "Under agreement"],
                e.series.iter().map(|s| vec![
                    html! { (s.name) " " span.sub { code { (s.id) } } },
                    states(r.index, &s.participants.iter().copied().filter(|&c| c != r.a.core.state.ccode).collect::<Vec<_>>(), 8),
                    tags(&s.domains, "dom"),
                    html! { (s.focus.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")) },
                    html! { (year_runs(&s.years)) },
                    html! { @match &s.agreement { Some(a) => code { (a) }, None => "—" } },
                ]).collect(),
                "wide",
            ))
        }
    }
}
