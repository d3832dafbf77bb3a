use std::fmt::Write;

use pactbase_model::{Agreement, Parties, StateIndex, Target};
use pactbase_store::Store;

use crate::failure::Result;
use crate::output::{grid, joined, Output, Table};
use crate::resolve;

pub fn show(store: &Store, id: &str, out: &Output) -> Result {
    let a = resolve::agreement(store, id)?;
    let index = store.state_index()?;
    let members = members_table(&a, &index);
    out.document(&render(&a, &index, &members), &members, &a)
}

fn members_table(a: &Agreement, index: &StateIndex) -> Table {
    Table {
        headers: vec!["agreement_id", "ccode", "state", "joined", "left", "role", "suspensions", "note"],
        rows: a
            .members
            .iter()
            .map(|m| {
                let suspensions = m.suspensions.iter().map(|s| {
                    let toward = if s.toward.is_empty() {
                        String::new()
                    } else {
                        format!(" toward {}", s.toward.iter().map(|&c| index.label(c)).collect::<Vec<_>>().join(" "))
                    };
                    format!("{} {}..{}{toward}", s.scope, s.from, s.to.map(|t| t.to_string()).unwrap_or_default())
                });
                vec![
                    a.id.clone(),
                    m.ccode.to_string(),
                    index.name(m.ccode),
                    m.joined.to_string(),
                    m.left.map(|l| l.to_string()).unwrap_or_default(),
                    m.role.to_string(),
                    joined(suspensions),
                    m.note.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    }
}

fn render(a: &Agreement, index: &StateIndex, members: &Table) -> String {
    let mut s = String::new();
    let names = if a.short_names.is_empty() { String::new() } else { format!(" ({})", a.short_names.join(", ")) };
    let _ = writeln!(s, "{}{names}  [{}]", a.name, a.id);
    let _ = writeln!(s, "kinds: {}", a.kinds.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", "));
    let mut dates = format!("signed {}", a.signed);
    if let Some(f) = a.in_force {
        let _ = write!(dates, " · in force {f}");
    }
    if let Some(e) = a.ended {
        let _ = write!(dates, " · ended {e}");
    }
    let scope = if a.is_bilateral() { "bilateral" } else { "multilateral" };
    let _ = writeln!(s, "{dates} · status {} · {scope} · {}", a.status, a.region);
    if let Some(d) = &a.depositary {
        let _ = writeln!(s, "depositary: {d}");
    }
    if let Some(atopid) = a.atopid {
        let _ = writeln!(s, "ATOP 5.1: atopid {atopid}");
    }
    let _ = writeln!(s, "\n{}\n", a.summary);
    let present = a.provisions.present();
    if !present.is_empty() {
        let _ = writeln!(s, "provisions: {}\n", present.join(", "));
    }
    let _ = writeln!(s, "parties ({} states)", a.parties().len());
    let mut view = Table { headers: vec!["state", "joined", "left", "role", "suspensions", "note"], rows: Vec::new() };
    for row in &members.rows {
        let label = format!("{} ({})", row[2], row[1]);
        view.rows.push(vec![label, row[3].clone(), row[4].clone(), row[5].clone(), row[6].clone(), row[7].clone()]);
    }
    let _ = writeln!(s, "{}\n", grid(&view));
    if !a.obligations.is_empty() {
        let side = |p: Option<&[u16]>, all: &str| match p {
            None => all.to_owned(),
            Some(list) => list.iter().map(|&c| index.label(c)).collect::<Vec<_>>().join(" "),
        };
        let mut obligations =
            Table { headers: vec!["obligation", "from", "toward", "conditional", "article"], rows: Vec::new() };
        for o in &a.obligations {
            let from = match &o.from {
                Parties::All => side(None, "all members"),
                Parties::States(v) => side(Some(v), ""),
            };
            let toward = match &o.toward {
                Target::All => side(None, "all fellow members"),
                Target::States(v) => side(Some(v), ""),
                Target::ThirdParty => side(None, "a third party"),
            };
            let conditional = if o.conditional { "yes" } else { "no" };
            obligations.rows.push(vec![
                o.kind.to_string(),
                from,
                toward,
                conditional.into(),
                o.article.clone().unwrap_or_default(),
            ]);
        }
        let _ = writeln!(s, "obligations\n{}\n", grid(&obligations));
    }
    if !a.atop_exceptions.is_empty() {
        let _ = writeln!(s, "differences from ATOP 5.1 (reviewed)");
        for e in &a.atop_exceptions {
            let _ = writeln!(
                s,
                "  {} {}: ours {:?}, ATOP {:?} — {}",
                index.label(e.ccode),
                e.field,
                e.ours,
                e.atop,
                e.reason
            );
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "sources");
    for src in &a.sources {
        let place = src.url.as_deref().or(src.reference.as_deref()).unwrap_or("");
        let consulted = src.consulted.map(|c| format!(" (consulted {c})")).unwrap_or_default();
        let _ = writeln!(s, "  [{}] {} — {} — {place}{consulted}", src.key, src.title, src.publisher);
    }
    if let Some(text) = &a.text {
        let _ = writeln!(s, "\ntext\n{text}");
    }
    s
}
