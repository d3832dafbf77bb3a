//! Own CINC against the defense partners' combined CINC; expenditure shares of the
//! parties of its main alliances.

use maud::{html, Markup};
use pactbase_analysis::assessment::CincYear;
use pactbase_charts::{LineChart, Series};
use pactbase_model::Vocabulary;

use crate::parts::{bar, figure, fixed, note, or_dash, state_name, table, thousands};
use crate::{missing, Report};

pub fn render(r: &Report) -> Markup {
    let c = &r.a.capabilities;
    let name = &r.a.core.state.name;
    let ccode = r.a.core.state.ccode;
    html! {
        h3 { "Own and allied capability" }
        @match &c.cinc {
            Err(m) => (missing(m)),
            Ok(s) => {
                @let chart = LineChart {
                    title: format!("{name}: own CINC and its defense partners' combined CINC"),
                    y_label: "share of world capability (CINC)".into(),
                    series: vec![
                        Series { name: "own".into(), points: s.years.iter().map(|y| (f64::from(y.year), y.own)).collect() },
                        Series { name: "defense partners".into(), points: s.years.iter().map(|y| (f64::from(y.year), y.allied)).collect() },
                    ],
                    y_from_zero: true,
                };
                p { (s.basis) }
                (figure(&chart.svg(), "CINC (COW National Material Capabilities): a state's share of the world's military personnel and spending, iron and steel, energy and population. Gaps are years without defense partners or without data."))
                @let last = s.years.last().map(|l| l.year);
                @let pick: Vec<&CincYear> = s.years.iter().filter(|y| (y.year % 10 == 0 || Some(y.year) == last) && y.own.is_some()).collect();
                (table(
                    "Capability by decade",
                    &["Year", "Own CINC", "Defense partners' CINC", "Defense partners", "Partners ÷ own"],
                    pick.iter().map(|y| vec![
                        html! { (y.year) },
                        or_dash(y.own.map(|v| fixed(v, 4))),
                        or_dash(y.allied.map(|v| fixed(v, 4))),
                        html! { (y.partners) },
                        or_dash(match (y.own, y.allied) { (Some(o), Some(a)) if o > 0.0 => Some(format!("{}×", fixed(a / o, 1))), _ => None }),
                    ]).collect(),
                    "",
                ))
            }
        }
        h3 { "Burden sharing in its main alliances" }
        @match &c.burden {
            Err(m) => (missing(m)),
            Ok(b) if b.alliances.is_empty() => (note("No defense alliance of this state has expenditure data for its parties.")),
            Ok(b) => {
                p { "Military expenditure of the parties, " (b.measure) ". Partners and observers are not parties and are not in the shares." }
                @for a in &b.alliances {
                    h4 { (a.label) " " span.sub { (a.year) } }
                    @if let Some(own) = a.members.iter().find(|m| m.ccode == ccode) {
                        @let lo = a.own_share.iter().min_by(|x, y| x.1.total_cmp(&y.1));
                        @let hi = a.own_share.iter().max_by(|x, y| x.1.total_cmp(&y.1));
                        p {
                            "In " (a.year) ", " (name) " paid " (format!("{:.1}", own.share * 100.0)) "% of the parties' combined military spending."
                            @if let (Some(lo), Some(hi), true) = (lo, hi, a.own_share.len() > 1) {
                                " Over its membership its share ranged from " (format!("{:.1}", lo.1 * 100.0)) "% (" (lo.0) ") to " (format!("{:.1}", hi.1 * 100.0)) "% (" (hi.0) ")."
                            }
                        }
                    }
                    @let max = a.members.first().map_or(0.0, |m| m.share);
                    (table(
                        &format!("{}: military expenditure shares of the parties, {}", a.label, a.year),
                        &["Party", "Expenditure", "Share of the parties' total"],
                        a.members.iter().map(|m| vec![
                            html! { @if m.ccode == ccode { strong { (state_name(r.index, m.ccode)) } } @else { (state_name(r.index, m.ccode)) } },
                            html! { (thousands(m.expenditure)) },
                            bar(m.share, max, &format!("{:.1}%", m.share * 100.0)),
                        ]).collect(),
                        "",
                    ))
                    @if !a.without_data.is_empty() {
                        (note(format!("No figure for {} in {}.", a.without_data.iter().map(|&c| r.index.name(c)).collect::<Vec<_>>().join(", "), a.year)))
                    }
                    @if !a.associates.is_empty() {
                        (note(format!("Not parties, so not counted: {}.", a.associates.iter().map(|(c, role)| format!("{} ({})", r.index.name(*c), role.as_str())).collect::<Vec<_>>().join(", "))))
                    }
                }
            }
        }
    }
}
