//! `pactbase arms S`: a state's arms imports by supplier (or exports by recipient) per
//! five-year period, with shares, concentration and the agreements in force.

use pactbase_analysis::arms::{PartnerShare, SharedAgreement, Side, Trade};
use pactbase_model::{StateIndex, Vocabulary, YearSpan};
use pactbase_service::arms;
use pactbase_store::Store;

use super::research;
use crate::cli::{ArmsArgs, ArmsBy, Format};
use crate::output::{grid, Output, Table};
use crate::resolve;

pub fn arms(store: &Store, args: &ArmsArgs, out: &Output) -> crate::failure::Result {
    let index = store.state_index()?;
    let ccode = resolve::state(&index, &args.state)?;
    let years = args.years.as_deref().map(resolve::years).transpose()?;
    let side = match args.by {
        ArmsBy::Supplier => Side::Imports,
        ArmsBy::Recipient => Side::Exports,
    };
    let trade = arms::trade(store, ccode, side, years).map_err(research::failure)?;
    if let Some(path) = &args.chart {
        let svg = arms::chart(&index, ccode, side, trade.years, &pactbase_analysis::arms::main_partners(&trade));
        std::fs::write(path, svg).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let csv = table(&trade, Format::Csv);
    let text = format!("{}\n\n{}\n", heading(&trade, &index), grid(&table(&trade, Format::Table)));
    out.document(&text, &csv, &trade)
}

fn heading(trade: &Trade, index: &StateIndex) -> String {
    let who = format!("{} ({}, {})", index.name(trade.ccode), index.label(trade.ccode), trade.ccode);
    let what = match trade.side {
        Side::Imports => "Arms imports of",
        Side::Exports => "Arms exports of",
    };
    match trade.years {
        Some((a, b)) => format!(
            "{what} {who}, {}: {:.0} (SIPRI trend-indicator values, TIV, millions)\n\
             HHI: concentration, the sum of the partners' squared shares (1 = a single partner)",
            span(a, b),
            trade.tiv
        ),
        None => format!("{what} {who}: the years asked for are outside SIPRI's tables"),
    }
}

/// One row per period and partner. The table format writes a period's figures on its
/// first row only and shares as percentages; CSV repeats them on every row.
fn table(trade: &Trade, format: Format) -> Table {
    let human = format == Format::Table;
    let partner = match trade.side {
        Side::Imports => "supplier",
        Side::Exports => "recipient",
    };
    let headers = if human {
        vec!["period", "period TIV", "HHI", partner, "TIV", "share", "agreements in force"]
    } else {
        vec![
            "first_year",
            "last_year",
            "period_tiv",
            "hhi",
            "partner",
            "partner_ccode",
            "partner_kind",
            "tiv",
            "share",
            "agreements",
        ]
    };
    let mut rows = Vec::new();
    for p in &trade.periods {
        for (k, s) in p.partners.iter().enumerate() {
            let hhi = p.hhi.map(|h| format!("{h:.3}")).unwrap_or_default();
            let row = if human {
                let (period, tiv, hhi) = if k == 0 {
                    (span(p.first_year, p.last_year), format!("{:.0}", p.tiv), hhi)
                } else {
                    Default::default()
                };
                let share = s.share.map(pactbase_analysis::arms::percent).unwrap_or_default();
                let agreements: Vec<String> = s.agreements.iter().map(described).collect();
                vec![period, tiv, hhi, s.names.join(" / "), format!("{:.0}", s.tiv), share, agreements.join("; ")]
            } else {
                vec![
                    p.first_year.to_string(),
                    p.last_year.to_string(),
                    p.tiv.to_string(),
                    hhi,
                    s.names.join(" / "),
                    s.ccode.map(|c| c.to_string()).unwrap_or_default(),
                    s.kind.as_str().to_owned(),
                    s.tiv.to_string(),
                    s.share.map(|v| format!("{v:.4}")).unwrap_or_default(),
                    coded(s),
                ]
            };
            rows.push(row);
        }
    }
    Table { headers, rows }
}

/// `1950–1954`, or one year.
fn span(first: i32, last: i32) -> String {
    YearSpan::new(first, Some(last)).to_string()
}

/// The kinds of an agreement, or the obligations it sets when it has no kind.
fn kinds(a: &SharedAgreement) -> Vec<&'static str> {
    if a.kinds.is_empty() {
        a.obligations.iter().map(|o| o.as_str()).collect()
    } else {
        a.kinds.iter().map(|k| k.as_str()).collect()
    }
}

/// `SEATO (mutual-defense-pact, regional-defense-alliance)`.
fn described(a: &SharedAgreement) -> String {
    format!("{} ({})", a.label, kinds(a).join(", "))
}

/// `seato:mutual-defense-pact|regional-defense-alliance;…`.
fn coded(s: &PartnerShare) -> String {
    let each: Vec<String> = s.agreements.iter().map(|a| format!("{}:{}", a.id, kinds(a).join("|"))).collect();
    each.join(";")
}
