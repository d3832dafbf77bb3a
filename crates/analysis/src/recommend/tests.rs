//! Features on a small hand-made system, and the no-leakage guarantee on a simulated one.

use pactbase_model::research::{AtopObligations, MmeExercise, NmcRow, Rivalry, SystemSpell, Ymd};
use pactbase_model::Ccode;

use super::*;
use crate::panel::{AllianceInfo, PairYear};

/// A small deterministic generator for simulated data (SplitMix64).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(1);
        unit(splitmix64(self.0))
    }

    /// Standard normal (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let (u, v) = (1.0 - self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

const DEFENSE: AtopObligations =
    AtopObligations { defense: true, offense: false, neutral: false, nonagg: false, consul: false };

/// Owned data behind a [`Sources`].
struct World {
    system: System,
    dyads: DyadTable,
    ties_through: i32,
    capabilities: Capabilities,
    exercises: Exercises,
    rivalries: Rivalries,
}

impl World {
    fn sources(&self) -> Sources<'_> {
        Sources {
            system: &self.system,
            dyads: &self.dyads,
            ties_through: self.ties_through,
            capabilities: &self.capabilities,
            exercises: &self.exercises,
            rivalries: &self.rivalries,
        }
    }
}

/// Bilateral alliances (a, b, first year, last year), both directions.
fn dyads(alliances: &[(Ccode, Ccode, i32, i32)]) -> DyadTable {
    let infos = alliances
        .iter()
        .enumerate()
        .map(|(k, _)| AllianceInfo { label: k.to_string(), bilateral: true, asymmetric: false })
        .collect();
    let pairs = alliances.iter().enumerate().flat_map(|(k, &(a, b, from, to))| {
        (from..=to).flat_map(move |year| {
            [(a, b), (b, a)].map(|(a, b)| PairYear {
                year,
                a,
                b,
                alliance: k as u32,
                obligations: DEFENSE,
                transition: year == from,
            })
        })
    });
    DyadTable::from_pairs(infos, pairs)
}

fn spells(states: &[Ccode], first: i32) -> Vec<SystemSpell> {
    states
        .iter()
        .map(|&ccode| SystemSpell { ccode, start: Ymd::new(first, 1, 1), end: Ymd::new(2016, 12, 31) })
        .collect()
}

fn rivalry(a: Ccode, b: Ccode, start: i32, end: Option<i32>) -> Rivalry {
    Rivalry {
        id: u32::from(a) * 1000 + u32::from(b),
        name: format!("{a}-{b}"),
        ccode1: a,
        ccode2: b,
        start,
        end,
        positional: true,
        spatial: false,
        ideological: false,
        interventionary: false,
        principal: false,
    }
}

fn exercise(year: i32, participants: Vec<Ccode>) -> MmeExercise {
    MmeExercise {
        id: format!("{year}-{participants:?}"),
        name: String::new(),
        series: None,
        location: None,
        year,
        month: None,
        end_year: None,
        domains: [false, false, true, false, false, false],
        focus: [true, false, false],
        participants,
    }
}

fn nmc(ccode: Ccode, year: i32, cinc: Option<f64>) -> NmcRow {
    NmcRow { ccode, year, milex: None, milper: None, irst: None, pec: None, tpop: None, upop: None, cinc }
}

/// 1990: the United States (2), Canada (20), Britain (200) and France (220) allied in a
/// square with the diagonal 2–200, France also with Germany (255); Russia (365) alone,
/// rival of Canada, France and the United States.
///
/// Degrees: 2 → 3, 20 → 2, 200 → 3, 220 → 3, 255 → 1, 365 → 0.
fn hand_made() -> World {
    let states = [2, 20, 200, 220, 255, 365];
    let alliances = [(2, 20, 1980, 1990), (2, 200, 1980, 1990), (2, 220, 1985, 1990), (20, 200, 1985, 1990)];
    let mut all = alliances.to_vec();
    all.extend([(200, 220, 1970, 1990), (220, 255, 1960, 1990), (20, 220, 1950, 1960)]);
    let rivalries = [rivalry(20, 365, 1950, None), rivalry(220, 365, 1950, None), rivalry(2, 365, 1947, Some(1989))];
    let capabilities = [nmc(20, 1990, Some(0.01)), nmc(220, 1990, Some(0.04)), nmc(255, 1990, Some(0.05))];
    World {
        system: System::new(&spells(&states, 1946), Ymd::new(2016, 12, 31), 1946, 2018),
        dyads: dyads(&all),
        ties_through: 2018,
        capabilities: Capabilities::new(&capabilities),
        exercises: Exercises::new(&[
            exercise(1986, vec![20, 220, 255]),
            exercise(1985, vec![20, 220]),
            exercise(1990, vec![20, 220]),
        ]),
        rivalries: Rivalries::new(&rivalries),
    }
}

fn features_of(world: &World, year: i32, a: Ccode, b: Ccode) -> Values {
    let sources = world.sources();
    let snapshot = Snapshot::new(&sources, sources.system.year(year).unwrap());
    let (i, j) = (snapshot.members.position(a).unwrap(), snapshot.members.position(b).unwrap());
    snapshot.features(&sources, &AllianceYears::new(world.sources().dyads), i, j)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-12, "{a} != {b}");
}

#[test]
fn features_are_in_enum_order_with_distinct_names_and_definitions() {
    for (k, f) in Feature::ALL.iter().enumerate() {
        assert_eq!(*f as usize, k);
        assert!(Feature::ALL[..k].iter().all(|g| g.name() != f.name()));
        assert!(!f.definition().is_empty() && !f.definition().contains("  "), "{}", f.definition());
    }
}

#[test]
fn common_allies_and_adamic_adar_by_hand() {
    let w = hand_made();
    let f = |a, b| features_of(&w, 1990, a, b);
    // Canada–France: common allies 2 and 200, each with 3 allies.
    let v = f(20, 220);
    assert_eq!(v[Feature::CommonAllies as usize], 2.0);
    close(v[Feature::AdamicAdar as usize], 2.0 / 3f64.ln());
    assert_eq!(v[Feature::AllianceActivity as usize], 5.0);
    // United States–Germany: France alone (3 allies).
    let v = f(2, 255);
    assert_eq!(v[Feature::CommonAllies as usize], 1.0);
    close(v[Feature::AdamicAdar as usize], 1.0 / 3f64.ln());
    // Canada–Germany and anyone with Russia: none.
    for (a, b) in [(20, 255), (2, 365), (255, 365)] {
        assert_eq!(f(a, b)[Feature::CommonAllies as usize], 0.0);
        assert_eq!(f(a, b)[Feature::AdamicAdar as usize], 0.0);
    }
}

#[test]
fn rivals_exercises_capabilities_region_and_history_by_hand() {
    let w = hand_made();
    let v = features_of(&w, 1990, 20, 220);
    // Russia rivals both; they are not rivals of each other.
    assert_eq!(v[Feature::SharedRivals as usize], 1.0);
    assert_eq!(v[Feature::Rivals as usize], 0.0);
    // Exercises in 1986–1990: 1986 and 1990 (1985 falls outside the five years).
    assert_eq!(v[Feature::JointExercises as usize], 2.0);
    close(v[Feature::WeakerCapability as usize], 0.01);
    close(v[Feature::CapabilityRatio as usize], 4.0);
    assert_eq!(v[Feature::SameRegion as usize], 0.0);
    // Allied 1950–1960.
    assert_eq!(v[Feature::PriorAlliance as usize], 1.0);
    // France–Germany share Europe; the US–Russia rivalry ended in 1989.
    assert_eq!(features_of(&w, 1990, 220, 255)[Feature::SameRegion as usize], 1.0);
    assert_eq!(features_of(&w, 1990, 2, 365)[Feature::Rivals as usize], 0.0);
    assert_eq!(features_of(&w, 1989, 2, 365)[Feature::Rivals as usize], 1.0);
    // Missing CINC (US, Britain) takes the year's median of 0.01, 0.04, 0.05.
    close(features_of(&w, 1990, 2, 255)[Feature::WeakerCapability as usize], 0.04);
}

#[test]
fn portfolio_similarity_is_the_valued_s() {
    let w = hand_made();
    // Germany (255) and Russia (365) in 1990, six members, d = 3. Germany's row: 3 toward
    // France and itself; Russia's: 3 toward itself. |x − y| = 3 at France, 255 and 365:
    // S = 1 − 2·9 / 18 = 0.
    close(features_of(&w, 1990, 255, 365)[Feature::PortfolioSimilarity as usize], 0.0);
    // Canada (20: 2, 200, self) and Germany (255: 220, self): differ at 2, 200, 20, 220,
    // 255 by 3 each: S = 1 − 2·15 / 18.
    close(features_of(&w, 1990, 20, 255)[Feature::PortfolioSimilarity as usize], 1.0 - 30.0 / 18.0);
}

#[test]
fn candidates_are_the_unallied_pairs() {
    let w = hand_made();
    let sources = w.sources();
    let snapshot = Snapshot::new(&sources, sources.system.year(1990).unwrap());
    let pairs: Vec<(Ccode, Ccode)> =
        snapshot.candidates().map(|(i, j)| (snapshot.members.ccodes[i], snapshot.members.ccodes[j])).collect();
    // 15 pairs of six states, 6 allied.
    assert_eq!(pairs.len(), 9);
    assert!(pairs.contains(&(20, 220)) && !pairs.contains(&(2, 20)));
}

#[test]
fn formations_count_only_inside_the_window() {
    let history = AllianceYears::new(&dyads(&[(2, 20, 1980, 1990), (20, 220, 1950, 1960)]));
    assert!(history.formed_within(20, 2, 1975, 5));
    assert!(!history.formed_within(20, 2, 1974, 5));
    assert!(!history.formed_within(2, 20, 1990, 10));
    assert!(history.allied_before(220, 20, 1961) && !history.allied_before(220, 20, 1950));
}

/// Raw inputs of a simulated system.
struct Raw {
    states: Vec<Ccode>,
    alliances: Vec<(Ccode, Ccode, i32, i32)>,
    exercises: Vec<MmeExercise>,
    rivalries: Vec<Rivalry>,
    capabilities: Vec<NmcRow>,
}

/// A simulated system, 1950–2016: 24 states in three regions; alliances form more often
/// within a region; exercises, rivalries and capabilities at random.
fn simulated(seed: u64) -> Raw {
    let mut rng = Rng(seed);
    let states: Vec<Ccode> = (0..8).flat_map(|k| [2 + k * 10, 200 + k * 10, 700 + k * 10]).collect();
    let mut alliances = Vec::new();
    for (x, &a) in states.iter().enumerate() {
        for &b in &states[x + 1..] {
            let chance = if Region::of(a) == Region::of(b) { 0.08 } else { 0.015 };
            for start in (1950..2016).step_by(11) {
                if rng.uniform() < chance {
                    let from = start + (rng.uniform() * 10.0) as i32;
                    alliances.push((a, b, from, from + (rng.uniform() * 20.0) as i32));
                }
            }
        }
    }
    let (mut exercises, mut rivalries, mut capabilities) = (Vec::new(), Vec::new(), Vec::new());
    for year in 1950..=2016 {
        let pair = |rng: &mut Rng| {
            let mut pick = || states[(rng.uniform() * states.len() as f64) as usize];
            Some((pick(), pick())).filter(|(a, b)| a != b)
        };
        for _ in 0..3 {
            if let Some((a, b)) = pair(&mut rng) {
                exercises.push(exercise(year, vec![a, b]));
            }
        }
        if let Some((a, b)) = pair(&mut rng).filter(|_| year % 7 == 0) {
            rivalries.push(rivalry(a, b, year, Some(year + 15)));
        }
        capabilities.extend(states.iter().map(|&s| nmc(s, year, Some(0.001 + rng.uniform() * 0.05))));
    }
    Raw { states, alliances, exercises, rivalries, capabilities }
}

/// The simulated world as an observer at the end of `year` knows it: no tie, exercise,
/// capability score or rivalry after that year, and a rivalry going on then is open.
fn observed(raw: &Raw, year: i32) -> World {
    let alliances: Vec<_> =
        raw.alliances.iter().filter(|a| a.2 <= year).map(|&(a, b, from, to)| (a, b, from, to.min(year))).collect();
    let rivalries: Vec<Rivalry> = raw
        .rivalries
        .iter()
        .filter(|r| r.start <= year)
        .map(|r| Rivalry { end: r.end.filter(|&e| e < year), ..r.clone() })
        .collect();
    let exercises: Vec<MmeExercise> = raw.exercises.iter().filter(|e| e.year <= year).cloned().collect();
    let capabilities: Vec<NmcRow> = raw.capabilities.iter().filter(|r| r.year <= year).copied().collect();
    World {
        system: System::new(&spells(&raw.states, 1950), Ymd::new(2016, 12, 31), 1950, 2016),
        dyads: dyads(&alliances),
        ties_through: year,
        capabilities: Capabilities::new(&capabilities),
        exercises: Exercises::new(&exercises),
        rivalries: Rivalries::new(&rivalries),
    }
}

#[test]
fn features_and_fits_at_t_ignore_everything_after_t() {
    let raw = simulated(11);
    let t = 1990;
    let (full, known) = (observed(&raw, 2016), observed(&raw, t));
    assert!(known.dyads.keys.len() < full.dyads.keys.len(), "the simulation forms alliances after {t}");
    let options = Options { horizon: 5, training_years: 25, ..Options::default() };
    let (a, b) = (full.sources(), known.sources());
    let (ha, hb) = (AllianceYears::new(a.dyads), AllianceYears::new(b.dyads));
    let (sa, sb) = (Snapshot::new(&a, a.system.year(t).unwrap()), Snapshot::new(&b, b.system.year(t).unwrap()));
    let pairs: Vec<(usize, usize)> = sa.candidates().collect();
    assert_eq!(pairs, sb.candidates().collect::<Vec<_>>());
    for &(i, j) in &pairs {
        assert_eq!(sa.features(&a, &ha, i, j), sb.features(&b, &hb, i, j));
    }
    assert_eq!(fit(&a, &ha, t, &options).unwrap(), fit(&b, &hb, t, &options).unwrap());
    assert_eq!(recommend(&a, 2, t, 5, &options).unwrap(), recommend(&b, 2, t, 5, &options).unwrap());
}

#[test]
fn the_model_learns_the_simulated_drivers_and_beats_chance() {
    let world = observed(&simulated(5), 2016);
    let options = Options { horizon: 5, training_years: 30, ..Options::default() };
    let test = backtest(&world.sources(), 1995, 20, &options).unwrap();
    assert!(test.positives > 0 && test.pairs > test.positives);
    let region = &test.model.terms[Feature::SameRegion as usize];
    assert!(region.coefficient > 0.0, "same region should raise the odds: {region:?}");
    let ours = &test.rows[0];
    assert_eq!(
        test.rows.iter().map(|r| r.method).collect::<Vec<_>>(),
        ["pactbase", "common-neighbours", "adamic-adar"]
    );
    assert!(ours.auc > 0.6, "{:?}", test.rows);
}

#[test]
fn recommendations_exclude_allies_and_explain_every_feature() {
    let w = hand_made();
    let options = Options { horizon: 5, training_years: 40, ..Options::default() };
    let recs = recommend(&w.sources(), 20, 1990, 10, &options).unwrap();
    let partners: Vec<Ccode> = recs.iter().map(|r| r.partner).collect();
    let mut sorted = partners.clone();
    sorted.sort_unstable();
    // Canada is allied with 2 and 200: the others are candidates.
    assert_eq!(sorted, vec![220, 255, 365]);
    assert!(recs.windows(2).all(|w| w[0].score >= w[1].score));
    for r in &recs {
        assert_eq!(r.contributions.len(), FEATURES);
        let log_odds = r.baseline + r.contributions.iter().map(|c| c.contribution).sum::<f64>();
        close(logistic::sigmoid(log_odds), r.score);
        assert!(r.contributions.iter().all(|c| c.explanation.contains("the log-odds by")));
    }
    let france = &recs.iter().find(|r| r.partner == 220).unwrap().contributions[Feature::CommonAllies as usize];
    assert!(france.explanation.starts_with("2 states allied with both: "), "{}", france.explanation);
    assert_eq!(
        recommend(&w.sources(), 20, 2030, 3, &options),
        Err(RecommendError::YearNotCovered { year: 2030, first: 1946, last: 2018 })
    );
    assert_eq!(
        recommend(&w.sources(), 999, 1990, 3, &options),
        Err(RecommendError::NotAMember { state: 999, year: 1990 })
    );
}
