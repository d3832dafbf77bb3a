//! The state's exercises: MME's multinational exercises per year, domain and partner,
//! and the registry's recurring series.

use std::collections::{BTreeMap, BTreeSet};

use pactbase_model::coverage::MME;
use pactbase_model::research::{MmeExercise, MME_DOMAINS};
use pactbase_model::{Ccode, ExerciseSeries};
use serde::Serialize;

use super::{serialize_part, Part, View};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exercises {
    /// The registry's series the state takes part in, with the editions held by the
    /// reference year.
    pub series: Vec<ExerciseSeries>,
    #[serde(serialize_with = "serialize_part")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::assessment::PartJson<Mme>))]
    pub mme: Part<Mme>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mme {
    /// The years the data cover (and, in a year's view, up to the reference year).
    pub coverage: (i32, i32),
    pub total: usize,
    /// Exercises per covered year (0 where none).
    pub per_year: Vec<(i32, usize)>,
    /// Exercises per domain in [`MME_DOMAINS`] order; one exercise can have several.
    pub by_domain: Vec<(&'static str, usize)>,
    pub by_partner: Vec<PartnerExercises>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerExercises {
    pub partner: Ccode,
    pub count: usize,
    pub first_year: i32,
    pub last_year: i32,
    pub by_domain: Vec<(&'static str, usize)>,
}

/// The registry's series of `ccode`, with the editions held up to the view's year.
pub fn series(ccode: Ccode, view: View, all: &[ExerciseSeries]) -> Vec<ExerciseSeries> {
    all.iter()
        .filter(|s| s.participants.contains(&ccode))
        .map(|s| ExerciseSeries {
            years: s.years.iter().copied().filter(|&y| view.is_history() || y <= view.reference_year()).collect(),
            ..s.clone()
        })
        .filter(|s| !s.years.is_empty())
        .collect()
}

/// MME's exercises of `ccode` up to the view's year, partners counted once per exercise.
pub fn mme(all: &[MmeExercise], ccode: Ccode, view: View) -> Mme {
    let last = if view.is_history() { MME.last } else { MME.last.min(view.reference_year()) };
    let coverage = (MME.first, last);
    let own: Vec<&MmeExercise> = all.iter().filter(|e| e.year <= last && e.participants.contains(&ccode)).collect();
    let mut per_year: BTreeMap<i32, usize> = (coverage.0..=coverage.1).map(|y| (y, 0)).collect();
    let mut by_domain = [0usize; 6];
    struct Acc {
        count: usize,
        first: i32,
        last: i32,
        domains: [usize; 6],
    }
    let mut partners: BTreeMap<Ccode, Acc> = BTreeMap::new();
    for e in &own {
        *per_year.entry(e.year).or_default() += 1;
        for (k, &on) in e.domains.iter().enumerate() {
            by_domain[k] += usize::from(on);
        }
        let others: BTreeSet<Ccode> = e.participants.iter().copied().filter(|&c| c != ccode).collect();
        for c in others {
            let a = partners.entry(c).or_insert(Acc { count: 0, first: e.year, last: e.year, domains: [0; 6] });
            a.count += 1;
            a.first = a.first.min(e.year);
            a.last = a.last.max(e.year);
            for (k, &on) in e.domains.iter().enumerate() {
                a.domains[k] += usize::from(on);
            }
        }
    }
    let named =
        |counts: &[usize; 6]| -> Vec<(&'static str, usize)> { MME_DOMAINS.iter().copied().zip(*counts).collect() };
    let mut by_partner: Vec<PartnerExercises> = partners
        .into_iter()
        .map(|(c, a)| PartnerExercises {
            partner: c,
            count: a.count,
            first_year: a.first,
            last_year: a.last,
            by_domain: named(&a.domains),
        })
        .collect();
    by_partner.sort_by(|a, b| b.count.cmp(&a.count).then(a.partner.cmp(&b.partner)));
    Mme {
        coverage,
        total: own.len(),
        per_year: per_year.into_iter().collect(),
        by_domain: named(&by_domain),
        by_partner,
    }
}
