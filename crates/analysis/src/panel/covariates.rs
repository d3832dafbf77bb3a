//! The alliance-study covariates, indexed for the panel's per-year lookups, with the rules
//! peacesciencer's `add_*` functions apply (docs/PANELS.md gives each rule and where
//! pactbase departs from it).

use std::collections::HashMap;

use pactbase_model::research::{Capital, ContiguitySpell, DisputeParticipant, DisputeYear, MajorSpell, Ymd};
use pactbase_model::Ccode;

/// Years a dataset describes; outside them its columns are null.
pub type Coverage = (i32, i32);

fn covers(coverage: Coverage, year: i32) -> bool {
    (coverage.0..=coverage.1).contains(&year)
}

/// A contiguity spell as the panel reads it: first year, last year, type.
type YearSpell = (i32, i32, u8);

/// COW direct contiguity per directed dyad.
pub struct Contiguity {
    spells: HashMap<(Ccode, Ccode), Vec<YearSpell>>,
    coverage: Coverage,
}

impl Contiguity {
    pub fn new(spells: &[ContiguitySpell]) -> Self {
        let mut by_pair: HashMap<(Ccode, Ccode), Vec<YearSpell>> = HashMap::new();
        for s in spells {
            by_pair.entry((s.ccode1, s.ccode2)).or_default().push((s.start.year, s.end.year, s.conttype));
        }
        let first = spells.iter().map(|s| s.start.year).min().unwrap_or(0);
        let last = spells.iter().map(|s| s.end.year).max().unwrap_or(-1);
        Contiguity { spells: by_pair, coverage: (first, last) }
    }

    /// The closest contiguity type of any spell that touches `year` (1 land … 5 400
    /// miles of water), 0 when none does or only spells of no contiguity, and `None`
    /// outside the data's years.
    pub fn conttype(&self, a: Ccode, b: Ccode, year: i32) -> Option<u8> {
        if !covers(self.coverage, year) {
            return None;
        }
        let touching = self.spells.get(&(a, b)).into_iter().flatten().filter(|s| s.0 <= year && year <= s.1);
        Some(touching.map(|s| s.2).filter(|&t| t > 0).min().unwrap_or(0))
    }

    /// The last year the data describe.
    pub fn last_year(&self) -> i32 {
        self.coverage.1
    }
}

/// Mean Earth radius as geosphere's `distVincentySphere` (peacesciencer's `capdist`) takes
/// it by default: the WGS84 equatorial radius, metres.
const EARTH_RADIUS_M: f64 = 6_378_137.0;

/// Great-circle distance in km between two points given in degrees, by the Vincenty
/// formula on a sphere (exact for all distances, antipodes included).
pub fn great_circle_km((lat1, lng1): (f64, f64), (lat2, lng2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lng2 - lng1).to_radians();
    let (s1, c1, s2, c2) = (p1.sin(), p1.cos(), p2.sin(), p2.cos());
    let y = ((c2 * dl.sin()).powi(2) + (c1 * s2 - s1 * c2 * dl.cos()).powi(2)).sqrt();
    let x = s1 * s2 + c1 * c2 * dl.cos();
    EARTH_RADIUS_M * y.atan2(x) / 1000.0
}

/// Capitals by state, in date order.
pub struct Capitals {
    by_state: HashMap<Ccode, Vec<Capital>>,
    /// The last year any spell reaches: the data's end.
    pub last_year: i32,
}

impl Capitals {
    pub fn new(capitals: &[Capital]) -> Self {
        let mut by_state: HashMap<Ccode, Vec<Capital>> = HashMap::new();
        for c in capitals {
            by_state.entry(c.ccode).or_default().push(c.clone());
        }
        for v in by_state.values_mut() {
            v.sort_by_key(|c| c.start);
        }
        let last_year = capitals.iter().map(|c| c.end.year).max().unwrap_or(i32::MIN);
        Capitals { by_state, last_year }
    }

    /// (lat, lng) of the capital a state has on the first day of `year` it has one
    /// (peacesciencer's `transsum = "first"`): Karachi for Pakistan in 1959, Rawalpindi
    /// from 1960.
    pub fn in_year(&self, ccode: Ccode, year: i32) -> Option<(f64, f64)> {
        let first_day = Ymd::new(year, 1, 1);
        let last_day = Ymd::new(year, 12, 31);
        self.by_state.get(&ccode)?.iter().find(|c| c.start <= last_day && c.end >= first_day).map(|c| (c.lat, c.lng))
    }
}

/// Values per non-directed dyad-year (`ccode1 < ccode2`), sorted by (year, ccode1,
/// ccode2), so that a year's rows are one slice.
pub struct DyadYearValues<T> {
    keys: Vec<(i32, Ccode, Ccode)>,
    values: Vec<T>,
}

impl<T: Copy> DyadYearValues<T> {
    pub fn new(mut rows: Vec<((i32, Ccode, Ccode), T)>) -> Self {
        rows.sort_unstable_by_key(|r| r.0);
        let (keys, values) = rows.into_iter().unzip();
        DyadYearValues { keys, values }
    }

    /// The year's rows: (ccode1, ccode2, value).
    pub fn year(&self, year: i32) -> impl Iterator<Item = (Ccode, Ccode, T)> + '_ {
        let start = self.keys.partition_point(|k| k.0 < year);
        let end = self.keys.partition_point(|k| k.0 <= year);
        (start..end).map(|i| (self.keys[i].1, self.keys[i].2, self.values[i]))
    }
}

/// COW major powers: spells running on the data's last day go on, as the state system's
/// do (peacesciencer's `mry`).
pub struct Majors {
    spells: HashMap<Ccode, Vec<(i32, i32)>>,
}

impl Majors {
    pub fn new(spells: &[MajorSpell]) -> Self {
        let data_end = spells.iter().map(|s| s.end).max();
        let mut by_state: HashMap<Ccode, Vec<(i32, i32)>> = HashMap::new();
        for s in spells {
            let last = if Some(s.end) == data_end { i32::MAX } else { s.end.year };
            by_state.entry(s.ccode).or_default().push((s.start.year, last));
        }
        Majors { spells: by_state }
    }

    /// 1 when the state is a major power on any day of `year`.
    pub fn cowmaj(&self, ccode: Ccode, year: i32) -> i32 {
        let spells = self.spells.get(&ccode).into_iter().flatten();
        i32::from(spells.into_iter().any(|&(s, e)| s <= year && year <= e))
    }
}

/// The dispute a dyad-year stands for after whittling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DyadDispute {
    pub dispnum: u32,
    pub onset: bool,
}

/// peacesciencer's whittling of dyadic dispute-years to one per directed dyad-year
/// (its `gml_mid_ddydisps`): where a dyad-year has several disputes, keep the onsets if
/// some are onsets and some not; then the highest fatality (unknown, -9, ranks between 0
/// and 1); the highest hostility level; the longest minimum, then maximum, duration;
/// reciprocated over not; the earliest start month; and then the lowest dispute number.
pub fn whittle(rows: &[DisputeYear]) -> Vec<DisputeYear> {
    let mut groups: HashMap<(Ccode, Ccode, i32), Vec<DisputeYear>> = HashMap::new();
    for r in rows {
        groups.entry((r.ccode1, r.ccode2, r.year)).or_default().push(*r);
    }
    let mut kept: Vec<DisputeYear> = groups.into_values().map(most_serious).collect();
    kept.sort_unstable_by_key(|r| (r.year, r.ccode1, r.ccode2));
    kept
}

fn most_serious(mut group: Vec<DisputeYear>) -> DisputeYear {
    if group.iter().any(|r| r.onset) {
        group.retain(|r| r.onset);
    }
    // Twice the fatality level, with unknown as 1: between none (0) and 1–25 deaths (2).
    let fatality = |r: &DisputeYear| r.fatality.map_or(1, |f| 2 * i32::from(f));
    let keys: [&dyn Fn(&DisputeYear) -> i64; 6] = [
        &|r| fatality(r).into(),
        &|r| r.hostlev.into(),
        &|r| r.mindur.into(),
        &|r| r.maxdur.into(),
        &|r| r.recip.into(),
        &|r| -i64::from(r.stmon),
    ];
    for key in keys {
        let best = group.iter().map(key).max().unwrap_or_default();
        group.retain(|r| key(r) == best);
    }
    *group.iter().min_by_key(|r| r.dispnum).expect("a group has a row")
}

/// GML disputes for the panels: whittled directed dyad-years and participants'
/// state-years, over the years the data cover (1816–2010 in 2.2.1).
pub struct Disputes {
    dyads: HashMap<(i32, Ccode, Ccode), DyadDispute>,
    /// (ccode, year) -> an onset that year
    states: HashMap<(Ccode, i32), bool>,
    pub coverage: Coverage,
}

impl Disputes {
    /// `first_year`: the first year the data describe (GML: 1816, the system's start).
    pub fn new(dyad_years: &[DisputeYear], participants: &[DisputeParticipant], first_year: i32) -> Self {
        let dyads = whittle(dyad_years)
            .into_iter()
            .map(|r| ((r.year, r.ccode1, r.ccode2), DyadDispute { dispnum: r.dispnum, onset: r.onset }))
            .collect();
        let mut states: HashMap<(Ccode, i32), bool> = HashMap::new();
        for p in participants {
            for year in p.start_year..=p.end_year {
                *states.entry((p.ccode, year)).or_default() |= year == p.start_year;
            }
        }
        let last = dyad_years.iter().map(|d| d.year).chain(participants.iter().map(|p| p.end_year)).max();
        Disputes { dyads, states, coverage: (first_year, last.unwrap_or(first_year - 1)) }
    }

    pub fn covers(&self, year: i32) -> bool {
        covers(self.coverage, year)
    }

    pub fn dyad(&self, year: i32, a: Ccode, b: Ccode) -> Option<DyadDispute> {
        self.dyads.get(&(year, a, b)).copied()
    }

    /// (ongoing, onset) for a state's year.
    pub fn state(&self, ccode: Ccode, year: i32) -> (bool, bool) {
        match self.states.get(&(ccode, year)) {
            Some(&onset) => (true, onset),
            None => (false, false),
        }
    }
}

/// Peace years as peacesciencer's `add_peace_years()` counts them (stevemisc's
/// `ps_btscs`), over a unit's observations in order: the first is 0; a year without a
/// dispute after one without adds 1; a dispute year after a year without one carries the
/// count on by one and restarts it; the first year without a dispute after one with is 0;
/// consecutive dispute years are 0. Years a unit is outside the frame are skipped, not
/// counted (a state absent for decades resumes its count).
#[derive(Debug, Clone, Copy, Default)]
pub struct PeaceYears {
    seen: bool,
    previous: bool,
    run: u32,
}

impl PeaceYears {
    /// The spell for this observation, given whether a dispute is ongoing in it.
    pub fn next(&mut self, ongoing: bool) -> u32 {
        let spell = match (self.seen, self.previous, ongoing) {
            (false, _, _) => 0,
            (true, false, false) => {
                self.run += 1;
                self.run
            }
            (true, false, true) => {
                let s = self.run + 1;
                self.run = 0;
                s
            }
            (true, true, false) => {
                self.run = 0;
                0
            }
            (true, true, true) => 0,
        };
        self.seen = true;
        self.previous = ongoing;
        spell
    }
}

/// A [`PeaceYears`] count per ordered pair of states, found by index rather than by hash:
/// the panels look one up for every dyad-year (two million in the directed panel). COW
/// codes stay below 1000, so the table is 8 MB; a larger code grows it.
#[derive(Default)]
pub struct DyadPeaceYears {
    side: usize,
    counts: Vec<PeaceYears>,
}

impl DyadPeaceYears {
    pub fn of(&mut self, a: Ccode, b: Ccode) -> &mut PeaceYears {
        let needed = usize::from(a.max(b)) + 1;
        if needed > self.side {
            self.grow(needed.max(1000));
        }
        &mut self.counts[usize::from(a) * self.side + usize::from(b)]
    }

    fn grow(&mut self, side: usize) {
        let mut counts = vec![PeaceYears::default(); side * side];
        for (row, old) in self.counts.chunks_exact(self.side.max(1)).enumerate() {
            counts[row * side..row * side + self.side].copy_from_slice(old);
        }
        (self.side, self.counts) = (side, counts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dispute(dispnum: u32, onset: bool, fatality: Option<u8>, hostlev: u8) -> DisputeYear {
        DisputeYear {
            dispnum,
            ccode1: 220,
            ccode2: 325,
            year: 1860,
            onset,
            fatality,
            hostlev,
            mindur: 10,
            maxdur: 10,
            recip: false,
            stmon: 5,
        }
    }

    #[test]
    fn whittling_keeps_onsets_then_the_most_serious_dispute() {
        // France–Italy 1860 had three onsets; an ongoing dispute never beats an onset.
        let rows = [dispute(306, false, Some(6), 5), dispute(112, true, Some(0), 3), dispute(113, true, Some(0), 4)];
        assert_eq!(whittle(&rows)[0].dispnum, 113, "highest hostility among the onsets");
        // Unknown fatality ranks above none and below 1–25 deaths.
        let rows = [dispute(1, true, Some(0), 4), dispute(2, true, None, 3)];
        assert_eq!(whittle(&rows)[0].dispnum, 2);
        let rows = [dispute(1, true, Some(1), 3), dispute(2, true, None, 5)];
        assert_eq!(whittle(&rows)[0].dispnum, 1);
        // Then duration, reciprocation, start month, and the lowest number.
        let mut longer = dispute(7, true, Some(0), 3);
        longer.mindur = 11;
        assert_eq!(whittle(&[dispute(5, true, Some(0), 3), longer])[0].dispnum, 7);
        let mut earlier = dispute(9, true, Some(0), 3);
        earlier.stmon = 2;
        assert_eq!(whittle(&[dispute(8, true, Some(0), 3), earlier])[0].dispnum, 9);
        assert_eq!(whittle(&[dispute(8, true, Some(0), 3), dispute(4, true, Some(0), 3)])[0].dispnum, 4);
        // Different dyad-years are never merged.
        let mut other = dispute(3, true, Some(0), 3);
        other.year = 1861;
        assert_eq!(whittle(&[dispute(1, true, Some(0), 3), other]).len(), 2);
    }

    #[test]
    fn peace_years_count_as_ps_btscs_does() {
        let ongoing = [false, false, true, true, false, false, false, true, false];
        let mut p = PeaceYears::default();
        let spells: Vec<u32> = ongoing.iter().map(|&o| p.next(o)).collect();
        assert_eq!(spells, vec![0, 1, 2, 0, 0, 1, 2, 3, 0]);
        let mut p = PeaceYears::default();
        assert_eq!([true, false, false].map(|o| p.next(o)), [0, 0, 1]);
    }

    #[test]
    fn contiguity_reads_the_closest_type_and_zero_within_coverage() {
        let spell = |t, s, e| ContiguitySpell {
            ccode1: 255,
            ccode2: 325,
            conttype: t,
            start: Ymd::new(s, 1, 1),
            end: Ymd::new(e, 12, 1),
        };
        // Germany–Italy: peacesciencer's 0 spell spans the 1938–1945 land border.
        let c = Contiguity::new(&[spell(0, 1816, 2016), spell(1, 1938, 1945), spell(4, 1944, 1950)]);
        assert_eq!(c.conttype(255, 325, 1937), Some(0));
        assert_eq!(c.conttype(255, 325, 1944), Some(1));
        assert_eq!(c.conttype(255, 325, 1948), Some(4));
        assert_eq!(c.conttype(2, 20, 1990), Some(0), "no record within coverage");
        assert_eq!(c.conttype(255, 325, 2017), None);
    }

    #[test]
    fn great_circle_distances() {
        assert_eq!(great_circle_km((0.0, 0.0), (0.0, 0.0)), 0.0);
        // A quarter of the equator, and the antipode.
        let quarter = std::f64::consts::FRAC_PI_2 * EARTH_RADIUS_M / 1000.0;
        assert!((great_circle_km((0.0, 0.0), (0.0, 90.0)) - quarter).abs() < 1e-6);
        assert!((great_circle_km((10.0, 20.0), (-10.0, -160.0)) - 2.0 * quarter).abs() < 1e-6);
    }

    #[test]
    fn majors_continue_past_the_data_end_like_the_system() {
        let spell = |c, s: (i32, u8, u8), e: (i32, u8, u8)| MajorSpell {
            ccode: c,
            start: Ymd::new(s.0, s.1, s.2),
            end: Ymd::new(e.0, e.1, e.2),
        };
        let m = Majors::new(&[spell(2, (1898, 8, 13), (2016, 12, 31)), spell(220, (1816, 1, 1), (1940, 6, 22))]);
        assert_eq!((m.cowmaj(2, 1897), m.cowmaj(2, 1898), m.cowmaj(2, 2020)), (0, 1, 1));
        assert_eq!((m.cowmaj(220, 1940), m.cowmaj(220, 1941)), (1, 0));
    }
}
