//! Year-by-year trends of defense cooperation (the brief's "emerging trends"): agreements
//! in force and newly signed by kind, bilateral versus multilateral alliances, alliance
//! provisions (military aid, technology transfer, integrated command, bases), and
//! multinational exercises by domain and focus.

use pactbase_model::coverage::{ATOP, MME};
use pactbase_model::research::{AtopAlliance, MmeExercise, MME_DOMAINS, MME_FOCUS};
use pactbase_model::{Agreement, AgreementKind, Vocabulary};
use serde::Serialize;

/// ATOP's `milaid = 3`: training or technology transfer; 4 (both grants and
/// training/technology) includes it too.
const MILAID_TECHNOLOGY: [u8; 2] = [3, 4];

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearTrend {
    pub year: i32,
    /// Registry agreements in force, all kinds, and per kind in [`AgreementKind::ALL`] order.
    pub registry_in_force: usize,
    pub registry_signed: usize,
    pub in_force_by_kind: Vec<usize>,
    pub signed_by_kind: Vec<usize>,
    /// ATOP alliances in effect (`None` past ATOP's coverage).
    pub alliances: Option<usize>,
    pub bilateral_share: Option<f64>,
    pub multilateral_share: Option<f64>,
    /// Shares of alliances in effect whose provisions are coded and present; alliances
    /// whose document ATOP could not locate (missing code) are left out of the base.
    pub military_aid_share: Option<f64>,
    pub technology_share: Option<f64>,
    pub integrated_command_share: Option<f64>,
    pub bases_share: Option<f64>,
    /// MME exercises begun this year (`None` outside MME's years), by domain and by focus.
    pub exercises: Option<usize>,
    pub exercises_by_domain: Vec<Option<usize>>,
    pub exercises_by_focus: Vec<Option<usize>>,
}

/// The column names of a trends table, in [`YearTrend`] order (kinds, domains and focus
/// spelt out; a test keeps them in step with the vocabularies).
pub const COLUMNS: [&str; 36] = [
    "year",
    "registry_in_force",
    "registry_signed",
    "in_force_mutual_defense_pact",
    "in_force_security_assistance",
    "in_force_exercise_and_training",
    "in_force_technology_sharing",
    "in_force_regional_defense_alliance",
    "in_force_intelligence_sharing",
    "in_force_arms_control",
    "in_force_nonaggression_and_friendship",
    "signed_mutual_defense_pact",
    "signed_security_assistance",
    "signed_exercise_and_training",
    "signed_technology_sharing",
    "signed_regional_defense_alliance",
    "signed_intelligence_sharing",
    "signed_arms_control",
    "signed_nonaggression_and_friendship",
    "alliances",
    "bilateral_share",
    "multilateral_share",
    "military_aid_share",
    "technology_share",
    "integrated_command_share",
    "bases_share",
    "exercises",
    "exercises_cpx",
    "exercises_air",
    "exercises_land",
    "exercises_sea",
    "exercises_amphibious",
    "exercises_cyber",
    "exercises_warfighting",
    "exercises_peacekeeping",
    "exercises_humanitarian",
];

impl YearTrend {
    /// The row's values as text, in [`columns`] order; missing values are empty.
    pub fn cells(&self) -> Vec<String> {
        let int = |v: Option<usize>| v.map(|v| v.to_string()).unwrap_or_default();
        let share = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
        let mut c = vec![self.year.to_string(), self.registry_in_force.to_string(), self.registry_signed.to_string()];
        c.extend(self.in_force_by_kind.iter().map(|v| v.to_string()));
        c.extend(self.signed_by_kind.iter().map(|v| v.to_string()));
        c.push(int(self.alliances));
        c.extend(
            [
                self.bilateral_share,
                self.multilateral_share,
                self.military_aid_share,
                self.technology_share,
                self.integrated_command_share,
                self.bases_share,
            ]
            .map(share),
        );
        c.push(int(self.exercises));
        c.extend(self.exercises_by_domain.iter().map(|v| int(*v)));
        c.extend(self.exercises_by_focus.iter().map(|v| int(*v)));
        c
    }
}

pub fn trends(
    years: (i32, i32),
    agreements: &[Agreement],
    alliances: Option<&[AtopAlliance]>,
    exercises: Option<&[MmeExercise]>,
) -> Vec<YearTrend> {
    (years.0..=years.1).map(|year| year_trend(year, agreements, alliances, exercises)).collect()
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn year_trend(
    year: i32,
    agreements: &[Agreement],
    alliances: Option<&[AtopAlliance]>,
    exercises: Option<&[MmeExercise]>,
) -> YearTrend {
    let in_force: Vec<&Agreement> = agreements.iter().filter(|a| a.active_in(year)).collect();
    let signed: Vec<&Agreement> = agreements.iter().filter(|a| a.signed.year == year).collect();
    let by_kind = |list: &[&Agreement]| {
        AgreementKind::ALL.iter().map(|k| list.iter().filter(|a| a.kinds.contains(k)).count()).collect()
    };

    let atop = alliances.filter(|_| ATOP.contains(year)).map(|all| {
        let active: Vec<&AtopAlliance> =
            all.iter().filter(|a| a.begin.year <= year && a.end.is_none_or(|e| e.year >= year)).collect();
        let coded = |f: fn(&AtopAlliance) -> Option<u8>, present: fn(u8) -> bool| {
            let known: Vec<u8> = active.iter().filter_map(|a| f(a)).collect();
            share(known.iter().filter(|&&v| present(v)).count(), known.len())
        };
        let bilateral = active.iter().filter(|a| a.bilateral).count();
        (
            active.len(),
            share(bilateral, active.len()),
            share(active.len() - bilateral, active.len()),
            coded(|a| a.milaid, |v| v > 0),
            coded(|a| a.milaid, |v| MILAID_TECHNOLOGY.contains(&v)),
            coded(|a| a.intcom, |v| v > 0),
            coded(|a| a.base, |v| v > 0),
        )
    });

    let mme = exercises.filter(|_| MME.contains(year)).map(|all| {
        let this_year: Vec<&MmeExercise> = all.iter().filter(|e| e.year == year).collect();
        let domains: Vec<Option<usize>> =
            (0..MME_DOMAINS.len()).map(|d| Some(this_year.iter().filter(|e| e.domains[d]).count())).collect();
        let focus: Vec<Option<usize>> =
            (0..MME_FOCUS.len()).map(|f| Some(this_year.iter().filter(|e| e.focus[f]).count())).collect();
        (this_year.len(), domains, focus)
    });

    YearTrend {
        year,
        registry_in_force: in_force.len(),
        registry_signed: signed.len(),
        in_force_by_kind: by_kind(&in_force),
        signed_by_kind: by_kind(&signed),
        alliances: atop.map(|a| a.0),
        bilateral_share: atop.and_then(|a| a.1),
        multilateral_share: atop.and_then(|a| a.2),
        military_aid_share: atop.and_then(|a| a.3),
        technology_share: atop.and_then(|a| a.4),
        integrated_command_share: atop.and_then(|a| a.5),
        bases_share: atop.and_then(|a| a.6),
        exercises: mme.as_ref().map(|m| m.0),
        exercises_by_domain: mme.as_ref().map_or_else(|| vec![None; MME_DOMAINS.len()], |m| m.1.clone()),
        exercises_by_focus: mme.as_ref().map_or_else(|| vec![None; MME_FOCUS.len()], |m| m.2.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pactbase_model::research::{AtopObligations, Ymd};

    fn alliance(
        atopid: u32,
        begin: i32,
        end: Option<i32>,
        bilateral: bool,
        milaid: Option<u8>,
        base: Option<u8>,
    ) -> AtopAlliance {
        AtopAlliance {
            atopid,
            cowid: None,
            begin: Ymd::new(begin, 1, 1),
            end: end.map(|e| Ymd::new(e, 12, 31)),
            bilateral,
            asymmetric: false,
            obligations: AtopObligations::default(),
            milcon: None,
            milaid,
            intcom: Some(0),
            subord: None,
            base,
            organ1: None,
            contrib: None,
            armred: None,
            specthrt: None,
            ecaid: None,
            members: vec![],
        }
    }

    #[test]
    fn shares_leave_uncoded_alliances_out_of_the_base() {
        let alliances = [
            alliance(1, 1950, None, true, Some(3), Some(1)),
            alliance(2, 1950, Some(1960), false, Some(0), None),
            alliance(3, 1955, None, false, None, Some(0)),
        ];
        let t = trends((1956, 1961), &[], Some(&alliances), None);
        assert_eq!(t[0].alliances, Some(3));
        assert!((t[0].bilateral_share.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(t[0].military_aid_share, Some(0.5), "alliance 3 has no milaid code");
        assert_eq!(t[0].technology_share, Some(0.5));
        assert_eq!(t[0].bases_share, Some(0.5));
        assert_eq!(t[5].alliances, Some(2), "alliance 2 ended in 1960");
        assert_eq!(t[0].exercises, None);
        assert_eq!(t[0].cells().len(), COLUMNS.len());
    }

    #[test]
    fn years_past_atop_are_missing_not_zero() {
        let t = trends((2018, 2019), &[], Some(&[alliance(1, 1950, None, true, None, None)]), None);
        assert_eq!(t[0].alliances, Some(1));
        assert_eq!(t[1].alliances, None);
        assert_eq!(t[1].cells()[COLUMNS.iter().position(|c| *c == "alliances").unwrap()], "");
    }

    #[test]
    fn exercises_past_the_mme_file_are_missing_not_zero() {
        let t = trends((2010, 2011), &[], None, Some(&[]));
        assert_eq!(t[0].exercises, Some(0), "2010 is covered: no exercise is a 0");
        assert_eq!(t[1].exercises, None);
        assert!(t[1].exercises_by_domain.iter().chain(&t[1].exercises_by_focus).all(Option::is_none));
    }

    #[test]
    fn columns_follow_the_vocabularies() {
        let kinds = AgreementKind::ALL.len();
        for (i, k) in AgreementKind::ALL.iter().enumerate() {
            assert_eq!(COLUMNS[3 + i], format!("in_force_{}", k.as_str().replace('-', "_")));
            assert_eq!(COLUMNS[3 + kinds + i], format!("signed_{}", k.as_str().replace('-', "_")));
        }
        let exercises = COLUMNS.iter().position(|c| *c == "exercises").unwrap();
        assert_eq!(exercises, 3 + 2 * kinds + 7, "alliances and six shares between kinds and exercises");
        for (i, d) in MME_DOMAINS.iter().chain(&MME_FOCUS).enumerate() {
            assert_eq!(COLUMNS[exercises + 1 + i], format!("exercises_{d}"));
        }
    }
}
