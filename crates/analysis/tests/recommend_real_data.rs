//! The partnership model's temporal back-test on the real data (docs/RECOMMEND.md): fitted
//! on years up to T, it must rank the alliances formed in (T, T + 10] better, by AUC, than
//! the common-neighbours and Adamic–Adar baselines, for T = 1960, 1980 and 2000.

use pactbase_analysis::panel::{atop_pairs, Capabilities, DyadTable, Exercises, Rivalries, System, ATOP_END};
use pactbase_analysis::recommend::{self, Options, Sources};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states, mme, nmc, rivalries};
use pactbase_model::research::Ymd;

struct Data {
    system: System,
    dyads: DyadTable,
    capabilities: Capabilities,
    exercises: Exercises,
    rivalries: Rivalries,
}

fn data() -> Option<Data> {
    let atop_dir = pactbase_testdata::shared("atop-5.1")?;
    let states_file = pactbase_testdata::shared("cow/states2016.csv")?;
    let nmc_file = pactbase_testdata::shared("cow/nmc-7.0-abridged.csv")?;
    let mme_file = pactbase_testdata::shared("mme-7/mme_v7.csv")?;
    let rivalries_file = pactbase_testdata::shared("rivalries/tss-strategic-rivalries.csv")?;
    let index = pactbase_model::StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let quiet = |_: u64| {};
    let atop = atop::read(&atop_dir, &index, &quiet).unwrap();
    let spells = cow_states::read(&states_file, &index, &quiet).unwrap().spells;
    let (infos, pairs) = atop_pairs(&atop.members, &atop.alliances, |c| index.get(c).is_some());
    Some(Data {
        system: System::new(&spells, Ymd::new(2016, 12, 31), 1816, ATOP_END.year),
        dyads: DyadTable::from_pairs(infos, pairs),
        capabilities: Capabilities::new(&nmc::read(&nmc_file, &index, &quiet).unwrap().rows),
        exercises: Exercises::new(&mme::read(&mme_file, &index, &quiet).unwrap().exercises),
        rivalries: Rivalries::new(&rivalries::read(&rivalries_file, &index, &quiet).unwrap().rivalries),
    })
}

#[test]
fn the_model_beats_both_baselines_on_auc_for_1960_1980_and_2000() {
    let Some(d) = data() else { return };
    let sources = Sources {
        system: &d.system,
        dyads: &d.dyads,
        ties_through: ATOP_END.year,
        capabilities: &d.capabilities,
        exercises: &d.exercises,
        rivalries: &d.rivalries,
    };
    let options = Options::default();
    for t in [1960, 1980, 2000] {
        let test = recommend::backtest(&sources, t, 100, &options).unwrap();
        eprintln!("T = {t}: {} pairs, {} formed an alliance by {}", test.pairs, test.positives, t + test.horizon);
        for row in &test.rows {
            eprintln!("  {:<18} auc {:.4}  precision@{} {:.3}", row.method, row.auc, row.k, row.precision_at_k);
        }
        for term in &test.model.terms {
            eprintln!("  {:<22} {:+.3}", term.feature.name(), term.coefficient);
        }
        let ours = test.rows.iter().find(|r| r.method == "pactbase").unwrap();
        for baseline in test.rows.iter().filter(|r| r.method != "pactbase") {
            assert!(
                ours.auc > baseline.auc,
                "T = {t}: pactbase AUC {:.4} <= {} {:.4}",
                ours.auc,
                baseline.method,
                baseline.auc
            );
        }
    }
}
