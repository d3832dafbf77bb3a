//! Charts on pages: a wide and a narrow drawing (the stylesheet shows one by screen
//! width, so a phone gets a chart laid out for it rather than a shrunken one), values on
//! hover and keyboard focus, the dated events listed, downloads as SVG, PNG (drawn from
//! the SVG by `app.js`) and CSV, and the numbers as a table.

use maud::{html, Markup, PreEscaped};
use pactbase_charts::{label, Figure, Layout, Options};

use super::context;
use super::tables::{data_table, Cell, DataTable};

/// Figure `id` (unique on the page), its x values named `x_label` in its table.
pub(super) fn figure(id: &str, figure: &Figure, x_label: &str, caption: Markup) -> Markup {
    context::figure(id, || figure.svg(&Options { layout: Layout::Wide, interactive: false, id: Some(id) }));
    let draw = |layout, suffix| {
        let id = format!("{id}-{suffix}");
        PreEscaped(figure.svg(&Options { layout, interactive: true, id: Some(&id) }))
    };
    let path = context::request().path;
    let svg = context::link_with(&path, &[("format", "svg"), ("figure", id)]);
    let table = figure.table();
    let mut headers = vec![x_label.to_owned()];
    headers.extend(table.headers.into_iter().skip(1));
    let rows = table
        .rows
        .iter()
        .map(|(x, values)| {
            let mut row = vec![Cell::text(label(*x))];
            row.extend(values.iter().map(|v| Cell::number(*v, label)));
            row
        })
        .collect();
    html! {
        figure.chart.responsive #(format!("figure-{id}")) {
            div.wide { (draw(Layout::Wide, "w")) }
            div.narrow { (draw(Layout::Narrow, "n")) }
            figcaption {
                (caption)
                @if !figure.events.is_empty() {
                    ol.events { @for e in &figure.events { li { (label(e.x)) ": " (e.label) } } }
                }
                p.downloads { "Download: "
                    a href=(svg) download=(format!("{id}.svg")) { "SVG" } " · "
                    a href=(context::link_with(&path, &[("format", "csv"), ("table", id)])) download=(format!("{id}.csv")) { "CSV" }
                    // Drawn from the SVG in the browser: shown by app.js, so never a dead control.
                    span.png hidden { " · " button type="button" data-figure=(id) { "PNG" } } }
            }
            details.chart-table {
                summary { "Table" }
                (data_table(DataTable { id, caption: html! { (figure.title()) }, headers, rows, stack: false }))
            }
        }
    }
}
