//! Every agreement's and exercise series' citations, and the imported datasets.

use maud::{html, Markup};
use pactbase_analysis::assessment::{CitedSources, DatasetRecord};
use pactbase_model::Source;

use crate::parts::{note, table};
use crate::Report;

/// A citation; only http(s) addresses become links.
fn link(s: &Source) -> Markup {
    html! {
        @match &s.url {
            Some(u) if u.starts_with("https://") || u.starts_with("http://") => a href=(u) rel="noreferrer" { (s.title) },
            _ => (s.title),
        }
        ", " (s.publisher)
        @if let Some(r) = &s.reference { ", " (r) }
        @if let Some(c) = &s.consulted { " (consulted " (c) ")" }
    }
}

fn cited(list: &[CitedSources]) -> Markup {
    html! {
        ol.cited {
            @for c in list {
                li {
                    strong { (c.label) } " " code { (c.id) }
                    ul { @if c.sources.is_empty() { li { "no source recorded" } } @for s in &c.sources { li { (link(s)) } } }
                }
            }
        }
    }
}

/// Each dataset's citation once, though several of its files are imported.
fn citations(datasets: &[DatasetRecord]) -> Vec<(&str, &str)> {
    let mut cited: Vec<(&str, &str)> = datasets.iter().map(|d| (d.dataset.as_str(), d.citation.as_str())).collect();
    cited.dedup();
    cited
}

pub fn render(r: &Report) -> Markup {
    let s = &r.a.sources;
    html! {
        h3 { "Research datasets" }
        @if s.datasets.is_empty() {
            (note("No research dataset is imported: this report rests on the curated registry alone."))
        } @else {
            (table(
                "Imported datasets, with the SHA-256 of each file",
                &["Dataset", "Version", "File", "Rows", "SHA-256", "Imported (UTC)"],
                s.datasets.iter().map(|d| vec![
                    html! { (d.dataset) },
                    html! { (d.version) },
                    html! { code { (d.file) } },
                    html! { (d.rows) },
                    html! { code.hash { (d.sha256) } },
                    html! { (d.imported_at.as_deref().unwrap_or("—")) },
                ]).collect(),
                "wide",
            ))
            p { "Cite the datasets as:" }
            ul.cited { @for (dataset, citation) in citations(&s.datasets) { li { strong { (dataset) } ": " (citation) } } }
        }
        @if !s.not_imported.is_empty() {
            div.missing role="note" {
                p { strong { "Not imported" } ", so the parts that need them say so above:" }
                ul { @for (what, cmd) in &s.not_imported { li { (what) ": " code { (cmd) } } } }
            }
        }
        h3 { "Agreements (" (s.agreements.len()) ")" }
        (cited(&s.agreements))
        @if !s.exercises.is_empty() {
            h3 { "Exercise series (" (s.exercises.len()) ")" }
            (cited(&s.exercises))
        }
    }
}
