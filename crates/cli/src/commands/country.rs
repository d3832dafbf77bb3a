//! `pactbase country S`: the registry's parts of the country assessment (what binds the
//! state at the reference year, its memberships, its partners ranked, its exercise
//! series), as the web's country page and the report state them.

use std::fmt::Write;

use pactbase_analysis::assessment::{brief, CountryCore};
use pactbase_model::years::year_runs;
use pactbase_model::{StateIndex, Vocabulary};
use pactbase_store::Store;

use super::assessment;
use crate::cli::ViewArgs;
use crate::failure::Result;
use crate::output::{grid, joined, Output, Table};

pub fn country(store: &Store, query: &str, view: &ViewArgs, out: &Output) -> Result {
    let ctx = assessment::context(store, query, view)?;
    let core = pactbase_service::assessment::core(&ctx);
    let rows = membership_rows(&core, &ctx.index, matches!(out.format, crate::cli::Format::Csv));
    out.document(&render(&core, &ctx.index, &rows), &rows, &core)
}

fn membership_rows(c: &CountryCore, index: &StateIndex, codes: bool) -> Table {
    Table {
        headers: vec![
            "agreement_id",
            "ccode",
            "agreement",
            "kinds",
            "joined",
            "left",
            "role",
            "obligations",
            "owed",
            "partners",
            "standing",
        ],
        rows: c
            .timeline
            .memberships
            .iter()
            .map(|m| {
                let parties: Vec<u16> = m.partners().map(|f| f.ccode).collect();
                let partners = if codes {
                    joined(&parties)
                } else {
                    parties.iter().map(|&p| index.label(p)).collect::<Vec<_>>().join(" ")
                };
                vec![
                    m.agreement_id.clone(),
                    c.state.ccode.to_string(),
                    if codes { m.agreement.clone() } else { format!("{} [{}]", m.label, m.agreement_id) },
                    joined(&m.kinds),
                    m.joined.to_string(),
                    m.left.map(|l| l.to_string()).unwrap_or_default(),
                    m.role.to_string(),
                    joined(&m.obligations),
                    joined(&m.owed),
                    partners,
                    m.standing.as_str().to_owned(),
                ]
            })
            .collect(),
    }
}

fn render(c: &CountryCore, index: &StateIndex, rows: &Table) -> String {
    let mut s = String::new();
    let view = if c.view.is_history() {
        format!("all history (what binds it now: the end of {})", c.reference_year)
    } else {
        format!("reference year {}", c.reference_year)
    };
    let _ = writeln!(s, "{} ({}, COW {}): {view}\n", c.state.name, c.state.abb, c.state.ccode);
    for line in brief::core_sentences(c, index) {
        let _ = writeln!(s, "{line}");
    }
    let mut agreements = Table {
        headers: vec!["agreement", "kinds", "years", "standing", "obligations", "owed", "partners"],
        rows: Vec::new(),
    };
    for (m, r) in c.timeline.memberships.iter().zip(&rows.rows) {
        agreements.rows.push(vec![
            r[2].clone(),
            r[3].clone(),
            m.years.to_string(),
            r[10].clone(),
            r[7].clone(),
            r[8].clone(),
            abbreviate(&r[9]),
        ]);
    }
    let _ = writeln!(s, "\nagreements over time\n{}\n", grid(&agreements));

    let mut partners = Table {
        headers: vec!["rank", "partner", "score", "now out/in", "ever", "depth", "agreements (years)"],
        rows: Vec::new(),
    };
    for p in &c.partners.ranked {
        let rival = p
            .rival
            .as_ref()
            .map_or(String::new(), |r| format!(" — {}rival {}", if r.active { "" } else { "former " }, r.years));
        let ties: Vec<String> = p
            .ties
            .iter()
            .filter(|t| t.basis.counts() || c.partners.include_all)
            .map(|t| format!("{} {}", t.label, t.years))
            .collect();
        partners.rows.push(vec![
            p.rank.to_string(),
            format!("{} ({}){rival}", index.name(p.ccode), index.label(p.ccode)),
            format!("{:.2}", p.score),
            format!("{}/{}", p.commitment.out_now, p.commitment.in_now),
            p.commitment.out_ever.max(p.commitment.in_ever).to_string(),
            format!("{:.2}", p.depth.index),
            ties.join("; "),
        ]);
    }
    let _ = writeln!(
        s,
        "partners ranked by legal commitment (0-3: 3 defense/offense, 2 neutrality/consultation, 1 nonaggression) \
         plus depth of cooperation (0-3), docs/PARTNERS.md\n{}",
        grid(&partners)
    );
    if !c.partners.others.is_empty() {
        let names: Vec<String> = c.partners.others.iter().map(|o| index.label(o.ccode)).collect();
        let _ = writeln!(
            s,
            "  {} more states share only conventions, restraint treaties or forums with it (--all-agreements counts them): {}",
            names.len(),
            abbreviate(&names.join(" "))
        );
    }
    for m in &c.partners.without {
        let _ = writeln!(s, "  without {}: {}", m.what, m.import.join(", "));
    }
    let kinds: Vec<String> = c.timeline.kinds.iter().map(|(k, n)| format!("{} {n}", k.as_str())).collect();
    let _ = writeln!(s, "\nkinds: {}\n", kinds.join(", "));
    let decades: Vec<String> = c
        .timeline
        .decades
        .iter()
        .map(|d| format!("{}s: {} joined, {} in force", d.decade, d.joined, d.in_force))
        .collect();
    let _ = writeln!(s, "per decade\n  {}\n", decades.join("\n  "));
    if !c.exercises.series.is_empty() {
        let mut ex = Table { headers: vec!["exercise", "partners", "domains", "years"], rows: Vec::new() };
        for e in &c.exercises.series {
            let partners: Vec<String> =
                e.participants.iter().filter(|&&p| p != c.state.ccode).map(|&p| index.label(p)).collect();
            ex.rows.push(vec![
                format!("{} [{}]", e.name, e.id),
                abbreviate(&partners.join(" ")),
                joined(&e.domains).replace(';', " "),
                year_runs(&e.years),
            ]);
        }
        let _ = writeln!(s, "exercises\n{}", grid(&ex));
    }
    s
}

/// Keeps a list of many abbreviations readable in a table cell.
fn abbreviate(list: &str) -> String {
    let items: Vec<&str> = list.split(' ').filter(|x| !x.is_empty()).collect();
    if items.len() > 8 {
        format!("{} … ({} states)", items[..6].join(" "), items.len())
    } else {
        items.join(" ")
    }
}
