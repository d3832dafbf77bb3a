//! Where a state's commitments strain (FIELD.md §7; docs/CHALLENGES.md): commitments that
//! failed or were limited when invoked, suspensions and sanctions, obligations toward both
//! sides of a strategic rivalry, sovereignty costs, overlapping commitments to one partner,
//! and partners whose command structures and exercise practice differ. Each finding comes
//! with its evidence; a part that finds nothing says what it examined.

use std::collections::{BTreeMap, BTreeSet};

use pactbase_model::research::{AtopAlliance, Rivalry};
use pactbase_model::{
    Agreement, Ccode, InvocationOutcome, ObligationType, ReservationEffect, Source, SuspensionScope, YearSpan,
};
use serde::Serialize;

use crate::assessment::partners::{Partners, Tie, TieBasis};
use crate::assessment::{serialize_part, Part};
use crate::panel::DyadTable;

/// An agreement named for people: its id and its short label ("SEATO", "ATOP 3150").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreementRef {
    pub id: String,
    pub label: String,
}

/// Findings of one kind, and what was examined to find them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Found<T> {
    pub items: Vec<T>,
    /// What was looked at, in words: "none found" is only meaningful beside it.
    pub examined: String,
}

/// Every challenge of one state's commitments, up to the reference year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Challenges {
    pub ccode: Ccode,
    /// Where the alliance ties come from, in words.
    pub basis: String,
    pub invocations: Found<InvocationRecord>,
    pub reservations: Found<ReservationRecord>,
    pub episodes: Found<Episode>,
    #[serde(serialize_with = "serialize_part")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::assessment::PartJson<Found<CommitmentConflict>>))]
    pub conflicts: Part<Found<CommitmentConflict>>,
    #[serde(serialize_with = "serialize_part")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::assessment::PartJson<Found<RivalPledge>>))]
    pub rival_pledges: Part<Found<RivalPledge>>,
    pub sovereignty: Found<SovereigntyCost>,
    pub overlaps: Found<Overlap>,
    pub interoperability: Found<Interoperability>,
}

/// A source cited by key, as people read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
// `Citation` in the OpenAPI document is a dataset's (crates/web's `api/datasets.rs`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SourceCitation))]
pub struct Citation {
    pub title: String,
    pub publisher: String,
    pub url: Option<String>,
    pub reference: Option<String>,
}

fn cite(a: &Agreement, key: &str) -> Option<Citation> {
    a.sources.iter().find(|s: &&Source| s.key == key).map(|s| Citation {
        title: s.title.clone(),
        publisher: s.publisher.clone(),
        url: s.url.clone(),
        reference: s.reference.clone(),
    })
}

fn agreement_ref(a: &Agreement) -> AgreementRef {
    AgreementRef { id: a.id.clone(), label: a.label().to_owned() }
}

// ------------------------------------------------------------ invocations, reservations

/// A party's call on a commitment the state shares, and what came of it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvocationRecord {
    pub agreement: AgreementRef,
    pub date: pactbase_model::PartialDate,
    pub by: Ccode,
    pub against: Vec<Ccode>,
    pub obligation: ObligationType,
    pub article: Option<String>,
    pub outcome: InvocationOutcome,
    /// Declined, limited or disputed: the commitment did not deliver what it promised.
    pub failed: bool,
    pub note: String,
    pub source: Option<Citation>,
}

/// A reservation or understanding by the state or a fellow party that narrows what is owed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReservationRecord {
    pub agreement: AgreementRef,
    pub by: Ccode,
    pub article: Option<String>,
    pub effect: ReservationEffect,
    pub text: String,
    pub source: Option<Citation>,
}

/// Invocations and reservations in the agreements `state` is a party to, up to `until`.
pub fn invocations_and_reservations(
    state: Ccode,
    agreements: &[Agreement],
    until: i32,
) -> (Found<InvocationRecord>, Found<ReservationRecord>) {
    let parties: Vec<&Agreement> = agreements.iter().filter(|a| a.parties().contains(&state)).collect();
    let mut invocations: Vec<InvocationRecord> = parties
        .iter()
        .flat_map(|a| {
            a.invocations.iter().filter(|i| i.date.year <= until).map(|i| InvocationRecord {
                agreement: agreement_ref(a),
                date: i.date,
                by: i.by,
                against: i.against.clone(),
                obligation: i.obligation,
                article: i.article.clone(),
                outcome: i.outcome,
                failed: i.outcome != InvocationOutcome::Honoured,
                note: i.note.clone(),
                source: cite(a, &i.source),
            })
        })
        .collect();
    invocations.sort_by(|x, y| x.date.cmp(&y.date).then(x.agreement.cmp(&y.agreement)));
    let reservations: Vec<ReservationRecord> = parties
        .iter()
        .flat_map(|a| {
            a.reservations.iter().map(|r| ReservationRecord {
                agreement: agreement_ref(a),
                by: r.ccode,
                article: r.article.clone(),
                effect: r.effect,
                text: r.text.clone(),
                source: cite(a, &r.source),
            })
        })
        .collect();
    let n = parties.len();
    (
        Found {
            items: invocations,
            examined: format!("the recorded calls on the {n} agreements it has been a party to"),
        },
        Found { items: reservations, examined: format!("the reservations and understandings in those {n} agreements") },
    )
}

// ------------------------------------------------------------ suspensions and sanctions

/// A suspension, sanction or embargo recorded on one of the state's agreements that
/// concerns it: its own membership suspended, or a partner's commitment toward it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Episode {
    pub agreement: AgreementRef,
    /// Whose commitment was suspended.
    pub by: Ccode,
    /// Toward whom; empty: toward every fellow member.
    pub toward: Vec<Ccode>,
    pub scope: SuspensionScope,
    pub years: YearSpan,
    pub from: pactbase_model::PartialDate,
    pub to: Option<pactbase_model::PartialDate>,
    pub note: Option<String>,
    pub source: Option<Citation>,
}

pub fn episodes(state: Ccode, agreements: &[Agreement], until: i32) -> Found<Episode> {
    let mut items = Vec::new();
    let mut examined = 0;
    for a in agreements.iter().filter(|a| a.memberships_of(state).next().is_some()) {
        examined += 1;
        let party = a.parties().contains(&state);
        for m in &a.members {
            for s in m.suspensions.iter().filter(|s| s.from.year <= until) {
                // Its own, one toward it, or one toward every fellow party when it is a party.
                if !(m.ccode == state || s.toward.contains(&state) || (s.toward.is_empty() && party)) {
                    continue;
                }
                items.push(Episode {
                    agreement: agreement_ref(a),
                    by: m.ccode,
                    toward: s.toward.clone(),
                    scope: s.scope,
                    years: YearSpan::new(s.from.year, s.to.map(|t| t.year)),
                    from: s.from,
                    to: s.to,
                    note: s.note.clone(),
                    source: cite(a, &s.source),
                });
            }
        }
    }
    items.sort_by(|x, y| x.from.cmp(&y.from).then(x.agreement.cmp(&y.agreement)));
    Found { items, examined: format!("the suspensions recorded on its {examined} agreements") }
}

// ------------------------------------------------------------ rivalries

/// `holder` owes defense (or offense) to both `a` and `b` while `a` and `b` are rivals.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentConflict {
    pub holder: Ccode,
    pub a: Ccode,
    pub b: Ccode,
    pub rivalry: String,
    /// Maximal runs of consecutive years.
    pub spans: Vec<YearSpan>,
    /// The agreements carrying the obligations toward `a` and toward `b`.
    pub toward_a: Vec<AgreementRef>,
    pub toward_b: Vec<AgreementRef>,
}

/// The state is committed to both sides of a rivalry, short of defending both: a counted
/// partnership, or an obligation of consultation or more, toward each while they are
/// rivals (Pakistan's friendship treaty and defense pact with Saudi Arabia beside its SCO
/// consultation with Iran).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RivalPledge {
    pub a: Ccode,
    pub b: Ccode,
    pub rivalry: String,
    pub spans: Vec<YearSpan>,
    /// The strongest obligation between the state and each side in those years (either
    /// direction); `None` for a partnership without obligations (a programme).
    pub strongest_a: Option<ObligationType>,
    pub strongest_b: Option<ObligationType>,
    pub toward_a: Vec<AgreementRef>,
    pub toward_b: Vec<AgreementRef>,
}

fn is_defense(o: ObligationType) -> bool {
    matches!(o, ObligationType::Defense | ObligationType::Offense)
}

/// Defense (or offense) obligations in force in `year`: holder → partner → agreements.
fn defends(dyads: &DyadTable, year: i32) -> BTreeMap<Ccode, BTreeMap<Ccode, Vec<&str>>> {
    let mut out: BTreeMap<Ccode, BTreeMap<Ccode, Vec<&str>>> = BTreeMap::new();
    for k in dyads.year_range(year) {
        let (_, a, b) = dyads.keys[k];
        let t = &dyads.ties[k];
        if t.obligations.defense || t.obligations.offense {
            out.entry(a).or_default().insert(b, dyads.labels(t).collect());
        }
    }
    out
}

/// Conflicts that involve `state`, as the holder of both obligations or as one of the
/// rivals (a partner of `state` also pledged to defend its rival), over `years`. `label`
/// names an agreement by the label the dyad table gives it.
pub fn commitment_conflicts(
    state: Ccode,
    dyads: &DyadTable,
    rivalries: &[Rivalry],
    years: (i32, i32),
    label: &dyn Fn(&str) -> AgreementRef,
) -> Vec<CommitmentConflict> {
    #[derive(Default)]
    struct Acc<'a> {
        years: BTreeSet<i32>,
        toward_a: BTreeSet<&'a str>,
        toward_b: BTreeSet<&'a str>,
    }
    let mut found: BTreeMap<(Ccode, Ccode, Ccode, usize), Acc> = BTreeMap::new();
    for year in years.0..=years.1 {
        let defended = defends(dyads, year);
        if defended.is_empty() {
            continue;
        }
        for (r, rivalry) in rivalries.iter().enumerate().filter(|(_, r)| r.active_in(year)) {
            let (x, y) = (rivalry.ccode1, rivalry.ccode2);
            let holders: Vec<(Ccode, Ccode, Ccode)> = if state != x && state != y {
                vec![(state, x, y)]
            } else {
                let (own, rival) = if state == x { (x, y) } else { (y, x) };
                defended.keys().filter(|&&h| h != own && h != rival).map(|&h| (h, own, rival)).collect()
            };
            for (holder, a, b) in holders {
                let Some(toward) = defended.get(&holder) else { continue };
                let (Some(via_a), Some(via_b)) = (toward.get(&a), toward.get(&b)) else { continue };
                let e = found.entry((holder, a, b, r)).or_default();
                e.years.insert(year);
                e.toward_a.extend(via_a.iter().copied());
                e.toward_b.extend(via_b.iter().copied());
            }
        }
    }
    let refs = |ids: BTreeSet<&str>| -> Vec<AgreementRef> {
        let mut out: Vec<AgreementRef> = ids.into_iter().map(label).collect();
        out.sort_by(|a, b| a.label.cmp(&b.label));
        out.dedup();
        out
    };
    found
        .into_iter()
        .map(|((holder, a, b, r), f)| CommitmentConflict {
            holder,
            a,
            b,
            rivalry: rivalries[r].name.clone(),
            spans: pactbase_model::years::spans(f.years),
            toward_a: refs(f.toward_a),
            toward_b: refs(f.toward_b),
        })
        .collect()
}

/// The state's commitments toward both sides of each rivalry, up to `until`, short of
/// the defense conflicts: toward each side, a counted partnership ([`TieBasis::counts`])
/// or an obligation of consultation or more, and at least one side a counted partner.
/// Nonaggression alone (the TAC's promise to 54 states) is no commitment to take a side.
pub fn rival_pledges(partners: &Partners, rivalries: &[Rivalry], until: i32) -> Vec<RivalPledge> {
    let committing = |t: &Tie| {
        t.basis != TieBasis::Association
            && (t.basis.counts() || t.out.iter().chain(&t.back).any(|o| o.tie_value() >= 2))
    };
    let ties_of = |c: Ccode| -> Option<Vec<&Tie>> {
        let ties: Vec<&Tie> = partners.ties_with(c).iter().filter(|t| committing(t)).collect();
        (!ties.is_empty()).then_some(ties)
    };
    let counted = |c: Ccode| partners.ranked.iter().any(|p| p.ccode == c && p.counted_ties().next().is_some());
    let years_of = |ties: &[&Tie]| -> BTreeSet<i32> { ties.iter().flat_map(|t| t.known_years(until)).collect() };
    let strongest = |ties: &[&Tie], y: &BTreeSet<i32>| {
        ties.iter()
            .filter(|t| t.known_years(until).any(|x| y.contains(&x)))
            .flat_map(|t| t.out.iter().chain(&t.back))
            .copied()
            .max_by_key(|o| o.tie_value())
    };
    let refs = |ties: &[&Tie], y: &BTreeSet<i32>| {
        let mut out: Vec<AgreementRef> = ties
            .iter()
            .filter(|t| t.known_years(until).any(|x| y.contains(&x)))
            .map(|t| AgreementRef { id: t.agreement_id.clone(), label: t.label.clone() })
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let mut out = Vec::new();
    for r in rivalries {
        let (Some(ta), Some(tb)) = (ties_of(r.ccode1), ties_of(r.ccode2)) else { continue };
        if !counted(r.ccode1) && !counted(r.ccode2) {
            continue;
        }
        let both: BTreeSet<i32> =
            years_of(&ta).intersection(&years_of(&tb)).copied().filter(|&y| r.active_in(y) && y <= until).collect();
        if both.is_empty() {
            continue;
        }
        let (sa, sb) = (strongest(&ta, &both), strongest(&tb, &both));
        if sa.is_some_and(is_defense) && sb.is_some_and(is_defense) {
            continue; // a conflict, listed with the conflicts
        }
        out.push(RivalPledge {
            a: r.ccode1,
            b: r.ccode2,
            rivalry: r.name.clone(),
            spans: pactbase_model::years::spans(both.iter().copied()),
            strongest_a: sa,
            strongest_b: sb,
            toward_a: refs(&ta, &both),
            toward_b: refs(&tb, &both),
        });
    }
    out
}

// ------------------------------------------------------------ sovereignty

/// One component of a sovereignty-cost index: its value (0–1) and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Component {
    pub value: f64,
    pub basis: String,
}

/// Sovereignty costs of one agreement for one member. `index` is the mean of the coded
/// components and never travels without them.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SovereigntyCost {
    pub agreement_id: String,
    pub agreement: String,
    pub foreign_bases: Option<Component>,
    pub integrated_command: Option<Component>,
    pub subordination: Option<Component>,
    pub aid_dependence: Option<Component>,
    pub index: Option<f64>,
}

impl SovereigntyCost {
    /// The components with their names, in a fixed order.
    pub fn components(&self) -> [(&'static str, &Option<Component>); 4] {
        [
            ("foreign bases", &self.foreign_bases),
            ("integrated command", &self.integrated_command),
            ("subordination", &self.subordination),
            ("aid dependence", &self.aid_dependence),
        ]
    }

    /// Names of the components neither ATOP nor the registry codes for this agreement.
    pub fn not_coded(&self) -> Vec<&'static str> {
        self.components().into_iter().filter(|(_, c)| c.is_none()).map(|(n, _)| n).collect()
    }

    /// At least one coded component above zero.
    pub fn has_cost(&self) -> bool {
        self.components().iter().any(|(_, c)| c.as_ref().is_some_and(|c| c.value > 0.0))
    }
}

fn component(value: f64, basis: impl Into<String>) -> Option<Component> {
    Some(Component { value, basis: basis.into() })
}

/// Whether agreement `a` has an integrated military command, and on what basis. ATOP
/// (`coding`) codes the treaty's text; the registry records a command the parties built on
/// it (NATO's, which ATOP codes `intcom` 0), so either establishes one, and "none" needs
/// one of them to say so.
pub fn integrated_command(a: &Agreement, coding: Option<&AtopAlliance>) -> Option<(bool, &'static str)> {
    match (coding.and_then(|c| c.intcom), a.provisions.integrated_command) {
        (Some(v), _) if v > 0 => Some((true, "ATOP intcom 1: integrated command in peace and war")),
        (_, Some(true)) => Some((true, "registry: integrated command")),
        (Some(_), _) => Some((false, "ATOP intcom 0: no integrated command")),
        (None, Some(false)) => Some((false, "registry: no integrated command")),
        (None, None) => None,
    }
}

/// Sovereignty costs for `state` of each agreement it is a party to. ATOP's coding is used
/// where the agreement has one (`atop`), else the registry's provisions (an integrated
/// command by either: [`integrated_command`]); `weaker` tells
/// whether the state had less capability than its strongest partner when it joined, which
/// is what makes an aid provision a dependence.
pub fn sovereignty_costs(
    state: Ccode,
    agreements: &[Agreement],
    atop: &dyn Fn(u32) -> Option<AtopAlliance>,
    weaker: &dyn Fn(&Agreement) -> Option<bool>,
) -> Vec<SovereigntyCost> {
    let mut out = Vec::new();
    for a in agreements.iter().filter(|a| a.parties().contains(&state)) {
        let coding = a.atopid.and_then(atop);
        let p = &a.provisions;
        let foreign_bases = match coding.as_ref().and_then(|c| c.base) {
            Some(3) => component(1.0, "ATOP base 3: one-sided stationing of troops on members' territory"),
            Some(2) => component(0.5, "ATOP base 2: reciprocal stationing or use of facilities"),
            Some(1) => component(0.25, "ATOP base 1: joint placements on neutral territory"),
            Some(_) => component(0.0, "ATOP base 0: no stationing provisions"),
            None => p.foreign_bases.and_then(|b| {
                component(
                    f64::from(u8::from(b)),
                    if b { "registry: foreign bases provided for" } else { "registry: no foreign bases" },
                )
            }),
        };
        let suspended_command =
            a.memberships_of(state).flat_map(|m| &m.suspensions).any(|s| s.scope == SuspensionScope::IntegratedCommand);
        let integrated_command =
            integrated_command(a, coding.as_ref()).map(|(has, basis)| match (has, suspended_command) {
                (true, true) => {
                    Component { value: 0.5, basis: format!("{basis}; this member left it for part of its membership") }
                }
                (true, false) => Component { value: 1.0, basis: basis.into() },
                (false, _) => Component { value: 0.0, basis: basis.into() },
            });
        let subordination = match coding.as_ref().and_then(|c| c.subord) {
            Some(1) => component(1.0, "ATOP subord 1: forces subordinated to a named state in war"),
            Some(2) => component(0.5, "ATOP subord 2: subordination depending on circumstances"),
            Some(_) => component(0.0, "ATOP subord 0: no subordination of forces"),
            None => None,
        };
        let aid = match coding.as_ref().and_then(|c| c.milaid) {
            Some(0) => Some(false),
            Some(_) => Some(true),
            None => p.military_aid,
        };
        let aid_dependence = match (aid, weaker(a)) {
            (Some(true), Some(true)) => {
                component(1.0, "military aid provisions, and this member is the weaker party: a recipient")
            }
            (Some(true), Some(false)) => {
                component(0.0, "military aid provisions, but this member is the stronger party: a provider")
            }
            (Some(true), None) => component(0.5, "military aid provisions; capabilities unknown"),
            (Some(false), _) => component(0.0, "no military aid provisions"),
            (None, _) => None,
        };
        let coded: Vec<f64> = [&foreign_bases, &integrated_command, &subordination, &aid_dependence]
            .iter()
            .filter_map(|c| c.as_ref().map(|c| c.value))
            .collect();
        let index = (!coded.is_empty()).then(|| coded.iter().sum::<f64>() / coded.len() as f64);
        out.push(SovereigntyCost {
            agreement_id: a.id.clone(),
            agreement: a.label().to_owned(),
            foreign_bases,
            integrated_command,
            subordination,
            aid_dependence,
            index,
        });
    }
    out
}

// ------------------------------------------------------------ overlaps

/// Two or more agreements binding `state` and the same partner at once.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overlap {
    pub partner: Ccode,
    /// Every agreement that took part in an overlap.
    pub agreements: Vec<AgreementRef>,
    /// Years in which two or more of them were in force together.
    pub spans: Vec<YearSpan>,
}

/// Overlapping commitments: with each partner, the years up to `until` in which two or
/// more agreements that make the two partners (docs/PARTNERS.md) bound them together.
/// Conventions and forums are left out: the BWC beside a defense pact is no overlap.
pub fn overlapping_commitments(partners: &Partners, until: i32) -> Vec<Overlap> {
    let mut out = Vec::new();
    for p in &partners.ranked {
        let ties: Vec<&Tie> = p.counted_ties().collect();
        let years_of = |t: &Tie| t.known_years(until);
        let mut agreements: BTreeSet<AgreementRef> = BTreeSet::new();
        let mut years: BTreeSet<i32> = BTreeSet::new();
        for y in ties.iter().flat_map(|t| years_of(t)) {
            let together: Vec<&&Tie> = ties.iter().filter(|t| years_of(t).contains(&y)).collect();
            if together.len() >= 2 {
                years.insert(y);
                agreements.extend(
                    together.iter().map(|t| AgreementRef { id: t.agreement_id.clone(), label: t.label.clone() }),
                );
            }
        }
        if !years.is_empty() {
            out.push(Overlap {
                partner: p.ccode,
                agreements: agreements.into_iter().collect(),
                spans: pactbase_model::years::spans(years),
            });
        }
    }
    out
}

// ------------------------------------------------------------ interoperability

/// A partner whose command structure or exercise practice differs from the state's.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interoperability {
    pub partner: Ccode,
    /// Alliances with an integrated command the partner belongs to at the reference year
    /// and the state does not.
    pub commands_apart: Vec<AgreementRef>,
    /// Integrated commands the state belongs to and the partner does not.
    pub commands_without_partner: Vec<AgreementRef>,
    /// Joint exercises counted for the partner (MME and the registry's series).
    pub joint_exercises: usize,
}

/// Partners (`partners`, with their joint exercises) whose integrated command structures
/// differ from the state's at `year`: an alliance with an integrated command
/// ([`integrated_command`], from ATOP's coding `atop` and the registry's provisions) that
/// one belongs to and the other does not.
/// Partners the state never exercised with are listed too: nothing tests how their forces
/// work together. Suppliers of arms will join as a further difference.
pub fn interoperability(
    state: Ccode,
    partners: &[(Ccode, usize)],
    all_agreements: &[Agreement],
    atop: &dyn Fn(u32) -> Option<AtopAlliance>,
    year: i32,
) -> Found<Interoperability> {
    let commands: Vec<&Agreement> = all_agreements
        .iter()
        .filter(|a| integrated_command(a, a.atopid.and_then(atop).as_ref()).is_some_and(|(has, _)| has))
        .collect();
    let in_command = |c: Ccode, a: &Agreement| {
        a.members.iter().any(|m| {
            m.ccode == c && m.is_party() && matches!(a.standing(m, year), Some(pactbase_model::Standing::InForce))
        }) && !a.memberships_of(c).flat_map(|m| &m.suspensions).any(|s| {
            s.scope == SuspensionScope::IntegratedCommand && s.from.year <= year && s.to.is_none_or(|t| t.year > year)
        })
    };
    let own: BTreeSet<&str> = commands.iter().filter(|a| in_command(state, a)).map(|a| a.id.as_str()).collect();
    let items = partners
        .iter()
        .filter_map(|&(partner, joint_exercises)| {
            let theirs: Vec<&&Agreement> = commands.iter().filter(|a| in_command(partner, a)).collect();
            let commands_apart: Vec<AgreementRef> =
                theirs.iter().filter(|a| !own.contains(a.id.as_str())).map(|a| agreement_ref(a)).collect();
            let commands_without_partner: Vec<AgreementRef> = commands
                .iter()
                .filter(|a| own.contains(a.id.as_str()) && !in_command(partner, a))
                .map(|a| agreement_ref(a))
                .collect();
            (!commands_apart.is_empty() || !commands_without_partner.is_empty() || joint_exercises == 0)
                .then_some(Interoperability { partner, commands_apart, commands_without_partner, joint_exercises })
        })
        .collect();
    Found {
        items,
        examined: format!(
            "the integrated commands of {} alliances and the joint exercises of its {} current partners in {year}",
            commands.len(),
            partners.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::{AllianceInfo, PairYear};
    use pactbase_model::research::AtopObligations;

    fn defense(year: i32, a: Ccode, b: Ccode, alliance: u32) -> PairYear {
        let obligations = AtopObligations { defense: true, ..Default::default() };
        PairYear { year, a, b, alliance, obligations, transition: false }
    }

    fn rivalry(name: &str, a: Ccode, b: Ccode, start: i32, end: Option<i32>) -> Rivalry {
        Rivalry {
            id: 1,
            name: name.into(),
            ccode1: a,
            ccode2: b,
            start,
            end,
            positional: false,
            spatial: true,
            ideological: false,
            interventionary: false,
            principal: true,
        }
    }

    fn named(label: &str) -> AgreementRef {
        AgreementRef { id: label.into(), label: label.to_uppercase() }
    }

    fn info(label: &str) -> AllianceInfo {
        AllianceInfo { label: label.into(), bilateral: true, asymmetric: false }
    }

    #[test]
    fn a_patron_of_both_rivals_is_found_from_either_side() {
        let pairs = (1960..=1962).flat_map(|y| [defense(y, 2, 770, 0), defense(y, 2, 750, 1)]).collect::<Vec<_>>();
        let dyads = DyadTable::from_pairs(vec![info("with-pak"), info("with-ind")], pairs);
        let rivals = [rivalry("India-Pakistan", 750, 770, 1947, None)];
        let as_holder = commitment_conflicts(2, &dyads, &rivals, (1950, 1970), &named);
        assert_eq!(as_holder.len(), 1);
        assert_eq!(as_holder[0].spans, vec![YearSpan::new(1960, Some(1962))]);
        let as_party = commitment_conflicts(770, &dyads, &rivals, (1950, 1970), &named);
        assert_eq!((as_party[0].holder, as_party[0].a, as_party[0].b), (2, 770, 750));
        assert_eq!(as_party[0].toward_a, vec![named("with-pak")]);
        let late = [rivalry("India-Pakistan", 750, 770, 1965, None)];
        assert!(commitment_conflicts(770, &dyads, &late, (1950, 1963), &named).is_empty());
    }
}
