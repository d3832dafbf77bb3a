//! The features of an unallied pair as of one year, computed from that year's data and
//! earlier years only: nothing here looks past the snapshot's year.

use std::collections::HashMap;

use pactbase_model::{Ccode, Region};
use serde::Serialize;

use super::graph::Adjacency;
use super::Sources;
use crate::panel::{DyadTable, SystemYear};
use crate::similarity::Portfolios;

/// Joint exercises count over this many years, the snapshot's year included.
const EXERCISE_YEARS: i32 = 5;

/// A CINC share below this is read as this: keeps logarithms and ratios finite for the
/// few state-years NMC scores 0.
const CINC_FLOOR: f64 = 1e-6;

/// What the model knows about a pair, in model order (see [`Feature::ALL`]).
///
/// `CommonAllies` and `AdamicAdar` are nearly collinear; their contributions are to be
/// read together (docs/RECOMMEND.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    CommonAllies,
    AdamicAdar,
    AllianceActivity,
    SharedRivals,
    Rivals,
    JointExercises,
    PortfolioSimilarity,
    WeakerCapability,
    CapabilityRatio,
    SameRegion,
    PriorAlliance,
}

pub(crate) const FEATURES: usize = 11;

/// One value per feature, in [`Feature::ALL`] order.
pub(crate) type Values = [f64; FEATURES];

impl Feature {
    /// Every feature, in model order.
    pub const ALL: [Feature; FEATURES] = [
        Feature::CommonAllies,
        Feature::AdamicAdar,
        Feature::AllianceActivity,
        Feature::SharedRivals,
        Feature::Rivals,
        Feature::JointExercises,
        Feature::PortfolioSimilarity,
        Feature::WeakerCapability,
        Feature::CapabilityRatio,
        Feature::SameRegion,
        Feature::PriorAlliance,
    ];

    /// The feature's name in output (snake case).
    pub fn name(self) -> &'static str {
        match self {
            Feature::CommonAllies => "common_allies",
            Feature::AdamicAdar => "adamic_adar",
            Feature::AllianceActivity => "alliance_activity",
            Feature::SharedRivals => "shared_rivals",
            Feature::Rivals => "rivals",
            Feature::JointExercises => "joint_exercises",
            Feature::PortfolioSimilarity => "portfolio_similarity",
            Feature::WeakerCapability => "weaker_capability",
            Feature::CapabilityRatio => "capability_ratio",
            Feature::SameRegion => "same_region",
            Feature::PriorAlliance => "prior_alliance",
        }
    }

    /// What the feature measures, and how the model reads it.
    pub fn definition(self) -> &'static str {
        match self {
            Feature::CommonAllies => {
                "states allied with both in the year (any ATOP tie, either direction); model input ln(1 + n)"
            }
            Feature::AdamicAdar => {
                "common allies weighted by rarity: the sum over common allies z of 1 / ln(allies of z); \
                 model input ln(1 + x)"
            }
            Feature::AllianceActivity => "allies the two hold between them (sum of degrees); model input ln(1 + n)",
            Feature::SharedRivals => "states that are strategic rivals (TSS) of both: the enemy of my enemy",
            Feature::Rivals => "1 when the two are strategic rivals of each other (TSS) in the year",
            Feature::JointExercises => {
                "MME joint military exercises of the pair in the five years to the year (MME covers \
                 1980–2016; 0 outside it); model input ln(1 + n)"
            }
            Feature::PortfolioSimilarity => {
                "valued Signorino–Ritter S of the two alliance portfolios in the year (FPSIM sallyvua)"
            }
            Feature::WeakerCapability => {
                "the smaller of the two CINC shares (NMC; missing: the year's median); model input ln(share)"
            }
            Feature::CapabilityRatio => {
                "the stronger's CINC share over the weaker's: how unequal, so complementary, the pair is; \
                 model input ln(ratio)"
            }
            Feature::SameRegion => {
                "1 when both lie in the same COW region (code blocks: Americas 2–165, Europe 200–399, \
                 Africa 400–626, Middle East 630–698, Asia and Oceania 700–990), the distance proxy"
            }
            Feature::PriorAlliance => "1 when the two shared an alliance in some earlier year",
        }
    }

    /// The value as the model reads it: counts and shares on a log scale, so that a
    /// few very large values (NATO members' allies, superpower CINC) do not dominate.
    pub(crate) fn input(self, value: f64) -> f64 {
        match self {
            Feature::CommonAllies | Feature::AdamicAdar | Feature::AllianceActivity | Feature::JointExercises => {
                value.ln_1p()
            }
            Feature::WeakerCapability | Feature::CapabilityRatio => value.ln(),
            Feature::SharedRivals
            | Feature::Rivals
            | Feature::PortfolioSimilarity
            | Feature::SameRegion
            | Feature::PriorAlliance => value,
        }
    }

    /// The value in words, for a pair observed in `year`.
    pub(crate) fn describe(self, value: f64, year: i32) -> String {
        let yes = value > 0.5;
        match self {
            Feature::CommonAllies => format!("{} allied with both", count(value, "state", "states")),
            Feature::AdamicAdar => format!("common allies weighted by rarity (Adamic–Adar) {value:.2}"),
            Feature::AllianceActivity => format!("{} between the two", count(value, "ally", "allies")),
            Feature::SharedRivals => format!("{} in common", count(value, "strategic rival", "strategic rivals")),
            Feature::Rivals if yes => "strategic rivals of each other".to_string(),
            Feature::Rivals => "not rivals of each other".to_string(),
            Feature::JointExercises => {
                let n = count(value, "joint exercise", "joint exercises");
                format!("{n} in {}–{year}", year - EXERCISE_YEARS + 1)
            }
            Feature::PortfolioSimilarity => format!("alliance portfolios similar at S = {value:.3}"),
            Feature::WeakerCapability => format!("the weaker holds {:.3}% of world capabilities (CINC)", value * 100.0),
            Feature::CapabilityRatio => format!("the stronger has {value:.1} times the weaker's capabilities"),
            Feature::SameRegion if yes => "same region".to_string(),
            Feature::SameRegion => "different regions".to_string(),
            Feature::PriorAlliance if yes => "allied before".to_string(),
            Feature::PriorAlliance => "never allied before".to_string(),
        }
    }
}

/// "1 ally", "3 allies".
fn count(n: f64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1.0 { one } else { many })
}

/// The years each undirected pair was allied (any ATOP tie, either direction), ascending.
pub(crate) struct AllianceYears(HashMap<(Ccode, Ccode), Vec<i32>>);

impl AllianceYears {
    pub(crate) fn new(dyads: &DyadTable) -> Self {
        let mut years: HashMap<(Ccode, Ccode), Vec<i32>> = HashMap::new();
        // Keys are sorted by year, so each list fills in ascending order.
        for &(year, a, b) in &dyads.keys {
            let list = years.entry((a.min(b), a.max(b))).or_default();
            if list.last() != Some(&year) {
                list.push(year);
            }
        }
        AllianceYears(years)
    }

    fn of(&self, a: Ccode, b: Ccode) -> &[i32] {
        self.0.get(&(a.min(b), a.max(b))).map_or(&[], Vec::as_slice)
    }

    /// Allied in some year of `(after, after + horizon]`.
    pub(crate) fn formed_within(&self, a: Ccode, b: Ccode, after: i32, horizon: i32) -> bool {
        let years = self.of(a, b);
        let next = years.partition_point(|&y| y <= after);
        years.get(next).is_some_and(|&y| y <= after + horizon)
    }

    pub(crate) fn allied_before(&self, a: Ccode, b: Ccode, year: i32) -> bool {
        self.of(a, b).first().is_some_and(|&y| y < year)
    }
}

/// The alliance system as of one year: who is allied with whom, who rivals whom, and
/// each member's capabilities.
pub(crate) struct Snapshot<'a> {
    pub(crate) members: &'a SystemYear,
    allies: Adjacency,
    degree: Vec<u32>,
    rivals: Adjacency,
    cinc: Vec<f64>,
    portfolios: Portfolios,
}

impl<'a> Snapshot<'a> {
    /// The snapshot of `members`' year.
    pub(crate) fn new(sources: &Sources<'a>, members: &'a SystemYear) -> Self {
        let year = members.year;
        let n = members.ccodes.len();
        let mut allies = Adjacency::new(n);
        for k in sources.dyads.year_range(year) {
            let (_, a, b) = sources.dyads.keys[k];
            if let (Some(i), Some(j)) = (members.position(a), members.position(b)) {
                allies.link(i, j);
            }
        }
        let degree = (0..n).map(|i| allies.degree(i)).collect();
        let mut rivals = Adjacency::new(n);
        for i in 0..n {
            for j in i + 1..n {
                if sources.rivalries.active(members.ccodes[i], members.ccodes[j], year).is_some() {
                    rivals.link(i, j);
                }
            }
        }
        let known: Vec<Option<f64>> =
            members.ccodes.iter().map(|&c| sources.capabilities.get(c, year).and_then(|r| r.cinc)).collect();
        let median = median(known.iter().flatten().copied().collect()).unwrap_or(CINC_FLOOR);
        let cinc = known.iter().map(|c| c.unwrap_or(median).max(CINC_FLOOR)).collect();
        let portfolios = Portfolios::new(members, sources.dyads, None);
        Snapshot { members, allies, degree, rivals, cinc, portfolios }
    }

    pub(crate) fn year(&self) -> i32 {
        self.members.year
    }

    /// Pairs (i < j) of members that share a day of the year and no alliance.
    pub(crate) fn candidates(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let n = self.members.ccodes.len();
        (0..n).flat_map(move |i| {
            (i + 1..n).filter(move |&j| self.members.overlap(i, j) && !self.allies.has(i, j)).map(move |j| (i, j))
        })
    }

    pub(crate) fn allied(&self, i: usize, j: usize) -> bool {
        self.allies.has(i, j)
    }

    /// The raw feature values of members `i` and `j`.
    pub(crate) fn features(&self, sources: &Sources, history: &AllianceYears, i: usize, j: usize) -> Values {
        let (a, b) = (self.members.ccodes[i], self.members.ccodes[j]);
        let year = self.year();
        // A common ally has both as allies, so its degree is at least 2 and ln > 0.
        // Folded from +0.0: an empty `sum()` of floats is −0.0, which would print as "-0.00".
        let adamic_adar = self.allies.common(i, j).fold(0.0, |s, z| s + 1.0 / f64::from(self.degree[z]).ln());
        let exercises: u32 = (year - EXERCISE_YEARS + 1..=year).map(|y| sources.exercises.dyad(y, a, b)[0]).sum();
        let (weak, strong) = (self.cinc[i].min(self.cinc[j]), self.cinc[i].max(self.cinc[j]));
        let flag = |on: bool| if on { 1.0 } else { 0.0 };
        [
            f64::from(self.allies.count_common(i, j)),
            adamic_adar,
            f64::from(self.degree[i] + self.degree[j]),
            f64::from(self.rivals.count_common(i, j)),
            flag(self.rivals.has(i, j)),
            f64::from(exercises),
            self.portfolios.valued_s(i, j),
            weak,
            strong / weak,
            flag(Region::of(a).is_some() && Region::of(a) == Region::of(b)),
            flag(history.allied_before(a, b, year)),
        ]
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}
