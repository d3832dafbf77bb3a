//! The features of an unallied pair as of one year, computed from that year's data and
//! earlier years only: nothing here looks past the snapshot's year.

use std::collections::HashMap;

use pactbase_model::Ccode;
use serde::Serialize;

use super::graph::Adjacency;
use super::Sources;
use crate::panel::{great_circle_km, DyadTable, SystemYear};
use crate::regions::{Continent, Region, Subregion};
use crate::similarity::Portfolios;

/// Joint exercises count over this many years, the snapshot's year included.
pub(crate) const EXERCISE_YEARS: i32 = 5;

/// An alliance that lapsed within this many years counts as recent (a renewal or a
/// readmission is then likely: Egypt's return to the Arab League in 1989).
pub(crate) const RECENT_YEARS: i32 = 10;

/// What the model knows about a pair, in model order (see [`Feature::ALL`]).
///
/// `CommonAllies` and `AdamicAdar` are nearly collinear, as are the three common-ally
/// counts; their contributions are to be read together (docs/RECOMMEND.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    CommonAllies,
    AdamicAdar,
    AllianceActivity,
    SharedRivals,
    JointExercises,
    PortfolioSimilarity,
    SameSubregion,
    SameRegion,
    SameContinent,
    CommonAlliesInSubregion,
    CommonAlliesInContinent,
    NeighboursAllied,
    RecentlyAllied,
    Contiguous,
    CapitalDistance,
}

pub(crate) const FEATURES: usize = 15;

/// One value per feature, in [`Feature::ALL`] order; NaN where the data do not cover the
/// year (joint exercises outside MME's years).
pub(crate) type Values = [f64; FEATURES];

/// The geography-only model's features; contiguity and capital distance join them when
/// their datasets are imported ([`Sources::geography`](super::Sources::geography)).
/// Capital distance is the baseline's only: in the model it raised the 1980 back-test's
/// AUC but halved its precision@10 (docs/RECOMMEND.md).
pub const GEOGRAPHY: [Feature; 5] = [
    Feature::SameSubregion,
    Feature::SameRegion,
    Feature::SameContinent,
    Feature::Contiguous,
    Feature::CapitalDistance,
];

impl Feature {
    /// Every feature, in model order.
    pub const ALL: [Feature; FEATURES] = [
        Feature::CommonAllies,
        Feature::AdamicAdar,
        Feature::AllianceActivity,
        Feature::SharedRivals,
        Feature::JointExercises,
        Feature::PortfolioSimilarity,
        Feature::SameSubregion,
        Feature::SameRegion,
        Feature::SameContinent,
        Feature::CommonAlliesInSubregion,
        Feature::CommonAlliesInContinent,
        Feature::NeighboursAllied,
        Feature::RecentlyAllied,
        Feature::Contiguous,
        Feature::CapitalDistance,
    ];

    /// The feature's name in output (snake case).
    pub fn name(self) -> &'static str {
        match self {
            Feature::CommonAllies => "common_allies",
            Feature::AdamicAdar => "adamic_adar",
            Feature::AllianceActivity => "alliance_activity",
            Feature::SharedRivals => "shared_rivals",
            Feature::JointExercises => "joint_exercises",
            Feature::PortfolioSimilarity => "portfolio_similarity",
            Feature::SameSubregion => "same_subregion",
            Feature::SameRegion => "same_region",
            Feature::SameContinent => "same_continent",
            Feature::CommonAlliesInSubregion => "common_allies_in_subregion",
            Feature::CommonAlliesInContinent => "common_allies_in_continent",
            Feature::NeighboursAllied => "neighbours_allied",
            Feature::RecentlyAllied => "recently_allied",
            Feature::Contiguous => "contiguous",
            Feature::CapitalDistance => "capital_distance",
        }
    }

    /// What the feature measures, and how the model reads it.
    pub fn definition(self) -> &'static str {
        match self {
            Feature::CommonAllies => {
                "states allied with both in the year (any tie, either direction); model input ln(1 + n)"
            }
            Feature::AdamicAdar => {
                "common allies weighted by rarity: the sum over common allies z of 1 / ln(allies of z); \
                 model input ln(1 + x)"
            }
            Feature::AllianceActivity => {
                "allies the two hold between them (sum of degrees, the preferential-attachment term); \
                 model input ln(1 + n)"
            }
            Feature::SharedRivals => "states that are strategic rivals (TSS) of both: the enemy of my enemy",
            Feature::JointExercises => {
                "MME joint military exercises of the pair in the five years to the year; unknown (the \
                 training mean) where MME does not cover those years; model input ln(1 + n)"
            }
            Feature::PortfolioSimilarity => {
                "valued Signorino–Ritter S of the two alliance portfolios in the year (FPSIM sallyvua)"
            }
            Feature::SameSubregion => "1 when both lie in the same subregion (South Asia, West Africa, …)",
            Feature::SameRegion => "1 when both lie in the same region (Asia, the Middle East and North Africa, …)",
            Feature::SameContinent => {
                "1 when both lie on the same continent (the Americas, Europe, Africa, Asia, Oceania): \
                 continent-wide treaties follow it"
            }
            Feature::CommonAlliesInSubregion => "common allies in the subregion of either state; model input ln(1 + n)",
            Feature::CommonAlliesInContinent => "common allies on the continent of either state; model input ln(1 + n)",
            Feature::NeighboursAllied => {
                "share of each state's subregion neighbours that are already allied with the other: \
                 the last states missing from a regional bloc"
            }
            Feature::RecentlyAllied => "1 when the two were allied in one of the ten years before, but not in the year",
            Feature::Contiguous => {
                "1 when COW's direct contiguity joins the two in the year (a land border or up to 400 miles of \
                 water; after the data's last year, 2016, its borders stand); needs `import contiguity`"
            }
            Feature::CapitalDistance => {
                "great-circle distance between their capitals in km (peacesciencer's capitals; after the data's \
                 last year its capitals stand); input ln(1 + km); the geography-only baseline's, not the \
                 model's; needs `import capitals`"
            }
        }
    }

    /// The value as the model reads it: counts on a log scale, so that a few very large
    /// values (NATO members' allies) do not dominate.
    pub(crate) fn input(self, value: f64) -> f64 {
        match self {
            Feature::CommonAllies
            | Feature::AdamicAdar
            | Feature::AllianceActivity
            | Feature::JointExercises
            | Feature::CommonAlliesInSubregion
            | Feature::CommonAlliesInContinent
            | Feature::CapitalDistance => value.ln_1p(),
            Feature::SharedRivals
            | Feature::PortfolioSimilarity
            | Feature::SameSubregion
            | Feature::SameRegion
            | Feature::SameContinent
            | Feature::NeighboursAllied
            | Feature::RecentlyAllied
            | Feature::Contiguous => value,
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
            Feature::JointExercises if value.is_nan() => {
                format!("joint exercises in {}–{year} not known (outside MME's years)", year - EXERCISE_YEARS + 1)
            }
            Feature::JointExercises => {
                let n = count(value, "joint exercise", "joint exercises");
                format!("{n} in {}–{year}", year - EXERCISE_YEARS + 1)
            }
            Feature::PortfolioSimilarity => format!("alliance portfolios similar at S = {value:.3}"),
            Feature::SameSubregion if yes => "same subregion".to_string(),
            Feature::SameSubregion => "different subregions".to_string(),
            Feature::SameRegion if yes => "same region".to_string(),
            Feature::SameRegion => "different regions".to_string(),
            Feature::SameContinent if yes => "same continent".to_string(),
            Feature::SameContinent => "different continents".to_string(),
            Feature::CommonAlliesInSubregion => {
                format!("{} in the subregion of either", count(value, "common ally", "common allies"))
            }
            Feature::CommonAlliesInContinent => {
                format!("{} on the continent of either", count(value, "common ally", "common allies"))
            }
            Feature::NeighboursAllied => {
                format!("{:.0}% of their neighbours already allied with the other", value * 100.0)
            }
            Feature::RecentlyAllied if yes => format!("allied in {}–{}", year - RECENT_YEARS, year - 1),
            Feature::RecentlyAllied => format!("not allied in {}–{}", year - RECENT_YEARS, year - 1),
            Feature::Contiguous if value.is_nan() => "contiguity not known".to_string(),
            Feature::Contiguous if yes => "contiguous (a land border or up to 400 miles of water)".to_string(),
            Feature::Contiguous => "not contiguous".to_string(),
            Feature::CapitalDistance if value.is_nan() => "distance between capitals not known".to_string(),
            Feature::CapitalDistance => format!("capitals {value:.0} km apart"),
        }
    }
}

/// "1 ally", "3 allies".
fn count(n: f64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1.0 { one } else { many })
}

/// What a recommendation rests on, named, for reasons in plain words.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// States allied with both.
    pub common_allies: Vec<Ccode>,
    /// States that are strategic rivals of both.
    pub shared_rivals: Vec<Ccode>,
    /// Set when the two share it.
    pub subregion: Option<Subregion>,
    pub region: Option<Region>,
    /// Joint exercises in the five years to the year; `None` outside MME's years.
    pub joint_exercises: Option<u32>,
    /// The last year the two were allied, if ever.
    pub last_allied: Option<i32>,
}

/// The years each undirected pair was allied (any tie, either direction), ascending.
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

    /// The first year in `(after, after + horizon]` in which the two are allied.
    pub(crate) fn formed(&self, a: Ccode, b: Ccode, after: i32, horizon: i32) -> Option<i32> {
        let years = self.of(a, b);
        let next = years.partition_point(|&y| y <= after);
        years.get(next).copied().filter(|&y| y <= after + horizon)
    }

    /// Allied in some year of `(after, after + horizon]`.
    pub(crate) fn formed_within(&self, a: Ccode, b: Ccode, after: i32, horizon: i32) -> bool {
        self.formed(a, b, after, horizon).is_some()
    }

    /// The last year before `year` in which the two were allied.
    pub(crate) fn last_before(&self, a: Ccode, b: Ccode, year: i32) -> Option<i32> {
        let years = self.of(a, b);
        years[..years.partition_point(|&y| y < year)].last().copied()
    }
}

/// The alliance system as of one year: who is allied with whom, who rivals whom.
pub(crate) struct Snapshot<'a> {
    pub(crate) members: &'a SystemYear,
    allies: Adjacency,
    degree: Vec<u32>,
    rivals: Adjacency,
    portfolios: Portfolios,
    subregions: Vec<Option<Subregion>>,
    continents: Vec<Option<Continent>>,
    /// Members of each subregion, by position.
    neighbours: HashMap<Subregion, Vec<usize>>,
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
        let portfolios = Portfolios::new(members, sources.dyads, None);
        let subregions: Vec<Option<Subregion>> = members.ccodes.iter().map(|&c| Subregion::of(c)).collect();
        let mut neighbours: HashMap<Subregion, Vec<usize>> = HashMap::new();
        for (i, s) in subregions.iter().enumerate() {
            if let Some(s) = s {
                neighbours.entry(*s).or_default().push(i);
            }
        }
        let continents = members.ccodes.iter().map(|&c| Continent::of(c)).collect();
        Snapshot { members, allies, degree, rivals, portfolios, subregions, continents, neighbours }
    }

    pub(crate) fn year(&self) -> i32 {
        self.members.year
    }

    /// Pairs (i < j) of members that share a day of the year and no alliance, and are not
    /// strategic rivals (a recommender does not propose an alliance with a rival; the
    /// peace treaties rivals sign are not what it is for).
    pub(crate) fn candidates(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let n = self.members.ccodes.len();
        (0..n)
            .flat_map(move |i| (i + 1..n).filter(move |&j| self.open(i, j) && !self.rivals(i, j)).map(move |j| (i, j)))
    }

    /// Members that share a day of the year and no alliance.
    pub(crate) fn open(&self, i: usize, j: usize) -> bool {
        i != j && self.members.overlap(i, j) && !self.allies.has(i, j)
    }

    pub(crate) fn rivals(&self, i: usize, j: usize) -> bool {
        self.rivals.has(i, j)
    }

    pub(crate) fn degree(&self, i: usize) -> u32 {
        self.degree[i]
    }

    /// The raw feature values of members `i` and `j`.
    pub(crate) fn features(&self, sources: &Sources, history: &AllianceYears, i: usize, j: usize) -> Values {
        let (a, b) = (self.members.ccodes[i], self.members.ccodes[j]);
        let year = self.year();
        // A common ally has both as allies, so its degree is at least 2 and ln > 0.
        // Folded from +0.0: an empty `sum()` of floats is −0.0, which would print as "-0.00".
        let adamic_adar = self.allies.common(i, j).fold(0.0, |s, z| s + 1.0 / f64::from(self.degree[z]).ln());
        let in_subregion = |z: usize| {
            self.subregions[z].is_some()
                && (self.subregions[z] == self.subregions[i] || self.subregions[z] == self.subregions[j])
        };
        let on_continent = |z: usize| {
            self.continents[z].is_some()
                && (self.continents[z] == self.continents[i] || self.continents[z] == self.continents[j])
        };
        let same = |x: Option<Subregion>, y: Option<Subregion>, level: fn(Subregion) -> u8| {
            flag(x.zip(y).is_some_and(|(x, y)| level(x) == level(y)))
        };
        let (si, sj) = (self.subregions[i], self.subregions[j]);
        [
            f64::from(self.allies.count_common(i, j)),
            adamic_adar,
            f64::from(self.degree[i] + self.degree[j]),
            f64::from(self.rivals.count_common(i, j)),
            self.exercises(sources, a, b).map_or(f64::NAN, f64::from),
            self.portfolios.valued_s(i, j),
            same(si, sj, |s| s as u8),
            same(si, sj, |s| s.region() as u8),
            flag(self.continents[i].is_some() && self.continents[i] == self.continents[j]),
            self.allies.common(i, j).filter(|&z| in_subregion(z)).count() as f64,
            self.allies.common(i, j).filter(|&z| on_continent(z)).count() as f64,
            self.neighbours_allied(i, j),
            flag(history.last_before(a, b, year).is_some_and(|y| y >= year - RECENT_YEARS)),
            self.contiguous(sources, a, b),
            self.capital_distance(sources, a, b),
        ]
    }

    /// 1 when COW's direct contiguity joins the two; borders change rarely, so after the
    /// data's last year its last year stands. NaN without the data.
    fn contiguous(&self, sources: &Sources, a: Ccode, b: Ccode) -> f64 {
        let Some(c) = sources.contiguity else { return f64::NAN };
        c.conttype(a, b, self.year().min(c.last_year())).map_or(f64::NAN, |t| flag(t > 0))
    }

    /// Great-circle km between their capitals (after the data's last year, its capitals).
    fn capital_distance(&self, sources: &Sources, a: Ccode, b: Ccode) -> f64 {
        let Some(c) = sources.capitals else { return f64::NAN };
        let year = self.year().min(c.last_year);
        c.in_year(a, year).zip(c.in_year(b, year)).map_or(f64::NAN, |(p, q)| great_circle_km(p, q))
    }

    /// Joint exercises of the pair in the five years to the snapshot's, if MME covers them.
    fn exercises(&self, sources: &Sources, a: Ccode, b: Ccode) -> Option<u32> {
        let year = self.year();
        let (first, last) = sources.exercises_cover?;
        let window = year - EXERCISE_YEARS + 1..=year;
        (first <= *window.start() && *window.end() <= last)
            .then(|| window.map(|y| sources.exercises.dyad(y, a, b)[0]).sum())
    }

    /// Of each state's subregion neighbours (the pair aside), the share already allied with
    /// the other state.
    fn neighbours_allied(&self, i: usize, j: usize) -> f64 {
        let (mut allied, mut all) = (0u32, 0u32);
        for (x, y) in [(i, j), (j, i)] {
            let Some(around) = self.subregions[x].and_then(|s| self.neighbours.get(&s)) else { continue };
            for &z in around.iter().filter(|&&z| z != x && z != y && self.members.overlap(z, y)) {
                all += 1;
                allied += u32::from(self.allies.has(z, y));
            }
        }
        if all == 0 {
            0.0
        } else {
            f64::from(allied) / f64::from(all)
        }
    }

    /// The named facts behind a pair's features.
    pub(crate) fn evidence(&self, sources: &Sources, history: &AllianceYears, i: usize, j: usize) -> Evidence {
        let (a, b) = (self.members.ccodes[i], self.members.ccodes[j]);
        let shared = |x: Option<Subregion>, y: Option<Subregion>| x.filter(|_| x == y);
        let subregion = shared(self.subregions[i], self.subregions[j]);
        let region = self.subregions[i]
            .zip(self.subregions[j])
            .and_then(|(x, y)| (x.region() == y.region()).then_some(x.region()));
        Evidence {
            common_allies: self.allies.common(i, j).map(|z| self.members.ccodes[z]).collect(),
            shared_rivals: self.rivals.common(i, j).map(|z| self.members.ccodes[z]).collect(),
            subregion,
            region,
            joint_exercises: self.exercises(sources, a, b),
            last_allied: history.last_before(a, b, self.year()),
        }
    }
}

fn flag(on: bool) -> f64 {
    if on {
        1.0
    } else {
        0.0
    }
}
