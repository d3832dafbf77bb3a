//! Hand graphs. Values that are not obvious by hand are networkx 3.6's (`betweenness_centrality`,
//! `closeness_centrality`, `clustering`, `eigenvector_centrality(max_iter=1000)`, `pagerank`,
//! `louvain_communities` + `modularity`), printed with `repr`.

use pactbase_model::research::{AtopMember, AtopObligations, SystemSpell, Ymd};

use super::*;
use crate::panel::{atop_pairs, DyadTable, System};

fn net(n: usize, edges: &[(usize, usize, f64)]) -> YearNetwork {
    YearNetwork {
        year: 2000,
        level: Level::Any,
        nodes: (1..=n as Ccode).map(|c| c * 10).collect(),
        edges: edges.to_vec(),
    }
}

fn close(actual: &[f64], expected: &[f64], tol: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!((a - e).abs() <= tol, "{what}[{i}]: {a} != {e}");
    }
}

fn column(nodes: &[NodeMeasures], f: impl Fn(&NodeMeasures) -> f64) -> Vec<f64> {
    nodes.iter().map(f).collect()
}

#[test]
fn path_of_four() {
    let (nodes, graph) = measure(&net(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]));
    assert_eq!(nodes.iter().map(|m| m.degree).collect::<Vec<_>>(), [1, 2, 2, 1]);
    close(&column(&nodes, |m| m.betweenness), &[0.0, 2.0 / 3.0, 2.0 / 3.0, 0.0], 1e-15, "betweenness");
    close(&column(&nodes, |m| m.closeness), &[0.5, 0.75, 0.75, 0.5], 1e-15, "closeness");
    close(&column(&nodes, |m| m.clustering), &[0.0; 4], 0.0, "clustering");
    close(
        &column(&nodes, |m| m.eigenvector),
        &[0.37174823427120085, 0.6015008315175003, 0.6015008315175004, 0.3717482342712008],
        1e-12,
        "eigenvector",
    );
    close(
        &column(&nodes, |m| m.pagerank),
        &[0.17543839772251532, 0.32456160227748454, 0.32456160227748454, 0.17543839772251532],
        1e-12,
        "pagerank",
    );
    assert_eq!((graph.components, graph.blocs), (1, 2));
    assert!((graph.modularity.unwrap() - 1.0 / 6.0).abs() < 1e-12);
    assert_eq!(nodes.iter().map(|m| m.bloc).collect::<Vec<_>>(), [0, 0, 1, 1]);
    assert!(graph.eigenvector_converged && graph.pagerank_converged);
}

#[test]
fn weighted_star() {
    let (nodes, graph) = measure(&net(5, &[(0, 1, 3.0), (0, 2, 1.0), (0, 3, 2.0), (0, 4, 3.0)]));
    close(&column(&nodes, |m| m.strength), &[9.0, 3.0, 1.0, 2.0, 3.0], 0.0, "strength");
    close(&column(&nodes, |m| m.betweenness), &[1.0, 0.0, 0.0, 0.0, 0.0], 1e-15, "betweenness");
    close(&column(&nodes, |m| m.closeness), &[1.0, 4.0 / 7.0, 4.0 / 7.0, 4.0 / 7.0, 4.0 / 7.0], 1e-15, "closeness");
    close(
        &column(&nodes, |m| m.eigenvector),
        &[0.7071069290249942, 0.353553316674035, 0.353553316674035, 0.353553316674035, 0.353553316674035],
        1e-12,
        "eigenvector",
    );
    // PageRank follows the weights (networkx's default weight="weight").
    close(
        &column(&nodes, |m| m.pagerank),
        &[0.4756766887836358, 0.1647744370721214, 0.0749248123573738, 0.11984962471474758, 0.1647744370721214],
        1e-12,
        "pagerank",
    );
    // One bloc: any split of a star lowers modularity below 0.
    assert_eq!(graph.blocs, 1);
    assert!(graph.modularity.unwrap().abs() < 1e-12);
}

#[test]
fn triangle_with_isolate() {
    let (nodes, graph) = measure(&net(4, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0)]));
    close(&column(&nodes, |m| m.clustering), &[1.0, 1.0, 1.0, 0.0], 0.0, "clustering");
    close(&column(&nodes, |m| m.closeness), &[2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, 0.0], 1e-15, "closeness");
    close(&column(&nodes, |m| m.betweenness), &[0.0; 4], 0.0, "betweenness");
    // networkx stops with the isolate still at 1.09e-6 (tolerance n * 1e-6): so do we.
    close(
        &column(&nodes, |m| m.eigenvector),
        &[0.5773502691892851, 0.5773502691892851, 0.5773502691892851, 1.0863863894379338e-06],
        1e-12,
        "eigenvector",
    );
    close(
        &column(&nodes, |m| m.pagerank),
        &[0.3174602578558531, 0.3174602578558531, 0.3174602578558531, 0.04761922643244094],
        1e-12,
        "pagerank",
    );
    assert_eq!(nodes.iter().map(|m| (m.component, m.bloc)).collect::<Vec<_>>(), [(0, 0), (0, 0), (0, 0), (1, 1)]);
    assert_eq!((graph.components, graph.blocs, graph.nodes, graph.edges), (2, 2, 4, 3));
    assert!(graph.modularity.unwrap().abs() < 1e-12);
}

#[test]
fn two_components_are_two_blocs() {
    let heavy = 2.0;
    let edges = [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, heavy), (4, 5, heavy), (3, 5, heavy)];
    let (nodes, graph) = measure(&net(6, &edges));
    close(&column(&nodes, |m| m.closeness), &[0.4; 6], 1e-15, "closeness");
    close(&column(&nodes, |m| m.pagerank), &[1.0 / 6.0; 6], 1e-12, "pagerank");
    close(&column(&nodes, |m| m.eigenvector), &[0.408248290463863; 6], 1e-12, "eigenvector");
    // Sizes tie: the component holding the lowest ccode is numbered first.
    assert_eq!(nodes.iter().map(|m| m.component).collect::<Vec<_>>(), [0, 0, 0, 1, 1, 1]);
    assert_eq!(nodes.iter().map(|m| m.bloc).collect::<Vec<_>>(), [0, 0, 0, 1, 1, 1]);
    assert_eq!((graph.components, graph.blocs), (2, 2));
    assert!((graph.modularity.unwrap() - 4.0 / 9.0).abs() < 1e-12);
}

#[test]
fn barbell_splits_at_the_bridge() {
    let mut edges = Vec::new();
    for base in [0, 4] {
        for a in base..base + 4 {
            for b in a + 1..base + 4 {
                edges.push((a, b, 1.0));
            }
        }
    }
    edges.push((3, 4, 1.0));
    edges.sort_by_key(|e| (e.0, e.1));
    let (nodes, graph) = measure(&net(8, &edges));
    close(
        &column(&nodes, |m| m.betweenness),
        &[0.0, 0.0, 0.0, 0.5714285714285714, 0.5714285714285714, 0.0, 0.0, 0.0],
        1e-15,
        "betweenness",
    );
    close(&column(&nodes, |m| m.closeness), &[0.5, 0.5, 0.5, 0.7, 0.7, 0.5, 0.5, 0.5], 1e-15, "closeness");
    close(&column(&nodes, |m| m.clustering), &[1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 1.0, 1.0], 0.0, "clustering");
    close(
        &column(&nodes, |m| m.pagerank),
        &[
            0.1167315027657654,
            0.1167315027657654,
            0.1167315027657654,
            0.14980549170270374,
            0.14980549170270374,
            0.1167315027657654,
            0.1167315027657654,
            0.1167315027657654,
        ],
        1e-12,
        "pagerank",
    );
    assert_eq!(nodes.iter().map(|m| m.bloc).collect::<Vec<_>>(), [0, 0, 0, 0, 1, 1, 1, 1]);
    assert!((graph.modularity.unwrap() - 0.42307692307692313).abs() < 1e-12);
    // Every seed finds the same split.
    for seed in 0..20 {
        let (_, g) = measure_with(&net(8, &edges), &Options { louvain_seed: seed, ..Options::default() });
        assert!((g.modularity.unwrap() - 0.42307692307692313).abs() < 1e-12, "seed {seed}");
    }
}

#[test]
fn graph_without_edges_has_no_modularity() {
    let (nodes, graph) = measure(&net(3, &[]));
    close(&column(&nodes, |m| m.eigenvector), &[0.5773502691896258; 3], 1e-15, "eigenvector");
    close(&column(&nodes, |m| m.pagerank), &[1.0 / 3.0; 3], 1e-15, "pagerank");
    assert!(nodes.iter().all(|m| m.closeness == 0.0 && m.betweenness == 0.0 && m.degree == 0));
    assert_eq!((graph.components, graph.blocs, graph.modularity), (3, 3, None));
    assert_eq!(nodes.iter().map(|m| m.bloc).collect::<Vec<_>>(), [0, 1, 2]);
}

#[test]
fn single_pair_and_empty_graph() {
    let (nodes, graph) = measure(&net(2, &[(0, 1, 2.0)]));
    close(&column(&nodes, |m| m.closeness), &[1.0, 1.0], 0.0, "closeness");
    close(&column(&nodes, |m| m.eigenvector), &[std::f64::consts::FRAC_1_SQRT_2; 2], 1e-15, "eigenvector");
    assert_eq!((graph.blocs, graph.modularity), (1, Some(0.0)));
    let (nodes, graph) = measure(&net(0, &[]));
    assert!(nodes.is_empty());
    assert_eq!((graph.components, graph.blocs, graph.modularity), (0, 0, None));
}

#[test]
fn more_louvain_runs_never_lower_modularity() {
    // A ring of five triangles, each tied to the next.
    let mut edges = Vec::new();
    for t in 0..5 {
        let b = 3 * t;
        edges.extend([(b, b + 1, 1.0), (b + 1, b + 2, 1.0), (b, b + 2, 1.0)]);
        edges.push((b + 2, (b + 3) % 15, 1.0));
    }
    let edges: Vec<_> = edges.into_iter().map(|(a, b, w)| (a.min(b), a.max(b), w)).collect();
    let one = measure(&net(15, &edges)).1.modularity.unwrap();
    let many = measure_with(&net(15, &edges), &Options { louvain_runs: 8, ..Options::default() }).1.modularity.unwrap();
    assert!(many >= one);
    // Five triangles: Q = 5 (3/20 - (8/40)^2) = 0.55.
    assert!((many - 0.55).abs() < 1e-12, "{many}");
}

#[test]
fn modularity_of_a_given_partition() {
    let n = net(6, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 2.0), (4, 5, 2.0), (3, 5, 2.0)]);
    assert!((modularity(&n, &[7, 7, 7, 3, 3, 3], 1.0).unwrap() - 4.0 / 9.0).abs() < 1e-12);
    assert!((modularity(&n, &[0; 6], 1.0).unwrap()).abs() < 1e-12);
    assert_eq!(modularity(&net(2, &[]), &[0, 1], 1.0), None);
}

fn member(atopid: u32, ccode: Ccode, entry: i32, exit: Option<i32>, ob: [bool; 5]) -> AtopMember {
    AtopMember {
        atopid,
        ccode,
        phase: 1,
        entry: Ymd::new(entry, 1, 1),
        exit: exit.map(|e| Ymd::new(e, 12, 31)),
        obligations: AtopObligations { defense: ob[0], offense: ob[1], neutral: ob[2], nonagg: ob[3], consul: ob[4] },
        obvary: false,
    }
}

const DEF: [bool; 5] = [true, false, false, false, false];
const CON: [bool; 5] = [false, false, false, false, true];
const NAG: [bool; 5] = [false, false, false, true, false];
const NONE: [bool; 5] = [false; 5];

#[test]
fn build_joins_allies_with_the_stronger_direction() {
    let spells: Vec<SystemSpell> = [2, 20, 200, 220, 255, 365]
        .into_iter()
        .map(|c| SystemSpell { ccode: c, start: Ymd::new(1900, 1, 1), end: Ymd::new(2016, 12, 31) })
        .chain([SystemSpell { ccode: 300, start: Ymd::new(1900, 1, 1), end: Ymd::new(1905, 12, 31) }])
        .collect();
    let members = [
        // 2 guarantees 20 (defense), 20 only consults.
        member(1, 2, 1900, None, DEF),
        member(1, 20, 1900, None, CON),
        // 200 and 220: consultation only.
        member(2, 200, 1900, None, CON),
        member(2, 220, 1900, None, CON),
        // 255 and 365: a pact without obligations, and a nonaggression pact.
        member(3, 255, 1900, None, NONE),
        member(3, 365, 1900, None, NONE),
        member(4, 255, 1910, None, NAG),
        member(4, 365, 1910, None, NAG),
        // 300 left the system in 1905; its alliance with 2 runs on in ATOP.
        member(5, 2, 1900, None, DEF),
        member(5, 300, 1900, None, DEF),
    ];
    let (infos, pairs) = atop_pairs(&members, &[], |c| c < 1000);
    let dyads = DyadTable::from_pairs(infos, pairs);
    let system = System::new(&spells, Ymd::new(2016, 12, 31), 1900, 1910);
    let any = build(system.year(1908).unwrap(), &dyads, Level::Any);
    assert_eq!(any.nodes, [2, 20, 200, 220, 255, 365]);
    let named: Vec<(Ccode, Ccode, f64)> = any.edges.iter().map(|&(i, j, w)| (any.nodes[i], any.nodes[j], w)).collect();
    assert_eq!(named, [(2, 20, 3.0), (200, 220, 2.0), (255, 365, 1.0)]);
    let defense = build(system.year(1908).unwrap(), &dyads, Level::Defense);
    let named: Vec<(Ccode, Ccode, f64)> =
        defense.edges.iter().map(|&(i, j, w)| (defense.nodes[i], defense.nodes[j], w)).collect();
    assert_eq!(named, [(2, 20, 3.0)]);
    let y1910 = build(system.year(1910).unwrap(), &dyads, Level::Any);
    assert_eq!(y1910.edges[2], (4, 5, 1.0));
    let y1903 = build(system.year(1903).unwrap(), &dyads, Level::Defense);
    assert_eq!(y1903.nodes.len(), 7);
    assert_eq!(y1903.edges.len(), 2);
    assert_eq!(y1903.position(300), Some(5));
}

#[test]
fn measure_years_runs_every_covered_year_in_order() {
    let spells = [
        SystemSpell { ccode: 2, start: Ymd::new(1900, 1, 1), end: Ymd::new(2016, 12, 31) },
        SystemSpell { ccode: 20, start: Ymd::new(1902, 6, 1), end: Ymd::new(2016, 12, 31) },
    ];
    let members = [member(1, 2, 1903, None, DEF), member(1, 20, 1903, None, CON)];
    let (infos, pairs) = atop_pairs(&members, &[], |_| true);
    let dyads = DyadTable::from_pairs(infos, pairs);
    let system = System::new(&spells, Ymd::new(2016, 12, 31), 1900, 1905);
    let results = measure_years(&system, &dyads, Level::Any, 1899..=1904, &Options::default());
    assert_eq!(results.iter().map(|r| r.graph.year).collect::<Vec<_>>(), [1900, 1901, 1902, 1903, 1904]);
    assert_eq!(results.iter().map(|r| r.graph.edges).collect::<Vec<_>>(), [0, 0, 0, 1, 1]);
    assert_eq!(results[3].nodes[0].strength, 3.0);
    let isolate = results.iter().flat_map(|r| &r.nodes).find(|m| m.degree == 0).expect("an isolate");
    assert!(isolate.strength.is_sign_positive(), "an isolate's strength prints as 0, not -0");
}

#[test]
fn exports_carry_every_measure_and_escape_names() {
    let n = net(3, &[(0, 1, 3.0)]);
    let (nodes, graph) = measure(&n);
    let label = |c: Ccode| (c == 10).then(|| Label { abbreviation: "A&B".into(), name: "Land of <A> & \"B\"".into() });
    let xml = graphml(&n, &nodes, &graph, label);
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\""
    ));
    assert_eq!(xml.matches("<node id=").count(), 3);
    assert_eq!(xml.matches("<edge ").count(), 1);
    assert!(xml.contains("<edge source=\"10\" target=\"20\"><data key=\"weight\">3.0</data></edge>"));
    assert!(xml.contains("<data key=\"name\">Land of &lt;A&gt; &amp; &quot;B&quot;</data>"));
    assert!(xml.contains("<data key=\"label\">30</data>"));
    for key in
        ["degree", "strength", "betweenness", "closeness", "clustering", "eigenvector", "pagerank", "component", "bloc"]
    {
        assert!(xml.contains(&format!("<key id=\"{key}\" for=\"node\"")), "{key}");
        assert_eq!(xml.matches(&format!("<data key=\"{key}\">")).count(), 3, "{key}");
    }
    assert!(xml.contains("<data key=\"g_modularity\">0.0</data>"));
    assert!(xml.trim_end().ends_with("</graphml>"));

    let xml = gexf(&n, &nodes, &graph, label);
    assert!(xml.contains("<gexf xmlns=\"http://gexf.net/1.3\""));
    assert!(xml.contains("version=\"1.3\""));
    assert!(xml.contains("<node id=\"10\" label=\"A&amp;B\">"));
    assert!(xml.contains("<edge id=\"0\" source=\"10\" target=\"20\" weight=\"3.0\"/>"));
    assert_eq!(xml.matches("<attvalue for=\"pagerank\"").count(), 3);
    assert!(xml.trim_end().ends_with("</gexf>"));

    let empty = net(2, &[]);
    let (nodes, graph) = measure(&empty);
    assert!(!graphml(&empty, &nodes, &graph, |_| None).contains("g_modularity\">"));
    assert!(gexf(&empty, &nodes, &graph, |_| None).contains("modularity undefined (no edges)"));
}
