//! Charts on pages: a wide and a narrow drawing (the stylesheet shows one by screen
//! width, so a phone gets a chart laid out for it rather than a shrunken one), values on
//! hover and keyboard focus, the dated events listed, downloads as SVG, PNG (drawn from
//! the SVG by `app.js`) and CSV, and the numbers as a table. Drawings that are not charts
//! (timelines, networks) get the same downloads ([`drawing_downloads`]), their data being
//! a table of the page.

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
    let svg = context::link_with(&context::request().path, &[("format", "svg"), ("figure", id)]);
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
                (downloads(id, &svg, id))
            }
            details.chart-table {
                summary { "Table" }
                (data_table(DataTable { id, caption: html! { (figure.title()) }, headers, rows, stack: false }))
            }
        }
    }
}

/// "Download: SVG · CSV · PNG" for figure `id` (its SVG at `svg`) and table `table`.
fn downloads(id: &str, svg: &str, table: &str) -> Markup {
    let csv = context::link_with(&context::request().path, &[("format", "csv"), ("table", table)]);
    html! {
        p.downloads { "Download: "
            a href=(svg) download=(format!("{id}.svg")) { "SVG" } " · "
            a href=(csv) download=(format!("{table}.csv")) { "CSV" }
            // Drawn from the SVG in the browser: shown by app.js, so never a dead control.
            span.png hidden { " · " button type="button" data-figure=(id) { "PNG" } } }
    }
}

/// Downloads for a drawing that is not a [`Figure`] (a timeline, a network), registered as
/// figure `id`: `drawing` as an SVG file, as PNG, and table `table` (its data) as CSV.
pub(super) fn drawing_downloads(id: &str, drawing: &Markup, table: &str) -> Markup {
    // Inline SVG needs no namespace; a file does.
    context::figure(id, || drawing.0.replacen("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 1));
    downloads(id, &context::link_with(&context::request().path, &[("format", "svg"), ("figure", id)]), table)
}
