//! The country report: one self-contained HTML file from a [`CountryAssessment`].
//!
//! Everything the page needs is inside it: CSS inline, charts as inline SVG from
//! `pactbase-charts` (text as real `<text>`, titled for screen readers), no scripts, no
//! fonts, no images, no requests. The only external addresses are the citation links in
//! the sources section, as plain `<a href>`. Markup is built with maud, which escapes
//! every text from the data; every section has a stable id ([`SECTIONS`]) and a heading,
//! inside `<main>`, with a table of contents in a `<nav>`. It prints one section per page.
//!
//! The crate knows nothing about the store: `pactbase_service::assessment` assembles the
//! assessment (the same one the web's country page shows), and a part whose dataset is not
//! imported arrives as [`Missing`], which the page states plainly with the import command.

mod parts;
mod sections;
mod style;

use maud::{html, Markup, PreEscaped, DOCTYPE};
use pactbase_analysis::assessment::{CountryAssessment, Missing};
use pactbase_model::StateIndex;

pub use style::CSS;

/// What a section renderer reads: the assessment and the names of states.
pub struct Report<'a> {
    pub a: &'a CountryAssessment,
    pub index: &'a StateIndex,
}

/// A section of the report: its stable id, heading, the question it answers, and how it
/// is drawn.
pub struct Section {
    pub id: &'static str,
    pub title: &'static str,
    pub question: &'static str,
    pub render: fn(&Report) -> Markup,
}

/// The sections, in order.
pub const SECTIONS: [Section; 11] = [
    Section {
        id: "overview",
        title: "Overview",
        question: "Who the state is, what it has signed, and what binds it at the reference year.",
        render: sections::overview::render,
    },
    Section {
        id: "timeline",
        title: "Agreements over time",
        question: "Which agreements it joined, when, of which kind, and what each obliges it to do.",
        render: sections::timeline::render,
    },
    Section {
        id: "partners",
        title: "Partners",
        question: "Who its partners are, ranked by legal commitment and depth of cooperation together.",
        render: sections::partners::render,
    },
    Section {
        id: "network",
        title: "Position in the alliance network",
        question: "How central it has been in the web of alliances, year by year.",
        render: sections::network::render,
    },
    Section {
        id: "exercises",
        title: "Joint exercises",
        question: "With whom, and in which domains, its forces exercise together.",
        render: sections::exercises::render,
    },
    Section {
        id: "capabilities",
        title: "Capability aggregation and burden sharing",
        question: "What its allies add to its own capability, and who pays for the alliances it belongs to.",
        render: sections::capabilities::render,
    },
    Section {
        id: "arms",
        title: "Arms transfers and technology",
        question: "What its partnerships delivered: who supplied its arms over time, how concentrated its suppliers were, and whether arms followed the agreements.",
        render: sections::arms::render,
    },
    Section {
        id: "impact",
        title: "Impact estimates",
        question: "What entering its alliances changed, estimated against comparable states.",
        render: sections::impact::render,
    },
    Section {
        id: "challenges",
        title: "Challenges",
        question:
            "Where its commitments strain: calls that went unanswered, sanctions, rival partners, costs, overlaps.",
        render: sections::challenges::render,
    },
    Section {
        id: "recommendations",
        title: "Recommended partnerships",
        question: "Which partnerships could be added next, and why.",
        render: sections::recommendations::render,
    },
    Section {
        id: "sources",
        title: "Sources",
        question: "Where every fact in this report comes from.",
        render: sections::sources::render,
    },
];

/// The whole report as one HTML document; `generator` names what made it ("pactbase 0.1.0").
pub fn render(a: &CountryAssessment, index: &StateIndex, generator: &str) -> String {
    let r = Report { a, index };
    let state = &a.core.state;
    let view = a.core.view;
    let first = a.core.timeline.memberships.first().map(|m| m.joined.year);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(generator);
                title { (state.name) ": defense collaboration report" }
                style { (PreEscaped(CSS)) }
            }
            body {
                a.skip href="#main" { "Skip to the report" }
                header.masthead {
                    p.kicker { "pactbase country report" }
                    h1 { (state.name) }
                    p.subtitle {
                        "Defense collaboration treaties, partners and commitments, "
                        (first.map_or_else(|| "–".to_string(), |y| y.to_string())) " to " (a.core.reference_year)
                    }
                    p.meta {
                        "COW " (state.ccode) " · " (state.abb)
                        @if let Some(iso) = &state.iso3 { " · ISO " (iso) }
                        " · reference year " strong { (a.core.reference_year) }
                        @if view.is_history() { " (all history)" }
                        " · made by " (generator)
                    }
                }
                nav.toc aria-label="Sections of the report" {
                    h2.toc-title { "Contents" }
                    ol { @for s in &SECTIONS { li { a href=(format!("#{}", s.id)) { (s.title) } } } }
                }
                main #main {
                    p.reference role="note" { (parts::reference_note(a)) }
                    @for (i, s) in SECTIONS.iter().enumerate() {
                        section id=(s.id) aria-labelledby=(format!("{}-title", s.id)) {
                            h2 id=(format!("{}-title", s.id)) { span.num { (i + 1) } " " (s.title) }
                            p.question { (s.question) }
                            ((s.render)(&r))
                        }
                    }
                }
                footer.colophon {
                    p {
                        (state.name) " · pactbase country report · reference year " (a.core.reference_year)
                        " · Missing values are shown as missing, never as zero. Research datasets as listed under "
                        a href="#sources" { "Sources" } "."
                    }
                }
            }
        }
    };
    page.into_string()
}

/// A part whose dataset is not imported: what is missing and the command to import it.
fn missing(m: &Missing) -> Markup {
    html! {
        div.missing role="note" {
            @if m.import.is_empty() {
                p { strong { "Not available:" } " " (m.what) "." }
            } @else {
                p {
                    strong { "Not available:" } " this part needs " (m.what)
                    ", which is not imported into this database. Import it with "
                    @for (i, c) in m.import.iter().enumerate() { @if i > 0 { " and " } code { (c) } }
                    " and run the report again (see docs/IMPORT.md)."
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
