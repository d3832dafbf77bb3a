//! Partnership recommendations as front ends show them: the datasets the model reads,
//! loaded once and kept (the CLI loads them per command, a running server once per store
//! revision), and each partner's reasons in plain words, with the statistics beside them.

use pactbase_analysis::panel::{self, Capitals, Contiguity, Exercises, Rivalries, System};
use pactbase_analysis::recommend::{
    self, Backtest, Feature, Flag, Listing, Options, RecommendError, Recommendation, Sources,
};
pub use pactbase_analysis::recommend::{Partner, PartnerLeftOut};
use pactbase_model::coverage::YEARS;
use std::collections::HashMap;

use pactbase_model::research::Dataset;
use pactbase_model::{Ccode, NonRecognition, StateIndex, Vocabulary};
use pactbase_store::{AgreementFilter, Store};
use serde::Serialize;

use crate::research::{
    alliance_ties, current_alliance_ties, require, system, AllianceTies, TieSource, REGISTRY_LAST_YEAR,
};
use crate::Result;

/// The year recommendations are made for unless asked otherwise: the registry's current
/// year, the network known to then (ATOP's to 2018, its alliances in force then carried
/// forward, and the registry's agreements to this year).
pub const DEFAULT_YEAR: i32 = REGISTRY_LAST_YEAR;

/// Which ties recommendations read, in a sentence.
pub const TIES: &str = "ATOP 5.1 to 2018, its alliances in force then carried forward, and the registry's \
                        agreements (in place of the ATOP alliances they code) to 2025; the model learns only from \
                        alliances formed by 2018, the last year whose formations are all known";

pub struct Recommender {
    pub index: StateIndex,
    system: System,
    ties: AllianceTies,
    exercises: Exercises,
    exercises_cover: Option<(i32, i32)>,
    rivalries: Rivalries,
    recognition: Vec<NonRecognition>,
    contiguity: Option<Contiguity>,
    capitals: Option<Capitals>,
    /// Optional datasets that were not imported, whose features are then unknown or 0
    /// (front ends say so beside the results).
    pub missing: Vec<&'static str>,
}

/// A state's recommended partners.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommended {
    pub ccode: Ccode,
    pub year: i32,
    pub horizon: i32,
    pub training_years: (i32, i32),
    pub ties: &'static str,
    pub partners: Vec<Partner>,
    /// Rivals and states not recognised that would otherwise be listed.
    pub left_out: Vec<PartnerLeftOut>,
    pub datasets_missing: Vec<&'static str>,
}

impl Recommender {
    /// For recommendations: the network as known to the registry's current year
    /// ([`current_alliance_ties`]). Needs ATOP; MME and the rivalries sharpen the model
    /// when imported.
    pub fn load(store: &Store) -> Result<Recommender> {
        let index = store.state_index()?;
        require(store, Dataset::Atop)?;
        let ties = current_alliance_ties(store, &index)?;
        Recommender::with_ties(store, index, ties)
    }

    /// For the back-test: ATOP 5.1's alliances alone, so that anyone can reproduce the
    /// figures from ATOP's files (docs/RECOMMEND.md).
    pub fn load_atop(store: &Store) -> Result<Recommender> {
        let index = store.state_index()?;
        let ties = alliance_ties(store, TieSource::Atop, &index, panel::ATOP_END.year)?;
        Recommender::with_ties(store, index, ties)
    }

    fn with_ties(store: &Store, index: StateIndex, ties: AllianceTies) -> Result<Recommender> {
        let (system, _) = system(store, &index, (YEARS.first, ties.last_year))?;
        let mut missing = Vec::new();
        let exercises = if store.has_dataset(Dataset::Mme)? {
            store.mme()?
        } else {
            missing.push(Dataset::Mme.as_str());
            Vec::new()
        };
        let rivalries = if store.has_dataset(Dataset::Rivalries)? {
            store.rivalries()?
        } else {
            missing.push(Dataset::Rivalries.as_str());
            Vec::new()
        };
        let years = exercises.iter().map(|e| e.year);
        let exercises_cover = years.clone().min().zip(years.max());
        let recognition = store.non_recognition()?;
        if recognition.is_empty() {
            missing.push("the registry's non-recognition table (`pactbase init` loads it)");
        }
        // Contiguity joins the model, and with capital distance the geography baseline,
        // where imported (docs/RECOMMEND.md).
        let mut optional = |dataset: Dataset| -> Result<bool> {
            let there = store.has_dataset(dataset)?;
            if !there {
                missing.push(dataset.as_str());
            }
            Ok(there)
        };
        let contiguity =
            optional(Dataset::Contiguity)?.then(|| store.contiguity().map(|s| Contiguity::new(&s))).transpose()?;
        let capitals = optional(Dataset::Capitals)?.then(|| store.capitals().map(|c| Capitals::new(&c))).transpose()?;
        Ok(Recommender {
            index,
            system,
            ties,
            exercises: Exercises::new(&exercises),
            exercises_cover,
            rivalries: Rivalries::new(&rivalries),
            recognition,
            contiguity,
            capitals,
            missing,
        })
    }

    fn sources(&self) -> Sources<'_> {
        Sources {
            system: &self.system,
            dyads: &self.ties.dyads,
            ties_through: self.ties.last_year,
            outcomes_through: panel::ATOP_END.year,
            exercises: &self.exercises,
            exercises_cover: self.exercises_cover,
            rivalries: &self.rivalries,
            recognition: &self.recognition,
            contiguity: self.contiguity.as_ref(),
            capitals: self.capitals.as_ref(),
        }
    }

    /// The last year the model's data describe: recommendations for a later year are
    /// answered as of this one.
    pub fn last_year(&self) -> i32 {
        self.ties.last_year
    }

    /// The `top` likeliest new partners of `state` as of `year`.
    pub fn recommend(
        &self,
        state: Ccode,
        year: i32,
        top: usize,
        options: &Options,
        listing: Listing,
    ) -> Result<Recommended, RecommendError> {
        let found = recommend::recommend(&self.sources(), state, year, top, options, listing)?;
        let words = Words { index: &self.index, state };
        Ok(Recommended {
            ccode: state,
            year,
            horizon: options.horizon,
            training_years: found.training_years,
            ties: TIES,
            partners: found
                .partners
                .into_iter()
                .map(|r| Partner {
                    partner: r.partner,
                    name: self.index.name(r.partner),
                    score: r.score,
                    reasons: words.reasons(&r, year),
                    cautions: r.flags.iter().map(|&f| words.flag(f, r.partner)).collect(),
                    statistics: r,
                })
                .collect(),
            left_out: found
                .left_out
                .iter()
                .map(|l| PartnerLeftOut {
                    partner: l.partner,
                    name: self.index.name(l.partner),
                    score: l.score,
                    why: l.flags.iter().map(|&f| words.flag(f, l.partner)).collect(),
                })
                .collect(),
            datasets_missing: self.missing.clone(),
        })
    }

    /// The temporal back-test of the model against the baselines.
    pub fn backtest(&self, train_until: i32, k: usize, options: &Options) -> Result<Backtest, RecommendError> {
        recommend::backtest(&self.sources(), train_until, k, options)
    }
}

/// The agreements' labels by the names ties give them (ATOP ids, registry ids), to name
/// the agreements behind a back-test's formations.
pub fn agreement_labels(store: &Store) -> Result<HashMap<String, String>> {
    let mut labels = HashMap::new();
    for a in store.agreements(&AgreementFilter::default())? {
        if let Some(atopid) = a.atopid {
            labels.insert(atopid.to_string(), a.label().to_owned());
        }
        labels.insert(a.id.clone(), a.label().to_owned());
    }
    Ok(labels)
}

/// Plain words about a recommendation for `state`.
struct Words<'a> {
    index: &'a StateIndex,
    state: Ccode,
}

/// Several features that say one thing in words, and are read together.
const ALLIES: [Feature; 4] =
    [Feature::CommonAllies, Feature::AdamicAdar, Feature::CommonAlliesInSubregion, Feature::CommonAlliesInContinent];
const GEOGRAPHY: [Feature; 3] = [Feature::SameSubregion, Feature::SameRegion, Feature::SameContinent];

impl Words<'_> {
    /// One sentence per reason that raises the odds, the strongest first.
    fn reasons(&self, r: &Recommendation, year: i32) -> Vec<String> {
        let part = |features: &[Feature]| -> f64 {
            r.contributions.iter().filter(|c| features.contains(&c.feature)).map(|c| c.contribution).sum()
        };
        let e = &r.evidence;
        let me = self.index.name(self.state);
        let names = |list: &[Ccode]| -> String {
            let shown: Vec<String> = list.iter().take(4).map(|&c| self.index.name(c)).collect();
            let more = list.len().saturating_sub(shown.len());
            if more > 0 {
                format!("{} and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            }
        };
        let mut reasons: Vec<(f64, String)> = Vec::new();
        if !e.common_allies.is_empty() {
            let n = e.common_allies.len();
            let allies = if n == 1 { "ally" } else { "allies" };
            reasons.push((part(&ALLIES), format!("shares {n} {allies} with {me} ({})", names(&e.common_allies))));
        }
        if let Some(place) = e.subregion.map(|s| s.name()).or(e.region.map(|r| r.name())) {
            reasons.push((part(&GEOGRAPHY), format!("same region: {place}")));
        }
        let value = |f: Feature| r.contributions.iter().find(|c| c.feature == f);
        if let Some(c) = value(Feature::NeighboursAllied).filter(|c| c.value.is_some_and(|v| v > 0.0)) {
            let share = c.value.unwrap_or(0.0) * 100.0;
            reasons
                .push((c.contribution, format!("{share:.0}% of their neighbours are already allied with the other")));
        }
        if let Some(c) = value(Feature::Contiguous).filter(|c| c.value == Some(1.0)) {
            reasons.push((c.contribution, "neighbours: a land border or up to 400 miles of water (COW)".to_owned()));
        }
        if !e.shared_rivals.is_empty() {
            reasons.push((part(&[Feature::SharedRivals]), format!("both rivals of {}", names(&e.shared_rivals))));
        }
        if let Some(n) = e.joint_exercises.filter(|&n| n > 0) {
            let times = if n == 1 { "once".to_owned() } else { format!("{n} times") };
            reasons
                .push((part(&[Feature::JointExercises]), format!("exercised together {times} in {}–{year}", year - 4)));
        }
        if let Some(last) = e.last_allied.filter(|&y| y >= year - 10) {
            reasons.push((part(&[Feature::RecentlyAllied]), format!("allied until {last}")));
        }
        if let Some(c) = value(Feature::AllianceActivity) {
            let n = c.value.unwrap_or(0.0);
            reasons.push((c.contribution, format!("active alliance-makers ({n} allies between the two)")));
        }
        if let Some(c) = value(Feature::PortfolioSimilarity) {
            let s = c.value.unwrap_or(0.0);
            reasons.push((c.contribution, format!("similar alliance portfolios (S = {s:.2})")));
        }
        reasons.retain(|(c, _)| *c > 0.0);
        reasons.sort_by(|a, b| b.0.total_cmp(&a.0));
        reasons.into_iter().map(|(_, text)| text).collect()
    }

    fn flag(&self, flag: Flag, partner: Ccode) -> String {
        match flag {
            Flag::Rival => {
                format!("a strategic rival of {} (TSS rivalries)", self.index.name(self.state))
            }
            Flag::NotRecognised { by, of } if by == partner => {
                format!("does not recognise {} (data/non-recognition.csv)", self.index.name(of))
            }
            Flag::NotRecognised { by, .. } => {
                format!("not recognised by {} (data/non-recognition.csv)", self.index.name(by))
            }
        }
    }
}
