//! Pieces every section uses: states, tags, tables, figures, bars and numbers.

use maud::{html, Markup, PreEscaped, Render};
use pactbase_analysis::assessment::CountryAssessment;
use pactbase_model::{Ccode, StateIndex, Vocabulary};

/// The page's reference in a sentence, at its top.
pub fn reference_note(a: &CountryAssessment) -> String {
    let year = a.core.reference_year;
    if a.core.view.is_history() {
        format!("All history: the whole record; what binds the state now is read at the end of {year}, the registry's current year.")
    } else {
        format!("Reference year {year}: every statement of what binds the state is read at the end of {year}; the record runs up to it.")
    }
}

/// A state as its abbreviation, with its name on hover.
pub fn abb(index: &StateIndex, c: Ccode) -> Markup {
    html! { abbr title=(index.name(c)) { (index.label(c)) } }
}

/// A state as its name with its abbreviation.
pub fn state_name(index: &StateIndex, c: Ccode) -> Markup {
    html! { (index.name(c)) " " span.abb { (index.label(c)) } }
}

/// A short list of states: the first `keep` as abbreviations, then a count.
pub fn states(index: &StateIndex, list: &[Ccode], keep: usize) -> Markup {
    let rest: Vec<String> = list.iter().skip(keep).map(|&c| index.name(c)).collect();
    html! {
        @for (i, &c) in list.iter().take(keep).enumerate() { @if i > 0 { " " } (abb(index, c)) }
        @if !rest.is_empty() { " " span.more title=(rest.join(", ")) { "+" (rest.len()) " more" } }
    }
}

/// Vocabulary words as coloured tags (kinds, obligation types).
pub fn tags<V: Vocabulary>(items: &[V], class: &str) -> Markup {
    html! {
        @if items.is_empty() { "—" }
        @for i in items { span class=(format!("tag {class} t-{}", i.as_str())) { (i.as_str()) } }
    }
}

/// A table inside a labelled, keyboard-scrollable region (narrow screens scroll it); the
/// first cell of each row is its header.
pub fn table(caption: &str, headers: &[&str], rows: Vec<Vec<Markup>>, class: &str) -> Markup {
    html! {
        div.scroll role="region" aria-label=(caption) tabindex="0" {
            table class=(class) {
                caption { (caption) }
                thead { tr { @for h in headers { th scope="col" { (h) } } } }
                tbody {
                    @for row in rows {
                        tr {
                            @for (i, cell) in row.into_iter().enumerate() {
                                @if i == 0 { th scope="row" { (cell) } } @else { td { (cell) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An inline SVG chart (its text already escaped by `pactbase-charts`) with a caption.
pub fn figure(svg: &str, caption: &str) -> Markup {
    html! { figure.chart { (PreEscaped(svg)) figcaption { (caption) } } }
}

/// A horizontal bar in a table cell, `value` of `max`, with the number beside it.
pub fn bar(value: f64, max: f64, text: &str) -> Markup {
    let pct = if max > 0.0 { (value / max * 100.0).clamp(0.0, 100.0) } else { 0.0 };
    html! {
        span.barcell { span.bar style=(format!("width:{pct:.1}%")) {} span.barval { (text) } }
    }
}

/// A note in a quieter voice.
pub fn note(text: impl Render) -> Markup {
    html! { p.note { (text) } }
}

/// A number with a real minus sign.
pub fn fixed(v: f64, digits: usize) -> String {
    format!("{v:.digits$}").replace('-', "−")
}

/// 77639.04 → "77,639".
pub fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 {
        format!("−{out}")
    } else {
        out
    }
}

/// A dash for a value that is missing.
pub fn or_dash(v: Option<String>) -> Markup {
    html! { @match v { Some(v) => (v), None => span.na { "—" } } }
}
