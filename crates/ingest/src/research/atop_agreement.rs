//! An ATOP alliance as a registry agreement, so that `agreements` and `show` list ATOP's
//! alliances beside the curated ones (the store keeps it only while no curated agreement
//! claims its atopid).
//!
//! What the registry's fields take from ATOP (docs/IMPORT.md):
//! - kinds: `mutual-defense-pact` for a defense or offense obligation, with
//!   `regional-defense-alliance` when more than two states are party; `security-assistance`
//!   when it provides military aid (`milaid` ≥ 1); `arms-control` when it limits arms
//!   (`armred` = 1). A pact of neutrality, nonaggression or consultation alone has no
//!   kind of the taxonomy and is found by its ATOP obligation type (`--kind consultation`).
//! - provisions: foreign bases for stationing on members' territory (`base` 2 or 3),
//!   integrated command (`intcom`), military aid (`milaid` ≥ 1), organisation for a named
//!   or permanent body (`organ1` ≥ 2), arms limits (`armred` = 1); a blank ATOP code
//!   stays unknown. ATOP does not code technology transfer, intelligence sharing or
//!   exercises separately, so those stay unknown too.
//! - members: one membership per continuous stay (phase rows that touch are joined);
//!   founding when the state entered on the alliance's first day.
//! - obligations: each member's own obligations toward all fellow members, conditional
//!   when ATOP codes conditions on them; ATOP's member file does not say toward whom an
//!   obligation runs, which is noted where it differs by partner (`obvary`).
//! - status: in force when ATOP has no end, else terminated (ATOP does not say how).

use std::collections::HashMap;

use pactbase_model::research::{AtopAlliance, AtopMember, AtopPhase, Ymd};
use pactbase_model::{
    Agreement, AgreementKind, Ccode, Membership, NonStateParty, Obligation, ObligationType, PartialDate, Parties,
    PartyCoverage, Provisions, Role, Source, StateIndex, Status, Target, Vocabulary,
};

use super::atop::Conditions;

const SOURCE_KEY: &str = "atop";

pub(super) fn build_all(
    alliances: &[AtopAlliance],
    phases: &[AtopPhase],
    members: &[AtopMember],
    conditions: &[Conditions],
    index: &StateIndex,
    version: &str,
) -> Vec<Agreement> {
    let mut rows: HashMap<u32, Vec<(&AtopMember, Conditions)>> = HashMap::new();
    for (m, &c) in members.iter().zip(conditions) {
        rows.entry(m.atopid).or_default().push((m, c));
    }
    let mut phase_count: HashMap<u32, usize> = HashMap::new();
    for p in phases {
        *phase_count.entry(p.atopid).or_default() += 1;
    }
    alliances
        .iter()
        .map(|a| {
            let rows = rows.get(&a.atopid).map_or(&[][..], Vec::as_slice);
            build(a, rows, phase_count.get(&a.atopid).copied().unwrap_or(1), index, version)
        })
        .collect()
}

fn build(
    a: &AtopAlliance,
    rows: &[(&AtopMember, Conditions)],
    phases: usize,
    index: &StateIndex,
    version: &str,
) -> Agreement {
    // Members outside the states table (ATOP's 8152) cannot be registry parties.
    let parties: Vec<Ccode> = a.members.iter().copied().filter(|&c| index.get(c).is_some()).collect();
    let mut members = Vec::new();
    let mut obligations = Vec::new();
    for &ccode in &parties {
        let mut own: Vec<&(&AtopMember, Conditions)> = rows.iter().filter(|(m, _)| m.ccode == ccode).collect();
        own.sort_by_key(|(m, _)| m.entry);
        for (entry, exit) in stays(own.iter().map(|(m, _)| (m.entry, m.exit))) {
            members.push(Membership {
                ccode,
                joined: entry.into(),
                signed: None,
                left: exit.map(PartialDate::from),
                role: if entry == a.begin { Role::Founding } else { Role::Acceded },
                source: SOURCE_KEY.into(),
                note: None,
                suspensions: Vec::new(),
            });
        }
        obligations.extend(member_obligations(ccode, &own, phases));
    }
    let n = parties.len();
    let o = &a.obligations;
    let mut kinds = Vec::new();
    if o.defense || o.offense {
        kinds.push(AgreementKind::MutualDefensePact);
        if n > 2 {
            kinds.push(AgreementKind::RegionalDefenseAlliance);
        }
    }
    if a.milaid.is_some_and(|c| c >= 1) {
        kinds.push(AgreementKind::SecurityAssistance);
    }
    if a.armred == Some(1) {
        kinds.push(AgreementKind::ArmsControl);
    }
    kinds.sort_unstable();
    Agreement {
        id: format!("atop-{}", a.atopid),
        name: format!("ATOP alliance {} ({})", a.atopid, party_labels(&parties, index)),
        short_names: vec![format!("ATOP {}", a.atopid)],
        kinds,
        signed: a.begin.into(),
        in_force: None,
        ended: a.end.map(PartialDate::from),
        status: if a.end.is_some() { Status::Terminated } else { Status::InForce },
        region: region(&parties),
        depositary: None,
        atopid: Some(a.atopid),
        summary: summary(a, n, version),
        text: None,
        provisions: Provisions {
            foreign_bases: a.base.map(|c| c >= 2),
            integrated_command: a.intcom.map(|c| c == 1),
            military_aid: a.milaid.map(|c| c >= 1),
            technology_transfer: None,
            intelligence_sharing: None,
            joint_exercises: None,
            arms_limits: a.armred.map(|c| c == 1),
            organisation: a.organ1.map(|c| c >= 2),
        },
        sources: vec![Source {
            key: SOURCE_KEY.into(),
            title: format!("Alliance Treaty Obligations and Provisions (ATOP) {version}, alliance {}", a.atopid),
            publisher: "ATOP project (Leeds, Ritter, Mitchell & Long)".into(),
            url: Some("http://www.atopdata.org/".into()),
            reference: Some(format!("{} and {}", super::atop::ALLIANCE_FILE, super::atop::MEMBER_FILE)),
            consulted: None,
        }],
        party_coverage: PartyCoverage::Complete,
        members,
        signatories: Vec::new(),
        non_state_parties: outside_cow(rows, index),
        obligations,
        reservations: Vec::new(),
        invocations: Vec::new(),
        atop_exceptions: Vec::new(),
    }
}

/// Joins a member's rows (sorted by entry) into continuous stays: a phase that starts
/// the day the previous one ends continues the same membership.
fn stays(rows: impl Iterator<Item = (Ymd, Option<Ymd>)>) -> Vec<(Ymd, Option<Ymd>)> {
    let mut out: Vec<(Ymd, Option<Ymd>)> = Vec::new();
    for (entry, exit) in rows {
        if let Some(last) = out.last_mut() {
            match last.1 {
                // Still a member: this row lies within the stay.
                None => continue,
                Some(last_exit) if entry <= last_exit => {
                    last.1 = exit.map(|e| e.max(last_exit));
                    continue;
                }
                Some(_) => {}
            }
        }
        out.push((entry, exit));
    }
    out
}

/// One obligation per type the member holds in any of its rows, noting the phases when
/// it holds in only some of them.
fn member_obligations(ccode: Ccode, rows: &[&(&AtopMember, Conditions)], phases: usize) -> Vec<Obligation> {
    let obvary = rows.iter().any(|(m, _)| m.obvary);
    let mut out = Vec::new();
    for &kind in ObligationType::ALL {
        let holding: Vec<(&AtopMember, bool)> = rows
            .iter()
            .filter_map(|(m, c)| {
                let (holds, conditional) = held(kind, m, c);
                holds.then_some((*m, conditional))
            })
            .collect();
        if holding.is_empty() {
            continue;
        }
        let mut notes = Vec::new();
        if phases > 1 && holding.len() < rows.len() {
            let mut in_phases: Vec<u8> = holding.iter().map(|(m, _)| m.phase).collect();
            in_phases.sort_unstable();
            in_phases.dedup();
            let list: Vec<String> = in_phases.iter().map(u8::to_string).collect();
            notes.push(format!("ATOP phase {} only", list.join(", ")));
        }
        if obvary {
            notes.push("ATOP: this member's obligations differ by partner (obvary)".to_owned());
        }
        out.push(Obligation {
            kind,
            from: Parties::States(vec![ccode]),
            toward: Target::All,
            conditional: holding.iter().any(|&(_, c)| c),
            article: None,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
            source: SOURCE_KEY.into(),
        });
    }
    out
}

/// Whether the member holds `kind`, and whether on conditions.
fn held(kind: ObligationType, m: &AtopMember, c: &Conditions) -> (bool, bool) {
    let o = &m.obligations;
    match kind {
        ObligationType::Defense => (o.defense, c.defense),
        ObligationType::Offense => (o.offense, c.offense),
        ObligationType::Neutrality => (o.neutral, c.neutral),
        ObligationType::Nonaggression => (o.nonagg, false),
        ObligationType::Consultation => (o.consul, c.consul),
    }
}

/// COW abbreviations for the name: all of them for small alliances, else the first few.
fn party_labels(parties: &[Ccode], index: &StateIndex) -> String {
    let labels: Vec<String> = parties.iter().map(|&c| index.label(c)).collect();
    if labels.len() <= 4 {
        labels.join(", ")
    } else {
        format!("{} … {} states", labels[..3].join(", "), labels.len())
    }
}

/// The COW regions of the parties, by code range, in order of first appearance.
fn region(parties: &[Ccode]) -> String {
    let mut regions: Vec<&str> = Vec::new();
    for &c in parties {
        let r = match c {
            0..=199 => "Americas",
            200..=399 => "Europe",
            400..=626 => "Africa",
            627..=699 => "Middle East",
            700..=899 => "Asia",
            _ => "Oceania",
        };
        if !regions.contains(&r) {
            regions.push(r);
        }
    }
    regions.join(" / ")
}

fn summary(a: &AtopAlliance, parties: usize, version: &str) -> String {
    let types = a.obligations.names();
    let until = match a.end {
        Some(end) => format!("ended {}", PartialDate::from(end)),
        None => "still in effect when ATOP's data end".to_owned(),
    };
    let scope = if a.bilateral { "Bilateral" } else { "Multilateral" };
    let asymmetric = if a.asymmetric { "; obligations differ across members" } else { "" };
    format!(
        "Alliance {} of the ATOP {version} data, signed {}, {until}. {scope}, {parties} states; obligations: {}{asymmetric}. \
         Imported from ATOP's alliance and member files, not reviewed by pactbase's editors.",
        a.atopid,
        PartialDate::from(a.begin),
        if types.is_empty() { "none coded".to_owned() } else { types.join(", ") },
    )
}

/// ATOP's members outside the states table (its 8152), kept by code so that the count of
/// parties stays whole.
fn outside_cow(rows: &[(&AtopMember, Conditions)], index: &StateIndex) -> Vec<NonStateParty> {
    rows.iter()
        .filter(|(m, _)| index.get(m.ccode).is_none())
        .map(|(m, _)| NonStateParty {
            name: format!("ATOP member code {} (outside the COW state system)", m.ccode),
            signed: None,
            joined: Some(m.entry.into()),
            left: m.exit.map(PartialDate::from),
            source: SOURCE_KEY.into(),
            note: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_phases_are_one_stay_and_a_return_is_another() {
        let d = |y, m, d| Ymd::new(y, m, d);
        let rows =
            [(d(1945, 3, 22), Some(d(1979, 3, 31))), (d(1989, 5, 22), Some(d(1990, 11, 21))), (d(1990, 11, 21), None)];
        assert_eq!(stays(rows.into_iter()), vec![(d(1945, 3, 22), Some(d(1979, 3, 31))), (d(1989, 5, 22), None)]);
    }

    #[test]
    fn regions_follow_cow_code_ranges() {
        assert_eq!(region(&[2, 200, 220]), "Americas / Europe");
        assert_eq!(region(&[770, 670, 651]), "Asia / Middle East");
    }
}
