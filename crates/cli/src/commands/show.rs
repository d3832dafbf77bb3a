use std::fmt::Write;

use pactbase_model::research::{AtopCoding, AtopObligations, Ymd};
use pactbase_model::{Agreement, Parties, PartyCoverage, StateIndex, Target};
use pactbase_store::Store;

use crate::failure::Result;
use crate::output::{grid, joined, Output, Table};
use crate::resolve;

pub fn show(store: &Store, id: &str, out: &Output) -> Result {
    let shown = pactbase_service::registry::shown(store, id).map_err(resolve::lookup)?;
    let index = store.state_index()?;
    let members = members_table(&shown.agreement, &index);
    let text = render(&shown.agreement, &index, &members, shown.atop.as_ref());
    out.document(&text, &members, &shown)
}

fn members_table(a: &Agreement, index: &StateIndex) -> Table {
    Table {
        headers: vec!["agreement_id", "ccode", "state", "signed", "joined", "left", "role", "suspensions", "note"],
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
                    m.signed.map(|s| s.to_string()).unwrap_or_default(),
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

fn render(a: &Agreement, index: &StateIndex, members: &Table, atop: Option<&AtopCoding>) -> String {
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
    let others = match a.non_state_parties.len() {
        0 => String::new(),
        n => format!(" and {n} outside the COW state system"),
    };
    let coverage = match a.party_coverage {
        PartyCoverage::Complete => "every party",
        PartyCoverage::Selected => "a selection of the parties: counts that use it are incomplete",
    };
    let _ = writeln!(s, "parties ({} states{others}; {coverage})", a.parties().len());
    let mut view = Table {
        headers: vec!["state", "signed", "bound from", "left", "role", "suspensions", "note"],
        rows: Vec::new(),
    };
    for row in &members.rows {
        let mut shown = vec![format!("{} ({})", row[2], row[1])];
        shown.extend(row[3..].iter().cloned());
        view.rows.push(shown);
    }
    let _ = writeln!(s, "{}\n", grid(&view));
    if a.members.iter().any(|m| !m.suspensions.is_empty()) {
        let _ = writeln!(s, "suspensions, sanctions and embargoes");
        for m in &a.members {
            for x in &m.suspensions {
                let toward = if x.toward.is_empty() {
                    String::new()
                } else {
                    format!(" toward {}", x.toward.iter().map(|&c| index.label(c)).collect::<Vec<_>>().join(" "))
                };
                let until = x.to.map(|t| t.to_string()).unwrap_or_default();
                let note = x.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
                let by = index.label(m.ccode);
                let _ = writeln!(s, "  {by}: {} {}..{until}{toward}{note} [{}]", x.scope, x.from, x.source);
            }
        }
        let _ = writeln!(s);
    }
    if !a.signatories.is_empty() {
        let _ = writeln!(s, "signatories not bound ({}; not counted as parties)", a.signatories.len());
        for g in &a.signatories {
            let note = g.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
            let _ = writeln!(s, "  {} ({}) signed {}{note}", index.name(g.ccode), g.ccode, g.signed);
        }
        let _ = writeln!(s);
    }
    if !a.non_state_parties.is_empty() {
        let _ = writeln!(s, "parties outside the COW state system (counted, not in state-based analyses)");
        for p in &a.non_state_parties {
            let signed = p.signed.map(|d| format!(" signed {d}")).unwrap_or_default();
            let bound = p.joined.map_or_else(|| " not bound".to_owned(), |d| format!(" bound from {d}"));
            let left = p.left.map(|d| format!(" left {d}")).unwrap_or_default();
            let _ = writeln!(s, "  {}{signed}{bound}{left}", p.name);
        }
        let _ = writeln!(s);
    }
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
    if !a.reservations.is_empty() {
        let _ = writeln!(s, "reservations and understandings");
        for r in &a.reservations {
            let article = r.article.as_deref().map(|x| format!(" ({x})")).unwrap_or_default();
            let _ = writeln!(s, "  {}{article} {}: {} [{}]", index.label(r.ccode), r.effect, r.text, r.source);
        }
        let _ = writeln!(s);
    }
    if !a.invocations.is_empty() {
        let _ = writeln!(s, "invocations");
        for v in &a.invocations {
            let against = if v.against.is_empty() {
                String::new()
            } else {
                format!(" against {}", v.against.iter().map(|&c| index.label(c)).collect::<Vec<_>>().join(" "))
            };
            let article = v.article.as_deref().map(|x| format!(", {x}")).unwrap_or_default();
            let _ = writeln!(
                s,
                "  {} {}{against} ({}{article}): {} — {} [{}]",
                v.date,
                index.label(v.by),
                v.obligation,
                v.outcome,
                v.note,
                v.source
            );
        }
        let _ = writeln!(s);
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
    if let Some(atopid) = a.atopid {
        match atop {
            Some(coding) => s.push_str(&atop_section(coding, index)),
            None => {
                let _ = writeln!(s, "ATOP coding of alliance {atopid}: not imported (`pactbase import atop DIR`)\n");
            }
        }
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

/// ATOP's own coding of the alliance: dates, obligations, provisions (with what each
/// code means), phases, and each member's entry and exit as ATOP has them.
fn atop_section(coding: &AtopCoding, index: &StateIndex) -> String {
    let a = &coding.alliance;
    let mut s = String::new();
    let until = a.end.map_or_else(|| "in effect at the end of ATOP's data".to_owned(), date);
    let scope = if a.bilateral { "bilateral" } else { "multilateral" };
    let asymmetric = if a.asymmetric { " · obligations vary across members" } else { "" };
    let _ = writeln!(s, "ATOP coding of alliance {} ({} – {until} · {scope}{asymmetric})", a.atopid, date(a.begin));
    let _ = writeln!(s, "  obligations: {}", obligation_words(&a.obligations));
    let provisions = [
        ("military contact", a.milcon, &["none", "in wartime only", "in peacetime", "common defense policy"][..]),
        (
            "military aid",
            a.milaid,
            &["none", "general", "grants or loans", "training or technology", "grants and training or technology"],
        ),
        ("integrated command", a.intcom, &["no", "yes"]),
        ("subordination of forces", a.subord, &["no", "to a named state", "depending on circumstances"]),
        ("bases", a.base, &["none", "joint, on neutral territory", "reciprocal", "one-way stationing"]),
        ("organisation", a.organ1, &["none", "regular meetings", "named organisation", "permanent bureaucracy"]),
        ("specified contributions", a.contrib, &["no", "yes"]),
        ("arms", a.armred, &["no provision", "limits", "coordinated increase"]),
        (
            "specific threat",
            a.specthrt,
            &[
                "none",
                "states",
                "a region",
                "states in a region",
                "an ongoing conflict",
                "non-state actors",
                "another alliance",
            ],
        ),
        ("economic aid", a.ecaid, &["none", "general", "postwar recovery", "trade concessions"]),
    ];
    for (name, code, meanings) in provisions {
        let value = match code {
            None => "document not located".to_owned(),
            Some(c) => match meanings.get(usize::from(c)) {
                Some(meaning) => format!("{c} ({meaning})"),
                None => c.to_string(),
            },
        };
        let _ = writeln!(s, "  {name}: {value}");
    }
    if coding.phases.len() > 1 {
        let phases: Vec<String> = coding
            .phases
            .iter()
            .map(|p| format!("{} {}–{}", p.phase, date(p.begin), p.end.map(date).unwrap_or_default()))
            .collect();
        let _ = writeln!(s, "  phases: {}", phases.join(" · "));
    }
    let mut members =
        Table { headers: vec!["state", "phase", "entry", "exit", "obligations", "by partner"], rows: Vec::new() };
    for m in &coding.members {
        let state = match index.get(m.ccode) {
            Some(st) => format!("{} ({})", st.name, m.ccode),
            None => format!("{} (outside the COW system)", m.ccode),
        };
        members.rows.push(vec![
            state,
            m.phase.to_string(),
            date(m.entry),
            m.exit.map(date).unwrap_or_default(),
            obligation_words(&m.obligations),
            if m.obvary { "varies" } else { "" }.to_owned(),
        ]);
    }
    let _ = writeln!(s, "  members as ATOP codes them\n{}\n", indent(&grid(&members)));
    s
}

/// A date at the precision ATOP gives (a blank day is left out).
fn date(d: Ymd) -> String {
    pactbase_model::PartialDate::from(d).to_string()
}

fn obligation_words(o: &AtopObligations) -> String {
    let words = o.names();
    if words.is_empty() {
        "none".to_owned()
    } else {
        words.join(", ")
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
}
