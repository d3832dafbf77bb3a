use serde::{Deserialize, Serialize};

use crate::{vocabulary, Ccode, Source};

/// Exercise domains, as the Multinational Military Exercises data codes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Domain {
    Cpx,
    Air,
    Land,
    Sea,
    Amphibious,
    Cyber,
}

vocabulary!(Domain { Cpx = "cpx", Air = "air", Land = "land", Sea = "sea", Amphibious = "amphibious", Cyber = "cyber" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Focus {
    Warfighting,
    Peacekeeping,
    Humanitarian,
    Counterterrorism,
}

vocabulary!(Focus {
    Warfighting = "warfighting",
    Peacekeeping = "peacekeeping",
    Humanitarian = "humanitarian",
    Counterterrorism = "counterterrorism",
});

/// A recurring exercise or training programme and the years it was held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExerciseSeries {
    pub id: String,
    pub name: String,
    pub host: Option<Ccode>,
    /// The agreement the series implements, when there is one.
    pub agreement: Option<String>,
    pub domains: Vec<Domain>,
    pub focus: Vec<Focus>,
    pub participants: Vec<Ccode>,
    pub years: Vec<i32>,
    pub summary: String,
    pub sources: Vec<Source>,
}
