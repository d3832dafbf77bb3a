//! The 1816–2016 directed dyad-year panel with ATOP obligations, derived from the raw
//! ATOP member file and COW states file and written as Parquet, timed end to end with
//! its peak memory. `cargo bench -p pactbase-analysis --bench panel`.
//! Figures go to docs/PERFORMANCE.md.

use std::fs::File;
use std::io::BufWriter;
use std::time::Instant;

use pactbase_analysis::panel::{self, atop_pairs, atop_state_years, DyadTable, Inputs, System, Ties, With};
use pactbase_export::{BatchWriter, TableFormat};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states};
use pactbase_model::research::Ymd;

/// Peak resident memory of this process so far, in MB (Linux).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn main() {
    let shared = pactbase_testdata::shared_root();
    let index = pactbase_model::StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let out = std::env::temp_dir().join("pactbase-bench-ddy.parquet");
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let quiet = |_: u64| {};
        let atop = atop::read(&shared.join("atop-5.1"), &index, &quiet).unwrap();
        let spells = cow_states::read(&shared.join("cow/states2016.csv"), &index, &quiet).unwrap().spells;
        let is_state = |c| index.get(c).is_some();
        let (infos, pairs) = atop_pairs(&atop.members, &atop.alliances, is_state);
        let dyads = DyadTable::from_pairs(infos, pairs);
        let states = atop_state_years(&atop.members, is_state);
        let system = System::new(&spells, Ymd::new(2016, 12, 31), 1816, 2016);
        let inputs = Inputs {
            system: &system,
            ties: Some(Ties { dyads: &dyads, states: &states, last_year: panel::ATOP_END.year }),
            capabilities: None,
            sipri: None,
            exercises: None,
            rivalries: None,
            arms: None,
        };
        let with = With { atop: true, ..With::default() };
        let mut writer = None;
        let mut rows = 0;
        panel::dyad_years::<pactbase_export::ExportError>(&inputs, with, (1816, 2016), true, |batch| {
            rows += batch.num_rows();
            let w = match &mut writer {
                Some(w) => w,
                None => writer.insert(BatchWriter::new(
                    TableFormat::Parquet,
                    BufWriter::new(File::create(&out).unwrap()),
                    batch.schema(),
                )?),
            };
            w.write(&batch)
        })
        .unwrap();
        writer.unwrap().finish().unwrap();
        assert_eq!(rows, 1_912_290);
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "directed dyad-year panel 1816-2016 with ATOP obligations from the raw member file, written as Parquet ({size:.1} MB): median {:.3} s, best {:.3} s over {} runs; peak memory {:.0} MB",
        times[times.len() / 2],
        times[0],
        times.len(),
        peak_mb()
    );
}
