//! Every alliance-network measure (degree, strength, betweenness, closeness, clustering,
//! eigenvector, PageRank, components, Louvain blocs and modularity) for every ATOP year
//! 1816–2018 at level `any`, from the raw ATOP and COW files.
//! `cargo bench -p pactbase-analysis --bench network`; networkx counterpart:
//! `tools/network-bench.py`. Figures go to docs/PERFORMANCE.md. With `NETWORK_BENCH_DUMP=FILE`
//! it also writes each year's modularity to FILE.

use std::time::{Duration, Instant};

use pactbase_analysis::network::{self, Level, Options};
use pactbase_analysis::panel::{atop_pairs, DyadTable, System};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states};
use pactbase_model::research::Ymd;

const REPEAT: usize = 5;

fn best_of(mut f: impl FnMut()) -> Duration {
    (0..REPEAT)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    let shared = pactbase_testdata::shared_root();
    let index = pactbase_model::StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let quiet = |_: u64| {};
    let start = Instant::now();
    let atop = atop::read(&shared.join("atop-5.1"), &index, &quiet).unwrap();
    let spells = cow_states::read(&shared.join("cow/states2016.csv"), &index, &quiet).unwrap().spells;
    let read = start.elapsed();
    let prepare = Instant::now();
    let (infos, pairs) = atop_pairs(&atop.members, &atop.alliances, |c| index.get(c).is_some());
    let dyads = DyadTable::from_pairs(infos, pairs);
    let system = System::new(&spells, Ymd::new(2016, 12, 31), 1816, 2018);
    let prepared = prepare.elapsed();
    let options = Options::default();

    let years: Vec<_> = system.years().iter().collect();
    let mut networks = Vec::new();
    let build = best_of(|| networks = years.iter().map(|y| network::build(y, &dyads, Level::Any)).collect());
    let edges: usize = networks.iter().map(|n| n.edges.len()).sum();
    let serial = best_of(|| {
        for n in &networks {
            std::hint::black_box(network::measure_with(n, &options));
        }
    });
    let parallel = best_of(|| {
        std::hint::black_box(network::measure_years(&system, &dyads, Level::Any, 1816..=2018, &options));
    });
    println!(
        "network 1816-2018, level any: {} graphs, {} edges, up to {} nodes",
        networks.len(),
        edges,
        networks.iter().map(|n| n.nodes.len()).max().unwrap_or(0)
    );
    println!("  reading raw files {:.3} s, dyad table and system {:.3} s", read.as_secs_f64(), prepared.as_secs_f64());
    println!("  building all graphs (1 thread): {:.1} ms", build.as_secs_f64() * 1e3);
    println!("  every measure, all years, 1 thread: {:.1} ms", serial.as_secs_f64() * 1e3);
    println!(
        "  build + every measure, all years, measure_years on {} threads: {:.1} ms",
        rayon::current_num_threads(),
        parallel.as_secs_f64() * 1e3
    );
    println!("  (best of {REPEAT} runs each)");
    // Per-year modularity, to set beside `tools/network-bench.py --dump`.
    if let Some(path) = std::env::var_os("NETWORK_BENCH_DUMP") {
        let results = network::measure_years(&system, &dyads, Level::Any, 1816..=2018, &options);
        let text: String = std::iter::once("year,modularity\n".to_string())
            .chain(results.iter().map(|r| {
                format!("{},{}\n", r.graph.year, r.graph.modularity.map_or(String::new(), |q| format!("{q:?}")))
            }))
            .collect();
        std::fs::write(path, text).unwrap();
    }
}
