use pactbase_model::StateIndex;
use pactbase_service::registry::Listed;
use pactbase_store::{check_search, AgreementFilter, SearchLimits, Store};

use crate::cli::AgreementsArgs;
use crate::failure::{Failure, Result};
use crate::output::{joined, Output, Table};
use crate::resolve;

pub fn list(store: &Store, args: &AgreementsArgs, out: &Output) -> Result {
    if let Some(text) = &args.text {
        check_search(text, &SearchLimits::default()).map_err(Failure::Usage)?;
    }
    let index = store.state_index()?;
    let filter = AgreementFilter {
        member: args.member.as_deref().map(|m| resolve::state(&index, m)).transpose()?,
        kind: args.kind.as_deref().map(resolve::kind).transpose()?,
        active_in: args.active_in.map(resolve::year).transpose()?,
        text: args.text.clone(),
        parties: args.parties,
    };
    let agreements = store.agreements(&filter)?;
    let rows: Vec<Listed> = agreements.iter().map(|a| Listed::new(a, &index)).collect();
    let table_view = matches!(out.format, crate::cli::Format::Table);
    let table = Table {
        headers: vec![
            "id",
            "name",
            "kinds",
            "signed",
            "in_force",
            "ended",
            "status",
            "atopid",
            "members",
            "parties",
            "non_state_parties",
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.id.to_owned(),
                    if table_view { r.label.clone() } else { r.name.to_owned() },
                    r.kinds.clone(),
                    r.signed.clone(),
                    r.in_force.clone().unwrap_or_default(),
                    r.ended.clone().unwrap_or_default(),
                    r.status.clone(),
                    r.atopid.map(|a| a.to_string()).unwrap_or_default(),
                    if table_view { member_labels(&index, &r.members) } else { joined(&r.members) },
                    r.parties.to_string(),
                    joined(&r.non_state_parties),
                ]
            })
            .collect(),
    };
    out.tabular(&table, &rows)
}

/// Abbreviations for a table cell, shortened for large alliances.
fn member_labels(index: &StateIndex, members: &[u16]) -> String {
    let labels: Vec<String> = members.iter().map(|&c| index.label(c)).collect();
    if labels.len() > 8 {
        format!("{} … ({} states)", labels[..6].join(" "), labels.len())
    } else {
        labels.join(" ")
    }
}

pub fn search(store: &Store, text: &str, limit: usize, out: &Output) -> Result {
    check_search(text, &SearchLimits::default()).map_err(Failure::Usage)?;
    let hits = store.search(text, limit)?;
    if hits.is_empty() && matches!(out.format, crate::cli::Format::Table) {
        eprintln!("no agreement matches `{text}`");
    }
    let table = Table {
        headers: vec!["id", "name", "snippet"],
        rows: hits.iter().map(|h| vec![h.id.clone(), h.name.clone(), h.snippet.clone()]).collect(),
    };
    out.tabular(&table, &hits)
}
