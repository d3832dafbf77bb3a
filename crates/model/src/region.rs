use crate::{vocabulary, Ccode};

/// The regions of the Correlates of War, read from the code blocks: the list filters,
/// and the "same region" baseline of the partnership back-test (the model itself uses the
/// finer `pactbase_analysis::regions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    Americas,
    Europe,
    Africa,
    MiddleEast,
    AsiaOceania,
}

vocabulary!(Region {
    Americas = "americas",
    Europe = "europe",
    Africa = "africa",
    MiddleEast = "middle-east",
    AsiaOceania = "asia-oceania",
});

impl Region {
    /// The region of a COW code; `None` outside the blocks.
    pub fn of(ccode: Ccode) -> Option<Region> {
        match ccode {
            2..=165 => Some(Region::Americas),
            200..=399 => Some(Region::Europe),
            400..=626 => Some(Region::Africa),
            630..=698 => Some(Region::MiddleEast),
            700..=990 => Some(Region::AsiaOceania),
            _ => None,
        }
    }

    /// The region in words: "Middle East", "Asia and Oceania".
    pub fn name(self) -> &'static str {
        match self {
            Region::Americas => "Americas",
            Region::Europe => "Europe",
            Region::Africa => "Africa",
            Region::MiddleEast => "Middle East",
            Region::AsiaOceania => "Asia and Oceania",
        }
    }
}
