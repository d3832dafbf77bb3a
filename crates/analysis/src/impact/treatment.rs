//! Who is treated, and when: the years in which a state is bound by the directed
//! obligations of the agreements studied — holding one, being owed one, either or both —
//! and each state's first spell of such years.
//!
//! An obligation binds in a year when the agreement is in force, its holder is a party
//! (founding or acceded, not a partner or observer) without its obligations suspended
//! toward the state owed, and the state owed is a party too, or a non-member the
//! agreement names (SEATO's protocol states). A promise toward a third party binds its
//! holder only.

use std::collections::{BTreeMap, BTreeSet};

use pactbase_model::{Agreement, Ccode, ObligationType};
use serde::Serialize;

use super::Treatment;

/// Which side of an obligation makes a state treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// It holds an obligation toward another state (a commitment it gave).
    Held,
    /// Another state holds one toward it (protection it received).
    Owed,
    /// Either (the default): bound by the agreement in one direction or the other,
    /// closest to membership while leaving out parties with no obligation.
    #[default]
    Either,
    /// Both at once: mutual commitments only.
    Both,
}

impl Bound {
    pub const ALL: [Bound; 4] = [Bound::Held, Bound::Owed, Bound::Either, Bound::Both];

    pub fn name(self) -> &'static str {
        match self {
            Bound::Held => "held",
            Bound::Owed => "owed",
            Bound::Either => "either",
            Bound::Both => "both",
        }
    }

    pub fn parse(word: &str) -> Option<Bound> {
        Bound::ALL.into_iter().find(|b| b.name() == word)
    }

    /// "holds", "is owed", … an obligation: for sentences.
    pub fn verb(self) -> &'static str {
        match self {
            Bound::Held => "holds",
            Bound::Owed => "is owed",
            Bound::Either => "holds or is owed",
            Bound::Both => "both holds and is owed",
        }
    }
}

/// Which obligation types count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObligationTypes {
    Any,
    Only(ObligationType),
}

/// Each state's first spell bound by `agreements` on side `bound` (obligations of `types`),
/// counting years through `until`; a spell still running in `until` has no last year.
pub fn obligation_spells(agreements: &[Agreement], types: ObligationTypes, bound: Bound, until: i32) -> Vec<Treatment> {
    let (mut held, mut owed): (BTreeMap<Ccode, BTreeSet<i32>>, BTreeMap<Ccode, BTreeSet<i32>>) = Default::default();
    for agreement in agreements {
        bound_years(agreement, types, until, &mut held, &mut owed);
    }
    let empty = BTreeSet::new();
    let states: BTreeSet<Ccode> = held.keys().chain(owed.keys()).copied().collect();
    states
        .into_iter()
        .filter_map(|state| {
            let (h, o) = (held.get(&state).unwrap_or(&empty), owed.get(&state).unwrap_or(&empty));
            let years: BTreeSet<i32> = match bound {
                Bound::Held => h.clone(),
                Bound::Owed => o.clone(),
                Bound::Either => h.union(o).copied().collect(),
                Bound::Both => h.intersection(o).copied().collect(),
            };
            first_spell(state, &years, until)
        })
        .collect()
}

/// Adds the years each obligation of `agreement` binds to its holder (`held`) and to the
/// state owed (`owed`).
fn bound_years(
    agreement: &Agreement,
    types: ObligationTypes,
    until: i32,
    held: &mut BTreeMap<Ccode, BTreeSet<i32>>,
    owed: &mut BTreeMap<Ccode, BTreeSet<i32>>,
) {
    let start = agreement.in_force.unwrap_or(agreement.signed).year.min(agreement.signed.year);
    let years: Vec<i32> = (start..=until).filter(|&y| agreement.active_in(y)).collect();
    let party_in =
        |state: Ccode, year: i32| agreement.memberships_of(state).any(|m| m.role.is_party() && m.active_in(year));
    let mut pairs: Vec<(Ccode, Option<Ccode>)> = agreement
        .directed_obligations()
        .into_iter()
        .filter(|d| types == ObligationTypes::Any || types == ObligationTypes::Only(d.kind))
        .map(|d| (d.from, d.toward))
        .collect();
    pairs.dedup();
    for (from, toward) in pairs {
        let member_owed = toward.is_some_and(|t| agreement.memberships_of(t).next().is_some());
        for &year in &years {
            // Suspended toward the state owed; toward a third party only a suspension
            // toward everyone applies, which is what naming the holder itself finds.
            let suspended = agreement
                .memberships_of(from)
                .any(|m| m.active_in(year) && m.obligations_suspended(toward.unwrap_or(from), year));
            let owed_bound = match toward {
                Some(t) if member_owed => party_in(t, year),
                _ => true,
            };
            if party_in(from, year) && !suspended && owed_bound {
                held.entry(from).or_default().insert(year);
                if let Some(t) = toward {
                    owed.entry(t).or_default().insert(year);
                }
            }
        }
    }
}

/// The first run of consecutive `years`; open when it reaches `until`.
fn first_spell(state: Ccode, years: &BTreeSet<i32>, until: i32) -> Option<Treatment> {
    let first_year = *years.first()?;
    let mut last = first_year;
    while years.contains(&(last + 1)) {
        last += 1;
    }
    Some(Treatment { state, first_year, last_year: (last < until).then_some(last) })
}

#[cfg(test)]
mod tests {
    use pactbase_model::{
        Membership, Obligation, PartialDate, Parties, PartyCoverage, Provisions, Role, Status, Suspension,
    };
    use pactbase_model::{SuspensionScope, Target};

    use super::*;

    fn member(ccode: Ccode, joined: i32, left: Option<i32>, role: Role) -> Membership {
        Membership {
            ccode,
            joined: PartialDate::year(joined),
            left: left.map(PartialDate::year),
            role,
            source: "s".into(),
            note: None,
            suspensions: vec![],
            signed: None,
            before_signature: None,
        }
    }

    fn obligation(kind: ObligationType, from: Parties, toward: Target) -> Obligation {
        Obligation { kind, from, toward, conditional: false, article: None, note: None, source: "s".into() }
    }

    fn agreement(members: Vec<Membership>, obligations: Vec<Obligation>, ended: Option<i32>) -> Agreement {
        Agreement {
            id: "pact".into(),
            name: "Pact".into(),
            short_names: vec![],
            kinds: vec![],
            signed: PartialDate::year(1954),
            in_force: None,
            ended: ended.map(PartialDate::year),
            status: Status::InForce,
            region: String::new(),
            depositary: None,
            atopid: None,
            summary: String::new(),
            text: None,
            provisions: Provisions::default(),
            sources: vec![],
            party_coverage: PartyCoverage::Complete,
            members,
            signatories: vec![],
            non_state_parties: vec![],
            obligations,
            reservations: vec![],
            invocations: vec![],
            atop_exceptions: vec![],
        }
    }

    fn spell(state: Ccode, first_year: i32, last_year: Option<i32>) -> Treatment {
        Treatment { state, first_year, last_year }
    }

    /// A SEATO-like pact: 2 (a guarantor, joined 1954) holds defense toward all; 770 and
    /// 800 hold defense toward all; 770 leaves in 1972; 2 also guarantees 817, a
    /// non-member; 255 is a partner, holding nothing.
    fn pact() -> Agreement {
        agreement(
            vec![
                member(2, 1954, None, Role::Founding),
                member(770, 1954, Some(1972), Role::Founding),
                member(800, 1956, None, Role::Acceded),
                member(255, 1954, None, Role::Partner),
            ],
            vec![
                obligation(ObligationType::Defense, Parties::States(vec![2, 770, 800]), Target::All),
                obligation(ObligationType::Defense, Parties::States(vec![2]), Target::States(vec![817])),
                obligation(ObligationType::Consultation, Parties::States(vec![2]), Target::All),
            ],
            Some(1977),
        )
    }

    #[test]
    fn spells_follow_the_obligations_and_end_with_them() {
        let spells = obligation_spells(&[pact()], ObligationTypes::Any, Bound::Either, 2025);
        assert_eq!(
            spells,
            vec![
                spell(2, 1954, Some(1977)),
                spell(770, 1954, Some(1972)),
                spell(800, 1956, Some(1977)),
                spell(817, 1954, Some(1977))
            ],
            "the partner (255) is neither bound nor owed"
        );
        // The protected non-member holds nothing.
        let held = obligation_spells(&[pact()], ObligationTypes::Any, Bound::Held, 2025);
        assert!(held.iter().all(|s| s.state != 817));
        let both = obligation_spells(&[pact()], ObligationTypes::Any, Bound::Both, 2025);
        assert_eq!(both.iter().map(|s| s.state).collect::<Vec<_>>(), [2, 770, 800]);
    }

    #[test]
    fn only_the_chosen_type_counts_and_a_running_spell_stays_open() {
        // Consultation only: 2 holds it toward 770 and 800; nobody holds it toward 2.
        let open = agreement(pact().members, pact().obligations, None);
        let owed = obligation_spells(
            std::slice::from_ref(&open),
            ObligationTypes::Only(ObligationType::Consultation),
            Bound::Owed,
            2025,
        );
        assert_eq!(owed, vec![spell(770, 1954, Some(1972)), spell(800, 1956, None)]);
        let held = obligation_spells(&[open], ObligationTypes::Only(ObligationType::Consultation), Bound::Held, 2025);
        assert_eq!(held, vec![spell(2, 1954, None)]);
    }

    #[test]
    fn a_suspension_interrupts_the_spell_and_a_later_agreement_does_not_extend_it() {
        // ANZUS-like: 2 suspends its obligations toward 920 from 1986.
        let mut members = vec![member(2, 1951, None, Role::Founding), member(920, 1951, None, Role::Founding)];
        members[0].suspensions.push(Suspension {
            from: PartialDate::year(1986),
            to: None,
            scope: SuspensionScope::Obligations,
            toward: vec![920],
            note: None,
            source: "s".into(),
        });
        let anzus = agreement(members, vec![obligation(ObligationType::Defense, Parties::All, Target::All)], None);
        let later = agreement(
            vec![member(2, 1995, None, Role::Founding), member(920, 1995, None, Role::Founding)],
            vec![obligation(ObligationType::Defense, Parties::All, Target::All)],
            None,
        );
        let owed = obligation_spells(&[anzus, later], ObligationTypes::Any, Bound::Owed, 2025);
        // 920 is owed nothing from 1986 until the later pact: its first spell ends in 1985.
        assert_eq!(owed.iter().find(|s| s.state == 920), Some(&spell(920, 1954, Some(1985))));
    }
}
