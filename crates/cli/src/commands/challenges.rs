//! `pactbase challenges S`: conflicting obligations, sovereignty costs and overlapping
//! commitments of one state.

use std::fmt::Write;

use pactbase_analysis::challenges::{Component, SovereigntyCost};
use pactbase_model::Ccode;
use pactbase_service::Challenges;
use pactbase_store::Store;

use super::research;
use crate::failure::Result;
use crate::output::{grid, Output, Table};
use crate::resolve;

/// The loading and assembly live in `pactbase_service::challenges` (shared with the web).
pub fn challenges(store: &Store, query: &str, year: Option<i32>, out: &Output) -> Result {
    let index = store.state_index()?;
    let ccode = resolve::state(&index, query)?;
    let year = year.map(resolve::year).transpose()?;
    let result = pactbase_service::challenges(store, ccode, year).map_err(research::failure)?;
    if !result.rivalries_imported {
        eprintln!("pactbase: commitment conflicts need the strategic rivalries: `pactbase import rivalries FILE`");
    }
    let table = sovereignty_table(&result.sovereignty);
    out.document(&render(&result, &index, &table), &table, &result)
}

fn cell(c: &Option<Component>) -> String {
    c.as_ref().map(|c| format!("{:.2}", c.value)).unwrap_or_else(|| "n/a".into())
}

fn sovereignty_table(rows: &[SovereigntyCost]) -> Table {
    Table {
        headers: vec![
            "agreement_id",
            "agreement",
            "index",
            "foreign_bases",
            "integrated_command",
            "subordination",
            "aid_dependence",
        ],
        rows: rows
            .iter()
            .map(|s| {
                vec![
                    s.agreement_id.clone(),
                    s.agreement.clone(),
                    s.index.map(|i| format!("{i:.2}")).unwrap_or_else(|| "n/a".into()),
                    cell(&s.foreign_bases),
                    cell(&s.integrated_command),
                    cell(&s.subordination),
                    cell(&s.aid_dependence),
                ]
            })
            .collect(),
    }
}

fn spans(spans: &[(i32, i32)]) -> String {
    spans.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect::<Vec<_>>().join(", ")
}

fn render(c: &Challenges, index: &pactbase_model::StateIndex, table: &Table) -> String {
    let mut s = String::new();
    let name = |x: Ccode| format!("{} ({})", index.name(x), index.label(x));
    let _ = writeln!(s, "{}: challenges of its commitments (ties: {})\n", name(c.ccode), c.ties);
    let _ = writeln!(s, "commitment conflicts: obligations to defend both sides of a strategic rivalry");
    if c.conflicts.is_empty() {
        let _ = writeln!(s, "  none found");
    }
    for k in &c.conflicts {
        let _ = writeln!(
            s,
            "  {} owed defense to both {} [{}] and {} [{}] while they were rivals ({}) in {}",
            name(k.holder),
            name(k.a),
            k.toward_a.join(" "),
            name(k.b),
            k.toward_b.join(" "),
            k.rivalry,
            spans(&k.spans)
        );
    }
    let _ = writeln!(
        s,
        "\nsovereignty costs (0 none – 1 high; n/a = not coded), with the basis of each component\n{}",
        grid(table)
    );
    for sc in c.sovereignty.iter().filter(|sc| sc.index.is_some_and(|i| i > 0.0)) {
        let _ = writeln!(s, "  {}:", sc.agreement);
        for (label, comp) in [
            ("bases", &sc.foreign_bases),
            ("command", &sc.integrated_command),
            ("subordination", &sc.subordination),
            ("aid", &sc.aid_dependence),
        ] {
            if let Some(comp) = comp.as_ref().filter(|c| c.value > 0.0) {
                let _ = writeln!(s, "    {label}: {}", comp.basis);
            }
        }
    }
    let _ = writeln!(s, "\noverlapping commitments: several agreements with the same partner at once");
    if c.overlaps.is_empty() {
        let _ = writeln!(s, "  none found");
    }
    for o in &c.overlaps {
        let _ = writeln!(s, "  {} — {} in {}", name(o.partner), o.agreements.join(" + "), spans(&o.spans));
    }
    s
}
