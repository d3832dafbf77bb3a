//! The case studies (NATO, ANZUS, Five Eyes) assembled from the store: membership and its
//! changes from the registry, burden sharing from SIPRI, exercises from MME, the
//! intelligence-sharing arrangements among the members, cohesion from the alliance ties,
//! and the same measures for one state and its partners, side by side with the case.

use std::ops::RangeInclusive;

use pactbase_analysis::case_study::{
    burden, cohesion, exercise_density, is_cooperation, mean, members_in, membership_changes, partners_in,
    shared_agreements, state_exercises, BurdenYear, ExerciseYear, MembershipChange,
};
use pactbase_analysis::panel::DyadTable;
use pactbase_model::research::Dataset;
use pactbase_model::{Agreement, AgreementKind, Ccode};
use pactbase_store::Store;

use crate::{Result, REGISTRY_LAST_YEAR};

/// A case: the registry agreement it studies and what it teaches.
#[derive(Debug)]
pub struct Case {
    pub slug: &'static str,
    pub agreement: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
}

pub const CASES: [Case; 3] = [
    Case {
        slug: "nato",
        agreement: "nato",
        title: "NATO: collective defense under an integrated command",
        lead: "The North Atlantic Treaty (1949) grew from 12 founders to 32 members. Its Article 5 pledges collective defense, and its members put forces under one integrated command, which France left in 1966 and rejoined in 2009.",
    },
    Case {
        slug: "anzus",
        agreement: "anzus",
        title: "ANZUS: a pledge suspended between two members",
        lead: "Australia, New Zealand and the United States pledged in 1951 to act against a common danger. In 1986 the United States suspended its obligations toward New Zealand, which had closed its ports to nuclear-armed and nuclear-powered ships; the treaty runs on between the others.",
    },
    Case {
        slug: "five-eyes",
        agreement: "ukusa",
        title: "Five Eyes: intelligence sharing without a defense pledge",
        lead: "The UKUSA agreement (1946) of the United Kingdom and the United States, joined by Canada, Australia and New Zealand, pools signals intelligence. It sets no obligation to defend: its members are bound to each other by other treaties.",
    },
];

pub fn case(slug: &str) -> Option<&'static Case> {
    CASES.iter().find(|c| c.slug == slug)
}

/// The case study of agreement `id`, if there is one.
pub fn case_of_agreement(id: &str) -> Option<&'static Case> {
    CASES.iter().find(|c| c.agreement == id)
}

#[derive(Debug)]
pub struct CaseStudy {
    pub case: &'static Case,
    pub agreement: Agreement,
    /// From signature to the registry's current year.
    pub years: RangeInclusive<i32>,
    pub members: Vec<(i32, usize)>,
    pub changes: Vec<MembershipChange>,
    /// `None` when SIPRI's military expenditure is not imported.
    pub burden: Option<Vec<BurdenYear>>,
    /// `None` when MME is not imported.
    pub exercises: Option<Vec<ExerciseYear>>,
    /// The registry's intelligence-sharing arrangements with two members or more.
    pub intelligence: Vec<Agreement>,
    /// Its other cooperation agreements with two members or more.
    pub shared: Vec<Agreement>,
    pub cohesion: Vec<(i32, Option<f64>)>,
    pub comparison: Comparison,
}

/// One state's own commitments, measured as the case is.
#[derive(Debug)]
pub struct Comparison {
    pub state: Ccode,
    /// The registry's current year: what is in force now.
    pub year: i32,
    /// Its cooperation agreements in force in `year`.
    pub in_force: Vec<Agreement>,
    /// The other parties of those agreements.
    pub partners: Vec<Ccode>,
    /// Its intelligence-sharing arrangements, ever.
    pub intelligence: Vec<Agreement>,
    /// Exercises per member-year with fellow members (case) and per year with partners
    /// (state), averaged over the same MME years; `None` without MME.
    pub exercises: Option<ExerciseComparison>,
    /// The latest SIPRI year with figures for both.
    pub burden: Option<BurdenComparison>,
}

#[derive(Debug)]
pub struct ExerciseComparison {
    pub years: (i32, i32),
    pub case: Option<f64>,
    pub state: Option<f64>,
}

#[derive(Debug)]
pub struct BurdenComparison {
    pub case: BurdenYear,
    /// The state with the partners of its agreements in force that year.
    pub state: BurdenYear,
}

/// Case `case` with `state`'s commitments beside it; `dyads` are the alliance ties of
/// the network (ATOP with the registry, or the registry alone).
pub fn assemble(store: &Store, case: &'static Case, state: Ccode, dyads: &DyadTable) -> Result<Option<CaseStudy>> {
    let Some(agreement) = store.agreement(case.agreement)? else { return Ok(None) };
    let registry = store.curated_agreements()?;
    let years = agreement.signed.year..=REGISTRY_LAST_YEAR;
    let group = |y: i32| members_in(&agreement, y);
    let milex = if store.has_dataset(Dataset::SipriMilex)? { Some(store.sipri()?) } else { None };
    let mme = if store.has_dataset(Dataset::Mme)? { Some(store.mme()?) } else { None };
    let burden_rows = milex.as_ref().map(|rows| burden(&group, rows, within(rows.iter().map(|r| r.year), &years)));
    let mme_years = mme.as_ref().map(|rows| within(rows.iter().map(|e| e.year), &years));
    let exercises = mme.as_ref().zip(mme_years.clone()).map(|(rows, range)| exercise_density(&group, rows, range));
    let shared = shared_agreements(&agreement, &registry);
    let is_intelligence = |a: &&Agreement| a.kinds.contains(&AgreementKind::IntelligenceSharing);
    let mut intelligence: Vec<Agreement> = shared.iter().copied().filter(is_intelligence).cloned().collect();
    if is_intelligence(&&agreement) {
        intelligence.insert(0, agreement.clone());
    }
    let own: Vec<Agreement> = registry.iter().filter(|a| a.memberships_of(state).next().is_some()).cloned().collect();
    let partners = |y: i32| partners_in(state, &own, y);
    let with_state = |y: i32| {
        let mut g = partners(y);
        g.push(state);
        g
    };
    let year = REGISTRY_LAST_YEAR;
    let comparison = Comparison {
        state,
        year,
        in_force: own
            .iter()
            .filter(|a| is_cooperation(a) && a.active_in(year) && a.memberships_of(state).any(|m| m.active_in(year)))
            .cloned()
            .collect(),
        partners: partners(year),
        intelligence: own.iter().filter(is_intelligence).cloned().collect(),
        exercises: match (&mme, &exercises, &mme_years) {
            (Some(rows), Some(case_rows), Some(range)) if !range.is_empty() => {
                let state_rows = state_exercises(state, &partners, rows, range.clone());
                Some(ExerciseComparison {
                    years: (*range.start(), *range.end()),
                    case: mean(case_rows.iter().map(|r| r.per_member)),
                    state: mean(state_rows.iter().map(|r| r.1 as f64)),
                })
            }
            _ => None,
        },
        burden: match (&milex, &burden_rows) {
            (Some(rows), Some(case_rows)) => {
                let state_rows = burden(&with_state, rows, years.clone());
                case_rows.iter().rev().find_map(|c| {
                    let s = state_rows.iter().find(|s| s.year == c.year && s.share_of(state).is_some())?;
                    Some(BurdenComparison { case: c.clone(), state: s.clone() })
                })
            }
            _ => None,
        },
    };
    Ok(Some(CaseStudy {
        case,
        members: years.clone().map(|y| (y, group(y).len())).collect(),
        changes: membership_changes(&agreement),
        burden: burden_rows,
        exercises,
        intelligence,
        shared: shared.into_iter().filter(|a| is_cooperation(a) && !is_intelligence(a)).cloned().collect(),
        cohesion: cohesion(&group, dyads, years.clone()),
        years,
        agreement,
        comparison,
    }))
}

/// The years a dataset covers (from its rows) within `years`; empty when none.
fn within(data: impl Iterator<Item = i32>, years: &RangeInclusive<i32>) -> RangeInclusive<i32> {
    let (lo, hi) = data.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    lo.max(*years.start())..=hi.min(*years.end())
}
