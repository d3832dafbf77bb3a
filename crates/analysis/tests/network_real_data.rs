//! Alliance networks on real years against networkx: `tools/network-fixtures.py` built the
//! same graphs from the raw ATOP member file and COW state list, independently of this
//! code, and wrote networkx's measures to tests/fixtures/network-<year>-<level>.csv.
//!
//! With `PACTBASE_NETWORK_EXPORT=DIR` the test also writes each network as GraphML and
//! GEXF into DIR, to open in Gephi or read back with networkx.

use std::collections::HashMap;
use std::path::Path;

use pactbase_analysis::network::{self, GraphMeasures, Label, Level, NodeMeasures, YearNetwork};
use pactbase_analysis::panel::{atop_pairs, DyadTable, System};
use pactbase_ingest::curated::{self, DataFiles};
use pactbase_ingest::research::{atop, cow_states};
use pactbase_model::research::Ymd;
use pactbase_model::StateIndex;

const YEARS: [i32; 4] = [1914, 1955, 1990, 2018];

type Measured = (YearNetwork, Vec<NodeMeasures>, GraphMeasures);

fn networks() -> Option<(StateIndex, Vec<Measured>)> {
    let atop_dir = pactbase_testdata::shared("atop-5.1")?;
    let states_file = pactbase_testdata::shared("cow/states2016.csv")?;
    let index = StateIndex::new(curated::load(&DataFiles::embedded()).unwrap().states);
    let quiet = |_: u64| {};
    let atop = atop::read(&atop_dir, &index, &quiet).unwrap();
    let spells = cow_states::read(&states_file, &index, &quiet).unwrap().spells;
    let (infos, pairs) = atop_pairs(&atop.members, &atop.alliances, |c| index.get(c).is_some());
    let dyads = DyadTable::from_pairs(infos, pairs);
    let system = System::new(&spells, Ymd::new(2016, 12, 31), 1816, 2018);
    let mut out = Vec::new();
    for year in YEARS {
        for level in [Level::Any, Level::Defense] {
            let net = network::build(system.year(year).unwrap(), &dyads, level);
            let (nodes, graph) = network::measure(&net);
            out.push((net, nodes, graph));
        }
    }
    Some((index, out))
}

struct Fixture {
    rows: Vec<HashMap<String, String>>,
}

fn fixture(year: i32, level: Level) -> Fixture {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/network-{year}-{}.csv", level.as_str()));
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    let rows = reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect();
    Fixture { rows }
}

fn num(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

#[test]
fn measures_agree_with_networkx_on_four_years_and_both_levels() {
    let Some((index, networks)) = networks() else { return };
    let mut checked = 0;
    let mut worst: HashMap<&str, f64> = HashMap::new();
    for (net, nodes, graph) in &networks {
        let what = format!("{} {}", net.year, net.level.as_str());
        let fx = fixture(net.year, net.level);
        let ours: Vec<u16> = nodes.iter().map(|m| m.ccode).collect();
        let theirs: Vec<u16> = fx.rows.iter().map(|r| r["ccode"].parse().unwrap()).collect();
        assert_eq!(ours, theirs, "{what}: node sets differ");
        let mut component_size = vec![0usize; graph.components];
        for m in nodes {
            component_size[m.component as usize] += 1;
        }
        for (m, row) in nodes.iter().zip(&fx.rows) {
            let at = format!("{what}, ccode {}", m.ccode);
            assert_eq!(f64::from(m.degree), num(row, "degree"), "{at}: degree");
            assert_eq!(component_size[m.component as usize] as f64, num(row, "component_size"), "{at}: component size");
            for (name, value, tol) in [
                ("strength", m.strength, 1e-9),
                ("betweenness", m.betweenness, 1e-6),
                ("closeness", m.closeness, 1e-6),
                ("clustering", m.clustering, 1e-6),
                ("pagerank", m.pagerank, 1e-6),
                ("eigenvector", m.eigenvector, 1e-4),
            ] {
                let expected = num(row, name);
                let gap = worst.entry(name).or_default();
                *gap = gap.max((value - expected).abs());
                assert!((value - expected).abs() <= tol, "{at}: {name} {value} vs networkx {expected}");
            }
            checked += 1;
        }
        assert!(graph.eigenvector_converged && graph.pagerank_converged, "{what}");
        let theirs = num(&fx.rows[0], "modularity");
        let ours = graph.modularity.unwrap();
        eprintln!(
            "{what}: modularity {ours:.4} (networkx Louvain {theirs:.4}), {} blocs, {} components",
            graph.blocs, graph.components
        );
        assert!((ours - theirs).abs() <= 0.01, "{what}: modularity {ours} vs networkx {theirs}");
        // The reported modularity is that of the reported blocs.
        let blocs: Vec<u32> = nodes.iter().map(|m| m.bloc).collect();
        assert!((network::modularity(net, &blocs, 1.0).unwrap() - ours).abs() < 1e-12);
    }
    let mut worst: Vec<_> = worst.into_iter().collect();
    worst.sort_by(|a, b| a.0.cmp(b.0));
    eprintln!("largest differences from networkx over {checked} node-years: {worst:?}");
    assert_eq!(checked, 2 * (45 + 84 + 165 + 195));

    if let Some(dir) = std::env::var_os("PACTBASE_NETWORK_EXPORT") {
        let label = |c| index.get(c).map(|s| Label { abbreviation: s.abb.clone(), name: s.name.clone() });
        for (net, nodes, graph) in &networks {
            let stem = Path::new(&dir).join(format!("network-{}-{}", net.year, net.level.as_str()));
            std::fs::write(stem.with_extension("graphml"), network::graphml(net, nodes, graph, label)).unwrap();
            std::fs::write(stem.with_extension("gexf"), network::gexf(net, nodes, graph, label)).unwrap();
        }
    }
}

#[test]
fn exports_hold_every_node_and_edge_of_a_real_year() {
    let Some((index, networks)) = networks() else { return };
    let (net, nodes, graph) = networks.iter().find(|(n, _, _)| n.year == 1990 && n.level == Level::Any).unwrap();
    let label = |c| index.get(c).map(|s| Label { abbreviation: s.abb.clone(), name: s.name.clone() });
    let xml = network::graphml(net, nodes, graph, label);
    assert_eq!(xml.matches("<node id=").count(), net.nodes.len());
    assert_eq!(xml.matches("<edge ").count(), net.edges.len());
    assert!(xml.contains("<data key=\"abbreviation\">USA</data>"));
    let xml = network::gexf(net, nodes, graph, label);
    assert_eq!(xml.matches("<node id=").count(), net.nodes.len());
    assert_eq!(xml.matches("<edge id=").count(), net.edges.len());
    assert!(xml.contains("<node id=\"2\" label=\"USA\">"));
}
