use serde::{Deserialize, Serialize};

use crate::{vocabulary, Ccode, Obligation, ObligationType, PartialDate};

/// The kinds of the agreement taxonomy (PRODUCT.md); an agreement carries one or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgreementKind {
    MutualDefensePact,
    SecurityAssistance,
    ExerciseAndTraining,
    TechnologySharing,
    RegionalDefenseAlliance,
    IntelligenceSharing,
    ArmsControl,
    NonaggressionAndFriendship,
}

vocabulary!(AgreementKind {
    MutualDefensePact = "mutual-defense-pact",
    SecurityAssistance = "security-assistance",
    ExerciseAndTraining = "exercise-and-training",
    TechnologySharing = "technology-sharing",
    RegionalDefenseAlliance = "regional-defense-alliance",
    IntelligenceSharing = "intelligence-sharing",
    ArmsControl = "arms-control",
    NonaggressionAndFriendship = "nonaggression-and-friendship",
});

impl AgreementKind {
    /// Restraint: the parties promise not to act (arms control, nonaggression and
    /// friendship treaties, codes of conduct). Among many parties such a treaty is a
    /// convention, not a partnership.
    pub fn is_restraint(self) -> bool {
        match self {
            AgreementKind::ArmsControl | AgreementKind::NonaggressionAndFriendship => true,
            AgreementKind::MutualDefensePact
            | AgreementKind::SecurityAssistance
            | AgreementKind::ExerciseAndTraining
            | AgreementKind::TechnologySharing
            | AgreementKind::RegionalDefenseAlliance
            | AgreementKind::IntelligenceSharing => false,
        }
    }

    /// A programme of cooperation that every party takes part in (exercises and
    /// training, technology, intelligence, security assistance), as against an alliance,
    /// which binds through the obligations it sets.
    pub fn is_programme(self) -> bool {
        match self {
            AgreementKind::SecurityAssistance
            | AgreementKind::ExerciseAndTraining
            | AgreementKind::TechnologySharing
            | AgreementKind::IntelligenceSharing => true,
            AgreementKind::MutualDefensePact
            | AgreementKind::RegionalDefenseAlliance
            | AgreementKind::ArmsControl
            | AgreementKind::NonaggressionAndFriendship => false,
        }
    }
}

/// Whether an agreement's file lists every party or a selection of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PartyCoverage {
    /// Every state that has been a party, with its dates (the default).
    #[default]
    Complete,
    /// Some parties only: counts, networks and "who is bound" answers are incomplete.
    Selected,
}

vocabulary!(PartyCoverage { Complete = "complete", Selected = "selected" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    InForce,
    Terminated,
    Expired,
    Superseded,
    Suspended,
    Signed,
}

vocabulary!(Status {
    InForce = "in-force",
    Terminated = "terminated",
    Expired = "expired",
    Superseded = "superseded",
    Suspended = "suspended",
    Signed = "signed",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Founding,
    Acceded,
    Partner,
    Observer,
}

vocabulary!(Role {
    Founding = "founding",
    Acceded = "acceded",
    Partner = "partner",
    Observer = "observer",
});

impl Role {
    /// True for a party to the agreement (a founding or acceding member). A partner
    /// (the United States beside the Baghdad Pact, Partnership for Peace's partner
    /// countries) or an observer is associated with the parties without being one: it
    /// holds none of their obligations and is not counted where an analysis means members.
    pub fn is_party(self) -> bool {
        match self {
            Role::Founding | Role::Acceded => true,
            Role::Partner | Role::Observer => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuspensionScope {
    Membership,
    Obligations,
    IntegratedCommand,
    /// Aid, arms deliveries or programme participation cut off (a sanction or an embargo);
    /// the treaty's obligations, if it has any, stand.
    Assistance,
}

vocabulary!(SuspensionScope {
    Membership = "membership",
    Obligations = "obligations",
    IntegratedCommand = "integrated-command",
    Assistance = "assistance",
});

/// What came of a party's call on a commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvocationOutcome {
    /// The partners did what the commitment promises.
    Honoured,
    /// They acted, but less than was asked or than the commitment's words suggest.
    Limited,
    /// They refused or did not act.
    Declined,
    /// The parties disagree whether the commitment applied.
    Disputed,
}

vocabulary!(InvocationOutcome {
    Honoured = "honoured",
    Limited = "limited",
    Declined = "declined",
    Disputed = "disputed",
});

/// How a reservation or understanding bears on a party's obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReservationEffect {
    /// Narrows it (to an adversary, a region, a procedure).
    Limits,
    /// Takes a case or an article out of it altogether.
    Excludes,
}

vocabulary!(ReservationEffect { Limits = "limits", Excludes = "excludes" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AtopField {
    Member,
    Joined,
    Left,
}

vocabulary!(AtopField { Member = "member", Joined = "joined", Left = "left" });

/// What an agreement provides for, where the sources establish it (`None` = not established).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Provisions {
    pub foreign_bases: Option<bool>,
    pub integrated_command: Option<bool>,
    pub military_aid: Option<bool>,
    pub technology_transfer: Option<bool>,
    pub intelligence_sharing: Option<bool>,
    pub joint_exercises: Option<bool>,
    pub arms_limits: Option<bool>,
    pub organisation: Option<bool>,
}

impl Provisions {
    /// The provisions that are established as present, by name.
    pub fn present(&self) -> Vec<&'static str> {
        [
            ("foreign_bases", self.foreign_bases),
            ("integrated_command", self.integrated_command),
            ("military_aid", self.military_aid),
            ("technology_transfer", self.technology_transfer),
            ("intelligence_sharing", self.intelligence_sharing),
            ("joint_exercises", self.joint_exercises),
            ("arms_limits", self.arms_limits),
            ("organisation", self.organisation),
        ]
        .into_iter()
        .filter_map(|(name, v)| (v == Some(true)).then_some(name))
        .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Local key, unique within the agreement, that memberships and obligations cite.
    pub key: String,
    pub title: String,
    pub publisher: String,
    pub url: Option<String>,
    /// A document reference when there is no URL (e.g. "UNTS vol. 34, p. 243").
    pub reference: Option<String>,
    pub consulted: Option<PartialDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    pub from: PartialDate,
    pub to: Option<PartialDate>,
    pub scope: SuspensionScope,
    /// COW state codes; empty: toward everyone.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u16>))]
    pub toward: Vec<Ccode>,
    pub note: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Membership {
    /// COW state code (the web API also takes an abbreviation, ISO code or name).
    #[cfg_attr(feature = "openapi", schema(value_type = u16))]
    pub ccode: Ccode,
    /// When it became bound (see data/README.md for which date that is).
    pub joined: PartialDate,
    /// When it signed, if it signed before it was bound (a later ratification).
    #[serde(default)]
    pub signed: Option<PartialDate>,
    /// None while still a member.
    pub left: Option<PartialDate>,
    pub role: Role,
    /// The key of the source that records it.
    pub source: String,
    pub note: Option<String>,
    pub suspensions: Vec<Suspension>,
    /// Why the state is a party before the agreement's signature (it applied the
    /// agreement provisionally or retroactively), with its source; required exactly when
    /// `joined` precedes the agreement's `signed`.
    #[serde(default)]
    pub before_signature: Option<String>,
}

impl Membership {
    pub fn is_party(&self) -> bool {
        self.role.is_party()
    }

    /// True when the state is a member (in any role) on at least one day of `year`.
    pub fn active_in(&self, year: i32) -> bool {
        self.joined.year <= year && self.left.is_none_or(|l| l.year >= year)
    }

    /// Obligations suspended toward `partner` (or toward everyone) at some point in `year`.
    pub fn obligations_suspended(&self, partner: Ccode, year: i32) -> bool {
        self.suspensions.iter().any(|s| {
            matches!(s.scope, SuspensionScope::Obligations | SuspensionScope::Membership)
                && (s.toward.is_empty() || s.toward.contains(&partner))
                && s.from.year <= year
                && s.to.is_none_or(|t| t.year > year)
        })
    }
}

/// Where a membership stands at the end of a year: the reference date of every
/// present-tense claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Standing {
    InForce,
    /// Signed, and not in force by then (or never: SALT II, the CTBT).
    NotYetInForce,
    /// Suspended for the member (or the agreement suspended, in the registry's current year).
    Suspended,
    /// The member left, or the agreement ended.
    Ended,
    /// Not known: the agreement is known only from a dataset whose years end before then
    /// (an ATOP alliance still in effect in 2018, `coverage::ATOP`, read at 2025). Never
    /// returned by [`Agreement::standing`], which reads the agreement alone; the assessment
    /// sets it from what it knows of the agreement's source.
    Unknown,
}

vocabulary!(Standing {
    InForce = "in-force",
    NotYetInForce = "not-yet-in-force",
    Suspended = "suspended",
    Ended = "ended",
    Unknown = "unknown",
});

impl Agreement {
    /// Where `m` (one of this agreement's memberships) stands on 31 December of `year`;
    /// `None` before the state joined. The agreement's `status` describes the registry's
    /// current year only, so a status without a dated end says nothing of earlier years.
    pub fn standing(&self, m: &Membership, year: i32) -> Option<Standing> {
        if m.joined.year > year {
            return None;
        }
        let current = year >= crate::coverage::REGISTRY_CURRENT_YEAR;
        let ended = m.left.is_some_and(|l| l.year <= year)
            || self.ended.is_some_and(|e| e.year <= year)
            || (current
                && self.ended.is_none()
                && matches!(self.status, Status::Terminated | Status::Expired | Status::Superseded));
        let not_yet = match self.in_force {
            Some(date) => date.year > year,
            None => self.status == Status::Signed,
        };
        let suspended = (current && self.status == Status::Suspended)
            || m.suspensions.iter().any(|s| {
                (s.scope == SuspensionScope::Membership
                    || (s.scope == SuspensionScope::Obligations && s.toward.is_empty()))
                    && s.from.year <= year
                    && s.to.is_none_or(|t| t.year > year)
            });
        Some(if ended {
            Standing::Ended
        } else if not_yet {
            Standing::NotYetInForce
        } else if suspended {
            Standing::Suspended
        } else {
            Standing::InForce
        })
    }
}

/// A state that signed but is not bound: it never ratified, or it withdrew its
/// ratification (Russia and the CTBT, 2023). Never a member, so never counted as one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    #[cfg_attr(feature = "openapi", schema(value_type = u16))]
    pub ccode: Ccode,
    pub signed: PartialDate,
    pub source: String,
    pub note: Option<String>,
}

/// A party that is not a state of the Correlates of War system (Niue, the Cook Islands,
/// the Holy See, the State of Palestine, a microstate): listed by name so that counts of
/// parties are complete, but outside every state-based analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NonStateParty {
    pub name: String,
    pub signed: Option<PartialDate>,
    /// When it became bound; None for a signatory that is not bound.
    pub joined: Option<PartialDate>,
    pub left: Option<PartialDate>,
    pub source: String,
    pub note: Option<String>,
}

/// A party's call on the agreement's commitment (an attack or threat it asked its partners
/// to answer, or a consultation it requested), and what came of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Invocation {
    pub date: PartialDate,
    /// The party that invoked it (COW state code).
    #[cfg_attr(feature = "openapi", schema(value_type = u16))]
    pub by: Ccode,
    /// The states it was invoked against (COW state codes); empty when a non-state actor
    /// or no state was named.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u16>))]
    #[serde(default)]
    pub against: Vec<Ccode>,
    /// The commitment called on: `defense` for an armed-attack clause, `consultation` for
    /// a request to consult.
    pub obligation: ObligationType,
    pub article: Option<String>,
    pub outcome: InvocationOutcome,
    /// What was asked and what the partners did.
    pub note: String,
    pub source: String,
}

/// A party's reservation, understanding or condition that narrows what it owes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Reservation {
    #[cfg_attr(feature = "openapi", schema(value_type = u16))]
    pub ccode: Ccode,
    pub article: Option<String>,
    pub effect: ReservationEffect,
    /// What it says, quoted or paraphrased.
    pub text: String,
    pub source: String,
}

/// A reviewed difference between a curated membership and ATOP 5.1's member file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AtopException {
    #[cfg_attr(feature = "openapi", schema(value_type = u16))]
    pub ccode: Ccode,
    pub field: AtopField,
    pub ours: String,
    pub atop: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// Stable slug, e.g. `nato`.
    pub id: String,
    pub name: String,
    pub short_names: Vec<String>,
    /// One or more kinds of the taxonomy.
    pub kinds: Vec<AgreementKind>,
    pub signed: PartialDate,
    pub in_force: Option<PartialDate>,
    pub ended: Option<PartialDate>,
    pub status: Status,
    pub region: String,
    pub depositary: Option<String>,
    /// The ATOP alliance this agreement is, when ATOP codes it.
    pub atopid: Option<u32>,
    /// In our own words.
    pub summary: String,
    pub text: Option<String>,
    pub provisions: Provisions,
    pub sources: Vec<Source>,
    /// Whether `members` lists every party or a selection (`parties` in documents).
    #[serde(rename = "parties", default)]
    pub party_coverage: PartyCoverage,
    /// The states bound by it.
    pub members: Vec<Membership>,
    /// States that signed and are not bound.
    #[serde(default)]
    pub signatories: Vec<Signatory>,
    /// Parties outside the COW state system.
    #[serde(default)]
    pub non_state_parties: Vec<NonStateParty>,
    pub obligations: Vec<Obligation>,
    /// Reservations and understandings that narrow what a party owes.
    #[serde(default)]
    pub reservations: Vec<Reservation>,
    /// Times a party called on the commitment, oldest first.
    #[serde(default)]
    pub invocations: Vec<Invocation>,
    pub atop_exceptions: Vec<AtopException>,
}

impl Agreement {
    /// Bilateral when it has ever had exactly two parties.
    pub fn is_bilateral(&self) -> bool {
        self.parties().len() == 2
    }

    pub fn active_in(&self, year: i32) -> bool {
        let start = self.in_force.unwrap_or(self.signed).year.min(self.signed.year);
        start <= year && self.ended.is_none_or(|e| e.year >= year)
    }

    /// Distinct parties (members in a party role, [`Role::is_party`]), in order of first
    /// appearance. Partners and observers are not parties: "all members" of an obligation
    /// and every count of members mean these.
    pub fn parties(&self) -> Vec<Ccode> {
        let mut out = Vec::new();
        for m in self.members.iter().filter(|m| m.is_party()) {
            if !out.contains(&m.ccode) {
                out.push(m.ccode);
            }
        }
        out
    }

    /// Members in a role other than party (partners, observers), with their memberships.
    pub fn associates(&self) -> impl Iterator<Item = &Membership> {
        self.members.iter().filter(|m| !m.is_party())
    }

    /// The state's memberships in any role.
    pub fn memberships_of(&self, ccode: Ccode) -> impl Iterator<Item = &Membership> {
        self.members.iter().filter(move |m| m.ccode == ccode)
    }

    /// Shortest commonly used name: the first short name, else the official name.
    pub fn label(&self) -> &str {
        self.short_names.first().unwrap_or(&self.name)
    }
}
