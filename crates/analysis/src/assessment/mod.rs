//! A country's assessment: everything the report, the country page, the home page, the
//! API and `pactbase country` say about one state, computed once for one reference year
//! so that every front end states the same figures (docs/REPORT.md).
//!
//! The parts are built here from data handed in (no I/O); `pactbase_service::assessment`
//! loads the data and fills them. A part whose dataset is not imported is a [`Missing`]
//! naming the dataset and the import that would supply it.

pub mod brief;
pub mod capabilities;
pub mod exercises;
pub mod network;
pub mod overview;
pub mod partners;
pub mod timeline;

#[cfg(test)]
mod tests;

use pactbase_model::coverage::REGISTRY_CURRENT_YEAR;
use pactbase_model::{Ccode, Source, Spell};
use serde::{Serialize, Serializer};

pub use capabilities::{AllianceBurden, Burden, Capabilities, CincSeries, CincYear, MemberShare};
pub use exercises::{Exercises, Mme, PartnerExercises};
pub use network::{NetworkPosition, NetworkYear};
pub use overview::{DefensePartner, Overview};
pub use partners::{Commitment, Depth, DepthComponent, DepthKind, PartnerAssessment, Partners, Tie, TieBasis};
pub use timeline::{Decade, MembershipSpan, Timeline};

use crate::arms::ArmsProfile;
use crate::challenges::Challenges;
use crate::impact::EventStudy;
use crate::recommend::{Partner, PartnerLeftOut};

/// The reference of a page: one year, or the whole record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// What is in force at the end of this year, and the record up to it.
    Year(i32),
    /// The whole record; present-tense claims are about the registry's current year.
    History,
}

impl View {
    /// The year present-tense claims are about.
    pub fn reference_year(self) -> i32 {
        match self {
            View::Year(y) => y,
            View::History => REGISTRY_CURRENT_YEAR,
        }
    }

    pub fn is_history(self) -> bool {
        self == View::History
    }

    /// "2025", or "all history".
    pub fn label(self) -> String {
        match self {
            View::Year(y) => y.to_string(),
            View::History => "all history".into(),
        }
    }
}

/// What a part needs that has not been imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Missing {
    /// The datasets, by their import name (`atop`, `nmc`).
    pub datasets: Vec<&'static str>,
    /// What is missing, in words ("the Alliance Treaty Obligations and Provisions (ATOP)").
    pub what: String,
    /// The commands that would supply it (`pactbase data fetch atop`); empty when no
    /// import would (a model that cannot be fitted for the state, say).
    pub import: Vec<String>,
}

/// A part of the assessment, or what must be imported to compute it.
pub type Part<T> = Result<T, Missing>;

/// A part of the assessment, or, when a dataset it needs is not imported,
/// `{"missing": {...}}` saying which and how to import it.
// A `Part<T>` field is serialised through this (`serialize_part`) and described as it in
// the OpenAPI document (`value_type = PartJson<T>`): one of the two shapes.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum PartJson<T> {
    Computed(T),
    /// The part could not be computed: what must be imported for it.
    Absent {
        missing: Missing,
    },
}

/// Serialises a [`Part`] as a [`PartJson`].
pub fn serialize_part<T: Serialize, S: Serializer>(part: &Part<T>, s: S) -> Result<S::Ok, S::Error> {
    match part {
        Ok(v) => PartJson::Computed(v).serialize(s),
        Err(m) => PartJson::<&T>::Absent { missing: m.clone() }.serialize(s),
    }
}

/// Who the state is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StateInfo {
    pub ccode: Ccode,
    pub abb: String,
    pub name: String,
    pub iso3: Option<String>,
    pub spells: Vec<Spell>,
}

/// The parts that rest on the registry (with the rivalries and exercises when imported),
/// cheap enough for `pactbase country`, the API's country profile and the home page.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryCore {
    pub state: StateInfo,
    pub view: View,
    pub reference_year: i32,
    pub overview: Overview,
    pub timeline: Timeline,
    pub partners: Partners,
    pub exercises: Exercises,
}

/// Every part the report and the country page show.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryAssessment {
    #[serde(flatten)]
    pub core: CountryCore,
    #[serde(serialize_with = "serialize_part")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::assessment::PartJson<NetworkPosition>))]
    pub network: Part<NetworkPosition>,
    pub capabilities: Capabilities,
    #[serde(serialize_with = "serialize_part")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::assessment::PartJson<Arms>))]
    pub arms: Part<Arms>,
    #[serde(serialize_with = "serialize_part")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::assessment::PartJson<Impact>))]
    pub impact: Part<Impact>,
    pub challenges: Challenges,
    #[serde(serialize_with = "serialize_part")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::assessment::PartJson<Recommendations>))]
    pub recommendations: Part<Recommendations>,
    pub sources: Sources,
}

/// What its partnerships delivered in arms: SIPRI's deliveries to it by supplier, up to the
/// reference year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Arms {
    #[serde(flatten)]
    pub profile: ArmsProfile,
    /// The event study in one sentence.
    pub headline: String,
    /// Imports by main supplier, stacked per year, as SVG markup (its text already escaped).
    #[serde(skip)]
    pub chart_svg: String,
}

/// Event studies of the state's entries into its main alliances.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Impact {
    pub studies: Vec<ImpactStudy>,
    /// Entries not studied, each with the reason in a sentence.
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImpactStudy {
    pub agreement_id: String,
    pub agreement: String,
    pub entry_year: i32,
    /// The outcome in words ("log military expenditure (SIPRI, constant 2017 US$)").
    pub outcome: String,
    pub result: EventStudy,
    /// The result in one sentence: the effect or why none is stated, with the placebo and
    /// synthetic-control inference.
    pub headline: String,
    /// Which cohorts and states contribute, and which are dropped and why.
    pub sample: Vec<String>,
    /// What limits the reading (pre-trends, a fallback outcome, dropped zeros).
    pub warnings: Vec<String>,
    /// The design in a few lines, as `pactbase impact` prints it.
    pub summary: String,
    /// The estimates with their intervals, as SVG markup (its text already escaped).
    #[serde(skip)]
    pub chart_svg: String,
    /// That chart's title, for drawing it again from `result` (the web page's chart).
    #[serde(skip)]
    pub chart_title: String,
}

/// Partners the state could ally with next.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recommendations {
    /// The model's year: the reference year, or the last year its data reach.
    pub as_of: i32,
    pub horizon: i32,
    /// The years whose formations the model learnt from.
    pub learnt_from: (i32, i32),
    pub partners: Vec<Partner>,
    /// Strategic rivals and states either side does not recognise, scored high enough to
    /// be listed but left out, each with why.
    pub left_out: Vec<PartnerLeftOut>,
    /// Optional datasets the model went without.
    pub datasets_missing: Vec<&'static str>,
}

/// Where every fact comes from.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sources {
    pub agreements: Vec<CitedSources>,
    pub exercises: Vec<CitedSources>,
    pub datasets: Vec<DatasetRecord>,
    /// Datasets an assessment can use that are not imported: (what, import command).
    pub not_imported: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CitedSources {
    pub id: String,
    pub label: String,
    pub sources: Vec<Source>,
}

/// An imported dataset with its provenance.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetRecord {
    pub dataset: String,
    pub version: String,
    pub file: String,
    pub sha256: String,
    pub rows: usize,
    pub imported_at: Option<String>,
    /// How to cite the dataset (plain text, from the data catalogue).
    pub citation: String,
}
