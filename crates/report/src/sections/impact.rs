//! Event studies of the state's entries into its main alliances.

use maud::{html, Markup};

use crate::parts::{figure, fixed, note, or_dash, table};
use crate::{missing, Report};

pub fn render(r: &Report) -> Markup {
    let i = match &r.a.impact {
        Ok(i) => i,
        Err(m) => return missing(m),
    };
    html! {
        p { "Each study compares the state's path while bound by an agreement (holding or owed an obligation under it) with states never bound by it, relative to the year before entry (relative year −1 = 0), with a joint test of the years before entry, placebos and a synthetic control (docs/IMPACT.md). Estimates are in log points: −0.10 is roughly a 10% lower level than otherwise expected." }
        @if i.studies.is_empty() { (note("No entry of this state could be studied.")) }
        @for s in &i.studies {
            @let e = &s.result;
            @let names: Vec<String> = e.comparison_states.iter().take(10).map(|&c| r.index.label(c)).collect();
            article.study {
                h3 { "Entry into " (s.agreement) " (" (s.entry_year) ")" }
                dl.design {
                    div { dt { "Outcome" } dd { (s.outcome) } }
                    div { dt { "Estimator" } dd { (e.estimator.name()) " " span.sub { (e.estimator.inference()) } } }
                    div { dt { "Comparison group" } dd {
                        "States never bound by " (s.agreement) " (" (e.comparison_states.len()) " states, e.g. " (names.join(", "))
                        @if e.comparison_states.len() > names.len() { ", …" } "), observed over the same years."
                    } }
                    div { dt { "Result" } dd { (s.headline) } }
                    div { dt { "Sample" } dd { (s.sample.join(" ")) } }
                }
                (figure(&s.chart_svg, "The estimate per relative year with its 95% confidence interval; year 0 is the year of entry."))
                @if !s.warnings.is_empty() { ul.caveats { @for w in &s.warnings { li { strong { "Caveat:" } " " (w) } } } }
                (table(
                    &format!("{}: estimates per relative year ({} comparison states in all)", s.agreement, e.comparison_states.len()),
                    &["Relative year", "Estimate", "95% CI", "Treated", "Comparison"],
                    e.relative_years.iter().map(|y| vec![
                        html! { (y.relative_year) },
                        or_dash(y.estimate.as_ref().map(|v| fixed(v.value, 3))),
                        or_dash(y.estimate.as_ref().map(|v| format!("{} to {}", fixed(v.ci_low, 3), fixed(v.ci_high, 3)))),
                        html! { (y.treated) },
                        html! { (y.comparison) },
                    ]).collect(),
                    "num",
                ))
            }
        }
        @for skip in &i.skipped { (note(skip)) }
    }
}
