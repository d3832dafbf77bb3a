//! A state's arms trade from SIPRI's transfer tables: its suppliers (or recipients) by
//! five-year period with their shares, the supplier concentration, and the agreements it
//! shared with each partner at the time (docs/ARMS.md). [`dyadic`] asks whether flows
//! between two states changed once they signed an agreement.

pub mod dyadic;
mod profile;

use std::collections::BTreeMap;

use pactbase_model::arms::{ArmsTransfers, PartyKind};
use pactbase_model::{Agreement, AgreementKind, Ccode, ObligationType};
use serde::Serialize;

pub use profile::{main_partners, percent, ArmsProfile, MainPartner};

/// Which side of a state's trade: what it received, by supplier, or what it delivered, by
/// recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    Imports,
    Exports,
}

/// A trading partner: a state by COW code, or a party that is not one by SIPRI's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum PartnerKey {
    State(Ccode),
    Party(u32),
}

/// One partner's deliveries over the years asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerSeries {
    /// SIPRI's names for the partner, in order of first delivery ("Soviet Union", "Russia").
    pub names: Vec<String>,
    pub ccode: Option<Ccode>,
    pub kind: PartyKind,
    /// TIV (millions) over all the years.
    pub tiv: f64,
    /// (year, TIV) for each year with a delivery.
    pub years: Vec<(i32, f64)>,
}

/// An agreement a state and a partner were both parties to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedAgreement {
    pub id: String,
    /// Short name, else the official name.
    pub label: String,
    pub kinds: Vec<AgreementKind>,
    /// The obligation types the agreement sets (ATOP's consultation or nonaggression pacts
    /// have no kind of the taxonomy).
    pub obligations: Vec<ObligationType>,
    /// First and last year both were parties (`None`: still are).
    pub from: i32,
    pub until: Option<i32>,
}

/// A partner's deliveries in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerShare {
    pub names: Vec<String>,
    pub ccode: Option<Ccode>,
    pub kind: PartyKind,
    pub tiv: f64,
    /// Of the period's total, 0 to 1; `None` when the total is 0.
    pub share: Option<f64>,
    /// Agreements both were parties to at some time in the period.
    pub agreements: Vec<SharedAgreement>,
}

/// One five-year period (shorter at the ends of the years asked for).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub first_year: i32,
    pub last_year: i32,
    pub tiv: f64,
    /// Herfindahl–Hirschman index of the partners' shares, 0 to 1 (1: a single partner);
    /// `None` when nothing of value was delivered.
    pub hhi: Option<f64>,
    /// Largest first.
    pub partners: Vec<PartnerShare>,
}

/// A state's arms trade over a span of years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trade {
    pub ccode: Ccode,
    pub side: Side,
    /// The years asked for, within SIPRI's coverage; `None` when they fall outside it.
    pub years: Option<(i32, i32)>,
    pub tiv: f64,
    /// Largest first.
    pub partners: Vec<PartnerSeries>,
    pub periods: Vec<Period>,
}

/// The years a period covers: five, aligned on multiples of five (1950–1954, …).
pub const PERIOD_YEARS: i32 = 5;

/// `ccode`'s imports or exports over `years` (clipped to the tables' coverage), with the
/// agreements among `agreements` it shared with each partner.
pub fn trade(data: &ArmsTransfers, ccode: Ccode, side: Side, years: (i32, i32), agreements: &[Agreement]) -> Trade {
    let span = (years.0.max(data.coverage.0), years.1.min(data.coverage.1));
    let span = (span.0 <= span.1).then_some(span);
    let mut series: BTreeMap<PartnerKey, PartnerSeries> = BTreeMap::new();
    // Each of a partner's SIPRI names with the year of its first delivery.
    let mut names: BTreeMap<PartnerKey, Vec<(i32, u32)>> = BTreeMap::new();
    for t in data.transfers.iter().filter(|t| span.is_some_and(|(a, b)| (a..=b).contains(&t.year))) {
        let (own, partner, partner_ccode) = match side {
            Side::Imports => (t.recipient_ccode, t.supplier, t.supplier_ccode),
            Side::Exports => (t.supplier_ccode, t.recipient, t.recipient_ccode),
        };
        if own != Some(ccode) {
            continue;
        }
        let key = partner_ccode.map_or(PartnerKey::Party(partner), PartnerKey::State);
        let party = data.party(partner);
        let s = series.entry(key).or_insert_with(|| PartnerSeries {
            names: Vec::new(),
            ccode: partner_ccode,
            kind: party.kind,
            tiv: 0.0,
            years: Vec::new(),
        });
        s.tiv += t.tiv;
        match s.years.binary_search_by_key(&t.year, |&(y, _)| y) {
            Ok(i) => s.years[i].1 += t.tiv,
            Err(i) => s.years.insert(i, (t.year, t.tiv)),
        }
        let seen = names.entry(key).or_default();
        match seen.iter_mut().find(|(_, p)| *p == partner) {
            Some(first) => first.0 = first.0.min(t.year),
            None => seen.push((t.year, partner)),
        }
    }
    for (key, mut seen) in names {
        seen.sort_unstable();
        if let Some(s) = series.get_mut(&key) {
            s.names = seen.into_iter().map(|(_, p)| data.party(p).name.clone()).collect();
        }
    }
    let periods = span.map_or_else(Vec::new, |span| {
        periods(span).into_iter().map(|p| period(&series, p, ccode, agreements)).collect()
    });
    let mut partners: Vec<PartnerSeries> = series.into_values().collect();
    partners.sort_by(|a, b| b.tiv.total_cmp(&a.tiv).then_with(|| a.names.cmp(&b.names)));
    Trade { ccode, side, years: span, tiv: partners.iter().map(|p| p.tiv).sum(), partners, periods }
}

/// The five-year periods over `span`, cut at its ends.
pub fn periods(span: (i32, i32)) -> Vec<(i32, i32)> {
    let start = span.0 - span.0.rem_euclid(PERIOD_YEARS);
    (start..=span.1)
        .step_by(PERIOD_YEARS as usize)
        .map(|p| (p.max(span.0), (p + PERIOD_YEARS - 1).min(span.1)))
        .collect()
}

fn period(
    series: &BTreeMap<PartnerKey, PartnerSeries>,
    (first, last): (i32, i32),
    ccode: Ccode,
    agreements: &[Agreement],
) -> Period {
    let mut partners: Vec<PartnerShare> = series
        .values()
        .filter_map(|s| {
            let within: Vec<&(i32, f64)> = s.years.iter().filter(|(y, _)| (first..=last).contains(y)).collect();
            if within.is_empty() {
                return None;
            }
            let agreements = s.ccode.map_or_else(Vec::new, |partner| shared(agreements, ccode, partner, (first, last)));
            Some(PartnerShare {
                names: s.names.clone(),
                ccode: s.ccode,
                kind: s.kind,
                tiv: within.iter().map(|(_, v)| v).sum(),
                share: None,
                agreements,
            })
        })
        .collect();
    let tiv: f64 = partners.iter().map(|p| p.tiv).sum();
    for p in &mut partners {
        p.share = (tiv > 0.0).then(|| p.tiv / tiv);
    }
    partners.sort_by(|a, b| b.tiv.total_cmp(&a.tiv).then_with(|| a.names.cmp(&b.names)));
    let hhi = (tiv > 0.0).then(|| partners.iter().filter_map(|p| p.share).map(|s| s * s).sum());
    Period { first_year: first, last_year: last, tiv, hhi, partners }
}

/// Whether being parties to `agreement` ties two states to each other, as the partner
/// ranking reads it (docs/PARTNERS.md): every bilateral agreement and every multilateral one
/// but the restraint treaties, whose kinds are all arms control or nonaggression and
/// friendship (the NPT, the BWC, the Treaty of Amity and Cooperation, the SCO's charter),
/// which states join by the dozen without becoming each other's suppliers' partners.
/// ATOP's listings without a kind of the taxonomy count.
pub fn is_partnership(agreement: &Agreement) -> bool {
    agreement.is_bilateral() || agreement.kinds.is_empty() || !agreement.kinds.iter().all(|k| k.is_restraint())
}

/// The partnerships (see [`is_partnership`]) `a` and `b` were both parties to at some time
/// in `years`.
fn shared(agreements: &[Agreement], a: Ccode, b: Ccode, (first, last): (i32, i32)) -> Vec<SharedAgreement> {
    let mut out = Vec::new();
    for agreement in agreements.iter().filter(|a| is_partnership(a)) {
        let spans = joint_spans(agreement, a, b);
        let Some(&(from, until)) = spans.iter().find(|(from, until)| *from <= last && until.is_none_or(|u| u >= first))
        else {
            continue;
        };
        let mut obligations: Vec<ObligationType> = agreement.obligations.iter().map(|o| o.kind).collect();
        obligations.sort_unstable();
        obligations.dedup();
        out.push(SharedAgreement {
            id: agreement.id.clone(),
            label: agreement.label().to_owned(),
            kinds: agreement.kinds.clone(),
            obligations,
            from,
            until,
        });
    }
    out
}

/// The spans of years (first, last; `None`: still) in which `a` and `b` were both parties
/// to `agreement`, in order.
pub fn joint_spans(agreement: &Agreement, a: Ccode, b: Ccode) -> Vec<(i32, Option<i32>)> {
    let ended = agreement.ended.map(|e| e.year);
    let mut spans = Vec::new();
    for ma in agreement.memberships_of(a) {
        for mb in agreement.memberships_of(b) {
            let from = ma.joined.year.max(mb.joined.year);
            let until = [ma.left.map(|l| l.year), mb.left.map(|l| l.year), ended].into_iter().flatten().min();
            if until.is_none_or(|u| u >= from) {
                spans.push((from, until));
            }
        }
    }
    spans.sort_unstable();
    spans
}

#[cfg(test)]
mod tests;
