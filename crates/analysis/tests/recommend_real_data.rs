//! The partnership model's temporal back-test on the real data (docs/RECOMMEND.md): fitted
//! on years up to T, it must put the alliances formed in (T, T + 10] at the top of its list
//! at least as well as every baseline, and rank the whole list better than the network
//! baselines, for T = 1960, 1980 and 2000 — without the geographic covariates and with COW
//! contiguity and the capitals (contiguity joins the model, capital distance the
//! geography-only baseline).

use pactbase_analysis::panel::{atop_pairs, Capitals, Contiguity, DyadTable, Exercises, Rivalries, System, ATOP_END};
use pactbase_analysis::recommend::{self, Options, Sources};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, capitals, contiguity, cow_states, mme, rivalries};
use pactbase_model::research::Ymd;
use pactbase_model::NonRecognition;

struct Data {
    system: System,
    dyads: DyadTable,
    exercises: Exercises,
    exercises_cover: (i32, i32),
    rivalries: Rivalries,
    recognition: Vec<NonRecognition>,
    contiguity: Contiguity,
    capitals: Capitals,
}

fn data() -> Option<Data> {
    let atop_dir = pactbase_testdata::shared("atop-5.1")?;
    let states_file = pactbase_testdata::shared("cow/states2016.csv")?;
    let mme_file = pactbase_testdata::shared("mme-7/mme_v7.csv")?;
    let rivalries_file = pactbase_testdata::shared("rivalries/tss-strategic-rivalries.csv")?;
    let contiguity_file = pactbase_testdata::shared("cow/contdir-3.2.csv")?;
    let capitals_file = pactbase_testdata::shared("cow/capitals.csv")?;
    let curated = curated::load(&DataFiles::embedded()).unwrap();
    let index = pactbase_model::StateIndex::new(curated.states);
    let quiet = |_: u64| {};
    let atop = atop::read(&atop_dir, &index, &quiet).unwrap();
    let spells = cow_states::read(&states_file, &index, &quiet).unwrap().spells;
    let (infos, pairs) = atop_pairs(&atop.members, &atop.alliances, |c| index.get(c).is_some());
    let exercises = mme::read(&mme_file, &index, &quiet).unwrap().exercises;
    let years = exercises.iter().map(|e| e.year);
    let exercises_cover = (years.clone().min().unwrap(), years.max().unwrap());
    Some(Data {
        system: System::new(&spells, Ymd::new(2016, 12, 31), 1816, ATOP_END.year),
        dyads: DyadTable::from_pairs(infos, pairs),
        exercises: Exercises::new(&exercises),
        exercises_cover,
        rivalries: Rivalries::new(&rivalries::read(&rivalries_file, &index, &quiet).unwrap().rivalries),
        recognition: curated.non_recognition,
        contiguity: Contiguity::new(&contiguity::read(&contiguity_file, &index, &quiet).unwrap().spells),
        capitals: Capitals::new(&capitals::read(&capitals_file, &index, &quiet).unwrap().capitals),
    })
}

#[test]
fn the_top_of_the_list_beats_every_baseline_for_1960_1980_and_2000() {
    let Some(d) = data() else { return };
    let without = Sources {
        system: &d.system,
        dyads: &d.dyads,
        ties_through: ATOP_END.year,
        outcomes_through: ATOP_END.year,
        exercises: &d.exercises,
        exercises_cover: Some(d.exercises_cover),
        rivalries: &d.rivalries,
        recognition: &d.recognition,
        contiguity: None,
        capitals: None,
    };
    let with = Sources { contiguity: Some(&d.contiguity), capitals: Some(&d.capitals), ..without };
    for sources in [without, with] {
        eprintln!("with contiguity and capitals: {}", sources.contiguity.is_some());
        beats_the_baselines(&sources);
    }
}

fn beats_the_baselines(sources: &Sources) {
    let options = Options::default();
    for t in [1960, 1980, 2000] {
        let test = recommend::backtest(sources, t, 10, &options).unwrap();
        let f = &test.formations;
        eprintln!(
            "T = {t}: {} pairs, {} formed by {} ({} renewals, {} bilateral, {} agreements; largest {:?})",
            test.pairs,
            test.positives,
            t + test.horizon,
            f.renewals,
            f.bilateral,
            f.agreements,
            f.largest.iter().map(|l| (&l.label, l.pairs)).collect::<Vec<_>>()
        );
        for row in &test.rows {
            eprintln!(
                "  {:<16} {:<24} auc {:.3}  precision@{} {:.3}  ({} / {})",
                row.evaluation, row.method, row.auc, row.k, row.precision_at_k, row.positives, row.pairs
            );
        }
        for g in &test.gains {
            eprintln!("  gain in {} over {}: {:+.3} [{:+.3}, {:+.3}]", g.metric, g.over, g.gain, g.ci_low, g.ci_high);
        }
        for term in &test.model.terms {
            eprintln!("  {:<28} {:+.3}", term.feature.name(), term.coefficient);
        }
        let all: Vec<_> = test.rows.iter().filter(|r| r.evaluation == "all").collect();
        let ours = all[0];
        for baseline in &all[1..] {
            assert!(
                ours.precision_at_k >= baseline.precision_at_k,
                "T = {t}: precision@10 {:.3} < {} {:.3}",
                ours.precision_at_k,
                baseline.method,
                baseline.precision_at_k
            );
        }
        for baseline in
            all.iter().filter(|r| ["common-neighbours", "adamic-adar", "preferential-attachment"].contains(&r.method))
        {
            assert!(ours.auc > baseline.auc, "T = {t}: AUC {:.3} <= {} {:.3}", ours.auc, baseline.method, baseline.auc);
        }
    }
}
