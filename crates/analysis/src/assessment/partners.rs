//! Partners ranked as they are: the legal commitment between the two (ATOP's valued
//! obligation, at the reference year and ever) beside the depth of their cooperation
//! (joint exercises, technology programmes, intelligence sharing, security assistance,
//! arms transfers),
//! combined by the formula of docs/PARTNERS.md. Which agreements make two states partners
//! is decided by [`TieBasis`], a rule on the agreement's parties, kinds and obligations.

use std::collections::BTreeMap;

use pactbase_model::arms::ArmsTransfers;
use pactbase_model::coverage::MME;
use pactbase_model::research::{MmeExercise, Rivalry};
use pactbase_model::{Agreement, AgreementKind, Ccode, ExerciseSeries, ObligationType, Standing, YearSpan};
use serde::Serialize;

use super::timeline::{Fellow, MembershipSpan, Timeline};
use super::{Missing, View};

/// Joint exercises at which the exercise component is full: twenty exercises together
/// is a sustained practice (the US and Pakistan held 34 in MME's 1980–2010).
pub const EXERCISES_SATURATION: f64 = 20.0;

/// The years of SIPRI's deliveries the arms component reads in a year's view: the ten to
/// the reference year (or to SIPRI's last year, when the reference year is later).
pub const ARMS_YEARS: i32 = 10;

/// Why an agreement ties two of its members, or why it does not count as a partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TieBasis {
    /// An agreement between the two alone, of any kind.
    Bilateral,
    /// A programme every party takes part in (exercises and training, technology,
    /// intelligence, security assistance), however many parties.
    Programme,
    /// An alliance with an obligation stronger than nonaggression between the two.
    Obligation,
    /// A multilateral restraint treaty: a universal convention (the NPT, the BWC), an
    /// amity treaty or a region-wide code of conduct. Shown only on request.
    Convention,
    /// A multilateral alliance or organisation that sets no obligation between the two
    /// (the IMCTC's 41 members). Shown only on request.
    Forum,
    /// One of the two is a partner or observer, not a party (the United States beside
    /// the Baghdad Pact).
    Association,
}

impl TieBasis {
    /// Whether the agreement makes the two partners by default.
    pub fn counts(self) -> bool {
        matches!(self, TieBasis::Bilateral | TieBasis::Programme | TieBasis::Obligation)
    }

    pub fn describe(self) -> &'static str {
        match self {
            TieBasis::Bilateral => "bilateral agreement",
            TieBasis::Programme => "cooperation programme",
            TieBasis::Obligation => "alliance obligation between them",
            TieBasis::Convention => "multilateral convention or restraint treaty",
            TieBasis::Forum => "multilateral organisation without obligations between them",
            TieBasis::Association => "associated, not both parties",
        }
    }

    /// The rule of docs/PARTNERS.md for the membership `m` of the assessed state and its
    /// fellow `f`, in the agreement `a`.
    pub fn of(a: &Agreement, m: &MembershipSpan, f: &Fellow) -> TieBasis {
        let stronger_than_nonaggression =
            |list: &[ObligationType]| list.iter().any(|o| o.tie_value() >= ObligationType::Consultation.tie_value());
        if !m.role.is_party() || !f.role.is_party() {
            TieBasis::Association
        } else if a.is_bilateral() {
            TieBasis::Bilateral
        } else if a.kinds.iter().any(|k| k.is_programme()) {
            TieBasis::Programme
        } else if a.kinds.iter().all(|k| k.is_restraint()) {
            TieBasis::Convention
        } else if stronger_than_nonaggression(&f.out) || stronger_than_nonaggression(&f.back) {
            TieBasis::Obligation
        } else {
            TieBasis::Forum
        }
    }
}

/// One agreement between the assessed state and a partner.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tie {
    pub agreement_id: String,
    pub label: String,
    pub kinds: Vec<AgreementKind>,
    /// The years both were members.
    pub years: YearSpan,
    /// The assessed state's membership at the reference year.
    pub standing: Standing,
    /// Both memberships stand at the reference year.
    pub stands: bool,
    /// Where the partner's membership stands then.
    pub partner_standing: Standing,
    /// The last year the agreement's source describes, when the standing is unknown after it.
    pub known_until: Option<i32>,
    pub out: Vec<ObligationType>,
    pub back: Vec<ObligationType>,
    pub out_now: Vec<ObligationType>,
    pub back_now: Vec<ObligationType>,
    pub basis: TieBasis,
}

impl Tie {
    /// The years both were members up to `until`, as far as the agreement's source knows.
    pub fn known_years(&self, until: i32) -> std::ops::RangeInclusive<i32> {
        self.years.from..=self.years.to.or(self.known_until).unwrap_or(until).min(until)
    }
}

/// The legal commitment between the two: ATOP's valued tie (3 defense or offense, 2
/// neutrality or consultation, 1 nonaggression, 0 none) in each direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commitment {
    /// From the assessed state toward the partner, and back, at the reference year.
    pub out_now: u8,
    pub in_now: u8,
    /// The same at any time up to the reference year.
    pub out_ever: u8,
    pub in_ever: u8,
    pub strongest_now: Option<ObligationType>,
    pub strongest_ever: Option<ObligationType>,
}

impl Commitment {
    /// The stronger direction at the reference year, or ever in the history view.
    pub fn level(&self, view: View) -> u8 {
        if view.is_history() {
            self.out_ever.max(self.in_ever)
        } else {
            self.out_now.max(self.in_now)
        }
    }
}

/// What the cooperation between the two consists of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum DepthKind {
    Exercises,
    Technology,
    Intelligence,
    Assistance,
    Arms,
}

impl DepthKind {
    pub fn describe(self) -> &'static str {
        match self {
            DepthKind::Exercises => "joint exercises",
            DepthKind::Technology => "technology programmes",
            DepthKind::Intelligence => "intelligence sharing",
            DepthKind::Assistance => "security assistance and training",
            DepthKind::Arms => "arms transfers",
        }
    }
}

/// One component of the depth of cooperation, from 0 (none) to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepthComponent {
    pub kind: DepthKind,
    pub value: f64,
    /// What the value rests on, in words ("12 joint exercises: 9 in MME, 3 …").
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Depth {
    pub components: Vec<DepthComponent>,
    /// Three times the mean of the components: 0–3, on the scale of the legal tie.
    pub index: f64,
    /// Joint exercises counted.
    pub exercises: usize,
}

/// A strategic rivalry between the assessed state and a partner.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RivalryNote {
    pub name: String,
    pub years: YearSpan,
    /// Active at the reference year (else a former rivalry).
    pub active: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerAssessment {
    pub ccode: Ccode,
    /// 1 = first.
    pub rank: usize,
    /// Legal commitment plus depth of cooperation (0–6).
    pub score: f64,
    pub commitment: Commitment,
    pub depth: Depth,
    pub ties: Vec<Tie>,
    /// Tied by a counting agreement that stands at the reference year.
    pub current: bool,
    pub rival: Option<RivalryNote>,
}

impl PartnerAssessment {
    /// Every counting agreement with its years ("SEATO 1954–1972").
    pub fn counted_ties(&self) -> impl Iterator<Item = &Tie> {
        self.ties.iter().filter(|t| t.basis.counts())
    }
}

/// States that share only conventions, forums or an association with the assessed state.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtherTie {
    pub ccode: Ccode,
    pub bases: Vec<TieBasis>,
    pub ties: Vec<Tie>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Partners {
    pub view: View,
    /// Partners by score, best first.
    pub ranked: Vec<PartnerAssessment>,
    /// States tied only through agreements that do not count (left out of `ranked` unless
    /// `include_all` was asked for).
    pub others: Vec<OtherTie>,
    pub include_all: bool,
    /// Datasets the assessment went without: exercises count the registry's series only
    /// without MME, and rivals are not known without the rivalries.
    pub without: Vec<Missing>,
}

impl Partners {
    /// Partners tied at the reference year by a counting agreement.
    pub fn current(&self) -> impl Iterator<Item = &PartnerAssessment> {
        self.ranked.iter().filter(|p| p.current)
    }

    /// The closest partners, best first: the ranked partners tied at the reference year
    /// (any, in the history view), current rivals aside (a rivalry of the past, Britain and
    /// the United States in 1816–1904, sets no partner apart).
    pub fn closest(&self) -> impl Iterator<Item = &PartnerAssessment> {
        self.ranked
            .iter()
            .filter(|p| !p.rival.as_ref().is_some_and(|r| r.active) && (p.current || self.view.is_history()))
    }

    /// Every agreement with `ccode`, whether it counts as a partnership or not.
    pub fn ties_with(&self, ccode: Ccode) -> &[Tie] {
        match self.ranked.iter().find(|p| p.ccode == ccode) {
            Some(p) => &p.ties,
            None => self.others.iter().find(|o| o.ccode == ccode).map_or(&[], |o| &o.ties),
        }
    }
}

/// What the partner ranking reads besides the timeline.
pub struct PartnerData<'a> {
    pub agreements: &'a [Agreement],
    pub series: &'a [ExerciseSeries],
    /// MME's exercises, when imported.
    pub mme: Option<&'a [MmeExercise]>,
    /// The strategic rivalries, when imported.
    pub rivalries: Option<&'a [Rivalry]>,
    /// SIPRI's arms transfers, when imported.
    pub arms: Option<&'a ArmsTransfers>,
    /// Rank partners through every agreement (conventions and forums too).
    pub include_all: bool,
    pub without: Vec<Missing>,
}

/// Ranks the partners of `ccode` from its `timeline`.
pub fn partners(ccode: Ccode, view: View, timeline: &Timeline, data: &PartnerData) -> Partners {
    let reference = view.reference_year();
    let mut ties: BTreeMap<Ccode, Vec<Tie>> = BTreeMap::new();
    for m in &timeline.memberships {
        let Some(a) = data.agreements.iter().find(|a| a.id == m.agreement_id) else { continue };
        for f in &m.fellows {
            ties.entry(f.ccode).or_default().push(Tie {
                agreement_id: m.agreement_id.clone(),
                label: m.label.clone(),
                kinds: m.kinds.clone(),
                years: f.years,
                standing: m.standing,
                stands: m.stands() && f.stands,
                partner_standing: f.standing,
                known_until: m.known_until,
                out: f.out.clone(),
                back: f.back.clone(),
                out_now: f.out_now.clone(),
                back_now: f.back_now.clone(),
                basis: TieBasis::of(a, m, f),
            });
        }
    }
    let exercises = joint_exercises(ccode, reference, view, data);
    let arms = data.arms.and_then(|t| ArmsTrade::new(t, ccode, view));
    let mut ranked = Vec::new();
    let mut others = Vec::new();
    for (partner, list) in ties {
        let counted = list.iter().any(|t| t.basis.counts());
        if !counted && !data.include_all {
            let mut bases: Vec<TieBasis> = list.iter().map(|t| t.basis).collect();
            bases.sort_unstable();
            bases.dedup();
            others.push(OtherTie { ccode: partner, bases, ties: list });
            continue;
        }
        let considered: Vec<&Tie> = list
            .iter()
            .filter(|t| (data.include_all || t.basis.counts()) && t.basis != TieBasis::Association)
            .collect();
        let commitment = commitment(&considered);
        let depth = depth(&considered, view, exercises.get(&partner), arms.as_ref().map(|a| a.component(partner)));
        ranked.push(PartnerAssessment {
            ccode: partner,
            rank: 0,
            score: f64::from(commitment.level(view)) + depth.index,
            current: considered.iter().any(|t| t.stands),
            rival: rivalry(ccode, partner, view, data.rivalries),
            commitment,
            depth,
            ties: list,
        });
    }
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.commitment.level(View::History).cmp(&a.commitment.level(View::History)))
            .then(a.ccode.cmp(&b.ccode))
    });
    for (i, p) in ranked.iter_mut().enumerate() {
        p.rank = i + 1;
    }
    Partners { view, ranked, others, include_all: data.include_all, without: data.without.clone() }
}

fn strongest<'a>(lists: impl Iterator<Item = &'a Vec<ObligationType>>) -> Option<ObligationType> {
    lists.flatten().copied().max_by_key(|o| (o.tie_value(), std::cmp::Reverse(*o)))
}

fn commitment(ties: &[&Tie]) -> Commitment {
    let value = |f: fn(&Tie) -> &Vec<ObligationType>| {
        ties.iter().flat_map(|t| f(t).iter()).map(|o| o.tie_value()).max().unwrap_or(0)
    };
    Commitment {
        out_now: value(|t| &t.out_now),
        in_now: value(|t| &t.back_now),
        out_ever: value(|t| &t.out),
        in_ever: value(|t| &t.back),
        strongest_now: strongest(ties.iter().flat_map(|t| [&t.out_now, &t.back_now])),
        strongest_ever: strongest(ties.iter().flat_map(|t| [&t.out, &t.back])),
    }
}

/// Joint exercises with each partner up to the reference year: MME's within its years,
/// the registry's series outside them (so an edition MME records is counted once).
#[derive(Debug, Default)]
struct Exercised {
    mme: usize,
    series: BTreeMap<String, usize>,
}

fn joint_exercises(ccode: Ccode, reference: i32, view: View, data: &PartnerData) -> BTreeMap<Ccode, Exercised> {
    let until = if view.is_history() { i32::MAX } else { reference };
    let mut out: BTreeMap<Ccode, Exercised> = BTreeMap::new();
    for e in data.mme.unwrap_or_default().iter().filter(|e| e.year <= until && e.participants.contains(&ccode)) {
        let mut others: Vec<Ccode> = e.participants.iter().copied().filter(|&c| c != ccode).collect();
        others.sort_unstable();
        others.dedup();
        for c in others {
            out.entry(c).or_default().mme += 1;
        }
    }
    let mme_covers = |y: i32| data.mme.is_some() && MME.contains(y);
    for s in data.series.iter().filter(|s| s.participants.contains(&ccode)) {
        let editions = s.years.iter().filter(|&&y| y <= until && !mme_covers(y)).count();
        if editions == 0 {
            continue;
        }
        for &c in s.participants.iter().filter(|&&c| c != ccode) {
            *out.entry(c).or_default().series.entry(s.name.clone()).or_default() += editions;
        }
    }
    out
}

/// A state's arms trade over the years the arms component reads: what it imported from
/// and exported to each state.
struct ArmsTrade {
    years: (i32, i32),
    /// By partner state, and in all (parties that are not states included).
    imports: (BTreeMap<Ccode, f64>, f64),
    exports: (BTreeMap<Ccode, f64>, f64),
}

impl ArmsTrade {
    /// `None` when SIPRI's years do not reach the view (a reference year before 1950).
    fn new(transfers: &ArmsTransfers, ccode: Ccode, view: View) -> Option<ArmsTrade> {
        let (first, last) = transfers.coverage;
        let years = if view.is_history() {
            (first, last)
        } else {
            let end = view.reference_year().min(last);
            ((end - ARMS_YEARS + 1).max(first), end)
        };
        if years.1 < years.0 || years.1 < first {
            return None;
        }
        let (mut imports, mut exports) = ((BTreeMap::new(), 0.0), (BTreeMap::new(), 0.0));
        let add = |side: &mut (BTreeMap<Ccode, f64>, f64), partner: Option<Ccode>, tiv: f64| {
            if let Some(p) = partner {
                *side.0.entry(p).or_insert(0.0) += tiv;
            }
            side.1 += tiv;
        };
        for t in transfers.transfers.iter().filter(|t| (years.0..=years.1).contains(&t.year)) {
            if t.recipient_ccode == Some(ccode) {
                add(&mut imports, t.supplier_ccode, t.tiv);
            } else if t.supplier_ccode == Some(ccode) {
                add(&mut exports, t.recipient_ccode, t.tiv);
            }
        }
        Some(ArmsTrade { years, imports, exports })
    }

    /// The partner's share of the state's imports or of its exports, whichever is larger.
    fn component(&self, partner: Ccode) -> DepthComponent {
        let share = |(by_partner, total): &(BTreeMap<Ccode, f64>, f64)| {
            let with = by_partner.get(&partner).copied().unwrap_or(0.0);
            (with, *total, if *total > 0.0 { with / total } else { 0.0 })
        };
        let (imported, imports, import_share) = share(&self.imports);
        let (exported, exports, export_share) = share(&self.exports);
        let span = YearSpan::closed(self.years.0, self.years.1);
        let mut evidence = Vec::new();
        if imported > 0.0 {
            evidence.push(format!(
                "supplied {:.0}% of its arms imports in {span} (SIPRI TIV {imported:.0} of {imports:.0})",
                import_share * 100.0
            ));
        }
        if exported > 0.0 {
            evidence.push(format!(
                "received {:.0}% of its arms exports in {span} (SIPRI TIV {exported:.0} of {exports:.0})",
                export_share * 100.0
            ));
        }
        DepthComponent {
            kind: DepthKind::Arms,
            value: import_share.max(export_share),
            evidence: if evidence.is_empty() {
                format!("no deliveries either way in {span}")
            } else {
                evidence.join("; ")
            },
        }
    }
}

fn depth(ties: &[&Tie], view: View, exercised: Option<&Exercised>, arms: Option<DepthComponent>) -> Depth {
    let of_kind = |wanted: &[AgreementKind]| -> Vec<String> {
        let mut labels: Vec<String> = ties
            .iter()
            .filter(|t| view.is_history() || t.stands)
            .filter(|t| t.kinds.iter().any(|k| wanted.contains(k)))
            .map(|t| t.label.clone())
            .collect();
        labels.sort();
        labels.dedup();
        labels
    };
    let agreements = |kind: DepthKind, wanted: &[AgreementKind]| {
        let labels = of_kind(wanted);
        DepthComponent {
            kind,
            value: if labels.is_empty() { 0.0 } else { 1.0 },
            evidence: if labels.is_empty() { "none".into() } else { labels.join(", ") },
        }
    };
    let count = exercised.map_or(0, |e| e.mme + e.series.values().sum::<usize>());
    let mut evidence: Vec<String> = Vec::new();
    if let Some(e) = exercised {
        if e.mme > 0 {
            evidence.push(format!("{} in MME ({}–{})", e.mme, MME.first, MME.last));
        }
        evidence.extend(e.series.iter().map(|(name, n)| format!("{n} of {name}")));
    }
    let mut components = vec![
        DepthComponent {
            kind: DepthKind::Exercises,
            value: ((1.0 + count as f64).ln() / (1.0 + EXERCISES_SATURATION).ln()).min(1.0),
            evidence: if count == 0 { "none".into() } else { format!("{count}: {}", evidence.join("; ")) },
        },
        agreements(DepthKind::Technology, &[AgreementKind::TechnologySharing]),
        agreements(DepthKind::Intelligence, &[AgreementKind::IntelligenceSharing]),
        agreements(DepthKind::Assistance, &[AgreementKind::SecurityAssistance, AgreementKind::ExerciseAndTraining]),
    ];
    components.extend(arms);
    let index = 3.0 * components.iter().map(|c| c.value).sum::<f64>() / components.len() as f64;
    Depth { components, index, exercises: count }
}

fn rivalry(ccode: Ccode, partner: Ccode, view: View, rivalries: Option<&[Rivalry]>) -> Option<RivalryNote> {
    let reference = view.reference_year();
    rivalries?
        .iter()
        .filter(|r| (r.ccode1, r.ccode2) == (ccode, partner) || (r.ccode1, r.ccode2) == (partner, ccode))
        .filter(|r| r.start <= reference)
        .map(|r| RivalryNote {
            name: r.name.clone(),
            years: YearSpan::new(r.start, r.end),
            active: r.active_in(reference),
        })
        .max_by_key(|r| (r.active, r.years.from))
}
