//! A state's memberships over time: each with its span (ended ones with their end), where
//! it stands at the reference year, and what it binds the state to and with whom, ever and
//! at the reference year.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use pactbase_model::{
    Agreement, AgreementKind, Ccode, Membership, ObligationType, PartialDate, Role, Standing, YearSpan,
};
use serde::Serialize;

use super::View;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Timeline {
    /// One row per membership spell, in order of joining; in a year's view, those begun by
    /// the end of that year.
    pub memberships: Vec<MembershipSpan>,
    /// Agreements per kind (an agreement of two kinds counts under each).
    pub kinds: BTreeMap<AgreementKind, usize>,
    pub decades: Vec<Decade>,
}

/// One spell of the state's membership in one agreement.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipSpan {
    pub agreement_id: String,
    pub agreement: String,
    /// Short name (NATO, SEATO), else the official name.
    pub label: String,
    pub kinds: Vec<AgreementKind>,
    pub role: Role,
    pub joined: PartialDate,
    pub left: Option<PartialDate>,
    /// When the agreement itself ended, if it has.
    pub agreement_ended: Option<PartialDate>,
    /// From joining to leaving or the agreement's end; open while it runs on.
    pub years: YearSpan,
    /// Where it stands at the end of the reference year.
    pub standing: Standing,
    /// The last year its source describes, when that is before the reference year and the
    /// membership ran on to it (an ATOP alliance in 2025): its standing is then unknown.
    pub known_until: Option<i32>,
    /// Obligation types the state held toward fellow members (or a third party) at some
    /// point of the membership, and those fellow members held toward it.
    pub obligations: Vec<ObligationType>,
    pub owed: Vec<ObligationType>,
    /// The same at the reference year: empty unless the membership stands then.
    pub obligations_now: Vec<ObligationType>,
    pub owed_now: Vec<ObligationType>,
    pub fellows: Vec<Fellow>,
}

impl MembershipSpan {
    /// In force, or signed and awaiting entry into force, at the reference year.
    pub fn stands(&self) -> bool {
        stands(self.standing)
    }

    /// Fellow parties (partners and observers are in [`Self::associates`]).
    pub fn partners(&self) -> impl Iterator<Item = &Fellow> {
        self.fellows.iter().filter(|f| f.role.is_party())
    }

    pub fn associates(&self) -> impl Iterator<Item = &Fellow> {
        self.fellows.iter().filter(|f| !f.role.is_party())
    }
}

/// Where a membership stands, in words: "in force", "not known after 2018".
pub fn standing_words(s: Standing, known_until: Option<i32>) -> String {
    match (s, known_until) {
        (Standing::InForce, _) => "in force".into(),
        (Standing::NotYetInForce, _) => "signed, not yet in force".into(),
        (Standing::Suspended, _) => "suspended".into(),
        (Standing::Ended, _) => "ended".into(),
        (Standing::Unknown, Some(k)) => format!("not known after {k}"),
        (Standing::Unknown, None) => "not known".into(),
    }
}

/// Another member during the state's membership.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fellow {
    pub ccode: Ccode,
    pub role: Role,
    /// The years both were members.
    pub years: YearSpan,
    /// Whether the fellow's membership stands at the reference year too, and where it
    /// stands (Cuba's place in the Rio Treaty, suspended since 1962).
    pub stands: bool,
    pub standing: Standing,
    /// What the state held toward it, and it toward the state, ever and at the reference year.
    pub out: Vec<ObligationType>,
    pub back: Vec<ObligationType>,
    pub out_now: Vec<ObligationType>,
    pub back_now: Vec<ObligationType>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decade {
    pub decade: i32,
    /// Memberships begun in the decade, and those in force at some point of it.
    pub joined: usize,
    pub in_force: usize,
}

/// The obligations `from` holds toward `toward` under `a` in any of `years`, leaving out
/// the years a suspension covers (ANZUS, 1986).
pub fn held(a: &Agreement, from: Ccode, toward: Ccode, years: RangeInclusive<i32>) -> Vec<ObligationType> {
    let suspended_throughout = years.clone().all(|y| a.suspended_between(from, toward, y));
    if suspended_throughout {
        return Vec::new();
    }
    let mut kinds: Vec<ObligationType> = a
        .directed_obligations()
        .iter()
        .filter(|d| d.from == from && d.toward == Some(toward))
        .map(|d| d.kind)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// Where `m` stands at the end of `year`, when `known_until` (the last year the
/// agreement's source describes) is not before it; else ended if it had ended by then, and
/// unknown if not.
fn standing_at(a: &Agreement, m: &Membership, year: i32, known_until: Option<i32>) -> Option<Standing> {
    match known_until.filter(|&k| k < year) {
        Some(k) => a.standing(m, year).map(|_| match a.standing(m, k) {
            Some(Standing::Ended) => Standing::Ended,
            _ => Standing::Unknown,
        }),
        None => a.standing(m, year),
    }
}

/// Stands: in force, or signed and awaiting entry into force.
fn stands(s: Standing) -> bool {
    matches!(s, Standing::InForce | Standing::NotYetInForce)
}

/// The last year of a membership: the earlier of leaving and the agreement's end.
fn last_year(a: &Agreement, m: &Membership) -> Option<i32> {
    [m.left.map(|l| l.year), a.ended.map(|e| e.year)].into_iter().flatten().min()
}

/// The memberships of `ccode` in `agreements` (the agreements it belongs to), as of `view`.
/// `known_until` gives the last year an agreement's source describes (ATOP's 2018 for its
/// alliances), `None` for the registry's own: after it, what stands is unknown.
pub fn timeline(
    ccode: Ccode,
    view: View,
    agreements: &[Agreement],
    known_until: &dyn Fn(&Agreement) -> Option<i32>,
) -> Timeline {
    let reference = view.reference_year();
    let mut memberships = Vec::new();
    for a in agreements {
        let known = known_until(a);
        for m in a.memberships_of(ccode) {
            let Some(standing) = standing_at(a, m, reference, known) else { continue };
            let own_end = last_year(a, m);
            let own_stands = stands(standing);
            let mut fellows: Vec<Fellow> = Vec::new();
            for other in a.members.iter().filter(|o| o.ccode != ccode && o.joined.year <= reference) {
                let from = m.joined.year.max(other.joined.year);
                let to = [own_end, last_year(a, other)].into_iter().flatten().min();
                if to.is_some_and(|t| t < from) {
                    continue;
                }
                let years = from..=to.unwrap_or(reference).clamp(from, reference.max(from));
                let other_standing = standing_at(a, other, reference, known).unwrap_or(Standing::NotYetInForce);
                let other_stands = stands(other_standing);
                let now = |x: Ccode, y: Ccode| {
                    if own_stands && other_stands {
                        held(a, x, y, reference..=reference)
                    } else {
                        Vec::new()
                    }
                };
                let fellow = Fellow {
                    ccode: other.ccode,
                    role: other.role,
                    years: YearSpan::new(from, to),
                    stands: other_stands,
                    standing: other_standing,
                    out: held(a, ccode, other.ccode, years.clone()),
                    back: held(a, other.ccode, ccode, years),
                    out_now: now(ccode, other.ccode),
                    back_now: now(other.ccode, ccode),
                };
                match fellows.iter_mut().find(|f| f.ccode == fellow.ccode) {
                    // A fellow with two spells (left and rejoined) is one fellow.
                    Some(f) => merge(f, fellow),
                    None => fellows.push(fellow),
                }
            }
            // Guarantees toward a third party bind the state without a fellow member.
            let third_party: Vec<ObligationType> = a
                .directed_obligations()
                .iter()
                .filter(|d| d.from == ccode && d.toward.is_none())
                .map(|d| d.kind)
                .collect();
            let union = |lists: Vec<&Vec<ObligationType>>, extra: &[ObligationType]| {
                let mut all: Vec<ObligationType> =
                    lists.into_iter().flatten().copied().chain(extra.iter().copied()).collect();
                all.sort_unstable();
                all.dedup();
                all
            };
            let third_now: &[ObligationType] = if own_stands { &third_party } else { &[] };
            memberships.push(MembershipSpan {
                agreement_id: a.id.clone(),
                agreement: a.name.clone(),
                label: a.label().to_owned(),
                kinds: a.kinds.clone(),
                role: m.role,
                joined: m.joined,
                left: m.left,
                agreement_ended: a.ended,
                years: YearSpan::new(m.joined.year, own_end),
                standing,
                known_until: known.filter(|_| standing == Standing::Unknown),
                obligations: union(fellows.iter().map(|f| &f.out).collect(), &third_party),
                owed: union(fellows.iter().map(|f| &f.back).collect(), &[]),
                obligations_now: union(fellows.iter().map(|f| &f.out_now).collect(), third_now),
                owed_now: union(fellows.iter().map(|f| &f.back_now).collect(), &[]),
                fellows,
            });
        }
    }
    memberships.sort_by(|a, b| a.joined.cmp(&b.joined).then(a.agreement_id.cmp(&b.agreement_id)));
    let mut kinds = BTreeMap::new();
    let mut counted: Vec<&str> = Vec::new();
    for m in &memberships {
        if !counted.contains(&m.agreement_id.as_str()) {
            counted.push(&m.agreement_id);
            for &k in &m.kinds {
                *kinds.entry(k).or_insert(0) += 1;
            }
        }
    }
    let decades = decades(&memberships, reference);
    Timeline { memberships, kinds, decades }
}

fn merge(into: &mut Fellow, more: Fellow) {
    into.years =
        YearSpan::new(into.years.from.min(more.years.from), into.years.to.zip(more.years.to).map(|(a, b)| a.max(b)));
    if more.stands {
        into.stands = true;
        into.standing = more.standing;
    }
    for (list, extra) in [
        (&mut into.out, more.out),
        (&mut into.back, more.back),
        (&mut into.out_now, more.out_now),
        (&mut into.back_now, more.back_now),
    ] {
        list.extend(extra);
        list.sort_unstable();
        list.dedup();
    }
}

/// Per decade to `last_year`: memberships begun, and memberships in force at some point.
fn decades(memberships: &[MembershipSpan], last_year: i32) -> Vec<Decade> {
    let Some(first) = memberships.iter().map(|m| m.joined.year).min() else { return Vec::new() };
    let mut out = Vec::new();
    let mut decade = first - first.rem_euclid(10);
    while decade <= last_year {
        let end = decade + 9;
        out.push(Decade {
            decade,
            joined: memberships.iter().filter(|m| (decade..=end).contains(&m.joined.year)).count(),
            in_force: memberships
                .iter()
                .filter(|m| m.years.from <= end && m.years.to.is_none_or(|t| t >= decade))
                .count(),
        });
        decade += 10;
    }
    out
}

/// The state's defense agreements (mutual defense pacts and regional defense alliances) in
/// which it is a party, with its first year in each: multilateral ones first, then those
/// under which it holds or is owed defense, then by entry. `agreements` are the state's
/// agreements, as the timeline was built from.
pub fn main_alliances<'a>(t: &Timeline, agreements: &'a [Agreement]) -> Vec<(&'a Agreement, i32)> {
    let holds_defense = |id: &str| {
        t.memberships.iter().filter(|m| m.agreement_id == id).any(|m| {
            m.obligations.iter().chain(&m.owed).any(|o| matches!(o, ObligationType::Defense | ObligationType::Offense))
        })
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut out: Vec<(&Agreement, i32)> = t
        .memberships
        .iter()
        .filter(|m| m.role.is_party())
        .filter(|m| seen.insert(m.agreement_id.as_str()))
        .filter_map(|m| agreements.iter().find(|a| a.id == m.agreement_id).map(|a| (a, m.joined.year)))
        .filter(|(a, _)| {
            a.kinds
                .iter()
                .any(|k| matches!(k, AgreementKind::MutualDefensePact | AgreementKind::RegionalDefenseAlliance))
        })
        .collect();
    out.sort_by_key(|(a, joined)| (a.parties().len() <= 2, !holds_defense(&a.id), *joined));
    out
}
