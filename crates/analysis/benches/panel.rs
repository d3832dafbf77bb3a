//! The 1816–2016 directed dyad-year panel with ATOP obligations and every alliance-study
//! covariate (contiguity, capital distance, minimum distance, major powers, GML disputes
//! with peace years, shared IGOs), derived from the raw files (ATOP member file, COW
//! states, and each covariate's file, read and validated) and written as Parquet, timed
//! end to end with its peak memory. `cargo bench -p pactbase-analysis --bench panel`.
//! Figures go to docs/PERFORMANCE.md.

use std::time::Instant;

use pactbase_analysis::panel::{
    self, atop_pairs, atop_state_years, Capitals, Contiguity, Disputes, DyadTable, DyadYearValues, Inputs, Majors,
    System, Ties, With,
};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, capitals, contiguity, cow_states, gml, igos, majors, mindist};
use pactbase_model::research::Ymd;

mod common;

use common::{peak_mb, ParquetOut};

fn main() {
    let shared = pactbase_testdata::shared_root();
    let index = pactbase_model::StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let out = std::env::temp_dir().join("pactbase-bench-ddy.parquet");
    let (mut times, mut building) = (Vec::new(), Vec::new());
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
        let cow = |rel: &str| shared.join("cow").join(rel);
        // The two large dyadic files are read on the second core while the rest is read here.
        let (mindist, igos) = std::thread::scope(|scope| {
            let mindist = scope.spawn(|| mindist::read(&cow("mindist-cshapes-2.csv"), &index, &quiet).unwrap().rows);
            let igos = igos::read(&cow("igo-3-dyadic.csv"), &index, &quiet).unwrap().rows;
            (mindist.join().unwrap(), igos)
        });
        let mindist = DyadYearValues::new(mindist.iter().map(|d| ((d.year, d.ccode1, d.ccode2), d.km)).collect());
        let igos = DyadYearValues::new(igos.iter().map(|d| ((d.year, d.ccode1, d.ccode2), d.dyadigos)).collect());
        let contiguity = Contiguity::new(&contiguity::read(&cow("contdir-3.2.csv"), &index, &quiet).unwrap().spells);
        let capitals = Capitals::new(&capitals::read(&cow("capitals.csv"), &index, &quiet).unwrap().capitals);
        let majors = Majors::new(&majors::read(&cow("majors2016.csv"), &index, &quiet).unwrap().spells);
        let g = gml::read(&shared.join("gml-mid-2.2.1"), &index, &quiet).unwrap();
        let disputes = Disputes::new(&g.dyad_years, &g.participants, 1816);
        let inputs = Inputs {
            ties: Some(Ties { dyads: &dyads, states: &states, last_year: panel::ATOP_END.year }),
            contiguity: Some(&contiguity),
            capitals: Some(&capitals),
            mindist: Some(&mindist),
            majors: Some(&majors),
            disputes: Some(&disputes),
            igos: Some(&igos),
            ..Inputs::of(&system)
        };
        let with = With {
            atop: true,
            contiguity: true,
            capdist: true,
            mindist: true,
            majors: true,
            mids: true,
            peaceyears: true,
            igos: true,
            ..With::default()
        };
        // What `pactbase panel` does once the datasets are loaded from the store.
        let built = Instant::now();
        let mut parquet = ParquetOut::new(&out);
        panel::dyad_years(&inputs, with, (1816, 2016), true, |batch| parquet.write(batch)).unwrap();
        let rows = parquet.finish();
        assert_eq!(rows, 1_912_290);
        building.push(built.elapsed().as_secs_f64());
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    building.sort_by(f64::total_cmp);
    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "directed dyad-year panel 1816-2016 with ATOP obligations and every covariate from the raw files, written as Parquet ({size:.1} MB): median {:.3} s, best {:.3} s over {} runs (of which building and writing the panel from the data read: median {:.3} s, best {:.3} s); peak memory {:.0} MB",
        times[times.len() / 2],
        times[0],
        times.len(),
        building[building.len() / 2],
        building[0],
        peak_mb()
    );
}
