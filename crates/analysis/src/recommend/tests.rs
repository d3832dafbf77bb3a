//! Features and baselines on a small hand-made system, and the no-leakage guarantee on a
//! simulated one.

use pactbase_model::research::{AtopObligations, MmeExercise, Rivalry, SystemSpell, Ymd};
use pactbase_model::{Ccode, NonRecognition, PartialDate};

use super::features::{Values, FEATURES};
use super::model::Training;
use super::*;
use crate::panel::{great_circle_km, AllianceInfo, Capitals, Contiguity, PairYear};
use crate::regions::Subregion;

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
    exercises: Exercises,
    rivalries: Rivalries,
    recognition: Vec<NonRecognition>,
    contiguity: Option<Contiguity>,
    capitals: Option<Capitals>,
}

impl World {
    fn sources(&self) -> Sources<'_> {
        Sources {
            system: &self.system,
            dyads: &self.dyads,
            ties_through: self.ties_through,
            outcomes_through: self.ties_through,
            exercises: &self.exercises,
            exercises_cover: Some((1980, 2010)),
            rivalries: &self.rivalries,
            recognition: &self.recognition,
            contiguity: self.contiguity.as_ref(),
            capitals: self.capitals.as_ref(),
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

/// 1990: the United States (2), Canada (20), Britain (200) and France (220) allied in a
/// square with the diagonal 2–200, France also with Germany (255); Russia (365) alone,
/// rival of Canada and France (and of the United States until 1989). Canada and Germany
/// ally in 1993.
///
/// Degrees: 2 → 3, 20 → 2, 200 → 3, 220 → 3, 255 → 1, 365 → 0.
fn hand_made() -> World {
    let states = [2, 20, 200, 220, 255, 365];
    let alliances = [(2, 20, 1980, 1990), (2, 200, 1980, 1990), (2, 220, 1985, 1990), (20, 200, 1985, 1990)];
    let mut all = alliances.to_vec();
    all.extend([(200, 220, 1970, 1990), (220, 255, 1960, 1990), (20, 220, 1950, 1960), (20, 255, 1993, 1995)]);
    let rivalries = [rivalry(20, 365, 1950, None), rivalry(220, 365, 1950, None), rivalry(2, 365, 1947, Some(1989))];
    World {
        system: System::new(&spells(&states, 1946), Ymd::new(2016, 12, 31), 1946, 2018),
        dyads: dyads(&all),
        ties_through: 2018,
        exercises: Exercises::new(&[
            exercise(1986, vec![20, 220, 255]),
            exercise(1985, vec![20, 220]),
            exercise(1990, vec![20, 220]),
        ]),
        rivalries: Rivalries::new(&rivalries),
        // Germany withholds recognition from Britain from 1989, for the test's sake.
        recognition: vec![NonRecognition {
            state: Some(255),
            not_recognised: 200,
            from: PartialDate::year(1989),
            to: None,
            except: vec![],
            source_title: "test".into(),
            source_url: "https://example.org".into(),
        }],
        contiguity: None,
        capitals: None,
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
fn rivals_exercises_regions_and_history_by_hand() {
    let w = hand_made();
    let f = |year, a, b, feature: Feature| features_of(&w, year, a, b)[feature as usize];
    // Russia rivals both Canada and France.
    assert_eq!(f(1990, 20, 220, Feature::SharedRivals), 1.0);
    // Exercises in 1986–1990: 1986 and 1990 (1985 falls outside the five years); before
    // MME's first years they are not known.
    assert_eq!(f(1990, 20, 220, Feature::JointExercises), 2.0);
    assert!(f(1982, 20, 220, Feature::JointExercises).is_nan());
    // North America and Western Europe: nothing in common; France and Germany share all.
    for feature in &GEOGRAPHY[..3] {
        let feature = *feature;
        assert_eq!(f(1990, 20, 220, feature), 0.0, "{feature:?}");
        assert_eq!(f(1990, 220, 255, feature), 1.0, "{feature:?}");
    }
    // Canada and France were allied until 1960: recently in 1965, not in 1990.
    assert_eq!(f(1965, 20, 220, Feature::RecentlyAllied), 1.0);
    assert_eq!(f(1990, 20, 220, Feature::RecentlyAllied), 0.0);
}

#[test]
fn contiguity_joins_the_model_and_capital_distance_the_geography_baseline() {
    use pactbase_model::research::{Capital, ContiguitySpell};

    let mut w = hand_made();
    // Without the data both are unknown, and neither is fitted.
    assert!(features_of(&w, 1990, 220, 255)[Feature::Contiguous as usize].is_nan());
    assert!(!w.sources().features().contains(&Feature::Contiguous));
    let border = |a, b| ContiguitySpell {
        ccode1: a,
        ccode2: b,
        conttype: 1,
        start: Ymd::new(1946, 1, 1),
        end: Ymd::new(2016, 12, 31),
    };
    w.contiguity = Some(Contiguity::new(&[border(220, 255), border(255, 220), border(2, 20), border(20, 2)]));
    let capital = |ccode, lat, lng| Capital {
        ccode,
        name: String::new(),
        start: Ymd::new(1946, 1, 1),
        end: Ymd::new(2016, 12, 31),
        lat,
        lng,
    };
    w.capitals = Some(Capitals::new(&[capital(220, 48.8566, 2.3522), capital(255, 50.7374, 7.0982)]));
    let f = |year, a, b, feature: Feature| features_of(&w, year, a, b)[feature as usize];
    assert_eq!(f(1990, 220, 255, Feature::Contiguous), 1.0);
    assert_eq!(f(1990, 20, 220, Feature::Contiguous), 0.0);
    // After the data's last year, its borders and capitals stand.
    assert_eq!(f(2018, 220, 255, Feature::Contiguous), 1.0);
    close(f(2018, 220, 255, Feature::CapitalDistance), great_circle_km((48.8566, 2.3522), (50.7374, 7.0982)));
    assert!((390.0..410.0).contains(&f(1990, 220, 255, Feature::CapitalDistance)), "Paris–Bonn");
    assert!(f(1990, 2, 220, Feature::CapitalDistance).is_nan(), "no capital for the United States");
    let sources = w.sources();
    assert!(sources.features().contains(&Feature::Contiguous));
    assert!(!sources.features().contains(&Feature::CapitalDistance), "the baseline's only");
    assert_eq!(sources.geography(), GEOGRAPHY.to_vec());
}

#[test]
fn neighbourhood_features_by_hand() {
    let w = hand_made();
    // Britain (Northern Europe, no neighbour here) and Germany (Western Europe, with
    // France): France, Germany's only neighbour, is allied with Britain.
    let v = features_of(&w, 1990, 200, 255);
    assert_eq!(v[Feature::NeighboursAllied as usize], 1.0);
    // Their one common ally, France, is Germany's neighbour and in Europe's COW block.
    assert_eq!(v[Feature::CommonAlliesInSubregion as usize], 1.0);
    assert_eq!(v[Feature::CommonAlliesInContinent as usize], 1.0);
    // The United States and Germany share France, in Germany's subregion and block.
    let v = features_of(&w, 1990, 2, 255);
    assert_eq!(
        (v[Feature::CommonAlliesInSubregion as usize], v[Feature::CommonAlliesInContinent as usize]),
        (1.0, 1.0)
    );
    // The US's neighbour Canada is not allied with Russia, which has no neighbour here.
    assert_eq!(features_of(&w, 1990, 2, 365)[Feature::NeighboursAllied as usize], 0.0);
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

/// The seven candidate pairs of 1990 (15 pairs of six states, 6 allied, 2 rivals).
const CANDIDATES_1990: [(Ccode, Ccode); 7] =
    [(2, 255), (2, 365), (20, 220), (20, 255), (200, 255), (200, 365), (255, 365)];

#[test]
fn candidates_are_the_unallied_pairs_that_are_not_rivals() {
    let w = hand_made();
    let sources = w.sources();
    let snapshot = Snapshot::new(&sources, sources.system.year(1990).unwrap());
    let pairs: Vec<(Ccode, Ccode)> =
        snapshot.candidates().map(|(i, j)| (snapshot.members.ccodes[i], snapshot.members.ccodes[j])).collect();
    assert_eq!(pairs, CANDIDATES_1990);
}

#[test]
fn formations_count_only_inside_the_window() {
    let history = AllianceYears::new(&dyads(&[(2, 20, 1980, 1990), (20, 220, 1950, 1960)]));
    assert!(history.formed_within(20, 2, 1975, 5));
    assert_eq!(history.formed(20, 2, 1975, 10), Some(1980));
    assert!(!history.formed_within(20, 2, 1974, 5));
    assert!(!history.formed_within(2, 20, 1990, 10));
    assert_eq!(history.last_before(220, 20, 1961), Some(1960));
    assert_eq!(history.last_before(220, 20, 1950), None);
}

#[test]
fn baselines_by_hand() {
    // 1990, five years ahead: only Canada–Germany (20–255) forms. Common allies and
    // degree products of the seven candidates, by hand from the docstring's graph.
    let w = hand_made();
    let options = Options { horizon: 5, ..Options::default() };
    let test = backtest(&w.sources(), 1990, 1, &options).unwrap();
    assert_eq!((test.pairs, test.positives), (7, 1));
    let positive: Vec<bool> = CANDIDATES_1990.iter().map(|&p| p == (20, 255)).collect();
    let common = [1.0, 0.0, 2.0, 0.0, 1.0, 0.0, 0.0];
    let products = [3.0, 0.0, 6.0, 2.0, 3.0, 0.0, 0.0];
    let row = |method: &str| test.rows.iter().find(|r| r.evaluation == "all" && r.method == method).unwrap();
    // The positive ties three negatives at 0 common allies and beats none: 1.5 / 6.
    assert_eq!(row("common-neighbours").auc, 0.25);
    assert_eq!(auc(&common, &positive), Some(0.25));
    // Its degree product (2) beats the three zeros: 3 / 6.
    assert_eq!(row("preferential-attachment").auc, 0.5);
    assert_eq!(auc(&products, &positive), Some(0.5));
    // Both put Canada–France (2 common allies, product 6) first: a miss.
    assert_eq!((row("common-neighbours").precision_at_k, row("preferential-attachment").precision_at_k), (0.0, 0.0));
    // Same COW block: 200–255, 200–365 and 255–365 (Europe); the positive crosses blocks
    // and ties the three other negatives: 1.5 / 6.
    assert_eq!(row("same-region").auc, 0.25);
    assert_eq!(test.formations.renewals, 0);
    assert_eq!(test.formations.agreements, 1);
    assert!(test.rows.iter().all(|r| r.k == 1));
    assert_eq!(test.rows.len(), EVALUATIONS.len() * METHODS.len());
    assert_eq!(test.gains.len(), 2);
}

/// Raw inputs of a simulated system.
struct Raw {
    states: Vec<Ccode>,
    alliances: Vec<(Ccode, Ccode, i32, i32)>,
    exercises: Vec<MmeExercise>,
    rivalries: Vec<Rivalry>,
}

/// A simulated system, 1950–2016: 24 states in three subregions (South America, Western
/// Europe, Southeast Asia); alliances form more often within a subregion; exercises and
/// rivalries at random.
fn simulated(seed: u64) -> Raw {
    let mut rng = Rng(seed);
    let states: Vec<Ccode> = [100, 101, 110, 115, 130, 135, 140, 145, 210, 211, 212, 220, 221, 223, 225, 255]
        .into_iter()
        .chain([775, 800, 811, 812, 816, 820, 830, 840])
        .collect();
    let mut alliances = Vec::new();
    for (x, &a) in states.iter().enumerate() {
        for &b in &states[x + 1..] {
            let chance = if Subregion::of(a) == Subregion::of(b) { 0.08 } else { 0.015 };
            for start in (1950..2016).step_by(11) {
                if rng.uniform() < chance {
                    let from = start + (rng.uniform() * 10.0) as i32;
                    alliances.push((a, b, from, from + (rng.uniform() * 20.0) as i32));
                }
            }
        }
    }
    let (mut exercises, mut rivalries) = (Vec::new(), Vec::new());
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
    }
    Raw { states, alliances, exercises, rivalries }
}

/// The simulated world as an observer at the end of `year` knows it: no tie, exercise or
/// rivalry after that year, and a rivalry going on then is open.
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
    World {
        system: System::new(&spells(&raw.states, 1950), Ymd::new(2016, 12, 31), 1950, 2016),
        dyads: dyads(&alliances),
        ties_through: year,
        exercises: Exercises::new(&exercises),
        rivalries: Rivalries::new(&rivalries),
        recognition: Vec::new(),
        contiguity: None,
        capitals: None,
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
    let same = |x: Values, y: Values| (0..FEATURES).all(|k| x[k] == y[k] || (x[k].is_nan() && y[k].is_nan()));
    for &(i, j) in &pairs {
        assert!(same(sa.features(&a, &ha, i, j), sb.features(&b, &hb, i, j)));
    }
    let fitted = |s: &Sources, h: &AllianceYears| {
        Model::fit(&Training::new(s, h, t, &options).unwrap(), &Feature::ALL, &options)
    };
    assert_eq!(fitted(&a, &ha), fitted(&b, &hb));
    let listed = |s: &Sources| recommend(s, 100, t, 5, &options, Listing::default()).unwrap();
    assert_eq!(listed(&a), listed(&b));
}

#[test]
fn the_model_learns_the_simulated_drivers_and_beats_chance() {
    let world = observed(&simulated(5), 2016);
    let options = Options { horizon: 5, training_years: 30, ..Options::default() };
    let test = backtest(&world.sources(), 1995, 20, &options).unwrap();
    assert!(test.positives > 0 && test.pairs > test.positives);
    let region = &test.geography.terms[0];
    assert_eq!(region.feature, Feature::SameSubregion);
    assert!(region.coefficient > 0.0, "same subregion should raise the odds: {region:?}");
    let methods: Vec<&str> = test.rows.iter().filter(|r| r.evaluation == "all").map(|r| r.method).collect();
    assert_eq!(methods, METHODS);
    assert!(test.rows[0].auc > 0.6, "{:?}", test.rows);
}

#[test]
fn recommendations_exclude_allies_rivals_and_the_unrecognised_and_explain_every_feature() {
    let w = hand_made();
    let options = Options { horizon: 5, training_years: 40, ..Options::default() };
    let found = recommend(&w.sources(), 20, 1990, 10, &options, Listing::default()).unwrap();
    // Canada is allied with 2 and 200, and Russia (365) is its rival: left out, flagged.
    let partners: Vec<Ccode> = found.partners.iter().map(|r| r.partner).collect();
    assert_eq!(partners.len(), 2);
    assert!(partners.contains(&220) && partners.contains(&255));
    assert_eq!(
        found.left_out.iter().map(|l| (l.partner, l.flags.clone())).collect::<Vec<_>>(),
        [(365, vec![Flag::Rival])]
    );
    assert!(found.partners.windows(2).all(|w| w[0].score >= w[1].score));
    for r in &found.partners {
        // Every feature fitted: all but contiguity and capital distance, not imported here.
        assert_eq!(r.contributions.len(), FEATURES - 2);
        let log_odds = r.baseline + r.contributions.iter().map(|c| c.contribution).sum::<f64>();
        close(logistic::sigmoid(log_odds), r.score);
        assert!(r.contributions.iter().all(|c| c.explanation.contains("the log-odds by")));
        assert!(r.flags.is_empty());
    }
    let france = found.partners.iter().find(|r| r.partner == 220).unwrap();
    assert!(
        france.contributions[0].explanation.starts_with("2 states allied with both: "),
        "{:?}",
        france.contributions[0]
    );
    assert_eq!(france.evidence.common_allies, [2, 200]);
    assert_eq!(france.evidence.shared_rivals, [365]);
    assert_eq!(
        (france.evidence.joint_exercises, france.evidence.last_allied, france.evidence.subregion),
        (Some(2), Some(1960), None)
    );
    let included =
        recommend(&w.sources(), 20, 1990, 10, &options, Listing { rivals: true, unrecognised: false }).unwrap();
    assert_eq!(included.partners.iter().find(|r| r.partner == 365).unwrap().flags, [Flag::Rival]);
    // Germany does not recognise Britain (in this world): not Britain's partner.
    let britain = recommend(&w.sources(), 200, 1990, 10, &options, Listing::default()).unwrap();
    assert!(britain.partners.iter().all(|r| r.partner != 255));
    assert!(britain.left_out.iter().any(|l| l.partner == 255 && l.flags == [Flag::NotRecognised { by: 255, of: 200 }]));
    assert_eq!(
        recommend(&w.sources(), 20, 2030, 3, &options, Listing::default()),
        Err(RecommendError::YearNotCovered { year: 2030, first: 1946, last: 2018 })
    );
    assert_eq!(
        recommend(&w.sources(), 999, 1990, 3, &options, Listing::default()),
        Err(RecommendError::NotAMember { state: 999, year: 1990 })
    );
}

#[test]
fn the_model_learns_only_from_years_whose_formations_are_known() {
    // Ties run to 2018 but formations are known to 2000: a list as of 2010 is fitted on
    // the pairs of 1970–1995, as one as of 2000 is.
    let raw = simulated(3);
    let world = observed(&raw, 2016);
    let sources = Sources { outcomes_through: 2000, ..world.sources() };
    let options = Options::default();
    let later = recommend(&sources, 100, 2010, 5, &options, Listing::default()).unwrap();
    let at_2000 = recommend(&sources, 100, 2000, 5, &options, Listing::default()).unwrap();
    assert_eq!((later.training_years, at_2000.training_years), ((1970, 1990), (1970, 1990)));
    assert_eq!(later.year, 2010);
    assert_eq!(
        backtest(&sources, 1995, 10, &options).unwrap_err(),
        RecommendError::YearNotCovered { year: 2005, first: 1950, last: 2000 }
    );
}
