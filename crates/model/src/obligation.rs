use serde::{Deserialize, Serialize};

use crate::{vocabulary, Agreement, Ccode};

/// The ATOP obligation types. Ordered from weakest to strongest tie by [`Self::tie_value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObligationType {
    Defense,
    Offense,
    Neutrality,
    Nonaggression,
    Consultation,
}

vocabulary!(ObligationType {
    Defense = "defense",
    Offense = "offense",
    Neutrality = "neutrality",
    Nonaggression = "nonaggression",
    Consultation = "consultation",
});

impl ObligationType {
    /// The valued alliance tie of FIELD.md §3 (Chiba et al. 2022): 3 defense or offense,
    /// 2 neutrality or consultation, 1 nonaggression.
    pub fn tie_value(self) -> u8 {
        match self {
            ObligationType::Defense | ObligationType::Offense => 3,
            ObligationType::Neutrality | ObligationType::Consultation => 2,
            ObligationType::Nonaggression => 1,
        }
    }
}

/// Who holds an obligation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Parties {
    /// Every member.
    All,
    /// These members (COW state codes).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u16>))]
    States(Vec<Ccode>),
}

/// Toward whom an obligation runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// Every fellow member.
    All,
    /// These states (COW state codes).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u16>))]
    States(Vec<Ccode>),
    /// A state outside the agreement (a guarantee, a neutrality promise toward a third party).
    ThirdParty,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    #[serde(rename = "type")]
    pub kind: ObligationType,
    pub from: Parties,
    pub toward: Target,
    pub conditional: bool,
    pub article: Option<String>,
    pub note: Option<String>,
    pub source: String,
}

/// One state's obligation toward one other state (`toward = None`: a third party).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DirectedObligation {
    pub from: Ccode,
    pub toward: Option<Ccode>,
    pub kind: ObligationType,
    pub conditional: bool,
}

impl Agreement {
    /// Every obligation expanded to state-to-state pairs. A state never owes itself; a
    /// guarantee by two states of a third is not an obligation between the guarantors,
    /// which is why `toward` is expanded from the obligation, not from the membership.
    pub fn directed_obligations(&self) -> Vec<DirectedObligation> {
        let parties = self.parties();
        let mut out = Vec::new();
        for ob in &self.obligations {
            let holders = match &ob.from {
                Parties::All => parties.clone(),
                Parties::States(s) => s.clone(),
            };
            for &from in &holders {
                let towards: Vec<Option<Ccode>> = match &ob.toward {
                    Target::All => parties.iter().map(|&c| Some(c)).collect(),
                    Target::States(s) => s.iter().map(|&c| Some(c)).collect(),
                    Target::ThirdParty => vec![None],
                };
                for toward in towards.into_iter().filter(|t| *t != Some(from)) {
                    out.push(DirectedObligation { from, toward, kind: ob.kind, conditional: ob.conditional });
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether a suspension covers what `from` owes `toward` in `year`: `from`'s own
    /// obligations suspended toward it (ANZUS, 1986), or `toward`'s membership suspended,
    /// which leaves it owed nothing (Cuba in the Rio Treaty from 1962).
    pub fn suspended_between(&self, from: Ccode, toward: Ccode, year: i32) -> bool {
        let covers = |s: &crate::Suspension| s.from.year <= year && s.to.is_none_or(|t| t.year > year);
        self.memberships_of(from).any(|m| m.active_in(year) && m.obligations_suspended(toward, year))
            || self.memberships_of(toward).any(|m| {
                m.active_in(year)
                    && m.suspensions.iter().any(|s| s.scope == crate::SuspensionScope::Membership && covers(s))
            })
    }

    /// Obligations `from` holds toward `toward` that are in effect in `year`: both are
    /// members that year and no suspension covers the pair.
    pub fn obligations_between(&self, from: Ccode, toward: Ccode, year: i32) -> Vec<ObligationType> {
        let active = |c: Ccode| self.memberships_of(c).any(|m| m.active_in(year));
        if !self.active_in(year) || !active(from) || !active(toward) {
            return Vec::new();
        }
        if self.suspended_between(from, toward, year) {
            return Vec::new();
        }
        let mut kinds: Vec<ObligationType> = self
            .directed_obligations()
            .into_iter()
            .filter(|d| d.from == from && d.toward == Some(toward))
            .map(|d| d.kind)
            .collect();
        kinds.dedup();
        kinds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Membership, PartialDate, PartyCoverage, Provisions, Role, Standing, Status, Suspension, SuspensionScope,
    };

    fn member(ccode: Ccode, joined: i32) -> Membership {
        Membership {
            ccode,
            joined: PartialDate::year(joined),
            signed: None,
            left: None,
            role: Role::Founding,
            source: "s".into(),
            note: None,
            suspensions: vec![],
            before_signature: None,
        }
    }

    fn agreement(members: Vec<Membership>, obligations: Vec<Obligation>) -> Agreement {
        Agreement {
            id: "test".into(),
            name: "Test".into(),
            short_names: vec![],
            kinds: vec![],
            signed: PartialDate::year(1800),
            in_force: None,
            ended: None,
            status: Status::InForce,
            region: "Pacific".into(),
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

    fn ob(kind: ObligationType, from: Parties, toward: Target) -> Obligation {
        Obligation { kind, from, toward, conditional: false, article: None, note: None, source: "s".into() }
    }

    #[test]
    fn all_to_all_expands_to_ordered_pairs_without_self() {
        let a = agreement(
            vec![member(2, 1951), member(900, 1951), member(920, 1951)],
            vec![ob(ObligationType::Defense, Parties::All, Target::All)],
        );
        let d = a.directed_obligations();
        assert_eq!(d.len(), 6);
        assert!(d.iter().all(|o| o.toward != Some(o.from)));
    }

    #[test]
    fn guarantee_binds_guarantors_only_toward_the_guaranteed() {
        // Britain and France guarantee Sweden: neither owes the other anything.
        let a = agreement(
            vec![member(200, 1855), member(220, 1855), member(380, 1855)],
            vec![ob(ObligationType::Defense, Parties::States(vec![200, 220]), Target::States(vec![380]))],
        );
        assert_eq!(a.obligations_between(200, 380, 1856), vec![ObligationType::Defense]);
        assert!(a.obligations_between(200, 220, 1856).is_empty());
        assert!(a.obligations_between(380, 200, 1856).is_empty());
    }

    #[test]
    fn suspension_toward_one_partner_lifts_only_that_pair() {
        // ANZUS: the US suspended its obligations toward New Zealand in 1986.
        let mut usa = member(2, 1951);
        usa.suspensions.push(Suspension {
            from: PartialDate::year(1986),
            to: None,
            scope: SuspensionScope::Obligations,
            toward: vec![920],
            note: None,
            source: "s".into(),
        });
        let a = agreement(
            vec![usa, member(900, 1951), member(920, 1951)],
            vec![ob(ObligationType::Defense, Parties::All, Target::All)],
        );
        assert_eq!(a.obligations_between(2, 920, 1985), vec![ObligationType::Defense]);
        assert!(a.obligations_between(2, 920, 1987).is_empty());
        assert_eq!(a.obligations_between(2, 900, 1987), vec![ObligationType::Defense]);
        assert_eq!(a.obligations_between(920, 2, 1987), vec![ObligationType::Defense]);
    }

    #[test]
    fn a_suspended_membership_is_owed_nothing_and_owes_nothing() {
        // The Rio Treaty: Cuba's participation suspended from 1962.
        let mut cuba = member(40, 1948);
        cuba.suspensions.push(Suspension {
            from: PartialDate::year(1962),
            to: None,
            scope: SuspensionScope::Membership,
            toward: vec![],
            note: None,
            source: "s".into(),
        });
        let a = agreement(
            vec![member(2, 1948), member(91, 1948), cuba],
            vec![ob(ObligationType::Defense, Parties::All, Target::All)],
        );
        assert_eq!(a.obligations_between(2, 40, 1961), vec![ObligationType::Defense]);
        assert!(a.obligations_between(2, 40, 1962).is_empty() && a.obligations_between(40, 2, 1962).is_empty());
        assert_eq!(a.obligations_between(2, 91, 1962), vec![ObligationType::Defense]);
    }

    #[test]
    fn partners_hold_no_obligation_of_all_members() {
        // The Baghdad Pact: the United States was a partner, never a party.
        let mut usa = member(2, 1958);
        usa.role = Role::Partner;
        let a = agreement(
            vec![member(640, 1955), member(770, 1955), member(630, 1955), usa],
            vec![ob(ObligationType::Consultation, Parties::All, Target::All)],
        );
        assert_eq!(a.parties(), vec![640, 770, 630]);
        assert!(a.obligations_between(640, 2, 1960).is_empty() && a.obligations_between(2, 640, 1960).is_empty());
        assert_eq!(a.obligations_between(640, 770, 1960), vec![ObligationType::Consultation]);
        assert_eq!(a.associates().map(|m| m.ccode).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn standing_is_read_at_the_end_of_the_year() {
        let mut pak = member(770, 1954);
        pak.left = Some(PartialDate::ymd(1972, 11, 8));
        let mut a = agreement(vec![member(2, 1954), pak.clone()], vec![]);
        a.in_force = Some(PartialDate::ymd(1955, 2, 19));
        assert_eq!(a.standing(&pak, 1953), None);
        assert_eq!(a.standing(&pak, 1954), Some(Standing::NotYetInForce));
        assert_eq!(a.standing(&pak, 1971), Some(Standing::InForce));
        assert_eq!(a.standing(&pak, 1972), Some(Standing::Ended), "left in November 1972");
        let mut signed = agreement(vec![member(670, 2025), member(770, 2025)], vec![]);
        signed.status = Status::Signed;
        assert_eq!(signed.standing(&signed.members[1], 2025), Some(Standing::NotYetInForce));
        let mut suspended = member(2, 1951);
        suspended.suspensions.push(Suspension {
            from: PartialDate::year(1990),
            to: Some(PartialDate::year(2002)),
            scope: SuspensionScope::Obligations,
            toward: vec![],
            note: None,
            source: "s".into(),
        });
        let b = agreement(vec![suspended.clone(), member(770, 1954)], vec![]);
        assert_eq!(b.standing(&suspended, 1995), Some(Standing::Suspended));
        assert_eq!(b.standing(&suspended, 2002), Some(Standing::InForce));
    }

    #[test]
    fn tie_values_follow_the_valued_scale() {
        assert_eq!(ObligationType::Offense.tie_value(), 3);
        assert_eq!(ObligationType::Consultation.tie_value(), 2);
        assert_eq!(ObligationType::Nonaggression.tie_value(), 1);
    }
}
