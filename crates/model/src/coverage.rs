//! The years each source describes, declared once. Outside its years a dataset says
//! nothing: its values there are missing (null), never zero.

use std::fmt;
use std::ops::RangeInclusive;

use crate::YearSpan;

/// An inclusive span of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    pub first: i32,
    pub last: i32,
}

impl Years {
    pub const fn new(first: i32, last: i32) -> Years {
        Years { first, last }
    }

    pub const fn contains(self, year: i32) -> bool {
        self.first <= year && year <= self.last
    }

    pub fn range(self) -> RangeInclusive<i32> {
        self.first..=self.last
    }
}

/// "1980–2010", as every span of years is written (`YearSpan`).
impl fmt::Display for Years {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        YearSpan::closed(self.first, self.last).fmt(f)
    }
}

/// The years pactbase speaks about: from the first year of the Correlates of War state
/// system to a bound far enough ahead for agreements being negotiated.
pub const YEARS: Years = Years::new(1816, 2100);

/// The registry's current year: the last year it describes, and the reference year of
/// every present-tense claim unless another is asked for.
pub const REGISTRY_CURRENT_YEAR: i32 = 2025;

/// The post-war years to the registry's current year: the default span of the trends
/// (`pactbase trends`, `/trends`, `/api/v1/trends`).
pub const POST_WAR: Years = Years::new(1946, REGISTRY_CURRENT_YEAR);

/// ATOP 5.1 codes alliances in effect through 2018; an alliance without an end is in
/// effect through this year and unknown after it.
pub const ATOP: Years = Years::new(1815, 2018);

/// The Multinational Military Exercises data, version 7: the file records exercises from
/// 1980 to 2010 (its codebook speaks of 2016, but no exercise after 2010 is in it), so a
/// year after 2010 is unknown, not a year without exercises.
pub const MME: Years = Years::new(1980, 2010);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_inclusive() {
        assert!(MME.contains(1980) && MME.contains(2010));
        assert!(!MME.contains(2011) && !MME.contains(1979));
        assert_eq!(ATOP.range().last(), Some(2018));
        assert!(YEARS.contains(REGISTRY_CURRENT_YEAR));
        assert_eq!(MME.to_string(), "1980–2010");
    }
}
