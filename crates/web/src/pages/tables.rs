//! Tables that offer their rows as CSV: each is rendered with a "CSV" link to the page's
//! own address with `format=csv&table=ID`, and registers itself so that the page answers
//! that address with its rows (see `context`). On a phone, tables marked `stack` show each
//! row as a block of labelled lines instead of squeezed columns.

use maud::{html, Markup};

use super::context;

/// A cell: what the page shows, and the plain text the CSV holds.
pub(super) struct Cell {
    pub html: Markup,
    pub text: String,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        Cell { html: html! { (text) }, text }
    }

    pub fn markup(html: Markup, text: impl Into<String>) -> Cell {
        Cell { html, text: text.into() }
    }

    /// A number rounded for reading; the CSV keeps it whole. Missing stays empty.
    pub fn number(value: Option<f64>, shown: impl Fn(f64) -> String) -> Cell {
        match value {
            Some(v) => Cell { html: html! { (shown(v)) }, text: v.to_string() },
            None => Cell { html: html! { span.missing title="no data" { "–" } }, text: String::new() },
        }
    }
}

pub(super) struct DataTable<'a> {
    /// Unique on the page: the CSV's name.
    pub id: &'a str,
    pub caption: Markup,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Rows become labelled blocks on narrow screens.
    pub stack: bool,
}

/// The table, registered for `?format=csv&table=ID`.
pub(super) fn data_table(t: DataTable) -> Markup {
    context::table(t.id, || csv(&t.headers, &t.rows));
    let href = context::link_with(&context::request().path, &[("format", "csv"), ("table", t.id)]);
    html! {
        table.stack[t.stack] #(format!("table-{}", t.id)) {
            caption { (t.caption) " " a.csv href=(href) download=(format!("{}.csv", t.id)) { "CSV" } }
            thead { tr { @for h in &t.headers { th scope="col" { (h) } } } }
            tbody {
                @for row in &t.rows {
                    tr { @for (cell, h) in row.iter().zip(&t.headers) { td data-label=(h) { (cell.html) } } }
                }
            }
        }
    }
}

fn csv(headers: &[String], rows: &[Vec<Cell>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let written = w
        .write_record(headers)
        .and_then(|()| rows.iter().try_for_each(|r| w.write_record(r.iter().map(|c| c.text.as_str()))));
    // Writing to memory fails only on a bug: a header and every row have their columns.
    written.expect("rows have the headers' columns");
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 in, UTF-8 out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_holds_the_plain_text_and_whole_numbers() {
        let rows = vec![
            vec![
                Cell::markup(html! { a href="/x" { "Pakistan" } }, "Pakistan"),
                Cell::number(Some(0.123456), |v| format!("{v:.2}")),
            ],
            vec![Cell::text("Côte d'Ivoire, \"x\""), Cell::number(None, |v| v.to_string())],
        ];
        let text = csv(&["state".into(), "value".into()], &rows);
        assert_eq!(text, "state,value\nPakistan,0.123456\n\"Côte d'Ivoire, \"\"x\"\"\",\n");
    }
}
