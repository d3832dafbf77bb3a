//! `pactbase challenges S`: where a state's commitments strain, as the assessment's
//! challenges part (`pactbase_service::assessment`, shared with the report and the web).

use std::fmt::Write;

use pactbase_analysis::challenges::{AgreementRef, Challenges, Found, SovereigntyCost};
use pactbase_model::{Ccode, StateIndex, Vocabulary, YearSpan};
use pactbase_store::Store;

use super::{assessment, research};
use crate::cli::ViewArgs;
use crate::failure::Result;
use crate::output::{Output, Table};

pub fn challenges(store: &Store, query: &str, view: &ViewArgs, out: &Output) -> Result {
    let ctx = assessment::context(store, query, view)?;
    let result = pactbase_service::assessment::challenges(store, &ctx).map_err(research::failure)?;
    let table = sovereignty_table(&result.sovereignty.items);
    let heading = format!(
        "{} ({}): challenges of its commitments to {}",
        ctx.index.name(ctx.ccode),
        ctx.index.label(ctx.ccode),
        ctx.request.view.reference_year()
    );
    out.document(&render(&result, &ctx.index, &heading), &table, &result)
}

fn sovereignty_table(rows: &[SovereigntyCost]) -> Table {
    let cell = |c: &Option<pactbase_analysis::challenges::Component>| {
        c.as_ref().map(|c| format!("{:.2}", c.value)).unwrap_or_else(|| "n/a".into())
    };
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

fn labels(list: &[AgreementRef]) -> String {
    list.iter().map(|a| a.label.as_str()).collect::<Vec<_>>().join(", ")
}

fn spans(list: &[YearSpan]) -> String {
    list.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")
}

/// The findings, one line each, or "none found in" what was examined.
fn part<T>(s: &mut String, title: &str, f: &Found<T>, line: impl Fn(&T) -> String) {
    let _ = writeln!(s, "\n{title}");
    if f.items.is_empty() {
        let _ = writeln!(s, "  none found in {}", f.examined);
    }
    for item in &f.items {
        let _ = writeln!(s, "  {}", line(item));
    }
}

fn render(c: &Challenges, index: &StateIndex, heading: &str) -> String {
    let mut s = String::new();
    let name = |x: Ccode| format!("{} ({})", index.name(x), index.label(x));
    let names = |xs: &[Ccode]| xs.iter().map(|&x| index.label(x)).collect::<Vec<_>>().join(" ");
    let _ = writeln!(s, "{heading}\n{}", c.basis);
    part(
        &mut s,
        "commitments called on (declined, limited or disputed: the commitment did not deliver)",
        &c.invocations,
        |i| {
            format!(
                "{} {} — {} called on it{}: {} — {}",
                i.date,
                i.agreement.label,
                name(i.by),
                if i.against.is_empty() { String::new() } else { format!(" against {}", names(&i.against)) },
                i.outcome.as_str().to_uppercase(),
                i.note
            )
        },
    );
    part(&mut s, "reservations and understandings", &c.reservations, |r| {
        format!(
            "{} — {} ({}, {}): {}",
            r.agreement.label,
            name(r.by),
            r.article.as_deref().unwrap_or("-"),
            r.effect.as_str(),
            r.text
        )
    });
    part(&mut s, "suspensions and sanctions", &c.episodes, |e| {
        format!(
            "{}–{} {} — {} toward {}: {} — {}",
            e.from,
            e.to.map(|t| t.to_string()).unwrap_or_default(),
            e.agreement.label,
            name(e.by),
            if e.toward.is_empty() { "every fellow party".to_string() } else { names(&e.toward) },
            e.scope.as_str(),
            e.note.as_deref().unwrap_or("")
        )
    });
    match &c.conflicts {
        Err(m) => {
            let _ = writeln!(s, "\ncommitment conflicts: need {} ({})", m.what, m.import.join(", "));
        }
        Ok(k) => {
            part(&mut s, "commitment conflicts: obligations to defend both sides of a strategic rivalry", k, |k| {
                format!(
                    "{} owed defense to both {} [{}] and {} [{}] while they were rivals ({}) in {}",
                    name(k.holder),
                    name(k.a),
                    labels(&k.toward_a),
                    name(k.b),
                    labels(&k.toward_b),
                    k.rivalry,
                    spans(&k.spans)
                )
            })
        }
    }
    if let Ok(p) = &c.rival_pledges {
        part(&mut s, "obligations toward both sides of a rivalry, short of defending both", p, |p| {
            format!(
                "{} [{}: {}] and {} [{}: {}], rivals ({}), in {}",
                name(p.a),
                p.strongest_a.map_or("partnership", |o| o.as_str()),
                labels(&p.toward_a),
                name(p.b),
                p.strongest_b.map_or("partnership", |o| o.as_str()),
                labels(&p.toward_b),
                p.rivalry,
                spans(&p.spans)
            )
        });
    }
    let _ = writeln!(s, "\nsovereignty costs (0 none – 1 high), established components with their basis");
    let costly: Vec<&SovereigntyCost> = c.sovereignty.items.iter().filter(|x| x.has_cost()).collect();
    if costly.is_empty() {
        let _ = writeln!(s, "  none established in {}", c.sovereignty.examined);
    }
    for x in costly {
        let uncoded = x.not_coded();
        let uncoded = if uncoded.is_empty() { String::new() } else { format!("; not coded: {}", uncoded.join(", ")) };
        let _ = writeln!(s, "  {} (index {:.2}{uncoded})", x.agreement, x.index.unwrap_or(0.0));
        for (label, comp) in x.components() {
            if let Some(comp) = comp {
                let _ = writeln!(s, "    {label} {:.2}: {}", comp.value, comp.basis);
            }
        }
    }
    let free: Vec<&str> = c
        .sovereignty
        .items
        .iter()
        .filter(|x| x.index.is_some() && !x.has_cost())
        .map(|x| x.agreement.as_str())
        .collect();
    let uncoded: Vec<&str> =
        c.sovereignty.items.iter().filter(|x| x.index.is_none()).map(|x| x.agreement.as_str()).collect();
    if !free.is_empty() {
        let _ = writeln!(s, "  coded, with no cost: {}", free.join(", "));
    }
    if !uncoded.is_empty() {
        let _ = writeln!(s, "  not coded (unknown, not free): {}", uncoded.join(", "));
    }
    let _ = writeln!(s, "  (the full table: --format csv)");
    part(&mut s, "overlapping commitments: several agreements with the same partner at once", &c.overlaps, |o| {
        format!("{} — {} in {}", name(o.partner), labels(&o.agreements), spans(&o.spans))
    });
    part(&mut s, "interoperability: current partners organised or trained apart", &c.interoperability, |x| {
        let mut parts = Vec::new();
        if !x.commands_apart.is_empty() {
            parts.push(format!("in integrated commands it is not in: {}", labels(&x.commands_apart)));
        }
        if !x.commands_without_partner.is_empty() {
            parts.push(format!("outside its integrated commands: {}", labels(&x.commands_without_partner)));
        }
        parts.push(if x.joint_exercises == 0 {
            "no joint exercise recorded".into()
        } else {
            format!("{} joint exercises", x.joint_exercises)
        });
        format!("{} — {}", name(x.partner), parts.join("; "))
    });
    s
}
