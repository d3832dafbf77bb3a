//! The assessment in a few sentences, each from one part's figures: the report's "In
//! brief", the country page's summary and the home page's featured state say these same
//! sentences.

use std::collections::BTreeMap;

use pactbase_model::{Ccode, Standing, StateIndex, YearSpan};

use super::overview::DefensePartner;
use super::{CountryAssessment, CountryCore};

/// "A, B and C".
pub fn list_words(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "the United States (US-Pakistan Bilateral Agreement of Cooperation 1959, 1959–)".
fn defense_partner(p: &DefensePartner, index: &StateIndex) -> String {
    let agreements: Vec<String> = p
        .commitments
        .iter()
        .map(|c| match c.standing {
            Standing::NotYetInForce => format!("{}, signed {}, not yet in force", c.label, c.years.from),
            _ => format!("{}, {}", c.label, c.years),
        })
        .collect();
    format!("{} ({})", index.name(p.ccode), agreements.join("; "))
}

/// The sentences that rest on the registry: what it has joined, what binds it at the
/// reference year, whom it bound before, its closest partners and its rivals among them.
pub fn core_sentences(c: &CountryCore, index: &StateIndex) -> Vec<String> {
    let name = &c.state.name;
    let o = &c.overview;
    let year = c.reference_year;
    let mut out = Vec::new();
    let member = c.state.spells.iter().any(|s| s.start.year <= year && s.end.is_none_or(|e| e.year >= year));
    if !member && !c.state.spells.is_empty() {
        out.push(format!("{name} was not a member of the state system in {year}."));
    }
    match &o.first {
        Some((first, since)) => {
            let mut standing = vec![format!("{} in force", plural(o.in_force, "is", "are"))];
            if o.not_yet_in_force > 0 {
                standing.push(format!("{} signed but not yet in force", plural(o.not_yet_in_force, "is", "are")));
            }
            if let Some(k) = o.known_until.filter(|_| o.not_known > 0) {
                standing.push(format!("{} known only to {k}", plural(o.not_known, "is", "are")));
            }
            out.push(format!(
                "{name} has joined {} in the registry since {since} ({first}); at the end of {year}, {}.",
                plural(o.agreements, "agreement", "agreements"),
                list_words(&standing),
            ));
        }
        None => out.push(format!("The registry records no agreement for {name}.")),
    }
    if o.defense_partners.is_empty() {
        out.push(format!("No defense obligation binds it at the end of {year}."));
    } else {
        let names: Vec<String> = o.defense_partners.iter().map(|p| defense_partner(p, index)).collect();
        out.push(format!("In {year} defense obligations bind it to {}.", list_words(&names)));
    }
    if !o.former_defense_partners.is_empty() {
        // Grouped by the agreement that bound them: "SEATO (1954–1972): the United Kingdom, …".
        // An open span that does not stand is a suspended membership (Cuba in the Rio Treaty)
        // or one whose source ends before the reference year (an ATOP alliance in 2025).
        let mut by_agreement: BTreeMap<(YearSpan, String, String), Vec<String>> = BTreeMap::new();
        for p in &o.former_defense_partners {
            for c in &p.commitments {
                let note = match c.known_until.filter(|_| c.years.to.is_none()) {
                    Some(k) => format!(", not known after {k}"),
                    None if c.partner_standing == Standing::Suspended || c.standing == Standing::Suspended => {
                        ", suspended".into()
                    }
                    None => String::new(),
                };
                by_agreement.entry((c.years, c.label.clone(), note)).or_default().push(index.name(p.ccode));
            }
        }
        let groups: Vec<String> = by_agreement
            .into_iter()
            .map(|((years, label, note), names)| format!("{} through {label} ({years}{note})", list_words(&names)))
            .collect();
        out.push(format!("Earlier, defense obligations bound it to {}.", groups.join("; ")));
    }
    let top: Vec<String> = c.partners.closest().take(3).map(|p| index.name(p.ccode)).collect();
    if !top.is_empty() {
        out.push(format!(
            "Its closest partners{}, by legal commitment and depth of cooperation together: {}.",
            if c.view.is_history() { " over its history".to_string() } else { format!(" in {year}") },
            list_words(&top)
        ));
    }
    let rivals: Vec<String> = c
        .partners
        .ranked
        .iter()
        .filter_map(|p| {
            let r = p.rival.as_ref().filter(|r| r.active)?;
            let shared: Vec<String> = p.counted_ties().map(|t| t.label.clone()).collect();
            Some(format!("{} (a strategic rival {}; {})", index.name(p.ccode), r.years, list_words(&shared)))
        })
        .collect();
    if !rivals.is_empty() {
        out.push(format!("Agreements with rivals are not partnerships: {}.", list_words(&rivals)));
    }
    out
}

/// Every sentence: the core's, then one per research part that has something to say.
pub fn sentences(a: &CountryAssessment, index: &StateIndex) -> Vec<String> {
    let mut out = core_sentences(&a.core, index);
    let year = a.core.reference_year;
    if let Ok(n) = &a.network {
        if let Some(r) = &n.reference {
            out.push(format!(
                "In the {year} alliance network it has {} and ranks {} of {} states by eigenvector centrality.",
                plural(r.degree as usize, "ally", "allies"),
                r.eigenvector_rank,
                r.states
            ));
        }
        if let Some(peak) = n.years.iter().max_by_key(|y| (y.degree, -y.year)) {
            out.push(format!("It had the most allies in {} ({}).", peak.year, peak.degree));
        }
    }
    if let Ok(c) = &a.capabilities.cinc {
        let peak = c
            .years
            .iter()
            .filter_map(|y| match (y.own, y.allied) {
                (Some(o), Some(al)) if o > 0.0 && y.partners > 0 => Some((y.year, al / o)),
                _ => None,
            })
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((y, ratio)) = peak {
            out.push(format!(
                "At the peak, in {y}, its defense partners together held {ratio:.1} times its own share of world capability (CINC)."
            ));
        }
    }
    if let Ok(m) = &a.core.exercises.mme {
        if let Some(top) = m.by_partner.first() {
            out.push(format!(
                "It took part in {} multinational exercises recorded in {}–{} (MME), most often alongside {} ({}).",
                m.total,
                m.coverage.0,
                m.coverage.1,
                index.name(top.partner),
                top.count
            ));
        }
    }
    if let Ok(i) = &a.impact {
        for s in &i.studies {
            if let Some(e) = &s.result.post_att {
                let verdict = if e.ci_low > 0.0 || e.ci_high < 0.0 {
                    "distinguishable from zero"
                } else {
                    "not distinguishable from zero"
                };
                out.push(format!(
                    "After entering {} in {}, its {} moved by {:.2} on average (95% CI {:.2} to {:.2}), {verdict}.",
                    s.agreement, s.entry_year, s.outcome, e.value, e.ci_low, e.ci_high
                ));
            }
        }
    }
    out.push(challenge_sentence(a, index));
    if let Ok(r) = &a.recommendations {
        let top: Vec<String> = r.partners.iter().take(3).map(|x| index.name(x.partner)).collect();
        if !top.is_empty() {
            out.push(format!("The partnership model's likeliest new allies as of {}: {}.", r.as_of, list_words(&top)));
        }
    }
    out
}

fn challenge_sentence(a: &CountryAssessment, index: &StateIndex) -> String {
    let c = &a.challenges;
    let mut parts = Vec::new();
    let failed: Vec<String> = c
        .invocations
        .items
        .iter()
        .filter(|i| i.failed)
        .map(|i| format!("{} ({}, {})", i.agreement.label, i.date.year, i.outcome))
        .collect();
    if !failed.is_empty() {
        parts.push(format!("commitments that failed or were limited when invoked: {}", list_words(&failed)));
    }
    if !c.episodes.items.is_empty() {
        let by: Vec<Ccode> = c.episodes.items.iter().map(|e| e.by).collect();
        let from = c.episodes.items.iter().map(|e| e.years.from).min().unwrap_or(a.core.reference_year);
        let to = c.episodes.items.iter().filter_map(|e| e.years.to).max();
        let mut who: Vec<String> = by.iter().map(|&x| index.name(x)).collect();
        who.sort();
        who.dedup();
        parts.push(format!(
            "{} recorded ({}, by {})",
            plural(c.episodes.items.len(), "suspension or sanction", "suspensions and sanctions"),
            YearSpan::new(from, to),
            list_words(&who)
        ));
    }
    if let Ok(k) = &c.conflicts {
        if !k.items.is_empty() {
            parts.push(plural(k.items.len(), "commitment conflict", "commitment conflicts"));
        }
    }
    if let Ok(p) = &c.rival_pledges {
        let pairs: Vec<String> =
            p.items.iter().map(|x| format!("{} and {}", index.name(x.a), index.name(x.b))).collect();
        if !pairs.is_empty() {
            parts.push(format!("obligations toward both sides of a rivalry ({})", list_words(&pairs)));
        }
    }
    let costly = c.sovereignty.items.iter().filter(|s| s.has_cost()).count();
    if costly > 0 {
        parts.push(plural(costly, "agreement with a sovereignty cost", "agreements with a sovereignty cost"));
    }
    if parts.is_empty() {
        "Challenges: none found in what was examined (see the challenges).".into()
    } else {
        format!("Challenges: {}.", parts.join("; "))
    }
}
