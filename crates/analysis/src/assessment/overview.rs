//! The present-tense claims: what binds the state at the end of the reference year, and
//! whom it bound before, each commitment with its own years.

use pactbase_model::{Ccode, ObligationType, Standing, YearSpan};
use serde::Serialize;

use super::partners::{Partners, Tie};
use super::timeline::Timeline;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    pub reference_year: i32,
    /// Memberships begun by the reference year, and the distinct agreements among them.
    pub memberships: usize,
    pub agreements: usize,
    /// The first agreement it joined: (label, year).
    pub first: Option<(String, i32)>,
    /// Memberships in force at the end of the reference year, and those signed but not
    /// (yet) in force then.
    pub in_force: usize,
    pub not_yet_in_force: usize,
    /// Memberships whose standing is unknown then (known only to ATOP, which ends in
    /// 2018), and the last year their source describes.
    pub not_known: usize,
    pub known_until: Option<i32>,
    /// States bound to it, or it to them, by a defense or offense obligation at the end of
    /// the reference year.
    pub defense_partners: Vec<DefensePartner>,
    /// States so bound at some earlier time but not at the reference year.
    pub former_defense_partners: Vec<DefensePartner>,
    /// Ranked partners tied at the reference year, and all ranked partners.
    pub partners_now: usize,
    pub partners_ever: usize,
    /// States that share only conventions, forums or an association with it.
    pub other_states: usize,
}

/// A state bound with the assessed state by defense, and the agreements that bind them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DefensePartner {
    pub ccode: Ccode,
    pub commitments: Vec<DefenseCommitment>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DefenseCommitment {
    pub agreement_id: String,
    pub label: String,
    pub years: YearSpan,
    pub standing: Standing,
    /// Where the partner's membership stands at the reference year.
    pub partner_standing: Standing,
    /// The last year the agreement's source describes, when what stands after it is unknown.
    pub known_until: Option<i32>,
    /// The assessed state owes defense, and is owed it.
    pub owes: bool,
    pub owed: bool,
}

fn defends(list: &[ObligationType]) -> bool {
    list.iter().any(|o| matches!(o, ObligationType::Defense | ObligationType::Offense))
}

fn commitment(t: &Tie, now: bool) -> DefenseCommitment {
    let (out, back) = if now { (&t.out_now, &t.back_now) } else { (&t.out, &t.back) };
    DefenseCommitment {
        agreement_id: t.agreement_id.clone(),
        label: t.label.clone(),
        years: t.years,
        standing: t.standing,
        partner_standing: t.partner_standing,
        known_until: t.known_until,
        owes: defends(out),
        owed: defends(back),
    }
}

pub fn overview(timeline: &Timeline, partners: &Partners) -> Overview {
    let reference = partners.view.reference_year();
    let ms = &timeline.memberships;
    let mut ids: Vec<&str> = ms.iter().map(|m| m.agreement_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut defense_partners = Vec::new();
    let mut former_defense_partners = Vec::new();
    for p in &partners.ranked {
        let now: Vec<DefenseCommitment> = p
            .ties
            .iter()
            .filter(|t| t.stands && (defends(&t.out_now) || defends(&t.back_now)))
            .map(|t| commitment(t, true))
            .collect();
        let before: Vec<DefenseCommitment> = p
            .ties
            .iter()
            .filter(|t| !(t.stands && (defends(&t.out_now) || defends(&t.back_now))))
            .filter(|t| defends(&t.out) || defends(&t.back))
            .map(|t| commitment(t, false))
            .collect();
        if !now.is_empty() {
            defense_partners.push(DefensePartner { ccode: p.ccode, commitments: now });
        } else if !before.is_empty() {
            former_defense_partners.push(DefensePartner { ccode: p.ccode, commitments: before });
        }
    }
    Overview {
        reference_year: reference,
        memberships: ms.len(),
        agreements: ids.len(),
        first: ms.first().map(|m| (m.label.clone(), m.joined.year)),
        in_force: ms.iter().filter(|m| m.standing == Standing::InForce).count(),
        not_yet_in_force: ms.iter().filter(|m| m.standing == Standing::NotYetInForce).count(),
        not_known: ms.iter().filter(|m| m.standing == Standing::Unknown).count(),
        known_until: ms.iter().filter_map(|m| m.known_until).max(),
        defense_partners,
        former_defense_partners,
        partners_now: partners.current().count(),
        partners_ever: partners.ranked.len(),
        other_states: partners.others.len(),
    }
}
