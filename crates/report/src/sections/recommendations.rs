//! Partners the state could ally with next, with the reasons behind each score.

use maud::{html, Markup};

use crate::parts::{bar, note, state_name, table};
use crate::{missing, Report};

pub fn render(r: &Report) -> Markup {
    let rec = match &r.a.recommendations {
        Ok(x) => x,
        Err(m) => return missing(m),
    };
    let year = r.a.core.reference_year;
    html! {
        p {
            "States not allied with " (r.a.core.state.name) " as of " (rec.as_of)
            ", ranked by the modelled probability that they form an alliance within " (rec.horizon)
            " years. The model is a logistic regression fitted on the alliances formed " (rec.learnt_from.0) "–" (rec.learnt_from.1)
            " (docs/RECOMMEND.md); the reasons are the facts behind the features that raise each score most. Strategic rivals and states either side does not recognise are left out."
        }
        @if rec.as_of != year { (note(format!("The model's alliance data end in {}: this is its answer as of {}, not {year}.", rec.as_of, rec.as_of))) }
        @if !rec.left_out.is_empty() {
            (note(format!("Left out: {}.", rec.left_out.iter().map(|l| format!("{} ({})", l.name, l.why.join("; "))).collect::<Vec<_>>().join(", "))))
        }
        @if !rec.datasets_missing.is_empty() { (note(format!("Without {}: import them for the features they feed.", rec.datasets_missing.join(" and ")))) }
        @if rec.partners.is_empty() {
            (note("No candidate partner."))
        } @else {
            (table(
                "Likeliest new partners",
                &["Rank", "Partner", "Probability", "Why"],
                rec.partners.iter().enumerate().map(|(i, x)| {
                    vec![
                        html! { (i + 1) },
                        state_name(r.index, x.partner),
                        bar(x.score, 1.0, &format!("{:.0}%", x.score * 100.0)),
                        html! { ul.reasons { @for reason in &x.reasons { li { (reason) } } } },
                    ]
                }).collect(),
                "wide",
            ))
        }
    }
}
