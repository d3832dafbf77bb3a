use std::fmt::Write;

use pactbase_analysis::profile::{profile, Profile};
use pactbase_model::{StateIndex, Vocabulary};
use pactbase_store::{AgreementFilter, Store};

use crate::failure::Result;
use crate::output::{grid, joined, Output, Table};
use crate::resolve;

/// The last year the registry describes; agreements without an end run to here.
fn current_year() -> i32 {
    2025
}

pub fn country(store: &Store, query: &str, year: Option<i32>, out: &Output) -> Result {
    let index = store.state_index()?;
    let ccode = resolve::state(&index, query)?;
    let year = year.map(resolve::year).transpose()?;
    let agreements = store.agreements(&AgreementFilter { member: Some(ccode), ..Default::default() })?;
    let exercises = store.exercises(Some(ccode))?;
    let p = profile(ccode, year, &agreements, &exercises, current_year());
    let rows = membership_rows(&p, &index, matches!(out.format, crate::cli::Format::Csv));
    out.document(&render(&p, &index, &rows), &rows, &p)
}

fn membership_rows(p: &Profile, index: &StateIndex, codes: bool) -> Table {
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
        ],
        rows: p
            .memberships
            .iter()
            .map(|m| {
                let partners = if codes {
                    joined(&m.partners)
                } else {
                    m.partners.iter().map(|&c| index.label(c)).collect::<Vec<_>>().join(" ")
                };
                vec![
                    m.agreement_id.clone(),
                    p.ccode.to_string(),
                    if codes { m.agreement.clone() } else { format!("{} [{}]", m.label, m.agreement_id) },
                    joined(&m.kinds),
                    m.joined.to_string(),
                    m.left.map(|l| l.to_string()).unwrap_or_default(),
                    m.role.to_string(),
                    joined(&m.obligations),
                    joined(&m.owed),
                    partners,
                ]
            })
            .collect(),
    }
}

fn render(p: &Profile, index: &StateIndex, rows: &Table) -> String {
    let mut s = String::new();
    let state = index.get(p.ccode);
    let when = p.year.map(|y| format!(" in {y}")).unwrap_or_default();
    let _ = writeln!(
        s,
        "{} ({}, COW {}){when}: {} agreement memberships, {} partners\n",
        index.name(p.ccode),
        state.map(|s| s.abb.as_str()).unwrap_or(""),
        p.ccode,
        p.memberships.len(),
        p.partners.len()
    );
    let mut agreements = Table {
        headers: vec!["agreement", "kinds", "joined", "left", "obligations", "owed", "partners"],
        rows: Vec::new(),
    };
    for r in &rows.rows {
        agreements.rows.push(vec![
            r[2].clone(),
            r[3].clone(),
            r[4].clone(),
            r[5].clone(),
            r[7].clone(),
            r[8].clone(),
            abbreviate(&r[9]),
        ]);
    }
    let _ = writeln!(s, "agreements over time\n{}\n", grid(&agreements));

    let mut partners = Table {
        headers: vec!["partner", "strongest obligation", "tie out", "tie in", "years", "agreements"],
        rows: Vec::new(),
    };
    for pt in &p.partners {
        let years = format!("{}-{}", pt.first_year, pt.last_year.map(|y| y.to_string()).unwrap_or_default());
        partners.rows.push(vec![
            format!("{} ({})", index.name(pt.ccode), index.label(pt.ccode)),
            pt.strongest.map(|o| o.as_str().to_owned()).unwrap_or_else(|| "-".into()),
            pt.tie_out.to_string(),
            pt.tie_in.to_string(),
            years,
            pt.agreements.join(" "),
        ]);
    }
    let _ = writeln!(
        s,
        "partners by strongest tie (3 defense/offense, 2 neutrality/consultation, 1 nonaggression)\n{}\n",
        grid(&partners)
    );

    let kinds: Vec<String> = p.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(s, "kinds: {}\n", kinds.join(", "));
    if p.year.is_none() {
        let decades: Vec<String> =
            p.decades.iter().map(|d| format!("{}s: {} joined, {} in force", d.decade, d.joined, d.in_force)).collect();
        let _ = writeln!(s, "per decade\n  {}\n", decades.join("\n  "));
    }
    if !p.exercises.is_empty() {
        let mut ex = Table { headers: vec!["exercise", "partners", "domains", "years"], rows: Vec::new() };
        for e in &p.exercises {
            let partners = e.partners.iter().map(|&c| index.label(c)).collect::<Vec<_>>().join(" ");
            ex.rows.push(vec![
                format!("{} [{}]", e.name, e.id),
                abbreviate(&partners),
                e.domains.join(" "),
                compact_years(&e.years),
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

/// 2007 2009 2011 2012 2013 -> "2007, 2009, 2011-2013".
fn compact_years(years: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let mut j = i;
        while j + 1 < years.len() && years[j + 1] == years[j] + 1 {
            j += 1;
        }
        parts.push(if j > i { format!("{}-{}", years[i], years[j]) } else { years[i].to_string() });
        i = j + 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::compact_years;

    #[test]
    fn years_compact_into_runs() {
        assert_eq!(compact_years(&[2007, 2009, 2011, 2012, 2013]), "2007, 2009, 2011-2013");
        assert_eq!(compact_years(&[]), "");
    }
}
